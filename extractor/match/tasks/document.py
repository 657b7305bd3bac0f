"""One document as the task stage reads it: the analysis, its task units, and look-ups by offset;
and the task unit, the record the stage reads a document in."""
from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from ...model import Analysis, Heading, Outline, Section, SectionKind, Span, TimeSpan


class Unit(NamedTuple):
    """A task unit (a document makes tens of thousands: a tuple is made at a third of the cost of
    a frozen dataclass, whose init sets each field through object.__setattr__)."""
    start: int
    end: int
    para: int                 # index of the paragraph
    first: bool               # the unit opens its paragraph
    heading: Heading | None   # the outline heading this unit is
    rhetorical: bool          # its sentence closes with ！ or ？: an exclamation, a question
    colon: bool               # it ends at a colon
    section: int              # index of the last heading that starts at or before it, whose section
                              # holds it (Outline.section_at); -1 before the first heading


@dataclass(frozen=True)
class Document:
    analysis: Analysis
    text: str                     # the matching view
    outline: Outline
    headings: Sequence[Heading]   # the outline's, in reading order
    paragraphs: list[Span]
    heading_starts: list[int]     # of the headings
    time_starts: list[int]        # of analysis.times, which are in reading order, without overlaps
    units: list[Unit] = field(default_factory=list)   # the task units (units.py), in reading order
    titles: list[str] = field(default_factory=list)   # of the headings: Lexicon.clean_title of their text

    @classmethod
    def of(cls, analysis: Analysis) -> Document:
        """The document's look-ups; its units and titles are added with ``with_units``."""
        outline = analysis.outline
        return cls(analysis, analysis.text, outline, outline.headings, analysis.paragraphs,
                   [h.start for h in outline.headings], [t.start for t in analysis.times])

    def with_units(self, units: list[Unit], titles: list[str]) -> Document:
        return replace(self, units=units, titles=titles)

    def kind_at(self, pos: int) -> SectionKind:
        """The kind of the innermost section holding ``pos``."""
        return self.outline.section_at(pos).kind

    def section_of(self, unit: Unit) -> Section:
        """The innermost section holding the unit (``kind_at(unit.start)``'s, not searched for)."""
        return self.outline.sections[unit.section] if unit.section >= 0 else self.outline.root

    def heading_from(self, pos: int) -> int:
        """Index of the first heading that starts at or after ``pos``; len(headings) after the last."""
        return bisect.bisect_left(self.heading_starts, pos)

    def times_in(self, start: int, end: int) -> Iterator[TimeSpan]:
        """The time expressions inside [start, end), in reading order."""
        times = self.analysis.times
        j = bisect.bisect_left(self.time_starts, start)
        while j < len(times) and times[j].start < end:
            if times[j].end <= end:
                yield times[j]
            j += 1
