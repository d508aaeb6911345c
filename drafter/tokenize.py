"""Word segmentation: the only module that imports jieba."""
from __future__ import annotations

import atexit
import hashlib
import json
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


def _cache_folder() -> Path:
    # Per user, so a shared /tmp never blocks it.
    folder = Path(tempfile.gettempdir()) / f"drafter-jieba-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cache_file() -> str:
    return str(_cache_folder() / "jieba.cache")  # jieba's own cache of its prefix dictionary


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


class _ShortTexts:
    """Segmentations of short texts (titles, lexicon terms) kept across runs: a draft, which segments only
    those, then never waits half a second for jieba's dictionary. Keyed by the domain words taught, so a
    changed gazetteer or lexicon segments afresh."""

    LONGEST = 64
    MOST = 50_000

    def __init__(self):
        self._entries: dict[str, list[str]] | None = None
        self._dirty = False

    def _path(self) -> Path:
        taught = hashlib.sha1("\n".join(sorted(_user_words | _pending_words)).encode("utf-8")).hexdigest()[:16]
        return _cache_folder() / f"short-texts-{jieba.__version__}-{taught}.json"

    def get(self, text: str) -> list[str] | None:
        if self._entries is None:
            try:
                self._entries = json.loads(self._path().read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._entries = {}
        return self._entries.get(text)

    def put(self, text: str, result: list[str]) -> None:
        if self._entries is not None and len(self._entries) < self.MOST:
            self._entries[text] = result
            if not self._dirty:
                self._dirty = True
                atexit.register(self.save)

    def save(self) -> None:
        path = self._path()
        try:
            merged = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            merged.update(self._entries or {})
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except (OSError, ValueError):
            pass  # a cache: losing it costs time, never a result


_short_texts = _ShortTexts()


def words(text: str) -> list[str]:
    """The words of a text, in order, punctuation dropped."""
    _ready()
    return [w for w in jieba.cut(text, HMM=False) if _WORDLIKE.search(w)]


def query_words(text: str) -> list[str]:
    """`words` of a short text a draft asks about again and again (a proposal's title, a lexicon term, a
    document title), remembered across runs."""
    if len(text) > _ShortTexts.LONGEST:
        return words(text)
    known = _short_texts.get(text)
    if known is None:
        known = words(text)
        _short_texts.put(text, known)
    return list(known)


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
