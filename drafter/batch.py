"""A session's proposals at once: every registered proposal (or a list of them) drafted into one folder."""
from __future__ import annotations

import csv
import datetime
import io
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import app
from .config.office import Office
from .errors import DrafterError, ProposalError
from .models import Place, Proposal
from .read.decode import decode_bytes
from .render.template import ReplyFormat
from .store import Store


@dataclass(frozen=True)
class BatchRow:
    """How one proposal of a batch went."""

    proposal: str
    counties: tuple[str, ...]
    items: int = 0          # pulled progress and plan passages
    placeholders: int = 0   # counties left for the clerk to fill
    old: int = 0            # passages flagged old-material
    seconds: float = 0.0
    docx: Path | None = None
    error: str = ""         # in Chinese, with what to do; empty when drafted


def counties_named_in(proposal: Proposal, office: Office) -> list[Place]:
    """The office's counties a proposal's title or text names as places, in the order first named."""
    found: dict[str, Place] = {}
    gazetteer = office.gazetteer
    for mention in gazetteer.mentions(f"{proposal.title}\n{proposal.text}"):
        place = mention.place
        if place is None or place.city != office.city:
            continue
        if mention.name in gazetteer.common_names and not mention.qualified:
            continue  # 城区 as "urban area"
        found.setdefault(place.full, place)
    return list(found.values())


def proposal_ids_in(path: Path) -> list[str]:
    """The proposal numbers a list file names: a CSV with a 案号 (or id) column, or one number a line."""
    try:
        text = decode_bytes(Path(path).read_bytes())
    except OSError as e:
        raise ProposalError(f"无法读取案号清单：{path}（{e.strerror or e}）", "请检查 --proposals 指定的文件。") from e
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip() for cell in rows[0]] if rows else []
    column = next((header.index(name) for name in ("案号", "id") if name in header), None)
    if column is not None:
        ids = [row[column].strip() for row in rows[1:] if len(row) > column]
    else:
        ids = [row[0].strip() for row in rows if row]
    ids = [i for i in dict.fromkeys(ids) if i]
    if not ids:
        raise ProposalError(f"案号清单 {path} 中没有案号。", "每行写一个案号，或用带“案号”列的 CSV。")
    return ids


def draft_all(store: Store, office: Office, fmt: ReplyFormat | None, folder: Path, proposal_ids: list[str] | None = None,
              counties: str | None = None, keywords: tuple[str, ...] = (), force: bool = False,
              comments: bool = True, draft_date: datetime.date | None = None,
              progress: Callable[[int, int, str], None] | None = None) -> list[BatchRow]:
    """Draft each proposal into `folder` (案号答复.docx and its sources.json). Counties: those the proposal
    names, else the clerk's `counties`. A proposal that fails is reported in its row; the others go on."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ids = proposal_ids or [p.id for p in store.proposals()]
    if not ids:
        raise ProposalError("资料库中还没有任何提案。", "请先用 drafter proposals import 提案.csv 导入提案目录。")
    rows = []
    for n, proposal_id in enumerate(ids, 1):
        if progress:
            progress(n, len(ids), proposal_id)
        started = time.perf_counter()
        try:
            proposal = app.find_proposal(store, proposal_id)
            named = counties_named_in(proposal, office)
            asked = "，".join(p.full for p in named) if named else counties
            if not asked:
                raise DrafterError("案由和提案内容没有提到本市的县（市、区），也没有用 --counties 指定。",
                                   "请用 --counties 给出这类提案要答复的县（市、区）。")
            result = app.draft_reply(store, proposal.id, asked, fmt, office, folder / app.default_output(proposal.id),
                                     keywords, force, comments, draft_date)
        except DrafterError as e:
            rows.append(BatchRow(proposal_id, (), seconds=time.perf_counter() - started,
                                 error=f"{e.message}{e.hint}"))
            continue
        reply = result.reply
        passages = [p for s in reply.counties for p in s.passages if not p.placeholder] + list(reply.plans)
        rows.append(BatchRow(proposal.id, tuple(s.place.full for s in reply.counties), items=len(passages),
                             placeholders=len(result.placeholders),
                             old=sum("old-material" in p.flags for p in passages),
                             seconds=time.perf_counter() - started, docx=result.docx))
    return rows


SUMMARY_HEADER = ["案号", "县（市、区）", "采用材料", "待补充", "旧材料", "用时（秒）", "结果"]


def summary_rows(rows: list[BatchRow]) -> list[list[str]]:
    """The batch as a table a clerk reads (the terminal and the CSV share it)."""
    return [[r.proposal, "、".join(r.counties) or "-", str(r.items), str(r.placeholders), str(r.old),
             f"{r.seconds:.1f}", r.error or f"已写出 {r.docx.name}"] for r in rows]


def write_summary(rows: list[BatchRow], path: Path) -> None:
    """The summary as CSV, UTF-8 with a BOM so Excel and WPS open it in Chinese."""
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(SUMMARY_HEADER)
        writer.writerows(summary_rows(rows))
