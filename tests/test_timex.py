"""TimeFinder, table-driven from tests/data/timex.tsv: text -> surface:kind of every span."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extractor.timex import KINDS, TimeFinder

DATA = Path(__file__).resolve().parent / "data"


def _rows() -> list[dict]:
    with (DATA / "timex.tsv").open(encoding="utf-8") as f:
        rows = (line for line in f if line.strip() and not line.startswith("#"))
        return list(csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


@pytest.fixture(scope="module")
def finder(rules) -> TimeFinder:
    return TimeFinder(rules)


@pytest.mark.parametrize("row", ROWS, ids=[r["text"] for r in ROWS])
def test_time_spans(finder, row):
    text = row["text"]
    spans = finder.find(text)
    got = [f"{s.text}:{s.kind}" for s in spans]
    want = [s.strip() for s in (row["spans"] or "").split(" | ") if s.strip()]
    assert got == want
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert s.kind in KINDS


def test_spans_do_not_overlap(finder):
    text = "2022年12月至2023年3月，全年完成投资45亿元；今年以来，一季度增长5%，近五年来累计投入。"
    spans = finder.find(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_unknown_kind_in_rules_is_an_error(tmp_path):
    from extractor.rules import RuleError, load_rules

    (tmp_path / "time_words.tsv").write_text("text\tkind\n某时\tsometime\n", encoding="utf-8")
    with pytest.raises(RuleError, match="time_words.tsv:2"):
        TimeFinder(load_rules([tmp_path]))
