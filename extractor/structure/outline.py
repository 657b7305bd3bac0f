"""The outline of a report: headings with their levels, the section tree and what each section is for.

Reports are read by their outline. A heading is found by its numbering (numbering.py, schemes in
rules/headings.tsv), by its place (the title block: titles.py; a short stand-alone line: lines.py)
or by its shape (a run-in subhead, a short topic phrase that opens a paragraph and ends at 。 or ：:
runins.py). Its level comes from the document's own nesting: the first numbering scheme met is
level 1, a scheme first met inside a section is one level deeper, and a scheme met again closes
what was opened after it.

This module reads a document paragraph by paragraph and hands each to the part that reads it;
sections.py turns the headings found into the outline, check.py reports broken numbering.
"""
from __future__ import annotations

from ..model import Outline, Span
from ..rules import Rules
from .cues import Cue, Cues
from .lines import LineReader
from .numbering import Numbering, Placement, Role
from .runins import Near, RuninReader
from .document import DocumentKinds
from .sections import finish
from .shapes import LINE_MAX, heading_name
from .state import BuildState, Found, Lead, OpenSection, Para
from .textunits import TextUnits
from .titles import TitleReader
from .view import display_width

_LEAD_SENTENCE_MAX = 30   # a lead sentence short enough to say what the list after it is


