"""Benchmark drafter at a bureau's archive scale (issue 20): ingest against raw segmentation, re-ingest,
cold drafts against a fresh Python's start-up, memory and CPU of every command's whole process tree, store size.

Usage: .venv/bin/python bench/run.py [--sizes 1000,10000] [--keep DIR] [--profile] [--working-tree]

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
TWO_COUNTIES = "阳城,高平"
SIX_COUNTIES = "阳城,高平,城区,陵川,泽州,沁水"
# Environment and folder for every measured subprocess; set by use_code() to pin the code measured.
ENV: dict[str, str] = dict(os.environ)
CWD: Path = ROOT

sys.path.insert(0, str(HERE))
import make_archive  # noqa: E402
from targets import STARTUP_FLOOR, plain_text, segmentation_floor, spread, spread_text, table, verdicts  # noqa: E402


def measure(cmd: list) -> dict:
    """Run cmd under tree_rss.py in a fresh process: wall time, CPU and peak RSS of cmd's whole process tree,
    each its own (not the maximum over all runs, as getrusage in this process would give)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run([sys.executable, HERE / "tree_rss.py", "--json", report.name, *map(str, cmd)],
                       check=True, env=ENV, cwd=CWD)
        result = json.loads(Path(report.name).read_text())
    if result["rc"] != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {result['rc']}:\n{result['stderr']}{result['stdout']}")
    if result["stragglers"]:
        print(f"warning: {result['stragglers']} descendants of {cmd[0]} still ran 30 s after it: "
              "their CPU is not counted", flush=True)
    # a 0.1 s sample can miss a short peak; the largest single process's own peak is a floor for the tree's
    result["rss_mb"] = max(result["tree_rss_kb"], result["max_process_rss_kb"]) / 1024
    return result


