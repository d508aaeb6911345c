"""Typesetting settings for the .docx writer (GB/T 9704-2012 defaults) and measures of text."""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Mapping

MM_PER_INCH = 25.4
TWIPS_PER_PT = 20
# Renderers measure a little wider than the fonts' advances; lines keep this much slack.
TITLE_SLACK_CHARS = 0.5
CHAR_SLACK_PT = 0.05
_NO_LINE_START = set("，。、；：？！）》」』】〕…—·,.;:?!)%")
_NO_LINE_END = set("（《「『【〔(")
# A title line reads best ending after these (…会议 / 第0395号提案的答复, 关于 / …的提案).
_GOOD_LINE_ENDS = set("于的议号》")


def mm_to_twips(mm: float) -> int:
    """Millimetres to twentieths of a point (the unit of most WordprocessingML lengths)."""
    return round(mm / MM_PER_INCH * 72 * TWIPS_PER_PT)


@dataclass(frozen=True)
class Layout:
    """Page, grid and font settings; a profile's [layout] table overrides any of them.

    The defaults are the GB/T 9704-2012 ones: A4, margins 37/35/28/26 mm (a 156 x 225 mm
    text block), 22 lines of 28 characters, 仿宋_GB2312 16 pt body, 方正小标宋简体 22 pt title.
    The "compensated" variant some offices print with is just other values (34.6/32.6 mm,
    29.6 pt lines).
    """

    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    margin_top_mm: float = 37.0
    margin_bottom_mm: float = 35.0
    margin_left_mm: float = 28.0
    margin_right_mm: float = 26.0
    # Distance from the page's bottom edge to the bottom of the page-number line: puts the
    # "— N —" line about 7 mm below the text block, as the standard asks.
    footer_distance_mm: float = 25.0
    header_distance_mm: float = 15.0
    lines_per_page: int = 22
    chars_per_line: int = 28
    line_spacing_pt: float = 28.95
    title_font: str = "方正小标宋简体"
    title_size_pt: float = 22.0
    body_font: str = "仿宋_GB2312"
    body_size_pt: float = 16.0
    h1_font: str = "黑体"
    h2_font: str = "楷体_GB2312"
    # Empty: the body font, as the standard sets levels 3 and 4 in 仿宋.
    item_font: str = ""
    latin_font: str = "Times New Roman"
    page_number_font: str = "宋体"
    page_number_size_pt: float = 14.0
    first_line_indent_chars: float = 2.0
    date_right_indent_chars: float = 4.0
    # Signoff lines (负责人, 联系电话) start this many characters in from the left margin.
    signoff_indent_chars: float = 14.0
    cc_size_pt: float = 14.0

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.type == "str":
                if not isinstance(value, str):
                    raise ValueError(f"排版设置 {f.name} 应为字体名称，而不是 {value!r}")
            elif f.type == "int" and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"排版设置 {f.name} 应为整数，而不是 {value!r}")
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"排版设置 {f.name} 应为数值，而不是 {value!r}")
            elif value < 0 or (value == 0 and f.name in _POSITIVE):
                raise ValueError(f"排版设置 {f.name} 应为正数，而不是 {value!r}")
            elif value > _LARGEST.get(f.name[-3:], 1000):
                raise ValueError(f"排版设置 {f.name} = {value!r} 过大")
        if self.text_width_mm <= 0 or self.text_height_mm <= 0:
            raise ValueError("页边距过大，页面上没有留下排字的地方")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "Layout":
        """Build a Layout from a profile's [layout] table; an unknown key is a ValueError naming it."""
        known = {f.name for f in dataclasses.fields(cls)}
        for key in data:
            if key not in known:
                raise ValueError(f"没有名为 {key!r} 的排版设置；可用的设置：{'、'.join(sorted(known))}")
        return cls(**dict(data))

    # --- derived measures ---------------------------------------------------------------

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def text_height_mm(self) -> float:
        return self.page_height_mm - self.margin_top_mm - self.margin_bottom_mm

    @property
    def line_pitch_twips(self) -> int:
        """Grid line pitch; rounded down so that lines_per_page lines always fit."""
        return int(mm_to_twips(self.text_height_mm) / self.lines_per_page)

    @property
    def char_space(self) -> int:
        """w:docGrid/@w:charSpace: extra pitch per character, in 1/4096 pt, over the body size.

        Word lays out chars_per_line body characters a line when the character pitch is
        text width / chars_per_line; the attribute states the difference from the font size.
        """
        pitch_pt = self.text_width_mm / MM_PER_INCH * 72 / self.chars_per_line
        # Rounded down: a pitch a hair too wide would push the 28th character to the next line.
        return math.floor((pitch_pt - self.body_size_pt) * 4096)

    @property
    def char_pitch_pt(self) -> float:
        return self.body_size_pt + self.char_space / 4096

    @property
    def condense_twentieths(self) -> int:
        """How much to narrow body-size characters (w:spacing) so chars_per_line fill a line.

        The paragraphs stay off the character grid (LibreOffice breaks grid-snapped 16 pt
        text after 14 characters), so the condensing does the grid's work: 0.3 pt for 16 pt
        on the 156 mm line. The exact need is 0.21 pt, but LibreOffice measures a hair wider
        than the font's advance and needs the slack.
        """
        excess = self.body_size_pt - self.char_pitch_pt + CHAR_SLACK_PT
        return math.ceil(round(excess * 20, 6)) if excess > 0 else 0

    @property
    def line_spacing_twips(self) -> int:
        return round(self.line_spacing_pt * TWIPS_PER_PT)

    @property
    def body_char_twips(self) -> int:
        """One body character, the unit of the first-line and date indents."""
        return round(self.body_size_pt * TWIPS_PER_PT)

    @property
    def item_font_name(self) -> str:
        return self.item_font or self.body_font


