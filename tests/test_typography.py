"""Pulled text keeps every word; spacing and brackets are set as Chinese text is, each repair listed in
sources.json; "今年" in an older report is marked for the clerk."""
from __future__ import annotations

import json

import docx
from docx.enum.text import WD_COLOR_INDEX

from conftest import archive_with_ta0395, run_draft
from drafter.render.typography import repair

REPORTS = {
    "阳城县2023年智慧城市工作总结.txt": (
        "阳城县2023年智慧城市工作总结\n"
        "阳城县于 2022 年建成智慧城市运营指挥中心，接入各县(市、区)视频监控 1800 路。\n"
        "今年，阳城县城市大脑平台汇聚数据2.3亿条，目前支撑智慧交通、智慧环保等场景应用。\n"),
}


def _store(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return archive_with_ta0395(tmp_path, folder)


def _draft(store, tmp_path, date):
    out = tmp_path / f"reply-{date}.docx"
    # run_draft also checks every drafted sentence is the stored one once its listed repairs are undone
    result = run_draft(store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out), "--date", date)
    assert result.exit_code == 0, result.output
    return out, json.loads(out.with_name(out.stem + ".sources.json").read_text(encoding="utf-8"))


def test_repair_changes_spacing_and_brackets_never_a_word():
    fixed, repairs = repair("于 2022 年接入各县(市、区)视频监控 1800 路，支持 IPv6 协议(IPv6)。")
    assert fixed == "于2022年接入各县（市、区）视频监控1800路，支持IPv6协议(IPv6)。"
    assert [r["kind"] for r in repairs] == ["cjk-space", "cjk-space", "bracket"] + ["cjk-space"] * 4
    assert {"kind": "bracket", "from": "各县(市、区)视频", "to": "各县（市、区）视频"} in repairs
    for r in repairs:
        assert r["to"] in fixed
    # undo every repair and the stored text is back, character for character
    undone = fixed
    for r in reversed(repairs):
        undone = undone.replace(r["to"], r["from"], 1)
    assert undone == "于 2022 年接入各县(市、区)视频监控 1800 路，支持 IPv6 协议(IPv6)。"
    assert repair("已是规范的文字（市、区）2022年。") == ("已是规范的文字（市、区）2022年。", [])


def test_the_draft_shows_repaired_text_and_sources_json_lists_each_repair(tmp_path):
    out, sources = _draft(_store(tmp_path), tmp_path, "2026-05-08")
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "于2022年建成" in body and "各县（市、区）视频监控1800路" in body
    assert "于 2022" not in body and "(市" not in body
    entry = next(e for e in sources["progress"] if "指挥中心" in e["text"])
    assert {"kind": "bracket", "from": "各县(市、区)视频", "to": "各县（市、区）视频"} in entry["repairs"]
    assert any(r["kind"] == "cjk-space" and r["from"].endswith("于 20") for r in entry["repairs"])


def test_relative_time_in_older_material_is_flagged_and_highlighted(tmp_path):
    store = _store(tmp_path)
    out, sources = _draft(store, tmp_path, "2026-05-08")
    entry = next(e for e in sources["progress"] if "今年" in e["text"])
    assert "relative-time" in entry["flags"]
    document = docx.Document(str(out))
    marked = [r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.TURQUOISE]
    assert marked == ["今年", "目前"]
    assert any("时间用语" in c.text for c in document.comments)
    # drafted the same year as the report, 今年 is right and nothing is marked
    out, sources = _draft(store, tmp_path, "2023-12-20")
    assert not any("relative-time" in e["flags"] for e in sources["progress"])
