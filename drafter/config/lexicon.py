"""The topic lexicon: shipped topics.toml, extended by an office's own file."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import LexiconError
from . import paths


@dataclass(frozen=True)
class Lexicon:
    """Topic groups (name → {"terms": [...], "all_of": [[...], ...]}) and the title words that name no topic."""

    groups: dict[str, dict]
    stopwords: frozenset[str]


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The shipped topics.toml, extended by an office's own file (the given path, else DRAFTER_TOPICS).
    The office's groups replace shipped groups of the same name (one with no terms removes it) and its
    stopwords add to the shipped ones."""
    given = path or paths.setting(paths.TOPICS)
    return _load(str(given) if given else None)


@lru_cache(maxsize=4)
def _load(path: str | None) -> Lexicon:
    data = tomllib.loads(paths.package_data("topics.toml").read_text(encoding="utf-8"))
    stop = set(data.pop("stopwords", {}).get("terms", []))
    if path:
        try:
            office = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise LexiconError(f"主题词表无法读取：{path}（{e}）",
                               "请检查 DRAFTER_TOPICS 指向的文件：须为 UTF-8 编码的 TOML，格式同 drafter/data/topics.toml。") from e
        stop |= set(office.pop("stopwords", {}).get("terms", []))
        for name, group in office.items():
            if not isinstance(group, dict) or not isinstance(group.get("terms", []), list):
                raise LexiconError(f"主题词表 {path} 中的“{name}”不是词组。",
                                   f'每个主题写成一节：["{name}"] 下一行 terms = ["词一", "词二"]。')
        data.update(office)
    return Lexicon({name: group for name, group in data.items() if group.get("terms")}, frozenset(stop))
