"""A clerk's whole path: the shipped corpus in a store, a reply drafted, the .docx read back."""
from __future__ import annotations

import json

import docx

from conftest import run_draft
from docx_reading import numbered_texts

FOREIGN = ("聊城", "烟台", "芝罘", "东昌府", "茌平")


def _draft(store, tmp_path, counties, name="reply.docx", *extra):
    out = tmp_path / name
    result = run_draft(store, "--proposal", "TA0395", "--counties", counties, "--output", str(out),
                       "--date", "2024-05-08", *extra)
    assert result.exit_code == 0, result.output
    sources = json.loads(out.with_name(out.stem + ".sources.json").read_text(encoding="utf-8"))
    document = docx.Document(str(out))
    document.path = out
    return document, sources


def _progress_items(document):
    """The numbered items between 一、 and 二、 as the clerk sees them in Word."""
    texts = numbered_texts(document, document.path)
    start = next(i for i, t in enumerate(texts) if t.startswith("一、"))
    end = next(i for i, t in enumerate(texts) if t.startswith("二、"))
    return [t for t in texts[start + 1:end] if t.strip()]


def test_yangcheng_and_gaoping_get_their_own_items_from_the_model_reply(sample_store, tmp_path):
    document, sources = _draft(sample_store, tmp_path, "阳城,高平")
    items = _progress_items(document)
    assert len(items) == 2
    assert items[0].startswith("1. 阳城县") and "智慧城市运营指挥中心" in items[0]
    assert items[1].startswith("2. 高平市") and "五感生命体征指标体系" in items[1]
    # the model reply's page-break splits are mended
    assert "智慧养老、数字乡村" in items[0]
    assert "明确市级政务云" in items[1]
    assert [e["county"] for e in sources["progress"]] == ["阳城县", "高平市"]
    assert sources["counties"] == ["阳城县", "高平市"]


def test_nothing_from_liaocheng_or_yantai_reaches_the_draft(sample_store, tmp_path):
    document, sources = _draft(sample_store, tmp_path, "阳城,陵川,泽州,城区,沁水,高平")
    whole = "\n".join(p.text for p in document.paragraphs) + json.dumps(sources, ensure_ascii=False)
    for name in FOREIGN:
        assert name not in whole


def test_six_counties_come_in_the_order_asked_each_under_its_own_name(sample_store, tmp_path):
    document, sources = _draft(sample_store, tmp_path, "阳城,陵川,泽州,城区,沁水,高平")
    items = _progress_items(document)
    expected = ["阳城县", "陵川县", "泽州县", "城区", "沁水县", "高平市"]
    assert len(items) == 6
    for n, (item, county) in enumerate(zip(items, expected), 1):
        assert item.startswith(f"{n}. {county}"), item
    assert [e["county"] for e in sources["progress"]] == expected


def test_every_drafted_passage_is_stored_text_with_its_source(sample_store, tmp_path):
    document, sources = _draft(sample_store, tmp_path, "阳城,陵川,泽州,城区,沁水,高平")
    body = "".join(p.text for p in document.paragraphs)
    for entry in sources["progress"] + sources["plans"]:
        assert entry["text"] in body
        if not entry["placeholder"] and entry["county"] is not None:
            assert entry["sources"], entry
    for entry in sources["progress"]:
        assert entry["sources"][0]["document"] == "002_815e39d867976d14.txt"


def test_a_county_with_no_material_gets_one_marked_placeholder(sample_store, tmp_path):
    from conftest import run_drafter
    # a proposal on a topic the sample corpus never covers
    csv = tmp_path / "p.csv"
    csv.write_text("案号,案由,第一提案人\nTA0999,关于加快发展冰雪旅游的提案,王五\n", encoding="utf-8")
    assert run_drafter(sample_store, "proposals", "import", str(csv)).exit_code == 0
    out = tmp_path / "ice.docx"
    result = run_draft(sample_store, "--proposal", "TA0999", "--counties", "阳城", "--output", str(out))
    assert result.exit_code == 0, result.output
    sources = json.loads((tmp_path / "ice.sources.json").read_text(encoding="utf-8"))
    assert len(sources["progress"]) == 1 and sources["progress"][0]["placeholder"] is True
    document = docx.Document(str(out))
    marked = [r for p in document.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert marked and "待补充" in "".join(r.text for r in marked)
    assert "阳城县" in result.output  # the clerk is told which county needs material


def test_an_existing_draft_is_never_overwritten_without_force(sample_store, tmp_path):
    out = tmp_path / "reply.docx"
    out.write_bytes(b"the clerk's edited draft")
    result = run_draft(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out))
    assert result.exit_code == 1
    assert out.read_bytes() == b"the clerk's edited draft"
    result = run_draft(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out), "--force")
    assert result.exit_code == 0
    assert docx.Document(str(out)).paragraphs
