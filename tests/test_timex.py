"""TimeFinder beyond its table: spans never overlap, and its rule files are checked and read.

The table (tests/data/timex.tsv: text -> surface:kind of every span) runs in tests/test_layers.py.
"""
from __future__ import annotations

import pytest

from extractor.match.times import TimeFinder
from extractor.model import TimeKind


@pytest.fixture(scope="module")
def finder(rules) -> TimeFinder:
    return TimeFinder(rules)


def test_spans_do_not_overlap(finder):
    text = "2022年12月至2023年3月，全年完成投资45亿元；今年以来，一季度增长5%，近五年来累计投入。"
    spans = finder.find(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_unknown_kind_in_rules_is_an_error(tmp_path):
    from extractor.rules import RuleError, load_rules

    (tmp_path / "time_words.tsv").write_text("text\tkind\n某时\tsometime\n", encoding="utf-8")
    with pytest.raises(RuleError, match="time_words.tsv:2"):
        TimeFinder(load_rules([tmp_path]))


def test_unknown_lead_role_in_rules_is_an_error(tmp_path):
    from extractor.rules import RuleError, load_rules

    (tmp_path / "time_leads.tsv").write_text("text\trole\tnot_after\n前后\tsoon\t\n", encoding="utf-8")
    with pytest.raises(RuleError, match="time_leads.tsv:2"):
        TimeFinder(load_rules([tmp_path]))


def test_lead_words_come_from_the_rules(tmp_path, rules):
    """A lead word added in a user rules folder opens a time expression."""
    from extractor.rules import load_rules

    text = "再过三年，全面建成"
    assert TimeFinder(rules).find(text) == []
    (tmp_path / "time_leads.tsv").write_text("text\trole\tnot_after\n再过\trecent\t\n", encoding="utf-8")
    found = TimeFinder(load_rules([tmp_path])).find(text)
    assert [(s.text, s.kind) for s in found] == [("再过三年", TimeKind.PERIOD)]


# ---- the search from the offsets where a time may start (pattern_search.Opened) ----------------

_TIME_ALPHABET = "0123456789〇一二三四五六七八九十年月日号季度上下半至到-—~、前后近今本全第个天周时点 \t，。的来以"


def _times_texts(rules) -> list[str]:
    from extractor.structure.view import ViewBuilder

    from .test_quantities import ROOT, SHARED_CORPUS

    view = ViewBuilder(rules)
    paths = sorted(SHARED_CORPUS.glob("*.txt")) + sorted((ROOT / "corpus").glob("*.txt"))
    return [view.build(p.read_text(encoding="utf-8-sig")).text for p in paths]


def test_opened_search_finds_what_the_pattern_finds_on_the_corpus(finder, rules):
    """The times are searched only from the offsets the standard library's re finds for the
    pattern's opening lookaheads: on every corpus document (the samples at least) the matches are
    the pattern's own finditer's, one for one."""
    texts = _times_texts(rules)
    assert texts
    for text in texts:
        assert [m.span() for m in finder._search.finditer(text)] == [m.span() for m in finder._pattern.finditer(text)]


def test_opened_search_finds_what_the_pattern_finds_on_any_text(finder):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=_TIME_ALPHABET, max_size=60))
    def same(text):
        assert [m.span() for m in finder._search.finditer(text)] == [m.span() for m in finder._pattern.finditer(text)]

    same()


def test_an_opening_re_cannot_read_leaves_the_patterns_own_search():
    import regex

    from extractor.match.pattern_search import Opened

    pattern = regex.compile(r"(?=\p{Han})\p{Han}+年")
    opened = Opened(pattern, r"(?=\p{Han})")      # re has no \p{...}
    text = "今年和明年，2024年"
    assert [m.group() for m in opened.finditer(text)] == ["今年和明年"] == [m.group() for m in pattern.finditer(text)]
    plain = Opened(regex.compile(r"(?=[今明])[今明]年"), r"(?=[今明])")
    assert [m.group() for m in plain.finditer(text)] == ["今年", "明年"]


def test_a_text_beyond_the_first_plane_is_searched_by_the_pattern(finder):
    """re's \\d does not know the newest digits (Kawi 𑽐…𑽙, in regex's Unicode): a text with a
    character beyond the first plane finds the times the pattern finds there."""
    text = "近𑽓年完成投资45亿元，2023年增长5%"
    assert [m.span() for m in finder._search.finditer(text)] == [m.span() for m in finder._pattern.finditer(text)]
    assert [s.text for s in finder.find(text)] == ["近𑽓年", "2023年"]


def _kind_by_captures(finder, m):
    """The kind of a time as the captures of its groups tell it (TimeFinder._kind reads the
    groups' last spans, which is faster)."""
    from extractor.model import TimeKind

    if m.captures("sep") or m.captures("year_range") or m.captures("month_range"):
        return TimeKind.TIME if m.captures("clock") else TimeKind.PERIOD
    found = set()
    for groups, kind in ((("clock",), TimeKind.TIME), (("day", "day_only", "iso_date"), TimeKind.DATE),
                         (("month",), TimeKind.MONTH), (("quarter", "plan", "recent", "decade"), TimeKind.PERIOD),
                         (("year",), TimeKind.YEAR), (("duration", "within"), TimeKind.DURATION)):
        if any(m.captures(g) for g in groups):
            found.add(kind)
    found.update(finder._word_kind.get(w, TimeKind.RELATIVE) for w in m.captures("word"))
    if found == {TimeKind.DURATION}:
        return TimeKind.DURATION
    return next((k for k in TimeKind if k in found), TimeKind.RELATIVE)


def test_kinds_read_from_group_spans_are_those_the_captures_tell(finder, rules):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    def same(text):
        for m in finder._pattern.finditer(text):
            assert finder._kind(m) == _kind_by_captures(finder, m), m.group()

    for text in _times_texts(rules):
        same(text)

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=_TIME_ALPHABET + ":：~以来底末初年代期间内中", max_size=60))
    def same_on(text):
        same(text)

    same_on()
