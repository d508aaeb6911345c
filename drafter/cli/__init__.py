"""Command line: parses arguments, calls a use case of drafter.app, prints in Chinese.

The `drafter` group and what every command shares live here; the commands are in library.py (the
archive and the proposals), drafting.py (draft-reply) and review.py (check, diff, serve)."""
from __future__ import annotations

import atexit
import functools
import os
import sys
import unicodedata
from pathlib import Path

import click

from .. import __version__
from ..click_zh import use_chinese
from ..errors import DrafterError
from ..config.paths import default_store_path
from ..store import Store

STORE_HELP = "资料库文件位置（也可用环境变量 DRAFTER_STORE）；首次使用时自动创建。"
PROFILE_HELP = ("本单位配置文件（TOML：单位、城市，可用 places 指定本单位的地名表；也可用环境变量 DRAFTER_PROFILE）；"
                "默认 晋城市数据局。")

# click says its own words (usage lines, errors) in Chinese: set before any command is built or run.
use_chinese()


def exit_without_teardown(main) -> None:
    """Run a console command, then leave as Python would, without its teardown: freeing every object of a
    draft one by one was a seventh of a cold draft (150 ms). What a normal exit does that matters is done
    first: the exit handlers run (caches saved) and the output is flushed; the store is closed by then
    (`_open_store`)."""
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()  # what the interpreter runs at exit (CPython's own hook for it)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing left to say to it
            pass
    os._exit(code or 0)


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
    from ..config.office import load_office
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



def main():
    cli(prog_name="drafter")




# The commands register themselves on `cli` when imported.
from . import library, review  # noqa: E402
from .drafting import draft_reply, draft_reply_main  # noqa: E402

__all__ = ["cli", "main", "draft_reply", "draft_reply_main", "library", "review"]
