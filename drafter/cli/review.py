"""After drafting: check a reply, compare a draft with what was sent, and the clerk's desk (serve)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from . import _fail_cleanly, _office, _open_store, cli
from ..errors import DrafterError

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
    from ..check import SEVERITY_NAMES, check_docx, fix_docx
    from ..profile import load_profile
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
    from ..web import serve as run_server
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
    from ..feedback import describe, diff_replies
    click.echo(describe(diff_replies(draft, sent, _office(ctx).gazetteer)))

