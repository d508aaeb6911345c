"""Numbering labels (一、 （一） 1. （1）), typed or Word's automatic ones, and Chinese numerals."""
from __future__ import annotations

import re
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from ..render.template import chinese_number

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
LEVEL_NAMES = {1: "一级（一、）", 2: "二级（（一））", 3: "三级（1.）", 4: "四级（（1））"}

# GB/T 9704's four levels, with the loose forms hand-made replies use (1、, (1), (一)).
_LABELS = (
    (1, re.compile(r"^\s*([一二三四五六七八九十]{1,3})、")),
    (2, re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]")),
    (3, re.compile(r"^\s*([0-9０-９]{1,2})(?:[.．](?![0-9])|、)")),
    (4, re.compile(r"^\s*[（(]([0-9０-９]{1,2})[）)]")),
)


@dataclass(frozen=True)
class Label:
    """A paragraph's leading number: its level (1 一、 … 4 （1）), value, and where its numeral stands."""

    level: int
    value: int
    start: int
    end: int
    automatic: bool = False

    def written(self, value: int, original: str) -> str:
        """The numeral for `value` in the form the paragraph already uses (Chinese, or digits)."""
        if original and original[0] in "一二三四五六七八九十":
            return chinese_number(value)
        return str(value)


def chinese_value(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十一 → 21; digit by digit for 二〇二四 → 2024."""
    if not text:
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    digits = [_CN_DIGITS.get(ch) for ch in text]
    if None in digits:
        return None
    value = 0
    for d in digits:
        value = value * 10 + d
    return value


def half_width(text: str) -> str:
    return text.translate({0xFF10 + i: 0x30 + i for i in range(10)})


def parse_label(text: str, automatic: bool = False) -> Label | None:
    for level, pattern in _LABELS:
        m = pattern.match(text)
        if m:
            raw = m.group(1)
            value = int(half_width(raw)) if raw[0] not in _CN_DIGITS and raw[0] != "十" else chinese_value(raw)
            if value:
                return Label(level, value, m.start(1), m.end(1), automatic)
    return None


# --- Word's automatic numbering (w:numPr) ---------------------------------------------------------

def _format(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "taiwaneseCounting", "chineseLegalSimplified"):
        return chinese_number(value)
    if fmt == "decimalFullWidth":
        return str(value).translate({0x30 + i: 0xFF10 + i for i in range(10)})
    if fmt in ("decimal", "decimalZero", ""):
        return f"{value:02d}" if fmt == "decimalZero" else str(value)
    return ""  # bullets and letters are not GB/T levels


class AutoNumbers:
    """Computes the label Word shows before each automatically numbered paragraph, in document order."""

    def __init__(self, document):
        self._nums, self._abstracts = {}, {}
        part = next((rel.target_part for rel in document.part.rels.values()
                     if rel.reltype == RT.NUMBERING and not rel.is_external), None)
        if part is not None:
            root = part.element
            for abstract in root.findall(qn("w:abstractNum")):
                self._abstracts[abstract.get(qn("w:abstractNumId"))] = {
                    lvl.get(qn("w:ilvl")): lvl for lvl in abstract.findall(qn("w:lvl"))}
            for num in root.findall(qn("w:num")):
                ref = num.find(qn("w:abstractNumId"))
                overrides = {}
                for o in num.findall(qn("w:lvlOverride")):
                    start = o.find(qn("w:startOverride"))
                    if start is not None:
                        overrides[o.get(qn("w:ilvl"))] = int(start.get(qn("w:val")))
                self._nums[num.get(qn("w:numId"))] = (ref.get(qn("w:val")) if ref is not None else None, overrides)
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()

    def level_ppr(self, num_id: str, ilvl: int):
        """The w:pPr of the list level (its indents), or None."""
        abstract_id = self._nums.get(num_id, (None, {}))[0]
        lvl = self._abstracts.get(abstract_id, {}).get(str(ilvl))
        return lvl.find(qn("w:pPr")) if lvl is not None else None

    def label(self, num_id: str, ilvl: int) -> str:
        """The label text ("1.", "（一）") for the next paragraph of list `num_id` at level `ilvl`."""
        if num_id not in self._nums:
            return ""
        abstract_id, overrides = self._nums[num_id]
        levels = self._abstracts.get(abstract_id, {})
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:
            # A list instance with its own start value begins again where it is first used.
            self._started.add(num_id)
            for lvl, start in overrides.items():
                counters[int(lvl)] = start - 1
        lvl = levels.get(str(ilvl))
        if lvl is None:
            return ""
        start_el = lvl.find(qn("w:start"))
        start = int(start_el.get(qn("w:val"))) if start_el is not None else 1
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text_el, fmt_el = lvl.find(qn("w:lvlText")), lvl.find(qn("w:numFmt"))
        pattern = text_el.get(qn("w:val")) if text_el is not None else ""
        fmt = fmt_el.get(qn("w:val")) if fmt_el is not None else "decimal"

        def level_value(m):
            k = int(m.group(1)) - 1
            k_fmt = levels[str(k)].find(qn("w:numFmt")) if str(k) in levels else None
            return _format(counters.get(k, 1), k_fmt.get(qn("w:val")) if k_fmt is not None else fmt)

        return re.sub(r"%(\d)", level_value, pattern)
