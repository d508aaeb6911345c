"""Ingest: files and folders into the store, one transaction per document, with progress and a summary.

One bad file never costs the others: whatever reading it raises, runs out of (time, memory, a worker
process), it becomes that file's "skipped" line with a reason, and the ingest goes on."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import ReadError, StoreError
from .feedback import commented_passages, drafted_of, match, match_commented, sources_beside
from .gazetteer import gazetteer_for
from .output import process_alive
from .read import SUPPORTED_SUFFIXES, read
from .read.files import chunks, printable_path
from .store import Store
from .understand.document import understand
from .understand.version import reading_version
from .understand.reply import recognise

# A file that takes longer than this to read and segment is given up (named in the summary): real
# reports take a few seconds, a whole yearbook a few seconds a megabyte.
PER_FILE_SECONDS = 60
SECONDS_PER_MB = 10


@dataclass
class IngestReport:
    """What happened to each file. Paths are as the clerk sees them: a name the file system holds in
    bytes that are not UTF-8 (GBK from a Windows zip) is shown decoded, so the summary can print it."""
    new: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)
    reread: list[Path] = field(default_factory=list)  # unchanged files read again with newer data or rules
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # with the reason, in Chinese
    ignored: list[Path] = field(default_factory=list)  # not a kind of file drafter reads

    @property
    def ok(self) -> bool:
        return not self.skipped


def _why(error: OSError) -> str:
    """The reason a file or folder could not be read, in words a clerk can act on."""
    if isinstance(error, PermissionError):
        return "没有读取权限，请检查权限或复制到自己的文件夹后再导入"
    if isinstance(error, FileNotFoundError):
        return "文件不存在，可能在导入过程中被移走或删除，或是指向不存在位置的链接"
    return str(error.strerror or error)


def discover(paths: Iterable[Path], report: IngestReport) -> Iterator[Path]:
    """Files under the given paths, recursively and in a stable order; unreadable folders are reported."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk(path, report)
        elif os.path.lexists(path):
            yield path
        else:
            report.skipped.append((printable_path(path), "文件不存在"))


def _walk(top: Path, report: IngestReport) -> Iterator[Path]:
    """Depth first, names sorted; a linked folder is entered once: a link back to a folder already
    read (a loop, or a second way into one) is reported and not followed again."""
    entered: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            report.skipped.append((printable_path(Path(e.filename or folder)), f"文件夹无法读取（{_why(e)}）"))
            continue
        if (info.st_dev, info.st_ino) in entered:
            report.skipped.append((printable_path(folder), "链接到已经读过的文件夹（或形成循环），未重复读取"))
            continue
        entered.add((info.st_dev, info.st_ino))
        folders = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()  # follows a link
            except OSError:
                is_folder = False
            if is_folder:
                folders.append(Path(entry.path))
            else:
                yield Path(entry.path)
        stack.extend(reversed(folders))


# Below this many files to read, one process is quicker than starting workers (each loads a dictionary and
# the gazetteer).
_PARALLEL_FROM = 24


class _OutOfTime(BaseException):
    """Raised by the per-file alarm; a BaseException so no reader's `except Exception` can swallow it."""


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _prepare(path: Path, city: str | None, county: str | None, places: Path | None) -> tuple[str, object]:
    """Read, understand and segment one file; run in a worker process for large folders."""
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    budget = PER_FILE_SECONDS + SECONDS_PER_MB * size / (1024 * 1024)
    try:
        with _time_budget(budget):
            document = read(path)
            gazetteer = gazetteer_for(places)  # built once per worker process
            reading = understand(document, gazetteer, city, county)
            indexed = [gazetteer.segmenter.indexed(s.text) for p in reading.paragraphs for s in p.sentences]
            # A sent reply, and, when the draft's sources.json came back beside it, what the clerk did
            # with the draft; without it, the source comments the clerk left say which passages came from where.
            sent = recognise(reading, gazetteer, document.context)
            sources = sources_beside(path) if sent else None
            outcomes = match(drafted_of(sources), sent.items) if sources else []
            commented = commented_passages(path) if sent and not sources and path.suffix.lower() == ".docx" else []
            # The title and headings a draft weighs a passage by, cut here where the segmenter is loaded anyway.
            asked = {reading.title, *(p.section[-1] for p in reading.paragraphs if p.section)}
            # Cut, not remembered here: this process holds no memory of them (the ingest keeps them).
            short = {text: gazetteer.segmenter.words(text) for text in asked if text}
    except ReadError as e:
        return "skip", e.message
    except OSError as e:
        return "skip", f"无法读取（{_why(e)}）"
    except _OutOfTime:
        return "skip", (f"读取超过 {budget:.0f} 秒仍未完成，已放弃；文件可能异常庞大或结构异常，"
                        "请打开确认后另存为 .docx 或拆分后再导入")
    except MemoryError:
        return "skip", "读取时内存不足，已放弃；文件可能异常庞大，请拆分后再导入"
    except Exception as e:  # noqa: BLE001 - a reader library's own failure on one hostile file
        return "skip", (f"文件无法解析（{type(e).__name__}），可能已损坏或格式特殊；"
                        "请用 Word、WPS 或 PDF 阅读器打开后另存一份再导入")
    return "ok", (reading, indexed, sent, (outcomes, commented), short)


def _as_stored(path: Path) -> Path:
    """A file's path as the store knows it: absolute, links resolved, printable."""
    return printable_path(path.absolute().resolve())


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for piece in chunks(path):
        digest.update(piece)
        size += len(piece)
    return digest.hexdigest(), size


