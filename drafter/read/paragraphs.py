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
    PAIRS,
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
class Para(Line):
    """A mended paragraph: normalised text plus the markup hints of its first line, and whether that line
    was indented (a new paragraph in a hard-wrapped text)."""

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
        # Lines wider than each width, from one pass over the widths in order (not one pass per width).
        wider_than, seen = {}, sum(long.values())
        for width in sorted(long):
            seen -= long[width]
            wider_than[width] = seen
        for width in long:
            band = sum(long[w] for w in range(width - tol, width + 1))
            band_cut = sum(cut[w] for w in range(width - tol, width + 1))
            wider = wider_than[width]
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


class _Growing:
    """A paragraph being mended, with what `_continues` asks of its text kept up to date as lines join:
    asking the whole text again at every line made a paragraph of n lines cost n² (a PDF of a few
    thousand pages whose every page break falls mid-sentence)."""

    _TAIL = 64  # enough to see how the text ends: the end punctuation, closers, a number

    def __init__(self, line: Line, text: str):
        self.line = line
        self.pieces = [text]
        self.tail = text[-self._TAIL:]
        self.width = display_width(text[:40])  # only whether it reaches 40 is asked
        self.open = [text.count(a) - text.count(b) for a, b in PAIRS]
        self.inside = len(_SENTENCE_INSIDE.findall(text))  # sentence punctuation anywhere, the end included

    def add(self, text: str) -> None:
        drop, space = _glue_parts(self.tail, text)
        if drop:
            self.pieces[-1] = self.pieces[-1][:-1]
            self.inside -= bool(_SENTENCE_INSIDE.match(self.tail[-1]))
        self.pieces.append(space + text)
        self.tail = (self.tail[:-1] if drop else self.tail) + space + text
        self.tail = self.tail[-self._TAIL:]
        if self.width < 40:
            self.width += display_width(space + text[:40])
        for n, (a, b) in enumerate(PAIRS):
            self.open[n] += text.count(a) - text.count(b)
        self.inside += len(_SENTENCE_INSIDE.findall(text))

    def has_open_pair(self) -> bool:
        return any(n > 0 for n in self.open)

    def punctuated_before_end(self) -> bool:
        return self.inside - bool(_SENTENCE_INSIDE.match(self.tail[-1])) > 0

    def para(self) -> Para:
        line = self.line
        return Para(text=normalise("".join(self.pieces)), heading=line.heading, level=line.level, title=line.title,
                    table=line.table, indented=is_indented(line.text))


def _continues(para: _Growing, last_raw: str, line: Line, text: str, layout: _Layout) -> bool:
    """Does `text` (the next non-blank line) carry on the paragraph built so far?"""
    first = para.line
    if first.heading or first.title or first.table or line.heading or line.title or line.table:
        return False
    if text[0] in CONTINUING_START:
        return True
    if ITEM_START.match(text) or MARKER.match(text):
        return False
    if layout.uses_indent and is_indented(line.text):
        return False
    body = para.tail
    if ends_sentence(body):
        # In an indented, hard-wrapped text a line that fills the width and the unindented line under
        # it are one paragraph even when the cut falls just after a full stop.
        return (layout.uses_indent and layout.wrapped and layout.is_full(last_raw)
                and not looks_like_heading(text))
    if body[-1] in CONTINUING_END or para.has_open_pair():
        return True
    if _NUMBER_TAIL.search(body) and _NUMBER_HEAD.match(text):
        return True
    if layout.wrapped and layout.is_full(last_raw):
        return True
    # A long prose paragraph that stops mid-sentence was cut (a page break in a pasted letter).
    return para.width >= 40 and para.punctuated_before_end() and not looks_like_heading(text)


def _glue_parts(left: str, right: str) -> tuple[bool, str]:
    """How two pieces of one paragraph join: (drop the left's last character, what goes between)."""
    if left.endswith("-") and len(left) > 1 and left[-2].isascii() and left[-2].isalpha() and right[:1].isalpha():
        return True, ""
    if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return False, " "
    return False, ""


def glue(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space between CJK, a space between Latin words."""
    drop, space = _glue_parts(left, right)
    return (left[:-1] if drop else left) + space + right


def mend(lines: Iterable[Line]) -> list[Para]:
    """Group lines into paragraphs: join wrapped lines and page-broken halves, keep headings apart."""
    lines = list(lines)
    layout = _layout(lines)
    paras: list[Para] = []
    current: _Growing | None = None
    last_raw = ""
    for line in lines:
        text = normalise(line.text)
        if not text:
            continue
        if current is not None and _continues(current, last_raw, line, text, layout):
            current.add(text)
        else:
            if current is not None:
                paras.append(current.para())
            current = _Growing(line, text)
        last_raw = line.text
    if current is not None:
        paras.append(current.para())
    return paras


# Longer than any real paragraph; a run past it (a text dump without punctuation or line breaks) is cut,
# so every later stage (sentences, place, segmentation) works on bounded pieces.
MAX_PARAGRAPH_CHARS = 3000
_SPLIT_AT = (re.compile(r"[。！？!?；;]+[”’」』）)\]】]*"), re.compile(r"[，,、：:]"))


def split_overlong(paras: list[Para]) -> list[Para]:
    """Paragraphs longer than MAX_PARAGRAPH_CHARS cut into pieces, at a sentence end where there is one,
    else at a comma, else at the limit."""
    out: list[Para] = []
    for para in paras:
        text = para.text
        if len(text) <= MAX_PARAGRAPH_CHARS:
            out.append(para)
            continue
        start = 0
        while len(text) - start > MAX_PARAGRAPH_CHARS:
            window = text[start:start + MAX_PARAGRAPH_CHARS]
            cut = len(window)
            for mark in _SPLIT_AT:
                ends = [m.end() for m in mark.finditer(window, MAX_PARAGRAPH_CHARS // 2)]
                if ends:
                    cut = ends[-1]
                    break
            out.append(replace(para, text=window[:cut].strip()))
            start += cut
        out.append(replace(para, text=text[start:].strip()))
    return [p for p in out if p.text]
