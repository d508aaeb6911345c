"""`drafter check` on the command line: exit codes a script relies on, --json, --fix."""
from __future__ import annotations

import json

from click.testing import CliRunner

from check_docs import gbt_reply, seed_lines
from drafter.cli import cli


def _check(*args):
    return CliRunner().invoke(cli, ["check", *map(str, args)])


def _clean_reply(tmp_path, name="clean.docx"):
    lines = seed_lines()
    # the model reply with its 4, 4 put right and a date under its sign-off lines
    at = max(i for i, line in enumerate(lines) if line.startswith("4. "))
    lines[at] = "5." + lines[at][2:]
    return gbt_reply(lines + ["2024年5月8日"], tmp_path / name)


def test_a_clean_reply_exits_0_and_says_so(tmp_path):
    path = _clean_reply(tmp_path)
    result = _check(path)
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output


def test_findings_exit_1_with_where_and_how_to_fix(tmp_path):
    path = gbt_reply(seed_lines(), tmp_path / "model.docx")
    result = _check(path)
    assert result.exit_code == 1
    assert "第" in result.output and "“4. 加快数据共享" in result.output and "编号重复" in result.output
    assert "改法：" in result.output and "--fix" in result.output


def test_json_lists_each_file_and_its_findings(tmp_path):
    clean, model = _clean_reply(tmp_path), gbt_reply(seed_lines(), tmp_path / "model.docx")
    result = _check("--json", clean, model)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [d["file"] for d in data] == [str(clean), str(model)]
    assert data[0]["findings"] == []
    repeated = [f for f in data[1]["findings"] if f["code"] == "numbering-repeated"]
    assert len(repeated) == 1
    assert set(repeated[0]) == {"code", "severity", "paragraph", "excerpt", "paragraphs", "message", "fix", "fixable"}
    assert repeated[0]["fixable"] is True and repeated[0]["severity"] == "error"


def test_fix_writes_a_corrected_copy_and_exits_0_when_nothing_is_left(tmp_path):
    lines = seed_lines() + ["2024年05月08日"]
    path = gbt_reply(lines, tmp_path / "model.docx")
    before = path.read_bytes()
    result = _check("--fix", path)
    assert result.exit_code == 0, result.output
    fixed = tmp_path / "model.已修正.docx"
    assert fixed.is_file() and path.read_bytes() == before
    assert "已修正" in result.output and "未发现问题" in result.output
    assert _check(fixed).exit_code == 0
    assert _check("--fix", path).exit_code == 1  # the fixed copy is there: not replaced without --force
    assert _check("--fix", "--force", "--json", path).exit_code == 0


def test_a_file_that_is_not_a_docx_is_explained_and_the_rest_still_checked(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_text("not a document", encoding="utf-8")
    clean = _clean_reply(tmp_path)
    result = _check(bad, clean)
    assert result.exit_code == 1
    assert "不是有效的 .docx" in result.output and "未发现问题" in result.output
    assert "找不到文件" in _check(tmp_path / "missing.docx").output


def test_a_wrong_command_line_exits_2(tmp_path):
    assert _check().exit_code == 2
    assert _check("--nonsense", tmp_path / "x.docx").exit_code == 2
