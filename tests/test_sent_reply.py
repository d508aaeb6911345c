"""A sent reply comes back: the clerk's edits are learnt, and the bureau's promises come up a year later."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest

from drafter.store import Store
from drafter.text.zh import LIST_NUMBER

from conftest import run_draft, run_drafter

COUNTIES = "阳城,高平,城区,泽州"
REWORDED = "阳城县以“1+1+N”模式推进新型智慧城市建设，着力打造新型城镇化建设示范县。"
ADDED = "高平市城市运行管理中心已于年内投入使用。"


def _sources(docx_path: Path) -> dict:
    return json.loads(docx_path.with_name(docx_path.stem + ".sources.json").read_text(encoding="utf-8"))


def _edit_as_a_clerk(path: Path, sources: dict, delete_comments: bool = True) -> dict[str, str]:
    """Cut 城区's paragraph, reword 阳城's first sentence, add a sentence to 高平's, and (unless told not to)
    delete every comment; return each county's drafted text."""
    drafted = {e["county"]: e["text"] for e in sources["progress"]}
    document = docx.Document(str(path))
    body = document.element.body
    if delete_comments:
        for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
            for element in list(body.iter(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{tag}")):
                element.getparent().remove(element)
    for paragraph in document.paragraphs:
        text = paragraph.text
        if drafted["城区"] in text:
            paragraph._element.getparent().remove(paragraph._element)
        elif drafted["阳城县"] in text:
            first = drafted["阳城县"].split("。")[0] + "。"
            run = next(r for r in paragraph.runs if first in r.text)
            run.text = run.text.replace(first, REWORDED)
        elif drafted["高平市"] in text:
            run = next(r for r in paragraph.runs if drafted["高平市"] in r.text)
            run.text += ADDED
    document.save(str(path))
    assert ("commentReference" in docx.Document(str(path)).element.body.xml) != delete_comments
    return drafted


@pytest.fixture
def sent(sample_store, tmp_path):
    """A draft of 2025, kept as drafted (草稿.docx) and as the clerk sent it (答复.docx, its sources.json
    beside it), the sent one ingested."""
    draft = tmp_path / "答复.docx"
    assert run_draft(sample_store, "--proposal", "TA0395", "--counties", COUNTIES, "--output", str(draft),
                     "--date", "2025-05-10").exit_code == 0
    kept = tmp_path / "草稿.docx"
    shutil.copy(draft, kept)
    shutil.copy(draft.with_name("答复.sources.json"), tmp_path / "草稿.sources.json")
    drafted = _edit_as_a_clerk(draft, _sources(draft))
    result = run_drafter(sample_store, "ingest", str(draft))
    assert result.exit_code == 0, result.output
    return draft, kept, drafted


def test_the_store_holds_the_sent_reply_with_its_items_in_their_counties(sample_store, sent):
    draft, _, drafted = sent
    with Store(sample_store) as store:
        (proposal, year, addressee, _), items, verdicts = store.sent_reply(draft.name)
    assert (proposal, year, addressee) == ("TA0395", 2025, "李惠英")
    progress = {county: text for _, part, county, text in items if part == "progress"}
    assert set(progress) == {"阳城县", "高平市", "泽州县"}
    assert REWORDED in progress["阳城县"] and progress["高平市"].endswith(ADDED)
    assert progress["泽州县"] == drafted["泽州县"]
    plans = [text for _, part, _, text in items if part == "plan"]
    assert plans and not any("号答复：" in text for text in plans)  # drafter's promise list, left in, is no plan
    outcome = {county: o for o, part, county, *_ in verdicts if part == "progress"}
    assert outcome == {"阳城县": "edited", "高平市": "edited", "城区": "cut", "泽州县": "kept"}


def test_the_next_draft_prefers_the_clerks_wording_and_leaves_out_what_was_cut(sample_store, sent, tmp_path):
    draft, _, drafted = sent
    again = tmp_path / "再稿.docx"
    assert run_draft(sample_store, "--proposal", "TA0395", "--counties", COUNTIES, "--output", str(again),
                     "--date", "2025-06-01").exit_code == 0
    entries = {e["county"]: e for e in _sources(again)["progress"]}
    text = "\n".join(p.text for p in docx.Document(str(again)).paragraphs)
    assert drafted["城区"] not in text
    assert not any(drafted["城区"][:30] in e["text"] for e in entries.values())
    # The clerk's wording, citing the sent reply first and the paragraph it came from after it.
    assert entries["阳城县"]["text"].startswith(REWORDED)
    assert [s["document"] for s in entries["阳城县"]["sources"]][0] == draft.name
    assert len(entries["阳城县"]["sources"]) == 2 and entries["阳城县"]["sources"][1]["document"] != draft.name
    assert entries["高平市"]["text"].endswith(ADDED)
    assert entries["泽州县"]["text"] == drafted["泽州县"]


def test_what_a_clerk_cut_ranks_lower_in_search_and_what_was_kept_higher(sample_store, tmp_path):
    def scores():
        result = run_drafter(sample_store, "search", "智慧城市建设", "--county", "城区,泽州", "--kind", "progress",
                             "--json", "--limit", "50")
        return {LIST_NUMBER.sub("", h["text"])[:30]: h["score"] for h in json.loads(result.output)}
    before = scores()
    draft = tmp_path / "答复.docx"
    assert run_draft(sample_store, "--proposal", "TA0395", "--counties", COUNTIES, "--output", str(draft),
                     "--date", "2025-05-10").exit_code == 0
    drafted = _edit_as_a_clerk(draft, _sources(draft))
    assert run_drafter(sample_store, "ingest", str(draft)).exit_code == 0
    after = scores()
    cut, kept = drafted["城区"][:30], drafted["泽州县"][:30]
    assert after[cut] < before[cut] and after[kept] > before[kept]


def test_a_draft_a_year_later_lists_what_the_reply_promised(sample_store, sent, tmp_path):
    draft, _, _ = sent
    with Store(sample_store) as store:
        _, items, _ = store.sent_reply(draft.name)
    plans = [text for _, part, _, text in items if part == "plan"]
    later = tmp_path / "次年.docx"
    assert run_draft(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(later),
                     "--date", "2026-05-01").exit_code == 0
    promises = _sources(later)["promises"]
    from_sent = [p for p in promises if p["sources"][0]["document"] == draft.name]
    assert from_sent and all(p["year"] == 2025 and p["proposal"] == "TA0395" for p in from_sent)
    assert {p["text"] for p in from_sent} <= set(plans)
    body = "\n".join(p.text for p in docx.Document(str(later)).paragraphs)
    assert "往年答复中的承诺事项" in body
    assert all(p["text"] in body for p in promises)
    # The same year's draft lists no promise of the reply sent that year.
    same_year = tmp_path / "同年.docx"
    assert run_draft(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(same_year),
                     "--date", "2025-06-01").exit_code == 0
    assert not any(p["sources"][0]["document"] == draft.name for p in _sources(same_year)["promises"])


def test_diff_tells_per_county_what_the_clerk_kept_edited_cut_and_added(sample_store, sent):
    draft, kept, drafted = sent
    result = run_drafter(sample_store, "diff", str(kept), str(draft))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "工作进展·城区：\n  删去：" + drafted["城区"][:40] in out
    assert "工作进展·泽州县：\n  保留：" in out
    assert f"改为 “{REWORDED}”" in out
    assert f"新增句：“{ADDED}”" in out
    assert "合计：保留" in out


def test_diff_refuses_a_file_that_is_no_reply(sample_store, sent, tmp_path):
    _, kept, _ = sent
    other = tmp_path / "通知.docx"
    document = docx.Document()
    document.add_paragraph("关于召开会议的通知")
    document.add_paragraph("定于下周召开全市数据工作会议，请各单位准时参加。")
    document.save(str(other))
    result = run_drafter(sample_store, "diff", str(kept), str(other))
    assert result.exit_code == 1
    assert "不像一份答复稿" in result.output


def test_without_its_sources_json_the_surviving_comments_tell_what_was_kept_and_edited(sample_store, tmp_path):
    draft = tmp_path / "发出.docx"
    assert run_draft(sample_store, "--proposal", "TA0395", "--counties", COUNTIES, "--output", str(draft),
                     "--date", "2025-05-10").exit_code == 0
    drafted = _edit_as_a_clerk(draft, _sources(draft), delete_comments=False)
    draft.with_name("发出.sources.json").unlink()
    assert run_drafter(sample_store, "ingest", str(draft)).exit_code == 0
    with Store(sample_store) as store:
        _, _, verdicts = store.sent_reply(draft.name)
    outcome = {county: o for o, part, county, *_ in verdicts if part == "progress"}
    assert outcome == {"阳城县": "edited", "高平市": "edited", "泽州县": "kept"}
    again = tmp_path / "再稿.docx"
    assert run_draft(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(again),
                     "--date", "2025-06-01").exit_code == 0
    entry = _sources(again)["progress"][0]
    assert entry["text"].startswith(REWORDED) and entry["sources"][0]["document"] == draft.name
    assert drafted["阳城县"] not in entry["text"]


def test_another_proposal_on_the_topic_a_year_later_hears_of_the_promises_too(sample_store, sent, tmp_path):
    draft, _, _ = sent
    register = tmp_path / "提案.csv"
    register.write_text("案号,案由,第一提案人,届次,答复类别\n"
                        "TA0102,关于推进县域智慧城市建设的提案,王明,八届四次,A\n"
                        "TA0103,关于规范农贸市场管理的提案,赵强,八届四次,B\n", encoding="utf-8")
    assert run_drafter(sample_store, "proposals", "import", str(register)).exit_code == 0
    outputs = {}
    for proposal in ("TA0102", "TA0103"):
        outputs[proposal] = tmp_path / f"{proposal}.docx"
        assert run_draft(sample_store, "--proposal", proposal, "--counties", "阳城", "--output",
                         str(outputs[proposal]), "--date", "2026-03-01").exit_code == 0
    on_topic = _sources(outputs["TA0102"])["promises"]
    assert any(p["sources"][0]["document"] == draft.name and p["proposal"] == "TA0395" for p in on_topic)
    assert _sources(outputs["TA0103"])["promises"] == []


def test_diff_without_the_drafts_sources_json_compares_the_drafts_own_items(sample_store, sent):
    draft, kept, drafted = sent
    kept.with_name("草稿.sources.json").unlink()
    result = run_drafter(sample_store, "diff", str(kept), str(draft))
    assert result.exit_code == 0, result.output
    assert "工作进展·城区：\n  删去：" + drafted["城区"][:40] in result.output
    assert f"新增句：“{ADDED}”" in result.output
