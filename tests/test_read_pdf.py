"""PDF reports as printed from Word: page numbers gone, paragraphs mended across page breaks."""
from __future__ import annotations

from pathlib import Path

import pytest

from drafter.errors import ReadError
from drafter.read import read
from drafter.read.pdf import is_page_number

reportlab = pytest.importorskip("reportlab", reason="reportlab builds the test PDFs")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

FONT = "STSong-Light"  # reportlab's built-in CJK font: no font file needed
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_1 = [
    ("title", "陵川县县域健康信息平台建设情况汇报"),
    ("body", "　　近年来，我县以健康云平台为纽带，推进基层卫生数字化建"),
    ("body", "设，促进县乡村三级医疗机构之间数据互联、业务协同。"),
    ("head", "一、主要做法和成效"),
    ("body", "　　推行家庭医生“云随访”，居民通过手机即可查看随访计划"),
    ("body", "、预约复诊，全县累计线上随访7.8万人。建成县域检验云中心"),
    ("body", "，推动县医院与14个乡镇卫生院检验数据实时共享，年均节省6."),
]
PAGE_2 = [
    ("body", "2万元，群众往返奔波明显减少。"),
    ("head", "二、下一步工作打算"),
    ("body", "　　在县医院和3个中心卫生院建设远程诊室4间。"),
]


def draw(c, lines, page):
    width, height = A4
    for n, (kind, text) in enumerate(lines):
        y = height - 37 * mm - n * 10.2 * mm
        c.setFont(FONT, 20 if kind == "title" else 15)
        if kind == "title":
            c.drawCentredString(width / 2, y, text)
        else:
            c.drawString(28 * mm + (30 if kind == "head" else 0), y, text)
    c.setFont(FONT, 14)
    c.drawRightString(width - 30 * mm, 20 * mm, f"— {page} —")
    c.showPage()


def report_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    draw(c, PAGE_1, 1)
    draw(c, PAGE_2, 2)
    c.save()
    return path


def test_the_cjk_text_layer_comes_back(tmp_path):
    doc = read(report_pdf(tmp_path / "汇报.pdf"))
    assert doc.title == "陵川县县域健康信息平台建设情况汇报"
    assert doc.blocks[0].text == "近年来，我县以健康云平台为纽带，推进基层卫生数字化建设，促进县乡村三级医疗机构之间数据互联、业务协同。"


def test_a_sentence_and_a_number_running_over_the_page_break_are_mended(tmp_path):
    doc = read(report_pdf(tmp_path / "汇报.pdf"))
    texts = [b.text for b in doc.blocks]
    assert ("推行家庭医生“云随访”，居民通过手机即可查看随访计划、预约复诊，全县累计线上随访7.8万人。"
            "建成县域检验云中心，推动县医院与14个乡镇卫生院检验数据实时共享，年均节省6.2万元，群众往返奔波明显减少。"
            ) in texts


def test_page_numbers_are_dropped(tmp_path):
    doc = read(report_pdf(tmp_path / "汇报.pdf"))
    assert not any("—" in b.text for b in doc.blocks)


def test_headings_of_a_pdf_set_sections(tmp_path):
    doc = read(report_pdf(tmp_path / "汇报.pdf"))
    assert [b.text for b in doc.blocks if b.heading] == ["一、主要做法和成效", "二、下一步工作打算"]
    assert doc.blocks[-1].section == ("二、下一步工作打算",)
    assert doc.kind == "report"


@pytest.mark.parametrize("line", ["— 1 —", "- 2 -", "第 3 页", "第3页 共5页", "3 / 5", "Page 4 of 9", "－12－"])
def test_page_number_forms_are_recognised(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["5.3万例", "一、工作进展", "2024年", "第一页码管理"])
def test_text_is_not_taken_for_a_page_number(line):
    assert not is_page_number(line)


def encrypted_pdf(path: Path, user_password: str) -> Path:
    """The report PDF, encrypted: opening needs `user_password` ("" means anyone may open it)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(report_pdf(path.with_name("plain.pdf")))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    with open(path, "wb") as out:
        writer.write(out)
    return path


def test_an_encrypted_pdf_is_refused_with_a_hint(tmp_path):
    locked = encrypted_pdf(tmp_path / "加密.pdf", "secret")
    with pytest.raises(ReadError) as caught:
        read(locked)
    assert "密码" in caught.value.message
    assert "不加密" in caught.value.hint


def test_a_pdf_locked_only_against_editing_still_reads(tmp_path):
    locked = encrypted_pdf(tmp_path / "只读.pdf", "")
    assert read(locked).title == "陵川县县域健康信息平台建设情况汇报"


def test_a_scan_without_a_text_layer_is_refused(tmp_path):
    path = tmp_path / "扫描件.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(50, 50, 400, 600, fill=1)  # a page that is only a picture
    c.showPage()
    c.save()
    with pytest.raises(ReadError) as caught:
        read(path)
    assert caught.value.message.startswith("这是扫描件，没有文字层")
    assert "OCR" in caught.value.hint


def test_a_broken_pdf_is_refused(tmp_path):
    path = tmp_path / "坏.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 10)
    with pytest.raises(ReadError, match="无法作为 PDF 打开"):
        read(path)
