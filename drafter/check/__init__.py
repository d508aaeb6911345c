"""`drafter check`: lint any reply .docx (drafter's or hand-made) before it is sent, and fix what needs no rewording."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import OutputError
from ..profile import Profile, load_profile
from .docmodel import open_docx, read_checked
from .findings import ERROR, SEVERITY_NAMES, WARNING, Finding, FixReport
from .fixes import apply_fixes
from .rules_layout import check_layout
from .rules_text import check_text

__all__ = ["check_docx", "fix_docx", "fixed_copy_path", "Finding", "FixReport", "ERROR", "WARNING",
           "SEVERITY_NAMES"]

FIXED_SUFFIX = ".已修正"


def _profile(profile: Profile | Path | str | None) -> Profile:
    return profile if isinstance(profile, Profile) else load_profile(profile)


def check_docx(path: Path | str, profile: Profile | Path | str | None = None) -> list[Finding]:
    """Every finding on the reply at `path`, in the order of the letter (file-wide ones first)."""
    doc = read_checked(Path(path), _profile(profile))
    found = check_layout(doc) + check_text(doc)
    return sorted(found, key=lambda f: (f.paragraph is not None, f.paragraph or 0))


def fixed_copy_path(src: Path | str) -> Path:
    src = Path(src)
    return src.with_name(src.stem + FIXED_SUFFIX + src.suffix)


def fix_docx(src: Path | str, dst: Path | str | None = None, profile: Profile | Path | str | None = None,
             force: bool = False) -> FixReport:
    """Write a corrected copy of `src` (never `src` itself) and say what was fixed and what is left."""
    src, prof = Path(src), _profile(profile)
    dst = Path(dst) if dst else fixed_copy_path(src)
    if dst.resolve() == src.resolve():
        raise OutputError(f"修正稿不能覆盖原文件：{src}", "请另给一个文件名，或不指定，默认写为 文件名.已修正.docx。")
    if dst.exists() and not force:
        raise OutputError(f"修正稿已存在：{dst}", "如要替换它，请加 --force；或先删除、改名。")
    document = open_docx(src)
    doc = read_checked(src, prof, document)
    before = check_layout(doc) + check_text(doc)
    apply_fixes(doc, {f.code for f in before if f.fixable})
    try:
        handle, tmp = tempfile.mkstemp(suffix=".docx", dir=dst.parent)
    except OSError as e:
        raise OutputError(f"无法写入文件夹：{dst.parent}（{e.strerror}）", "请检查文件夹是否存在、是否有写入权限。") from e
    os.close(handle)
    try:
        document.save(tmp)
        os.replace(tmp, dst)
    except OSError as e:
        raise OutputError(f"无法写出修正稿：{dst}（{e.strerror}）", "请检查文件是否正被 Word/WPS 打开。") from e
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    left = check_docx(dst, prof)
    still = {f.code for f in left}
    fixed = tuple(f for f in before if f.fixable and f.code not in still)
    return FixReport(src, dst, fixed, tuple(left))
