"""An office is set up by its profile; what the store read follows the office's place data."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import run_drafter, ROOT

PROFILE = (ROOT / "drafter" / "data" / "profiles" / "晋城市数据局.toml").read_text(encoding="utf-8")
HEADER = "short,full,type,city,code,old_names,common_word\n"
# A county's report that names its county only by a former name the shipped gazetteer does not know.
REPORT = ("晋城县2023年数字政府建设工作总结\n\n"
          "2023年，晋城县大力推进数字政府建设，建成县级政务数据共享交换平台，汇聚数据3200万条。\n")


def _office(folder: Path, places: str | None) -> Path:
    profile = folder / "本单位.toml"
    text = PROFILE
    if places is not None:
        (folder / "本地地名.csv").write_text(HEADER + places, encoding="utf-8")
        text = 'places = "本地地名.csv"\n' + text
    profile.write_text(text, encoding="utf-8")
    return profile


def _counties(store: Path, profile: Path) -> dict[str, str | None]:
    result = run_drafter(store, "--profile", str(profile), "documents", "--json")
    return {d["file"]: d["county"] for d in json.loads(result.output)}


def test_a_local_name_in_the_offices_place_file_places_a_document_and_stored_readings_follow_it(tmp_path):
    corpus = tmp_path / "资料"
    corpus.mkdir()
    (corpus / "晋城县总结.txt").write_text(REPORT, encoding="utf-8")
    store = tmp_path / "store.sqlite"
    plain = _office(tmp_path, None)
    assert run_drafter(store, "--profile", str(plain), "ingest", str(corpus)).exit_code == 0
    assert _counties(store, plain)["晋城县总结.txt"] is None

    # The office teaches its gazetteer the former name; the unchanged file is read again.
    local = _office(tmp_path, "泽州,泽州县,county,晋城市,140525,郊区|晋城县,0\n")
    again = run_drafter(store, "--profile", str(local), "ingest", str(corpus))
    assert again.exit_code == 0
    assert "重读 1 个" in again.output
    assert _counties(store, local)["晋城县总结.txt"] == "泽州县"
    # A third run has nothing left to re-read.
    assert "重读" not in run_drafter(store, "--profile", str(local), "ingest", str(corpus)).output


def test_a_search_on_a_store_read_with_other_place_data_says_so(tmp_path):
    corpus = tmp_path / "资料"
    corpus.mkdir()
    (corpus / "晋城县总结.txt").write_text(REPORT, encoding="utf-8")
    store = tmp_path / "store.sqlite"
    assert run_drafter(store, "--profile", str(_office(tmp_path, None)), "ingest", str(corpus)).exit_code == 0
    local = _office(tmp_path, "泽州,泽州县,county,晋城市,140525,郊区|晋城县,0\n")
    result = run_drafter(store, "--profile", str(local), "search", "数字政府")
    assert "按旧版地名库或规则读取" in result.stderr


def test_a_profile_whose_city_the_gazetteer_does_not_know_is_refused_with_the_nearest_names(tmp_path):
    profile = tmp_path / "本单位.toml"
    profile.write_text(PROFILE.replace('city = "晋城市"', 'city = "晋成市"'), encoding="utf-8")
    result = run_drafter(tmp_path / "s.sqlite", "--profile", str(profile), "ingest", str(tmp_path))
    assert result.exit_code == 1
    assert "晋成市" in result.stderr and "晋城市" in result.stderr


def test_a_place_file_row_without_its_city_is_refused_naming_the_row_and_nothing_is_stored(tmp_path):
    corpus = tmp_path / "资料"
    corpus.mkdir()
    (corpus / "晋城县总结.txt").write_text(REPORT, encoding="utf-8")
    store = tmp_path / "store.sqlite"
    local = _office(tmp_path, "新区,晋城新区\n")
    result = run_drafter(store, "--profile", str(local), "ingest", str(corpus))
    assert result.exit_code == 1
    assert "晋城新区" in result.stderr and "type、city" in result.stderr
    assert "Traceback" not in result.stderr
    assert not store.exists() or "晋城县总结.txt" not in run_drafter(store, "documents").output
