"""Whether a sentence says a fact already said: the quick checks of `Facts.said` answer exactly as the plain
definition does (ratio with any fact, partial_ratio with any of comparable length, or a common run of 12
characters or more and a third of the shorter), on real sentences and on the reposts a real archive holds of them."""
from __future__ import annotations

import random
import re
from difflib import SequenceMatcher
from pathlib import Path

from rapidfuzz import fuzz

from conftest import ROOT
from drafter.read.decode import decode_bytes
from drafter.text.dedupe import Facts, masked

DEVSET2 = ROOT.parent / "shared" / "devset2" / "corpus"


def _sentences() -> list[str]:
    files = sorted((ROOT / "corpus" / "samples").glob("*.txt")) + sorted(DEVSET2.glob("*.txt"))
    text = "\n".join(decode_bytes(path.read_bytes()) for path in files)
    return [s for s in re.split(r"(?<=[。；！？])|\n", text) if len(s.strip()) >= 6]


def plainly_said(sentence: str, facts: list[str], threshold: float) -> bool:
    text = masked(sentence)
    known = [masked(f) for f in facts]
    if not known:
        return False
    if len(text) < 6:
        return text in known
    for other in known:
        if fuzz.ratio(text, other) >= threshold:
            return True
        if 2 * min(len(text), len(other)) >= max(len(text), len(other)) and \
                fuzz.partial_ratio(text, other) >= max(threshold, 90):
            return True
        run = SequenceMatcher(None, text, other, autojunk=False).find_longest_match(0, len(text), 0, len(other)).size
        if run >= 12 and 3 * run >= min(len(text), len(other)):
            return True
    return False


def _reposted(sentence: str, rng: random.Random, others: list[str]) -> str:
    """What an archive holds of a sentence: cut, extended, its punctuation or figures changed, or joined."""
    kind = rng.randrange(6)
    if kind == 0:
        return sentence[rng.randrange(len(sentence) // 3):]
    if kind == 1:
        return sentence + rng.choice(others)
    if kind == 2:
        return sentence.replace("，", ",").replace("、", ",")
    if kind == 3:
        return re.sub(r"[0-9]+", lambda m: str(int(m.group()) + 7), sentence)
    if kind == 4:
        at = rng.randrange(len(sentence))
        return sentence[:at] + rng.choice(others)[:20] + sentence[at:]
    return rng.choice(others)


def test_the_quick_checks_answer_as_the_plain_definition_does():
    sentences = _sentences()
    assert len(sentences) > 300
    rng = random.Random(20)
    differ, said = [], 0
    for _ in range(60):
        facts = rng.sample(sentences, rng.randrange(1, 60))
        checker = Facts(80.0)
        for fact in facts:
            checker.add(fact)
        for _ in range(8):
            asked = _reposted(rng.choice(facts), rng, sentences) if rng.random() < 0.7 else rng.choice(sentences)
            among = rng.choice([None, rng.randrange(1, len(facts) + 1)])
            expected = plainly_said(asked, facts if among is None else facts[:among], 80.0)
            said += expected
            if checker.said(asked, among) != expected:
                differ.append((asked, among))
    assert not differ
    assert 100 < said < 400  # both answers are asked about, many times
