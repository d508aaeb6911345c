"""How drafting holds up on a topic the lexicon does not know.

A new archive brings proposals on topics nobody wrote into topics.toml. This script runs the dev set once
with the shipped lexicon and once with each topic group removed (by an office lexicon in DRAFTER_TOPICS
that empties it), so retrieval without the lexicon's help is measured instead of assumed. Each held-out
run changes only the proposals whose topic that group names.

    python bench/lexicon_holdout.py [--bin .venv/bin] [GROUP ...]
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "drafter" / "data" / "topics.toml"
SCORER = ROOT.parent / "shared" / "devset" / "score.py"


def named_by_dev_proposals(lexicon: dict) -> list[str]:
    """The groups whose terms a dev-set proposal's title uses: holding out any other changes nothing."""
    with open(SCORER.parent / "proposals.csv", encoding="gb18030", newline="") as f:
        titles = [row["案由"] for row in csv.DictReader(f)]
    return [name for name, group in lexicon.items() if name != "stopwords" and any(
        "+" not in term and term in title for term in group["terms"] for title in titles)]


def score(bin_dir: Path, topics: Path | None) -> str:
    env = dict(os.environ)
    env.pop("DRAFTER_TOPICS", None)
    if topics:
        env["DRAFTER_TOPICS"] = str(topics)
    out = subprocess.run([sys.executable, str(SCORER), str(bin_dir)], env=env, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1] if out.strip() else "(no output)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", type=Path, default=ROOT / ".venv" / "bin")
    parser.add_argument("groups", nargs="*")
    args = parser.parse_args()
    text = SHIPPED.read_text(encoding="utf-8")
    groups = args.groups or named_by_dev_proposals(tomllib.loads(text))
    print(f"{'shipped lexicon':<16} {score(args.bin, None)}", flush=True)
    points = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in groups:
            held_out = Path(tmp) / f"without-{name}.toml"
            held_out.write_text(f'["{name}"]\nterms = []\n', encoding="utf-8")  # an office file removing it
            line = score(args.bin, held_out)
            print(f"without {name:<8} {line}", flush=True)
            found = re.search(r"score (\d+)/100", line)
            points.append(int(found.group(1)) if found else 0)
    print(f"mean with one group held out: {sum(points) / len(points):.1f}")


if __name__ == "__main__":
    main()
