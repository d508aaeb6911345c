"""Turn a reader's lines into a ParsedDocument: title, chrome to context, sections, no repeats."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from drafter.errors import ReadError
from drafter.models import Block, ParsedDocument
from drafter.read.clean import (
    ITEM_START,
    MARKER,
    URL,
    comparable,
    dateline_date,
    ends_sentence,
    is_byline,
    is_category,
    is_chrome,
    is_citation,
    is_signature_label,
    is_unit_name,
    labelled_date,
    normalise,
    numbered_heading_level,
)
from drafter.read.paragraphs import MAX_PARAGRAPH_CHARS, Line, Para, looks_like_heading, mend, split_overlong
from drafter.read.script import to_simplified
from drafter.text.dedupe import NearRepeats

EMPTY_MESSAGE = "文件为空，没有可读的文字"
EMPTY_HINT = "请确认选对了文件；如果文件在别的软件里能看到文字，请另存为 .docx 或 UTF-8 编码的 .txt 再导入"
NO_BODY_MESSAGE = "文件里没有找到正文段落（只有标题或网页框架文字）"
NO_BODY_HINT = "请确认文件是完整的材料；网页请保存正文页面，而不是栏目页或首页"

_TITLE_MAX = 40
# A yearbook marker for a level below every numbered heading: it lasts until the next marker or heading.
_MARKER_LEVEL = 99
_ABSTRACT_NAMES = {"摘要", "内容摘要", "提要", "内容提要", "导读"}
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?；;])")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CITATION_YEAR = re.compile(r"年鉴\s*[（(]?\s*((?:19|20)\d{2})")
_CAPTION_START = re.compile(r"^\d{1,2}月\d{1,2}日")
# Title words of a report or plan (工作总结, 年度报告, 工作要点, 工作计划…): one list for every format.
_REPORT_WORDS = ("总结", "报告", "情况", "汇报", "要点", "综述", "任务", "打算", "计划")


@dataclass
class _Dates:
    """Dates the document states, by how much they can be trusted."""

    labelled: list[str] = field(default_factory=list)  # 发布时间 / 日期 lines, page metadata
    datelines: list[str] = field(default_factory=list)  # "晋城日报 2024-11-12", a sign-off date
    years: list[str] = field(default_factory=list)  # 《晋城年鉴（2016）》

    def best(self, title: str) -> str | None:
        for found in (self.labelled, self.datelines, self.years):
            if found:
                return found[0]
        match = _TITLE_YEAR.search(title)
        return match.group(1) if match else None


def _is_title_like(text: str) -> bool:
    return (len(text) <= _TITLE_MAX and not ends_sentence(text) and not ITEM_START.match(text)
            and not MARKER.match(text) and dateline_date(text) is None and "，" not in text)


def _strip_chrome(lines: Iterable[Line], context: list[str], dates: _Dates) -> list[Line]:
    """Send web chrome, bylines and addresses to the context; keep the rest (blank lines too)."""
    kept: list[Line] = []
    for line in lines:
        text = normalise(line.text)
        spaced = " ".join(line.text.replace("\u3000", " ").split())
        if text and not line.table and not line.title and line.heading is not True:
            if is_chrome(text) or is_chrome(spaced) or is_byline(text):
                context.append(text)
                if date := labelled_date(text):
                    dates.labelled.append(date)
                elif date := dateline_date(URL.sub("", text)):
                    dates.datelines.append(date)
                continue
            urls = URL.findall(line.text)
            if urls:
                context.extend(u.strip() for u in urls)
                line = Line(URL.sub("", line.text), line.heading, line.level, line.title, line.table)
        kept.append(line)
    return kept


def _take_title(lines: list[Line], context: list[str], given: str | None) -> tuple[str | None, list[Line]]:
    """Find the title; unit and category lines above it go to the context."""
    texts = [normalise(ln.text) for ln in lines]
    marked = next((i for i, ln in enumerate(lines) if ln.title and texts[i]), None)
    if given is None and marked is not None:
        given = texts[marked]
    if given is not None:
        title_at = marked if marked is not None else next((i for i, t in enumerate(texts) if t == given), None)
        if title_at is not None:
            for i in range(title_at):
                if texts[i] and len(texts[i]) <= _TITLE_MAX and not lines[i].table:
                    context.append(texts[i])
                    texts[i] = ""
        return given, _drop_repeats(lines, texts, given)
    filled = [i for i, t in enumerate(texts) if t]
    for n, i in enumerate(filled[:6]):
        text = texts[i]
        if is_category(text):
            context.append(text)
            texts[i] = ""
            continue
        later = [texts[j] for j in filled[n + 1:n + 4]]
        if is_unit_name(text) and any(_is_title_like(t) and not is_unit_name(t) for t in later):
            context.append(text)
            texts[i] = ""
            continue
        if _is_title_like(text) and numbered_heading_level(text) is None and not lines[i].table:
            return text, _drop_repeats(lines, texts, text)
        break
    return None, _drop_repeats(lines, texts, None)


def _drop_repeats(lines: list[Line], texts: list[str], title: str | None) -> list[Line]:
    """Lines with their cleared entries blanked, and the title's repeats (a scraped page prints it twice) gone."""
    out = []
    for line, text in zip(lines, texts):
        if not text or (title and text == title):
            out.append(Line(""))
        else:
            out.append(line)
    return out


