"""The typed records the stages hand each other, from the matching view to the table's row.

Every stage takes and returns these types. Offsets are half-open ``[start, end)``; a record found by
a matcher holds *view* offsets (see :class:`TextView`), and only :class:`Fact` holds offsets into
the document as decoded. The closed sets of values are enums whose members are also plain strings,
so a ``Fact`` prints, compares and serialises as the SPEC's words.
"""
from __future__ import annotations

import bisect
from array import array
import inspect
from collections.abc import Callable
from dataclasses import MISSING, astuple, dataclass, field, fields
from enum import Enum
from typing import TYPE_CHECKING, Iterable, NamedTuple

if TYPE_CHECKING:
    import pandas as pd


class Word(str, Enum):
    """An enum whose members are the words themselves: ``FactType.TASK == "task"``."""

    def __str__(self) -> str:
        return self.value


class FactType(Word):
    HEADING = "heading"
    INDICATOR = "indicator"
    TASK = "task"


class SectionKind(Word):
    REVIEW = "review"     # work done: 工作回顾, 主要工作, 成绩
    PROBLEM = "problem"   # shortcomings: 存在问题, 不足
    PLAN = "plan"         # work ahead: 工作打算, 下一步, 任务
    OTHER = "other"


class Qualifier(Word):
    EXACT = "exact"
    OVER = "over"         # 多 余 以上 超过 逾
    UNDER = "under"       # 近 不到 以下 不足
    ABOUT = "about"       # 约 左右 上下
    RANGE = "range"       # 5至10个


class Direction(Word):
    UP = "up"
    DOWN = "down"
    NONE = ""


class DocKind(Word):
    """What a document is, read from its title and first lines (rules/document_kinds.tsv)."""

    GOVERNMENT_REPORT = "government_report"   # 政府工作报告: reviews the year before it is given
    CONGRESS_REPORT = "congress_report"       # a report to a party or staff congress
    DUTY_REPORT = "duty_report"               # 述职报告, a personal year-end summary
    PLAN = "plan"                             # 工作计划, 工作要点, 实施方案, 行事历 …
    SUMMARY = "summary"                       # 工作总结, an office's or a branch's 工作报告
    COMMUNIQUE = "communique"                 # 公报
    OTHER = "other"


class QuantityKind(Word):
    """What a quantity measures, from its unit (see match/quantities.py)."""

    COUNT = "count"
    MONEY = "money"
    MEASURE = "measure"
    PERCENT = "percent"
    MULTIPLE = "multiple"
    DURATION = "duration"
    FRACTION = "fraction"
    BARE = "bare"


class TimeKind(Word):
    """Kinds of time expression, most specific first: where a chain holds several atoms, the
    first kind listed wins."""

    TIME = "time"
    DATE = "date"
    MONTH = "month"
    PERIOD = "period"
    YEAR = "year"
    RELATIVE = "relative"
    DURATION = "duration"


FACT_TYPES: tuple[str, ...] = tuple(t.value for t in FactType)
SECTION_KINDS: tuple[str, ...] = tuple(k.value for k in SectionKind)
QUALIFIERS: tuple[str, ...] = tuple(q.value for q in Qualifier)
DIRECTIONS: tuple[str, ...] = tuple(d.value for d in Direction)


# ---- text ----------------------------------------------------------------------------------------

class Span(NamedTuple):
    """A stretch of the view: a paragraph, a sentence, a clause (a plain tuple: a document makes
    tens of thousands)."""

    start: int
    end: int


