"""The .docx writer: a real reply written, read back, and checked the way a clerk would."""
from __future__ import annotations

import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.shared import Mm, Pt
from lxml import etree

from drafter.models import SourceRef
from drafter.render.blocks import LayoutBlock, Span
from drafter.render.docx_writer import write_docx
from drafter.render.layout import Layout, balance_title

from docx_reading import east_asia_font, effective, num_level, numbered_texts, size_pt, style_name

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
SOURCE = SourceRef("阳城县2023年工作总结.txt", "阳城县2023年工作总结", 2023, 4)
OLD = SourceRef("高平市年鉴2021.pdf", "高平市年鉴", 2021, 12)
PULLED = "2023年，阳城县完成农村户厕改造3200户，新建村级污水处理站21座。"
PLACEHOLDER = "【待补充：高平市相关工作进展】"
TITLE = "对市政协十三届二次会议第0395号提案的答复"

BLOCKS = (
    LayoutBlock("unit", (Span("晋城市农业农村局"),)),
    LayoutBlock("category", (Span("A类"),)),
    LayoutBlock("title", (Span(TITLE),)),
    LayoutBlock("salutation", (Span("李惠英委员："),)),
    LayoutBlock("body", (Span("您提出的《关于加快推进农村人居环境整治提升的提案》收悉。现答复如下："),)),
    LayoutBlock("h1", (Span("工作开展情况"),), number="一、"),
    LayoutBlock("item", (Span("阳城县。"), Span(PULLED, sources=(SOURCE,))), number="1."),
    LayoutBlock("item", (Span("高平市。"), Span(PLACEHOLDER, placeholder=True)), number="2."),
    LayoutBlock("h2", (Span("持续推进农村厕所革命"),), number="（一）"),
    LayoutBlock("subitem", (Span("全县累计完成改厕5600户。", sources=(OLD,),
                                 flags=("old-material", "broken-number")),), number="（1）"),
    LayoutBlock("closing", (Span("感谢您对农村人居环境整治工作的关心和支持。"),)),
    LayoutBlock("signoff", (Span("联系电话：0356-2023168"),)),
    LayoutBlock("signature", (Span("晋城市农业农村局"),)),
    LayoutBlock("date", (Span("2024年5月8日"),)),
    LayoutBlock("publicity", (Span("（此件公开发布）"),)),
    LayoutBlock("cc", (Span("抄送：市政府办公室，市政协提案委员会。"),)),
)


@pytest.fixture()
def reply(tmp_path):
    path = tmp_path / "reply.docx"
    write_docx(BLOCKS, path, Layout())
    return path


def _xml(path, part="word/document.xml"):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def _paragraph(document, text):
    """The body paragraph whose text starts with `text`."""
    found = [p for p in document.paragraphs if p.text.replace("\n", "").startswith(text)]
    assert found, f"no paragraph starts with {text!r}"
    return found[0]


def _east_asia(run):
    return run._r.rPr.rFonts.get(f"{{{W}}}eastAsia")


# --- page ---------------------------------------------------------------------------------


def test_the_page_is_a4_with_the_standard_margins(reply):
    section = docx.Document(reply).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37.0, 35.0, 28.0, 26.0]


def test_the_grid_holds_22_lines_of_28_characters(reply):
    grid = _xml(reply).find(".//w:sectPr/w:docGrid", NS)
    assert grid.get(f"{{{W}}}type") == "linesAndChars"
    assert grid.get(f"{{{W}}}linePitch") == "579"
    pitch_pt = 16 + int(grid.get(f"{{{W}}}charSpace")) / 4096
    line_pt = Mm(156).pt
    assert 28 * pitch_pt <= line_pt < 29 * pitch_pt


def test_body_text_is_condensed_just_enough_for_28_characters_off_the_grid(reply):
    body = _paragraph(docx.Document(reply), "您提出的")
    assert effective(body, "pPr", "snapToGrid").get(f"{{{W}}}val") == "0"
    condensed = int(effective(body, "rPr", "spacing").get(f"{{{W}}}val")) / 20
    assert 28 * (16 + condensed) <= Mm(156).pt - 1 < 29 * (16 + condensed)


def test_compensated_variant_is_only_other_layout_values(tmp_path):
    layout = Layout.from_mapping(
        {"margin_top_mm": 34.6, "margin_bottom_mm": 32.6, "line_spacing_pt": 29.6}
    )
    path = tmp_path / "compensated.docx"
    write_docx(BLOCKS, path, layout)
    section = docx.Document(path).sections[0]
    assert round(section.top_margin.mm, 1) == 34.6 and round(section.bottom_margin.mm, 1) == 32.6
    body = _paragraph(docx.Document(path), "您提出的")
    assert body.style.paragraph_format.line_spacing == Pt(29.6)


