"""Values in a format's fixed sentences ({title}, {county} …): filled by name only, never by str.format."""
from __future__ import annotations

import re
from typing import Mapping

from rapidfuzz import process

# Every name a manifest text may hold, with what it becomes (docs/templates.md lists the same).
FIELDS = {
    "title": "the proposal's title (案由), without 《》",
    "id": "the proposal's number (案号)",
    "session_title": "the session written out (市政协八届三次会议)",
    "kind": "提案 or 建议",
    "you": "the polite you for the proposer: 您, 你们 or 您单位",
    "proposer": "how the proposer is named in a sentence (李惠英委员)",
    "topic": "the proposal's topic, from its title (智慧城市建设)",
    "unit": "the issuing unit (晋城市数据局)",
    "voice": "how the office speaks of itself (我局, 市数据局)",
    "city": "the city of the office (晋城市)",
    "county": "a county's full name (only in placeholder)",
}
_FIELD = re.compile(r"\{([^{}\s]{1,40})\}")


def fill_fields(text: str, values: Mapping[str, str]) -> str:
    """Each `{name}` whose name is given becomes its value; anything else, `{注意}` included, stays as written.

    No attribute access, no format spec: `{county.__class__}` and `{county:>300000000}` are just text."""
    return _FIELD.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), str(text))


def unknown_fields(text: str) -> list[tuple[str, str]]:
    """Every `{…}` in a text that is no field name, with the nearest name (or "") to suggest."""
    found = []
    for name in _FIELD.findall(str(text)):
        if name not in FIELDS:
            near = process.extractOne(name, list(FIELDS), score_cutoff=60)
            found.append((name, near[0] if near else ""))
    return found
