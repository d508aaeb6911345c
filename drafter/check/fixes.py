"""Corrections that change no words: page setup, line pitch, fonts, sizes, indents, page numbers, numbers, dates."""
from __future__ import annotations

import copy

from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph

# The writer's own page setup and page numbers, so a fixed copy is set exactly as drafter sets a draft.
from ..render.docx_writer import _SPACING_SUCCESSORS, _set_page, _set_page_numbers

# Children of w:pPr in schema order (ECMA-376 CT_PPr), so an element added by a fix lands in place.
_PPR_ORDER = (
    "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def _after(tag: str) -> tuple[str, ...]:
    """The w:pPr children that must follow `tag`."""
    return _PPR_ORDER[_PPR_ORDER.index(tag) + 1:]
from .docmodel import CheckedDoc, Para
from .rules_layout import INDENTED_ROLES, expected_look, font_faults, heading_end, indent_ok
from ..render.template import chinese_number
from .rules_text import corrected_dates, expected_numbers, inline_renumbering, numbered


def apply_fixes(doc: CheckedDoc, codes: set[str]) -> None:
    """Fix every fixable fault named in `codes` on doc.document (in memory)."""
    layout = doc.profile.layout
    if codes & {"page-size", "page-margins", "chars-per-line", "line-pitch"}:
        for section in doc.document.sections:
            _set_page(section, layout)
        for p in doc.paragraphs:
            if p.text.strip() and p.role != "table":
                _set_measure(p, layout)
    if codes & {"font-body", "font-title", "font-h1", "font-h2", "font-size"}:
        _fix_looks(doc, layout)
    if "first-line-indent" in codes:
        for p in doc.body_like(*INDENTED_ROLES):
            if not indent_ok(p, layout):
                _indent(p, layout)
    if "page-numbers" in codes:
        _page_numbers(doc)
    edits: dict[int, list[tuple[int, int, str]]] = {}
    if codes & {"numbering-repeated", "numbering-skipped", "numbering-order"}:
        wanted = expected_numbers(doc)
        for p in numbered(doc):
            if not p.label.automatic and p.label.value != wanted[p.number]:
                written = p.label.written(wanted[p.number], p.text[p.label.start:p.label.end])
                edits.setdefault(p.number, []).append((p.label.start, p.label.end, written))
    if "numbering-inline" in codes:
        for p in doc.paragraphs:
            for start, end, _, wanted in inline_renumbering(p.text):
                edits.setdefault(p.number, []).append((start, end, chinese_number(wanted)))
    if "date-form" in codes:
        for p in doc.paragraphs:
            for start, end, _, right in corrected_dates(p.text):
                edits.setdefault(p.number, []).append((start, end, right))
    for number, changes in edits.items():
        for start, end, new in sorted(changes, reverse=True):
            replace_text(doc.paragraphs[number - 1], start, end, new)


def _set_measure(p: Para, layout) -> None:
    """Lines and characters as the writer sets them: exact line pitch, off the character grid (LibreOffice
    breaks grid-snapped 16 pt lines after 14 characters), body-size characters narrowed to 28 a line."""
    fmt = Paragraph(p.element, None).paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(layout.line_spacing_twips)
    ppr = p.element.get_or_add_pPr()
    snap = ppr.find(qn("w:snapToGrid"))
    if snap is None:
        snap = OxmlElement("w:snapToGrid")
        ppr.insert_element_before(snap, *_after("w:snapToGrid"))
    snap.set(qn("w:val"), "0")
    look = expected_look(p.role, layout)
    if look is None or look[1] != layout.body_size_pt or not layout.condense_twentieths:
        return
    for run in p.runs:
        if not run.text.strip():
            continue
        rpr = run.element.get_or_add_rPr()
        spacing = rpr.find(qn("w:spacing"))
        if spacing is None:
            spacing = OxmlElement("w:spacing")
            rpr.insert_element_before(spacing, *_SPACING_SUCCESSORS)
        spacing.set(qn("w:val"), str(-layout.condense_twentieths))


def _sets_own_look(doc: CheckedDoc, r) -> bool:
    chain = doc.styles.run_own_chain(r)
    fonts = [el.find(qn("w:rFonts")) for el in chain]
    own_font = any(f is not None and (f.get(qn("w:eastAsia")) or f.get(qn("w:eastAsiaTheme"))) for f in fonts)
    return own_font and any(el.find(qn("w:sz")) is not None for el in chain)


def _fix_looks(doc: CheckedDoc, layout) -> None:
    """Mend a wrong font or size where it comes from: in the paragraph style when every paragraph taking its look
    from that style wants the same one (as Word's 修改样式 would, so the draft stays styled), else on the runs."""
    wanted: dict[str, set] = {}
    for p in doc.paragraphs:
        if p.text.strip() and not all(_sets_own_look(doc, r.element) for r in p.runs if r.text.strip()):
            # A letterhead or table cell in the style, or a run-in heading (its style would also set the text
            # after it), keeps the style as it is: those paragraphs are mended on their runs.
            look = expected_look(p.role, layout) if heading_end(p) == len(p.text) else None
            wanted.setdefault(doc.styles.para_style(p.element), set()).add(look)
    mended = set()
    for p in doc.paragraphs:
        if not (p.text.strip() and any(font_faults(p, layout))):
            continue
        look = expected_look(p.role, layout)
        style_id = doc.styles.para_style(p.element)
        style = doc.styles.chain(style_id)[:1]
        if style and wanted.get(style_id) == {look}:
            if style_id not in mended:
                _set_rpr_look(style[0].get_or_add_rPr(), *look)
                mended.add(style_id)
            _set_look(p, *look, only_own=lambda r: _sets_some_look(doc, r))
        else:
            _set_look(p, *look)


def _sets_some_look(doc: CheckedDoc, r) -> bool:
    """A run that sets its font or size itself: a mended style does not reach it."""
    chain = doc.styles.run_own_chain(r)
    return any(el.find(qn("w:rFonts")) is not None or el.find(qn("w:sz")) is not None for el in chain)


def _set_rpr_look(rpr, font: str, size_pt: float) -> None:
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")
    rpr.sz_val = Pt(size_pt)
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is not None:
        size_cs.set(qn("w:val"), str(round(size_pt * 2)))


def _set_look(p: Para, font: str, size_pt: float, only_own=None) -> None:
    """Set the look on the runs (those `only_own` picks, when the style already carries it)."""
    end = heading_end(p)
    for run in list(p.runs):
        if run.start >= end or not run.text or (only_own is not None and not only_own(run.element)):
            continue
        r = run.element
        if run.start + len(run.text) > end:
            _split_run(r, end - run.start)
        _set_rpr_look(r.get_or_add_rPr(), font, size_pt)


def _split_run(r, at: int) -> None:
    """Cut a run of one text element in two at `at`, so a run-in heading and its body can differ."""
    texts = [c for c in r if c.tag not in (qn("w:rPr"),)]
    if len(texts) != 1 or texts[0].tag != qn("w:t") or not 0 < at < len(texts[0].text or ""):
        return
    tail = copy.deepcopy(r)
    whole = texts[0].text
    texts[0].text = whole[:at]
    tail_t = tail.find(qn("w:t"))
    tail_t.text = whole[at:]
    for t in (texts[0], tail_t):
        t.set(qn("xml:space"), "preserve")
    r.addnext(tail)


def _indent(p: Para, layout) -> None:
    ppr = p.element.get_or_add_pPr()
    ind = ppr.get_or_add_ind()
    for attr in ("w:hanging", "w:hangingChars"):
        ind.attrib.pop(qn(attr), None)
    size = next((r.size_pt for r in p.runs if r.size_pt), layout.body_size_pt)
    ind.set(qn("w:firstLine"), str(round(layout.first_line_indent_chars * size * 20)))
    ind.set(qn("w:firstLineChars"), str(round(layout.first_line_indent_chars * 100)))


def _page_numbers(doc: CheckedDoc) -> None:
    section = doc.document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        for child in list(footer._element):
            footer._element.remove(child)
        footer.add_paragraph()
    _set_page_numbers(doc.document, doc.profile.layout)


def replace_text(p: Para, start: int, end: int, new: str) -> None:
    """Replace the paragraph's characters [start, end) with `new`, keeping each run's formatting."""
    position, placed = 0, False
    for run in p.runs:
        for child in list(run.element):
            if child.tag == qn("w:t"):
                length = len(child.text or "")
            elif child.tag in (qn("w:tab"), qn("w:br"), qn("w:cr")):
                position += 1
                continue
            else:
                continue
            a, b = max(start, position), min(end, position + length)
            if a < b or (a == b == start and not placed and position <= start < position + length):
                text = child.text or ""
                child.text = text[:a - position] + ("" if placed else new) + text[b - position:]
                child.set(qn("xml:space"), "preserve")
                placed = True
            position += length