def _sort_out_meta(paras: list[Para], context: list[str], dates: _Dates) -> list[Para]:
    """Datelines, sign-off labels, the unit above a sign-off date and citations go to the context."""
    kept: list[Para] = []
    meta_at: list[bool] = []
    for para in paras:
        text = para.text
        meta = False
        if not para.table and para.heading is not True:
            date = dateline_date(text)
            if date:
                dates.datelines.append(date)
                meta = True
            elif is_signature_label(text) or is_category(text) or is_chrome(text):
                meta = True
            elif is_citation(text):
                if year := _CITATION_YEAR.search(text):
                    dates.years.append(year.group(1))
                meta = True
        meta_at.append(meta)
    for i, para in enumerate(paras):
        if not meta_at[i] and is_unit_name(para.text) and para.heading is not True:
            # "阳城县卫生健康和体育局" just above the sign-off date, or alone at the very end.
            rest = [j for j in range(i + 1, len(paras)) if not meta_at[j]]
            if not rest and (i + 1 == len(paras) or meta_at[i + 1]):
                meta_at[i] = True
    for para, meta in zip(paras, meta_at):
        (context.append(para.text) if meta else kept.append(para))
    return kept


_GUESSED_HEADING_MAX = 26
_REPEAT_WINDOW = 300
_NEAR = 0.9  # bigram Jaccard similarity above which two paragraphs are one


def _heading_level(para: Para, prev: tuple[Para, int | None] | None, is_last: bool, guess: bool) -> int | None:
    """The outline level of a heading paragraph, or None for body text."""
    text = para.text
    if para.table:
        return None
    if para.heading:
        return para.level or numbered_heading_level(text) or 1
    if len(text) <= _TITLE_MAX and not ends_sentence(text) and "。" not in text:
        level = numbered_heading_level(text)
        if level:
            return level
    if para.heading is None and guess and not is_last and looks_like_heading(text) \
            and len(text) <= _GUESSED_HEADING_MAX \
            and not _CAPTION_START.match(text) and not ITEM_START.match(text):
        # A subtitle right under a heading ("整合" / "数据汇聚共享…") nests one level deeper.
        return (prev[1] + 1) if prev and prev[1] else 1
    return None


def _sections(paras: list[Para], guess: bool) -> tuple[list[Block], list[int], set[str]]:
    """Blocks with their sections; also the indexes of 【摘要】 blocks and the yearbook marker names."""
    blocks: list[Block] = []
    abstracts: list[int] = []
    markers: set[str] = set()
    stack: list[tuple[int, str]] = []
    prev: tuple[Para, int | None] | None = None
    for n, para in enumerate(paras):
        section = tuple(name for _, name in stack)
        marker = MARKER.match(para.text) if not para.table else None
        if marker:
            name, rest = marker.group(1).strip(), para.text[marker.end():].strip()
            if name in _ABSTRACT_NAMES:
                if rest:
                    abstracts.append(len(blocks))
                    blocks.append(Block(rest, section + (name,)))
                prev = (para, None)
                continue
            while stack and stack[-1][0] >= _MARKER_LEVEL:
                stack.pop()
            section = tuple(name_ for _, name_ in stack)
            stack.append((_MARKER_LEVEL, name))
            markers.add(name)
            blocks.append(Block(rest, section + (name,)) if rest else Block(name, section, heading=True))
            prev = (para, None)
            continue
        level = _heading_level(para, prev, n == len(paras) - 1, guess)
        if level is None:
            blocks.append(Block(para.text, section, table=para.table))
        else:
            while stack and stack[-1][0] >= level:
                stack.pop()
            blocks.append(Block(para.text, tuple(name for _, name in stack), heading=True))
            stack.append((level, para.text))
        prev = (para, level)
    return blocks, abstracts, markers


def _abstract_repeats_body(abstract: str, body: str) -> bool:
    sentences = [comparable(s) for s in _SENTENCE_SPLIT.split(abstract)]
    sentences = [s for s in sentences if len(s) >= 6]
    return bool(sentences) and sum(s in body for s in sentences) >= 0.6 * len(sentences)


