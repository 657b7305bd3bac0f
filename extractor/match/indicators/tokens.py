"""The tokens of the part of a sentence that holds figures: jieba's words with each figure and time
expression kept as one token, the span ruler's cue labels, and the times that are the base of a
comparison ("比上年增长") told apart from the figure's own time."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...cache import compile_standard
from ...model import Quantity, Span, TimeSpan
from ...segment import CueMatcher, JiebaTokenizer, Protected

if TYPE_CHECKING:
    from .lexicon import Lexicon

QTY_TAG = "QTY"
# a gloss in brackets inside a name holds at most this many words and characters ("（市、区）")
_GLOSS_WORDS = 5
_GLOSS_CHARS = 8
TIME_TAG = "TIME"
BARE_TAG = "BARE"
# a letter or digit of any script: exactly the characters for which str.isalnum() holds
_ALNUM = compile_standard(r"[^\W_]")


@dataclass(slots=True)
class Tok:
    text: str
    tag: str                        # jieba's POS flag; QTY_TAG or TIME_TAG for a protected span
    start: int                      # view offsets
    end: int
    # no letter or digit of any script in it; asked of most tokens several times, so known from the start
    is_punct: bool
    is_break: bool = False          # ends a clause
    qty: Quantity | None = None     # the quantity of a figure token
    time: str = ""                  # the time expression of a time token
    cue: str = ""                   # label of the cue rules (DIR_UP / DIR_DOWN)
    base: bool = False              # a time that is the base of a comparison ("比上年")
    in_gloss: bool = False          # inside a bracketed gloss of a name ("县（市、区）")

    def verb(self) -> bool:
        return self.tag.startswith("v") and not self.tag.startswith("vn")


class RegionTokenizer:
    """Segments the region of a sentence around its figures into :class:`Tok`\\ s."""

    def __init__(self, tokenizer: JiebaTokenizer, cues: CueMatcher, lex: Lexicon):
        self.tokenizer = tokenizer
        self.cues = cues
        self.lex = lex
        marks = lex.marks
        breaks = marks.clause_breaks - marks.gloss_open - marks.gloss_close   # a bracket may hold a gloss
        breaks = {ch for ch in breaks if len(ch) == 1}
        self._region_break = compile_standard("[" + "".join(re.escape(ch) for ch in sorted(breaks)) + "]")
        # a clause between two of these breaks can be kept as one token (see :class:`BareClause`) when
        # its words are cut, labelled and glossed the same alone as inside the region: each break is a
        # word of its own, no cue phrase holds one, and none is a word or a list comma (a gloss spans none)
        self._bare_clauses = tokenizer.cuts_apart(breaks) and cues.never_spans(breaks) \
            and not any(ch.isalnum() for ch in breaks) and breaks.isdisjoint(marks.list_commas)

    def region(self, text: str, sentence: Span, first: int, last: int) -> Span:
        """The part of a sentence to segment: from the clause before the first figure's clause to
        the end of the last figure's clause (only these need words)."""
        before = [m.start() for m in self._region_break.finditer(text, sentence.start, first)]
        start = before[-2] + 1 if len(before) >= 2 else sentence.start
        after = self._region_break.search(text, last, sentence.end)
        end = after.start() if after else sentence.end
        return Span(start, min(end + 1, sentence.end))

    def tokens(self, text: str, region: Span, quantities: Sequence[Quantity],
               times: Sequence[TimeSpan], bare: bool = False) -> list[Tok]:
        """The tokens of ``text[region]``; ``quantities`` lie inside the region, ``times`` overlap it.
        ``bare``: a clause with neither may be one :class:`BareClause` token (when that reads the same)."""
        offset = region.start
        protected = [Protected(q.start - offset, q.end - offset, QTY_TAG) for q in quantities]
        figures = len(protected)
        for t in times:
            a, b = max(t.start, offset) - offset, min(t.end, region.end) - offset
            if a < b and not any(a < p.end and p.start < b for p in protected[:figures]):
                protected.append(Protected(a, b, TIME_TAG))
        protected.sort(key=lambda p: p.start)
        if bare and self._bare_clauses:
            protected = self._with_bare_clauses(text, region, protected)
        pairs = self.tokenizer.split(text[region.start:region.end], protected)
        words = [w for w, _ in pairs]
        by_start = {q.start: q for q in quantities}
        breaks = self.lex.marks.clause_breaks
        alnum = _ALNUM.search
        toks: list[Tok] = []
        append = toks.append
        timed = []                  # the indices of the time tokens
        start = offset
        for word, tag in pairs:
            end = start + len(word)
            if tag == BARE_TAG:
                append(BareClause(word, tag, start, end, False, words=self._words_of(text, start, end)))
            else:
                # a word all of letters and digits has one; a single character has one exactly when it is one
                tok = Tok(word, tag, start, end, not word.isalnum() and (len(word) == 1 or alnum(word) is None),
                          word in breaks)
                if tag == QTY_TAG:
                    tok.qty = by_start.get(start)
                elif tag == TIME_TAG:
                    timed.append(len(toks))
                    tok.time = word
                append(tok)
            start = end
        for k, label in self.cues.labelled(words, pairs).items():
            if toks[k].tag != BARE_TAG:     # a bare clause takes no cue (its words are labelled when cut)
                toks[k].cue = label
        if not self.lex.marks.gloss_open.isdisjoint(words):
            self._join_glosses(toks)
        than, share_of = self.lex.w.than, self.lex.w.share_of
        for k in timed:
            if k and (toks[k - 1].text in than or toks[k - 1].text in share_of) and toks[k].time:
                toks[k].base, toks[k].time = True, ""   # "比上年增长", "占全年目标的": 上年, 全年 are a base, not the time
        return toks

    def _with_bare_clauses(self, text: str, region: Span, protected: list[Protected]) -> list[Protected]:
        """``protected`` (sorted, region offsets) with each clause that holds none of them and ends
        at a break kept whole, tagged :data:`BARE_TAG`; a break inside a protected span ends no clause."""
        if any(a.end > b.start for a, b in zip(protected, protected[1:])):
            return protected      # overlapping spans (split keeps the first): not worth reading apart
        offset = region.start
        out: list[Protected] = []
        k = 0                     # the first protected span that does not end before the clause
        clause_start = 0
        for m in self._region_break.finditer(text, region.start, region.end):
            cut = m.start() - offset
            while k < len(protected) and protected[k].end <= cut:
                k += 1
            if k < len(protected) and protected[k].start <= cut:
                continue          # inside a figure or a time ("1,000", "10:30")
            if clause_start < cut and (k == 0 or protected[k - 1].end <= clause_start):
                out.append(Protected(clause_start, cut, BARE_TAG))
            clause_start = cut + 1
        if not out:
            return protected
        return sorted(protected + out, key=lambda p: p.start)

    def _words_of(self, text: str, start: int, end: int) -> Callable[[], list[Tok]]:
        return lambda: self.tokens(text, Span(start, end), (), ())

    def _join_glosses(self, toks: list[Tok]) -> None:
        """A bracket right after a word that holds a few words and no figure ("县（市、区）",
        "模范（先进）城") glosses that word: neither bracket breaks the clause."""
        marks = self.lex.marks
        for k, t in enumerate(toks):
            if t.text not in marks.gloss_open or not k or not is_word(toks[k - 1]) or toks[k - 1].qty is not None:
                continue
            for j in range(k + 1, min(k + 2 + _GLOSS_WORDS, len(toks))):
                inner = toks[k + 1:j]
                if toks[j].text in marks.gloss_close:
                    if inner and len(join(inner)) <= _GLOSS_CHARS \
                            and all(is_word(x) and x.qty is None and not x.time or x.text in marks.list_commas
                                    for x in inner):
                        t.is_break = toks[j].is_break = False
                        for x in inner:
                            x.in_gloss = True
                    break


