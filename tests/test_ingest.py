"""Ingesting a folder as a bureau's archive holds it, seen through `drafter documents` and `drafter search`."""
from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from conftest import run_drafter

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

HTML = """<html><head><meta charset="gbk"><title>陵川县推进数字城管建设_陵川县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> <a>政务公开</a> <a>政务服务</a></div>
<div class="crumb">当前位置：首页 &gt; 工作动态</div>
<div class="article"><h1>陵川县推进数字城管建设</h1><p>发布时间：2024-09-12</p>
<p>陵川县建成数字化城市管理平台，划分城管网格126个，全年处置城市管理案件8400件。</p>
<div class="share">分享到：微信 微博</div></div>
<div class="footer">版权所有：陵川县人民政府 网站标识码1405240001 晋ICP备00000000号</div></body></html>"""


def _pdf(path: Path) -> None:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page, lines in enumerate([["泽州县智慧应急建设情况", "泽州县建成应急指挥信息平台，接入森林防火监控点",
                                    "和河道水位监测设备，全县共布设智能感知终端5."],
                                   ["8千个，实现险情早发现早处置。"]], 1):
        for n, line in enumerate(lines):
            c.setFont("STSong-Light", 15)
            c.drawString(28 * mm, A4[1] - 37 * mm - n * 10 * mm, line)
        c.drawRightString(A4[0] - 30 * mm, 20 * mm, f"— {page} —")
        c.showPage()
    c.save()


def _docx(path: Path) -> None:
    d = docx.Document()
    d.add_heading("高平市2024年电子证照应用工作总结", 0)
    d.add_heading("一、证照库建设", 1)
    d.add_paragraph("高平市电子证照库归集证照类型95类，全年调用电子证照21万次。")
    table = d.add_table(rows=2, cols=2)
    for i, row in enumerate([["指标", "2024年"], ["亮证次数（万次）", "6.2"]]):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    d.sections[0].footer.paragraphs[0].text = "— 1 —"
    d.save(str(path))


@pytest.fixture
def archive(tmp_path) -> Path:
    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    (folder / "阳城县2024年12345热线工作情况.txt").write_bytes(
        "阳城县2024年12345热线工作情况\r\n全县12345热线全年受理群众诉求5.4万件，按时办结率\r\n达到98.2%。\r\n".encode("gb18030"))
    (folder / "sub" / "陵川县数字城管.html").write_bytes(HTML.encode("gbk"))
    _pdf(folder / "泽州县智慧应急建设情况.pdf")
    _docx(folder / "sub" / "高平市电子证照.docx")
    (folder / "坏文件.docx").write_bytes(b"PK\x03\x04 this is not really a word document")
    (folder / "说明.xlsx").write_bytes(b"not read")
    return folder


def _documents(store):
    return {d["file"]: d for d in json.loads(run_drafter(store, "documents", "--json").output)}


def _search(store, query, county):
    return json.loads(run_drafter(store, "search", query, "--county", county, "--json").output)


def test_a_mixed_folder_is_stored_and_the_corrupt_file_skipped_with_its_reason(archive, tmp_path):
    store = tmp_path / "store.sqlite"
    result = run_drafter(store, "ingest", str(archive))
    assert result.exit_code == 1  # one file had to be skipped; the rest is stored
    assert "坏文件.docx" in result.output and "跳过" in result.output
    assert "说明.xlsx" in result.output and "忽略" in result.output
    docs = _documents(store)
    assert set(docs) == {"阳城县2024年12345热线工作情况.txt", "陵川县数字城管.html", "泽州县智慧应急建设情况.pdf",
                         "高平市电子证照.docx"}
    assert docs["陵川县数字城管.html"]["title"] == "陵川县推进数字城管建设"
    assert docs["陵川县数字城管.html"]["year"] == 2024
    assert {d["city"] for d in docs.values()} == {"晋城市"}
    assert docs["泽州县智慧应急建设情况.pdf"]["county"] == "泽州县"


