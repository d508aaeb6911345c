"""The office a command works for: its profile, and the places and topics that profile brings."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process

from ..errors import ProfileError
from ..gazetteer import Gazetteer, gazetteer_for
from ..profile import Profile, load_profile
from ..text.segmenter import Segmenter
from .lexicon import Lexicon, load_lexicon


@dataclass(frozen=True)
class Office:
    """Everything office-specific a use case needs, read once: set up an office by writing a profile,
    never by editing the installed package."""

    profile: Profile
    gazetteer: Gazetteer
    lexicon: Lexicon

    @property
    def city(self) -> str:
        return self.profile.city

    @property
    def segmenter(self) -> Segmenter:
        return self.gazetteer.segmenter


def load_office(profile_path: Path | str | None = None) -> Office:
    """The office of the profile given (--profile), else DRAFTER_PROFILE's, else the shipped one. A profile
    whose city the gazetteer does not know is refused, with the nearest names it does know."""
    profile = load_profile(profile_path)
    gazetteer = gazetteer_for(profile.places)
    city = gazetteer.city_name(profile.city)
    if city is None:
        near = [name for name, score, _ in process.extract(profile.city, sorted(set(gazetteer.cities.values())),
                                                              limit=3) if score >= 50]
        hint = f"相近的城市：{'、'.join(near)}。" if near else ""
        raise ProfileError(f"单位配置文件 {profile.source} 中的城市“{profile.city}”不在地名库中。",
                           hint + "请写地级市的全称，如 晋城市；地名库中没有的地方可在 places 指定的地名文件中补充。")
    if not gazetteer.places_of(city):
        raise ProfileError(f"地名库中没有{city}的县（市、区）。",
                           "请在单位配置文件的 places 指定的地名文件中列出本市的县（市、区），列同 gazetteer.csv。")
    if city != profile.city:
        profile = Profile(**{**profile.__dict__, "city": city})
    return Office(profile, gazetteer, load_lexicon(profile.topics))
