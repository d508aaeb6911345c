"""Chinese text rules every stage shares: sentence-ending punctuation, list numbers, years."""
from __future__ import annotations

import re

# Punctuation that ends a sentence (full-width and the ASCII twins sources mix in).
SENTENCE_ENDS = "。！？；!?;"
SENTENCE_END = re.compile(f"[{SENTENCE_ENDS}]")

CHINESE_NUMERALS = "一二三四五六七八九十"

# A list number a source put before its item ("1. ", "（二）", "3、", "一、"): layout, not content.
LIST_NUMBER = re.compile(
    rf"^\s*(?:[0-9]{{1,2}}[.．、]\s*|[（(][{CHINESE_NUMERALS}0-9]{{1,3}}[）)]\s*|[{CHINESE_NUMERALS}]{{1,3}}、\s*)")

# A year as documents write it (1980–2099), not inside a longer number.
YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")

# An item's number or an inline enumeration ("一是", "二是") at the start of a sentence.
ITEM_LEAD = re.compile(rf"{LIST_NUMBER.pattern}|^\s*[{CHINESE_NUMERALS}]{{1,3}}是")
