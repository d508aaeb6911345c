"""Hand-made replies for the check tests: built with python-docx the way a clerk's Word would, not by drafter."""
from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from drafter.render.layout import Layout

# The model reply (../shared/seeds/002_815e39d867976d14.txt), shipped byte for byte in the sample corpus.
SEED = Path(__file__).resolve().parents[1] / "corpus" / "samples" / "002_815e39d867976d14.txt"


def seed_lines() -> list[str]:
    """The model reply, one paragraph a line, as it stands (its page-break splits and its 1, 2, 3, 4, 4)."""
    return [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def _east_asia(run_or_style_rpr, font: str) -> None:
    fonts = run_or_style_rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _page_field(paragraph, align) -> None:
    """"— PAGE —" as a simple field, the way older Word and WPS write it."""
    paragraph.alignment = align
    paragraph.add_run("— ").font.size = Pt(14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "28")
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —").font.size = Pt(14)


def gbt_reply(lines: list[str], path: Path, layout: Layout = Layout(), body_font: str | None = None,
              margins_mm: tuple[float, float, float, float] | None = None, page_numbers: bool = True,
              indent: bool = True, char_grid: bool = True) -> Path:
    """A reply typed in Word by hand: fonts set on the Normal style, a 22 x 28 document grid, typed numbers."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(layout.page_width_mm), Mm(layout.page_height_mm)
    top, bottom, left, right = margins_mm or (layout.margin_top_mm, layout.margin_bottom_mm,
                                             layout.margin_left_mm, layout.margin_right_mm)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    if char_grid:
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), "579")
        grid.set(qn("w:charSpace"), str(layout.char_space))
    else:  # Word's own default: a line grid only, so 16 pt characters fill 27 a line
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), "312")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = "Times New Roman"
    _east_asia(normal.element.get_or_add_rPr(), body_font or "仿宋_GB2312")
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28.95)
    normal.paragraph_format.space_after = Pt(0)
    title_seen = salutation_seen = False
    for line in lines:
        p = doc.add_paragraph()
        if not title_seen and line.startswith("关于"):
            title_seen = True
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(line)
            run.font.size = Pt(22)
            _east_asia(run._r.get_or_add_rPr(), "方正小标宋简体")
            continue
        run = p.add_run(line)
        if re.match(r"^[一二三四五六七八九十]+、", line):
            _east_asia(run._r.get_or_add_rPr(), "黑体")
        if not title_seen or (not salutation_seen and line.endswith("：")):
            salutation_seen = salutation_seen or title_seen
            continue
        if re.match(r"^(负责人|承\s*办\s*人|联系\s*电\s*话)", line) or re.match(r"^\d{4}年", line):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            continue
        if indent:
            p.paragraph_format.first_line_indent = Twips(640)
    if page_numbers:
        doc.settings.odd_and_even_pages_header_footer = True
        _page_field(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_field(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    doc.save(str(path))
    return path
