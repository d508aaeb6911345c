"""Understand: where and when each stored sentence is (place, progress or plan) and what to warn about."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..config import paths
from ..gazetteer import Gazetteer
from ..models import Block, ParsedDocument, Tense
from ..text.zh import SENTENCE_END
from .flags import hearsay, sentence_flags
from .place import DocumentPlace, PlaceReader, document_place
from .sentences import is_label, split_sentences
from .tense import TenseReader, document_is_plan
from .when import document_year, paragraph_year

__all__ = ["SentenceReading", "ParagraphReading", "DocumentReading", "understand", "split_sentences",
           "reading_version", "is_label"]

# Raise when a change to the code of this stage (not its data) reads stored documents differently.
RULES = 5  # 2: traditional characters read as simplified; 3: a paragraph that is only a label is a heading;
# 4: sent replies are recognised (their proposal, items and promises recorded at ingest); 5: hearsay, mirror dates
_DATA_FILES = ("cues.toml", "flags.toml", "place_cues.toml")


def reading_version(gazetteer: Gazetteer) -> str:
    """What a stored reading was made with: the gazetteer, the cue files and this stage's rules. A store
    whose documents were read with another version re-reads them on the next ingest."""
    data = paths.package_data()
    digest = hashlib.sha1(f"{RULES}\0{gazetteer.fingerprint}".encode("utf-8"))
    for name in _DATA_FILES:
        digest.update((data / name).read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class SentenceReading:
    text: str
    city: str | None
    county: str | None
    tense: Tense
    flags: tuple[str, ...]
    counties: tuple[str, ...] = ()  # every unit the sentence reports on (county first)


@dataclass(frozen=True)
class ParagraphReading:
    text: str
    section: tuple[str, ...]
    heading: bool
    year: int | None
    sentences: tuple[SentenceReading, ...]
    # "text" (prose a draft may use), "heading", "table" (a table row) or "caption" (a short line with no
    # sentence in it, such as a table's or a photo's caption).
    kind: str = "text"


@dataclass(frozen=True)
class DocumentReading:
    title: str
    date: str | None
    year: int | None
    kind: str
    place: DocumentPlace
    paragraphs: tuple[ParagraphReading, ...]


def understand(doc: ParsedDocument, gazetteer: Gazetteer, city: str | None = None,
               county: str | None = None) -> DocumentReading:
    """Read place, tense and flags of every sentence of a document; `city`/`county` are the clerk's hints."""
    place = document_place(doc, gazetteer, city, county)
    year = document_year(doc)
    kind = doc.kind or "news"
    plan_document = document_is_plan(doc.title)
    places = PlaceReader(gazetteer, place)
    tenses = TenseReader(year)
    paragraphs = []
    for block in doc.blocks:
        sentences = split_sentences(block.text)
        counties = places.read_block(block, sentences)
        tense_of = tenses.read_block(block, sentences, plan_document)
        others = hearsay(sentences, tense_of)
        readings = tuple(
            SentenceReading(text, where.city, where.county, Tense(tense),
                            sentence_flags(text, block.section) + (("traditional",) if block.converted else ())
                            + (("hearsay",) if other else ()), where.counties)
            for text, where, tense, other in zip(sentences, counties, tense_of, others))
        paragraphs.append(ParagraphReading(block.text, block.section, block.heading,
                                           paragraph_year(block.text, year), readings, _paragraph_kind(block)))
    return DocumentReading(doc.title, doc.date, year, kind, place, tuple(paragraphs))



def _paragraph_kind(block: Block) -> str:
    if block.heading or (len(split_sentences(block.text)) == 1 and is_label(block.text)):
        return "heading"
    if block.table:
        return "table"
    if not SENTENCE_END.search(block.text) and len(block.text) < 40:
        return "caption"
    return "text"

