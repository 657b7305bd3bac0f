"""Rows: the facts of one document as the table's rows, ids in reading order, offsets into the
document as decoded. They are made one at a time (:func:`each_fact`), so that a caller that writes
them as they come never holds a long document's facts all at once."""
from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator


from .across.columns import DocumentColumns
from .model import Analysis, Fact, FactType, Heading, Indicator, Span, Task, TextView, make_fact

_PREFIX = {FactType.HEADING: "h", FactType.INDICATOR: "i", FactType.TASK: "t"}
# at one offset a heading comes first, then an indicator, then the task around it
_ORDER = {FactType.HEADING: 0, FactType.INDICATOR: 1, FactType.TASK: 2}


class _Locator:
    """Maps view spans to the decoded text: offsets, line numbers, the sentence around a span."""

    def __init__(self, view: TextView, sentences: list[Span]):
        self.view = view
        self.original = view.original
        self._span = view.origin.span   # what view.to_original reads a non-empty span with
        # most views move no character: a span is then the view's own, shifted
        self._shift, self._length = view.origin.shift(), len(view.origin)
        self.sentence_starts = [s.start for s in sentences]
        self.sentence_ends = [s.end for s in sentences]
        # a sentence's text is made once however many facts it holds (one string shared by their rows);
        # facts come in reading order, so only the texts of the sentence they are in are kept
        self._sentence_texts: dict[tuple[int, int], str] = {}
        self._sentence = -1
        # the line of the last span located, counted on from there: spans come in reading order
        self._line_at, self._line = 0, 1

    def locate(self, start: int, end: int) -> tuple[int, int, int]:
        if self._shift is not None and 0 <= start < end <= self._length:
            s, e = start + self._shift, end + self._shift
        else:
            s, e = self._span(start, end) if start < end else self.view.to_original(start, end)
        if s < self._line_at:   # not in reading order: count from the top
            self._line_at, self._line = 0, 1
        self._line += self.original.count("\n", self._line_at, s)
        self._line_at = s
        return s, e, self._line

    def sentence_of(self, start: int, end: int) -> str:
        i = bisect.bisect_right(self.sentence_starts, start) - 1
        if i != self._sentence:   # past the sentence of the facts before: its texts are not needed again
            self._sentence_texts.clear()
            self._sentence = i
        if i >= 0 and start < self.sentence_ends[i]:   # bisect already puts the start at or before
            place = (self.sentence_starts[i], max(self.sentence_ends[i], end))
        else:
            place = (start, end)
        text = self._sentence_texts.get(place)
        if text is None:
            os_, oe = self.view.to_original(*place)
            text = self._sentence_texts[place] = " ".join(self.original[os_:oe].split())
        return text


def assemble(doc: str, analysis: Analysis, tasks: list[Task], indicators: list[Indicator],
             columns: DocumentColumns) -> list[Fact]:
    """All facts of one document in reading order, ids assigned per type."""
    return list(each_fact(doc, analysis, tasks, indicators, columns))


def each_fact(doc: str, analysis: Analysis, tasks: list[Task], indicators: list[Indicator],
              columns: DocumentColumns) -> Iterator[Fact]:
    """The facts of :func:`assemble`, one at a time: the ids are all assigned first (an indicator's
    parent may come later), then each fact is made as it is asked for."""
    view, outline = analysis.view, analysis.outline
    by_type = ((FactType.HEADING, outline.headings), (FactType.TASK, tasks), (FactType.INDICATOR, indicators))
    items: list[tuple[int, int, int, FactType, Heading | Task | Indicator]] = []
    for fact_type, found in by_type:
        items += [(x.start, _ORDER[fact_type], i, fact_type, x) for i, x in enumerate(found)]
    items.sort()   # (start, order, index) is unique: the facts themselves are never compared
    # each fact's number among those of its type, by its index in its own list: a compact array
    # rather than the id strings of the whole document, which would wait for all its facts to be made
    numbers = {t: array("l", bytes(len(found) * array("l").itemsize)) for t, found in by_type}
    counters = dict.fromkeys(_PREFIX, 0)
    for _, _, i, fact_type, _ in items:
        counters[fact_type] += 1
        numbers[fact_type][i] = counters[fact_type]
    where = _Locator(view, analysis.sentences)
    original, section_at = view.original, outline.section_at
    for _, _, i, fact_type, x in items:
        start, end, line = where.locate(x.start, x.end)
        section = section_at(x.start)   # a heading's section is the one it opens
        fact_id = f"{_PREFIX[fact_type]}{numbers[fact_type][i]}"
        text = original[start:end]
        if fact_type is FactType.HEADING:
            yield make_fact(doc, fact_type, fact_id, section.path, section.kind, level=x.level, name=x.name,
                            text=text, start=start, end=end, line=line, sentence=" ".join(text.split()))
        # tasks and indicators, the many rows, are made with their fields in the order of the
        # columns: binding twenty keywords costs more than the rest of a row
        elif fact_type is FactType.TASK:
            yield make_fact(doc, fact_type, fact_id, section.path, section.kind,
                            None, x.name, "", None, None, "", "", "",   # level … direction: none
                            x.time, columns.period(x.start, x.end, x.time), "",   # time, period, parent
                            text, start, end, line, where.sentence_of(x.start, x.end))
        else:
            yield make_fact(doc, fact_type, fact_id, section.path, section.kind,
                            None, x.name, columns.key(x.name, x.direction, x.start, x.end),   # level, name, key
                            x.value, x.value_max, x.unit, x.qualifier, x.direction, x.time,
                            columns.period(x.start, x.end, x.time), _parent_id(x, numbers),   # period, parent
                            text, start, end, line, where.sentence_of(x.start, x.end))


def _parent_id(x: Indicator, numbers: dict[FactType, array]) -> str:
    if x.parent is not None:
        return f"{_PREFIX[FactType.INDICATOR]}{numbers[FactType.INDICATOR][x.parent]}"
    if x.task is not None:
        return f"{_PREFIX[FactType.TASK]}{numbers[FactType.TASK][x.task]}"
    return ""
