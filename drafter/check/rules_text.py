"""Text checks: numbering, heading levels, dates, 落款/版记 order, what a draft leaves for the clerk, contacts, category."""
from __future__ import annotations

import json
import re
from functools import lru_cache

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ..render.docx_writer import COMMENT_AUTHOR
from ..render.template import chinese_number
from ..render.typography import RELATIVE_TIME
from .docmodel import CheckedDoc, Para, run_text, squeeze
from .findings import ERROR, WARNING, Finding, excerpt
from .numbers import LEVEL_NAMES, chinese_value, half_width
from .rules_layout import group

# Words that mean "when it was written": true in the source's year, wrong in a later reply.
RELATIVE_TIME_WORDS = ("今年", "本年度", "去年", "明年", "目前", "当前", "眼下", "近日", "日前", "近期", "本月", "上月",
                       "现阶段")
PLACEHOLDER = re.compile(r"【[^】]*(?:待补充|请补充|待填|待完善|待核实|待确认)[^】]*】?")
# A blank the clerk must fill, the way offices mark one (××单位, XX局).
BLANK = re.compile(r"[×Ｘ]{2,}|(?<![A-Za-z])XX(?![A-Za-z])")
ARABIC_DATE = re.compile(r"([0-9０-９]{4})\s*年\s*([0-9０-９]{1,2})\s*月(?:\s*([0-9０-９]{1,2})\s*日)?")
CHINESE_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                          r"(?:\s*([一二三四五六七八九十]{1,3})\s*日)?")
# 一是…二是…三是… inside a paragraph: a count only after a break in the sentence, not inside a word (统一是).
INLINE_COUNT = re.compile(r"(?:^|(?<=[，。；：、！？\s“（]))([一二三四五六七八九十]{1,2})是")
_FULL_LETTERS = {0xFF21 + i: 0x41 + i for i in range(26)}
_COMMENT_YEAR = re.compile(r"（((?:19|20)\d{2})年）")


def check_text(doc: CheckedDoc) -> list[Finding]:
    found = _numbering(doc) + _inline_counts(doc) + _dates(doc) + _closing_order(doc)
    found += _left_for_clerk(doc) + _comments(doc) + _relative_time(doc) + _contacts(doc) + _category(doc)
    return found


# --- numbering ------------------------------------------------------------------------------------

def numbered(doc: CheckedDoc) -> list[Para]:
    return [p for p in doc.paragraphs if p.label is not None and p.role in ("h1", "h2", "item", "subitem")]


def sequence(doc: CheckedDoc):
    """Each numbered paragraph with the number before it at its level and the number it should carry: in
    order per level, again from 1 under a new higher-level heading or where a list starts again at 1.
    A heading out of order (（一） under 1.) does not restart the list it interrupts."""
    last, wanted, open_levels = {1: 0, 2: 0, 3: 0, 4: 0}, {1: 0, 2: 0, 3: 0, 4: 0}, []
    for p in numbered(doc):
        level, value = p.label.level, p.label.value
        inverted = bool(open_levels) and level < open_levels[-1] and level not in open_levels
        if value == 1 and last[level] != 1:
            wanted[level] = 0
        wanted[level] += 1
        yield p, last[level], wanted[level], inverted
        last[level] = value
        if not inverted:
            for deeper in range(level + 1, 5):
                last[deeper] = wanted[deeper] = 0
            open_levels = [k for k in open_levels if k < level] + [level]


def expected_numbers(doc: CheckedDoc) -> dict[int, int]:
    return {p.number: wanted for p, _, wanted, _ in sequence(doc)}