def ingest(store: Store, paths: Iterable[Path], city: str | None = None, county: str | None = None,
           progress: Callable[[int, int, Path], None] | None = None, workers: int | None = None,
           places: Path | None = None) -> IngestReport:
    """Read, understand and store every supported file; a bad file is skipped with its reason. `places`:
    the office's own place file, read over the shipped gazetteer.

    Files are read and segmented in parallel (`workers` processes, default one per core) and stored one
    transaction each, in order, by this process alone: an interruption leaves every stored file whole."""
    report = IngestReport()
    files = list(discover(paths, report))
    done = 0

    def tick(path: Path) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(files), printable_path(path))

    version = reading_version(gazetteer_for(places))
    segmenter = gazetteer_for(places).segmenter
    # (path, sha256, size, state) of files whose content is not stored yet. The path as stored is made again
    # when the file is saved: kept here, it was a second path object a file (60 MB at 100k files).
    todo = []
    for path in files:
        shown = printable_path(path)
        if path.name.startswith((".", "~$")) or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            report.ignored.append(shown)
            tick(path)
            continue
        try:
            sha, size = _sha256(path)
        except ReadError as e:
            report.skipped.append((shown, e.message))
            tick(path)
            continue
        except OSError as e:
            report.skipped.append((shown, f"无法读取（{_why(e)}）"))
            tick(path)
            continue
        state = store.document_state(_as_stored(path), sha, version)
        if state == "unchanged":
            report.unchanged.append(shown)
            tick(path)
        else:
            todo.append((path, sha, size, state))

    workers = workers or min(os.cpu_count() or 1, 4)  # each worker holds its own dictionary and gazetteer (~150 MB)
    # A clerk's correction of a file's county is read like a hint given for that file alone: the sentences
    # that name no place ("我县…") then belong to the corrected county too.
    fixes = [store.correction(t[1]) for t in todo]
    args = ([t[0] for t in todo], [city] * len(todo),
            [fix.county if fix and fix.county else county for fix in fixes], [places] * len(todo))
    if workers > 1 and len(todo) >= _PARALLEL_FROM:
        pool = _Workers(workers)
        try:
            _store_all(store, todo, pool.in_order(args, ahead=workers * 8), report, tick, version, segmenter)
        finally:
            pool.close()
    else:
        _store_all(store, todo, map(_prepare, *args), report, tick, version, segmenter)
    segmenter.save()  # the titles and headings cut above, for the drafts to come
    written = len(report.new) + len(report.replaced) + len(report.reread)
    if written:
        try:
            store.merge_index(written)
        except StoreError:
            pass  # a full disk or a lock: merging only speeds drafts up, and what was stored is whole
    return report


def _die_with(parent: int) -> None:
    """Worker initializer: a worker ends when the ingest that started it ends, however it ended.

    The kernel kills it when its own parent (the forkserver, which exits with the ingest) goes; a thread
    watches the ingest itself where that is not available."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while process_alive(parent):
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="drafter-parent-watch", daemon=True).start()


class _Workers:
    """A process pool that survives a worker dying on one file (the kernel's OOM killer, a crash in a
    C library): that file is tried once more on its own, and skipped if it kills a worker again."""

    def __init__(self, count: int):
        self.count = count
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # Workers start from a fresh interpreter, not a copy of this process: forked here, each would
        # carry (and, as Python touches it, duplicate) the whole archive's file list.
        return ProcessPoolExecutor(max_workers=self.count, mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=_die_with, initargs=(os.getpid(),))

    def _restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    def in_order(self, args: tuple[list, ...], ahead: int) -> Iterator:
        """`_prepare` over the files, results in order, with at most `ahead` files in flight:
        `executor.map` would queue them all, and the readings of a 100k archive would pile up in
        memory whenever the workers outpace the one process that writes."""
        pending: deque = deque()
        tasks = iter(zip(*args))
        while True:
            while len(pending) < ahead and (task := next(tasks, None)) is not None:
                pending.append((task, self.executor.submit(_prepare, *task)))
            if not pending:
                return
            task, future = pending.popleft()
            try:
                yield future.result()
                continue
            except BrokenProcessPool:
                pass
            self._restart()
            retry = self.executor.submit(_prepare, *task)  # alone, so a second death is this file's own
            try:
                yield retry.result()
            except BrokenProcessPool:
                self._restart()
                yield "skip", "读取该文件时处理进程意外退出（可能是内存不足或文件结构异常），已跳过；请拆分或另存后再导入"
            pending = deque((t, self.executor.submit(_prepare, *t)) for t, _ in pending)


def _store_all(store: Store, todo: list, prepared: Iterator, report: IngestReport, tick, version: str,
               segmenter) -> None:
    for n, ((path, sha, size, state), (outcome, result)) in enumerate(zip(todo, prepared)):
        shown = printable_path(path)
        if outcome == "skip":
            report.skipped.append((shown, result))
        else:
            reading, indexed, sent, (outcomes, commented), short = result
            segmenter.remember(short)
            if commented:
                outcomes = match_commented(commented, sent.items, store.stored_sentences)
            try:
                document_id = store.save_document(_as_stored(path), sha, size, reading, indexed, version)
                if sent is not None:
                    store.save_reply(document_id, sent, outcomes)
            except StoreError as e:
                # The store cannot take more (disk full, read-only, locked): say so on this file and
                # list the rest as not stored, so the summary still tells what happened to each.
                report.skipped.append((shown, f"{e.message}{e.hint}"))
                for rest, *_ in todo[n + 1:]:
                    report.skipped.append((printable_path(rest), "未导入：资料库无法写入（原因见上）"))
                return
            {"changed": report.replaced, "outdated": report.reread}.get(state, report.new).append(shown)
        tick(path)
