"""Issue 20's targets, what drafter is weighed against (raw segmentation of the archive's text, a fresh
Python importing what a draft needs), and the verdicts and table that say how it fares."""
from __future__ import annotations

import io
import logging
import statistics
import sys
import time
from pathlib import Path

# The targets (issue 20). Ratios are of wall times.
DRAFT_2_OVER_STARTUP = 1.3     # cold draft, 2 counties, against the start-up floor run beside it
DRAFT_6_OVER_STARTUP = 2.0     # the same with 6 counties
DRAFT_GROWTH_FROM_10K = 1.3    # median cold 2-county draft at the largest size over that at 10k (below)
GROWTH_BASE = 10_000
INGEST_OVER_SEGMENTATION = 1.2  # ingest wall against rjieba over the same plain text
INGEST_WALL_S = 300
PEAK_RSS_MB = 500              # of any measured command's whole process tree
REINGEST_SHARE = 0.05          # re-ingest of the unchanged archive, share of the first ingest
STORE_OVER_TEXT = 2.6          # store on disk after a WAL checkpoint, over the text's UTF-8 bytes

# A draft's start-up floor: the same interpreter drafter runs in, importing what a draft cannot do without.
STARTUP_FLOOR = [sys.executable, "-c", "import docx, jinja2, click, jieba"]


def spread(values: list[float]) -> dict:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def spread_text(s: dict, scale: float = 1.0, digits: int = 2) -> str:
    return " / ".join(f"{s[k] * scale:.{digits}f}" for k in ("min", "median", "max"))


# --- the text of the archive, read as plain text -----------------------------------------------------

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


# --- segmentation floors -----------------------------------------------------------------------------

def segmentation_floor(texts: list[str], jieba_reference: bool = True) -> dict:
    """Time raw segmentation over the texts, in this process, each segmenter built first (its dictionary
    load is not timed). rjieba's `cut(text, False)` is the floor: it is what drafter segments with (see
    drafter/text/segmenter.py). jieba's `cut` (defaults) and `cut_for_search(HMM=False)` are timed for
    reference, to compare with earlier results."""
    import rjieba
    tokenizer = rjieba.Jieba()
    start = time.perf_counter()
    for text in texts:
        tokenizer.cut(text, False)
    rjieba_s = time.perf_counter() - start
    if not jieba_reference:  # twelve minutes at 100k documents, for figures already on record
        return {"rjieba_cut_s": rjieba_s, "jieba_cut_s": None, "jieba_cut_for_search_s": None}

    import jieba
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
    return {"rjieba_cut_s": rjieba_s, "jieba_cut_s": cut, "jieba_cut_for_search_s": search}


# --- verdicts and table ------------------------------------------------------------------------------

def _verdict(label: str, value: str, target: str, ok: bool) -> str:
    return f"{label}: {value} (target {target})  {'PASS' if ok else 'FAIL'}"


def verdicts(results: dict[int, dict]) -> list[str]:
    lines = []
    for n, r in results.items():
        for key, limit in (("draft2", DRAFT_2_OVER_STARTUP), ("draft6", DRAFT_6_OVER_STARTUP)):
            s = r[key]
            what = f"{n} docs: cold draft, {len(s['counties'].split(','))} counties"
            lines.append(_verdict(f"{what}, median", f"{s['ratio_median']:.2f}x the start-up floor's median",
                                  f"<= {limit}x", s["ratio_median"] <= limit))
            lines.append(_verdict(f"{what}, max", f"{s['ratio_max']:.2f}x the start-up floor's max",
                                  f"<= {limit}x", s["ratio_max"] <= limit))
        if "ingest_s" not in r:
            continue  # drafts only (--drafts-only)
        lines.append(_verdict(f"{n} docs: ingest", f"{r['ingest_over_floor']:.2f}x rjieba over the text",
                              f"<= {INGEST_OVER_SEGMENTATION}x", r["ingest_over_floor"] <= INGEST_OVER_SEGMENTATION))
        lines.append(_verdict(f"{n} docs: ingest wall", f"{r['ingest_s']:.1f} s", f"< {INGEST_WALL_S} s",
                              r["ingest_s"] < INGEST_WALL_S))
        lines.append(_verdict(f"{n} docs: ingest peak RSS, whole tree", f"{r['ingest_rss_mb']:.0f} MB",
                              f"< {PEAK_RSS_MB} MB", r["ingest_rss_mb"] < PEAK_RSS_MB))
        others = max(r["reingest_rss_mb"], r["import_rss_mb"], r["draft2"]["draft"]["rss_mb"]["max"],
                     r["draft6"]["draft"]["rss_mb"]["max"])
        lines.append(_verdict(f"{n} docs: peak RSS of re-ingest, import and drafts, whole tree", f"{others:.0f} MB",
                              f"< {PEAK_RSS_MB} MB", others < PEAK_RSS_MB))
        lines.append(_verdict(f"{n} docs: re-ingest", f"{r['reingest_ratio']:.3f} of the first",
                              f"< {REINGEST_SHARE}", r["reingest_ratio"] < REINGEST_SHARE))
        lines.append(_verdict(f"{n} docs: store", f"{r['store_over_text']:.2f}x the text",
                              f"<= {STORE_OVER_TEXT}x", r["store_over_text"] <= STORE_OVER_TEXT))
    largest = max(results)
    if GROWTH_BASE in results and largest > GROWTH_BASE:
        growth = results[largest]["draft_cold_s"] / results[GROWTH_BASE]["draft_cold_s"]
        lines.append(_verdict(f"cold 2-county draft growth {GROWTH_BASE} -> {largest} docs",
                              f"{growth:.2f}x (medians)", f"< {DRAFT_GROWTH_FROM_10K}x", growth < DRAFT_GROWTH_FROM_10K))
    else:
        lines.append(f"cold 2-county draft growth: not measured (needs {GROWTH_BASE} and a larger size)")
    return lines


