"""Try the recommended draft-reply speed fixes as in-process patches, and check the draft is unchanged.

Usage: .venv/bin/python bench/try_fixes.py STORE [--runs 3]

An experiment only: it patches drafter.retrieve in this process, never the files. The fixes:
  1. the county filter as a correlated EXISTS (a primary-key probe per sentence) instead of
     `s.id IN (SELECT ... WHERE county = ?)`, which SQLite builds as a list of the county's every
     sentence on each of the ~2,000 per-paragraph queries;
  2. a sentence's digit-masked form computed once, not twice per comparison;
  3. the near-duplicate test against all kept sentences done in one rapidfuzz call (extractOne with a
     score cutoff) instead of one Python-level same_fact() call per pair.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

import drafter.retrieve as retrieve
from drafter.draft import draft_reply
from drafter.formats import find_format
from drafter.profile import load_profile
from drafter.store import Store

_IN_LIST = "s.id IN (SELECT sentence_id FROM sentence_counties WHERE county = ?)"
_EXISTS = "EXISTS (SELECT 1 FROM sentence_counties sc WHERE sc.county = ? AND sc.sentence_id = s.id)"


class _RewritingDb:
    """A connection proxy that rewrites the county filter (fix 1)."""

    def __init__(self, db):
        self._db = db

    def execute(self, sql, *args):
        return self._db.execute(sql.replace(_IN_LIST, _EXISTS), *args)

    def __getattr__(self, name):
        return getattr(self._db, name)


def _any_same(masked: str, kept: list[str], kept_set: set[str], threshold: float) -> bool:
    """Whether same_fact(s, k) holds for some kept k, given masked forms; the same rule in one C call."""
    if len(masked) < 6:
        return masked in kept_set
    longer = [k for k in kept if len(k) >= 6]
    if process.extractOne(masked, longer, scorer=fuzz.ratio, processor=None, score_cutoff=threshold):
        return True
    near = [k for k in longer if min(len(k), len(masked)) >= 0.5 * max(len(k), len(masked))]
    return process.extractOne(masked, near, scorer=fuzz.partial_ratio, processor=None,
                              score_cutoff=max(threshold, 90)) is not None


def drop_superseded(pool, threshold: float) -> None:
    """drafter.retrieve.drop_superseded with fixes 2 and 3; same result."""
    order = sorted(pool, key=retrieve._newness, reverse=True)
    kept: list[str] = []
    kept_set: set[str] = set()
    measured: set = set()
    for cand in order:
        masked = [retrieve._masked(s) for s in cand.sentences]
        keep = [i for i, s in enumerate(cand.sentences)
                if not _any_same(masked[i], kept, kept_set, threshold)
                and not retrieve.figure_keys(s) & measured]
        for i in keep:
            kept.append(masked[i])
            kept_set.add(masked[i])
        for s in cand.sentences:
            measured |= retrieve.figure_keys(s)
        retrieve._keep_only(cand, keep)


def apply() -> None:
    retrieve._masked = lru_cache(maxsize=1 << 16)(retrieve._masked)
    retrieve.drop_superseded = drop_superseded


def run(store_path: Path, out: Path, runs: int, fixed: bool) -> tuple[list[float], dict]:
    profile, fmt = load_profile(None), find_format("政协提案答复")
    times = []
    with Store(store_path) as store:
        if fixed:
            store.db = _RewritingDb(store.db)
        for _ in range(runs + 1):
            start = time.perf_counter()
            draft_reply(store, "TA0395", "阳城,高平", fmt, profile, out, (), True)
            times.append(time.perf_counter() - start)
    sources = json.loads(out.with_name(out.stem + ".sources.json").read_text(encoding="utf-8"))
    return times[1:], sources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        before, want = run(args.store, Path(tmp) / "before.docx", args.runs, fixed=False)
        apply()
        after, got = run(args.store, Path(tmp) / "after.docx", args.runs, fixed=True)
    print(f"warm draft_reply, median of {args.runs}: as is {statistics.median(before):.2f} s, "
          f"with fixes {statistics.median(after):.2f} s")
    print("sources.json identical:", want == got)
    return 0 if want == got else 1


if __name__ == "__main__":
    sys.exit(main())