class OffsetMap:
    """View offset -> decoded offset, held as runs of consecutive offsets (one per edit of the view,
    not one entry per character: a long document's map stays small). Reads as a sequence of ints:
    ``len()``, ``map[i]`` and iteration."""

    __slots__ = ("_view_starts", "_decoded_starts", "_length")

    def __init__(self, view_starts: array, decoded_starts: array, length: int):
        self._view_starts, self._decoded_starts, self._length = view_starts, decoded_starts, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i: int) -> int:
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError("view offset out of range")
        k = bisect.bisect_right(self._view_starts, i) - 1
        return self._decoded_starts[k] + i - self._view_starts[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """``(self[start], self[end - 1] + 1)``: a non-empty view span [start, end) in the decoded
        text, read in one call (every row of the table asks for one)."""
        if not 0 <= start < end <= self._length:
            return self[start], self[end - 1] + 1
        view_starts, decoded_starts = self._view_starts, self._decoded_starts
        k = bisect.bisect_right(view_starts, start) - 1
        j = k if end - 1 < (view_starts[k + 1] if k + 1 < len(view_starts) else self._length) \
            else bisect.bisect_right(view_starts, end - 1, k) - 1   # the same run most often
        return decoded_starts[k] + start - view_starts[k], decoded_starts[j] + end - view_starts[j]

    def shift(self) -> int | None:
        """``self[i] - i``, the same for every offset when the map is one run (a view that
        changed no character's place, or only cut the text before it), else None."""
        return self._decoded_starts[0] - self._view_starts[0] if len(self._view_starts) == 1 else None

    def __iter__(self):
        ends = [*self._view_starts[1:], self._length]
        for view, decoded, end in zip(self._view_starts, self._decoded_starts, ends):
            yield from range(decoded, decoded + end - view)

    def __reduce__(self):
        return OffsetMap, (self._view_starts, self._decoded_starts, self._length)


@dataclass(frozen=True, slots=True)
class TextView:
    """What matchers read, and the way back to the document as decoded.

    ``text`` is the document with full-width forms read as ASCII, PDF noise removed and lost
    paragraph breaks restored; ``origin[i]`` is the decoded-text offset of ``text[i]``.
    """

    original: str                 # the document as decoded (universal newlines)
    text: str                     # the matching view
    origin: OffsetMap             # view offset -> decoded offset

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span [start, end) to the decoded text; the span keeps any noise inside it."""
        if end <= start:
            o = self.origin[start] if start < len(self.origin) else len(self.original)
            return o, o
        return self.origin.span(start, end)


# ---- matches -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TimeSpan:
    """A time expression: ``view[start:end] == text``."""

    start: int
    end: int
    text: str
    kind: TimeKind


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity. ``view[start:end]`` is the whole phrase ("近30万人次", "92%以上");
    ``view[num_start:num_end]`` its number part ("30万", "3至5")."""

    start: int
    end: int
    num_start: int
    num_end: int
    value: float                  # in plain units, scale words and the unit's factor applied
    value_max: float | None       # the upper end of a range
    unit: str                     # normalised: 万元 -> 元, 个百分点 -> 百分点
    unit_text: str                # the unit as written
    qualifier: Qualifier
    kind: QuantityKind


# ---- structure -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Heading:
    start: int
    end: int
    level: int                    # 0 title, 1 top sections, 2 their subsections, 3 and deeper
    name: str                     # the title without numbering and closing punctuation
    scheme: str                   # the numbering scheme's sample marker ("一、"), or how it was found
                                  # when unnumbered: title, line, runin, dash, lead
    runin: bool                   # a run-in subhead in the middle of a paragraph


UNNUMBERED_SCHEMES = frozenset({"runin", "line", "title", "dash", "lead"})


@dataclass(frozen=True, slots=True)
class Section:
    heading: Heading | None       # None for the text before the first heading
    path: str                     # titles from the top down, joined by " > "
    kind: SectionKind
    start: int
    end: int


@dataclass(frozen=True)
class Outline:
    """Headings in reading order, the sections they open, and the numbers they carry."""

    headings: tuple[Heading, ...]
    sections: tuple[Section, ...]          # sections[k] is the one headings[k] opens
    root: Section                          # the text before the first heading
    numbers: tuple[int | None, ...]        # each heading's number in its scheme, None when unnumbered
    restarts: frozenset[int] = frozenset() # headings that start a list again after a lead ("…如下：")
    document_kind: DocKind = DocKind.OTHER # what the document is; its section kinds were read as such
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._starts[:] = [h.start for h in self.headings]

    def section_at(self, pos: int) -> Section:
        """The innermost section holding view offset ``pos`` (the root before the first heading)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        return self.sections[i] if i >= 0 else self.root

    def heading_index_at(self, pos: int) -> int:
        """Index of the last heading starting at or before ``pos``; -1 before the first."""
        return bisect.bisect_right(self._starts, pos) - 1


# ---- extractions ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Task:
    start: int                    # view span: the clause or sentence, without its closing 。 or ；
    end: int
    name: str                     # short title: the run-in subhead, else the leading verb-object phrase
    time: str                     # the time expression the task is tied to, as written, or ""


@dataclass(frozen=True, slots=True)
class Indicator:
    start: int                    # view span of the clause part holding the subject and the figure
    end: int
    name: str
    value: float
    value_max: float | None
    unit: str
    qualifier: Qualifier
    direction: Direction
    time: str
    parent: int | None            # index (among the document's indicators) of the total it is part of
    task: int | None = None       # index of the planned task the figure sits in


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a document says about itself: its title, its kind and the year it was given."""

    title: str
    issuer: str                   # who gives it: the place or body its title or date line names
                                  # (青溪县, 柳河镇, CnPack开发组, 全国), or ""
    kind: DocKind
    year: int | None              # the year the document was given (or, for a summary or a plan,
                                  # the year it is about), None when nothing tells
    year_source: str              # how the year was found: dateline, title, heading, name, or ""


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """One input as a record of the dataset: the `documents` sheet, table and file (SPEC §4)."""

    doc: str                      # as in the facts' doc column
    path: str                     # where it was read from ("-" for stdin)
    title: str
    issuer: str                   # who gives it (see DocumentInfo): the tracker pairs its own reports only
    kind: DocKind
    year: int | None              # the year it was given (see DocumentInfo)
    characters: int               # of the text as decoded
    sha256: str                   # of the input's bytes
    headings: int = 0             # facts per type
    indicators: int = 0
    tasks: int = 0


DOCUMENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(DocumentRecord))


