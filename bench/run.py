"""Benchmark drafter at a bureau's archive scale: ingest, re-ingest, draft latency, memory and store size.

Usage: .venv/bin/python bench/run.py [--sizes 1000,10000] [--keep DIR] [--profile]

Generated archives go to a temporary folder (deleted at the end) or to --keep DIR (kept, and reused by
the next run with the same sizes). Never point --keep into the project's corpus.
"""
from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
PROPOSALS = ROOT / "corpus" / "proposals.csv"
FTS_QUERY = ("SELECT count(*) FROM sentence_index WHERE sentence_index MATCH "
             "'terms : (\"智慧\" AND \"城市\") AND scope : \"阳城县\"'")
DRAFT_RUNS = 5
# Environment and folder for every measured subprocess; set by use_code() to pin the code measured.
ENV: dict[str, str] = dict(os.environ)
CWD: Path = ROOT

sys.path.insert(0, str(HERE))
import make_archive  # noqa: E402

# Runs a command and writes its wall time and the peak RSS of it and its children, as JSON, to argv[1].
_WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"rc": done.returncode, "wall": wall, "rss_kb": usage.ru_maxrss,
               "cpu": usage.ru_utime + usage.ru_stime,
               "stdout": done.stdout.decode("utf-8", "replace")[-2000:],
               "stderr": done.stderr.decode("utf-8", "replace")[-2000:]}, out)
"""


def measure(cmd: list[str]) -> dict:
    """Run cmd in a fresh wrapper process so that its peak RSS is its own, not the maximum of all runs."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run([sys.executable, "-c", _WRAPPER, report.name, *map(str, cmd)], check=True,
                       env=ENV, cwd=CWD)
        result = json.loads(Path(report.name).read_text())
    if result["rc"] != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {result['rc']}:\n{result['stderr']}{result['stdout']}")
    return result


# --- the text of the archive, read as plain text, for the jieba floor ----------------------------

