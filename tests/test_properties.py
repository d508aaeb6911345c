"""Properties of the readers and the store, over text no clerk would write but an archive may hold."""
from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from drafter.errors import ReadError
from drafter.ingest import ingest
from drafter.read import read
from drafter.read.clean import comparable, is_chrome, is_signature_label
from drafter.read.script import to_simplified
from drafter.store import Store

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def squash(text: str) -> str:
    """Text as cleaning may leave it, minus every space: NFC, no zero-width characters."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH) if not ch.isspace())


def is_subsequence(kept: str, source: str) -> bool:
    rest = iter(source)
    return all(ch in rest for ch in kept)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("props")


# --- what a paragraph of an archive may hold ------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCTUATION = list("，。；：、“”《》（）！？…—·%％") + list(".,;:?!()-/")
LINE_CHAR = st.one_of(CJK, CJK, CJK, CJK, st.sampled_from(PUNCTUATION), st.sampled_from(list("0123456789")),
                      st.sampled_from(list("abcXYZ")), st.sampled_from([" ", "\u3000", "\t"]))
PROSE = st.lists(st.one_of(LINE_CHAR, LINE_CHAR, LINE_CHAR, st.sampled_from(["\n", "\r\n", "\n\n", "\n\u3000\u3000"])),
                 min_size=1, max_size=400).map("".join)
# Anything at all but lone surrogates, which no encoding can write.
HOSTILE = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])


def _read(folder: Path, data: bytes, name: str = "材料.txt"):
    path = folder / name
    path.write_bytes(data)
    return read(path)


# --- readers ---------------------------------------------------------------------------------------

@SETTINGS
@given(text=HOSTILE, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"]))
def test_reading_any_text_either_works_or_says_why(folder, text, encoding):
    try:
        doc = _read(folder, text.encode(encoding))
    except ReadError as e:
        assert e.message
        return
    assert all(block.text == block.text.strip() and block.text for block in doc.blocks)


@SETTINGS
@given(data=st.binary(max_size=800))
def test_reading_any_bytes_as_txt_either_works_or_says_why(folder, data):
    try:
        _read(folder, data)
    except ReadError as e:
        assert e.message


@SETTINGS
@given(text=PROSE, encoding=ENCODINGS)
def test_the_text_kept_is_a_cleaned_version_of_the_input(folder, text, encoding):
    # Without one Chinese character the bytes may honestly be either encoding: C2 B7 is "·" and also "路".
    assume(any("\u4e00" <= ch <= "\u9fa5" for ch in text))
    try:
        doc = _read(folder, text.encode(encoding), "标题.txt")
    except ReadError:
        return
    # Traditional characters are read as simplified (隨 → 随); nothing else may change.
    source = squash(to_simplified(text))
    kept = squash("".join(block.text for block in doc.blocks))
    assert is_subsequence(kept, source)  # nothing invented, nothing reordered
    assert doc.title == "标题" or is_subsequence(squash(doc.title), source)
    assert all(ch not in block.text for block in doc.blocks for ch in "\u200b\ufeff\r\n")


SENTENCE = st.builds(lambda a, b, end: f"{a}，{b}{end}", st.text(CJK, min_size=4, max_size=40),
                     st.text(CJK, min_size=4, max_size=40), st.sampled_from(["。", "！", "；", "？"]))
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map("".join)


def _distinct(paragraphs: list[str]) -> bool:
    """No paragraph is a repeat (or near repeat) of another, which the readers drop on purpose."""
    keys = [comparable(p) for p in paragraphs]
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if a in b or b in a:
                return False
            ga, gb = ({k[n:n + 2] for n in range(len(k) - 1)} for k in (a, b))
            if len(ga & gb) >= 0.5 * len(ga | gb):
                return False
    return True


@SETTINGS
@given(paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=6), encoding=ENCODINGS,
       separator=st.sampled_from(["\n", "\r\n", "\n\n", "\n\u3000\u3000"]))
def test_no_sentence_of_a_plain_paragraph_is_lost(folder, paragraphs, encoding, separator):
    assume(_distinct(paragraphs))
    assume(not any(is_chrome(p) for p in paragraphs))  # "…我要反馈。" is the page's frame, dropped on purpose
    assume(not any(is_signature_label(p) for p in paragraphs))  # "抄送：…", "此件…" close a letter, on purpose
    doc = _read(folder, separator.join(paragraphs).encode(encoding))
    kept = squash(doc.title + "".join(block.text for block in doc.blocks))
    for paragraph in paragraphs:
        assert squash(to_simplified(paragraph)) in kept  # read as simplified (並 → 并), nothing lost


@pytest.mark.parametrize("sentence", [
    "市大数据中心为各县提供技术支持，保障系统平稳运行。",
    "全县政务网站完成适老化服务改造，方便老年人办事。",
])
def test_a_report_sentence_that_mentions_a_web_chrome_phrase_is_kept(folder, sentence):
    text = "\n\n".join(["阳城县数据局2024年工作总结", "今年以来，我局围绕数字政府建设扎实推进各项工作，取得了明显成效。",
                        sentence])
    doc = _read(folder, text.encode("utf-8"), "总结.txt")
    assert sentence in [block.text for block in doc.blocks]


def test_a_gb18030_file_of_only_yi_reads_as_chinese(folder):
    doc = _read(folder, "一一一一\n一一一一一一".encode("gb18030"))
    assert "一" in doc.title + "".join(block.text for block in doc.blocks)


# --- the store's round trip ------------------------------------------------------------------------

def _stored(store: Path, path: Path) -> list[tuple[str, list[str]]]:
    db = sqlite3.connect(store)
    try:
        ids = [pid for (pid,) in db.execute("SELECT p.id FROM paragraphs p JOIN documents d ON p.document_id = d.id "
                                            "WHERE d.path = ? ORDER BY p.seq", (str(path.resolve()),))]
        with Store(store) as opened:
            texts = opened.paragraph_texts(ids)  # kept once: as its sentences where it is them joined
        return [(texts[pid], [s for (s,) in db.execute("SELECT text FROM sentences WHERE paragraph_id = ? ORDER BY seq",
                                                       (pid,))]) for pid in ids]
    finally:
        db.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(st.text(LINE_CHAR, min_size=1, max_size=200)
                           .map(str.strip).filter(bool), min_size=1, max_size=6))
def test_stored_sentences_joined_are_the_paragraph_text(folder, paragraphs):
    path = folder / "往返.txt"
    path.write_text("阳城县2024年工作总结\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    try:
        blocks = [block.text for block in read(path).blocks]
    except ReadError:
        return
    store_path = folder / "store.sqlite"
    with Store(store_path) as store:
        report = ingest(store, [path])
    assert report.ok, report.skipped
    stored = _stored(store_path, path)
    assert [text for text, _ in stored] == blocks
    for text, sentences in stored:
        assert "".join(sentences) == text
        assert all(s.strip() for s in sentences)


# --- the search index query ------------------------------------------------------------------------

_WORD = st.sampled_from(["城市", "智慧", "大脑", "管理", "平台", "运行", "一", "网", "统管", "数据"])
_TERMS = st.lists(st.lists(_WORD, min_size=1, max_size=3).map(tuple), min_size=1, max_size=8)
_ROWS = st.lists(st.lists(_WORD, min_size=1, max_size=5), min_size=1, max_size=20)


@settings(max_examples=150, deadline=None)
@given(terms=_TERMS, rows=_ROWS)
def test_the_factored_index_query_finds_exactly_what_the_plain_one_finds(terms, rows):
    """Writing shared words once (for BM25's sake) must not change which sentences match."""
    from drafter.store.fts import all_words, factored
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0')")
    db.executemany("INSERT INTO t (rowid, terms) VALUES (?, ?)", [(n, " ".join(r)) for n, r in enumerate(rows)])

    def matched(expression: str) -> set[int]:
        return {n for (n,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,))}

    plain = " OR ".join(all_words(term) for term in terms)
    assert matched(factored(terms)) == matched(plain)
    db.close()
