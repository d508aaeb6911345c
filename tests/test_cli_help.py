"""A clerk reads every command's help in Chinese, and every command is documented."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from drafter.cli import cli, draft_reply


def _commands(group: click.Group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


ALL = [((), cli), *list(_commands(cli))]


@pytest.mark.parametrize("path,command", ALL, ids=[" ".join(p) or "drafter" for p, _ in ALL])
def test_every_drafter_command_explains_itself_in_chinese(path, command):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert command.help and re.search(r"[\u4e00-\u9fff]", command.help)
    for english in ("Usage:", "Options", "Show this message", "Commands"):
        assert english not in result.output
    assert "\n选项：\n" in result.output and "选项:" not in result.output  # headings end as 用法： does
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            assert param.help and re.search(r"[\u4e00-\u9fff]", param.help), param.name


def test_draft_reply_explains_itself_in_chinese():
    result = CliRunner().invoke(draft_reply, ["--help"])
    assert result.exit_code == 0 and "用法" in result.output and "Usage" not in result.output
    assert all(p.help for p in draft_reply.params if isinstance(p, click.Option))


def test_a_wrong_command_line_is_answered_in_chinese_with_exit_2():
    result = CliRunner().invoke(draft_reply, ["--counties", "阳城"])
    assert result.exit_code == 2
    assert "缺少选项" in result.output and "--proposal" in result.output and "Missing" not in result.output


@pytest.mark.parametrize("typed, meant", [("--out", "--output"), ("--countie", "--counties")])
def test_a_mistyped_option_is_answered_in_chinese_with_what_was_meant(typed, meant):
    result = CliRunner().invoke(draft_reply, ["--proposal", "TA0395", typed, "x.docx"])
    assert result.exit_code == 2
    assert f"没有选项 '{typed}'" in result.output and meant in result.output and "是否想用" in result.output
    assert "Did you mean" not in result.output


def _on_a_terminal(*args: str) -> str:
    """What a clerk sees: the command's output written to a pseudo-terminal."""
    leader, follower = pty.openpty()
    exe = Path(sys.executable).with_name("drafter")
    process = subprocess.Popen([str(exe), *args], stdout=follower, stderr=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the command exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_lists_line_up_on_a_terminal_and_stay_tab_separated_for_scripts(sample_store):
    lines = _on_a_terminal("--store", str(sample_store), "documents").strip().splitlines()
    assert len(lines) == 5 and not any("\t" in line for line in lines)
    # Each column starts at the same screen cell on every line, Chinese characters counting two cells.
    starts = {tuple(_cells(line[:field.start()]) for field in re.finditer(r"\S+(?: \S+)*", line)) for line in lines}
    assert len(starts) == 1 and len(next(iter(starts))) == 7, lines
    assert "report" not in "".join(lines) and "报告" in "".join(lines)
    piped = CliRunner().invoke(cli, ["--store", str(sample_store), "documents"]).output
    assert all(line.count("\t") == 6 for line in piped.strip().splitlines())
