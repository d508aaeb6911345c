"""Topicality: how much a concept tells about the topic (its weight), and how far a text is on the topic."""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Iterable

from ..store import Store
from .query import Concept, Query


def weigh(query: Query, store: Store) -> Query:
    """Give each concept a weight from the store: how much more it clusters in some documents than chance
    would scatter it (residual IDF, Church & Gale 1995). A topic word (信用, 热线) comes many times in the
    few documents about it; a generic word of the title (体系, 社会) comes once here and there, whatever
    its rarity. A query with primary concepts needs none: they alone decide."""
    if query.primaries:
        return query
    documents = store.document_count() or 1
    weighted = []
    for concept in query.concepts:
        if concept.whole:  # decides alone, weighs nothing
            weighted.append(concept)
            continue
        in_documents, in_sentences = store.spread(concept.match())
        weighted.append(replace(concept, weight=residual_idf(in_documents, in_sentences, documents)))
    return Query(tuple(weighted))


def residual_idf(in_documents: int, occurrences: int, documents: int) -> float:
    if not in_documents:
        # A word no document uses (冰雪 in a data bureau's archive) is as specific as a word can be: the
        # topic is not in the archive, whatever the title's other words match.
        return math.log(1 + documents)
    idf = math.log(documents / in_documents)
    expected_idf = -math.log(-math.expm1(-occurrences / documents))  # if occurrences fell at random
    # A floor keeps a query whose words are all everywhere (every document on one topic) from weighing
    # nothing: its words then count alike.
    return max(idf - expected_idf, 0.01)


def says(concept: Concept, text: str, text_words: set[str]) -> bool:
    """Whether a text says a concept: all phrases of one of its terms, or a word of each of its `all_of`
    lists. A single word must stand as a word (信用 is not in 信用社); a longer phrase may be glued to
    its neighbours (政府网站 in 县政府网站)."""
    if concept.all_of and all(any(w in text for w in options) for options in concept.all_of):
        return True
    return any(all(phrase[0] in text_words if len(phrase) == 1 else "".join(phrase) in text for phrase in term)
               for term in concept.phrases)


def coverage(query: Query, text: str, text_words: Iterable[str]) -> float:
    """How far a text is on the proposal's topic: 1.0 when it says one of the clerk's keywords, or a
    primary concept, or one of the title's noun phrases whole, else the share of the words' weight it
    says. `text_words`: the text's words (the index terms stored at ingest)."""
    known = set(text_words)
    if any(c.asked and says(c, text, known) for c in query.concepts):
        return 1.0
    if query.primaries:
        return 1.0 if any(says(c, text, known) for c in query.primaries) else 0.0
    if any(c.whole and says(c, text, known) for c in query.concepts):
        return 1.0
    weighed = [c for c in query.concepts if not c.whole]
    found = sum(c.weight for c in weighed if says(c, text, known))
    return found / (sum(c.weight for c in weighed) or 1.0)
