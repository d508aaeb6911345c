"""Reply formats: a folder with a manifest and a sandboxed Jinja template that becomes layout blocks."""
from __future__ import annotations

import re
import tomllib
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SecurityError

from ..config.paths import cache_folder
from ..errors import TemplateError
from ..models import Passage
from .blocks import STYLES, LayoutBlock, Span
from .fields import fill_fields
from .sandbox import BoundedEnvironment, Budget, CompiledTemplates, FolderLoader, RenderLimit, bounded_render

TEMPLATE_FILE = "reply.j2"
MANIFEST_FILE = "manifest.toml"
KINDS = ("", "提案", "建议")  # "": follows each proposal's own kind
ROLES = ("主办", "会办")

# A pulled passage is written into the template's output as a marker; the text itself is put back from the
# reply model afterwards, so what the draft shows is exactly the stored text and its sources travel with it.
_MARK = re.compile("\ue000(\\d+)\ue001")
_STYLE_LINE = re.compile(r"^::([a-z0-9]+)(?:\s+|$)(.*)$")


@dataclass(frozen=True)
class ReplyFormat:
    """A reply format: where it lives, what its manifest says."""

    name: str
    folder: Path
    kind: str
    description: str
    budget: int
    texts: dict[str, Any] = field(default_factory=dict)
    # 主办: the office answers the proposer; 会办: it sends the main handler its opinion.
    role: str = "主办"
    # How many city-wide plans the next-step section draws from the archive (None: retrieval's default).
    city_plans: int | None = None
    # The line numbers of manifest.toml, by key, so a check can point at the line to fix.
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def template_path(self) -> Path:
        return self.folder / TEMPLATE_FILE


def load_format(folder: Path) -> ReplyFormat:
    manifest = folder / MANIFEST_FILE
    if not (folder / TEMPLATE_FILE).is_file():
        raise TemplateError(f"模板文件夹 {folder} 中没有 {TEMPLATE_FILE}。",
                            "每种答复格式是 templates/ 下的一个文件夹，内含 manifest.toml 和 reply.j2。")
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise TemplateError(f"模板文件夹 {folder} 中没有 {MANIFEST_FILE}。", "请参照 templates/政协提案答复/manifest.toml 补上。") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise TemplateError(f"模板清单格式有误：{manifest}（{e}）", "请按 TOML 格式修改，可参照 templates/政协提案答复/manifest.toml。") from e
    try:
        city_plans = data.get("city_plans")
        fmt = ReplyFormat(name=str(data.get("name") or folder.name), folder=folder, kind=str(data.get("kind", "提案")),
                          description=str(data.get("description", "")), budget=int(data.get("budget", 400)),
                          texts=dict(data.get("texts", {})), role=str(data.get("role", "主办")),
                          city_plans=None if city_plans is None else int(city_plans),
                          lines=_key_lines(manifest.read_text(encoding="utf-8")))
    except (TypeError, ValueError) as e:
        raise TemplateError(f"模板清单中的设置有误：{manifest}（{e}）",
                            "budget（每个县的字数预算）和 city_plans（全市计划条数）应为整数。") from e
    for key, value, allowed in (("kind", fmt.kind, "“提案”、“建议”，或留空（两者均可）"), ("role", fmt.role, "“主办”或“会办”")):
        if value not in (KINDS if key == "kind" else ROLES):
            line = f" 第 {fmt.lines[key]} 行" if key in fmt.lines else ""
            raise TemplateError(f"模板清单 {manifest}{line}：{key} = “{value}”无法识别。", f"{key} 应为{allowed}。")
    if not 50 <= fmt.budget <= 5000 or not 0 <= (fmt.city_plans or 0) <= 20:
        raise TemplateError(f"模板清单中的数值超出范围：{manifest}（budget = {fmt.budget}，city_plans = {fmt.city_plans}）",
                            "budget 应在 50 到 5000 之间，city_plans 应在 0 到 20 之间。")
    return fmt


_KEY_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=")


