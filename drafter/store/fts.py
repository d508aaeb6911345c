"""FTS5 query syntax: match expressions built from words, so no other module writes index syntax."""
from __future__ import annotations

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
