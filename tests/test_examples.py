"""The worked examples in examples/ do what examples/README.md says."""
from __future__ import annotations

import json
import subprocess
import sys

import docx

from conftest import ROOT, run_draft, run_drafter
from docx_reading import numbered_texts

EXAMPLES = ROOT / "examples"


def test_the_proposal_list_with_texts_imports_and_shows_a_proposals_own_text(tmp_path):
    store = tmp_path / "s.sqlite"
    result = run_drafter(store, "proposals", "import", str(EXAMPLES / "提案目录（含提案内容）.csv"))
    assert result.exit_code == 0 and "3 件" in result.output
    shown = run_drafter(store, "proposals", "show", "TA0412").output
    assert "王强等" in shown and "完善乡村信息基础设施" in shown
    assert "建议" in run_drafter(store, "proposals", "show", "JY0107").output


def test_the_custom_format_drafts_with_its_own_headings_and_without_signature_lines(sample_store, tmp_path):
    out = tmp_path / "简明.docx"
    result = run_draft(sample_store, "--proposal", "TA0395", "--counties", "阳城,高平",
                       "--template", str(EXAMPLES / "formats" / "简明答复"), "--output", str(out))
    assert result.exit_code == 0, result.output
    text = "\n".join(numbered_texts(docx.Document(str(out)), out))  # as Word shows its list numbers
    assert "一、基本情况" in text and "二、下一步工作打算" in text
    assert "承办人" not in text
    assert json.loads(out.with_name("简明.sources.json").read_text(encoding="utf-8"))["template"] == "简明答复"


def test_the_python_script_drafts_through_the_library(tmp_path):
    done = subprocess.run([sys.executable, str(EXAMPLES / "draft_with_python.py"), str(tmp_path / "out")],
                          capture_output=True, text=True, env={**__import__("os").environ, "DRAFTER_STORE": ""})
    assert done.returncode == 0, done.stderr
    assert "阳城县：" in done.stdout and "高平市：" in done.stdout
    assert (tmp_path / "out" / "TA0395答复.docx").exists()
    assert (tmp_path / "out" / "TA0395答复.sources.json").exists()


def test_an_office_of_another_city_drafts_from_its_profile_alone(tmp_path, monkeypatch):
    office = EXAMPLES / "安康市数据局"
    monkeypatch.setenv("DRAFTER_PROFILE", str(office / "安康市数据局.toml"))
    store = tmp_path / "安康.sqlite"
    assert run_drafter(store, "ingest", str(office / "资料")).exit_code == 0
    assert run_drafter(store, "proposals", "import", str(office / "提案目录.csv")).exit_code == 0
    docs = {d["file"]: d for d in json.loads(run_drafter(store, "documents", "--json").output)}
    assert {d["city"] for d in docs.values()} == {"安康市"}
    assert docs["汉阴县2024年数字政府建设工作总结（示例）.txt"]["county"] == "汉阴县"
    # The development zone of the office's own place file is a place of its own, no county.
    assert docs["安康高新区数字经济发展情况（示例）.txt"]["county"] == "安康高新技术产业开发区"

    out = tmp_path / "AK0101答复.docx"
    result = run_draft(store, "--proposal", "AK0101", "--counties", "汉阴,石泉", "--output", str(out),
                       "--date", "2025-03-01")
    assert result.exit_code == 0, result.output
    sources = json.loads(out.with_name("AK0101答复.sources.json").read_text(encoding="utf-8"))
    by_county = {}
    for entry in sources["progress"]:
        by_county.setdefault(entry["county"], []).extend(s["document"] for s in entry["sources"])
    assert by_county["汉阴县"] == ["汉阴县2024年数字政府建设工作总结（示例）.txt"]
    assert by_county["石泉县"] and all(d.startswith("石泉县") for d in by_county["石泉县"])
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "安康市数据局" in body and "晋城" not in body and "数字经济产业园" not in body
