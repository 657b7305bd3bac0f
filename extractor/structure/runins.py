"""Run-in subheads: a short topic phrase that opens a paragraph and ends at 。 or ： ("强化理论武装。…"),
or a row of short topic sentences inside one, each elaborated by the sentence after it.

A run-in sits at level 3 or one below the open section, whichever is deeper. One that opens a
paragraph is kept when it has siblings (run-ins opening other paragraphs of the section, or after
the other headings of its list) or when it heads a paragraph of run-ins (see sections.finish).
"""
from __future__ import annotations

import regex

from ..model import Span
from ..rules import Rules
from .cues import Cue, Cues
from .numbering import Numbering
from .shapes import BODY_MIN, HAN, URLISH, heading_name
from .state import BuildState, Found, Para, RuninCandidate
from .textunits import TextUnits

# A run-in subhead ends at its first 。 or ：; anything else first (a comma, the line end) rules it out.
_RUNIN_STOP = regex.compile(r"[。：:，,；;！？!?\n]")
_EIGHT_HAN = regex.compile(r"(?:[^\p{Han}]*\p{Han}){8}")   # at least eight: stops there, counts no further
_DIGIT = regex.compile(r"\d")

_RUNIN_MAX = 20       # a run-in subhead is short (GUIDELINE: ≤ 20 characters)
_MID_RUNIN_MAX = 13   # in mid-paragraph, shorter still: annotated ones run 3 to 12 characters
_ELABORATION_MIN = 15
_BLOCK_END_MIN = 20   # a mid-paragraph run-in follows the long last sentence of the block before it


class RuninReader:
    def __init__(self, rules: Rules, cues: Cues, numbering: Numbering, units: TextUnits):
        self.cues = cues
        self.numbering = numbering
        self.units = units
        self.closers = rules.compile("{Closer}*")

    def read(self, text: str, p: Para, pos: int, st: BuildState, group: tuple[str, int],
             next_para: Para | None) -> None:
        """Run-in subheads in a paragraph: one that opens it (at pos), then any in its middle.

        ``group`` names the opener's siblings; ``next_para`` is the paragraph that may elaborate an
        opener that is the whole paragraph (None where there is none to look at).
        """
        level = max(3, st.top_level() + 1)
        opener = self._opener(text, p, pos, level, next_para)
        candidate = RuninCandidate(opener, group, False) if opener is not None else None
        if candidate is not None:
            st.runins.append(candidate)
        rest = opener.end if opener is not None else pos
        mids = self._mid_paragraph(text, Span(rest, p.end), level, skip_first=opener is None)
        if len(mids) >= 2:
            st.found.extend(mids)
            if candidate is not None:
                candidate.confirmed = True   # it heads a paragraph of parallel run-ins

    def end(self, text: str, pos: int, end: int) -> int | None:
        """End of a run-in subhead starting at pos (after its 。 or ：), or None."""
        m = _RUNIN_STOP.search(text, pos, end)
        if m is None or m.group() not in "。：:":
            return None
        body = text[pos:m.start()].strip()
        n = len(body)
        if n < 2 or n > _RUNIN_MAX or _DIGIT.search(body) or len(HAN.findall(body)) < 2:
            return None
        if self.cues.has(Cue.RUNIN_STOP, body) or self.cues.has(Cue.SALUTATION, body + "："):
            return None
        return self.closers.match(text, m.end(), end).end()

    def _opener(self, text: str, p: Para, pos: int, level: int, next_para: Para | None) -> Found | None:
        """A run-in at pos elaborated by the rest of its paragraph, or by the next paragraph."""
        end = self.end(text, pos, p.end)
        if end is None:
            return None
        after = text[end:p.end].strip()
        if after:
            elaborated = _elaborates(after)
        else:
            nxt = text[next_para.start:next_para.end] if next_para is not None else ""
            elaborated = (len(nxt) >= BODY_MIN and _elaborates(nxt)
                          and not self.numbering.marks(text, next_para.start, next_para.end + 1))
        return Found(pos, end, level, heading_name(text, pos, end), "runin") if elaborated else None

    def _mid_paragraph(self, text: str, span: Span, level: int, skip_first: bool) -> list[Found]:
        """Run-ins in the middle of a paragraph: short topic sentences, each elaborated by the next.

        Only two or more of them (parallel structure) count; ``skip_first`` when the first sentence
        was already judged as an opener.
        """
        sents = self.units.sentences_in(text, span)
        mids = []
        for k in range(len(sents) - 1):
            if k == 0 and skip_first:
                continue
            sp, nxt = sents[k], sents[k + 1]
            e = self.end(text, sp.start, sp.end)
            if e is None or text[e:sp.end].strip():
                continue
            head = text[sp.start:e].rstrip("。：:")
            if len(head) > _MID_RUNIN_MAX or "、" in head:
                continue   # a longer sentence, or one listing items, states work; it does not title it
            nlen, slen = nxt.end - nxt.start, sp.end - sp.start
            if nlen < max(_ELABORATION_MIN, slen + 5) or not ("，" in text[nxt.start:nxt.end] or nlen >= 2 * slen):
                continue
            if self.end(text, nxt.start, nxt.end) is not None:
                continue
            if k > 0:
                prv = sents[k - 1]
                if prv.end - prv.start < _BLOCK_END_MIN and "，" not in text[prv.start:prv.end]:
                    continue   # one of a row of short statements, not the head of a new block
            mids.append(Found(sp.start, sp.end, level, heading_name(text, sp.start, sp.end), "runin", runin=True))
        return mids


def _elaborates(s: str) -> bool:
    """Text that can elaborate a subhead: Chinese prose, not a link or an address."""
    return len(s) >= _ELABORATION_MIN and _EIGHT_HAN.match(s) is not None and not URLISH.search(s[:40])
