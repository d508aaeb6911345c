"""Ranking a pool of candidates: newer facts supersede older ones, then relevance and coverage, discounted with age."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..models import Candidate
from ..store.replies import Verdict
from ..text.dedupe import Facts
from ..understand.sentences import split_sentences
from ..understand.flags import is_old

# A figure's key: the two characters before the number and its unit ("工单" + "件" in "办理工单5.1万件").
_FIGURE = re.compile(r"([\u4e00-\u9fff]{2})(?:达到|达|为|共|累计|超过|近|约|逾)?[0-9]+(?:\.[0-9]+)?(?:万|亿)?(?:余|多)?"
                     r"([\u4e00-\u9fff%％])")


@lru_cache(maxsize=65536)
def figure_keys(sentence: str) -> frozenset[tuple[str, str]]:
    """What each figure in a sentence measures, so a newer figure can supersede an older one."""
    return frozenset((m.group(1), m.group(2)) for m in _FIGURE.finditer(re.sub(r"\s+", "", sentence)))


def newness(c: Candidate) -> tuple:
    # An undated document is taken as current: archives date what they file, drafts in progress are not yet dated.
    return (c.year or 9999, c.date or "", len(c.text))


def drop_superseded(pool: list[Candidate], threshold: float, draft_year: int | None = None, max_age: int = 5,
                    enough: int | None = None) -> list[Candidate]:
    """The pool with every sentence that a newer (or, at equal age, longer) candidate says removed, and
    candidates left with no sentence dropped. With `enough`, only the best candidates are judged, in the
    order a draft takes them (current material first, see `compose.pick`), until that many are left: a
    draft uses a few of a pool of hundreds, and judging a sentence compares it with every newer one."""
    by_newness = sorted(range(len(pool)), key=lambda n: newness(pool[n]), reverse=True)
    facts, first_fact, figures = Facts(threshold), {}, []  # candidate -> how many facts are newer than it
    for n in by_newness:
        first_fact[n] = len(figures)
        for sentence in pool[n].sentences:
            facts.add(sentence)
            figures.append(figure_keys(sentence))
    order = list(range(len(pool)))
    if enough is not None and draft_year is not None:
        ranked = sorted(order, key=lambda n: _score(pool[n], draft_year), reverse=True)
        current = [n for n in ranked if not is_old(pool[n].year, draft_year, max_age)]
        order = current or ranked
    kept_of: dict[int, Candidate] = {}
    for n in order:
        newer = first_fact[n]
        measured = frozenset().union(*figures[:newer])
        cand = pool[n]
        keep = [i for i, s in enumerate(cand.sentences) if not figure_keys(s) & measured and not facts.said(s, newer)]
        if keep:
            kept_of[n] = cand.keeping(keep)
            if len(kept_of) == enough:
                break
    return [kept_of[n] for n in sorted(kept_of)]


def rank(pool: list[Candidate], draft_year: int) -> list[Candidate]:
    """Best first: relevance and topic coverage, discounted with age (undated material counts as current,
    as in `newness`)."""
    return sorted((replace(c, score=_score(c, draft_year)) for c in pool), key=lambda c: c.score, reverse=True)


def _score(c: Candidate, draft_year: int) -> float:
    age = max(0, draft_year - (c.year or draft_year))
    return (c.relevance + 1.0) * (0.5 + c.coverage) / (1.0 + 0.25 * age)


# What a clerk did with a paragraph in a sent reply weighs on its relevance: kept or reworded, it answered
# the topic once and is worth more; cut (for another proposal), it is worth less, but may suit this one.
KEPT_WEIGHT = 1.5
CUT_WEIGHT = 0.5


def apply_feedback(pool: list[Candidate], verdicts: list[Verdict], proposal: str | None) -> list[Candidate]:
    """The pool as clerks left it: a paragraph cut from a reply to `proposal` is gone; one kept or edited
    stands in the clerk's wording, citing the reply and then its source, and weighs more; one cut from
    another reply weighs less."""
    if not verdicts:
        return pool
    of_source: dict[int, list[Verdict]] = {}
    of_reply: dict[int, Verdict] = {}
    for v in verdicts:
        of_source.setdefault(v.source_paragraph_id, []).append(v)
        if v.reply_paragraph_id is not None:
            of_reply[v.reply_paragraph_id] = v
    placed: set[int] = set()  # the clerk's paragraphs already in the pool
    result = []
    for c in pool:
        # A paragraph may hold progress and plans: a verdict speaks of what was pulled from it as one of them.
        mine = [v for v in of_source.get(c.paragraph_id, []) if v.part == c.tense.value]
        if proposal and any(v.outcome == "cut" and v.proposal == proposal for v in mine):
            continue
        sent = next((v for v in mine if v.outcome != "cut" and v.reply_text), None)
        if sent is not None:
            if sent.reply_paragraph_id in placed:
                continue
            placed.add(sent.reply_paragraph_id)
            sentences = tuple(split_sentences(sent.reply_text))
            c = replace(c, paragraph_id=sent.reply_paragraph_id, sentences=sentences,
                        flags=tuple(frozenset() for _ in sentences), source=sent.reply, also=(c.source,),
                        relevance=c.relevance * KEPT_WEIGHT)
        elif c.paragraph_id in of_reply and of_reply[c.paragraph_id].part == c.tense.value:
            if c.paragraph_id in placed:
                continue
            placed.add(c.paragraph_id)
            c = replace(c, also=(of_reply[c.paragraph_id].source,), relevance=c.relevance * KEPT_WEIGHT)
        elif mine:
            c = replace(c, relevance=c.relevance * CUT_WEIGHT)
        result.append(c)
    return result
