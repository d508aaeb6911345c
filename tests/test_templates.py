"""The shipped reply formats: listed, checked, and drafted through the real CLI on the sample store.

Each draft is read back with python-docx the way a clerk opens it in Word, and converted with LibreOffice
the way it would be printed.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib

import docx
import pytest

from conftest import ROOT, run_draft, run_drafter
from docx_reading import numbered_texts

FORMATS = ("政协提案答复", "人大代表建议答复", "会办意见")
SIX = "阳城,陵川,泽州,城区,沁水,高平"
TITLE = "关于改善我市县级智慧城市建设的建议的提案"
ITEM = re.compile(r"^(\d+)\. ")
H1 = re.compile(r"^([一二三四五六七八九十]+)、")
# What a clerk's CSV holds for a party proposal, a deputy's suggestion and a joint suggestion.
EXTRA_CSV = ("案号,案由,第一提案人,届次,答复类别,类型,办理方式\n"
             f"TA0396,{TITLE},九三学社晋城市委员会,八届三次,A,提案,主办\n"
             "JY0021,关于改善我市县级智慧城市建设的建议,王强,七届二次,B,建议,主办\n"
             "JY0022,关于改善我市县级智慧城市建设的建议,王强等,七届二次,B,建议,主办\n"
             f"TA0397,{TITLE},李惠英,八届三次,A,提案,会办\n"
             f"TA0398,{TITLE},王强等3人,八届三次,A,提案,主办\n")


def _texts(name: str) -> dict:
    return tomllib.loads((ROOT / "templates" / name / "manifest.toml").read_text(encoding="utf-8"))["texts"]


@pytest.fixture
def store(sample_store, tmp_path):
    csv = tmp_path / "extra.csv"
    csv.write_text(EXTRA_CSV, encoding="utf-8")
    result = run_drafter(sample_store, "proposals", "import", str(csv))
    assert result.exit_code == 0, result.output
    return sample_store


def _draft(store, tmp_path, proposal, template=None, counties=SIX):
    out = tmp_path / f"{proposal}-{template}.docx"
    chosen = ("--template", template) if template else ()
    result = run_draft(store, "--proposal", proposal, "--counties", counties, "--output", str(out),
                       "--date", "2024-05-08", *chosen)
    assert result.exit_code == 0, result.output
    return out


def _paragraphs(path) -> list[str]:
    # As Word shows them: list numbers in front; a title broken over two lines is read as one.
    return numbered_texts(docx.Document(str(path)), path)


def _title(path) -> str:
    document = docx.Document(str(path))
    title = document.core_properties.title
    assert title in "".join(_paragraphs(path))  # the title shown on the page, not only in the file's properties
    return title


def _after(paragraphs: list[str], start: str) -> str:
    """The paragraph that follows the one equal to `start`."""
    return paragraphs[paragraphs.index(start) + 1]


def _assert_numbering(paragraphs: list[str]) -> None:
    """一、二、 in order; under each, items 1. 2. … n. with no gap and no repeat."""
    headings = [H1.match(t).group(1) for t in paragraphs if H1.match(t)]
    assert headings == ["一", "二"], headings
    sections, current = [], None
    for text in paragraphs:
        if H1.match(text):
            current = []
            sections.append(current)
        elif (m := ITEM.match(text)) and current is not None:
            current.append(int(m.group(1)))
    assert len(sections) == 2
    for numbers in sections:
        assert numbers and numbers == list(range(1, len(numbers) + 1)), numbers
    # nothing typed its own number inside an item ("1. 1." or "1. 一、")
    for text in paragraphs:
        if ITEM.match(text):
            rest = text[ITEM.match(text).end():]
            assert not ITEM.match(rest) and not H1.match(rest), text


# --- listing and checking -----------------------------------------------------------------------------


def test_templates_list_shows_all_three_formats(tmp_path):
    result = run_drafter(tmp_path / "store.sqlite", "templates", "list")
    assert result.exit_code == 0, result.output
    listed = {line.split("\t")[0] for line in result.output.splitlines()}
    assert set(FORMATS) <= listed
    assert "人大代表建议答复\t建议\t" in result.output


@pytest.mark.parametrize("name", FORMATS)
def test_templates_check_passes_by_name_and_by_path(tmp_path, name):
    for target in (name, str(ROOT / "templates" / name)):
        result = run_drafter(tmp_path / "store.sqlite", "templates", "check", target)
        assert result.exit_code == 0, result.output
        assert "检查通过" in result.output


@pytest.mark.parametrize("name", FORMATS)
def test_templates_never_type_their_own_numbers(name):
    """Numbering is generated: no line of a template opens with 一、 （一） 1. or （1）."""
    for n, line in enumerate((ROOT / "templates" / name / "reply.j2").read_text(encoding="utf-8").splitlines(), 1):
        text = re.sub(r"^::[a-z0-9]+\s*", "", line.strip())
        assert not re.match(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|（\d+）)", text), (n, line)


# --- drafting with each format ------------------------------------------------------------------------


def test_cppcc_reply_to_a_member(store, tmp_path):
    out = _draft(store, tmp_path, "TA0395", "政协提案答复")
    paragraphs = _paragraphs(out)
    assert _title(out) == "关于市政协八届三次会议第TA0395号提案的答复"
    assert _after(paragraphs, "A类").startswith("关于市政协")
    salutation = next(t for t in paragraphs if t.endswith("委员："))
    assert salutation == "李惠英委员："
    assert _after(paragraphs, salutation) == f"您提出的《{TITLE}》收悉，经研究，现答复如下："
    assert "一、工作进展" in paragraphs and "二、下一步计划" in paragraphs
    _assert_numbering(paragraphs)
    assert paragraphs[-2:] == ["晋城市数据局", "2024年5月8日"]  # 署名 above 成文日期


def test_cppcc_reply_to_a_party_says_your_unit(store, tmp_path):
    out = _draft(store, tmp_path, "TA0396", "政协提案答复")
    paragraphs = _paragraphs(out)
    assert "九三学社晋城市委员会：" in paragraphs
    assert not any(t.endswith("委员会委员：") for t in paragraphs)
    opening = _after(paragraphs, "九三学社晋城市委员会：")
    assert opening.startswith(("贵单位提出的", "您单位提出的")) and TITLE in opening
    whole = "".join(paragraphs)
    assert "您提出的" not in whole and "感谢您对" not in whole
    assert "感谢贵单位" in whole or "感谢您单位" in whole
    _assert_numbering(paragraphs)


def test_npc_suggestion_to_a_deputy(store, tmp_path):
    out = _draft(store, tmp_path, "JY0021", "人大代表建议答复")
    paragraphs = _paragraphs(out)
    title = _title(out)
    assert title == "关于市人大七届二次会议第JY0021号建议的答复"
    assert "建议的答复" in title and "政协" not in title and "提案" not in title
    assert "B类" in paragraphs
    assert "王强代表：" in paragraphs
    opening = _after(paragraphs, "王强代表：")
    assert opening == "您提出的《关于改善我市县级智慧城市建设的建议》收悉，经研究，现答复如下："
    assert "一、工作进展" in paragraphs and "二、下一步计划" in paragraphs
    # the format's own words speak of 建议 and 代表, never of 提案 or 委员
    texts = _texts("人大代表建议答复")
    for key in ("opening", "placeholder", "plan_intro", "closing"):
        assert "提案" not in texts[key] and "委员" not in texts[key], key
    assert "感谢您对智慧城市建设工作的关心和支持，欢迎今后继续提出宝贵意见和建议。" in paragraphs
    _assert_numbering(paragraphs)


def test_npc_joint_suggestion_is_answered_to_all_deputies(store, tmp_path):
    out = _draft(store, tmp_path, "JY0022", "人大代表建议答复", "阳城,高平")
    paragraphs = _paragraphs(out)
    assert "王强等代表：" in paragraphs
    assert _after(paragraphs, "王强等代表：").startswith("你们提出的《")
    assert any(t.startswith("感谢你们对") for t in paragraphs)
    assert not any("您" in t for t in paragraphs if not t.startswith(("1.", "2.", "3.", "4.", "5.", "6.")))
    _assert_numbering(paragraphs)


def test_co_handler_opinion_to_the_main_handler(store, tmp_path):
    out = _draft(store, tmp_path, "TA0397")  # registered as 会办: the format follows
    paragraphs = _paragraphs(out)
    texts = _texts("会办意见")
    assert _title(out) == "关于市政协八届三次会议第TA0397号提案的会办意见"
    # addressed to the main handler (the clerk fills in its name), not to the member
    assert texts["addressee"] == "××（主办单位）："
    assert texts["addressee"] in paragraphs
    assert not any(t.endswith("委员：") for t in paragraphs)
    opening = _after(paragraphs, texts["addressee"])
    assert opening == (f"贵单位主办的市政协八届三次会议第TA0397号提案《{TITLE}》收悉。"
                       "现将市数据局会办意见函告如下：")
    assert "一、有关工作情况" in paragraphs and "二、下一步工作建议" in paragraphs
    assert "A类" not in paragraphs  # the category is the main handler's to give
    # closing, contacts, then the unit and the date as the letter's sign-off
    closing = paragraphs.index("以上意见，供参考。")
    assert paragraphs[closing + 1:] == ["负责人：任彦旭", "承办人：边文洁", "联系电话：18603569687",
                                        "晋城市数据局", "2024年5月8日"]
    _assert_numbering(paragraphs)


def test_co_handler_opinion_falls_back_to_standing_plans(store, tmp_path):
    """A topic the corpus never covers: a marked placeholder, and the manifest's standing plans, numbered."""
    csv = tmp_path / "ice.csv"
    csv.write_text("案号,案由,第一提案人,办理方式\nTA0999,关于加快发展冰雪旅游的提案,王五,会办\n", encoding="utf-8")
    assert run_drafter(store, "proposals", "import", str(csv)).exit_code == 0
    out = _draft(store, tmp_path, "TA0999", "会办意见", "阳城")
    paragraphs = _paragraphs(out)
    standing = _texts("会办意见")["standing_plans"]
    plans = paragraphs[paragraphs.index("二、下一步工作建议") + 2:][:len(standing)]
    assert plans == [f"{n}. {text}" for n, text in enumerate(standing, 1)]
    assert "1. 阳城县：【待补充" in "".join(paragraphs)
    _assert_numbering(paragraphs)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_every_format_converts_with_libreoffice(store, tmp_path):
    drafts = [_draft(store, tmp_path, "TA0395", "政协提案答复"), _draft(store, tmp_path, "TA0396", "政协提案答复"),
              _draft(store, tmp_path, "JY0021", "人大代表建议答复"), _draft(store, tmp_path, "TA0397", "会办意见")]
    pdfs = tmp_path / "pdf"
    # A profile of its own, so a LibreOffice the clerk has open elsewhere does not get in the way.
    result = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(pdfs), *map(str, drafts)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for draft in drafts:
        pdf = pdfs / (draft.stem + ".pdf")
        assert pdf.is_file(), (draft.name, result.stdout, result.stderr)
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 1


