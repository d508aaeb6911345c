"""Reader for Word files (.docx): body paragraphs and tables in order, headings from styles and looks."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from drafter.errors import ReadError
from drafter.models import ReadDocument
from drafter.read.clean import ends_sentence, normalise
from drafter.read.paragraphs import Line
from drafter.read.structure import build

CORRUPT_MESSAGE = "文件已损坏，无法作为 Word 文档打开"
CORRUPT_HINT = "请用 Word 或 WPS 打开后另存为 .docx 再导入"
OLD_DOC_MESSAGE = "这是旧版 Word（.doc）或 WPS 文件，只是扩展名写成了 .docx"
OLD_DOC_HINT = "请用 Word 或 WPS 打开后“另存为” .docx 格式再导入"
BOMB_MESSAGE = "文件解压后过大，不像正常的 Word 文档，已拒绝读取"
BOMB_HINT = "请确认文件来源可靠；如确是正常文档，请用 Word 或 WPS 打开后另存为 .docx 再导入"

# A real reply or report is a few megabytes unpacked even with pictures; anything far beyond is hostile.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)?$", re.I)
_SHORT_HEADING = 30


def check_package(data: bytes) -> None:
    """Refuse what is not a .docx package, or what would unpack to an absurd size (a zip bomb)."""
    if data.startswith(_OLE_MAGIC):
        raise ReadError(OLD_DOC_MESSAGE, OLD_DOC_HINT)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ReadError(CORRUPT_MESSAGE, CORRUPT_HINT) from exc
    # zipfile never inflates a member past its declared size, so the declared sizes are a safe bound.
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ReadError(BOMB_MESSAGE, BOMB_HINT)
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        raise ReadError(CORRUPT_MESSAGE, CORRUPT_HINT)


def _style_chain(paragraph) -> list:
    chain, style, seen = [], paragraph.style, 0
    while style is not None and seen < 10:
        chain.append(style)
        style, seen = style.base_style, seen + 1
    return chain


def _style_heading(paragraph) -> tuple[bool, int | None, bool]:
    """(is heading, level, is title) from the paragraph's style or outline level."""
    for style in _style_chain(paragraph):
        name = (style.name or "").strip()
        if name.lower() in ("title", "标题"):
            return False, None, True
        match = _HEADING_STYLE.match(name)
        if match:
            return True, int(match.group(1) or 1), False
    outline = paragraph._p.find(f"{_W}pPr/{_W}outlineLvl")
    if outline is not None:
        level = int(outline.get(f"{_W}val", "9"))
        if level < 9:
            return True, level + 1, False
    return False, None, False


def _looks(paragraph) -> tuple[bool, bool]:
    """(centred, bold): how the paragraph is set, from its own format or its style's."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    align = paragraph.alignment
    if align is None:
        for style in _style_chain(paragraph):
            align = style.paragraph_format.alignment
            if align is not None:
                break
    runs = [r for r in paragraph.runs if r.text.strip()]
    style_bold = any(s.font.bold for s in _style_chain(paragraph))
    bold = bool(runs) and all(r.bold or (r.bold is None and style_bold) for r in runs)
    return align == WD_ALIGN_PARAGRAPH.CENTER, bold


def _paragraph_lines(paragraph, title_seen: bool) -> tuple[list[Line], bool]:
    text = paragraph.text
    if not normalise(text):
        return [Line("")], title_seen
    heading, level, title = _style_heading(paragraph)
    if not heading and not title:
        centred, bold = _looks(paragraph)
        short = len(normalise(text)) <= _SHORT_HEADING and not ends_sentence(normalise(text)) and "\n" not in text
        # A centred or bold short line is a heading; the first of them may still be taken as the title.
        heading = short and (centred or bold)
    if title and title_seen:
        title, heading, level = False, True, 1
    if heading or title:
        return [Line(" ".join(text.split("\n")), heading=True if heading else None, level=level, title=title),
                Line("")], title_seen or title
    # Soft line breaks inside a paragraph are lines the mender may join again.
    return [Line(part, heading=False) for part in text.split("\n")] + [Line("")], title_seen


def _row_text(cells: list[str], header: list[str] | None) -> str:
    if header and len(header) == len(cells) and len(cells) > 1:
        label = cells[0]
        pairs = [f"{h}{c}" if h.endswith(("：", ":")) else f"{h} {c}" for h, c in zip(header[1:], cells[1:]) if c]
        return f"{label}：" + "；".join(pairs) if label else "；".join(pairs)
    return "；".join(c for c in cells if c)


def _table_lines(table) -> list[Line]:
    """One line per row; when the first row is a header, each cell is labelled with its column."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = normalise(" ".join(cell.text.split("\n")))
            if not cells or text != cells[-1]:  # a merged cell repeats itself across the columns it spans
                cells.append(text)
        if any(cells):
            rows.append(cells)
    header = None
    if len(rows) >= 2 and all(c and len(c) <= 12 and not ends_sentence(c) for c in rows[0]) \
            and len(rows[0]) == len(rows[1]):
        header = rows.pop(0)
    return [Line(_row_text(cells, header), table=True) for cells in rows] + [Line("")]


def read_docx(path: Path, data: bytes) -> ReadDocument:
    """Read the document body in order; headers, footers and comments are left out."""
    check_package(data)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        lines: list[Line] = []
        title_seen = False
        for element in _body_elements(document.element.body):
            if element.tag == f"{_W}p":
                found, title_seen = _paragraph_lines(Paragraph(element, document), title_seen)
                lines.extend(found)
            elif element.tag == f"{_W}tbl":
                lines.extend(_table_lines(Table(element, document)))
    except ReadError:
        raise
    except Exception as exc:  # python-docx and lxml raise many types on a broken package
        raise ReadError(CORRUPT_MESSAGE, CORRUPT_HINT) from exc
    return build(lines, fallback_title=path.stem, default_kind=None, guess_headings=False)


def _body_elements(body):
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for element in body.iterchildren():
        if element.tag == f"{_W}sdt":
            content = element.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_elements(content)
        elif element.tag in (f"{_W}p", f"{_W}tbl"):
            yield element
