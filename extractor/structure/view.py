"""The matching view of a document, with a map back to the text as decoded.

Matching runs on a *view*: full-width ASCII forms read as ASCII (same length), and noise that PDF
extraction leaves inside sentences removed (page markers such as "— 12 —", spaces inside a number
such as "5 . 5%" or "1 9 9 7", zero-width characters). The view also repairs the layout of text
that lost it, so that a paragraph is a line of the view:

* flattened text (a whole report on one line, paragraphs joined by runs of spaces): each run of
  spaces becomes a line break;
* text wrapped at a fixed width (PDF extraction: lines broken mid-sentence, by newlines or, when the
  newlines were lost too, by single spaces): a wrap is removed, a paragraph end becomes a line break;
* lines broken around a link or an inline name ("我们依照\\n宪法\\n和\\n基本法\\n有效实施…",
  "制定\\n第三个历史决议\\n，在全党…"): the pieces are joined.

Every view offset maps back to the decoded text, so a fact found in the view still points at
``document[start:end]``; a view line break made from a space maps to that space.
"""
from __future__ import annotations

import bisect
import re
import statistics
from array import array

import regex

from ..cache import compile_regex, compile_standard
from ..model import OffsetMap, TextView
from ..rules import Rules

# Full-width digits, Latin letters and number signs read as ASCII. Chinese punctuation
# (，。：；（）！？) stays: it is punctuation in Chinese text, and "，" is never a thousands separator.
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({"％": "%", "．": ".", "＋": "+", "－": "-", "／": "/", "～": "~", "＝": "=",
                   "＜": "<", "＞": ">", "＃": "#", "\u3000": " ", "\u00a0": " "})
_FULLWIDTH.update({chr(c): " " for c in (*range(0x2002, 0x200B), 0x202F, 0x205F)})  # en/em/thin spaces
FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)
# a class of characters written out: the standard library's re scans for it four times faster than regex
_FULLWIDTH_RUN = compile_standard("[" + "".join(re.escape(c) for c in sorted(_FULLWIDTH)) + "]+")

# Removed from the view: a page marker inside running text ("一 — 1 — 般") or on a line of its own
# ("— 2 —", "第 2 页 共 9 页"), the spaces PDF
# extraction puts inside a number or between a number and what follows it ("5 . 5%", "2023 年",
# "1 9 9 7"), and zero-width characters (they split words and hide blank lines).
_NOISE = compile_regex(
    r"""
      (?m:^[ \t]*(?:—{1,2}|-{1,2})[ \t]*\d{1,3}[ \t]*(?:—{1,2}|-{1,2})[ \t]*\n)   # a page-marker line
    | [ \t]*(?:—{1,2}|-{1,2})[ \t]+\d{1,3}[ \t]+(?:—{1,2}|-{1,2})(?=[ \t])       # one inside a line
    | (?<=\d)[ \t]+(?=\.[ \t]*\d)      # "5 . 5", "5 .5"
    | (?<=\d[ \t]*\.)[ \t]+(?=\d)      # "5. 5"
    | (?<=\d)[ \t](?=[%‰\p{Han}])     # "2023 年", "139.01 亿元", "5 %"
    | (?m:^[ \t]*第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[，,/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?[ \t]*\n)  # "第 2 页 共 9 页"
    | [\u200b-\u200d\u2060\ufeff]+
    """,
    regex.VERBOSE,
)
_SPACED_DIGITS = compile_regex(r"(?<![\d.,])\d(?:[ ]\d){2,}(?![\d.,])")  # "1 9 9 7"

# --- layout repair -------------------------------------------------------------------------------

