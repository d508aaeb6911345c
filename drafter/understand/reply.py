"""A sent reply (政协提案/人大建议 答复) read back: what it answered, when, to whom, and its items.

Works on the understood reading of any stored reply ("关于…第TA0395号提案的答复"): the clerk's final .docx
that drafter drafted, or an older reply in the archive."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..gazetteer import Gazetteer
from ..text.zh import LIST_NUMBER
from .tense import document_is_plan

if TYPE_CHECKING:
    from .document import DocumentReading

_NUMBER = re.compile(r"第\s*([A-Za-z]*[0-9０-９]+[A-Za-z0-9\-－]*)\s*号")
_DATE_LINE = re.compile(r"^\s*(20\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_SIGNED = re.compile(r"(20\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_SALUTATION = re.compile(r"^\s*(\S{2,5}?)(?:委员|代表|同志|先生|女士)(?:[、，,]\S*)?[：:]\s*$")
_QUOTED_TITLE = re.compile(r"《([^》]{4,80})》")
# The mark of drafter's own list of earlier promises in a draft (feedback.with_promises): not the reply's.
PROMISES_MARK = "核对用，发出前请删去"


@dataclass(frozen=True)
class ReplyItem:
    """One item of a reply: a county's progress or a plan, as the reply says it."""

    paragraph: int  # 1-based position of its paragraph in the document (as the store numbers them)
    part: str  # "progress" or "plan"
    county: str | None  # None: the city's own
    text: str  # without its list number


@dataclass(frozen=True)
class SentReply:
    proposal: str  # 案号
    year: int | None
    addressee: str  # the proposer the salutation names, "" if none
    subject: str  # the proposal's title as the reply quotes it (else the reply's title)
    items: tuple[ReplyItem, ...]


def recognise(reading: DocumentReading, gazetteer: Gazetteer, context: str = "") -> SentReply | None:
    """The reply's proposal number, year, addressee and items, or None when the document is no reply.
    `context`: what the reader set aside (a .docx reply's date line under its signature goes there)."""
    paragraphs = reading.paragraphs
    head = reading.title + "".join(p.text for p in paragraphs[:4])
    number = _NUMBER.search(head)
    if "答复" not in head or number is None:
        return None
    year = next((int(m.group(1)) for p in reversed(paragraphs[-8:]) if (m := _DATE_LINE.match(p.text))), None)
    signed = _SIGNED.findall(context)
    year = year or (int(signed[-1]) if signed else reading.year)
    addressee = next((m.group(1) for p in paragraphs[:6] if (m := _SALUTATION.match(p.text))), "")
    subject = next((m.group(1) for p in paragraphs[:8] if "收悉" in p.text and (m := _QUOTED_TITLE.search(p.text))),
                   reading.title)
    items = []
    for seq, p in enumerate(paragraphs, 1):
        if PROMISES_MARK in p.text or any(PROMISES_MARK in heading for heading in p.section):
            break  # drafter's list of earlier promises, left in by the clerk: not the reply's own
        if p.kind != "text" or not p.section or not p.sentences or _PROMISE_LINE.match(p.text):
            continue  # drafter's own promise lines ("1. 2024年第TA0395号答复：…") wherever a reader put them
        plan = any(document_is_plan(heading) for heading in p.section)
        if plan and _standing_line(p.text):
            continue  # the standing lines around the plans ("下一步，我们将…：", "感谢您…")
        text = LIST_NUMBER.sub("", p.text, count=1).strip()
        items.append(ReplyItem(seq, "plan" if plan else "progress", _county_named(p, text, gazetteer), text))
    return SentReply(number.group(1).upper(), year, addressee, subject, tuple(items))


def _standing_line(text: str) -> bool:
    """A lead-in to the plans or the letter's closing, not a plan: items may be numbered by Word's lists,
    so the typed number cannot tell them apart."""
    text = text.strip()
    return not LIST_NUMBER.match(text) and (text.endswith(("：", ":")) or _CLOSING.search(text) is not None)


_PROMISE_LINE = re.compile(r"^\s*\d+[.．]\s*(?:\d{4}年)?第[^号，。]{1,20}号答复：")
_CLOSING = re.compile(r"感谢|欢迎(?:您|贵单位|你们)?(?:今后|继续)|此复|特此")


def _county_named(paragraph, text: str, gazetteer: Gazetteer) -> str | None:
    """The county an item is about: the one its sentences are placed in, if the item names it (a reply
    about several counties is placed, as a whole, in the one it names most; its city-wide items name none)."""
    for sentence in paragraph.sentences:
        if sentence.county:
            names = {n for place in gazetteer.places_named(sentence.county) for n in (place.short, place.full)}
            if any(name in text for name in names):
                return sentence.county
    return None
