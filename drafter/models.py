"""The small frozen records that flow between drafter's stages."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


# --- read: a file turned into clean paragraphs -------------------------------------------

@dataclass(frozen=True)
class Block:
    """One clean paragraph of a document, with the heading it sits under."""

    text: str
    # The headings above this block, outermost first ("二、下一步计划", "【阳城县】"); empty at top level.
    section: tuple[str, ...] = ()
    # True for a heading line itself (kept: it tells later stages where sections start).
    heading: bool = False
    # True for a row of a table, read as "指标：2023年 35；2024年 48": data, not prose to draft.
    table: bool = False
    # True when the source wrote it in traditional characters (the text here is simplified).
    converted: bool = False


@dataclass(frozen=True)
class ParsedDocument:
    """What a reader makes of one file, before anything is inferred about place or tense."""

    title: str
    blocks: tuple[Block, ...]
    # A publication date "YYYY-MM-DD", "YYYY-MM" or "YYYY" when the file states one (发布时间, a date line).
    date: str | None = None
    # Text dropped from the body (site chrome, 来源 lines, footers): never drafted, but it can
    # tell which city a page belongs to ("版权所有：聊城市人民政府").
    context: str = ""
    # The reader's guess of the kind: report, yearbook, news, reply, web (None: decide from the text).
    kind: str | None = None


# --- understand / store: what drafter knows about a stored sentence -------------------------

class Tense(str, Enum):
    """Whether a sentence reports work done or work planned. A str, so it is stored and compared as its value."""

    PROGRESS = "progress"
    PLAN = "plan"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Place:
    """A county-level unit of the gazetteer."""

    short: str
    full: str
    type: str
    city: str
    code: str


@dataclass(frozen=True)
class SourceRef:
    """Where a piece of a draft came from."""

    document: str  # file name
    title: str
    year: int | None
    paragraph: int  # 1-based position of the paragraph in its document


@dataclass(frozen=True)
class Candidate:
    """A stored paragraph's usable sentences for one place and tense, as retrieval weighs them: the
    hand-off from the store's search to ranking and composition."""

    paragraph_id: int
    sentences: tuple[str, ...]
    flags: tuple[frozenset[str], ...]  # per sentence
    words: tuple[str, ...]  # the index terms of those sentences (or, for a plan, of the whole paragraph)
    relevance: float  # FTS5 BM25, higher is better
    year: int | None
    date: str | None
    source: SourceRef
    city: str | None
    county: str | None
    section: str
    tense: Tense
    paragraph_text: str = ""  # the whole paragraph, for a plan judged as a whole
    coverage: float = 0.0  # share of the query's topic it says (retrieve.topicality)
    score: float = 0.0  # relevance and coverage discounted with age: the order drafts use
    also: tuple[SourceRef, ...] = ()  # further sources it stands for (a clerk's wording: the paragraph it came from)

    @property
    def text(self) -> str:
        return "".join(self.sentences)

    def keeping(self, indexes) -> "Candidate":
        """The candidate with only the sentences at `indexes`, in order."""
        indexes = list(indexes)
        return replace(self, sentences=tuple(self.sentences[i] for i in indexes),
                       flags=tuple(self.flags[i] for i in indexes))


@dataclass(frozen=True)
class Hit:
    """A retrieved passage: whole sentences of one stored paragraph, ranked for a query."""

    text: str
    score: float
    source: SourceRef
    city: str | None
    county: str | None
    tense: Tense
    section: str
    flags: tuple[str, ...] = ()
    also: tuple[SourceRef, ...] = ()  # cited after `source` (see Candidate.also)


# --- compose: the reply, before any layout ------------------------------------------------

@dataclass(frozen=True)
class Proposal:
    """A registered proposal (提案) or suggestion (建议)."""

    id: str
    title: str
    proposer: str
    session: str = ""
    category: str = ""
    kind: str = "提案"  # 提案 or 建议
    role: str = "主办"  # 主办 (this office answers) or 会办 (it sends the main handler its opinion)
    text: str = ""  # the proposal's own text (提案内容), when the register carries it


@dataclass(frozen=True)
class Passage:
    """One pulled paragraph (or the placeholder that stands for missing material) in a reply."""

    text: str
    county: str | None
    sources: tuple[SourceRef, ...] = ()
    flags: tuple[str, ...] = ()
    placeholder: bool = False
    # Typographic repairs made to the stored text, each (kind, from, to): spacing, brackets; never a word.
    repairs: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class CountySection:
    """The progress material of one county, in draft order."""

    place: Place
    passages: tuple[Passage, ...]

    @property
    def has_material(self) -> bool:
        return any(not p.placeholder for p in self.passages)


@dataclass(frozen=True)
class Answer:
    """The reply to one of the proposal's own suggestions: material found for it, or a placeholder naming it."""

    suggestion: str
    passage: Passage


@dataclass(frozen=True)
class Reply:
    """Everything a template needs to write a reply; pure data, no layout."""

    proposal: Proposal
    counties: tuple[CountySection, ...]
    plans: tuple[Passage, ...]
    date: str  # ISO date of the draft
    keywords: tuple[str, ...] = field(default=())
    answers: tuple[Answer, ...] = ()  # one per suggestion of the proposal's text, in its order
