"""The task stage: which units are tasks, and how much of each."""
from __future__ import annotations

from ...model import Analysis, DocKind, SectionKind, Span, Task
from ...rules import Rules
from ...segment import JiebaTokenizer
from ...structure.textunits import TextUnits
from .document import Document, Unit
from .heads import Heads
from .lexicon import load_lexicon
from .naming import Naming
from ..prefilter import PatternSet
from .regions import PlanFinder, PlanParts
from .tables import Row, RowFinder
from .units import UnitCutter

_LABEL_MAX = 8                     # a heading line shorter than this, without a full stop, labels a part
_PAST_FRAME_MAX = 6                # a first clause this short that is past is a time frame ("上学期", "当前")
_NAME_MAX = 24                     # a table row's first cell longer than this is no name
# documents in which a calendar is read wherever it stands: a plan, and a notice of no stated kind
_CALENDAR_DOCS = frozenset({DocKind.PLAN, DocKind.OTHER})
# documents that look back: a section of theirs of no stated kind reviews, so only a strong marker
# makes a task there ("要敢于担当" in a duty report is an exhortation, "明年将…" a plan)
_REVIEW_DOCS = frozenset({DocKind.SUMMARY, DocKind.DUTY_REPORT})


class TaskExtractor:
    """Built once from the rules, the pipeline's segmenter and the text units."""

    def __init__(self, rules: Rules, tokenizer: JiebaTokenizer, units: TextUnits):
        self.lexicon = load_lexicon(rules)
        self.sentence_close = rules.compile(r"[ \t]*(?:{SentenceEnd}|\.)")
        self.units = units
        self.cutter = UnitCutter(rules, self.lexicon)
        self.heads = Heads(self.lexicon, tokenizer)
        self.naming = Naming(rules, self.lexicon, self.heads, units)
        self.plans = PlanFinder(rules, self.lexicon, self.heads, self.naming)
        self.tables = RowFinder(rules)

    def extract(self, analysis: Analysis) -> list[Task]:
        """The planned tasks of one document, in reading order."""
        self.heads.start_document()
        doc = Document.of(analysis)
        doc = doc.with_units(self.cutter.units(doc), [self.lexicon.clean_title(doc.text[h.start:h.end])
                                                      for h in doc.headings])
        plan = self.plans.find(doc)
        calendars = analysis.document.kind in _CALENDAR_DOCS
        rows = self.tables.rows(doc, lambda pos, anywhere: (
            self._kind(doc, plan, pos, doc.kind_at(pos)) == SectionKind.PLAN or plan.covers(pos)
            or (anywhere and calendars)))
        tasks: list[Task] = []
        leads = _Leads(self.naming, doc)
        done: set[int] = set()            # the starts of the table rows read
        for n, unit in enumerate(doc.units):
            if unit.para in rows:
                row = next((r for r in rows[unit.para] if r.start < unit.end and unit.start < r.end), None)
                task = self._row_task(doc, unit, row, plan, done) if row is not None else None
                if task is not None:
                    tasks.append(task)
                continue
            kind = self._kind(doc, plan, unit.start, doc.section_of(unit).kind)
            span = self._task_span(doc.text, unit, kind == SectionKind.PLAN or plan.covers(unit.start), kind)
            if span is None:
                continue
            name = self.naming.name(doc, unit, span, leads.at(n))
            time = self.naming.time(doc, unit, span, plan.inherited)
            tasks.append(Task(span.start, span.end, name, time))
        return tasks

    def _kind(self, doc: Document, plan: PlanParts, pos: int, kind: SectionKind) -> SectionKind:
        """The kind (``kind``, as the outline has it) of the section at ``pos`` as the stage reads
        it: a section that sets out where things stand, or one of no stated kind in a document that
        looks back, reviews."""
        if plan.in_context(pos) or (kind == SectionKind.OTHER and doc.analysis.document.kind in _REVIEW_DOCS):
            return SectionKind.REVIEW
        return kind

    def _row_task(self, doc: Document, unit: Unit, row: Row, plan: PlanParts, done: set[int]) -> Task | None:
        """A unit in a row of a table or a calendar: a table row is one task, read at its first unit
        of content; each item of a calendar row's work is one, timed by the row."""
        text = doc.text
        if row.header or row.start in done:
            return None
        if not row.calendar:
            done.add(row.start)
            span = Span(row.start, row.end)
            title = self.lexicon.clean_title(row.name)
            name = title if len(title) <= _NAME_MAX else self.naming.verb_object(text[row.start:row.end])
            return Task(row.start, row.end, name, row.time or self.naming.time(doc, unit, span, plan.inherited))
        if unit.end <= row.work or unit.rhetorical or self._excluded(text, unit) or any(
                self.lexicon.is_past(text, c) for c in self.units.clauses(text, Span(unit.start, unit.end))):
            return None                   # the time and the theme of a calendar row, and what no item is
        span = Span(unit.start, unit.end)
        return Task(span.start, span.end, self.naming.item_name(doc, span), self.naming.item_time(doc, span, row.time))

    def _task_span(self, text: str, unit: Unit, in_plan: bool, kind: SectionKind) -> Span | None:
        """The part of the unit that is a task, or None."""
        if unit.rhetorical:
            return None
        span = self._decide(text, unit, in_plan, kind)
        return None if span is None or self._excluded(text, unit) else span

    def _excluded(self, text: str, unit: Unit) -> bool:
        """Is the unit never a task (a contact, a slogan, a note …)?"""
        body = text[unit.start:unit.end]
        # exclusions are checked last, of candidates only
        if unit.colon:
            body += "："
        return self.lexicon.is_excluded(body)

    def _decide(self, text: str, unit: Unit, in_plan: bool, kind: SectionKind) -> Span | None:
        lex = self.lexicon
        if unit.heading is not None and not text[unit.end:unit.heading.end].strip() \
                and not self.sentence_close.match(text, unit.heading.end) \
                and min(len(lex.clean_title(text[unit.start:unit.end])), len(unit.heading.name)) < _LABEL_MAX:
            return None                           # a short heading without a full stop is a label: 指导思想
        if unit.colon:
            body = text[unit.start:unit.end]
            if lex.list_opener_any.search(body + "：") and not lex.marker_set.any(body):
                return None                       # "…计划如下：" announces tasks, it is none
        # outside a plan only a clause with a marker is one, in a review or a problem section only
        # with a strong one
        markers = lex.strong_set if kind in (SectionKind.REVIEW, SectionKind.PROBLEM) else lex.marker_set
        if not in_plan and not markers.may_match(text, unit.start, unit.end):
            return None                           # the unit lacks every string a marker needs
        parts = self.units.clauses(text, Span(unit.start, unit.end))
        if not parts:
            return None
        # a unit without any of the strings a report of work done needs holds no clause that is one
        past = lex.may_be_past(text, unit.start, unit.end)
        if in_plan:
            # the task starts after the last clause that reports work done; a past or present time
            # that frames the sentence ("上学期，…", "当前，…") makes all of it a report, unless a
            # future marker follows ("当前，要…")
            first = 0
            if past:
                first = next((i + 1 for i in range(len(parts) - 1, -1, -1) if lex.is_past(text, parts[i])), 0)
            if first >= len(parts) or (first and parts[0].end - parts[0].start <= _PAST_FRAME_MAX
                                       and lex.is_past(text, parts[0])
                                       and not lex.marker_set.first(text, parts[0].end, unit.end)):
                return None
            chosen = parts[first:]
            if not self.heads.any_action(text, chosen, heading=unit.heading is not None):
                return None
            return Span(unit.start if first == 0 else chosen[0].start, unit.end)
        return self._marked_span(text, unit, parts, markers, past)

    def _marked_span(self, text: str, unit: Unit, parts: list[Span], markers: PatternSet,
                     past: bool) -> Span | None:
        """Outside a plan: from the clause with a future marker (of ``markers``) up to a clause that
        reports work done (``past``: the unit may hold one)."""
        lex = self.lexicon
        at = next((i for i, c in enumerate(parts) if markers.any(text[c.start:c.end])), None)
        if at is None:
            return None
        later_past = None
        if past:
            later_past = next((i for i in range(at, len(parts)) if lex.is_past(text, parts[i])), None)
        if later_past == at:
            return None
        chosen = parts[at:later_past] if later_past is not None else parts[at:]
        if not self.heads.any_action(text, chosen):
            return None
        from_marker = at > 1 or (past and any(lex.is_past(text, c) for c in parts[:at]))
        start = parts[at].start if from_marker else unit.start
        end = chosen[-1].end if later_past is not None else unit.end
        return Span(start, end)


class _Leads:
    """The run-in subhead in force at each unit: the last unit of its paragraph up to it that is a
    lead (Naming.is_lead, is_inner_lead). Units are asked whether they lead only as far as a task
    that needs a name, in reading order."""

    def __init__(self, naming: Naming, doc: Document):
        self.naming = naming
        self.doc = doc
        self.lead: Unit | None = None     # the lead in force at the unit before ``self.next``
        self.next = 0                     # the first unit not yet asked
        self.firsts: list[int] = []       # of each unit: the first unit of its paragraph
        for k, unit in enumerate(doc.units):
            self.firsts.append(k if unit.first or k == 0 else self.firsts[-1])

    def at(self, n: int) -> Unit | None:
        units = self.doc.units
        first = self.firsts[n]            # a lead holds within its paragraph only
        if self.next <= first:
            self.lead, self.next = None, first
        for k in range(self.next, n + 1):
            unit = units[k]
            if unit.first:
                self.lead = unit if self.naming.is_lead(self.doc.text, unit) else None
            elif self.naming.is_inner_lead(self.doc, k):
                self.lead = unit
        self.next = n + 1
        return self.lead
