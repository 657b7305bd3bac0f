"""Tables and calendars: rows whose tasks are read by their cells and their time, not sentence by sentence.

- A row of a calendar opens with its time: a table row whose first cell (after a row number) is a
  month, a day or a week ("9月\t开学安全月\t…\t1．…；2．…"), or a line that opens with a date
  ("1月10日（周一），高一正常上课；…"), three or more such lines in a run, with the lines between
  them. Every item of its work — the last cell of a table row, every part of a line — is a task, and
  the row's time is its time.
- Any other row of a table in a plan is one task, or one per numbered item when a line holds several
  ("1\t项目\t内容\t1—1\t子项目\t措施\t寒假前\t…"): from its first cell of content to its last, without
  its number, its time and the people in charge who stand after the time
  ("年度重点工作\t学校年度重点工作清单\t全年\t党政办").
- The first row of a table that names its columns ("月份\t主题\t重点\t具体工作") is a header: no task.
  Which cells are numbers and times is read from the cells themselves (rules/task_tables.tsv): merged
  cells leave a row with fewer cells than its header.
"""
from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from ...cache import compile_regex
from ...model import Span, TimeKind
from ...rules import Rules, one_of
from ..prefilter import Openings
from .document import Document

ROLES = ("number", "time", "owner", "content", "number_cell", "time_cell", "date_line", "weekday")
_HEADER_ROLES = ("number", "time", "owner", "content")
_HEADER_CELL_MAX = 12          # the cells of a header row are short labels
_CALENDAR_MIN_LINES = 3        # date-led lines that make a calendar
_CALENDAR_GAP = 2              # lines without a date allowed between two of its lines
_CALENDAR_ITEM_MAX = 40        # the median length of a calendar's items: it lists short items, where a
                               # chronicle tells of each day in a long sentence ("1月9日上午，省委召开…")
_WEEKDAY_SHARE = 0.5           # lines of a calendar that name their weekday: a schedule wherever it stands
_TIME_SHARE = 0.6              # a cell this much covered by time expressions is a time
_CELL = compile_regex(r"[^\t]+")
# a row number the view glued to the first cell ("2—2年度重点工作"): no part of a name
_GLUED_NUMBER = compile_regex(r"^(?:\d{1,3}[—\-－]\d{1,3}|\d{1,3}(?![\d年月日号]))(?=\p{Han})")
_CALENDAR_TIMES = frozenset({TimeKind.DATE, TimeKind.MONTH, TimeKind.PERIOD, TimeKind.TIME})


@dataclass(frozen=True, slots=True)
class Row:
    start: int             # a table row: its first cell of content; a calendar: the line
    end: int               # a table row: the end of its last cell of content; a calendar: the line's end
    calendar: bool         # a row of a calendar: each item of its work is a task
    work: int              # a calendar table row: where its last cell, its list of work, starts
    time: str              # the row's time cell, or the date its line opens with
    name: str              # a table row: its first cell of content
    header: bool = False   # the header row of a table: no task


