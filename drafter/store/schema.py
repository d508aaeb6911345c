"""The store's schema: an ordered list of migrations, each applied once and recorded in the file."""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from typing import Iterable


def _run_script(db: sqlite3.Connection, script: str) -> None:
    # executescript() would commit on its own; a migration must stay inside its transaction.
    script = re.sub(r"--[^\n]*", "", script)
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _m001_initial(db: sqlite3.Connection) -> None:
    _run_script(db, """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,      -- absolute path when ingested: a changed file replaces itself
            file TEXT NOT NULL,             -- file name, shown to clerks as the source
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            title TEXT NOT NULL,
            date TEXT,
            year INTEGER,
            kind TEXT NOT NULL,
            city TEXT,
            county TEXT,
            ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE INDEX documents_sha ON documents(sha256);
        CREATE TABLE paragraphs (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,           -- 1-based position in the document
            text TEXT NOT NULL,
            section TEXT NOT NULL,          -- headings above it, outermost first, joined by " / "
            heading INTEGER NOT NULL,
            year INTEGER
        );
        CREATE INDEX paragraphs_document ON paragraphs(document_id);
        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            text TEXT NOT NULL,
            city TEXT,
            county TEXT,
            tense TEXT NOT NULL CHECK (tense IN ('progress', 'plan')),
            flags TEXT NOT NULL DEFAULT ''  -- comma-separated
        );
        CREATE INDEX sentences_paragraph ON sentences(paragraph_id);
        CREATE INDEX sentences_county ON sentences(county);
        -- every county-level unit a sentence reports on (usually one; 城区、沁水县入选… gives two)
        CREATE TABLE sentence_counties (
            sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
            county TEXT NOT NULL,
            PRIMARY KEY (county, sentence_id)
        ) WITHOUT ROWID;
        -- jieba terms of each sentence, space-separated, under rowid = sentences.id
        CREATE VIRTUAL TABLE sentence_terms USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0');
        CREATE TABLE proposals (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            proposer TEXT NOT NULL,
            session TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT '提案',
            imported_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
    """)


def _m002_paragraph_kind(db: sqlite3.Connection) -> None:
    # Headings, table rows and captions stay stored (they give context) but are never drafted.
    db.execute("ALTER TABLE paragraphs ADD COLUMN kind TEXT NOT NULL DEFAULT 'text'")
    db.execute("UPDATE paragraphs SET kind = 'heading' WHERE heading = 1")


def _m003_scoped_index(db: sqlite3.Connection) -> None:
    # The index also holds each sentence's scope (its tense and counties, or "citywide"), so one FTS query
    # finds a county's progress without joining every match of a large store.
    db.execute("CREATE INDEX sentence_counties_sentence ON sentence_counties(sentence_id)")
    db.execute("CREATE VIRTUAL TABLE sentence_index USING fts5(terms, scope, "
               "tokenize = 'unicode61 remove_diacritics 0')")
    db.execute("INSERT INTO sentence_index (rowid, terms, scope) "
               "SELECT t.rowid, t.terms, s.tense || ' ' || coalesce(c.counties, 'citywide') "
               "FROM sentence_terms t JOIN sentences s ON s.id = t.rowid LEFT JOIN "
               "(SELECT sentence_id, group_concat(county, ' ') AS counties FROM sentence_counties "
               "GROUP BY sentence_id) c ON c.sentence_id = s.id")
    db.execute("DROP TABLE sentence_terms")


def _m004_year_in_scope(db: sqlite3.Connection) -> None:
    # The scope also holds the sentence's year, so a draft on a decade of reports ranks the recent years
    # first without scoring every older match.
    db.execute("UPDATE sentence_index SET scope = scope || ' ' || coalesce((SELECT 'y' || coalesce(p.year, d.year) "
               "FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id JOIN documents d ON d.id = p.document_id "
               "WHERE s.id = sentence_index.rowid), 'ynone')")
    # Rewriting every row leaves the index in many small segments, which slows every query: merge them.
    db.execute("INSERT INTO sentence_index (sentence_index) VALUES ('optimize')")


def _m005_reading_version(db: sqlite3.Connection) -> None:
    # Which data and rules read each document (understand.reading_version): when they change, the next
    # ingest re-reads the unchanged files, and a draft says the store is behind.
    db.execute("ALTER TABLE documents ADD COLUMN reading TEXT NOT NULL DEFAULT ''")


def _m006_proposal_text(db: sqlite3.Connection) -> None:
    # The proposal's own text (提案内容), so a draft can answer each of its suggestions.
    db.execute("ALTER TABLE proposals ADD COLUMN text TEXT NOT NULL DEFAULT ''")


def _m007_proposal_role(db: sqlite3.Connection) -> None:
    # Whether this office answers the proposal (主办) or sends the main handler its opinion (会办).
    db.execute("ALTER TABLE proposals ADD COLUMN role TEXT NOT NULL DEFAULT '主办'")


