"""Word segmentation: the only module that imports the segmenter (rjieba, jieba's dictionary and algorithm
in Rust), and only when a text is first segmented."""
from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import os
import re
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from . import wordcut

# A token worth indexing holds at least one CJK character, letter or digit.
_WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# Added words weigh like common dictionary words, so a place name comes out whole.
_TAUGHT_FREQUENCY = 2000


class Segmenter:
    """jieba's segmentation (HMM off) with a fixed set of domain words (place names), so a text always splits
    the same way whatever was segmented before, in this process or an earlier one. Each segmenter owns its
    tokenizer: no process-wide dictionary is changed. Short texts (titles, lexicon terms) are remembered in
    `cache_folder` under a key of the words taught, so a draft that segments only those never loads the
    dictionary.

    The tokenizer is rjieba: the same dictionary and algorithm as jieba, 8-13 times faster, its dictionary
    loaded in a tenth of a second (tests/test_segmenter.py checks that it cuts exactly as jieba does)."""

    SHORT = 64          # characters: longer texts are not remembered
    REMEMBERED = 50_000

    def __init__(self, words: Iterable[str] = (), cache_folder: Path | None = None):
        self.taught = frozenset(w for w in words if w)
        self.cache_folder = cache_folder
        self._tokenizer = None
        self._lock = threading.Lock()
        self._short: dict[str, list[str]] | None = None
        self._short_dirty = False
        self.fingerprint = hashlib.sha1("\n".join(sorted(self.taught)).encode("utf-8")).hexdigest()[:16]

    # --- the tokenizer, loaded on first use -------------------------------------------------

    def _tokens(self, text: str) -> list[str]:
        """Every token of the text, punctuation included, in order (jieba's `cut(text, HMM=False)`)."""
        return self._engine().cut(text, False)

    def _engine(self):
        with self._lock:
            if self._tokenizer is None:
                import rjieba
                tokenizer = rjieba.Jieba()
                for word in sorted(self.taught):
                    tokenizer.add_word(word, _TAUGHT_FREQUENCY, None)
                self._tokenizer = tokenizer
            return self._tokenizer

    # --- segmenting ---------------------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """The words of a text, in order, punctuation dropped."""
        return [w for w in self._tokens(text) if _wordlike(w)]

    def query_words(self, text: str) -> list[str]:
        """`words` of a short text asked about again and again (a title, a lexicon term), remembered."""
        if len(text) > self.SHORT:
            return self.words(text)
        known = self._remembered().get(text)
        if known is None:
            known = self.words(text)
            self._remember(text, known)
        return list(known)

    def indexed(self, text: str) -> tuple[bytes, list[str]]:
        """The text's cut into index words, as the store keeps it, and its index terms, which `wordcut.terms`
        rebuilds from the cut: the words in order, then the dictionary words inside long ones (so 政府 finds
        县政府), as jieba's search mode finds them."""
        spans, at = [], 0
        for token in self._tokens(text):
            if _wordlike(token):
                spans.append((at, token))
            at += len(token)
        return wordcut.pack(spans, self._engine().has_word)

    def is_word_at(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] is read as whole words in its neighbourhood (高平 in 提高平台 is not)."""
        lo = max(0, start - 6)
        window = text[lo:min(len(text), end + 6)]
        position, starts = 0, False
        for token in self._tokens(window):
            token_start, position = position, position + len(token)
            if token_start == start - lo:
                starts = True
            if position == end - lo:
                return starts
            if position > end - lo:
                return False
        return False

    # --- the short-text memory ----------------------------------------------------------------

    def _memory_file(self) -> Path | None:
        if self.cache_folder is None:
            return None
        return self.cache_folder / f"short-texts-{_engine_build()}-{self.fingerprint}.json"

    def _remembered(self) -> dict[str, list[str]]:
        if self._short is None:
            path = self._memory_file()
            try:
                self._short = json.loads(path.read_text(encoding="utf-8")) if path else {}
            except (OSError, ValueError):
                self._short = {}
        return self._short

    def remember(self, segmented: dict[str, list[str]]) -> None:
        """Keep short texts another process of the same segmenter already cut (an ingest's workers), so a
        later draft that asks for them never loads jieba."""
        for text, result in segmented.items():
            if len(text) <= self.SHORT:
                self._remember(text, list(result))

    def _remember(self, text: str, result: list[str]) -> None:
        memory = self._remembered()
        if len(memory) < self.REMEMBERED:
            # One copy of each word (工作, 2015年 …): an ingest remembers tens of thousands of titles.
            memory[text] = [sys.intern(word) for word in result]
            if not self._short_dirty and self.cache_folder is not None:
                self._short_dirty = True
                atexit.register(self.save)

    def save(self) -> None:
        """Write the remembered segmentations (merged with what other processes saved meanwhile)."""
        path = self._memory_file()
        if path is None or not self._short or not _make_folder(path.parent):
            return
        try:
            merged = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            merged.update(self._short)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except (OSError, ValueError):
            pass  # a cache: losing it costs time, never a result


@lru_cache(maxsize=1)
def _engine_build() -> str:
    """Which build of rjieba is installed, found without importing it (the import builds its default
    dictionary) or importlib.metadata (60 ms of a cold draft, for a version string): the size and time of
    its compiled module, which change whenever another build is installed."""
    spec = importlib.util.find_spec("rjieba")
    folder = Path(spec.origin).parent if spec and spec.origin else None
    try:
        built = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()
                       if p.suffix in (".so", ".pyd")) if folder else []
    except OSError:
        built = []
    return "rjieba-" + hashlib.sha1(repr(built).encode()).hexdigest()[:12]


@lru_cache(maxsize=50_000)
def _wordlike(token: str) -> bool:
    # Asked of every token of every text indexed: a few thousand distinct tokens make most of them.
    return _WORDLIKE.search(token) is not None


def _make_folder(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return True
    except OSError:
        return False


@lru_cache(maxsize=8)
def segmenter_for(words: frozenset[str], cache_folder: Path | None) -> Segmenter:
    """One segmenter per set of taught words and cache folder in a process: jieba's dictionary is loaded once."""
    return Segmenter(words, cache_folder)
