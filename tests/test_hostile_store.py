"""A full disk, a read-only store and a locked store each get a Chinese message saying what happened and
what to do, never a traceback; ingest still prints its summary. The disk is a real tmpfs of a few MB."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import drafter.store
from conftest import run_drafter

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("阳城县", "高平市", "政务云", "数据共享", "平台", "建成", "推进", "全年", "办件", "部门", "系统", "迁移",
         "网格", "应急", "指挥", "医保", "凭证", "激活", "热线", "受理", "诉求", "办结率", "达到", "完成")


def prose(seed: int, sentences: int) -> str:
    rng = random.Random(seed)
    return "".join("".join(rng.choices(WORDS, k=12)) + f"{rng.randint(1, 999)}个。" for _ in range(sentences))


def archive(folder: Path, files: int, sentences: int, first: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(first, first + files):
        (folder / f"材料{n:02d}.txt").write_text(f"第{n}号工作情况\n\n{prose(n, sentences)}\n", encoding="utf-8")
    return folder


def drafter_process(*args: str, entry: str = "main", timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", f"from drafter.cli import {entry}; {entry}()", *args],
                          capture_output=True, timeout=timeout, cwd=ROOT)


class TinyDisk:
    def __init__(self, folder: Path, size: str):
        self.folder = folder
        folder.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.folder)], check=True)

    def fill(self, leave_bytes: int) -> None:
        free = os.statvfs(self.folder).f_bavail * os.statvfs(self.folder).f_frsize
        with open(self.folder / "填满.bin", "wb") as f:
            f.write(b"\0" * max(0, free - leave_bytes))

    def remove(self) -> None:
        subprocess.run(["umount", "-l", str(self.folder)], check=True)


@pytest.fixture
def tiny_disk(tmp_path):
    disks: list[TinyDisk] = []

    def make(size: str) -> TinyDisk:
        disks.append(TinyDisk(tmp_path / f"disk{len(disks)}", size))
        return disks[-1]

    yield make
    for disk in disks:
        disk.remove()


def no_traceback(result: subprocess.CompletedProcess) -> str:
    err = result.stderr.decode("utf-8")
    assert "Traceback" not in err and "程序内部出错" not in err and "Exception ignored" not in err, err
    return err


def test_a_disk_filling_up_mid_ingest_is_said_plainly_and_the_summary_still_printed(tmp_path, tiny_disk):
    disk = tiny_disk("3m")
    folder = archive(tmp_path / "材料", files=12, sentences=600)
    result = drafter_process("--store", str(disk.folder / "store.sqlite"), "ingest", str(folder))
    no_traceback(result)
    out = result.stdout.decode("utf-8")
    assert result.returncode == 1
    assert "新导入" in out and "跳过" in out, out
    full = next(l for l in out.splitlines() if "磁盘已满" in l)
    assert "清理磁盘空间" in full
    with sqlite3.connect(disk.folder / "store.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_full_disk_under_the_draft_is_said_plainly_without_a_traceback(sample_store, tmp_path, tiny_disk):
    disk = tiny_disk("1m")
    disk.fill(leave_bytes=8 * 1024)
    result = drafter_process("--store", str(sample_store), "--proposal", "TA0395", "--counties", "阳城",
                             "--output", str(disk.folder / "reply.docx"), entry="draft_reply_main")
    err = no_traceback(result)
    assert result.returncode == 1 and "磁盘已满" in err and "磁盘空间" in err
    assert sorted(p.name for p in disk.folder.iterdir()) == ["填满.bin"]


def test_a_read_only_store_is_called_read_only_not_corrupt(tmp_path, tiny_disk):
    disk = tiny_disk("8m")
    store = disk.folder / "store.sqlite"
    assert drafter_process("--store", str(store), "ingest", str(archive(tmp_path / "旧", 1, 5))).returncode == 0
    disk.read_only()
    result = drafter_process("--store", str(store), "ingest", str(archive(tmp_path / "新", 2, 5, first=10)))
    err = no_traceback(result)
    said = err + result.stdout.decode("utf-8")
    assert result.returncode == 1 and "只读" in said and "备份恢复" not in said, said
    assert "写权限" in said or "--store" in said


def test_a_store_locked_by_another_program_is_said_plainly_and_the_summary_printed(tmp_path, monkeypatch):
    store = tmp_path / "store.sqlite"
    assert run_drafter(store, "ingest", str(archive(tmp_path / "旧", 1, 5))).exit_code == 0
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a database viewer, or a stuck process, holding the write lock
    try:
        monkeypatch.setattr(drafter.store, "LOCK_WAIT_SECONDS", 1)
        result = run_drafter(store, "ingest", str(archive(tmp_path / "新", 2, 5, first=10)))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "新导入 0 个" in result.output
    locked = next(l for l in result.output.splitlines() if "占用" in l)
    assert "材料10.txt" in locked


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as f:
                children.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def _running(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] not in "ZX":
                    alive.add(pid)
        except OSError:
            continue
    return alive


def test_ingest_workers_die_with_their_parent(tmp_path):
    folder = archive(tmp_path / "材料", files=40, sentences=2500)  # enough work queued for a minute
    ingest = subprocess.Popen([sys.executable, "-c", "from drafter.cli import main; main()", "--store",
                               str(tmp_path / "store.sqlite"), "ingest", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(workers) < 3:  # the forkserver and two workers at least
            time.sleep(0.2)
            workers = _descendants(ingest.pid)
        assert len(workers) >= 3, "no workers started"
        time.sleep(2)  # every worker busy with the files queued to it
        workers = _descendants(ingest.pid)
        ingest.send_signal(signal.SIGKILL)
        ingest.wait()
        deadline = time.monotonic() + 5
        while _running(workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _running(workers), "workers still running after their ingest was killed"
    finally:
        for pid in _running(workers | _descendants(ingest.pid)):
            os.kill(pid, signal.SIGKILL)


def test_a_worker_killed_mid_ingest_costs_no_file(tmp_path):
    # What the kernel's OOM killer does to a worker reading a hostile file: the pool is replaced, the
    # files in flight are read again, and every file is stored.
    folder = archive(tmp_path / "材料", files=26, sentences=300)
    ingest = subprocess.Popen([sys.executable, "-c", "from drafter.cli import main; main()", "--store",
                               str(tmp_path / "store.sqlite"), "ingest", str(folder)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.monotonic() + 60
    while len(_descendants(ingest.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(max(_descendants(ingest.pid)), signal.SIGKILL)  # the last worker started
    out, err = ingest.communicate(timeout=300)
    assert ingest.returncode == 0, (out.decode(), err.decode())
    assert "新导入 26 个" in out.decode() and b"Traceback" not in err
