"""Smaller hostile input: absurd profile numbers, CSV with CR line endings."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_drafter
from drafter.errors import DrafterError
from drafter.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = (ROOT / "drafter" / "data" / "profiles" / "晋城市数据局.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("line, words", [
    ("old_material_years = 99999999999", ("old_material_years", "合理范围")),
    ("old_material_years = nan", ("old_material_years", "不是有效的数字")),
    ("old_material_years = inf", ("old_material_years", "不是有效的数字")),
    ("old_material_years = 0", ("old_material_years", "合理范围")),
])
def test_an_absurd_number_in_a_profile_is_refused_naming_the_setting(tmp_path, line, words):
    profile = tmp_path / "单位.toml"
    profile.write_text(SHIPPED.replace("old_material_years = 5", line), encoding="utf-8")
    with pytest.raises(DrafterError) as refused:
        load_profile(profile)
    assert all(w in refused.value.message for w in words), refused.value.message


def test_a_layout_size_of_nan_is_refused_before_drafting(tmp_path):
    profile = tmp_path / "单位.toml"
    profile.write_text(SHIPPED + "\n[layout]\npage_width_mm = nan\n", encoding="utf-8")
    with pytest.raises(DrafterError) as refused:
        load_profile(profile)
    assert "page_width_mm" in refused.value.message and "nan" in refused.value.message


def test_the_shipped_profile_still_loads():
    assert load_profile().old_material_years == 5


def test_a_proposals_csv_with_cr_only_line_endings_is_read(tmp_path):
    csv = tmp_path / "提案.csv"
    csv.write_bytes("案号,案由,第一提案人\r0101,关于推进政务数据共享的提案,张三\r0102,关于加快数字乡村建设的提案,李四\r"
                    .encode("gb18030"))
    store = tmp_path / "s.sqlite"
    result = run_drafter(store, "proposals", "import", str(csv))
    assert result.exit_code == 0, result.output
    assert "已导入 2 件提案" in result.output