def _m008_corrections(db: sqlite3.Connection) -> None:
    # A clerk's correction of a document's county, year or kind, keyed by the file's content: applied
    # whenever that content is saved, so it survives every re-ingest (and a copy of the file elsewhere).
    db.execute("CREATE TABLE corrections (sha256 TEXT PRIMARY KEY, county TEXT, year INTEGER, kind TEXT, "
               "corrected_at TEXT NOT NULL DEFAULT (datetime('now')))")


def _m009_sent_replies(db: sqlite3.Connection) -> None:
    # A sent reply (the clerk's final .docx, or any stored 第…号…答复): which proposal it answered, when,
    # its county items and plans (the promises a later reply reports on), and, where the draft's
    # sources.json came back with it, what the clerk did with each pulled paragraph. All of it goes with
    # the reply's document row: a re-read or replaced file records itself afresh. (IF NOT EXISTS: a store
    # rolled back to an older version number by hand keeps these tables; migrating it again must not fail.)
    _run_script(db, """
        CREATE TABLE IF NOT EXISTS sent_replies (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            proposal TEXT NOT NULL,         -- 案号 as the title gives it (第TA0395号)
            year INTEGER,                   -- of the reply's date line, else of the document
            addressee TEXT NOT NULL DEFAULT '',  -- the proposer the salutation names (李惠英委员：)
            subject TEXT NOT NULL DEFAULT ''     -- the proposal's title as the reply quotes it
        );
        CREATE INDEX IF NOT EXISTS sent_replies_proposal ON sent_replies(proposal);
        CREATE TABLE IF NOT EXISTS reply_items (
            document_id INTEGER NOT NULL REFERENCES sent_replies(document_id) ON DELETE CASCADE,
            paragraph INTEGER NOT NULL,     -- paragraphs.seq of the item in its document
            part TEXT NOT NULL CHECK (part IN ('progress', 'plan')),
            county TEXT,                    -- NULL: the city's own
            text TEXT NOT NULL,             -- without its list number
            PRIMARY KEY (document_id, paragraph)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS reply_feedback (
            document_id INTEGER NOT NULL REFERENCES sent_replies(document_id) ON DELETE CASCADE,
            proposal TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('kept', 'edited', 'cut')),
            part TEXT NOT NULL CHECK (part IN ('progress', 'plan')),
            county TEXT,
            source_file TEXT NOT NULL,      -- the pulled paragraph's source, as sources.json names it
            source_paragraph INTEGER NOT NULL,
            drafted TEXT NOT NULL,          -- the paragraph as the draft had it
            paragraph INTEGER               -- the clerk's version in the reply (paragraphs.seq); NULL when cut
        );
        CREATE INDEX IF NOT EXISTS reply_feedback_source ON reply_feedback(source_file, source_paragraph);
    """)


def _m010_compact_index(db: sqlite3.Connection) -> None:
    # The text is kept once. The index becomes contentless: a sentence's terms are rebuilt from its text and
    # its word cut (text.wordcut, a few bytes), where FTS5 kept a second copy of them (29 % of the file); a
    # paragraph's text is kept only where it is not its sentences joined (23 %). The index records columns,
    # not positions (no query asks for a phrase). How many sentences hold each term is counted as
    # sentences are saved, so ranking never walks the index to count them.
    _run_script(db, f"""
        ALTER TABLE sentences ADD COLUMN cut BLOB NOT NULL DEFAULT x'';
        ALTER TABLE sentences ADD COLUMN year INTEGER;   -- the year the index files it under (NULL: undated)
        CREATE TABLE sentence_places (
            sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
            county TEXT NOT NULL,
            PRIMARY KEY (sentence_id, county)
        ) WITHOUT ROWID;
        INSERT INTO sentence_places SELECT sentence_id, county FROM sentence_counties;
        DROP TABLE sentence_counties;
        ALTER TABLE sentence_places RENAME TO sentence_counties;
        DROP INDEX IF EXISTS sentences_county;
        CREATE VIRTUAL TABLE compact_index USING {INDEX_DEFINITION};
        CREATE TABLE term_counts (term TEXT PRIMARY KEY, sentences INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE index_totals (id INTEGER PRIMARY KEY CHECK (id = 1), sentences INTEGER NOT NULL,
                                   terms INTEGER NOT NULL);
        INSERT INTO index_totals VALUES (1, 0, 0);
    """)
    counts, segmenter = TermCounts(), None
    rows = db.execute("SELECT s.id, s.text, s.tense, i.scope, (SELECT group_concat(county, ' ') FROM "
                      "sentence_counties c WHERE c.sentence_id = s.id) FROM sentences s "
                      "JOIN sentence_index i ON i.rowid = s.id")
    while batch := rows.fetchmany(2000):
        if segmenter is None:
            from ..gazetteer import default_gazetteer  # the terms are cut again with today's dictionary, once
            segmenter = default_gazetteer().segmenter
        for sid, text, tense, scope, counties in batch:
            cut, terms = segmenter.indexed(text)
            token = scope.split()[-1]
            year = int(token[1:]) if token[1:].isdigit() else None
            db.execute("UPDATE sentences SET cut = ?, year = ? WHERE id = ?", (cut, year, sid))
            joined = " ".join(terms)
            db.execute("INSERT INTO compact_index (rowid, terms, scope) VALUES (?, ?, ?)",
                       (sid, joined, scope_of(tense, (counties or "").split(), year, None)))
            counts.add(joined)
    counts.save(db)
    db.execute("DROP TABLE sentence_index")
    db.execute("ALTER TABLE compact_index RENAME TO sentence_index")
    db.execute("UPDATE paragraphs SET text = '' WHERE text = (SELECT group_concat(text, '') FROM "
               "(SELECT text FROM sentences WHERE paragraph_id = paragraphs.id ORDER BY seq))")
    db.execute("INSERT INTO sentence_index (sentence_index) VALUES ('optimize')")


