"""The archive and the proposals: ingest, proposals, documents, search, templates."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import KIND_NAMES, PROFILE_HELP, _echo_table, _fail_cleanly, _office, _open_store, cli
from ..errors import DrafterError
from ..understand.flags import FLAG_NAMES

@cli.command(options_metavar="[选项]", help="导入资料：文件或文件夹（含子文件夹），支持 .txt .html .htm .docx .pdf。"
                  "重复导入同一文件不会重复存储；内容改变的文件会替换旧版本。")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="文件或文件夹...")
@click.option("--city", metavar="城市", help="为没有写明地点的资料指定所属城市，如 晋城市。")
@click.option("--county", metavar="县", help="为没有写明地点的资料指定所属县（市、区），如 阳城县。")
@click.pass_context
@_fail_cleanly
def ingest(ctx, paths, city, county):
    from ..app import ingest as run_ingest
    store = _open_store(ctx)
    started = time.perf_counter()
    show = sys.stderr.isatty()

    def progress(done, total, path):
        if show:
            click.echo(f"\r导入中 {done}/{total}  {path.name[:40]:<40}", nl=False, err=True)

    report = run_ingest(store, paths, _office(ctx), city=city, county=county, progress=progress)
    if show:
        click.echo("", err=True)
    elapsed = time.perf_counter() - started
    reread = f"按新版地名和规则重读 {len(report.reread)} 个，" if report.reread else ""
    click.echo(f"新导入 {len(report.new)} 个，更新 {len(report.replaced)} 个，{reread}未变 {len(report.unchanged)} 个，"
               f"跳过 {len(report.skipped)} 个，忽略 {len(report.ignored)} 个（用时 {elapsed:.1f} 秒）。")
    for path, reason in report.skipped:
        click.echo(f"  跳过 {path}：{reason}")
    for path in report.ignored:
        click.echo(f"  忽略 {path}：不是支持的文件类型")
    if not report.ok:
        ctx.exit(1)


@cli.group(options_metavar="[选项]", subcommand_metavar="命令 [参数]...", help="提案目录：导入、列出、查看。")
def proposals():
    pass


@proposals.command("import", options_metavar="[选项]", help="从 CSV 导入提案目录（UTF-8 或 GB18030；表头 案号,案由,第一提案人,届次,答复类别[,类型]）。"
                                   "已有的案号会更新。")
@click.argument("file", type=click.Path(path_type=Path), metavar="CSV文件")
@click.pass_context
@_fail_cleanly
def proposals_import(ctx, file):
    from ..app import import_proposals
    count = import_proposals(_open_store(ctx), file, _office(ctx))
    click.echo(f"已导入 {count} 件提案。")


@proposals.command("list", options_metavar="[选项]", help="列出已登记的提案。")
@click.pass_context
@_fail_cleanly
def proposals_list(ctx):
    items = _open_store(ctx).proposals()
    if not items:
        click.echo("还没有提案。请用 drafter proposals import 提案.csv 导入。")
    _echo_table([[p.id, p.kind, p.category or "-", p.proposer, p.title] for p in items])


@proposals.command("show", options_metavar="[选项]", help="查看一件提案。")
@click.argument("proposal_id", metavar="案号")
@click.pass_context
@_fail_cleanly
def proposals_show(ctx, proposal_id):
    from ..app import find_proposal
    p = find_proposal(_open_store(ctx), proposal_id)
    for label, value in [("案号", p.id), ("案由", p.title), ("提案人", p.proposer), ("届次", p.session),
                         ("答复类别", p.category), ("类型", p.kind)]:
        click.echo(f"{label}：{value}")
    if p.text:
        click.echo(f"提案内容：\n{p.text}")


@cli.command(options_metavar="[选项]", help="列出资料库中的文档：文件名、标题、城市、县（市、区）、年份、类型、段落数。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供脚本使用）。")
@click.pass_context
@_fail_cleanly
def documents(ctx, as_json):
    docs = _open_store(ctx).documents()
    if as_json:
        click.echo(json.dumps([{"file": d.file, "title": d.title, "city": d.city, "county": d.county,
                                "year": d.year, "kind": d.kind, "paragraphs": d.paragraphs} for d in docs],
                              ensure_ascii=False, indent=2))
        return
    if not docs:
        click.echo("资料库是空的。请用 drafter ingest 文件夹 导入资料。")
    _echo_table([[d.file, d.title, d.city or "-", d.county or "-", str(d.year or "-"), KIND_NAMES.get(d.kind, d.kind),
                  f"{d.paragraphs}段"] for d in docs])


@cli.command(options_metavar="[选项]", help="检索：显示起草时会用到的句段，按得分从高到低，附来源。")
@click.argument("query", metavar="检索词")
@click.option("--county", metavar="县", help="只看这些县（市、区）的材料，逗号分隔，如 阳城 或 阳城,高平。")
@click.option("--kind", type=click.Choice(["progress", "plan"]), help="progress：工作进展；plan：下一步计划。")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True, metavar="条数", help="最多显示几条。")
@click.option("--profile", type=click.Path(path_type=Path), metavar="文件", help=PROFILE_HELP)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供脚本使用）。")
@click.pass_context
@_fail_cleanly
def search(ctx, query, county, kind, limit, profile, as_json):
    from ..app import search as run_search
    office = _office(ctx, profile)
    from ..app import store_warnings
    store = _open_store(ctx)
    read_as, hits = run_search(store, query, office, county, kind, limit)
    for warning in store_warnings(store, office):
        click.echo(f"注意：{warning}", err=True)
    if as_json:
        click.echo(json.dumps([{"text": h.text, "score": h.score, "document": h.source.document,
                                "title": h.source.title, "year": h.source.year, "city": h.city or office.city,
                                "county": h.county, "tense": h.tense, "section": h.section, "flags": list(h.flags)}
                               for h in hits], ensure_ascii=False, indent=2))
        return
    click.echo(read_as.explain())
    if not hits:
        click.echo("没有找到相关材料。可换用其他关键词，或先用 drafter ingest 导入更多资料。")
    for n, h in enumerate(hits, 1):
        tense = "进展" if h.tense == "progress" else "计划"
        flags = f" [{'，'.join(FLAG_NAMES.get(f, f) for f in h.flags)}]" if h.flags else ""
        click.echo(f"{n}. [{h.score:.2f}] {h.county or '全市'} {tense}{flags}  《{h.source.title}》"
                   f"（{h.source.year or '年份不详'}）{h.source.document} 第{h.source.paragraph}段")
        click.echo(f"   {h.text}")


@cli.group(options_metavar="[选项]", subcommand_metavar="命令 [参数]...", help="答复格式（模板）：列出、检查。")
def templates():
    pass


@templates.command("list", options_metavar="[选项]", help="列出可用的答复格式。")
@click.pass_context
@_fail_cleanly
def templates_list(ctx):
    from ..formats import list_formats
    _echo_table([[folder.name, "（格式有误）", fmt.message, f"（{folder}）"] if isinstance(fmt, DrafterError) else
                 [fmt.name, fmt.kind or "提案/建议", fmt.description, f"（{fmt.folder}）"]
                 for folder, fmt in list_formats()])


@templates.command("check", options_metavar="[选项]", help="用示例数据试排一种格式，报告错误所在的文件和行。")
@click.argument("name_or_path", metavar="名称或路径")
@click.pass_context
@_fail_cleanly
def templates_check(ctx, name_or_path):
    from ..formats import check_format, find_format
    fmt = find_format(name_or_path)
    blocks = check_format(fmt)
    click.echo(f"格式“{fmt.name}”检查通过：试排得到 {len(blocks)} 个段落。")


