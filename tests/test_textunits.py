"""Paragraphs and sentences beyond the case table: sentences lie inside paragraphs, and the sentences
of one paragraph.

The cases (tests/data/textunits_cases.jsonl: paragraphs, sentences or clauses of a text, read through
the matching view as in the pipeline and compared by mapping each unit back to the case's text) run in
tests/test_layers.py.
"""
from __future__ import annotations

import pytest

from extractor.model import Span
from extractor.structure.textunits import TextUnits


@pytest.fixture(scope="module")
def units(rules) -> TextUnits:
    return TextUnits(rules)


def test_sentences_lie_inside_paragraphs(units):
    text = "一、主要工作\n今年以来，各项工作稳步推进。成绩来之不易！\n\n二、存在问题\n还有不足。"
    paras = units.paragraphs(text)
    sents = units.sentences(text, paras)
    assert [text[s.start:s.end] for s in sents] == [
        "一、主要工作", "今年以来，各项工作稳步推进。", "成绩来之不易！", "二、存在问题", "还有不足。"]
    for s in sents:
        assert any(p.start <= s.start and s.end <= p.end for p in paras)


def test_sentences_in_one_paragraph(units):
    text = "前言。一、主要工作：抓好学习。推进改革！"
    para = Span(text.index("一"), len(text))
    assert [text[s.start:s.end] for s in units.sentences_in(text, para)] == [
        "一、主要工作：", "抓好学习。", "推进改革！"]


def test_final_marks_walked_back_as_the_end_anchored_pattern_finds_them():
    """The clause splitter drops a sentence's final 。！？ by walking back from its end; it finds
    what the pattern [。！？!?.…]+$ finds (a final line break included) on every short text."""
    import random

    import regex

    from extractor.structure.textunits import _without_final_marks

    pattern = regex.compile(r"[。！？!?.…]+$")
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice("。！？!?.…\nab") for _ in range(rng.randint(0, 8)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        found = pattern.search(text, start, end)
        assert _without_final_marks(text, start, end) == (found.start() if found else end), (text, start, end)


def _clause_cuts_by_one_pattern(units: TextUnits, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clause cuts as one regex of the brackets, quotes and separators reads them (a comma or a
    colon between two digits is no separator), the definition the faster scan keeps to."""
    import regex

    from extractor.structure.textunits import _CLAUSE_SEP

    event = regex.compile("[" + regex.escape(units.open + units.close) + '"]|' + _CLAUSE_SEP)
    cuts, depth, ascii_quote = [], [], False
    for m in event.finditer(text, start, end):
        ch = m.group()
        if ch in units.open:
            depth.append(ch)
        elif ch in units.close:
            if depth and depth[-1] == units.pair[ch]:
                depth.pop()
            elif units.pair[ch] in depth:
                while depth and depth.pop() != units.pair[ch]:
                    pass
        elif ch == '"':
            ascii_quote = not ascii_quote
        elif not depth and not ascii_quote:
            cuts.append(m.span())
    if depth or ascii_quote:
        return [m.span() for m in units.clause_sep.finditer(text, start, end)]
    return cuts


def test_clause_cuts_are_those_of_one_pattern(units):
    """Separators outside brackets and quotes, a comma or colon inside a number (1,280; 10:30; a
    digit regex knows beyond the first plane, 𑽐) kept: the same cuts at any bounds of any text."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet="12𑽐٣a,:;，；：“”（）()《》\"、。 ", max_size=30), st.integers(0, 30), st.integers(0, 30))
    def same(text, a, b):
        start, end = sorted((min(a, len(text)), min(b, len(text))))
        assert units._clause_cuts(text, start, end) == _clause_cuts_by_one_pattern(units, text, start, end)

    same()
    assert units._clause_cuts("1,280，2:3", 0, 9) == [(5, 6)]
