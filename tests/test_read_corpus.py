"""Every file of the shared seeds and development corpus reads cleanly: no chrome, no page numbers, no cuts."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from drafter.read import SUPPORTED_SUFFIXES, read

ROOTS = [
    Path(os.environ.get("DRAFTER_SEEDS", "/work/shared/seeds")),
    Path(os.environ.get("DRAFTER_DEVSET", "/work/shared/devset")) / "corpus",
    Path(__file__).resolve().parents[1] / "corpus" / "samples",
]
# One copy per file name: the seeds are also kept in corpus/samples.
FILES = sorted({p.name: p for root in reversed(ROOTS) if root.is_dir() for p in root.iterdir()
                if p.suffix.lower() in SUPPORTED_SUFFIXES}.values(), key=str)
CHROME = ("版权所有", "网站识别码", "网站标识码", "ICP备", "公网安备", "当前位置", "您现在的位置", "字号", "免责声明",
          "我要反馈", "版权反馈", "分享到", "打印此页", "关闭本页", "相关链接", "阅读量", "http", "www.")
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")

pytestmark = pytest.mark.skipif(not FILES, reason="no shared corpus on this machine")


@pytest.fixture(scope="module")
def documents():
    return {path: read(path) for path in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_archive_file_reads_into_clean_paragraphs(documents, path):
    doc = documents[path]
    assert doc.title and doc.blocks
    for block in doc.blocks:
        assert block.text == block.text.strip() and block.text
        assert "\n" not in block.text and "\u3000" not in block.text
        assert not any(chrome in block.text for chrome in CHROME), block.text
        assert not PAGE_NUMBER.search(block.text), block.text
        assert not block.text.startswith("【"), block.text
    assert doc.date is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", doc.date)


def test_no_paragraph_is_left_cut_in_the_middle_of_a_sentence(documents):
    """Body text (not headings, captions or table rows) ends a sentence; a cut would end mid-word."""
    cut = []
    for path, doc in documents.items():
        for block in doc.blocks:
            if block.heading or len(block.text) < 40:
                continue
            if block.text[-1] in "、，,（《“":
                cut.append((path.name, block.text[-30:]))
    assert not cut


def test_no_paragraph_starts_with_the_tail_of_a_number(documents):
    for doc in documents.values():
        for block in doc.blocks:
            assert not re.match(r"^\d*\.?\d+(?:万|亿|%)", block.text), block.text
