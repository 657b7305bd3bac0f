"""The columns that make a folder of reports one dataset: each row's key and period.

Built once from the rules; :meth:`Columns.of` reads what one document needs (its years, the period
of each of its sections) and returns the reader of its rows.
"""
from __future__ import annotations

import bisect

from ..model import Analysis, DocKind, Outline
from ..rules import Rules
from .keys import CHANGE, KeyMaker
from .periods import PeriodReader, Years

# how far into its clause a time that frames it may stand ("刚刚过去的2017年，")
_CLAUSE_BREAKS = frozenset("，,。；;：:！？!?\n")
_FRAME_LEAD = 6


class Columns:
    def __init__(self, rules: Rules):
        self.keys = KeyMaker(rules)
        self.periods = PeriodReader(rules)

    def of(self, analysis: Analysis) -> "DocumentColumns":
        return DocumentColumns(self, analysis)


class DocumentColumns:
    """Key and period of one document's rows."""

    def __init__(self, columns: Columns, analysis: Analysis):
        self.keys = columns.keys
        self.reader = columns.periods
        self.analysis = analysis
        self.years = Years.of(analysis.document)
        self.section_periods = _section_periods(analysis.outline, self.years, self.reader,
                                                analysis.document.kind)
        self.time_ends = [t.end for t in analysis.times]
        self.paragraph_starts = [p.start for p in analysis.paragraphs]
        # the rows of one sentence share their section, paragraph and earlier times: the period and
        # the span of a place (with the row's own time) are read once, whether a time frames what
        # follows once per time
        self._periods: dict[tuple[int, int, int, str], tuple[str, str]] = {}
        self._frames: dict[int, bool] = {}

    def key(self, name: str, direction: str, start: int, end: int) -> str:
        # whether the figure is a level reached matters only to a row that states a change (most
        # state none): the figure's words are read only then
        reached = direction in CHANGE and self.keys.reached(self.analysis.text[start:end])
        return self.keys.key(name, direction, reached)

    def period(self, start: int, end: int, time: str) -> str:
        """The period of a row at view offsets [start, end) tied to the time expression ``time``:
        that time, else the times before it in its paragraph (nearest first: "刚刚过去的2017年，…。
        国内生产总值增长6.9%"), else its section's. A yearly average (年均增长7.8%) describes a span:
        the nearest span among the same candidates."""
        k = self.analysis.outline.heading_index_at(start)
        paragraph = bisect.bisect_right(self.paragraph_starts, start) - 1
        earlier = bisect.bisect_right(self.time_ends, start)   # the times that end before the row
        place = (k, paragraph, earlier, time)
        got = self._periods.get(place)
        if got is None:
            got = self._periods[place] = self._period_and_span(k, paragraph, earlier, time)
        period, span = got
        # most places name no span: the row's own words need reading only where one is named
        if span and self.keys.average(self.analysis.text, start, end):
            return span
        return period

    def _period_and_span(self, k: int, paragraph: int, earlier: int, time: str) -> tuple[str, str]:
        """The period of a place, and the nearest span among its candidates ("" when none)."""
        section = self.section_periods[k] if k >= 0 else self.years.default(self.analysis.outline.root.kind,
                                                                             self.analysis.document.kind)
        times = ([time] if time else []) + self._earlier_times(paragraph, earlier)
        return (self.reader.period(times, self.years, section),
                self.reader.span([*times, section], self.years, section))

    def _earlier_times(self, paragraph: int, earlier: int) -> list[str]:
        """The times among the first ``earlier`` that lie in the paragraph and frame a clause,
        nearest first."""
        paragraph_start = self.analysis.paragraphs[paragraph].start if paragraph >= 0 else 0
        times = self.analysis.times
        out = []
        j = earlier
        while j > 0 and times[j - 1].start >= paragraph_start:
            j -= 1
            frames = self._frames.get(j)
            if frames is None:
                # the paragraph around a time is the one that starts last at or before it: the
                # same whichever row of the paragraph asks
                t = times[j]
                frames = self._frames[j] = self._frames_a_clause(self.analysis.text, paragraph_start, t.start) \
                    and not self.keys.comparison_base(self.analysis.text[max(t.start - 4, 0):t.start])
            if frames:
                out.append(times[j].text)
        return out

    @staticmethod
    def _frames_a_clause(text: str, paragraph_start: int, start: int) -> bool:
        """A time earlier in the paragraph sets the time of what follows only when it opens its
        clause ("2012年，…", "刚刚过去的2017年，…"), not inside one ("…实施“十四五”规划的关键一年")."""
        lead_from = max(paragraph_start, start - _FRAME_LEAD - 1)
        return start - lead_from <= _FRAME_LEAD or any(c in _CLAUSE_BREAKS for c in text[lead_from:start])


def _section_periods(outline: Outline, years: Years, reader: PeriodReader, doc_kind: DocKind) -> list[str]:
    """Each section's period: what its heading's words name (2024年工作安排, 过去五年工作回顾), else its
    parent's when it is of the same kind, else what its kind says (a review: the year looked back on;
    a plan: the year ahead)."""
    out: list[str] = []
    open_: list[int] = []
    for k, (h, section) in enumerate(zip(outline.headings, outline.sections)):
        while open_ and outline.headings[open_[-1]].level >= h.level:
            open_.pop()
        parent_kind = outline.sections[open_[-1]].kind if open_ else outline.root.kind
        if open_ and section.kind == parent_kind and out[open_[-1]]:
            base = out[open_[-1]]
        else:
            base = years.default(section.kind, doc_kind)
        named = reader.read(h.name, years, base) if h.level > 0 else None
        out.append(named or base)
        open_.append(k)
    return out