def test_lines_broken_by_width_or_page_are_joined_and_chrome_is_dropped(archive, tmp_path):
    store = tmp_path / "store.sqlite"
    run_drafter(store, "ingest", str(archive))
    hotline = _search(store, "12345热线", "阳城")
    assert any("按时办结率达到98.2%" in h["text"] for h in hotline)  # GB18030, CRLF, hard wrap
    emergency = _search(store, "智慧应急", "泽州")
    assert any("智能感知终端5.8千个" in h["text"] for h in emergency)  # a number cut by the page break
    assert not any("— 2 —" in h["text"] for h in emergency)
    city = _search(store, "数字城管", "陵川")
    assert city and not any(word in h["text"] for h in city for word in ("首页", "分享到", "版权所有", "当前位置"))
    cards = _search(store, "电子证照", "高平")
    assert any("调用电子证照21万次" in h["text"] for h in cards)


def test_ingesting_again_adds_nothing_and_a_changed_file_replaces_its_old_version(archive, tmp_path):
    store = tmp_path / "store.sqlite"
    run_drafter(store, "ingest", str(archive))
    again = run_drafter(store, "ingest", str(archive))
    assert "新导入 0 个" in again.output and "未变 4 个" in again.output
    report = archive / "阳城县2024年12345热线工作情况.txt"
    report.write_bytes(report.read_bytes().replace("5.4万件".encode("gb18030"), "5.9万件".encode("gb18030")))
    changed = run_drafter(store, "ingest", str(report))
    assert "更新 1 个" in changed.output
    texts = " ".join(h["text"] for h in _search(store, "12345热线", "阳城"))
    assert "5.9万件" in texts and "5.4万件" not in texts
    assert len(_documents(store)) == 4


def test_a_large_folder_is_read_in_parallel_and_stored_as_one_process_would(tmp_path):
    from drafter.ingest import ingest
    from drafter.store import Store
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(30):
        county = ["阳城县", "高平市", "泽州县"][n % 3]
        (folder / f"{n:02d}.txt").write_text(
            f"{county}{2020 + n % 5}年智慧城市建设情况\n{county}建成城市大脑平台，接入部门系统{n + 10}个。\n"
            f"下一步，将建设城市生命线监测系统{n}套。\n", encoding="gb18030" if n % 2 else "utf-8")
    stores = {}
    for workers in (1, 2):
        with Store(tmp_path / f"s{workers}.sqlite") as store:
            report = ingest(store, [folder], workers=workers)
            assert len(report.new) == 30 and report.ok
            stores[workers] = store.db.execute(
                "SELECT d.file, d.county, s.text, s.county, s.tense, i.terms FROM sentences s "
                "JOIN paragraphs p ON p.id = s.paragraph_id JOIN documents d ON d.id = p.document_id "
                "JOIN sentence_index i ON i.rowid = s.id ORDER BY d.file, s.id").fetchall()
    assert stores[1] == stores[2] and len(stores[1]) == 60


def test_a_document_that_never_names_its_place_takes_the_clerks_county(tmp_path):
    report = tmp_path / "数字政府建设情况.txt"
    report.write_text("数字政府建设情况\n我县建成城市大脑平台，接入部门系统36个。\n", encoding="utf-8")
    store = tmp_path / "store.sqlite"
    assert run_drafter(store, "ingest", str(report), "--county", "阳城").exit_code == 0
    (doc,) = _documents(store).values()
    assert (doc["city"], doc["county"]) == ("晋城市", "阳城县")
    assert any("36个" in h["text"] for h in _search(store, "智慧城市", "阳城"))


def test_an_unknown_county_hint_is_refused_before_anything_is_stored(tmp_path):
    report = tmp_path / "a.txt"
    report.write_text("数字政府建设情况\n我县建成城市大脑平台。\n", encoding="utf-8")
    store = tmp_path / "store.sqlite"
    result = run_drafter(store, "ingest", str(report), "--county", "不存在县")
    assert result.exit_code == 1 and "不认识" in result.output
    assert _documents(store) == {}
