"""The national gazetteer as an office anywhere in China relies on it: every county known with its city,
cities not mistaken for their namesake counties, ordinary words not read as places, towns placing their
own reports."""
from __future__ import annotations

import time

from drafter.gazetteer import Gazetteer, default_gazetteer
from drafter.models import Block, ParsedDocument
from drafter.understand import understand


def _place(title: str, *texts: str):
    doc = ParsedDocument(title=title, blocks=tuple(Block(t, ()) for t in texts))
    return understand(doc, default_gazetteer())


def test_a_county_of_a_far_province_is_known_with_its_city():
    g = default_gazetteer()
    (place,) = g.places_named("香格里拉")
    assert (place.full, place.city) == ("香格里拉市", "迪庆藏族自治州")
    assert g.city_name("迪庆") == "迪庆藏族自治州"
    assert [p.full for p in g.places_named("墨脱县")] == ["墨脱县"]


def test_every_county_level_unit_and_city_of_the_country_is_there():
    g = default_gazetteer()
    counties = [p for p in g.places if p.type != "zone"]
    assert 2800 <= len(counties) <= 2900
    assert len({*g.cities.values()}) >= 330
    assert len(g.places_of("北京市")) == 16  # a municipality plays the role of the city


def test_a_plain_city_name_is_the_city_not_its_namesake_county():
    g = default_gazetteer()
    plain = g.mentions("南昌召开数字政府建设推进会")
    assert [(m.name, m.place) for m in plain] == [("南昌", None)]
    county = g.mentions("南昌县召开数字政府建设推进会")
    assert [(m.name, m.place.full) for m in county] == [("南昌县", "南昌县")]
    assert [p.full for p in g.places_named("长沙县")] == ["长沙县"] and not g.places_named("长沙")


def test_ordinary_words_that_are_also_district_names_place_nothing():
    reading = _place("长沙市数据资源管理局2024年工作总结",
                     "我局会同县市场监管部门推进合作，城区道路拥堵得到缓解，前进步伐加快。")
    sentence = reading.paragraphs[0].sentences[0]
    assert (sentence.city, sentence.county) == ("长沙市", None)
    assert "城区" in default_gazetteer().common_names


def test_a_town_report_is_placed_in_the_county_of_that_town():
    reading = _place("莲都区紫金街道2024年政府信息公开工作年度报告", "我街道主动公开政府信息120条。")
    assert (reading.place.city, reading.place.county.full) == ("丽水市", "莲都区")
    reading = _place("紫金街道2024年政府信息公开工作年度报告", "我街道主动公开政府信息120条。",
                     "版权所有：丽水市人民政府")
    assert reading.place.county.full == "莲都区"


def test_a_town_named_alone_is_placed_in_its_county_when_the_name_is_unique():
    g = default_gazetteer()
    (county,) = g.towns_named("大涌镇")
    reading = _place("大涌镇2024年政府信息公开工作年度报告", "我镇主动公开政府信息86条。")
    assert reading.place.county == county


def test_a_town_name_many_counties_share_places_nothing():
    g = default_gazetteer()
    assert len(g.towns_named("城关镇")) > 20
    assert g.town_county("城关镇2024年政府信息公开工作年度报告") is None
    reading = _place("城关镇2024年政府信息公开工作年度报告", "我镇主动公开政府信息86条。")
    assert reading.place.county is None


def test_a_county_name_inside_a_town_name_is_not_that_county():
    g = default_gazetteer()
    assert [p.full for p in g.towns_named("天长镇")] == ["井陉县"]
    assert not [m for m in g.mentions("天长镇召开会议") if m.place and m.place.full == "天长市"]
    assert [m.place.full for m in g.mentions("天长市召开会议") if m.place] == ["天长市"]


def test_development_zones_belong_to_no_county():
    g = default_gazetteer()
    zones = [p for p in g.places if p.type == "zone"]
    assert len(zones) > 100
    zone = next(p for p in zones if p.full == "烟台高新技术产业开发区")
    assert zone not in g.places_of("烟台市")
    assert zone in g.places_named("烟台高新区")


def test_former_names_since_the_renames_mean_todays_unit():
    g = default_gazetteer()
    assert [p.full for p in g.places_named("郫县")] == ["郫都区"]
    assert [p.full for p in g.places_named("茌平县")] == ["茌平区"]
    assert g.city_name("襄樊") == "襄阳市"
    assert [m.city for m in g.mentions("2008年襄樊市推进电子政务")] == ["襄阳市"]


def test_an_office_row_appended_for_a_known_unit_replaces_it():
    base = default_gazetteer()
    from importlib import resources
    data = resources.files("drafter") / "data"
    places = (data / "gazetteer.csv").read_text(encoding="utf-8") + \
        "丹寨,丹寨县,county,黔东南苗族侗族自治州,522636,龙泉镇旧称,0\n"
    cities = (data / "cities.csv").read_text(encoding="utf-8") + "黔东南,黔东南苗族侗族自治州,贵州省\n"
    g = Gazetteer(places, cities)
    assert len(g.places) == len(base.places)
    assert [p.full for p in g.places_named("龙泉镇旧称")] == ["丹寨县"]
    assert g.city_name("黔东南") == "黔东南苗族侗族自治州"


def test_finding_names_in_a_long_text_stays_fast():
    g = default_gazetteer()
    g.mentions("预热")  # towns, the name index and jieba load once
    text = "丽水市莲都区紫金街道推进政务公开，城关镇、太平镇和南昌县开展合作。" * 400
    started = time.perf_counter()
    found = g.mentions(text)
    assert time.perf_counter() - started < 3.0
    assert sum(1 for m in found if m.name == "南昌县") == 400


def test_a_firm_or_person_named_like_a_far_county_moves_nothing_there():
    reading = _place("南京紫金数云公司与我局签约", "双方将共建数据平台。")
    assert (reading.place.city, reading.place.county) == ("南京市", None)
    reading = _place("聊城市大数据局2024年工作总结", "邀请陈东平等专家来聊城举办讲座。", "建成市级数据平台。")
    assert {(s.city, s.county) for p in reading.paragraphs for s in p.sentences} == {("聊城市", None)}


def test_a_street_named_after_a_city_is_no_mention_of_that_city():
    g = default_gazetteer()
    assert not g.mentions("位于北京路与东平路交叉口")
    assert [m.city for m in g.mentions("赴北京学习")] == ["北京市"]
