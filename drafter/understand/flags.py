"""Flags of a sentence, as data: digits lost in scraping, shortcomings, a document's talk about itself."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from ..config import paths


def _load() -> dict[str, dict]:
    return tomllib.loads(paths.package_data("flags.toml").read_text(encoding="utf-8"))


_FLAGS = _load()
# What each flag says to a clerk (in a draft's comments and in `drafter search`).
FLAG_NAMES = {flag: rule["name"] for flag, rule in _FLAGS.items()}
# Sentences with these flags are stored (a clerk can search them) but never drafted.
NOT_DRAFTED = tuple(flag for flag, rule in _FLAGS.items() if not rule.get("drafted", True))


@lru_cache(maxsize=1)
def _rules() -> dict[str, tuple[re.Pattern | None, tuple[str, ...]]]:
    # A flag's patterns as one alternation: every sentence of every document is searched with all of them.
    return {flag: (re.compile("|".join(f"(?:{p})" for p in rule["patterns"])) if rule.get("patterns") else None,
                   tuple(rule.get("headings", [])))
            for flag, rule in _FLAGS.items() if rule.get("patterns") or rule.get("headings")}


def sentence_flags(text: str, section: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The flags a sentence carries whatever the draft's date ("old-material" depends on the draft)."""
    return tuple(flag for flag, (pattern, headings) in _rules().items()
                 if pattern and pattern.search(text) or any(h in s for s in section for h in headings))


def is_old(year: int | None, draft_year: int, max_age: int) -> bool:
    """Material more than `max_age` years older than the draft is flagged "old-material"."""
    return year is not None and draft_year - year > max_age


# Someone else's words: a sentence inside a direct quotation ("“我感觉到这里办事效率很好。"), or a plan
# someone outside the county's offices is reported to announce ("某镇相关负责人表示，将进一步加强……", a
# villager, an expert, a company). A bureau's reply neither drafts a citizen's quoted words as its progress
# nor a town's or company's intentions as its own plan (a county office's head announcing its plan is
# fine). Reported progress ("据负责人介绍，已汇聚数据1.6亿条") stays: compose drops the lead-in.
_SPEAKER = re.compile(r"(?:(?:镇|乡|街道|村|社区|企业|公司)(?:相关)?负责人|镇长|乡长|村长|村(?:党支部)?书记|村民|群众|市民|居民|"
                      r"专家|学者)[^，。；,;“”]{0,12}?(?:表示|说|称|坦言|介绍|透露|告诉记者)[，,：:]")
_SPEECH_TAG = re.compile(r"(?:说|问|答|表示|称赞|称道|点赞|感慨|笑着|介绍)(?:道|说)?[。！!，,]?$|边说边")
_OPEN, _CLOSE = "“「", "”」"


def hearsay(sentences: list[str], tenses: list[str]) -> list[bool]:
    """Per sentence of a paragraph: whether it is someone else's words (see above)."""
    depth, result = 0, []  # quotation marks still open before the sentence
    for sentence, tense in zip(sentences, tenses):
        text = sentence.strip()
        closes_at = min((i for i, ch in enumerate(text) if ch in _CLOSE), default=-1)
        # A quotation that covers the sentence: it opens the sentence and closes at its end (or goes on),
        # not a quoted name at its head ("“一网通办”改革全面推进。").
        covers = text[:1] in _OPEN and (closes_at < 0 or closes_at >= len(text.rstrip("。！？!?；;")) - 1)
        # The narration that closes a quotation says who spoke ("朱某对中心的服务连连称赞。", "他说。").
        tag = bool(result) and result[-1] and bool(_SPEECH_TAG.search(text)) and len(text) <= 40
        result.append(depth > 0 or covers or tag or (tense == "plan" and bool(_SPEAKER.search(text))))
        depth = max(0, depth + sum(text.count(c) for c in _OPEN) - sum(text.count(c) for c in _CLOSE))
    return result
