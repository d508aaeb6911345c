"""Where reply formats live, and checking one against sample data."""
from __future__ import annotations

import datetime
from pathlib import Path

from .config import paths
from .errors import TemplateError
from .models import CountySection, Passage, Place, Proposal, Reply, SourceRef
from .profile import load_profile
from .render.blocks import LayoutBlock
from .render.lint import problems
from .render.model import build_context
from .render.template import TEMPLATE_FILE, ReplyFormat, load_format, load_format_at, render_blocks


def template_roots() -> list[Path]:
    """Folders holding formats: DRAFTER_TEMPLATES (if set), ./templates, then the formats installed with drafter."""
    roots = []
    if paths.setting(paths.TEMPLATES):
        roots.append(Path(paths.setting(paths.TEMPLATES)))
    roots.append(Path.cwd() / "templates")
    roots.append(paths.shipped_templates())
    seen, unique = set(), []
    for root in roots:
        if root.is_dir() and root.resolve() not in seen:
            seen.add(root.resolve())
            unique.append(root)
    return unique


def find_format(name_or_path: str) -> ReplyFormat:
    """A format by path, or by name in the first root that has a folder of that name. A broken format is
    reported, never silently replaced by a shipped one of the same name."""
    if Path(name_or_path).exists():
        return load_format_at(Path(name_or_path))
    for root in template_roots():
        if (root / name_or_path).is_dir():
            return load_format(root / name_or_path)
    names = sorted({folder.name for folder, _ in list_formats()})
    raise TemplateError(f"找不到答复格式“{name_or_path}”。",
                        f"可用的格式：{'、'.join(names) or '（无）'}。也可以给出模板文件夹的路径。")


# The shipped format for each kind of proposal and role of the office; an office's own folder of the same
# name replaces it (see template_roots). Any other format whose manifest fits is used when these are missing.
DEFAULT_FORMATS = {("提案", "主办"): "政协提案答复", ("建议", "主办"): "人大代表建议答复",
                   ("提案", "会办"): "会办意见", ("建议", "会办"): "会办意见"}
_KIND_WORDS = {"提案": "政协提案", "建议": "人大代表建议"}
_ROLE_WORDS = {"主办": "主办单位的答复", "会办": "会办单位致主办单位的会办意见"}


def fits(fmt: ReplyFormat, proposal: Proposal) -> bool:
    """A format serves a proposal when it answers its kind (or every kind) in the office's role."""
    return fmt.role == proposal.role and fmt.kind in ("", proposal.kind)


def format_for(proposal: Proposal, chosen: ReplyFormat | None = None) -> ReplyFormat:
    """The format a draft uses: the clerk's, if it fits the proposal, else the one the kind and role call for."""
    if chosen is not None:
        if fits(chosen, proposal):
            return chosen
        fitting = _fitting(proposal)
        what = f"用于{_KIND_WORDS.get(chosen.kind, '提案和建议')}的{_ROLE_WORDS.get(chosen.role, chosen.role)}"
        advice = (f"请改用“{fitting.name}”（--template {fitting.name}），或不写 --template，由程序按类型选择。"
                  if fitting else "请换用与之相符的答复格式。")
        raise TemplateError(f"答复格式“{chosen.name}”是{what}，而 {proposal.id} 是"
                            f"{_KIND_WORDS.get(proposal.kind, proposal.kind)}，本单位{proposal.role}。", advice)
    fitting = _fitting(proposal)
    if fitting is None:
        raise TemplateError(f"没有适用于{_KIND_WORDS.get(proposal.kind, proposal.kind)}（{proposal.role}）的答复格式。",
                            "请用 --template 指定格式，或在 templates/ 中添加 kind、role 相符的格式。")
    return fitting


def _fitting(proposal: Proposal) -> ReplyFormat | None:
    name = DEFAULT_FORMATS.get((proposal.kind, proposal.role))
    for root in template_roots():
        if name and (root / name).is_dir():
            fmt = load_format(root / name)
            if fits(fmt, proposal):
                return fmt
    for _, fmt in list_formats():
        if isinstance(fmt, ReplyFormat) and fits(fmt, proposal):
            return fmt
    return None


def list_formats() -> list[tuple[Path, ReplyFormat | TemplateError]]:
    """Every format folder of every root, loaded, or the error that keeps it from loading."""
    found = []
    for root in template_roots():
        for folder in sorted(d for d in root.iterdir() if d.is_dir() and (d / TEMPLATE_FILE).is_file()):
            try:
                found.append((folder, load_format(folder)))
            except TemplateError as e:
                found.append((folder, e))
    return found


def sample_reply(kind: str = "提案", role: str = "主办") -> Reply:
    """Data to try a format on: one county with material, one without, a plan."""
    source = SourceRef("示例材料.txt", "示例县2024年工作总结", 2024, 3)
    yes = Place("阳城", "阳城县", "county", "晋城市", "140522")
    no = Place("高平", "高平市", "county-level city", "晋城市", "140581")
    return Reply(
        proposal=Proposal("TA0001", "关于示例事项的" + kind, "张三", "八届三次", "A", kind, role),
        counties=(CountySection(yes, (Passage("阳城县建成了示例平台。", "阳城县", (source,)),)),
                  CountySection(no, (Passage("【待补充】", "高平市", placeholder=True),))),
        plans=(Passage("下一步，将继续推进示例工作。", None, (source,)),),
        date=datetime.date.today().isoformat())


def check_format(fmt: ReplyFormat) -> list[LayoutBlock]:
    """Render a format against sample data; raises TemplateError naming file and line."""
    registry: list = []
    profile = load_profile()
    rendered = render_blocks(fmt, build_context(sample_reply(fmt.kind or "提案", fmt.role), profile, fmt, registry),
                             registry)
    if not rendered.blocks:
        raise TemplateError(f"答复格式“{fmt.name}”试排后没有任何内容：{fmt.template_path}", "请检查模板是否输出了段落。")
    found = problems(fmt, list(rendered.blocks))
    if found:
        raise TemplateError(f"答复格式“{fmt.name}”有 {len(found)} 处问题：\n" + "\n".join(f"  {p}" for p in found),
                            "请逐条修改后再用 drafter templates check 检查。")
    return list(rendered.blocks)
