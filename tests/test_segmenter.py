"""Segmentation gives the same words whatever was segmented first, in this process or an earlier one."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from drafter.gazetteer import default_gazetteer
from drafter.text import wordcut
from drafter.text.segmenter import Segmenter

TITLE = "关于茌平区推进智慧城市建设的提案"


def _segment_in_a_new_process(script: str, cache: Path, tmp: Path) -> list:
    env = {**os.environ, "DRAFTER_CACHE": str(cache), "TMPDIR": str(tmp)}
    env.pop("DRAFTER_STORE", None)
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


PLAIN_FIRST = f"""
import json
from drafter.text import wordcut
from drafter.text.segmenter import Segmenter
from drafter.gazetteer import default_gazetteer
plain = Segmenter(cache_folder=default_gazetteer().segmenter.cache_folder).query_words({TITLE!r})
print(json.dumps([plain, default_gazetteer().segmenter.query_words({TITLE!r})]))
"""

GAZETTEER_ONLY = f"""
import json
from drafter.gazetteer import default_gazetteer
print(json.dumps(default_gazetteer().segmenter.query_words({TITLE!r})))
"""


def test_a_place_name_comes_out_whole_whatever_was_segmented_before_and_in_any_process(tmp_path):
    cache, tmp = tmp_path / "cache", tmp_path / "tmp"
    tmp.mkdir()
    plain, after_plain = _segment_in_a_new_process(PLAIN_FIRST, cache, tmp)
    # A later process reads what the first one remembered: it must read the place name whole too.
    later = _segment_in_a_new_process(GAZETTEER_ONLY, cache, tmp)
    assert "茌平区" in after_plain and after_plain == later
    assert "茌平区" not in plain  # a segmenter that was never taught the name splits it: the keys differ
    # Nothing was written to the shared temporary folder: the caches live where DRAFTER_CACHE says.
    assert list(tmp.iterdir()) == []
    assert any(p.name.startswith("short-texts-") for p in cache.iterdir())


def test_teaching_words_to_one_segmenter_leaves_every_other_segmenter_as_it_was(tmp_path):
    before = Segmenter(cache_folder=tmp_path).words("高平市推进数字乡村")
    Segmenter(["平市推"], cache_folder=tmp_path).words("高平市推进数字乡村")
    assert Segmenter(cache_folder=tmp_path).words("高平市推进数字乡村") == before
    assert "高平市" in default_gazetteer().segmenter.words("高平市推进数字乡村")


def test_the_tests_own_caches_stay_in_the_test_folder(_caches_in_the_test_folder):
    assert default_gazetteer().segmenter.cache_folder == Path(_caches_in_the_test_folder)


def _sentences_of_real_archives() -> list[str]:
    """The shipped corpus's sentences and those of the real pages of the dev set (beside the project in CI)."""
    from drafter.read import read
    shared = Path(__file__).resolve().parents[2] / "shared" / "devset2" / "corpus"
    assert shared.is_dir(), f"the real pages of the dev set are missing: {shared}"
    files = sorted((Path(__file__).resolve().parent.parent / "corpus").rglob("*.txt")) + sorted(shared.iterdir())
    return [block.text for f in files for block in read(f).blocks if block.text.strip()]


def test_the_segmenter_cuts_exactly_as_jieba_does_with_the_words_drafter_teaches():
    """rjieba stands in for jieba: index terms, query words and place checks rely on the same cuts and on
    the same dictionary words inside long words, with the gazetteer's place names taught to both."""
    import logging
    import jieba
    jieba.setLogLevel(logging.WARNING)
    segmenter = default_gazetteer().segmenter
    reference = jieba.Tokenizer()
    reference.initialize()
    for word in segmenter.taught:
        reference.add_word(word, freq=2000)
    texts = _sentences_of_real_archives() + [TITLE, "提高平台服务能力", "高平市推进数字乡村，茌平区建成城市大脑"]
    assert len(texts) > 300
    assert len(segmenter.taught) > 1000
    for text in texts:
        cut = list(reference.cut(text, HMM=False))
        assert segmenter._tokens(text) == cut, text
        inside = [part for w in cut for n in (2, 3) if len(w) > n for i in range(len(w) - n + 1)
                  if reference.FREQ.get(part := w[i:i + n])]
        stored, terms = segmenter.indexed(text)
        assert terms == [w for w in cut if segmenter.words(w)] + inside, text
        assert wordcut.terms(text, stored) == terms, text  # what the store rebuilds from the text and its cut
