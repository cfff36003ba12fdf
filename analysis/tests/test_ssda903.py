"""Real SSDA903 files in: the DfE's own header, episodes and UASC files (raw columns, UK or ISO
dates, one folder per year or stacked with LA and YEAR), codes grouped by the DfE guidance, and
every unusable row reported with file, line and reason (each a problem met in use)."""
from pathlib import Path

import pandas as pd
import pytest

from caresim import cli, episodes, rates, ssda903

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the checkout (a worktree may sit one level deeper)
SAMPLES = next((p / "shared" / "ssda903-samples" for p in (ROOT.parent, ROOT.parent.parent)
                if (p / "shared" / "ssda903-samples").exists()), ROOT.parent / "shared" / "ssda903-samples")
need_samples = pytest.mark.skipif(not SAMPLES.exists(), reason=f"{SAMPLES} absent: the fake "
                                  "SSDA903 files published with the peer tools are not here")
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPIS = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def write(folder: Path, header: str, eps: str, uasc: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "header.csv").write_text(HEADER + header)
    (folder / "episodes.csv").write_text(EPIS + eps)
    if uasc is not None:
        (folder / "uasc.csv").write_text("CHILD,SEX,DOB,DUC\n" + uasc)
    return folder


def test_code_groups_follow_current_guidance():
    """Was: E7 (adult social care) read as independent living, E5/E6 as other, E3 (another
    authority takes over) as returned home."""
    rec = ssda903.groups("REC")
    assert rec["E7"] == "other" and rec["E3"] == "other"
    assert rec["E5"] == rec["E6"] == "independent_living"
    assert rec["E4A"] == rec["E4B"] == rec["E13"] == "home"
    assert {rec[c] for c in ("E41", "E45", "E46", "E47", "E48")} == {"sgo_cao"}
    assert episodes.exit_reason("E7") == "other" and episodes.exit_reason("E6") == "independent_living"
    table = ssda903.codes()
    assert set(table["field"]) == {"REC", "RNE", "LS", "PLACE"}
    assert not table.duplicated(["field", "code"]).any() and (table["group"] != "").all()


def test_export_writes_current_codes():
    """Was: the export wrote E7, E43 and E8 where current codes differ."""
    rec = ssda903.export_codes("REC")
    assert rec["independent_living"] == "E5" and rec["sgo_cao"] == "E46"
    assert rec["sgo_cao@kinship"] == "E45" and rec["aged_out"] == "E17"
    assert "E7" not in rec.values() and "E43" not in rec.values()


def test_raw_dfe_files_with_uk_dates(tmp_path):
    """Was: refused (columns had to be renamed, header and episodes joined, --dayfirst)."""
    d = write(tmp_path / "2019",
              "1,1,05/06/2010,,,,\n2,2,2012-01-31,,,,\n",
              "1,01/05/2018,S,C2,N1,U4,,10/10/2018,X1,,,,\n"
              "1,10/10/2018,P,C2,N1,U4,,,,,,,\n"        # a move within the same type: RNE P
              "2,2018-12-25,S,V2,N1,U6,,2018-12-25,E5,,,,\n",   # same-day entry and exit
              uasc="2,2,31/01/2012,31/01/2030\n")
    r = ssda903.read(d)
    assert len(r.problems) == 0
    e = r.episodes
    assert list(e["episode_start"].dt.strftime("%Y-%m-%d")) == ["2018-05-01", "2018-10-10", "2018-12-25"]
    assert e.loc[e.child_id == "2", "uasc"].all() and not e.loc[e.child_id == "1", "uasc"].any()
    per, moves = episodes.periods(episodes.check(e))
    assert len(per) == 2 and len(moves) == 1       # was: a move to the same PLACE type was lost
    assert per.set_index("child_id").loc["2", "reason"] == "independent_living"
    w = r.windows.iloc[0]
    assert (w.observed_from, w.observed_to) == (pd.Timestamp("2018-04-01"), pd.Timestamp("2019-03-31"))


