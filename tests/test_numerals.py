"""The numeral reader beyond its table: exact decimals from scaling.

The table itself (tests/data/numerals.tsv: input -> value and flags, empty value: not a number) runs in
tests/test_layers.py.
"""
from __future__ import annotations

from extractor.resolve.numerals import parse_number


def test_values_are_exact_decimals():
    # no binary floating noise from scaling: 4.55亿 is exactly 455000000
    assert parse_number("4.55亿") == 455000000
    assert parse_number("1.39万亿") == 1390000000000
    assert parse_number("0.1万") == 1000
