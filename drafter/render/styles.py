"""Named paragraph styles carrying the GB/T 9704 fonts, and the multilevel list that numbers 一、（一）1.（1）."""
from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from .layout import Layout

# Built-in Word names (Word and WPS show them as 标题 1 / 标题 2 and list them in the navigation pane).
HEADING_1, HEADING_2 = "heading 1", "heading 2"
NUMBERING_ID = "1"
# List levels of the numbered styles: 一、 （一） 1. （1）.
LEVELS = {"h1": 0, "h2": 1, "item": 2, "subitem": 3}


@dataclass(frozen=True)
class StyleSpec:
    """One paragraph style: its id and name in styles.xml, fonts, alignment and indents (in characters)."""

    style_id: str
    name: str
    font: str
    size_pt: float
    align: str = "both"
    first_line_chars: float = 0.0
    left_chars: float = 0.0
    right_chars: float = 0.0
    hanging_chars: float = 0.0
    lines_before: float = 0.0
    lines_after: float = 0.0
    keep_next: bool = False
    keep_lines: bool = False
    outline_level: int | None = None


# The body's style is Word's default paragraph style (Normal, 正文 in a Chinese Word): a paragraph in it
# names no style, as Word writes it.
BODY_STYLE_ID = "Normal"


def style_specs(layout: Layout) -> dict[str, StyleSpec]:
    """The style of every block style in blocks.STYLES under this layout ("body" is Word's Normal, 正文)."""
    body, size, indent = layout.body_font, layout.body_size_pt, layout.first_line_indent_chars
    date_right = layout.date_right_indent_chars
    return {
        "unit": StyleSpec("Unit", "发文机关", body, size, "left"),
        "category": StyleSpec("Category", "答复类别", body, size, "right"),
        "title": StyleSpec("DocTitle", "公文标题", layout.title_font, layout.title_size_pt, "center",
                           lines_after=1, keep_next=True, keep_lines=True),
        "salutation": StyleSpec("Salutation", "主送机关", body, size, "left", keep_next=True),
        "body": StyleSpec(BODY_STYLE_ID, "Normal", body, size, "both", first_line_chars=indent),
        "h1": StyleSpec("Heading1", HEADING_1, layout.h1_font, size, "both", first_line_chars=indent,
                        keep_next=True, outline_level=0),
        "h2": StyleSpec("Heading2", HEADING_2, layout.h2_font, size, "both", first_line_chars=indent,
                        keep_next=True, outline_level=1),
        "item": StyleSpec("ListItem", "编号条目", layout.item_font_name, size, "both", first_line_chars=indent),
        "subitem": StyleSpec("ListSubitem", "编号子条目", layout.item_font_name, size, "both",
                             first_line_chars=indent),
        # The closing and the whole sign-off keep with what follows, so a page never holds the 落款 alone.
        "closing": StyleSpec("Closing", "结束语", body, size, "both", first_line_chars=indent,
                             keep_next=True, keep_lines=True),
        "signoff": StyleSpec("Signoff", "联系人", body, size, "left", left_chars=layout.signoff_indent_chars,
                             keep_next=True),
        # GB/T 9704 §7.3.5: a blank line under the text, the unit centred over the date (set per draft).
        "signature": StyleSpec("Signature", "落款", body, size, "right", right_chars=date_right,
                               lines_before=1, keep_next=True),
        # The date keeps with its 附注 (此件公开发布), which never stands alone on a page.
        "date": StyleSpec("Date", "成文日期", body, size, "right", right_chars=date_right, keep_next=True),
        # 附注 (此件公开发布) sits flush left, two characters in, under the date.
        "publicity": StyleSpec("Note", "附注", body, size, "left", first_line_chars=indent),
        # 版记 lines (抄送) are 4号, one character in; the rules above and below run the full width.
        "cc": StyleSpec("CopyTo", "版记", body, layout.cc_size_pt, "both", first_line_chars=1),
    }


def install_styles(doc: DocxDocument, layout: Layout) -> None:
    """Replace the template's ~160 styles with the draft's own, and define the list that numbers them."""
    styles = doc.styles.element
    style_id = qn("w:styleId")
    for style in styles.findall(qn("w:style")):
        if style.get(style_id) not in ("Normal", "DefaultParagraphFont", "TableNormal", "NoList"):
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    normal = next(s for s in styles.findall(qn("w:style")) if s.get(style_id) == BODY_STYLE_ID)
    styles.remove(normal)
    for block_style, spec in style_specs(layout).items():
        styles.append(_style_element(spec, layout, LEVELS.get(block_style)))
    _install_numbering(doc, layout)


