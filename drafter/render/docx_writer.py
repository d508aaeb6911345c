"""Typeset layout blocks into a GB/T 9704-style .docx, with source comments on pulled text."""
from __future__ import annotations

import pathlib
from datetime import datetime, timezone
from dataclasses import dataclass
from typing import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..models import SourceRef
from ..understand.flags import FLAG_NAMES
from .blocks import STYLES, LayoutBlock, Span
from .layout import Layout, balance_title, mm_to_twips

COMMENT_AUTHOR = "drafter"
COMMENT_INITIALS = "D"
COMMENT_SIZE_PT = 10.5


# Children of w:pPr that follow w:pBdr (ECMA-376 CT_PPr order), so a border lands in place.
_PBDR_SUCCESSORS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def _after(tag: str) -> tuple[str, ...]:
    """The w:pPr children that must follow `tag`."""
    return _PBDR_SUCCESSORS[_PBDR_SUCCESSORS.index(tag) + 1:]


# Children of w:rPr that follow w:spacing (CT_RPr order).
_SPACING_SUCCESSORS = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
# Children of w:sectPr that follow w:docGrid.
_DOCGRID_SUCCESSORS = ("w:printerSettings", "w:sectPrChange")


@dataclass(frozen=True)
class _Look:
    """How one block style is set: font, size, alignment and indents (indents in characters)."""

    font: str
    size_pt: float
    align: WD_ALIGN_PARAGRAPH
    first_line_chars: float = 0.0
    left_chars: float = 0.0
    right_chars: float = 0.0
    blank_line_after: bool = False
    rule_above_below: bool = False


def _looks(layout: Layout) -> dict[str, _Look]:
    """The look of every style in STYLES under this layout."""
    body, size, indent = layout.body_font, layout.body_size_pt, layout.first_line_indent_chars
    A = WD_ALIGN_PARAGRAPH
    # 版记 lines (抄送) are 4号 and kept one character in from both margins.
    cc_chars = layout.cc_size_pt / size
    return {
        "unit": _Look(body, size, A.LEFT),
        "category": _Look(body, size, A.RIGHT),
        "title": _Look(layout.title_font, layout.title_size_pt, A.CENTER, blank_line_after=True),
        "salutation": _Look(body, size, A.LEFT),
        "body": _Look(body, size, A.JUSTIFY, first_line_chars=indent),
        "h1": _Look(layout.h1_font, size, A.JUSTIFY, first_line_chars=indent),
        "h2": _Look(layout.h2_font, size, A.JUSTIFY, first_line_chars=indent),
        "item": _Look(layout.item_font_name, size, A.JUSTIFY, first_line_chars=indent),
        "subitem": _Look(layout.item_font_name, size, A.JUSTIFY, first_line_chars=indent),
        "signoff": _Look(body, size, A.LEFT, left_chars=layout.signoff_indent_chars),
        "signature": _Look(body, size, A.RIGHT, right_chars=layout.date_right_indent_chars),
        "date": _Look(body, size, A.RIGHT, right_chars=layout.date_right_indent_chars),
        # 附注 (此件公开发布) sits flush left, two characters in, as GB/T 9704 places it.
        "publicity": _Look(body, size, A.LEFT, first_line_chars=indent),
        "cc": _Look(body, layout.cc_size_pt, A.JUSTIFY, left_chars=cc_chars,
                    right_chars=cc_chars, rule_above_below=True),
    }


def write_docx(
    blocks: Sequence[LayoutBlock], path: pathlib.Path, layout: Layout, comments: bool = True
) -> None:
    """Write the blocks as a .docx at `path`; sourced spans get a comment when `comments`."""
    looks = _looks(layout)
    for block in blocks:
        if block.style not in looks:
            raise ValueError(f"unknown block style {block.style!r}; known: {', '.join(STYLES)}")
    doc = Document()
    doc.core_properties.author = COMMENT_AUTHOR
    doc.core_properties.last_modified_by = COMMENT_AUTHOR
    # The template's own dates are years old; a draft is created now.
    doc.core_properties.created = doc.core_properties.modified = datetime.now(timezone.utc)
    doc.core_properties.revision = 1
    doc.core_properties.comments = ""
    titles = [b.text for b in blocks if b.style == "title"]
    doc.core_properties.title = titles[0] if titles else ""
    _drop_template_thumbnail(doc)
    _set_defaults(doc, layout)
    if comments and any(s.sources or s.flags for b in blocks for s in b.spans):
        _add_comment_styles(doc)
    _set_page(doc.sections[0], layout)
    _set_page_numbers(doc, layout)
    for block in blocks:
        _write_block(doc, block, looks[block.style], layout, comments)
    doc.save(str(path))