@dataclass(slots=True)
class BareClause(Tok):
    """A clause of the region with no figure and no time, kept as one token: only the subject of the
    clause after it may ask for its words (figures are read within their own clause), and cutting
    them costs a fifth of the indicator stage."""

    words: Callable[[], list[Tok]] = list     # the clause's tokens, as :meth:`RegionTokenizer.tokens` gives them


# ---- small pure helpers over token lists

def join(toks: Sequence[Tok]) -> str:
    return "".join([t.text for t in toks])


def is_word(t: Tok) -> bool:
    return not t.is_punct and not t.text.isspace()


def first_unblank(toks: Sequence[Tok]) -> Tok | None:
    """The first token that is not whitespace, if any."""
    for t in toks:
        if not t.text.isspace():
            return t
    return None


def clause_ends(toks: Sequence[Tok]) -> list[int]:
    """For each ``toks[i]``, the index of the break that ends its clause after it (or the end of the
    tokens): one pass for the whole sentence, however many figures its clauses hold."""
    ends: list[int] = []
    for k in [k for k, t in enumerate(toks) if t.is_break]:
        ends += [k] * (k - len(ends))      # the tokens before the break, the break before it excluded
    ends += [len(toks)] * (len(toks) - len(ends))
    return ends


def after_last(toks: list[Tok], marker: Callable[[Tok], bool]) -> list[Tok]:
    """The tokens after the last marker, when something follows it; else all of them."""
    for k in range(len(toks) - 2, -1, -1):
        if marker(toks[k]):
            return toks[k + 1:]
    return toks