def _numbering(doc: CheckedDoc) -> list[Finding]:
    found = []
    for p, prev, _, inverted in sequence(doc):
        level, value = p.label.level, p.label.value
        name = LEVEL_NAMES[level]
        how = ("这是 Word 自动编号：右键编号选“继续编号”或“重新开始于…”调整" if p.label.automatic
               else "改正编号；或用 drafter check --fix 按顺序重新编号")
        fault = None
        if value == prev:
            fault = "numbering-repeated", f"{name}编号重复：连续两处编为 {value}。"
        elif value != 1 and value > prev + 1:
            missing = "、".join(str(n) for n in range(prev + 1, value))
            fault = "numbering-skipped", (f"{name}编号跳号：{prev} 之后是 {value}，缺少 {missing}。" if prev
                                          else f"{name}编号从 {value} 开始，缺少 {missing}。")
        elif value != 1 and value < prev:
            fault = "numbering-order", f"{name}编号倒退：{prev} 之后是 {value}。"
        if fault:
            found.append(Finding(fault[0], ERROR, p.number, excerpt(p.shown), fault[1], how + "。",
                                 not p.label.automatic))
        if not p.text.strip():
            found.append(Finding("numbering-empty", ERROR, p.number, excerpt(p.shown),
                                 f"空段落带着自动编号：Word 在这里单独显示“{p.shown.strip()}”，其后的编号都因此顺延。",
                                 "删除这一空段落（或选中它，在“开始—编号”中选“无”）。"))
        if inverted:
            found.append(Finding("heading-order", WARNING, p.number, excerpt(p.shown),
                                 f"层级颠倒：{name}标题出现在更低一级的编号之下。",
                                 "公文层级依次为 一、 （一） 1. （1），请调整这一段的序号或层级。"))
    return found


def inline_renumbering(text: str) -> list[tuple[int, int, int, int]]:
    """(start, end, as written, as it should be) for each 一是/二是 of a paragraph that is out of sequence."""
    out, wanted = [], 0
    for m in INLINE_COUNT.finditer(text):
        value = chinese_value(m.group(1))
        if value is None:
            continue
        if value == 1 and wanted:
            break  # a second run of counts in one paragraph: too loose to judge
        wanted += 1
        if value != wanted:
            out.append((m.start(1), m.end(1), value, wanted))
    return out if out and chinese_value(INLINE_COUNT.search(text).group(1)) == 1 else []


def _inline_counts(doc: CheckedDoc) -> list[Finding]:
    found = []
    for p in doc.paragraphs:
        wrong = inline_renumbering(p.text)
        if wrong:
            _, _, value, wanted = wrong[0]
            found.append(Finding("numbering-inline", ERROR, p.number, excerpt(p.shown),
                                 f"段内“一是、二是……”的序数有误：第 {wanted} 处写作“{chinese_number(value)}是”。",
                                 f"改为“{chinese_number(wanted)}是”（其后依次顺延）；或用 drafter check --fix 修正。", True))
    return found


# --- dates ----------------------------------------------------------------------------------------

def corrected_dates(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, as written, as GB/T 9704 writes it) for every date not in the standard's form."""
    out = []
    for m in ARABIC_DATE.finditer(text):
        parts = [half_width(g) for g in m.groups() if g]
        right = f"{int(parts[0])}年{int(parts[1])}月" + (f"{int(parts[2])}日" if len(parts) > 2 else "")
        # spaces around the digits ("2024 年 5 月", from scraped text) are not a fault of the date's form
        if right != squeeze(m.group(0)) and 1 <= int(parts[1]) <= 12:
            out.append((m.start(), m.end(), m.group(0), right))
    for m in CHINESE_DATE.finditer(text):
        year, month, day = chinese_value(m.group(1)), chinese_value(m.group(2)), chinese_value(m.group(3) or "")
        if year and month and 1 <= month <= 12:
            out.append((m.start(), m.end(), m.group(0), f"{year}年{month}月" + (f"{day}日" if day else "")))
    return sorted(out)


def letter_date(doc: CheckedDoc) -> tuple[int, int] | None:
    """(year, index) of the 落款 date, the last paragraph that is a date alone."""
    for i in range(len(doc.paragraphs) - 1, -1, -1):
        p = doc.paragraphs[i]
        if p.role == "date":
            text = squeeze(p.text)
            arabic = ARABIC_DATE.search(text)
            if arabic:
                return int(half_width(arabic.group(1))), i
            chinese = CHINESE_DATE.search(text)
            if chinese:
                return chinese_value(chinese.group(1)), i
    return None


