"""The gazetteer: China's county-level units, cities and towns as data, and where a text names them.

The data files are built by tools/build_gazetteer.py from open datasets (drafter/data/SOURCES.md)."""
from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .config import paths
from .errors import PlaceError
from .models import Place
from .text.segmenter import Segmenter, segmenter_for

ZONE = "zone"  # a development zone: listed with the county-level units, but belongs to no county


# After a bare place name, words that make it the name of a street, an estate or a building.
_STREET_WORDS = ("路", "街", "大道", "大街", "巷", "社区", "小区", "花园", "广场", "大厦", "宾馆", "酒店", "饭店")


@dataclass(frozen=True)
class Mention:
    """A place name found in a text: a county-level unit or a city."""

    start: int
    end: int
    name: str
    city: str  # full city name the mention belongs to
    place: Place | None  # None when the mention is a city
    # The name carried its city or its own suffix (晋城市城区, 阳城县), so it is not the common word.
    qualified: bool


@dataclass(frozen=True)
class TownMention:
    """A township, town or 街道 named in a text, with every county-level unit holding a town of that name."""

    start: int
    end: int
    name: str
    places: tuple[Place, ...]


def _rows(text: str) -> list[dict]:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    # csv.reader and zip: DictReader took a third of building the national gazetteer, on every draft.
    header, *rows = csv.reader(lines) if lines else [[]]
    return [dict(zip(header, row)) for row in rows]


def _flag(row: dict, column: str) -> bool:
    return (row.get(column) or "0").strip() == "1"


class _NameIndex:
    """Leftmost-longest search for many names at once: names by first character, tried longest first.
    A regular expression alternation of tens of thousands of names is slow to build and to run."""

    def __init__(self, names):
        self._names: set[str] = {name for name in names if len(name) >= 2}
        self._openings = {name[:2] for name in self._names}  # most positions of a text stop here
        lengths: dict[str, set[int]] = defaultdict(set)
        for name in self._names:
            lengths[name[0]].add(len(name))
        self._lengths = {first: sorted(found, reverse=True) for first, found in lengths.items()}

    def find(self, text: str, accept=lambda name, end: True):
        """(start, end, name) of each name, scanning on after each one found, as a regex would."""
        i, n = 0, len(text)
        lengths, names, openings = self._lengths.get, self._names, self._openings
        while i < n:
            if text[i:i + 2] not in openings:
                i += 1
                continue
            for length in lengths(text[i], ()):
                name = text[i:i + length]
                if name in names and len(name) == length and accept(name, i + length):
                    yield i, i + length, name
                    i += length
                    break
            else:
                i += 1


