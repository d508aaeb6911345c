"""The model a reply template sees: plain values and cited passages, documented in docs/templates.md."""
from __future__ import annotations

import datetime
import re
from typing import Any

from ..models import Passage, Reply
from ..profile import Profile
from .template import Cited, ReplyFormat
from .typography import prepare

# A proposer that is a body, not a person: parties, federations, committees, groups.
_GROUP = re.compile(r"(?:委员会|市委|省委|区委|县委|党派|学社|同盟|联合会|工商联|促进会|总会|协会|商会|小组|界别|界|组|代表团|民革|民盟|民建|民进|农工党|致公党|九三|台盟|团委|妇联|侨联|科协)$")


def chinese_date(iso: str) -> str:
    """GB/T 9704 dates: Arabic numerals, no zero padding (2024年5月8日)."""
    d = datetime.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


# "王强等3人", "王强等五位": the count is the register's, the salutation says 王强等.
_JOINT_COUNT = re.compile(r"等[0-9一二三四五六七八九十]+(?:人|位|名)?$")
# A pulled plan that opens with its own lead-in: the format's plan_intro would say it twice.
_PLAN_LEAD_IN = re.compile(r"^(?:下一步|接下来|今后|下阶段|下一阶段|未来|[0-9]{4}年)[，,]?")
# Words of a title around its topic: 关于改善我市县级智慧城市建设的建议的提案 → 智慧城市建设.
_VERB = (r"(?:进一步|切实|大力|全面|加快|加强|推进|推动|促进|改善|改进|完善|提升|提高|强化|优化|做好|抓好|支持|"
         r"发展|建立|建设|实施|解决)")
_TITLE_HEAD = re.compile(rf"^(?:关于|建议|提议)?(?:{_VERB}(?:和|与|并)?)*(?:我市|全市|本市|我省|全省|我县|全县|我区)?"
                         r"(?:县级|市级|县域|基层)?")
_TITLE_TAIL = re.compile(r"(?:的)?(?:几点|若干|相关)?(?:建议|提案|意见|议案)(?:的)?(?:提案|建议)?$")


def proposer_model(name: str, kind: str) -> dict[str, Any]:
    name = _JOINT_COUNT.sub("等", name.strip())
    group = bool(_GROUP.search(name))
    person_title = "代表" if kind == "建议" else "委员"
    joint = not group and (name.endswith("等") or "、" in name)
    addressed = name if group or name.endswith(person_title) else f"{name}{person_title}"
    you = "您单位" if group else "你们" if joint else "您"
    return {"name": name, "is_group": group, "is_joint": joint, "addressed": addressed,
            "salutation": f"{addressed}：", "you": you}


def session_title(session: str, kind: str, bodies: dict[str, str]) -> str:
    """"八届三次" → "市政协八届三次会议" (the body from the profile's session_bodies); a full name is kept."""
    session = session.strip()
    if not session or "会议" in session:
        return session
    return f"{bodies.get(kind, '')}{session}会议"


def title_topic(title: str) -> str:
    """The topic a title names, for the format's closing (感谢您对{topic}的…); "" when none is left."""
    topic = _TITLE_TAIL.sub("", title.strip().strip("《》"))
    topic = _TITLE_HEAD.sub("", topic, count=1)
    if len(topic) < 2:
        return ""
    # "感谢您对{topic}的关心": a matter is 智慧城市建设工作, a problem stays 城区停车难问题.
    return topic if topic.endswith(("工作", "问题", "事业")) else topic + "工作"


def build_context(reply: Reply, profile: Profile, fmt: ReplyFormat, registry: list) -> dict[str, Any]:
    proposal = reply.proposal

    draft_year = datetime.date.fromisoformat(reply.date).year

    def cite(passage, section):
        return Cited(registry, prepare(passage, draft_year)[0], section)

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
    kind = fmt.kind or proposal.kind
    proposer = proposer_model(proposal.proposer, kind)
    session = session_title(proposal.session, kind, profile.session_bodies)
    fields = {"title": proposal.title, "id": proposal.id, "session_title": session, "kind": kind,
              "you": proposer["you"], "proposer": proposer["addressed"], "topic": title_topic(proposal.title) or "我们工作",
              "unit": profile.unit, "voice": profile.voice or profile.unit, "city": profile.city}
    return {
        "proposal": {"id": proposal.id, "title": proposal.title, "session": proposal.session,
                     "session_title": session,
                     "category": category, "category_meaning": profile.categories.get(category, ""),
                     "kind": kind, "topic": fields["topic"]},
        "proposer": proposer,
        "fields": fields,
        "plans_lead_in": bool(reply.plans) and bool(_PLAN_LEAD_IN.match(reply.plans[0].text)),
        "profile": {"unit": profile.unit, "city": profile.city, "voice": fields["voice"], "signoff": [list(p) for p in profile.signoff],
                    "categories": dict(profile.categories), "publicity": profile.publicity, "cc": list(profile.cc)},
        "counties": counties,
        "plans": [cite(p, "plans") for p in reply.plans],
        # The proposal's own suggestions, each with its answer (material or a placeholder naming it).
        "answers": [{"suggestion": a.suggestion, "passage": cite(a.passage, "answers")} for a in reply.answers],
        "standing_plans": standing,
        "texts": dict(fmt.texts),
        "date": chinese_date(reply.date),
        "keywords": list(reply.keywords),
    }
