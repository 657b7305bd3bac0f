"""A folder of reports as one dataset: its documents, its pivot and its promises, as tables.

The rows come from a run (each document's facts and record) or from a store; either way they are
plain dicts in the table's columns, so the same code serves both.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..io.tables import Table
from ..model import DOCUMENT_COLUMNS, DocKind, DocumentRecord, Fact
from ..rules import Rules
from .keys import KeyMaker
from .periods import LOOKS_BACK
from .pivot import Pivot, cells
from .promises import COLUMNS as PROMISE_COLUMNS, Judge, track

_TRACE = ("key", "unit", "period", "value", "value_max", "qualifier", "doc", "section", "text", "start", "end",
          "sentence")
_NUMERIC_TRACE = frozenset({"value", "value_max", "start", "end"})
_CHART_MIN_PERIODS = 3    # an indicator gets a line in the charts when it has values for this many periods
_CHARTS_MAX = 60
_STATUS_COLOURS = {"met": "#C6EFCE", "missed": "#FFC7CE", "unclear": "#FFEB9C", "no outcome": "#E7E6E6"}


def review_period(record: Mapping) -> str:
    """The period a document's review describes: the year before it for a government report, its
    own year for a summary."""
    year = record.get("year")
    if year in (None, ""):
        return ""
    return str(int(year) - 1 if record.get("kind") in {str(k) for k in LOOKS_BACK} | {str(DocKind.PLAN)}
               else int(year))


@dataclass
class Dataset:
    facts: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)

    def add(self, record: DocumentRecord | Mapping | None, facts: Iterable[Fact | Mapping]) -> None:
        if record is not None:
            self.documents.append(record if isinstance(record, Mapping)
                                  else {c: getattr(record, c) for c in DOCUMENT_COLUMNS})
        self.facts.extend(f if isinstance(f, Mapping) else f.as_dict() for f in facts)

    def issuers(self) -> dict[str, str]:
        return {d["doc"]: d.get("issuer") or "" for d in self.documents}

    def review_years(self) -> dict[str, str]:
        return {d["doc"]: review_period(d) for d in self.documents}

    def documents_table(self) -> Table:
        return Table("documents", DOCUMENT_COLUMNS, list(self.documents),
                     frozenset({"year", "characters", "headings", "indicators", "tasks"}),
                     {"doc": 40, "path": 40, "title": 40, "kind": 16, "sha256": 20})

    def pivot_tables(self) -> tuple[Table, Table]:
        """The wide pivot (key, unit, one column per period) and the trace of every cell."""
        chosen = cells(self.facts, self.review_years(), self.issuers())
        pivot = Pivot.of(chosen)
        rows = [dict(zip(pivot.header(), row)) for row in pivot.table()]
        wide = Table("pivot", pivot.header(), rows, frozenset(pivot.periods), {"key": 34, "unit": 8},
                     decorate=_line_charts)
        trace = Table("trace", _TRACE, [{c: getattr(cell, c) for c in _TRACE} for cell in pivot.trace()],
                      _NUMERIC_TRACE, {"key": 34, "doc": 34, "section": 30, "text": 40, "sentence": 60})
        return wide, trace

    def promises_table(self, rules: Rules) -> Table:
        judge = Judge(rules, KeyMaker(rules))
        rows = track(self.facts, self.review_years(), judge, self.issuers())
        numeric = frozenset(c for c in PROMISE_COLUMNS if c.endswith(("_value", "_max", "_start", "_end")))
        return Table("promises", PROMISE_COLUMNS, rows, numeric,
                     {"key": 30, "target_text": 36, "outcome_text": 36, "target_doc": 28, "outcome_doc": 28,
                      "note": 30}, decorate=_status_colours)


def _line_charts(book, sheet, table: Table) -> None:
    """A native line chart per indicator that has values for at least three periods, on a sheet of
    its own, each drawn from the pivot sheet's row."""
    periods = [c for c in table.columns if c not in ("key", "unit")]
    charted = [(r, row) for r, row in enumerate(table.rows, 1)
               if sum(row.get(p) is not None for p in periods) >= _CHART_MIN_PERIODS][:_CHARTS_MAX]
    if not charted:
        return
    charts = book.add_worksheet("charts")
    last = len(table.columns) - 1
    for n, (r, row) in enumerate(charted):
        chart = book.add_chart({"type": "line"})
        chart.add_series({"name": f"{row['key']} ({row['unit'] or '—'})",
                          "categories": [table.name, 0, 2, 0, last], "values": [table.name, r, 2, r, last],
                          "marker": {"type": "circle"}})
        chart.set_title({"name": f"{row['key']} ({row['unit'] or '—'})", "name_font": {"size": 11}})
        chart.set_legend({"none": True})
        chart.show_blanks_as("span")
        chart.set_size({"width": 480, "height": 260})
        charts.insert_chart(1 + (n // 2) * 14, 1 + (n % 2) * 8, chart)


def _status_colours(book, sheet, table: Table) -> None:
    col = list(table.columns).index("status")
    for status, colour in _STATUS_COLOURS.items():
        sheet.conditional_format(1, col, max(len(table.rows), 1), col,
                                 {"type": "cell", "criteria": "==", "value": f'"{status}"',
                                  "format": book.add_format({"bg_color": colour})})
