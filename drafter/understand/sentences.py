"""Sentence splitting that keeps every character, so sentences join back into their paragraph."""
from __future__ import annotations

import re

from ..text.zh import ITEM_LEAD, SENTENCE_ENDS

# A sentence ends at 。！？； (and their ASCII twins), together with any closing quotes or brackets.
_END = re.compile(rf"[^{SENTENCE_ENDS}]*(?:[{SENTENCE_ENDS}]+[”’」』）)\]】]*|$)")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; "".join(result) == text."""
    parts = [m.group() for m in _END.finditer(text) if m.group()]
    return parts or [text]


# A label: a short item heading written as a sentence ("(一)拓宽政务公开渠道。", "1.加强用权公开。",
# "主动公开方面。", "三是创新公开形式。"): an item number (or …方面/…情况) and a few words, no clause break.
# It says nothing alone: a paragraph that is only a label is a heading, and a draft never keeps a label
# without the sentence that follows it.
_LABEL_END = re.compile(r"(?:方面|情况)[。:：]?\s*$")
# "全年未发生行政复议情况。" ends like a label but states a fact.
_STATEMENT = re.compile(r"[未没无已了均共]")


def is_label(sentence: str) -> bool:
    text = sentence.strip()
    if not text or len(text) > 24 or re.search(r"[，,；;：:]\s*\S", text) or re.search(r"[0-9]{2,}", ITEM_LEAD.sub("", text)):
        return False
    return bool(ITEM_LEAD.match(text) or (_LABEL_END.search(text) and not _STATEMENT.search(text)))
