"""Resolve: the quantity a candidate phrase writes, as pure functions of the match and the vocabulary.

The finder (:mod:`extractor.match.quantities`) compiles one pattern whose named groups are the
parts of a quantity phrase; this module reads them:

=================  ====================================================
pre                a leading qualifier (近, 超过, 约)
pct pn psep pn2    百分之N, or a range 百分之N至M
frac               a fraction (三分之一, 1/3, 一半)
a aunit sep b      a range (3至5, 3万-5万, 5个-8个)
n                  a single number
approx             an approximation after the number (2万多人次)
unit half          the unit, and a 半 after it (三斤半)
post               a trailing qualifier (以上, 左右)
=================  ====================================================

:func:`resolve` returns the :class:`~extractor.model.Quantity`, or a :class:`Miss` that says why
there is none. It reads the match through a :class:`Phrase`.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

import regex

from ..cache import compile_regex
from ..model import Qualifier, Quantity, QuantityKind
from .numerals import BIG_CLASS, DIGITS, PERCENT_PREFIXES, SMALL_CLASS, read_number


class UnitRole(str, Enum):
    """A unit whose number is not simply its kind's amount (``kind`` in rules/units.tsv)."""

    DISCOUNT = "discount"   # 八折 = 80 %, 7.5折 = 75 %, 75折 = 75 %: reported as a percent
    SKIP = "skip"           # the number names a thing: 周年 anniversaries, 号 document and house numbers


# the kinds a unit may give its number; fractions and bare numbers have no unit
UNIT_KINDS: tuple[QuantityKind | UnitRole, ...] = (
    *(k for k in QuantityKind if k not in (QuantityKind.FRACTION, QuantityKind.BARE)), *UnitRole)


@dataclass(frozen=True, slots=True)
class UnitEntry:
    text: str                         # as written after the number
    unit: str                         # normalised (万元 -> 元 is the scale word's doing; 个百分点 -> 百分点)
    kind: QuantityKind | UnitRole
    factor: float                     # the number is multiplied by it (成: 八成 -> 80 %)
    not_before: str = ""              # characters that, right after the unit, make it part of the next word
    arabic_only: bool = False         # a count only after digits: 3方面 counts, 三个方面 is the report's own parts


@dataclass(frozen=True, slots=True)
class QualifierEntry:
    text: str
    position: str                     # before | inner | after (the number and its unit)
    qualifier: Qualifier
    kinds: frozenset[QuantityKind]    # only after units of these kinds; empty: any
    not_after: str = ""               # characters that, right before it, make it part of another word


@dataclass(frozen=True)
class Vocabulary:
    """What resolution reads from the rules: units and qualifiers by their written text."""

    units: dict[str, UnitEntry]
    qualifiers: dict[tuple[str, str], QualifierEntry]   # by (position, text)


class Miss(Enum):
    """Why a candidate phrase resolves to no quantity."""

    NOT_A_QUANTITY = "none"       # 统一, 一些, 二〇二三 without a unit, 十折
    NOT_A_RANGE = "single"        # "2022-5", "5-3", "3个-5天": read the first number alone


class Phrase(NamedTuple):
    """A candidate match of the finder's pattern: the text of each of its groups by the group's
    name (None where it did not match), in the order of the pattern's group numbers (the finder
    checks), and the match itself, for where a group stands. A field is read many times faster
    than the regex module finds a group by its name, and a candidate reads a dozen of them."""

    text: str                 # the whole match (group 0)
    pre: str | None
    pct: str | None
    pn: str | None
    psep: str | None
    pn2: str | None
    frac: str | None
    a: str | None
    aunit: str | None
    sep: str | None
    b: str | None
    n: str | None
    approx: str | None
    unit: str | None
    half: str | None
    post: str | None
    match: regex.Match

    @classmethod
    def of(cls, match: regex.Match) -> Phrase:
        return tuple.__new__(cls, (match.group(), *match.groups(), match))

    def start(self, name: str = "text") -> int:
        return self.match.start(GROUP_NUMBERS[name])

    def end(self, name: str = "text") -> int:
        return self.match.end(GROUP_NUMBERS[name])

    def span(self, name: str = "text") -> tuple[int, int]:
        return self.match.span(GROUP_NUMBERS[name])


# the number of each group of the finder's pattern, by the name of its field in a Phrase
GROUP_NUMBERS: dict[str, int] = {name: i for i, name in enumerate(Phrase._fields[:-1])}