# ---- one document, analysed ----------------------------------------------------------------------

@dataclass(frozen=True)
class Analysis:
    """Everything the matchers read about one document, each part computed once, in this order."""

    view: TextView
    paragraphs: list[Span]        # one per line of the view, split where a heading follows a sentence
    sentences: list[Span]         # in reading order; none crosses a paragraph's or a heading's end
    outline: Outline
    document: DocumentInfo        # its title, kind and year
    times: list[TimeSpan]         # in reading order, without overlaps
    quantities: list[Quantity]    # in reading order

    @property
    def text(self) -> str:
        """The matching view: what every matcher reads."""
        return self.view.text


# ---- the row -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Fact:
    """One row of the table (SPEC §2); the field order is the column order."""

    doc: str                      # the input's path relative to the folder given
    type: FactType
    id: str                       # h1, i1, t1 …: per document and type, in reading order
    section: str                  # outline path of the enclosing section
    section_kind: SectionKind
    level: int | None = None      # headings only
    name: str = ""
    key: str = ""                 # indicators: what the figure is, comparable across reports
    value: float | None = None    # indicators only
    value_max: float | None = None
    unit: str = ""
    qualifier: str = ""           # a Qualifier for indicators, "" otherwise
    direction: str = ""           # a Direction for indicators, "" otherwise
    time: str = ""
    period: str = ""              # the period the row describes: 2023, 2019–2023, 2023H1, 2023Q1, or ""
    parent: str = ""              # id of the total (part of a total) or of the task (a target in a task)
    text: str = ""                # document[start:end]
    start: int = 0
    end: int = 0
    line: int = 0                 # 1-based line of start
    sentence: str = ""            # the sentence around the fact, whitespace collapsed

    def as_dict(self) -> dict:
        return dict(zip(COLUMNS, astuple(self)))


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Fact))


