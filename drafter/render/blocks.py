"""Layout blocks: what a rendered template becomes before the .docx writer typesets it."""
from __future__ import annotations

from dataclasses import dataclass

from ..models import SourceRef

# Block styles a template may use; the .docx writer owns how each looks.
STYLES = (
    "unit",        # issuing unit, above the title
    "category",    # reply category (A类), top right
    "title",       # 2号 小标宋, centred
    "salutation",  # "李惠英委员：", flush left
    "body",        # ordinary paragraph, first line indented 2 characters
    "h1",          # 一、 heading (黑体)
    "h2",          # （一） heading (楷体)
    "item",        # 1. numbered item (仿宋)
    "subitem",     # （1） numbered item (仿宋)
    "closing",     # 感谢您对…: kept on the page of the sign-off
    "signoff",     # 负责人/承办人/联系电话 lines, right part of the page
    "signature",   # the issuing unit's name above the date (落款), right aligned
    "date",        # date line, right aligned
    "publicity",   # 此件公开发布, lower left
    "cc",          # 抄送 line
)


@dataclass(frozen=True)
class Span:
    """A run of text inside a block: template text, or a pulled passage with its sources."""

    text: str
    sources: tuple[SourceRef, ...] = ()
    placeholder: bool = False
    flags: tuple[str, ...] = ()
    # The format's own standing sentence (no source): the draft marks it so it is not taken for material.
    standing: bool = False


@dataclass(frozen=True)
class LayoutBlock:
    """One paragraph of the draft with its style; `number` is generated ("一、", "1."), never typed."""

    style: str
    spans: tuple[Span, ...]
    number: str = ""

    @property
    def text(self) -> str:
        return self.number + "".join(s.text for s in self.spans)