def test_an_unknown_layout_setting_is_named(tmp_path):
    with pytest.raises(ValueError, match="margin_toop_mm"):
        Layout.from_mapping({"margin_toop_mm": 30})
    with pytest.raises(ValueError, match="lines_per_page"):
        Layout.from_mapping({"lines_per_page": "22"})


# --- fonts, sizes, indents ----------------------------------------------------------------


def test_the_title_is_22pt_xiaobiaosong_centred_with_a_blank_line_after(reply):
    title = docx.Document(reply).paragraphs[2]
    assert title.text.replace("\n", "") == TITLE
    assert style_name(title) == "公文标题"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.style.paragraph_format.space_after == Pt(28.95)
    assert east_asia_font(title) == "方正小标宋简体" and size_pt(title) == 22


def test_a_long_title_breaks_into_balanced_lines_keeping_the_number_whole():
    assert balance_title(TITLE, Layout()) == ["对市政协十三届二次会议", "第0395号提案的答复"]
    assert balance_title("关于农村改厕的答复", Layout()) == ["关于农村改厕的答复"]


def test_body_text_is_16pt_fangsong_exactly_spaced_and_indented_two_characters(reply):
    body = _paragraph(docx.Document(reply), "您提出的")
    assert style_name(body) == "Normal"  # 正文 in a Chinese Word
    fmt = body.style.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing == Pt(28.95)
    assert fmt.first_line_indent == Pt(32)
    assert effective(body, "pPr", "ind").get(f"{{{W}}}firstLineChars") == "200"
    assert (east_asia_font(body), size_pt(body)) == ("仿宋_GB2312", 16)
    # no direct formatting: every look comes from the style, so restyling is one change in Word
    assert body._p.pPr.find(f"{{{W}}}ind") is None and body._p.pPr.find(f"{{{W}}}jc") is None
    assert all(r._r.rPr is None for r in body.runs)


def test_headings_are_heiti_then_kaiti_and_items_fangsong(reply):
    document = docx.Document(reply)
    expected = {"工作开展情况": ("黑体", "heading 1"), "持续推进": ("楷体_GB2312", "heading 2"),
                "阳城县": ("仿宋_GB2312", "编号条目"), "全县累计": ("仿宋_GB2312", "编号子条目")}
    for start, (font, style) in expected.items():
        para = _paragraph(document, start)
        assert (east_asia_font(para), style_name(para)) == (font, style)
        assert effective(para, "pPr", "ind").get(f"{{{W}}}firstLineChars") == "200"
    # headings carry outline levels, so Word's navigation pane lists them
    assert effective(_paragraph(document, "工作开展情况"), "pPr", "outlineLvl").get(f"{{{W}}}val") == "0"


def test_every_run_keeps_chinese_in_the_east_asian_slot_and_digits_in_times(reply):
    styles = _xml(reply, "word/styles.xml")
    numbering = _xml(reply, "word/numbering.xml")
    every = styles.xpath("//w:style/w:rPr/w:rFonts", namespaces=NS) + numbering.xpath("//w:rFonts", namespaces=NS)
    assert len(every) >= 10
    for fonts in every:
        assert fonts.get(f"{{{W}}}eastAsia")
        assert fonts.get(f"{{{W}}}hint") == "eastAsia"
        assert fonts.get(f"{{{W}}}ascii") == fonts.get(f"{{{W}}}hAnsi") == "Times New Roman"


