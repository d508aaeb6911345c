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
