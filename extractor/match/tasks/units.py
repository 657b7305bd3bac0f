"""Task units: the sentences of a document cut at ；, trimmed of list marks and closing marks, each
knowing its paragraph and the heading it is."""
from __future__ import annotations

import re

from ...cache import compile_regex, compile_standard
from ...rules import Rules
from .document import Document, Unit
from .lexicon import Lexicon, trailing_start

_LEADING = compile_regex(r"[\s，,、；;：:]+")
# where _LEADING may match: at one of these or a blank (str.isspace holds for every \s of regex)
_LEADING_MARKS = frozenset("，,、；;：:")
# Patterns anchored at the end are searched from the end ((?r)): they find the same match, and read
# only the end of the text instead of trying every position before it.
COLON_END = compile_regex(r"(?r)[：:]\s*$")
# what a split cuts at; a sentence without any of them is one piece (classes of literal characters
# are searched with the standard library's re, which calls faster than regex)
_CUT_MARKS = compile_standard(r"[\t\n；;：:]")
_RHETORICAL_MARKS = compile_standard(r"[！!？?]")   # one of which a rhetorical sentence holds
_UNIT_SPLIT = frozenset("；;")
_CELL_SPLIT = frozenset("\t\n")         # table cells and lines are units of their own, whatever the quotes
_new_unit = tuple.__new__                # a Unit made from its tuple of fields: no call of its __new__


def _has_colon(marks: str) -> bool:
    """Does a run of closing marks hold a colon (one of COLON_END's)?"""
    return "：" in marks or ":" in marks


class UnitCutter:
    """Cuts sentences into task units; built once from the rules."""

    def __init__(self, rules: Rules, lexicon: Lexicon):
        self.lexicon = lexicon
        self.open = rules.chars("Open")
        self.close = rules.chars("Close")
        # what a split looks at: brackets and quotes, cell and unit separators, colons
        self.split_event = compile_standard("[" + re.escape(self.open + self.close) + r"\t\n；;：:]")
        self.rhetorical = rules.compile(r"(?r)[！!？?]{Closer}*\s*$")
        # a numbered item after a colon: "…努力的方向：1.要…" opens a list
        self.item_after_colon = rules.compile(
            r"[ \t]*(?:{DottedItem}|{ParenItem}|{ParenArabicItem}|{Circled}|{CnItem})")

    def units(self, doc: Document) -> list[Unit]:
        """Sentences cut at ；(and at a colon before a list), trimmed of numbering and closing marks."""
        text = doc.text
        para_starts = [p.start for p in doc.paragraphs]
        heading_starts, headings = doc.heading_starts, doc.headings
        list_opens = self.lexicon.list_mark_opens
        out: list[Unit] = []
        seen_para = -1
        p = 0                             # the paragraph of the sentence: the last that starts at or before it
        k = -1                            # the last heading that starts at or before the unit
        for sent in doc.analysis.sentences:
            rhetorical = bool(_RHETORICAL_MARKS.search(text, sent.start, sent.end)
                              and self.rhetorical.search(text, sent.start, sent.end))
            # sentences and their units come in reading order: the paragraph and the heading are
            # found by walking on from the last ones, not by a search from the start
            while p + 1 < len(para_starts) and para_starts[p + 1] <= sent.start:
                p += 1
            for s, e in self.split(text, sent.start, sent.end):
                raw_end = e
                if list_opens.may_open(text[s]):
                    m = self.lexicon.list_mark.match(text, s, e)
                    if m:
                        s = m.end()
                if s < e and (text[s] in _LEADING_MARKS or text[s].isspace()):
                    m = _LEADING.match(text, s, e)
                    if m:
                        s = m.end()
                closing = trailing_start(text, s, e)
                # a colon that ends the unit is in its trailing run of closing marks and blanks
                colon = closing < e and _has_colon(text[closing:e]) and bool(COLON_END.search(text, s, raw_end))
                e = closing
                if e <= s:
                    continue
                while k + 1 < len(heading_starts) and heading_starts[k + 1] <= s:
                    k += 1
                heading = headings[k] if k >= 0 and e <= headings[k].end else None
                out.append(_new_unit(Unit, (s, e, p, p != seen_para, heading, rhetorical, colon, k)))
                seen_para = p
        return out

    def split(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Cut [start, end) at ；/; outside brackets and quotes, and at a colon that opens an enumeration
        or a numbered list."""
        if not _CUT_MARKS.search(text, start, end):
            return [(start, end)] if start < end else []
        out = []
        depth = 0
        piece = start
        for m in self.split_event.finditer(text, start, end):   # only the characters that matter
            ch = m.group()
            i = m.start()
            if ch in self.open:
                depth += 1
            elif ch in self.close:
                depth = max(depth - 1, 0)
            elif ch in _CELL_SPLIT or (depth == 0 and (ch in _UNIT_SPLIT or self._opens_list(text, ch, i + 1, end))):
                depth = 0 if ch in _CELL_SPLIT else depth
                out.append((piece, i + 1))
                piece = i + 1
        if piece < end:
            out.append((piece, end))
        return out

    def _opens_list(self, text: str, ch: str, after: int, end: int) -> bool:
        """Does the mark before ``after`` open a list: an enumeration ("：一是…", "，二是…"), or a
        numbered item after a colon ("努力的方向：1.要…")?"""
        return bool(self.lexicon.enumeration.match(text, after, end)
                    or (ch in "：:" and self.item_after_colon.match(text, after, end)))
