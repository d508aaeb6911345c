"""Drafting a reply end to end: check the request, compose, render, and write the .docx and its sources."""
from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from rapidfuzz import process

from .compose import PLACEHOLDER, compose
from .errors import PlaceError, ProposalError
from .gazetteer import Gazetteer, default_gazetteer
from .models import Place, Reply
from .output import check_output, write_together
from .profile import Profile
from .render.docx_writer import write_docx
from .render.model import build_context
from .render.template import ReplyFormat, render_blocks
from .retrieve import Settings
from .store import Store


@dataclass(frozen=True)
class DraftResult:
    docx: Path
    sources: Path
    reply: Reply
    placeholders: tuple[str, ...]  # counties that got a placeholder


def parse_counties(text: str, profile: Profile, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Counties as a clerk types them ("阳城,高平市，城区") resolved to units of the profile's city."""
    gazetteer = gazetteer or default_gazetteer()
    names = [n.strip() for n in re.split(r"[,，、;；\s]+", text or "") if n.strip()]
    valid = gazetteer.places_of(profile.city)
    listing = "、".join(p.full for p in valid)
    if not names:
        raise PlaceError("没有给出县（市、区）。", f"请用 --counties 列出要答复的县（市、区），如 --counties 阳城,高平。{profile.city}的县（市、区）：{listing}。")
    places: list[Place] = []
    for name in names:
        own = [p for p in valid if name in (p.short, p.full)]
        if not own:
            elsewhere = [p for p in gazetteer.places_named(name) if p.city != profile.city]
            if elsewhere:
                message = f"“{name}”是{elsewhere[0].city}的{elsewhere[0].full}，不属于{profile.city}。"
            else:
                message = f"不认识县（市、区）“{name}”。"
            # Suggest in the form the clerk used: 阳成 → 阳城, 阳成县 → 阳城县.
            full = name.endswith(("县", "市", "区"))
            choices = [p.full if full else p.short for p in valid]
            near = [c for c, score, _ in process.extract(name, choices, limit=2) if score >= 50]
            suggestion = f"是否要写“{near[0]}”？" if near else ""
            raise PlaceError(message, f"{suggestion}{profile.city}的县（市、区）：{listing}。")
        if own[0] in places:
            raise PlaceError(f"县（市、区）“{name}”重复给出。", "每个县（市、区）只需写一次。")
        places.append(own[0])
    return places


def find_proposal(store: Store, proposal_id: str):
    proposal = store.proposal(proposal_id.strip())
    if proposal is None:
        known = [p.id for p in store.proposals()]
        near = [c for c, score, _ in process.extract(proposal_id.strip().upper(), known, limit=3) if score >= 50]
        if near:
            hint = f"相近的案号：{'、'.join(near)}。"
        elif known:
            more = f"等 {len(known)} 件" if len(known) > 5 else ""
            hint = f"已登记的案号有：{'、'.join(known[:5])}{more}（drafter proposals list 可列出全部）。"
        else:
            hint = "资料库中还没有任何提案。"
        raise ProposalError(f"找不到案号为“{proposal_id}”的提案。",
                            hint + "请核对案号，或先用 drafter proposals import 提案.csv 导入提案目录。")
    if not proposal.title.strip():
        raise ProposalError(f"提案 {proposal.id} 的案由为空，无法检索材料。", "请在提案目录中补上案由后重新导入。")
    return proposal


def sources_path(docx: Path) -> Path:
    return docx.with_name(docx.name[:-5] + ".sources.json" if docx.name.lower().endswith(".docx")
                          else docx.name + ".sources.json")


def draft_reply(store: Store, proposal_id: str, counties: str, fmt: ReplyFormat, profile: Profile,
                output: Path, keywords: tuple[str, ...] = (), force: bool = False, comments: bool = True,
                draft_date: datetime.date | None = None) -> DraftResult:
    """Write the reply draft and its sources.json; nothing is written if anything goes wrong."""
    proposal = find_proposal(store, proposal_id)
    places = parse_counties(counties, profile)
    output = Path(output)
    side = sources_path(output)
    check_output(output, side, force)
    settings = replace(Settings(), budget=fmt.budget, max_age=profile.old_material_years)
    reply = compose(store, proposal, places, profile.city, draft_date, keywords, settings,
                    placeholder=fmt.texts.get("placeholder", PLACEHOLDER))
    registry: list = []
    rendered = render_blocks(fmt, build_context(reply, profile, fmt, registry), registry)
    sources = _sources_json(reply, fmt, rendered.passages)
    write_together({
        output: lambda tmp: write_docx(rendered.blocks, tmp, profile.layout, comments=comments),
        side: lambda tmp: tmp.write_text(json.dumps(sources, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"),
    }, force)
    return DraftResult(output, side, reply, tuple(s.place.full for s in reply.counties if not s.has_material))


def _sources_json(reply: Reply, fmt: ReplyFormat, passages) -> dict:
    def entry(p):
        return {"county": p.county, "text": p.text, "placeholder": p.placeholder,
                "sources": [{"document": s.document, "title": s.title, "year": s.year, "paragraph": s.paragraph}
                            for s in p.sources],
                "flags": list(p.flags)}
    proposal = reply.proposal
    return {
        "proposal": {"id": proposal.id, "title": proposal.title, "proposer": proposal.proposer},
        "template": fmt.name,
        "counties": [s.place.full for s in reply.counties],
        "progress": [entry(p) for p, section in passages if section == "progress"],
        "plans": [entry(p) for p, section in passages if section == "plans"],
    }
