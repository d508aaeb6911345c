"""Opening a file as archive material: regular files only, a size cap checked before and while reading,
and names that can always be shown and stored whatever bytes the file system holds."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Iterator

from drafter.errors import ReadError

# Archive material is pages and letters; a file this large is not one of them.
MAX_FILE_BYTES = 100 * 1024 * 1024
_CHUNK = 1 << 20

TOO_LARGE_HINT = "请确认选对了文件；大的汇编材料请拆成单篇后再导入"


_UNDECODED = re.compile("[\udc80-\udcff]+")


def printable(path: Path | str) -> str:
    """The path as text a terminal and the store accept.

    A zip made on Windows leaves names in GBK bytes, which Python holds as lone surrogates that neither
    UTF-8 output nor SQLite takes: each run of such bytes is read as GB18030 (what it almost always is),
    and what still makes no sense is shown as the replacement character."""
    text = os.fspath(path)
    if not _UNDECODED.search(text):
        return text
    # Name by name: a GBK name is decoded whole (some of its byte pairs also pass as UTF-8 letters).
    return "/".join(_printable_name(name) for name in text.split("/"))


def _printable_name(name: str) -> str:
    if not _UNDECODED.search(name):
        return name
    raw = name.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def printable_path(path: Path) -> Path:
    return path if printable(path) == os.fspath(path) else Path(printable(path))


def _too_large(path: Path, size: int) -> ReadError:
    return ReadError(f"文件太大（{size // (1024 * 1024)} MB 以上），不像一份公文或网页材料：{Path(printable(path)).name}",
                     TOO_LARGE_HINT)


def _not_regular(path: Path, mode: int) -> ReadError:
    kind = ("文件夹" if stat.S_ISDIR(mode) else "管道（FIFO）" if stat.S_ISFIFO(mode)
            else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "套接字" if stat.S_ISSOCK(mode)
            else "特殊文件")
    return ReadError(f"不是普通文件，而是{kind}，未读取：{Path(printable(path)).name}",
                     "只导入普通文件；请把材料本身（而不是链接到设备或管道的文件）放进文件夹后再导入")


def open_regular(path: Path, limit: int = MAX_FILE_BYTES) -> int:
    """A descriptor of `path` opened for reading, refused unless it is a regular file.

    O_NONBLOCK keeps a FIFO from blocking the open itself; the type is judged on the opened descriptor,
    so a file swapped for a FIFO or a device between a check and the open is refused all the same."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None  # let open() raise the real reason
    if mode is not None and not stat.S_ISREG(mode):
        raise _not_regular(path, mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path, info.st_mode)
        if info.st_size > limit:
            raise _too_large(path, info.st_size)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def chunks(path: Path, limit: int = MAX_FILE_BYTES) -> Iterator[bytes]:
    """The file's bytes in pieces, never more than `limit` in all: a file that grows while it is read
    (a log, a file still being copied) is refused at the cap, not followed."""
    fd = open_regular(path, limit)
    try:
        total = 0
        while True:
            piece = os.read(fd, _CHUNK)
            if not piece:
                return
            total += len(piece)
            if total > limit:
                raise _too_large(path, total)
            yield piece
    finally:
        os.close(fd)


def read_capped(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The whole file, refused past `limit`; read in one piece when it is as large as it says."""
    fd = open_regular(path, limit)
    try:
        first = os.read(fd, min(os.fstat(fd).st_size, limit) + 1)
        if len(first) > limit:
            raise _too_large(path, len(first))
        pieces = [first]
        total = len(first)
        while first:
            first = os.read(fd, _CHUNK)
            total += len(first)
            if total > limit:
                raise _too_large(path, total)
            pieces.append(first)
    finally:
        os.close(fd)
    return pieces[0] if len(pieces) <= 2 else b"".join(pieces)
