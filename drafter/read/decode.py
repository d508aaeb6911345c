"""Turn the bytes of a text or HTML file into a str, judging the encoding by content, not by name."""
from __future__ import annotations

import codecs
import re
import unicodedata

from drafter.errors import ReadError

# Declared names that mean "some GB encoding": GB18030 is a superset of them all, so decoding
# with it never fails where the narrower codec would have worked.
_GB_ALIASES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "ms936", "euc-cn", "hz-gb-2312"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that never occur in a text file (tab, newlines and form feed are fine).
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

BINARY_MESSAGE = "文件不是文本文件（含有二进制数据），无法读取"
BINARY_HINT = "它可能是 Word、PDF 或图片改了扩展名：请确认文件格式，按实际格式改正扩展名后再导入"
UNDECODABLE_MESSAGE = "无法识别文件的文字编码"
UNDECODABLE_HINT = "请用记事本或 WPS 打开该文件，另存为“UTF-8”编码的 .txt 后再导入"


def normalise_encoding_name(name: str | None) -> str | None:
    """Map a declared charset to a Python codec name, widening GB names to GB18030."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _GB_ALIASES:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_SAMPLE = 65536
# ASCII, the CJK block up to U+9FA5, CJK punctuation and full-width ASCII: assigned characters every one,
# and most of any Chinese text; only the rest is looked up character by character.
_SURELY_ASSIGNED = re.compile("[\x00-\x7f\u4e00-\u9fa5\u3000-\u303f\uff01-\uff5e]+")


def _plausible(text: str) -> bool:
    """True when decoded text looks like prose, not a binary blob that happened to decode."""
    if not text:
        return True
    if len(text) > 4 * _SAMPLE:  # judged on its start, middle and end: a character loop over 20 MB takes seconds
        middle = len(text) // 2
        text = text[:_SAMPLE] + text[middle:middle + _SAMPLE] + text[-_SAMPLE:]
    bad = len(_BAD_CONTROL.findall(text))
    private = sum(1 for ch in _SURELY_ASSIGNED.sub("", text) if unicodedata.category(ch) in ("Co", "Cn", "Cs"))
    return bad <= len(text) * 0.002 and private <= len(text) * 0.01


def _looks_utf16(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from where the NUL bytes sit (ASCII/CJK mix leaves a pattern)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = len(data) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _gb18030_reads_better(data: bytes, utf8_text: str) -> bool:
    """Short GB18030 text can also be valid UTF-8 (一 is D2 BB, UTF-8 for Cyrillic һ): prefer the reading
    that gives Chinese when UTF-8 gives none."""
    # Chinese in UTF-8 takes three bytes a character; GB18030 bytes that happen to be valid UTF-8 read as
    # two-byte letters (Cyrillic, Greek, Latin accents) only.
    if utf8_text.isascii() or any(ord(ch) >= 0x800 for ch in utf8_text):
        return False
    other = _strict(data, "gb18030")
    non_ascii = [ch for ch in other or "" if ord(ch) > 127]
    return bool(non_ascii) and sum(bool(_CJK.match(ch)) for ch in non_ascii) >= 0.8 * len(non_ascii)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode file content: BOM, then a declared charset, then UTF-8, GB18030 and charset-normalizer.

    Raises ReadError for binary data or bytes no encoding explains.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], encoding)
            if text is not None and _plausible(text):
                return text
            raise ReadError(UNDECODABLE_MESSAGE, UNDECODABLE_HINT)

    if b"\x00" in data:
        encoding = _looks_utf16(data)
        text = _strict(data, encoding) if encoding else None
        if text is not None and _plausible(text):
            return text
        raise ReadError(BINARY_MESSAGE, BINARY_HINT)

    if len(_BAD_CONTROL.findall(data[:65536].decode("latin-1"))) > min(len(data), 65536) * 0.01:
        raise ReadError(BINARY_MESSAGE, BINARY_HINT)

    tried: list[str] = []
    for encoding in (normalise_encoding_name(declared), "utf-8", "gb18030"):
        if not encoding or encoding in tried:
            continue
        tried.append(encoding)
        text = _strict(data, encoding)
        if text is not None and _plausible(text):
            if encoding == "utf-8" and not declared and _gb18030_reads_better(data, text):
                return data.decode("gb18030")
            return text

    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        from_bytes = None
    if from_bytes is not None:
        best = from_bytes(data).best()
        if best is not None:
            text = str(best)
            if _plausible(text):
                return text
    raise ReadError(UNDECODABLE_MESSAGE, UNDECODABLE_HINT)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)


def declared_html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first few kilobytes (meta or XML prolog), if any."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None
