"""The title block at the top of a document or of a part: one or two title lines (level 0), with
the bylines and datelines under them."""
from __future__ import annotations

import regex

from .cues import Cue, Cues
from .numbering import Numbering
from .shapes import COMMA, HAN, SPACE_IN_HAN, URLISH, WORD, heading_name
from .state import BuildState, Found, Para
from .view import display_width

_TITLE_STOPS = regex.compile(r"[。！？!?：:；;\t]")
_OPEN_END = regex.compile(r"[，,、]$")

_TITLE_MAX = 40.0
_TITLE2_MAX = 30.0    # the second line of a two-line title
_TITLE_BLOCK = 8      # paragraphs searched for a title at the top of a part


class TitleReader:
    def __init__(self, cues: Cues, numbering: Numbering):
        self.cues = cues
        self.numbering = numbering

    def block(self, text: str, paras: list[Para], i: int, st: BuildState) -> int:
        """Read a title block from paragraph i: title lines (one or two), bylines and datelines.

        Returns the index of the first paragraph after the block (i when there is none). A title
        starts a new part: the nesting starts afresh under it.
        """
        j = i
        title: list[Para] = []
        part = self.cues.has(Cue.PART, text[paras[i].start:paras[i].end])
        while j < len(paras) and j - i < _TITLE_BLOCK:
            p = paras[j]
            s = SPACE_IN_HAN.sub("", text[p.start:p.end])
            if not p.alone or self.cues.has(Cue.SALUTATION, s) or self.cues.has(Cue.TOC, s):
                break
            numbered = bool(self.numbering.marks(text, p.start, p.end + 1))
            if not title and (part or (not numbered and self.line(text, p, second=False))):
                # an appendix line is a title whatever it says; a second line continues a title
                # that does not already end in a title word ("…工作报告")
                title.append(p)
                j += 1
                if j < len(paras) and (part or not self.cues.has(Cue.TITLE_WORD, s)) \
                        and self.line(text, paras[j], second=True):
                    title.append(paras[j])
                    j += 1
                continue
            if not numbered and any(self.cues.has(c, s) for c in (Cue.BYLINE, Cue.NAME, Cue.DATELINE)):
                j += 1
                continue
            break
        if title:
            st.reset()
            name = SPACE_IN_HAN.sub("", " ".join(heading_name(text, t.start, t.end) for t in title))
            st.found.append(Found(title[0].start, title[-1].end, 0, name, "title"))
        return j

    def line(self, text: str, p: Para, second: bool) -> bool:
        """A line that can be a document title (``second``: the second line of one)."""
        s = SPACE_IN_HAN.sub("", text[p.start:p.end])
        if not p.alone or self.numbering.marks(text, p.start, p.end + 1) \
                or any(lead.pattern.match(s) for lead in self.numbering.leads):
            return False
        if display_width(s) > (_TITLE2_MAX if second else _TITLE_MAX):
            return False
        if len(HAN.findall(s)) + len(WORD.findall(s)) < 2:
            return False
        if _TITLE_STOPS.search(s) or _OPEN_END.search(s) or URLISH.search(s):
            return False
        if second and COMMA.search(s):
            return False
        if self.cues.has(Cue.SALUTATION, s) or self.cues.has(Cue.DATELINE, s):
            return False
        if self.cues.has(Cue.TITLE_WORD, s):
            return True
        # "2023年工作回顾" opening a document heads its first section; it does not name the document
        return not (self.cues.has(Cue.BYLINE, s) or self.cues.has(Cue.NAME, s)) and (
            second or self.cues.section_kind(s, 1) is None)
