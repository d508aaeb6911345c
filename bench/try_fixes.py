"""Try the recommended draft-reply speed fixes as in-process patches, and check the draft is unchanged.

Usage: .venv/bin/python bench/try_fixes.py STORE [--runs 3]

An experiment only: it patches drafter.retrieve in this process, never the files. The fixes:
  1. the county filter as a correlated EXISTS (a primary-key probe per sentence) instead of
     `s.id IN (SELECT ... WHERE county = ?)`, which SQLite builds as a list of the county's every
     sentence on each of the ~2,000 per-paragraph queries;
  2. a sentence's digit-masked form computed once, not twice per comparison;
  3. the near-duplicate test against all kept sentences done in one rapidfuzz call (extractOne with a
     score cutoff) instead of one Python-level same_fact() call per pair;
  4. the "one long shared phrase" rule (difflib, pure Python, run on every pair that is not a near
     duplicate) only for the kept sentences that share a 12-character run, found in an n-gram index.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from difflib import SequenceMatcher
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


class _Kept:
    """Masked kept sentences, with an index of their n-character runs for the shared-phrase rule."""

    def __init__(self):
        self.all: set[str] = set()
        self.longer: list[str] = []  # the ones of 6 characters or more
        self.runs: dict[str, set[int]] = {}
        self.phrase = getattr(retrieve, "_SHARED_PHRASE", None)

    def add(self, masked: str) -> None:
        self.all.add(masked)
        if len(masked) >= 6:
            if self.phrase:
                for i in range(len(masked) - self.phrase + 1):
                    self.runs.setdefault(masked[i:i + self.phrase], set()).add(len(self.longer))
            self.longer.append(masked)

    def any_same(self, masked: str, threshold: float) -> bool:
        """Whether same_fact(s, k) holds for some kept k; the same rules, batched."""
        if len(masked) < 6:
            return masked in self.all
        if process.extractOne(masked, self.longer, scorer=fuzz.ratio, processor=None, score_cutoff=threshold):
            return True
        near = [k for k in self.longer if min(len(k), len(masked)) >= 0.5 * max(len(k), len(masked))]
        if process.extractOne(masked, near, scorer=fuzz.partial_ratio, processor=None,
                              score_cutoff=max(threshold, 90)):
            return True
        if not self.phrase:
            return False
        sharing = set().union(*(self.runs.get(masked[i:i + self.phrase], ())
                                for i in range(len(masked) - self.phrase + 1)))
        for j in sharing:
            k = self.longer[j]
            shared = SequenceMatcher(None, masked, k, autojunk=False).find_longest_match(
                0, len(masked), 0, len(k)).size
            if shared >= self.phrase and 3 * shared >= min(len(masked), len(k)):
                return True
        return False


def drop_superseded(pool, threshold: float) -> None:
    """drafter.retrieve.drop_superseded with fixes 2 to 4; same result."""
    order = sorted(pool, key=retrieve._newness, reverse=True)
    kept = _Kept()
    measured: set = set()
    for cand in order:
        masked = [retrieve._masked(s) for s in cand.sentences]
        keep = [i for i, s in enumerate(cand.sentences)
                if not kept.any_same(masked[i], threshold) and not retrieve.figure_keys(s) & measured]
        for i in keep:
            kept.add(masked[i])
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
