"""Where ingest time goes, per stage (read, understand, index terms, store) and per file format, in-process.

Usage: .venv/bin/python bench/stages.py ARCHIVE_DIR [--limit N]

Mirrors drafter.ingest.ingest without the profiler's overhead; writes to a throw-away store.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import sys
import tempfile
import time
from pathlib import Path

from drafter.gazetteer import default_gazetteer
from drafter.read import SUPPORTED_SUFFIXES, read
from drafter.store import Store
from drafter.understand import understand


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    args = parser.parse_args(argv)
    files = sorted(p for p in args.archive.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
    if args.limit:
        files = files[:args.limit]
    start = time.perf_counter()
    gazetteer = default_gazetteer()
    indexed = gazetteer.segmenter.indexed
    indexed("预热")  # the segmenter's dictionary load, once
    setup = time.perf_counter() - start
    stages = collections.Counter()
    by_format: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.sqlite") as store:
        for path in files:
            fmt = path.suffix.lower().lstrip(".").replace("htm", "html").replace("htmll", "html")
            t0 = time.perf_counter()
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            store.document_state(path.resolve(), sha)
            t1 = time.perf_counter()
            document = read(path)
            t2 = time.perf_counter()
            reading = understand(document, gazetteer)
            t3 = time.perf_counter()
            terms = [indexed(s.text) for p in reading.paragraphs for s in p.sentences]
            t4 = time.perf_counter()
            store.save_document(path.resolve(), sha, len(data), reading, terms)
            t5 = time.perf_counter()
            for name, took in (("hash+lookup", t1 - t0), ("read", t2 - t1), ("understand", t3 - t2),
                               ("index terms (rjieba)", t4 - t3), ("store (sqlite)", t5 - t4)):
                stages[name] += took
                by_format[fmt][name] += took
            by_format[fmt]["files"] += 1
    total = sum(stages.values())
    print(f"{len(files)} files; setup (gazetteer, segmenter) {setup:.2f} s; stages {total:.1f} s")
    for name, took in stages.most_common():
        print(f"  {name:<22} {took:7.2f} s  {100 * took / total:5.1f} %")
    print("per format, ms per file:")
    names = [n for n, _ in stages.most_common()]
    print(f"  {'format':<6} {'files':>6} " + " ".join(f"{n[:12]:>12}" for n in names))
    for fmt, counter in sorted(by_format.items()):
        n = counter["files"]
        print(f"  {fmt:<6} {n:>6} " + " ".join(f"{1000 * counter[s] / n:12.1f}" for s in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
