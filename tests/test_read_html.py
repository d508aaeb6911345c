"""Saved government web pages: the article is kept, the site's frame tells whose page it is."""
from __future__ import annotations

from pathlib import Path

from drafter.read import read

PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>陵川县数字城管平台让县城管理更精细_陵川县人民政府</title>
<meta name="PubDate" content="2024-07-16 09:30">
<style>.nav {{ color: red }}</style><script>var 首页 = "不该出现";</script></head>
<body>
<div class="top"><span>陵川县人民政府</span><span>简体版 | 繁體版 | 无障碍</span></div>
<ul class="nav"><li><a href="/">网站首页</a></li><li><a href="/zw/">政务公开</a></li></ul>
<div class="crumbs">当前位置：首页 &gt; 陵川要闻</div>
<div class="article">
<h1>陵川县数字城管平台让县城管理更精细</h1>
<div class="info">发布时间：2024-07-16　来源：陵川县城市管理局　【字号 大 中 小】</div>
<div class="share">分享到：微信 微博</div>
<p>　　陵川县数字城管平台运行以来，累计立案处置城市管理问题1.7万件，结案率98%。</p>
<h3>智慧公厕</h3>
<p>　　县城管局还建成智慧公厕23座，实时显示厕位使用、空气质量等信息。</p>
<p>　　下一步，将推动平台向乡镇延伸。</p>
</div>
<div class="related"><b>相关链接</b><a href="#">阳谷县召开政务公开工作会议</a></div>
<div class="footer">版权所有：陵川县人民政府办公室　主办单位：陵川县人民政府　网站标识码：1405240001
<br>晋ICP备05001234号</div>
</body></html>
"""


def write_page(tmp_path: Path, name: str = "page.html", encoding: str = "gbk") -> Path:
    path = tmp_path / name
    path.write_bytes(PAGE.format().encode(encoding))
    return path


def test_a_gbk_page_keeps_only_the_article(tmp_path):
    doc = read(write_page(tmp_path))
    assert [b.text for b in doc.blocks] == [
        "陵川县数字城管平台运行以来，累计立案处置城市管理问题1.7万件，结案率98%。",
        "智慧公厕",
        "县城管局还建成智慧公厕23座，实时显示厕位使用、空气质量等信息。",
        "下一步，将推动平台向乡镇延伸。",
    ]


def test_menus_breadcrumbs_share_bars_and_footers_never_reach_the_text(tmp_path):
    doc = read(write_page(tmp_path))
    text = "\n".join(b.text for b in doc.blocks)
    for chrome in ("网站首页", "当前位置", "分享到", "字号", "版权所有", "网站标识码", "ICP备", "相关链接", "阳谷县",
                   "不该出现", "color"):
        assert chrome not in text


def test_the_site_name_and_footer_go_to_the_context_but_related_links_do_not(tmp_path):
    doc = read(write_page(tmp_path))
    assert "陵川县人民政府" in doc.context
    assert "版权所有：陵川县人民政府办公室" in doc.context
    assert "来源：陵川县城市管理局" in doc.context
    assert "阳谷县" not in doc.context


def test_title_comes_from_the_heading_without_the_site_suffix(tmp_path):
    doc = read(write_page(tmp_path))
    assert doc.title == "陵川县数字城管平台让县城管理更精细"
    assert doc.date == "2024-07-16"
    assert doc.kind == "news"


def test_a_sub_heading_sets_the_section_of_the_paragraphs_under_it(tmp_path):
    doc = read(write_page(tmp_path))
    heading = next(b for b in doc.blocks if b.text == "智慧公厕")
    assert heading.heading
    assert doc.blocks[-1].section == ("智慧公厕",)


def test_an_htm_page_in_utf8_reads_the_same(tmp_path):
    page = PAGE.replace("charset=gbk", "charset=utf-8")
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("utf-8"))
    doc = read(path)
    assert doc.title == "陵川县数字城管平台让县城管理更精细"
    assert len(doc.blocks) == 4


def test_a_page_without_heading_takes_the_title_from_the_title_tag(tmp_path):
    page = """<html><head><meta charset="utf-8"><title>关于2022年全市12345热线办理情况的通报_高平市人民政府</title></head>
    <body><div id="zoom"><p>2022年，全市12345热线共受理诉求6.8万件。</p><p>请各承办单位认真整改。</p></div></body></html>"""
    path = tmp_path / "通报.html"
    path.write_text(page, encoding="utf-8")
    doc = read(path)
    assert doc.title == "关于2022年全市12345热线办理情况的通报"
    assert [b.text for b in doc.blocks] == ["2022年，全市12345热线共受理诉求6.8万件。", "请各承办单位认真整改。"]
    assert "高平市人民政府" in doc.context


def test_an_old_cms_page_with_br_separated_paragraphs_reads_paragraph_by_paragraph(tmp_path):
    page = """<html><head><meta charset="gb2312"><title>泽州县推进电子证照应用 - 泽州县人民政府</title></head><body>
    <table><tr><td class="head">泽州县人民政府</td></tr>
    <tr><td><div class="title-head">泽州县推进电子证照应用<br>发布日期：2024-03-05</div>
    <div id="zoom">　　泽州县梳理证照共享应用事项487项。<br>　　县市场监管局推广电子营业执照“亮照经营”，全县电子亮照9300户。<br></div>
    </td></tr><tr><td class="bottom">版权所有：泽州县人民政府</td></tr></table></body></html>"""
    path = tmp_path / "证照.html"
    path.write_bytes(page.encode("gb18030"))
    doc = read(path)
    assert doc.title == "泽州县推进电子证照应用"
    assert [b.text for b in doc.blocks] == ["泽州县梳理证照共享应用事项487项。",
                                            "县市场监管局推广电子营业执照“亮照经营”，全县电子亮照9300户。"]
    assert doc.date == "2024-03-05"
    assert "版权所有：泽州县人民政府" in doc.context


def test_an_article_inside_a_box_with_a_furniture_like_class_is_still_found(tmp_path):
    page = """<html><head><meta charset="utf-8"><title>城区简讯</title></head><body>
    <div class="nav">首页 | 新闻</div>
    <div class="main-bottom"><p>城区新建口袋公园5处，新增绿地面积4.3万平方米。</p>
    <p>城区完成老旧小区改造12个。</p></div></body></html>"""
    path = tmp_path / "简讯.html"
    path.write_text(page, encoding="utf-8")
    doc = read(path)
    assert [b.text for b in doc.blocks] == ["城区新建口袋公园5处，新增绿地面积4.3万平方米。", "城区完成老旧小区改造12个。"]
