"""The shipped formats drafted on the shipped corpus, checked in their XML the way Word will use them:
named styles in use and nothing unused, list numbering, the 落款 of GB/T 9704 §7.3.5, a sign-off that never
sits alone on a page, 抄送 at the foot of the last page, and properties naming the unit."""
from __future__ import annotations

import shutil
import subprocess
import zipfile

import docx
import pypdf
import pytest
from lxml import etree

from conftest import run_draft
from docx_reading import NS, effective, num_level, q, style_chain, style_name

# The shipped corpus's proposals: a 提案 this office answers, a joint 建议, a 提案 it co-handles.
CASES = {"TA0395": "政协提案答复", "JY0108": "人大代表建议答复", "TA0417": "会办意见"}


@pytest.fixture
def cc_profile(tmp_path):
    from drafter.profile import _shipped_text
    path = tmp_path / "office.toml"
    path.write_text(_shipped_text().replace('publicity = ""', 'publicity = "此件公开发布"')
                    .replace("cc = []", 'cc = ["市政协提案委", "市政府督查室"]'), encoding="utf-8")
    return path


def _draft(store, tmp_path, proposal, profile):
    out = tmp_path / f"{proposal}.docx"
    result = run_draft(store, "--proposal", proposal, "--counties", "阳城,高平,泽州", "--output", str(out),
                       "--date", "2026-05-08", "--profile", str(profile))
    assert result.exit_code == 0, result.output
    return out


def _part(path, name):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


@pytest.mark.parametrize("proposal", CASES)
def test_each_shipped_format_passes_the_xml_check(sample_store, tmp_path, cc_profile, proposal):
    out = _draft(sample_store, tmp_path, proposal, cc_profile)
    document = docx.Document(str(out))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    names = [style_name(p) for p in paragraphs]

    # styles in use: headings are Word's 标题 1, the body is 正文 (Normal); every paragraph has its style
    assert "heading 1" in names and "Normal" in names and "编号条目" in names and "落款" in names
    for paragraph in paragraphs:
        assert paragraph._p.pPr is None or paragraph._p.pPr.find(q("jc")) is None, paragraph.text
        for run in paragraph.runs:  # runs carry no fonts of their own, only a highlight at most
            rpr = run._r.rPr
            assert rpr is None or {etree.QName(c).localname for c in rpr} <= {"highlight", "rStyle"}, paragraph.text

    # numbering is Word's: headings and items carry numPr, their text carries no typed number
    numbered = [p for p in paragraphs if num_level(p) is not None]
    assert {num_level(p) for p in numbered} == {0, 2}
    assert not any(p.text.startswith(("一、", "二、", "1.", "2.")) for p in numbered)

    # 署名 above 日期, centred over it; the date 4 characters in from the right
    signature = next(p for p in paragraphs if style_name(p) == "落款")
    date = paragraphs[paragraphs.index(signature) + 1]
    assert signature.text == "晋城市数据局" and date.text == "2026年5月8日" and style_name(date) == "成文日期"
    assert effective(date, "pPr", "ind").get(q("rightChars")) == "400"
    assert effective(signature, "pPr", "jc").get(q("val")) == effective(date, "pPr", "jc").get(q("val")) == "right"
    # 6 characters over a date 6 characters wide ("2026" counts two): the same right indent
    assert effective(signature, "pPr", "ind").get(q("rightChars")) == "400"

    # the closing and everything up to the 署名 keep with the next paragraph: the sign-off never stands alone
    closing = next(p for p in paragraphs if p.text.startswith(("感谢", "以上意见")))
    for paragraph in paragraphs[paragraphs.index(closing):paragraphs.index(signature) + 1]:
        assert effective(paragraph, "pPr", "keepNext") is not None, paragraph.text
    assert effective(closing, "pPr", "keepLines") is not None

    # no unused styles: each is used by a paragraph, a run or a comment, or is a default or a base of one
    styles = _part(out, "word/styles.xml")
    used = set()
    for part in ("word/document.xml", "word/comments.xml", "word/footer1.xml", "word/footer2.xml"):
        try:
            root = _part(out, part)
        except KeyError:
            continue
        used |= {el.get(q("val")) for el in root.xpath("//w:pStyle | //w:rStyle", namespaces=NS)}
    for style in styles.findall(q("style")):
        sid = style.get(q("styleId"))
        based = {b.get(q("val")) for s in styles.findall(q("style")) if s.get(q("styleId")) in used
                 for b in s.findall(q("basedOn"))}
        assert sid in used or sid in based or style.get(q("default")) == "1", sid
    assert len(styles.findall(q("style"))) < 20
    assert styles.find(q("latentStyles")) is None

    # clean properties: the title and the unit as author; drafter, not "Microsoft Macintosh Word"
    props = document.core_properties
    assert props.author == "晋城市数据局" and props.title.startswith("关于")
    with zipfile.ZipFile(out) as z:
        app = z.read("docProps/app.xml").decode("utf-8")
        names_in_package = z.namelist()
    assert "Macintosh" not in app and "<Application>drafter</Application>" in app
    assert not [n for n in names_in_package if "stylesWithEffects" in n or "customXml" in n or "thumbnail" in n]


