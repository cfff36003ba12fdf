"""The quick-start notebook runs end to end (nbclient, the python3 kernel), and is stored in
git without outputs."""
import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "analysis" / "notebooks" / "quickstart.ipynb"


def test_stored_without_outputs():
    nb = nbformat.read(NB, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_executes(tmp_path, monkeypatch):
    monkeypatch.setenv("CARESIM_OUT", str(tmp_path))
    monkeypatch.setenv("CARESIM_REPLICATES", "4")
    monkeypatch.setenv("CARESIM_ROOT", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    binary = Path(os.environ.get("CARESIM_BIN", ROOT / "build" / "caresim")).resolve()
    monkeypatch.setenv("CARESIM_BIN", str(binary))
    nb = nbformat.read(NB, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "children in care at the end" in text
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) >= 2
    assert (tmp_path / "quickstart.h5").exists()
