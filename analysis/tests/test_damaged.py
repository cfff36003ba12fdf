"""A damaged or truncated run file gives a clear error naming the file (exit 2 from the command
line), never a traceback or a message about an unrelated detail (docs/reliability.md)."""
import shutil

import pytest

import caresim
from caresim import cli
from caresim.io import RunFileError


def _truncated(src, dst):
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


def _bad_time_units(src, dst):
    """Overwrites the middle of the time coordinate's units text, as a disk or transfer error
    would; xarray alone then reports only that it cannot decode time units."""
    data = bytearray(src.read_bytes())
    at = data.find(b"days since")
    assert at > 0
    data[at + 3: at + 9] = b"\xff\xfe\x00\x01\x02\x03"
    dst.write_bytes(bytes(data))
    return dst


@pytest.mark.parametrize("damage", [_truncated, _bad_time_units])
def test_open_run_names_a_damaged_file(single, tmp_path, damage):
    bad = damage(single[0], tmp_path / "bad.h5")
    with pytest.raises(RunFileError, match="bad.h5: cannot be read as caresim output"):
        caresim.open_run(bad)


@pytest.mark.parametrize("damage", [_truncated, _bad_time_units])
def test_report_on_a_damaged_file_exits_2(single, tmp_path, damage, capsys):
    bad = damage(single[0], tmp_path / "bad.h5")
    assert cli.main(["report", str(bad), "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "bad.h5: cannot be read as caresim output (truncated or damaged?)" in err
    assert "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


def test_undamaged_copy_still_opens(single, tmp_path):
    good = tmp_path / "good.h5"
    shutil.copy(single[0], good)
    caresim.open_run(good).close()
