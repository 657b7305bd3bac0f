"""The name and the time of a task.

The name is the run-in subhead the task is or elaborates, else its leading verb-object phrase; the
time is the first usable time expression in the task, else the one in the heading of its plan section.
"""
from __future__ import annotations

from ...cache import compile_regex
from ...model import Span, TimeKind, TimeSpan
from ...rules import Rules
from ...structure.textunits import TextUnits
from .document import Document, Unit
from .heads import Heads, has_han
from .lexicon import TRAILING, Lexicon

_CLAUSE_MARK = compile_regex(r"[，,；;：:]")
# after the time an item of a calendar opens with: its weekday in brackets, 前, punctuation
_AFTER_ITEM_TIME = compile_regex(r"(?:[\s，,：:、~～—\-]|[上下中]午|早上|晚上|[（(][^）)]{0,12}[）)]|[前起后](?=[，,]))*")
_ITEM_TIMES = frozenset({TimeKind.DATE, TimeKind.MONTH, TimeKind.PERIOD})
_LEAD_MAX = 20                     # a run-in subhead is at most this long (GUIDELINE)
_HEADING_NAME_MAX = 24             # a longer subhead is a sentence, not a title
_NAME_MIN, _NAME_MAX = 6, 16       # characters of a verb-object name


class Naming:
    """Names tasks and ties them to a time; built once."""

    def __init__(self, rules: Rules, lexicon: Lexicon, heads: Heads, units: TextUnits):
        self.lexicon = lexicon
        self.heads = heads
        self.units = units
        self.quote_open = rules.chars("QuoteOpen")
        self.quote_close = rules.chars("QuoteClose")

    def is_lead(self, text: str, unit: Unit) -> bool:
        """A paragraph's first sentence that is short, of one clause and an action: a run-in subhead."""
        if unit.end - unit.start > _LEAD_MAX or not text.startswith("。", unit.end):
            return False                  # the tests that need no regex first: most units fail them
        body = text[unit.start:unit.end]
        return not _CLAUSE_MARK.search(body) and self.heads.head(body) is not None

    def is_inner_lead(self, doc: Document, n: int) -> bool:
        """A run-in subhead inside a paragraph: a lead followed, in its paragraph, by a unit of clauses."""
        unit, units = doc.units[n], doc.units
        return (unit.heading is None and self.is_lead(doc.text, unit) and n + 1 < len(units)
                and units[n + 1].para == unit.para
                and bool(_CLAUSE_MARK.search(doc.text, units[n + 1].start, units[n + 1].end)))

    def name(self, doc: Document, unit: Unit, task: Span, lead: Unit | None) -> str:
        """The subhead the task is or elaborates: its own heading, a run-in subhead earlier in its
        paragraph, the short sentence that opens the paragraph, a short subhead of its section; else
        the leading verb-object phrase."""
        text = doc.text
        if unit.heading is not None:
            title = self.lexicon.clean_title(text[unit.start:unit.end])
            m = self.lexicon.enumeration.match(title)      # "一是尽快熟悉…" is named "尽快熟悉…"
            title = title[m.end():] if m and m.end() < len(title) else title
            return title if len(title) <= _HEADING_NAME_MAX else self.verb_object(text[task.start:task.end])
        subhead = self._subhead(doc, unit)
        if subhead is not None and subhead[0] >= doc.paragraphs[unit.para].start:
            return subhead[1]
        if lead is not None:
            return text[lead.start:lead.end]
        if subhead is not None:
            return subhead[1]
        return self.verb_object(text[task.start:task.end])

    def _subhead(self, doc: Document, unit: Unit) -> tuple[int, str] | None:
        """Start and title of the short subhead of the unit's section that comes before it."""
        k = unit.section
        if k < 0:
            return None
        h = doc.headings[k]
        title = doc.titles[k]
        if (h.end <= unit.start and h.level >= 2 and doc.section_of(unit).start <= h.start
                and len(title) <= _HEADING_NAME_MAX
                and (h.runin or h.level >= 3 or self.heads.head(title) is not None)):
            return h.start, title
        return None

    def item_name(self, doc: Document, item: Span) -> str:
        """The name of an item of a calendar: what it says after the time it opens with."""
        pos = self._after_times(doc, item)
        return self.verb_object(doc.text[pos:item.end]) if pos < item.end else doc.text[item.start:item.end]

    def item_time(self, doc: Document, item: Span, row_time: str) -> str:
        """The day or month an item of a calendar opens with ("22日下午，…"), else its row's."""
        first = next(doc.times_in(item.start, item.end), None)
        if first is not None and first.kind in _ITEM_TIMES and not doc.text[item.start:first.start].strip():
            return first.text
        return row_time

    def _after_times(self, doc: Document, item: Span) -> int:
        """Where an item's text starts after the times, weekdays and commas it opens with."""
        pos = item.start
        for t in doc.times_in(item.start, item.end):
            if not _AFTER_ITEM_TIME.fullmatch(doc.text, pos, t.start):
                break
            pos = _AFTER_ITEM_TIME.match(doc.text, t.end, item.end).end()
        return pos

    def verb_object(self, body: str) -> str:
        """The leading verb-object phrase: from the head verb, a few words, not past a comma."""
        if not has_han(body):
            words = body.split()
            while len(words) > 1 and words[0].lower() in self.lexicon.en_lead:
                words = words[1:]
            return TRAILING.sub("", " ".join(words[:6]))
        parts = self.units.clauses(body, Span(0, len(body)))
        for use_marker in (False, True):
            for c in parts:
                piece = body[c.start:c.end]
                at = self.heads.head(piece, use_marker=use_marker)
                if at is not None:
                    head = piece[at:at + _NAME_MAX + 8]
                    return _phrase(head, [w for w, _ in self.heads.tokenizer.words(head)])
        piece = body[parts[0].start:parts[0].end] if parts else body
        return piece[:_NAME_MAX].strip()

    def time(self, doc: Document, unit: Unit, task: Span, inherited: list[str]) -> str:
        """The first usable time in the task, else the time in the heading of the nearest plan
        section above it, going up the outline (``inherited``, of each heading: PlanParts)."""
        for t in doc.times_in(task.start, task.end):
            if self.usable_time(doc.text, t, task.start):
                return t.text
        k = unit.section
        return inherited[k] if k >= 0 else ""

    def usable_time(self, text: str, t: TimeSpan, start: int) -> bool:
        """A time a task can be tied to: not past or present, not inside a quoted name opened after
        ``start``, not a duration, and a day only as a deadline ("3月31日前", not "落实10月27日会议精神")."""
        if t.kind == TimeKind.DURATION or self.lexicon.time_skip.search(t.text):
            return False
        if self._inside_quotes(text, start, t.start):
            return False
        if t.kind == TimeKind.DATE and not self.lexicon.deadline.search(t.text):
            return False
        return True

    def _inside_quotes(self, text: str, start: int, pos: int) -> bool:
        """Is ``pos`` inside a quotation or title mark opened within [start, pos)?"""
        depth = 0
        for ch in text[start:pos]:
            if ch in self.quote_open:
                depth += 1
            elif ch in self.quote_close:
                depth = max(depth - 1, 0)
        return depth > 0


def _phrase(body: str, words: list[str]) -> str:
    """Words from the start of ``body`` up to a few characters, whole words, quotes kept closed."""
    out = ""
    for w in words:
        if w in "，,、；;：:（(":
            break
        if len(out) + len(w) > _NAME_MAX and out:
            break
        out += w
        if len(out) >= _NAME_MIN and out.count("“") <= out.count("”"):
            break
    return out.strip()
