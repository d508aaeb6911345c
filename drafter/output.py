"""Writing a draft and its sources.json: both or neither, and never over a file saved meanwhile.

How the pair changes together: every file is first written in full to a temporary file beside its target.
A marker file in the folder (`.drafter-<name hash>.pending`, created exclusively, so it is also the lock
that lets only one writer of that name in at a time) records the pairs and the phase: "writing" while the
temporary files are written, "placing" once all of them are complete on disk. Then each is put in place:
without --force by a hard link, which fails if a file of that name appeared since the first check (the
clerk saved one meanwhile, a parallel draft won), so nothing is ever overwritten; with --force by rename.
A run killed part way (kill -9, power loss) leaves the marker: the next draft into that folder finishes
the job before anything else, rolling back a pair still being written and rolling forward a pair being
placed, so a new draft is never left beside the old sources.json. Temporary files of writers that are
gone are swept at the same time; SIGTERM and SIGHUP while writing clean up like an error does."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .errors import OutputError

NAME_MAX_BYTES = 255
_MARKER = re.compile(r"^\.drafter-([0-9a-f]{12})\.pending$")
_TEMP = re.compile(r"^\.drafter-([0-9a-f]{12})-(\d+)-\d+\.tmp$")
# Temporary files of drafter versions before the marker (".<stem>.<random>.docx.tmp"), swept once old.
_OLD_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.(?:docx|json)\.tmp$")
_OLD_TEMP_AGE = 3600
SPACE_HINT = "请检查磁盘空间和文件夹权限。"


def default_output(proposal_id: str) -> Path:
    """案号答复.docx in the current folder, whatever characters the 案号 holds (never a path elsewhere)."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", proposal_id.strip()).lstrip(".") or "提案"
    return Path(f"{name}答复.docx")


def check_output(output: Path, side: Path, force: bool) -> None:
    """Refuse, before any work, an output the draft could not be written to."""
    if output.suffix.lower() != ".docx":
        raise OutputError(f"输出文件名应以 .docx 结尾：{output}", "请用 --output 指定如 答复.docx 的文件名。")
    for path in (output, side):
        size = len(os.fsencode(path.name))
        if size > NAME_MAX_BYTES:
            raise OutputError(f"输出文件名太长：{path.name}（{size} 字节；文件系统最多允许 {NAME_MAX_BYTES} 字节，"
                              "约 80 个汉字，旁边的 .sources.json 也要用这个名字）。",
                              "请用 --output 指定短一些的文件名，如 案号答复.docx。")
    if not output.parent.is_dir():
        raise OutputError(f"输出文件夹不存在：{output.parent}", "请先建立该文件夹，或用 --output 指定已有的位置。")
    if not os.access(output.parent, os.W_OK):
        raise OutputError(f"输出文件夹没有写权限：{output.parent}", "请用 --output 指定一个可写的位置。")
    for path in (output, side):
        if os.path.lexists(path) and not force:
            raise OutputError(f"文件已存在：{path}（可能是已修改过的稿子），未覆盖。",
                              "如确需替换，请加 --force；或用 --output 另指定文件名。")


