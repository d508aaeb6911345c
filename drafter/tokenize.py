"""Word segmentation: the only module that imports jieba."""
from __future__ import annotations

import logging
import os
import re
import tempfile
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


_pending_words: set[str] = set()


def _ready() -> None:
    """Load jieba's dictionary on first use (half a second), with the domain words taught so far."""
    if not jieba.dt.initialized:
        jieba.dt.cache_file = _cache_file()
        jieba.initialize()
    while _pending_words:
        word = _pending_words.pop()
        jieba.add_word(word, freq=2000)
        _user_words.add(word)


def add_words(words) -> None:
    """Teach jieba domain words (place names, topic terms) so they come out whole; applied when jieba is
    first used, so a run that segments nothing never loads it."""
    _pending_words.update(w for w in words if w and w not in _user_words)


def words(text: str) -> list[str]:
    """The words of a text, in order, punctuation dropped."""
    _ready()
    return [w for w in jieba.cut(text, HMM=False) if _WORDLIKE.search(w)]


def index_terms(text: str) -> list[str]:
    """Terms for the search index: the words in order (so phrases match across them), then the shorter
    dictionary words inside long ones (so 政府 finds 县政府), as jieba's search mode finds them."""
    _ready()
    main = words(text)
    known = jieba.dt.FREQ
    inside = []
    for word in main:
        for n in (2, 3):
            if len(word) > n:
                inside.extend(part for i in range(len(word) - n + 1) if known.get(part := word[i:i + n]))
    return main + inside


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
