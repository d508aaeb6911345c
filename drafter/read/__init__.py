"""The read stage: one `read(path)` that turns a .txt, .html, .docx or .pdf file into a ReadDocument."""
from __future__ import annotations

from pathlib import Path

from drafter.errors import ReadError
from drafter.models import ReadDocument

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")

# Archive material is pages and letters; a file this large is not one of them.
MAX_FILE_BYTES = 100 * 1024 * 1024


def read(path: Path) -> ReadDocument:
    """Read one file into clean paragraphs with title, date, context and kind.

    Raises ReadError (a Chinese message and a hint) when the file cannot be read as a document.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(
            f"不支持的文件格式：{path.name}",
            "能读取的格式有 .txt、.html、.htm、.docx、.pdf；.doc 或 .wps 请另存为 .docx 后再导入",
        )
    if not path.exists():
        raise ReadError(f"找不到文件：{path}", "请检查文件名和路径是否正确")
    if not path.is_file():
        raise ReadError(f"不是文件：{path}", "请给出一个文件；要导入整个文件夹时请使用导入文件夹的命令")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(f"文件太大（{size // (1024 * 1024)} MB），不像一份公文或网页材料",
                            "请确认选对了文件；大的汇编材料请拆成单篇后再导入")
        data = path.read_bytes()
    except PermissionError as exc:
        raise ReadError(f"没有权限读取文件：{path.name}", "请检查文件权限，或把文件复制到自己的文件夹后再导入") from exc
    except OSError as exc:
        raise ReadError(f"无法读取文件：{path.name}", "请确认文件没有被其他程序占用，并且所在磁盘可以访问") from exc
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


__all__ = ["read", "SUPPORTED_SUFFIXES", "ReadError"]
