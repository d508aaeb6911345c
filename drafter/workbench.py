"""The clerk's workbench: what drafter considered for each county, and a draft of the passages the clerk chose.

The automatic draft (`app.draft_reply`) picks passages itself; here the clerk sees every candidate, best
first, with the ones the automatic draft takes marked, and keeps, cuts, reorders or adds. A choice names a
candidate by its key; its text and sources always come from the store, never from the page, so the
provenance of the written draft stays exact."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path

from .app import (DraftResult, draft_settings, find_proposal, parse_counties, sources_path, suggestion_material,
                  write_reply)
from .output import check_output
from .compose import PLACEHOLDER, SUGGESTION_PLACEHOLDER, compose, passage_of
from .config.office import Office
from .errors import DrafterError
from .models import Candidate, CountySection, Hit, Passage, Place, Proposal, Reply, Tense
from .render.blocks import LayoutBlock
from .render.model import build_context
from .render.template import ReplyFormat, render_blocks
from .retrieve import Retriever, Scope, Settings, to_hit
from .retrieve.rank import rank
from .store import Store
from .understand.flags import is_old

# How many candidates of a pool the clerk is shown beside the picked ones: enough to choose from.
SHOWN = 12
CITY = "city"  # the scope key of the city's own plans


class ChoiceError(DrafterError):
    """A choice names a candidate the store no longer offers (the store changed since it was shown)."""


@dataclass(frozen=True)
class Considered:
    """One candidate drafter weighed: the whole candidate as ranked, and the passage it gives the draft
    (what the automatic draft takes of it, if it took it; else all of it)."""

    key: str  # names it in a choice: scope, tense and stored paragraph
    hit: Hit
    passage: Passage
    picked: bool
    rank: int  # 1 = best of its pool


@dataclass(frozen=True)
class CountyCandidates:
    place: Place
    progress: tuple[Considered, ...]


@dataclass(frozen=True)
class Workbench:
    """Everything the clerk chooses from for one proposal and set of counties."""

    request: Choices  # what it is for, nothing chosen yet
    proposal: Proposal
    places: tuple[Place, ...]
    counties: tuple[CountyCandidates, ...]
    plans: tuple[Considered, ...]  # the city's plan candidates, then each county's
    automatic: Reply  # the draft as drafter would write it alone

    def picked(self) -> "Choices":
        """The automatic draft's choices, in its order."""
        order = list(self.automatic.plans)
        return replace(self.request,
            progress={c.place.full: tuple(k.key for k in _in_draft_order(c.progress, self.automatic, c.place))
                      for c in self.counties},
            plans=tuple(k.key for k in sorted((k for k in self.plans if k.picked),
                                              key=lambda k: order.index(k.passage))))

    def reply(self, fmt: ReplyFormat, choices: Choices) -> Reply:
        """The reply holding exactly the chosen passages, in the chosen order."""
        return _reply(self, fmt, choices)

    def find(self, key: str) -> Considered:
        for considered in [k for c in self.counties for k in c.progress] + list(self.plans):
            if considered.key == key:
                return considered
        raise ChoiceError("所选的一段材料已不在资料库的候选中（资料库可能已更新）。", "请重新载入候选后再选。")


@dataclass(frozen=True)
class Choices:
    """The clerk's draft: what it is for (the inputs `draft-reply` takes), then for each county (full name)
    the keys of its progress passages in draft order, and the keys of the plans in order. A county with
    none gets the placeholder."""

    proposal_id: str
    counties: str  # as the clerk types them
    keywords: tuple[str, ...] = ()
    draft_date: datetime.date | None = None
    progress: dict[str, tuple[str, ...]] = field(default_factory=dict)
    plans: tuple[str, ...] = ()


def candidates(store: Store, office: Office, proposal_id: str, counties: str, fmt: ReplyFormat,
               keywords: tuple[str, ...] = (), draft_date: datetime.date | None = None,
               shown: int = SHOWN) -> Workbench:
    """For each county, the progress candidates drafter considered, best first, with the ones the
    automatic draft picks marked; the same for plans (the city's, then each county's)."""
    proposal = find_proposal(store, proposal_id)
    places = parse_counties(counties, office)
    draft_date = draft_date or datetime.date.today()
    settings = _settings(fmt, office)
    retriever = Retriever(store, office.segmenter, office.lexicon, settings)
    query = retriever.query(proposal.title, keywords)
    *material, city_wide = retriever.pools(query, [*(Scope(p) for p in places), Scope(None, (Tense.PLAN,))],
                                           office.city, draft_date.year, proposal.id)
    # The proposal's own suggestions are answered as draft-reply answers them; the clerk's choices below
    # change the county items and the plans.
    automatic = compose(proposal, places, material, city_wide, draft_date, settings,
                        placeholder=fmt.texts.get("placeholder", PLACEHOLDER), keywords=keywords,
                        suggestions=suggestion_material(retriever, proposal, places, office.city, draft_date.year),
                        suggestion_placeholder=fmt.texts.get("suggestion_placeholder", SUGGESTION_PLACEHOLDER))
    sections = tuple(
        CountyCandidates(place, _considered(pool[Tense.PROGRESS], f"{place.code}-progress", place, draft_date.year,
                                            settings, [p for p in section.passages if not p.placeholder], shown))
        for place, pool, section in zip(places, material, automatic.counties))
    unclaimed = list(automatic.plans)
    plans: list[Considered] = []
    for scope, pool in [(CITY, city_wide), *((p.code, m) for p, m in zip(places, material))]:
        current = [c for c in pool[Tense.PLAN] if not is_old(c.year, draft_date.year, settings.max_age)]
        plans += _considered(current, f"{scope}-plan", None, draft_date.year, settings, unclaimed, shown)
    return Workbench(Choices(proposal.id, counties, tuple(keywords), draft_date), proposal, tuple(places), sections,
                     tuple(plans), automatic)