def _dates(doc: CheckedDoc) -> list[Finding]:
    found = []
    for p in doc.paragraphs:
        for _, _, wrong, right in corrected_dates(p.text):
            found.append(Finding("date-form", WARNING, p.number, excerpt(p.shown),
                                 f"日期“{wrong}”不合 GB/T 9704：应用阿拉伯数字、月日不编虚位，写作“{right}”。",
                                 f"改为“{right}”；或用 drafter check --fix 修正。", True))
    if letter_date(doc) is None:
        found.append(Finding("date-missing", WARNING, None, "", "没有找到落款日期（单独成段的成文日期）。",
                             "在正文（及署名）之下写明成文日期，如“2024年5月8日”。"))
    return found


def _closing_order(doc: CheckedDoc) -> list[Finding]:
    filled = [p for p in doc.paragraphs if p.text.strip()]
    found = []
    dates = [i for i, p in enumerate(filled) if p.role == "date"]
    date_at = dates[-1] if dates else None
    for i, p in enumerate(filled):
        if p.role == "signature" and date_at is not None and i > date_at:
            found.append(Finding("signoff-order", ERROR, p.number, excerpt(p.text), "署名单位在成文日期之下。",
                                 "落款应先署发文机关名称，其下写成文日期；请把这一行移到日期之上。"))
        if p.role == "publicity" and date_at is not None and i < date_at:
            found.append(Finding("publicity-order", WARNING, p.number, excerpt(p.text), "公开属性（附注）在成文日期之上。",
                                 "附注（如“此件公开发布”）应在成文日期之下、居左空二字；请移到日期之下。"))
        if p.role == "cc":
            after = [q for q in filled[i + 1:] if q.role not in ("printed", "cc")]
            if after or (date_at is not None and i < date_at):
                found.append(Finding("cc-order", ERROR, p.number, excerpt(p.text), "抄送不在文末（版记应在最后）。",
                                     "抄送属于版记，应在成文日期和附注之后、全文最末；请移到文末。"))
    return found


# --- what a draft leaves for the clerk -----------------------------------------------------------

@lru_cache(maxsize=1)
def template_fill_texts() -> tuple[str, ...]:
    """The texts the shipped and installed formats mark with `| fill` (the clerk must replace them)."""
    from ..formats import list_formats
    from ..render.template import TEMPLATE_FILE
    texts = set()
    for folder, fmt in list_formats():
        if isinstance(fmt, Exception):
            continue
        source = (folder / TEMPLATE_FILE).read_text(encoding="utf-8")
        for key in re.findall(r"texts\.(\w+)\s*\|\s*fill", source):
            if isinstance(fmt.texts.get(key), str):
                texts.add(fmt.texts[key])
        texts.update(re.findall(r"[\"']([^\"']+)[\"']\s*\|\s*fill", source))
    return tuple(sorted(t for t in texts if t.strip()))


def unfinished_spans(text: str) -> list[tuple[int, int]]:
    """Where a placeholder or a fill-in blank stands in a paragraph's text."""
    spans = [m.span() for m in PLACEHOLDER.finditer(text)] + [m.span() for m in BLANK.finditer(text)]
    for fill in template_fill_texts():
        at = text.find(fill)
        if at >= 0:
            spans.append((at, at + len(fill)))
    return spans


def is_relative_time_word(text: str) -> bool:
    word = text.strip()
    return word in RELATIVE_TIME_WORDS or bool(RELATIVE_TIME.fullmatch(word))


def marked_time_words(p: Para) -> list[str]:
    """The time words drafter highlighted in this paragraph (a highlight over 今年 or 目前 alone): it marks
    them in material older than the draft, so they are a relative-time finding, not a stray highlight."""
    return list(dict.fromkeys(r.text.strip() for r in p.runs
                              if r.highlight not in ("", "none") and is_relative_time_word(r.text)))


