"""Peak memory of a command with all its child processes (ingest's workers included), sampled from /proc."""
from __future__ import annotations

import os
import subprocess
import sys
import time


def _tree_rss_kb(root: int) -> int:
    children: dict[int, list[int]] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(pid))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


def main() -> int:
    started = time.perf_counter()
    process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_kb(process.pid))
        time.sleep(0.1)
    print(f"wall {time.perf_counter() - started:.1f} s, peak RSS of the process tree {peak / 1024:.0f} MB, "
          f"exit {process.returncode}")
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
