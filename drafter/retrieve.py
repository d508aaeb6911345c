"""Retrieve: the stored sentences a draft draws on, ranked, on topic, newest first and used once."""
from __future__ import annotations

import datetime
import math
import os
import re
import tomllib
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from rapidfuzz import fuzz, process

from .errors import DrafterError
from .models import Hit, Place, SourceRef
from .store import CITYWIDE, Store, year_token
from .tokenize import query_words
from .understand.flags import NOT_DRAFTED, is_old


# A term is one or more phrases that must all occur ("应急+监测"); a phrase is its jieba words.
Term = tuple[tuple[str, ...], ...]


def _fts_term(term: Term) -> str:
    # Words of a phrase need not be adjacent in the index (县政府 网站 says 政府网站): the candidates are
    # cut wide here and `says` decides.
    return _fts_all(w for phrase in term for w in phrase)


def _factored(terms: list[tuple[str, ...]]) -> str:
    """An FTS query for texts with all the words of any of the terms, each shared word written once."""
    terms = [term for term in terms if term]
    if not terms:
        return ""
    counts: dict[str, int] = {}
    for term in terms:
        for w in term:
            counts[w] = counts.get(w, 0) + 1
    shared = max(counts, key=lambda w: (counts[w], len(w)))
    if counts[shared] < 2:
        return " OR ".join(_fts_all(term) for term in terms)
    with_it = [tuple(w for w in term if w != shared) for term in terms if shared in term]
    rest = [term for term in terms if shared not in term]
    head = f'"{shared}"' if not all(with_it) else f'("{shared}" AND ({_factored(with_it)}))'
    return " OR ".join(filter(None, [head, _factored(rest)]))


def _fts_all(words_: Iterable[str]) -> str:
    """An FTS query for texts with all the words."""
    quoted = [f'"{w}"' for w in dict.fromkeys(w.replace('"', "") for w in words_)]
    return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"


def _fts_all_of(lists: tuple[tuple[str, ...], ...]) -> str:
    return "(" + " AND ".join("(" + " OR ".join(_fts_option(w) for w in options) + ")" for options in lists) + ")"


def _fts_option(option: str) -> str:
    # The index holds the dictionary words inside long words, so an option matches as whole words; only a
    # one-character option ("诊") needs a prefix query, which is slow on a large store. An option jieba
    # splits (森林防火 → 森林 防火) needs all its words.
    return _fts_all(query_words(option) or [option]) if len(option) > 1 else f'"{option}"*'


@dataclass(frozen=True)
class Concept:
    """One thing the proposal asks about, said in any of several ways (智慧城市 / 城市大脑 / 一网统管)."""

    name: str
    phrases: tuple[Term, ...]
    weight: float = 1.0
    # Also said by one word of each list together, anywhere in the text ("智能" + "随访", "智慧" + "诊室"):
    # a qualifier and a domain noun, for topics named in many compound ways.
    all_of: tuple[tuple[str, ...], ...] = ()
    # The topic itself: the lexicon group of the title's head ("…便民热线" in "提升12345政务服务便民热线…").
    primary: bool = False
    # One of the title's own noun phrases, said whole ("互联网医院" of "智慧医疗和互联网医院"): a text
    # that says it is on the topic, whatever the weights of its words.
    whole: bool = False
    # Asked for by the clerk (--keywords), or a lexicon group one of their keywords names: a text that
    # says it is on the topic, whatever the title's topic is.
    asked: bool = False

    def fts_expression(self) -> str:
        return " OR ".join(dict.fromkeys([_fts_term(t) for t in self.phrases] +
                                         ([_fts_all_of(self.all_of)] if self.all_of else [])))

    @property
    def terms(self) -> list[str]:
        """Its ways of saying, as written in the lexicon ("应急+监测")."""
        return ["+".join("".join(phrase) for phrase in term) for term in self.phrases]


