"""Retrieve: the stored sentences a draft draws on, on topic, ranked, newest first and said once."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from ..config.lexicon import Lexicon, load_lexicon
from ..models import Candidate, Hit, Place, Tense
from ..store import Store
from ..store.search import Scope, year_tokens
from ..text.segmenter import Segmenter
from .expand import feedback_concepts
from .query import Concept, Query, QueryBuilder
from .rank import apply_feedback, drop_superseded, rank
from .topicality import coverage, weigh

__all__ = ["Settings", "Retriever", "Scope", "Query", "Concept", "coverage", "weigh", "to_hit"]

# A draft searches the archive's three newest years first (and plans dated up to two years ahead).
RECENT_YEARS = 3
PLANS_AHEAD = 2
# Candidates a pool hands on, best first: a county's item takes a few passages, the desk shows a dozen.
POOL_SIZE = 12


@dataclass(frozen=True)
class Settings:
    """How retrieval weighs and cuts, and how much composition takes; defaults suit the formats shipped."""

    min_coverage: float = 0.5       # share of the query's weight a passage must cover to be on topic
    budget: int = 400               # characters of progress per county
    max_age: int = 5                # years before the draft when material counts as old (a plan: stale)
    duplicate_similarity: float = 80.0  # rapidfuzz ratio (digits masked) above which two sentences say the same
    plans_per_county: int = 2
    city_plans: int = 2
    candidates: int = 80  # paragraphs per county and tense, best BM25 first: a county item needs a few


def to_hit(c: Candidate, extra_flags: tuple[str, ...] = ()) -> Hit:
    flags = sorted(set().union(*c.flags) | set(extra_flags)) if c.flags else list(extra_flags)
    return Hit(text=c.text, score=round(c.score, 3), source=c.source, city=c.city, county=c.county,
               tense=c.tense, section=c.section, flags=tuple(flags), also=c.also)


class Retriever:
    """Finds a proposal's material in one store, read with one lexicon and one segmenter."""

    def __init__(self, store: Store, segmenter: Segmenter, lexicon: Lexicon | None = None,
                 settings: Settings = Settings()):
        self.store = store
        self.segmenter = segmenter
        self.settings = settings
        self.queries = QueryBuilder(lexicon or load_lexicon(), segmenter)

    def query(self, title: str, keywords: tuple[str, ...] = ()) -> Query:
        """The title and keywords as concepts, weighed by the archive; a topic the lexicon does not name is
        widened by the group the archive's best matches talk about."""
        query = weigh(self.queries.build(title, keywords), self.store)
        more = feedback_concepts(query, self.store, self.queries.lexicon, self.queries)
        return Query(query.concepts + tuple(more)) if more else query

    def pools(self, query: Query, scopes: list[Scope], city: str, draft_year: int | None = None,
              proposal: str | None = None) -> list[dict[Tense, list[Candidate]]]:
        """The on-topic material of each scope for each of its tenses, weighed by what clerks did with it
        in sent replies (for `proposal`: what they cut is left out), superseded sentences dropped."""
        found_all = self._candidates(query, scopes, city, draft_year)
        verdicts = self.store.verdicts_on([c.paragraph_id for found in found_all for pool in found.values()
                                           for c in pool])
        result = []
        for found in found_all:
            result.append({tense: drop_superseded(
                apply_feedback([c for c in pool if c.coverage >= self.settings.min_coverage], verdicts, proposal),
                self.settings.duplicate_similarity, draft_year, self.settings.max_age, POOL_SIZE)
                for tense, pool in found.items()})
        return result

    def search(self, query: Query, city: str, counties: list[Place] | None = None, tense: Tense | None = None,
               limit: int = 10, draft_year: int | None = None) -> list[Hit]:
        """What a draft would draw on, best first, with scores (for `drafter search`): in the given counties,
        else anywhere in the city."""
        draft_year = draft_year or datetime.date.today().year
        tenses = (tense,) if tense else (Tense.PROGRESS, Tense.PLAN)
        # A clerk searching sees table rows too (figures to quote by hand); a draft never uses them.
        kinds = ("text", "table")
        scopes = ([Scope(c, tenses, kinds=kinds) for c in counties] if counties
                  else [Scope(None, tenses, city_wide_only=False, kinds=kinds)])
        hits = []
        found_all = self._candidates(query, scopes, city, draft_year)
        verdicts = self.store.verdicts_on([c.paragraph_id for found in found_all for pool in found.values()
                                           for c in pool])
        for found in found_all:
            for pool in found.values():
                on_topic = apply_feedback([c for c in pool if c.coverage >= self.settings.min_coverage], verdicts, None)
                hits.extend(to_hit(c) for c in rank(on_topic, draft_year))
        return sorted(hits, key=lambda h: h.score, reverse=True)[:limit]

    # --- candidates -----------------------------------------------------------------------------

    def _candidates(self, query: Query, scopes: list[Scope], city: str,
                    draft_year: int | None) -> list[dict[Tense, list[Candidate]]]:
        """Paragraphs with sentences on topic for each scope and tense, from one index query: on a large
        store most of a query's cost is fixed, so one query serves every county. With a draft year, the
        recent years are searched first, and the whole archive only where they hold few matching
        paragraphs (older material is used only when nothing newer is on topic)."""
        limit, match = self.settings.candidates, query.match()
        rows: list[list[tuple[int, float]]] = [[] for _ in scopes]
        if draft_year is not None:
            newest = self.store.newest_year(draft_year)
            recent = year_tokens(min(newest or draft_year, draft_year) - RECENT_YEARS + 1, draft_year + PLANS_AHEAD)
            # A place asked only for plans wants every plan not yet stale; they are few, in the same query.
            current = year_tokens(draft_year - self.settings.max_age, draft_year + PLANS_AHEAD)
            rows = self.store.matched_paragraphs(match, scopes, city, limit,
                                                 [recent if Tense.PROGRESS in s.tenses else current for s in scopes])
        short = [n for n, (scope, found) in enumerate(zip(scopes, rows))
                 if draft_year is None or len(found) < limit // 4 and Tense.PROGRESS in scope.tenses]
        if short:
            for n, found in zip(short, self.store.matched_paragraphs(match, [scopes[n] for n in short], city, limit)):
                rows[n] = found
        return [{tense: [self._weighed(query, c) for c in self.store.candidates_in(found, scope, city, tense)]
                 for tense in scope.tenses}
                for scope, found in zip(scopes, rows)]

    def _weighed(self, query: Query, c: Candidate) -> Candidate:
        if c.tense == Tense.PLAN:
            # A plan under a plan heading of a document about the topic is on it too ("二、下一步工作"
            # of "…政府信息公开工作年度报告").
            cover = max(coverage(query, c.paragraph_text, c.words),
                        coverage(query, c.source.title, self.segmenter.query_words(c.source.title))
                        if c.section else 0.0)
        else:
            cover = coverage(query, c.text, c.words)
            if cover < 1.0 and c.section:
                # A paragraph under a heading that names the topic is on it, though it need not repeat the
                # heading's words ("累计发布政府信息56条" under "(一)政府信息主动公开情况"). Only its own
                # heading counts (the last of the path), not the report's chapter above it.
                heading = c.section.split(" / ")[-1]
                cover = max(cover, coverage(query, heading, self.segmenter.query_words(heading)))
        return replace(c, coverage=cover)