def test_text_the_clerk_must_fill_in_is_highlighted(sample_store, tmp_path):
    out = tmp_path / "co.docx"
    result = run_draft(sample_store, "--proposal", "TA0417", "--counties", "阳城", "--template", "会办意见",
                       "--output", str(out))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    marked = "".join(r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color is not None)
    assert "主办单位" in marked
    lines = [p.text for p in document.paragraphs]
    assert lines[-2] == "晋城市数据局" and document.paragraphs[-2].alignment == document.paragraphs[-1].alignment


def test_a_broken_format_is_reported_never_replaced_by_the_shipped_one(tmp_path, monkeypatch):
    broken = tmp_path / "mine" / "政协提案答复"
    broken.mkdir(parents=True)
    (broken / "manifest.toml").write_text("name = 'oops\n", encoding="utf-8")
    (broken / "reply.j2").write_text("::title x\n", encoding="utf-8")
    monkeypatch.setenv("DRAFTER_TEMPLATES", str(tmp_path / "mine"))
    checked = run_drafter(tmp_path / "store.sqlite", "templates", "check", "政协提案答复")
    assert checked.exit_code == 1 and "manifest.toml" in checked.output
    listed = run_drafter(tmp_path / "store.sqlite", "templates", "list")
    assert listed.exit_code == 0 and "格式有误" in listed.output and "人大代表建议答复" in listed.output


