"""Place: which city and county-level unit a document, a paragraph and each sentence are about."""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass

from ..config import paths
from ..gazetteer import Gazetteer, Mention
from ..models import Block, Place, ParsedDocument


@dataclass(frozen=True)
class DocumentPlace:
    """The issuing or subject place of a whole document ("我市", "我县" resolve to it)."""

    city: str | None
    county: Place | None


@dataclass(frozen=True)
class Where:
    city: str | None
    county: str | None  # full name of the county-level unit, None when city-wide or unknown
    # Every unit the sentence reports on; more than one when it names several as its subject
    # ("城区、沁水县入选…"): it may then serve any of them, once.
    also: tuple[str, ...] = ()

    @property
    def counties(self) -> tuple[str, ...]:
        return (self.county, *self.also) if self.county else ()


def _cues() -> dict:
    return tomllib.loads(paths.package_data("place_cues.toml").read_text(encoding="utf-8"))


def _words(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


_CUES = _cues()
_DISTRICT = _CUES["common_word_district"]
# 城区 / 郊区 as the district: after a boundary and not glued to a word that makes it "urban area" (县城区).
_DISTRICT_BEFORE = re.compile(rf"(?:^|[\s，。；：、,.;:（(【“\"]|[0-9]|[一二三四五六七八九十]是|{_words(_DISTRICT['before'])})$")
_DISTRICT_AFTER = re.compile(rf"^(?:{_words(_DISTRICT['after'])}|[0-9]|[，、,：:])")
_COMMON_AFTER = re.compile(rf"^(?:{_words(_DISTRICT['common_after'])})")
# A sentence whose subject is the issuing body itself; "市…局" is any city bureau.
_SELF_SUBJECT = re.compile(rf"^(?:{_words(_CUES['self_subject']['words'])}|市[^，。；]{{0,6}}?局)")
_COUNTY_SELF_WORDS = re.compile(_words(_CUES["county_self"]["words"]))

# Lead-ins stripped before looking for a sentence's subject: item numbers, connectors, dates.
_LEAD_IN = re.compile(
    r"^(?:\s|[0-9]+[.、．]|[（(][一二三四五六七八九十0-9]+[）)]|[一二三四五六七八九十]+[是、]|其中|同时|此外|另外|另一方面|"
    r"目前|截至目前|截至[^，,]{0,12}[，,]|[0-9]{4}年(?:[0-9]{1,2}月)?(?:[0-9]{1,2}日)?(?:以来)?|今年|去年|近年来|"
    r"在[^，,]{0,12}方面|[，,、：:])*")
_SUBJECT_SPAN = 10  # characters after the lead-in where a county name is read as the subject


def document_place(doc: ParsedDocument, gazetteer: Gazetteer, city: str | None = None,
                   county: str | None = None) -> DocumentPlace:
    """The document's own place: the clerk's hints first, then the title, then the chrome and the body."""
    hinted = _hinted_county(gazetteer, county, city)
    if hinted:
        return DocumentPlace(hinted.city, hinted)
    title = doc.title
    title_county, title_city = _strong_place(gazetteer, title, None)
    if title_county is None and title_city is None and doc.blocks and doc.blocks[0].heading:
        # A generic title over a heading that names the unit ("政府信息公开年报" / "某市2013年政府信息公开
        # 工作年度报告"): the heading is the real title.
        title = f"{doc.title} {doc.blocks[0].text}"
        title_county, title_city = _strong_place(gazetteer, title, None)
    shared_name = title_county is not None and title_city is None and \
        len({p.city for p in gazetteer.places_named(title_county.short)}) > 1
    doc_city = city or title_city or (title_county.city if title_county and not shared_name else None)
    if not doc_city:
        doc_city = _dominant_city(gazetteer, doc)
    if shared_name:
        # 城区 is a district of several cities: the one meant is in the city the page names elsewhere.
        title_county, _ = _strong_place(gazetteer, title, doc_city)
        if doc_city is None:
            return DocumentPlace(None, title_county)
    if title_county and title_county.city == doc_city:
        return DocumentPlace(doc_city, title_county)
    town_county = gazetteer.town_county(doc.title, doc_city) if title_county is None else None
    if town_county:
        # A town's own report ("XX镇2024年…年度报告"): the county holding the only town of that name.
        return DocumentPlace(town_county.city, town_county)
    context_county, _ = _strong_place(gazetteer, doc.context, doc_city)
    if context_county:
        return DocumentPlace(doc_city or context_county.city, context_county)
    if title_city:
        return DocumentPlace(doc_city, None)  # a city's own document ("晋城市数据局…总结")
    return DocumentPlace(doc_city, _self_county(gazetteer, doc, doc_city))


def _hinted_county(gazetteer: Gazetteer, county: str | None, city: str | None) -> Place | None:
    if not county:
        return None
    candidates = [p for p in gazetteer.places_named(county) if not city or p.city == city]
    return candidates[0] if candidates else None


def _strong_place(gazetteer: Gazetteer, text: str, city: str | None) -> tuple[Place | None, str | None]:
    """The first county (in a district reading) and the first city a short text names; a name that
    carries its city (阳泉市城区) names that city too."""
    county, named_city = None, None
    for mention in gazetteer.mentions(text):
        if mention.place is None or mention.qualified and mention.name.startswith(mention.city):
            named_city = named_city or mention.city
        if mention.place is not None and county is None and (city is None or mention.city == city) \
                and is_unit_reading(gazetteer, text, mention):
            county = mention.place
    return county, named_city


def _dominant_city(gazetteer: Gazetteer, doc: ParsedDocument) -> str | None:
    """The city named most in chrome and body, counting a county name for its city."""
    votes: Counter[str] = Counter()
    for text, weight in [(doc.context, 3)] + [(b.text, 1) for b in doc.blocks]:
        for mention in gazetteer.mentions(text):
            if mention.place is None or mention.qualified or mention.name not in gazetteer.common_names:
                votes[mention.city] += weight
    if not votes:
        return None
    (best, n), *rest = votes.most_common(2) + [(None, 0)]
    return best if n > rest[0][1] else None


def _self_county(gazetteer: Gazetteer, doc: ParsedDocument, city: str | None) -> Place | None:
    """A county's own report says 我县/全县 and names itself most."""
    body = "".join(b.text for b in doc.blocks)
    if not _COUNTY_SELF_WORDS.search(body):
        return None
    votes = Counter(m.place for m in gazetteer.mentions(body)
                    if m.place and (city is None or m.city == city) and is_unit_reading(gazetteer, body, m))
    if not votes:
        return None
    (best, n), *rest = votes.most_common(2) + [(None, 0)]
    return best if n >= 2 * rest[0][1] else None


def is_unit_reading(gazetteer: Gazetteer, text: str, mention: Mention, own: Place | None = None) -> bool:
    """Whether a mention means the county-level unit (always, except 城区/郊区 used as common words)."""
    if mention.place is None or mention.qualified or mention.name not in gazetteer.common_names:
        return True
    before, after = text[:mention.start], text[mention.end:]
    if _COMMON_AFTER.match(after) or not _DISTRICT_BEFORE.search(before[-3:] if before else ""):
        return False
    if own is not None and own != mention.place and not re.match(r"^(?:人民政府|政府|区委|区政府)", after):
        # A county's own report says 城区 for its own town centre.
        return False
    return bool(_DISTRICT_AFTER.match(after)) or not after or not before.strip()


class PlaceReader:
    """Reads sentence by sentence, carrying the county a paragraph or a numbered item is about."""

    def __init__(self, gazetteer: Gazetteer, document: DocumentPlace):
        self.gazetteer = gazetteer
        self.document = document

    def read_block(self, block: Block, sentences: list[str]) -> list[Where]:
        base = self._section_county(block.section) or self._own_county()
        current, readings = base, []
        for sentence in sentences:
            foreign = self._foreign_place(sentence)
            if foreign is not None:
                readings.append(foreign)
                continue
            subject = self._subject(sentence)
            if subject is None and _SELF_SUBJECT.match(sentence[_LEAD_IN.match(sentence).end():]):
                current = base  # "我们…", "市数据局…": the issuing body speaks of its own work again
            if isinstance(subject, list):
                first = self._where(subject[0])
                readings.append(Where(first.city, first.county, tuple(p.full for p in subject[1:])))
                continue
            if subject is not None:
                current = subject
            elif current is None:
                # A city-level paragraph: a sentence naming exactly one unit is about it ("其中阳城县建成…").
                named = self._units_named(sentence)
                if not named:
                    readings.append(Where(self._city_of(None), None))
                else:
                    first = self._where(named[0])
                    readings.append(Where(first.city, first.county, tuple(p.full for p in named[1:])))
                continue
            readings.append(self._where(current))
        return readings

    # --- pieces ------------------------------------------------------------------------------

    def _own_county(self) -> Place | None:
        return self.document.county

    def _city_of(self, place: Place | None) -> str | None:
        return place.city if place else self.document.city

    def _where(self, place: Place | None) -> Where:
        if place is None:
            return Where(self.document.city, None)
        if self.document.city is None and len({p.city for p in self.gazetteer.places_named(place.short)}) > 1:
            # 城区 names a district of several cities; leave the city open for retrieval to decide.
            return Where(None, place.full)
        return Where(place.city, place.full)

    def _units(self, text: str) -> list[Mention]:
        """Unit mentions in a district reading, each resolved to the document's city when the name is shared."""
        chosen: dict[tuple[int, int], Mention] = {}
        for m in self.gazetteer.mentions(text):
            if m.place is None or not is_unit_reading(self.gazetteer, text, m, self._own_county()) \
                    or not self._corroborated(text, m):
                continue
            key = (m.start, m.end)
            if key not in chosen or m.city == self.document.city:
                chosen[key] = m
        return list(chosen.values())

    def _units_named(self, sentence: str) -> list[Place]:
        places = []
        for m in self._units(sentence):
            if m.place not in places:
                places.append(m.place)
        return places

    def _subject(self, sentence: str) -> Place | list[Place] | None:
        """The unit named at the head of the main clause (a list when several are), after lead-ins."""
        start = _main_clause_start(sentence)
        lead = start + _LEAD_IN.match(sentence[start:]).end()
        units = sorted(self._units(sentence), key=lambda m: m.start)
        for i, m in enumerate(units):
            if lead <= m.start <= lead + _SUBJECT_SPAN - len(m.name) and not _other_unit_before(sentence, lead, m):
                group = [m.place]
                for n in units[i + 1:]:
                    if re.fullmatch(r"[和、及与,，]|以及", sentence[m.end:n.start].strip()) and n.place not in group:
                        group.append(n.place)
                        m = n
                    else:
                        break
                return group if len(group) > 1 else group[0]
        return None

    def _foreign_place(self, sentence: str) -> Where | None:
        """A sentence that names another city (and none of the document's) is about that city."""
        mentions = [m for m in self.gazetteer.mentions(sentence)
                    if m.place is None or is_unit_reading(self.gazetteer, sentence, m, self._own_county())
                    and self._corroborated(sentence, m)]
        cities = {m.city for m in mentions}
        if not cities or self.document.city in cities:
            return None
        if self.document.city is None and any(m.place is not None for m in mentions):
            return None  # a page of unknown city naming a unit: the unit carries its own city
        return Where(cities.pop(), None) if len(cities) == 1 else None

    def _corroborated(self, text: str, mention: Mention) -> bool:
        """A bare short name of another city's unit (紫金 in "南京紫金数云", 东平 in "陈东平") is as often a
        firm's, a person's or a street's name: it names that unit only beside its city or province."""
        if mention.qualified or self.document.city is None or mention.city == self.document.city:
            return True
        return any(name in text for name in self.gazetteer.region_names(mention.city))

    def _section_county(self, section: tuple[str, ...]) -> Place | None:
        for heading in reversed(section):
            named = [m.place for m in self._units(heading)]
            if named:
                return named[0]
        return None


# A leading clause that only sets the scene ("高平市经验推广后，…", "在市局指导下，…"): the subject follows it.
_SUBORDINATE = re.compile(r"^[^，。；]{2,40}?(?:后|之后|以后|以来|期间|之际|时|的基础上|带动下|指导下|推动下|支持下)[，,]")


def _main_clause_start(sentence: str) -> int:
    match = _SUBORDINATE.match(sentence)
    return match.end() if match else 0


def _other_unit_before(sentence: str, lead: int, mention: Mention) -> bool:
    # "与阳城县…" or "向高平市…" make the county an object, not the subject.
    return sentence[lead:mention.start].endswith(("与", "向", "对", "和", "帮助", "支持", "协助"))