@pytest.mark.parametrize("proposal", ["TA0395", "JY0108"])
def test_copy_to_stands_at_the_foot_of_the_last_page_between_full_width_rules(sample_store, tmp_path, cc_profile,
                                                                              proposal):
    out = _draft(sample_store, tmp_path, proposal, cc_profile)
    document = docx.Document(str(out))
    cc = next(p for p in document.paragraphs if p.text.startswith("抄送："))
    frame = cc._p.pPr.find(q("framePr"))
    assert (frame.get(q("vAnchor")), frame.get(q("yAlign"))) == ("margin", "bottom")
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(int(frame.get(q("w"))) * 635 - text_width) < 635 * 20  # the full text width (twips → EMU)
    assert effective(cc, "pPr", "ind").get(q("left")) in (None, "0")  # so the rules run the full width
    borders = effective(cc, "pPr", "pBdr")
    assert borders.find(q("top")) is not None and borders.find(q("bottom")) is not None
    # after the 附注 (此件公开发布), the last paragraph with text
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[-2:] == ["（此件公开发布）", "抄送：市政协提案委，市政府督查室。"]


def test_a_unit_longer_than_the_date_is_centred_over_it(sample_store, tmp_path):
    from drafter.profile import _shipped_text
    profile = tmp_path / "long.toml"
    profile.write_text(_shipped_text().replace('unit = "晋城市数据局"', 'unit = "晋城市政务服务和数据管理局"'),
                       encoding="utf-8")
    out = _draft(sample_store, tmp_path, "TA0395", profile)
    signature = next(p for p in docx.Document(str(out)).paragraphs if style_name(p) == "落款")
    # 13 characters over a date 6 wide: centred means 3.5 characters less from the right than the date's 4
    assert signature.text == "晋城市政务服务和数据管理局"
    assert effective(signature, "pPr", "ind").get(q("rightChars")) == "50"
    assert style_chain(signature)[0].find(q("pPr")).find(q("spacing")).get(q("before")) != "0"  # 空一行


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_the_numbers_the_signoff_and_copy_to_at_the_foot(sample_store, tmp_path, cc_profile):
    drafts = [_draft(sample_store, tmp_path, proposal, cc_profile) for proposal in CASES]
    pdfs = tmp_path / "pdf"
    result = subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(pdfs), *map(str, drafts)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for draft in drafts:
        reader = pypdf.PdfReader(str(pdfs / (draft.stem + ".pdf")))
        first = reader.pages[0].extract_text()
        assert "一、" in first and "\n1. 阳城县" in first  # Word's list numbers, as printed
        last = reader.pages[-1]
        text = last.extract_text()
        assert "晋城市数据局\n2026年5月8日" in text.replace(" ", "")  # PDF text puts spaces around digits
        if draft.stem != "TA0417":  # the 会办意见 copies no one
            heights = []
            last.extract_text(visitor_text=lambda t, cm, tm, *_: heights.append(tm[5]) if "抄送" in t else None)
            # within the bottom fifth of the page, below the date
            assert heights and heights[0] < float(last.mediabox.height) / 5, heights
