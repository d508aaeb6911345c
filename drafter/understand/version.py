"""Which version of this stage read a stored document: its rules, the gazetteer and the cue files."""
from __future__ import annotations

import hashlib

from ..config import paths
from ..gazetteer import Gazetteer

# Raise when a change to the code of this stage (not its data) reads stored documents differently.
RULES = 5  # 2: traditional characters read as simplified; 3: a paragraph that is only a label is a heading;
# 4: sent replies are recognised (their proposal, items and promises recorded at ingest); 5: hearsay, mirror dates
_DATA_FILES = ("cues.toml", "flags.toml", "place_cues.toml")


def reading_version(gazetteer: Gazetteer) -> str:
    """What a stored reading was made with: the gazetteer, the cue files and this stage's rules. A store
    whose documents were read with another version re-reads them on the next ingest."""
    data = paths.package_data()
    digest = hashlib.sha1(f"{RULES}\0{gazetteer.fingerprint}".encode("utf-8"))
    for name in _DATA_FILES:
        digest.update((data / name).read_bytes())
    return digest.hexdigest()[:16]
