"""The store keeps each text once: the index holds no copy of the terms, yet a changed file leaves nothing
of its old version findable, and the counts ranking relies on follow every change."""
from __future__ import annotations

import sqlite3

from drafter.ingest import ingest
from drafter.store import Store

REPORT = "阳城县2024年智慧城市建设工作总结\n\n阳城县建成城市大脑指挥中心，接入视频监控一千路。\n\n下一步，阳城县将推进智慧停车建设。\n"
CHANGED = "阳城县2024年智慧城市建设工作总结\n\n阳城县建成城市大脑指挥中心，接入无人机巡检十架。\n"


def _found(db: sqlite3.Connection, word: str) -> int:
    return db.execute("SELECT count(*) FROM sentence_index WHERE sentence_index MATCH ?",
                      (f'terms : "{word}"',)).fetchone()[0]


def test_a_changed_file_leaves_nothing_of_its_old_version_findable_and_the_counts_follow(tmp_path):
    report = tmp_path / "阳城县2024年智慧城市建设工作总结.txt"
    report.write_text(REPORT, encoding="utf-8")
    path = tmp_path / "store.sqlite"
    with Store(path) as store:
        ingest(store, [report])
        report.write_text(CHANGED, encoding="utf-8")
        assert ingest(store, [report]).replaced
        db = store.db
        assert _found(db, "监控") == 0 and _found(db, "停车") == 0 and _found(db, "巡检") == 1
        db.execute("INSERT INTO sentence_index (sentence_index, rank) VALUES ('integrity-check', 1)")
        counts = dict(db.execute("SELECT term, sentences FROM term_counts"))
        assert counts["监控"] == 0 and counts["巡检"] == 1
        assert db.execute("SELECT sentences FROM index_totals").fetchone()[0] == \
            db.execute("SELECT count(*) FROM sentences").fetchone()[0]
        # A paragraph that is its sentences joined is kept once; the store gives its text back whole.
        texts = store.paragraph_texts([pid for (pid,) in db.execute("SELECT id FROM paragraphs")])
        assert "阳城县建成城市大脑指挥中心，接入无人机巡检十架。" in texts.values()
        assert db.execute("SELECT count(*) FROM paragraphs WHERE text <> ''").fetchone()[0] == 0


def test_ranking_scores_sentences_as_fts5s_own_bm25_would(sample_store):
    """The store ranks without FTS5's bm25() (which walks the whole index on every query): its own BM25,
    from counts kept at ingest, gives what bm25() gives on an index that still holds the terms."""
    from drafter.gazetteer import default_gazetteer
    from drafter.retrieve import Retriever
    from drafter.store.search import Bm25
    from drafter.text import wordcut

    with Store(sample_store) as store:
        match = Retriever(store, default_gazetteer().segmenter).query(store.proposal("TA0395").title).match()
        db = store.db
        db.execute("CREATE VIRTUAL TABLE temp.full_index USING fts5(terms, scope, "
                   "tokenize = 'unicode61 remove_diacritics 0')")
        for sid, text, cut, tense, year in db.execute("SELECT id, text, cut, tense, year FROM sentences").fetchall():
            counties = [c for (c,) in db.execute("SELECT county FROM sentence_counties WHERE sentence_id = ?", (sid,))]
            scope = " ".join([tense, *(sorted(counties) or ["citywide"]), f"y{year}" if year else "ynone"])
            db.execute("INSERT INTO temp.full_index (rowid, terms, scope) VALUES (?, ?, ?)",
                       (sid, " ".join(wordcut.terms(text, cut)), scope))
        fts5 = db.execute("SELECT rowid, bm25(full_index, 1.0, 0.0) FROM temp.full_index WHERE full_index MATCH ?",
                          (f"terms : ({match})",)).fetchall()
        weigh = Bm25(db, match)
        ours = {sid: weigh(wordcut.terms(text, cut)) for sid, text, cut in db.execute("SELECT id, text, cut FROM sentences")}
    assert len(fts5) > 50
    for sid, expected in fts5:
        assert abs(ours[sid] - expected) <= 0.02 * abs(expected) + 1e-6, sid


def test_the_words_of_a_sentence_are_tested_as_the_index_would_match_them(sample_store, tmp_path):
    """A place with few sentences is searched by testing each sentence's words in Python: that test says
    what FTS5 says, for the queries of every proposal and for Latin letters, figures and prefixes."""
    from drafter.gazetteer import default_gazetteer
    from drafter.retrieve import Retriever
    from drafter.store import fts
    from drafter.text import wordcut

    mixed = tmp_path / "阳城县2024年数字经济工作总结.txt"
    mixed.write_text("阳城县2024年数字经济工作总结\n\n阳城县建成AI算力中心，5G基站达1.2万个，e-政务平台上线，"
                     "诊疗数据接入Ｗｉ-Ｆｉ热点。\n", encoding="utf-8")
    with Store(sample_store) as store:
        ingest(store, [mixed])
        retriever = Retriever(store, default_gazetteer().segmenter)
        expressions = [retriever.query(p.title).match() for p in store.proposals()]
        expressions += ['"ai" OR "5g"', '"诊"* AND "数据"', '"1" AND "2万"', '("算力" AND "中心") OR "wi"']
        sentences = store.db.execute("SELECT id, text, cut FROM sentences").fetchall()
        for expression in expressions:
            test = fts.Expression(expression)
            assert test.testable, expression
            indexed = {sid for (sid,) in store.db.execute(
                "SELECT rowid FROM sentence_index WHERE sentence_index MATCH ?", (f"terms : ({expression})",))}
            tested = {sid for sid, text, cut in sentences if test.matches(wordcut.terms(text, cut))}
            assert tested == indexed, expression
        assert len(expressions) > 10
    assert not fts.Expression('"e-政务"').testable  # a phrase of two tokens to the index: left to FTS5


def test_a_place_with_few_sentences_is_read_whole_and_yields_what_the_walk_yields(sample_store, monkeypatch):
    from drafter.config.office import load_office
    from drafter.models import Tense
    from drafter.retrieve import Retriever
    from drafter.store.search import Bm25, CandidateSearch, Scope, year_tokens

    office = load_office(None)
    with Store(sample_store) as store:
        match = Retriever(store, office.segmenter).query(store.proposal("TA0395").title).match()
        scopes = [*(Scope(p) for p in office.gazetteer.places_of(office.city)), Scope(None, (Tense.PLAN,))]
        weigh = Bm25(store.db, match)

        def found():
            return [store._best_paragraphs(match, scope, years, office.city, 80, weigh)
                    for scope in scopes for years in ((), year_tokens(2019, 2026))]

        read_whole = found()
        monkeypatch.setattr(CandidateSearch, "_all_of_scope", lambda self, where, below: None)
        assert found() == read_whole
    assert sum(map(len, read_whole)) > 10
