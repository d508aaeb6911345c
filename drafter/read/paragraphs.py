"""Mend paragraphs that hard wraps and page breaks cut into lines, without gluing headings to text."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from drafter.read.clean import (
    CONTINUING_END,
    CONTINUING_START,
    ITEM_START,
    MARKER,
    display_width,
    ends_sentence,
    has_open_pair,
    is_indented,
    is_short_plain,
    normalise,
)


@dataclass(frozen=True)
class Line:
    """One line (or one markup paragraph) as a reader found it, with what the markup says about it."""

    text: str
    # True: the markup says heading (Word style, <h3>); False: the markup says body text; None: guess.
    heading: bool | None = None
    level: int | None = None
    # The markup says this is the document title (Word "Title" style, the page's <h1>).
    title: bool = False
    # A table row: never joined to anything, never a heading.
    table: bool = False


@dataclass(frozen=True)
class Para:
    """A mended paragraph: normalised text plus the markup hints of its first line."""

    text: str
    heading: bool | None = None
    level: int | None = None
    title: bool = False
    table: bool = False
    indented: bool = False


@dataclass(frozen=True)
class _Layout:
    """What the whole document tells about its line layout."""

    uses_indent: bool
    is_full: Callable[[str], bool]  # True for a line that reaches the wrap width
    wrapped: bool


_SENTENCE_INSIDE = re.compile(r"[。！？!?；;，,：:]")
_NUMBER_TAIL = re.compile(r"[0-9０-９.．]$")
_NUMBER_HEAD = re.compile(r"^[0-9０-９%％万亿千百]")


def looks_like_heading(text: str) -> bool:
    """A short line without sentence punctuation: a heading, a caption, a name."""
    return is_short_plain(text) and not ends_sentence(text)


def _wrap_width(raws: list[str]) -> Callable[[str], bool] | None:
    """Find the width a hard-wrapped text was cut at, by characters or by display cells.

    Most lines of a wrapped paragraph reach the same width and stop mid-sentence; nothing is wider.
    """
    best: tuple[tuple[int, int, int], Callable[[str], int], int] | None = None
    for measure, floor, tol in ((len, 10, 1), (display_width, 20, 4)):
        values = [measure(r) for r in raws]
        long = Counter(v for v in values if v >= floor)
        if sum(long.values()) < 3:
            continue
        cut = Counter(v for r, v in zip(raws, values) if v >= floor and not ends_sentence(r))
        for width in long:
            band = sum(long[w] for w in range(width - tol, width + 1))
            band_cut = sum(cut[w] for w in range(width - tol, width + 1))
            wider = sum(n for w, n in long.items() if w > width)
            if band < 3 or band < 0.3 * sum(long.values()) or wider > max(1, 0.05 * len(values)):
                continue
            if band_cut < 0.5 * band:
                continue
            # Lines cut mid-sentence are the evidence; on a tie the character count (tried first) wins.
            key = (band_cut, band, width)
            if best is None or key[:2] > best[0][:2] or (key[:2] == best[0][:2] and measure is best[1]
                                                          and width > best[0][2]):
                best = (key, measure, tol)
    if best is None:
        return None
    (_, _, width), measure, tol = best
    return lambda raw: measure(raw.rstrip()) >= width - tol


def _layout(lines: list[Line]) -> _Layout:
    plain = [ln.text.rstrip() for ln in lines if ln.text.strip() and ln.heading is None and not ln.table]
    indented = sum(1 for raw in plain if is_indented(raw))
    full = _wrap_width(plain)
    return _Layout(uses_indent=indented >= 2, is_full=full or (lambda raw: False), wrapped=full is not None)


def _continues(para: Para, last_raw: str, line: Line, text: str, layout: _Layout) -> bool:
    """Does `text` (the next non-blank line) carry on the paragraph built so far?"""
    if para.heading or para.title or para.table or line.heading or line.title or line.table:
        return False
    if text[0] in CONTINUING_START:
        return True
    if ITEM_START.match(text) or MARKER.match(text):
        return False
    if layout.uses_indent and is_indented(line.text):
        return False
    body = para.text
    if ends_sentence(body):
        # In an indented, hard-wrapped text a line that fills the width and the unindented line under
        # it are one paragraph even when the cut falls just after a full stop.
        return (layout.uses_indent and layout.wrapped and layout.is_full(last_raw)
                and not looks_like_heading(text))
    if body[-1] in CONTINUING_END or has_open_pair(body):
        return True
    if _NUMBER_TAIL.search(body) and _NUMBER_HEAD.match(text):
        return True
    if layout.wrapped and layout.is_full(last_raw):
        return True
    # A long prose paragraph that stops mid-sentence was cut (a page break in a pasted letter).
    return (display_width(body) >= 40 and bool(_SENTENCE_INSIDE.search(body[:-1]))
            and not looks_like_heading(text))


def glue(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space between CJK, a space between Latin words."""
    if left.endswith("-") and len(left) > 1 and left[-2].isascii() and left[-2].isalpha() and right[:1].isalpha():
        return left[:-1] + right
    if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return left + " " + right
    return left + right


def mend(lines: Iterable[Line]) -> list[Para]:
    """Group lines into paragraphs: join wrapped lines and page-broken halves, keep headings apart."""
    lines = list(lines)
    layout = _layout(lines)
    paras: list[Para] = []
    current: Para | None = None
    last_raw = ""
    for line in lines:
        text = normalise(line.text)
        if not text:
            continue
        if current is not None and _continues(current, last_raw, line, text, layout):
            current = replace(current, text=normalise(glue(current.text, text)))
        else:
            if current is not None:
                paras.append(current)
            current = Para(text=text, heading=line.heading, level=line.level, title=line.title,
                           table=line.table, indented=is_indented(line.text))
        last_raw = line.text
    if current is not None:
        paras.append(current)
    return paras
