"""Understand: where and when each stored sentence is (place, progress or plan) and what to warn about.

The stage's names are imported when first asked for (PEP 562): a draft needs only the sentence splitter and
the flags, and importing the whole stage (the place and tense readers, their patterns and records) was
~15 ms of every cold draft."""
from __future__ import annotations

import importlib

_WHERE = {
    "understand": "document", "SentenceReading": "document", "ParagraphReading": "document",
    "DocumentReading": "document", "reading_version": "version", "RULES": "version",
    "split_sentences": "sentences", "is_label": "sentences",
}
__all__ = list(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