# Upper bounds by unit (mm, pt, chars …): a value past them is a typo, and would make a page no reader opens.
_LARGEST = {"_mm": 2000, "_pt": 200}

_POSITIVE = {
    "page_width_mm", "page_height_mm", "lines_per_page", "chars_per_line", "line_spacing_pt",
    "title_size_pt", "body_size_pt", "page_number_size_pt", "cc_size_pt",
}


def text_width_chars(text: str) -> float:
    """Width in body characters: Latin letters and digits (Times New Roman) count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def balance_title(text: str, layout: Layout) -> list[str]:
    """Split a title too long for one line into lines of about equal width.

    GB/T 9704 wants a long title broken into balanced lines that keep words whole,
    not a full line and an orphaned "复". Latin letters and digits count half a character.
    """
    width_pt = layout.text_width_mm / MM_PER_INCH * 72
    capacity = int(width_pt / layout.title_size_pt - TITLE_SLACK_CHARS)
    widths = [0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text]
    total = sum(widths)
    if total <= capacity or capacity < 2:
        return [text]
    n_lines = math.ceil(total / capacity)
    lines, start, done = [], 0, 0.0
    for i in range(1, n_lines):
        ideal = total * i / n_lines
        best, best_score, run = None, 0.0, done
        for pos in range(start + 1, len(text)):
            run += widths[pos - 1]
            if run - done > capacity:
                break
            if not _may_break(text, pos):
                continue
            score = abs(run - ideal) - (1.5 if text[pos - 1] in _GOOD_LINE_ENDS else 0)
            if best is None or score < best_score:
                best, best_score, best_run = pos, score, run
        if best is None:
            return [text]
        lines.append(text[start:best])
        start, done = best, best_run
    if total - done > capacity:  # the balanced breaks left too much over: let the reader wrap
        return [text]
    lines.append(text[start:])
    return lines


def _may_break(text: str, pos: int) -> bool:
    """Whether a line may end before text[pos]: not inside a number or Latin word, and
    no closing mark at the start of a line or opening mark at the end of one."""
    before, after = text[pos - 1], text[pos]
    if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
        return False
    return after not in _NO_LINE_START and before not in _NO_LINE_END
