"""`drafter check`: what a clerk is told about a finished reply, drafter's or typed by hand, and what --fix mends."""
from __future__ import annotations

import json

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from check_docs import gbt_reply, seed_lines
from conftest import ROOT, run_draft, run_drafter
from docx_reading import east_asia_font, num_level, numbered_texts
from drafter.check import check_docx, fix_docx

FORMATS = ("政协提案答复", "人大代表建议答复", "会办意见")


def codes(findings):
    return sorted(f.code for f in findings)


def test_the_model_reply_typed_by_hand_shows_its_repeated_4_and_nothing_else(tmp_path):
    path = gbt_reply(seed_lines(), tmp_path / "model.docx")
    findings = check_docx(path)
    # The seed ends with its sign-off lines and never gives a date: that is true of it too.
    assert codes(findings) == ["date-missing", "numbering-repeated"]
    repeated = next(f for f in findings if f.code == "numbering-repeated")
    paragraph = docx.Document(str(path)).paragraphs[repeated.paragraph - 1].text
    assert paragraph.startswith("4. 加快数据共享共建共用")
    assert repeated.excerpt.startswith("4. 加快数据共享") and "重复" in repeated.message and repeated.fixable


def _register(store, tmp_path):
    csv = tmp_path / "more.csv"
    # A topic only 沁水's item speaks to: 城区 and 陵川 get placeholders.
    csv.write_text("案号,案由,第一提案人,届次,答复类别,类型,办理方式\n"
                   "JY0012,关于推进政务外网升级改造的建议,张强,八届三次,A,建议,主办\n"
                   "TA0012,关于推进政务外网升级改造的提案,张强,八届三次,A,提案,主办\n"
                   "TA0013,关于推进政务外网升级改造的提案,张强,八届三次,A,提案,会办\n", encoding="utf-8")
    assert run_drafter(store, "proposals", "import", str(csv)).exit_code == 0


