"""Warnings carried with a sentence into the draft: digits lost in scraping."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _broken_number_patterns() -> tuple[re.Pattern, ...]:
    data = tomllib.loads((resources.files("drafter") / "data" / "flags.toml").read_text(encoding="utf-8"))
    return tuple(re.compile(p) for p in data["broken_number"])


def sentence_flags(text: str) -> tuple[str, ...]:
    """Flags a sentence carries whatever the draft's date: "broken-number" when a figure lost its digits."""
    if any(p.search(text) for p in _broken_number_patterns()):
        return ("broken-number",)
    return ()


def is_old(year: int | None, draft_year: int, max_age: int) -> bool:
    """Material more than `max_age` years older than the draft is flagged "old-material"."""
    return year is not None and draft_year - year > max_age
