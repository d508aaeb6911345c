"""Reader for saved web pages (.html/.htm): the article only; the site's frame goes to the context."""
from __future__ import annotations

import re
from pathlib import Path

from drafter.errors import ReadError
from drafter.models import ParsedDocument
from drafter.read.clean import find_date, normalise
from drafter.read.decode import declared_html_charset, decode_bytes
from drafter.read.paragraphs import Line
from drafter.read.structure import build

BROKEN_MESSAGE = "网页文件无法解析，里面没有可读的网页内容"
BROKEN_HINT = "请在浏览器里打开该网页，用“另存为 → 网页，仅 HTML”重新保存后再导入"

_JUNK = ("script", "style", "noscript", "iframe", "svg", "template", "select", "button", "input", "textarea",
         "object", "embed", "canvas", "video", "audio", "map", "form")
_BLOCK = {"p", "div", "section", "article", "li", "ul", "ol", "dl", "dd", "dt", "blockquote", "pre", "center",
          "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "tbody", "thead", "tfoot", "header", "footer",
          "main", "aside", "nav", "figure", "figcaption", "address", "hr", "td", "th", "body", "html"}
_FRAME_TAGS = {"nav", "header", "footer", "aside"}
# class/id words of page furniture; matched as whole words ("main-nav", "foot", "bdshare").
_FRAME_WORDS = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|menus|header|head|top|topbar|foot|footer|bottom|crumb|crumbs|breadcrumb"
    r"|position|location|weizhi|dqwz|share|fenxiang|bdshare|bdsharebuttonbox|tool|tools|print|link|links"
    r"|related|relate|xglj|copyright|banner|sidebar|side|search|login|qrcode|ewm|pager|pagination|comment"
    r"|comments|ad|ads|guide)(?:$|[\s_\-\d])",
    re.I,
)
# Of the furniture, only these say whose page it is (site name, breadcrumb, footer); menus and related
# links would only add other places' headlines to the context.
_TELLING_WORDS = re.compile(
    r"(?:^|[\s_\-])(?:header|head|top|banner|foot|footer|bottom|copyright|crumb|crumbs|breadcrumb|position"
    r"|location|weizhi|dqwz)(?:$|[\s_\-\d])",
    re.I,
)
_TITLE_SPLIT = re.compile(r"\s*[_|｜]\s*|\s+[-–—－]\s+|\s*——\s*")
_DATE_META = re.compile(r"pubdate|publishdate|published|firstpublishedtime|release|dc\.date|date$|createtime",
                        re.I)


def _marks(element) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}".strip()


def _is_frame(element) -> bool:
    return element.tag in _FRAME_TAGS or bool(_FRAME_WORDS.search(_marks(element)))


def _text(element) -> str:
    return normalise(" ".join(element.itertext()))


def _in_frame(element) -> bool:
    return any(_is_frame(a) for a in element.iterancestors() if a.tag not in ("body", "html"))


def _main_node(root):
    """The element whose own paragraphs hold the most text: the article body."""
    best = _best_holder(root, skip_frames=True)
    if best is None:
        # The article itself may sit in a box with a furniture-like class ("content bottom-line").
        best = _best_holder(root, skip_frames=False)
    if best is None:
        body = root.find("body")
        return body if body is not None else root
    return best


def _best_holder(root, skip_frames: bool):
    """The element holding most paragraph text, or None when paragraphs outside it hold more."""
    scores: dict = {}
    total = 0
    for p in root.iter("p", "br"):
        holder = p if p.tag == "p" else p.getparent()
        if holder is None:
            continue
        if p.tag == "p":
            total += len(_text(holder))
        if skip_frames and _in_frame(holder):
            continue
        length = len(_text(holder)) if p.tag == "p" else len(normalise(p.tail or ""))
        parent = holder.getparent() if p.tag == "p" else holder
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + length
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + length / 2
    if not scores:
        candidates = [el for el in root.iter("div", "td", "article", "section") if not _in_frame(el)
                      and not _is_frame(el)]
        scores = {el: len(normalise("".join(el.xpath("text()")))) for el in candidates}
    best = max(scores, key=scores.get, default=None) if scores else None
    if best is None or scores[best] == 0 or (total and scores[best] < 0.3 * total):
        return None
    return best