# A line long enough to hold several paragraphs, and the runs of spaces that join them there.
_FLAT_MIN_LINE = 300
_FLAT_MIN_WHOLE = 100   # a shorter line will do when it is nearly the whole text
_FLAT_MIN_RUNS = 3
_SPACE_RUN = compile_regex(r"(?<=\S)[ \t]{2,}(?=\S)")
# A single space that may be a lost line break inside a long line of wrapped text.
_WRAP_LINE_MIN = 300
# A line this long (or a line that is nearly the whole text) that is not wrapped text is a whole
# document whose paragraphs lost their breaks.
_SPACED_LINE_MIN = 1000
_SINGLE_SPACE = compile_regex(r"(?<=\S) (?=\S)")
_SPACE_AFTER_CJK = compile_regex(r"(?<=[^\x00-\x7f\s])[ \t]+(?=\S)")
_HEADING_LINE_MAX = 30     # a title or unnumbered heading line
_NUMBERED_LINE_MAX = 60    # a numbered heading line ("（一）坚定不移…，…")

# Where a paragraph may end, and how a heading or list item begins (layout cues only; the outline
# itself reads its numbering schemes from rules/headings.tsv).
# A line that cannot end a paragraph (it opens a title or quotation) or cannot start one. The patterns
# of an ending (…$) are searched backwards (REVERSE): found at the end, not tried at every offset
# before it; they are only asked whether they match.
_OPENS = compile_regex(r"[《“‘「『（(，、]$", regex.REVERSE)
_CONTINUES = compile_regex(r"^[，、。；：！？》”’」』）,.;:!?)]")
_HAN_END = compile_regex(r"[\p{Han}）)》”’」』][ \t]*$", regex.REVERSE)
_HAN_START = compile_regex(r"^[ \t]*\p{Han}")

# characters printed at half width (a class of code points: the standard library's re reads it as
# regex does, faster)
_NARROW_RUN = compile_standard(r"[\x00-\u2e7f]+")
_SENTENCE_INSIDE = compile_regex(r"[。！？]")
_CLAUSE_INSIDE = compile_regex(r"[，；,;]")
_CUT_MIN = 20
# A wrapped layout: most units have about the same display width and many stop mid-sentence.
_WRAP_MIN_UNITS = 12
_WRAP_FULL_SHARE = 0.5
_WRAP_OPEN_SHARE = 0.3
_WRAP_SLACK = 2.5
_WRAP_MIN_WIDTH = 15   # a page line is wider than a list of short items
# A text whose paragraphs are separated by blank lines: adjacent lines are pieces of one paragraph.
_BLANK_SEPARATED = 0.6


