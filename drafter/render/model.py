"""The model a reply template sees: plain values and cited passages, documented in docs/templates.md."""
from __future__ import annotations

import datetime
import re
from typing import Any

from ..models import Passage, Reply
from ..profile import Profile
from .template import Cited, ReplyFormat

# A proposer that is a body, not a person: parties, federations, committees, groups.
_GROUP = re.compile(r"(?:委员会|市委|省委|区委|县委|党派|学社|同盟|联合会|工商联|促进会|总会|协会|商会|小组|界别|组|代表团|民盟|民建|民进|农工党|致公党|九三|台盟|团委|妇联|侨联|科协)$")


def chinese_date(iso: str) -> str:
    """GB/T 9704 dates: Arabic numerals, no zero padding (2024年5月8日)."""
    d = datetime.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def proposer_model(name: str, kind: str) -> dict[str, Any]:
    name = name.strip()
    group = bool(_GROUP.search(name))
    person_title = "代表" if kind == "建议" else "委员"
    joint = name.endswith("等") or "、" in name
    addressed = name if group or name.endswith(person_title) else f"{name}{person_title}"
    return {"name": name, "is_group": group, "is_joint": joint, "addressed": addressed,
            "salutation": f"{addressed}：", "you": "您单位" if group else "您"}


def session_title(session: str, kind: str) -> str:
    """"八届三次" → "市政协八届三次会议" (or 市人大…); a full name is kept as given."""
    session = session.strip()
    if not session or "会议" in session:
        return session
    body = "市人大" if kind == "建议" else "市政协"
    return f"{body}{session}会议"


def build_context(reply: Reply, profile: Profile, fmt: ReplyFormat, registry: list) -> dict[str, Any]:
    proposal = reply.proposal

    def cite(passage, section):
        return Cited(registry, passage, section)

    counties = []
    for section in reply.counties:
        passages = [cite(p, "progress") for p in section.passages]
        first = section.passages[0].text if section.passages else ""
        counties.append({
            "name": section.place.full, "short": section.place.short, "passages": passages,
            "has_material": section.has_material,
            # Whether the first pulled paragraph opens with the county's own name, so the template need not.
            "names_itself": not section.passages[0].placeholder and
            first.lstrip("0123456789.、 ").startswith((section.place.short, section.place.full)),
        })
    standing = [cite(Passage(text=t, county=None), "plans") for t in fmt.texts.get("standing_plans", [])]
    category = proposal.category.strip().rstrip("类")
    return {
        "proposal": {"id": proposal.id, "title": proposal.title, "session": proposal.session,
                     "session_title": session_title(proposal.session, fmt.kind or proposal.kind),
                     "category": category, "category_meaning": profile.categories.get(category, ""),
                     "kind": fmt.kind or proposal.kind},
        "proposer": proposer_model(proposal.proposer, fmt.kind or proposal.kind),
        "profile": {"unit": profile.unit, "city": profile.city, "signoff": [list(p) for p in profile.signoff],
                    "categories": dict(profile.categories), "publicity": profile.publicity, "cc": list(profile.cc)},
        "counties": counties,
        "plans": [cite(p, "plans") for p in reply.plans],
        "standing_plans": standing,
        "texts": dict(fmt.texts),
        "date": chinese_date(reply.date),
        "keywords": list(reply.keywords),
    }