def _left_for_clerk(doc: CheckedDoc) -> list[Finding]:
    placeholders, blanks, highlights = [], [], []
    for p in doc.paragraphs:
        if PLACEHOLDER.search(p.text):
            placeholders.append(p)
        if BLANK.search(p.text) or any(f in p.text for f in template_fill_texts()):
            blanks.append(p)
        spans = unfinished_spans(p.text)
        for r in p.runs:
            if r.highlight and r.highlight != "none" and r.text.strip() and not is_relative_time_word(r.text) \
                    and not any(a <= r.start and r.start + len(r.text) <= b for a, b in spans):
                highlights.append(p)
                break
    return (group("placeholder", ERROR, placeholders, "稿中留有待补充的占位文字（【待补充…】）。",
                  "补写这部分内容（或删去这一条），并删除占位文字和黄色底色。", False)
            + group("fill-text", ERROR, blanks, "稿中留有待填写的文字（如“××（主办单位）”）。",
                    "把“××”处换成实际内容（如主办单位名称），并去掉黄色底色。", False)
            + group("highlight", WARNING, highlights, "稿中留有突出显示（底色）。",
                    "核对后在“开始—文本突出显示颜色”中选“无颜色”。", False))


def comments_by_paragraph(doc: CheckedDoc) -> dict[int, list[tuple[str, str, str]]]:
    """Paragraph number → [(author, comment text, the paragraph text it covers)] for each comment anchored there."""
    part = next((rel.target_part for rel in doc.document.part.rels.values()
                 if rel.reltype == RT.COMMENTS and not rel.is_external), None)
    if part is None:
        return {}
    root = part.element if hasattr(part, "element") else etree.fromstring(part.blob)
    comments = {c.get(qn("w:id")): (c.get(qn("w:author")) or "", "".join(t.text or "" for t in c.iter(qn("w:t"))))
                for c in root.iter(qn("w:comment"))}
    out: dict[int, list[tuple[str, str, str]]] = {}
    for p in doc.paragraphs:
        covered: dict[str, list[str]] = {}
        active: set[str] = set()
        for el in p.element.iter(qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:r"),
                                 qn("w:commentReference")):
            cid = el.get(qn("w:id"))
            if el.tag == qn("w:commentRangeStart"):
                active.add(cid)
                covered.setdefault(cid, [])
            elif el.tag == qn("w:commentRangeEnd"):
                active.discard(cid)
            elif el.tag == qn("w:commentReference"):
                covered.setdefault(cid, [])
            else:
                for c in active:
                    covered[c].append(run_text(el))
        for cid, texts in covered.items():
            if cid in comments:
                # a comment without a range covers its whole paragraph
                out.setdefault(p.number, []).append((*comments[cid], "".join(texts) or p.text))
    return out


def _comments(doc: CheckedDoc) -> list[Finding]:
    ours, theirs = [], []
    for number, items in comments_by_paragraph(doc).items():
        para = doc.paragraphs[number - 1]
        (ours if any(author == COMMENT_AUTHOR for author, _, _ in items) else theirs).append(para)
    return (group("comment-drafter", ERROR, ours, "稿中留有 drafter 的批注（材料来源、格式固定用语等提示）。",
                  "逐条核对来源后，在“审阅—删除—删除文档中的所有批注”中删除；或用 draft-reply --no-comments 重新起草干净的稿子。",
                  False)
            + group("comment", ERROR, theirs, "稿中留有批注。", "处理完批注意见后，在“审阅—删除”中删除批注。", False))


def sourced_passages(doc: CheckedDoc) -> list[tuple[int, str, int]]:
    """(paragraph number, passage text, year of its material) for each pulled passage whose source year is
    known: from drafter's comment on it, or from the sources.json written beside the draft."""
    found = []
    for number, items in comments_by_paragraph(doc).items():
        for author, note, covered in items:
            years = [int(y) for y in _COMMENT_YEAR.findall(note)]
            if author == COMMENT_AUTHOR and years:
                found.append((number, covered, max(years)))
    sources = doc.path.with_name(doc.path.name.removesuffix(".docx").removesuffix(".已修正") + ".sources.json")
    try:
        data = json.loads(sources.read_text(encoding="utf-8")) if sources.is_file() else {}
        entries = list(data.get("progress", [])) + list(data.get("plans", []))
    except (OSError, ValueError, AttributeError, TypeError):
        entries = []  # a sources.json that is not drafter's says nothing about this letter
    for entry in entries:
        years = [s.get("year") for s in entry.get("sources", []) if isinstance(s, dict) and isinstance(s.get("year"), int)]
        text = entry.get("text") or ""
        if years and text:
            found += [(p.number, text, max(years)) for p in doc.paragraphs if text in p.text]
    return sorted(set(found))