class ViewBuilder:
    """Builds the matching view of a document; made once from the rules (the heading markers and
    the marks that end a paragraph are shared fragments), then :meth:`build` per document."""

    def __init__(self, rules: Rules):
        self.terminal = rules.compile(r"{Terminal}{Closer}*$", flags=regex.REVERSE)   # (backwards, as _OPENS)
        self.heading_start = rules.compile(r"^(?:{HeadingMark}|{MarkdownHeading})")

    def build(self, original: str) -> TextView:
        """The matching view of a decoded document (newlines already universal)."""
        # str.translate looks up every character; only the rare runs of full-width forms need it
        translated = _FULLWIDTH_RUN.sub(lambda m: m.group().translate(FULLWIDTH_TABLE), original)
        noise = [(m.start(), m.end(), "") for m in _NOISE.finditer(translated)]
        noise += [(m.start() + i, m.start() + i + 1, "") for m in _SPACED_DIGITS.finditer(translated)
                  for i in range(1, m.end() - m.start(), 2)]
        text1, pieces1 = _apply(translated, noise)
        del translated
        text2, pieces2 = _apply(text1, self._layout_edits(text1))
        return TextView(original, text2, _origin(pieces2, pieces1))


    def _layout_edits(self, text: str) -> list[tuple[int, int, str]]:
        edits: list[tuple[int, int, str]] = []
        lines: list[tuple[int, int]] = []
        pos = 0
        for part in text.split("\n"):
            lines.append((pos, pos + len(part)))
            pos += len(part) + 1
        for start, end in lines:
            if end - start >= _FLAT_MIN_LINE or (end - start >= _FLAT_MIN_WHOLE and end - start >= 0.9 * len(text)):
                edits += self._flattened_edits(text, start, end)
        if not edits:
            for start, end in lines:
                if end - start >= _WRAP_LINE_MIN:
                    edits += self._wrapped_line_edits(text, start, end) or (
                        self._single_space_paragraphs(text, start, end)
                        if end - start >= _SPACED_LINE_MIN or end - start >= 0.9 * len(text) else [])
        edits += self._newline_edits(text, lines)
        return edits


    def _flattened_edits(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        runs = list(_SPACE_RUN.finditer(text, start, end))
        if len(runs) < _FLAT_MIN_RUNS:
            return []
        return [(m.start(), m.end(), "\n") for m in runs]


    def _single_space_paragraphs(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """A long line of Chinese whose paragraphs are joined by single spaces: such spaces break it.

        Chinese prose has no spaces between its words, so in a line of this length a space after a
        sentence end or before a heading marker is a lost paragraph break; so is one after a short line
        that reads as a heading or title ("一、2023年工作回顾 2023年是…"). A space inside a sentence
        ("开展 “平安建设”…") is kept.
        """
        edits = []
        seg = start
        for m in _SPACE_AFTER_CJK.finditer(text, start, end):
            left, right = text[seg:m.start()], text[m.end():min(end, m.end() + 8)]
            width = display_width(left)
            heading_like = (width <= _HEADING_LINE_MAX and not _CLAUSE_INSIDE.search(left)) or (
                width <= _NUMBERED_LINE_MAX and self.heading_start.match(left) and not _SENTENCE_INSIDE.search(left))
            if self.terminal.search(left) or self.heading_start.match(right) or heading_like:
                edits.append((m.start(), m.end(), "\n"))
                seg = m.end()
        return edits


    def _wrap_breaks(self, units: list[str]) -> list[bool] | None:
        """For units of wrapped text, whether each boundary (unit i | unit i+1) ends a paragraph.

        None when the units do not look wrapped at a fixed width. A boundary ends a paragraph when the
        unit before it is short of the full width and ends a sentence or is a heading, or when a
        sentence ends and a heading begins.
        """
        stripped = [u.strip() for u in units]
        # the test that rules out most texts first (they end most lines at a sentence end), then the widths
        if sum(1 for u in stripped if u and not self.terminal.search(u)) < _WRAP_OPEN_SHARE * len(stripped):
            return None
        widths = [display_width(u) for u in stripped]
        body = [w for w in widths if w >= 8]
        if len(body) < _WRAP_MIN_UNITS:
            return None
        full = statistics.median(body)
        if full < _WRAP_MIN_WIDTH or sum(1 for w in body if abs(w - full) <= 3) < _WRAP_FULL_SHARE * len(body):
            return None
        breaks: list[bool] = []
        in_heading = False
        for i in range(len(units) - 1):
            a, b = stripped[i], stripped[i + 1]
            if not a or not b:
                breaks.append(True)
                continue
            short = widths[i] < full - _WRAP_SLACK
            ends = bool(self.terminal.search(a))
            b_head = bool(self.heading_start.match(b))
            a_head = bool(self.heading_start.match(a)) and widths[i] < 0.8 * full
            alone = i == 0 or breaks[i - 1]   # a short line that starts a paragraph is all of it: a title
            if alone:
                in_heading = bool(self.heading_start.match(a))
            # a short line ends a paragraph after a sentence end, before a heading, when it is the
            # whole paragraph, or as the last line of a heading wrapped over two lines
            breaks.append((short and (ends or a_head or b_head or alone or in_heading)) or (ends and b_head))
        return breaks


    def _wrapped_line_edits(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        spaces = [m.start() for m in _SINGLE_SPACE.finditer(text, start, end)]
        if len(spaces) < _WRAP_MIN_UNITS:
            return []
        bounds = [start, *[p + 1 for p in spaces]]
        units = [text[bounds[i]:(spaces[i] if i < len(spaces) else end)] for i in range(len(bounds))]
        breaks = self._wrap_breaks(units)
        if breaks is None:
            return []
        edits = []
        for p, brk in zip(spaces, breaks):
            if brk:
                edits.append((p, p + 1, "\n"))
            elif not (text[p - 1].isascii() and text[p + 1].isascii()):
                edits.append((p, p + 1, ""))  # a wrap between CJK characters leaves no space
        return edits


    def _newline_edits(self, text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """Join lines that are pieces of one paragraph: a wrapped layout, or a line broken at a link."""
        nonblank = [i for i, (s, e) in enumerate(lines) if text[s:e].strip()]
        if len(nonblank) < 2:
            return []
        units = [text[lines[i][0]:lines[i][1]] for i in range(len(lines))]
        wrap = self._wrap_breaks(units) if len(nonblank) >= _WRAP_MIN_UNITS else None
        followed_by_blank = sum(1 for i in nonblank if i + 1 < len(lines) and not units[i + 1].strip())
        blank_separated = followed_by_blank >= _BLANK_SEPARATED * len(nonblank)
        edits = []
        for i in range(len(lines) - 1):
            a, b = units[i].rstrip(), units[i + 1]
            if not a.strip() or not b.strip() or ("\t" in a.strip() and "\t" in b.strip()):
                continue                          # blank lines, and two rows of a table, stay apart
            b_body = b.lstrip()
            join = False
            if _CONTINUES.match(b_body) or _OPENS.search(a):
                join = True
            elif wrap is not None:
                join = not wrap[i]
            elif (_HAN_END.search(a) and _HAN_START.match(b) and not self.heading_start.match(b_body)
                  and (not self.heading_start.match(a.lstrip()) or _SENTENCE_INSIDE.search(a))):
                # a line cut inside a sentence: in text whose paragraphs are set apart by blank lines any
                # unfinished line is one; elsewhere a long one that has already started a clause
                join = blank_separated or (_CLAUSE_INSIDE.search(a) is not None and display_width(a.strip()) >= _CUT_MIN)
            if join:
                nl = lines[i][0] + len(a)
                indent_end = lines[i + 1][0] + (len(b) - len(b_body))
                keep_space = a[-1:].isascii() and a[-1:].isalnum() and b_body[:1].isascii() and b_body[:1].isalnum()
                edits.append((nl, indent_end, " " if keep_space else ""))
        return edits


# A piece of an edited text: (its start in the new text, its start in the old text, its length);
# a replacement character is a piece of length one that starts at the replaced span's start.
Piece = tuple[int, int, int]


def _apply(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[Piece]]:
    """Replace each [start, end) by its (at most one character) replacement; return the text and its
    pieces (one per edit, not one entry per character: a long document stays small)."""
    out: list[str] = []
    pieces: list[Piece] = []
    pos = new = 0
    for start, end, repl in sorted(edits):
        if start < pos:
            continue  # overlapping edits: the first one wins
        if start > pos:
            out.append(text[pos:start])
            pieces.append((new, pos, start - pos))
            new += start - pos
        if repl:
            out.append(repl)
            pieces.append((new, start, 1))
            new += 1
        pos = end
    out.append(text[pos:])
    pieces.append((new, pos, len(text) - pos))
    return "".join(out), pieces


def _origin(outer: list[Piece], inner: list[Piece]) -> OffsetMap:
    """The decoded offset of each view character: ``outer`` maps the view onto the text of the first
    edits, ``inner`` that text onto the decoded one; kept as runs of consecutive offsets."""
    view_starts, decoded_starts = array("q"), array("q")
    view = 0
    following = -1                # the decoded offset that would continue the last run
    inner_starts = [p[0] for p in inner]
    for _, old, length in outer:
        k = bisect.bisect_right(inner_starts, old) - 1
        while length > 0:
            start, decoded, size = inner[k]
            take = min(length, start + size - old)
            first = decoded + old - start
            if first != following:
                view_starts.append(view)
                decoded_starts.append(first)
            view += take
            following = first + take
            old += take
            length -= take
            k += 1
    return OffsetMap(view_starts, decoded_starts, view)


def display_width(s: str) -> float:
    """Width as printed: a CJK character is one, an ASCII character half."""
    wide = len(_NARROW_RUN.sub("", s))   # one C pass instead of a Python loop per character
    return wide + 0.5 * (len(s) - wide)