# --- the format fits the proposal ----------------------------------------------------------------------


@pytest.mark.parametrize("proposal, expected", [
    ("TA0395", "关于市政协八届三次会议第TA0395号提案的答复"),
    ("JY0021", "关于市人大七届二次会议第JY0021号建议的答复"),
    ("TA0397", "关于市政协八届三次会议第TA0397号提案的会办意见"),
])
def test_without_a_template_the_kind_and_role_choose_the_format(store, tmp_path, proposal, expected):
    assert _title(_draft(store, tmp_path, proposal)) == expected


@pytest.mark.parametrize("proposal, template, fitting", [
    ("TA0395", "人大代表建议答复", "政协提案答复"),
    ("JY0021", "政协提案答复", "人大代表建议答复"),
    ("TA0395", "会办意见", "政协提案答复"),
    ("TA0397", "政协提案答复", "会办意见"),
])
def test_a_format_of_the_wrong_kind_or_role_is_refused_naming_the_one_that_fits(store, tmp_path, proposal,
                                                                                 template, fitting):
    out = tmp_path / "wrong.docx"
    result = run_draft(store, "--proposal", proposal, "--counties", "阳城", "--template", template,
                       "--output", str(out))
    assert result.exit_code == 1
    assert f"“{template}”" in result.output and f"--template {fitting}" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_joint_members_are_answered_as_several(store, tmp_path):
    paragraphs = _paragraphs(_draft(store, tmp_path, "TA0398", counties="阳城,高平"))
    assert "王强等委员：" in paragraphs  # the register's "等3人" is its count, not the salutation
    assert _after(paragraphs, "王强等委员：").startswith("你们提出的《")
    assert any(t.startswith("感谢你们对") for t in paragraphs)


