"""When a document and its paragraphs were written: years from dates, titles and text."""
from __future__ import annotations

import datetime
import re

from ..models import ParsedDocument
from ..text.zh import YEAR as _YEAR

_LEADING_YEAR = re.compile(r"^\s*(?:\d+[.、]\s*|[（(][一二三四五六七八九十\d]+[）)]\s*|【[^】]*】)?\s*(19[89]\d|20\d\d)年")


def document_year(doc: ParsedDocument) -> int | None:
    """The year a document speaks of: its date, else a year in its title, else the latest year in its text."""
    this_year = datetime.date.today().year
    title_years = [int(y) for y in _YEAR.findall(doc.title) if int(y) <= this_year + 1]
    if doc.date:
        dated = int(doc.date[:4])
        # A report is published early the next year ("…2024年政府信息公开工作年度报告", dated 2025-01-06):
        # it speaks of the year its title names.
        if title_years and 0 <= dated - max(title_years) <= 1:
            return max(title_years)
        return dated
    if title_years:
        return max(title_years)
    text_years = [int(y) for b in doc.blocks for y in _YEAR.findall(b.text) if int(y) <= this_year]
    return max(text_years) if text_years else None


def paragraph_year(text: str, document_year: int | None) -> int | None:
    """A paragraph that opens with a year ("2012年，我市…") is of that year; otherwise of its document."""
    match = _LEADING_YEAR.match(text)
    if match and (document_year is None or int(match.group(1)) <= document_year):
        return int(match.group(1))
    return document_year
