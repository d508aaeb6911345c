"""A proposal imported with its own text is answered point by point: one answer per suggestion, in order."""
from __future__ import annotations

import json
import sqlite3

import docx

from conftest import ROOT, run_draft, run_drafter
from drafter.proposals import suggestions
from drafter.render.typography import repair
from drafter.text.zh import LIST_NUMBER
from drafter.understand import split_sentences

WITH_TEXTS = ROOT / "examples" / "提案目录（含提案内容）.csv"


def test_the_numbered_suggestions_of_a_proposals_text_are_read_in_order():
    assert suggestions("现状……。建议：一是加强顶层设计；二是推进数据共享开放；三是加大资金保障。") == \
        ["加强顶层设计", "推进数据共享开放", "加大资金保障"]
    assert suggestions("建议：（一）完善乡村信息基础设施；（二）发展农村电子商务。") == ["完善乡村信息基础设施", "发展农村电子商务"]
    assert suggestions("建议：1. 推进政务服务事项网上可办；2. 优化窗口设置。") == ["推进政务服务事项网上可办", "优化窗口设置"]
    assert suggestions("全县新增4.7万户，建议加强管理。") == []  # nothing numbered: nothing to answer point by point


def test_each_suggestion_gets_its_material_or_a_placeholder_naming_it_and_each_is_traceable(sample_store, tmp_path):
    assert run_drafter(sample_store, "proposals", "import", str(WITH_TEXTS)).exit_code == 0
    out = tmp_path / "答复.docx"
    assert run_draft(sample_store, "--proposal", "TA0395", "--counties", "阳城,高平", "--output", str(out),
                     "--date", "2024-05-08").exit_code == 0
    answers = json.loads(out.with_name("答复.sources.json").read_text(encoding="utf-8"))["answers"]
    assert [a["suggestion"] for a in answers] == ["加强县级智慧城市顶层设计", "推进政务数据共享开放", "加大资金和人才保障"]
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "关于所提建议的办理情况" in body
    db = sqlite3.connect(sample_store)
    for answer in answers:
        assert f"{answer['suggestion']}：{answer['text']}" in body.replace("\n", "")
        if answer["placeholder"]:
            assert answer["suggestion"] in answer["text"] and not answer["sources"]
            continue
        source = answer["sources"][0]
        # As stored, with the typographic repairs sources.json records (各县(市、区) set as 各县（市、区）).
        stored = {repair(LIST_NUMBER.sub("", row[0]))[0] for row in db.execute(
            "SELECT s.text FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id "
            "JOIN documents d ON d.id = p.document_id WHERE d.file = ? AND p.seq = ?",
            (source["document"], source["paragraph"]))}
        assert all(LIST_NUMBER.sub("", s) in stored for s in split_sentences(answer["text"]))
    db.close()
    assert any(not a["placeholder"] for a in answers)


def test_a_proposal_without_its_text_has_no_point_by_point_section(sample_store, tmp_path):
    out = tmp_path / "答复.docx"
    assert run_draft(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out)).exit_code == 0
    assert json.loads(out.with_name("答复.sources.json").read_text(encoding="utf-8"))["answers"] == []
    assert "关于所提建议" not in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
