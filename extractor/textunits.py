"""Text units of the matching view: paragraphs, sentences and clauses, as spans.

The view (see normalize.py) already has one paragraph per line for flattened and wrapped text; the
functions here still cope with text that did not go through it: a long line whose paragraphs are
joined by runs of spaces, or a heading that follows a sentence end on the same line.
All spans are half-open ``[start, end)`` into the text given, trimmed of surrounding whitespace.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


# A long line whose paragraphs were joined by runs of spaces (as in normalize.py).
_FLAT_MIN_LINE = 300
_FLAT_MIN_WHOLE = 100   # a shorter line will do when it is nearly the whole text
_FLAT_MIN_RUNS = 3
_SPACE_RUN = regex.compile(r"(?<=\S)[ \t\u3000]{2,}(?=\S)")
# A heading that follows a sentence end on the same line, after some space.
_INLINE_HEADING = regex.compile(
    r"(?<=[。！？；：!?;:][”’」』）)]*)[ \t\u3000]+(?=第[一二三四五六七八九十百]+[部分章节]|[一二三四五六七八九十]{1,3}[、是]"
    r"|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、．](?!\d)|——)"
)

_CLOSERS = "”’」』）)》】]\"'"
# A sentence ends at 。！？!? (with the closing quotes and brackets after it), at "……" before a
# closer, and, in English text, at a full stop before a space (not after a list number).
_SENTENCE_END = regex.compile(
    r"[。！？!?]+[" + regex.escape(_CLOSERS) + r"]*"
    r"|…+[" + regex.escape(_CLOSERS) + r"]+"
    r"|(?<=[A-Za-z)\]0-9])\.(?=[ \t]+[A-Z0-9\"“(\p{Han}])"
)
# A lead that ends at a colon: a numbered heading ("一、主要做法：") or a short run-in ("抓重点：").
_HEADING_MARK = regex.compile(
    r"(?:第[一二三四五六七八九十百]+[部分章节]|[一二三四五六七八九十]{1,3}[、是.]|[（(][一二三四五六七八九十\d]{1,3}[）)]"
    r"|\d{1,2}(?:\.\d{1,2})*[.、](?!\d)|\d{1,2}[）)]|[①-⑳]|——)"
)
_COLON_LEAD = regex.compile(r"[^，,。；;！？!?：:\n]{1,20}[：:](?![“‘「『\"])")  # not "他强调：“…”"
_STOP_IN_LEAD = regex.compile(r"[。！？!?]")
_LIST_NUMBER = regex.compile(r"[ \t]*(?:\d{1,3}|[A-Za-z])[ \t]*$")

_OPEN = "“‘「『（(《【["
_CLOSE = "”’」』）)》】]"
_PAIR = dict(zip(_CLOSE, _OPEN))
_CLAUSE_SEP = regex.compile(r"[，；：]|;|(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)")
# what a clause split looks at: an opening or closing bracket or quote, an ASCII quote, a separator
_CLAUSE_EVENT = regex.compile("[" + regex.escape(_OPEN + _CLOSE) + '"]|' + _CLAUSE_SEP.pattern)
_TRAILING_END = regex.compile(r"[。！？!?.…]+$")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraphs(text: str) -> list[Span]:
    """Paragraphs in reading order: lines, split further where a flattened line joined several."""
    out: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        cuts = []
        if end - start >= _FLAT_MIN_LINE or (end - start >= _FLAT_MIN_WHOLE and end - start >= 0.9 * len(text)):
            runs = list(_SPACE_RUN.finditer(text, start, end))
            if len(runs) >= _FLAT_MIN_RUNS:
                cuts = [(m.start(), m.end()) for m in runs]
        cuts += [(m.start(), m.end()) for m in _INLINE_HEADING.finditer(text, start, end)]
        cuts.sort()
        out += _split_at(text, start, end, cuts)
    return out


def _split_at(text: str, start: int, end: int, cuts: list[tuple[int, int]]) -> list[Span]:
    """The trimmed, non-empty pieces of [start, end) between sorted cuts (a cut inside the cut
    before it is passed over)."""
    out: list[Span] = []
    piece_start = start
    for cs, ce in cuts:
        if cs < piece_start:
            continue
        s, e = _trim(text, piece_start, cs)
        if s < e:
            out.append(Span(s, e))
        piece_start = ce
    s, e = _trim(text, piece_start, end)
    if s < e:
        out.append(Span(s, e))
    return out


def sentences(text: str) -> list[Span]:
    """Sentences in reading order; none crosses a paragraph end or a heading's end."""
    out: list[Span] = []
    for para in paragraphs(text):
        out += sentences_in(text, para)
    return out


def sentences_in(text: str, para: Span) -> list[Span]:
    """The sentences of one paragraph (a span from :func:`paragraphs`)."""
    out: list[Span] = []
    start = para.start
    # a paragraph that opens with a heading or a short lead ending at a colon: that lead is one unit
    m = _HEADING_MARK.match(text, start, para.end)
    lead_from = m.end() if m else start
    c = _COLON_LEAD.match(text, lead_from, para.end)
    if c and c.end() < para.end and not _STOP_IN_LEAD.search(text, start, c.end()):
        out.append(Span(*_trim(text, start, c.end())))
        start = c.end()
    for end_match in _SENTENCE_END.finditer(text, start, para.end):
        end = end_match.end()
        if end_match.group().startswith(".") and _LIST_NUMBER.match(text, start, end - 1):
            continue  # "1. Add support…": a list number, not a sentence
        s, e = _trim(text, start, end)
        if s < e:
            out.append(Span(s, e))
        start = end
    s, e = _trim(text, start, para.end)
    if s < e:
        out.append(Span(s, e))
    return out


def _clause_cuts(text: str, start: int, end: int, nested: bool) -> list[tuple[int, int]]:
    if not nested:
        return [(m.start(), m.end()) for m in _CLAUSE_SEP.finditer(text, start, end)]
    # one scan over the characters that matter (brackets, quotes, separators) instead of a loop
    # over every character
    cuts = []
    depth: list[str] = []
    ascii_quote = False
    for m in _CLAUSE_EVENT.finditer(text, start, end):
        ch = m.group()
        if ch in _OPEN:
            depth.append(ch)
        elif ch in _CLOSE:
            if depth and depth[-1] == _PAIR[ch]:
                depth.pop()
            elif _PAIR[ch] in depth:
                while depth and depth.pop() != _PAIR[ch]:
                    pass
        elif ch == '"':
            ascii_quote = not ascii_quote
        elif not depth and not ascii_quote:
            cuts.append((m.start(), m.end()))
    if depth or ascii_quote:
        return _clause_cuts(text, start, end, nested=False)  # unbalanced quotes: ignore them
    return cuts


def clauses(text: str, span: Span) -> list[Span]:
    """A sentence split at ，；：(and , ; : outside numbers), not inside quotes, brackets or 《》.

    Each clause excludes its separator; the last one excludes the sentence's final 。！？.
    """
    end = span.end
    tail = _TRAILING_END.search(text, span.start, end)
    if tail:
        end = tail.start()
    return _split_at(text, span.start, end, _clause_cuts(text, span.start, end, nested=True))
