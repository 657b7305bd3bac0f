"""Text units of the matching view: paragraphs, sentences and clauses, as spans.

The view (see view.py) has one paragraph per line: flattened and wrapped text were repaired there.
A paragraph is split further only where a numbered heading follows a sentence end on the same line.
All spans are half-open ``[start, end)`` into the view, trimmed of surrounding whitespace.
"""
from __future__ import annotations

import re

import regex

from ..cache import compile_regex, compile_standard
from ..model import Span
from ..rules import Rules

_SENTENCE_END_MARKS = frozenset("。！？!?.…")
_LIST_NUMBER = compile_regex(r"[ \t]*(?:\d{1,3}|[A-Za-z])[ \t]*$")
_CLAUSE_SEP = r"[，；：]|;|(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)"
_DIGIT = compile_regex(r"\d")


class TextUnits:
    """Splits the view into paragraphs, sentences and clauses; built once from the rules."""

    def __init__(self, rules: Rules):
        self.open = rules.chars("Open")
        self.close = rules.chars("Close")
        self.pair = dict(zip(self.close, self.open))
        closers = regex.escape(self.close + "\"'")
        # a heading that follows a sentence end on the same line, after some space
        self.inline_heading = rules.compile(r"(?<=[。！？；：!?;:]{Closer}*)[ \t\u3000]+(?={HeadingMark})")
        # a sentence ends at 。！？!? (with the closing quotes and brackets after it), at "……" before a
        # closer, and, in English text, at a full stop before a space (not after a list number)
        self.sentence_end = rules.compile(
            rf"{{SentenceEnd}}+[{closers}]*|…+[{closers}]+|(?<=[A-Za-z)\]0-9])\.(?=[ \t]+[A-Z0-9\"“(\p{{Han}}])")
        self.stop_in_lead = rules.compile("{SentenceEnd}")
        self.heading_mark = rules.compile("{HeadingMark}")
        # a lead that ends at a colon: a short run-in ("抓重点："), not a quotation ("他强调：“…”")
        self.colon_lead = regex.compile(r"[^，,。；;！？!?：:\n]{1,20}(?<!\d)[：:](?![“‘「『\"])")
        self.clause_sep = regex.compile(_CLAUSE_SEP)
        # what a clause split looks at: an opening or closing bracket or quote, an ASCII quote, a separator
        # (the standard library's re scans for a class of plain characters several times faster than regex)
        self.clause_event = compile_standard("[" + re.escape(self.open + self.close) + '"，；：;,:]')

    def paragraphs(self, text: str) -> list[Span]:
        """Paragraphs in reading order: lines, split where a heading follows a sentence end."""
        out: list[Span] = []
        pos = 0
        for line in text.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            # a cut is a run of spaces: most lines have none to look for
            cuts = [(m.start(), m.end()) for m in self.inline_heading.finditer(text, start, end)] \
                if " " in line or "\t" in line or "\u3000" in line else []
            out += split_at(text, start, end, cuts)
        return out

    def sentences(self, text: str, paragraphs: list[Span]) -> list[Span]:
        """Sentences in reading order; none crosses a paragraph end or a heading's end."""
        out: list[Span] = []
        for para in paragraphs:
            out += self.sentences_in(text, para)
        return out

    def sentences_in(self, text: str, para: Span) -> list[Span]:
        """The sentences of one paragraph."""
        out: list[Span] = []
        start, para_end = para
        # a paragraph that opens with a heading or a short lead ending at a colon: that lead is one unit
        if text.find("：", start, para_end) >= 0 or text.find(":", start, para_end) >= 0:   # most have no colon
            start = self._colon_lead(text, para, out)
        for end_match in self.sentence_end.finditer(text, start, para_end):
            mark, end = end_match.span()
            if text[mark] == "." and _LIST_NUMBER.match(text, start, end - 1):
                continue  # "1. Add support…": a list number, not a sentence
            if text[start].isspace() or text[end - 1].isspace():
                s, e = trim(text, start, end)
                if s < e:
                    out.append(Span(s, e))
            else:
                out.append(Span(start, end))   # the usual case: nothing to trim
            start = end
        s, e = trim(text, start, para_end)
        if s < e:
            out.append(Span(s, e))
        return out

    def _colon_lead(self, text: str, para: Span, out: list[Span]) -> int:
        """Where the sentences of a paragraph start after the lead at its start that ends at a colon
        (appended to ``out``), or its start when there is none."""
        start = para.start
        m = self.heading_mark.match(text, start, para.end)
        lead_from = m.end() if m else start
        c = self.colon_lead.match(text, lead_from, para.end)
        if c and c.end() < para.end and not self.stop_in_lead.search(text, start, c.end()):
            out.append(Span(*trim(text, start, c.end())))
            return c.end()
        return start

    def clauses(self, text: str, span: Span) -> list[Span]:
        """A sentence split at ，；：(and , ; : outside numbers), not inside quotes, brackets or 《》.

        Each clause excludes its separator; the last one excludes the sentence's final 。！？.
        """
        end = _without_final_marks(text, span.start, span.end)
        return split_at(text, span.start, end, self._clause_cuts(text, span.start, end))

    def _clause_cuts(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        # one scan over the characters that matter (brackets, quotes, separators) instead of a loop
        # over every character
        cuts = []
        depth: list[str] = []
        ascii_quote = False
        for m in self.clause_event.finditer(text, start, end):
            ch = m.group()
            if ch in ",:" and m.start() > 0 and _DIGIT.match(text, m.start() - 1) \
                    and m.end() < end and _DIGIT.match(text, m.end()):
                continue   # 1,280 | 10:30: inside a number, as _CLAUSE_SEP reads it
            if ch in self.open:
                depth.append(ch)
            elif ch in self.close:
                if depth and depth[-1] == self.pair[ch]:
                    depth.pop()
                elif self.pair[ch] in depth:
                    while depth and depth.pop() != self.pair[ch]:
                        pass
            elif ch == '"':
                ascii_quote = not ascii_quote
            elif not depth and not ascii_quote:
                cuts.append((m.start(), m.end()))
        if depth or ascii_quote:   # unbalanced quotes: ignore them
            return [(m.start(), m.end()) for m in self.clause_sep.finditer(text, start, end)]
        return cuts


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the whitespace at either end."""
    if start < end and not text[start].isspace() and not text[end - 1].isspace():
        return start, end   # the usual case: nothing to trim
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_at(text: str, start: int, end: int, cuts: list[tuple[int, int]]) -> list[Span]:
    """The trimmed, non-empty pieces of [start, end) between sorted cuts (a cut inside the cut
    before it is passed over)."""
    out: list[Span] = []
    piece_start = start
    for cs, ce in cuts:
        if cs < piece_start:
            continue
        s, e = trim(text, piece_start, cs)
        if s < e:
            out.append(Span(s, e))
        piece_start = ce
    s, e = trim(text, piece_start, end)
    if s < e:
        out.append(Span(s, e))
    return out


def _without_final_marks(text: str, start: int, end: int) -> int:
    """Where the run of 。！？!?.… that ends text[start:end] (or ends it before a final line break)
    begins; ``end`` when there is none. A walk back from the end, not a search from the start."""
    last = end - 1 if end > start and text[end - 1] == "\n" else end
    k = last
    while k > start and text[k - 1] in _SENTENCE_END_MARKS:
        k -= 1
    return k if k < last else end
