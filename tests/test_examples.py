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
