"""The team's graded development set: draft quality must never fall below the best reached so far."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset" / "score.py"
BEST_SO_FAR = 100  # raise this as the work improves; never lower it


@pytest.mark.skipif(not DEVSET.exists(), reason="../shared/devset is not beside this checkout")
def test_devset_score_does_not_fall_below_the_best_so_far():
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "draft-reply").exists(), "install the project (pip install -e .) so draft-reply is on PATH"
    result = subprocess.run([sys.executable, str(DEVSET), str(bin_dir)], capture_output=True, text=True,
                            encoding="utf-8", timeout=900)
    last = result.stdout.strip().splitlines()[-1]
    score = int(re.search(r"score (\d+)/100", last).group(1))
    assert score >= BEST_SO_FAR, result.stdout[-3000:]
