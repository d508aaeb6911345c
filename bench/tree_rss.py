"""Wall time, CPU and peak memory of a command with all its descendants (ingest's workers included).

Usage: python bench/tree_rss.py [--json OUT] CMD [ARG ...]

Memory: the resident sets (VmRSS) of the command and every descendant, summed, sampled from /proc every
0.1 s; pages shared between processes count once per process, so the sum errs high. A sample can miss a
short peak, so the largest single process's own peak (getrusage's ru_maxrss) is reported beside it.
CPU: user + system time of every descendant waited for (getrusage(RUSAGE_CHILDREN)). This process makes
itself a child subreaper, so a descendant orphaned by its parent (multiprocessing's forkserver may outlive
ingest's main process) is reparented here, sampled, waited for and counted too.

With --json, the command's output goes to temporary files and the measures, with the tail of its stdout
and stderr, are written to OUT as JSON; without, the command's stdout is dropped and one line printed.
"""
from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

SAMPLE_EVERY_S = 0.1
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
ORPHANS_WAIT_S = 30.0        # how long to wait for orphaned descendants after the command exits


def tree_rss_kb(root: int, include_root: bool = True) -> int:
    """The summed VmRSS of root and all its descendants (without root itself unless include_root)."""
    children: dict[int, list[int]] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(pid))
    total, stack = 0, [root] if include_root else list(children.get(root, []))
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


_tree_rss_kb = tree_rss_kb  # the name hostile_ingest.py imports


def _become_subreaper() -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_orphans(deadline: float) -> int:
    """Wait for every remaining child (orphans reparented here); returns how many were still running at
    the deadline (their CPU is then missing from the total)."""
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return 0
        if pid == 0:
            time.sleep(0.02)
    return sum(1 for _ in _children_of(os.getpid()))


def _children_of(parent: int):
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == parent:
                    yield int(pid)
        except (OSError, IndexError, ValueError):
            continue


def run(cmd: list[str], stdout=subprocess.DEVNULL, stderr=None) -> dict:
    """Run cmd to its end; the measures of it and all its descendants."""
    subreaper = _become_subreaper()
    me = os.getpid()
    peak, samples = 0, 0
    stop = threading.Event()

    def sample() -> None:
        # A thread, so that the main thread's blocking wait sees the command's exit at once (a wait with a
        # timeout polls, and would add up to 50 ms to a 0.3 s draft).
        nonlocal peak, samples
        while True:
            peak = max(peak, tree_rss_kb(me, include_root=False))
            samples += 1
            if stop.wait(SAMPLE_EVERY_S):
                return

    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=stdout, stderr=stderr)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    returncode = process.wait()
    wall = time.perf_counter() - start
    stragglers = _reap_orphans(time.monotonic() + ORPHANS_WAIT_S)
    stop.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rc": returncode, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "cpu_user": usage.ru_utime, "cpu_sys": usage.ru_stime,
            "tree_rss_kb": peak, "max_process_rss_kb": usage.ru_maxrss, "samples": samples,
            "subreaper": subreaper, "stragglers": stragglers}


def _head_and_tail(stream, keep: int = 4000) -> str:
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    if size <= 2 * keep:
        return stream.read().decode("utf-8", "replace")
    head = stream.read(keep)
    stream.seek(size - keep)
    return (head.decode("utf-8", "replace") + "\n[...]\n" + stream.read().decode("utf-8", "replace"))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--json"]:
        out, cmd = argv[1], argv[2:]
        with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
            result = run(cmd, stdout, stderr)
            for name, stream in (("stdout", stdout), ("stderr", stderr)):
                result[name] = _head_and_tail(stream)
        with open(out, "w") as f:
            json.dump(result, f)
        return 0
    result = run(argv)
    print(f"wall {result['wall']:.1f} s, cpu {result['cpu']:.1f} s, peak RSS of the process tree "
          f"{result['tree_rss_kb'] / 1024:.0f} MB (largest process {result['max_process_rss_kb'] / 1024:.0f} MB), "
          f"exit {result['rc']}")
    return result["rc"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
