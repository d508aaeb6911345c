"""Compose: the reply as data, from a proposal, the asked counties and the material retrieval found. Pure: no I/O."""
from __future__ import annotations

import datetime
import re

from .models import Answer, Candidate, CountySection, Hit, Passage, Place, Proposal, Reply, Tense
from .retrieve import Settings, to_hit
from .retrieve.rank import rank
from .text.dedupe import Facts
from .text.zh import LIST_NUMBER
from .understand.flags import is_old
from .understand.sentences import is_label

PLACEHOLDER = "【待补充：资料库中暂未检索到{county}与本提案相关的工作材料，请承办人补充。】"
SUGGESTION_PLACEHOLDER = "【待补充：关于“{suggestion}”，资料库中暂未检索到办理情况，请承办人补充。】"

# A news story's attribution ("记者近日从阳城县了解到，", "据县数据局负责人介绍，") is the paper's voice, not
# the bureau's: the reply keeps the sentence from the fact on.
LEAD_IN = re.compile(r"^(?:(?:近日|日前|近期|今年以来|[0-9]{1,2}月[0-9]{1,2}日)[，,])?(?:记者|笔者)[^，。；]{0,30}?"
                     r"(?:了解到|获悉|得知)[，,：:]|^据[^，。；]{1,24}?(?:介绍|消息|报道)[，,：:]"
                     # a byline ("本报讯 通讯员某某报道：") and a bare "据悉，" / "据了解，" / "据介绍，"
                     r"|^(?:本报讯|本网讯)\s*(?:[（(][^）)]{0,20}[）)])?(?:[^，。；：:]{0,20}?报道)?[：:，,\s]*"
                     r"|^据(?:悉|了解|介绍)[，,：:]")

# Each place's material: progress and plan candidates, as `Retriever.pools` gives them.
Material = dict[Tense, list[Candidate]]


def passage_of(hit: Hit, place: Place | None = None) -> Passage:
    """A hit as the draft says it: without the source's own list number (the draft numbers its items) or a
    news lead-in."""
    text = LEAD_IN.sub("", LIST_NUMBER.sub("", hit.text, count=1), count=1)
    if place is not None:
        # "城区：在5个社区…", a past reply's label: the draft's item already names its county.
        text = re.sub(f"^(?:{re.escape(place.full)}|{re.escape(place.short)})[：:]", "", text)
    # A progress passage belongs to the item it stands under, even when its sentence names another
    # county first ("城区、沁水县入选…" drafted for 沁水县).
    return Passage(text=text, county=place.full if place else hit.county, sources=(hit.source, *hit.also),
                   flags=hit.flags)


def compose(proposal: Proposal, counties: list[Place], material: list[Material], city_wide: Material,
            draft_date: datetime.date, settings: Settings = Settings(), placeholder: str = PLACEHOLDER,
            keywords: tuple[str, ...] = (), suggestions: tuple[tuple[str, list[Candidate]], ...] = (),
            suggestion_placeholder: str = SUGGESTION_PLACEHOLDER) -> Reply:
    """Pick progress for each county and plans for them and the city; a county with nothing gets a placeholder."""
    year = draft_date.year
    used = Facts(settings.duplicate_similarity)  # every sentence placed so far: nothing is said twice
    of_place = dict(zip(counties, material))
    # The county with least material picks first: a sentence about two counties ("城区、沁水县入选…")
    # goes to the one that needs it, and is used once.
    by_need = sorted(counties, key=lambda p: sum(len(c.text) for c in of_place[p][Tense.PROGRESS]))
    picked = {place: pick(of_place[place][Tense.PROGRESS], year, settings, used, settings.budget)
              for place in by_need}
    sections = []
    for place in counties:
        passages = tuple(passage_of(h, place) for h in picked[place]) or (
            Passage(text=placeholder.replace("{county}", place.full), county=place.full, placeholder=True),)
        sections.append(CountySection(place, passages))

    # A stale plan is no plan: one written more than `max_age` years before the draft was done or dropped
    # by now (undated plans count as current).
    def current(pool):
        return [c for c in pool if not is_old(c.year, year, settings.max_age)]
    plans = [passage_of(h) for h in pick(current(city_wide[Tense.PLAN]), year, settings, used,
                                         budget=settings.budget, max_items=settings.city_plans)]
    for place in counties:
        plans += [passage_of(h) for h in pick(current(of_place[place][Tense.PLAN]), year, settings, used,
                                              budget=settings.budget // 2, max_items=settings.plans_per_county)]
    # Each suggestion of the proposal's text is answered point by point ("不得答非所问"): its best material not
    # said above, else a placeholder that names it.
    answers = []
    for suggestion, pool in suggestions:
        hits = pick(pool, year, settings, used, budget=settings.budget // 2, max_items=1)
        answers.append(Answer(suggestion, passage_of(hits[0]) if hits else Passage(
            text=suggestion_placeholder.replace("{suggestion}", suggestion), county=None, placeholder=True)))
    return Reply(proposal=proposal, counties=tuple(sections), plans=tuple(plans),
                 date=draft_date.isoformat(), keywords=tuple(keywords), answers=tuple(answers))


def pick(found: list[Candidate], draft_year: int, settings: Settings, used: Facts, budget: int,
         max_items: int | None = None) -> list[Hit]:
    """Whole sentences from a pool within a character budget, best first, never repeating what is `used`."""
    chosen, length = [], 0
    ranked = rank(found, draft_year)
    fresh = [c for c in ranked if not is_old(c.year, draft_year, settings.max_age)]
    pool = fresh or ranked  # old material only when nothing newer is on topic
    # One long paragraph may not take the whole budget while other passages wait: a county's report and
    # its town's report both get a say (the first sentence of an item always stays, however long).
    share = budget // 2 if len(pool) > 1 else budget
    for cand in pool:
        cand = cand.keeping(i for i, s in enumerate(cand.sentences) if not used.said(s))
        if not cand.sentences:
            continue
        room = budget - length
        if chosen and room < 60:
            break
        cand = _trimmed(cand, max(min(room, share), 60))
        if not cand.sentences:  # only a label was left
            continue
        old = ("old-material",) if is_old(cand.year, draft_year, settings.max_age) else ()
        chosen.append(to_hit(cand, old))
        for sentence in cand.sentences:
            used.add(sentence)
        length += len(cand.text)
        if max_items and len(chosen) >= max_items:
            break
    return in_reading_order(chosen)


def in_reading_order(hits: list[Hit]) -> list[Hit]:
    """Passages of one source read in the source's order; sources keep the order of their best passage."""
    first: dict[tuple[str, str], int] = {}
    for hit in hits:
        first.setdefault((hit.source.document, hit.source.title), len(first))
    return sorted(hits, key=lambda h: (first[(h.source.document, h.source.title)], h.source.paragraph))


def _trimmed(cand: Candidate, room: int) -> Candidate:
    """Whole sentences in their order while they fit; the first sentence always stays, and so does the one
    after a label ("主动公开方面。" alone says nothing: the figures after it are the content)."""
    total, keep = 0, []
    for i, sentence in enumerate(cand.sentences):
        if keep and total + len(sentence) > room and not all(is_label(cand.sentences[k]) for k in keep):
            break
        keep.append(i)
        total += len(sentence)
    while keep and is_label(cand.sentences[keep[-1]]):  # a label is never the last word of an item
        keep.pop()
    return cand.keeping(keep)
