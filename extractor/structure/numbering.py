"""Numbering schemes (rules/headings.tsv) and how a numbered heading takes its level.

A scheme reads the number of its marker ("三、" -> 3) and writes one back for the sanity report.
A numbered heading's level comes from the document's own nesting: the first scheme met is level 1, a
scheme first met inside a section is one level deeper, and a scheme met again closes what was
opened after it (:meth:`Numbering.place`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import regex

from ..resolve.numerals import DIGITS, SMALL_UNITS, parse_number
from ..model import Word
from ..rules import Rules, one_of, union
from .state import BuildState


class Role(Word):
    """What a scheme's marker heads (see rules/headings.tsv)."""

    CONTAINER = "container"         # a numbered heading that opens a section
    CONTINUATION = "continuation"   # a container marker read only where it continues an open list
    LEAD = "lead"                   # a list lead at a paragraph start ("一是…"): a leaf
    DASH = "dash"                   # a "——" lead line: a leaf
    MARKUP = "markup"               # a Markdown heading mark


class Numeral(Word):
    CN = "cn"
    ARABIC = "arabic"
    CIRCLED = "circled"
    LATIN = "latin"
    ROMAN = "roman"
    NONE = "none"


# The number fragments a pattern of rules/headings.tsv may name, by the registry fragment each is.
_NUMBER_FRAGMENTS = {"cn": "CnNumber99", "n": "ArabicNumber99", "circled": "Circled",
                     "latin": "Latin", "roman": "Roman"}
_OWN_NUMBER = "(?P<num>"

_DIGIT = {v: ch for ch, v in reversed(DIGITS.items())}   # the first spelling of each digit
_TEN = next(ch for ch, v in SMALL_UNITS.items() if v == 10)