def _m011_draft_lookups(db: sqlite3.Connection) -> None:
    # What every draft asks of the documents table, answered from an index, not by reading every row: the
    # archive's newest year, and whether any document was read with older data or rules.
    db.execute("CREATE INDEX IF NOT EXISTS documents_year ON documents(year)")
    db.execute("CREATE INDEX IF NOT EXISTS documents_reading ON documents(reading)")


def _m012_city_in_scope(db: sqlite3.Connection) -> None:
    # A sentence about a city as a whole was filed under "citywide", whatever the city: a draft's search of
    # its own city read the province's and other cities' sentences (most of them, in an archive of reposts)
    # only to throw them away. Its scope now names its city.
    from ..text import wordcut
    rows = db.execute("SELECT s.id, s.text, s.cut, s.tense, s.year, s.city FROM sentences s WHERE s.city IS NOT NULL "
                      "AND NOT EXISTS (SELECT 1 FROM sentence_counties c WHERE c.sentence_id = s.id)")
    while batch := rows.fetchmany(2000):
        for sid, text, cut, tense, year, city in batch:
            terms = " ".join(wordcut.terms(text, cut))
            db.execute("INSERT INTO sentence_index (sentence_index, rowid, terms, scope) VALUES ('delete', ?, ?, ?)",
                       (sid, terms, scope_of(tense, (), year, None)))
            db.execute("INSERT INTO sentence_index (rowid, terms, scope) VALUES (?, ?, ?)",
                       (sid, terms, scope_of(tense, (), year, city)))


INDEX_DEFINITION = ("fts5(terms, scope, content = '', detail = column, "
                    "tokenize = 'unicode61 remove_diacritics 0')")


class TermCounts:
    """Changes to how many sentences hold each index term, and to the index's totals, saved together."""

    def __init__(self) -> None:
        self.terms: Counter[str] = Counter()
        self.sentences = 0
        self.words = 0

    def add(self, terms: str, sign: int = 1) -> None:
        """Count a sentence's terms (space-separated, as the index is given them) in, or out (`sign` -1)."""
        held = set(terms.lower().split())  # as the index folds them
        if sign > 0:
            self.terms.update(held)
        else:
            self.terms.subtract(held)
        self.sentences += sign
        self.words += sign * (terms.count(" ") + 1 if terms else 0)

    def save(self, db: sqlite3.Connection) -> None:
        # One statement over a JSON object of the changes: half the time of a row-by-row executemany.
        changes = json.dumps({term: n for term, n in self.terms.items() if n}, ensure_ascii=False)
        db.execute("INSERT INTO term_counts (term, sentences) SELECT key, value FROM json_each(?) WHERE true "
                   "ON CONFLICT(term) DO UPDATE SET sentences = sentences + excluded.sentences", (changes,))
        db.execute("UPDATE index_totals SET sentences = sentences + ?, terms = terms + ?", (self.sentences, self.words))
        self.__init__()


def scope_of(tense: str, counties: Iterable[str], year: int | None, city: str | None) -> str:
    """The scope tokens of a sentence in the index: its tense, its counties (in order), else its city's token
    (else "citywide"), its year. The same sentence always gives the same tokens: deleting it from the index
    needs them again."""
    return " ".join([tense, *(sorted(set(counties)) or [city_token(city)]), year_token(year)])


def city_token(city: str | None) -> str:
    """The token of a sentence about a city as a whole: an archive holds many about other cities and the
    province (reposts, policy), which a draft's city-wide search must not read to throw away."""
    return f"c{city}" if city else CITYWIDE


def year_token(year: int | None) -> str:
    return f"y{year}" if year is not None else "ynone"


CITYWIDE = "citywide"
MIGRATIONS = [_m001_initial, _m002_paragraph_kind, _m003_scoped_index, _m004_year_in_scope,
              _m005_reading_version, _m006_proposal_text, _m007_proposal_role,
              _m008_corrections, _m009_sent_replies, _m010_compact_index,
              _m011_draft_lookups, _m012_city_in_scope]
SCHEMA_VERSION = len(MIGRATIONS)


