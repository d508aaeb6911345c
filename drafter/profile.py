"""Profiles: the issuing office's settings (unit, city, sign-off, categories, layout) from a TOML file."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .config import paths
from .errors import ProfileError
from .render.layout import Layout

DEFAULT_PROFILE = "晋城市数据局"


@dataclass(frozen=True)
class Profile:
    unit: str
    city: str
    signoff: tuple[tuple[str, str], ...] = ()
    categories: dict[str, str] = field(default_factory=dict)
    publicity: str = ""
    cc: tuple[str, ...] = ()
    old_material_years: int = 5
    layout: Layout = field(default_factory=Layout)
    source: str = ""
    # "asked": counties in the order the clerk gives them; "code": in official code order.
    county_order: str = "asked"
    # The office's own place file (gazetteer rows: extra zones, local names, corrections) and topic
    # lexicon, as paths; relative paths in the file are read from the profile's folder.
    places: Path | None = None
    topics: Path | None = None
    # The body a session belongs to, by kind: {"提案": "市政协", "建议": "市人大"} (a county office: 县政协 …).
    session_bodies: dict[str, str] = field(default_factory=dict)
    # How the office speaks of itself in the format's own sentences (市数据局, 我局); empty: the unit's name.
    voice: str = ""
    # How many city-wide plans a reply draws from the archive (None: the format's, else retrieval's default).
    city_plans: int | None = None


def _shipped_text() -> str:
    return paths.package_data("profiles", f"{DEFAULT_PROFILE}.toml").read_text(encoding="utf-8")


def load_profile(path: Path | str | None = None) -> Profile:
    """The office's profile: the TOML file given (--profile), else the one DRAFTER_PROFILE names, else the
    shipped 晋城市数据局 profile."""
    path = path or paths.setting(paths.PROFILE)
    if path is None:
        text = _shipped_text()
        where = f"{DEFAULT_PROFILE}（内置）"
    else:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise ProfileError(f"无法读取单位配置文件：{path}（{e.strerror}）", "请检查 --profile 指定的路径。") from e
        except UnicodeDecodeError as e:
            raise ProfileError(f"单位配置文件不是 UTF-8 编码：{path}", "请用文本编辑器将其另存为 UTF-8 后重试。") from e
        where = str(path)
    folder = Path(path).parent if path is not None else Path(".")
    try:
        data = tomllib.loads(text)
        _check_values(data, where)
        county_order = str(data.get("county_order", "asked"))
        if county_order not in ("asked", "code"):
            raise ValueError(f"county_order 应为 asked 或 code，而不是 {county_order}")
        # An office's profile written before session bodies were settings keeps the shipped ones.
        bodies = data.get("session_bodies") or tomllib.loads(_shipped_text()).get("session_bodies", {})
        city_plans = data.get("city_plans")
        years = data.get("old_material_years", 5)
        if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 100:
            raise ValueError(f"old_material_years = {years!r}，应为 1 到 100 的整数")
        if city_plans is not None and (isinstance(city_plans, bool) or not 0 <= int(city_plans) <= 20):
            raise ValueError(f"city_plans = {city_plans!r}，应为 0 到 20 的整数")
        return Profile(
            unit=str(data["unit"]), city=str(data["city"]),
            signoff=tuple((str(k), str(v)) for k, v in data.get("signoff", [])),
            categories={str(k): str(v) for k, v in data.get("categories", {}).items()},
            publicity=str(data.get("publicity", "")), cc=tuple(map(str, data.get("cc", []))),
            old_material_years=int(data.get("old_material_years", 5)),
            layout=Layout.from_mapping(data.get("layout", {})), source=where, county_order=county_order,
            places=folder / str(data["places"]) if data.get("places") else None,
            topics=folder / str(data["topics"]) if data.get("topics") else None,
            session_bodies={str(k): str(v) for k, v in bodies.items()}, voice=str(data.get("voice", "")),
            city_plans=None if city_plans is None else int(city_plans))
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"单位配置文件格式有误：{where}（{e}）", "请对照内置配置 晋城市数据局.toml 修改。") from e
    except KeyError as e:
        raise ProfileError(f"单位配置文件缺少必填项 {e.args[0]}：{where}", "unit（单位名称）和 city（所在城市）必须填写。") from e
    except (ValueError, TypeError) as e:
        raise ProfileError(f"单位配置文件中的设置有误：{where}（{e}）", "请对照内置配置 晋城市数据局.toml 修改。") from e


# A number of years, a size in points or millimetres: anything past this is a typing slip, and would make
# date arithmetic or layout run away (years = 99999999999 hung a draft; nan and inf crashed it).
_LARGEST = 10_000
_YEARS = (1, 100)


def _check_values(data: dict, where: str, path: str = "") -> None:
    """Refuse a number that is not finite or not plausible, naming the setting and what it may be."""
    for key, value in data.items():
        name = f"{path}{key}"
        if name == "layout":
            continue  # the layout table checks its own numbers (render.layout), with its own limits
        if isinstance(value, dict):
            _check_values(value, where, f"{name}.")
        elif isinstance(value, bool):
            continue
        elif isinstance(value, (int, float)):
            if value != value or value in (float("inf"), float("-inf")):
                raise ProfileError(f"单位配置文件中的设置有误：{name} 的值 {value} 不是有效的数字（{where}）",
                                   "请填写一个普通的数字，如 5 或 12.5；可对照内置配置 晋城市数据局.toml 修改。")
            low, high = _YEARS if name == "old_material_years" else (-_LARGEST, _LARGEST)
            if not low <= value <= high:
                raise ProfileError(f"单位配置文件中的设置有误：{name} 的值 {value} 超出合理范围 {low}～{high}（{where}）",
                                   "请改为合理的数值；可对照内置配置 晋城市数据局.toml 修改。")
