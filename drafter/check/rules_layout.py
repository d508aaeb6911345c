"""Layout checks against the profile's Layout: page, margins, line pitch, characters a line, fonts, indents, page numbers."""
from __future__ import annotations

import math
import re

from docx.oxml.ns import qn

from ..render.layout import Layout
from .docmodel import CheckedDoc, Para, has_cjk, run_text, runs_of, squeeze
from .findings import ERROR, WARNING, Finding, excerpt

MM_TOLERANCE = 1.0
PT_TOLERANCE = 0.5
# Paragraphs set in the body's measure; the header (unit, category) is the office's own letterhead.
BODY_ROLES = ("body", "salutation", "h1", "h2", "item", "subitem", "signoff", "signature", "date", "publicity")
INDENTED_ROLES = ("body", "h1", "h2", "item", "subitem")
_FONT_ALIASES = {"fangsong": "仿宋", "simhei": "黑体", "kaiti": "楷体", "simsun": "宋体", "nsimsun": "宋体"}
_PAGE_NUMBER = re.compile(r"^[—―]\d+[—―]$")


def font_family(name: str) -> str:
    """仿宋_GB2312, 方正仿宋_GBK, FangSong → 仿宋: the face the standard names, whatever the vendor's cut."""
    n = name.strip().lower().replace(" ", "")
    for alias, cjk in _FONT_ALIASES.items():
        if n.startswith(alias):
            n = cjk + n[len(alias):]
    for prefix in ("方正", "华文"):
        n = n.removeprefix(prefix)
    for suffix in ("_gb2312", "gb2312", "_gbk", "gbk", "简体", "_简", "简", "-", "_"):
        n = n.removesuffix(suffix)
    return n


def check_layout(doc: CheckedDoc) -> list[Finding]:
    layout = doc.profile.layout
    found = _page(doc, layout)
    found += _line_pitch(doc, layout)
    found += _chars_per_line(doc, layout)
    found += _fonts(doc, layout)
    found += _indents(doc, layout)
    found += _page_numbers(doc, layout)
    return found


def group(code: str, severity: str, paras: list[Para], message: str, fix: str, fixable: bool) -> list[Finding]:
    """One finding for every paragraph with the same fault, placed at the first of them."""
    if not paras:
        return []
    numbers = tuple(p.number for p in paras)
    shown = "、".join(str(n) for n in numbers[:10]) + ("…" if len(numbers) > 10 else "")
    where = f"（共{len(numbers)}段：第{shown}段）" if len(numbers) > 1 else ""
    return [Finding(code, severity, paras[0].number, excerpt(paras[0].shown), message + where, fix, fixable, numbers)]


# --- page -------------------------------------------------------------------------------------------

def _mm(length) -> float | None:
    return None if length is None else length.mm


def _page(doc: CheckedDoc, layout: Layout) -> list[Finding]:
    found = []
    for section in doc.document.sections:
        w, h = _mm(section.page_width), _mm(section.page_height)
        if w is None or h is None or abs(w - layout.page_width_mm) > MM_TOLERANCE \
                or abs(h - layout.page_height_mm) > MM_TOLERANCE:
            found.append(Finding("page-size", ERROR, None, "", f"纸张为 {w or 0:.0f} × {h or 0:.0f} mm，应为 A4"
                                 f"（{layout.page_width_mm:g} × {layout.page_height_mm:g} mm）。",
                                 "在“布局—纸张大小”中选 A4；或用 drafter check --fix 修正。", True))
        wrong = []
        for name, actual, wanted in (("上", section.top_margin, layout.margin_top_mm),
                                     ("下", section.bottom_margin, layout.margin_bottom_mm),
                                     ("左", section.left_margin, layout.margin_left_mm),
                                     ("右", section.right_margin, layout.margin_right_mm)):
            mm = _mm(actual)
            if mm is None or abs(mm - wanted) > MM_TOLERANCE:
                wrong.append(f"{name} {mm or 0:.1f} mm（应为 {wanted:g} mm）")
        if wrong and w and h:
            block_w = w - (_mm(section.left_margin) or 0) - (_mm(section.right_margin) or 0)
            block_h = h - (_mm(section.top_margin) or 0) - (_mm(section.bottom_margin) or 0)
            found.append(Finding("page-margins", ERROR, None, "", f"页边距不合公文格式：{'，'.join(wrong)}；"
                                 f"版心为 {block_w:.0f} × {block_h:.0f} mm，应为 {layout.text_width_mm:g} × "
                                 f"{layout.text_height_mm:g} mm。",
                                 "在“布局—页边距—自定义边距”中按上述数值设置；或用 drafter check --fix 修正。", True))
        if found:
            break  # one section's page setup speaks for a letter; the rest usually copy it
    return found


