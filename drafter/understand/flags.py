"""Flags of a sentence, as data: digits lost in scraping, shortcomings, a document's talk about itself."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources


def _load() -> dict[str, dict]:
    return tomllib.loads((resources.files("drafter") / "data" / "flags.toml").read_text(encoding="utf-8"))


_FLAGS = _load()
# What each flag says to a clerk (in a draft's comments and in `drafter search`).
FLAG_NAMES = {flag: rule["name"] for flag, rule in _FLAGS.items()}
# Sentences with these flags are stored (a clerk can search them) but never drafted.
NOT_DRAFTED = tuple(flag for flag, rule in _FLAGS.items() if not rule.get("drafted", True))


@lru_cache(maxsize=1)
def _rules() -> dict[str, tuple[tuple[re.Pattern, ...], tuple[str, ...]]]:
    return {flag: (tuple(re.compile(p) for p in rule.get("patterns", [])), tuple(rule.get("headings", [])))
            for flag, rule in _FLAGS.items() if rule.get("patterns") or rule.get("headings")}


def sentence_flags(text: str, section: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The flags a sentence carries whatever the draft's date ("old-material" depends on the draft)."""
    return tuple(flag for flag, (patterns, headings) in _rules().items()
                 if any(p.search(text) for p in patterns) or any(h in s for s in section for h in headings))


def is_old(year: int | None, draft_year: int, max_age: int) -> bool:
    """Material more than `max_age` years older than the draft is flagged "old-material"."""
    return year is not None and draft_year - year > max_age