class RowFinder:
    """Finds the rows of tables and calendars; built once from rules/task_tables.tsv."""

    def __init__(self, rules: Rules):
        rows = rules.table("task_tables", ("pattern", "role"), required=("pattern", "role"),
                           convert={"pattern": rules.pattern(), "role": one_of(ROLES)})
        self.patterns = {role: [r["pattern"] for r in rows if r["role"] == role] for role in ROLES}
        # the date a calendar's line opens with is tried only at a character it may open with
        self.date_lines = [(p, Openings(p)) for p in self.patterns["date_line"]]

    def rows(self, doc: Document, counts: Callable[[int, bool], bool]) -> dict[int, list[Row]]:
        """The rows of the document by paragraph index (a line of a table may hold several items).
        ``counts(pos, anywhere)`` says whether a row that starts at ``pos`` is read as one: in a plan
        part always; elsewhere when ``anywhere``, for a calendar that shows it is one (a table whose
        rows open with their month or day, lines whose dates name their weekday)."""
        out: dict[int, list[Row]] = {}
        for first, last in _runs([bool(self._cells(doc, p)) for p in doc.paragraphs]):
            self._table(doc, first, last, out, counts)
        self._calendar_lines(doc, out, counts)
        return out

    # ---- tables

    def _cells(self, doc: Document, para: Span) -> list[Span]:
        """The non-blank cells of a table row; none for a line without two of them."""
        if doc.text.find("\t", para.start, para.end) < 0:
            return []                     # one cell at most: most lines are no table row
        cells = []
        for m in _CELL.finditer(doc.text, para.start, para.end):
            body = m.group()
            if body.strip():
                lead = len(body) - len(body.lstrip())
                cells.append(Span(m.start() + lead, m.start() + len(body.rstrip())))
        return cells if len(cells) >= 2 else []

    def _table(self, doc: Document, first: int, last: int, out: dict[int, list[Row]],
               counts: Callable[[int, bool], bool]) -> None:
        head = self._cells(doc, doc.paragraphs[first])
        if self._is_header(doc, head):
            if counts(head[0].start, False):
                out[first] = [Row(head[0].start, head[-1].end, False, head[0].start, "", "", header=True)]
            first += 1
        for p in range(first, last + 1):
            cells = self._cells(doc, doc.paragraphs[p])
            items = self._items(doc, cells, [self._role(doc, c) for c in cells])
            rows = [r for r in items if counts(r.start, r.calendar)]
            if rows:
                out[p] = rows

    def _is_header(self, doc: Document, cells: list[Span]) -> bool:
        """Does the row name the table's columns ("序号\t项目名称\t完成时间\t负责处室")?"""
        if self._is_time(doc, cells[0]):
            return False                  # a row that opens with its month or day is a calendar's
        named = 0
        for c in cells:
            body = doc.text[c.start:c.end]
            if len(body) > _HEADER_CELL_MAX:
                return False
            # other cells may be times: they name the years of a table of targets ("2024年目标")
            named += any(p.search(body) for role in _HEADER_ROLES for p in self.patterns[role])
        return named * 2 >= len(cells)

    def _role(self, doc: Document, cell: Span) -> str:
        """number, time or content: what a cell holds."""
        body = doc.text[cell.start:cell.end]
        if any(p.match(body) for p in self.patterns["number_cell"]):
            return "number"
        return "time" if self._is_time(doc, cell) else "content"

    def _is_time(self, doc: Document, cell: Span) -> bool:
        body = doc.text[cell.start:cell.end]
        if any(p.match(body) for p in self.patterns["time_cell"]):
            return True
        covered = sum(t.end - t.start for t in doc.times_in(cell.start, cell.end) if t.kind != TimeKind.DURATION)
        return covered >= _TIME_SHARE * len(body.strip())

    def _items(self, doc: Document, cells: list[Span], roles: list[str]) -> list[Row]:
        """The items of a table row: the row of a calendar when it opens with its time; else each run
        of content cells after a number ("1—1\t规范会议管理\t制定…"), up to a time cell, after which
        stand the people in charge."""
        lead = next((i for i, r in enumerate(roles) if r != "number"), None)
        if lead is None:
            return []
        if roles[lead] == "time":       # the row opens with its time: a row of a calendar
            content = [c for c, r in zip(cells, roles) if r == "content"]
            time = doc.text[cells[lead].start:cells[lead].end]
            return [Row(cells[lead].start, cells[-1].end, True, content[-1].start, time, "")] if content else []
        items: list[list[Span]] = [[]]      # the content cells of each item
        times: list[str] = [""]             # the time cell after each item
        reading = True                      # after a time cell stand the people in charge
        for c, r in zip(cells[lead:], roles[lead:]):
            if r == "number":
                items.append([])
                times.append("")
                reading = True
            elif r == "time":
                times = [t or doc.text[c.start:c.end] for t in times]
                reading = False
            elif reading:
                items[-1].append(c)
        return [Row(cs[0].start, cs[-1].end, False, cs[0].start, t, _name(doc, cs[0]))
                for cs, t in zip(items, times) if cs]

    # ---- calendars written as lines

    def _calendar_lines(self, doc: Document, out: dict[int, list[Row]], counts: Callable[[int, bool], bool]) -> None:
        """Runs of lines that open with a date: the lines of a calendar, with the lines between them."""
        dated: list[tuple[int, str, bool]] = []      # line, its date, whether it names its weekday
        for k, para in enumerate(doc.paragraphs):
            if k not in out:
                lead = self._date_led(doc, para)
                if lead is not None:
                    dated.append((k, *lead))
        groups: list[list[tuple[int, str, bool]]] = []
        for line in dated:
            if groups and line[0] - groups[-1][-1][0] <= _CALENDAR_GAP + 1:
                groups[-1].append(line)
            else:
                groups.append([line])
        for group in groups:
            if len(group) < _CALENDAR_MIN_LINES or not self._short_items(doc, group[0][0], group[-1][0]):
                continue
            times = {k: time for k, time, _ in group}
            anywhere = sum(1 for *_, weekday in group if weekday) >= _WEEKDAY_SHARE * len(group)
            time = ""
            for k in range(group[0][0], group[-1][0] + 1):
                para = doc.paragraphs[k]
                time = times.get(k, time)
                if k not in out and doc.text[para.start:para.end].strip() and counts(para.start, anywhere):
                    out[k] = [Row(para.start, para.end, True, para.start, time, "")]

    def _short_items(self, doc: Document, first: int, last: int) -> bool:
        """Do the lines [first, last] list short items (a calendar), not tell a story (a chronicle)?"""
        lengths = [u.end - u.start for u in doc.units if first <= u.para <= last]
        return bool(lengths) and statistics.median(lengths) <= _CALENDAR_ITEM_MAX

    def _date_led(self, doc: Document, para: Span) -> tuple[str, bool] | None:
        """The date a line opens with and whether it names its weekday ("1月10日（周一），…"), or None."""
        first = doc.text[para.start] if para.start < para.end else None
        for p, opens in self.date_lines:
            m = p.match(doc.text, para.start, para.end) if first is None or opens.may_open(first) else None
            if m:
                times = [t for t in doc.times_in(para.start, m.end()) if t.kind in _CALENDAR_TIMES]
                weekday = any(w.search(m.group()) for w in self.patterns["weekday"])
                return (times[0].text if times else m.group().strip()), weekday
        return None


def _name(doc: Document, cell: Span) -> str:
    """A table row's name: its first cell of content, without a row number the view glued to it."""
    return _GLUED_NUMBER.sub("", doc.text[cell.start:cell.end])


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """Index ranges [first, last] of consecutive true flags."""
    out: list[tuple[int, int]] = []
    start = None
    for i, f in enumerate(flags + [False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out.append((start, i - 1))
            start = None
    return out
