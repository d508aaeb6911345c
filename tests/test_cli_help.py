"""A clerk reads every command's help in Chinese, and every command is documented."""
from __future__ import annotations

import re

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
