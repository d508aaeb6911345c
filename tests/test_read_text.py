"""A clerk's .txt files: any encoding, CRLF, hard wraps, page breaks, scraped pages, the model reply."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafter.errors import ReadError
from drafter.read import SUPPORTED_SUFFIXES, read

SEEDS = Path(os.environ.get("DRAFTER_SEEDS", "/work/shared/seeds"))
if not SEEDS.is_dir():
    SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "samples"


def seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return found[0]


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


def body(doc) -> str:
    return "\n".join(texts(doc))


# A county report as an old office PC saves it: GB18030, CRLF, lines cut at 30 characters,
# paragraphs opened by a full-width indent, one number ("5.3万例") cut across two lines.
WRAPPED_REPORT = "\r\n".join([
    "陵川县卫生健康和体育局2024年度数字健康工作总结",
    "",
    "　　2024年，我局以紧密型县域医共体建设为主线，并坚持把“互联网",
    "+医疗健康”作为改善群众就医体验的重要举措。现将全年工作总结如下。",
    "一、远程诊断服务网络持续完善",
    "　　依托县人民医院建成县域远程影像、远程检验两大诊断中心，与全县1",
    "3个乡镇卫生院和204个村卫生室互联互通，当年开展远程影像诊断5.",
    "3万例，乡村采集影像、县里出具报告的做法已经普及。现有158个村卫",
    "生室配备智能健康设备。",
    "二、2025年工作安排",
    "　　一是拟建设县域检验云平台，推动检验报告在全县各级机构通用。",
    "　　陵川县卫生健康和体育局",
    "　　2025年1月22日",
])


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_gb18030_report_with_crlf_and_hard_wraps_reads_as_whole_paragraphs(tmp_path):
    doc = read(write(tmp_path, "总结.txt", WRAPPED_REPORT.encode("gb18030")))
    assert doc.title == "陵川县卫生健康和体育局2024年度数字健康工作总结"
    assert "与全县13个乡镇卫生院和204个村卫生室互联互通" in body(doc)
    assert "当年开展远程影像诊断5.3万例" in body(doc)
    assert "现有158个村卫生室配备智能健康设备。" in body(doc)
    assert "把“互联网+医疗健康”作为" in body(doc)
    assert not any("\r" in t or "\n" in t for t in texts(doc))


def test_headings_in_a_wrapped_report_are_not_glued_to_the_text_and_set_the_section(tmp_path):
    doc = read(write(tmp_path, "总结.txt", WRAPPED_REPORT.encode("gb18030")))
    headings = [b.text for b in doc.blocks if b.heading]
    assert headings == ["一、远程诊断服务网络持续完善", "二、2025年工作安排"]
    plan = next(b for b in doc.blocks if b.text.startswith("一是拟建设"))
    assert plan.section == ("二、2025年工作安排",)
    progress = next(b for b in doc.blocks if "5.3万例" in b.text)
    assert progress.section == ("一、远程诊断服务网络持续完善",)


def test_the_sign_off_unit_and_date_go_to_the_context_and_give_the_date(tmp_path):
    doc = read(write(tmp_path, "总结.txt", WRAPPED_REPORT.encode("gb18030")))
    assert doc.date == "2025-01-22"
    assert "陵川县卫生健康和体育局" in doc.context and "2025年1月22日" in doc.context
    assert not any("2025年1月22日" == t for t in texts(doc))
    assert doc.kind == "report"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-16-be", "gbk"])
def test_the_encoding_is_judged_from_the_content_not_the_name(tmp_path, encoding):
    text = "沁水县政务新媒体运营情况\n\n　　县政府网站开设“一图读懂”专栏，全年推送各类信息2700余条。\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    doc = read(write(tmp_path, "a.txt", data))
    assert doc.title == "沁水县政务新媒体运营情况"
    assert texts(doc) == ["县政府网站开设“一图读懂”专栏，全年推送各类信息2700余条。"]


def test_a_binary_file_named_txt_is_refused_with_a_hint(tmp_path):
    data = bytes(range(256)) * 40
    with pytest.raises(ReadError) as caught:
        read(write(tmp_path, "照片.txt", data))
    assert "不是文本文件" in caught.value.message
    assert "扩展名" in caught.value.hint


def test_an_empty_or_blank_file_is_refused(tmp_path):
    with pytest.raises(ReadError, match="文件为空"):
        read(write(tmp_path, "空.txt", b""))
    with pytest.raises(ReadError, match="文件为空"):
        read(write(tmp_path, "空白.txt", "\r\n　　 \r\n\t\r\n".encode("utf-8")))


def test_an_unknown_format_or_missing_file_is_refused(tmp_path):
    with pytest.raises(ReadError, match="不支持的文件格式"):
        read(write(tmp_path, "a.doc", b"x"))
    with pytest.raises(ReadError, match="找不到文件"):
        read(tmp_path / "missing.txt")
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".html", ".htm", ".docx", ".pdf"}


def test_zero_width_characters_and_odd_spaces_are_cleaned(tmp_path):
    text = "标题\n\n　　全县\u200b新建 便民驿站\u00a019个，\ufeff覆盖 13 个乡镇。\n"
    doc = read(write(tmp_path, "a.txt", text.encode("utf-8")))
    # A space beside a digit may stay ("13 个"); between two CJK characters it goes.
    assert texts(doc) == ["全县新建便民驿站 19个，覆盖 13 个乡镇。"]


def test_a_yearbook_marker_names_the_section_of_its_paragraph_and_the_next(tmp_path):
    text = "\r\n".join([
        "智慧城市", "", "　　《晋城年鉴（2023）》", "",
        "　　【概况】2022年，全市推进智慧城市建设。", "",
        "　　【沁水县】在城区主要路口安装智能信号灯57台。", "",
        "　　为全县9个乡镇配备应急无人机8架。", "",
        "　　【阳城县】上线“阳城通”小程序。",
    ])
    doc = read(write(tmp_path, "年鉴.txt", text.encode("gb18030")))
    assert [(b.text, b.section) for b in doc.blocks] == [
        ("2022年，全市推进智慧城市建设。", ("概况",)),
        ("在城区主要路口安装智能信号灯57台。", ("沁水县",)),
        ("为全县9个乡镇配备应急无人机8架。", ("沁水县",)),
        ("上线“阳城通”小程序。", ("阳城县",)),
    ]
    assert doc.kind == "yearbook"
    assert doc.date == "2023"
    assert "《晋城年鉴（2023）》" in doc.context


def test_a_source_line_goes_to_the_context_and_dates_the_news(tmp_path):
    text = "武乡县：智慧农业服务助力山乡增收\n\n　　来源：长治日报　2024-09-06\n\n　　武乡县农技中心开展线上培训1.2万人次。\n"
    doc = read(write(tmp_path, "a.txt", text.encode("utf-8")))
    assert texts(doc) == ["武乡县农技中心开展线上培训1.2万人次。"]
    assert "长治日报" in doc.context
    assert doc.date == "2024-09-06"
    assert doc.kind == "news"


def test_no_date_is_invented(tmp_path):
    doc = read(write(tmp_path, "a.txt", "城区简讯\n\n　　城区新建街角游园7处。\n".encode("utf-8")))
    assert doc.date is None


# --- the seeds -------------------------------------------------------------------------------

def test_page_break_splits_in_the_model_reply_are_mended():
    doc = read(seed("002"))
    text = body(doc)
    assert "智慧养老、数字乡村、数字农业" in text
    assert "明确市级政务云满足全市各政府部门云资源需求" in text
    assert "进一步规范管理软硬件国产化" in text
    assert "《关于深化智慧城市市发展" in text
    assert not any(t.startswith(("数字乡村", "级政务云", "范管理", "市发展")) for t in texts(doc))


def test_the_model_reply_keeps_its_sections_items_and_title():
    doc = read(seed("002"))
    assert doc.title == "关于市政协八届三次会议第TA0395号提案的答复"
    assert doc.kind == "reply"
    assert "晋城市数据局" in doc.context and "A类" in doc.context
    headings = [b.text for b in doc.blocks if b.heading]
    assert headings == ["一、工作进展", "二、下一步计划"]
    items = [b for b in doc.blocks if b.text[:2] in ("1.", "2.", "3.", "4.", "5.", "6.")]
    assert [b.text[:2] for b in items] == ["1.", "2.", "3.", "4.", "5.", "6.", "1.", "2.", "3.", "4.", "4."]
    assert all(not b.heading for b in items)
    assert items[0].text.startswith("1. 阳城县") and items[0].section == ("一、工作进展",)
    assert items[-1].section == ("二、下一步计划",)
    assert texts(doc)[0] == "李惠英委员："


def test_signature_labels_of_the_model_reply_are_not_body_text():
    doc = read(seed("002"))
    assert not any(t.replace(" ", "").startswith(("负责人", "承办人", "联系电话")) for t in texts(doc))
    assert "任彦旭" in doc.context


def test_site_chrome_of_a_scraped_yearbook_page_is_dropped_into_the_context():
    doc = read(seed("001"))
    text = body(doc)
    for chrome in ("首页", "版权反馈", "免责声明", "我要反馈", "www.", "理论教育", "(苑金海)"):
        assert chrome not in text
    assert "免责声明" in doc.context and "www.xing528.com" in doc.context
    assert doc.title == "聊城大数据工作成果-聊城年鉴"
    assert doc.date == "2023-08-09"
    assert doc.kind == "yearbook"


def test_the_abstract_that_repeats_the_body_is_stored_once():
    doc = read(seed("001"))
    sentence = "2019年12月底,聊城大数据局共有在编人员20人"
    assert sum(sentence in t for t in texts(doc)) == 1
    assert not any("摘要" in b.section for b in doc.blocks)
    assert not any(t == "聊城大数据工作成果-聊城年鉴" for t in texts(doc))


def test_yearbook_markers_become_sections_without_the_brackets():
    doc = read(seed("001"))
    block = next(b for b in doc.blocks if b.text.startswith("建成智慧城市运行管理平台"))
    assert block.section == ("新型智慧城市建设",)
    caption = next(b for b in doc.blocks if b.text.startswith("7月22日"))
    assert caption.section == ("数字政府建设",)
    assert not any(t.startswith("【") for t in texts(doc))


def test_a_reporters_byline_and_reprint_notice_are_not_body_text():
    doc = read(seed("003"))
    assert "记者闫丽君" in doc.context
    assert not any("记者闫丽君" in t or "转载请注明" in t or "http" in t for t in texts(doc))
    assert doc.title == seed("003").stem


def test_short_headlines_in_city_news_set_the_section():
    doc = read(seed("000"))
    assert doc.title == "晋城大数据应用领跑全省第一方阵"
    block = next(b for b in doc.blocks if b.text.startswith("开发部署大数据应用系统"))
    assert block.section == ("开发推广大数据应用系统",)
    assert sum(b.heading for b in doc.blocks) == 3


def test_an_old_yearbook_entry_is_dated_by_its_title_year():
    doc = read(seed("004"))
    assert doc.title.startswith("信息化建设2012年")
    assert doc.date == "2012"


def test_a_reposted_paragraph_is_kept_once_and_the_full_copy_wins(tmp_path):
    para = "县城充电设施项目一期建成，设置公共充电车位260个，缓解了县城充电难问题，群众出行更方便。"
    text = "\n\n".join([
        "安泽县信息化工作", "　　" + para[:30] + "。", "　　" + para,
        "　　全县储备防汛沙袋8万条、橡皮艇6艘，汛期未发生险情。",
        "　　" + para.replace("群众出行更方便", "群众出行更加方便").replace("，", ","),
        "　　全年无事故。", "　　全年无事故。",
    ])
    doc = read(write(tmp_path, "a.txt", text.encode("utf-8")))
    assert texts(doc) == [para, "全县储备防汛沙袋8万条、橡皮艇6艘，汛期未发生险情。", "全年无事故。", "全年无事故。"]


def test_a_mirrors_clock_and_metadata_list_never_date_the_notice(tmp_path):
    path = tmp_path / "莱阳市政务数据共享实施方案（转载）.txt"
    path.write_text(
        "2025年4月16日 星期三\n"
        "  • 索 引 号:011336909/2015-00650\n"
        "  • 发布日期:2015年05月20日\n"
        "各镇人民政府、街道办事处，市直有关部门：\n"
        "  市大数据中心制定的《莱阳市政务数据共享实施方案》已经市政府同意，现转发给你们，请结合实际，认真组织实施。\n"
        "  一、工作目标\n"
        "  利用三年时间，建成全市统一的政务数据共享交换平台，实现部门数据按需共享。\n", encoding="utf-8")
    doc = read(path)
    assert doc.date.startswith("2015")
    assert "星期三" not in body(doc) and "索" not in body(doc)


def test_an_annual_report_published_next_january_speaks_of_its_titles_year():
    from drafter.models import Block, ParsedDocument
    from drafter.understand.when import document_year
    doc = ParsedDocument(title="招远市2024年政府信息公开工作年度报告", blocks=(Block("正文。", ()),), date="2025-01-06")
    assert document_year(doc) == 2024
    news = ParsedDocument(title="招远市2019年以来政务服务改革成效", blocks=(Block("正文。", ()),), date="2024-05-06")
    assert document_year(news) == 2024
