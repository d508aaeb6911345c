"""What `templates check` finds in a format before a draft would hit it, each pointing at the line to fix."""
from __future__ import annotations

import re
from typing import Any, Iterator

from .blocks import LayoutBlock
from .fields import unknown_fields
from .template import KINDS, MANIFEST_FILE, ROLES, ReplyFormat

NUMBERED = ("h1", "h2", "item", "subitem")
# A number typed where the draft numbers by itself: 一、 （一） 1. 1、 （1）.
_TYPED_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百0-9]+[）)]|[0-9]{1,3}[.．、])")
# `{{ p.text }}`, `{{ county.passages[0].text }}`: the words without their sources.
_TEXT_OUT = re.compile(r"\{\{[^}]*\.text\b[^}]*\}\}")
_NUMBERED_LINE = re.compile(r"^\s*::(h1|h2|item|subitem)\s+(.*)$")


def problems(fmt: ReplyFormat, blocks: list[LayoutBlock]) -> list[str]:
    """Every mistake found, as "file 第 N 行：what, and what to do", in the order of the files."""
    found = list(_manifest_problems(fmt))
    found += list(_template_problems(fmt))
    for block in blocks:
        text = "".join(s.text for s in block.spans)
        if block.style in NUMBERED and _TYPED_NUMBER.match(text):
            found.append(f"{fmt.template_path}：“::{block.style} {text[:20]}”自带了编号，而编号由程序生成，"
                         f"会写成两遍（如“一、一、”）。请删去文字中的编号（可能在 manifest.toml 的 [texts] 中）。")
    return found


def _manifest_problems(fmt: ReplyFormat) -> Iterator[str]:
    manifest = fmt.folder / MANIFEST_FILE

    def where(key: str) -> str:
        line = fmt.lines.get(key)
        return f"{manifest}" + (f" 第 {line} 行" if line else "")

    if fmt.name != fmt.folder.name:
        yield (f"{where('name')}：name = “{fmt.name}”与文件夹名“{fmt.folder.name}”不同，"
               f"--template {fmt.name} 会找不到它。请让两者一致。")
    if fmt.kind not in KINDS:
        yield f"{where('kind')}：kind = “{fmt.kind}”无法识别。应为“提案”、“建议”，或留空（两者均可）。"
    if fmt.role not in ROLES:
        yield f"{where('role')}：role = “{fmt.role}”无法识别。应为“主办”或“会办”。"
    for key, value in fmt.texts.items():
        for text in _strings(value):
            for name, near in unknown_fields(text):
                hint = f"是否要写 {{{near}}}？" if near else "可用的名称见 docs/templates.md。"
                yield (f"{where(key)}：texts.{key} 中的“{{{name}}}”不是可替换的名称，会原样出现在稿中。{hint}"
                       "如确需写花括号，请改用全角“｛｝”。")


def _template_problems(fmt: ReplyFormat) -> Iterator[str]:
    lines = fmt.template_path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if _TEXT_OUT.search(line):
            yield (f"{fmt.template_path} 第 {number} 行：写出了 .text，稿中只有文字而没有来源批注，"
                   "也不会列入 sources.json。请改为 {{ p }}。")
        numbered = _NUMBERED_LINE.match(line)
        if numbered and _TYPED_NUMBER.match(numbered.group(2)):
            yield (f"{fmt.template_path} 第 {number} 行：“::{numbered.group(1)}”后又写了编号，编号会写成两遍。"
                   "请删去手写的编号，编号由程序生成。")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []
