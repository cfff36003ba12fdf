"""The HTML report (headings, embedded images, parameters, warnings), the command line, and a
headless Chromium rendering of the report."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from caresim import cli, report

ANALYSIS = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def run_cli(*args, **kw):
    env = dict(os.environ, PYTHONPATH=str(ANALYSIS))
    return subprocess.run([sys.executable, "-m", "caresim", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=120, **kw)


@pytest.fixture(scope="module")
def multi_report(multi, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    r = run_cli("report", multi[0], "-o", out)
    assert r.returncode == 0, r.stderr
    return out


def test_report_structure(multi_report):
    text = multi_report.read_text()
    assert text.startswith("<!DOCTYPE html>")
    for heading in ("Scenarios", "Run", "Headline: each scenario beside baseline",
                    "Differences by region and by authority", "Charts", "Tables", "Parameters"):
        assert re.search(rf"<h2 id='\w+'>{heading}</h2>", text), heading
    imgs = re.findall(r"<img alt='(\w+)' src='data:image/png;base64,([A-Za-z0-9+/=]+)'", text)
    assert [name for name, _ in imgs] == ["in_care", "flows", "days_in_care", "cost",
                                         "placements", "areas", "regions"]
    assert all(len(b64) > 10000 for _, b64 in imgs)
    assert "Children in care, 2017-03-31" in text and "Exits from care per year" in text
    assert "baseline (mean)" in text and "variant (mean)" in text   # side by side
    assert "programme" in text and "rollout" in text
    # no external resources: everything is inline
    assert not re.search(r"(src|href)=['\"]https?:", text)
    # the resolved scenario, escaped, in a <pre>
    assert "<pre>name: baseline" in text
    assert "&lt;b&gt;escaped&lt;/b&gt; &amp; kept" in text
    assert "Incomplete run" not in text


def test_report_incomplete_single(half, single, tmp_path):
    with pytest.warns(RuntimeWarning):
        out = report.write(half[0], tmp_path / "half.html")
    text = out.read_text()
    assert "Incomplete run" in text and "9 of 12 tasks" in text
    out = report.write(single[0], tmp_path / "single.html", title="One scenario")
    text = out.read_text()
    assert "<h1>One scenario</h1>" in text and "Differences" not in text


def test_cli_help_and_errors(single, tmp_path):
    r = run_cli("--help")
    assert r.returncode == 0
    for sub in ("report", "info", "summary", "compare", "plots", "rates"):
        assert sub in r.stdout
    r = run_cli("report", tmp_path / "nope.h5")
    assert r.returncode == 2 and "no such file" in r.stderr
    r = run_cli("compare", single[0])
    assert r.returncode == 2 and "one scenario" in r.stderr


def test_cli_subcommands_in_process(multi, tmp_path, capsys):
    assert cli.main(["info", str(multi[0])]) == 0
    assert "tasks complete: 24 of 24" in capsys.readouterr().out
    assert cli.main(["summary", str(multi[0])]) == 0
    assert "Exits from care per year" in capsys.readouterr().out
    csv = tmp_path / "flow.csv"
    assert cli.main(["summary", str(multi[0]), "--var", "flow", "--by", "time,transition",
                     "--where", "transition=entry,home", "--csv", str(csv)]) == 0
    head = csv.read_text().splitlines()[0]
    assert head.startswith("scenario,time,transition,n,mean,sd,se,q05")
    assert cli.main(["compare", str(multi[0]), "--by", "region"]) == 0
    assert "rollout" in capsys.readouterr().out
    assert cli.main(["plots", str(multi[0]), "-o", str(tmp_path / "ch")]) == 0
    assert (tmp_path / "ch" / "in_care.svg").stat().st_size > 0


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed "
                    "(Debian package chromium); the report is not rendered")
def test_chromium_screenshot(multi_report, tmp_path):
    shot = tmp_path / "report.png"
    profile = tmp_path / "profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", f"--user-data-dir={profile}", f"--screenshot={shot}",
           "--window-size=1280,2000", multi_report.resolve().as_uri()]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20000
    keep = os.environ.get("CARESIM_SCREENSHOT")     # set to a path to keep the picture
    if keep:
        shutil.copy(shot, keep)


def _dom(html_path, tmp_path):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2000",
           "--virtual-time-budget=5000", "--dump-dom", html_path.resolve().as_uri()]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed "
                    "(Debian package chromium); the report is not rendered")
@pytest.mark.parametrize("n", [2, 10])
def test_no_table_overflows_in_chromium(n, tmp_path):
    """Was: with eight scenarios the headline table ran off the page. The report's own script
    marks every table wider than the page (data-overflow on <body>); Chromium runs it."""
    from runfile import write_run
    names = ["baseline"] + [f"programme_variant_{k:02d}" for k in range(1, n)]
    run = tmp_path / "run.h5"
    write_run(run, scenarios=tuple(names), replicates=4, seed=n)
    out = tmp_path / "report.html"
    assert cli.main(["report", str(run), "-o", str(out)]) == 0
    text = out.read_text()
    assert "Monte-Carlo" in text and "95% CI" not in text
    dom = _dom(out, tmp_path)
    m = re.search(r'data-overflow="([^"]*)"', dom)
    assert m, "the overflow check did not run"
    assert m.group(1) == "none", f"tables wider than the page: {m.group(1)}"


def test_report_readable_parts(multi, tmp_path):
    """Descriptions shown, relative paths only, axes from zero, distinct colours for 12."""
    from caresim import style
    yaml_text = ("---\nname: \"baseline\"\ndescription: \"rates held at 2017 levels\"\n"
                 "areas: \"/abs/where/areas.csv\"\n---\nname: \"programme\"\n"
                 "description: \"family support in every area\"\n---\nname: \"rollout\"\n")
    from runfile import write_run
    run = tmp_path / "r.h5"
    write_run(run, scenarios=("baseline", "programme", "rollout"), replicates=4, yaml_text=yaml_text)
    text = report.write(run, tmp_path / "r.html").read_text()
    assert "family support in every area" in text and "rates held at 2017 levels" in text
    assert "&quot;/abs/where" not in text and "/abs/where/areas.csv&quot;" in text   # made relative
    assert "By region" in text and "largest differences" in text
    assert len({style.colour(i, 12) for i in range(12)}) == 12
    from caresim import plots
    fig = plots.fan_chart(caresim_open(run))
    assert all(ax.get_ylim()[0] <= 0 for ax in fig.axes if ax.get_visible() and ax.has_data())


def caresim_open(path):
    from runfile import open_quiet
    return open_quiet(path)


@pytest.mark.parametrize("draws", ["none", "all", "one"])
def test_interval_note_says_what_is_drawn(tmp_path, draws):
    """Was: every report said its intervals left out the uncertainty of the rates, also for
    the bundled baselines, whose replicates each draw the fitted rates and projection rule
    (tables.parameter_draws), as the README says of them. The note now follows the tables
    each scenario names."""
    from runfile import write_run
    table = "tables:\n  parameter_draws: \"/x/parameter_draws.csv\"\n"
    yaml_text = (f"---\nname: \"baseline\"\n{table if draws in ('all', 'one') else ''}"
                 f"---\nname: \"variant\"\n{table if draws == 'all' else ''}")
    run = tmp_path / "r.h5"
    write_run(run, scenarios=("baseline", "variant"), replicates=4, yaml_text=yaml_text)
    text = report.write(run, tmp_path / "r.html").read_text()
    head = text.split("<h2 id='headline'>")[1].split("<h2 ")[0]
    if draws == "none":
        assert "not the uncertainty of the rates, costs and effects" in head
        assert "draws the baseline's fitted rates" not in head
    else:
        assert "not the uncertainty of the rates" not in head
        who = "every scenario" if draws == "all" else "baseline"
        assert f"In {who} each replicate draws the baseline's fitted rates and projection rule" in head
        assert "never includes the uncertainty of the costs" in head
        assert ("nor of the rates where they are not drawn" in head) == (draws == "one")


def test_report_says_the_price_year(tmp_path):
    """Was: pounds in the headline and the cost chart with no price year; the resolved
    scenario records it (costs.price_base_year)."""
    from runfile import write_run
    yaml_text = ("---\nname: \"baseline\"\ncosts:\n  price_base_year: 2019\n  inflation: 0\n"
                 "---\nname: \"variant\"\ncosts:\n  price_base_year: 2019\n  inflation: 0\n")
    run = tmp_path / "r.h5"
    write_run(run, scenarios=("baseline", "variant"), replicates=4, yaml_text=yaml_text)
    text = report.write(run, tmp_path / "r.html").read_text()
    head = text.split("<h2 id='headline'>")[1].split("<h2 ")[0]
    assert "Pounds at 2019 prices" in head
    charts = text.split("<h2 id='charts'>")[1].split("<h2 ")[0]
    assert "Pounds at 2019 prices" in charts
