"""Word files as a bureau writes them: a unit line, a title, headings, a table; and broken or hostile ones."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from drafter.errors import ReadError
from drafter.read import read


def report_docx(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("阳城县市场监督管理局")
    doc.add_heading("阳城县2024年智慧市场监管工作总结", 0)
    doc.add_paragraph("2024年，我局完善监管制度，升级监管平台，“智慧市监”建设取得新进展。")
    doc.add_heading("一、智慧监管平台建设", 1)
    doc.add_paragraph("县智慧监管平台与31家单位实现数据对接，全年汇聚监管数据1570万条。")
    doc.add_paragraph("2024年智慧监管建设主要指标")
    table = doc.add_table(rows=3, cols=3)
    for i, row in enumerate([["指标", "2023年", "2024年"], ["对接单位（家）", "22", "31"],
                             ["汇聚监管数据（万条）", "1130", "1570"]]):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    doc.add_heading("二、2025年工作打算", 1)
    doc.add_paragraph("推行“互联网+明厨亮灶”全覆盖。")
    doc.sections[0].header.paragraphs[0].text = "内部资料 注意保存"
    doc.sections[0].footer.paragraphs[0].text = "— 1 —"
    doc.save(str(path))
    return path


def test_a_report_written_in_word_reads_back_in_order(tmp_path):
    doc = read(report_docx(tmp_path / "总结.docx"))
    assert doc.title == "阳城县2024年智慧市场监管工作总结"
    assert [b.text for b in doc.blocks] == [
        "2024年，我局完善监管制度，升级监管平台，“智慧市监”建设取得新进展。",
        "一、智慧监管平台建设",
        "县智慧监管平台与31家单位实现数据对接，全年汇聚监管数据1570万条。",
        "2024年智慧监管建设主要指标",
        "对接单位（家）：2023年 22；2024年 31",
        "汇聚监管数据（万条）：2023年 1130；2024年 1570",
        "二、2025年工作打算",
        "推行“互联网+明厨亮灶”全覆盖。",
    ]
    assert doc.kind == "report"


def test_the_unit_line_above_the_title_is_context_not_text(tmp_path):
    doc = read(report_docx(tmp_path / "总结.docx"))
    assert "阳城县市场监督管理局" in doc.context
    assert all("市场监督管理局" not in b.text for b in doc.blocks)


def test_word_headings_set_the_section_of_what_follows(tmp_path):
    doc = read(report_docx(tmp_path / "总结.docx"))
    by_text = {b.text: b for b in doc.blocks}
    assert by_text["一、智慧监管平台建设"].heading
    assert by_text["对接单位（家）：2023年 22；2024年 31"].section == ("一、智慧监管平台建设",)
    assert by_text["推行“互联网+明厨亮灶”全覆盖。"].section == ("二、2025年工作打算",)


def test_page_headers_and_footers_are_left_out(tmp_path):
    doc = read(report_docx(tmp_path / "总结.docx"))
    assert not any("内部资料" in b.text or "— 1 —" in b.text for b in doc.blocks)


def test_a_letter_without_styles_finds_its_title_and_headings_by_look(tmp_path):
    path = tmp_path / "报告.docx"
    word = Document()
    word.add_paragraph("陵川县医疗保障局")
    title = word.add_paragraph("关于医保电子凭证推广情况的报告")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_paragraph("按照市医保局工作要求，现将我县医保电子凭证推广工作情况报告如下。")
    bold = word.add_paragraph()
    bold.add_run("电子凭证激活情况").bold = True
    word.add_paragraph("全县医保电子凭证激活率达到79%。")
    word.add_paragraph("（一）下一步打算")
    word.add_paragraph("推动医保电子凭证与就诊卡融合。")
    word.save(str(path))
    doc = read(path)
    assert doc.title == "关于医保电子凭证推广情况的报告"
    assert "陵川县医疗保障局" in doc.context
    assert [b.text for b in doc.blocks if b.heading] == ["电子凭证激活情况", "（一）下一步打算"]
    last = doc.blocks[-1]
    assert last.section == ("电子凭证激活情况", "（一）下一步打算")


def test_random_bytes_named_docx_are_refused_as_corrupt(tmp_path):
    path = tmp_path / "坏.docx"
    path.write_bytes(bytes(range(7, 250)) * 20)
    with pytest.raises(ReadError) as caught:
        read(path)
    assert caught.value.message == "文件已损坏，无法作为 Word 文档打开"
    assert "另存为 .docx" in caught.value.hint


def test_a_zip_that_is_no_word_document_is_refused(tmp_path):
    path = tmp_path / "包.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("readme.txt", "hello")
    with pytest.raises(ReadError, match="无法作为 Word 文档打开"):
        read(path)


def test_an_old_doc_renamed_to_docx_says_so(tmp_path):
    path = tmp_path / "旧.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(ReadError, match="旧版 Word"):
        read(path)


def test_a_zip_bomb_posing_as_docx_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MB of zeros, about 1 MB on disk
                member.write(chunk)
    assert path.stat().st_size < 5 * (1 << 20)
    with pytest.raises(ReadError) as caught:
        read(path)
    assert "过大" in caught.value.message


# The reader parses the package with lxml, not python-docx's Document(); python-docx is the reference it must match.

def _python_docx_lines(path: Path) -> list:
    """What the reader must find, worked out through python-docx's own objects (styles, runs, table cells)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from drafter.read.clean import ends_sentence, normalise
    from drafter.read.paragraphs import Line
    from drafter.read.word import _row_text

    def chain(paragraph):
        found, style = [], paragraph.style
        while style is not None and len(found) < 10:
            found.append(style)
            style = style.base_style
        return found

    document, lines, title_seen = docx.Document(str(path)), [], False
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = document.element.body
    elements = [e for e in body.iter(f"{w}p", f"{w}tbl") if e.getparent().tag in (body.tag, f"{w}sdtContent")]
    for element in elements:
        if element.tag == f"{w}tbl":
            rows = []
            for row in Table(element, document).rows:
                cells = []
                for cell in row.cells:
                    text = normalise(" ".join(cell.text.split("\n")))
                    if not cells or text != cells[-1]:
                        cells.append(text)
                if any(cells):
                    rows.append(cells)
            header = rows.pop(0) if len(rows) >= 2 and all(c and len(c) <= 12 and not ends_sentence(c)
                                                           for c in rows[0]) and len(rows[0]) == len(rows[1]) else None
            lines += [Line(_row_text(cells, header), table=True) for cells in rows] + [Line("")]
            continue
        paragraph = Paragraph(element, document)
        text, names = paragraph.text, [s.name.strip() for s in chain(paragraph)]
        if not normalise(text):
            lines.append(Line(""))
            continue
        title = any(n.lower() in ("title", "标题") for n in names)
        level = next((int(n.split()[-1]) for n in names if n.lower().startswith(("heading ", "标题 "))), None)
        heading = level is not None
        if not heading and not title:
            align = paragraph.alignment or next((s.paragraph_format.alignment for s in chain(paragraph)
                                                 if s.paragraph_format.alignment is not None), None)
            runs = [r for r in paragraph.runs if r.text.strip()]
            bold = bool(runs) and all(r.bold or (r.bold is None and any(s.font.bold for s in chain(paragraph)))
                                      for r in runs)
            heading = len(normalise(text)) <= 30 and not ends_sentence(normalise(text)) and "\n" not in text \
                and (align == WD_ALIGN_PARAGRAPH.CENTER or bold)
        if title and title_seen:
            title, heading, level = False, True, 1
        if heading or title:
            lines += [Line(" ".join(text.split("\n")), heading=True if heading else None, level=level, title=title),
                      Line("")]
            title_seen = title_seen or title
        else:
            lines += [Line(part, heading=False) for part in text.split("\n")] + [Line("")]
    return lines


