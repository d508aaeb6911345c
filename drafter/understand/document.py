"""A document read: the place, tense and flags of every sentence (`understand`), as stored."""
from __future__ import annotations

from dataclasses import dataclass

from ..gazetteer import Gazetteer
from ..models import Block, ParsedDocument, Tense
from ..text.zh import SENTENCE_END
from .flags import hearsay, sentence_flags
from .place import DocumentPlace, PlaceReader, document_place
from .sentences import is_label, split_sentences
from .tense import TenseReader, document_is_plan
from .when import document_year, paragraph_year


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

