"""Store: one embedded SQLite file holding documents, paragraphs, sentences, their index, and proposals."""
from __future__ import annotations

import functools
import os
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from ..errors import StoreError
from ..models import Proposal
from ..text import wordcut
from .schema import MIGRATIONS, SCHEMA_VERSION, TermCounts, scope_of
from .replies import ReplyRecords
from .search import CandidateSearch

if TYPE_CHECKING:
    from ..understand.document import DocumentReading

# How long a second drafter waits for the first to finish writing before saying the file is busy.
LOCK_WAIT_SECONDS = 60


def _said_plainly(write):
    """A write that fails because the store cannot be written raises a StoreError saying so."""
    @functools.wraps(write)
    def wrapper(self, *args, **kwargs):
        try:
            return write(self, *args, **kwargs)
        except sqlite3.OperationalError as e:
            failure = _write_failure(self.path, e)
            if failure is None:
                raise
            raise failure from e
    return wrapper


@dataclass(frozen=True)
class StoredDocument:
    id: int
    file: str
    title: str
    city: str | None
    county: str | None
    year: int | None
    kind: str
    paragraphs: int


@dataclass(frozen=True)
class Correction:
    """What a clerk says a document's county, year or kind is; None keeps what drafter read."""

    county: str | None = None
    year: int | None = None
    kind: str | None = None


