"""The pivot: one row per key and unit, one column per period, the reported outcome in each cell.

Outcomes are the indicators outside plan sections that are not targets of a planned task; plan
targets are promises (see promises.py). When several outcomes fall in one cell, the one stated by
the document that looks back on that period wins (a government report given in 2024 states 2023's
growth), then the later document, then the first in reading order; every cell keeps its source
document and text.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..cache import compile_regex
from ..model import SectionKind

_PERIOD = compile_regex(r"(?P<y1>\d{4})(?P<p1>H[12]|Q[1-4])?(?:–(?P<y2>\d{4})(?P<p2>H[12]|Q[1-4])?)?")
_PART_ORDER = {None: 0, "Q1": 1, "H1": 2, "Q2": 3, "Q3": 4, "H2": 5, "Q4": 6}


def period_order(period: str) -> tuple:
    """Periods in time order: 2022, 2023Q1, 2023H1, 2023, 2019–2023 after 2019 …"""
    m = _PERIOD.fullmatch(period)
    if m is None:
        return (9999, 9999, 9, period)
    end = int(m["y2"] or m["y1"])
    return (int(m["y1"]), end, _PART_ORDER.get(m["p1"], 0), period)


@dataclass(frozen=True)
class Cell:
    key: str
    unit: str
    period: str
    value: float
    value_max: float | None
    qualifier: str
    doc: str
    section: str
    text: str
    start: int
    end: int
    sentence: str


def is_outcome(row: Mapping) -> bool:
    """An indicator that reports what happened: not in a plan section, not a task's target."""
    return (row["type"] == "indicator" and row["section_kind"] != SectionKind.PLAN
            and bool(row.get("key")) and bool(row.get("period")) and not str(row["parent"]).startswith("t"))


def cells(rows: Iterable[Mapping], review_years: Mapping[str, str], issuers: Mapping[str, str]) -> list[Cell]:
    """The chosen outcome of every (key, unit, period), in key, unit and period order.

    ``review_years`` maps a document to the period its review describes ("2023"); ``issuers`` to
    who gives it. Reports of several issuers (a county's townships) get rows of their own: the key
    is then "issuer·key"."""
    rows = [r for r in rows if is_outcome(r)]
    several = len({issuers.get(r["doc"], "") for r in rows} - {""}) > 1
    best: dict[tuple[str, str, str], tuple[tuple, Cell]] = {}
    for n, row in enumerate(rows):
        issuer = issuers.get(row["doc"], "") if several else ""
        cell = Cell(f"{issuer}·{row['key']}" if issuer else row["key"], row["unit"], row["period"], row["value"], row["value_max"], row["qualifier"],
                    row["doc"], row["section"], row["text"], row["start"], row["end"], row["sentence"])
        # the document that looks back on this period first, then the latest document, then reading order
        rank = (review_years.get(cell.doc) != cell.period, _negated(review_years.get(cell.doc, "")), n)
        slot = (cell.key, cell.unit, cell.period)
        if slot not in best or rank < best[slot][0]:
            best[slot] = (rank, cell)
    chosen = [c for _, c in best.values()]
    chosen.sort(key=lambda c: (c.key, c.unit, period_order(c.period)))
    return chosen


def _negated(period: str) -> tuple:
    return tuple(-x if isinstance(x, int) else x for x in period_order(period)) if period else (0,)


@dataclass(frozen=True)
class Pivot:
    periods: list[str]
    rows: list[tuple[str, str, dict[str, Cell]]]   # key, unit, period -> cell

    @classmethod
    def of(cls, chosen: list[Cell]) -> "Pivot":
        periods = sorted({c.period for c in chosen}, key=period_order)
        rows: dict[tuple[str, str], dict[str, Cell]] = {}
        for c in chosen:
            rows.setdefault((c.key, c.unit), {})[c.period] = c
        return cls(periods, [(k, u, by) for (k, u), by in rows.items()])

    def header(self) -> list[str]:
        return ["key", "unit", *self.periods]

    def table(self) -> list[list]:
        """The wide table: key, unit, then the value of each period (None where none)."""
        return [[key, unit, *(by[p].value if p in by else None for p in self.periods)]
                for key, unit, by in self.rows]

    def trace(self) -> list[Cell]:
        return [c for _, _, by in self.rows for p in self.periods if (c := by.get(p)) is not None]
