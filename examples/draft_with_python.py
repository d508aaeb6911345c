"""Draft a reply through drafter's library, as the CLI does: ingest a folder, register proposals, draft.

    python examples/draft_with_python.py 输出文件夹 [资料文件夹] [提案目录.csv] [单位配置.toml]

Defaults: the shipped sample corpus, its proposals and the shipped 晋城市数据局 profile; drafts TA0395 for
阳城 and 高平. Everything the CLI checks is checked here too: the rules live in drafter.app, not in the CLI.
"""
from __future__ import annotations

import sys
from pathlib import Path

from drafter import app
from drafter.config.office import load_office
from drafter.errors import DrafterError
from drafter.formats import find_format
from drafter.proposals import read_proposals
from drafter.store import Store

ROOT = Path(__file__).resolve().parents[1]


def main(out: Path, corpus: Path, proposals: Path, profile: Path | None,
         proposal_id: str = "TA0395", counties: str = "阳城,高平") -> int:
    office = load_office(profile)
    out.mkdir(parents=True, exist_ok=True)
    with Store(out / "store.sqlite") as store:
        report = app.ingest(store, [corpus], office)
        print(f"导入：新 {len(report.new)}，未变 {len(report.unchanged)}，跳过 {len(report.skipped)}")
        store.save_proposals(read_proposals(proposals))
        result = app.draft_reply(store, proposal_id, counties, find_format("政协提案答复"), office,
                                 out / f"{proposal_id}答复.docx", force=True)
    for section in result.reply.counties:
        sources = sorted({s.document for p in section.passages for s in p.sources}) or ["（待补充）"]
        print(f"{section.place.full}：{'、'.join(sources)}")
    print(f"已写出：{result.docx}")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        sys.exit(2)
    try:
        sys.exit(main(Path(args[0]), Path(args[1]) if len(args) > 1 else ROOT / "corpus" / "samples",
                      Path(args[2]) if len(args) > 2 else ROOT / "corpus" / "proposals.csv",
                      Path(args[3]) if len(args) > 3 else None,
                      *(("AK0101", "汉阴,石泉") if len(args) > 3 else ())))
    except DrafterError as e:
        print(f"错误：{e}", file=sys.stderr)
        sys.exit(1)