def summary(runs: list[dict]) -> dict:
    return {"wall": spread([r["wall"] for r in runs]), "cpu": spread([r["cpu"] for r in runs]),
            "rss_mb": spread([r["rss_mb"] for r in runs]), "wall_runs": [r["wall"] for r in runs]}


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
    """The store on disk: the database and its write-ahead log and shared-memory index, where present."""
    files = (store, store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm"))
    return sum(f.stat().st_size for f in files if f.exists())


def cold_series(store: Path, out: Path, counties: str, runs: int = DRAFT_RUNS) -> dict:
    """Fresh draft-reply processes interleaved with the start-up floor (floor, draft, floor, draft ...), so
    both see the same machine load. The first draft counts: it is the one that may load a dictionary."""
    floors, drafts = [], []
    for _ in range(runs):
        floors.append(measure(STARTUP_FLOOR))
        drafts.append(measure([BIN / "draft-reply", "--store", store, "--proposal", "TA0395",
                               "--counties", counties, "--output", out, "--force"]))
    floor, draft = summary(floors), summary(drafts)
    return {"counties": counties, "floor": floor, "draft": draft,
            "ratio_median": draft["wall"]["median"] / floor["wall"]["median"],
            "ratio_max": draft["wall"]["max"] / floor["wall"]["max"],
            # for reference: CPU is steadier than wall time when others load the machine
            "cpu_ratio_median": draft["cpu"]["median"] / floor["cpu"]["median"]}


def print_series(series: dict) -> None:
    draft, floor = series["draft"], series["floor"]
    print(f"draft-reply cold, {len(series['counties'].split(','))} counties: {spread_text(draft['wall'])} s "
          f"(min / median / max), start-up floor beside it {spread_text(floor['wall'])} s; "
          f"ratio of medians {series['ratio_median']:.2f}, of maxes {series['ratio_max']:.2f} "
          f"(of CPU medians {series['cpu_ratio_median']:.2f})\n"
          f"  runs in order: draft {', '.join(f'{t:.2f}' for t in draft['wall_runs'])}; "
          f"floor {', '.join(f'{t:.2f}' for t in floor['wall_runs'])}\n"
          f"  whole tree: CPU {spread_text(draft['cpu'])} s (floor {spread_text(floor['cpu'])} s), "
          f"peak RSS {spread_text(draft['rss_mb'], digits=0)} MB (floor {spread_text(floor['rss_mb'], digits=0)} MB)",
          flush=True)


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
            draft_reply(store, "TA0395", TWO_COUNTIES, fmt, office, out, (), True)
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


def first_line(text: str) -> str:
    return text.splitlines()[0] if text.strip() else ""


# jieba's own times (for comparison with earlier results) only up to this size: twelve minutes at 100k.
JIEBA_REFERENCE_UP_TO = 10_000


def bench_size(work: Path, n: int, profile: bool) -> dict:
    print(f"\n== {n} documents", flush=True)
    folder, paths, gen_s = archive(work, n)
    archive_bytes = sum(p.stat().st_size for p in paths)
    print(f"archive: {len(paths)} files, {archive_bytes / 1e6:.1f} MB"
          + (f" (generated in {gen_s:.0f} s)" if gen_s else " (reused)"), flush=True)

    texts = [plain_text(p) for p in paths]
    text_bytes = sum(len(t.encode("utf-8")) for t in texts)
    text_chars = sum(len(t) for t in texts)
    floor = segmentation_floor(texts, jieba_reference=n <= JIEBA_REFERENCE_UP_TO)
    del texts
    print(f"text: {text_chars / 1e6:.2f} M chars, {text_bytes / 1e6:.1f} MB UTF-8; floor: rjieba cut(HMM off) "
          f"{floor['rjieba_cut_s']:.2f} s" + (f"; for reference: jieba.cut {floor['jieba_cut_s']:.1f} s, "
          f"jieba.cut_for_search(HMM=False) {floor['jieba_cut_for_search_s']:.1f} s" if floor["jieba_cut_s"] else ""),
          flush=True)

    store = work / f"store-{n}" / "store.sqlite"
    shutil.rmtree(store.parent, ignore_errors=True)
    store.parent.mkdir(parents=True)
    # the segmenter's cache beside this store, fresh: what ingest and import leave is all a draft finds
    ENV["DRAFTER_CACHE"] = os.environ["DRAFTER_CACHE"] = str(store.parent / "cache")
    drafter = BIN / "drafter"
    first = measure([drafter, "--store", store, "ingest", folder])
    print(f"ingest: {first['wall']:.1f} s, {len(paths) / first['wall']:.0f} docs/s, "
          f"{archive_bytes / 1e6 / first['wall']:.2f} MB/s, {first['wall'] / floor['rjieba_cut_s']:.2f}x the floor; "
          f"whole tree: CPU {first['cpu']:.1f} s, peak RSS {first['rss_mb']:.0f} MB "
          f"(largest process {first['max_process_rss_kb'] / 1024:.0f} MB)  [{first_line(first['stdout'])}]", flush=True)
    again = measure([drafter, "--store", store, "ingest", folder])
    print(f"re-ingest: {again['wall']:.2f} s ({again['wall'] / first['wall']:.3f} of first); whole tree: "
          f"CPU {again['cpu']:.1f} s, peak RSS {again['rss_mb']:.0f} MB", flush=True)
    imported = measure([drafter, "--store", store, "proposals", "import", PROPOSALS])
    db = sqlite3.connect(store)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    sentences = db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    size = store_size(store)
    db.close()
    print(f"proposals import: {imported['wall']:.2f} s; store: {size / 1e6:.1f} MB for {text_bytes / 1e6:.1f} MB "
          f"of text ({size / text_bytes:.2f}x), {sentences} sentences", flush=True)

    drafts = draft_series(work, n, store)
    hits, fts_s = fts_times(store, DRAFT_RUNS)
    fts = spread(fts_s)
    print(f"raw FTS5 query: {spread_text(fts, 1000, 1)} ms ({hits} rows)", flush=True)

    result = {
        "documents": len(paths), "archive_mb": archive_bytes / 1e6, "text_mb": text_bytes / 1e6,
        "text_chars": text_chars, "sentences": sentences,
        "ingest_s": first["wall"], "ingest_cpu_s": first["cpu"], "ingest_rss_mb": first["rss_mb"],
        "ingest_max_process_rss_mb": first["max_process_rss_kb"] / 1024,
        "docs_per_s": len(paths) / first["wall"], "mb_per_s": archive_bytes / 1e6 / first["wall"],
        "reingest_s": again["wall"], "reingest_cpu_s": again["cpu"], "reingest_rss_mb": again["rss_mb"],
        "reingest_ratio": again["wall"] / first["wall"],
        "import_s": imported["wall"], "import_rss_mb": imported["rss_mb"],
        **floor, "ingest_over_floor": first["wall"] / floor["rjieba_cut_s"],
        "ingest_over_jieba_cut": first["wall"] / floor["jieba_cut_s"] if floor["jieba_cut_s"] else None,
        "store_mb": size / 1e6, "store_over_text": size / text_bytes,
        **drafts, "fts_ms": {k: v * 1000 for k, v in fts.items()}, "fts_rows": hits,
    }
    if profile:
        result["profiles"] = profile_stages(work, n, folder, store)
    return result


def drafts_again(work: Path, n: int) -> dict:
    """The cold and warm drafts of `bench_size`, from the store an earlier run kept in `work` (--drafts-only:
    a change that touches only drafting is measured in minutes; ingest and the store are not measured)."""
    store = work / f"store-{n}" / "store.sqlite"
    if not store.exists():
        raise SystemExit(f"--drafts-only: no store of {n} documents in {work} (run once with --keep {work})")
    print(f"\n== {n} documents (drafts only, from {store})", flush=True)
    ENV["DRAFTER_CACHE"] = os.environ["DRAFTER_CACHE"] = str(store.parent / "cache")
    return draft_series(work, n, store)


def draft_series(work: Path, n: int, store: Path) -> dict:
    """Cold drafts of 2 and 6 counties against the floor, then warm drafts in-process."""
    out = work / f"reply-{n}.docx"
    two = cold_series(store, out, TWO_COUNTIES)
    print_series(two)
    six = cold_series(store, out, SIX_COUNTIES)
    print_series(six)
    warm = spread(draft_warm(store, work / f"reply-warm-{n}.docx", DRAFT_RUNS))
    print(f"draft_reply warm, in-process: {spread_text(warm, 1000, 0)} ms", flush=True)
    return {"draft2": two, "draft6": six, "draft_cold_s": two["draft"]["wall"]["median"], "draft_warm_s": warm}


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
        # the click command itself: the console entry point leaves the process before the profile is written
        "draft": ("draft_reply", ["draft-reply", "--store", store, "--proposal", "TA0395",
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
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "drafter")], check=True)  # see below
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
    # and what pip does when it installs it: the modules byte-compiled, as the libraries beside them are (a
    # PYTHONDONTWRITEBYTECODE environment would otherwise have every measured process compile drafter again)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "drafter")], check=True)
    ENV["PYTHONPATH"] = str(code) + os.pathsep + ENV.get("PYTHONPATH", "")
    ENV["DRAFTER_TEMPLATES"] = str(code / "templates")
    os.environ["DRAFTER_TEMPLATES"] = str(code / "templates")
    sys.path.insert(0, str(code))
    found = subprocess.run([sys.executable, "-c", "import drafter; print(drafter.__file__)"], env=ENV, cwd=CWD,
                           capture_output=True, text=True, check=True).stdout.strip()
    if not Path(found).is_relative_to(code):
        raise SystemExit(f"the measured processes would import drafter from {found}, not the snapshot in {code}")
    return f"HEAD {head} (snapshot)"


