"""FTS5 query syntax: match expressions built from words, so no other module writes index syntax."""
from __future__ import annotations

import re
from typing import Iterable, Sequence

# A term is the words that must all occur; a word list is the ways one slot of an `all_of` may be said,
# each way given as its words.
Words = Sequence[str]
Slots = Sequence[Sequence[Words]]


def all_words(words: Iterable[str]) -> str:
    """Texts with all the words (in any order: 县政府 网站 says 政府网站)."""
    quoted = [f'"{w}"' for w in dict.fromkeys(w.replace('"', "") for w in words) if w]
    if not quoted:
        return ""
    return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"


def factored(terms: list[tuple[str, ...]]) -> str:
    """Texts with all the words of any of the terms, each shared word written once: BM25 walks every word
    of the query over the whole index, once for each time the query names it."""
    terms = [term for term in terms if term]
    if not terms:
        return ""
    counts: dict[str, int] = {}
    for term in terms:
        for w in term:
            counts[w] = counts.get(w, 0) + 1
    shared = max(counts, key=lambda w: (counts[w], len(w)))
    if counts[shared] < 2:
        return " OR ".join(all_words(term) for term in terms)
    with_it = [tuple(w for w in term if w != shared) for term in terms if shared in term]
    rest = [term for term in terms if shared not in term]
    head = f'"{shared}"' if not all(with_it) else f'("{shared}" AND ({factored(with_it)}))'
    return " OR ".join(filter(None, [head, factored(rest)]))


def one_of_each(slots: Slots) -> str:
    """Texts with one way of each slot ("智能" or "智慧", and "随访" or "诊室")."""
    return "(" + " AND ".join("(" + " OR ".join(_way(words) for words in ways) + ")" for ways in slots) + ")"


def _way(words: Words) -> str:
    # The index holds the dictionary words inside long words, so a way matches as whole words; only a
    # one-character way ("诊") needs a prefix query, which is slow on a large store.
    if len(words) == 1 and len(words[0]) == 1:
        return f'"{words[0]}"*'
    return all_words(words)


def any_of(terms: Iterable[tuple[str, ...]], slot_lists: Iterable[Slots] = ()) -> str:
    """Texts saying any of the terms, or one way of each slot of any of the slot lists."""
    return " OR ".join(filter(None, [factored(list(dict.fromkeys(terms))),
                                     *dict.fromkeys(one_of_each(slots) for slots in slot_lists if slots)]))


def any_token(tokens: Iterable[str]) -> str:
    return "(" + " OR ".join(f'"{t}"' for t in tokens) + ")"


# What the index's tokenizer (unicode61, its default categories L* N* Co) keeps of a text as tokens, case
# folded; Python's word characters without "_" are the letters and numbers (private-use characters aside).
_TOKEN = re.compile(r"[^\W_]+")


def index_tokens(terms: list[str]) -> list[str]:
    """The tokens the index holds for a sentence given these terms (`tokenize = 'unicode61'` splits a term at
    anything but a letter or a number: 5.1万 is 5, 1万)."""
    return _TOKEN.findall(" ".join(terms).lower())


class Expression:
    """An expression built here, read back to tell which of its words a sentence matches the way FTS5's
    bm25() counts them: a word counts once for each place the expression names it, and only where its
    part of the expression matches the sentence ("数据" AND "共享" counts nothing for 数据 alone)."""

    def __init__(self, text: str):
        self._tokens = re.findall(r'\(|\)|AND|OR|"[^"]*"\*?', text)
        self._at = 0
        self._prefixes = False  # whether it names a prefix ("诊"*): set while reading
        self._words: set[str] = set()
        self._tree = self._joined("OR") if self._tokens else ("or", [], frozenset())
        self.words = frozenset(self._words - {""})
        self._known: dict[frozenset, tuple[str, ...]] = {}
        # Whether `matches` answers as the index would: every word of the expression is one index token (a
        # quoted "e-政务" would be a phrase of two, which this reading does not follow).
        self.testable = all(_TOKEN.fullmatch(w) for w in self.words) and bool(self._tokens)

    def matches(self, terms: list[str]) -> bool:
        """Whether the index would match a sentence of these terms (only where `testable`)."""
        tokens = index_tokens(terms)
        return self._match(self._tree, self.words.intersection(tokens), tokens) is not None

    def counted(self, present: frozenset, terms: list[str]) -> tuple[str, ...]:
        """The words counted for a sentence whose terms are `terms`, of which `present` are the expression's."""
        known = self._known.get(present)
        if known is None:
            found = self._match(self._tree, present, terms)
            known = tuple(found or ())
            if not self._prefixes:  # a prefix word's match depends on the other terms too
                self._known[present] = known
        return known

    # --- reading: OR of ANDs, as FTS5 binds them ---

    # A node is (kind, value, the words under it); None for the words when a prefix is under it, since a
    # prefix matches whatever word begins with it.

    def _joined(self, operator: str):
        """Parts joined by OR, each of them parts joined by AND (AND binds tighter)."""
        part = self._one if operator == "AND" else lambda: self._joined("AND")
        parts = [part()]
        while self._peek() == operator:
            self._at += 1
            parts.append(part())
        if len(parts) == 1:
            return parts[0]
        under = None if any(p[2] is None for p in parts) else frozenset().union(*(p[2] for p in parts))
        return (operator.lower(), parts, under)

    def _one(self):
        token = self._tokens[self._at]
        self._at += 1
        if token == "(":
            inner = self._joined("OR")
            self._at += 1  # ")"
            return inner
        if token.endswith("*"):
            self._prefixes = True
            return ("prefix", token[1:-2].lower(), None)
        word = token[1:-1].lower()
        self._words.add(word)
        return ("word", word, frozenset({word}))

    def _peek(self) -> str | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _match(self, node, present: frozenset, terms: list[str]) -> list[str] | None:
        kind, value, under = node
        if under is not None and present.isdisjoint(under):
            return None  # none of its words: most of a large expression, for any one sentence
        if kind == "word":
            return [value]
        if kind == "prefix":  # matches, weighs nothing (its count is not kept)
            return [] if any(t.lower().startswith(value) for t in terms) else None
        found: list[str] | None = None
        for child in value:
            words = self._match(child, present, terms)
            if words is None:
                if kind == "and":
                    return None
            else:
                found = words if found is None else found + words
        return found
