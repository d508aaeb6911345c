"""Character-level cleaning and the line tests every reader shares (chrome, dates, numbering)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- characters -----------------------------------------------------------------------------

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
# Every kind of space a scraped page or a Word file may carry, mapped to a plain space.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2014\u2018-\u201d\u2026\u00b7"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")

# Punctuation that ends a sentence, and punctuation that closes one after such an end.
TERMINAL = set("。！？!?；;：:…")
CLOSERS = set("”’」』）)》〉】\"'")
# A line ending in one of these is certainly cut in the middle of a sentence.
CONTINUING_END = set("、，,（(《“‘「『〈【—-·/")
# A line starting with one of these certainly continues the line before it.
CONTINUING_START = set("，,。、；;：:！!？?”’」』）)》〉%％")

PAIRS = (("《", "》"), ("“", "”"), ("（", "）"), ("(", ")"), ("「", "」"), ("【", "】"))


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Strip zero-width characters, unify spaces, collapse spaces between CJK characters. Remembered: the
    readers ask it of the same line several times (structure, chrome, paragraphs)."""
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_BETWEEN_CJK.sub("", text)


def is_indented(raw: str) -> bool:
    """True when a raw line opens with a paragraph indent (full-width spaces or two spaces)."""
    return raw.startswith(("\u3000", "  ", "\t", "\u00a0\u00a0"))


def display_width(text: str) -> int:
    """Width in half-width cells: CJK and full-width characters count two."""
    return sum(map(_width, text))


@lru_cache(maxsize=None)
def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def ends_sentence(text: str) -> bool:
    """True when the text ends with sentence-final punctuation (possibly followed by a closer)."""
    text = text.rstrip()
    while text and text[-1] in CLOSERS:
        text = text[:-1]
        if text and text[-1] in TERMINAL:
            return True
        if not text or text[-1] not in CLOSERS:
            return False
    return bool(text) and text[-1] in TERMINAL


def has_open_pair(text: str) -> bool:
    """True when a book-title mark, quote or bracket is opened and not closed."""
    return any(text.count(a) > text.count(b) for a, b in PAIRS)


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() and the underscore


def comparable(text: str) -> str:
    """Text reduced to its letters and digits, for spotting repeated paragraphs."""
    return _NOT_ALNUM.sub("", text)


# --- numbering and markers ------------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十"
# Level-2 headings of GB/T 9704 documents ("（一）"); level 1 is "一、". "一是" is inline enumeration.
HEADING_2 = re.compile(rf"^[（(][{_CN_NUM}]+[）)]")
# Items that always start a new paragraph: "1." "2、" "（1）" "①"; "4.7万" is a number, not an item.
ITEM_START = re.compile(
    rf"^(?:\d{{1,2}}[.．](?!\d)|\d{{1,2}}、|[（(]\d{{1,2}}[）)]|[（(][{_CN_NUM}]+[）)]"
    rf"|[{_CN_NUM}]+、|[\u2460-\u2473]|第[{_CN_NUM}]+(?:部分|章|节))"
)
MARKER = re.compile(r"^【([^【】]{1,24})】\s*[:：]?\s*")


def numbered_heading_level(text: str) -> int | None:
    """1 for "一、…", 2 for "（一）…", None for anything else."""
    if HEADING_2.match(text):
        return 2
    if re.match(rf"^(?:[{_CN_NUM}]+[、．.]|第[{_CN_NUM}]+(?:部分|章|节))", text):
        return 1
    return None


# --- dates ----------------------------------------------------------------------------------

_DATE = re.compile(
    r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?|[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?!\d))"
)
_DATE_LABEL = re.compile(r"(发布时间|发布日期|发文日期|成文日期|时间|日期)\s*[:：]?")


def find_date(text: str) -> str | None:
    """The first date in text as "YYYY-MM-DD" or "YYYY-MM", or None."""
    for match in _DATE.finditer(text):
        year, month = match.group(1), match.group(2) or match.group(4)
        day = match.group(3) or match.group(5)
        if not month or not 1 <= int(month) <= 12:
            continue
        if day and 1 <= int(day) <= 31:
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{int(month):02d}"
    return None


def labelled_date(text: str) -> str | None:
    """The date of a "发布时间：…" / "日期：…" / "时间:…" line."""
    match = _DATE_LABEL.search(text)
    return find_date(text[match.end():]) if match else None


def without_dates(text: str) -> str:
    return _DATE.sub("", text)


# --- chrome ---------------------------------------------------------------------------------

URL = re.compile(r"[(（]?\s*(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+,;=%\-]+\s*[)）]?", re.I)

