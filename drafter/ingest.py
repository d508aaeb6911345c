"""Ingest: files and folders into the store, one transaction per document, with progress and a summary."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import ReadError
from .gazetteer import Gazetteer, default_gazetteer
from .read import SUPPORTED_SUFFIXES, read
from .store import Store
from .tokenize import index_terms
from .understand import understand


@dataclass
class IngestReport:
    new: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)
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


def ingest(store: Store, paths: Iterable[Path], city: str | None = None, county: str | None = None,
           progress: Callable[[int, int, Path], None] | None = None,
           gazetteer: Gazetteer | None = None) -> IngestReport:
    """Read, understand and store every supported file; a bad file is skipped with its reason."""
    gazetteer = gazetteer or default_gazetteer()
    report = IngestReport()
    files = list(discover(paths, report))
    for done, path in enumerate(files, 1):
        if progress:
            progress(done, len(files), path)
        if path.name.startswith((".", "~$")) or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            report.ignored.append(path)
            continue
        try:
            data = path.read_bytes()
        except OSError as e:
            report.skipped.append((path, f"无法读取（{_why(e)}）"))
            continue
        sha = hashlib.sha256(data).hexdigest()
        absolute = path.resolve()
        state = store.document_state(absolute, sha)
        if state == "unchanged":
            report.unchanged.append(path)
            continue
        try:
            document = read(path)
        except ReadError as e:
            report.skipped.append((path, e.message))
            continue
        reading = understand(document, gazetteer, city, county)
        terms = (" ".join(index_terms(s.text)) for p in reading.paragraphs for s in p.sentences)
        store.save_document(absolute, sha, len(data), reading, terms)
        (report.replaced if state == "changed" else report.new).append(path)
    return report
