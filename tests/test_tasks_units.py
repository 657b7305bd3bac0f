"""The task stage's fast paths read what the patterns they stand for read: a unit's closing run
walked back over TRAILING's characters, a pattern tried only at a character it may open with, the
copula searched where its strings are, the openers of plan parts searched as pattern sets."""
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


def _openings(lex):
    return [lex.list_mark_opens, lex.enumeration_opens, lex.modifier_opens, lex.preposition_opens]


def _check_openings(lex, text: str) -> None:
    for opens in _openings(lex):
        for s in range(len(text)):
            if opens.pattern.match(text, s, len(text)):
                assert opens.may_open(text[s]), (opens.pattern.pattern[:40], text, s)


def test_a_match_opens_with_a_character_said_to_open_one(pipeline):
    """Openings (prefilter.py) of the patterns the stage tries at a position: the list mark, the
    enumeration, a modifier and a preposition, on every line of the reports."""
    lex = pipeline.tasks.lexicon
    assert all(opens.known is not None for opens in _openings(lex))
    for text in _texts():
        for line in text.splitlines():
            _check_openings(lex, line[:80])
    for text in _PIECES:
        _check_openings(lex, text + "要")


def test_a_match_opens_with_a_character_said_to_open_one_on_any_text(pipeline):
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    lex = pipeline.tasks.lexicon
    pieces = _PIECES + ["进一步", "全面", "围绕", "按照", "2024年", "6月底前", "一季度", "首先", "二要", "第三，"]

    @hypothesis.settings(max_examples=500, deadline=None)
    @hypothesis.given(st.lists(st.sampled_from(pieces), min_size=1, max_size=6).map("".join))
    def check(text):
        _check_openings(lex, text)

    check()


def test_a_pattern_that_may_look_behind_is_asked_everywhere():
    from extractor.match.prefilter import Openings

    for pattern in (r"(?<=a)b", r"(?<!a)b", r"\bx", r"\Bx", r"(?r)x$", r"\Gx"):
        assert Openings(regex.compile(pattern)).known is None, pattern
    opens = Openings(regex.compile(r"(?:一是|二是)|[（(]\d[）)]"))
    assert [opens.may_open(ch) for ch in "一（(工9"] == [True, True, True, False, False]


def test_a_clause_opening_with_an_ideograph_of_the_range_holds_han():
    from extractor.match.tasks.heads import _HAN, HAN_FIRST, HAN_LAST

    assert all(_HAN.match(chr(c)) for c in range(ord(HAN_FIRST), ord(HAN_LAST) + 1))


def test_copula_after_is_a_search_of_the_copula(pipeline):
    """Lexicon.copula_after searches the copula only where a string it needs is: the same answer,
    on every clause of the reports from each of its first offsets."""
    lex = pipeline.tasks.lexicon
    assert lex.copula_needs is not None
    for text in _texts():
        for clause in regex.split(r"[，,；;。！？\n]", text):
            for pos in range(min(len(clause), 8)):
                assert lex.copula_after(clause, pos) == bool(lex.copula.search(clause, pos)), (clause, pos)


def test_the_openers_as_pattern_sets_find_what_their_patterns_find(pipeline):
    lex = pipeline.tasks.lexicon
    for text in _texts():
        for line in text.splitlines():
            for openers in (lex.heading_openers, lex.paragraph_openers):
                assert openers.any(line) == any(p.search(line) for p in openers.patterns), line


def test_a_date_line_opens_with_a_character_said_to_open_one(pipeline):
    """The patterns of the date a calendar's line opens with (tables.py), at every line start."""
    for text in _texts():
        for line in text.splitlines():
            for pattern, opens in pipeline.tasks.tables.date_lines:
                if pattern.match(line):
                    assert opens.may_open(line[0]), line
