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


# ---- the shortcuts of paragraphs() and sentences_in() against the plain reading -------------------

_UNITS_ALPHABET = "。！？!?.…：:；，,“”（）)\"' \t\u3000\n一二是、1A5b年工作"


def _plain_paragraphs(units: TextUnits, text: str) -> list[Span]:
    """paragraphs() without its shortcut: every line searched for a heading after a sentence end."""
    from extractor.structure.textunits import split_at

    out: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        out += split_at(text, start, end, [m.span() for m in units.inline_heading.finditer(text, start, end)])
    return out


def _plain_sentences_in(units: TextUnits, text: str, para: Span) -> list[Span]:
    """sentences_in() without its shortcuts: the lead looked for in every paragraph, every sentence trimmed."""
    from extractor.structure.textunits import _LIST_NUMBER, trim

    out: list[Span] = []
    start = para.start
    m = units.heading_mark.match(text, start, para.end)
    lead_from = m.end() if m else start
    c = units.colon_lead.match(text, lead_from, para.end)
    if c and c.end() < para.end and not units.stop_in_lead.search(text, start, c.end()):
        out.append(Span(*trim(text, start, c.end())))
        start = c.end()
    for end_match in units.sentence_end.finditer(text, start, para.end):
        end = end_match.end()
        if text[end_match.start()] == "." and _LIST_NUMBER.match(text, start, end - 1):
            continue
        s, e = trim(text, start, end)
        if s < e:
            out.append(Span(s, e))
        start = end
    s, e = trim(text, start, para.end)
    if s < e:
        out.append(Span(s, e))
    return out


def _same_units(units: TextUnits, text: str) -> None:
    paras = units.paragraphs(text)
    assert paras == _plain_paragraphs(units, text)
    for p in paras:
        assert units.sentences_in(text, p) == _plain_sentences_in(units, text, p)
        inner = Span(p.start + 1, p.end)   # a run-in's rest: a span that starts inside a paragraph
        assert units.sentences_in(text, inner) == _plain_sentences_in(units, text, inner)


def test_shortcuts_read_the_corpus_as_the_plain_reading(units, rules):
    from extractor.structure.view import ViewBuilder

    from .conftest import CORPUS, SHARED_CORPUS

    view = ViewBuilder(rules)
    paths = sorted(SHARED_CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))
    assert paths
    for path in paths:
        _same_units(units, view.build(path.read_text(encoding="utf-8-sig")).text)


def test_shortcuts_read_any_text_as_the_plain_reading(units):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet=_UNITS_ALPHABET, max_size=60))
    def same(text):
        _same_units(units, text)

    same()
