"""Near-duplicates: whether a text says again what was already said (a repost, a mirror, an older version).

Two mechanisms for two sizes of the question, both here: `NearRepeats` finds a paragraph repeated within one
document (bigram Jaccard with prefix filtering: linear on long documents); `Facts` finds a sentence that says a
fact already placed in a draft (edit distance with figures masked, for the few sentences a draft holds)."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from collections import Counter
from functools import lru_cache
from typing import Iterable

from rapidfuzz import fuzz, process

_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9]+)?")
_SHARED_PHRASE = 12  # characters: longer than any stock opening ("全县12345热线…") two facts share


@lru_cache(maxsize=65536)
def masked(sentence: str) -> str:
    """The sentence with spaces dropped and figures masked: a newer figure does not make a new fact."""
    return _DIGITS.sub("#", re.sub(r"\s+", "", sentence))


@lru_cache(maxsize=65536)
def _phrases(masked_text: str) -> frozenset[str]:
    return frozenset(masked_text[i:i + _SHARED_PHRASE] for i in range(len(masked_text) - _SHARED_PHRASE + 1))


class NearRepeats:
    """Paragraph keys seen so far, each under a number, so a near-identical key (Jaccard of character
    bigrams >= `similarity`) is found without comparing it with every earlier one. `corpus`: the keys of the
    whole document, so candidates are looked up by each key's rarest bigrams: in plain string order every
    paragraph's prefix holds the same common bigrams, and every pair of long paragraphs became a candidate
    (quadratic on a long report)."""

    def __init__(self, similarity: float = 0.9, corpus: Iterable[str] = ()):
        self.similarity = similarity
        self._grams: dict[int, set[str]] = {}
        self._index: dict[str, list[int]] = {}
        # How many of the document's keys hold each bigram (as many entries as the text has bigrams).
        self._counts = Counter(gram for key in corpus for gram in _bigrams(key))

    def add(self, number: int, key: str) -> None:
        self._grams[number] = grams = _bigrams(key)
        for g in self._prefix(grams):
            self._index.setdefault(g, []).append(number)

    def repeats(self, key: str, since: int = 0) -> bool:
        """Whether a key added under a number >= `since` is nearly `key`."""
        mine = _bigrams(key)
        candidates = {j for g in self._prefix(mine) for j in self._index.get(g, ()) if j >= since}
        near = self.similarity
        return any(min(len(mine), len(self._grams[j])) >= near * max(len(mine), len(self._grams[j]))
                   and (shared := len(mine & self._grams[j])) >= near * (len(mine) + len(self._grams[j]) - shared)
                   for j in candidates)

    def _prefix(self, grams: set[str]) -> list[str]:
        # Two sets with Jaccard >= `similarity` must share one of these (prefix filtering, rarest first).
        ordered = sorted(grams, key=lambda g: (self._counts[g], g))
        return ordered[:len(ordered) - int(self.similarity * len(ordered)) + 1]


def _bigrams(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)}


class Facts:
    """Sentences already said, so that a repost, an older version or another wording of the same fact
    ("…入选全省社会信用体系建设示范县…") is not said again."""

    def __init__(self, threshold: float = 80.0):
        self.threshold = threshold  # rapidfuzz ratio, digits masked
        self._masked: list[str] = []
        self._by_phrase: dict[str, list[int]] = {}

    def add(self, sentence: str) -> None:
        text = masked(sentence)
        for phrase in _phrases(text):
            self._by_phrase.setdefault(phrase, []).append(len(self._masked))
        self._masked.append(text)

    def said(self, sentence: str) -> bool:
        text = masked(sentence)
        if not self._masked:
            return False
        if len(text) < 6:
            return text in self._masked
        if process.extractOne(text, self._masked, scorer=fuzz.ratio, score_cutoff=self.threshold):
            return True
        for other, _, _ in process.extract(text, self._masked, scorer=fuzz.partial_ratio, limit=5,
                                           score_cutoff=max(self.threshold, 90)):
            if min(len(text), len(other)) >= 0.5 * max(len(text), len(other)):
                return True  # one contains most of the other: a repost cut or extended
        # One long phrase in common, a third of the shorter sentence or more.
        for i in {i for phrase in _phrases(text) for i in self._by_phrase.get(phrase, ())}:
            other = self._masked[i]
            shared = SequenceMatcher(None, text, other, autojunk=False).find_longest_match(
                0, len(text), 0, len(other)).size
            if 3 * shared >= min(len(text), len(other)):
                return True
        return False