@dataclass(frozen=True)
class Query:
    concepts: tuple[Concept, ...]

    @property
    def primaries(self) -> tuple[Concept, ...]:
        return tuple(c for c in self.concepts if c.primary)

    def fts_expression(self) -> str:
        # BM25 counts every word of the query over the whole index, once for each time the query names
        # it: terms that share a word are factored ("城市" AND ("大脑" OR "运行" …)), so each word is
        # counted about once.
        terms = [tuple(dict.fromkeys(w for phrase in term for w in phrase))
                 for c in self.concepts for term in c.phrases]
        others = [_fts_all_of(c.all_of) for c in self.concepts if c.all_of]
        return " OR ".join(filter(None, [_factored(list(dict.fromkeys(terms))), *dict.fromkeys(others)]))


# A draft searches the archive's three newest years first (and plans dated up to two years ahead).
RECENT_YEARS = 3


def _year_tokens(first: int, draft_year: int) -> tuple[str, ...]:
    """Index tokens of the years from `first` to two years after the draft (plans name years ahead),
    and of undated sentences, which count as current."""
    return (*(year_token(y) for y in range(first, draft_year + 3)), year_token(None))


@dataclass(frozen=True)
class Settings:
    """How retrieval weighs and cuts; defaults suit the reply formats shipped."""

    min_coverage: float = 0.5       # share of the query's weight a passage must cover to be on topic
    budget: int = 400               # characters of progress per county
    max_age: int = 5                # years before the draft when material counts as old (a plan: stale)
    duplicate_similarity: float = 80.0  # rapidfuzz ratio (digits masked) above which two sentences say the same
    plans_per_county: int = 2
    city_plans: int = 2
    candidates: int = 80  # paragraphs per county and tense, best BM25 first: a county item needs a few


# --- the query ---------------------------------------------------------------------------------

def load_lexicon(path: str | None = None) -> tuple[dict[str, dict], frozenset[str]]:
    """Topic groups and title stopwords: the shipped topics.toml, extended by an office's own file (the
    given path, else DRAFTER_TOPICS). The office's groups replace shipped groups of the same name (one
    with no terms removes it) and its stopwords add to the shipped ones."""
    return _load_lexicon(path or os.environ.get("DRAFTER_TOPICS") or None)


@lru_cache(maxsize=4)
def _load_lexicon(path: str | None) -> tuple[dict[str, dict], frozenset[str]]:
    data = tomllib.loads((resources.files("drafter") / "data" / "topics.toml").read_text(encoding="utf-8"))
    stop = set(data.pop("stopwords", {}).get("terms", []))
    if path:
        try:
            office = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise DrafterError(f"主题词表无法读取：{path}（{e}）",
                               "请检查 DRAFTER_TOPICS 指向的文件：须为 UTF-8 编码的 TOML，格式同 drafter/data/topics.toml。") from e
        stop |= set(office.pop("stopwords", {}).get("terms", []))
        for name, group in office.items():
            if not isinstance(group, dict) or not isinstance(group.get("terms", []), list):
                raise DrafterError(f"主题词表 {path} 中的“{name}”不是词组。",
                                   f'每个主题写成一节：["{name}"] 下一行 terms = ["词一", "词二"]。')
        data.update(office)
    return {name: group for name, group in data.items() if group.get("terms")}, frozenset(stop)