def cn_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 99 → 九十九: a list number 1-99 as reports write it."""
    if n < 10:
        return _DIGIT[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGIT[tens]) + _TEN + (_DIGIT[ones] if ones else "")


def _numeral_forms(rules: Rules) -> dict[Numeral, tuple[Callable[[str], int], Callable[[int], str]]]:
    """How each numeral reads into a number and is written back."""
    roman = rules.chars("Roman")
    return {
        Numeral.CN: (lru_cache(maxsize=256)(lambda s: int(parse_number(s))), cn_numeral),   # 一 … 九十九
        Numeral.ARABIC: (int, str),
        Numeral.CIRCLED: (lambda s: ord(s) - ord("①") + 1, lambda n: chr(ord("①") + n - 1)),
        Numeral.LATIN: (lambda s: ord(s) - ord("A") + 1, lambda n: chr(ord("A") + n - 1)),
        Numeral.ROMAN: (lambda s: roman.index(s) + 1, lambda n: roman[n - 1]),
    }


@dataclass(frozen=True)
class Scheme:
    """One numbering scheme: ``name`` is a sample marker ("一、"), ``role`` what it heads."""

    name: str
    pattern: regex.Pattern
    numeral: Numeral
    role: Role
    read: Callable[[str], int] | None = None    # None for unnumbered marks (#, ——)
    write: Callable[[int], str] | None = None

    def number(self, m: regex.Match) -> int | None:
        return None if self.read is None else self.read(m.group("num"))

    def render(self, n: int | None) -> str:
        """The marker for number n in this scheme: 一、 → 三、, 1.1 → 1.3."""
        if n is None or self.write is None:
            return self.name
        sample = self.write(1)
        i = self.name.rfind(sample)
        return self.name if i < 0 else self.name[:i] + self.write(n) + self.name[i + len(sample):]


class Mark(NamedTuple):
    """A scheme's marker matched at a paragraph's start."""

    scheme: Scheme
    number: int | None
    end: int


class Placement(NamedTuple):
    """Where a numbered heading goes among the open sections.

    ``pop_to`` is the stack index of the open list it continues (its siblings), None when it opens
    a new list one level below the innermost open section. The higher the score, the better the
    fit: continuing a numbering beats starting one, which beats a broken sequence.
    """

    score: float
    level: int
    pop_to: int | None
    mark: Mark | None = None


class Numbering:
    """The schemes of rules/headings.tsv; finds markers and places numbered headings."""

    def __init__(self, rules: Rules):
        frags = {name: rules.fragment(ref) for name, ref in _NUMBER_FRAGMENTS.items()}
        captured = {name: f"(?P<num>{frag})" for name, frag in frags.items()}
        plain = {name: f"(?:{frag})" for name, frag in frags.items()}

        def marker(cell: str) -> regex.Pattern:
            # a pattern that captures its own number ("1.2" is 2) takes the fragments without capture
            return rules.compile(cell, local=plain if _OWN_NUMBER in cell else captured)

        rows = rules.table("headings", ("role", "scheme", "pattern", "numeral"),
                           convert={"role": one_of(Role), "pattern": marker, "numeral": one_of(Numeral)},
                           required=("role", "scheme", "pattern", "numeral"))
        forms = _numeral_forms(rules)
        self.schemes = []
        for r in rows:
            numeral = Numeral(r["numeral"])
            if numeral != Numeral.NONE and "num" not in r["pattern"].groupindex:
                raise r.error(f"numeral {numeral} but the pattern captures no number "
                              "(name {cn}, {n}, {circled}, {latin} or {roman}, or capture (?P<num>…))")
            self.schemes.append(Scheme(r["scheme"], r["pattern"], numeral, Role(r["role"]),
                                       *forms.get(numeral, (None, None))))
        self.numbered = [s for s in self.schemes if s.role in (Role.CONTAINER, Role.CONTINUATION, Role.MARKUP)]
        self.leads = [s for s in self.schemes if s.role in (Role.LEAD, Role.DASH)]
        # one match tells the many paragraphs that open with no marker (or no lead) from those
        # that open with one
        self.any_numbered = union([s.pattern for s in self.numbered], rules.regex)
        self.any_lead = union([s.pattern for s in self.leads], rules.regex)
        self.rank: dict[str, int] = {}   # a scheme's place in the table: the conventional nesting
        for k, s in enumerate(self.numbered):
            self.rank.setdefault(s.name, k)

    def marks(self, text: str, pos: int, end: int) -> list[Mark]:
        """The numbered markers that match at ``pos`` with text after them before ``end``."""
        out: list[Mark] = []
        if self.any_numbered.match(text, pos, end) is None:
            return out
        for s in self.numbered:
            m = s.pattern.match(text, pos, end)
            if m and m.end() < end:
                out.append(Mark(s, s.number(m), m.end()))
        return out

    def place(self, st: BuildState, marks: list[Mark], indent: int) -> Placement | None:
        """The best fit of the marks found at a paragraph's start, or None when none fits."""
        best = None
        for mark in marks:
            fit = self._fit(st, mark.scheme, mark.number, indent)
            if fit is not None and (best is None or fit.score > best.score):
                best = fit._replace(mark=mark)
        return best

    def _deeper(self, key: str, inner: str) -> bool:
        """Does scheme ``key`` sit below the scheme ``inner`` by the order of rules/headings.tsv
        (一、 above （一） above 1.)? Below any unnumbered heading (a line, a part's title)."""
        return key in self.rank and (inner not in self.rank or self.rank[key] > self.rank[inner])

    def _fit(self, st: BuildState, scheme: Scheme, n: int | None, indent: int) -> Placement | None:
        """How a numbered heading fits the open sections, or None when it fits none."""
        key = scheme.name
        opened = [i for i in range(len(st.stack) - 1, -1, -1) if st.stack[i].key == key]
        # an outer list of the scheme that this number continues ("3.俞…" after "1.…" items nested
        # in "2.蒋…") is the one it belongs to
        going_on = next((i for i in opened if n is not None and st.stack[i].last is not None
                         and n == st.stack[i].last + 1), None)
        exact = next((i for i in opened if st.stack[i].indent == indent), None)
        same = going_on if going_on is not None else exact if exact is not None else next(iter(opened), None)
        if same is not None:
            e = st.stack[same]
            if n is None or e.last is None or n == e.last + 1:
                return Placement(3.0, e.level, same)
            if n == 1 and exact is None and indent > e.indent:
                return Placement(2.0, st.top_level() + 1, None)   # a nested list of the same scheme, indented
            if n == 1 and same < len(st.stack) - 1 and self._deeper(key, st.stack[-1].key):
                # a list starting again inside a section opened under its own item, in a scheme
                # that sits below that section's ("1.孙…" > "二、…" > "1.…"), nests one level deeper
                return Placement(2.0, st.top_level() + 1, None)
            if scheme.role == Role.CONTINUATION:
                return None
            return Placement(1.0 if n == 1 else 0.5, e.level, same)
        if scheme.role == Role.CONTINUATION:
            return None
        level = st.top_level() + 1
        if n is None or n == 1 or st.last_seen.get(key) == n - 1:
            return Placement(2.0, level, None)
        if st.containers == 0:
            return Placement(1.0, level, None)   # a part that starts mid-list
        if scheme.numeral in (Numeral.CN, Numeral.CIRCLED, Numeral.ROMAN):
            return Placement(0.5, level, None)   # a list whose first item is missing: kept, and check() says so
        return None
