"""Reading a draft the way Word shows it: list numbers in front of their paragraphs, formatting through styles."""
from __future__ import annotations

import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
_CN = "零一二三四五六七八九"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def chinese_counting(n: int) -> str:
    """Word's chineseCounting (一 … 十 十一 … 一百一十), independent of drafter's own numbering code."""
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + _CN[rest] if rest < 10 else
                                 ("一" + chinese_counting(rest) if rest < 20 else chinese_counting(rest)))
    return _CN[hundreds] + "百" + tail


def _levels(path) -> dict[int, tuple[str, str, str]]:
    with zipfile.ZipFile(path) as z:
        numbering = etree.fromstring(z.read("word/numbering.xml"))
    levels = {}
    for lvl in numbering.iter(q("lvl")):
        suff = lvl.find(q("suff"))
        levels[int(lvl.get(q("ilvl")))] = (lvl.find(q("lvlText")).get(q("val")), lvl.find(q("numFmt")).get(q("val")),
                                           " " if suff is not None and suff.get(q("val")) == "space" else "")
    return levels


def num_level(paragraph) -> int | None:
    """The list level of a paragraph, from its own numPr or its style's."""
    for ppr in [paragraph._p.pPr, *[s.find(q("pPr")) for s in style_chain(paragraph)]]:
        if ppr is not None and ppr.find(q("numPr")) is not None:
            num_id = ppr.find(q("numPr")).find(q("numId"))
            if num_id is not None and num_id.get(q("val")) == "0":
                return None  # numId 0: numbering switched off over the style's list
            return int(ppr.find(q("numPr")).find(q("ilvl")).get(q("val")))
    return None


def numbered_texts(document, path) -> list[str]:
    """Every non-empty body paragraph's text with the number Word puts before it ("1. 阳城县…")."""
    levels, counters, out = _levels(path), [0, 0, 0, 0, 0, 0, 0, 0, 0], []
    for paragraph in document.paragraphs:
        text = paragraph.text.replace("\n", "")
        level = num_level(paragraph)
        if level is not None:
            counters[level] += 1
            for deeper in range(level + 1, len(counters)):
                counters[deeper] = 0
            pattern, fmt, suffix = levels[level]
            value = counters[level]
            number = pattern.replace(f"%{level + 1}", chinese_counting(value) if fmt == "chineseCounting" else str(value))
            text = number + suffix + text
        if text.strip():
            out.append(text)
    return out


def style_chain(paragraph) -> list:
    """The paragraph's style element and every style it is based on, nearest first."""
    styles = paragraph.part.styles.element
    by_id = {s.get(q("styleId")): s for s in styles.findall(q("style"))}
    style_id = paragraph._p.pPr.find(q("pStyle")).get(q("val")) if paragraph._p.pPr is not None and \
        paragraph._p.pPr.find(q("pStyle")) is not None else "Normal"
    chain = []
    while style_id in by_id:
        chain.append(by_id[style_id])
        based = by_id[style_id].find(q("basedOn"))
        style_id = based.get(q("val")) if based is not None else None
    return chain


def effective(paragraph, where: str, tag: str):
    """The first `tag` element under pPr or rPr (`where`) of the paragraph, then of its styles."""
    own = paragraph._p.pPr if where == "pPr" else None
    for props in [own, *[s.find(q(where)) for s in style_chain(paragraph)]]:
        if props is not None and props.find(q(tag)) is not None:
            return props.find(q(tag))
    return None


def east_asia_font(paragraph) -> str:
    return effective(paragraph, "rPr", "rFonts").get(q("eastAsia"))


def size_pt(paragraph) -> float:
    return int(effective(paragraph, "rPr", "sz").get(q("val"))) / 2


def style_name(paragraph) -> str:
    return style_chain(paragraph)[0].find(q("name")).get(q("val"))
