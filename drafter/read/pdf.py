"""Reader for PDF files (.pdf): the text layer, without page numbers, with page breaks mended."""
from __future__ import annotations

import io
import logging
import re
import struct
import zlib
from pathlib import Path

from drafter.errors import ReadError
from drafter.models import ParsedDocument
from drafter.read.paragraphs import Line
from drafter.read.structure import build

CORRUPT_MESSAGE = "文件已损坏，无法作为 PDF 打开"
CORRUPT_HINT = "请用 PDF 阅读器打开确认；能打开的话，请重新导出或打印为 PDF 后再导入"
ENCRYPTED_MESSAGE = "PDF 文件有密码保护，无法读取文字"
ENCRYPTED_HINT = "请用密码打开后另存为不加密的 PDF，或导出为 .docx 后再导入"
TOO_LARGE_MESSAGE = "PDF 中有异常庞大的内容（解压后远超正常文件），已拒绝读取"
TOO_LARGE_HINT = "请确认文件来源可靠；如确是正常文件，请用 PDF 阅读器打开后重新导出或打印为 PDF 再导入"
SCANNED_MESSAGE = "这是扫描件，没有文字层，无法读取文字"
SCANNED_HINT = "请找到原始的 Word 文件，或先用 OCR（文字识别）软件转成可复制文字的 PDF 或 .docx 再导入"

# "— 1 —", "- 2 -", "第 3 页", "第3页 共5页", "3 / 5", "Page 3 of 5", a lone "12".
_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－─~～]+\s*\d{1,4}\s*[—–\-－─~～]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\d{1,4})$",
    re.I,
)
# Fewer visible characters than this per page on average means there is no real text layer.
_MIN_CHARS_PER_PAGE = 10


def is_page_number(line: str) -> bool:
    """True for a line that is only a page number in one of the usual Chinese or Latin forms."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def _page_lines(text: str) -> list[str]:
    lines = text.splitlines()
    # A lone number is a page number only at the top or bottom of a page.
    edge = {i for i in range(len(lines)) if i < 2 or i >= len(lines) - 2}
    out = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped and is_page_number(stripped) and (not stripped.isdigit() or i in edge):
            continue
        out.append(line)
    return out


def read_pdf(path: Path, data: bytes) -> ParsedDocument:
    """Extract each page's text layer, drop page numbers and let the mender join what breaks cut."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise ReadError(CORRUPT_MESSAGE, CORRUPT_HINT)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # A "restrict editing" PDF opens with the empty password; AES needs `cryptography`.
            try:
                if not reader.decrypt(""):
                    raise ReadError(ENCRYPTED_MESSAGE, ENCRYPTED_HINT)
            except (DependencyError, NotImplementedError, FileNotDecryptedError) as exc:
                raise ReadError(ENCRYPTED_MESSAGE, ENCRYPTED_HINT) from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except FileNotDecryptedError as exc:
        raise ReadError(ENCRYPTED_MESSAGE, ENCRYPTED_HINT) from exc
    except LimitReachedError as exc:
        raise ReadError(TOO_LARGE_MESSAGE, TOO_LARGE_HINT) from exc
    # pypdf raises its own errors on broken files, and plain Python ones where its parser trips over one.
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            AssertionError, ArithmeticError, UnicodeError, LookupError, struct.error, zlib.error) as exc:
        raise ReadError(CORRUPT_MESSAGE, CORRUPT_HINT) from exc
    visible = sum(len("".join(p.split())) for p in pages)
    if not pages or visible < _MIN_CHARS_PER_PAGE * len(pages):
        raise ReadError(SCANNED_MESSAGE, SCANNED_HINT)
    lines = [Line(line) for text in pages for line in _page_lines(text)]
    return build(lines, fallback_title=path.stem)
