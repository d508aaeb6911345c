"""Ingest: files and folders into the store, one transaction per document, with progress and a summary."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import ReadError
from .feedback import commented_passages, drafted_of, match, match_commented, sources_beside
from .gazetteer import gazetteer_for
from .read import SUPPORTED_SUFFIXES, read
from .store import Store
from .understand import reading_version, understand
from .understand.reply import recognise


@dataclass
class IngestReport:
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
        return "文件不存在，可能在导入过程中被移走或删除"
    return str(error.strerror or error)


def discover(paths: Iterable[Path], report: IngestReport) -> Iterator[Path]:
    """Files under the given paths, recursively and in a stable order; unreadable folders are reported."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            def on_error(error: OSError, folder: Path = path) -> None:
                report.skipped.append((Path(error.filename or folder), f"文件夹无法读取（{_why(error)}）"))
            for folder, dirs, files in os.walk(path, onerror=on_error):
                dirs.sort()
                for name in sorted(files):
                    yield Path(folder) / name
        elif path.exists():
            yield path
        else:
            report.skipped.append((path, "文件不存在"))


# Below this many files to read, one process is quicker than starting workers (each loads jieba).
_PARALLEL_FROM = 24


def _prepare(path: Path, city: str | None, county: str | None, places: Path | None) -> tuple[str, object]:
    """Read, understand and segment one file; run in a worker process for large folders."""
    try:
        document = read(path)
    except ReadError as e:
        return "skip", e.message
    except OSError as e:
        return "skip", f"无法读取（{_why(e)}）"
    gazetteer = gazetteer_for(places)  # built once per worker process
    reading = understand(document, gazetteer, city, county)
    terms = [" ".join(gazetteer.segmenter.index_terms(s.text)) for p in reading.paragraphs for s in p.sentences]
    # A sent reply, and, when the draft's sources.json came back beside it, what the clerk did with the draft.
    sent = recognise(reading, gazetteer, document.context)
    sources = sources_beside(path) if sent else None
    outcomes = match(drafted_of(sources), sent.items) if sources else []
    # Without it, the source comments the clerk left say which passages came from where.
    commented = commented_passages(path) if sent and not sources and path.suffix.lower() == ".docx" else []
    return "ok", (reading, terms, sent, (outcomes, commented))


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
            progress(done, len(files), path)

    version = reading_version(gazetteer_for(places))
    todo = []  # (path, absolute path, sha256, size, state) of files whose content is not stored yet
    for path in files:
        if path.name.startswith((".", "~$")) or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            report.ignored.append(path)
            tick(path)
            continue
        try:
            data = path.read_bytes()
        except OSError as e:
            report.skipped.append((path, f"无法读取（{_why(e)}）"))
            tick(path)
            continue
        sha = hashlib.sha256(data).hexdigest()
        state = store.document_state(path.resolve(), sha, version)
        if state == "unchanged":
            report.unchanged.append(path)
            tick(path)
        else:
            todo.append((path, path.resolve(), sha, len(data), state))

    workers = workers or min(os.cpu_count() or 1, 4)  # each worker holds its own jieba dictionary (~100 MB)
    args = ([t[0] for t in todo], [city] * len(todo), [county] * len(todo), [places] * len(todo))
    if workers > 1 and len(todo) >= _PARALLEL_FROM:
        # Workers start from a fresh interpreter, not a copy of this process: forked here, each would
        # carry (and, as Python touches it, duplicate) the whole archive's file list.
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"))
        try:
            _store_all(store, todo, _in_order(executor, args, ahead=workers * 8), report, tick, version)
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        executor.shutdown()
    else:
        _store_all(store, todo, map(_prepare, *args), report, tick, version)
    return report


def _in_order(executor: ProcessPoolExecutor, args: tuple[list, ...], ahead: int) -> Iterator:
    """`_prepare` over the files in worker processes, results in order, with at most `ahead` files in
    flight: `executor.map` would queue them all, and the readings of a 100k archive would pile up in
    memory whenever the workers outpace the one process that writes."""
    pending: deque = deque()
    for task in zip(*args):
        pending.append(executor.submit(_prepare, *task))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _store_all(store: Store, todo: list, prepared: Iterator, report: IngestReport, tick, version: str) -> None:
    for (path, absolute, sha, size, state), (outcome, result) in zip(todo, prepared):
        if outcome == "skip":
            report.skipped.append((path, result))
        else:
            reading, terms, sent, (outcomes, commented) = result
            if commented:
                outcomes = match_commented(commented, sent.items, store.stored_sentences)
            document_id = store.save_document(absolute, sha, size, reading, terms, version)
            if sent is not None:
                store.save_reply(document_id, sent, outcomes)
            {"changed": report.replaced, "outdated": report.reread}.get(state, report.new).append(path)
        tick(path)