def _key_lines(text: str) -> dict[str, int]:
    """Where each top-level or [texts] key is written in manifest.toml (first occurrence)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if (m := _KEY_LINE.match(line)) and m.group(1) not in lines:
            lines[m.group(1)] = number
    return lines


def load_format_at(path: Path) -> ReplyFormat:
    """A format from its folder, or from its reply.j2."""
    return load_format(path.parent if path.is_file() else path)


# --- rendering -------------------------------------------------------------------------------------

class Cited:
    """A passage as the template sees it: `{{ p }}` writes it with its provenance."""

    def __init__(self, registry: list, passage: Any, section: str):
        self._registry, self._passage, self._section = registry, passage, section
        self.text = passage.text
        self.county = passage.county
        self.placeholder = passage.placeholder
        self.flags = list(passage.flags)
        self.sources = [{"document": s.document, "title": s.title, "year": s.year, "paragraph": s.paragraph}
                        for s in passage.sources]

    def __str__(self) -> str:
        self._registry.append((self._passage, self._section))
        return f"\ue000{len(self._registry) - 1}\ue001"


@dataclass(frozen=True)
class Rendered:
    blocks: tuple[LayoutBlock, ...]
    # Every passage the draft shows, in draft order, with the section it was written in ("progress" / "plans").
    passages: tuple[tuple[Any, str], ...]


_OPTIONS = dict(undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
                keep_trailing_newline=True)


def _compiled_templates() -> CompiledTemplates | None:
    try:
        return CompiledTemplates(cache_folder(), _OPTIONS)
    except OSError:  # no cache folder to be had: compile every time
        return None


def _environment(folder: Path, registry: list, fields: dict[str, str]) -> BoundedEnvironment:
    env = BoundedEnvironment(Budget(), loader=FolderLoader(folder), bytecode_cache=_compiled_templates(), **_OPTIONS)

    def fill(text: str) -> str:
        """`{{ "××（主办单位）" | fill }}`: the template's own text the clerk must fill in, highlighted."""
        registry.append((Passage(text=str(text), county=None, placeholder=True), "fill"))
        return f"\ue000{len(registry) - 1}\ue001"

    def with_fields(text: str, **more: str) -> str:
        """`{{ texts.opening | fields }}`: {title}, {you} … in the format's own text become the draft's values."""
        return fill_fields(text, {**fields, **{k: str(v) for k, v in more.items()}})

    def standing(text: str) -> str:
        """`{{ texts.closing | fields | standing }}`: the format's standing text, marked as such in the draft."""
        registry.append((Passage(text=str(text), county=None), "standing"))
        return f"\ue000{len(registry) - 1}\ue001"

    env.filters["fill"] = fill
    env.filters["standing"] = standing
    env.filters["fields"] = with_fields
    return env


def render_blocks(fmt: ReplyFormat, context: dict[str, Any], registry: list) -> Rendered:
    """Render the format's template with a model and turn its lines into layout blocks."""
    try:
        env = _environment(fmt.folder, registry, context.get("fields", {}))
        template = env.get_template(TEMPLATE_FILE)
        output = bounded_render(template, context, env.budget)
    except RenderLimit as e:
        raise _located(fmt, *_template_frame(e, fmt), f"模板超出限制：{e}") from e
    except RecursionError as e:
        raise _located(fmt, *_template_frame(e, fmt), "模板递归过深") from e
    except jinja2.TemplateSyntaxError as e:
        raise _located(fmt, e.filename or str(fmt.template_path), e.lineno, f"语法错误：{e.message}") from e
    except jinja2.UndefinedError as e:
        raise _located(fmt, *_template_frame(e, fmt), f"使用了不存在的变量：{e.message}") from e
    except SecurityError as e:
        raise _located(fmt, *_template_frame(e, fmt), f"模板试图访问不允许的内容：{e}") from e
    except jinja2.TemplateNotFound as e:
        raise TemplateError(f"模板 {fmt.template_path} 引用的文件不存在或在格式文件夹之外：{e.name}",
                            "模板只能引用同一文件夹中的文件（不能经由 .. 或符号链接引用文件夹外的文件）。") from e
    except jinja2.TemplateError as e:
        raise _located(fmt, *_template_frame(e, fmt), f"模板出错：{e}") from e
    except (TypeError, ValueError, AttributeError, ZeroDivisionError, OverflowError, MemoryError) as e:
        raise _located(fmt, *_template_frame(e, fmt), f"模板运行出错：{e}") from e
    return Rendered(tuple(_parse(output, registry, fmt)), tuple(registry))


