"""Plan parts that no heading of kind plan announces.

A paragraph opened by "下一步，…" plans to its end; a sentence ending in a colon that announces plans
("…做如下安排：") opens a list that plans up to its end (rules/task_openers.tsv); and a top section
of no stated kind that follows a review and whose subheads are mostly actions sets out the work ahead.
A top section whose heading says it sets out where things stand ("一、形势分析", "基本情况") plans
nothing, not even in a plan document.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from ...model import SectionKind
from ...resolve.numerals import read_number
from ...rules import Rules
from .document import Document, Unit
from .heads import Heads
from .lexicon import Lexicon
from .naming import Naming
from .units import COLON_END

_FORWARD_MIN_ACTIONS = 3          # action subheads that make a section of no stated kind a plan


@dataclass(frozen=True)
class PlanParts:
    regions: list[tuple[int, int]]    # merged, in reading order
    starts: list[int]                 # of the regions
    times: dict[int, str]             # heading index -> the time written in a plan section's heading
    inherited: list[str]              # of each heading: the time of the nearest plan section that holds
                                      # it, itself first, going up the outline; "" for none
    context: list[tuple[int, int]]    # top sections that set out where things stand (形势分析)

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.regions[i][0] <= pos < self.regions[i][1]

    def in_context(self, pos: int) -> bool:
        for s, e in self.context:         # a loop, not any(): asked of every unit, and most documents have none
            if s <= pos < e:
                return True
        return False


class PlanFinder:
    """Finds a document's plan parts; built once."""

    def __init__(self, rules: Rules, lexicon: Lexicon, heads: Heads, naming: Naming):
        self.lexicon = lexicon
        # the number a heading opens with: 一、 第一 1.
        self.ordinal = rules.compile(r"\s*第?({CnTen}{1,3}|\d{1,2})")
        self.heads = heads
        self.naming = naming

    def find(self, doc: Document) -> PlanParts:
        forward = self._forward_sections(doc)
        regions = _merge(self._opened_regions(doc) + forward)
        times = self._plan_times(doc, forward)
        return PlanParts(regions, [s for s, _ in regions], times, _inherited(doc, times), self._context(doc))

    def _context(self, doc: Document) -> list[tuple[int, int]]:
        """Top sections whose heading says they set out where things stand ("一、形势分析")."""
        return [(s.start, s.end) for h, s in zip(doc.headings, doc.outline.sections)
                if h.level == 1 and any(p.search(h.name) for p in self.lexicon.context_headings)]

    def _opened_regions(self, doc: Document) -> list[tuple[int, int]]:
        """Plan parts that no heading announces: after "下一步，…" and after "…安排如下：" lines."""
        lex, text = self.lexicon, doc.text
        regions: list[tuple[int, int]] = []
        for unit in doc.units:
            if unit.heading is None and not unit.first and not unit.colon:
                continue                  # a unit inside a paragraph that ends in no colon opens none
            body = text[unit.start:unit.end]
            if unit.heading is not None:
                if unit.colon and (doc.kind_at(unit.start) == SectionKind.PLAN
                                   or lex.list_opener_any.search(body + "：")):
                    regions.append((unit.start, self._list_end(doc, unit)))
                elif lex.heading_openers.any(body):
                    sec = doc.outline.section_at(unit.start)
                    regions.append((unit.start, max(sec.end, unit.end)))
                continue
            if unit.first and lex.paragraph_openers.any(body):
                regions.append((unit.start, doc.paragraphs[unit.para].end))
            if unit.colon and lex.list_opener_any.search(body + "："):
                regions.append((unit.start, self._list_end(doc, unit)))
        return regions

    def _forward_sections(self, doc: Document) -> list[tuple[int, int]]:
        """Top sections of no stated kind that come after a review and whose subheads are mostly
        actions ("推进教育科技人才一体发展。"): the part of a report that sets out the work ahead."""
        out: list[tuple[int, int]] = []
        seen_review = False
        headings = doc.headings
        for k, h in enumerate(headings):
            if h.level == 0:
                seen_review = False
                continue
            if h.level != 1:
                continue
            sec = doc.outline.section_at(h.start)
            if sec.kind == SectionKind.REVIEW:
                seen_review = True
                continue
            if sec.kind != SectionKind.OTHER or not seen_review:
                continue
            subs = [j for j in range(k + 1, len(headings)) if headings[j].start < sec.end and headings[j].level > 1]
            if len(subs) < _FORWARD_MIN_ACTIONS:
                continue                  # too few subheads to be actions enough: none is segmented
            actions = sum(1 for j in subs if self.heads.head(doc.titles[j]) is not None)
            if actions >= _FORWARD_MIN_ACTIONS and actions * 2 >= len(subs):
                out.append((sec.start, sec.end))
        return out

    def _list_end(self, doc: Document, unit: Unit) -> int:
        """Where the list announced by a colon sentence ends."""
        para = doc.paragraphs[unit.para]
        if doc.text[unit.end:para.end].strip(" \t：:"):
            return para.end                       # the list follows on the same line
        return self._cut_at_summary(doc, unit.para + 1, self._list_extent(doc, unit))

    def _cut_at_summary(self, doc: Document, first: int, end: int) -> int:
        """A paragraph that sums up ("总之，…") closes the list before it."""
        for p in doc.paragraphs[first:]:
            if p.start >= end:
                break
            if any(s.search(doc.text[p.start:p.end]) for s in self.lexicon.list_stops):
                return p.start
        return end

    def _list_extent(self, doc: Document, unit: Unit) -> int:
        """A list of headings after the colon sentence runs while its numbering goes on; plain
        paragraphs after it run to the end of the section."""
        paras, headings = doc.paragraphs, doc.headings
        para = paras[unit.para]
        k = doc.heading_from(para.end)
        nxt = paras[unit.para + 1] if unit.para + 1 < len(paras) else None
        if nxt is None:
            return para.end
        if k >= len(headings) or headings[k].start != nxt.start:
            sec = doc.outline.section_at(unit.start)   # plain paragraphs follow: up to the section's end
            return max(sec.end, para.end)
        level = headings[k].level
        for h in headings[k + 1:]:
            if h.level < level or h.level == 0:
                return h.start
            if h.level == level and (self._is_first_item(doc.text, h.start)
                                     or COLON_END.search(doc.text, h.start, h.end)):
                return h.start                    # the numbering starts again, or a new lead: a new list
        return len(doc.text)

    def _is_first_item(self, text: str, pos: int) -> bool:
        """Is the heading at ``pos`` numbered one (一、, 第一, 1.)?"""
        m = self.ordinal.match(text, pos)
        reading = read_number(m.group(1)) if m else None
        return reading is not None and reading.value == 1

    def _plan_times(self, doc: Document, forward: list[tuple[int, int]]) -> dict[int, str]:
        """For each heading of a plan section, the time written in it ("2024年工作计划" -> 2024年);
        the time in a heading that is itself an action ("二是计划下半年完成系统升级") is that action's."""
        out: dict[int, str] = {}
        for k, h in enumerate(doc.headings):
            if doc.kind_at(h.start) != SectionKind.PLAN and not any(s <= h.start < e for s, e in forward):
                continue
            time = next((t.text for t in doc.times_in(h.start, h.end)
                         if self.naming.usable_time(doc.text, t, h.start)), None)
            # the head (the title segmented) is read only of a heading with a time, most have none
            if time is not None and self.heads.head(doc.titles[k]) is None:
                out[k] = time
        return out


def _inherited(doc: Document, times: dict[int, str]) -> list[str]:
    """Of each heading, the time in its own heading or in the nearest one above it that it is under
    (of a lower level), up to a heading of level 0."""
    out: list[str] = []
    above: list[int] = []             # the headings the current one is under, levels rising
    for k, h in enumerate(doc.headings):
        while above and doc.headings[above[-1]].level >= h.level:
            above.pop()
        if k in times:
            out.append(times[k])
        else:
            out.append(out[above[-1]] if above and h.level != 0 else "")
        above.append(k)
    return out


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(regions):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