class Gazetteer:
    """County-level units, cities and towns, looked up by short, full and former names."""

    def __init__(self, places_csv: str, cities_csv: str, towns_csv: str | None = None,
                 office_csv: tuple[str, ...] = ()):
        # What the gazetteer was built from: stored readings made with other data are outdated.
        self.fingerprint = hashlib.sha1("\0".join([places_csv, cities_csv, *office_csv]).encode("utf-8")).hexdigest()
        self._names: dict[str, list[tuple[Place, bool]]] = {}
        self.common_names: set[str] = set()  # names that are also ordinary words (城区, 郊区)
        by_code: dict[str, dict] = {}
        for row in (row for text in (places_csv, *office_csv) for row in _rows(text)):
            # A unit listed twice (an office's own place file over the national rows): the last row wins.
            by_code[(row.get("code") or "").strip() or f"{row['city']}/{row['full']}"] = row
        places = []
        for row in by_code.values():
            place = Place(row["short"], row["full"], row["type"], row["city"], row["code"])
            places.append(place)
            if _flag(row, "common_word"):
                self.common_names.add(row["short"])
            # The suffix qualifies a name, except one short name + suffix that is also a chance pair of words
            # ("加强合作市场监管" is not 合作市): then only the city-qualified name (甘南藏族自治州合作市) does.
            chance_pair = _flag(row, "common_word") and len(row["full"]) <= len(row["short"]) + 1
            if chance_pair:
                self.common_names.add(row["full"])
            self._add_name(row["full"], place, qualified=row["full"] != row["short"] and not chance_pair)
            self._add_name(row["short"], place, qualified=False)
            for old in filter(None, (o.strip() for o in (row.get("old_names") or "").split("|"))):
                self._add_name(old, place, qualified=old != row["short"] and old not in self.common_names
                               and len(old) > 2)
        self.places: tuple[Place, ...] = tuple(places)
        self._by_code = {p.code: p for p in places}
        self._by_city: dict[str, list[Place]] = defaultdict(list)
        for place in sorted(places, key=lambda p: p.code):
            if place.type != ZONE:
                self._by_city[place.city].append(place)
        self.cities: dict[str, str] = {}  # short or full name -> full name
        self.provinces: dict[str, str] = {}  # full city name -> province
        self._city_names: set[str] = set()  # the names a text is searched for; common short names left out
        for row in _rows(cities_csv):
            self.cities[row["short"]] = row["full"]
            self.cities[row["full"]] = row["full"]
            self.provinces[row["full"]] = row.get("province") or ""
            self._city_names.add(row["full"])
            if _flag(row, "common_word"):
                self._city_names.discard(row["short"])  # 来宾 "guest": only 来宾市 names the city
            else:
                self._city_names.add(row["short"])
            for old in filter(None, (o.strip() for o in (row.get("old_names") or "").split("|"))):
                self.cities.setdefault(old, row["full"])  # 襄樊市 -> 襄阳市; a current name is never overridden
                self._city_names.add(old)
        self._towns_csv = towns_csv
        self._towns: dict[str, list[str]] | None = None
        self._index: _NameIndex | None = None
        self._recent: dict[str, tuple[Mention, ...]] = {}
        self._regions: dict[str, tuple[str, ...]] = {}
        # Short city names stay out of the segmenter's dictionary: as words they would break idioms (长治久安);
        # so do short names that are ordinary words (jieba knows them already, teaching would reweigh them).
        self._taught = frozenset({name for name in self._names if name not in self.common_names}
                                 | {full for full in self.cities.values()})

    @cached_property
    def segmenter(self) -> Segmenter:
        """The segmenter that knows this gazetteer's names as words, so they come out whole."""
        return segmenter_for(self._taught, paths.cache_folder())

    def _add_name(self, name: str, place: Place, qualified: bool) -> None:
        entries = self._names.get(name)
        if entries is None:
            self._names[name] = [(place, qualified)]
        elif all(known is not place for known, _ in entries):
            entries.append((place, qualified))

    # --- lookups ---------------------------------------------------------------------------

    def city_name(self, name: str) -> str | None:
        """The full name of a city given short or full (晋城 → 晋城市)."""
        return self.cities.get(name.strip())

    def places_named(self, name: str) -> list[Place]:
        """All units a name may mean (城区 is in 晋城 and in 阳泉)."""
        return [place for place, _ in self._names.get(name.strip(), [])]

    def places_of(self, city: str) -> list[Place]:
        """The county-level units of a city in official code order (development zones are none)."""
        return list(self._by_city.get(city, []))

    def place_by_code(self, code: str) -> Place | None:
        return self._by_code.get(code.strip())

    def region_names(self, city: str) -> tuple[str, ...]:
        """The names that place a text in a city's region: the city's own and its province's (浙江, 湖州市)."""
        if city not in self._regions:
            self._regions[city] = self._region_names(city)
        return self._regions[city]

    def _region_names(self, city: str) -> tuple[str, ...]:
        province = self.provinces.get(city, "")
        short = province.removesuffix("省").removesuffix("市")
        if province.endswith("自治区"):
            short = province[:3] if province.startswith("内蒙古") else province[:2]
        names = {city, province, short} | {name for name, full in self.cities.items() if full == city}
        return tuple(n for n in names if n)

    def towns_named(self, name: str) -> list[Place]:
        """The county-level units holding a town of this name (城关镇: dozens)."""
        return list(self._town_places(name.strip()))

    # --- finding names in text -------------------------------------------------------------

    def mentions(self, text: str) -> list[Mention]:
        """Every unit and city name in the text, longest name first, skipping names inside other words.
        Town names are read too, so that the county name inside one (天长镇) is not taken for the county."""
        # Reading a sentence asks for its mentions several times (foreign city, subject, units named).
        known = self._recent.get(text)
        if known is None:
            if len(self._recent) >= 2048:
                self._recent.clear()
            known = self._recent[text] = tuple(self._find_mentions(text))
        return list(known)

    def _find_mentions(self, text: str) -> list[Mention]:
        found = []
        for start, end, name in self._name_index().find(text, self._accept(text)):
            if name not in self._names and name not in self._city_names:
                continue  # a town: see town_mentions
            if not self._qualified_name(name) and (text.startswith(_STREET_WORDS, end) or
                                                   not self.segmenter.is_word_at(text, start, end)):
                continue  # 建昌街, 北京路: streets and estates are named after places everywhere
            if name in self._names:
                for place, qualified in self._names[name]:
                    found.append(Mention(start, end, name, place.city, place, qualified))
            else:
                found.append(Mention(start, end, name, self.cities[name], None, True))
        return found

    def town_mentions(self, text: str) -> list[TownMention]:
        """Every town name in the text with the units that hold a town of that name."""
        towns = self._town_table()
        return [TownMention(start, end, name, self._town_places(name))
                for start, end, name in self._name_index().find(text, self._accept(text))
                if name in towns and name not in self._names and name not in self._city_names]

    def town_county(self, text: str, city: str | None = None) -> Place | None:
        """The county a short text (a title) is about through the towns it names: only when every town
        named leads to one and the same unit (within the city, when given). 城关镇 alone places nothing."""
        counties = set()
        for mention in self.town_mentions(text):
            candidates = {p for p in mention.places if city is None or p.city == city}
            if len(candidates) != 1:
                return None
            counties |= candidates
        if len(counties) != 1:
            return None
        county = counties.pop()
        return None if county.type == ZONE else county

    def _qualified_name(self, name: str) -> bool:
        return any(qualified for _, qualified in self._names.get(name, []))

    def _accept(self, text: str):
        towns = self._town_table()

        def accept(name: str, end: int) -> bool:
            # "XX乡村振兴", "XX乡镇": the 乡 opens another word, it does not end a township's name;
            # "江北区域": 区 opens 区域.
            following = text[end:end + 1]
            return not (name in towns and name.endswith("乡") and following in ("村", "镇")
                        or name.endswith("区") and following == "域")
        return accept

    # --- loaded on first use: a draft that never reads text never pays for 40,000 towns -----------

    def _town_table(self) -> dict[str, list[str]]:
        """Town name -> codes of the units holding a town of that name."""
        if self._towns is None:
            table: dict[str, list[str]] = {}
            text = self._towns_csv if self._towns_csv is not None else _data_text("towns.csv")
            # Plain splitting, not csv: 40,000 rows of "name,county code", no quoting; 5 times faster.
            for line in text.splitlines()[1:]:
                name, _, code = line.partition(",")
                table.setdefault(name, []).append(code.strip())
            for name in [n for n in table if not n or n.startswith("#") or n == "name"]:
                del table[name]  # comments and the header
            self._towns = table
        return self._towns

    def _town_places(self, name: str) -> tuple[Place, ...]:
        places = (self._by_code.get(code) for code in self._town_table().get(name, ()))
        return tuple(dict.fromkeys(p for p in places if p is not None))

    def _name_index(self) -> _NameIndex:
        if self._index is None:
            self._index = _NameIndex([*self._names, *self._city_names, *self._town_table()])
        return self._index