def build_query(title: str, keywords: tuple[str, ...] = (), lexicon_path: str | None = None) -> Query:
    """Concepts of a proposal's title and the clerk's keywords, widened by the topic lexicon."""
    groups, stop = load_lexicon(lexicon_path)
    concepts, covered, ends = [], set(), []
    for name, group in groups.items():
        terms = group["terms"]
        used = [t for t in terms if "+" not in t and t in title]
        asked = any("+" not in t and t in keyword for t in terms for keyword in keywords)
        if used or asked:
            concepts.append(Concept(name, tuple(_term(t) for t in terms),
                                    all_of=tuple(tuple(options) for options in group.get("all_of", [])),
                                    asked=asked))
            covered.update(w for t in used for w in query_words(t))
            ends.append(max((title.rfind(t) + len(t) for t in used), default=-1))
    # The head noun comes last in a Chinese noun phrase: in each of the title's joined phrases
    # ("互联网医院和智慧养老"), the group named last is a topic of the proposal; groups that name the same
    # head (a shipped one and an office's own) are one together. A group that an unknown word follows
    # (政务服务 in "政务服务便民热线") only qualifies the head, and the words found in the text decide.
    for start, end in _joined_phrase_spans(title):
        inside = [at for at in ends if start < at <= end]
        if inside and not _content_words(title[max(inside):end], stop):
            for n, at in enumerate(ends):
                if at == max(inside):
                    concepts[n] = replace(concepts[n], primary=True)
    for word in _content_words(title, stop):
        if word in covered:
            continue
        covered.add(word)
        concepts.append(Concept(word, (((word,),),)))
    for phrase in _noun_phrases(title, stop):
        concepts.append(Concept("".join(phrase), ((tuple(phrase),),), whole=True))
    for keyword in keywords:
        if query_words(keyword):
            concepts.append(Concept(keyword, ((tuple(query_words(keyword)),),), whole=True, asked=True))
    return Query(tuple(concepts))


_COORDINATORS = frozenset({"和", "与", "及", "以及", "并"})


def _joined_phrase_spans(title: str) -> list[tuple[int, int]]:
    """Where the title's joined phrases lie, as (start, end) offsets: cut at 、 and at 和, 与, 及…"""
    spans = []
    for piece in re.finditer(r"[^、，,；;]+", title):
        start = at = piece.start()
        for word in query_words(piece.group()):
            at = title.find(word, at)
            if word in _COORDINATORS:
                spans.append((start, at))
                start = at + len(word)
            at += len(word)
        spans.append((start, piece.end()))
    return spans


def _noun_phrases(title: str, stop: frozenset[str]) -> list[list[str]]:
    """The title's joined noun phrases of two words or more, as their words: "智慧医疗和互联网医院建设"
    → [智慧, 医疗], [互联网, 医院]. Stopwords end a phrase too, so a phrase stands whole in the title."""
    phrases = []
    for start, end in _joined_phrase_spans(title):
        current: list[str] = []
        for word in query_words(title[start:end]) + [""]:
            if word in stop or not word:
                if len(current) >= 2:
                    phrases.append(current)
                current = []
            elif len(word) >= 2 or word.isdigit():
                current.append(word)
    return phrases


def _content_words(text: str, stop: frozenset[str]) -> list[str]:
    return [w for w in query_words(text) if w not in stop and (len(w) >= 2 or w.isdigit())]


def _term(text: str) -> Term:
    return tuple(tuple(query_words(part)) for part in text.split("+") if part.strip())


def weigh(query: Query, store: Store) -> Query:
    """Give each concept a weight from the store: how much more it clusters in some documents than chance
    would scatter it (residual IDF, Church & Gale 1995). A topic word (信用, 热线) comes many times in the
    few documents about it; a generic word of the title (体系, 社会) comes once here and there, whatever
    its rarity. A query with primary concepts needs none: they alone decide."""
    if query.primaries:
        return query
    documents = store.db.execute("SELECT count(*) FROM documents").fetchone()[0] or 1
    weighted = []
    for concept in query.concepts:
        if concept.whole:  # decides alone, weighs nothing
            weighted.append(concept)
            continue
        in_documents, in_sentences = store.db.execute(
            "SELECT count(DISTINCT p.document_id), count(*) FROM sentence_index i "
            "JOIN sentences s ON s.id = i.rowid JOIN paragraphs p ON p.id = s.paragraph_id "
            "WHERE sentence_index MATCH ?", (f"terms : ({concept.fts_expression()})",)).fetchone()
        weighted.append(replace(concept, weight=_residual_idf(in_documents, in_sentences, documents)))
    return Query(tuple(weighted))


