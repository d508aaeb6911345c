"""The query: what a proposal's title (and the clerk's keywords) ask about, as concepts widened by the lexicon."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..config.lexicon import Lexicon
from ..store import fts
from ..text.segmenter import Segmenter

# A term is one or more phrases that must all occur ("应急+监测"); a phrase is its words.
Term = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Concept:
    """One thing the proposal asks about, said in any of several ways (智慧城市 / 城市大脑 / 一网统管)."""

    name: str
    phrases: tuple[Term, ...]
    weight: float = 1.0
    # Also said by one word of each list together, anywhere in the text ("智能" + "随访", "智慧" + "诊室"):
    # a qualifier and a domain noun, for topics named in many compound ways. Each way also as its words.
    all_of: tuple[tuple[str, ...], ...] = ()
    all_of_words: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # The topic itself: the lexicon group of the title's head ("…便民热线" in "提升12345政务服务便民热线…").
    primary: bool = False
    # One of the title's own noun phrases, said whole ("互联网医院" of "智慧医疗和互联网医院"): a text
    # that says it is on the topic, whatever the weights of its words.
    whole: bool = False
    # Asked for by the clerk (--keywords), or a lexicon group one of their keywords names: a text that
    # says it is on the topic, whatever the title's topic is.
    asked: bool = False

    def term_words(self) -> list[tuple[str, ...]]:
        """Each way of saying it as the words that must all occur (phrases need not be adjacent in the index)."""
        return [tuple(dict.fromkeys(w for phrase in term for w in phrase)) for term in self.phrases]

    def match(self) -> str:
        """The index expression for texts that may say it (`topicality.says` decides)."""
        return fts.any_of(self.term_words(), [self.all_of_words])

    @property
    def terms(self) -> list[str]:
        """Its ways of saying, as written in the lexicon ("应急+监测")."""
        return ["+".join("".join(phrase) for phrase in term) for term in self.phrases]


@dataclass(frozen=True)
class Query:
    concepts: tuple[Concept, ...]

    @property
    def primaries(self) -> tuple[Concept, ...]:
        return tuple(c for c in self.concepts if c.primary)

    def explain(self) -> str:
        """One line, in Chinese, on how drafter read the words: a lexicon topic, or words weighed by the archive."""
        if self.primaries:
            terms = [t for c in self.primaries for t in c.terms]
            more = f" 等 {len(terms)} 种说法" if len(terms) > 6 else ""
            return f"按主题“{'、'.join(c.name for c in self.primaries)}”检索（{'、'.join(terms[:6])}{more}均算切题）。"
        weighed = "、".join(f"{c.name} {c.weight:.2f}" for c in self.concepts if not c.whole)
        whole = [c.name for c in self.concepts if c.whole]
        return (f"主题词表中没有这一主题，按各词在资料库中的集中程度加权：{weighed}"
                + (f"；整体出现即算切题：{'、'.join(whole)}" if whole else "") + "。")

    def match(self) -> str:
        """One index expression for every concept, each shared word written once."""
        return fts.any_of([t for c in self.concepts for t in c.term_words()],
                          [c.all_of_words for c in self.concepts])


_COORDINATORS = frozenset({"和", "与", "及", "以及", "并"})
# A preposition or a purpose verb after a noun phrase opens what is done with it or for whom
# ("政务服务|向乡镇村延伸", "数字乡村建设|助力乡村振兴", "帮办服务|方便残疾人等特殊群体办事"): the noun
# phrase before it ends there, so the topic it names is the head of its own phrase, not a qualifier of the
# words that follow.
_PHRASE_BREAKS = _COORDINATORS | frozenset({"向", "往", "朝", "对", "为", "让", "使", "方便", "便利", "助力", "赋能",
                                             "服务于", "面向", "惠及"})


class QueryBuilder:
    """Reads titles with one lexicon and one segmenter."""

    def __init__(self, lexicon: Lexicon, segmenter: Segmenter):
        self.lexicon = lexicon
        self.words = segmenter.query_words

    def build(self, title: str, keywords: tuple[str, ...] = ()) -> Query:
        """Concepts of a proposal's title and the clerk's keywords, widened by the topic lexicon."""
        concepts, covered, ends = [], set(), []
        for name, group in self.lexicon.groups.items():
            terms = group["terms"]
            used = [t for t in terms if "+" not in t and t in title]
            asked = any("+" not in t and t in keyword for t in terms for keyword in keywords)
            if used or asked:
                concepts.append(self.group_concept(name, group, asked=asked))
                covered.update(w for t in used for w in self.words(t))
                ends.append(max((title.rfind(t) + len(t) for t in used), default=-1))
        # The head noun comes last in a Chinese noun phrase: in each of the title's joined phrases
        # ("互联网医院和智慧养老"), the group named last is a topic of the proposal; groups that name the same
        # head (a shipped one and an office's own) are one together. A group that an unknown word follows
        # (政务服务 in "政务服务便民热线") only qualifies the head, and the words found in the text decide.
        for start, end in self.joined_phrase_spans(title):
            inside = [at for at in ends if start < at <= end]
            if inside and not self.content_words(title[max(inside):end]):
                for n, at in enumerate(ends):
                    if at == max(inside):
                        concepts[n] = replace(concepts[n], primary=True)
        for word in self.content_words(title):
            if word in covered:
                continue
            covered.add(word)
            concepts.append(Concept(word, (((word,),),)))
        for phrase in self.noun_phrases(title):
            concepts.append(Concept("".join(phrase), ((tuple(phrase),),), whole=True))
        for keyword in keywords:
            if self.words(keyword):
                concepts.append(Concept(keyword, ((tuple(self.words(keyword)),),), whole=True, asked=True))
        return Query(tuple(concepts))

    def group_concept(self, name: str, group: dict, **marks) -> Concept:
        """A lexicon group as a concept: its terms segmented as the index is, its all_of ways too."""
        all_of = tuple(tuple(options) for options in group.get("all_of", []))
        return Concept(name, tuple(self._term(t) for t in group["terms"]), all_of=all_of,
                       all_of_words=tuple(tuple(tuple(self.words(o) or [o]) for o in options) for options in all_of),
                       **marks)

    def joined_phrase_spans(self, title: str) -> list[tuple[int, int]]:
        """Where the title's joined phrases lie, as (start, end) offsets: cut at 、, at 和, 与, 及… and at a
        preposition or purpose verb (向, 助力…)."""
        spans = []
        for piece in re.finditer(r"[^、，,；;]+", title):
            start = at = piece.start()
            for word in self.words(piece.group()):
                at = title.find(word, at)
                if word in _PHRASE_BREAKS:
                    spans.append((start, at))
                    start = at + len(word)
                at += len(word)
            spans.append((start, piece.end()))
        return spans

    def noun_phrases(self, title: str) -> list[list[str]]:
        """The title's joined noun phrases of two words or more, as their words: "智慧医疗和互联网医院建设"
        → [智慧, 医疗], [互联网, 医院]. Stopwords end a phrase too, so a phrase stands whole in the title."""
        phrases = []
        for start, end in self.joined_phrase_spans(title):
            current: list[str] = []
            for word in self.words(title[start:end]) + [""]:
                if word in self.lexicon.stopwords or not word:
                    if len(current) >= 2:
                        phrases.append(current)
                    current = []
                elif len(word) >= 2 or word.isdigit():
                    current.append(word)
        return phrases

    def content_words(self, text: str) -> list[str]:
        return [w for w in self.words(text) if w not in self.lexicon.stopwords and w not in _PHRASE_BREAKS
                and (len(w) >= 2 or w.isdigit())]

    def _term(self, text: str) -> Term:
        return tuple(tuple(self.words(part)) for part in text.split("+") if part.strip())