def _grid(doc: CheckedDoc) -> tuple[str, int | None, int]:
    grid = doc.document.sections[-1]._sectPr.find(qn("w:docGrid"))
    if grid is None:
        return "default", None, 0
    pitch, space = grid.get(qn("w:linePitch")), grid.get(qn("w:charSpace"))
    return grid.get(qn("w:type")) or "default", int(pitch) if pitch else None, int(space) if space else 0


def _snaps(p: Para) -> bool:
    return p.props.get("snapToGrid") not in ("0", "false", "off")


def _line_pitch(doc: CheckedDoc, layout: Layout) -> list[Finding]:
    grid_type, grid_pitch, _ = _grid(doc)
    wanted = layout.line_spacing_twips
    bad = []
    for p in doc.body_like(*BODY_ROLES, "title"):
        rule, line = p.props.get("lineRule"), p.props.get("line")
        exact = rule == "exact" and line is not None and abs(int(line) - wanted) <= PT_TOLERANCE * 20
        on_grid = (rule in (None, "auto") and line in (None, "240") and _snaps(p)
                   and grid_type in ("lines", "linesAndChars", "snapToChars") and grid_pitch is not None
                   and abs(grid_pitch - layout.line_pitch_twips) <= PT_TOLERANCE * 20)
        if not (exact or on_grid):
            bad.append(p)
    return group("line-pitch", WARNING, bad, f"行距不是固定值 {layout.line_spacing_pt:g} 磅"
                 f"（每页 {layout.lines_per_page} 行），也未对齐到同样行距的文档网格。",
                 f"选中正文，在“段落—行距”中选“固定值”“{layout.line_spacing_pt:g} 磅”；或用 drafter check --fix 修正。",
                 True)


def text_width_pt(doc: CheckedDoc) -> float:
    section = doc.document.sections[-1]
    return sum(x.pt * sign for x, sign in ((section.page_width, 1), (section.left_margin, -1),
                                          (section.right_margin, -1)) if x is not None)


def _chars_per_line(doc: CheckedDoc, layout: Layout) -> list[Finding]:
    grid_type, _, char_space = _grid(doc)
    width = text_width_pt(doc)
    bad, counts = [], set()
    for p in doc.body_like("body", "item", "subitem"):
        run = next((r for r in p.runs if has_cjk(r.text) and r.size_pt), None)
        if run is None:
            continue
        if _snaps(p) and grid_type in ("linesAndChars", "snapToChars"):
            pitch = run.size_pt + char_space / 4096
        else:
            pitch = run.size_pt + run.spacing_pt
        chars = math.floor(width / pitch + 0.02) if pitch > 0 else 0
        if chars != layout.chars_per_line:
            bad.append(p)
            counts.add(chars)
    shown = "、".join(str(c) for c in sorted(counts))
    return group("chars-per-line", WARNING, bad, f"每行排 {shown} 字，应为 {layout.chars_per_line} 字。",
                 f"在“布局—页面设置—文档网格”中选“指定行和字符网格”，每行 {layout.chars_per_line} 字；"
                 "或用 drafter check --fix 修正。", True)


# --- fonts, sizes, indents ------------------------------------------------------------------------

def expected_look(role: str, layout: Layout) -> tuple[str, float] | None:
    """The CJK font and size a paragraph of this role is set in."""
    return {"title": (layout.title_font, layout.title_size_pt), "h1": (layout.h1_font, layout.body_size_pt),
            "h2": (layout.h2_font, layout.body_size_pt), "item": (layout.item_font_name, layout.body_size_pt),
            "subitem": (layout.item_font_name, layout.body_size_pt),
            "cc": (layout.body_font, layout.cc_size_pt), "printed": (layout.body_font, layout.cc_size_pt),
            }.get(role, (layout.body_font, layout.body_size_pt) if role in BODY_ROLES else None)


def heading_end(p: Para) -> int:
    """Where a run-in heading ends ("一、工作进展。正文…"): its own font covers only that part."""
    if p.role not in ("h1", "h2"):
        return len(p.text)
    stop = p.text.find("。")
    return len(p.text) if stop < 0 else stop + 1


def font_faults(p: Para, layout: Layout) -> tuple[bool, bool]:
    """(wrong CJK font, wrong size) for a paragraph's runs against its role's look."""
    look = expected_look(p.role, layout)
    if look is None:
        return False, False
    font, size = look
    end = heading_end(p)
    wrong_font = wrong_size = False
    for r in p.runs:
        if r.start >= end or not r.text.strip():
            continue
        if has_cjk(r.text) and font_family(r.east_asia) != font_family(font):
            wrong_font = True
        if r.size_pt is None or abs(r.size_pt - size) > PT_TOLERANCE:
            wrong_size = True
    return wrong_font, wrong_size


_FONT_CODES = {"title": ("font-title", "标题"), "h1": ("font-h1", "一级标题（一、）"), "h2": ("font-h2", "二级标题（（一））")}


