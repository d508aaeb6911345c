"""draft-reply: one proposal, or a session's proposals at once."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import PROFILE_HELP, STORE_HELP, _echo_table, _fail_cleanly, _open_store, exit_without_teardown

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
    from ..app import default_output, draft_reply as run_draft, split_names
    from ..config.office import load_office
    from ..formats import find_format
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
    from ..batch import SUMMARY_HEADER, draft_all, proposal_ids_in, summary_rows, write_summary
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
    exit_without_teardown(lambda: draft_reply(prog_name="draft-reply"))

