"""The store's search SQL: which stored sentences match a topic in a place, handed on as `Candidate`s."""
from __future__ import annotations

from dataclasses import dataclass

from ..models import Candidate, Place, SourceRef, Tense
from ..understand.flags import NOT_DRAFTED
from . import fts
from .schema import CITYWIDE, year_token


_PARAGRAPH_KINDS = frozenset({"text", "table", "heading", "caption"})


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

    @property
    def token(self) -> str | None:
        """The place's token in the index's scope column; None: no restriction."""
        return self.county.full if self.county else CITYWIDE if self.city_wide_only else None

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


class CandidateSearch:
    """Search methods of the Store (a mixin: `self.db` is the store's connection)."""

    db = None  # set by Store

    def document_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def spread(self, match: str) -> tuple[int, int]:
        """In how many documents, and how many sentences, the terms of `match` occur."""
        return self.db.execute(
            "SELECT count(DISTINCT p.document_id), count(*) FROM sentence_index i "
            "JOIN sentences s ON s.id = i.rowid JOIN paragraphs p ON p.id = s.paragraph_id "
            "WHERE sentence_index MATCH ?", (f"terms : ({match})",)).fetchone()

    def sentence_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM sentence_index").fetchone()[0]

    def sentences_matching(self, match: str) -> int:
        return self.db.execute("SELECT count(*) FROM sentence_index WHERE sentence_index MATCH ?",
                               (f"terms : ({match})",)).fetchone()[0]

    def best_sentences(self, match: str, limit: int) -> list[tuple[str, list[str]]]:
        """The sentences that match best anywhere in the archive, with their index terms."""
        return [(text, terms.split()) for text, terms in self.db.execute(
            "SELECT s.text, i.terms FROM sentence_index i JOIN sentences s ON s.id = i.rowid "
            "WHERE sentence_index MATCH ? ORDER BY bm25(sentence_index, 1.0, 0.0) LIMIT ?",
            (f"terms : ({match})", limit))]

    def newest_year(self, until: int) -> int | None:
        """The archive's newest dated year up to `until`: an archive may end years before the draft."""
        return self.db.execute("SELECT max(year) FROM documents WHERE year <= ?", (until,)).fetchone()[0]

    def matched_paragraphs(self, match: str, scopes: list[Scope], city: str, limit: int,
                           years: list[tuple[str, ...]] | None = None) -> list[list[tuple[int, float]]]:
        """For each scope, the paragraphs whose sentences there (and in its `years`, given as index tokens)
        match best, with their best BM25, and the newest of them."""
        if not match or not scopes:
            return [[] for _ in scopes]
        # The index's scope column narrows the match to the places (and tenses) before anything is joined:
        # a large store matches a common topic tens of thousands of times. Scopes that want the same
        # tenses and years share one clause.
        clauses: dict[tuple, list[str | None]] = {}
        for n, scope in enumerate(scopes):
            tense = scope.tenses[0] if len(scope.tenses) == 1 else None
            clauses.setdefault((tense, years[n] if years else ()), []).append(scope.token)
        parts = []
        for (tense, tokens_of_years), tokens in clauses.items():
            part = [] if None in tokens else [fts.any_token(tokens)]
            part += [f'"{tense.value}"'] if tense else []
            part += [fts.any_token(tokens_of_years)] if tokens_of_years else []
            parts.append(" AND ".join(part) if part else None)
        where = None if None in parts else " OR ".join(f"({p})" for p in parts)
        expression = f"terms : ({match})" + (f" AND scope : ({where})" if where else "")
        # Each scope's rows: its place token and tense among the sentence's scope tokens.
        values = ", ".join("(?, ?, ?)" for _ in scopes)
        params: list = [expression]
        for n, scope in enumerate(scopes):
            params += [n, f"% {scope.token} %" if scope.token else "%",
                       f"% {scope.tenses[0].value} %" if len(scope.tenses) == 1 else "%"]
        # BM25 of the terms column alone: the scope's tokens only filter, and weigh nothing.
        # The best matches, and the newest: in a decade of reports the latest figures may not match best.
        found = self.db.execute(
            f"WITH matched AS MATERIALIZED (SELECT rowid AS id, bm25(sentence_index, 1.0, 0.0) AS score, "
            f"' ' || scope || ' ' AS scope FROM sentence_index WHERE sentence_index MATCH ?), "
            f"wheres (n, place, tense) AS (VALUES {values}), "
            f"grouped AS MATERIALIZED (SELECT w.n, s.paragraph_id, min(m.score) AS best, "
            f"coalesce(p.year, d.year, 9999) AS year FROM matched m "
            f"JOIN wheres w ON m.scope LIKE w.place AND m.scope LIKE w.tense "
            f"JOIN sentences s ON s.id = m.id "
            f"JOIN paragraphs p ON p.id = s.paragraph_id JOIN documents d ON d.id = p.document_id "
            f"WHERE (d.city = ? OR d.city IS NULL) AND (s.city = ? OR s.city IS NULL AND w.place <> ?) "
            f"GROUP BY w.n, s.paragraph_id), "
            f"ranked AS (SELECT *, row_number() OVER (PARTITION BY n ORDER BY best) AS by_score, "
            f"row_number() OVER (PARTITION BY n ORDER BY year DESC, best) AS by_year FROM grouped) "
            f"SELECT n, paragraph_id, best FROM ranked WHERE by_score <= ? OR by_year <= ? ORDER BY n, best",
            [*params, city, city, f"% {CITYWIDE} %", limit, limit // 4]).fetchall()
        rows: list[list[tuple[int, float]]] = [[] for _ in scopes]
        for n, paragraph_id, best in found:
            rows[n].append((paragraph_id, best))
        return rows

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
            if not set(row[7].split(",")) & set(NOT_DRAFTED):
                by_paragraph.setdefault(row[1], []).append(row)
        # The words of each sentence were stored at ingest (the index's terms): no segmenting again here.
        if whole_paragraph:
            words_of = self._paragraph_words([r[0] for r in rows])
            texts_of = dict(self.db.execute(f"SELECT id, text FROM paragraphs WHERE id IN ({marks})",
                                            [r[0] for r in rows]))
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
        return {rowid: terms.split() for rowid, terms in self.db.execute(
            f"SELECT rowid, terms FROM sentence_index WHERE rowid IN ({marks})", sentence_ids)}

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