def test_document_defaults_are_the_body_font_in_chinese(reply):
    defaults = _xml(reply, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    fonts = defaults.find("w:rFonts", NS)
    assert fonts.get(f"{{{W}}}eastAsia") == "仿宋_GB2312"
    assert fonts.get(f"{{{W}}}eastAsiaTheme") is None
    assert defaults.find("w:sz", NS).get(f"{{{W}}}val") == "32"
    assert defaults.find("w:lang", NS).get(f"{{{W}}}eastAsia") == "zh-CN"


def test_numbers_are_word_list_numbering_never_typed_text(reply):
    document = docx.Document(reply)
    assert not any(p.text.startswith(("一、", "1.", "2.", "（一）", "（1）")) for p in document.paragraphs)
    shown = numbered_texts(document, reply)
    for expected in ("一、工作开展情况", "1. 阳城县。", "2. 高平市。", "（一）持续推进农村厕所革命", "（1）全县累计"):
        assert any(t.startswith(expected) for t in shown), (expected, shown)
    assert [num_level(_paragraph(document, t)) for t in ("工作开展情况", "阳城县", "持续推进", "全县累计")] == [0, 2, 1, 3]


def test_deleting_a_numbered_item_renumbers_the_rest(reply, tmp_path):
    document = docx.Document(reply)
    first = _paragraph(document, "阳城县")
    first._p.getparent().remove(first._p)
    edited = tmp_path / "edited.docx"
    document.save(edited)
    shown = numbered_texts(docx.Document(edited), edited)
    assert any(t.startswith("1. 高平市。") for t in shown) and not any(t.startswith("2. ") for t in shown)


def test_the_closing_lines_sit_where_a_reply_puts_them(reply):
    document = docx.Document(reply)
    assert document.paragraphs[1].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT  # A类
    assert document.paragraphs[3].style.paragraph_format.first_line_indent in (None, 0)  # salutation
    date = _paragraph(document, "2024年5月8日")
    assert date.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.style.paragraph_format.right_indent == Pt(64)
    cc = _paragraph(document, "抄送")
    assert effective(cc, "pPr", "pBdr").find(f"{{{W}}}top") is not None


# --- page numbers -------------------------------------------------------------------------


def test_page_numbers_are_right_on_odd_pages_and_left_on_even_pages(reply):
    document = docx.Document(reply)
    assert document.settings.odd_and_even_pages_header_footer
    assert _xml(reply, "word/settings.xml").find("w:evenAndOddHeaders", NS) is not None
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and odd.paragraph_format.right_indent == Pt(14)
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT and even.paragraph_format.left_indent == Pt(14)
    for footer in (odd, even):
        assert footer.text == "— 1 —"
        assert "PAGE" in "".join(footer._p.xpath(".//w:instrText/text()"))
        assert {(_east_asia(r), r.font.size) for r in footer.runs} == {("宋体", Pt(14))}


# --- placeholders and sources -------------------------------------------------------------


def test_a_placeholder_is_highlighted_and_template_text_is_not(reply):
    runs = _paragraph(docx.Document(reply), "高平市。").runs
    marked = [r.text for r in runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert marked == [PLACEHOLDER]


def test_a_pulled_passage_carries_its_source_as_a_comment_on_exactly_its_text(reply):
    document = docx.Document(reply)
    comments = list(document.comments)
    assert len(comments) == 2
    assert comments[0].author == "drafter"
    assert comments[0].text == "来源：《阳城县2023年工作总结》（2023年），阳城县2023年工作总结.txt 第4段"
    assert comments[1].text.splitlines() == [
        "来源：《高平市年鉴》（2021年），高平市年鉴2021.pdf 第12段",
        "提示：材料较旧",
        "提示：数字可能缺失",
    ]
    para = _paragraph(document, "阳城县。")._p
    start = para.find(f"{{{W}}}commentRangeStart")
    end = para.find(f"{{{W}}}commentRangeEnd")
    between = []
    for el in start.itersiblings():
        if el is end:
            break
        between.extend(el.xpath(".//w:t/text()"))
    assert "".join(between) == PULLED


def test_no_comments_at_all_when_they_are_turned_off(tmp_path):
    path = tmp_path / "clean.docx"
    write_docx(BLOCKS, path, Layout(), comments=False)
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if "comments" in n]
    assert not _xml(path).xpath("//w:commentRangeStart | //w:commentReference", namespaces=NS)


# --- a file every reader opens -----------------------------------------------------------

_PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
    "cnfStyle", "rPr", "sectPr", "pPrChange",
]
_RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
]


@pytest.mark.parametrize("part", ["word/document.xml", "word/footer1.xml", "word/footer2.xml"])
def test_paragraph_and_run_properties_follow_the_schema_order(reply, part):
    root = _xml(reply, part)
    for props, order in (("//w:pPr", _PPR_ORDER), ("//w:r/w:rPr", _RPR_ORDER)):
        for el in root.xpath(props, namespaces=NS):
            tags = [etree.QName(child).localname for child in el]
            assert len(tags) == len(set(tags)), tags
            assert tags == sorted(tags, key=order.index), tags


def test_an_unknown_block_style_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "x.docx"
    with pytest.raises(ValueError, match="heading9"):
        write_docx([LayoutBlock("heading9", (Span("x"),))], path, Layout())
    assert not path.exists()


def test_only_the_given_file_is_written(tmp_path, reply):
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reply.docx"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_reply_to_pdf(reply, tmp_path):
    out = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(reply)],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    pdf = out / "reply.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