# --- document-wide settings ---------------------------------------------------------------


def _set_defaults(doc: DocxDocument, layout: Layout) -> None:
    """Body font, size, zh-CN language and exact line spacing as the document defaults."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        # A theme attribute wins over the explicit font, so it has to go.
        fonts.attrib.pop(qn(attr), None)
    _set_font_attrs(fonts, layout.body_font, layout.latin_font)
    half_points = str(round(layout.body_size_pt * 2))
    rpr.find(qn("w:sz")).set(qn("w:val"), half_points)
    rpr.find(qn("w:szCs")).set(qn("w:val"), half_points)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = spacing.find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(layout.line_spacing_twips))
    spacing.set(qn("w:lineRule"), "exact")

    normal = doc.styles["Normal"]
    normal.font.name = layout.latin_font
    normal.font.size = Pt(layout.body_size_pt)
    _set_font_attrs(normal.element.get_or_add_rPr().get_or_add_rFonts(),
                    layout.body_font, layout.latin_font)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(layout.line_spacing_twips)
    fmt.space_before = fmt.space_after = Pt(0)

    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _drop_template_thumbnail(doc: DocxDocument) -> None:
    """python-docx's template carries a picture of a blank page; a file manager would show it."""
    rels = doc.part.package.rels
    for rId in [rId for rId, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rId]


def _add_comment_styles(doc: DocxDocument) -> None:
    """The 批注 styles the comments refer to, which python-docx's template lacks."""
    for ui_name, style_id, builtin_name, kind in (
        ("Comment Text", "CommentText", "annotation text", WD_STYLE_TYPE.PARAGRAPH),
        ("Comment Reference", "CommentReference", "annotation reference", WD_STYLE_TYPE.CHARACTER),
    ):
        style = doc.styles.add_style(ui_name, kind)
        style.element.styleId = style_id
        style.element.name_val = builtin_name
        style.font.size = Pt(COMMENT_SIZE_PT)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = doc.styles["Normal"]
            style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _set_page(section: Section, layout: Layout) -> None:
    """A4, GB/T 9704 margins and the 22 x 28 document grid."""
    section.page_width = Twips(mm_to_twips(layout.page_width_mm))
    section.page_height = Twips(mm_to_twips(layout.page_height_mm))
    section.top_margin = Twips(mm_to_twips(layout.margin_top_mm))
    section.bottom_margin = Twips(mm_to_twips(layout.margin_bottom_mm))
    section.left_margin = Twips(mm_to_twips(layout.margin_left_mm))
    section.right_margin = Twips(mm_to_twips(layout.margin_right_mm))
    section.header_distance = Twips(mm_to_twips(layout.header_distance_mm))
    section.footer_distance = Twips(mm_to_twips(layout.footer_distance_mm))
    section.gutter = Twips(0)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.insert_element_before(grid, *_DOCGRID_SUCCESSORS)
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(layout.line_pitch_twips))
    grid.set(qn("w:charSpace"), str(layout.char_space))