def _template_frame(error: BaseException, fmt: ReplyFormat) -> tuple[str, int | None]:
    """The template file and line where a rendering error happened, from jinja's rewritten traceback."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename and Path(frame.filename).suffix in (".j2", ".jinja", ".html", ".txt") or \
                str(fmt.folder) in (frame.filename or ""):
            return frame.filename, frame.lineno
    return str(fmt.template_path), None


def _located(fmt: ReplyFormat, filename: str, line: int | None, message: str) -> TemplateError:
    where = f"{filename}" + (f" 第 {line} 行" if line else "")
    excerpt = ""
    if line:
        try:
            lines = Path(filename).read_text(encoding="utf-8").splitlines()
            excerpt = "\n".join(f"{'>' if n == line else ' '} {n:3d} | {lines[n - 1]}"
                                for n in range(max(1, line - 2), min(len(lines), line + 2) + 1))
        except (OSError, UnicodeDecodeError, IndexError):
            excerpt = ""
    hint = "请修改模板后用 drafter templates check 检查；未写出任何文件。"
    return TemplateError(f"答复模板有误：{where}：{message}", (excerpt + "\n" if excerpt else "") + hint)


_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 110 → 一百一十, 1005 → 一千零五; past 9999 the digits are read one by one."""
    if n <= 0:
        return "零"
    if n >= 10000:
        return "".join(_DIGITS[int(d)] for d in str(n))
    if 10 <= n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    out, zero = "", False
    for value, unit in _UNITS:
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero else "") + _DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _DIGITS[n]
    return out


def _parse(output: str, registry: list, fmt: ReplyFormat) -> list[LayoutBlock]:
    """Lines to blocks: `::style text`; numbering of h1/h2/item/subitem is generated here, never typed."""
    blocks, counters = [], {"h1": 0, "h2": 0, "item": 0, "subitem": 0}
    for line_no, line in enumerate(output.splitlines(), 1):
        if not line.strip():
            continue
        match = _STYLE_LINE.match(line.strip())
        style, text = (match.group(1), match.group(2)) if match else ("body", line.strip())
        if style not in STYLES:
            raise TemplateError(f"答复模板 {fmt.template_path} 输出的第 {line_no} 行使用了未知的段落样式“::{style}”。",
                                f"可用的样式：{'、'.join(STYLES)}。")
        spans = _spans(text, registry)
        if not spans:
            continue
        blocks.append(LayoutBlock(style, tuple(spans), _number(style, counters)))
    return blocks


def _number(style: str, counters: dict[str, int]) -> str:
    if style not in counters:
        return ""
    counters[style] += 1
    deeper = {"h1": ("h2", "item", "subitem"), "h2": ("item", "subitem"), "item": ("subitem",), "subitem": ()}
    for level in deeper[style]:
        counters[level] = 0
    n = counters[style]
    return {"h1": f"{chinese_number(n)}、", "h2": f"（{chinese_number(n)}）", "item": f"{n}. ",
            "subitem": f"（{n}）"}[style]


def _spans(text: str, registry: list) -> list[Span]:
    spans, position = [], 0
    for match in _MARK.finditer(text):
        if match.start() > position:
            spans.append(Span(text[position:match.start()]))
        passage, section = registry[int(match.group(1))]
        # Text with no source that is no placeholder is the format's own: a standing sentence.
        standing = not passage.sources and not passage.placeholder and section in ("plans", "standing")
        spans.append(Span(passage.text, tuple(passage.sources), passage.placeholder, tuple(passage.flags), standing))
        position = match.end()
    if position < len(text):
        spans.append(Span(text[position:]))
    return [s for s in spans if s.text]
