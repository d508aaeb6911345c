"""Reader for Word files (.docx): body paragraphs and tables in order, headings from styles and looks."""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Iterator

from lxml import etree

from drafter.errors import ReadError
from drafter.models import ParsedDocument
from drafter.read.clean import ends_sentence, normalise
from drafter.read.docx_package import (
    _ABSENT,
    _BR,
    _P,
    _R,
    _RUN_TEXT,
    _T,
    _TBL,
    _TC,
    _TR,
    _W,
    CORRUPT_HINT,
    CORRUPT_MESSAGE,
    MalformedDocx,
    _alignment,
    _on_off,
    _open,
    _Style,
    _val,
    check_package,
)
from drafter.read.paragraphs import Line
from drafter.read.structure import build

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)?$", re.IGNORECASE)
_SHORT_HEADING = 30


def _t_text(t) -> str:
    """A w:t's text. An entity reference (left unresolved: a DTD's entities could expand without bound) is
    a child node: the text after it is that node's tail, not the element's text."""
    text = t.text or ""
    return text + "".join(child.tail or "" for child in t) if len(t) else text


def _run_text(run) -> str:
    """A run's text as python-docx's Run.text: tabs, hyphens and line breaks (a page or column break is none)."""
    return "".join(_RUN_TEXT[e.tag] if e.tag != _T else _t_text(e) for e in run.iterchildren(*_RUN_TEXT)
                   if e.tag != _BR or e.get(f"{_W}type", "textWrapping") == "textWrapping")


def _paragraph_text(paragraph) -> str:
    """Runs and hyperlinked runs directly in the paragraph, as python-docx's Paragraph.text."""
    return "".join(_run_text(e) if e.tag == _R else "".join(_run_text(r) for r in e.iterchildren(_R))
                   for e in paragraph.iterchildren(_R, f"{_W}hyperlink"))


def _style_chain(paragraph, styles) -> list[_Style]:
    style_id = _val(paragraph, "pPr/pStyle")
    if style_id is None:
        raise MalformedDocx("w:pStyle without w:val")
    return styles().chain(None if style_id is _ABSENT else style_id)


def _style_heading(paragraph, styles) -> tuple[bool, int | None, bool]:
    """(is heading, level, is title) from the paragraph's style or outline level."""
    for style in _style_chain(paragraph, styles):
        if style.name is None:
            raise MalformedDocx("w:name without w:val")
        name = "" if style.name is _ABSENT else style.name.strip()
        if name.lower() in ("title", "标题"):
            return False, None, True
        match = _HEADING_STYLE.match(name)
        if match:
            return True, int(match.group(1) or 1), False
    outline = paragraph.find(f"{_W}pPr/{_W}outlineLvl")
    if outline is not None:
        level = int(outline.get(f"{_W}val", "9"))
        if level < 9:
            return True, level + 1, False
    return False, None, False


def _looks(paragraph, styles) -> tuple[bool, bool]:
    """(centred, bold): how the paragraph is set, from its own format or its style's."""
    chain = _style_chain(paragraph, styles)
    align = _alignment(_val(paragraph, "pPr/jc"))
    if align is None:
        for style in chain:
            if style.kind == "character":  # python-docx gives a character style no paragraph format
                raise MalformedDocx("paragraph style based on a character style")
            align = _alignment(style.jc)
            if align is not None:
                break
    runs = [r for r in paragraph.iterchildren(_R) if _run_text(r).strip()]
    style_bold = any(_on_off(s.bold) for s in chain)
    bold = bool(runs) and all(_on_off(_val(r, "rPr/b")) or (_on_off(_val(r, "rPr/b")) is None and style_bold)
                              for r in runs)
    return align == "center", bold


def _paragraph_lines(paragraph, styles, title_seen: bool) -> tuple[list[Line], bool]:
    text = _paragraph_text(paragraph)
    if not normalise(text):
        return [Line("")], title_seen
    heading, level, title = _style_heading(paragraph, styles)
    if not heading and not title:
        centred, bold = _looks(paragraph, styles)
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


def _grid(element, path: str, default: int) -> int:
    value = _val(element, path)
    return default if value is _ABSENT else int(value)


def _shown_rows(table) -> Iterator[list]:
    """Each row's w:tc elements as they show in the layout grid, as python-docx's _Row.cells: a cell
    spanning columns once per column, a vertically merged cell as the cell it continues.

    One pass, row by row, remembering where each cell of the row above starts in the grid: looking up
    the chain of merged cells from every cell was quadratic in the rows (and a column merged over a
    thousand rows ran out of recursion). A continuation with no cell above to continue (python-docx
    refuses it, Word and LibreOffice show it as a cell of its own) is read as a cell of its own."""
    above: dict[int, list] = {}  # grid column where a cell of the previous row starts -> its shown cells
    for row in table.iterchildren(_TR):
        here: dict[int, list] = {}
        shown_row: list = []
        column = _grid(row, "trPr/gridBefore", 0)
        for tc in row.iterchildren(_TC):
            span = _grid(tc, "tcPr/gridSpan", 1)
            merge = _val(tc, "tcPr/vMerge")
            continued = merge is not _ABSENT and merge in (None, "continue")
            shown = above[column] if continued and column in above else [tc] * span
            here[column] = shown
            shown_row.extend(shown)
            column += span
        above = here
        yield shown_row


def _table_lines(table) -> list[Line]:
    """One line per row; when the first row is a header, each cell is labelled with its column."""
    rows: list[list[str]] = []
    texts: dict[object, str] = {}  # a cell merged over many rows is read once
    for shown_row in _shown_rows(table):
        cells: list[str] = []
        for cell in shown_row:
            if cell not in texts:
                texts[cell] = normalise(" ".join("\n".join(_paragraph_text(p) for p in cell.iterchildren(_P))
                                                 .split("\n")))
            text = texts[cell]
            if not cells or text != cells[-1]:  # a merged cell repeats itself across the columns it spans
                cells.append(text)
        if any(cells):
            rows.append(cells)
    header = None
    if len(rows) >= 2 and all(c and len(c) <= 12 and not ends_sentence(c) for c in rows[0]) \
            and len(rows[0]) == len(rows[1]):
        header = rows.pop(0)
    return [Line(_row_text(cells, header), table=True) for cells in rows] + [Line("")]


def read_docx(path: Path, data: bytes) -> ParsedDocument:
    """Read the document body in order; headers, footers and comments are left out."""
    check_package(data)
    try:
        body, styles = _open(data)
        lines: list[Line] = []
        title_seen = False
        for element in _body_elements(body):
            if element.tag == _P:
                found, title_seen = _paragraph_lines(element, styles, title_seen)
                lines.extend(found)
            elif element.tag == _TBL:
                lines.extend(_table_lines(element))
    # A broken package: a damaged zip (zipfile, zlib), a missing part or attribute (KeyError, TypeError,
    # AttributeError on what is None), XML that is not (lxml), a number that is not (ValueError).
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, KeyError, TypeError, AttributeError,
            ValueError, IndexError, RecursionError, etree.LxmlError) as exc:
        raise ReadError(CORRUPT_MESSAGE, CORRUPT_HINT) from exc
    return build(lines, fallback_title=path.stem, guess_headings=False)


def _body_elements(body):
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for element in body.iterchildren():
        if element.tag == f"{_W}sdt":
            content = element.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_elements(content)
        elif element.tag in (_P, _TBL):
            yield element