def _style_element(spec: StyleSpec, layout: Layout, level: int | None):
    char = layout.body_char_twips if spec.size_pt == layout.body_size_pt else round(spec.size_pt * 20)
    default = ' w:default="1"' if spec.style_id == BODY_STYLE_ID else ""
    based = "" if spec.style_id == BODY_STYLE_ID else '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
    ppr = []
    if spec.keep_next:
        ppr.append("<w:keepNext/>")
    if spec.keep_lines:
        ppr.append("<w:keepLines/>")
    if level is not None:
        ppr.append(f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{NUMBERING_ID}"/></w:numPr>')
    # Off the character grid: LibreOffice breaks grid-snapped 16 pt lines after 14 characters; body text is
    # condensed instead (see Layout.condense_twentieths) and every reader sets 28 characters a line.
    ppr.append('<w:snapToGrid w:val="0"/>')
    line = layout.line_spacing_twips
    ppr.append(f'<w:spacing w:before="{round(spec.lines_before * line)}" w:after="{round(spec.lines_after * line)}" '
               f'w:line="{line}" w:lineRule="exact"/>')
    ppr.append(_indent(spec, char))
    ppr.append(f'<w:jc w:val="{spec.align}"/>')
    if spec.outline_level is not None:
        ppr.append(f'<w:outlineLvl w:val="{spec.outline_level}"/>')
    return parse_xml(
        f'<w:style {nsdecls("w")} w:type="paragraph"{default} w:styleId="{spec.style_id}">'
        f'<w:name w:val="{spec.name}"/>{based}<w:qFormat/>'
        f'<w:pPr>{"".join(ppr)}</w:pPr>{run_properties(spec.font, spec.size_pt, layout)}</w:style>')


def _indent(spec: StyleSpec, char: int) -> str:
    attrs = []
    for name, chars in (("left", spec.left_chars), ("right", spec.right_chars)):
        attrs.append(f'w:{name}="{round(chars * char)}" w:{name}Chars="{round(chars * 100)}"')
    if spec.hanging_chars:
        attrs.append(f'w:hanging="{round(spec.hanging_chars * char)}" w:hangingChars="{round(spec.hanging_chars * 100)}"')
    else:
        # Word and WPS measure *Chars indents against the grid; the twips are for readers without them.
        attrs.append(f'w:firstLine="{round(spec.first_line_chars * char)}" '
                     f'w:firstLineChars="{round(spec.first_line_chars * 100)}"')
    return f'<w:ind {" ".join(attrs)}/>'


def run_properties(font: str, size_pt: float, layout: Layout) -> str:
    """w:rPr with the CJK font in the eastAsia slot, Latin letters and digits apart, and the size."""
    half_points = round(size_pt * 2)
    condense = layout.condense_twentieths if size_pt == layout.body_size_pt else 0
    spacing = f'<w:spacing w:val="{-condense}"/>' if condense else ""
    latin = layout.latin_font
    return (f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{font}" w:cs="{latin}" '
            f'w:hint="eastAsia"/>{spacing}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>')


# lvlText, number format and the block style of each level.
_LEVEL_FORMATS = (("%1、", "chineseCounting", "h1"), ("（%2）", "chineseCounting", "h2"),
                  ("%3.", "decimal", "item"), ("（%4）", "decimal", "subitem"))


def _install_numbering(doc: DocxDocument, layout: Layout) -> None:
    """One multilevel list: each level restarts under a higher one, so deleting an item renumbers the rest."""
    specs = style_specs(layout)
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    levels = []
    for level, (text, fmt, block_style) in enumerate(_LEVEL_FORMATS):
        spec = specs[block_style]
        suffix = "space" if fmt == "decimal" and text.endswith(".") else "nothing"
        char = layout.body_char_twips
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:pStyle w:val="{spec.style_id}"/><w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="{round(spec.first_line_chars * char)}" '
            f'w:firstLineChars="{round(spec.first_line_chars * 100)}"/></w:pPr>'
            f'{run_properties(spec.font, spec.size_pt, layout)}</w:lvl>')
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
        f'{"".join(levels)}</w:abstractNum>'))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{NUMBERING_ID}"><w:abstractNumId w:val="0"/></w:num>'))


def numbered(paragraph_element, block_style: str) -> None:
    """Put the list reference on the paragraph itself too: some readers ignore a style's numPr."""
    level = LEVELS[block_style]
    ppr = paragraph_element.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    num_pr.append(parse_xml(f'<w:ilvl {nsdecls("w")} w:val="{level}"/>'))
    num_pr.append(parse_xml(f'<w:numId {nsdecls("w")} w:val="{NUMBERING_ID}"/>'))
    style = ppr.find(qn("w:pStyle"))
    if style is not None:
        style.addnext(num_pr)
    else:
        ppr.insert(0, num_pr)
