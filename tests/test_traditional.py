"""A page in traditional characters is placed, found and drafted in simplified characters, and marked."""
from __future__ import annotations

import json

import docx

from conftest import run_draft, run_drafter

PAGE = ("陽城縣推進智慧城市建設\n\n"
        "2024年，陽城縣建成智慧城市運營指揮中心，整合全縣視頻監控資源，實現城市運行「一屏統覽」。\n")


def test_a_traditional_character_page_is_placed_searched_and_drafted_simplified(sample_store, tmp_path):
    page = tmp_path / "資料" / "陽城縣.txt"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    assert run_drafter(sample_store, "ingest", str(page.parent)).exit_code == 0
    docs = {d["file"]: d for d in json.loads(run_drafter(sample_store, "documents", "--json").output)}
    assert docs["陽城縣.txt"]["county"] == "阳城县"
    assert docs["陽城縣.txt"]["title"] == "阳城县推进智慧城市建设"

    hits = json.loads(run_drafter(sample_store, "search", "智慧城市运营指挥中心", "--county", "阳城", "--json").output)
    mine = [h for h in hits if h["document"] == "陽城縣.txt"]
    assert mine and "建成智慧城市运营指挥中心" in mine[0]["text"] and "traditional" in mine[0]["flags"]

    out = tmp_path / "答复.docx"
    assert run_draft(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out),
                     "--date", "2024-12-01").exit_code == 0
    entries = json.loads(out.with_name("答复.sources.json").read_text(encoding="utf-8"))["progress"]
    converted = [e for e in entries if any(s["document"] == "陽城縣.txt" for s in e["sources"])]
    assert converted and all("traditional" in e["flags"] for e in converted)
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "陽城縣" not in body and "運營" not in body
