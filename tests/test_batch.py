"""A session's proposals drafted in one command: counties from each proposal's text, one failure stops nothing."""
from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from drafter.cli import draft_reply

from conftest import assert_traceable


def _batch(store, *args):
    return CliRunner().invoke(draft_reply, ["--store", str(store), "--date", "2024-05-08", *args],
                              catch_exceptions=False)


def test_every_registered_proposal_is_drafted_with_the_counties_its_text_names(sample_store, tmp_path):
    folder = tmp_path / "答复稿"
    result = _batch(sample_store, "--all", "--counties", "阳城,高平", "--output-dir", str(folder))
    assert result.exit_code == 0, result.output
    with open(folder / "汇总.csv", encoding="utf-8-sig") as summary:
        rows = {row["案号"]: row for row in csv.DictReader(summary)}
    assert len(rows) >= 11 and all(row["结果"].startswith("已写出") for row in rows.values())
    # TA0410 names 陵川县 and 泽州县: those are answered, not the clerk's default.
    sources = json.loads((folder / "TA0410答复.sources.json").read_text(encoding="utf-8"))
    assert sources["counties"] == ["陵川县", "泽州县"]
    assert rows["TA0410"]["县（市、区）"] == "陵川县、泽州县"
    # A proposal naming no county takes the clerk's.
    assert json.loads((folder / "TA0395答复.sources.json").read_text(encoding="utf-8"))["counties"] == ["阳城县", "高平市"]
    for docx_path in folder.glob("*.docx"):
        assert_traceable(sample_store, docx_path)


def test_one_failed_proposal_is_reported_and_the_others_are_drafted(sample_store, tmp_path):
    listing = tmp_path / "清单.txt"
    listing.write_text("TA0395\nTA9999\nTA0410\n", encoding="utf-8")
    folder = tmp_path / "答复稿"
    result = _batch(sample_store, "--proposals", str(listing), "--counties", "阳城", "--output-dir", str(folder))
    assert result.exit_code == 1
    assert (folder / "TA0395答复.docx").exists() and (folder / "TA0410答复.docx").exists()
    with open(folder / "汇总.csv", encoding="utf-8-sig") as summary:
        failed = [row for row in csv.DictReader(summary) if row["案号"] == "TA9999"]
    assert failed and "找不到案号" in failed[0]["结果"]
    assert "失败 1 件" in result.output


def test_a_batch_with_a_single_proposal_flag_too_is_a_usage_error(sample_store, tmp_path):
    result = _batch(sample_store, "--all", "--proposal", "TA0395", "--counties", "阳城")
    assert result.exit_code == 2
