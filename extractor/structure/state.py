"""What the outline reader holds while it reads one document: its paragraphs, the open sections and
the headings found so far. Every part of the reader (numbering, titles, lines, run-ins) reads and
updates one :class:`BuildState`; :func:`sections.finish` turns it into the document's outline."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from operator import itemgetter

from ..model import SectionKind, Span


@dataclass(slots=True)
class Para:
    """A paragraph as the outline sees it: its span and its place on the page."""

    start: int
    end: int
    indent: int      # spaces before it on its line; -1 when it does not start a line
    alone: bool      # the paragraph is a whole line
    adjacent: bool   # on the line right after the previous paragraph (no blank line between)


@dataclass(slots=True)
class OpenSection:
    """An open section on the nesting stack."""

    key: str           # scheme name, "line" for a stand-alone line heading
    indent: int
    level: int
    last: int | None   # its last number
    found: int = -1    # its heading's index in BuildState.found


@dataclass(slots=True)
class Found:
    """A heading as found, before run-ins are confirmed and overlaps dropped."""

    start: int
    end: int
    level: int
    name: str
    scheme: str
    runin: bool = False
    number: int | None = None
    restart: bool = False                 # a list that starts again after a lead ("…如下：")
    kind_hint: SectionKind | None = None  # the section kind its lead gave the list


@dataclass(slots=True)
class RuninCandidate:
    """A run-in subhead that opens a paragraph: kept only when it has siblings or is confirmed."""

    found: Found
    group: tuple[str, int]   # its siblings: run-ins opening paragraphs of one section, or run-ins
                             # right after the numbered headings of one list
    confirmed: bool          # it opens a paragraph of parallel run-ins, or reads as a topic alone
    comma: bool = False      # in two parts joined by a comma: its siblings are in two parts too


@dataclass(frozen=True, slots=True)
class Lead:
    """The paragraph just read ends in a colon: it announces the list after it."""

    kind: SectionKind | None   # what its words say the list is, when they say it


_START = itemgetter(0)


@dataclass
class BuildState:
    stack: list[OpenSection] = field(default_factory=list)
    last_seen: dict[str, int] = field(default_factory=dict)   # scheme name -> last number met
    found: list[Found] = field(default_factory=list)
    runins: list[RuninCandidate] = field(default_factory=list)
    group: int = -1          # index in found of the innermost container heading
    containers: int = 0      # containers met in the current part
    lead: Lead | None = None
    survey: bool = False     # the part read is a questionnaire: no headings in it
    hints: dict[tuple[int, str], SectionKind | None] = field(default_factory=dict)  # list -> kind its lead gave
    sentences: list[Span] | None = None   # the text units' sentences of the document, when given

    def sentences_of(self, p: Para) -> list[Span] | None:
        """The sentences of paragraph p as the text units split it, None when they were not given."""
        if self.sentences is None:
            return None
        lo = bisect.bisect_left(self.sentences, p.start, key=_START)
        return self.sentences[lo:bisect.bisect_left(self.sentences, p.end, lo, key=_START)]

    def top_level(self) -> int:
        return self.stack[-1].level if self.stack else 0

    def reset(self) -> None:
        """A new part of the file (after a rule line, or under a title): nesting starts afresh."""
        self.stack.clear()
        self.last_seen.clear()
        self.hints.clear()
        self.containers = 0
        self.group = -1
        self.lead = None
        self.survey = False

    def close_hints(self, level: int, inclusive: bool) -> None:
        for key in [k for k in self.hints if k[0] > level or (inclusive and k[0] == level)]:
            del self.hints[key]
