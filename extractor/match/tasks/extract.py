"""The task stage: which units are tasks, and how much of each."""
from __future__ import annotations

from spacy.language import Language

from ...model import Analysis, SectionKind, Span, Task
from ...rules import Rules
from ...structure.textunits import TextUnits
from .document import Document, Unit
from .heads import Heads
from .lexicon import load_lexicon
from .naming import Naming
from .regions import PlanFinder
from .units import UnitCutter

_LABEL_MAX = 8                     # a heading line shorter than this, without a full stop, labels a part


class TaskExtractor:
    """Built once from the rules, the spaCy pipeline (for its segmenter) and the text units."""

    def __init__(self, rules: Rules, nlp: Language, units: TextUnits):
        self.lexicon = load_lexicon(rules)
        self.sentence_close = rules.compile(r"[ \t]*(?:{SentenceEnd}|\.)")
        self.units = units
        self.cutter = UnitCutter(rules, self.lexicon)
        self.heads = Heads(self.lexicon, nlp.tokenizer)
        self.naming = Naming(rules, self.lexicon, self.heads, units)
        self.plans = PlanFinder(rules, self.lexicon, self.heads, self.naming)

    def extract(self, analysis: Analysis) -> list[Task]:
        """The planned tasks of one document, in reading order."""
        doc = Document.of(analysis)
        doc = doc.with_units(self.cutter.units(doc))
        plan = self.plans.find(doc)
        tasks: list[Task] = []
        lead: Unit | None = None          # a short sentence that heads what follows: a run-in subhead
        for n, unit in enumerate(doc.units):
            if unit.first:
                lead = unit if self.naming.is_lead(doc.text, unit) else None
            elif self.naming.is_inner_lead(doc, n):
                lead = unit
            kind = doc.kind_at(unit.start)
            span = self._task_span(doc.text, unit, kind == SectionKind.PLAN or plan.covers(unit.start), kind)
            if span is None:
                continue
            name = self.naming.name(doc, unit, span, lead)
            time = self.naming.time(doc, unit, span, plan.times)
            tasks.append(Task(span.start, span.end, name, time))
        return tasks

    def _task_span(self, text: str, unit: Unit, in_plan: bool, kind: SectionKind) -> Span | None:
        """The part of the unit that is a task, or None."""
        if unit.exclaim:
            return None
        span = self._decide(text, unit, in_plan, kind)
        if span is None:
            return None
        body = text[unit.start:unit.end]
        # exclusions (contacts, slogans, notes …) are checked last, of candidates only, one pattern
        # at a time: most are anchored or open with a literal, which regex finds fast alone but not
        # as branches of one union (measured: a third of the union's time)
        if unit.colon:
            body += "："
        return None if any(p.search(body) for p in self.lexicon.exclusions) else span

    def _decide(self, text: str, unit: Unit, in_plan: bool, kind: SectionKind) -> Span | None:
        lex = self.lexicon
        body = text[unit.start:unit.end]
        if unit.heading is not None and not text[unit.end:unit.heading.end].strip() \
                and not self.sentence_close.match(text, unit.heading.end) and len(lex.clean_title(body)) < _LABEL_MAX:
            return None                           # a short heading without a full stop is a label: 指导思想
        if unit.colon and lex.list_opener_any.search(body + "：") and not lex.marker_any.search(body):
            return None                           # "…计划如下：" announces tasks, it is none
        parts = self.units.clauses(text, Span(unit.start, unit.end))
        if not parts:
            return None
        if in_plan:
            # the task starts after the last clause that reports work done
            first = next((i + 1 for i in range(len(parts) - 1, -1, -1) if lex.is_past(text, parts[i])), 0)
            if first >= len(parts):
                return None
            chosen = parts[first:]
            if not self.heads.any_action(text, chosen, heading=unit.heading is not None):
                return None
            return Span(unit.start if first == 0 else chosen[0].start, unit.end)
        return self._marked_span(text, unit, parts, kind)

    def _marked_span(self, text: str, unit: Unit, parts: list[Span], kind: SectionKind) -> Span | None:
        """Outside a plan: from the clause with a future marker up to a clause that reports work done.
        In a review or a problem section only a strong marker counts."""
        lex = self.lexicon
        markers = lex.strong_any if kind in (SectionKind.REVIEW, SectionKind.PROBLEM) else lex.marker_any
        at = next((i for i, c in enumerate(parts) if markers.search(text[c.start:c.end])), None)
        if at is None:
            return None
        later_past = next((i for i in range(at, len(parts)) if lex.is_past(text, parts[i])), None)
        if later_past == at:
            return None
        chosen = parts[at:later_past] if later_past is not None else parts[at:]
        if not self.heads.any_action(text, chosen):
            return None
        start = unit.start if at <= 1 and not any(lex.is_past(text, c) for c in parts[:at]) else parts[at].start
        end = chosen[-1].end if later_past is not None else unit.end
        return Span(start, end)