def plain_text(path: Path) -> str:
    """The text of a generated file, extracted without drafter (the floor must not include its work)."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".txt":
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("gb18030")
    if suffix in (".html", ".htm"):
        import lxml.html
        return lxml.html.document_fromstring(data).text_content()
    if suffix == ".docx":
        import docx
        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    import pypdf
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def jieba_floor(texts: list[str]) -> dict:
    """Time raw jieba over the texts: jieba.cut (defaults) as the floor, and cut_for_search as drafter indexes."""
    import jieba
    import logging
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    start = time.perf_counter()
    for text in texts:
        for _ in jieba.cut(text):
            pass
    cut = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        for _ in jieba.cut_for_search(text, HMM=False):
            pass
    search = time.perf_counter() - start
    return {"jieba_cut_s": cut, "jieba_cut_for_search_s": search}


# --- one archive size -------------------------------------------------------------------------------

def archive(work: Path, n: int) -> tuple[Path, list[Path], float]:
    """The generated archive of n documents: reused if a previous --keep run completed it."""
    folder = work / f"archive-{n}"
    done = work / f"archive-{n}.done"
    if done.exists():
        paths = sorted(p for p in folder.rglob("*") if p.is_file())
        return folder, paths, 0.0
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    paths = make_archive.make_archive(n, folder)
    elapsed = time.perf_counter() - start
    done.write_text(f"{len(paths)}\n")
    return folder, paths, elapsed


def store_size(store: Path) -> int:
    return sum(p.stat().st_size for p in store.parent.glob(store.name + "*"))


def draft_warm(store_path: Path, out: Path, runs: int) -> list[float]:
    """draft_reply called in this process, as drafter/cli.py does; the first call warms caches and is dropped."""
    from drafter.app import draft_reply
    from drafter.formats import find_format
    from drafter.config.office import load_office
    from drafter.store import Store
    office = load_office(None)
    fmt = find_format("政协提案答复")
    times = []
    with Store(store_path) as store:
        for n in range(runs + 1):
            start = time.perf_counter()
            draft_reply(store, "TA0395", "阳城,高平", fmt, office, out, (), True)
            times.append(time.perf_counter() - start)
            if n == 1 and times[-1] > 10:
                runs = 3  # a slow draft: three timed calls are enough for a median
            if n >= runs:
                break
    return times[1:]


def fts_times(store_path: Path, runs: int) -> tuple[int, list[float]]:
    db = sqlite3.connect(store_path)
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = db.execute(FTS_QUERY).fetchone()[0]
        times.append(time.perf_counter() - start)
    db.close()
    return count, times


def bench_size(work: Path, n: int, profile: bool) -> dict:
    print(f"\n== {n} documents", flush=True)
    folder, paths, gen_s = archive(work, n)
    archive_bytes = sum(p.stat().st_size for p in paths)
    print(f"archive: {len(paths)} files, {archive_bytes / 1e6:.1f} MB"
          + (f" (generated in {gen_s:.0f} s)" if gen_s else " (reused)"), flush=True)

    texts = [plain_text(p) for p in paths]
    text_bytes = sum(len(t.encode("utf-8")) for t in texts)
    text_chars = sum(len(t) for t in texts)
    floor = jieba_floor(texts)
    del texts
    print(f"text: {text_chars / 1e6:.2f} M chars, {text_bytes / 1e6:.1f} MB UTF-8; "
          f"jieba.cut {floor['jieba_cut_s']:.1f} s, cut_for_search(HMM=False) {floor['jieba_cut_for_search_s']:.1f} s",
          flush=True)

    store = work / f"store-{n}" / "store.sqlite"
    shutil.rmtree(store.parent, ignore_errors=True)
    store.parent.mkdir(parents=True)
    drafter = BIN / "drafter"
    first = measure([drafter, "--store", store, "ingest", folder])
    print(f"ingest: {first['wall']:.1f} s, {len(paths) / first['wall']:.0f} docs/s, "
          f"{archive_bytes / 1e6 / first['wall']:.2f} MB/s, peak RSS {first['rss_kb'] / 1024:.0f} MB"
          f"  [{first['stdout'].splitlines()[0] if first['stdout'] else ''}]", flush=True)
    again = measure([drafter, "--store", store, "ingest", folder])
    print(f"re-ingest: {again['wall']:.2f} s ({again['wall'] / first['wall']:.3f} of first), "
          f"peak RSS {again['rss_kb'] / 1024:.0f} MB", flush=True)
    measure([drafter, "--store", store, "proposals", "import", PROPOSALS])
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        sentences = db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    size = store_size(store)
    print(f"store: {size / 1e6:.1f} MB for {text_bytes / 1e6:.1f} MB of text ({size / text_bytes:.1f}x), "
          f"{sentences} sentences", flush=True)

    out = work / f"reply-{n}.docx"
    cold = [measure([BIN / "draft-reply", "--store", store, "--proposal", "TA0395", "--counties", "阳城,高平",
                     "--output", out, "--force"]) for _ in range(DRAFT_RUNS)]
    cold_s = [c["wall"] for c in cold]
    warm_s = draft_warm(store, work / f"reply-warm-{n}.docx", DRAFT_RUNS)
    hits, fts_s = fts_times(store, DRAFT_RUNS)
    print(f"draft-reply cold: median {statistics.median(cold_s):.2f} s (runs {', '.join(f'{t:.2f}' for t in cold_s)}), "
          f"peak RSS {max(c['rss_kb'] for c in cold) / 1024:.0f} MB", flush=True)
    print(f"draft-reply warm: median {statistics.median(warm_s) * 1000:.0f} ms; "
          f"raw FTS5 query: median {statistics.median(fts_s) * 1000:.1f} ms ({hits} rows)", flush=True)

    result = {
        "documents": len(paths), "archive_mb": archive_bytes / 1e6, "text_mb": text_bytes / 1e6,
        "text_chars": text_chars, "sentences": sentences,
        "ingest_s": first["wall"], "ingest_cpu_s": first["cpu"], "ingest_rss_mb": first["rss_kb"] / 1024,
        "docs_per_s": len(paths) / first["wall"], "mb_per_s": archive_bytes / 1e6 / first["wall"],
        "reingest_s": again["wall"], "reingest_ratio": again["wall"] / first["wall"],
        **floor, "ingest_over_floor": first["wall"] / floor["jieba_cut_s"],
        "store_mb": size / 1e6, "store_over_text": size / text_bytes,
        "draft_cold_s": statistics.median(cold_s), "draft_cold_runs": cold_s,
        "draft_rss_mb": max(c["rss_kb"] for c in cold) / 1024,
        "draft_warm_s": statistics.median(warm_s), "fts_ms": statistics.median(fts_s) * 1000, "fts_rows": hits,
    }
    if profile:
        result["profiles"] = profile_stages(work, n, folder, store)
    return result


# --- profiling ---------------------------------------------------------------------------------------

_PROFILED = r"""
import cProfile, sys
from drafter.cli import {entry} as entry
profiler = cProfile.Profile()
sys.argv = sys.argv[1:]
profiler.enable()
try:
    entry()
