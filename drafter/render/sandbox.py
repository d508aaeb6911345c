"""The Jinja environment a reply format runs in: its own folder only, and bounded time, work and output."""
from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

# A reply is a few pages; a template that writes more, or works longer, is looping by mistake (or on purpose).
MAX_OUTPUT_CHARS = 2_000_000
MAX_SECONDS = 10.0
MAX_LOOP_STEPS = 1_000_000
# Arithmetic results a letter could need are small; 10 ** 10000000000 would take minutes and gigabytes.
MAX_NUMBER_DIGITS = 100


class RenderLimit(Exception):
    """A template went past a cap on time, loop steps, output size or number size."""


class FolderLoader(jinja2.BaseLoader):
    """Templates from one folder: a name that leads outside it, through `..` or a symlink, is not found."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()

    def get_source(self, environment: jinja2.Environment, template: str):
        path = (self.folder / template).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            raise jinja2.TemplateNotFound(template)
        source = path.read_text(encoding="utf-8")
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled once and kept between runs (compiling a format is a tenth of a cold draft's own
    work). Keyed by the template's source, in a folder named after everything else that shapes the code;
    a folder that cannot be written leaves the template uncompiled for next time, never the draft undone."""

    def __init__(self, folder: Path, options: dict[str, Any]):
        shape = repr((jinja2.__version__, sorted(options.items()), sorted(BoundedEnvironment.intercepted_binops)))
        folder = folder / f"templates-{hashlib.sha1(shape.encode()).hexdigest()[:12]}"
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


class Budget:
    """The clock and step counter shared by everything one rendering does."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.steps = 0

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_LOOP_STEPS:
            raise RenderLimit(f"循环次数超过上限（{MAX_LOOP_STEPS} 次）")
        if time.monotonic() - self.started > MAX_SECONDS:
            raise RenderLimit(f"试排时间超过上限（{MAX_SECONDS:g} 秒）")


# String methods whose width argument makes a string of any size ("x".ljust(10 ** 9), "{:>300000000}".format(1)).
_UNSAFE_STR_METHODS = frozenset(["format", "format_map", "ljust", "rjust", "center", "zfill", "expandtabs"])
# Filters that make text of a width they are given, or printf-format it: a letter needs none of them.
_DROPPED_FILTERS = ("center", "indent", "wordwrap", "format")


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox with a cap on powers and repetitions, and a range that counts every step it gives."""

    intercepted_binops = frozenset(["**", "*", "%"])

    def __init__(self, budget: Budget, **options: Any):
        super().__init__(**options)
        self.budget = budget
        self.globals["range"] = self._range
        self.globals["namespace"] = BoundedNamespace
        self.globals.pop("lipsum", None)
        for name in _DROPPED_FILTERS:
            self.filters.pop(name, None)
        for name, function in list(self.filters.items()):
            self.filters[name] = _bounded_filter(function, name)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in _UNSAFE_STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # str.format pads to any width it is told ("{:>300000000}"): a template has the replace filter instead.
        if super().wrap_str_format(value) is None:
            return None

        def refused(*args: Any, **kwargs: Any) -> str:
            raise SecurityError("模板中不能用 format 格式化文字，请改用 replace")
        return refused

    def call(self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # Every call (macros included) is a step; an argument past the output cap ends a doubling recursion.
        self.budget.step()
        for value in (*args, *kwargs.values()):
            _check_size(value)
        return super().call(__context, __obj, *args, **kwargs)

    def _range(self, *args: int) -> Iterator[int]:
        numbers = range(*args)
        if len(numbers) > MAX_LOOP_STEPS:
            raise RenderLimit(f"range 的长度超过上限（{MAX_LOOP_STEPS}）")
        return _counted(numbers, self.budget.step)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _is_number(left) and _is_number(right):
            if abs(right) > 1 and _digits(left) * abs(right) > MAX_NUMBER_DIGITS:
                raise RenderLimit(f"乘方结果过大（{left} ** {right}）")
        if operator == "*":
            size = _repeat_size(left, right)
            if size > MAX_OUTPUT_CHARS:
                raise RenderLimit(f"重复后的内容过长（约 {size} 个字符）")
            if _is_number(left) and _is_number(right) and _digits(left) + _digits(right) > MAX_NUMBER_DIGITS:
                raise RenderLimit("乘积过大")
        if operator == "%" and isinstance(left, str):
            raise RenderLimit("模板中不能用 % 格式化文字")
        return super().call_binop(context, operator, left, right)


class BoundedNamespace(jinja2.utils.Namespace):
    """`namespace()` whose values stay within the output cap, so `{% set ns.s = ns.s ~ ns.s %}` cannot double forever."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_size(value)
        super().__setitem__(name, value)


def _check_size(value: Any) -> None:
    if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_OUTPUT_CHARS:
        raise RenderLimit(f"内容过长（{len(value)} 个字符或项）")


def _bounded_filter(function: Callable, name: str) -> Callable:
    """A built-in filter that refuses absurd sizes before working: a width of 10 ** 9, a replace that would
    make more text than the cap."""
    options_from = 2 if hasattr(function, "jinja_pass_arg") else 1  # after the context and the value

    def bounded(*args: Any, **kwargs: Any) -> Any:
        numbers = [v for v in (*args[options_from:], *kwargs.values()) if _is_number(v)]
        if any(abs(v) > MAX_OUTPUT_CHARS for v in numbers):
            raise RenderLimit(f"过滤器 {name} 的参数过大")
        texts = [v for v in args if isinstance(v, str)]
        if name == "replace" and len(texts) >= 3 and texts[1]:
            grown = len(texts[0]) + texts[0].count(texts[1]) * len(texts[2])
            if grown > MAX_OUTPUT_CHARS:
                raise RenderLimit(f"replace 之后的内容过长（约 {grown} 个字符）")
        return function(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):  # keeps pass_context / pass_environment filters working
        if hasattr(function, attribute):
            setattr(bounded, attribute, getattr(function, attribute))
    return bounded


def _counted(numbers: range, step: Callable[[], None]) -> Iterator[int]:
    for n in numbers:
        step()
        yield n


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _digits(value: Any) -> int:
    if isinstance(value, float):
        return len(f"{abs(value):.0f}")
    return max(1, len(str(abs(value)))) if abs(value) < 10 ** MAX_NUMBER_DIGITS else MAX_NUMBER_DIGITS + 1


def _repeat_size(left: Any, right: Any) -> int:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and not isinstance(times, bool):
            return len(seq) * max(times, 0)
    return 0


def bounded_render(template: jinja2.Template, context: dict[str, Any], budget: Budget) -> str:
    """The template's output, stopped as soon as it passes the output or time cap."""
    pieces, size = [], 0
    for piece in template.generate(**context):
        size += len(piece)
        if size > MAX_OUTPUT_CHARS:
            raise RenderLimit(f"输出超过上限（{MAX_OUTPUT_CHARS} 个字符）")
        budget.step(0)
        pieces.append(piece)
    return "".join(pieces)
