"""Errors a clerk can act on: a Chinese message and a hint of what to do next."""
from __future__ import annotations


class DrafterError(Exception):
    """Something in the input or the data is wrong; the CLI prints it and exits 1."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class StoreError(DrafterError):
    """The store file cannot be opened or used (corrupt, locked, too new)."""


class ReadError(DrafterError):
    """A file cannot be read as a document (corrupt, encrypted, empty, not text)."""


class ProposalError(DrafterError):
    """A proposal is unknown or a proposals file is malformed."""


class PlaceError(DrafterError):
    """A county is unknown, belongs to another city, or is given twice."""


class TemplateError(DrafterError):
    """A reply template is missing, broken, or does something it may not."""


class OutputError(DrafterError):
    """The draft cannot be written where asked."""


class ProfileError(DrafterError):
    """An office's profile (--profile) cannot be read, holds a wrong setting or names something drafter does not know."""


class LexiconError(DrafterError):
    """An office's topic lexicon cannot be read or is not in the lexicon's shape."""