class _OpenFact:
    """A :class:`Fact` made several times faster than its own ``__init__`` makes it: a frozen
    dataclass writes each of its fields through ``object.__setattr__``, and a document's rows are
    made by the ten thousand. This class has the slots of Fact, writable: its ``__init__`` fills
    them as plain attributes, then the object becomes the Fact it holds (the two classes lay out
    their objects alike). Call it as Fact is called; what it returns is a Fact, equal to
    ``Fact(...)`` with the same arguments."""

    __slots__ = Fact.__slots__

    def __init__(self, doc: str, type: FactType, id: str, section: str, section_kind: SectionKind,
                 level: int | None = None, name: str = "", key: str = "", value: float | None = None,
                 value_max: float | None = None, unit: str = "", qualifier: str = "", direction: str = "",
                 time: str = "", period: str = "", parent: str = "", text: str = "", start: int = 0,
                 end: int = 0, line: int = 0, sentence: str = ""):
        self.doc = doc
        self.type = type
        self.id = id
        self.section = section
        self.section_kind = section_kind
        self.level = level
        self.name = name
        self.key = key
        self.value = value
        self.value_max = value_max
        self.unit = unit
        self.qualifier = qualifier
        self.direction = direction
        self.time = time
        self.period = period
        self.parent = parent
        self.text = text
        self.start = start
        self.end = end
        self.line = line
        self.sentence = sentence
        self.__class__ = Fact


def _same_fields(maker: type, fact: type) -> bool:
    """Does ``maker`` take the fields of ``fact`` (a record), in order and with their defaults?"""
    params = list(inspect.signature(maker.__init__).parameters.values())[1:]
    return [(p.name, p.default) for p in params] == [
        (f.name, f.default if f.default is not MISSING else inspect.Parameter.empty) for f in fields(fact)]


def _maker(open_class: type, record: type) -> Callable:
    """``open_class`` as the maker of ``record``, once it is checked to take the record's fields: a
    field added to the record must be added to it too."""
    if not _same_fields(open_class, record):
        raise TypeError(f"{open_class.__name__}.__init__ does not take the fields of {record.__name__}")
    return open_class


make_fact: Callable[..., Fact] = _maker(_OpenFact, Fact)


class _OpenIndicator:
    """An :class:`Indicator` made as :class:`_OpenFact` makes a Fact (the indicator stage makes one
    per figure): call it as Indicator is called; what it returns is an Indicator, equal to
    ``Indicator(...)`` with the same arguments."""

    __slots__ = Indicator.__slots__

    def __init__(self, start: int, end: int, name: str, value: float, value_max: float | None, unit: str,
                 qualifier: Qualifier, direction: Direction, time: str, parent: int | None,
                 task: int | None = None):
        self.start = start
        self.end = end
        self.name = name
        self.value = value
        self.value_max = value_max
        self.unit = unit
        self.qualifier = qualifier
        self.direction = direction
        self.time = time
        self.parent = parent
        self.task = task
        self.__class__ = Indicator


make_indicator: Callable[..., Indicator] = _maker(_OpenIndicator, Indicator)

# pandas dtypes per column: nullable integers and floats so empty cells stay empty, not NaN/0.
DTYPES = {
    "level": "Int64",
    "value": "Float64",
    "value_max": "Float64",
    "start": "int64",
    "end": "int64",
    "line": "int64",
}


def to_frame(facts: Iterable[Fact]) -> "pd.DataFrame":
    """The tidy table: exactly the SPEC's columns in the SPEC's order, one row per fact."""
    import pandas as pd  # imported here: the CLI writes text formats without it, and starts faster

    rows = [astuple(f) for f in facts]
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    for col, dtype in DTYPES.items():
        frame[col] = frame[col].astype(dtype)
    str_cols = [c for c in COLUMNS if c not in DTYPES]
    frame[str_cols] = frame[str_cols].astype(object)
    return frame


def plain_number(x: float | None) -> int | float | None:
    """2853.0 -> 2853, 5.5 -> 5.5: integral values print without a trailing .0 in every format."""
    if x is None:
        return None
    if float(x).is_integer() and abs(x) < 2**53:
        return int(x)
    return float(x)
