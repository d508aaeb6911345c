"""Traditional characters (隨縣, 辦不成事) read as simplified: the store, the search and the reply are simplified."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc  # phrase-aware conversion (OpenCC's t2s tables), not a character map
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """The text in simplified characters; simplified text comes back unchanged."""
    if text.isascii():
        return text
    return _converter().convert(text)
