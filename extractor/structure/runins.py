"""Run-in subheads: a short topic phrase that opens a paragraph and ends at 。 or ： ("强化理论武装。…"),
or a row of short topic sentences inside one, each elaborated by the sentence after it; and the
items of a "一是…。二是…。" list that runs on inside a paragraph.

A run-in sits at level 3 or one below the open section, whichever is deeper. One that opens a
paragraph is kept when it has siblings (run-ins opening other paragraphs of the section, or after
the other headings of its list), when a run-in follows it inside its paragraph, or, alone, when it
reads as a topic: a short phrase closed by 。 that states no judgement (see sections.finish).
An item of a list running on inside a paragraph sits one level below the open section, as a list
lead does.
"""
from __future__ import annotations

from typing import NamedTuple

import regex

from ..cache import compile_regex
from ..model import Span
from ..rules import Rules, union
from .cues import Cue, Cues
from .numbering import Numbering, Role
from .shapes import BODY_MIN, HAN, URLISH, heading_name
from .state import BuildState, Found, Para, RuninCandidate
from .textunits import TextUnits

# A run-in subhead ends at its first 。 or ：; anything else first (a comma, the line end) rules it out,
# but for one comma between two short parts in an opener with siblings ("合作共事，保持一颗平常心。").
_RUNIN_STOP = compile_regex(r"[。：:，,；;！？!?\n]")
_EIGHT_HAN = compile_regex(r"(?:[^\p{Han}]*\p{Han}){8}")   # at least eight: stops there, counts no further
_DIGIT = compile_regex(r"\d")
_COMMA = compile_regex(r"[，,]")
# searched backwards: an ending is found at the end, not tried at every offset before it
_TERMINAL_END = compile_regex(r"[。！？：；!?:;…][”’」』）)]*$", regex.REVERSE)

_RUNIN_MAX = 20       # a run-in subhead is short (GUIDELINE: ≤ 20 characters)
_MID_RUNIN_MAX = 13   # in mid-paragraph, shorter still: annotated ones run 3 to 12 characters
_ELABORATION_MIN = 15
_BLOCK_END_MIN = 20   # a mid-paragraph run-in follows the long last sentence of the block before it
_PART_MAX = 10        # each part of a run-in in two parts joined by a comma
_PAIRED_PARA_MAX = 200     # a paragraph in two blocks, opener and one run-in in its middle:
_PAIRED_SENTENCES_MAX = 5  # its length after the opener, its sentences,
_PAIRED_HAN_MAX = 9        # and the Han characters of the run-in in its middle
_TOPIC_HAN = (4, 16)  # a run-in that stands alone in its section: Han characters, at least and at most


class Near(NamedTuple):
    """The paragraphs around the one read: the one before (is it closed?) and the one after (may it
    elaborate an opener that is the whole paragraph?); None where there is none to look at."""

    prev: Para | None
    next: Para | None


