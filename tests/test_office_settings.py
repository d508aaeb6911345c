"""What an office's profile and a format set, seen in the draft: the voice, the count of plans, the bodies a
session belongs to; and a wrong setting refused in Chinese."""
from __future__ import annotations

import json
import re

import docx
import pytest

from conftest import run_draft, run_drafter
from docx_reading import numbered_texts
from drafter.profile import _shipped_text

LEAD_IN = re.compile(r"^(?:\d+\. )?(?:下一步|接下来|今后|下阶段)")


def _profile(tmp_path, old: str, new: str, name="office.toml"):
    text = _shipped_text()
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _draft(store, tmp_path, *extra, proposal="TA0395", counties="阳城,高平"):
    out = tmp_path / "reply.docx"
    result = run_draft(store, "--proposal", proposal, "--counties", counties, "--output", str(out),
                       "--date", "2024-05-08", "--force", *extra)
    assert result.exit_code == 0, result.output
    sources = json.loads(out.with_name("reply.sources.json").read_text(encoding="utf-8"))
    return numbered_texts(docx.Document(str(out)), out), sources


def _plan_section(paragraphs):
    start = next(i for i, t in enumerate(paragraphs) if t.startswith("二、"))
    end = next(i for i, t in enumerate(paragraphs) if t.startswith("感谢"))
    return paragraphs[start + 1:end]


def test_next_steps_have_one_lead_in_and_speak_in_one_voice(sample_store, tmp_path):
    paragraphs, _ = _draft(sample_store, tmp_path)
    plans = _plan_section(paragraphs)
    # "下一步，我们将……" and then "1. 接下来，…仍将……" was two lead-ins for one list
    assert sum(bool(LEAD_IN.match(t)) for t in plans[:2]) <= 1, plans[:2]
    assert not any("我们" in t for t in plans)


def test_the_offices_voice_is_set_by_its_profile(sample_store, tmp_path):
    profile = _profile(tmp_path, 'voice = "市数据局"', 'voice = "我局"')
    csv = tmp_path / "co.csv"
    csv.write_text("案号,案由,第一提案人,办理方式\nTA0397,关于改善我市县级智慧城市建设的建议的提案,李惠英,会办\n",
                   encoding="utf-8")
    assert run_drafter(sample_store, "proposals", "import", str(csv)).exit_code == 0
    paragraphs, _ = _draft(sample_store, tmp_path, "--profile", str(profile), proposal="TA0397")
    assert any(t.endswith("现将我局会办意见函告如下：") for t in paragraphs)
    assert not any("我单位" in t for t in paragraphs)


def test_the_count_of_city_plans_comes_from_the_format_or_the_profile(sample_store, tmp_path):
    _, sources = _draft(sample_store, tmp_path, counties="阳城")
    city_wide = [e for e in sources["plans"] if e["county"] is None and e["sources"]]
    assert len(city_wide) > 2  # the format asks for four; the code's old fixed two dropped the model's items
    profile = _profile(tmp_path, "# city_plans = 4", "city_plans = 1")
    _, sources = _draft(sample_store, tmp_path, "--profile", str(profile), counties="阳城")
    assert len([e for e in sources["plans"] if e["county"] is None and e["sources"]]) == 1


def test_standing_plans_carry_a_comment_saying_they_are_standing_text(sample_store, tmp_path):
    csv = tmp_path / "ice.csv"
    csv.write_text("案号,案由,第一提案人\nTA0999,关于加快发展冰雪旅游的提案,王五\n", encoding="utf-8")
    assert run_drafter(sample_store, "proposals", "import", str(csv)).exit_code == 0
    out = tmp_path / "ice.docx"
    assert run_draft(sample_store, "--proposal", "TA0999", "--counties", "阳城", "--output", str(out)).exit_code == 0
    document = docx.Document(str(out))
    standing = [c for c in document.comments if c.text.startswith("格式固定用语")]
    assert len(standing) >= 3  # the overview and the two standing plans


def test_session_bodies_come_from_the_profile(sample_store, tmp_path):
    profile = _profile(tmp_path, '"提案" = "市政协"', '"提案" = "县政协"')
    paragraphs, _ = _draft(sample_store, tmp_path, "--profile", str(profile))
    assert "关于县政协八届三次会议第TA0395号提案的答复" in paragraphs


@pytest.mark.parametrize("old, new, words", [
    ("old_material_years = 5", "old_material_years = 99999999999", ("old_material_years",)),
    ("old_material_years = 5", "old_material_years = nan", ("old_material_years",)),
    ("# [layout]\n# body_font = \"仿宋\"", "[layout]\nbody_size_pt = inf", ("body_size_pt", "应为数值")),
    ("# [layout]\n# body_font = \"仿宋\"", "[layout]\nmargin_top_mm = 1e9", ("margin_top_mm", "过大")),
    ("# [layout]\n# body_font = \"仿宋\"", "[layout]\nmargin_toop_mm = 30", ("没有名为", "margin_toop_mm")),
    ("# [layout]\n# body_font = \"仿宋\"", "[layout]\nmargin_left_mm = 190", ("页边距过大",)),
    ("# city_plans = 4", "city_plans = 1000", ("city_plans",)),
])
def test_a_wrong_profile_setting_is_refused_in_chinese(sample_store, tmp_path, old, new, words):
    profile = _profile(tmp_path, old, new)
    out = tmp_path / "bad.docx"
    result = run_draft(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--profile", str(profile),
                       "--output", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert "单位配置文件中的设置有误" in result.output
    for word in words:
        assert word in result.output
    assert not re.search(r"must be|unknown layout|got ", result.output)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("title, topic", [
    ("关于改善我市县级智慧城市建设的建议的提案", "智慧城市建设工作"),
    ("关于加强政务公开工作的提案", "政务公开工作"),  # never 政务公开工作工作
    ("关于解决城区停车难问题的提案", "城区停车难问题"),
    ("关于我市老旧小区改造的几点建议", "老旧小区改造工作"),
    ("关于加强和改进社区治理的提案", "社区治理工作"),
    ("关于的提案", ""),
])
def test_the_topic_of_the_closing_is_read_from_the_title(title, topic):
    from drafter.render.model import title_topic
    assert title_topic(title) == topic


@pytest.mark.parametrize("name, kind, salutation, you", [
    ("李惠英", "提案", "李惠英委员：", "您"),
    ("王强等", "提案", "王强等委员：", "你们"),
    ("王强等3人", "建议", "王强等代表：", "你们"),
    ("王强、李明", "建议", "王强、李明代表：", "你们"),
    ("九三学社晋城市委员会", "提案", "九三学社晋城市委员会：", "您单位"),
    ("民革", "提案", "民革：", "您单位"),
    ("科技界", "提案", "科技界：", "您单位"),
])
def test_proposers_are_addressed_as_the_genre_does(name, kind, salutation, you):
    from drafter.render.model import proposer_model
    model = proposer_model(name, kind)
    assert (model["salutation"], model["you"]) == (salutation, you)