def test_consecutive_returns_deduplicated_and_problems_reported(tmp_path):
    # 2019 return: child 1 open at the year end; 2020 return: the same episode, now closed
    write(tmp_path / "2019", "1,1,05/06/2010,,,,\n", "1,01/05/2018,S,C2,N1,U4,,,,,,,\n")
    write(tmp_path / "2020", "1,1,05/06/2010,,,,\n3,1,01/01/2015,,,,\n",
          "1,01/05/2018,S,C2,N1,U4,,01/06/2019,E4A,,,,\n"
          "9,01/05/2019,S,C2,N1,U4,,,,,,,\n"                 # no header row
          "3,01/07/2019,S,C2,N1,Q9,,,,,,,\n"                 # unknown PLACE code
          "3,01/08/2019,S,C2,N1,U4,,01/07/2019,E8,,,,\n"      # DEC before DECOM
          "3,32/13/2019,S,C2,N1,U4,,,,,,,\n")                 # not a date
    r = ssda903.read(tmp_path)
    one = r.episodes[r.episodes.child_id == "1"]
    assert len(one) == 1 and one["reason_episode_ceased"].iloc[0] == "E4A"
    p = r.problems.set_index("child")
    reasons = " | ".join(r.problems["reason"])
    assert "no header row" in p.loc["9", "reason"]
    assert "unknown PLACE code 'Q9'" in reasons and "DEC before DECOM" in reasons
    assert "not a date" in reasons
    assert (r.problems["file"].str.endswith("2020/episodes.csv")).all()
    assert sorted(r.problems["line"]) == [3, 4, 5, 6]
    # rates on what is left work, and say how many periods were running when the data opened
    est = rates.estimate(r.episodes)
    assert est.attrs["window_from"] == "2018-04-01"


@need_samples
def test_realistic_samples_folder_per_year_and_stacked():
    a = ssda903.read(SAMPLES / "cs-demand-model")            # files 2017-episodes.csv ...
    b = ssda903.read(SAMPLES / "cs-demand-model-regional")   # stacked, LA and YEAR, ISO dates
    assert a.windows.iloc[0].returns == 5 and set(b.windows["la"]) == {"Bromley", "Hillingdon", "Southwark"}
    assert (b.problems["reason"].str.contains("no header row")).sum() == 387   # the README's count
    for r in (a, b):
        assert not r.problems["reason"].str.startswith("unknown").any()    # every code known
        est = rates.estimate(r.episodes)
        assert est.attrs["left_truncated"] > 100 and est["events"].sum() > 0


@need_samples
def test_invalid_sample_reported_never_crashes(tmp_path):
    r = ssda903.read(SAMPLES / "csc-validator-be-903")
    assert len(r.problems) > 100 and set(r.problems.columns) == {"file", "line", "la", "child", "field", "reason"}
    assert r.problems["line"].min() >= 2
    pop = tmp_path / "pop.csv"
    pop.write_text("age_band,population\n" + "".join(f"{b},10000\n" for b in rates.AGE_BANDS))
    assert cli.main(["local", str(SAMPLES / "csc-validator-be-903"), "--population", str(pop),
                     "-o", str(tmp_path / "out")]) == 0
    assert len(pd.read_csv(tmp_path / "out" / "problems.csv")) == len(r.problems)


def test_one_child_authority(tmp_path):
    d = write(tmp_path / "r", "7,2,01/01/2015,,,,\n", "7,01/06/2018,S,C2,N1,U4,,,,,,,\n")
    pop = tmp_path / "pop.csv"
    pop.write_text("age_band,population\n" + "".join(f"{b},1000\n" for b in rates.AGE_BANDS))
    assert cli.main(["local", str(d), "--population", str(pop), "-o", str(tmp_path / "s")]) == 0
    stock = pd.read_csv(tmp_path / "s" / "initial_stock.csv")
    assert stock["count"].sum() == 1
    shares = pd.read_csv(tmp_path / "s" / "placement_shares.csv")
    assert "no entries at this age" in " ".join(shares["note"])


def test_code_table_doc_in_step():
    doc = ROOT / "docs" / "ssda903_codes.md"
    assert doc.read_text() == ssda903.code_table_markdown(), \
        "regenerate docs/ssda903_codes.md with caresim.ssda903.code_table_markdown()"
