"""The matching view of a document, with a map back to the text as decoded.

Matching runs on a *view*: full-width ASCII forms read as ASCII (same length), and noise that PDF
extraction leaves inside sentences removed (page markers such as "— 12 —", spaces inside a number
such as "5 . 5%"). Every view offset maps back to the decoded text, so a fact found in the view
still points at ``document[start:end]``.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

# Full-width digits, Latin letters and number signs read as ASCII. Chinese punctuation
# (，。：；（）！？) stays: it is punctuation in Chinese text, and "，" is never a thousands separator.
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({"％": "%", "．": ".", "＋": "+", "－": "-", "／": "/", "～": "~", "＝": "=",
                   "＜": "<", "＞": ">", "＃": "#", "\u3000": " ", "\u00a0": " "})
FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)

# Removed from the view: a page marker inside running text ("一 — 1 — 般"), and the spaces PDF
# extraction puts inside a number or between a number and what follows it ("5 . 5%", "2023 年").
_NOISE = regex.compile(
    r"""
      (?m:^[ \t]*(?:—{1,2}|-{1,2})[ \t]*\d{1,3}[ \t]*(?:—{1,2}|-{1,2})[ \t]*\n)   # a page-marker line
    | [ \t]*(?:—{1,2}|-{1,2})[ \t]+\d{1,3}[ \t]+(?:—{1,2}|-{1,2})[ \t]*            # one inside a line
    | (?<=\d)[ \t]+(?=\.[ \t]*\d)      # "5 . 5", "5 .5"
    | (?<=\d[ \t]*\.)[ \t]+(?=\d)      # "5. 5"
    | (?<=\d)[ \t](?=[%‰\p{Han}])     # "2023 年", "139.01 亿元", "5 %"
    """,
    regex.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class TextView:
    """``text`` is what matchers read; ``origin[i]`` is the decoded-text offset of ``text[i]``."""

    original: str
    text: str
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span [start, end) to the decoded text; the span keeps any noise inside it."""
        if end <= start:
            o = self.origin[start] if start < len(self.origin) else len(self.original)
            return o, o
        return self.origin[start], self.origin[end - 1] + 1


def normalize(original: str) -> TextView:
    """Build the matching view of a decoded document (newlines already universal)."""
    translated = original.translate(FULLWIDTH_TABLE)
    pieces: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _NOISE.finditer(translated):
        if m.start() > pos:
            pieces.append(translated[pos:m.start()])
            origin.extend(range(pos, m.start()))
        pos = m.end()
    pieces.append(translated[pos:])
    origin.extend(range(pos, len(translated)))
    return TextView(original, "".join(pieces), tuple(origin))
