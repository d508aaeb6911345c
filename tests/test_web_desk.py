"""The clerk's desk (drafter serve) driven in a real Chromium: ingest, import, draft with choices, download."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect, sync_playwright

from drafter import workbench
from drafter.config.office import load_office
from drafter.formats import find_format
from drafter.render.typography import repair
from drafter.store import Store

from conftest import PROPOSALS, SAMPLES

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE = "2024-05-08"

# A few reports of each county's own, so each has several candidates to choose from.
EXTRA = {
    "阳城县2024年智慧城市建设进展.txt": """阳城县2024年智慧城市建设工作总结
2024年，阳城县持续推进智慧城市建设，建成县级城市运行管理中心，接入视频监控点位1200个。
阳城县智慧城市平台整合政务数据资源，实现“一网统管”，全年处置城市管理事件3.2万件。
阳城县推进智慧社区建设，在城区12个社区部署智能门禁和电子围栏，居民办事不出社区。
""",
    "阳城县智慧城市建设再上新台阶.txt": """阳城县智慧城市建设再上新台阶
2024年，阳城县建成智慧城市数字底座，整合全县47个部门的数据资源，实现数据共享交换。
阳城县智慧医疗平台接入县乡村三级医疗机构126家，群众就医实现“一卡通”。
阳城县智慧教育平台覆盖全县中小学89所，优质课程资源实现共享。
阳城县智慧停车系统覆盖县城泊位2300个，群众停车实现“一键找位”。
阳城县智慧城市应急指挥平台接入全县应急、水利、气象、交通等部门的监测数据，建成覆盖全县的应急广播网络，实现预警信息一键发布、应急资源一图调度、突发事件一体处置，全年发布各类预警信息320余条。
阳城县智慧城市政务服务平台实现县乡村三级贯通，全县1380项政务服务事项实现网上可办，其中“一件事一次办”事项62项，群众办事平均跑动次数由2.3次减少到0.4次，企业开办时间压缩至0.5个工作日。
阳城县智慧农业平台汇聚全县耕地、气象、墒情等数据，在12个乡镇建成智慧农业示范基地，推广水肥一体化、病虫害智能监测等技术，带动农户增收。
""",
    "高平市2024年智慧城市建设情况.txt": """高平市2024年智慧城市建设情况
2024年，高平市智慧城市建设取得新进展，建成市级大数据中心，汇聚政务数据4800万条。
高平市推进“城市大脑”建设，智慧交通系统覆盖主城区36个路口，通行效率提高15%。
高平市智慧城管平台上线运行，累计受理群众诉求2.6万件，办结率98%。
高平市智慧城市政务服务平台实现市镇村三级贯通，全市1260项政务服务事项实现网上可办，其中“一件事一次办”事项58项，企业开办时间压缩至0.5个工作日，群众办事平均跑动次数减少到0.3次。
高平市智慧医疗平台接入市镇村三级医疗机构142家，建成远程会诊中心和区域影像中心，群众在家门口即可享受市级医院专家的诊疗服务，全年开展远程会诊1.2万例。
高平市智慧应急平台接入全市应急、水利、气象、交通等部门的监测数据，实现预警信息一键发布、应急资源一图调度，全年发布各类预警信息280余条。
""",
}


@pytest.fixture
def server(tmp_path):
    """`drafter serve` as a clerk starts it, on a new store: its address (with the token) and store."""
    store = tmp_path / "store.sqlite"
    log = open(tmp_path / "serve.log", "w")  # a pipe left unread would fill and stop the server
    process = subprocess.Popen([sys.executable, "-c", "from drafter.cli import main; main()", "--store", str(store),
                                "serve", "--no-browser"], stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
        assert match, line + (tmp_path / "serve.log").read_text()
        yield match.group(0), store
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        log.close()


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        yield context.new_page()
        browser.close()


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("DRAFTER_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def county_reports(tmp_path: Path) -> Path:
    extra = tmp_path / "extra"
    extra.mkdir()
    for name, text in EXTRA.items():
        (extra / name).write_text(text, encoding="utf-8")
    return extra


def commented_texts(docx: Path) -> list[tuple[str, str]]:
    """Each commented stretch of the draft, in document order, with its comment's text."""
    with zipfile.ZipFile(docx) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        notes = etree.fromstring(z.read("word/comments.xml"))
    comment_of = {c.get(f"{W}id"): "".join(c.itertext()) for c in notes.iter(f"{W}comment")}
    spans: dict[str, list[str]] = {}
    open_ids: list[str] = []
    for element in body.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}t"):
        if element.tag == f"{W}commentRangeStart":
            open_ids.append(element.get(f"{W}id"))
            spans[element.get(f"{W}id")] = []
        elif element.tag == f"{W}commentRangeEnd":
            open_ids.remove(element.get(f"{W}id"))
        else:
            for i in open_ids:
                spans[i].append(element.text or "")
    return [("".join(texts), comment_of[i]) for i, texts in spans.items()]


