"""A sent reply comes back: what it answered and promised, and what the clerk did with each pulled paragraph.

A reply is recognised by `understand.reply`; here the paragraphs a draft pulled (its sources.json, its surviving
comments, or the draft itself) are matched with the items of the reply the clerk sent, with the near-duplicate
test drafts already use (`text.dedupe.Facts`), and earlier replies' promises are found for a new draft."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from .gazetteer import Gazetteer
from .text.dedupe import Facts, masked
from .text.zh import LIST_NUMBER
from .understand.sentences import split_sentences
from .understand.reply import PROMISES_MARK, ReplyItem, SentReply, recognise

__all__ = ["recognise", "ReplyItem", "SentReply", "Drafted", "Outcome", "match", "match_commented", "diff_replies",
           "describe", "promises_for", "with_promises", "promises_json"]

# How near (Facts' rapidfuzz ratio, figures masked) a sentence must be to another to count as its rewording.
SIMILAR = 80.0


@dataclass(frozen=True)
class Drafted:
    """A paragraph the draft pulled, as its sources.json (or the draft) gives it."""

    part: str
    county: str | None
    text: str
    sources: tuple[tuple[str, int], ...] = ()  # (file, paragraph) of each source


@dataclass(frozen=True)
class Outcome:
    """What the clerk did with a pulled paragraph ("kept", "edited", "cut"), or a paragraph the clerk wrote
    ("added", with no `drafted`)."""

    outcome: str
    part: str
    county: str | None
    drafted: Drafted | None
    sent: ReplyItem | None


def drafted_of(sources: dict) -> list[Drafted]:
    """The pulled paragraphs of a draft's sources.json (placeholders and the template's text left out)."""
    found = []
    for key, part in (("progress", "progress"), ("plans", "plan")):
        for entry in sources.get(key) or ():
            if entry.get("placeholder") or not entry.get("sources") or not entry.get("text"):
                continue
            found.append(Drafted(part, entry.get("county"), entry["text"],
                                 tuple((s["document"], int(s["paragraph"])) for s in entry["sources"])))
    return found


def sources_beside(docx: Path) -> dict | None:
    """The sources.json written beside a draft (草稿.docx → 草稿.sources.json), if it is there and readable."""
    side = docx.with_name(docx.stem + ".sources.json")
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


_COMMENT_SOURCE = re.compile(r"^来源：(?:.*，)?(\S+) 第(\d+)段$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def commented_passages(path: Path) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
    """The passages of a .docx that still carry drafter's source comments ("来源：《…》，file 第N段"), each
    with the sources its comment names: what a sent reply without its sources.json still says of its draft."""
    import docx  # python-docx reads the comments part, which drafter's own .docx reader leaves aside

    try:
        document = docx.Document(str(path))
        comments = list(document.comments)
    except Exception:  # noqa: BLE001 - a file python-docx cannot open simply has no comments to learn from
        return []
    sources: dict[str, tuple[tuple[str, int], ...]] = {}
    for comment in comments:
        found = tuple((m.group(1), int(m.group(2))) for line in comment.text.splitlines()
                      if (m := _COMMENT_SOURCE.match(line.strip())))
        if found:
            sources[str(comment.comment_id)] = found
    texts: dict[str, str] = {}
    open_ids: set[str] = set()
    for element in document.element.body.iter():
        if element.tag == f"{_W}commentRangeStart":
            open_ids.add(element.get(f"{_W}id"))
        elif element.tag == f"{_W}commentRangeEnd":
            open_ids.discard(element.get(f"{_W}id"))
        elif element.tag == f"{_W}t" and element.text:
            for comment_id in open_ids:
                texts[comment_id] = texts.get(comment_id, "") + element.text
    return [(texts[i].strip(), sources[i]) for i in sources if texts.get(i, "").strip()]


def match_commented(commented, items, sentences_of) -> list[Outcome]:
    """What a clerk did with the passages whose comments survive: kept when every sentence of the reply's
    item is still a stored sentence of the sources the comment names (`sentences_of(file, paragraph)`),
    else edited. A cut passage takes its comment with it, so nothing here says what was cut."""
    free, outcomes = list(items), []
    for text, sources in commented:
        key = masked(LIST_NUMBER.sub("", text, count=1).strip())
        item = next((i for i in free if key and (key in masked(i.text) or masked(i.text) in key)), None)
        if item is None:
            continue  # a comment outside the reply's items (a promise left in, the template's own text)
        free.remove(item)
        stored = [masked(s) for file, paragraph in sources for s in sentences_of(file, paragraph)]
        kept = all(any(masked(s) in other for other in stored) for s in split_sentences(item.text))
        outcomes.append(Outcome("kept" if kept else "edited", item.part, item.county,
                                Drafted(item.part, item.county, text, tuple(sources)), item))
    return outcomes


def match(drafted: list[Drafted], items: tuple[ReplyItem, ...] | list[ReplyItem]) -> list[Outcome]:
    """Each pulled paragraph kept (as it stands in the reply), edited (the reply has a rewording of it) or
    cut; then each item of the reply that no pulled paragraph became, as added."""
    free = list(items)
    outcomes = []
    for d in drafted:
        said = Facts(SIMILAR)
        for sentence in split_sentences(d.text):
            said.add(sentence)
        best, best_share = None, 0.0
        for item in free:
            if item.part != d.part:
                continue
            sentences = split_sentences(item.text)
            share = sum(said.said(s) for s in sentences) / max(len(sentences), 1)
            share += 0.01 * (item.county == d.county)  # a tie goes to the item of the same county
            if share > best_share:
                best, best_share = item, share
        if best is None:
            outcomes.append(Outcome("cut", d.part, d.county, d, None))
            continue
        free.remove(best)
        kept = masked(best.text) == masked(d.text) or re.sub(r"\s+", "", best.text) == re.sub(r"\s+", "", d.text)
        outcomes.append(Outcome("kept" if kept else "edited", d.part, d.county, d, best))
    outcomes += [Outcome("added", item.part, item.county, None, item) for item in free]
    return outcomes


def sentence_changes(old: str, new: str) -> list[tuple[str, str, str]]:
    """How an edited paragraph differs, sentence by sentence: ("改写", old, new), ("新增", "", new),
    ("删去", old, "")."""
    before = split_sentences(old)
    left = {masked(s): s for s in before}
    changes = []
    for sentence in split_sentences(new):
        key = masked(sentence)
        if key in left:
            del left[key]
            continue
        near = process.extractOne(key, list(left), scorer=fuzz.ratio, score_cutoff=60) if left else None
        if near:
            changes.append(("改写", left.pop(near[0]), sentence))
        else:
            changes.append(("新增", "", sentence))
    changes += [("删去", s, "") for s in left.values()]
    return changes


def promises_for(store, proposal, query, segmenter, draft_year: int, min_coverage: float) -> list:
    """What earlier replies promised (their 下一步计划 items) on this proposal, to its proposer, or on its
    topic (the proposal a reply quotes is on the query's topic), newest first, each said once."""
    from .retrieve import coverage  # retrieval's own test of topic, so a promise is on topic as material is

    on_topic: dict[str, bool] = {}

    def related(p) -> bool:
        if p.proposal == proposal.id or (p.addressee and p.addressee == proposal.proposer):
            return True
        if p.subject not in on_topic:
            on_topic[p.subject] = coverage(query, p.subject, segmenter.query_words(p.subject)) >= min_coverage
        return on_topic[p.subject]

    said, found = Facts(SIMILAR), []
    for promise in store.promises_before(draft_year):
        if related(promise) and not said.said(promise.text):
            said.add(promise.text)
            found.append(promise)
    return found


PROMISES_NOTE = f"【{PROMISES_MARK}】往年答复中的承诺事项（下一步计划），请在答复中逐条说明落实情况："


def with_promises(blocks: tuple, promises, plan_texts: set[str]) -> tuple:
    """The draft's blocks with a marked block listing earlier promises, each with its source, right after
    the draft's own plans (else after its last pulled passage), where the clerk reports on them."""
    from .render.blocks import LayoutBlock, Span

    if not promises:
        return blocks
    marked = [LayoutBlock("body", (Span(PROMISES_NOTE),))]
    for n, p in enumerate(promises, 1):
        where = f"{p.year}年" if p.year else ""
        marked.append(LayoutBlock("body", (Span(f"{n}. {where}第{p.proposal}号答复："), Span(p.text, (p.source,)))))
    after = [i for i, b in enumerate(blocks) if any(s.text in plan_texts for s in b.spans if s.sources)]
    after = after or [i for i, b in enumerate(blocks) if any(s.sources for s in b.spans)]
    at = after[-1] + 1 if after else len(blocks)
    return (*blocks[:at], *marked, *blocks[at:])


def promises_json(promises) -> list[dict]:
    return [{"proposal": p.proposal, "year": p.year, "county": p.county, "text": p.text,
             "sources": [{"document": p.source.document, "title": p.source.title, "year": p.source.year,
                          "paragraph": p.source.paragraph}]} for p in promises]


def diff_replies(draft: Path, sent: Path, gazetteer: Gazetteer) -> list[Outcome]:
    """What became of a draft in the reply the clerk sent: each pulled paragraph (from the draft's
    sources.json when it is beside the draft, else the draft's own items) kept, edited or cut, and what
    the clerk added."""
    from .errors import ReadError
    from .read import read
    from .understand.document import understand

    def reply_of(path: Path) -> SentReply:
        document = read(path)
        reply = recognise(understand(document, gazetteer), gazetteer, document.context)
        if reply is None or not reply.items:
            raise ReadError(f"{path} 不像一份答复稿：没有找到“第…号…答复”的标题或“工作进展”“下一步计划”下的条目。",
                            "请给出 draft-reply 写出的稿子和承办人最终发出的答复（.docx）。")
        return reply

    drafted_reply = reply_of(draft)
    sources = sources_beside(draft)
    drafted = drafted_of(sources) if sources else [Drafted(i.part, i.county, i.text) for i in drafted_reply.items]
    return match(drafted, reply_of(sent).items)


_VERBS = {"kept": "保留", "edited": "修改", "cut": "删去", "added": "新增"}


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"


def describe(outcomes: list[Outcome]) -> str:
    """The outcomes for a clerk: per county, progress first, then the plans."""
    groups: dict[tuple[str, str | None], list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault((o.part, o.county), []).append(o)
    lines = []
    for (part, county), found in sorted(groups.items(), key=lambda g: (g[0][0] != "progress", g[0][1] is not None,
                                                                       g[0][1] or "")):
        where = county or "全市"
        lines.append(f"{'工作进展' if part == 'progress' else '下一步计划'}·{where}：")
        for o in found:
            verb = _VERBS[o.outcome]
            if o.outcome == "edited":
                lines.append(f"  {verb}：{_short(o.drafted.text)}")
                for change, old, new in sentence_changes(o.drafted.text, o.sent.text):
                    detail = {"改写": f"“{old}” 改为 “{new}”", "新增": f"“{new}”", "删去": f"“{old}”"}[change]
                    lines.append(f"    {change}句：{detail}")
            else:
                lines.append(f"  {verb}：{_short((o.drafted or o.sent).text)}")
    counts = {v: sum(o.outcome == k for o in outcomes) for k, v in _VERBS.items()}
    lines.append("合计：" + "，".join(f"{v} {n} 段" for v, n in counts.items()) + "。")
    return "\n".join(lines)
