"""The workbench use case: the clerk's choices, in the clerk's order, are what the draft and sources.json hold."""
from __future__ import annotations

import datetime
import json

import docx
import pytest

from drafter import app
from drafter.config.office import load_office
from drafter.formats import find_format
from drafter.store import Store
from drafter.workbench import ChoiceError, candidates, draft_with_choices

from test_web_desk import county_reports

from conftest import SAMPLES


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "store.sqlite") as store:
        app.ingest(store, [SAMPLES, county_reports(tmp_path)], load_office())
        from drafter.proposals import read_proposals
        from conftest import PROPOSALS
        store.save_proposals(read_proposals(PROPOSALS))
        yield store


def test_the_automatic_choices_draft_what_draft_reply_drafts(store, tmp_path):
    office, fmt, date = load_office(), find_format("政协提案答复"), datetime.date(2024, 5, 8)
    bench = candidates(store, office, "TA0395", "阳城,高平", fmt, draft_date=date)
    ours = draft_with_choices(store, office, fmt, bench.picked(), tmp_path / "ours.docx")
    theirs = app.draft_reply(store, "TA0395", "阳城,高平", fmt, office, tmp_path / "theirs.docx", draft_date=date)
    assert json.loads(ours.sources.read_text("utf-8")) == json.loads(theirs.sources.read_text("utf-8"))
    # Every county shows its candidates best first, with ranks in order.
    for county in bench.counties:
        ranks = [k.rank for k in county.progress]
        assert ranks == sorted(ranks) and [k.hit.score for k in county.progress] == \
            sorted((k.hit.score for k in county.progress), reverse=True)


def test_reordered_and_cut_choices_are_drafted_in_the_clerks_order(store, tmp_path):
    office, fmt, date = load_office(), find_format("政协提案答复"), datetime.date(2024, 5, 8)
    bench = candidates(store, office, "TA0395", "阳城,高平", fmt, draft_date=date)
    yangcheng = [k.key for k in bench.counties[0].progress][:3]
    choices = bench.picked()
    choices = type(choices)(**{**choices.__dict__, "progress": {"阳城县": tuple(reversed(yangcheng)), "高平市": ()},
                               "plans": choices.plans[:1]})
    result = draft_with_choices(store, office, fmt, choices, tmp_path / "mine.docx")
    sources = json.loads(result.sources.read_text("utf-8"))
    assert [p["text"] for p in sources["progress"] if p["county"] == "阳城县"] == \
        [bench.find(k).passage.text for k in reversed(yangcheng)]
    assert [p["placeholder"] for p in sources["progress"] if p["county"] == "高平市"] == [True]
    assert len(sources["plans"]) == 1
    assert "待补充" in "\n".join(p.text for p in docx.Document(str(result.docx)).paragraphs)


def test_a_choice_the_store_no_longer_offers_is_refused_and_nothing_written(store, tmp_path):
    office, fmt = load_office(), find_format("政协提案答复")
    bench = candidates(store, office, "TA0395", "阳城", fmt)
    choices = type(bench.request)(**{**bench.request.__dict__, "progress": {"阳城县": ("140522-progress-999999",)}})
    with pytest.raises(ChoiceError, match="已不在资料库"):
        draft_with_choices(store, office, fmt, choices, tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_a_proposal_with_its_own_text_is_answered_point_by_point_on_the_desk_too(store, tmp_path):
    from conftest import ROOT
    from drafter.proposals import read_proposals
    store.save_proposals(read_proposals(ROOT / "examples" / "提案目录（含提案内容）.csv"))  # TA0395 with its text
    office, fmt, date = load_office(), find_format("政协提案答复"), datetime.date(2024, 5, 8)
    bench = candidates(store, office, "TA0395", "阳城,高平", fmt, draft_date=date)
    ours = json.loads(draft_with_choices(store, office, fmt, bench.picked(), tmp_path / "ours.docx").sources
                      .read_text("utf-8"))
    theirs = json.loads(app.draft_reply(store, "TA0395", "阳城,高平", fmt, office, tmp_path / "theirs.docx",
                                        draft_date=date).sources.read_text("utf-8"))
    assert [a["suggestion"] for a in ours["answers"]] == ["加强县级智慧城市顶层设计", "推进政务数据共享开放", "加大资金和人才保障"]
    assert ours["answers"] == theirs["answers"]
