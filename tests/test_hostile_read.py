"""Hostile but small files read in time linear in their size: merged tables, long paragraphs (a PDF cut at
every page; bench/hostile_ingest.py reads a 1,000-page one), text without punctuation, entity references."""
from __future__ import annotations

import random
import time
import zipfile
from pathlib import Path

import pytest

from drafter.errors import ReadError
from drafter.read import read
from drafter.read.script import to_simplified
from drafter.read.paragraphs import Line, mend

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def minimal_docx(path: Path, body: str, doctype: str = "") -> Path:
    """A .docx as small as Word accepts: content types, the package relation and the document."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                         'package.relationships+xml"/><Override PartName="/word/document.xml" ContentType='
                         '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                         '</Types>')
        package.writestr("_rels/.rels",
                         '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                         '</Relationships>')
        package.writestr("word/document.xml", f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="{W}">'
                                              f'<w:body>{body}</w:body></w:document>')
    return path


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def cell(text: str, merge: str | None = None) -> str:
    props = "" if merge is None else f'<w:tcPr><w:vMerge{"" if merge == "continue" else f" w:val={merge!r}"}/></w:tcPr>'
    return f"<w:tc>{props}{para(text)}</w:tc>"


def merged_table(rows: int, columns: int) -> str:
    """Every column merged from the first row to the last; one more column with a text of its own per row."""
    rng = random.Random(rows)
    chars = [chr(c) for c in range(0x4e00, 0x4e00 + 3000)]
    lines = []
    for r in range(rows):
        merged = "".join(cell(f"阳城县第{c}类重点工作。" if r == 0 else "", "restart" if r == 0 else "continue")
                         for c in range(columns))
        lines.append(f"<w:tr>{merged}{cell(f'第{r}项' + ''.join(rng.choices(chars, k=12)))}</w:tr>")
    return f"<w:tbl>{''.join(lines)}</w:tbl>"


def test_a_column_merged_over_a_thousand_rows_reads_as_libreoffice_shows_it(tmp_path):
    path = minimal_docx(tmp_path / "合并.docx", para("阳城县重点工作台账") + para("全县重点工作进展如下。")
                        + merged_table(1200, 1))
    texts = [b.text for b in read(path).blocks]
    assert sum("阳城县第0类重点工作" in t for t in texts) == 1200, texts[-3:]


def test_vertically_merged_cells_take_time_linear_in_the_rows(tmp_path):
    # 20 columns merged over 900 rows: a walk up the merge from every cell is 8 million steps.
    path = minimal_docx(tmp_path / "台账.docx", para("高平市重点工作台账") + para("全市重点工作进展如下。")
                        + merged_table(900, 20))
    started = time.monotonic()
    blocks = read(path).blocks
    assert time.monotonic() - started < 5
    assert sum(b.table for b in blocks) == 900


def test_a_continued_cell_with_nothing_above_is_read_as_a_cell_of_its_own(tmp_path):
    body = para("沁水县工作情况") + f"<w:tbl><w:tr>{cell('沁水县建成政务云平台', 'continue')}{cell('迁移系统36个')}</w:tr></w:tbl>"
    texts = [b.text for b in read(minimal_docx(tmp_path / "表.docx", body)).blocks]
    assert any("沁水县建成政务云平台" in t and "迁移系统36个" in t for t in texts), texts


def test_text_after_an_entity_reference_in_a_docx_is_kept(tmp_path):
    doctype = '<!DOCTYPE w:document [<!ENTITY unit "数据局">]>'
    body = para("阳城县工作情况") + para("阳城县&unit;建成政务云平台，迁移业务系统36个。")
    texts = [b.text for b in read(minimal_docx(tmp_path / "实体.docx", body, doctype)).blocks]
    assert any("建成政务云平台，迁移业务系统36个。" in t for t in texts), texts


def test_a_refusal_of_malformed_markup_is_a_read_error_naming_the_file_corrupt(tmp_path):
    body = para("阳城县工作情况") + '<w:p><w:pPr><w:pStyle/></w:pPr><w:r><w:t>正文。</w:t></w:r></w:p>'
    with pytest.raises(ReadError) as refused:
        read(minimal_docx(tmp_path / "坏样式.docx", body))
    assert "损坏" in refused.value.message and type(refused.value).__name__ == "MalformedDocx"


def test_joining_the_lines_of_one_long_paragraph_is_linear(tmp_path):
    # A PDF whose every page break falls mid-sentence is one paragraph of thousands of lines.
    lines = [Line(f"阳城县第{n}项工作按计划推进，") for n in range(40000)] + [Line("全部完成。")]
    started = time.monotonic()
    paras = mend(lines)
    assert time.monotonic() - started < 5
    assert len(paras) == 1 and paras[0].text.endswith("全部完成。")


def test_text_without_punctuation_is_cut_into_bounded_paragraphs(tmp_path):
    # Simplified characters only: traditional ones are read as simplified, which is not what is tested here.
    chars = [c for c in map(chr, range(0x4e00, 0x4e00 + 3000)) if to_simplified(c) == c]
    rng = random.Random(3)
    run = "".join(rng.choices(chars, k=30000))
    path = tmp_path / "无标点.txt"
    path.write_text("阳城县工作情况\n\n阳城县建成了政务云平台。\n\n" + run + "\n", encoding="utf-8")
    blocks = read(path).blocks
    assert max(len(b.text) for b in blocks) <= 3000
    assert "".join(b.text for b in blocks).endswith(run[-100:])


def test_twenty_megabytes_without_punctuation_are_refused_in_seconds_not_read_for_minutes(tmp_path):
    chars = [chr(c) for c in range(0x4e00, 0x4e00 + 3000)]
    path = tmp_path / "乱码.txt"
    path.write_text("".join(random.Random(4).choices(chars, k=6_700_000)), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ReadError) as refused:
        read(path)
    assert time.monotonic() - started < 10
    assert "没有标点" in refused.value.message