class RuninReader:
    def __init__(self, rules: Rules, cues: Cues, numbering: Numbering, units: TextUnits):
        self.cues = cues
        self.numbering = numbering
        self.units = units
        self.closers = rules.compile("{Closer}*")
        self.listed = [s for s in numbering.leads if s.role == Role.LEAD and s.read is not None]
        # one match tells the many sentences that open with no list number from those that open with one
        self.any_listed = union([s.pattern for s in self.listed], rules.regex)

    def read(self, text: str, p: Para, pos: int, st: BuildState, group: tuple[str, int], near: Near) -> None:
        """Run-in subheads in a paragraph: one that opens it (at pos), then any in its middle.

        ``group`` names the opener's siblings ("start": run-ins opening the paragraphs of one
        section; "after": run-ins right after the numbered headings of one list).
        """
        level = max(3, st.top_level() + 1)
        opener = self._opener(text, p, pos, level, near.next)
        comma = opener is not None and bool(_COMMA.search(text, opener.start, opener.end))
        if comma and self.cues.has(Cue.STATEMENT, text[opener.start:opener.end]):
            opener = None   # "回顾过去一年，成绩来之不易。": a maxim or a judgement in two parts
        rest = Span(opener.end if opener is not None else pos, p.end)
        # split once, read by each test below (a whole paragraph's may be known already)
        sents = st.sentences_of(p) if rest == (p.start, p.end) else None
        if sents is None:
            sents = self.units.sentences_in(text, rest)
        candidate = None
        if opener is not None:
            alone = group[0] == "start" and self._topic(text, opener, p, near.prev, st, sents)
            candidate = RuninCandidate(opener, group, alone, comma)
            st.runins.append(candidate)
        mids = self._mid_paragraph(text, sents, level, skip_first=opener is None)
        # one run-in in the middle pairs with the opener, or with the numbered heading it follows
        paired = candidate is not None or group[0] == "after"
        if len(mids) >= 2 or (len(mids) == 1 and paired and self._second_block(text, rest, sents, mids[0])):
            st.found.extend(mids)
            if candidate is not None:
                candidate.confirmed = True   # it heads a paragraph of parallel run-ins
        self._list_items_in(text, sents, st.top_level() + 1, None, st)

    def list_items(self, text: str, span: Span, level: int, first: int | None, st: BuildState) -> None:
        """The items of a list running on inside a paragraph ("…。一是完善制度，规范管理。…二是…"):
        sentences opening with the numbers of one list in order, from one (or from the number
        after ``first``, the lead that opened the paragraph), two items at least, short as subheads
        are and elaborated (a row of bare items is a list, not its subheads)."""
        self._list_items_in(text, self.units.sentences_in(text, span), level, first, st)

    def _list_items_in(self, text: str, sents: list[Span], level: int, first: int | None, st: BuildState) -> None:
        """:meth:`list_items` over the sentences of the span."""
        items: list[Found] = []
        want = (first or 0) + 1
        elaborated = False
        for sp in sents:
            marked = None
            if self.any_listed.match(text, sp.start, sp.end) is not None:
                marked = next(((s, m) for s in self.listed if (m := s.pattern.match(text, sp.start, sp.end))), None)
            if marked is None:
                elaborated = elaborated or bool(items) or first is not None
                continue
            scheme, m = marked
            if scheme.number(m) != want:
                break
            if len(text[m.end():sp.end].strip()) > _RUNIN_MAX + 1:
                return   # items that long are the statements of a list, not its subheads
            items.append(Found(sp.start, sp.end, level, heading_name(text, m.end(), sp.end), scheme.name,
                               runin=True, number=want))
            want += 1
        if len(items) + (first is not None) >= 2 and elaborated:
            st.found.extend(items)

    def end(self, text: str, pos: int, end: int, comma: bool = False) -> int | None:
        """End of a run-in subhead starting at pos (after its 。 or ：), or None; ``comma``: one
        comma may join two short parts."""
        m = _RUNIN_STOP.search(text, pos, end)
        if comma and m is not None and m.group() in "，,":
            first = text[pos:m.start()].strip()
            m = _RUNIN_STOP.search(text, m.end(), end)
            if m is None or len(first) > _PART_MAX or len(HAN.findall(first)) < 2 \
                    or m.start() - pos - len(first) - 1 > _PART_MAX:
                return None
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
        end = self.end(text, self.cues.skip(Cue.SEQUENCE, text, pos, p.end), p.end, comma=True)
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

    def _topic(self, text: str, opener: Found, p: Para, prev: Para | None, st: BuildState,
               sents: list[Span]) -> bool:
        """An opener that is a run-in though no other run-in stands by it: a short topic closed by
        。 ("公共卫生服务扎实开展。"), elaborated on its own line, at the start of a line after a
        closed paragraph or a heading; not a judgement ("旗帜问题至关紧要。"). ``sents``: the
        sentences after it in its paragraph."""
        head = text[self.cues.skip(Cue.SEQUENCE, text, opener.start, opener.end):opener.end].rstrip("”’」』）)")
        if not head.endswith("。") or opener.end >= p.end or p.indent < 0:
            return False
        body = head[:-1]
        han = len(HAN.findall(body))
        if not _TOPIC_HAN[0] <= han <= _TOPIC_HAN[1] or _COMMA.search(body):
            return False
        if self.cues.has(Cue.STATEMENT, body):
            return False
        if any(self._whole(text, sp) for sp in sents):
            return False   # one of a row of short measures ("推动…。实施…。加快发展…。"), not a topic
        if prev is None:
            return True
        closed = _TERMINAL_END.search(text, prev.start, prev.end) is not None
        return closed or (bool(st.found) and st.found[-1].start <= prev.start < st.found[-1].end + 1)

    def _whole(self, text: str, sp: Span) -> bool:
        """Is the sentence sp a run-in in shape, all of it, and no statement of a fact or figure?"""
        e = self.end(text, sp.start, sp.end)
        return e is not None and not text[e:sp.end].strip() and not self.cues.has(Cue.STATEMENT, text[sp.start:e])

    def _second_block(self, text: str, span: Span, sents: list[Span], mid: Found) -> bool:
        """A lone mid-paragraph run-in after an opener: the paragraph holds two blocks, each a short
        topic with its elaboration ("交通安全。严禁…。食品安全。严格落实…。"); in a long paragraph
        a short sentence among the measures is one more measure. ``sents``: the sentences of ``span``."""
        if span.end - span.start > _PAIRED_PARA_MAX or len(sents) > _PAIRED_SENTENCES_MAX:
            return False
        if sents[0].start == mid.start:
            return False   # the opener's own elaboration comes first
        head = text[mid.start:mid.end]
        return len(HAN.findall(head)) <= _PAIRED_HAN_MAX and not self.cues.has(Cue.STATEMENT, head)

    def _mid_paragraph(self, text: str, sents: list[Span], level: int, skip_first: bool) -> list[Found]:
        """Run-ins in the middle of a paragraph: short topic sentences, each elaborated by the next.

        They count when there are two or more (parallel structure), or when the paragraph opens
        with a run-in; ``skip_first`` when the first sentence was already judged as an opener.
        ``sents``: the sentences of the rest of the paragraph.
        """
        mids = []
        for k in range(len(sents) - 1):
            if k == 0 and skip_first:
                continue
            sp, nxt = sents[k], sents[k + 1]
            # the lengths around the sentence first: they rule out most sentences without reading them
            nlen, slen = nxt.end - nxt.start, sp.end - sp.start
            if nlen < max(_ELABORATION_MIN, slen + 5) or not (text.find("，", nxt.start, nxt.end) >= 0
                                                               or nlen >= 2 * slen):
                continue
            if k > 0:
                prv = sents[k - 1]
                if prv.end - prv.start < _BLOCK_END_MIN and text.find("，", prv.start, prv.end) < 0:
                    continue   # one of a row of short statements, not the head of a new block
            e = self.end(text, sp.start, sp.end)
            if e is None or text[e:sp.end].strip():
                continue
            head = text[sp.start:e].rstrip("。：:")
            if len(head) > _MID_RUNIN_MAX or "、" in head:
                continue   # a longer sentence, or one listing items, states work; it does not title it
            if self.end(text, nxt.start, nxt.end) is not None:
                continue
            mids.append(Found(sp.start, sp.end, level, heading_name(text, sp.start, sp.end), "runin", runin=True))
        return mids


def _elaborates(s: str) -> bool:
    """Text that can elaborate a subhead: Chinese prose, not a link or an address."""
    return len(s) >= _ELABORATION_MIN and _EIGHT_HAN.match(s) is not None and not URLISH.search(s[:40])