def test_a_clerk_drafts_with_own_choices_and_the_docx_holds_exactly_them(server, page, tmp_path):
    url, store_path = server
    folder = shots(tmp_path)
    extra = county_reports(tmp_path)
    page.goto(url)
    assert page.url.endswith("/library")
    # The shipped corpus by its folder's path, the county reports by upload: both ways a clerk adds files.
    page.fill("input[name=folder]", str(SAMPLES))
    page.click("#ingest-form button[type=submit]")
    page.wait_for_selector("#ingest-summary", timeout=60000)
    assert f"新导入 {len(list(SAMPLES.iterdir()))} 个" in page.inner_text("#ingest-summary")
    page.fill("input[name=folder]", "")
    (tmp_path / "名单.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    page.set_input_files("input[name=files]", [*(str(p) for p in extra.iterdir()), str(tmp_path / "名单.xls")])
    page.click("#ingest-form button[type=submit]")
    # The first summary stays until the new job's bar replaces it.
    expect(page.locator("#ingest-summary")).to_contain_text(f"新导入 {len(EXTRA)} 个", timeout=60000)
    assert "跳过 1 个" in page.inner_text("#ingest-summary") and "名单.xls" in page.inner_text("#ingest-summary")
    # The list shows what was just stored, without reloading the page.
    expect(page.locator("#documents tbody tr")).to_have_count(len(list(SAMPLES.iterdir())) + len(EXTRA))
    page.screenshot(path=str(folder / "library-ingested.png"))
    assert "阳城县" in page.inner_text("#documents tr[data-file='阳城县2024年智慧城市建设进展.txt']")
    page.click("#documents tr[data-file='高平市2024年智慧城市建设情况.txt'] a")
    page.screenshot(path=str(folder / "correct.png"))

    page.click("nav a[href='/proposals']")
    page.set_input_files("input[name=file]", str(PROPOSALS))
    page.click("form[action='/proposals/import'] button")
    assert "TA0395" in page.inner_text("#proposals")
    page.screenshot(path=str(folder / "proposals.png"))
    page.click("#proposals a[href='/proposals/TA0395']")
    assert "李惠英" in page.inner_text("main")
    page.screenshot(path=str(folder / "proposal.png"))

    page.click("nav a[href='/draft']")
    page.select_option("#proposal", "TA0395")
    page.check("input[name=county][value=阳城]")
    page.check("input[name=county][value=高平]")
    page.fill("input[name=date]", DATE)
    page.click("#find")
    page.wait_for_selector("#work")

    # What the library itself offers for the same request: the page must neither add nor lose a word.
    with Store(store_path) as store:
        bench = workbench.candidates(store, load_office(), "TA0395", "阳城,高平", find_format("政协提案答复"),
                                     draft_date=__import__("datetime").date.fromisoformat(DATE))
    picked = bench.picked()
    yangcheng, gaoping = (c.place.full for c in bench.counties)
    assert len(picked.progress[gaoping]) >= 2 and len(picked.progress[yangcheng]) >= 1

    cut = picked.progress[gaoping][0]
    page.click(f"section[data-county='{gaoping}'] .card.chosen[data-key='{cut}'] button.cut")
    page.wait_for_selector(f"section[data-county='{gaoping}'] .card:not(.chosen)[data-key='{cut}']", state="attached")
    unpicked = next(k for k in bench.counties[0].progress if not k.picked)
    page.click(f"section[data-county='{yangcheng}'] details.others summary")
    page.click(f"section[data-county='{yangcheng}'] .card[data-key='{unpicked.key}'] button:has-text('采用')")
    page.wait_for_selector(f"section[data-county='{yangcheng}'] .card.chosen[data-key='{unpicked.key}']")
    assert unpicked.passage.text in page.inner_text("#preview")
    assert bench.find(cut).passage.text not in page.inner_text("#preview")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / "draft.png"))
    page.locator("#preview").evaluate("e => e.scrollTo(0, e.scrollHeight)")
    page.locator("section[data-county='plans']").scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "draft-plans.png"))

    with page.expect_download() as download:
        page.click("#download-docx")
    docx = tmp_path / download.value.suggested_filename
    download.value.save_as(docx)
    assert docx.name == "TA0395答复.docx"

    kept = [*(bench.find(k) for k in picked.progress[yangcheng]), unpicked,
            *(bench.find(k) for k in picked.progress[gaoping][1:]), *(bench.find(k) for k in picked.plans)]
    # The passages pulled from the archive: their comments name a source paragraph (the format's standing
    # sentences and the time-word notes carry comments of their own).
    pulled = [(text, note) for text, note in commented_texts(docx) if re.search(r"第\d+段", note)]
    # As the draft shows them: spacing and brackets repaired, never a word changed (render.typography).
    assert [text for text, _ in pulled] == [repair(k.passage.text)[0] for k in kept]
    for (_, comment), k in zip(pulled, kept):
        assert f"{k.hit.source.document} 第{k.hit.source.paragraph}段" in comment
    import docx as python_docx
    text = "\n".join(p.text for p in python_docx.Document(str(docx)).paragraphs)
    assert bench.find(cut).passage.text not in text

    with page.expect_download() as download:
        page.click("#download-sources")
    sources = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [p["text"] for p in sources["progress"] + sources["plans"]] == [repair(k.passage.text)[0] for k in kept]

    page.click("nav a[href='/search']")
    page.fill("input[name=q]", "智慧城市")
    page.click("form[action='/search'] button")
    assert "按主题" in page.inner_text("#explain") or "加权" in page.inner_text("#explain")
    assert page.locator("#hits .card").count() >= 3
    page.screenshot(path=str(folder / "search.png"))