def write_together(writers: dict[Path, Callable[[Path], None]], force: bool) -> None:
    """Write every file beside its target, then put them all in place (see the module's docstring)."""
    targets = list(writers)
    folder = targets[0].parent
    key = hashlib.sha1(targets[0].name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    marker = folder / f".drafter-{key}.pending"
    pairs = [(target, folder / f".drafter-{key}-{os.getpid()}-{n}.tmp") for n, target in enumerate(targets)]
    target = targets[0]
    try:
        sweep(folder)
        with _terminate_cleanly():
            _claim(marker, pairs, force)
            try:
                for target, temp in pairs:
                    _write_temp(temp, target, writers[target])
                _record(marker, pairs, force, "placing")
                _place(pairs, force)
            finally:
                for _, temp in pairs:
                    _unlink(temp)
                _unlink(marker)
    except OSError as e:
        raise OutputError(f"无法写出文件：{target}（{_why(e)}）", SPACE_HINT) from e


def _why(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "磁盘已满"
    if error.errno == errno.EROFS:
        return "所在位置是只读的"
    if error.errno == errno.ENAMETOOLONG:
        return "文件名太长"
    return str(error.strerror or error)


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM or SIGHUP while the files are written end the program through the cleanup, not around it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, leave) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _claim(marker: Path, pairs: list[tuple[Path, Path]], force: bool) -> None:
    for attempt in range(2):
        try:
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            if _holder_alive(marker):
                raise OutputError(f"另一个 draft-reply 正在写出同名文件：{pairs[0][0]}，本次未写出。",
                                  "请等它完成后再试，或用 --output 另指定文件名。") from None
            _recover(marker)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(_plan(pairs, force, "writing"), f)  # ASCII: a name in undecodable bytes survives
        return
    raise OutputError(f"无法写出文件：{pairs[0][0]}（上次中断留下的记录无法清除：{marker}）",
                      "请删除该记录文件后再试。")


def _plan(pairs, force: bool, phase: str) -> dict:
    return {"pid": os.getpid(), "force": force, "phase": phase,
            "pairs": [[os.fsdecode(t), os.fsdecode(p)] for t, p in pairs]}


def _record(marker: Path, pairs, force: bool, phase: str) -> None:
    """Rewrite the marker in one step (a new file renamed over it): it is never seen half written."""
    staged = marker.with_name(marker.name + f".{os.getpid()}")
    with open(staged, "w", encoding="utf-8") as f:
        json.dump(_plan(pairs, force, phase), f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(staged, marker)
    _sync_folder(marker.parent)


def _write_temp(temp: Path, target: Path, write: Callable[[Path], None]) -> None:
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    write(temp)
    # A temporary file is private; a draft is an ordinary document, readable as the umask allows.
    os.chmod(temp, _ordinary_mode(target))
    with open(temp, "rb+") as f:
        os.fsync(f.fileno())


def _place(pairs: list[tuple[Path, Path]], force: bool) -> None:
    placed: list[Path] = []
    try:
        for target, temp in pairs:
            if force:
                os.replace(temp, target)
            else:
                os.link(temp, target)  # fails if the name was taken since the first check
            placed.append(target)
    except FileExistsError as e:
        for target in placed:  # ours, linked a moment ago: the pair goes in whole or not at all
            _unlink(target)
        raise OutputError(f"文件已存在：{e.filename or pairs[0][0]}（在起草期间刚被保存或写出），未覆盖。",
                          "如确需替换，请加 --force；或用 --output 另指定文件名。") from None
    _sync_folder(pairs[0][0].parent)


def sweep(folder: Path) -> None:
    """Finish what a killed draft left in `folder`, and remove temporary files no live writer owns."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if _MARKER.match(name) and not _holder_alive(folder / name):
            _recover(folder / name)
    now = time.time()
    for name in names:
        temp = _TEMP.match(name)
        path = folder / name
        try:
            if temp and not process_alive(int(temp.group(2))) and not (folder / f".drafter-{temp.group(1)}.pending").exists():
                _unlink(path)
            elif _OLD_TEMP.match(name) and now - path.stat().st_mtime > _OLD_TEMP_AGE:
                _unlink(path)
        except OSError:
            continue


def _recover(marker: Path) -> None:
    """Roll a dead writer's pair back (still writing) or forward (placing), then drop its marker."""
    try:
        plan = json.loads(marker.read_text(encoding="utf-8"))
        pairs = [(Path(t), Path(p)) for t, p in plan["pairs"]]
        placing, force = plan.get("phase") == "placing", bool(plan.get("force"))
    except (OSError, ValueError, KeyError, TypeError):
        pairs, placing, force = [], False, False
    for target, temp in pairs:
        if placing and temp.exists():
            try:
                if force:
                    os.replace(temp, target)
                elif not os.path.lexists(target):
                    os.link(temp, target)
            except OSError:
                pass
        _unlink(temp)
    _unlink(marker)


# Writing a draft takes seconds; a marker older than this is a dead writer's even if its pid was reused.
_MARKER_LIFETIME = 600


def _holder_alive(marker: Path) -> bool:
    try:
        if time.time() - marker.stat().st_mtime > _MARKER_LIFETIME:
            return False
        return process_alive(int(json.loads(marker.read_text(encoding="utf-8"))["pid"]))
    except FileNotFoundError:
        return True  # gone meanwhile: its writer finished; the next claim will tell
    except (OSError, ValueError, KeyError, TypeError):
        # Unreadable or half written: a writer that has just created it, unless it is old.
        try:
            return time.time() - marker.stat().st_mtime < 60
        except OSError:
            return True


def process_alive(pid: int) -> bool:
    """True while process `pid` runs (a zombie, dead but not yet reaped, counts as gone)."""
    if pid == os.getpid():
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _ordinary_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777  # a replaced draft keeps its permissions
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
