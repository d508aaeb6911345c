"""Scores place (county) and tense (progress/plan) reading against the labelled sentences in tests/data."""
from __future__ import annotations

import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from drafter.gazetteer import default_gazetteer
from drafter.read import read
from drafter.read.script import to_simplified
from drafter.understand import understand

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "place_tense_labels.jsonl"
SAMPLES = ROOT / "corpus" / "samples"


@dataclass
class Score:
    true_positive: int = 0
    predicted: int = 0
    actual: int = 0

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.actual if self.actual else 1.0


def _reading(label: dict, cache: dict):
    key = label["doc"] or json.dumps([label["title"], label["paragraphs"]], ensure_ascii=False)
    if key not in cache:
        if label["doc"]:
            document = read(SAMPLES / label["doc"])
        else:
            # A written case goes through the real reader, as a .txt a clerk would ingest.
            lines, last = [label["title"]], None
            for heading, text in label["paragraphs"]:
                if heading and heading != last:
                    lines.append(heading)
                last = heading
                lines.append(text)
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"{label['title']}.txt"
                path.write_text("\n".join(lines) + "\n", encoding="utf-8")
                document = read(path)
        cache[key] = understand(document, default_gazetteer())
    return cache[key]


def evaluate(labels_path: Path = LABELS) -> dict:
    cache: dict = {}
    county, plan, progress, misses = Score(), Score(), Score(), []
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        reading = _reading(label, cache)
        # The reader moves a yearbook's 【…】 marker into the section context, out of the text.
        # A traditional-character page is read as simplified: its sentence is looked up that way too.
        wanted = to_simplified(re.sub(r"^【[^】]*】", "", label["sentence"]))
        found = [s for p in reading.paragraphs for s in p.sentences if wanted in s.text]
        if not found:
            misses.append((label, "sentence not found after reading"))
            county.actual += label["county"] is not None
            plan.actual += label["tense"] == "plan"
            progress.actual += label["tense"] == "progress"
            continue
        s = found[0]
        if s.county is not None:
            county.predicted += 1
            county.true_positive += s.county == label["county"]
        county.actual += label["county"] is not None
        for score, tense in ((plan, "plan"), (progress, "progress")):
            score.predicted += s.tense == tense
            score.actual += label["tense"] == tense
            score.true_positive += s.tense == tense == label["tense"]
        if s.county != label["county"] or s.tense != label["tense"]:
            misses.append((label, f"read as county={s.county} tense={s.tense}"))
    return {"county": county, "plan": plan, "progress": progress, "misses": misses}


def main() -> int:
    result = evaluate()
    for name in ("county", "plan", "progress"):
        s = result[name]
        print(f"{name:9s} precision {s.precision:.3f} recall {s.recall:.3f} ({s.true_positive}/{s.predicted} predicted, {s.actual} labelled)")
    if "-v" in sys.argv:
        for label, why in result["misses"]:
            print(f"  MISS {label['sentence'][:30]} gold county={label['county']} tense={label['tense']}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
