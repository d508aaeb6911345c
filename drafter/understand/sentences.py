"""Sentence splitting that keeps every character, so sentences join back into their paragraph."""
from __future__ import annotations

import re

from ..text.zh import SENTENCE_ENDS

# A sentence ends at 。！？； (and their ASCII twins), together with any closing quotes or brackets.
_END = re.compile(rf"[^{SENTENCE_ENDS}]*(?:[{SENTENCE_ENDS}]+[”’」』）)\]】]*|$)")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; "".join(result) == text."""
    parts = [m.group() for m in _END.finditer(text) if m.group()]
    return parts or [text]
