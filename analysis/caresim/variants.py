"""Variant scenario files of a baseline, one per value of an adjustment (a sweep): each file
extends the baseline and sets one `adjust:` key (or, with combine, one value of every key), so
a study such as "reunification 10/20/30% faster, entries 5% lower" is one command:

    python3 -m caresim variants scenarios/baseline.yaml -o study/ \\
        --vary lac_hazards.home=1.1,1.2,1.3 --vary entry_rates=0.95

writes study/home_x1.1.yaml ... study/entry_rates_x0.95.yaml, named and described by what they
change. Keys are those of the scenario format's `adjust:` (docs/scenarios.md); values are
multipliers (hazard ratios).
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path


def parse_vary(items) -> list[tuple[str, list[float]]]:
    out = []
    for item in items:
        key, _, vals = item.partition("=")
        parts = key.strip().split(".")
        if not vals or len(parts) not in (1, 2) or not all(parts):
            raise ValueError(f"--vary {item!r}: expected KEY=V1,V2 with KEY entry_rates, "
                             "lac_hazards.NAME or home_hazards.NAME")
        try:
            values = [float(v) for v in vals.split(",")]
        except ValueError:
            raise ValueError(f"--vary {item!r}: values must be numbers (multipliers)") from None
        if any(v < 0 for v in values):
            raise ValueError(f"--vary {item!r}: multipliers must be >= 0")
        out.append((key.strip(), values))
    return out


def _label(key: str, value: float) -> str:
    return f"{key.split('.')[-1]}_x{value:g}"


def _describe(key: str, value: float) -> str:
    table, _, what = key.partition(".")
    thing = f"{what.replace('_', ' ')} hazard" if what else table.replace("_", " ")
    return f"{thing} x{value:g} ({(value - 1) * 100:+.0f}%)"


def _yaml(base_rel: str, changes: list[tuple[str, float]]) -> tuple[str, str]:
    name = "__".join(_label(k, v) for k, v in changes)
    desc = "baseline with " + " and ".join(_describe(k, v) for k, v in changes)
    lines = [f"extends: {base_rel}", f"name: {name}", f'description: "{desc}"', "adjust:"]
    flat = [(k, v) for k, v in changes if "." not in k]
    nested: dict[str, list] = {}
    for k, v in changes:
        if "." in k:
            table, what = k.split(".")
            nested.setdefault(table, []).append(f"{what}: {v:g}")
    lines += [f"  {k}: {v:g}" for k, v in flat]
    lines += [f"  {t}: {{{', '.join(vs)}}}" for t, vs in nested.items()]
    return name, "\n".join(lines) + "\n"


def write_variants(baseline, vary, outdir, combine: bool = False, force: bool = False) -> list[Path]:
    baseline = Path(baseline)
    if not baseline.is_file():
        raise FileNotFoundError(f"{baseline}: no such scenario file")
    spec = parse_vary(vary)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    rel = os.path.relpath(baseline.resolve(), outdir.resolve())
    if combine:
        runs = [list(zip([k for k, _ in spec], vals)) for vals in itertools.product(*[v for _, v in spec])]
    else:
        runs = [[(k, v)] for k, vals in spec for v in vals]
    paths = []
    for changes in runs:
        name, text = _yaml(rel, changes)
        p = outdir / f"{name}.yaml"
        if p.exists() and not force:
            raise ValueError(f"{p}: exists; use --force to overwrite it")
        p.write_text(text)
        paths.append(p)
    return paths
