"""Typeset layout blocks into a GB/T 9704-style .docx, with source comments on pulled text."""
from __future__ import annotations

import pathlib
from typing import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
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
from .layout import Layout, balance_title, mm_to_twips, text_width_chars
from .package import add_copy_to, clean_package
from .styles import BODY_STYLE_ID, LEVELS, install_styles, numbered, style_specs
from .typography import RELATIVE_TIME_FLAG, RELATIVE_TIME_NOTE, relative_time_pieces

COMMENT_AUTHOR = "drafter"
COMMENT_INITIALS = "D"
COMMENT_SIZE_PT = 10.5
_FLAG_NOTES = {**FLAG_NAMES, RELATIVE_TIME_FLAG: RELATIVE_TIME_NOTE}
STANDING_NOTE = "格式固定用语：本句是答复格式中的标准表述，不是资料库中的材料，请按实际情况核改。"


# Children of w:rPr that follow w:spacing (CT_RPr order).
_SPACING_SUCCESSORS = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
# Children of w:sectPr that follow w:docGrid.
_DOCGRID_SUCCESSORS = ("w:printerSettings", "w:sectPrChange")


def write_docx(
    blocks: Sequence[LayoutBlock], path: pathlib.Path, layout: Layout, comments: bool = True
) -> None:
    """Write the blocks as a .docx at `path`; sourced spans get a comment when `comments`."""
    for block in blocks:
        if block.style not in STYLES:
            raise ValueError(f"未知的段落样式“{block.style}”；可用的样式：{'、'.join(STYLES)}")
    doc = Document()
    _set_defaults(doc, layout)
    install_styles(doc, layout)
    if comments and any(s.sources or s.flags or s.standing for b in blocks for s in b.spans):
        _add_comment_styles(doc)
    _set_page(doc.sections[0], layout)
    _set_page_numbers(doc, layout)
    specs = style_specs(layout)
    dates = [b.text for b in blocks if b.style == "date"]
    for block in blocks:
        if block.style == "cc":
            add_copy_to(doc, block.text, layout)
            continue
        para = _write_block(doc, block, layout, comments)
        if block.style == "signature" and dates:
            _centre_over_date(para, block.text, dates[0], specs["date"].right_chars, layout)
    signer = next((b.text for b in blocks if b.style in ("signature", "unit")), "")
    titles = [b.text for b in blocks if b.style == "title"]
    clean_package(doc, title=titles[0] if titles else "", author=signer)
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

    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


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


def _write_block(doc: DocxDocument, block: LayoutBlock, layout: Layout, comments: bool) -> Paragraph:
    """One paragraph in its named style; runs carry nothing but a highlight, and numbers are the list's."""
    para = doc.add_paragraph()
    # The style by its id: python-docx finds a style given by name by walking every style, twice.
    style_id = style_specs(layout)[block.style].style_id
    para._p.get_or_add_pPr()
    if style_id != BODY_STYLE_ID:
        para._p.style = style_id
    if block.style in LEVELS:
        numbered(para._p, block.style)
    texts = [span.text for span in block.spans]
    if block.style == "title":
        texts = _with_breaks(texts, balance_title("".join(texts), layout))
    for span, text in zip(block.spans, texts):
        if not text:
            continue
        # "\n" becomes a w:br line break in python-docx. Relative time words in older material are
        # highlighted on their own, so the clerk sees which words to check.
        pieces = relative_time_pieces(text) if RELATIVE_TIME_FLAG in span.flags else [(text, False)]
        runs = []
        for piece, relative in pieces:
            run = para.add_run(piece)
            if span.placeholder:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            elif relative:
                run.font.highlight_color = WD_COLOR_INDEX.TURQUOISE
            runs.append(run)
        if comments and (span.sources or span.flags or span.standing):
            comment = doc.add_comment(
                runs, text=comment_text(span), author=COMMENT_AUTHOR, initials=COMMENT_INITIALS
            )
            for cpara in comment.paragraphs:
                for crun in cpara.runs:
                    _style_run(crun, layout.body_font, COMMENT_SIZE_PT, layout.latin_font)
    return para


def _centre_over_date(para: Paragraph, unit: str, date: str, date_right_chars: float, layout: Layout) -> None:
    """GB/T 9704 §7.3.5: the unit's name centred over the date, the date 4 characters in from the right."""
    offset = (text_width_chars(date) - text_width_chars(unit)) / 2
    right = max(0.0, date_right_chars + offset)
    char = layout.body_char_twips
    para.paragraph_format.right_indent = Twips(round(right * char))
    para._p.get_or_add_pPr().get_or_add_ind().set(qn("w:rightChars"), str(round(right * 100)))


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
    if span.standing:
        lines.append(STANDING_NOTE)
    for flag in dict.fromkeys(span.flags):
        lines.append(f"提示：{_FLAG_NOTES.get(flag, flag)}")
    return "\n".join(lines)


def _source_line(source: SourceRef) -> str:
    where = f"{source.document} 第{source.paragraph}段"
    if not source.title:
        return f"来源：{where}"
    year = f"（{source.year}年）" if source.year else ""
    return f"来源：《{source.title}》{year}，{where}"
