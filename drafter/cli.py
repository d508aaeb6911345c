"""Command line: parses arguments, calls a use case of drafter.app, prints in Chinese."""
from __future__ import annotations

import functools
import json
import os
import sys
import time
import unicodedata
from pathlib import Path

import click

from . import __version__
from .click_zh import use_chinese
from .errors import DrafterError
from .config.paths import default_store_path
from .store import Store
from .understand.flags import FLAG_NAMES

STORE_HELP = "资料库文件位置（也可用环境变量 DRAFTER_STORE）；首次使用时自动创建。"
PROFILE_HELP = ("本单位配置文件（TOML：单位、城市，可用 places 指定本单位的地名表；也可用环境变量 DRAFTER_PROFILE）；"
                "默认 晋城市数据局。")

# click says its own words (usage lines, errors) in Chinese: set before any command is built or run.
use_chinese()


def _fail_cleanly(command):
    """Turn library errors into exit 1 with a Chinese message; a traceback only with --debug."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        debug = ctx.find_root().params.get("debug") or ctx.params.get("debug")
        try:
            return command(*args, **kwargs)
        except DrafterError as e:
            if debug:
                raise
            click.echo(f"错误：{e.message}", err=True)
            if e.hint:
                click.echo(e.hint, err=True)
            ctx.exit(1)
        except BrokenPipeError:
            # `drafter documents | head`: the reader has what it wanted; stop quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except KeyboardInterrupt:
            click.echo("已中断。已完成的部分已保存，资料库保持完整；再次运行即可继续。", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as e:  # noqa: BLE001 - the last line of defence for a clerk's terminal
            if debug:
                raise
            click.echo(f"错误：程序内部出错（{type(e).__name__}: {e}）。", err=True)
            click.echo("请加 --debug 重新运行，并把输出发给维护人员。", err=True)
            ctx.exit(1)
    return wrapper


# Document kinds as a clerk calls them; --json keeps the codes scripts rely on.
KIND_NAMES = {"report": "报告", "yearbook": "年鉴", "reply": "答复", "news": "新闻"}


def _echo_table(rows: list[list[str]]) -> None:
    """Columns: padded to line up on a terminal (a Chinese character takes two cells), tab-separated
    when piped to a script or a file."""
    if not sys.stdout.isatty():
        for row in rows:
            click.echo("\t".join(row))
        return
    widths = [max(_cells(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    for row in rows:
        click.echo("  ".join(cell + " " * (width - _cells(cell)) for cell, width in zip(row, widths)).rstrip())


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _office(ctx: click.Context, profile: Path | None = None):
    """The office of the command's --profile, else of `drafter --profile`, else DRAFTER_PROFILE's."""
    from .config.office import load_office
    return load_office(profile or ctx.find_root().params.get("profile"))


def _open_store(ctx: click.Context) -> Store:
    path = ctx.find_root().params.get("store") or default_store_path()
    store = Store(path)
    ctx.call_on_close(store.close)
    return store


# --- drafter ------------------------------------------------------------------------------------

@click.group(help="drafter：从本单位历年材料中检索工作进展，起草政协提案、人大建议答复。", options_metavar="[选项]",
             subcommand_metavar="命令 [参数]...")
@click.option("--store", type=click.Path(dir_okay=True, path_type=Path), envvar="DRAFTER_STORE", metavar="路径",
              help=STORE_HELP)
@click.option("--profile", type=click.Path(path_type=Path), envvar="DRAFTER_PROFILE", metavar="文件",
              help=PROFILE_HELP)
@click.option("--debug", is_flag=True, help="出错时显示完整的程序调用栈（供维护人员排查）。")
@click.version_option(__version__, message="drafter %(version)s", help="显示版本号并退出。")
def cli(store, profile, debug):
    pass


@cli.command(options_metavar="[选项]", help="导入资料：文件或文件夹（含子文件夹），支持 .txt .html .htm .docx .pdf。"
                  "重复导入同一文件不会重复存储；内容改变的文件会替换旧版本。")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="文件或文件夹...")
@click.option("--city", metavar="城市", help="为没有写明地点的资料指定所属城市，如 晋城市。")
@click.option("--county", metavar="县", help="为没有写明地点的资料指定所属县（市、区），如 阳城县。")
@click.pass_context
@_fail_cleanly
def ingest(ctx, paths, city, county):
    from .app import ingest as run_ingest
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
    from .proposals import read_proposals
    items = read_proposals(file)
    count = _open_store(ctx).save_proposals(items)
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
    from .app import find_proposal
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
    from .app import search as run_search
    office = _office(ctx, profile)
    from .app import store_warnings
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
    from .formats import list_formats
    _echo_table([[folder.name, "（格式有误）", fmt.message, f"（{folder}）"] if isinstance(fmt, DrafterError) else
                 [fmt.name, fmt.kind or "提案/建议", fmt.description, f"（{fmt.folder}）"]
                 for folder, fmt in list_formats()])


@templates.command("check", options_metavar="[选项]", help="用示例数据试排一种格式，报告错误所在的文件和行。")
@click.argument("name_or_path", metavar="名称或路径")
@click.pass_context
@_fail_cleanly
def templates_check(ctx, name_or_path):
    from .formats import check_format, find_format
    fmt = find_format(name_or_path)
    blocks = check_format(fmt)
    click.echo(f"格式“{fmt.name}”检查通过：试排得到 {len(blocks)} 个段落。")


def main():
    cli(prog_name="drafter")


# --- draft-reply ----------------------------------------------------------------------------------

@click.command(options_metavar="[选项]", help="起草提案（建议）答复：按案由检索各县（市、区）工作进展，写出 .docx 稿件，"
                    "并在旁边写出 同名.sources.json 列明每段材料的来源。")
@click.option("--proposal", "proposal_id", metavar="案号", help="案号，如 TA0395。")
@click.option("--counties", metavar="县名", help="县（市、区），用逗号分隔，简称全称均可，如 阳城,高平。"
              "批量起草时只用于没有提到县（市、区）的提案。")
@click.option("--all", "all_proposals", is_flag=True, help="批量起草：资料库中登记的每件提案，写入 --output-dir 文件夹。")
@click.option("--proposals", "proposal_list", type=click.Path(path_type=Path), metavar="文件",
              help="批量起草：清单中的提案（每行一个案号，或带“案号”列的 CSV）。")
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("答复稿"),
              show_default=True, metavar="文件夹", help="批量起草时稿件和汇总表（汇总.csv）的存放位置。")
@click.option("--template", "template_name", metavar="格式",
              help="答复格式名称，或模板文件夹路径；默认按提案的类型（提案/建议）和办理方式（主办/会办）选择。")
@click.option("--profile", type=click.Path(path_type=Path), envvar="DRAFTER_PROFILE", metavar="文件", help=PROFILE_HELP)
@click.option("--keywords", metavar="词语", help="补充检索词，逗号分隔；说到其中任一词的材料都算切题，如 雪亮工程,数字乡村。")
@click.option("--output", type=click.Path(path_type=Path), metavar="文件", help="输出的 .docx 文件；默认 案号答复.docx。")
@click.option("--force", is_flag=True, help="输出文件已存在时替换它（默认不覆盖）。")
@click.option("--no-comments", is_flag=True, help="不在稿件中加批注（得到干净的稿子）。")
@click.option("--date", "draft_date", type=click.DateTime(["%Y-%m-%d"]), metavar="日期", help="落款日期，默认今天，如 2024-05-08。")
@click.option("--store", type=click.Path(dir_okay=True, path_type=Path), envvar="DRAFTER_STORE", metavar="路径",
              help=STORE_HELP)
@click.option("--debug", is_flag=True, help="出错时显示完整的程序调用栈（供维护人员排查）。")
@click.pass_context
@_fail_cleanly
def draft_reply(ctx, proposal_id, counties, all_proposals, proposal_list, output_dir, template_name, profile,
                keywords, output, force, no_comments, draft_date, store, debug):
    from .app import default_output, draft_reply as run_draft, split_names
    from .config.office import load_office
    from .formats import find_format
    given = sum(map(bool, (proposal_id, all_proposals, proposal_list)))
    if given == 0:
        raise click.UsageError("缺少选项 '--proposal'：请给出案号，或用 --all / --proposals 清单 批量起草。")
    if given > 1:
        raise click.UsageError("--proposal、--all、--proposals 只能选一个。")
    if proposal_id and counties is None:
        raise click.UsageError("缺少选项 '--counties'：请列出要答复的县（市、区），如 --counties 阳城,高平。")
    office = load_office(profile)
    fmt = find_format(template_name) if template_name else None
    words = tuple(split_names(keywords))
    date = draft_date.date() if draft_date else None
    if not proposal_id:
        _draft_batch(ctx, office, fmt, proposal_list, counties, output_dir, words, force, not no_comments, date)
        return
    output = output or default_output(proposal_id)
    result = run_draft(_open_store(ctx), proposal_id, counties, fmt, office, output, words, force,
                       comments=not no_comments, draft_date=draft_date.date() if draft_date else None)
    for warning in result.warnings:
        click.echo(f"注意：{warning}", err=True)
    click.echo(f"已写出答复稿：{result.docx}")
    click.echo(f"材料来源清单：{result.sources}")
    if result.placeholders:
        click.echo(f"以下县（市、区）没有检索到材料，稿中已标出待补充：{'、'.join(result.placeholders)}")


def _draft_batch(ctx, office, fmt, proposal_list, counties, folder, words, force, comments, date):
    from .batch import SUMMARY_HEADER, draft_all, proposal_ids_in, summary_rows, write_summary
    ids = proposal_ids_in(proposal_list) if proposal_list else None
    show = sys.stderr.isatty()

    def progress(done, total, proposal_id):
        if show:
            click.echo(f"\r起草中 {done}/{total}  {proposal_id:<20}", nl=False, err=True)

    rows = draft_all(_open_store(ctx), office, fmt, folder, ids, counties, words, force, comments, date, progress)
    if show:
        click.echo("", err=True)
    summary = folder / "汇总.csv"
    write_summary(rows, summary)
    _echo_table([SUMMARY_HEADER, *summary_rows(rows)])
    failed = [r for r in rows if r.error]
    click.echo(f"共 {len(rows)} 件：写出 {len(rows) - len(failed)} 件，失败 {len(failed)} 件。汇总表：{summary}")
    if failed:
        ctx.exit(1)


def draft_reply_main():
    draft_reply(prog_name="draft-reply")


# --- check ------------------------------------------------------------------------------------------

@cli.command("check", options_metavar="[选项]", help="检查答复稿（drafter 起草的或手写的 .docx）：页面、行距、字体、缩进、页码、"
             "编号、日期、落款与版记，以及遗留的批注、占位文字和底色；列出每处问题的位置和改法。"
             "没有问题时退出码为 0，有问题为 1。")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False), metavar="文件.docx...")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供脚本使用）。")
@click.option("--fix", is_flag=True, help="另存一份修正稿（文件名.已修正.docx，原文件不动），改正不涉及文字的问题：页面、行距、"
              "字体、字号、缩进、页码、编号、日期写法；并列出需要人工处理的问题。")
@click.option("--force", is_flag=True, help="修正稿已存在时替换它（默认不覆盖）。")
@click.option("--profile", type=click.Path(path_type=Path), metavar="文件", help="单位配置文件（TOML），决定版式、署名和答复类别；默认 晋城市数据局。")
@click.pass_context
@_fail_cleanly
def check_command(ctx, files, as_json, fix, force, profile):
    from .check import SEVERITY_NAMES, check_docx, fix_docx
    from .profile import load_profile
    prof = load_profile(profile)
    results, trouble = [], False
    for path in files:
        try:
            if fix:
                report = fix_docx(path, profile=prof, force=force)
                results.append(report.as_json())
                trouble |= bool(report.left)
            else:
                findings = check_docx(path, prof)
                results.append({"file": str(path), "findings": [f.as_json() for f in findings]})
                trouble |= bool(findings)
        except DrafterError as e:
            results.append({"file": str(path), "error": e.message, "hint": e.hint})
            trouble = True
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
        ctx.exit(1 if trouble else 0)
    for result in results:
        if "error" in result:
            click.echo(f"{result['file']}：错误：{result['error']}", err=True)
            if result["hint"]:
                click.echo(f"  {result['hint']}", err=True)
            continue
        if fix:
            click.echo(f"{result['file']}：已写出修正稿 {result['fixed_copy']}（原文件未改动）。")
            for f in result["fixed"]:
                click.echo(f"  已修正：{f['message']}")
        shown = result["left"] if fix else result["findings"]
        if not shown:
            click.echo(f"{result['fixed_copy'] if fix else result['file']}：未发现问题。")
            continue
        fixable = sum(f["fixable"] for f in shown)
        title = "修正稿中仍需人工处理" if fix else f"{result['file']}：发现"
        click.echo(f"{title} {len(shown)} 处问题" + (f"（其中 {fixable} 处可用 --fix 自动修正）" if fixable and not fix else "")
                   + "：")
        for f in shown:
            where = "全文" if f["paragraph"] is None else f"第{f['paragraph']}段（“{f['excerpt']}”）"
            click.echo(f"  [{SEVERITY_NAMES.get(f['severity'], f['severity'])}] {where}：{f['message']}")
            click.echo(f"      改法：{f['fix']}")
    ctx.exit(1 if trouble else 0)


# --- drafter serve (the clerk's desk: a local web page) ----------------------------------------------

@cli.command(options_metavar="[选项]", help="在本机打开答复起草助手网页（只在本机 127.0.0.1 上服务，地址含一次性令牌）。")
@click.option("--port", type=click.IntRange(0, 65535), default=0, metavar="端口", help="端口号；默认自动选一个空闲端口。")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器（只显示地址）。")
@click.pass_context
@_fail_cleanly
def serve(ctx, port, no_browser):
    from .web import serve as run_server
    store = _open_store(ctx)  # refuses a bad store before the page starts
    store.close()  # each request opens its own connection
    office = _office(ctx)
    run_server(store.path, office, port, not no_browser,
               echo=lambda url: click.echo(f"答复起草助手已启动：{url}\n请在浏览器中打开上面的地址；按 Ctrl+C 停止。"))


# --- diff (issue 16) ------------------------------------------------------------------------------

@cli.command(options_metavar="[选项]", help="比较草稿和最终发出的答复：按县（市、区）列出保留、修改、删去和新增的段落。"
                                            "草稿旁有 同名.sources.json 时按其中的材料比较。")
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="草稿.docx")
@click.argument("sent", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="发出稿.docx")
@click.pass_context
@_fail_cleanly
def diff(ctx, draft, sent):
    from .feedback import describe, diff_replies
    click.echo(describe(diff_replies(draft, sent, _office(ctx).gazetteer)))
