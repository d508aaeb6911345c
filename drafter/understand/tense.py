"""Tense: whether a sentence reports work done (progress) or work planned (plan)."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from ..config import paths
from ..models import Block


@lru_cache(maxsize=1)
def _cues() -> dict:
    return tomllib.loads(paths.package_data("cues.toml").read_text(encoding="utf-8"))


def _any(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    cues = _cues()
    return {
        "plan_heading": _any(cues["headings"]["plan"]),
        "plan_title": _any(cues["headings"]["plan"] + cues["headings"]["plan_titles"]),
        "progress_heading": _any(cues["headings"]["progress"]),
        "opener": _any(cues["plan"]["openers"]),
        "decisive": re.compile("|".join(cues["plan"]["decisive"])),
        "plan_strong": _any(cues["plan"]["strong"]),
        "plan_weak": _any(cues["plan"]["weak"]),
        "progress_strong": _any(cues["progress"]["strong"]),
        "progress_weak": _any(cues["progress"]["weak"]),
        "future_jiang": re.compile("将(?:" + "|".join(map(re.escape, cues["future_jiang"]["followers"])) + ")"),
    }


# Text inside 《》 is a title: 《…三年行动计划》 says nothing about tense.
_TITLES = re.compile(r"《[^》]*》|“[^”]{0,20}”")
_YEAR_TARGET = re.compile(r"到(20\d\d)年|(20\d\d)年(?:底|前)?(?:将|要|力争|计划)")
_YEAR = re.compile(r"(20\d\d)年")
# What may come before a sentence's first real word: spaces, an item number, a connector.
_HEAD = re.compile(r"^[\s　]*(?:[0-9]+[.、．]\s*|[（(][一二三四五六七八九十0-9]+[）)]|[一二三四五六七八九十]+是)?(?:同时|此外|另外|其次|最后)?[，,]?")


def _heading_says(text: str, title: bool = False) -> str | None:
    """"plan" or "progress" when a heading or title declares it; the later cue in the text wins."""
    p = _patterns()
    text = _TITLES.sub("", text)
    plan = [m.start() for m in p["plan_title" if title else "plan_heading"].finditer(text)]
    done = [m.start() for m in p["progress_heading"].finditer(text)]
    if done and (not plan or max(done) > max(plan)):
        return "progress"
    return "plan" if plan else None


def document_is_plan(title: str) -> bool:
    """A 工作要点 / 工作打算 document plans throughout, even where its items read like achievements."""
    return _heading_says(title, title=True) == "plan"


class TenseReader:
    """Reads tense sentence by sentence; a 下一步 opener turns the rest of its paragraph into plans."""

    def __init__(self, document_year: int | None):
        self.document_year = document_year

    def read_block(self, block: Block, sentences: list[str], plan_document: bool) -> list[str]:
        declared = "plan" if plan_document else None
        for heading in block.section:
            declared = _heading_says(heading) or declared
        if block.heading:
            declared = _heading_says(block.text) or declared
        tenses, planning = [], False
        for sentence in sentences:
            if self._opens_plans(sentence):
                planning = True
            if planning:
                tenses.append("plan")
            elif declared == "plan":
                # A plan heading rules, unless the sentence plainly reports past work; a plan document's own
                # items (工作要点 phrased like achievements) stay plans.
                done = self._reports_done(sentence) and not plan_document
                tenses.append("progress" if done else "plan")
            else:
                tenses.append(self.sentence_tense(sentence, under_progress=declared == "progress"))
        return tenses

    @staticmethod
    def _opens_plans(sentence: str) -> bool:
        """下一步/今后/接下来 at the head of a sentence (not "为今后…提供保障" inside one)."""
        match = _patterns()["opener"].search(_TITLES.sub("", sentence))
        return bool(match) and match.start() <= len(_HEAD.match(sentence).group())

    def _reports_done(self, sentence: str) -> bool:
        """Plain past work even under a plan heading (a 展望 section that opens with 三年来…成立了…)."""
        p = _patterns()
        text = _TITLES.sub("", sentence)
        plan = p["decisive"].search(text) or p["plan_strong"].search(text) or p["future_jiang"].search(text)
        strong, weak = len(p["progress_strong"].findall(text)), len(p["progress_weak"].findall(text))
        return not plan and (strong >= 2 or strong and weak)

    def sentence_tense(self, sentence: str, under_progress: bool = False) -> str:
        """Weigh plan cues against progress cues; ties go to progress (the corpus is mostly reports).
        Under a progress heading (总体情况, 工作进展) weak cues alone (进一步, 确保, 持续) describe ongoing
        work: only a strong or decisive cue makes a plan there."""
        p = _patterns()
        text = _TITLES.sub("", sentence)
        if p["decisive"].search(text):
            return "plan"
        strong = 2 * len(p["plan_strong"].findall(text)) + 2 * len(p["future_jiang"].findall(text))
        for match in _YEAR_TARGET.finditer(text):
            year = int(match.group(1) or match.group(2))
            if self.document_year is None or year > self.document_year:
                strong += 2
        weak = len(p["plan_weak"].findall(text))
        # One weak word (持续, 进一步) alone describes ongoing work as often as planned work.
        plan = strong + weak if strong or (weak >= 2 and not under_progress) else 0
        done = 2 * len(p["progress_strong"].findall(text)) + len(p["progress_weak"].findall(text))
        if self.document_year and any(int(y) < self.document_year for y in _YEAR.findall(text)):
            done += 1
        return "plan" if plan > done else "progress"