def _drop_repeats_of_body(blocks: list[Block], abstracts: list[int]) -> list[Block]:
    """Drop an abstract that repeats the body, and exact or near repeats of a paragraph (first kept)."""
    keys = [comparable(b.text) for b in blocks]
    body = "\n".join(k for i, k in enumerate(keys) if i not in abstracts)
    dropped = {i for i in abstracts if _abstract_repeats_body(blocks[i].text, body)}
    kept: list[int] = []
    first_of: dict[str, int] = {}
    near = NearRepeats(_NEAR, corpus=[k for k in keys if len(k) >= 30])
    for i, block in enumerate(blocks):
        key = keys[i]
        if i in dropped:
            continue
        if block.heading or block_is_short(key):
            kept.append(i)
            continue
        if key in first_of:
            continue
        # Repeats cut short or grown sit near each other (a page's abstract, a reposted paragraph):
        # a window keeps long documents linear.
        window = [j for j in kept[-_REPEAT_WINDOW:] if not blocks[j].heading and not block_is_short(keys[j])]
        if len(key) >= 15 and any(key in keys[j] for j in window):
            continue
        longer_of = next((j for j in window if len(keys[j]) >= 15 and keys[j] in key), None)
        if longer_of is not None:
            # The earlier copy was cut short: keep the full text where the paragraph first appeared.
            blocks[longer_of] = Block(block.text, blocks[longer_of].section, blocks[longer_of].heading,
                                      blocks[longer_of].table)
            keys[longer_of] = key
            if len(key) >= 30:
                near.add(longer_of, key)
            continue
        if len(key) >= 30:
            if near.repeats(key, since=window[0] if window else 0):
                continue
            near.add(i, key)
        kept.append(i)
        first_of[key] = i
    return [blocks[i] for i in kept]


def _simplified(block: Block) -> Block:
    text = to_simplified(block.text)
    if text == block.text:
        return block
    return Block(text, tuple(map(to_simplified, block.section)), block.heading, block.table, converted=True)


def block_is_short(key: str) -> bool:
    """Too short to call a repeat: "全年无事故。" may well be said twice."""
    return len(key) < 8


def _guess_kind(title: str, context: str, markers: set[str], default: str) -> str:
    if "年鉴" in title or "年鉴" in context or len(markers) >= 2:
        return "yearbook"
    if "答复" in title:
        return "reply"
    if any(word in title for word in _REPORT_WORDS):
        return "report"
    return default


# Runs of text this long without a single stop or comma are not prose (a dump of data, OCR gone wrong,
# random bytes that decoded): a little is cut into pieces, this much in one file refuses the file, in
# one regex pass, before any slower stage is spent on it.
_UNPUNCTUATED_RUN = re.compile(r"[^。！？!?；;，,、：:\n]{%d,}" % MAX_PARAGRAPH_CHARS)
MAX_UNPUNCTUATED_CHARS = 200_000
UNPUNCTUATED_MESSAGE = "文件中有大量没有标点的文字（约 {} 万字），不像公文、报告或网页材料，未导入"
UNPUNCTUATED_HINT = "请确认选对了文件；如确是需要的材料，请整理出正文（带标点的段落）另存为 .txt 或 .docx 再导入"


def _refuse_unpunctuated(lines: list[Line]) -> None:
    text = "".join(ln.text for ln in lines if not ln.table)  # lines joined: hard wraps do not hide a run
    total = 0
    for run in _UNPUNCTUATED_RUN.finditer(text):
        total += run.end() - run.start()
        if total > MAX_UNPUNCTUATED_CHARS:
            raise ReadError(UNPUNCTUATED_MESSAGE.format(max(1, len(text) // 10000)), UNPUNCTUATED_HINT)


def build(
    lines: Iterable[Line],
    *,
    fallback_title: str,
    default_kind: str = "news",
    guess_headings: bool = True,
    title: str | None = None,
    context: Iterable[str] = (),
    dates: Iterable[str] = (),
) -> ParsedDocument:
    """Assemble a ParsedDocument from a reader's lines.

    `title` is a title the reader already knows (an HTML <h1>); `context` and `dates` are chrome text and
    stated dates the reader found outside the lines (page metadata, footers).
    """
    lines = list(lines)
    _refuse_unpunctuated(lines)
    if not any(normalise(ln.text) for ln in lines):
        raise ReadError(EMPTY_MESSAGE, EMPTY_HINT)
    found_context = [normalise(c) for c in context if normalise(c)]
    found = _Dates(labelled=[d for d in dates if d])
    found.labelled.extend(d for c in found_context if (d := labelled_date(c)))
    kept = _strip_chrome(lines, found_context, found)
    found_title, kept = _take_title(kept, found_context, title)
    paras = _sort_out_meta(split_overlong(mend(kept)), found_context, found)
    blocks, abstracts, markers = _sections(paras, guess_headings)
    blocks = _drop_repeats_of_body(blocks, abstracts)
    if not any(not b.heading for b in blocks):
        raise ReadError(NO_BODY_MESSAGE, NO_BODY_HINT)
    blocks = [_simplified(b) for b in blocks]
    final_title = to_simplified(found_title or fallback_title)
    context_text = to_simplified("\n".join(dict.fromkeys(found_context)))
    return ParsedDocument(
        title=final_title,
        blocks=tuple(blocks),
        date=found.best(final_title),
        context=context_text,
        kind=_guess_kind(final_title, context_text, markers, default_kind),
    )