def reply_with_choices(store: Store, office: Office, fmt: ReplyFormat, choices: Choices) -> Reply:
    """The reply holding exactly the chosen passages, in the chosen order."""
    return candidates(store, office, choices.proposal_id, choices.counties, fmt, choices.keywords,
                      choices.draft_date, shown=0).reply(fmt, choices)


def preview(store: Store, office: Office, fmt: ReplyFormat, choices: Choices) -> list[LayoutBlock]:
    """The reply as it will read: the same blocks the .docx is typeset from."""
    return preview_of(candidates(store, office, choices.proposal_id, choices.counties, fmt, choices.keywords,
                                 choices.draft_date, shown=0), office, fmt, choices)


def preview_of(bench: "Workbench", office: Office, fmt: ReplyFormat, choices: Choices) -> list[LayoutBlock]:
    """`preview` from candidates already found (the page has them at hand)."""
    registry: list = []
    return render_blocks(fmt, build_context(bench.reply(fmt, choices), office.profile, fmt, registry), registry).blocks


def _reply(bench: "Workbench", fmt: ReplyFormat, choices: Choices) -> Reply:
    placeholder = fmt.texts.get("placeholder", PLACEHOLDER)
    sections = []
    for place in bench.places:
        passages = tuple(bench.find(key).passage for key in choices.progress.get(place.full, ()))
        for passage in passages:
            if passage.county != place.full:
                raise ChoiceError(f"所选的一段材料不属于{place.full}。", "请在该县（市、区）自己的候选中选择。")
        sections.append(CountySection(place, passages or (
            Passage(text=placeholder.format(county=place.full), county=place.full, placeholder=True),)))
    plans = tuple(bench.find(key).passage for key in choices.plans)
    return replace(bench.automatic, counties=tuple(sections), plans=plans)


def draft_with_choices(store: Store, office: Office, fmt: ReplyFormat, choices: Choices, output: Path,
                       force: bool = False, comments: bool = True) -> DraftResult:
    """Write the .docx and sources.json of the chosen passages, as `app.draft_reply` writes its own."""
    check_output(Path(output), sources_path(Path(output)), force)  # before any work, as draft-reply does
    return write_reply(store, office, fmt, reply_with_choices(store, office, fmt, choices), output, force, comments)


def _settings(fmt: ReplyFormat, office: Office) -> Settings:
    return draft_settings(fmt, office)


def _considered(pool: list[Candidate], scope: str, place: Place | None, draft_year: int, settings: Settings,
                unclaimed: list[Passage], shown: int) -> tuple[Considered, ...]:
    """A pool best first as the clerk sees it: the best `shown` and every picked one (0: all of them).
    A passage of the automatic draft in `unclaimed` marks the candidate it came from, and is taken off."""
    result = []
    for n, cand in enumerate(rank(pool, draft_year), 1):
        old = ("old-material",) if is_old(cand.year, draft_year, settings.max_age) else ()
        hit = to_hit(cand, old)
        automatic = _claim(cand, unclaimed)
        if shown and n > shown and automatic is None:
            continue
        result.append(Considered(f"{scope}-{cand.paragraph_id}", hit, automatic or passage_of(hit, place),
                                 automatic is not None, n))
    return tuple(result)


def _claim(cand: Candidate, unclaimed: list[Passage]) -> Passage | None:
    """The automatic draft's passage taken from this candidate, if any. One paragraph may give two
    candidates (its city-wide sentences and its county's), so the source alone does not tell: a passage
    is whole sentences of its candidate, and each sentence ends as stored (only its start may be trimmed)."""
    for passage in unclaimed:
        if passage.sources == (cand.source,) and any(s[-16:] in passage.text for s in cand.sentences):
            unclaimed.remove(passage)
            return passage
    return None


def _in_draft_order(considered: tuple[Considered, ...], reply: Reply, place: Place) -> list[Considered]:
    section = next(s for s in reply.counties if s.place == place)
    return sorted((k for k in considered if k.picked), key=lambda k: section.passages.index(k.passage))