def test_the_opening_overview_and_the_closing_name_the_topic(store, tmp_path):
    paragraphs = _paragraphs(_draft(store, tmp_path, "TA0395", counties="阳城,高平"))
    overview = _after(paragraphs, f"您提出的《{TITLE}》收悉，经研究，现答复如下：")
    assert overview.startswith("近年来，市数据局高度重视智慧城市建设工作")
    assert "感谢您对智慧城市建设工作的关心和支持，欢迎今后提出更多宝贵意见。" in paragraphs


def test_standing_sentences_are_marked_as_the_formats_own_words(store, tmp_path):
    out = _draft(store, tmp_path, "TA0395", counties="阳城,高平")
    comments = [c.text for c in docx.Document(str(out)).comments]
    assert any(text.startswith("格式固定用语") for text in comments)
    sources = json.loads(out.with_name(out.stem + ".sources.json").read_text(encoding="utf-8"))
    assert [e["text"][:4] for e in sources["standing"]] == ["近年来，"]


# --- compiled templates kept between drafts ---------------------------------------------------------------


def test_a_template_edited_after_a_draft_is_drafted_as_edited(sample_store, tmp_path, monkeypatch):
    formats = tmp_path / "formats"
    shutil.copytree(ROOT / "templates" / "政协提案答复", formats / "政协提案答复")
    monkeypatch.setenv("DRAFTER_TEMPLATES", str(formats))
    monkeypatch.setenv("DRAFTER_CACHE", str(tmp_path / "cache"))
    first = _paragraphs(_draft(sample_store, tmp_path, "TA0395", "政协提案答复", "阳城"))
    assert list((tmp_path / "cache").glob("templates-*/*")), "the compiled template is kept for the next draft"
    template = formats / "政协提案答复" / "reply.j2"
    text = template.read_text(encoding="utf-8")
    assert "::signature" in text
    template.write_text(text.replace("::signature", "::body 本段为模板作者新加的一句。\n::signature", 1), encoding="utf-8")
    (tmp_path / "TA0395-政协提案答复.docx").unlink()
    (tmp_path / "TA0395-政协提案答复.sources.json").unlink()
    again = _paragraphs(_draft(sample_store, tmp_path, "TA0395", "政协提案答复", "阳城"))
    assert "本段为模板作者新加的一句。" not in first
    assert "本段为模板作者新加的一句。" in again


def test_a_cache_folder_that_cannot_be_made_does_not_stop_a_draft(sample_store, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("DRAFTER_CACHE", str(blocked))
    paragraphs = _paragraphs(_draft(sample_store, tmp_path, "TA0395", counties="阳城"))
    assert any("阳城" in p for p in paragraphs)
    assert blocked.read_text(encoding="utf-8") == "a file where the cache folder would be"
