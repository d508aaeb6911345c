"""Retrieval and composition as a clerk checks them, on county reports written for the purpose."""
from __future__ import annotations

import json
import re
import sqlite3
import zipfile

import docx
import pytest

from conftest import archive_with_ta0395, run_draft, run_drafter
from docx_reading import numbered_texts

REPORTS = {
    "阳城县2024年数字政府建设工作总结.txt": (
        "阳城县2024年数字政府建设工作总结\n"
        "一、工作进展\n"
        "阳城县建成城市大脑平台，接入部门业务系统42个，实现城市运行一网统管。\n"
        "全县新建农村公路86公里，完成危桥改造12座，群众出行更加便捷。\n"
        "二、下一步计划\n"
        "建设城市生命线安全监测系统，覆盖燃气、供水管网。\n"),
    "阳城县2021年信息化工作总结.txt": (
        "阳城县2021年信息化工作总结\n"
        "2021年，阳城县城市大脑平台接入部门业务系统15个，初步实现城市运行一网统管。\n"),
    "阳城：城市大脑让县城治理更聪明.txt": (
        "阳城：城市大脑让县城治理更聪明\n"
        "发布时间：2024-06-18\n"
        "记者从阳城县了解到，阳城县建成城市大脑平台，接入部门业务系统42个，实现城市运行一网统管。\n"),
    "高平市2024年农业农村工作总结.txt": (
        "高平市2024年农业农村工作总结\n"
        "高平市建成高标准农田5.2万亩，粮食总产量达到3.1亿斤。\n"),
    "阳谷县智慧城市建设情况.txt": (
        "阳谷县智慧城市建设情况\n"
        "阳谷县建成智慧城市运营指挥中心，接入视频监控3200路。\n"),
}


@pytest.fixture
def county_store(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="gb18030" if "2021" in name else "utf-8")
    return archive_with_ta0395(tmp_path, folder)


def _draft(store, tmp_path, counties, proposal="TA0395", keywords=None):
    """Draft a reply dated 2024-12-01; its sources.json and the .docx path."""
    out = tmp_path / "reply.docx"
    result = run_draft(store, "--proposal", proposal, "--counties", counties, "--output", str(out),
                       "--date", "2024-12-01", "--force", *(["--keywords", keywords] if keywords else []))
    assert result.exit_code == 0, result.output
    return json.loads((tmp_path / "reply.sources.json").read_text(encoding="utf-8")), out


def _progress(sources, county):
    return [e for e in sources["progress"] if e["county"] == county]


def test_the_newest_figure_is_used_once_and_the_older_one_left_out(county_store, tmp_path):
    sources, _ = _draft(county_store, tmp_path, "阳城")
    text = "".join(e["text"] for e in _progress(sources, "阳城县"))
    assert text.count("42个") == 1  # the report and its news repost say it once
    assert "15个" not in text  # the 2021 figure is superseded


def test_an_off_topic_paragraph_about_the_right_county_is_left_out(county_store, tmp_path):
    sources, _ = _draft(county_store, tmp_path, "阳城")
    assert "农村公路" not in json.dumps(sources, ensure_ascii=False)


def test_a_plan_goes_to_next_steps_never_to_progress(county_store, tmp_path):
    sources, _ = _draft(county_store, tmp_path, "阳城")
    assert any("城市生命线安全监测系统" in e["text"] for e in sources["plans"])
    assert not any("城市生命线" in e["text"] for e in sources["progress"])


def test_a_county_with_nothing_on_topic_gets_a_placeholder_not_a_lure(county_store, tmp_path):
    sources, out = _draft(county_store, tmp_path, "阳城,高平")
    gaoping = _progress(sources, "高平市")
    assert len(gaoping) == 1 and gaoping[0]["placeholder"] and gaoping[0]["sources"] == []
    assert "高标准农田" not in docx_text(out)


def test_another_citys_county_never_lands_under_ours(county_store, tmp_path):
    sources, out = _draft(county_store, tmp_path, "阳城,高平")
    assert "阳谷" not in docx_text(out) and "阳谷" not in json.dumps(sources, ensure_ascii=False)