class OutlineBuilder:
    """Finds the outline of a document; built once from the rules, then ``build`` per document."""

    def __init__(self, rules: Rules, units: TextUnits):
        self.cues = Cues(rules)
        self.numbering = Numbering(rules)
        self.schemes = self.numbering.schemes
        self.titles = TitleReader(self.cues, self.numbering)
        self.lines = LineReader(rules, self.cues, self.numbering)
        self.runins = RuninReader(rules, self.cues, self.numbering, units)
        # where a numbered heading's title ends: its first closing punctuation (with closers after it)
        self.heading_end = rules.compile(
            r"[。！？：]{Closer}*|[!?:](?=\s|$)|(?<=[A-Za-z0-9)\]])\.(?=\s+\S|\s*$)(?<![ \t]\d\.)")
        self.sentence_end = rules.compile("{SentenceEnd}")
        self.kinds = DocumentKinds(rules)
        # the cues asked of every paragraph, searched for at once first: most paragraphs have none
        self.paragraph_cues = self.cues.any_of(Cue.SEPARATOR, Cue.PART, Cue.TOC, Cue.NOTES, Cue.SALUTATION,
                                               Cue.OPTIONS)

    def build(self, text: str, paragraphs: list[Span], sentences: list[Span] | None = None) -> Outline:
        """The outline of the view ``text`` split into ``paragraphs``; ``sentences``, when given, are
        the text units' sentences of those paragraphs, read again where a paragraph may hold run-ins."""
        paras = _paras(text, paragraphs)
        st = BuildState(sentences=sentences)
        i = 0
        title_at = 0   # a title may start here (the top, after a separator)
        toc = ""       # "first" right after a contents line, "next" inside its entries
        while i < len(paras):
            p = paras[i]
            s = text[p.start:p.end]
            cued = self.paragraph_cues.search(s) is not None
            if cued and self.cues.has(Cue.SEPARATOR, s):
                st.reset()   # a rule line starts a new part of the file
                title_at = i + 1
                i += 1
                continue
            if i == title_at or (p.alone and cued and self.cues.has(Cue.PART, s) and display_width(s) <= LINE_MAX) \
                    or self.titles.starts_report(text, paras, i, st):
                nxt = self.titles.block(text, paras, i, st)
                if nxt > i:
                    i = nxt
                    continue
            if p.alone and cued and self.cues.has(Cue.TOC, s):
                toc = "first"
                i += 1
                continue
            if p.alone and cued and self.cues.has(Cue.NOTES, s):
                i = self._after_notes(text, paras, i + 1)
                continue
            if toc:
                # entries of a table of contents: short numbered lines, one right after another
                if p.alone and (toc == "first" or p.adjacent) and display_width(s) <= LINE_MAX \
                        and self.numbering.marks(text, p.start, p.end + 1):
                    toc = "next"
                    i += 1
                    continue
                toc = ""
            before = len(st.found)
            self._paragraph(text, paras, i, st, s, cued)
            st.lead = self._lead_of(text, p, st.found[before:])
            i += 1
        return finish(text, st, self.cues, self.kinds)

    def _after_notes(self, text: str, paras: list[Para], i: int) -> int:
        """Endnotes: the numbered paragraphs after a notes line are notes, not headings."""
        while i < len(paras) and self.numbering.marks(text, paras[i].start, paras[i].end + 1):
            i += 1
        return i

    def _paragraph(self, text: str, paras: list[Para], i: int, st: BuildState, s: str, cued: bool) -> None:
        """Paragraph i (its text ``s``): a numbered heading, a list lead, a stand-alone line, or a
        paragraph that may open with (or hold) run-in subheads. ``cued``: some paragraph cue is
        found in it."""
        p = paras[i]
        if st.survey or (cued and (self.cues.has(Cue.SALUTATION, s) or self.cues.has(Cue.OPTIONS, s))):
            return   # a questionnaire's questions and options, a salutation: no heading
        marks = self.numbering.marks(text, p.start, p.end + 1)
        if marks:
            placed = self.numbering.place(st, marks, p.indent)
            if placed is not None:
                self._numbered(text, p, placed, st)
                return
        if self._lead(text, p, st):
            return
        if p.alone and self.lines.read(text, paras, i, st):
            return
        if marks:
            return   # a number that fits no list ("2.5万亿元…") opens no run-in either
        self.runins.read(text, p, p.start, st, group=("start", st.group),
                         near=Near(paras[i - 1] if i else None, paras[i + 1] if i + 1 < len(paras) else None))

    def _lead(self, text: str, p: Para, st: BuildState) -> bool:
        """A list lead ("一是…", "——…"): a leaf one level below the section it sits in."""
        if self.numbering.any_lead.match(text, p.start, p.end) is None:
            return False   # most paragraphs: one match says no lead opens them
        for scheme in self.numbering.leads:
            m = scheme.pattern.match(text, p.start, p.end)
            if m and m.end() < p.end:
                end = self._heading_end(text, p.start, p.end)
                level = st.top_level() + 1   # "——经济发展。" under "二、主要目标" too
                number = scheme.number(m)
                st.found.append(Found(p.start, end, level, heading_name(text, m.end(), end), scheme.name,
                                      number=number))
                if number is not None:   # "一是…。…二是…。" going on in the paragraph
                    self.runins.list_items(text, Span(end, p.end), level, number, st)
                return True
        return False

    def _lead_of(self, text: str, p: Para, new: list[Found]) -> Lead | None:
        """When a paragraph ends in a colon it leads the list after it: what kind of list it announces.

        A lead line that is a heading ("主要成绩如下：") says it plainly; a lead sentence at the end of
        a paragraph says it only when short ("当然，学校工作还存在一些不足，主要如下：").
        """
        s = text[p.start:p.end]
        if s[-1] not in "：:":
            return None
        if new and new[0].scheme not in ("line", "runin"):
            return None   # "一、主要进展有：" heads its own items: they inherit its kind
        if new and new[0].scheme == "line":
            return Lead(self.cues.section_kind(new[0].name, 1))
        last = self.sentence_end.split(s[:-1])[-1]
        return Lead(self.cues.section_kind(last, 1) if len(last) <= _LEAD_SENTENCE_MAX else None)

    def _heading_end(self, text: str, start: int, end: int) -> int:
        m = self.heading_end.search(text, start, end)
        return m.end() if m else end

    def _inline_list(self, text: str, start: int, end: int, st: BuildState) -> None:
        """"八、9月开展文化周活动：1、成年人健身操比赛" then "2、…": a list whose first item runs on
        after the heading's colon goes on in the lines below, one level deeper."""
        colon = max(text.rfind("：", start, end), text.rfind(":", start, end))
        if colon < 0:
            return
        pos = colon + 1
        while pos < end and text[pos] in " \t":
            pos += 1
        for mark in self.numbering.marks(text, pos, end):
            if mark.number == 1:
                st.last_seen[mark.scheme.name] = 1

    def _numbered(self, text: str, p: Para, placed: Placement, st: BuildState) -> None:
        """A numbered heading where ``placed`` puts it; a run-in may follow it on its line."""
        scheme, n = placed.mark.scheme, placed.mark.number
        body_start = placed.mark.end
        if scheme.role == Role.MARKUP:   # "## 一、…": the number after the mark is the heading's own
            inner = [x for x in self.numbering.marks(text, body_start, p.end + 1) if x.scheme.role == Role.CONTAINER]
            if inner:
                body_start = inner[0].end
        end = self._heading_end(text, body_start, p.end)
        restart = placed.pop_to is not None and n == 1 and (st.stack[placed.pop_to].last or 0) >= 1
        if placed.pop_to is not None:
            del st.stack[placed.pop_to:]
        st.stack.append(OpenSection(scheme.name, p.indent, placed.level, n, len(st.found)))
        if n is not None:
            st.last_seen[scheme.name] = n
        self._inline_list(text, body_start, p.end, st)
        st.containers += 1
        st.close_hints(placed.level, inclusive=False)
        key = (placed.level, scheme.name)
        if st.lead is not None and (n is None or n == 1):
            st.hints[key] = st.lead.kind   # "…计划如下：" then 一、…: the list is what its lead says
        elif restart:
            st.hints.pop(key, None)
        st.found.append(Found(p.start, end, placed.level, heading_name(text, body_start, end), scheme.name,
                              number=n, restart=restart and st.lead is not None, kind_hint=st.hints.get(key)))
        st.group = len(st.found) - 1
        # a run-in subhead right after the heading on the same line ("1.全面加强党的建设。强化理论武装。…")
        pos = end
        while pos < p.end and text[pos] in " \t":
            pos += 1
        if pos < p.end:
            parent = st.stack[-2].found if len(st.stack) > 1 else -1
            self.runins.read(text, p, pos, st, group=("after", parent), near=Near(None, None))


def _paras(text: str, spans: list[Span]) -> list[Para]:
    """The paragraphs with their place on the page (indent, a whole line, right after the last)."""
    out: list[Para] = []
    for k, sp in enumerate(spans):
        prev_end = spans[k - 1].end if k else 0
        next_start = spans[k + 1].start if k + 1 < len(spans) else len(text)
        # only the gaps between paragraphs are searched, so the whole pass stays linear
        nl_before = text.rfind("\n", prev_end, sp.start)
        starts_line = nl_before >= 0 or k == 0
        indent = sp.start - (nl_before + 1) if starts_line else -1
        ends_line = next_start == len(text) or text.find("\n", sp.end, next_start) >= 0
        adjacent = text.count("\n", prev_end, sp.start) <= 1
        out.append(Para(sp.start, sp.end, indent, starts_line and ends_line, adjacent))
    return out