except SystemExit:
    pass
finally:
    profiler.disable()
    profiler.dump_stats({out!r})
"""


def profile_stages(work: Path, n: int, folder: Path, store: Path) -> dict:
    """cProfile a fresh ingest and a cold draft; print the top functions by own and cumulative time."""
    import pstats
    outputs = {}
    fresh = work / f"store-{n}-profile" / "store.sqlite"
    shutil.rmtree(fresh.parent, ignore_errors=True)
    runs = {
        "ingest": ("main", ["drafter", "--store", fresh, "ingest", folder]),
        "draft": ("draft_reply_main", ["draft-reply", "--store", store, "--proposal", "TA0395",
                                       "--counties", "阳城,高平", "--output", work / "reply-profile.docx", "--force"]),
    }
    for name, (entry, argv) in runs.items():
        out = work / f"{name}-{n}.prof"
        subprocess.run([sys.executable, "-c", _PROFILED.format(entry=entry, out=str(out)), *map(str, argv)],
                       check=True, stdout=subprocess.DEVNULL, env=ENV, cwd=CWD)
        for order in ("tottime", "cumulative"):
            text = io.StringIO()
            pstats.Stats(str(out), stream=text).strip_dirs().sort_stats(order).print_stats(18)
            print(f"\n-- profile of {name} ({n} docs), by {order}\n" + text.getvalue().split("\n\n", 1)[-1].strip())
        outputs[name] = str(out)
    return outputs


# --- which code is measured --------------------------------------------------------------------------

def use_code(work: Path, live: bool) -> str:
    """Pin the code measured: a snapshot of HEAD's drafter/ and templates/ (others edit the working tree
    while a run takes half an hour), or the live working tree with --working-tree. Returns a label."""
    global CWD
    CWD = work  # never the project folder: no ./templates, no drafter/ on the path from the cwd
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    if live:
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "drafter", "templates"],
                               capture_output=True, text=True).stdout.strip()
        return f"working tree at {head}" + (" (with uncommitted changes)" if dirty else "")
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    code.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD", "drafter", "templates"],
                             capture_output=True, check=True).stdout
    import tarfile
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(code)
    # what pyproject's package-dir does for an installed drafter
    shutil.copytree(code / "templates", code / "drafter" / "shipped_templates")
    ENV["PYTHONPATH"] = str(code) + os.pathsep + ENV.get("PYTHONPATH", "")
    ENV["DRAFTER_TEMPLATES"] = str(code / "templates")
    os.environ["DRAFTER_TEMPLATES"] = str(code / "templates")
    sys.path.insert(0, str(code))
    return f"HEAD {head} (snapshot)"


# --- report --------------------------------------------------------------------------------------

def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return {"nproc": os.cpu_count(), "cpu": model, "ram_mb": mem, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "date": datetime.date.today().isoformat()}


def verdicts(results: dict[int, dict]) -> list[str]:
    lines = []
    for n, r in results.items():
        lines.append(f"{n} docs: ingest {r['ingest_over_floor']:.2f}x jieba.cut floor (target <= 2)  "
                     f"{'PASS' if r['ingest_over_floor'] <= 2 else 'FAIL'}")
        lines.append(f"{n} docs: re-ingest {r['reingest_ratio']:.3f} of first (target < 0.1)  "
                     f"{'PASS' if r['reingest_ratio'] < 0.1 else 'FAIL'}")
        peak = max(r["ingest_rss_mb"], r["draft_rss_mb"])
        lines.append(f"{n} docs: peak RSS {peak:.0f} MB (target < 500)  {'PASS' if peak < 500 else 'FAIL'}")
        target = 1.5 if n <= 10_000 else 2.0  # the targets: 1.5 s on 10k documents, 2 s on 100k
        lines.append(f"{n} docs: draft-reply cold {r['draft_cold_s']:.2f} s (target < {target} s)  "
                     f"{'PASS' if r['draft_cold_s'] < target else 'FAIL'}")
    return lines


def table(results: dict[int, dict]) -> str:
    rows = [
        ("archive files / MB", lambda r: f"{r['documents']} / {r['archive_mb']:.1f}"),
        ("text (UTF-8 MB, M chars)", lambda r: f"{r['text_mb']:.1f} MB, {r['text_chars'] / 1e6:.2f} M"),
        ("ingest wall (s)", lambda r: f"{r['ingest_s']:.1f}"),
        ("ingest docs/s, MB/s", lambda r: f"{r['docs_per_s']:.0f}, {r['mb_per_s']:.2f}"),
        ("jieba.cut floor (s)", lambda r: f"{r['jieba_cut_s']:.1f}"),
        ("jieba cut_for_search HMM=False (s)", lambda r: f"{r['jieba_cut_for_search_s']:.1f}"),
        ("ingest / floor", lambda r: f"{r['ingest_over_floor']:.2f}x"),
        ("re-ingest (s, share of first)", lambda r: f"{r['reingest_s']:.2f}, {r['reingest_ratio']:.3f}"),
        ("ingest peak RSS (MB)", lambda r: f"{r['ingest_rss_mb']:.0f}"),
        ("store size (MB, x text)", lambda r: f"{r['store_mb']:.1f}, {r['store_over_text']:.1f}x"),
        ("sentences", lambda r: f"{r['sentences']}"),
        ("draft-reply cold, median of 5 (s)", lambda r: f"{r['draft_cold_s']:.2f}"),
        ("draft-reply peak RSS (MB)", lambda r: f"{r['draft_rss_mb']:.0f}"),
        ("draft_reply warm, in-process (ms)", lambda r: f"{r['draft_warm_s'] * 1000:.0f}"),
        ("raw FTS5 query (ms)", lambda r: f"{r['fts_ms']:.1f}"),
    ]
    sizes = list(results)
    lines = ["| measure | " + " | ".join(f"{n} docs" for n in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(results[n]) for n in sizes) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="archive sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--keep", type=Path, help="keep archives, stores and results in DIR (reused next run)")
    parser.add_argument("--profile", action="store_true", help="also cProfile an ingest and a cold draft (smallest size)")
    parser.add_argument("--working-tree", action="store_true",
                        help="measure the live working tree instead of a snapshot of HEAD")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="drafter-bench-"))
    if ROOT / "corpus" in (work, *work.parents):
        parser.error("--keep must not point into the shipped corpus")
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["code"] = use_code(work, args.working_tree)
    print(f"machine: {info['nproc']} cpu, {info['cpu']}, {info['ram_mb']} MB RAM; Python {info['python']}, "
          f"SQLite {info['sqlite']}; {info['date']}; drafter: {info['code']}; work in {work}")
    try:
        # profiling a 10k ingest would double its half hour: profile the smallest size only
        results = {n: bench_size(work, n, args.profile and n == min(sizes)) for n in sizes}
        print("\n" + table(results) + "\n")
        print("\n".join(verdicts(results)))
        (work / "results.json").write_text(json.dumps({"machine": info, "results": results}, indent=2,
                                                      ensure_ascii=False))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
