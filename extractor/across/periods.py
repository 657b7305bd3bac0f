"""The period a figure describes: a year ("2023"), a span ("2019–2023"), a half or a quarter.

A figure's period comes from the time expressions before it in its sentence (nearest first), read
by rules/periods.tsv relative to the document's own years, else from its section: the year the
section's heading names ("2024年工作安排"), else what the section kind says — a review describes
the year the document looks back on, a plan the year ahead. Which years those are depends on the
kind of document: a government report given in 2024 reviews 2023 and plans 2024; a summary of 2023
reviews 2023 and plans 2024.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import regex

from ..cache import compile_regex
from ..model import DocKind, DocumentInfo, SectionKind
from ..resolve.numerals import read_number
from ..rules import Rules, union

# kinds of document that are given after the year they look back on
LOOKS_BACK = frozenset({DocKind.GOVERNMENT_REPORT, DocKind.CONGRESS_REPORT, DocKind.PLAN})
_POINT = compile_regex(r"(?P<base>y1|y2|y|N|R|P|S|\d{4})(?P<offsets>(?:[+-](?:\d+|n))*)(?P<part>H[12]|Q[1-4])?")
_OFFSET = compile_regex(r"([+-])(\d+|n)")
_EXPRESSION = compile_regex(rf"(?:{_POINT.pattern})(?:–(?:{_POINT.pattern.replace('?P<', '?P<b_')}))?")


class Years(NamedTuple):
    """The years a document's relative times are read against (a tuple: it is part of the key of
    every period read, and a tuple hashes and compares in C where a dataclass runs Python)."""

    given: int | None      # N: the year it was given (a summary: the year it sums up)
    review: int | None     # R: the year its review describes
    plan: int | None       # P: the year its plan is for

    @classmethod
    def of(cls, info: DocumentInfo) -> "Years":
        n = info.year
        if n is None:
            return cls(None, None, None)
        if info.kind in LOOKS_BACK:
            return cls(n, n - 1, n)
        return cls(n, n, n + 1)

    def default(self, kind: SectionKind, doc_kind: DocKind) -> str:
        """The period of a figure with no time of its own, in a section of this kind."""
        if kind == SectionKind.PLAN:
            return _year(self.plan)
        if kind in (SectionKind.REVIEW, SectionKind.PROBLEM) or (kind == SectionKind.OTHER
                                                                  and doc_kind not in LOOKS_BACK):
            return _year(self.review)   # shortcomings are those of the year looked back on; a summary's
                                        # text is about its year throughout
        return ""


def _year(y: int | None) -> str:
    return "" if y is None else str(y)


class PeriodReader:
    """Reads time expressions into periods; built once from rules/periods.tsv."""

    def __init__(self, rules: Rules):
        def expression(cell: str) -> str:
            if cell and not _EXPRESSION.fullmatch(cell):
                raise ValueError(f"not a period expression: {cell!r}")
            return cell

        self.rows = rules.table("periods", ("pattern", "period"),
                                convert={"pattern": rules.pattern(), "period": expression})
        # one pass tells a time no rule knows (most heading names) from one that some rule reads
        self.known = union([row["pattern"] for row in self.rows], rules.regex)
        # a report repeats its few time expressions (2023年, 今年, 年均) over many rows: each is
        # matched against the rules once, and read once for a document's years and section period
        self._rule_for = lru_cache(maxsize=4096)(self._first_rule)
        self.read = lru_cache(maxsize=4096)(self._read)

    def _read(self, time: str, years: Years, section: str) -> str | None:
        """The period a time expression names; "" when it ties to no year, None when no rule
        knows it (the caller then looks further)."""
        found = self._rule_for(time)
        if found is None:
            return None
        period, m = found
        return _evaluate(period, m, years, section) if period else ""

    def _first_rule(self, time: str) -> tuple[str, regex.Match] | None:
        """The period column of the first rule whose pattern is found in ``time``, and its match."""
        if self.known.search(time) is None:
            return None
        for row in self.rows:
            m = row["pattern"].search(time)
            if m:
                return row["period"], m
        return None

    def span(self, times: list[str], years: Years, section: str) -> str:
        """The first of ``times`` that names a span of years ("" when none does)."""
        for t in times:
            got = self.read(t, years, section) if t != section else section
            if got and "–" in got:
                return got
        return ""

    def period(self, times: list[str], years: Years, section: str) -> str:
        """The first time (nearest first) that names a period, else the section's period."""
        for t in times:
            got = self.read(t, years, section)
            if got:
                return got
        return section


def _evaluate(expression: str, m: regex.Match, years: Years, section: str) -> str:
    points = expression.split("–")
    out = []
    for point in points:
        got = _point(point, m, years, section)
        if got is None:
            return ""
        out.append(got)
    return "–".join(dict.fromkeys(out))   # 近一年: the span of one year is that year


def _point(point: str, m: regex.Match, years: Years, section: str) -> str | None:
    p = _POINT.fullmatch(point)
    base = p["base"]
    if base in ("y", "y1", "y2"):
        value: int | None = int(m.group(base))
    elif base.isdigit():
        value = int(base)
    elif base == "S":
        value = int(section[:4]) if section[:4].isdigit() else None
    else:
        value = {"N": years.given, "R": years.review, "P": years.plan}[base]
    if value is None:
        return None
    for sign, amount in _OFFSET.findall(p["offsets"]):
        k = _count(m) if amount == "n" else int(amount)
        if k is None:
            return None
        value += k if sign == "+" else -k
    return f"{value}{p['part'] or ''}"


def _count(m: regex.Match) -> int | None:
    try:
        n = m.group("n")
    except IndexError:
        return None
    r = read_number(n) if n else None
    return int(r.value) if r is not None and r.value >= 1 else None
