"""Every file location drafter decides, and every DRAFTER_* environment variable, read in one place."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

# The variables a clerk or an office's set-up may set; documented in docs/contract.md.
STORE = "DRAFTER_STORE"          # the store file
CACHE = "DRAFTER_CACHE"          # folder for caches (segmentations of short texts)
TOPICS = "DRAFTER_TOPICS"        # an office's own topic lexicon (TOML)
TEMPLATES = "DRAFTER_TEMPLATES"  # a folder of the office's own reply formats
PROFILE = "DRAFTER_PROFILE"      # the office's profile (TOML), used when --profile is not given


# drafter's own folder: drafter is installed as files (pip, or editable), never run from a zip, so its data
# is read from beside its modules. importlib.resources says the same at 12-18 ms of every cold draft.
_PACKAGE = Path(__file__).resolve().parent.parent


def package_data(*parts: str) -> Path:
    """A file shipped in drafter/data (the gazetteer, cue files, the default profile)."""
    return _PACKAGE.joinpath("data", *parts)


def shipped_templates() -> Path:
    """The folder of the formats installed with drafter (the repository's templates/, see pyproject.toml)."""
    spec = importlib.util.find_spec("drafter.shipped_templates")
    return Path(next(iter(spec.submodule_search_locations)))


def setting(name: str) -> str | None:
    """An environment variable's value, None when unset or empty."""
    return os.environ.get(name) or None


def data_folder() -> Path:
    """The per-user folder drafter keeps its files in when nothing else is set."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "drafter"


def default_store_path() -> Path:
    """DRAFTER_STORE, else a per-user data folder."""
    given = setting(STORE)
    return Path(given) if given else data_folder() / "store.sqlite"


def cache_folder() -> Path:
    """DRAFTER_CACHE, else beside the store named by DRAFTER_STORE, else the per-user data folder: never a
    shared temporary folder, so each store (and each test) keeps its own."""
    given = setting(CACHE)
    if given:
        return Path(given)
    store = setting(STORE)
    return (Path(store).parent if store else data_folder()) / ".drafter-cache"
