"""Stand-alone heading lines: a short unnumbered line that titles the section after it ("存在的问题"),
or a lead line ending in a colon that heads the list after it ("主要成绩如下：").

A section line takes the level of the line heading it follows, or the top level when its words
turn to another kind of section (the problems after the work done); otherwise it nests one level
below the open section. A lead line is a top-level heading over the list it announces.
"""
from __future__ import annotations

import regex

from ..cache import compile_regex
from ..rules import Rules
from .cues import Cue, Cues
from .numbering import Numbering, Role
from .shapes import BODY_MIN, COMMA, HAN, LINE_MAX, URLISH, WORD, heading_name
from .state import BuildState, Found, OpenSection, Para
from .view import display_width

_PUNCT_INSIDE = compile_regex(r"[。；;！？!?：:\t]")
_ENUMERATION = compile_regex(r"[，,、]")

_LEAD_MAX = 40.0      # a stand-alone lead line ending in a colon
_COMMA_LINE_MAX = 18  # a stand-alone heading line in two parts joined by a comma


class LineReader:
    def __init__(self, rules: Rules, cues: Cues, numbering: Numbering):
        self.cues = cues
        self.numbering = numbering
        # searched backwards: an ending is found at the end, not tried at every offset before it
        self.terminal = rules.compile(r"{Terminal}{Closer}*$", flags=regex.REVERSE)

    def read(self, text: str, paras: list[Para], i: int, st: BuildState) -> bool:
        """Paragraph i as a stand-alone heading line; False when it is not one."""
        p = paras[i]
        s = text[p.start:p.end]
        colon = s[-1] in "：:"
        body = s[:-1] if colon else s
        if _PUNCT_INSIDE.search(body) or URLISH.search(s) or "\t" in s:
            return False
        han = len(HAN.findall(body))
        if han + len(WORD.findall(body)) < 2:
            return False
        if not colon and han < 0.5 * len(body.replace(" ", "")):
            return False
        if self.cues.has(Cue.BYLINE, s) or self.cues.has(Cue.DATELINE, s):
            return False
        if i + 1 >= len(paras):
            return False
        if colon:
            return self._lead_line(text, p, paras[i + 1], st)
        return self._section_line(text, paras, i, st)

    def _lead_line(self, text: str, p: Para, nxt: Para, st: BuildState) -> bool:
        """A lead line heads a list only when it says so and a list of level 1 starts right after it."""
        s = text[p.start:p.end]
        body = s[:-1]
        if _ENUMERATION.search(body) or display_width(s) > _LEAD_MAX or not (
                self.cues.has(Cue.LEAD_WORD, body) or self.cues.section_kind(body, 1)):
            return False
        marks = self.numbering.marks(text, nxt.start, nxt.end + 1)
        placed = self.numbering.place(st, marks, nxt.indent) if marks else None
        if placed is None or placed.level != 1 or placed.mark.scheme.role == Role.MARKUP:
            return False
        st.close_hints(1, inclusive=True)
        st.found.append(Found(p.start, p.end, 1, heading_name(text, p.start, p.end), "line"))
        return True

    def _section_line(self, text: str, paras: list[Para], i: int, st: BuildState) -> bool:
        p, nxt = paras[i], paras[i + 1]
        s = text[p.start:p.end]
        if display_width(s) > LINE_MAX:
            return False
        if COMMA.search(s) and (len(s) > _COMMA_LINE_MAX or self.cues.has(Cue.RUNIN_STOP, s)):
            return False   # a clause, not a two-part title ("加强学习，不断提升履职能力")
        if i > 0 and not self._after_block(text, paras[i - 1], st):
            return False   # one of a list of short lines
        if not (nxt.end - nxt.start >= BODY_MIN or self.numbering.marks(text, nxt.start, nxt.end + 1)):
            return False
        name = heading_name(text, p.start, p.end)
        if st.containers == 0 and not any(f.level == 0 for f in st.found) and self.cues.has(Cue.TITLE_WORD, s):
            st.reset()   # the title, after a salutation or a preamble
            st.found.append(Found(p.start, p.end, 0, name, "title"))
            return True
        level = self._level(s, st)
        st.stack.append(OpenSection("line", p.indent, level, None, len(st.found)))
        st.close_hints(level, inclusive=True)
        st.containers += 1
        st.found.append(Found(p.start, p.end, level, name, "line"))
        st.group = len(st.found) - 1
        return True

    def _after_block(self, text: str, prev: Para, st: BuildState) -> bool:
        """The paragraph before a heading line closes a block: it ends a sentence, is a heading, or is long."""
        ps = text[prev.start:prev.end]
        prev_is_heading = bool(st.found) and st.found[-1].start <= prev.start < st.found[-1].end + 1
        return bool(self.terminal.search(ps)) or prev_is_heading or display_width(ps) > LINE_MAX

    def _level(self, s: str, st: BuildState) -> int:
        """The level of a section line; closes the open sections it ends."""
        line = next((k for k in range(len(st.stack) - 1, -1, -1) if st.stack[k].key == "line"), None)
        if line is not None:
            level = st.stack[line].level
            del st.stack[line:]
        elif st.stack and self._turns_top_section(s, st):
            level = st.stack[0].level   # "存在的问题" after the sections on the work done
            st.stack.clear()
        else:
            level = st.top_level() + 1
        return level

    def _turns_top_section(self, s: str, st: BuildState) -> bool:
        """A stand-alone line whose words say what a top section is for, other than the open one."""
        top = st.stack[0].found
        top_cue = self.cues.section_kind(st.found[top].name, 1) if 0 <= top < len(st.found) else None
        plain = self.cues.section_kind(s, 2)   # a cue that holds at any level: "2024年工作安排", "存在的问题"
        if plain is not None:
            return plain != top_cue
        cue = self.cues.section_kind(s, 1)
        return cue is not None and top_cue is not None and cue != top_cue