@dataclass(slots=True)
class _Figure:
    """The quantity being read: number, then unit, then qualifier."""

    value: float
    value_max: float | None
    num_span: tuple[int, int]
    end: int
    approx: bool
    kind: QuantityKind = QuantityKind.BARE
    unit: str = ""
    unit_text: str = ""


_ADJACENT = compile_regex(
    rf"^(?P<ten>[十拾])?(?P<d1>[一二两三四五六七八九])(?P<d2>[二两三四五六七八九])"
    rf"(?P<mul>[{SMALL_CLASS}{BIG_CLASS}]*)$"
)
_ADJACENT_FIRST = "十拾一二两三四五六七八九"   # what _ADJACENT may open with: most numbers are Arabic
# the neighbour pairs that write an approximate range (五六个, 七八十); 三五 is the usual "a few"
_ADJACENT_PAIRS = {(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (3, 5)}
_TRAILING_MULT = compile_regex(rf"[{SMALL_CLASS}{BIG_CLASS}]+$")
_ANY_MULT = compile_regex(rf"[{SMALL_CLASS}{BIG_CLASS}]")
# units after which 一 is an article, not a count (一个, 一家, 一年)
_ARTICLE_KINDS = (QuantityKind.COUNT, QuantityKind.MONEY, QuantityKind.DURATION)


def resolve(m: Phrase, vocab: Vocabulary) -> Quantity | Miss:
    """The quantity a candidate match of the finder's pattern writes, or why it writes none."""
    unit_text, approx = m.unit, m.approx
    unit_entry = vocab.units.get(unit_text.split("/")[0]) if unit_text else None
    if _numeral_in_a_word(m.n, unit_entry, bool(approx)):
        return Miss.NOT_A_QUANTITY
    if m.pct:
        fig, unit_entry = _percent(m), None
    elif m.frac:
        fig, unit_entry = _fraction(m), None
    elif m.a:
        fig = _range(m, unit_entry, vocab.units)
    else:
        fig = _single(m, unit_entry)
    if isinstance(fig, Miss):
        return fig
    if approx:
        fig.end = m.end("approx")
    if unit_entry is not None:
        if unit_entry.kind is UnitRole.SKIP:
            return Miss.NOT_A_QUANTITY
        if unit_entry.arabic_only and not any(c.isdigit() for c in m.text):
            return Miss.NOT_A_QUANTITY
        _apply_unit(fig, m, unit_entry, vocab.units)
    start, end, qualifier = _qualify(fig, m, vocab.qualifiers)
    return Quantity(start, end, fig.num_span[0], fig.num_span[1], fig.value, fig.value_max,
                    fig.unit, fig.unit_text, qualifier, fig.kind)


def _numeral_in_a_word(single: str | None, unit_entry: UnitEntry | None, approx: bool) -> bool:
    """The common case of a numeral character inside a word (一些, 统一, 三大), settled early."""
    if single is None or len(single) != 1 or single not in DIGITS:
        return False
    if unit_entry is None and not approx:
        return True
    return single in "一壹" and unit_entry is not None and unit_entry.kind in _ARTICLE_KINDS


def _percent(m: Phrase) -> _Figure | Miss:
    """百分之八十五, 千分之三, 百分之五至百分之十."""
    r = read_number(m.pn)
    if r is None or r.sequence or r.percent:
        return Miss.NOT_A_QUANTITY
    value_max = None
    if m.pn2:
        r2 = read_number(m.pn2)
        if r2 is None or r2.sequence or r2.value <= r.value:
            return Miss.NOT_A_QUANTITY
        value_max = r2.value
    end = m.end("pn2") if m.pn2 else m.end("pn")
    mark = PERCENT_PREFIXES[regex.sub(r"\s", "", m.pct)]
    return _Figure(r.value, value_max, (m.start("pct"), end), end, bool(m.approx) or r.approx,
                   QuantityKind.PERCENT, mark, m.pct)


def _fraction(m: Phrase) -> _Figure | Miss:
    r = read_number(m.frac)
    if r is None:
        return Miss.NOT_A_QUANTITY
    return _Figure(r.value, None, m.span("frac"), m.end("frac"), bool(m.approx), QuantityKind.FRACTION)


def _range(m: Phrase, unit_entry: UnitEntry | None, units: dict[str, UnitEntry]) -> _Figure | Miss:
    got = read_range(m.a, m.b)
    if got is None:
        return Miss.NOT_A_RANGE
    aunit = m.aunit
    if aunit:   # both ends carry a unit: the same one (5个-8个), else two quantities (3个-5天)
        a_entry = units.get(aunit)
        if unit_entry is None or a_entry is None or a_entry.unit != unit_entry.unit:
            return Miss.NOT_A_RANGE
    return _Figure(got[0], got[1], (m.start("a"), m.end("b")), m.end("b"), bool(m.approx))


def _single(m: Phrase, unit_entry: UnitEntry | None) -> _Figure | Miss:
    core = m.n
    approx = bool(m.approx)
    adj = _ADJACENT.match(core) if core[:1] in _ADJACENT_FIRST else None
    got = read_adjacent(adj) if adj else None
    if got is not None:
        value, value_max = got
        if not unit_entry and not adj.group("mul"):
            return Miss.NOT_A_QUANTITY
    else:
        r = read_number(core)
        discount = unit_entry is not None and unit_entry.kind is UnitRole.DISCOUNT
        if r is None or (r.sequence and not (discount and r.value < 100)):
            return Miss.NOT_A_QUANTITY  # 二〇二三, 五一; but 五五折 is 55 %
        if discount and r.value >= 10 and not (r.sequence or core.replace(" ", "").isdigit()):
            return Miss.NOT_A_QUANTITY  # 十折 is no discount; 75折 and 五五折 are
        value, value_max = r.value, None
        approx = approx or r.approx
    span = m.span("n")
    return _Figure(value, value_max, span, span[1], approx)


def _apply_unit(fig: _Figure, m: Phrase, entry: UnitEntry, units: dict[str, UnitEntry]) -> None:
    fig.unit, fig.unit_text = entry.unit, m.unit
    if "/" in fig.unit_text:  # a rate: 元/吨, 微克/立方米
        fig.unit = "/".join(units[u].unit if u in units else u for u in fig.unit_text.split("/"))
    half = m.half
    if half and fig.value_max is None:  # 三斤半, 两年半
        fig.value += 0.5
    if entry.kind is UnitRole.DISCOUNT:  # 八折 = 80 %, 7.5折 = 75 %, 75折 = 75 %
        fig.kind = QuantityKind.PERCENT
        if fig.value < 10:
            fig.value *= 10
        if fig.value_max is not None and fig.value_max < 10:
            fig.value_max *= 10
    else:
        fig.kind = entry.kind
    fig.value *= entry.factor
    if fig.value_max is not None:
        fig.value_max *= entry.factor
    fig.end = m.end("half") if half else m.end("unit")


def _qualify(fig: _Figure, m: Phrase,
             qualifiers: dict[tuple[str, str], QualifierEntry]) -> tuple[int, int, Qualifier]:
    """The phrase's start and end with its qualifier words, and the qualifier they say."""
    qualifier: Qualifier | None = None
    end = fig.end
    post = m.post
    if post:
        entry = qualifiers.get(("after", post))
        if entry and (not entry.kinds or fig.kind in entry.kinds):
            qualifier, end = entry.qualifier, m.end("post")
    start = fig.num_span[0]
    pre = m.pre
    if pre:
        entry = qualifiers.get(("before", pre.strip().removesuffix("了").strip()))
        entry = entry or qualifiers.get(("before", pre.strip()))
        if entry:
            start = m.start("pre")
            qualifier = qualifier or entry.qualifier
    if fig.value_max is not None:
        qualifier = Qualifier.RANGE
    elif not qualifier:
        qualifier = Qualifier.OVER if fig.approx else Qualifier.EXACT
    return start, end, qualifier


def read_range(a: str, b: str) -> tuple[float, float] | None:
    """The two ends of a range written "a至b", or None when they do not make one (2022-5, 5-3)."""
    ra, rb = read_number(a), read_number(b)
    if ra is None or rb is None or ra.sequence or rb.sequence or ra.percent or rb.percent:
        return None
    lo = ra.value
    tail = _TRAILING_MULT.search(b)
    if tail and not _ANY_MULT.search(a):
        # "3至5万" is 3万 to 5万
        scaled = read_number(a + tail.group())
        if scaled is not None and scaled.value < rb.value:
            lo = scaled.value
    if lo >= rb.value:
        return None
    return lo, rb.value


def read_adjacent(adj: regex.Match) -> tuple[float, float] | None:
    """五六个 -> 5..6, 二三十 -> 20..30, 十五六 -> 15..16, 三四百万 -> 3000000..4000000."""
    d1, d2 = DIGITS[adj.group("d1")], DIGITS[adj.group("d2")]
    if (d1, d2) not in _ADJACENT_PAIRS:
        return None
    base = 10 if adj.group("ten") else 0
    scale = 1.0
    if adj.group("mul"):
        r = read_number("一" + adj.group("mul"))
        if r is None:
            return None
        scale = r.value
    return (base + d1) * scale, (base + d2) * scale
