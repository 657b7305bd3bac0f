"""Indicators beyond the shape cases: unset columns stay empty, the rows of a real report, the word
roles and their rule errors, and every name shape deciding some case.

The shape cases (tests/data/indicators.jsonl: text -> expected rows) run in tests/test_layers.py.
"""
from __future__ import annotations

import re
from dataclasses import fields

import pytest

from extractor import extract_text
from extractor.match.indicators import reading
from extractor.match.indicators.lexicon import Lexicon, Words
from extractor.rules import RuleError, load_rules

from .cases import load
from .conftest import ROOT, SHARED_CORPUS, needs_shared_corpus
from .layers import indicator_facts


def test_optional_columns_stay_empty_when_unset():
    (f,) = indicator_facts("新发展党员6名。")
    assert (f.value_max, f.time, f.parent, f.direction, f.qualifier) == (None, "", "", "", "exact")


def test_a_time_that_belongs_to_a_noun_is_no_figure_s_time():
    # 年初预算 is a kind of budget; the figures after it have no time of their own
    rows = indicator_facts("财政支出年初预算1184万元，调整预算1506万元，实现支出1504万元。")
    assert [f.time for f in rows] == ["", "", ""]
    (f,) = indicator_facts("今年年初完成投资12亿元。")
    assert f.time == "年初" or f.time.endswith("年初")


TOWN_REPORT = "party-branch-town-center-2022.txt"
TOWN_EXPECTED = [  # the rows issue 5 names for the town party-branch report
    ("新接收入党积极分子", 9, "名", "exact"),
    ("上门走访", 2853, "次", "exact"),
    ("居民参与", 20000, "人次", "over"),
    ("检测", 300000, "人次", "under"),
    ("自筹", 50000, "元", "over"),
    ("农村卫生厕所普及率", 92, "%", "over"),
    ("低保保障", 1720, "户", "exact"),
    ("低保保障", 2773, "人", "exact"),
]


@needs_shared_corpus
def test_town_party_branch_report_rows():
    from extractor import extract_path

    facts = extract_path(SHARED_CORPUS / TOWN_REPORT)
    rows = {(f.name, f.value, f.unit, f.qualifier) for f in facts if f.type == "indicator"}
    missing = [r for r in TOWN_EXPECTED if r not in rows]
    assert not missing
    # the part of a total points at the total
    part = next(f for f in facts if f.type == "indicator" and f.name == "境外返靖")
    total = next(f for f in facts if f.id == part.parent)
    assert (total.value, total.unit) == (3903, "名")


def test_every_role_has_words_and_a_line_in_the_header(rules):
    words = Words.load(rules)
    header = (ROOT / "rules" / "indicator_words.tsv").read_text(encoding="utf-8")
    for role in (f.name for f in fields(Words)):
        assert getattr(words, role), f"no words of role {role}"
        if role != "preposition":   # read from rules/prepositions.tsv, which both matchers share
            assert re.search(rf"^#\s+{role}\s", header, re.M), f"role {role} is not described in the header"


def test_an_unknown_role_names_file_and_line(tmp_path):
    (tmp_path / "indicator_words.tsv").write_text("word\trole\n开展了\tlight\n其次\tleed\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"indicator_words.tsv:3: column 'role': 'leed' is not one of lead, trail"):
        Lexicon(load_rules([tmp_path]))



def test_every_shape_names_a_figure_of_some_case(monkeypatch):
    """Each way of naming a figure has a case in tests/data/indicators.jsonl that it decides."""
    shapes = {shape.__name__ for shape in reading.SHAPES}
    named: set[str] = set()

    def recording(shape):
        def wrapped(figure, namer):
            naming = shape(figure, namer)
            if naming is not None:      # the first shape that names a figure is the one that decides
                named.add(shape.__name__)
            return naming
        return wrapped

    monkeypatch.setattr(reading, "SHAPES", tuple(recording(shape) for shape in reading.SHAPES))
    for case in load("indicators"):
        extract_text(case["text"])
    assert shapes - named == set()


@pytest.mark.parametrize("text", ["3.2", "(1)", "①", "（２）", "１", "一", "增长", "3个", "鿿", "\u4e00", "㐀", "", "."])
def test_a_number_mark_is_what_its_pattern_fullmatches(rules, text):
    lex = Lexicon(rules)
    assert lex.is_number_mark(text) == (lex._number_mark.fullmatch(text) is not None)


def test_a_number_mark_over_the_words_of_the_corpus(pipeline, rules):
    lex = Lexicon(rules)
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        for word, _ in pipeline.tokenizer.words(path.read_text(encoding="utf-8")):
            assert lex.is_number_mark(word) == (lex._number_mark.fullmatch(word) is not None), word


def _sentences_with_figures_walked(sentences, quantities, times):
    """The sentences that hold figures as a walk over every sentence finds them (the reference of
    extract._sentences_with_figures, which bisects)."""
    q_i = t_i = 0
    for index, sentence in enumerate(sentences):
        qs = []
        while q_i < len(quantities) and quantities[q_i].start < sentence.end:
            if quantities[q_i].start >= sentence.start:
                qs.append(quantities[q_i])
            q_i += 1
        while t_i < len(times) and times[t_i].end <= sentence.start:
            t_i += 1
        if not qs:
            continue
        ts = []
        j = t_i
        while j < len(times) and times[j].start < sentence.end:
            ts.append(times[j])
            j += 1
        yield index, sentence, qs, ts


def test_sentences_with_figures_are_those_of_a_walk():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from extractor.match.indicators.extract import _sentences_with_figures
    from extractor.model import Span

    def spans(draw, n, width, disjoint):
        cuts = sorted(draw(st.lists(st.integers(0, width), min_size=2 * n, max_size=2 * n)))
        if disjoint:
            return [Span(cuts[2 * k], cuts[2 * k + 1]) for k in range(n) if cuts[2 * k] < cuts[2 * k + 1]]
        starts = sorted(draw(st.lists(st.integers(0, width), max_size=n)))
        return [Span(a, a + draw(st.integers(1, 6))) for a in starts]

    @st.composite
    def documents(draw):
        sentences = spans(draw, draw(st.integers(0, 8)), 60, True)
        return sentences, spans(draw, draw(st.integers(0, 12)), 60, False), spans(draw, draw(st.integers(0, 6)), 60, False)

    @settings(max_examples=400, deadline=None)
    @given(documents())
    def check(doc):
        assert list(_sentences_with_figures(*doc)) == list(_sentences_with_figures_walked(*doc))

    check()


def test_make_indicator_makes_the_indicator_its_init_would():
    """Indicators are made by make_indicator, not by Indicator's slower __init__: the same Indicator,
    of its class, frozen, with the default of its last field."""
    import dataclasses

    from extractor.model import Direction, Indicator, Qualifier, make_indicator

    args = (3, 9, "地区生产总值", 1200.0, None, "元", Qualifier.EXACT, Direction.UP, "2024年", None)
    made, plain = make_indicator(*args, task=2), Indicator(*args, task=2)
    assert type(made) is Indicator and made == plain and hash(made) == hash(plain)
    assert dataclasses.astuple(made) == dataclasses.astuple(plain) and repr(made) == repr(plain)
    assert make_indicator(*args) == Indicator(*args)
    assert dataclasses.replace(made, name="x") == dataclasses.replace(plain, name="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "x"
