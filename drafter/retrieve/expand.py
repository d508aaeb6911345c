"""Query expansion from the archive itself (pseudo-relevance feedback): a title on a topic the lexicon does
not name ("提升企业群众办事便捷度", "推广上门帮办服务…") is widened by the lexicon group that the archive's best
matches for its words talk about far more often than the archive does at large."""
from __future__ import annotations

from ..config.lexicon import Lexicon
from ..store import Store
from .query import Concept, Query, QueryBuilder
from .topicality import says

# How many of the best-matching sentences are read, and how a group must stand out among them: said by at
# least `MIN_SHARE` of them (and `MIN_SENTENCES`), and `MIN_LIFT` times as often as in the whole archive.
FEEDBACK_SENTENCES = 40
MIN_SHARE = 0.25
MIN_SENTENCES = 3
MIN_LIFT = 2.0


def feedback_concepts(query: Query, store: Store, lexicon: Lexicon, builder: QueryBuilder) -> list[Concept]:
    """Lexicon groups the best matches of a query without a known topic are about, as concepts that, said
    whole, put a text on the topic. Groups the title already names (as qualifiers) are not added again."""
    if query.primaries:
        return []  # the lexicon knows the topic: nothing to learn from the archive
    match = query.match()
    top = store.best_sentences(match, FEEDBACK_SENTENCES) if match else []
    if len(top) < MIN_SENTENCES:
        return []
    total = store.sentence_count() or 1
    named = {c.name for c in query.concepts}
    found = []
    for name, group in lexicon.groups.items():
        if name in named:
            continue
        concept = builder.group_concept(name, group, whole=True)
        hits = sum(1 for text, terms in top if says(concept, text, set(terms)))
        if hits < MIN_SENTENCES or hits < MIN_SHARE * len(top):
            continue
        # Cut wide by the index, so the base rate is an upper bound and the lift a cautious one.
        base = store.sentences_matching(concept.match()) / total
        if hits / len(top) >= MIN_LIFT * base:
            found.append(concept)
    return found