def _series_rows(key: str, n: int, limit: float) -> list[tuple]:
    return [
        (f"**cold draft, {n} counties** (s, min / median / max)", lambda r: spread_text(r[key]["draft"]["wall"]), ""),
        ("start-up floor beside it (s, min / median / max)", lambda r: spread_text(r[key]["floor"]["wall"]), ""),
        ("**draft / floor**, medians; maxes", lambda r: f"{r[key]['ratio_median']:.2f}x; {r[key]['ratio_max']:.2f}x",
         f"<= {limit}x"),
        ("reference: draft / floor, CPU medians", lambda r: f"{r[key]['cpu_ratio_median']:.2f}x", ""),
        (f"cold draft, {n} counties: CPU (s), peak RSS (MB), whole tree, max",
         lambda r: f"{r[key]['draft']['cpu']['max']:.2f}, {r[key]['draft']['rss_mb']['max']:.0f}", ""),
    ]


def table(results: dict[int, dict]) -> str:
    rows = [
        ("archive files / MB", lambda r: f"{r['documents']} / {r['archive_mb']:.1f}", ""),
        ("text (UTF-8 MB, M chars)", lambda r: f"{r['text_mb']:.1f} MB, {r['text_chars'] / 1e6:.2f} M", ""),
        ("ingest wall (s)", lambda r: f"{r['ingest_s']:.1f}", f"< {INGEST_WALL_S}"),
        ("ingest docs/s, MB/s", lambda r: f"{r['docs_per_s']:.0f}, {r['mb_per_s']:.2f}", ""),
        ("ingest CPU, whole tree (s)", lambda r: f"{r['ingest_cpu_s']:.1f}", ""),
        ("floor: rjieba cut, HMM off (s)", lambda r: f"{r['rjieba_cut_s']:.2f}", ""),
        ("**ingest / rjieba floor**", lambda r: f"{r['ingest_over_floor']:.2f}x", f"<= {INGEST_OVER_SEGMENTATION}x"),
        ("reference: jieba.cut; cut_for_search HMM=False (s)",
         lambda r: f"{r['jieba_cut_s']:.1f}; {r['jieba_cut_for_search_s']:.1f}" if r["jieba_cut_s"] else "not run", ""),
        ("reference: ingest / jieba.cut",
         lambda r: f"{r['ingest_over_jieba_cut']:.2f}x" if r["ingest_over_jieba_cut"] else "not run", ""),
        ("**ingest peak RSS, whole tree** (MB; largest process)",
         lambda r: f"{r['ingest_rss_mb']:.0f}; {r['ingest_max_process_rss_mb']:.0f}", f"< {PEAK_RSS_MB}"),
        ("**re-ingest** (s, share of first; peak RSS MB)",
         lambda r: f"{r['reingest_s']:.2f}, {r['reingest_ratio']:.3f}; {r['reingest_rss_mb']:.0f}", f"< {REINGEST_SHARE}"),
        ("**store** (MB, x text)", lambda r: f"{r['store_mb']:.1f}, {r['store_over_text']:.2f}x", f"<= {STORE_OVER_TEXT}x"),
        ("sentences", lambda r: f"{r['sentences']}", ""),
        *_series_rows("draft2", 2, DRAFT_2_OVER_STARTUP),
        *_series_rows("draft6", 6, DRAFT_6_OVER_STARTUP),
        ("draft_reply warm, in-process (ms, min / median / max)", lambda r: spread_text(r["draft_warm_s"], 1000, 0), ""),
        ("raw FTS5 query (ms, min / median / max)", lambda r: spread_text(r["fts_ms"], digits=1), ""),
    ]
    sizes = list(results)
    lines = ["| measure | " + " | ".join(f"{n} docs" for n in sizes) + " | target |",
             "|---|" + "---|" * len(sizes) + "---|"]
    for label, cell, target in rows:
        lines.append(f"| {label} | " + " | ".join(cell(results[n]) for n in sizes) + f" | {target} |")
    return "\n".join(lines)
