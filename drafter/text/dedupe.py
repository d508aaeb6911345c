"""Near-duplicates: whether a text says again what was already said (a repost, a mirror, an older version).

Two mechanisms for two sizes of the question, both here: `NearRepeats` finds a paragraph repeated within one
document (bigram Jaccard with prefix filtering: linear on long documents); `Facts` finds a sentence that says a
fact already placed in a draft (edit distance with figures masked, for the few sentences a draft holds)."""
from __future__ import annotations

import re
from bisect import bisect_right
from difflib import SequenceMatcher
from collections import Counter
from functools import lru_cache
from typing import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9]+)?")
_SHARED_PHRASE = 12  # characters: longer than any stock opening ("全县12345热线…") two facts share


@lru_cache(maxsize=65536)
def masked(sentence: str) -> str:
    """The sentence with spaces dropped and figures masked: a newer figure does not make a new fact."""
    return _DIGITS.sub("#", re.sub(r"\s+", "", sentence))


@lru_cache(maxsize=65536)
def _phrases(masked_text: str) -> tuple[tuple[str, int], ...]:
    """The text's long phrases, each with how many places of the text it starts at."""
    return tuple(Counter(masked_text[i:i + _SHARED_PHRASE]
                         for i in range(len(masked_text) - _SHARED_PHRASE + 1)).items())


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
        self._cuts: dict[str, tuple[set[str], list[str]]] = {}
        # How many of the document's keys hold each bigram (as many entries as the text has bigrams).
        self._counts: Counter[str] = Counter()
        self._grams_of: dict[str, set[str]] = {}
        for key in corpus:
            grams = self._grams_of.get(key)
            if grams is None:
                grams = self._grams_of[key] = _bigrams(key)
            self._counts.update(grams)

    def add(self, number: int, key: str) -> None:
        self._grams[number], prefix = self._cut(key)
        for g in prefix:
            self._index.setdefault(g, []).append(number)

    def repeats(self, key: str, since: int = 0) -> bool:
        """Whether a key added under a number >= `since` is nearly `key`."""
        mine, prefix = self._cut(key)
        candidates = {j for g in prefix for j in self._index.get(g, ()) if j >= since}
        near = self.similarity
        return any(min(len(mine), len(self._grams[j])) >= near * max(len(mine), len(self._grams[j]))
                   and (shared := len(mine & self._grams[j])) >= near * (len(mine) + len(self._grams[j]) - shared)
                   for j in candidates)

    def _cut(self, key: str) -> tuple[set[str], list[str]]:
        """The key's bigrams and their prefix, once per key (a key is asked about, then added)."""
        known = self._cuts.get(key)
        if known is None:
            grams = self._grams_of.get(key) or _bigrams(key)
            known = self._cuts[key] = (grams, self._prefix(grams))
        return known

    def _prefix(self, grams: set[str]) -> list[str]:
        # Two sets with Jaccard >= `similarity` must share one of these (prefix filtering, rarest first).
        ordered = sorted(sorted(grams), key=self._counts.__getitem__)  # by count, then by the gram
        return ordered[:len(ordered) - int(self.similarity * len(ordered)) + 1]


def _bigrams(key: str) -> set[str]:
    return set(map(str.__add__, key, key[1:]))


class Facts:
    """Sentences already said, so that a repost, an older version or another wording of the same fact
    ("…入选全省社会信用体系建设示范县…") is not said again."""

    def __init__(self, threshold: float = 80.0):
        self.threshold = threshold  # rapidfuzz ratio, digits masked
        self._masked: list[str] = []
        self._joined: tuple[str, list[int]] | None = None  # the facts in one string, and where each starts

    def add(self, sentence: str) -> None:
        self._masked.append(masked(sentence))
        self._joined = None

    def said(self, sentence: str, among: int | None = None) -> bool:
        """Whether the sentence says a fact already added; `among`: of the first that many added only."""
        text = masked(sentence)
        known = self._masked if among is None else self._masked[:among]
        if not known:
            return False
        if len(text) < 6:
            return text in known
        if process.extractOne(text, known, scorer=fuzz.ratio, score_cutoff=self.threshold):
            return True
        # One contains most of the other: a repost cut or extended. partial_ratio is the costly scorer: only
        # texts of comparable length, holding enough of the text's characters in order to reach its cutoff
        # (the cheap LCS bound below), are scored.
        cutoff = max(self.threshold, 90)
        comparable = [other for other in known if 2 * min(len(text), len(other)) >= max(len(text), len(other))]
        if comparable:
            near = [other for other, _, _ in process.extract(
                text, comparable, scorer=LCSseq.normalized_similarity, score_cutoff=_lcs_bound(cutoff), limit=None)]
            if near and process.extractOne(text, near, scorer=fuzz.partial_ratio, score_cutoff=cutoff):
                return True
        # One long phrase in common, a third of the shorter sentence or more. A common run of n characters
        # holds n - 11 of the text's phrases: a fact holding fewer cannot share a run that long.
        for i, held in self._sharing_a_phrase(text, len(known)).items():
            other = known[i]
            third = -(-min(len(text), len(other)) // 3)
            if held + _SHARED_PHRASE - 1 < third:
                continue
            shared = SequenceMatcher(None, text, other, autojunk=False).find_longest_match(
                0, len(text), 0, len(other)).size
            if shared >= third:
                return True
        return False

    def _sharing_a_phrase(self, text: str, among: int) -> dict[int, int]:
        """The facts (of the first `among`) that hold one of the text's long phrases, with how many of the
        text's phrase starts they hold, found in one string of them all: indexing every phrase of every fact
        cost more than the few questions a draft asks."""
        if self._joined is None:
            starts, at = [], 0
            for fact in self._masked:
                starts.append(at)
                at += len(fact) + 1
            self._joined = ("\x00".join(self._masked), starts)
        joined, starts = self._joined
        end = starts[among] if among < len(starts) else len(joined)
        held: dict[int, int] = {}
        for phrase, places in _phrases(text):
            facts = set()
            at = joined.find(phrase, 0, end)
            while at >= 0:
                facts.add(bisect_right(starts, at) - 1)
                at = joined.find(phrase, at + 1, end)
            for fact in facts:
                held[fact] = held.get(fact, 0) + places
        return held


def _lcs_bound(cutoff: float) -> float:
    """The least LCS similarity (over the longer length) two texts of lengths within 2x of each other have
    when partial_ratio gives them `cutoff`: aligned with a window of the other, the shorter (length n) keeps
    c * n / (2 - c) of its characters in order (c = cutoff / 100), and the longer is at most 2n."""
    c = cutoff / 100
    return c / (2 * (2 - c)) - 1e-9