def _draft(store, tmp_path, template, *extra, proposal="TA0395", counties="阳城,高平,沁水", date="2024-05-08"):
    out = tmp_path / f"{template}{proposal}.docx"
    result = run_draft(store, "--proposal", proposal, "--counties", counties, "--template", template,
                       "--output", str(out), "--date", date, *extra)
    assert result.exit_code == 0, result.output
    return out, json.loads(out.with_name(out.stem + ".sources.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("template", FORMATS)
def test_a_fresh_draft_of_every_format_is_told_only_of_its_comments_and_placeholders(sample_store, tmp_path, template):
    _register(sample_store, tmp_path)
    # Each format on a proposal of its own kind and role (a mismatch is refused before drafting).
    proposal = {"政协提案答复": "TA0012", "人大代表建议答复": "JY0012", "会办意见": "TA0013"}[template]
    out, sources = _draft(sample_store, tmp_path, template, proposal=proposal, counties="城区,陵川,沁水")
    findings = check_docx(out)
    expected = ["comment-drafter", "placeholder"] + (["fill-text"] if template == "会办意见" else [])
    assert codes(findings) == sorted(expected)
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    placeholder = next(f for f in findings if f.code == "placeholder")
    flagged = [texts[n - 1] for n in placeholder.paragraphs]
    assert flagged == [t for t in texts if "【待补充" in t] and len(flagged) == 2
    # drafter comments each pulled passage with its source, and each of the format's own standing sentences
    # (the lead-in, the plans it writes when the store has none) as such: those and no other paragraph
    pulled = [e["text"] for e in sources["progress"] + sources["plans"] if e["sources"]]
    standing = [e["text"] for e in sources["plans"] + sources["standing"] if not e["sources"] and not e["placeholder"]]
    commented = [texts[n - 1] for n in next(f for f in findings if f.code == "comment-drafter").paragraphs]
    assert pulled and all(any(t in c for c in commented) for t in pulled + standing)
    assert all(any(t in c for t in pulled + standing) for c in commented)


@pytest.mark.parametrize("template", FORMATS)
def test_a_clean_draft_of_every_format_passes(sample_store, tmp_path, template):
    _register(sample_store, tmp_path)
    proposal = {"政协提案答复": "TA0395", "人大代表建议答复": "JY0012", "会办意见": "TA0013"}[template]
    out, _ = _draft(sample_store, tmp_path, template, "--no-comments", proposal=proposal)
    assert codes(check_docx(out)) == (["fill-text"] if template == "会办意见" else [])


@pytest.mark.parametrize("no_comments", [False, True], ids=["from comments", "from sources.json"])
def test_this_year_in_material_from_an_earlier_year_is_pointed_out(sample_store, tmp_path, no_comments):
    extra = ("--no-comments",) if no_comments else ()
    out, _ = _draft(sample_store, tmp_path, "政协提案答复", *extra, counties="阳城,陵川", date="2026-05-08")
    findings = check_docx(out)
    stale = [f for f in findings if f.code == "relative-time"]
    words = {f.excerpt[:5]: f.message for f in stale}
    assert len(stale) == 2, stale
    # drafter's own highlight on the words is this finding, not a stray highlight left from editing
    assert "highlight" not in codes(findings) and all("底色" in f.fix for f in stale)
    assert any("今年" in m and "2024" in m for m in words.values())   # 阳城: 三是今年对县电子政务外网…
    assert any("目前" in m for m in words.values())                   # 陵川: 目前已完成…
    # the same draft dated in the material's own year has nothing stale
    (tmp_path / "same").mkdir()
    same_year, _ = _draft(sample_store, tmp_path / "same", "政协提案答复", *extra, counties="阳城,陵川")
    assert "relative-time" not in codes(check_docx(same_year))


def test_the_time_words_drafter_highlighted_are_told_without_comments_or_sources_json(sample_store, tmp_path):
    """A clean draft mailed on alone: the highlight drafter put on 今年 and 目前 still says they are stale."""
    out, _ = _draft(sample_store, tmp_path, "政协提案答复", "--no-comments", counties="阳城,陵川", date="2026-05-08")
    alone = tmp_path / "alone" / "答复.docx"
    alone.parent.mkdir()
    alone.write_bytes(out.read_bytes())
    findings = check_docx(alone)
    stale = [f for f in findings if f.code == "relative-time"]
    assert len(stale) == 2 and "highlight" not in codes(findings)
    assert any("今年" in f.message for f in stale) and any("目前" in f.message for f in stale)
    # a highlight the clerk left on other words is still a leftover highlight
    document = docx.Document(str(alone))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("负责人"))
    paragraph.runs[0].font.highlight_color = 7
    document.save(str(alone))
    assert "highlight" in codes(check_docx(alone))


def _break(path, out):
    """A clerk's edits gone wrong: 正文 (the body's style) changed to 宋体, narrow margins, a zero-padded date,
    and the third item's automatic number switched off and typed by hand as "2. " (items 1, 2, 2)."""
    document = docx.Document(str(path))
    document.styles["Normal"].element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    section = document.sections[0]
    section.left_margin, section.top_margin = Mm(20), Mm(25)
    for p in document.paragraphs:
        for run in p.runs:
            run.text = run.text.replace("2024年5月8日", "2024年05月08日")
    third = next(p for p in document.paragraphs if p.text.startswith("沁水县") and num_level(p) == 2)
    third._p.pPr.numPr.numId.val = 0  # Word's 编号—无: numId 0 over the style's list
    third.runs[0].text = "2. " + third.runs[0].text
    document.save(str(out))
    return out


def test_fix_mends_a_broken_draft_without_touching_the_original_or_a_word(sample_store, tmp_path):
    good, _ = _draft(sample_store, tmp_path, "政协提案答复")
    broken = _break(good, tmp_path / "broken.docx")
    before = broken.read_bytes()
    found = codes(check_docx(broken))
    for code in ("font-body", "page-margins", "date-form", "numbering-repeated"):
        assert code in found, found
    report = fix_docx(broken)
    assert report.output == tmp_path / "broken.已修正.docx"
    assert broken.read_bytes() == before
    left = check_docx(report.output)
    assert [f for f in left if f.fixable] == []
    assert codes(left) == ["comment-drafter"] == codes(report.left)
    assert {"font-body", "page-margins", "date-form", "numbering-repeated"} <= {f.code for f in report.fixed}
    # the copy stays styled: the 正文 style itself is 仿宋 again, as the clerk's style pane shows
    fixed = docx.Document(str(report.output))
    assert east_asia_font(next(p for p in fixed.paragraphs if p.style.name == "Normal" and p.text)) == "仿宋_GB2312"
    # every word is the drafted one again as Word shows it: numbers and the date are back in order and form
    assert numbered_texts(docx.Document(str(report.output)), report.output) == \
        numbered_texts(docx.Document(str(good)), good)


def test_a_font_a_clerk_sets_on_one_item_of_a_styled_draft_is_mended_on_that_item(sample_store, tmp_path):
    """选中一条，字体选宋体: Word writes the font on the item's runs; the list's style stays right."""
    good, _ = _draft(sample_store, tmp_path, "政协提案答复", "--no-comments")
    document = docx.Document(str(good))
    at, item = next((i, p) for i, p in enumerate(document.paragraphs) if num_level(p) == 2)
    for run in item.runs:
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    assert [(f.code, f.paragraphs) for f in check_docx(edited)] == [("font-body", (at + 1,))]
    fixed = fix_docx(edited).output
    assert codes(check_docx(fixed)) == []
    again = docx.Document(str(fixed)).paragraphs
    assert {r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in again[at].runs} == {"仿宋_GB2312"}
    assert [east_asia_font(p) for p in again] == [east_asia_font(p) for p in docx.Document(str(good)).paragraphs]


def test_an_item_emptied_of_its_words_is_told_by_the_number_word_shows_alone(sample_store, tmp_path):
    """The clerk deletes an item's words but not its paragraph: Word shows a lone "2." and numbers on from it."""
    good, _ = _draft(sample_store, tmp_path, "政协提案答复", "--no-comments")
    document = docx.Document(str(good))
    at, second = [(i, p) for i, p in enumerate(document.paragraphs) if num_level(p) == 2][1]
    for run in second.runs:
        run.text = ""
    emptied = tmp_path / "emptied.docx"
    document.save(str(emptied))
    findings = check_docx(emptied)
    assert codes(findings) == ["numbering-empty"]
    assert findings[0].paragraph == at + 1 and findings[0].excerpt == "2." and not findings[0].fixable


def test_fix_mends_a_hand_made_reply_set_in_the_wrong_style(tmp_path):
    lines = seed_lines()[:-3] + ["晋城市数据局", "2024年05月08日"]
    broken = gbt_reply(lines, tmp_path / "hand.docx", body_font="宋体", margins_mm=(30, 30, 28, 26),
                       page_numbers=False, indent=False, char_grid=False)
    found = codes(check_docx(broken))
    for code in ("font-body", "page-margins", "page-numbers", "first-line-indent", "date-form", "chars-per-line",
                 "numbering-repeated", "contact-missing"):
        assert code in found, found
    report = fix_docx(broken)
    left = check_docx(report.output)
    assert [f for f in left if f.fixable] == []
    assert codes(left) == ["contact-missing"]
    fixed = docx.Document(str(report.output))
    texts = [p.text for p in fixed.paragraphs]
    assert "5. 加快数据共享共建共用" in texts[-4][:14] and texts[-1] == "2024年5月8日"
    assert "— " in fixed.sections[0].footer.paragraphs[0].text


def test_fix_never_writes_over_the_original_or_an_earlier_fixed_copy(tmp_path):
    path = gbt_reply(seed_lines(), tmp_path / "model.docx")
    from drafter.errors import OutputError
    with pytest.raises(OutputError):
        fix_docx(path, path)
    fix_docx(path)
    with pytest.raises(OutputError):
        fix_docx(path)
    assert fix_docx(path, force=True).output.is_file()


def test_words_numbering_repeated_is_found_but_left_to_the_clerk(tmp_path):
    """Word's automatic numbering (numPr): a list that starts again at 3 after 1, 2, 3."""
    path = gbt_reply(seed_lines()[:4], tmp_path / "auto.docx")
    document = docx.Document(str(path))
    numbering = document.part.numbering_part.element
    restart = numbering.add_num(numbering.num_having_numId(5).abstractNumId.val)
    override = restart.add_lvlOverride(ilvl=0)
    override.add_startOverride(3)
    for n, text in enumerate(["统筹推进。", "强化投入。", "培养人才。", "共享数据。"]):
        p = document.add_paragraph(text, style="List Number")
        if n == 3:
            p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = restart.numId
    document.save(str(path))
    repeated = [f for f in check_docx(path) if f.code == "numbering-repeated"]
    assert len(repeated) == 1 and repeated[0].excerpt.startswith("3.共享数据") and not repeated[0].fixable


def test_the_hanging_indent_of_words_list_style_is_told_and_fixed(tmp_path):
    """Word's 编号 list (List Number) indents its items by the list level's hanging indent, not the style's."""
    path = gbt_reply(seed_lines()[:4] + ["一、工作进展"], tmp_path / "list.docx")
    document = docx.Document(str(path))
    for text in ["统筹推进。", "强化投入。", "培养人才。"]:
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("2024年5月8日")
    document.save(str(path))
    items = [n for n, p in enumerate(document.paragraphs, 1) if p.style.name == "List Number"]
    indent = next(f for f in check_docx(path) if f.code == "first-line-indent")
    assert list(indent.paragraphs) == items and indent.excerpt == "1.统筹推进。" and indent.fixable
    assert codes(fix_docx(path).left) == ["contact-missing"]


def test_a_hand_made_reply_is_told_each_of_its_text_faults(tmp_path):
    lines = [
        "晋城市数据局", "关于市政协八届三次会议第TA0395号提案的答复", "李惠英委员：",
        "您提出的提案收悉，现答复如下：",
        "一、工作进展", "1. 阳城县建成平台。", "（一）城区推进共享。", "2. 陵川县完成项目。", "4. 沁水县推进建设。",
        "三、下一步计划", "继续推进。",
        "抄送：市政协提案委。",
        "负责人：任彦旭", "承办人：边文洁", "（此件公开发布）",
        "二〇二四年五月八日", "晋城市数据局",
    ]
    path = gbt_reply(lines, tmp_path / "faults.docx")
    document = docx.Document(str(path))
    document.paragraphs[5].runs[0].font.highlight_color = 7  # yellow, left from editing
    document.add_comment(document.paragraphs[6].runs[0], text="请核实", author="王科长")
    document.save(str(path))
    findings = check_docx(path)
    by_code = {f.code: f for f in findings}
    # also true of it: its （一） is typed in 仿宋, its 抄送 in 16 pt
    assert codes(findings) == ["category-missing", "cc-order", "comment", "contact-missing", "date-form", "font-h2",
                               "font-size", "heading-order", "highlight", "numbering-skipped", "numbering-skipped",
                               "publicity-order", "signoff-order"]
    skipped = [f.excerpt for f in findings if f.code == "numbering-skipped"]
    assert skipped == ["4. 沁水县推进建设。", "三、下一步计划"]
    assert by_code["heading-order"].excerpt.startswith("（一）城区")
    assert "联系电话" in by_code["contact-missing"].message
    assert "2024年5月8日" in by_code["date-form"].message and by_code["date-form"].fixable
    assert by_code["comment"].excerpt.startswith("（一）") and by_code["highlight"].excerpt.startswith("1. 阳城")
    fixed = fix_docx(path).output
    texts = [p.text for p in docx.Document(str(fixed)).paragraphs]
    assert texts[8] == "3. 沁水县推进建设。" and texts[9] == "二、下一步计划" and texts[-2] == "2024年5月8日"


def test_a_profile_with_the_compensated_layout_is_checked_against_its_own_numbers(sample_store, tmp_path):
    profile = tmp_path / "补偿版式.toml"
    shipped = (ROOT / "drafter" / "data" / "profiles" / "晋城市数据局.toml").read_text(encoding="utf-8")
    profile.write_text(shipped + "\n[layout]\nmargin_top_mm = 34.6\nmargin_bottom_mm = 32.6\nline_spacing_pt = 29.6\n",
                       encoding="utf-8")
    out, _ = _draft(sample_store, tmp_path, "政协提案答复", "--no-comments", "--profile", str(profile))
    assert codes(check_docx(out, profile)) == []
    against_default = codes(check_docx(out))
    assert "page-margins" in against_default and "line-pitch" in against_default


def test_a_stale_word_is_judged_by_the_source_of_the_passage_it_stands_in(tmp_path):
    """One item, two pulled passages: 今年 in this year's material is right, 目前 in 2020's is not."""
    path = gbt_reply(seed_lines()[:4] + ["一、工作进展", "1. ", "2024年5月8日"], tmp_path / "two.docx")
    document = docx.Document(str(path))
    item = next(p for p in document.paragraphs if p.text == "1. ")
    recent = item.add_run("阳城县今年建成平台。")
    old = item.add_run("目前已接入五个部门。")
    document.add_comment(recent, text="来源：《阳城县工作总结》（2024年），a.txt 第2段", author="drafter", initials="D")
    document.add_comment(old, text="来源：《阳城县年鉴》（2020年），b.txt 第7段", author="drafter", initials="D")
    document.save(str(path))
    stale = [f for f in check_docx(path) if f.code == "relative-time"]
    assert len(stale) == 1 and "目前" in stale[0].message and "今年" not in stale[0].message
    assert "2020" in stale[0].message and stale[0].excerpt.startswith("1. 阳城县今年")


def test_a_reply_saved_by_libreoffice_is_told_its_layout_faults_and_fixed(tmp_path):
    """The model reply as LibreOffice writes a text file to .docx: its styles, its margins, no page numbers."""
    original = ROOT / "tests" / "data" / "model_reply_libreoffice.docx"
    path = tmp_path / "reply.docx"
    path.write_bytes(original.read_bytes())
    found = set(codes(check_docx(path)))
    assert found == {"page-margins", "page-numbers", "line-pitch", "font-title", "font-body", "font-h1", "font-size",
                     "chars-per-line", "first-line-indent", "numbering-repeated", "date-form"}
    report = fix_docx(path)
    assert codes(report.left) == [] and path.read_bytes() == original.read_bytes()
    texts = [p.text for p in docx.Document(str(report.output)).paragraphs if p.text.strip()]
    assert texts[-1] == "2024年5月8日" and sum(t.startswith("5. 加快数据共享") for t in texts) == 1


def test_a_body_font_set_only_for_latin_letters_is_caught_and_set_for_chinese(tmp_path):
    """`run.font.name = "仿宋_GB2312"` fills the Latin slot only: Chinese text stays in the theme's font."""
    path = gbt_reply(seed_lines(), tmp_path / "latin.docx")
    document = docx.Document(str(path))
    normal = document.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    del normal.attrib[qn("w:eastAsia")]
    for run in document.paragraphs[5].runs:
        run.font.name = "仿宋_GB2312"
    document.save(str(path))
    body = next(f for f in check_docx(path) if f.code == "font-body")
    assert 6 in body.paragraphs and body.fixable
    fixed = fix_docx(path).output
    assert "font-body" not in codes(check_docx(fixed))
    run = docx.Document(str(fixed)).paragraphs[5].runs[0]
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_a_draft_with_publicity_and_cc_lines_passes(sample_store, tmp_path):
    """附注 under the date and a 抄送 line in 4号 between rules, as the profile asks for them."""
    profile = tmp_path / "公开抄送.toml"
    shipped = (ROOT / "drafter" / "data" / "profiles" / "晋城市数据局.toml").read_text(encoding="utf-8")
    profile.write_text(shipped.replace('publicity = ""', 'publicity = "此件公开发布"')
                       .replace("cc = []", 'cc = ["市政协提案委", "市政府督查室"]'), encoding="utf-8")
    out, _ = _draft(sample_store, tmp_path, "政协提案答复", "--no-comments", "--profile", str(profile))
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts[-2:] == ["（此件公开发布）", "抄送：市政协提案委，市政府督查室。"]
    assert codes(check_docx(out, profile)) == []


def test_a_repeated_count_inside_a_paragraph_is_told_and_renumbered(tmp_path):
    lines = seed_lines()[:4] + ["一、工作进展", "1. 泽州县加快推进，一是统筹机制；二是推进基础设施建设；二是建设自助服务区，统一是非标准。",
                                "2024年5月8日"]
    path = gbt_reply(lines, tmp_path / "counts.docx")
    inline = [f for f in check_docx(path) if f.code == "numbering-inline"]
    assert len(inline) == 1 and "三是" in inline[0].fix and inline[0].excerpt.startswith("1. 泽州县")
    fixed = fix_docx(path).output
    assert "numbering-inline" not in codes(check_docx(fixed))
    assert "；二是推进基础设施建设；三是建设自助服务区，统一是非标准。" in docx.Document(str(fixed)).paragraphs[5].text
