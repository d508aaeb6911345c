"""A format is a folder anyone may hand the clerk: it cannot reach outside itself, run forever, or make a draft
crash; and `templates check` finds what would go wrong in a draft, pointing at the line."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import docx
import pytest

from conftest import ROOT, run_draft, run_drafter
from docx_reading import numbered_texts
from drafter.render.docx_writer import write_docx
from drafter.render.fields import fill_fields
from drafter.render.layout import Layout
from drafter.render.template import chinese_number, load_format, render_blocks

SHIPPED = ROOT / "templates" / "政协提案答复"


def _format(tmp_path: Path, line: str | None = None, manifest: dict[str, str] | None = None) -> Path:
    """The shipped format copied as 我的格式 (its name changed to match), with a line added after the comment
    and manifest lines replaced."""
    folder = tmp_path / "我的格式"
    shutil.copytree(SHIPPED, folder)
    text = (folder / "manifest.toml").read_text(encoding="utf-8").replace('name = "政协提案答复"', 'name = "我的格式"')
    for old, new in (manifest or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    (folder / "manifest.toml").write_text(text, encoding="utf-8")
    if line is not None:
        template = folder / "reply.j2"
        lines = template.read_text(encoding="utf-8").split("\n")
        lines.insert(3, line)
        template.write_text("\n".join(lines), encoding="utf-8")
    return folder


def _check(tmp_path, folder):
    return run_drafter(tmp_path / "s.sqlite", "templates", "check", str(folder))


def _refused_quickly(tmp_path, folder, *words, seconds=15.0):
    started = time.monotonic()
    result = _check(tmp_path, folder)
    assert time.monotonic() - started < seconds
    assert result.exit_code == 1, result.output
    for word in words:
        assert word in result.output, (word, result.output)
    assert "Traceback" not in result.output
    return result.output


# --- nothing outside the folder -------------------------------------------------------------------------


def test_a_symlink_in_the_format_folder_is_not_followed_out_of_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容ABC", encoding="utf-8")
    folder = _format(tmp_path, "{% include 'leak.txt' %}")
    os.symlink(secret, folder / "leak.txt")
    output = _refused_quickly(tmp_path, folder, "格式文件夹之外", "leak.txt")
    assert "机密内容ABC" not in output


def test_an_include_through_dotdot_is_refused(tmp_path):
    (tmp_path / "outside.j2").write_text("外面的文字", encoding="utf-8")
    folder = _format(tmp_path, "{% include '../outside.j2' %}")
    assert "外面的文字" not in _refused_quickly(tmp_path, folder, "格式文件夹之外")


def test_a_file_beside_reply_j2_may_be_included(tmp_path):
    folder = _format(tmp_path, "{% include 'part.j2' %}")
    (folder / "part.j2").write_text("::body 附加说明段落。\n", encoding="utf-8")
    result = _check(tmp_path, folder)
    assert result.exit_code == 0, result.output


# --- bounded work ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("line, word", [
    ("{{ 10 ** 10000000000 }}", "乘方结果过大"),
    ("{{ 'x' * 10000000000 }}", "过长"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "循环次数"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "上限"),
    ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "过长"),
    ("{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ f('x', 60) }}", "过长"),
    ("{{ '{:>300000000}'.format(1) }}", "format"),
    ("{{ 'x'.ljust(300000000) }}", "不允许"),
    ("{{ '%0300000000d' % 1 }}", "格式化"),
    ("{{ 'x' | center(300000000) }}", "center"),
    ("{{ ('x' * 1000000) | replace('x', 'y' * 1000000) }}", "replace"),
    ("{{ 1.5 ** 100000 }}", "乘方结果过大"),
    ("{{ (10 ** 40) * (10 ** 40) * (10 ** 40) }}", "乘积过大"),
    ("{{ 1e308 * 10.0 | int }}", "模板"),
])
def test_a_runaway_template_is_stopped_quickly_with_its_line(tmp_path, line, word):
    folder = _format(tmp_path, line)
    output = _refused_quickly(tmp_path, folder, "答复模板有误", word)
    assert "第 4 行" in output or "center" in word


# --- manifest texts are filled by name only --------------------------------------------------------------


def test_fields_fill_documented_names_only():
    values = {"county": "阳城县"}
    assert fill_fields("{county}无材料", values) == "阳城县无材料"
    assert fill_fields("{county.__class__.__mro__}", values) == "{county.__class__.__mro__}"
    assert fill_fields("{county:>300000000}", values) == "{county:>300000000}"
    assert fill_fields("【{注意}】{county}", values) == "【{注意}】阳城县"


@pytest.mark.parametrize("placeholder", ["{county.__class__.__mro__}", "{county:>300000000}", "【{注意}：{county}待补充】"])
def test_a_hostile_or_odd_placeholder_never_leaks_nor_crashes_a_draft(sample_store, tmp_path, placeholder):
    folder = _format(tmp_path, manifest={
        'placeholder = "【待补充：资料库中暂未检索到{county}与本提案相关的工作进展，请承办人补充。】"':
        f'placeholder = "{placeholder}"'})
    csv = tmp_path / "ice.csv"
    csv.write_text("案号,案由,第一提案人\nTA0999,关于加快发展冰雪旅游的提案,王五\n", encoding="utf-8")
    assert run_drafter(sample_store, "proposals", "import", str(csv)).exit_code == 0
    out = tmp_path / "ice.docx"
    started = time.monotonic()
    result = run_draft(sample_store, "--proposal", "TA0999", "--counties", "阳城", "--template", str(folder),
                       "--output", str(out))
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 30
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "class" not in body.replace("{county.__class__.__mro__}", "") and "mro" not in body.replace(
        "{county.__class__.__mro__}", "")
    assert len(body) < 20000
    # and the check names the text and the line
    output = _refused_quickly(tmp_path, folder, "texts.placeholder", "manifest.toml 第")
    assert "不是可替换的名称" in output


# --- templates check ---------------------------------------------------------------------------------------


def test_check_suggests_the_nearest_name_for_a_misspelt_field(tmp_path):
    folder = _format(tmp_path, manifest={'opening = "{you}提出的《{title}》': 'opening = "{you}提出的《{titel}》'})
    _refused_quickly(tmp_path, folder, "texts.opening", "{titel}", "是否要写 {title}")


def test_check_refuses_an_unknown_kind_at_its_line(tmp_path):
    folder = _format(tmp_path, manifest={'kind = "提案"': 'kind = "议案"'})
    _refused_quickly(tmp_path, folder, "manifest.toml 第 3 行", "议案", "无法识别")


def test_check_reports_text_written_without_its_sources(tmp_path):
    folder = _format(tmp_path, "{% for p in plans %}::item {{ p.text }}\n{% endfor %}")
    _refused_quickly(tmp_path, folder, "reply.j2 第 4 行", ".text", "{{ p }}")


def test_check_reports_a_manifest_name_other_than_its_folder(tmp_path):
    folder = _format(tmp_path, manifest={'name = "我的格式"': 'name = "我的格式2"'})
    _refused_quickly(tmp_path, folder, "manifest.toml 第 2 行", "我的格式2", "文件夹名")


def test_check_reports_numbering_written_twice(tmp_path):
    folder = _format(tmp_path, "::h1 一、额外的标题")
    _refused_quickly(tmp_path, folder, "reply.j2 第 4 行", "两遍")
    folder = _format(tmp_path / "b", manifest={'progress_heading = "工作进展"': 'progress_heading = "一、工作进展"'})
    _refused_quickly(tmp_path, folder, "自带了编号", "一、工作进展")


# --- numbering to any count ----------------------------------------------------------------------------------


def test_chinese_numerals_to_any_count():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 99, 100, 101, 109, 110, 111, 120, 1000, 1005)] == [
        "一", "十", "十一", "二十", "九十九", "一百", "一百零一", "一百零九", "一百一十", "一百一十一", "一百二十",
        "一千", "一千零五"]


def test_a_hundred_and_twenty_headings_and_items_are_numbered(tmp_path):
    folder = _format(tmp_path)
    (folder / "reply.j2").write_text("{% for i in range(120) %}\n::h1 标题{{ i }}\n::item 条目{{ i }}\n{% endfor %}\n",
                                     encoding="utf-8")
    registry: list = []
    blocks = render_blocks(load_format(folder), {}, registry).blocks
    assert [b.number for b in blocks if b.style == "h1"][109:111] == ["一百一十、", "一百一十一、"]
    out = tmp_path / "many.docx"
    write_docx(blocks, out, Layout())
    shown = numbered_texts(docx.Document(str(out)), out)
    assert "一百一十、标题109" in shown and "一百二十、标题119" in shown and shown.count("1. 条目119") == 1