# Phrases that only ever appear in site chrome: menus, footers, share bars, widgets, disclaimers.
_CHROME_PHRASES = (
    "当前位置", "现在的位置", "所在位置", "版权反馈", "免责声明", "我要反馈", "版权所有", "网站标识码",
    "网站识别码", "ICP备", "公网安备", "分享到", "转载请注明", "打印此页",
    "打印本页", "关闭窗口", "关闭本页", "我要纠错", "阅读量", "阅读次数", "浏览次数", "访问量",
    "扫一扫", "上一篇", "下一篇", "责任编辑", "网站地图", "繁體版",
    "本站支持", "收藏本站", "设为首页", "加入收藏", "【打印】", "【关闭】", "微信扫码",
    "点击数",
)
# Phrases that are chrome in a page's frame but can also sit in a report's sentence
# ("…为各县提供技术支持，保障系统平稳运行。"): chrome only on a line that is not a sentence.
_PROSE_CHROME_PHRASES = ("主办单位", "承办单位：", "技术支持", "相关链接", "相关阅读", "相关新闻", "适老化服务", "发布机构")
_CHROME_PHRASE = re.compile("|".join(map(re.escape, _CHROME_PHRASES)))
_PROSE_CHROME_PHRASE = re.compile("|".join(map(re.escape, _PROSE_CHROME_PHRASES)))
# Labels of a page's meta line ("来源：…", "编辑：…", "【字号 大 中 小】"), at the start or after a gap.
_CHROME_LABEL = re.compile(
    r"(?:^|\s|】)(?:(?:信息|稿件|文章)?来源|作者|编辑|审核|校对|摄影)\s*[:：]|字号\s*[:：]?\s*[【\[]?[大中小]"
)
_CHROME_START = re.compile(r"^(?:首页|网站首页|主页)(?:\s|>|»|＞|/|$)")
_BYLINE = re.compile(r"(记者|通讯员|特约|摄影|供稿)")
_SIGNATURE = re.compile(r"^(负责人|承办人|联系人|联系电话|电话|签发人|审核人|核稿人|经办人|抄送|公开属性|此件)")
_CATEGORY = re.compile(r"^[A-DＡ-Ｄ]类$")
_UNIT_END = re.compile(
    r"(人民政府|政府|办公室|局|委员会|委|办|厅|院|中心|公司|集团|处|所|站|队|社|会|部|室|馆|行|街道|乡|镇)$"
)
_INNER_PUNCT = re.compile(r"[，,。；;！!？?、：:]")


def is_short_plain(text: str, limit: int = 30) -> bool:
    """A short line with no sentence punctuation inside (a name, a heading, a label)."""
    return 0 < len(text) <= limit and not _INNER_PUNCT.search(text)


def is_chrome(text: str) -> bool:
    """True for lines that belong to a web page's frame, not to the article."""
    if _CHROME_START.match(text):
        return True
    if len(text) <= 80 and (_CHROME_PHRASE.search(text) or _CHROME_LABEL.search(text)):
        return True
    if len(text) <= 80 and not ends_sentence(text) and _PROSE_CHROME_PHRASE.search(text):
        return True
    if text.count("|") >= 2 or text.count("｜") >= 2:
        return True
    if URL.fullmatch(text.strip()) or (len(text) <= 120 and URL.search(text) and not ends_sentence(text)
                                       and len(URL.sub("", text).strip()) < 12):
        return True
    # "• 索引号:011336909/2015-00650", "发布日期:2015年05月20日": a government page's metadata list.
    if len(text) <= 60 and _PAGE_META.match(text):
        return True
    # "2025年4月16日 星期三": the site's clock (see dateline_date), not a date of the document.
    if len(text) <= 30 and _WEEKDAY.search(text) and find_date(text) and not ends_sentence(text):
        return True
    # "(苑金海)": an author's name in brackets closing a yearbook entry.
    if re.fullmatch(r"[(（][\u4e00-\u9fff·]{2,5}[)）]", text):
        return True
    return False


def is_byline(text: str) -> bool:
    """'齐鲁晚报·齐鲁壹点记者闫丽君通讯员明宪刚', '泽州县融媒体中心记者 常晓宇'."""
    return len(text) <= 40 and bool(_BYLINE.search(text)) and not _INNER_PUNCT.search(text) and not ends_sentence(text)


def is_signature_label(text: str) -> bool:
    """'承 办 人：边文洁', '联系电话：…', '此件公开发布': the sign-off labels of an official letter."""
    compact = text.replace(" ", "")
    return len(compact) <= 40 and bool(_SIGNATURE.match(compact)) and (
        "：" in compact or ":" in compact or compact.startswith(("此件", "抄送", "公开属性"))
    )


def is_category(text: str) -> bool:
    """'A类': the reply category printed above a reply."""
    return bool(_CATEGORY.match(text.replace(" ", "")))


def is_unit_name(text: str) -> bool:
    """'阳城县行政审批服务管理局': an issuing unit standing alone on a line."""
    return 3 <= len(text) <= 30 and is_short_plain(text) and not re.search(r"\d", text) and bool(
        _UNIT_END.search(text)
    )


def is_citation(text: str) -> bool:
    """'《晋城年鉴（2016）》' alone on a line: where the text was taken from."""
    return len(text) <= 40 and text.startswith("《") and text.endswith("》") and text.count("《") == 1


_WEEKDAY = re.compile(r"(?:星期|礼拜)[一二三四五六日天]")
_PAGE_META = re.compile(r"^[•·●▪■◆\-*\s]*(?:索\s*引\s*号|文\s*号|发文(?:单位|机构|机关)|主题分类|有\s*效\s*性|发布日期|发文日期|成文日期)\s*[:：]")


def dateline_date(text: str) -> str | None:
    """The date of a line that says only who and when ('晋城日报 2024-11-12', '2025年1月15日')."""
    if len(text) > 60 or _WEEKDAY.search(text):
        # A date with its weekday ("2025年4月16日 星期三") is the site's clock, the day the page was
        # copied, not the day the document was written: a mirror's chrome must not date a 2015 notice.
        return None
    date = find_date(text)
    if not date:
        return None
    rest = without_dates(text)
    # A metadata list item ("• 发布日期:2015年05月20日") is a labelled date like a bare one.
    rest = re.sub(r"^(来源|信息来源|发布时间|发布日期|发文日期|成文日期|时间|日期)\s*[:：]", "", rest.strip().lstrip("•·●▪■◆-* "))
    rest = rest.strip(" ()（）—-")
    if len(rest) <= 32 and not _INNER_PUNCT.search(rest):
        return date
    return None
