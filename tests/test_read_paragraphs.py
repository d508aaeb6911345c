"""The mender and the line tests: what joins, what stays apart, what is chrome, what is a date."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.read.clean import comparable, dateline_date, find_date, is_chrome, labelled_date, normalise
from drafter.read.paragraphs import Line, mend


def joined(*lines: str) -> list[str]:
    return [p.text for p in mend(Line(x) for x in lines)]


def test_a_line_ending_in_a_pause_mark_continues_across_a_blank_line():
    assert joined("包含城市大脑、智慧养老、", "", "数字乡村等 16 个子项目。") == ["包含城市大脑、智慧养老、数字乡村等 16 个子项目。"]


def test_a_long_paragraph_cut_mid_sentence_by_a_page_break_is_joined():
    first = "二是进一步夯实了云网等基础设施，实现城市运行一网统管，保障了全市政务体系的高效运转。明确市"
    assert joined(first, "", "级政务云满足全市各政府部门云资源需求。") == [first + "级政务云满足全市各政府部门云资源需求。"]


def test_a_heading_is_never_glued_to_the_paragraph_under_it():
    assert joined("推进大数据应用平台建设", "2019年是我市大数据应用的改革之年。") == [
        "推进大数据应用平台建设", "2019年是我市大数据应用的改革之年。"]
    assert joined("一、工作进展", "", "1. 阳城县推进政务服务一网通办。") == ["一、工作进展", "1. 阳城县推进政务服务一网通办。"]


def test_a_numbered_item_or_a_yearbook_marker_starts_a_new_paragraph():
    assert joined("近年来各县均取得一定成效，主要有：", "1. 阳城县建成大数据中心。", "2、城区建成便民平台。") == [
        "近年来各县均取得一定成效，主要有：", "1. 阳城县建成大数据中心。", "2、城区建成便民平台。"]
    assert joined("全年推送信息1800条，其中", "【泽州县】开通网上问政。") == ["全年推送信息1800条，其中", "【泽州县】开通网上问政。"]


def test_inline_enumeration_is_not_an_item_start():
    assert joined("围绕三个方面开展工作，", "一是健全机制。") == ["围绕三个方面开展工作，一是健全机制。"]


def test_a_number_cut_after_its_decimal_point_is_joined_without_space():
    assert joined("全年完成远程影像诊断5.", "3万例。") == ["全年完成远程影像诊断5.3万例。"]


def test_a_line_ending_a_sentence_ends_its_paragraph():
    assert joined("全年受理来电118万件。", "市县两级工单实现自动分拨。") == ["全年受理来电118万件。", "市县两级工单实现自动分拨。"]


def test_punctuation_pushed_to_the_next_line_goes_back():
    assert joined("在14个乡镇推广“扫码办”服务", "，群众扫码即可预约办事。") == ["在14个乡镇推广“扫码办”服务，群众扫码即可预约办事。"]


def test_words_of_latin_text_keep_their_space_and_lose_the_hyphen():
    assert joined("支持 IPv4 和 IPv6 的双栈协议，按照统一标准覆盖全县党政机关，推进 cloud-", "native apps") == [
        "支持 IPv4 和 IPv6 的双栈协议，按照统一标准覆盖全县党政机关，推进 cloudnative apps"]


CJK_TEXT = st.text(alphabet=st.sampled_from(list("县城区建成平台数据一二、，。；：1234.万（）【】“”　 \n")), max_size=80)


@settings(max_examples=150, deadline=None)
@given(st.lists(CJK_TEXT, max_size=12))
def test_mending_never_loses_or_invents_a_character(lines):
    lines = [part for line in lines for part in line.split("\n")]
    before = "".join(comparable(normalise(x)) for x in lines)
    after = "".join(comparable(p.text) for p in mend(Line(x) for x in lines))
    assert before == after


def test_chrome_lines_are_recognised():
    for line in ("首页 理论教育 聊城大数据工作成果-聊城年鉴", "时间:2023-08-09 理论教育 版权反馈", "我要反馈",
                 "免责声明:以上内容源自网络,版权归原作者所有", "分享到：微信 微博", "【字号 大 中 小】",
                 "版权所有：晋城市人民政府", "晋ICP备05001234号", "转载请注明:http://www.example.com/a.html",
                 "(苑金海)", "网站首页 | 政务公开 | 办事服务"):
        assert is_chrome(line), line
    for line in ("中华老字号企业新增3家。", "资金主要来源于县财政。", "推进大数据应用平台建设"):
        assert not is_chrome(line), line


def test_dates_are_read_as_written_and_never_invented():
    assert find_date("2025年2月6日在沁水县") == "2025-02-06"
    assert find_date("日期：2023-8-14") == "2023-08-14"
    assert find_date("2024年11月") == "2024-11"
    assert find_date("2024年工作总结") is None
    assert labelled_date("发布时间：2023-08-14 来源：县政府") == "2023-08-14"
    assert labelled_date("晋城日报 2023-12-05") is None
    assert dateline_date("晋城日报　2023-12-05") == "2023-12-05"
    assert dateline_date("（沁水县融媒体中心　2023年10月）") == "2023-10"
    assert dateline_date("2019年1月30日，我市大数据应用局正式挂牌运行") is None
