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
