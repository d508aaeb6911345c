"""Saved government web pages: the article is kept, the site's frame tells whose page it is."""
from __future__ import annotations

from pathlib import Path

from drafter.read import read

PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>阳城县智慧环卫平台让城乡保洁更精细_阳城县人民政府</title>
<meta name="PubDate" content="2024-06-21 09:30">
<style>.nav {{ color: red }}</style><script>var 首页 = "不该出现";</script></head>
<body>
<div class="top"><span>阳城县人民政府</span><span>简体版 | 繁體版 | 无障碍</span></div>
<ul class="nav"><li><a href="/">网站首页</a></li><li><a href="/zw/">政务公开</a></li></ul>
<div class="crumbs">当前位置：首页 &gt; 阳城要闻</div>
<div class="article">
<h1>阳城县智慧环卫平台让城乡保洁更精细</h1>
<div class="info">发布时间：2024-06-21　来源：阳城县环境卫生服务中心　【字号 大 中 小】</div>
<div class="share">分享到：微信 微博</div>
<p>　　阳城县智慧环卫平台运行以来，累计派单处置环境卫生问题2.9万件，结案率97%。</p>
<h3>智能垃圾箱</h3>
<p>　　县环卫中心还布设智能垃圾箱61座，实时显示满溢程度、清运时间等信息。</p>
<p>　　下一步，将推动平台覆盖全部乡镇。</p>
</div>
<div class="related"><b>相关链接</b><a href="#">寿阳县召开营商环境工作会议</a></div>
<div class="footer">版权所有：阳城县人民政府办公室　主办单位：阳城县人民政府　网站标识码：1405220003
<br>晋ICP备06004321号</div>
</body></html>
"""


def write_page(tmp_path: Path, name: str = "page.html", encoding: str = "gbk") -> Path:
    path = tmp_path / name
    path.write_bytes(PAGE.format().encode(encoding))
    return path


def test_a_gbk_page_keeps_only_the_article(tmp_path):
    doc = read(write_page(tmp_path))
    assert [b.text for b in doc.blocks] == [
        "阳城县智慧环卫平台运行以来，累计派单处置环境卫生问题2.9万件，结案率97%。",
        "智能垃圾箱",
        "县环卫中心还布设智能垃圾箱61座，实时显示满溢程度、清运时间等信息。",
        "下一步，将推动平台覆盖全部乡镇。",
    ]


def test_menus_breadcrumbs_share_bars_and_footers_never_reach_the_text(tmp_path):
    doc = read(write_page(tmp_path))
    text = "\n".join(b.text for b in doc.blocks)
    for chrome in ("网站首页", "当前位置", "分享到", "字号", "版权所有", "网站标识码", "ICP备", "相关链接", "寿阳县",
                   "不该出现", "color"):
        assert chrome not in text


def test_the_site_name_and_footer_go_to_the_context_but_related_links_do_not(tmp_path):
    doc = read(write_page(tmp_path))
    assert "阳城县人民政府" in doc.context
    assert "版权所有：阳城县人民政府办公室" in doc.context
    assert "来源：阳城县环境卫生服务中心" in doc.context
    assert "寿阳县" not in doc.context


def test_title_comes_from_the_heading_without_the_site_suffix(tmp_path):
    doc = read(write_page(tmp_path))
    assert doc.title == "阳城县智慧环卫平台让城乡保洁更精细"
    assert doc.date == "2024-06-21"
    assert doc.kind == "news"


def test_a_sub_heading_sets_the_section_of_the_paragraphs_under_it(tmp_path):
    doc = read(write_page(tmp_path))
    heading = next(b for b in doc.blocks if b.text == "智能垃圾箱")
    assert heading.heading
    assert doc.blocks[-1].section == ("智能垃圾箱",)


def test_an_htm_page_in_utf8_reads_the_same(tmp_path):
    page = PAGE.replace("charset=gbk", "charset=utf-8")
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("utf-8"))
    doc = read(path)
    assert doc.title == "阳城县智慧环卫平台让城乡保洁更精细"
    assert len(doc.blocks) == 4


def test_a_page_without_heading_takes_the_title_from_the_title_tag(tmp_path):
    page = """<html><head><meta charset="utf-8"><title>关于2023年全市政务服务“好差评”情况的通报_高平市人民政府</title></head>
    <body><div id="zoom"><p>2023年，全市政务服务“好差评”系统共收到评价7.4万条。</p><p>请各窗口单位认真整改。</p></div></body></html>"""
    path = tmp_path / "通报.html"
    path.write_text(page, encoding="utf-8")
    doc = read(path)
    assert doc.title == "关于2023年全市政务服务“好差评”情况的通报"
    assert [b.text for b in doc.blocks] == ["2023年，全市政务服务“好差评”系统共收到评价7.4万条。", "请各窗口单位认真整改。"]
    assert "高平市人民政府" in doc.context


def test_an_old_cms_page_with_br_separated_paragraphs_reads_paragraph_by_paragraph(tmp_path):
    page = """<html><head><meta charset="gb2312"><title>沁水县推进不动产登记电子化 - 沁水县人民政府</title></head><body>
    <table><tr><td class="head">沁水县人民政府</td></tr>
    <tr><td><div class="title-head">沁水县推进不动产登记电子化<br>发布日期：2024-04-11</div>
    <div id="zoom">　　沁水县梳理不动产登记网办事项57项。<br>　　县不动产登记中心推广电子不动产权证书“掌上查验”，全县发放电子证书6400本。<br></div>
    </td></tr><tr><td class="bottom">版权所有：沁水县人民政府</td></tr></table></body></html>"""
    path = tmp_path / "不动产.html"
    path.write_bytes(page.encode("gb18030"))
    doc = read(path)
    assert doc.title == "沁水县推进不动产登记电子化"
    assert [b.text for b in doc.blocks] == ["沁水县梳理不动产登记网办事项57项。",
                                            "县不动产登记中心推广电子不动产权证书“掌上查验”，全县发放电子证书6400本。"]
    assert doc.date == "2024-04-11"
    assert "版权所有：沁水县人民政府" in doc.context


def test_an_article_inside_a_box_with_a_furniture_like_class_is_still_found(tmp_path):
    page = """<html><head><meta charset="utf-8"><title>城区简讯</title></head><body>
    <div class="nav">首页 | 新闻</div>
    <div class="main-bottom"><p>城区新建街角游园7处，新增绿地面积2.6万平方米。</p>
    <p>城区完成背街小巷改造18条。</p></div></body></html>"""
    path = tmp_path / "简讯.html"
    path.write_text(page, encoding="utf-8")
    doc = read(path)
    assert [b.text for b in doc.blocks] == ["城区新建街角游园7处，新增绿地面积2.6万平方米。", "城区完成背街小巷改造18条。"]
