"""Shared fixtures: a real store file with the shipped corpus, drafted through the real CLI."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from drafter.cli import cli, draft_reply
from drafter.compose import LEAD_IN
from drafter.text.zh import LIST_NUMBER as _ENUMERATOR
from drafter.understand import split_sentences

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
PROPOSALS = ROOT / "corpus" / "proposals.csv"


def run_drafter(store: Path, *args: str):
    return CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)


def archive_with_ta0395(tmp_path: Path, folder: Path) -> Path:
    """A store holding a folder of reports and the smart-city proposal TA0395."""
    store = tmp_path / "store.sqlite"
    assert run_drafter(store, "ingest", str(folder)).exit_code == 0
    csv = tmp_path / "p.csv"
    csv.write_text("案号,案由,第一提案人\nTA0395,关于改善我市县级智慧城市建设的建议的提案,李惠英\n", encoding="utf-8")
    assert run_drafter(store, "proposals", "import", str(csv)).exit_code == 0
    return store


def run_draft(store: Path, *args: str):
    """draft-reply through click; every draft it writes is checked to be traceable to the store."""
    result = CliRunner().invoke(draft_reply, ["--store", str(store), *args], catch_exceptions=False)
    if result.exit_code == 0 and "--output" in args:
        assert_traceable(store, Path(args[args.index("--output") + 1]))
    return result




def assert_traceable(store: Path, docx_path: Path) -> None:
    """Every pulled sentence of a draft is a stored sentence of the document its entry cites, and every
    entry of sources.json stands in the .docx exactly as written."""
    sources = json.loads(docx_path.with_name(docx_path.stem + ".sources.json").read_text(encoding="utf-8"))
    body = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    db = sqlite3.connect(store)
    try:
        for entry in sources["progress"] + sources["plans"]:
            assert entry["text"] in body, entry["text"]
            if entry["placeholder"] or not entry["sources"]:
                continue  # placeholder or the template's own standing text
            stored = {_ENUMERATOR.sub("", row[0]) for source in entry["sources"] for row in db.execute(
                "SELECT s.text FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id "
                "JOIN documents d ON d.id = p.document_id WHERE d.file = ? AND p.seq = ?",
                (source["document"], source["paragraph"]))}
            stored |= {LEAD_IN.sub("", sentence, count=1) for sentence in stored}  # a news lead-in dropped
            # Typographic repairs (spacing, brackets) are listed with the entry; undone, the text is the store's.
            text = entry["text"]
            for repair in reversed(entry.get("repairs", [])):
                assert repair["to"] in text, repair
                text = text.replace(repair["to"], repair["from"], 1)
            for sentence in split_sentences(text):
                assert _ENUMERATOR.sub("", sentence) in stored, f"not a stored sentence: {sentence}"
    finally:
        db.close()


@pytest.fixture(scope="session")
def _sample_store_master(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("master") / "store.sqlite"
    assert run_drafter(store, "ingest", str(SAMPLES)).exit_code == 0
    assert run_drafter(store, "proposals", "import", str(PROPOSALS)).exit_code == 0
    return store


@pytest.fixture
def sample_store(_sample_store_master, tmp_path) -> Path:
    """A store file holding the shipped sample corpus and proposals; each test gets its own copy."""
    store = tmp_path / "store.sqlite"
    shutil.copy(_sample_store_master, store)
    return store


@pytest.fixture(scope="session", autouse=True)
def _caches_in_the_test_folder(tmp_path_factory):
    """Every cache a test run makes (segmentations, jieba's dictionary) stays in the run's own folder."""
    import os
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("DRAFTER_CACHE")
    os.environ["DRAFTER_CACHE"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("DRAFTER_CACHE", None)
    else:
        os.environ["DRAFTER_CACHE"] = before
