"""The store's search SQL: which stored sentences match a topic in a place, handed on as `Candidate`s."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ..models import Candidate, Place, SourceRef, Tense
from ..text import wordcut
from ..understand.flags import NOT_DRAFTED
from . import fts
from .schema import city_token, year_token


_PARAGRAPH_KINDS = frozenset({"text", "table", "heading", "caption"})
_NEVER_DRAFTED = frozenset(NOT_DRAFTED)


@dataclass(frozen=True)
class Scope:
    """A place and the tenses a draft wants from it: a county, or (county None) the city's own sentences,
    or with `city_wide_only=False` any sentence of the city."""

    county: Place | None
    tenses: tuple[Tense, ...] = (Tense.PROGRESS, Tense.PLAN)
    city_wide_only: bool = True
    # Paragraph kinds that may answer: prose for a draft; `drafter search` also shows table rows, which a
    # clerk may want to quote by hand (a .docx table's figures), though a draft never uses them.
    kinds: tuple[str, ...] = ("text",)

    def token(self, city: str) -> str | None:
        """The place's token in the index's scope column (in `city`); None: no restriction."""
        return self.county.full if self.county else city_token(city) if self.city_wide_only else None

    def sentence_sql(self) -> tuple[str, list]:
        """SQL on sentences s of paragraphs p, and its parameters (the city's comes after them)."""
        kinds = "p.kind IN (" + ", ".join(f"'{k}'" for k in self.kinds if k in _PARAGRAPH_KINDS) + ") AND "
        if self.county is not None:
            return (kinds + "EXISTS (SELECT 1 FROM sentence_counties c WHERE c.county = ? AND c.sentence_id = s.id) "
                    "AND (s.city = ? OR s.city IS NULL)"), [self.county.full]
        if self.city_wide_only:
            return kinds + "s.county IS NULL AND s.city = ?", []
        return kinds + "(s.city = ? OR s.city IS NULL AND s.county IS NOT NULL)", []


def year_tokens(first: int, last: int) -> tuple[str, ...]:
    """Index tokens of the years from `first` to `last`, and of undated sentences, which count as current."""
    return (*(year_token(y) for y in range(first, last + 1)), year_token(None))


_SENTENCE_COLUMNS = ("s.id, s.paragraph_id, s.seq, s.text, s.city, s.county, s.tense, s.flags, p.seq, p.section, "
                     "p.year, d.file, d.title, d.year, d.date, d.city")


# How many matching sentences of one place a draft reads, newest stored first (see `_best_paragraphs`).
MATCHES_READ = 500


class Bm25:
    """Okapi BM25 of a sentence's index terms against a match expression, as FTS5's bm25() computes it (k1
    1.2, b 0.75, the words counted as `fts.Expression` says, the scope's tokens in the length), from the
    term counts kept as sentences are saved: FTS5 counts them by walking every posting of every word of
    the expression over the whole index, on every query."""

    K1, B = 1.2, 0.75
    SCOPE_TOKENS = 3  # tense, place, year

    def __init__(self, db, expression: str):
        self.expression = fts.Expression(expression)
        total, terms = db.execute("SELECT sentences, terms FROM index_totals").fetchone()
        words = sorted(self.expression.words)
        marks = ",".join("?" * len(words))
        counts = dict(db.execute(f"SELECT term, sentences FROM term_counts WHERE term IN ({marks})", words))
        self.idf = {w: max(math.log((total - n + 0.5) / (n + 0.5)), 1e-6) for w in words
                    if (n := counts.get(w, 0)) > 0}
        self.average = (terms / total if total else 1.0) + self.SCOPE_TOKENS

    def __call__(self, terms: list[str]) -> float:
        """The sentence's score, negative as FTS5 gives it: lower is better."""
        tf = Counter(map(str.lower, terms))  # the index folds case; counted in C, read for a few words only
        present = frozenset(self.idf.keys() & tf.keys())
        norm = self.K1 * (1 - self.B + self.B * (len(terms) + self.SCOPE_TOKENS) / self.average)
        return -sum(self.idf[w] * tf[w] * (self.K1 + 1) / (tf[w] + norm)
                    for w in self.expression.counted(present, terms))


class CandidateSearch:
    """Search methods of the Store (a mixin: `self.db` is the store's connection)."""

    db = None  # set by Store
    _terms: dict[tuple[int, str], list[str]]  # set by Store

    def document_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def spread(self, match: str) -> tuple[int, int]:
        """In how many documents, and how many sentences, the terms of `match` occur."""
        return self.db.execute(
            "SELECT count(DISTINCT p.document_id), count(*) FROM sentence_index i "
            "JOIN sentences s ON s.id = i.rowid JOIN paragraphs p ON p.id = s.paragraph_id "
            "WHERE sentence_index MATCH ?", (f"terms : ({match})",)).fetchone()

    def sentence_count(self) -> int:
        return self.db.execute("SELECT sentences FROM index_totals").fetchone()[0]

    def sentences_matching(self, match: str) -> int:
        return self.db.execute("SELECT count(*) FROM sentence_index WHERE sentence_index MATCH ?",
                               (f"terms : ({match})",)).fetchone()[0]

    def best_sentences(self, match: str, limit: int) -> list[tuple[str, list[str]]]:
        """The sentences that match best anywhere in the archive (of its newest matches), with their terms."""
        weigh = Bm25(self.db, match)
        found = [(text, terms) for text, cut in self.db.execute(
            "SELECT s.text, s.cut FROM sentences s WHERE s.id IN (SELECT rowid FROM sentence_index "
            "WHERE sentence_index MATCH ? ORDER BY rowid DESC LIMIT ?)", (f"terms : ({match})", MATCHES_READ))
            for terms in [wordcut.terms(text, cut)]]
        return sorted(found, key=lambda found: weigh(found[1]))[:limit]

    def newest_year(self, until: int) -> int | None:
        """The archive's newest dated year up to `until`: an archive may end years before the draft."""
        return self.db.execute("SELECT max(year) FROM documents WHERE year <= ?", (until,)).fetchone()[0]

    def matched_paragraphs(self, match: str, scopes: list[Scope], city: str, limit: int,
                           years: list[tuple[str, ...]] | None = None) -> list[list[tuple[int, float]]]:
        """For each scope, the paragraphs whose sentences there (and in its `years`, given as index tokens)
        match best, with their best BM25 (negative: lower is better), and the newest of them."""
        if not match or not scopes:
            return [[] for _ in scopes]
        weigh = Bm25(self.db, match)
        return [self._best_paragraphs(match, scope, years[n] if years else (), city, limit, weigh)
                for n, scope in enumerate(scopes)]

    def _best_paragraphs(self, match: str, scope: Scope, years: tuple[str, ...], city: str, limit: int,
                         weigh: "Bm25") -> list[tuple[int, float]]:
        # The index's scope column narrows the match to the place, tense and years before anything is read,
        # and the newest matches stored are read first, a bounded number of them: on a large archive a
        # common topic matches tens of thousands of sentences in a county's recent years, and the draft
        # needs a few paragraphs of them. The best by BM25 and the newest of those are kept.
        token = scope.token(city)
        where = [fts.any_token([token])] if token else []
        where += [f'"{scope.tenses[0].value}"'] if len(scope.tenses) == 1 else []
        where += [fts.any_token(years)] if years else []
        expression = f"terms : ({match})" + (f" AND scope : ({' AND '.join(where)})" if where else "")
        paragraphs: dict[int, list] = {}  # id -> [best score, year]
        # The walk starts at the place's newest sentence: from the top of the index, FTS5 steps through
        # every newer match of the words before it reaches the first of a place stored long ago (a county
        # whose folder was ingested first: 220 ms at 100k documents, against 6 ms from its newest).
        below = self._after_newest(token) if token else None
        if below == 0:
            return []
        # A place with no more sentences in those years than a walk reads (the city's own plans, a small
        # county) is read whole, and its sentences' words are tested here: FTS5 would step through every
        # match of the words in the whole index to find the few that are the place's (35 ms at 100k
        # documents, for none). The sentences kept are the same either way.
        few = self._all_of_scope(where, below) if where and weigh.expression.testable else None
        # A sentence of no known city counts for a county (the county places it), not for the city as a whole.
        unplaced_count = token != city_token(city)
        read = 0
        while read < MATCHES_READ:
            ids = few if few is not None else [row[0] for row in self.db.execute(
                "SELECT rowid FROM sentence_index WHERE sentence_index MATCH ?"
                + (" AND rowid < ?" if below is not None else "") + " ORDER BY rowid DESC LIMIT ?",
                [expression, *([below] if below is not None else []), MATCHES_READ])]
            if not ids:
                break
            below = ids[-1]
            marks = ",".join("?" * len(ids))
            for sentence_id, paragraph_id, text, cut, year, s_city, d_city in self.db.execute(
                    f"SELECT s.id, s.paragraph_id, s.text, s.cut, coalesce(p.year, d.year, 9999), s.city, d.city "
                    f"FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id "
                    f"JOIN documents d ON d.id = p.document_id WHERE s.id IN ({marks})", ids):
                # Another city's document, or a sentence about another city, is never this city's material.
                if d_city not in (city, None) or not (s_city == city or s_city is None and unplaced_count):
                    continue
                terms = self._terms_of(sentence_id, text, cut)
                if few is not None and not weigh.expression.matches(terms):
                    continue
                read += 1
                score = weigh(terms)
                known = paragraphs.get(paragraph_id)
                if known is None:
                    paragraphs[paragraph_id] = [score, year]
                elif score < known[0]:
                    known[0] = score
            if few is not None or len(ids) < MATCHES_READ:
                break
        # The best matches, and the newest: in a decade of reports the latest figures may not match best.
        by_score = sorted(paragraphs, key=lambda pid: (paragraphs[pid][0], pid))[:limit]
        by_year = sorted(paragraphs, key=lambda pid: (-paragraphs[pid][1], paragraphs[pid][0], pid))[:limit // 4]
        return sorted(((pid, paragraphs[pid][0]) for pid in set(by_score) | set(by_year)), key=lambda r: (r[1], r[0]))

    def _all_of_scope(self, where: list[str], below: int | None) -> list[int] | None:
        """The sentences of the scope (its place, tense and years), newest first, if no more than a walk
        reads; else None."""
        ids = [row[0] for row in self.db.execute(
            "SELECT rowid FROM sentence_index WHERE sentence_index MATCH ?"
            + (" AND rowid < ?" if below is not None else "") + " ORDER BY rowid DESC LIMIT ?",
            [f"scope : ({' AND '.join(where)})", *([below] if below is not None else []), MATCHES_READ + 1])]
        return ids if len(ids) <= MATCHES_READ else None

    def _after_newest(self, token: str) -> int:
        """One past the rowid of the newest sentence whose scope holds `token` (0: none)."""
        row = self.db.execute("SELECT rowid FROM sentence_index WHERE sentence_index MATCH ? ORDER BY rowid DESC "
                              "LIMIT 1", (f"scope : {fts.any_token([token])}",)).fetchone()
        return row[0] + 1 if row else 0

    def candidates_in(self, rows: list[tuple[int, float]], scope: Scope, city: str,
                      tense: Tense) -> list[Candidate]:
        """The sentences of one tense and scope in the matched paragraphs, as candidates (coverage not yet
        weighed). A plan carries its whole paragraph's words: a plan sentence often closes a paragraph on
        the topic without repeating its words ("今后将引入智能派单系统。")."""
        place_sql, params = scope.sentence_sql()
        params = [*params, city]
        whole_paragraph = tense == Tense.PLAN
        if whole_paragraph:
            rows = rows + self._plan_sections_of([r[0] for r in rows], place_sql, params)
        if not rows:
            return []
        marks = ",".join("?" * len(rows))
        by_paragraph: dict[int, list] = {}
        for row in self.db.execute(
                f"SELECT {_SENTENCE_COLUMNS} FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id "
                f"JOIN documents d ON d.id = p.document_id WHERE s.paragraph_id IN ({marks}) "
                f"AND {place_sql} AND s.tense = ? ORDER BY s.paragraph_id, s.seq",
                [*(r[0] for r in rows), *params, tense.value]):
            if not set(row[7].split(",")) & _NEVER_DRAFTED:
                by_paragraph.setdefault(row[1], []).append(row)
        # The words of each sentence were stored at ingest (the index's terms): no segmenting again here.
        if whole_paragraph:
            words_of = self._paragraph_words([r[0] for r in rows])
            texts_of = self.paragraph_texts([r[0] for r in rows])
        else:
            words_of = self._sentence_words([row[0] for sentences in by_paragraph.values() for row in sentences])
        found = []
        for paragraph_id, bm25 in rows:
            sentences = by_paragraph.get(paragraph_id)
            if not sentences:
                continue
            (_, _, _, _, city_, county, _, _, p_seq, section, p_year, file, title, d_year, d_date,
             _) = sentences[0]
            year = p_year if p_year is not None else d_year
            words = (words_of.get(paragraph_id, []) if whole_paragraph else
                     [w for row in sentences for w in words_of.get(row[0], [])])
            found.append(Candidate(
                paragraph_id=paragraph_id, sentences=tuple(row[3] for row in sentences),
                flags=tuple(frozenset(filter(None, row[7].split(","))) for row in sentences),
                words=tuple(words), relevance=-bm25, year=year, date=d_date,
                source=SourceRef(file, title, year, p_seq), city=city_, county=county, section=section,
                tense=tense, paragraph_text=texts_of[paragraph_id] if whole_paragraph else ""))
        return found

    def _sentence_words(self, sentence_ids: list[int]) -> dict[int, list[str]]:
        if not sentence_ids:
            return {}
        marks = ",".join("?" * len(sentence_ids))
        return {sid: self._terms_of(sid, text, cut) for sid, text, cut in self.db.execute(
            f"SELECT id, text, cut FROM sentences WHERE id IN ({marks})", sentence_ids)}

    def _terms_of(self, sentence_id: int, text: str, cut: bytes) -> list[str]:
        """A sentence's terms, kept while a draft asks for them again (scored, then weighed for coverage);
        keyed by its text too, as a replaced document's numbers are given to its new sentences."""
        key = (sentence_id, text)
        terms = self._terms.get(key)
        if terms is None:
            if len(self._terms) > 100_000:
                self._terms.clear()
            terms = self._terms[key] = wordcut.terms(text, cut)
        return terms

    def paragraph_texts(self, paragraph_ids: list[int]) -> dict[int, str]:
        """The paragraphs' texts: kept as written where they are not their sentences joined."""
        marks = ",".join("?" * len(paragraph_ids))
        return dict(self.db.execute(
            f"SELECT p.id, CASE WHEN p.text <> '' THEN p.text ELSE (SELECT group_concat(text, '') FROM "
            f"(SELECT text FROM sentences WHERE paragraph_id = p.id ORDER BY seq)) END "
            f"FROM paragraphs p WHERE p.id IN ({marks})", paragraph_ids))

    def _paragraph_words(self, paragraph_ids: list[int]) -> dict[int, list[str]]:
        marks = ",".join("?" * len(paragraph_ids))
        rows = self.db.execute(f"SELECT id, paragraph_id FROM sentences WHERE paragraph_id IN ({marks}) ORDER BY id",
                               paragraph_ids).fetchall()
        words = self._sentence_words([sid for sid, _ in rows])
        by_paragraph: dict[int, list[str]] = {}
        for sid, pid in rows:
            by_paragraph.setdefault(pid, []).extend(words.get(sid, []))
        return by_paragraph

    def _plan_sections_of(self, paragraph_ids: list[int], place_sql: str, params: list) -> list[tuple]:
        """Plan paragraphs under a heading, in the documents whose matched paragraphs are on the topic: a
        report's "二、下一步工作" on its own topic need not repeat the topic's words."""
        if not paragraph_ids:
            return []
        marks = ",".join("?" * len(paragraph_ids))
        return self.db.execute(
            f"SELECT DISTINCT s.paragraph_id, 0.0 FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id "
            f"WHERE p.document_id IN (SELECT document_id FROM paragraphs WHERE id IN ({marks})) "
            f"AND p.section != '' AND s.tense = 'plan' AND {place_sql} AND s.paragraph_id NOT IN ({marks})",
            [*paragraph_ids, *params, *paragraph_ids]).fetchall()
