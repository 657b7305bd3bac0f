"""The numeral reader, table-driven from tests/data/numerals.tsv: input -> value (empty: None)."""
from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from extractor.resolve.numerals import parse_number, read_number

DATA = Path(__file__).resolve().parent / "data"


def _rows() -> list[dict]:
    with (DATA / "numerals.tsv").open(encoding="utf-8") as f:
        rows = (line for line in f if line.strip("\n") and not line.startswith("#"))
        return list(csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


@pytest.mark.parametrize("row", ROWS, ids=[r["input"] or "<empty>" for r in ROWS])
def test_parse_number(row):
    got = parse_number(row["input"])
    if not row["value"]:
        assert got is None, f"{row['input']!r} is not a number, got {got}"
        assert read_number(row["input"]) is None
        return
    assert got is not None and math.isclose(got, float(row["value"]), rel_tol=1e-12), got
    r = read_number(row["input"])
    flags = (row.get("flags") or "").split()
    assert r.approx == ("approx" in flags)
    assert r.fraction == ("fraction" in flags)
    assert r.sequence == ("sequence" in flags)
    assert r.percent == next((f for f in flags if f in ("%", "‰", "‱")), "")


def test_values_are_exact_decimals():
    # no binary floating noise from scaling: 4.55亿 is exactly 455000000
    assert parse_number("4.55亿") == 455000000
    assert parse_number("1.39万亿") == 1390000000000
    assert parse_number("0.1万") == 1000


def test_reader_never_raises_on_odd_input():
    for s in ["点", "负", "-", "又", "分之一", "一又", "5/0", "0分之1", "百分之", "成", "．", "1,2,3", "2..5"]:
        assert parse_number(s) is None or isinstance(parse_number(s), float)