def test_search_shows_scores_and_sources_of_what_a_draft_draws_on(county_store):
    result = run_drafter(county_store, "search", "智慧城市", "--county", "阳城", "--json")
    hits = json.loads(result.output)
    assert hits and all(h["county"] == "阳城县" and h["score"] > 0 and h["document"] for h in hits)
    assert not any("农村公路" in h["text"] for h in hits)
    assert {h["tense"] for h in hits} <= {"progress", "plan"}


def docx_text(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_old_material_is_used_only_when_nothing_newer_exists_and_then_flagged(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "阳城县2012年信息化工作总结.txt").write_text(
        "阳城县2012年信息化工作总结\n2012年，阳城县建成县政府门户网站，开设政府信息公开专栏，全年主动公开信息1600条。\n",
        encoding="utf-8")
    store = tmp_path / "store.sqlite"
    run_drafter(store, "ingest", str(folder))
    csv = tmp_path / "p.csv"
    csv.write_text("案号,案由,第一提案人\nTA0400,关于提升政务公开和政府网站服务水平的提案,张三\n", encoding="utf-8")
    run_drafter(store, "proposals", "import", str(csv))
    out = tmp_path / "old.docx"
    assert run_draft(store, "--proposal", "TA0400", "--counties", "阳城", "--output", str(out),
                     "--date", "2024-05-08").exit_code == 0
    entry = json.loads((tmp_path / "old.sources.json").read_text(encoding="utf-8"))["progress"][0]
    assert "1600条" in entry["text"] and "old-material" in entry["flags"]
    with zipfile.ZipFile(out) as z:  # the clerk sees the warning in Word's comment on the passage
        assert "材料较旧" in z.read("word/comments.xml").decode("utf-8")


def test_digits_lost_in_scraping_are_flagged_never_passed_on_silently(sample_store):
    db = sqlite3.connect(sample_store)
    rows = db.execute("SELECT s.text, s.flags, d.file FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id "
                      "JOIN documents d ON d.id = p.document_id").fetchall()
    db.close()
    broken = [(text, flags) for text, flags, file in rows if file.startswith("003_")
              and any(cut in text for cut in ("达个", "资源多类", "目录个"))]
    assert broken and all("broken-number" in flags for _, flags in broken)
    assert any(text.startswith("年12月29日") and "broken-number" in flags for text, flags, _ in rows)
    assert not any("broken-number" in flags for _, flags, file in rows if file.startswith("002_"))


def test_headings_table_rows_captions_and_shortcomings_are_never_drafted(tmp_path):
    report = docx.Document()
    report.add_heading("阳城县2024年智慧城市建设工作总结", 0)
    report.add_heading("一、城市大脑建设", 1)
    report.add_paragraph("阳城县城市大脑平台接入部门业务系统42个，实现城市运行一网统管。")
    report.add_paragraph("城市大脑主要指标")
    table = report.add_table(rows=2, cols=2)
    for i, row in enumerate([["指标", "2024年"], ["接入智慧城市系统（个）", "42"]]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    report.add_paragraph("现将智慧城市建设工作总结如下。")
    report.add_paragraph("阳城县智慧城市运营指挥中心建成投用，实现重点区域视频全覆盖。")
    report.add_paragraph("智慧城市应用场景仍然较为单一，数据共享还不够充分。")
    folder = tmp_path / "archive"
    folder.mkdir()
    report.save(str(folder / "阳城县2024年智慧城市建设工作总结.docx"))
    store = archive_with_ta0395(tmp_path, folder)
    sources, _ = _draft(store, tmp_path, "阳城")
    texts = [e["text"] for e in _progress(sources, "阳城县")]
    drafted = "".join(texts)
    assert "42个" in drafted and "指挥中心建成投用" in drafted
    for never in ("城市大脑建设", "主要指标", "（个）", "如下", "仍然较为单一"):
        assert never not in drafted, never
    # passages of one source in the source's order
    assert drafted.index("42个") < drafted.index("指挥中心建成投用")


def test_the_newest_report_is_drafted_even_when_a_hundred_old_ones_match_better(tmp_path):
    folder = tmp_path / "decade"
    folder.mkdir()
    for n in range(100):
        (folder / f"old{n:03d}.txt").write_text(
            f"阳城县2015年智慧城市工作{n}\n2015年，阳城县智慧城市智慧城市建设起步，建成智慧城市展厅{n}处，"
            f"开展智慧城市宣传{n}次。\n", encoding="utf-8")
    for n in range(300):  # the rest of the archive, on other work: the topic's words are rare in it
        (folder / f"other{n:03d}.txt").write_text(
            f"阳城县2016年农业工作{n}\n阳城县新建高标准农田{n}亩，粮食生产保持稳定。\n", encoding="utf-8")
    (folder / "new.txt").write_text(
        "阳城县2024年工作总结\n2024年，阳城县统筹推进各项民生事业，持续优化营商环境，教育医疗水平不断提升，"
        "在智慧城市方面完成平台升级，接入部门系统42个，各项工作取得新进展。\n", encoding="utf-8")
    store = archive_with_ta0395(tmp_path, folder)
    sources, _ = _draft(store, tmp_path, "阳城")
    assert "42个" in "".join(e["text"] for e in _progress(sources, "阳城县"))


# --- topics the lexicon does not know --------------------------------------------------------------

TRACEABILITY_REPORTS = {
    "阳城县2024年农产品追溯工作总结.txt": (
        "阳城县2024年农产品追溯工作总结\n"
        "阳城县建成农产品追溯平台，接入生产经营主体126家。\n"
        "全县推行追溯码赋码销售，赋码农产品1.8万批次，消费者扫码即可查询产地和检测信息。\n"
        "阳城县将追溯管理纳入乡镇年度考核，追溯覆盖率达到85%。\n"),
    "高平市2024年市场监管工作情况.txt": (
        "高平市2024年市场监管工作情况\n"
        "高平市在农贸市场推行肉菜追溯系统，接入商户430户。\n"
        "高平市追溯系统与市场监管平台对接，追溯数据实时上传。\n"),
    "阳城县2024年商务工作总结.txt": (
        "阳城县2024年商务工作总结\n"
        "阳城县农产品电商销售额达到3.2亿元，新培育网销品牌6个。\n"),
    "阳城县2024年应急管理工作总结.txt": (
        "阳城县2024年应急管理工作总结\n"
        "阳城县完善应急预案体系，修订各类应急预案46件，组织演练120场次。\n"),
}


def _archive_with(tmp_path, reports: dict[str, str], proposal: str, title: str):
    folder = tmp_path / "archive"
    folder.mkdir(parents=True)
    for name, text in {**REPORTS, **reports}.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = tmp_path / "store.sqlite"
    assert run_drafter(store, "ingest", str(folder)).exit_code == 0
    csv = tmp_path / "p.csv"
    csv.write_text(f"案号,案由,第一提案人\n{proposal},{title},张三\n", encoding="utf-8")
    assert run_drafter(store, "proposals", "import", str(csv)).exit_code == 0
    return store


def test_on_a_topic_the_lexicon_lacks_the_archives_own_topic_word_decides(tmp_path):
    # 追溯 recurs in the documents about it; 体系 and 农产品 turn up here and there: the proposal is
    # answered with traceability, even where 追溯 is its only word (高平), and never with the lures that
    # share a title word (an emergency-plan 体系, farm-produce e-commerce), however rare that word is.
    store = _archive_with(tmp_path, TRACEABILITY_REPORTS, "TA0501", "关于完善农产品质量追溯体系建设的提案")
    sources, out = _draft(store, tmp_path, "阳城,高平", "TA0501")
    yangcheng = "".join(e["text"] for e in _progress(sources, "阳城县"))
    assert "126家" in yangcheng and "1.8万批次" in yangcheng
    assert "430户" in "".join(e["text"] for e in _progress(sources, "高平市"))
    assert "应急预案" not in docx_text(out) and "电商" not in docx_text(out)


FARMING_REPORT = {"陵川县2024年数字田园建设情况.txt": (
    "陵川县2024年数字田园建设情况\n陵川县建成数字田园示范点12个，接入大棚传感设备860台。\n")}


def test_an_offices_own_lexicon_in_drafter_topics_widens_the_topic(tmp_path, monkeypatch):
    store = _archive_with(tmp_path, FARMING_REPORT, "TA0502", "关于推进智慧农业建设的提案")
    sources, _ = _draft(store, tmp_path, "陵川", "TA0502")
    assert [e["placeholder"] for e in _progress(sources, "陵川县")] == [True]  # 数字田园 is not 智慧农业

    topics = tmp_path / "我局主题词表.toml"
    topics.write_text('["智慧农业"]\nterms = ["智慧农业", "数字田园"]\n', encoding="utf-8")
    monkeypatch.setenv("DRAFTER_TOPICS", str(topics))
    sources, _ = _draft(store, tmp_path, "陵川", "TA0502")
    assert "860台" in "".join(e["text"] for e in _progress(sources, "陵川县"))


def test_a_broken_office_lexicon_is_named_and_nothing_is_written(tmp_path, monkeypatch):
    store = _archive_with(tmp_path, FARMING_REPORT, "TA0502", "关于推进智慧农业建设的提案")
    topics = tmp_path / "我局主题词表.toml"
    topics.write_text('["智慧农业"\nterms = ["智慧农业"]\n', encoding="utf-8")
    monkeypatch.setenv("DRAFTER_TOPICS", str(topics))
    result = run_draft(store, "--proposal", "TA0502", "--counties", "陵川", "--output", str(tmp_path / "farming.docx"))
    assert result.exit_code == 1
    assert "主题词表无法读取" in result.output and "我局主题词表.toml" in result.output
    assert "DRAFTER_TOPICS" in result.output
    assert not (tmp_path / "farming.docx").exists()


SERVICE_BOT_REPORTS = {
    "阳城县智能客服上线运行情况.txt": (
        "阳城县智能客服上线运行情况\n"
        "阳城县智能客服系统上线运行，客服知识库收录问答3200条。\n"
        "智能客服全年解答群众咨询5.6万人次，客服转人工率降至8%。\n"),
    "阳城县2024年政务服务工作总结.txt": (
        "阳城县2024年政务服务工作总结\n"
        "阳城县政务服务中心新增帮办代办窗口12个，推行一窗受理。\n"),
}


def test_a_known_word_that_only_qualifies_an_unknown_topic_does_not_take_it_over(tmp_path):
    # In "政务服务智能客服" the lexicon knows 政务服务, but the proposal is about the chatbot: a report
    # on the service centre's windows does not answer it, the chatbot's figures do.
    store = _archive_with(tmp_path, SERVICE_BOT_REPORTS, "TA0503", "关于加快政务服务智能客服建设的提案")
    sources, _ = _draft(store, tmp_path, "阳城", "TA0503")
    drafted = "".join(e["text"] for e in _progress(sources, "阳城县"))
    assert "3200条" in drafted and "5.6万人次" in drafted
    assert "帮办代办" not in drafted


def test_a_sentence_naming_two_counties_is_drafted_once_and_listed_under_the_item_it_stands_in(tmp_path):
    reports = {"晋城市2024年信息化工作总结.txt": (
        "晋城市2024年信息化工作总结\n"
        "阳城县、高平市入选全省新型智慧城市建设试点县，相关做法在全市推广。\n"),
        "阳城县2024年智慧城市工作情况.txt": (
        "阳城县2024年智慧城市工作情况\n"
        "阳城县建成智慧城市运营指挥中心，接入视频监控1800路，城市运行实现一屏统览。\n"
        "阳城县城市大脑平台汇聚数据2.3亿条，支撑智慧交通、智慧环保等场景应用。\n")}
    store = _archive_with(tmp_path, reports, "TA0395", "关于改善我市县级智慧城市建设的建议的提案")
    sources, out = _draft(store, tmp_path, "阳城,高平")
    shared = [e for e in sources["progress"] if "试点县" in e["text"]]
    assert len(shared) == 1  # used once, by the county that needs it
    # the entry names the county of the item it stands in, in the .docx too
    item = next(t for t in numbered_texts(docx.Document(str(out)), out) if "试点县" in t)
    assert re.match(rf"\d+\. {shared[0]['county']}", item), item


READING_REPORTS = {
    "阳城县城市书房建设情况.txt": (
        "阳城县城市书房建设情况\n"
        "阳城县建成城市书房8座，城市书房全年接待读者12万人次。\n"
        "阳城县城市书房实行24小时开放，市民刷卡即可入内阅读。\n"),
    "城区城市书房运营情况.txt": (
        "城区城市书房运营情况\n"
        "城区城市书房与社区共建，城市书房开展阅读活动260场。\n"),
    "陵川县2024年数字政府工作总结.txt": (
        "陵川县2024年数字政府工作总结\n"
        "陵川县推进数字政府建设，政务事项网上可办率达到98%。\n"),
    "泽州县2024年文化工作总结.txt": (
        "泽州县2024年文化工作总结\n"
        "泽州县图书馆全年接待读者8万人次，举办讲座40场。\n"),
    "高平市数字图书馆上线运行.txt": (
        "高平市数字图书馆上线运行\n"
        "高平市数字图书馆上线运行，馆藏电子图书12万册。\n"),
}


@pytest.mark.parametrize("joined_by", ["和", "、"])
def test_each_of_a_titles_joined_phrases_names_the_topic_when_said_whole(tmp_path, joined_by):
    # "城市书房和数字图书馆": the reading-room words dominate the archive, yet a report that says
    # 数字图书馆 answers the proposal; a library's visitor count, which says only 图书馆, does not.
    store = _archive_with(tmp_path, READING_REPORTS, "TA0504", f"关于加快建设城市书房{joined_by}数字图书馆的提案")
    sources, _ = _draft(store, tmp_path, "高平,泽州", "TA0504")
    assert "12万册" in "".join(e["text"] for e in _progress(sources, "高平市"))
    assert [e["placeholder"] for e in _progress(sources, "泽州县")] == [True]


@pytest.mark.parametrize("story, left_out", [
    ("记者近日从阳城县数据局了解到，阳城县智慧城市运营指挥中心接入视频监控2600路，实现城市运行一屏统览。\n"
     "据县数据局负责人介绍，阳城县城市大脑已汇聚各类数据1.6亿条。\n", ("记者", "负责人介绍")),
    ("本报讯 通讯员王某报道：9月10日，阳城县智慧城市运营指挥中心正式投入使用，接入视频监控2600路。\n"
     "据悉，阳城县城市大脑已汇聚各类数据1.6亿条。\n"
     "“现在看一眼大屏就知道全城的情况。”值班人员笑着说。\n", ("本报讯", "据悉", "大屏")),
])
def test_a_news_storys_attribution_and_quotes_are_left_out_of_the_bureaus_reply(tmp_path, story, left_out):
    # The paper's voice (记者…了解到, 本报讯, 据悉) and someone else's words are not the bureau's: the reply keeps
    # the facts from where they start.
    reports = {"阳城县智慧城市运营指挥中心.txt": "阳城县智慧城市运营指挥中心投入使用\n发布时间：2024-09-12\n" + story}
    store = _archive_with(tmp_path, reports, "TA0395", "关于改善我市县级智慧城市建设的建议的提案")
    sources, out = _draft(store, tmp_path, "阳城")
    drafted = "".join(e["text"] for e in _progress(sources, "阳城县"))
    assert "2600路" in drafted and "1.6亿条" in drafted
    body = docx_text(out)
    assert not [word for word in left_out if word in body]


def test_a_title_joining_two_topics_is_answered_on_both(tmp_path):
    reports = {
        "阳城县人民医院互联网医院运行情况.txt": (
            "阳城县人民医院互联网医院运行情况\n"
            "阳城县人民医院互联网医院上线运行，全年在线复诊4600人次。\n"),
        "高平市2024年养老服务工作总结.txt": (
            "高平市2024年养老服务工作总结\n"
            "高平市建成智慧养老服务平台，为1200户独居老人安装一键呼叫设备。\n"
            "高平市新建农村幸福院12所，改造床位300张。\n")}
    store = _archive_with(tmp_path, reports, "TA0505", "关于推进互联网医院和智慧养老建设的提案")
    sources, _ = _draft(store, tmp_path, "阳城,高平", "TA0505")
    assert "4600人次" in "".join(e["text"] for e in _progress(sources, "阳城县"))
    gaoping = "".join(e["text"] for e in _progress(sources, "高平市"))
    assert "一键呼叫" in gaoping and "幸福院" not in gaoping


def test_search_tells_the_clerk_how_it_read_the_words(county_store, tmp_path):
    topic = run_drafter(county_store, "search", "智慧城市", "--county", "阳城").output.splitlines()[0]
    assert "按主题“智慧城市”检索" in topic and "城市大脑" in topic
    store = _archive_with(tmp_path / "traceability", TRACEABILITY_REPORTS, "TA0501",
                          "关于完善农产品质量追溯体系建设的提案")
    words = run_drafter(store, "search", "农产品追溯体系").output.splitlines()[0]
    assert "主题词表中没有这一主题" in words and "追溯" in words
    hits = run_drafter(store, "search", "农产品追溯体系").output
    assert "126家" in hits


def test_the_clerks_keywords_bring_in_what_the_title_does_not_name(tmp_path):
    reports = {"阳城县2024年平安建设工作总结.txt": (
        "阳城县2024年平安建设工作总结\n"
        "阳城县雪亮工程新增视频点位3200个，实现重点公共区域全覆盖。\n"
        "阳城县新建农村公路45公里。\n")}
    store = _archive_with(tmp_path, reports, "TA0395", "关于改善我市县级智慧城市建设的建议的提案")
    sources, _ = _draft(store, tmp_path, "阳城")
    assert "3200个" not in "".join(e["text"] for e in _progress(sources, "阳城县"))
    sources, _ = _draft(store, tmp_path, "阳城", keywords="雪亮工程")
    drafted = "".join(e["text"] for e in _progress(sources, "阳城县"))
    assert "3200个" in drafted and "农村公路" not in drafted


def test_a_plan_written_years_before_the_draft_is_stale_and_left_out(tmp_path):
    reports = {
        "阳城县2017年智慧城市工作总结.txt": (
            "阳城县2017年智慧城市工作总结\n"
            "2017年，阳城县城市大脑平台接入业务系统15个。\n"
            "下一步，阳城县将建设智慧停车平台，新增智慧泊位800个。\n"),
        "阳城县2022年智慧城市工作总结.txt": (
            "阳城县2022年智慧城市工作总结\n"
            "2022年，阳城县城市大脑平台接入业务系统42个。\n"
            "下一步，阳城县将建设城市生命线安全监测系统，覆盖燃气、供水管网。\n")}
    store = _archive_with(tmp_path, reports, "TA0395", "关于改善我市县级智慧城市建设的建议的提案")
    sources, _ = _draft(store, tmp_path, "阳城")  # dated 2024-12-01, an archive that ends in 2022
    plans = "".join(e["text"] for e in sources["plans"])
    assert "城市生命线" in plans  # 2022's plan still stands
    assert "智慧泊位" not in plans  # 2017's was due long ago
    assert "42个" in "".join(e["text"] for e in _progress(sources, "阳城县"))


def test_search_takes_several_counties_and_refuses_an_unknown_one_by_name(sample_store):
    import json
    from conftest import run_drafter
    hits = json.loads(run_drafter(sample_store, "search", "智慧城市", "--county", "阳城，高平", "--json").output)
    assert {h["county"] for h in hits} == {"阳城县", "高平市"}
    refused = run_drafter(sample_store, "search", "智慧城市", "--county", "阳城,阳谷")
    assert refused.exit_code == 1 and "阳谷" in refused.stderr and "聊城市" in refused.stderr


def test_an_annual_reports_preamble_is_never_drafted_and_a_label_keeps_its_figures(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "高平市人民政府2024年政府信息公开工作年度报告.txt").write_text(
        "高平市人民政府2024年政府信息公开工作年度报告\n"
        "本报告根据《中华人民共和国政府信息公开条例》规定的内容和格式编制。全文包括总体情况、主动公开政府信息情况等六个部分。"
        "报告中所列数据统计期限自2024年1月1日起至2024年12月31日止。\n"
        "一、总体情况\n"
        "(一)加强政务公开平台建设。\n"
        "主动公开方面。高平市政府门户网站全年主动公开政府信息3125条，其中政策文件216条、政策解读88条。\n",
        encoding="utf-8")
    store = tmp_path / "store.sqlite"
    run_drafter(store, "ingest", str(folder))
    csv = tmp_path / "p.csv"
    csv.write_text("案号,案由,第一提案人\nTA0501,关于进一步提升政府信息公开质量的提案,王明\n", encoding="utf-8")
    run_drafter(store, "proposals", "import", str(csv))
    sources, _ = _draft(store, tmp_path, "高平", proposal="TA0501")
    text = "".join(e["text"] for e in _progress(sources, "高平市"))
    assert "本报告" not in text and "统计期限" not in text and "六个部分" not in text
    assert "加强政务公开平台建设" not in text  # a label paragraph alone is a heading
    assert "3125条" in text


def test_a_towns_report_gets_a_say_beside_its_countys_long_paragraph(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "阳城县2024年政府信息公开工作年度报告.txt").write_text(
        "阳城县2024年政府信息公开工作年度报告\n"
        + "".join(f"阳城县第{n}批政务公开专栏完成改版，政府信息公开目录、依申请公开指南、主动公开栏目和政策解读同步更新。"
                  for n in range(1, 9))
        + "\n", encoding="utf-8")
    (folder / "阳城县凤城镇2024年政府信息公开工作年度报告.txt").write_text(
        "阳城县凤城镇2024年政府信息公开工作年度报告\n"
        "2024年，阳城县凤城镇通过镇政务公开栏发布信息86条。\n", encoding="utf-8")
    store = tmp_path / "store.sqlite"
    run_drafter(store, "ingest", str(folder))
    csv = tmp_path / "p.csv"
    csv.write_text("案号,案由,第一提案人\nTA0501,关于进一步提升政府信息公开质量的提案,王明\n", encoding="utf-8")
    run_drafter(store, "proposals", "import", str(csv))
    sources, _ = _draft(store, tmp_path, "阳城", proposal="TA0501")
    items = _progress(sources, "阳城县")
    assert "发布信息86条" in "".join(e["text"] for e in items)
    assert len({e["sources"][0]["document"] for e in items}) == 2


def test_a_paragraph_under_a_heading_that_names_the_topic_is_on_it(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "高平市2024年政府信息公开工作年度报告.txt").write_text(
        "高平市2024年政府信息公开工作年度报告\n"
        "一、总体情况\n"
        "（一）政府信息主动公开情况\n"
        "2024年以来，高平市累计发布政府信息560条，其中政策落实类信息40条、工作动态类信息320条、"
        "其他类信息（含人事、采购、通知等内容）200条，做到了应公开尽公开。\n"
        "（二）农村公路建设情况\n"
        "高平市新建农村公路86公里，完成危桥改造12座，全市农村公路通达率保持100%，群众出行更加便捷安全。\n",
        encoding="utf-8")
    store = tmp_path / "store.sqlite"
    run_drafter(store, "ingest", str(folder))
    csv = tmp_path / "p.csv"
    csv.write_text("案号,案由,第一提案人\nTA0501,关于进一步提升政府信息公开质量的提案,王明\n", encoding="utf-8")
    run_drafter(store, "proposals", "import", str(csv))
    sources, _ = _draft(store, tmp_path, "高平", proposal="TA0501")
    text = "".join(e["text"] for e in _progress(sources, "高平市"))
    assert "累计发布政府信息560条" in text and "农村公路" not in text


def test_a_topic_before_a_preposition_is_the_head_of_the_title(tmp_path):
    # "政务服务向乡镇村延伸": 向 opens what is done with 政务服务; a service centre's report answers the
    # proposal although it never says 乡镇 or 延伸.
    reports = {
        "阳城县政务服务中心推行延时服务.txt": (
            "阳城县政务服务中心推行延时服务\n"
            "阳城县政务服务中心推行延时服务，设置便民窗口30个，全年办理事项12.6万件。\n"),
        "高平市乡镇农村公路建设情况.txt": (
            "高平市乡镇农村公路建设情况\n高平市各乡镇新建农村公路86公里，公路向村组延伸。\n"),
        "泽州县乡镇文化站建设情况.txt": (
            "泽州县乡镇文化站建设情况\n泽州县乡镇文化站全年开展活动260场，服务向基层延伸。\n")}
    store = _archive_with(tmp_path, reports, "TA0506", "关于推动政务服务向乡镇村延伸的提案")
    sources, _ = _draft(store, tmp_path, "阳城,高平", "TA0506")
    assert "12.6万件" in "".join(e["text"] for e in _progress(sources, "阳城县"))
    assert [e["placeholder"] for e in _progress(sources, "高平市")] == [True]


def test_a_docx_tables_rows_are_found_by_search_but_never_drafted(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    document = docx.Document()
    document.add_heading("高平市2024年政务服务工作情况", 1)
    document.add_paragraph("高平市持续深化政务服务改革，全年办理政务服务事项12万件。")
    table = document.add_table(rows=2, cols=3)
    for i, row in enumerate([["指标", "2023年", "2024年"], ["帮办代办事项", "120项", "260项"]]):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    document.save(str(folder / "高平市2024年政务服务工作情况.docx"))
    store = tmp_path / "store.sqlite"
    run_drafter(store, "ingest", str(folder))
    hits = json.loads(run_drafter(store, "search", "帮办代办", "--county", "高平", "--json").output)
    assert any("260项" in h["text"] for h in hits)
    csv = tmp_path / "p.csv"
    csv.write_text("案号,案由,第一提案人\nTA0507,关于推广帮办代办服务的提案,王明\n", encoding="utf-8")
    run_drafter(store, "proposals", "import", str(csv))
    sources, _ = _draft(store, tmp_path, "高平", proposal="TA0507")
    assert "260项" not in json.dumps(sources, ensure_ascii=False)


SERVICE_AND_OTHER_REPORTS = {
    "阳城县2024年政务服务工作总结.txt": (
        "阳城县2024年政务服务工作总结\n"
        "阳城县深化“一网通办”改革，政务服务事项网上可办率达到98%，全年网上办件8.6万件。\n"
        "阳城县在县政务服务中心设立帮办代办窗口，为老年人等群体提供帮办代办服务1260件。\n"
        "阳城县在12个乡镇便民服务中心布设自助服务终端36台，群众就近即可打印证明。\n"),
    "高平市2024年政务服务工作情况.txt": (
        "高平市2024年政务服务工作情况\n"
        "高平市推行“一窗受理、集成服务”，综合窗口受理事项1800项，群众办事平均跑动次数降至0.3次。\n"
        "高平市组建帮办代办队伍56人，全年上门帮办服务420次。\n"),
    "泽州县残疾人联合会2024年工作总结.txt": (
        "泽州县残疾人联合会2024年工作总结\n"
        "泽州县为残疾人发放两项补贴2300万元，惠及残疾人1.2万人。\n"
        "泽州县完成残疾人家庭无障碍改造320户，组织残疾人职业技能培训15期。\n"),
    **{f"陵川县2024年{topic}工作总结.txt": f"陵川县2024年{topic}工作总结\n{text}\n" for topic, text in {
        "社会信用": "陵川县完善守信激励和失信惩戒机制，归集信用信息32万条。",
        "应急管理": "陵川县建成应急指挥平台，整合监测预警信息12类，组织防汛演练16次。",
        "教育": "陵川县新建智慧教室60间，实现专递课堂全覆盖。",
        "文化旅游": "陵川县接待游客860万人次，建成智慧景区3个。",
        "交通运输": "陵川县新建农村公路120公里，开通城乡公交线路12条。",
        "卫生健康": "陵川县建成互联网医院2家，远程会诊1.2万例。"}.items()},
}


def test_a_topic_the_lexicon_lacks_is_widened_by_the_group_its_best_matches_talk_about(tmp_path):
    # "上门帮办服务方便残疾人等特殊群体办事": no lexicon term is in the title, and 残疾人 is the rarest word;
    # the archive's best matches are 帮办代办 reports, so the 政务服务 group joins the query.
    store = _archive_with(tmp_path, SERVICE_AND_OTHER_REPORTS, "TA0508",
                          "关于推广上门帮办服务方便残疾人等特殊群体办事的提案")
    sources, _ = _draft(store, tmp_path, "阳城,高平,泽州", "TA0508")
    assert "1260件" in "".join(e["text"] for e in _progress(sources, "阳城县"))
    assert "420次" in "".join(e["text"] for e in _progress(sources, "高平市"))
    assert [e["placeholder"] for e in _progress(sources, "泽州县")] == [True]  # the disabled persons' union is no answer
