"""Shared fixtures: a real store file with the shipped corpus, drafted through the real CLI."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli, draft_reply

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
PROPOSALS = ROOT / "corpus" / "proposals.csv"


def run_drafter(store: Path, *args: str):
    return CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)


def run_draft(store: Path, *args: str):
    return CliRunner().invoke(draft_reply, ["--store", str(store), *args], catch_exceptions=False)


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
