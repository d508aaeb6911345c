"""A clerk's correction of what drafter read of a document: its county, year or kind.

Kept in the store by the file's content (sha256), so it is applied again whenever that content is read."""
from __future__ import annotations

import datetime

from .config.office import Office
from .errors import DrafterError
from .store import Correction, Store

KINDS = ("report", "yearbook", "reply", "news", "web")


class CorrectionError(DrafterError):
    """A correction names a county, year or kind drafter does not know."""


def correct_document(store: Store, office: Office, document_id: int, county: str | None = None,
                     year: int | str | None = None, kind: str | None = None) -> Correction:
    """Record and apply a correction (the file is read again if it is still where it was ingested from);
    empty values keep what drafter read."""
    place = None
    if county:
        places = [p for p in office.gazetteer.places_of(office.city) if county in (p.short, p.full)]
        if not places:
            listing = "、".join(p.full for p in office.gazetteer.places_of(office.city))
            raise CorrectionError(f"“{county}”不是{office.city}的县（市、区）。", f"可选：{listing}。")
        place = places[0].full
    number = None
    if year not in (None, ""):
        try:
            number = int(str(year).strip().rstrip("年"))
        except ValueError:
            number = -1
        if not 1949 <= number <= datetime.date.today().year + 5:
            raise CorrectionError(f"年份“{year}”不对。", "请写四位数的年份，如 2024。")
    if kind and kind not in KINDS:
        raise CorrectionError(f"不认识文档类型“{kind}”。", "可选：报告、年鉴、答复、新闻、网页。")
    fix = Correction(place, number, kind or None)
    path = store.correct_document(document_id, fix)
    if path.is_file():
        # Read it again at once, so its sentences are drafted for the corrected county and year.
        from .app import ingest
        ingest(store, [path], office)
    return fix
