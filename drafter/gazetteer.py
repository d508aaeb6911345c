"""The gazetteer: county-level units and cities as data, and where a text names them."""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from .config import paths
from .errors import PlaceError
from .models import Place
from .text.segmenter import Segmenter, segmenter_for


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


def _rows(*texts: str) -> list[dict]:
    """The rows of one or more CSV texts of the same columns; a later row of the same code (or, without a
    code, the same full name and city) replaces an earlier one: an office's file corrects the shipped one."""
    rows: dict[tuple, dict] = {}
    for text in texts:
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        for row in csv.DictReader(lines):
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            rows[(row.get("code") or (row.get("full"), row.get("city", row.get("province"))),)] = row
    return list(rows.values())


class Gazetteer:
    """County-level units and cities, looked up by short, full and former names."""

    def __init__(self, places_csv: str, cities_csv: str, *office_csv: str):
        # What the gazetteer was built from: stored readings made with other data are outdated.
        self.fingerprint = hashlib.sha1("\0".join([places_csv, cities_csv, *office_csv]).encode("utf-8")).hexdigest()
        self.places: tuple[Place, ...] = ()
        self._names: dict[str, list[tuple[Place, bool]]] = {}
        self.common_names: set[str] = set()  # names that are also ordinary words (城区, 郊区)
        places = []
        for row in _rows(places_csv, *office_csv):
            place = Place(row["short"], row["full"], row["type"], row["city"], row["code"])
            places.append(place)
            if row.get("common_word", "0").strip() == "1":
                self.common_names.add(row["short"])
            self._add_name(row["full"], place, qualified=row["full"] != row["short"])
            self._add_name(row["short"], place, qualified=False)
            for old in filter(None, (row.get("old_names") or "").split("|")):
                self._add_name(old.strip(), place, qualified=old.strip() != row["short"] and old.strip() not in
                               self.common_names and len(old.strip()) > 2)
        self.places = tuple(places)
        self.cities: dict[str, str] = {}  # short or full name -> full name
        for row in _rows(cities_csv):
            self.cities[row["short"]] = row["full"]
            self.cities[row["full"]] = row["full"]
        names = sorted(set(self._names) | set(self.cities), key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, names)))

    @cached_property
    def segmenter(self) -> Segmenter:
        """The segmenter that knows this gazetteer's names as words, so they come out whole. Short city
        names stay out: as words they would break idioms (长治久安)."""
        return segmenter_for(frozenset(self._names) | frozenset(self.cities.values()), paths.cache_folder())

    def _add_name(self, name: str, place: Place, qualified: bool) -> None:
        entries = self._names.setdefault(name, [])
        if all(known is not place for known, _ in entries):
            entries.append((place, qualified))

    # --- lookups ---------------------------------------------------------------------------

    def city_name(self, name: str) -> str | None:
        """The full name of a city given short or full (晋城 → 晋城市)."""
        return self.cities.get(name.strip())

    def places_named(self, name: str) -> list[Place]:
        """All units a name may mean (城区 is in 晋城 and in 阳泉)."""
        return [place for place, _ in self._names.get(name.strip(), [])]

    def places_of(self, city: str) -> list[Place]:
        """The units of a city in official code order."""
        return sorted((p for p in self.places if p.city == city), key=lambda p: p.code)

    # --- finding names in text -------------------------------------------------------------

    def mentions(self, text: str) -> list[Mention]:
        """Every place name in the text, longest name first, skipping names inside other words."""
        found = []
        for match in self._pattern.finditer(text):
            name, start, end = match.group(), match.start(), match.end()
            if not self.segmenter.is_word_at(text, start, end) and not self._qualified_name(name):
                continue
            if name in self._names:
                for place, qualified in self._names[name]:
                    found.append(Mention(start, end, name, place.city, place, qualified))
            else:
                found.append(Mention(start, end, name, self.cities[name], None, True))
        return found

    def _qualified_name(self, name: str) -> bool:
        return any(qualified for _, qualified in self._names.get(name, []))


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
    data = resources.files("drafter") / "data"
    extra = []
    if office_places:
        try:
            extra.append(Path(office_places).read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError as e:
            raise PlaceError(f"本单位的地名文件不是 UTF-8 编码：{office_places}",
                             "请用文本编辑器将其另存为 UTF-8 后重试。") from e
    return Gazetteer((data / "gazetteer.csv").read_text(encoding="utf-8"),
                     (data / "cities.csv").read_text(encoding="utf-8"), *extra)
