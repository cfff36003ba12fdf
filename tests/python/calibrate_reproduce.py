"""`python3 -m caresim calibrate` reproduces the committed tables exactly.

Runs the whole calibration on the published data into a temporary folder and compares every
table it writes with the committed one in models/data/ byte for byte. The data folder is
CARESIM_DATA, else ../shared/data or ../../shared/data beside the repository; the test is
skipped (exit 77, ctest SKIP_RETURN_CODE) when none exists.
"""
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from published import data_dir  # noqa: E402


def main() -> int:
    data = data_dir()
    if data is None:
        print("no calibration data folder: skipped")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "analysis"))
        out = subprocess.run([sys.executable, "-m", "caresim", "calibrate", "--data", str(data),
                              "-o", tmp, "--no-figures", "-q"], env=env, capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stdout, out.stderr)
            return 1
        written = sorted(p.relative_to(tmp) for p in Path(tmp).rglob("*.csv"))
        bad = [str(p) for p in written if not filecmp.cmp(Path(tmp) / p, ROOT / "models" / "data" / p,
                                                          shallow=False)]
        print(f"{len(written)} tables written, {len(bad)} differ from models/data: {bad}")
        return 1 if bad or not written else 0


if __name__ == "__main__":
    sys.exit(main())
