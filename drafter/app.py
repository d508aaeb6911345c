"""Use cases the CLI and the web page call: ingest, search and draft, with every check of the request.

The faces only parse and show; every rule about what a request may be lives here or below."""
from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import process

from .compose import PLACEHOLDER, SUGGESTION_PLACEHOLDER, compose
from .errors import PlaceError, ProposalError
from .feedback import promises_for, promises_json, with_promises
from .config.office import Office
from .models import Hit, Place, Proposal, Reply, Tense
from .proposals import read_proposals, suggestions
from .formats import format_for
from .output import check_output, default_output, write_together
from .render.docx_writer import write_docx
from .render.model import build_context
from .render.template import ReplyFormat, render_blocks
from .retrieve import Query, Retriever, Scope, Settings
from .retrieve.query import QueryBuilder
from .store import Store
from .understand.version import reading_version

if TYPE_CHECKING:
    from .ingest import IngestReport


@dataclass(frozen=True)
class DraftResult:
    docx: Path
    sources: Path
    reply: Reply
    placeholders: tuple[str, ...]  # counties that got a placeholder
    warnings: tuple[str, ...] = ()  # what the clerk should know about the draft's material, in Chinese


def store_warnings(store: Store, office: Office) -> tuple[str, ...]:
    """What is behind in the store for this office: documents read with older place data or rules."""
    outdated = store.outdated_documents(reading_version(office.gazetteer))
    if not outdated:
        return ()
    return (f"资料库中有 {outdated} 个文件是按旧版地名库或规则读取的，检索结果可能不全；"
            f"请重新运行 drafter ingest 原资料文件夹 以更新（未变的文件会按新版重读）。",)


__all__ = ["DraftResult", "default_output", "draft_reply", "draft_settings", "find_proposal", "import_proposals", "ingest",
           "parse_counties", "search", "sources_path", "split_names", "store_warnings", "suggestion_material", "write_reply"]

# How a clerk separates names in one field: counties, keywords.
_SEPARATORS = re.compile(r"[,，、;；\s]+")


def split_names(text: str | None) -> list[str]:
    """Names as a clerk lists them in one field: "阳城,高平市，城区" or "雪亮工程、数字乡村"."""
    return [n for n in _SEPARATORS.split(text or "") if n]


def parse_counties(text: str, office: Office) -> list[Place]:
    """Counties as a clerk types them ("阳城,高平市，城区") resolved to units of the office's city, in the
    profile's county order."""
    gazetteer, profile = office.gazetteer, office.profile
    names = split_names(text)
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
    return sorted(places, key=lambda p: p.code) if profile.county_order == "code" else places


def ingest(store: Store, paths, office: Office, city: str | None = None, county: str | None = None,
           progress=None) -> IngestReport:
    """Ingest files and folders; the clerk's city and county hints must name places the gazetteer knows."""
    gazetteer = office.gazetteer
    if city:
        known = gazetteer.city_name(city)
        if known is None:
            raise PlaceError(f"不认识城市“{city}”。", "请写地级市的名称，如 晋城 或 晋城市。")
        city = known
    if county:
        places = gazetteer.places_named(county)
        if city:
            places = [p for p in places if p.city == city]
        if not places:
            where = f"{city}没有" if city else "不认识"
            raise PlaceError(f"{where}县（市、区）“{county}”。", "请写县（市、区）的名称，如 阳城 或 阳城县。")
        if len(places) > 1:
            raise PlaceError(f"“{county}”在几个城市都有：{'、'.join(p.city + p.full for p in places)}。",
                             "请同时用 --city 指明所属城市。")
        county, city = places[0].full, city or places[0].city
    from .ingest import ingest as ingest_files  # the readers and worker pools: never loaded by a draft
    return ingest_files(store, paths, city=city, county=county, progress=progress, places=office.profile.places)


def search(store: Store, text: str, office: Office, counties: str | None = None, tense: str | None = None,
           limit: int = 10, keywords: tuple[str, ...] = ()) -> tuple[Query, list[Hit]]:
    """What a draft would draw on for a query, best first, and the query as drafter read it (so the clerk
    sees why). `counties` as the clerk types them, several allowed."""
    places = parse_counties(counties, office) if counties else None
    retriever = Retriever(store, office.segmenter, office.lexicon)
    query = retriever.query(text, keywords)
    hits = retriever.search(query, office.city, places, Tense(tense) if tense else None, limit,
                            datetime.date.today().year)
    return query, hits


def import_proposals(store: Store, path: Path, office: Office) -> int:
    """Register the proposals of a CSV (updated in place). Their titles and suggestions are segmented now,
    where it costs nothing the clerk waits for, so a draft need not load the segmenter's dictionary."""
    items = read_proposals(path)
    count = store.save_proposals(items)
    builder = QueryBuilder(office.lexicon, office.segmenter)
    for proposal in items:
        for text in (proposal.title, *suggestions(proposal.text)):
            builder.build(text)
    for name, group in office.lexicon.groups.items():  # what widening a query from the archive asks
        builder.group_concept(name, group)
    office.segmenter.save()
    return count


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


