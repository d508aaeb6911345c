"""Place and tense as a clerk relies on them: the right county, the right city, done versus planned."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from drafter.gazetteer import default_gazetteer
from drafter.models import Block, ParsedDocument
from drafter.understand import understand

ROOT = Path(__file__).resolve().parents[1]


def _sentences(title, *paragraphs):
    doc = ParsedDocument(title=title, blocks=tuple(Block(t, tuple(s)) for s, t in paragraphs))
    reading = understand(doc, default_gazetteer())
    return {s.text: s for p in reading.paragraphs for s in p.sentences}


def test_urban_area_in_a_county_report_is_not_the_chengqu_district():
    s = _sentences("阳城县2024年数字政府建设工作总结", ([], "我县建成了智慧城市运营指挥中心。县城区道路改造完成。"))
    assert {x.county for x in s.values()} == {"阳城县"}


def test_a_numbered_reply_item_belongs_to_the_county_that_opens_it():
    s = _sentences("晋城市数据局关于提案的答复", ([], "2. 城区积极推进数据开放共享工作。一是研究制定了管理办法。"))
    assert [x.county for x in s.values()] == ["城区", "城区"]


def test_a_paragraph_that_turns_to_another_county_follows_it():
    s = _sentences("晋城市2024年数字政府建设工作总结", ([], "阳城县建成了城市大脑。高平市则上线了一网统管平台。"))
    assert [x.county for x in s.values()] == ["阳城县", "高平市"]


def test_yanggu_of_liaocheng_never_reads_as_yangcheng():
    s = _sentences("阳谷县2024年数字政府建设情况", ([], "我县建成城市大脑平台，接入部门系统30个。"))
    only = next(iter(s.values()))
    assert only.city == "聊城市" and only.county == "阳谷县"


def test_a_plan_sentence_at_the_end_of_a_progress_paragraph_is_a_plan():
    s = _sentences("泽州县2024年工作总结", ([], "已建成应急广播终端。下一步，将推广到全部村。"))
    assert [x.tense for x in s.values()] == ["progress", "plan"]


def test_a_deadline_with_jiang_inside_a_progress_paragraph_is_a_plan():
    s = _sentences("莱州市推进镇街便民服务中心建设", ([], "目前已完成首批事项认领。9月底前，全市17个镇街将通过省系统完成全部事项的发布。"
                                                    "镇村两级延伸预计11月底前完成。9月底前完成了办事指南编制。"))
    assert [x.tense for x in s.values()] == ["progress", "plan", "plan", "progress"]
    s = _sentences("莱州市2024年工作总结", ([], "两个月前，县里将60多种报表汇集成一张表。6月底前，省里要求各地完成事项梳理，我市已全部完成。"))
    assert [x.tense for x in s.values()] == ["progress", "progress"]


def test_weak_cues_under_a_progress_heading_describe_ongoing_work():
    s = _sentences("莱阳市行政审批服务局2024年政府信息公开工作年度报告",
                   (["一、总体情况"], "严格落实信息发布审查制度，进一步细化拟公开信息的审查流程，确保政府信息规范管理。"
                                     "政务服务平台拟于明年上线。"))
    assert [x.tense for x in s.values()] == ["progress", "plan"]


def test_quoted_words_and_a_towns_announced_plan_are_someone_elses():
    s = _sentences("冠县政务服务中心延时服务受好评",
                   ([], "“这里办事效率真高！”村民李某连连称赞。冠县政务服务中心推行延时服务，办理事项1200件。"),
                   ([], "某镇相关负责人表示，将进一步加强便民服务站建设。县行政审批服务局负责人表示，下步将推行帮办代办。"))
    assert ["hearsay" in x.flags for x in s.values()] == [True, True, False, True, False]


def test_a_generic_title_over_a_heading_that_names_the_county_gives_the_county():
    heading = "高平市2013年政府信息公开工作年度报告"
    doc = ParsedDocument(title="政府信息公开年报", blocks=(
        Block(heading, (), heading=True), Block("我市全年主动公开政府信息1260条。", (heading,))))
    reading = understand(doc, default_gazetteer())
    assert reading.place.county.full == "高平市"
    assert reading.paragraphs[1].sentences[0].county == "高平市"


def test_a_plan_documents_title_makes_its_background_a_plan_but_a_heading_word_does_not():
    s = _sentences("阳城县新型智慧城市“十四五”规划", ([], "党的十九大报告明确提出，要建设网络强国、数字中国、智慧社会。"))
    assert next(iter(s.values())).tense == "plan"
    s = _sentences("阳城县2024年工作总结", (["二、科学规划，统筹推进"], "建成了城市大脑。"))
    assert next(iter(s.values())).tense == "progress"


def test_past_sense_jiang_is_progress():
    s = _sentences("晋城市2019年工作总结", ([], "将60多种基层常用报表数据汇集成一个平台，减轻了基层负担。"))
    assert next(iter(s.values())).tense == "progress"


def test_the_labelled_set_scores_as_the_script_prints():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "place_tense_eval.py")], capture_output=True,
                         text=True, check=True).stdout
    county = next(line for line in out.splitlines() if line.startswith("county"))
    precision, recall = float(county.split()[2]), float(county.split()[4])
    assert precision >= 0.95 and recall >= 0.95, out


def test_searching_chengqu_finds_the_district_never_urban_areas_or_yantai(sample_store):
    import json
    from conftest import run_drafter
    hits = json.loads(run_drafter(sample_store, "search", "智慧城市", "--county", "城区", "--json").output)
    assert hits, "the model reply's 城区 item is on topic"
    for hit in hits:
        assert hit["county"] == "城区" and hit["city"] == "晋城市"
        assert "烟台" not in hit["text"] and "拥堵" not in hit["text"]
        assert hit["document"] != "003_6ea01c440763a6d7.txt"  # the 烟台 feature that says 城区拥堵


def test_a_page_of_unknown_city_naming_our_county_keeps_the_county():
    s = _sentences("工作动态", ([], "晋城市阳城县建成城市大脑平台。"))
    only = next(iter(s.values()))
    assert only.county == "阳城县" and only.city == "晋城市"


def test_a_page_of_unknown_city_naming_only_another_city_is_that_city():
    s = _sentences("工作动态", ([], "聊城市建成智慧城市运行管理平台。"))
    only = next(iter(s.values()))
    assert only.city == "聊城市" and only.county is None
