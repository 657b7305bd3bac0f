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