class Store(CandidateSearch, ReplyRecords):
    """The store file. Every write runs in a transaction; a failed write leaves the file as it was."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._terms = {}
        if self.path.is_dir():
            self.path = self.path / "store.sqlite"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=LOCK_WAIT_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as e:
            raise StoreError(f"无法打开或创建资料库：{self.path}（{getattr(e, 'strerror', None) or _explain(e)}）",
                             "请用 --store 指定一个有写权限的位置。") from e
        try:
            self._prepare()
        except BaseException as e:
            self.db.close()
            if isinstance(e, sqlite3.DatabaseError):
                raise (_write_failure(self.path, e) or StoreError(f"资料库文件无法使用：{self.path}（{_explain(e)}）",
                                 "请检查 --store 指向的文件是否为 drafter 的资料库；如文件已损坏，请从备份恢复，"
                                 "或用 --store 指定一个新位置后重新导入资料。")) from e
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _prepare(self) -> None:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                # Judge the file before anything writes to it (switching to WAL rewrites its header).
                self._refuse_foreign()
                self.db.execute("PRAGMA foreign_keys = ON")
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
                return
            except sqlite3.OperationalError as e:
                # SQLite skips its busy handler when two connections switch a new file to WAL at
                # once; every step above is idempotent, so wait and try again like the handler would.
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _refuse_foreign(self) -> None:
        """Refuse a store made by a newer drafter, or another program's SQLite file, without touching it."""
        # One statement, so both facts come from one snapshot while another drafter may be migrating.
        version, tables = self.db.execute(
            "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)").fetchone()
        if version > SCHEMA_VERSION:
            raise StoreError(f"资料库 {self.path} 由更新版本的 drafter 创建（结构版本 {version}，本程序支持 {SCHEMA_VERSION}）。",
                             "请升级 drafter 后再使用该资料库；本程序不会改动它。")
        if version == 0 and tables:
            raise StoreError(f"{self.path} 是其他程序的数据库，不是 drafter 的资料库；本程序没有改动它。",
                             "请用 --store 指定 drafter 自己的资料库文件，或一个新位置（首次使用时自动创建）。")

    def _migrate(self) -> None:
        if self.db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        with self.transaction():
            # Read again under the write lock: another drafter may have migrated the file meanwhile.
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, SCHEMA_VERSION):
                MIGRATIONS[number](self.db)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
                self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # --- documents -----------------------------------------------------------------------------

    def document_state(self, path: Path, sha256: str, reading: str = "") -> str:
        """'unchanged' (same content already stored, read as `reading` reads), 'outdated' (same content,
        read with older data or rules), 'changed' (this path, other content) or 'new'."""
        stored = self.db.execute("SELECT reading FROM documents WHERE sha256 = ? ORDER BY reading = ? DESC LIMIT 1",
                                 (sha256, reading)).fetchone()
        if stored:
            return "unchanged" if stored[0] == reading else "outdated"
        if self.db.execute("SELECT 1 FROM documents WHERE path = ?", (str(path),)).fetchone():
            return "changed"
        return "new"

    @_said_plainly
    def save_document(self, path: Path, sha256: str, size: int, reading: DocumentReading,
                      indexed: Iterable[tuple[bytes, list[str]]], version: str = "") -> int:
        """Store a document with its paragraphs, sentences and index terms (each sentence's word cut and
        terms, as `Segmenter.indexed` gives them), replacing an older version of the file, and any older
        reading of the same content. `version`: what read it."""
        indexed = iter(indexed)
        counts = TermCounts()
        with self.transaction() as db:
            self._unindex(db, counts, "d.path = ? OR d.sha256 = ? AND d.reading <> ?", (str(path), sha256, version))
            db.execute("DELETE FROM documents WHERE path = ? OR sha256 = ? AND reading <> ?", (str(path), sha256, version))
            place = reading.place
            # A clerk's correction of this content wins over what was read (see `correct_document`).
            fix = self.correction(sha256) or Correction()
            county = fix.county or (place.county.full if place.county else None)
            year, kind = fix.year or reading.year, fix.kind or reading.kind
            doc_id = db.execute(
                "INSERT INTO documents (path, file, sha256, size, title, date, year, kind, city, county, reading) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (str(path), path.name, sha256, size, reading.title, reading.date, year, kind,
                 place.city, county, version)).lastrowid
            # Rows are numbered here and written a table at a time: one statement per row cost a fifth of ingest.
            paragraph_id, sentence_id = (db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
                                         for table in ("paragraphs", "sentences"))
            paragraphs, sentences, index, places = [], [], [], []
            for seq, paragraph in enumerate(reading.paragraphs, 1):
                paragraph_id += 1
                # A paragraph that is its sentences joined is kept once, as its sentences ('' here).
                joined = "".join(s.text for s in paragraph.sentences)
                paragraphs.append((paragraph_id, doc_id, seq, "" if joined == paragraph.text else paragraph.text,
                                   " / ".join(paragraph.section), int(paragraph.heading), paragraph.year, paragraph.kind))
                filed_under = paragraph.year if paragraph.year is not None else year
                for sseq, s in enumerate(paragraph.sentences, 1):
                    sentence_id += 1
                    cut, terms = next(indexed)
                    sentences.append((sentence_id, paragraph_id, sseq, s.text, s.city, s.county, s.tense,
                                      ",".join(s.flags), cut, filed_under))
                    joined = " ".join(terms)
                    index.append((sentence_id, joined, scope_of(s.tense, s.counties, filed_under, s.city)))
                    places += [(sentence_id, c) for c in dict.fromkeys(s.counties)]
                    counts.add(joined)
            db.executemany("INSERT INTO paragraphs (id, document_id, seq, text, section, heading, year, kind) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", paragraphs)
            db.executemany("INSERT INTO sentences (id, paragraph_id, seq, text, city, county, tense, flags, cut, year) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sentences)
            db.executemany("INSERT INTO sentence_index (rowid, terms, scope) VALUES (?, ?, ?)", index)
            db.executemany("INSERT INTO sentence_counties (sentence_id, county) VALUES (?, ?)", places)
            counts.save(db)
        return doc_id

    @staticmethod
    def _unindex(db: sqlite3.Connection, counts: TermCounts, documents_sql: str, params: tuple) -> None:
        """Take the sentences of the documents `documents_sql` (on documents d) names out of the index: a
        contentless index forgets a row only when told its terms again, rebuilt here from text and cut."""
        for sid, text, cut, tense, year, city, counties in db.execute(
                "SELECT s.id, s.text, s.cut, s.tense, s.year, s.city, (SELECT group_concat(county, ' ') FROM sentence_counties c "
                "WHERE c.sentence_id = s.id) FROM sentences s JOIN paragraphs p ON s.paragraph_id = p.id "
                f"JOIN documents d ON p.document_id = d.id WHERE {documents_sql}", params).fetchall():
            terms = " ".join(wordcut.terms(text, cut))
            db.execute("INSERT INTO sentence_index (sentence_index, rowid, terms, scope) VALUES ('delete', ?, ?, ?)",
                       (sid, terms, scope_of(tense, (counties or "").split(), year, city)))
            counts.add(terms, -1)

    @_said_plainly
    def merge_index(self, documents_written: int) -> None:
        """Merge the index's segments after an ingest: each save leaves a small one, and a draft's query
        looks every word up in each (a 100k-document store answered in 30 ms unmerged, 7 ms merged, and
        merging it took 12 s). A few files added to a large store merge only part of the way."""
        with self.transaction() as db:
            if documents_written * 100 >= self.document_count():
                db.execute("INSERT INTO sentence_index (sentence_index) VALUES ('optimize')")
            else:  # 500 pages of merging: a second or so, whatever the store's size
                db.execute("INSERT INTO sentence_index (sentence_index, rank) VALUES ('merge', 500)")

    def correction(self, sha256: str) -> "Correction | None":
        row = self.db.execute("SELECT county, year, kind FROM corrections WHERE sha256 = ?", (sha256,)).fetchone()
        return Correction(*row) if row else None

    def correct_document(self, document_id: int, fix: "Correction") -> Path:
        """Record a clerk's correction of a stored document's county, year or kind (None: as read), and
        show it at once; every later save of the same content applies it again. The document is marked
        to be read again (its sentences' places follow its county): the next ingest of its path does it."""
        with self.transaction() as db:
            row = db.execute("SELECT sha256, path FROM documents WHERE id = ?", (document_id,)).fetchone()
            if row is None:
                raise StoreError("资料库中没有这个文档（可能已被重新导入）。", "请刷新文档列表后再改。")
            db.execute("INSERT INTO corrections (sha256, county, year, kind) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(sha256) DO UPDATE SET county = excluded.county, year = excluded.year, "
                       "kind = excluded.kind, corrected_at = datetime('now')", (row[0], fix.county, fix.year, fix.kind))
            db.execute("UPDATE documents SET county = coalesce(?, county), year = coalesce(?, year), "
                       "kind = coalesce(?, kind), reading = '' WHERE sha256 = ?", (fix.county, fix.year, fix.kind, row[0]))
        return Path(row[1])

    def outdated_documents(self, version: str) -> int:
        """How many documents were read with other data or rules than `version`."""
        # Two probes of the index first: on a large store nearly every draft finds none.
        if not self.db.execute("SELECT EXISTS (SELECT 1 FROM documents WHERE reading < ?) OR "
                               "EXISTS (SELECT 1 FROM documents WHERE reading > ?)", (version, version)).fetchone()[0]:
            return 0
        return self.db.execute("SELECT count(*) FROM documents WHERE reading <> ?", (version,)).fetchone()[0]

    def documents(self) -> list[StoredDocument]:
        rows = self.db.execute(
            "SELECT d.id, d.file, d.title, d.city, d.county, d.year, d.kind, "
            "(SELECT count(*) FROM paragraphs p WHERE p.document_id = d.id AND p.heading = 0) "
            "FROM documents d ORDER BY d.file, d.id").fetchall()
        return [StoredDocument(*row) for row in rows]

    # --- proposals -------------------------------------------------------------------------------

    @_said_plainly
    def save_proposals(self, proposals: Iterable[Proposal]) -> int:
        count = 0
        with self.transaction() as db:
            for p in proposals:
                db.execute(
                    "INSERT INTO proposals (id, title, proposer, session, category, kind, role, text) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET title = excluded.title, proposer = excluded.proposer, "
                    "session = excluded.session, category = excluded.category, kind = excluded.kind, "
                    "role = excluded.role, "
                    "text = CASE WHEN excluded.text <> '' THEN excluded.text ELSE proposals.text END, "
                    "imported_at = datetime('now')",
                    (p.id, p.title, p.proposer, p.session, p.category, p.kind, p.role, p.text))
                count += 1
        return count

    def proposal(self, proposal_id: str) -> Proposal | None:
        row = self.db.execute("SELECT id, title, proposer, session, category, kind, role, text FROM proposals WHERE id = ?",
                              (proposal_id,)).fetchone()
        return Proposal(*row) if row else None

    def proposals(self) -> list[Proposal]:
        rows = self.db.execute("SELECT id, title, proposer, session, category, kind, role, text FROM proposals ORDER BY id")
        return [Proposal(*row) for row in rows]


def _write_failure(path: Path, error: sqlite3.Error) -> StoreError | None:
    """A store that cannot be written (full disk, read-only file, held by another program), said as what
    happened and what to do; None for any other error."""
    text = str(error)
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(f"资料库所在的磁盘已满，无法继续写入：{path}。已写入的资料完好。",
                          "请清理磁盘空间，或用 --store 把资料库放到空间充足的位置，然后重新运行（已导入的文件不会重复导入）。")
    if "readonly" in text or "read-only" in text or ("unable to open" in text and _read_only(path)):
        return StoreError(f"资料库文件是只读的，无法写入：{path}。文件没有损坏，也没有被改动。",
                          "请检查该文件和所在文件夹的写权限（或是否在只读的U盘、光盘、网络位置上），"
                          "或用 --store 指定一个可以写入的位置。")
    if "locked" in text or "busy" in text:
        return StoreError(f"资料库正被另一个程序占用，等待 {LOCK_WAIT_SECONDS} 秒后仍无法写入：{path}。",
                          "请等正在进行的导入完成后再试；如没有别的 drafter 在运行，请关闭打开着该文件的程序（如数据库查看工具）。")
    return None


def _read_only(path: Path) -> bool:
    """The store, or the folder its journal files go in, cannot be written (a read-only disk or mount)."""
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))


def _explain(error: sqlite3.Error) -> str:
    text = str(error)
    if "not a database" in text or "malformed" in text:
        return "文件不是有效的资料库或已损坏"
    if "locked" in text:
        return "文件正被其他程序占用"
    return text