def _residual_idf(in_documents: int, occurrences: int, documents: int) -> float:
    if not in_documents:
        # A word no document uses (冰雪 in a data bureau's archive) is as specific as a word can be: the
        # topic is not in the archive, whatever the title's other words match.
        return math.log(1 + documents)
    idf = math.log(documents / in_documents)
    expected_idf = -math.log(-math.expm1(-occurrences / documents))  # if occurrences fell at random
    # A floor keeps a query whose words are all everywhere (every document on one topic) from weighing
    # nothing: its words then count alike.
    return max(idf - expected_idf, 0.01)


def says(concept: Concept, text: str, text_words: set[str]) -> bool:
    """Whether a text says a concept: all phrases of one of its terms, or a word of each of its `all_of`
    lists. A single word must stand as a word (信用 is not in 信用社); a longer phrase may be glued to
    its neighbours (政府网站 in 县政府网站)."""
    if concept.all_of and all(any(w in text for w in options) for options in concept.all_of):
        return True
    return any(all(phrase[0] in text_words if len(phrase) == 1 else "".join(phrase) in text for phrase in term)
               for term in concept.phrases)


def coverage(query: Query, text: str, text_words: Iterable[str] | None = None) -> float:
    """How far a text is on the proposal's topic: 1.0 when it says one of the clerk's keywords, or a
    primary concept, or one of the title's noun phrases whole, else the share of the words' weight it says. `text_words`: the text's
    words when they are already known."""
    known = set(query_words(text) if text_words is None else text_words)
    if any(c.asked and says(c, text, known) for c in query.concepts):
        return 1.0
    if query.primaries:
        return 1.0 if any(says(c, text, known) for c in query.primaries) else 0.0
    if any(c.whole and says(c, text, known) for c in query.concepts):
        return 1.0
    weighed = [c for c in query.concepts if not c.whole]
    found = sum(c.weight for c in weighed if says(c, text, known))
    return found / (sum(c.weight for c in weighed) or 1.0)


# --- candidates ----------------------------------------------------------------------------------

@dataclass
class _Candidate:
    """A paragraph's usable sentences for one county and tense, with what is known of its source."""

    paragraph_id: int
    sentences: list[str]
    flags: list[set[str]]
    relevance: float  # FTS5 BM25, higher is better
    coverage: float
    year: int | None
    date: str | None
    source: SourceRef
    city: str | None
    county: str | None
    section: str
    tense: str
    score: float = 0.0  # relevance and coverage discounted with age: the order drafts use

    @property
    def text(self) -> str:
        return "".join(self.sentences)


_SENTENCE_COLUMNS = ("s.id, s.paragraph_id, s.seq, s.text, s.city, s.county, s.tense, s.flags, p.seq, p.section, "
                     "p.year, d.file, d.title, d.year, d.date, d.city")


def candidates(store: Store, query: Query, county: Place | None, city: str, tenses: tuple[str, ...],
               limit: int = 80, city_wide_only: bool = True,
               draft_year: int | None = None) -> dict[str, list[_Candidate]]:
    """Paragraphs with sentences on topic for a county, best first, for each tense asked. Without a
    county: the city's own (city-wide) sentences, or with `city_wide_only=False` any sentence of the city."""
    return candidates_for(store, query, [Where(county, tenses, city_wide_only)], city, limit, draft_year)[0]


@dataclass(frozen=True)
class Where:
    """A place and the tenses a draft wants from it: a county, or (county None) the city's own sentences,
    or with `city_wide_only=False` any sentence of the city."""

    county: Place | None
    tenses: tuple[str, ...] = ("progress", "plan")
    city_wide_only: bool = True

    @property
    def token(self) -> str | None:
        """The place's token in the index's scope column; None: no restriction."""
        return self.county.full if self.county else CITYWIDE if self.city_wide_only else None

    def sentence_sql(self) -> tuple[str, list]:
        if self.county is not None:
            return ("EXISTS (SELECT 1 FROM sentence_counties c WHERE c.county = ? AND c.sentence_id = s.id) "
                    "AND (s.city = ? OR s.city IS NULL)"), [self.county.full]
        if self.city_wide_only:
            return "s.county IS NULL AND s.city = ?", []
        return "(s.city = ? OR s.city IS NULL AND s.county IS NOT NULL)", []


