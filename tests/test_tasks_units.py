"""The task units' fast paths (units.py, lexicon.py) read what the patterns they stand for read: the
closing run walked back over TRAILING's characters, and the list mark asked only at a character it
may open with."""
from __future__ import annotations

import pytest
import regex

from extractor.match.tasks.lexicon import BLANKS, TRAILING, TRAILING_CHARS, TRAILING_FROM_END, trailing_start

from .conftest import CORPUS, shared_corpus_docs

_PIECES = ["一、", "（二）", "(3)", "1.", "2、", "1.2.", "3）", "①", "第一部分", "第十二条", "——", "• ", "- ", "* ",
           "一是", "加强", "工作", "推进", "。", "！", "？", "；", "：", ":", "，", "、", "…", ".", " ", "\t", "\n",
           "\u3000", "\xa0", "\x1c", "”", "）", "A", "9", "٣", "𝟘", "第", "十"]


def _texts():
    paths = sorted(CORPUS.glob("*.txt")) + shared_corpus_docs()
    return [path.read_text(encoding="utf-8") for path in paths]


def test_blanks_and_trailing_chars_are_the_classes_of_regex():
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert set(regex.findall(r"\s", everything)) == BLANKS
    assert set(regex.findall(TRAILING.pattern[:-2], everything)) == TRAILING_CHARS


def _check_trailing(text: str) -> None:
    for start in range(0, len(text) + 1, max(1, len(text) // 50)):
        for end in (start, len(text), start + (len(text) - start) // 2):
            m = TRAILING_FROM_END.search(text, start, end)
            assert trailing_start(text, start, end) == (m.start() if m else end), (text, start, end)


def test_trailing_start_is_where_the_closing_run_starts(pipeline):
    for text in _texts():
        for line in text.splitlines(keepends=True):
            _check_trailing(line)


def test_trailing_start_on_any_text():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    @hypothesis.settings(max_examples=500, deadline=None)
    @hypothesis.given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
    def check(text):
        _check_trailing(text)

    check()


def _check_list_openers(cutter, text: str) -> None:
    mark = cutter.lexicon.list_mark
    for s in range(len(text)):
        if mark.match(text, s, len(text)):
            assert cutter._may_open_list(text[s]), (text, s)


def test_a_list_mark_opens_with_a_character_said_to_open_one(pipeline):
    cutter = pipeline.tasks.cutter
    assert cutter.list_openers is not None
    for text in _texts():
        for line in text.splitlines():
            _check_list_openers(cutter, line)
    for text in _PIECES:
        _check_list_openers(cutter, text + "要")


def test_a_list_mark_opens_with_a_character_said_to_open_one_on_any_text(pipeline):
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    cutter = pipeline.tasks.cutter

    @hypothesis.settings(max_examples=500, deadline=None)
    @hypothesis.given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6).map("".join))
    def check(text):
        _check_list_openers(cutter, text)

    check()
