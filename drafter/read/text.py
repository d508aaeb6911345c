"""Reader for plain-text files (.txt): any common Chinese encoding, CRLF, hard wraps."""
from __future__ import annotations

from pathlib import Path

from drafter.models import ParsedDocument
from drafter.read.decode import decode_bytes
from drafter.read.paragraphs import Line
from drafter.read.structure import build


def read_text(path: Path, data: bytes) -> ParsedDocument:
    """Decode by content, split into lines (CRLF, CR or LF) and structure them."""
    text = decode_bytes(data)
    lines = [Line(raw) for raw in text.splitlines()]
    return build(lines, fallback_title=path.stem)
