"""Typographic repair of pulled text, never a word changed, each repair recorded; and relative time words
(今年, 目前) in material older than the draft marked for the clerk."""
from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from ..models import Passage

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "，。；：、！？（）《》“”"
# PDF extraction puts spaces around digits and Latin words inside Chinese text: "于 2022 年", "16 个子项目".
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \u00a0\u3000]+(?=[0-9A-Za-z%])|"
                        rf"(?<=[0-9A-Za-z%])[ \u00a0\u3000]+(?=[{_CJK}{_CJK_PUNCT}])")
# Half-width brackets around Chinese text: "各县(市、区)" beside "各县（市、区）".
_HALF_BRACKETS = re.compile(rf"\(([^()]*[{_CJK}][^()]*)\)")
# Words that mean "the year / the time of writing": true of the source's year, not of the draft's.
RELATIVE_TIME = re.compile(r"今年|本年度|去年|明年|目前|当前|近日|日前|近期|眼下|截至目前")
_CONTEXT = 2  # characters of context each side of a recorded repair
RELATIVE_TIME_FLAG = "relative-time"
RELATIVE_TIME_NOTE = "时间用语（今年、目前、近日等）指材料成文之时，不是答复之时，请按答复日期核改"


def repair(text: str) -> tuple[str, list[dict[str, str]]]:
    """The text with spacing and brackets set as Chinese text is, and every change as {kind, from, to}: "from"
    is an excerpt of the stored text, "to" the same excerpt as the draft shows it."""
    fixed = _HALF_BRACKETS.sub(lambda m: f"（{m.group(1)}）", _CJK_SPACE.sub("", text))
    if fixed == text:
        return text, []
    # Changes closer than two contexts are one repair, so no excerpt's context holds another change and each
    # can be undone on its own.
    windows: list[list[int]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, text, fixed, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if windows and i1 - windows[-1][1] < 2 * _CONTEXT:
            windows[-1][1], windows[-1][3] = i2, j2
        else:
            windows.append([i1, i2, j1, j2])
    repairs = []
    for i1, i2, j1, j2 in windows:
        before = text[max(0, i1 - _CONTEXT):i2 + _CONTEXT]
        after = fixed[max(0, j1 - _CONTEXT):j2 + _CONTEXT]
        changed = text[i1:i2]
        kind = "+".join(k for k, hit in (("bracket", "(" in changed or ")" in changed),
                                         ("cjk-space", changed.isspace() or " " in changed)) if hit)
        repairs.append({"kind": kind, "from": before, "to": after})
    return fixed, repairs


def prepare(passage: Passage, draft_year: int) -> tuple[Passage, list[dict[str, str]]]:
    """A pulled passage as the draft shows it: repaired, and flagged when it speaks of "now" in an older year."""
    if passage.placeholder or not passage.sources:
        return passage, []
    text, repairs = repair(passage.text)
    flags = passage.flags
    years = [s.year for s in passage.sources if s.year]
    if years and max(years) < draft_year and RELATIVE_TIME.search(text) and RELATIVE_TIME_FLAG not in flags:
        flags = (*flags, RELATIVE_TIME_FLAG)
    return replace(passage, text=text, flags=flags,
                   repairs=tuple((r["kind"], r["from"], r["to"]) for r in repairs)), repairs


def relative_time_pieces(text: str) -> list[tuple[str, bool]]:
    """The text cut into (piece, is a relative time word), so the writer can highlight just the words."""
    pieces, position = [], 0
    for match in RELATIVE_TIME.finditer(text):
        if match.start() > position:
            pieces.append((text[position:match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces
