"""Word segmentation: the only module that imports jieba."""
from __future__ import annotations

import logging
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)

# A token worth indexing holds at least one CJK character, letter or digit.
_WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_user_words: set[str] = set()


def _cache_file() -> str:
    # jieba caches its prefix dictionary; keep the cache per user so a shared /tmp never blocks it.
    folder = Path(tempfile.gettempdir()) / f"drafter-jieba-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "jieba.cache")


@lru_cache(maxsize=1)
def _ready() -> bool:
    jieba.dt.cache_file = _cache_file()
    jieba.initialize()
    return True


def add_words(words) -> None:
    """Teach jieba domain words (place names, topic terms) so they come out whole."""
    _ready()
    for word in words:
        if word and word not in _user_words:
            jieba.add_word(word, freq=2000)
            _user_words.add(word)


def words(text: str) -> list[str]:
    """The words of a text, in order, punctuation dropped."""
    _ready()
    return [w for w in jieba.cut(text, HMM=False) if _WORDLIKE.search(w)]


def index_terms(text: str) -> list[str]:
    """Terms for the search index: the words in order (so phrases match across them), then the shorter
    dictionary words inside long ones (so 政府 finds 县政府)."""
    _ready()
    main = words(text)
    inside = [w for w in jieba.cut_for_search(text, HMM=False) if _WORDLIKE.search(w)]
    counts: dict[str, int] = {}
    for w in main:
        counts[w] = counts.get(w, 0) + 1
    extra = []
    for w in inside:
        if counts.get(w, 0):
            counts[w] -= 1
        else:
            extra.append(w)
    return main + extra


def is_word_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is read as whole words in its neighbourhood (高平 in 提高平台 is not)."""
    _ready()
    lo = max(0, start - 6)
    window = text[lo:min(len(text), end + 6)]
    position, starts = 0, False
    for token in jieba.cut(window, HMM=False):
        token_start, position = position, position + len(token)
        if token_start == start - lo:
            starts = True
        if position == end - lo:
            return starts
        if position > end - lo:
            return False
    return False