def styled_docx(path: Path) -> Path:
    """Chinese heading styles, a style based on a heading, looks from styles and runs, a merged table, content controls."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    word = Document()
    styles = word.styles
    for name in ("标题 1", "标题 2"):
        styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]
    sub = styles.add_style("小节标题", WD_STYLE_TYPE.PARAGRAPH)
    sub.base_style = styles["标题 2"]
    centred = styles.add_style("居中", WD_STYLE_TYPE.PARAGRAPH)
    centred.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    strong = styles.add_style("强调", WD_STYLE_TYPE.PARAGRAPH)
    strong.font.bold = True
    word.add_paragraph("泽州县农业农村局")
    word.add_paragraph("关于高标准农田建设情况的汇报", style="Title")
    word.add_paragraph("今年以来，我县把高标准农田建设作为重点工作，全年完成建设任务5.2万亩。")
    word.add_paragraph("一、建设进展", style="标题 1")
    word.add_paragraph("（一）项目实施", style="小节标题")
    word.add_paragraph("全县共实施项目12个，覆盖8个乡镇。")
    word.add_paragraph("样式居中的短行", style="居中")
    word.add_paragraph("样式加粗的短行", style="强调")
    plain = word.add_paragraph("强调样式里的普通字", style="强调")
    plain.runs[0].bold = False
    bold = word.add_paragraph()
    bold.add_run("资金").bold = True
    bold.add_run("保障").bold = True
    word.add_paragraph("居中但很长的一句话说明了情况，已经结束。").alignment = WD_ALIGN_PARAGRAPH.CENTER
    link = word.add_paragraph("详见")
    link._p.append(parse_xml(f'<w:hyperlink {_NS}><w:r><w:t>县政府网站</w:t></w:r></w:hyperlink>'))
    link.add_run("公告\t第二部分").add_break()
    link.add_run("换行后的内容。")
    table = word.add_table(rows=4, cols=3)
    for i, row in enumerate([["乡镇", "面积（亩）", "投资（万元）"], ["巴公镇", "8000", "1200"],
                             ["大东沟镇", "6500", "980"], ["合计", "", "2180"]]):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    table.cell(3, 0).merge(table.cell(3, 1))
    table.cell(1, 2).merge(table.cell(2, 2))
    word.add_paragraph("二、下一步打算", style="标题 2")
    word.add_paragraph("严格落实管护责任，确保建成一亩、管好一亩。")
    word.sections[0].header.paragraphs[0].text = "内部资料"
    sdt = parse_xml(f'<w:sdt {_NS}><w:sdtPr/><w:sdtContent>'
                    '<w:p><w:r><w:t>控件里的段落，说明管护机制。</w:t></w:r></w:p>'
                    '<w:sdt><w:sdtContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
                    '<w:r><w:t>控件里的居中行</w:t></w:r></w:p></w:sdtContent></w:sdt>'
                    '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>管护员</w:t></w:r></w:p></w:tc>'
                    '<w:tc><w:p><w:r><w:t>36名</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
                    '</w:sdtContent></w:sdt>')
    word.element.body.insert(len(word.element.body) - 1, sdt)
    word.save(str(path))
    return path


_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_the_reader_finds_what_python_docx_finds(tmp_path):
    from drafter.read.structure import build

    path = styled_docx(tmp_path / "汇报.docx")
    expected = build(_python_docx_lines(path), fallback_title=path.stem, default_kind=None, guess_headings=False)
    doc = read(path)
    assert doc == expected
    assert doc.title == "关于高标准农田建设情况的汇报"
    headings = [b.text for b in doc.blocks if b.heading]
    assert headings == ["一、建设进展", "（一）项目实施", "样式居中的短行", "样式加粗的短行", "资金保障",
                        "二、下一步打算", "控件里的居中行"]
    texts = [b.text for b in doc.blocks]
    # python-docx's merge() moves the merged cells' text into the first; a short row gets no labels.
    assert "大东沟镇：面积（亩） 6500；投资（万元） 1200 980" in texts and "合计；2180" in texts
    assert "控件里的段落，说明管护机制。" in texts and "管护员；36名" in texts
    assert not any("内部资料" in t for t in texts)
    by_text = {b.text: b for b in doc.blocks}
    assert by_text["全县共实施项目12个，覆盖8个乡镇。"].section == ("一、建设进展", "（一）项目实施")


def test_a_package_without_styles_reads_with_the_default_style(tmp_path):
    path = tmp_path / "无样式.docx"
    with zipfile.ZipFile(report_docx(tmp_path / "有样式.docx")) as source, zipfile.ZipFile(path, "w") as package:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'<Relationship [^>]*/styles"[^>]*/>', b"", data)
            if member.filename != "word/styles.xml":
                package.writestr(member, data)
    doc = read(path)  # python-docx's default styles: no heading styles, the title found by its text
    assert doc.title == "阳城县2024年智慧市场监管工作总结"
    assert "对接单位（家）：2023年 22；2024年 31" in [b.text for b in doc.blocks]


def test_documents_sharing_a_template_keep_their_own_text(tmp_path):
    first, second = read(report_docx(tmp_path / "一.docx")), read(styled_docx(tmp_path / "二.docx"))
    again = read(report_docx(tmp_path / "三.docx"))
    assert first.blocks == again.blocks and first.blocks != second.blocks


@pytest.mark.parametrize("change", ["template", "missing part", "broken header"])
def test_a_package_python_docx_would_not_open_is_refused(tmp_path, change):
    path = tmp_path / "坏包.docx"
    with zipfile.ZipFile(report_docx(tmp_path / "源.docx")) as source, zipfile.ZipFile(path, "w") as package:
        for member in source.infolist():
            data = source.read(member)
            if change == "template" and member.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            if change == "missing part" and member.filename == "word/settings.xml":
                continue
            if change == "broken header" and member.filename.startswith("word/header"):
                data = data[:-10]
            package.writestr(member, data)
    with pytest.raises(ReadError, match="无法作为 Word 文档打开"):
        read(path)