def _fonts(doc: CheckedDoc, layout: Layout) -> list[Finding]:
    by_code: dict[str, list[Para]] = {}
    sizes: dict[float, list[Para]] = {}
    for p in doc.paragraphs:
        if not p.text.strip():
            continue
        wrong_font, wrong_size = font_faults(p, layout)
        if wrong_font:
            by_code.setdefault(_FONT_CODES.get(p.role, ("font-body", ""))[0], []).append(p)
        if wrong_size:
            sizes.setdefault(expected_look(p.role, layout)[1], []).append(p)
    found = []
    for role, (code, name) in list(_FONT_CODES.items()) + [("body", ("font-body", "正文"))]:
        font = expected_look(role, layout)[0]
        found += group(code, WARNING, by_code.get(code, []), f"{name}的中文字体（含“中文字体”设置）不是{font}。",
                       f"选中这些段落，在“字体—中文字体”中选 {font}；或用 drafter check --fix 修正。", True)
    for size, paras in sorted(sizes.items()):
        found += group("font-size", WARNING, paras, f"字号不是 {size:g} 磅。",
                       f"选中这些段落，把字号设为 {size:g} 磅；或用 drafter check --fix 修正。", True)
    return found


def indent_ok(p: Para, layout: Layout) -> bool:
    if p.props.get("hanging") not in (None, "0") or p.props.get("hangingChars") not in (None, "0"):
        return False
    chars = p.props.get("firstLineChars")
    if chars is not None and int(chars) != 0:
        return abs(int(chars) - layout.first_line_indent_chars * 100) <= 25
    size = next((r.size_pt for r in p.runs if r.size_pt), layout.body_size_pt)
    first = int(p.props.get("firstLine") or 0)
    if abs(first - layout.first_line_indent_chars * size * 20) <= size * 5:
        return True
    return first == 0 and p.text.startswith(("　　", "    "))  # indented by typed spaces, as WPS users do


def _indents(doc: CheckedDoc, layout: Layout) -> list[Finding]:
    bad = [p for p in doc.body_like(*INDENTED_ROLES) if not indent_ok(p, layout)]
    n = layout.first_line_indent_chars
    return group("first-line-indent", WARNING, bad, f"首行没有缩进 {n:g} 个字。",
                 f"在“段落—特殊格式”中选“首行缩进”“{n:g} 字符”；或用 drafter check --fix 修正。", True)


# --- page numbers ---------------------------------------------------------------------------------

def footer_number(footer) -> tuple[str, str | None, float | None] | None:
    """(text of the page-number paragraph, its alignment, its digits' size) or None without a PAGE field."""
    if footer.is_linked_to_previous:
        return None
    for p in footer._element.iter(qn("w:p")):
        instr = " ".join(t.text or "" for t in p.iter(qn("w:instrText")))
        instr += " ".join(f.get(qn("w:instr")) or "" for f in p.iter(qn("w:fldSimple")))
        if re.search(r"\bPAGE\b", instr):
            ppr = p.find(qn("w:pPr"))
            jc = ppr.find(qn("w:jc")) if ppr is not None else None
            sizes = [r.find(qn("w:rPr") + "/" + qn("w:sz")) for r in runs_of(p)]
            size = next((int(s.get(qn("w:val"))) / 2 for s in sizes if s is not None), None)
            return "".join(run_text(r) for r in runs_of(p)), jc.get(qn("w:val")) if jc is not None else None, size
    return None


def _page_numbers(doc: CheckedDoc, layout: Layout) -> list[Finding]:
    section = doc.document.sections[0]
    problems = []
    odd = footer_number(section.footer)
    even = footer_number(section.even_page_footer) if doc.document.settings.odd_and_even_pages_header_footer else None
    if odd is None:
        problems.append("没有页码")
    else:
        if even is None:
            problems.append("未分设奇偶页页码（单页居右、双页居左）")
        for name, found, align in (("单页", odd, "right"), ("双页", even, "left")):
            if found is None:
                continue
            text, jc, size = found
            if not _PAGE_NUMBER.match(squeeze(text)):
                problems.append(f"{name}页码写作“{text.strip()}”，应为“— 1 —”的形式")
            if jc != align:
                problems.append(f"{name}页码应{'居右' if align == 'right' else '居左'}")
            if size is not None and abs(size - layout.page_number_size_pt) > PT_TOLERANCE:
                problems.append(f"{name}页码字号应为 {layout.page_number_size_pt:g} 磅")
    if not problems:
        return []
    return [Finding("page-numbers", WARNING, None, "", "页码不合公文格式：" + "；".join(dict.fromkeys(problems)) + "。",
                    "在“插入—页码”中设置：勾选“奇偶页不同”，单页页码居右、双页居左，形式为“— 1 —”，"
                    f"{layout.page_number_size_pt:g} 磅宋体；或用 drafter check --fix 修正。", True)]