def _data_text(name: str) -> str:
    path = paths.package_data(name)
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer alone."""
    return gazetteer_for(None)


def gazetteer_for(office_places: Path | str | None) -> Gazetteer:
    """The shipped gazetteer with an office's own place file over it (same columns as gazetteer.csv)."""
    if office_places is None:
        return _gazetteer(None, 0.0)
    path = Path(office_places)
    try:
        return _gazetteer(str(path), path.stat().st_mtime)
    except OSError as e:
        raise PlaceError(f"无法读取本单位的地名文件：{path}（{e.strerror or e}）",
                         "请检查单位配置文件中 places 指向的文件是否存在。") from e


@lru_cache(maxsize=4)
def _gazetteer(office_places: str | None, modified: float) -> Gazetteer:
    extra = ()
    if office_places:
        try:
            extra = (Path(office_places).read_text(encoding="utf-8-sig"),)
        except UnicodeDecodeError as e:
            raise PlaceError(f"本单位的地名文件不是 UTF-8 编码：{office_places}",
                             "请用文本编辑器将其另存为 UTF-8 后重试。") from e
    for text in extra:
        _check_place_rows(text, office_places)
    return Gazetteer(_data_text("gazetteer.csv"), _data_text("cities.csv"), office_csv=extra)


_PLACE_COLUMNS = ("short", "full", "type", "city")


def _check_place_rows(text: str, where: str) -> None:
    """Refuse an office's place file with a row that lacks a name, type or city: such a unit would be
    stored under no city."""
    for row in _rows(text):
        missing = [c for c in _PLACE_COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            shown = ",".join(v for v in row.values() if v)
            raise PlaceError(f"本单位的地名文件中“{shown}”一行缺少 {'、'.join(missing)}：{where}",
                             "每行须填写 short（简称）、full（全称）、type（类型）、city（所属城市），列同 gazetteer.csv。")