def _set_page_numbers(doc: DocxDocument, layout: Layout) -> None:
    """"— N —" in 宋体: right on odd pages, left on even pages, one character from the edge."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    one_char = Twips(round(layout.page_number_size_pt * 20))
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        para = footer.paragraphs[0]
        fmt = para.paragraph_format
        fmt.alignment = align
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.space_before = fmt.space_after = Pt(0)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = one_char
        else:
            fmt.left_indent = one_char
        _page_field(para, layout)


def _page_field(para: Paragraph, layout: Layout) -> None:
    """Append "— PAGE —" as a complex field, so every reader updates the number."""
    font, size = layout.page_number_font, layout.page_number_size_pt

    def run(text: str = "") -> Run:
        r = para.add_run(text)
        # The page number is 半角宋体 throughout, digits included.
        _style_run(r, font, size, latin_font=font)
        return r

    run("— ")
    run()._r.append(_fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run()._r.append(instr)
    run()._r.append(_fld_char("separate"))
    run("1")
    run()._r.append(_fld_char("end"))
    run(" —")


def _fld_char(kind: str) -> BaseOxmlElement:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    return el


# --- blocks -------------------------------------------------------------------------------


def _write_block(
    doc: DocxDocument, block: LayoutBlock, look: _Look, layout: Layout, comments: bool
) -> None:
    para = doc.add_paragraph()
    _format_paragraph(para, look, layout)
    condense = layout.condense_twentieths if look.size_pt == layout.body_size_pt else 0
    if block.number:
        run = para.add_run(block.number)
        _style_run(run, look.font, look.size_pt, layout.latin_font, condense)
    texts = [span.text for span in block.spans]
    if block.style == "title" and not block.number:
        texts = _with_breaks(texts, balance_title("".join(texts), layout))
    for span, text in zip(block.spans, texts):
        if not text:
            continue
        # "\n" becomes a w:br line break in python-docx.
        run = para.add_run(text)
        _style_run(run, look.font, look.size_pt, layout.latin_font, condense)
        if span.placeholder:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if comments and (span.sources or span.flags):
            comment = doc.add_comment(
                run, text=comment_text(span), author=COMMENT_AUTHOR, initials=COMMENT_INITIALS
            )
            for cpara in comment.paragraphs:
                for crun in cpara.runs:
                    _style_run(crun, layout.body_font, COMMENT_SIZE_PT, layout.latin_font)


def _with_breaks(texts: list[str], lines: list[str]) -> list[str]:
    """Put a newline into the span texts wherever one balanced line ends and the next starts."""
    ends, pos = set(), 0
    for line in lines[:-1]:
        pos += len(line)
        ends.add(pos)
    out, offset = [], 0
    for text in texts:
        out.append("".join(("\n" if offset + i in ends else "") + ch
                           for i, ch in enumerate(text)))
        offset += len(text)
    return out


def _format_paragraph(para: Paragraph, look: _Look, layout: Layout) -> None:
    fmt = para.paragraph_format
    fmt.alignment = look.align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(layout.line_spacing_twips)
    fmt.space_before = Pt(0)
    fmt.space_after = Twips(layout.line_spacing_twips if look.blank_line_after else 0)
    char = layout.body_char_twips
    if look.rule_above_below:
        _add_rules(para)
    # Off the character grid: LibreOffice breaks grid-snapped lines as if each 16 pt
    # character took two 15.79 pt cells (14 characters a line). Off the grid, body text is
    # condensed 0.3 pt instead and every reader sets 28 characters a line; the section
    # keeps the 22 x 28 grid so Word's page setup still shows it.
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    para._p.get_or_add_pPr().insert_element_before(snap, *_after("w:snapToGrid"))
    if look.first_line_chars:
        fmt.first_line_indent = Twips(round(look.first_line_chars * char))
    if look.left_chars:
        fmt.left_indent = Twips(round(look.left_chars * char))
    if look.right_chars:
        fmt.right_indent = Twips(round(look.right_chars * char))
    ind = para._p.get_or_add_pPr().get_or_add_ind()
    # Word and WPS measure *Chars indents against the grid, so they stay at two characters
    # even when a profile changes the font size; the twips are for readers without them.
    for attr, chars in (
        ("w:firstLineChars", look.first_line_chars),
        ("w:leftChars", look.left_chars),
        ("w:rightChars", look.right_chars),
    ):
        if chars:
            ind.set(qn(attr), str(round(chars * 100)))


def _add_rules(para: Paragraph) -> None:
    """Full-width rules above and below (the 版记 lines of GB/T 9704, 0.35 mm)."""
    ppr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for edge in ("w:top", "w:bottom"):
        line = OxmlElement(edge)
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "8")
        line.set(qn("w:space"), "1")
        line.set(qn("w:color"), "auto")
        borders.append(line)
    ppr.insert_element_before(borders, *_PBDR_SUCCESSORS)


def _style_run(
    run: Run, east_asian_font: str, size_pt: float, latin_font: str, condense: int = 0
) -> None:
    """Set the run's size and fonts: the CJK font in the eastAsia slot, Latin/digits apart.

    `condense` (twentieths of a point) narrows every character, see Layout.condense_twentieths.
    """
    run.font.size = Pt(size_pt)
    rpr = run._r.get_or_add_rPr()
    _set_font_attrs(rpr.get_or_add_rFonts(), east_asian_font, latin_font)
    if condense:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(-condense))
        rpr.insert_element_before(spacing, *_SPACING_SUCCESSORS)


def _set_font_attrs(fonts: BaseOxmlElement, east_asian_font: str, latin_font: str) -> None:
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin_font)
    fonts.set(qn("w:eastAsia"), east_asian_font)
    fonts.set(qn("w:hint"), "eastAsia")


# --- comments -----------------------------------------------------------------------------


def comment_text(span: Span) -> str:
    """The comment on a pulled span: one 来源 line per source, then one line per flag."""
    lines = [_source_line(s) for s in span.sources]
    for flag in dict.fromkeys(span.flags):
        lines.append(f"提示：{FLAG_NAMES.get(flag, flag)}")
    return "\n".join(lines)


def _source_line(source: SourceRef) -> str:
    where = f"{source.document} 第{source.paragraph}段"
    if not source.title:
        return f"来源：{where}"
    year = f"（{source.year}年）" if source.year else ""
    return f"来源：《{source.title}》{year}，{where}"
