"""The read stage: one `read(path)` that turns a .txt, .html, .docx or .pdf file into a ParsedDocument."""
from __future__ import annotations

import os
from pathlib import Path

from drafter.errors import ReadError
from drafter.models import ParsedDocument
from drafter.read.files import MAX_FILE_BYTES, printable, printable_path, read_capped

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


def read(path: Path) -> ParsedDocument:
    """Read one file into clean paragraphs with title, date, context and kind.

    Raises ReadError (a Chinese message and a hint) when the file cannot be read as a document.
    """
    path = Path(path)
    name = Path(printable(path)).name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(
            f"不支持的文件格式：{name}",
            "能读取的格式有 .txt、.html、.htm、.docx、.pdf；.doc 或 .wps 请另存为 .docx 后再导入",
        )
    if not os.path.lexists(path):
        raise ReadError(f"找不到文件：{printable(path)}", "请检查文件名和路径是否正确")
    if path.is_dir():
        raise ReadError(f"不是文件：{printable(path)}", "请给出一个文件；要导入整个文件夹时请使用导入文件夹的命令")
    try:
        data = read_capped(path)
    except FileNotFoundError as exc:
        raise ReadError(f"找不到文件：{printable(path)}（可能是指向不存在位置的链接，或已被移走）",
                        "请检查文件名和路径是否正确") from exc
    except PermissionError as exc:
        raise ReadError(f"没有权限读取文件：{name}", "请检查文件权限，或把文件复制到自己的文件夹后再导入") from exc
    except OSError as exc:
        raise ReadError(f"无法读取文件：{name}", "请确认文件没有被其他程序占用，并且所在磁盘可以访问") from exc
    path = printable_path(path)  # readers take the title from the name when the text gives none
    if not data.strip():
        raise ReadError(f"文件为空：{path.name}", "请确认选对了文件，或先在文件里写入内容再导入")
    if suffix == ".txt":
        from drafter.read.text import read_text
        return read_text(path, data)
    if suffix in (".html", ".htm"):
        from drafter.read.web import read_html
        return read_html(path, data)
    if suffix == ".docx":
        from drafter.read.word import read_docx
        return read_docx(path, data)
    from drafter.read.pdf import read_pdf
    return read_pdf(path, data)


__all__ = ["read", "SUPPORTED_SUFFIXES", "ReadError", "MAX_FILE_BYTES", "printable"]
