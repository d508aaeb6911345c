"""A draft after ingest and import does not wait for the segmenter's dictionary (issue 20): what it segments
(the title, its suggestions, the lexicon's terms, document titles and headings) was segmented beforehand."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import PROPOSALS, SAMPLES, run_drafter

DRAFT_AND_TELL = """
import sys
from click.testing import CliRunner
from drafter.cli import draft_reply
result = CliRunner().invoke(draft_reply, ["--store", sys.argv[1], "--proposal", "TA0401", "--counties", "阳城,高平",
                                          "--output", sys.argv[2], "--date", "2024-05-08"])
assert result.exit_code == 0, result.output
print("segmenter loaded" if {"jieba", "rjieba"} & set(sys.modules) else "segmenter not loaded")
"""


def test_the_first_draft_after_ingest_and_import_never_loads_the_segmenter(tmp_path):
    store = tmp_path / "store.sqlite"
    assert run_drafter(store, "ingest", str(SAMPLES)).exit_code == 0
    assert run_drafter(store, "proposals", "import", str(PROPOSALS)).exit_code == 0
    # A fresh process, as a clerk's next command is, with this run's caches.
    done = subprocess.run([sys.executable, "-c", DRAFT_AND_TELL, str(store), str(tmp_path / "答复.docx")],
                          capture_output=True, text=True, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "segmenter not loaded"


CONSOLE_DRAFT = """
import sys
from drafter.start import draft_reply
sys.argv = ["draft-reply", *sys.argv[1:]]
draft_reply()
print("not reached: the command leaves the process")
"""


def _console(store, *args, env=None):
    """draft-reply as its console script runs it, output piped as a clerk's script reads it."""
    return subprocess.run([sys.executable, "-c", CONSOLE_DRAFT, "--store", str(store), *args],
                          capture_output=True, text=True, env=env or dict(os.environ))


def test_the_console_command_says_everything_and_keeps_its_exit_codes(sample_store, tmp_path):
    out = tmp_path / "答复.docx"
    done = _console(sample_store, "--proposal", "TA0395", "--counties", "阳城,高平", "--output", str(out),
                    "--date", "2024-05-08")
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and "sources.json" in done.stdout and "not reached" not in done.stdout
    assert out.stat().st_size > 0 and out.with_name("答复.sources.json").stat().st_size > 0
    unknown = _console(sample_store, "--proposal", "TA9999", "--counties", "阳城", "--output", str(tmp_path / "x.docx"))
    assert unknown.returncode == 1 and "TA9999" in unknown.stderr
    assert _console(sample_store, "--no-such-option").returncode == 2


def test_what_a_draft_segments_is_saved_for_the_next_one_as_the_command_leaves(sample_store, tmp_path):
    cache = tmp_path / "cache"
    env = dict(os.environ, DRAFTER_CACHE=str(cache))
    done = _console(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--keywords", "雪亮工程,一网统管",
                    "--output", str(tmp_path / "答复.docx"), "--date", "2024-05-08", env=env)
    assert done.returncode == 0, done.stderr
    saved = "".join(p.read_text(encoding="utf-8") for p in cache.glob("short-texts-*.json"))
    assert "雪亮工程" in saved and "一网统管" in saved