def draft_settings(fmt: ReplyFormat, office: Office) -> Settings:
    """How much a draft in this format for this office takes: the format's budget, the profile's age of old
    material, and the count of city plans (the profile's, else the format's, else retrieval's default)."""
    profile = office.profile
    settings = replace(Settings(), budget=fmt.budget, max_age=profile.old_material_years)
    city_plans = profile.city_plans if profile.city_plans is not None else fmt.city_plans
    return replace(settings, city_plans=city_plans) if city_plans is not None else settings


def draft_reply(store: Store, proposal_id: str, counties: str, fmt: ReplyFormat | None, office: Office,
                output: Path, keywords: tuple[str, ...] = (), force: bool = False, comments: bool = True,
                draft_date: datetime.date | None = None) -> DraftResult:
    """Write the reply draft and its sources.json; nothing is written if anything goes wrong. Without a format,
    the proposal's kind and the office's role choose one; a format that does not fit them is refused."""
    proposal = find_proposal(store, proposal_id)
    fmt = format_for(proposal, fmt)
    places = parse_counties(counties, office)
    profile = office.profile
    output = Path(output)
    side = sources_path(output)
    check_output(output, side, force)
    draft_date = draft_date or datetime.date.today()
    settings = draft_settings(fmt, office)
    retriever = Retriever(store, office.segmenter, office.lexicon, settings)
    query = retriever.query(proposal.title, keywords)
    # One index query for every county and the city's own plans (most of its cost is fixed).
    *material, city_wide = retriever.pools(query, [*(Scope(place) for place in places), Scope(None, (Tense.PLAN,))],
                                           profile.city, draft_date.year, proposal.id)
    promises = promises_for(store, proposal, query, office.segmenter, draft_date.year, settings.min_coverage)
    reply = compose(proposal, places, material, city_wide, draft_date, settings,
                    placeholder=fmt.texts.get("placeholder", PLACEHOLDER), keywords=keywords,
                    suggestions=suggestion_material(retriever, proposal, places, office.city, draft_date.year),
                    suggestion_placeholder=fmt.texts.get("suggestion_placeholder", SUGGESTION_PLACEHOLDER))
    return write_reply(store, office, fmt, reply, output, force, comments, promises)


def suggestion_material(retriever: Retriever, proposal: Proposal, places: list[Place], city: str,
                         year: int) -> tuple[tuple[str, list], ...]:
    """For each suggestion of the proposal's text: what the asked counties and the city report on it."""
    found = []
    for suggestion in suggestions(proposal.text):
        query = retriever.query(suggestion)
        pools = retriever.pools(query, [*(Scope(place) for place in places), Scope(None)], city, year)
        found.append((suggestion, [c for pool in pools for tense in (Tense.PROGRESS, Tense.PLAN) for c in pool[tense]]))
    return tuple(found)


def write_reply(store: Store, office: Office, fmt: ReplyFormat, reply: Reply, output: Path, force: bool = False,
                comments: bool = True, promises=()) -> DraftResult:
    """Render a composed reply and write the .docx with its sources.json, both or neither. `promises`: the
    plans of earlier replies on the topic, listed for the clerk to report on."""
    output = Path(output)
    side = sources_path(output)
    check_output(output, side, force)
    registry: list = []
    rendered = render_blocks(fmt, build_context(reply, office.profile, fmt, registry), registry)
    sources = _sources_json(reply, fmt, rendered.passages)
    sources["promises"] = promises_json(promises)
    plan_texts = {p.text for p, section in rendered.passages if section == "plans"}
    blocks = with_promises(rendered.blocks, promises, plan_texts)
    write_together({
        output: lambda tmp: write_docx(blocks, tmp, office.profile.layout, comments=comments),
        side: lambda tmp: tmp.write_text(json.dumps(sources, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"),
    }, force)
    return DraftResult(output, side, reply, tuple(s.place.full for s in reply.counties if not s.has_material),
                       store_warnings(store, office))


def _sources_json(reply: Reply, fmt: ReplyFormat, passages) -> dict:
    def entry(p):
        return {"county": p.county, "text": p.text, "placeholder": p.placeholder,
                "sources": [{"document": s.document, "title": s.title, "year": s.year, "paragraph": s.paragraph}
                            for s in p.sources],
                "flags": list(p.flags),
                "repairs": [{"kind": k, "from": old, "to": new} for k, old, new in p.repairs]}
    proposal = reply.proposal
    return {
        "proposal": {"id": proposal.id, "title": proposal.title, "proposer": proposal.proposer},
        "template": fmt.name,
        "counties": [s.place.full for s in reply.counties],
        "progress": [entry(p) for p, section in passages if section == "progress"],
        "plans": [entry(p) for p, section in passages if section == "plans"],
        # The format's standing sentences that assert something (the overview): the clerk checks them.
        "standing": [entry(p) for p, section in passages if section == "standing"],
        # One entry per suggestion of the proposal's text, in its order, saying which suggestion it answers.
        "answers": [{"suggestion": answer.suggestion, **entry(p)} for (p, _), answer in
                    zip([x for x in passages if x[1] == "answers"], reply.answers)],
    }
