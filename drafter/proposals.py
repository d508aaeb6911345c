"""Proposals: the register of proposals and suggestions, imported from the CSV a 提案委 hands out."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .errors import ProposalError
from .models import Proposal

# Each field with the headers that may carry it: Chinese first, then the English twin.
HEADERS = {
    "id": ("案号", "id"),
    "title": ("案由", "title"),
    "proposer": ("第一提案人", "提案人", "第一建议人", "建议人", "代表", "proposer"),
    "session": ("届次", "session"),
    "category": ("答复类别", "类别", "category"),
    "kind": ("类型", "kind"),
    "text": ("提案内容", "建议内容", "内容", "text"),
    "role": ("办理方式", "承办方式", "role"),
}
REQUIRED = ("id", "title", "proposer")


ENCODING_HINT = "请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”后重新导入。"


def decode(data: bytes, path: Path) -> str:
    # UTF-16 (Excel's "Unicode 文本") is full of NUL bytes, which GB18030 would happily turn into nonsense.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise ProposalError(f"提案目录 {path} 是 UTF-16（Unicode 文本）编码或不是文本文件，无法读取。", ENCODING_HINT)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Old Mac and some exporters end lines with CR alone, which the csv module refuses unquoted.
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise ProposalError(f"提案目录 {path} 既不是 UTF-8 也不是 GB18030 编码。", ENCODING_HINT)


def read_proposals(path: Path) -> list[Proposal]:
    """Proposals from a CSV; a problem is reported with its line number and what to fix."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ProposalError(f"无法读取提案目录：{path}（{e.strerror}）", "请检查文件路径。") from e
    text = decode(data, path)
    try:
        return _parse(text, path, utf8=_utf8_or_none(data) is not None)
    except csv.Error as e:
        raise ProposalError(f"提案目录 {path} 不是有效的 CSV 文件（{e}）。", ENCODING_HINT) from e


def _utf8_or_none(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _parse(text: str, path: Path, utf8: bool) -> list[Proposal]:
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if not header:
        raise ProposalError(f"提案目录 {path} 是空的。", "第一行应为表头：案号,案由,第一提案人,届次,答复类别。")
    header = [h.strip() for h in header]
    columns = {}
    for field_name, names in HEADERS.items():
        for name in names:
            if name in header:
                columns[field_name] = header.index(name)
                break
    missing = [HEADERS[f][0] for f in REQUIRED if f not in columns]
    if missing:
        garbled = "" if utf8 else "如果上面的表头是乱码，说明文件编码不对：" + ENCODING_HINT
        raise ProposalError(f"提案目录 {path} 缺少列：{'、'.join(missing)}（表头是：{'，'.join(header)}）。",
                            "表头应包含 案号、案由、第一提案人（或 提案人），可选 届次、答复类别、类型（提案/建议）、办理方式（主办/会办）、提案内容。"
                            + garbled)
    proposals, seen = [], {}
    for row in rows:
        line_no = rows.line_num  # the file's own line, even after a cell that spans lines
        if not any(cell.strip() for cell in row):
            continue
        value = {f: (row[i].strip() if i < len(row) else "") for f, i in columns.items()}
        for f in REQUIRED:
            if not value.get(f):
                raise ProposalError(f"提案目录 {path} 第 {line_no} 行缺少“{HEADERS[f][0]}”。", "请补全后重新导入；未导入任何提案。")
        if value["id"] in seen:
            raise ProposalError(f"提案目录 {path} 第 {line_no} 行的案号 {value['id']} 与第 {seen[value['id']]} 行重复。",
                                "请删除或更正重复的行后重新导入；未导入任何提案。")
        seen[value["id"]] = line_no
        kind = value.get("kind") or "提案"
        if kind not in ("提案", "建议"):
            raise ProposalError(f"提案目录 {path} 第 {line_no} 行的类型“{kind}”无法识别。", "类型应为“提案”或“建议”。")
        role = value.get("role") or "主办"
        if role not in ("主办", "会办"):
            raise ProposalError(f"提案目录 {path} 第 {line_no} 行的办理方式“{role}”无法识别。", "办理方式应为“主办”或“会办”。")
        proposals.append(Proposal(value["id"], value["title"], value["proposer"], value.get("session", ""),
                                  value.get("category", ""), kind, role, value.get("text", "")))
    if not proposals:
        raise ProposalError(f"提案目录 {path} 中没有提案。", "表头下面每行一件提案。")
    return proposals


# Where a proposal's text numbers its suggestions: 一是… 二是…, （一）…, 1. … (not 4.7万).
_SUGGESTION_MARK = re.compile(r"[一二三四五六七八九十]{1,3}是|[（(][一二三四五六七八九十0-9]{1,3}[）)]|(?<![0-9.．])[0-9]{1,2}[.．、](?![0-9])")
_SUGGESTION_START = re.compile(r"(?:建议|提出如下建议|建议如下)[：:]")


def suggestions(text: str) -> list[str]:
    """The numbered suggestions of a proposal's own text, in order ("一是加强县级智慧城市顶层设计" …);
    none when the text does not number them."""
    start = _SUGGESTION_START.search(text or "")
    body = (text or "")[start.end():] if start else (text or "")
    marks = list(_SUGGESTION_MARK.finditer(body))
    if len(marks) < 2:
        return []
    found = []
    for mark, following in zip(marks, marks[1:] + [None]):
        piece = body[mark.end():following.start() if following else len(body)]
        piece = piece.strip(" \t\n；;。，,")
        if len(re.findall(r"[\u4e00-\u9fff]", piece)) >= 4:
            found.append(piece)
    return found
