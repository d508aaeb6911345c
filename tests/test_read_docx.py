"""Word files as a bureau writes them: a unit line, a title, headings, a table; and broken or hostile ones."""
from __future__ import annotations

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