def candidates_for(store: Store, query: Query, wheres: list[Where], city: str, limit: int = 80,
                   draft_year: int | None = None, max_age: int = 5) -> list[dict[str, list[_Candidate]]]:
    """`candidates` for several places at once, from one index query: on a large store most of a query's
    cost is fixed (BM25 counts each phrase over the whole index), so one query serves every county.
    With a draft year, the recent years are searched first, and the whole archive only for places where
    they hold few matching paragraphs (older material is used only when nothing newer is on topic)."""
    rows: list[list[tuple[int, float]]] = [[] for _ in wheres]
    if draft_year is not None:
        # The archive's newest years, not the calendar's: an archive may end years before the draft.
        newest = store.db.execute("SELECT max(year) FROM documents WHERE year <= ?", (draft_year,)).fetchone()[0]
        recent = _year_tokens(min(newest or draft_year, draft_year) - RECENT_YEARS + 1, draft_year)
        # A place asked only for plans wants every plan not yet stale; they are few, in the same query.
        current = _year_tokens(draft_year - max_age, draft_year)
        rows = _matched_paragraphs(store, query, wheres, city, limit,
                                   [recent if "progress" in w.tenses else current for w in wheres])
    # Progress wants a choice: older material is used when nothing newer is on topic.
    short = [n for n, (where, found) in enumerate(zip(wheres, rows))
             if draft_year is None or len(found) < limit // 4 and "progress" in where.tenses]
    if short:
        for n, found in zip(short, _matched_paragraphs(store, query, [wheres[n] for n in short], city, limit)):
            rows[n] = found
    result = []
    for where, found in zip(wheres, rows):
        place_sql, params = where.sentence_sql()
        result.append({tense: _candidates_in(store, query, found, place_sql, [*params, city], tense)
                       for tense in where.tenses})
    return result



def _matched_paragraphs(store: Store, query: Query, wheres: list[Where], city: str, limit: int,
                        years: list[tuple[str, ...]] | None = None) -> list[list[tuple[int, float]]]:
    """For each place, the paragraphs whose sentences there (and in its `years`, given as index tokens)
    match the query best, with their best BM25, and the newest of them."""
    expression = query.fts_expression()
    if not expression or not wheres:
        return [[] for _ in wheres]
    # The index's scope column narrows the match to the places (and tenses) before anything is joined:
    # a large store matches a common topic tens of thousands of times.
    # Places that want the same tenses and years share one clause: BM25 counts each token of the query
    # over the whole index, once for each time the query names it.
    clauses: dict[tuple, list[str]] = {}
    for n, where in enumerate(wheres):
        tense = where.tenses[0] if len(where.tenses) == 1 else None
        clauses.setdefault((tense, years[n] if years else ()), []).append(where.token)
    parts = []
    for (tense, year_tokens), tokens in clauses.items():
        part = [] if None in tokens else ["(" + " OR ".join(f'"{t}"' for t in tokens) + ")"]
        part += [f'"{tense}"'] if tense else []
        part += ["(" + " OR ".join(f'"{t}"' for t in year_tokens) + ")"] if year_tokens else []
        parts.append(" AND ".join(part) if part else None)
    scope = None if None in parts else " OR ".join(f"({p})" for p in parts)
    match = f"terms : ({expression})" + (f" AND scope : ({scope})" if scope else "")
    # Each place's rows: its scope token and tense among the sentence's scope tokens.
    values = ", ".join("(?, ?, ?)" for _ in wheres)
    params: list = [match]
    for n, where in enumerate(wheres):
        params += [n, f"% {where.token} %" if where.token else "%",
                   f"% {where.tenses[0]} %" if len(where.tenses) == 1 else "%"]
    # BM25 of the terms column alone: the scope's tokens only filter, and weigh nothing.
    # The best matches, and the newest: in a decade of reports the latest figures may not match best.
    found = store.db.execute(
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
    rows: list[list[tuple[int, float]]] = [[] for _ in wheres]
    for n, paragraph_id, best in found:
        rows[n].append((paragraph_id, best))
    return rows


def _candidates_in(store: Store, query: Query, rows: list[tuple[int, float]], place_sql: str, params: list,
                   tense: str) -> list[_Candidate]:
    """The sentences of one tense and place in the matched paragraphs, as candidates with their coverage."""
    # A plan sentence often closes a paragraph on the topic without repeating its words ("今后将引入智能派单
    # 系统。"): for plans the paragraph as a whole must be on topic; for progress, the sentences drafted.
    whole_paragraph = tense == "plan"
    if whole_paragraph:
        rows = rows + _plan_sections_of(store, [r[0] for r in rows], place_sql, params)
    if not rows:
        return []
    marks = ",".join("?" * len(rows))
    by_paragraph: dict[int, list] = {}
    for row in store.db.execute(
            f"SELECT {_SENTENCE_COLUMNS} FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id "
            f"JOIN documents d ON d.id = p.document_id WHERE s.paragraph_id IN ({marks}) AND p.kind = 'text' "
            f"AND {place_sql} AND s.tense = ? ORDER BY s.paragraph_id, s.seq",
            [*(r[0] for r in rows), *params, tense]):
        if not set(row[7].split(",")) & set(NOT_DRAFTED):
            by_paragraph.setdefault(row[1], []).append(row)
    # The words of each sentence were stored at ingest (the index's terms): no segmenting again here.
    words_of = _paragraph_words(store, [r[0] for r in rows]) if whole_paragraph else _sentence_words(
        store, [row[0] for sentences in by_paragraph.values() for row in sentences])
    texts_of = dict(store.db.execute(f"SELECT id, text FROM paragraphs WHERE id IN ({marks})",
                                     [r[0] for r in rows])) if whole_paragraph else {}
    found = []
    for paragraph_id, bm25 in rows:
        sentences = by_paragraph.get(paragraph_id)
        if not sentences:
            continue
        first = sentences[0]
        texts = [row[3] for row in sentences]
        if whole_paragraph:
            # A plan under a plan heading of a document about the topic is on it too ("二、下一步工作"
            # of "…政府信息公开工作年度报告").
            cover = max(coverage(query, texts_of[paragraph_id], words_of.get(paragraph_id, [])),
                        coverage(query, first[12]) if first[9] else 0.0)
        else:
            cover = coverage(query, "".join(texts), [w for row in sentences for w in words_of.get(row[0], [])])
        year = first[10] if first[10] is not None else first[13]
        found.append(_Candidate(
            paragraph_id=paragraph_id, sentences=texts,
            flags=[set(filter(None, row[7].split(","))) for row in sentences], relevance=-bm25, coverage=cover,
            year=year, date=first[14], source=SourceRef(first[11], first[12], year, first[8]),
            city=first[4], county=first[5], section=first[9], tense=tense))
    return found


def _sentence_words(store: Store, sentence_ids: list[int]) -> dict[int, list[str]]:
    if not sentence_ids:
        return {}
    marks = ",".join("?" * len(sentence_ids))
    return {rowid: terms.split() for rowid, terms in store.db.execute(
        f"SELECT rowid, terms FROM sentence_index WHERE rowid IN ({marks})", sentence_ids)}


def _paragraph_words(store: Store, paragraph_ids: list[int]) -> dict[int, list[str]]:
    marks = ",".join("?" * len(paragraph_ids))
    rows = store.db.execute(f"SELECT id, paragraph_id FROM sentences WHERE paragraph_id IN ({marks}) ORDER BY id",
                            paragraph_ids).fetchall()
    words_ = _sentence_words(store, [sid for sid, _ in rows])
    by_paragraph: dict[int, list[str]] = {}
    for sid, pid in rows:
        by_paragraph.setdefault(pid, []).extend(words_.get(sid, []))
    return by_paragraph


def _plan_sections_of(store: Store, paragraph_ids: list[int], place_sql: str, params: list) -> list[tuple]:
    """Plan paragraphs under a heading, in the documents whose matched paragraphs are on the topic: a
    report's "二、下一步工作" on its own topic need not repeat the topic's words."""
    if not paragraph_ids:
        return []
    marks = ",".join("?" * len(paragraph_ids))
    return store.db.execute(
        f"SELECT DISTINCT s.paragraph_id, 0.0 FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id "
        f"WHERE p.document_id IN (SELECT document_id FROM paragraphs WHERE id IN ({marks})) "
        f"AND p.section != '' AND s.tense = 'plan' AND {place_sql} AND s.paragraph_id NOT IN ({marks})",
        [*paragraph_ids, *params, *paragraph_ids]).fetchall()


# --- choosing ------------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9]+)?")
_SHARED_PHRASE = 12  # characters: longer than any stock opening ("全县12345热线…") two facts share


@lru_cache(maxsize=65536)
def _masked(sentence: str) -> str:
    return _DIGITS.sub("#", re.sub(r"\s+", "", sentence))


@lru_cache(maxsize=65536)
def _phrases(masked: str) -> frozenset[str]:
    return frozenset(masked[i:i + _SHARED_PHRASE] for i in range(len(masked) - _SHARED_PHRASE + 1))


class Facts:
    """Sentences already said, so that a repost, an older version or another wording of the same fact
    ("…入选全省社会信用体系建设示范县…") is not said again."""

    def __init__(self, threshold: float):
        self.threshold = threshold  # rapidfuzz ratio, digits masked
        self._masked: list[str] = []
        self._by_phrase: dict[str, list[int]] = {}

    def add(self, sentence: str) -> None:
        masked = _masked(sentence)
        for phrase in _phrases(masked):
            self._by_phrase.setdefault(phrase, []).append(len(self._masked))
        self._masked.append(masked)

    def said(self, sentence: str) -> bool:
        masked = _masked(sentence)
        if not self._masked:
            return False
        if len(masked) < 6:
            return masked in self._masked
        if process.extractOne(masked, self._masked, scorer=fuzz.ratio, score_cutoff=self.threshold):
            return True
        for other, _, _ in process.extract(masked, self._masked, scorer=fuzz.partial_ratio, limit=5,
                                           score_cutoff=max(self.threshold, 90)):
            if min(len(masked), len(other)) >= 0.5 * max(len(masked), len(other)):
                return True  # one contains most of the other: a repost cut or extended
        # One long phrase in common, a third of the shorter sentence or more.
        for i in {i for phrase in _phrases(masked) for i in self._by_phrase.get(phrase, ())}:
            other = self._masked[i]
            shared = SequenceMatcher(None, masked, other, autojunk=False).find_longest_match(
                0, len(masked), 0, len(other)).size
            if 3 * shared >= min(len(masked), len(other)):
                return True
        return False


# A figure's key: the two characters before the number and its unit ("工单" + "件" in "办理工单5.1万件").
_FIGURE = re.compile(r"([\u4e00-\u9fff]{2})(?:达到|达|为|共|累计|超过|近|约|逾)?[0-9]+(?:\.[0-9]+)?(?:万|亿)?(?:余|多)?"
                     r"([\u4e00-\u9fff%％])")


@lru_cache(maxsize=65536)
def figure_keys(sentence: str) -> frozenset[tuple[str, str]]:
    """What each figure in a sentence measures, so a newer figure can supersede an older one."""
    return frozenset((m.group(1), m.group(2)) for m in _FIGURE.finditer(re.sub(r"\s+", "", sentence)))


def _newness(c: _Candidate) -> tuple:
    # An undated document is taken as current: archives date what they file, drafts in progress are not yet dated.
    return (c.year or 9999, c.date or "", len(c.text))


def drop_superseded(pool: list[_Candidate], threshold: float) -> None:
    """Within a pool, a sentence that says what a newer (or, at equal age, longer) one says is removed."""
    kept = Facts(threshold)
    measured: set[tuple[str, str]] = set()
    for cand in sorted(pool, key=_newness, reverse=True):
        keep = [i for i, s in enumerate(cand.sentences) if not kept.said(s) and not figure_keys(s) & measured]
        for i in keep:
            kept.add(cand.sentences[i])
        for s in cand.sentences:
            measured |= figure_keys(s)
        _keep_only(cand, keep)


def _keep_only(cand: _Candidate, indexes: list[int]) -> None:
    cand.sentences = [cand.sentences[i] for i in indexes]
    cand.flags = [cand.flags[i] for i in indexes]


def rank(pool: list[_Candidate], draft_year: int) -> list[_Candidate]:
    """Best first: relevance and topic coverage, discounted with age (undated material counts as current,
    as in `_newness`)."""
    for c in pool:
        age = max(0, draft_year - (c.year or draft_year))
        c.score = (c.relevance + 1.0) * (0.5 + c.coverage) / (1.0 + 0.25 * age)
    return sorted(pool, key=lambda c: c.score, reverse=True)


def to_hit(c: _Candidate, extra_flags: tuple[str, ...] = ()) -> Hit:
    flags = sorted(set().union(*c.flags) | set(extra_flags)) if c.flags else list(extra_flags)
    return Hit(text=c.text, score=round(c.score, 3), source=c.source, city=c.city, county=c.county,
               tense=c.tense, section=c.section, flags=tuple(flags))


def pools(store: Store, query: Query, wheres: list[Where], city: str, settings: Settings,
          draft_year: int | None = None) -> list[dict[str, list[_Candidate]]]:
    """The on-topic material of each place for each of its tenses, superseded sentences dropped."""
    result = []
    for found in candidates_for(store, query, wheres, city, settings.candidates, draft_year, settings.max_age):
        kept = {}
        for tense, pool in found.items():
            pool = [c for c in pool if c.coverage >= settings.min_coverage]
            drop_superseded(pool, settings.duplicate_similarity)
            kept[tense] = [c for c in pool if c.sentences]
        result.append(kept)
    return result


def pick(found: list[_Candidate], draft_year: int, settings: Settings, used: Facts, budget: int,
         max_items: int | None = None) -> list[Hit]:
    """Whole sentences from a pool within a character budget, best first, never repeating what is `used`."""
    chosen, length = [], 0
    ranked = rank(found, draft_year)
    fresh = [c for c in ranked if not _is_old(c, draft_year, settings.max_age)]
    for cand in fresh or ranked:  # old material only when nothing newer is on topic
        _keep_only(cand, [i for i, s in enumerate(cand.sentences) if not used.said(s)])
        if not cand.sentences:
            continue
        room = budget - length
        if chosen and room < 60:
            break
        _trim_to(cand, max(room, 60))
        old = ("old-material",) if _is_old(cand, draft_year, settings.max_age) else ()
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


def _is_old(c: _Candidate, draft_year: int, max_age: int) -> bool:
    return is_old(c.year, draft_year, max_age)


def _trim_to(cand: _Candidate, room: int) -> None:
    """Keep whole sentences in their order while they fit; the first sentence always stays."""
    total, keep = 0, []
    for i, sentence in enumerate(cand.sentences):
        if keep and total + len(sentence) > room:
            break
        keep.append(i)
        total += len(sentence)
    _keep_only(cand, keep)


def search(store: Store, text: str, city: str, county: Place | None = None, tense: str | None = None,
           limit: int = 10, draft_year: int | None = None,
           settings: Settings = Settings()) -> tuple[Query, list[Hit]]:
    """What a draft would draw on for a query, best first, with scores (for `drafter search`), and the
    query as it was read, so the clerk can see why."""
    query = weigh(build_query(text), store)
    draft_year = draft_year or datetime.date.today().year
    tenses = (tense,) if tense else ("progress", "plan")
    found = candidates(store, query, county, city, tenses, settings.candidates, city_wide_only=False,
                       draft_year=draft_year)
    hits = []
    for pool in found.values():
        hits.extend(to_hit(c) for c in rank([c for c in pool if c.coverage >= settings.min_coverage], draft_year))
    return query, sorted(hits, key=lambda h: h.score, reverse=True)[:limit]