def test_two_tabs_draft_at_once_without_meeting(server, page, tmp_path):
    url, store_path = server
    with Store(store_path) as store:
        from drafter import app
        app.ingest(store, [SAMPLES, county_reports(tmp_path)], load_office())
        from drafter.proposals import read_proposals
        store.save_proposals(read_proposals(PROPOSALS))
    page.goto(url)
    base = url.split("?")[0]
    other = page.context.new_page()
    page.goto(base + f"draft?proposal=TA0395&county=阳城&county=高平&date={DATE}")
    other.goto(base + f"draft?proposal=TA0395&county=高平&date={DATE}")
    chosen = "section[data-county='高平市'] .card.chosen"
    first = page.locator(chosen).first.get_attribute("data-key")
    taken = other.locator("section[data-county='高平市'] .card:not(.chosen)").first.get_attribute("data-key")
    page.click(f"{chosen}[data-key='{first}'] button.cut")
    other.click("section[data-county='高平市'] details.others summary")
    other.click(f"section[data-county='高平市'] .card[data-key='{taken}'] button:has-text('采用')")
    page.wait_for_selector(f"section[data-county='高平市'] .card:not(.chosen)[data-key='{first}']", state="attached")
    other.wait_for_selector(f"{chosen}[data-key='{taken}']")
    # Each tab holds its own draft: what one cut or took is not cut or taken in the other.
    assert other.locator(f"{chosen}[data-key='{first}']").count() == 1
    assert page.locator(f"{chosen}[data-key='{taken}']").count() == 0
    yangcheng = "section[data-county='阳城县'] .card.chosen"
    for left in range(page.locator(yangcheng).count(), 0, -1):
        page.click(f"{yangcheng} button.cut >> nth=0")
        page.wait_for_function(f"document.querySelectorAll(\"{yangcheng}\").length < {left}")
    assert "待补充" in page.inner_text("#preview") and "待补充" not in other.inner_text("#preview")


def _status(url: str, headers: dict | None = None, data: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def test_requests_without_the_token_are_refused(server):
    url, _ = server
    base, token = url.split("?token=")
    status, body = _status(base + "library")
    assert status == 403 and "令牌" in body
    assert _status(base + "?token=wrong")[0] == 403
    assert _status(base + "static/htmx.min.js")[0] == 403
    assert _status(base + "library", {"X-Drafter-Token": token})[0] == 200
    # A form posted from elsewhere carries the cookie the browser holds, but not the page's CSRF token.
    status, body = _status(base + "proposals/import", {"X-Drafter-Token": token}, data=b"x=1")
    assert status == 403 and "表单" in body
    # A page reached under another name (DNS rebinding) is refused whatever it carries.
    assert _status(base + "library", {"X-Drafter-Token": token, "Host": "evil.example"})[0] == 403