def _is_data_table(table) -> bool:
    return not table.xpath(".//table|.//p|.//div")


class _Lines:
    """Collects the main node's text as lines: block elements end a line, <br> too."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._buffer: list[str] = []

    def flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer = []
        if text.strip():
            self.lines.append(Line(text))

    def walk(self, element, context: list[str], top: bool = False) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and not top and _is_frame(element):
            if _TELLING_WORDS.search(_marks(element)) or tag in ("header", "footer"):
                context.extend(t for t in (normalise(s) for s in element.itertext()) if t)
            self._buffer.append(element.tail or "")
            return
        if tag in _BLOCK:
            self.flush()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.lines.append(Line(_text(element), heading=True))
        elif tag == "table" and _is_data_table(element):
            for row in element.iter("tr"):
                cells = [_text(c) for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
                if any(cells):
                    self.lines.append(Line("；".join(c for c in cells if c), table=True))
        elif tag == "br":
            self.flush()
        elif tag:
            self._buffer.append(element.text or "")
            for child in element:
                self.walk(child, context)
        if tag in _BLOCK:
            self.flush()
        if not top:
            self._buffer.append(element.tail or "")


def _title(root, main, page_title: str) -> str | None:
    """The article title: a heading the <title> agrees with, else the <title> without the site name."""
    segments = [s for s in _TITLE_SPLIT.split(page_title) if s.strip()] if page_title else []
    headings = [_text(h) for h in main.iter("h1", "h2", "h3")] + [
        _text(h) for h in root.iter("h1") if not _in_frame(h)]
    meta = root.xpath("//meta[translate(@name,'ARTICLETITLE','articletitle')='articletitle']/@content")
    headings = [normalise(m) for m in meta] + headings
    headings = [h for h in headings if 2 <= len(h) <= 80]
    for heading in headings:
        if not segments or heading in page_title or (segments and segments[0] in heading):
            return heading
    if segments:
        return normalise(segments[0])
    return headings[0] if headings else None


def read_html(path: Path, data: bytes) -> ParsedDocument:
    """Decode by the declared charset or by content, then keep the article and set the frame aside."""
    import lxml.html
    from lxml import etree

    text = decode_bytes(data, declared_html_charset(data))
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    if "<" not in text:
        raise ReadError(BROKEN_MESSAGE, BROKEN_HINT)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError(BROKEN_MESSAGE, BROKEN_HINT) from exc
    page_title = normalise(root.findtext(".//title") or "")
    dates = [find_date(m.get("content", "")) for m in root.iter("meta")
             if _DATE_META.search(m.get("name", "") or m.get("property", "") or m.get("itemprop", ""))]
    for junk in list(root.iter(*_JUNK)):
        junk.drop_tree()
    for comment in root.xpath("//comment()"):
        parent = comment.getparent()
        if parent is not None:
            comment.drop_tree() if hasattr(comment, "drop_tree") else parent.remove(comment)
    main = _main_node(root)
    title = _title(root, main, page_title)

    context: list[str] = []
    if page_title:
        context.append(page_title)
    for element in root.iter():
        if not isinstance(element.tag, str) or element is main or main in element.iterancestors():
            continue
        if element in main.iterancestors():
            continue
        if _is_frame(element) and (_TELLING_WORDS.search(_marks(element)) or element.tag in ("header", "footer")) \
                and not _in_frame(element):
            context.extend(t for t in (normalise(s) for s in element.itertext()) if t)

    collector = _Lines()
    collector.walk(main, context, top=True)
    collector.flush()
    return build(collector.lines, fallback_title=path.stem, title=title,
                 context=context, dates=[d for d in dates if d])
