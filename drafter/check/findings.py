"""What a check reports: one finding with where it is, what is wrong and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"      # a sent reply must not carry it (a comment, a placeholder, a repeated number)
WARNING = "warning"  # off the standard; worth fixing before it is sent

SEVERITY_NAMES = {ERROR: "错误", WARNING: "提醒"}
EXCERPT_CHARS = 14


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a reply. `paragraph` is 1-based as a clerk counts them (None: the whole file)."""

    code: str
    severity: str
    paragraph: int | None
    excerpt: str
    message: str
    fix: str
    fixable: bool = False
    # Every paragraph with the same fault, when one finding stands for several.
    paragraphs: tuple[int, ...] = ()

    def as_json(self) -> dict:
        return {"code": self.code, "severity": self.severity, "paragraph": self.paragraph,
                "excerpt": self.excerpt, "paragraphs": list(self.paragraphs or ([self.paragraph] if self.paragraph else [])),
                "message": self.message, "fix": self.fix, "fixable": self.fixable}


@dataclass(frozen=True)
class FixReport:
    """What `fix_docx` did: the corrected copy, the findings it fixed and those left for the clerk."""

    source: Path
    output: Path
    fixed: tuple[Finding, ...] = ()
    left: tuple[Finding, ...] = field(default_factory=tuple)

    def as_json(self) -> dict:
        return {"file": str(self.source), "fixed_copy": str(self.output),
                "fixed": [f.as_json() for f in self.fixed], "left": [f.as_json() for f in self.left]}


def excerpt(text: str) -> str:
    """A paragraph's first words, as a clerk would search for them in Word."""
    flat = " ".join(text.split())
    return flat[:EXCERPT_CHARS] + ("…" if len(flat) > EXCERPT_CHARS else "")
