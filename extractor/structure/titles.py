"""The title block at the top of a document or of a part: one or two title lines and a subtitle
line ("——…工作汇报", "——在…会议上的讲话"), each a heading of level 0, with the bylines and
datelines under them.

A part of a page (an appendix, or one of several reports printed one after another) has a title
of its own: it sits one level below the page's title, and the part's outline nests under it.
"""
from __future__ import annotations

import regex

from ..cache import compile_regex
from .cues import Cue, Cues
from .numbering import Numbering
from .shapes import COMMA, HAN, URLISH, WORD, heading_name, without_space_in_han
from .state import BuildState, Found, OpenSection, Para
from .view import display_width

_TITLE_STOPS = compile_regex(r"[。！？!?：:；;\t]")
# endings, searched backwards: found at the end, not tried at every offset before it
_OPEN_END = compile_regex(r"[，,、]$", regex.REVERSE)
_FULL_STOP_END = compile_regex(r"[。.]$", regex.REVERSE)
_SUBTITLE = compile_regex(r"——[ \t]*(?!.*\d{1,2}[ \t]*月)\S")   # "——…汇报", not "——2024年3月5日在…"

_TITLE_MAX = 40.0
_TITLE2_MAX = 30.0    # the second line of a two-line title
_TITLE_BLOCK = 8      # paragraphs searched for a title at the top of a part


class TitleReader:
    def __init__(self, cues: Cues, numbering: Numbering):
        self.cues = cues
        self.numbering = numbering

    def block(self, text: str, paras: list[Para], i: int, st: BuildState) -> int:
        """Read a title block from paragraph i: title lines (one or two, and a subtitle), bylines
        and datelines.

        Returns the index of the first paragraph after the block (i when there is none). A title
        starts a new part: the nesting starts afresh under it.
        """
        j = i
        title: list[Para] = []
        part = self.cues.has(Cue.PART, text[paras[i].start:paras[i].end])
        nested = part or self.starts_report(text, paras, i, st)
        while j < len(paras) and j - i < _TITLE_BLOCK:
            p = paras[j]
            s = without_space_in_han(text[p.start:p.end])
            if not p.alone or self.cues.has(Cue.SALUTATION, s) or self.cues.has(Cue.TOC, s):
                break
            numbered = bool(self.numbering.marks(text, p.start, p.end + 1))
            if not title and (part or (not numbered and self._first_line(text, paras, j))):
                # an appendix line is a title whatever it says; a second line continues a title
                # that does not already end in a title word ("…工作报告")
                title.append(p)
                j += 1
                if j < len(paras) and (part or not self.cues.has(Cue.TITLE_WORD, s)) \
                        and self.line(text, paras[j], second=True):
                    title.append(paras[j])
                    j += 1
                if j < len(paras) and _SUBTITLE.match(text, paras[j].start, paras[j].end) \
                        and self.line(text, paras[j], second=True, subtitle=True):
                    title.append(paras[j])
                    j += 1
                continue
            if not numbered and any(self.cues.has(c, s) for c in (Cue.BYLINE, Cue.NAME, Cue.DATELINE)):
                j += 1
                continue
            break
        if title:
            self._found(text, title, st, nested)
        return j

    def starts_report(self, text: str, paras: list[Para], i: int, st: BuildState) -> bool:
        """A report of its own under the page's title: a title line ("2023年度述职报告") with its
        author's name or byline under it, after the page's own title."""
        # asked of every paragraph: the place on the page first, the words last
        if i + 1 >= len(paras) or not paras[i].alone or not paras[i + 1].alone:
            return False
        s = without_space_in_han(text[paras[i].start:paras[i].end])
        if len(s) > 2 * _TITLE_MAX or display_width(s) > _TITLE_MAX:   # (no character is narrower than half)
            return False   # most lines: too long for a title (as line() would find)
        if not any(f.level == 0 for f in st.found) or not self.cues.has(Cue.TITLE_WORD, s) \
                or not self.line(text, paras[i], second=False):
            return False
        nxt = without_space_in_han(text[paras[i + 1].start:paras[i + 1].end])
        return self.cues.has(Cue.NAME, nxt) or self.cues.has(Cue.BYLINE, nxt)

    def _found(self, text: str, title: list[Para], st: BuildState, nested: bool) -> None:
        """Each title line a heading: level 0 at the top of the document; a part after the
        document's headings (an appendix, one of several reports) sits at level 1, its own title
        line under it."""
        level = 1 if nested and st.found else 0
        st.reset()
        for k, t in enumerate(title):
            line_level = level + 1 if level and k else level
            st.found.append(Found(t.start, t.end, line_level, heading_name(text, t.start, t.end), "title"))
        st.survey = any(self.cues.has(Cue.SURVEY, text[t.start:t.end]) for t in title)
        if level:
            last = title[-1]
            st.stack.append(OpenSection("title", last.indent, level + (len(title) > 1), None, len(st.found) - 1))

    def _first_line(self, text: str, paras: list[Para], j: int) -> bool:
        """The first line of a title: a title-shaped line; one that reads as a section heading
        ("2023年工作回顾") is a title only when the title block goes on under it (a salutation,
        a byline or a date line follows)."""
        if self.line(text, paras[j], second=False):
            return True
        if j + 1 >= len(paras) or not self.line(text, paras[j], second=False, heading_words=True):
            return False
        nxt = without_space_in_han(text[paras[j + 1].start:paras[j + 1].end])
        return any(self.cues.has(c, nxt) for c in (Cue.SALUTATION, Cue.BYLINE, Cue.NAME, Cue.DATELINE))

    def line(self, text: str, p: Para, second: bool, subtitle: bool = False, heading_words: bool = False) -> bool:
        """A line that can be a document title (``second``: the second line of one; ``subtitle``: a
        "——…" line under it; ``heading_words``: words that would head a section are let through)."""
        if not p.alone:
            return False
        s = without_space_in_han(text[p.start:p.end])
        if display_width(s) > (_TITLE2_MAX if second and not subtitle else _TITLE_MAX):
            return False   # most lines: too long to be a title
        if self.numbering.marks(text, p.start, p.end + 1):
            return False
        if not subtitle and any(lead.pattern.match(s) for lead in self.numbering.leads):
            return False
        if len(HAN.findall(s)) + len(WORD.findall(s)) < 2:
            return False
        if _FULL_STOP_END.search(s) and self.cues.has(Cue.TITLE_WORD, s[:-1]):
            s = s[:-1]   # "2023年度工作总结。": a title word before a full stop
        if _TITLE_STOPS.search(s) or _OPEN_END.search(s) or URLISH.search(s):
            return False
        if (second or subtitle) and COMMA.search(s):
            return False
        if self.cues.has(Cue.SALUTATION, s):
            return False
        if subtitle:
            return True
        if self.cues.has(Cue.DATELINE, s):
            return False
        if self.cues.has(Cue.TITLE_WORD, s):
            return True
        # "2023年工作回顾" opening a document heads its first section; it does not name the document
        return not (self.cues.has(Cue.BYLINE, s) or self.cues.has(Cue.NAME, s)) and (
            second or heading_words or self.cues.section_kind(s, 1) is None)