# --- report --------------------------------------------------------------------------------------

def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    from importlib.metadata import version
    return {"nproc": os.cpu_count(), "cpu": model, "ram_mb": mem, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "rjieba": version("rjieba"), "jieba": version("jieba"),
            "date": datetime.date.today().isoformat(),
            "time": datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M UTC")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="archive sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--keep", type=Path, help="keep archives, stores and results in DIR (reused next run)")
    parser.add_argument("--profile", action="store_true", help="also cProfile an ingest and a cold draft (smallest size)")
    parser.add_argument("--working-tree", action="store_true",
                        help="measure the live working tree instead of a snapshot of HEAD")
    parser.add_argument("--drafts-only", action="store_true",
                        help="only the drafts, from the stores an earlier run kept in --keep DIR (no ingest)")
    args = parser.parse_args(argv)
    if args.drafts_only and not args.keep:
        parser.error("--drafts-only drafts from the stores of an earlier run: give its --keep DIR")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="drafter-bench-"))
    if ROOT / "corpus" in (work, *work.parents):
        parser.error("--keep must not point into the shipped corpus")
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["code"] = use_code(work, args.working_tree)
    print(f"machine: {info['nproc']} cpu, {info['cpu']}, {info['ram_mb']} MB RAM; Python {info['python']}, "
          f"SQLite {info['sqlite']}, rjieba {info['rjieba']}, jieba {info['jieba']}; {info['date']} {info['time']}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; drafter: {info['code']}; work in {work}")
    try:
        if args.drafts_only:
            results = {n: drafts_again(work, n) for n in sizes}
            print("\n" + "\n".join(verdicts(results)))
            (work / "results-drafts.json").write_text(json.dumps({"machine": info, "results": results}, indent=2,
                                                                 ensure_ascii=False))
            return 0
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
