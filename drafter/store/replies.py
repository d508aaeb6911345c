"""Sent replies in the store: what each answered and promised, and what the clerk did with the draft."""
from __future__ import annotations

from dataclasses import dataclass

from ..models import SourceRef


@dataclass(frozen=True)
class Verdict:
    """What a clerk did with a stored paragraph a draft pulled (for the reply's proposal), and where the
    clerk's wording of it stands."""

    proposal: str
    outcome: str  # kept, edited, cut
    part: str  # progress or plan: what the paragraph was pulled as
    source_paragraph_id: int
    source: SourceRef
    reply_paragraph_id: int | None  # None when cut
    reply: SourceRef | None
    reply_text: str  # the clerk's wording, without its list number ("" when cut)


@dataclass(frozen=True)
class Promise:
    """A plan item (下一步计划) of a reply sent in an earlier year."""

    proposal: str
    year: int | None
    addressee: str
    subject: str
    county: str | None
    text: str
    source: SourceRef


class ReplyRecords:
    """Sent-reply methods of the Store (a mixin: `self.db` is the store's connection)."""

    db = None  # set by Store

    def save_reply(self, document_id: int, reply, outcomes=()) -> None:
        """Record a stored document as a sent reply (`feedback.SentReply`) with the clerk's verdicts
        (`feedback.Outcome`s of the draft it came from)."""
        with self.transaction() as db:
            db.execute("DELETE FROM sent_replies WHERE document_id = ?", (document_id,))
            db.execute("INSERT INTO sent_replies (document_id, proposal, year, addressee, subject) VALUES (?, ?, ?, ?, ?)",
                       (document_id, reply.proposal, reply.year, reply.addressee, reply.subject))
            db.executemany("INSERT INTO reply_items (document_id, paragraph, part, county, text) VALUES (?, ?, ?, ?, ?)",
                           [(document_id, i.paragraph, i.part, i.county, i.text) for i in reply.items])
            for o in outcomes:
                if o.drafted is None:
                    continue  # what the clerk added is in reply_items already
                for file, paragraph in o.drafted.sources:
                    db.execute("INSERT INTO reply_feedback (document_id, proposal, outcome, part, county, source_file, "
                               "source_paragraph, drafted, paragraph) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               (document_id, reply.proposal, o.outcome, o.part, o.county, file, paragraph,
                                o.drafted.text, o.sent.paragraph if o.sent else None))

    def sent_reply(self, file: str) -> tuple[tuple, list[tuple], list[tuple]] | None:
        """A stored reply by file name: (proposal, year, addressee, subject), its items (paragraph, part,
        county, text) and its verdicts (outcome, part, county, source file, source paragraph, paragraph)."""
        row = self.db.execute("SELECT r.document_id, r.proposal, r.year, r.addressee, r.subject FROM sent_replies r "
                              "JOIN documents d ON d.id = r.document_id WHERE d.file = ? ORDER BY d.id DESC LIMIT 1",
                              (file,)).fetchone()
        if row is None:
            return None
        items = self.db.execute("SELECT paragraph, part, county, text FROM reply_items WHERE document_id = ? "
                                "ORDER BY paragraph", (row[0],)).fetchall()
        verdicts = self.db.execute("SELECT outcome, part, county, source_file, source_paragraph, paragraph "
                                   "FROM reply_feedback WHERE document_id = ? ORDER BY rowid", (row[0],)).fetchall()
        return row[1:], items, verdicts

    def stored_sentences(self, file: str, paragraph: int) -> list[str]:
        """The sentences of a stored paragraph, named as sources.json and comments name it."""
        return [row[0] for row in self.db.execute(
            "SELECT s.text FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id JOIN documents d "
            "ON d.id = p.document_id WHERE d.file = ? AND p.seq = ? ORDER BY s.seq", (file, paragraph))]

    def verdicts_on(self, paragraph_ids: list[int]) -> list[Verdict]:
        """The clerks' verdicts on these paragraphs, whether they were pulled (the source) or are a clerk's
        wording (in a sent reply)."""
        if not paragraph_ids:
            return []
        if self.db.execute("SELECT 1 FROM reply_feedback LIMIT 1").fetchone() is None:
            return []
        marks = ",".join("?" * len(paragraph_ids))
        rows = self.db.execute(
            f"SELECT f.proposal, f.outcome, f.part, p.id, d.file, d.title, coalesce(p.year, d.year), p.seq, "
            f"rp.id, rd.file, rd.title, r.year, rp.seq, coalesce(i.text, '') FROM reply_feedback f "
            f"JOIN documents d ON d.file = f.source_file JOIN paragraphs p ON p.document_id = d.id "
            f"AND p.seq = f.source_paragraph "
            f"JOIN sent_replies r ON r.document_id = f.document_id JOIN documents rd ON rd.id = f.document_id "
            f"LEFT JOIN paragraphs rp ON rp.document_id = f.document_id AND rp.seq = f.paragraph "
            f"LEFT JOIN reply_items i ON i.document_id = f.document_id AND i.paragraph = f.paragraph "
            f"WHERE d.id <> f.document_id AND (p.id IN ({marks}) OR rp.id IN ({marks}))",
            [*paragraph_ids, *paragraph_ids]).fetchall()
        return [Verdict(proposal, outcome, part, pid, SourceRef(file, title, year, seq), rpid,
                        SourceRef(rfile, rtitle, ryear, rseq) if rpid is not None else None, text)
                for proposal, outcome, part, pid, file, title, year, seq, rpid, rfile, rtitle, ryear, rseq, text in rows]

    def promises_before(self, year: int) -> list[Promise]:
        """The plan items of every reply sent before `year`, newest reply first."""
        rows = self.db.execute(
            "SELECT r.proposal, r.year, r.addressee, r.subject, i.county, i.text, d.file, d.title, i.paragraph "
            "FROM sent_replies r JOIN reply_items i ON i.document_id = r.document_id "
            "JOIN documents d ON d.id = r.document_id WHERE i.part = 'plan' AND r.year < ? "
            "ORDER BY r.year DESC, d.file, i.paragraph", (year,)).fetchall()
        return [Promise(proposal, ryear, addressee, subject, county, text, SourceRef(file, title, ryear, seq))
                for proposal, ryear, addressee, subject, county, text, file, title, seq in rows]