def _relative_time(doc: CheckedDoc) -> list[Finding]:
    date = letter_date(doc)
    found, seen = [], set()
    for number, text, source_year in sourced_passages(doc) if date is not None else []:
        year = date[0]
        words = [w for w in RELATIVE_TIME_WORDS if w in text]
        if not words or source_year >= year or number in seen:
            continue
        seen.add(number)  # the comment and sources.json name the same passage once
        para = doc.paragraphs[number - 1]
        unmark = "；核改后去掉这些词的底色" if marked_time_words(para) else ""
        found.append(Finding("relative-time", WARNING, number, excerpt(para.shown),
                             f"这段材料出自 {source_year} 年，其中的“{'”“'.join(words)}”指的是 {source_year} 年，"
                             f"而答复日期是 {year} 年。",
                             f"改为确切的时间（如“{source_year}年”“截至{source_year}年底”），或换用新材料{unmark}。"))
    # Without its comment or sources.json, the highlight drafter put on the words still says what it found.
    for para in doc.paragraphs:
        words = marked_time_words(para)
        if words and para.number not in seen:
            found.append(Finding("relative-time", WARNING, para.number, excerpt(para.shown),
                                 f"起草时标出的时间用语“{'”“'.join(words)}”（带底色）：这段材料早于答复日期，"
                                 "这些词指的是材料成文之时。",
                                 "按材料的成文年份改为确切的时间（如“某年”“截至某年底”），或换用新材料；核改后去掉这些词的底色。"))
    return sorted(found, key=lambda f: f.paragraph)


def _contacts(doc: CheckedDoc) -> list[Finding]:
    text = squeeze("\n".join(p.text for p in doc.paragraphs))
    missing = [label for label, _ in doc.profile.signoff
               if not re.search(re.escape(squeeze(label)) + "[：:]", text)]
    if not missing:
        return []
    return [Finding("contact-missing", WARNING, None, "", f"缺少单位要求的署名联系信息：{'、'.join(missing)}。",
                    f"在落款处补上“{'”“'.join(label + '：' for label in missing)}”各行。")]


def _category(doc: CheckedDoc) -> list[Finding]:
    categories = doc.profile.categories
    title = "".join(p.text for p in doc.paragraphs if p.role == "title")
    if not categories or not squeeze(title).endswith("答复"):
        return []  # a 会办意见 or a letter of another kind carries no reply category
    # "A类", "答复类别：A类", or a lone "A" at the top right
    marks = [re.fullmatch(r"(?:答复类别[：:]?)?([A-Za-zＡ-Ｚ])类" if p.role != "header" else
                          r"(?:答复类别[：:]?)?([A-Za-zＡ-Ｚ])类?", squeeze(p.text).translate(_FULL_LETTERS))
             for p in doc.paragraphs if p.role in ("header", "body", "table") and p.text.strip()]
    letters = [m.group(1).upper() for m in marks if m]
    if not letters:
        return [Finding("category-missing", WARNING, None, "", "答复没有标注答复类别（如“A类”）。",
                        f"在标题右上方标注类别：{'；'.join(f'{k}类 {v}' for k, v in categories.items())}。")]
    unknown = [x for x in letters if x not in categories]
    if unknown:
        return [Finding("category-unknown", WARNING, None, "", f"答复类别“{unknown[0]}类”不在本单位的类别中。",
                        f"改为其中之一：{'、'.join(k + '类' for k in categories)}。")]
    return []
