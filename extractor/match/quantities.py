"""Quantities: every number a report writes, with its unit and qualifier.

Extract, then resolve. :class:`QuantityFinder` finds candidate phrases with one compiled pattern
(leading qualifier, number or range, inner approximation, unit, trailing qualifier), resolves each
with :func:`extractor.resolve.quantity.resolve`, and drops what is not a quantity
(:mod:`extractor.match.non_quantities`: years and dates, ordinals, list markers, codes, numbers
inside names and slogans).

The vocabularies are data in ``rules/``: ``units.tsv``, ``scale_words.tsv``, ``qualifiers.tsv``,
and the non-quantity rules named in :mod:`extractor.match.non_quantities`.

``kind`` labels what a quantity measures:

=========  ============================================================
count      a measure word counts things: 名 人次 户 个 家 项 …
money      元 美元 … (万元 -> 元 with the value scaled)
measure    a physical unit: 亩 吨 公里 平方米 千瓦 千瓦时 标箱 岁 …
percent    % ‰ ‱ 百分点, and 百分之N / 千分之N / N成 / N折 (a discount: 八折 = 80 %)
multiple   倍 番
duration   年 个月 天 小时 … (a span of time, not a calendar date)
fraction   三分之一, 1/3, 一半
bare       a number with no unit ("接近了九千")
=========  ============================================================
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import regex

from ..cache import compile_standard
from ..model import Qualifier, Quantity, QuantityKind, TimeSpan
from ..resolve.numerals import BIG_CLASS, DIGIT_CLASS, PERCENT_PREFIXES, POINTS, SMALL_CLASS
from ..resolve.quantity import GROUP_NUMBERS, UNIT_KINDS, Miss, Phrase, QualifierEntry, UnitEntry, Vocabulary, resolve
from ..rules import Rules, member, one_of, trie
from .non_quantities import NonQuantities, Words
from .pattern_search import BEYOND_FIRST_PLANE, re_digits

POSITIONS = ("before", "inner", "after")

SP = r"[ \t]?"
SP2 = r"[ \t]{0,2}"
SP_UNIT = r"[ \t]{0,4}"  # PDF text may put a run of spaces between a number and its unit
_MULTIPLIERS = SMALL_CLASS + BIG_CLASS
_UNIT_KIND_OF = {k.value: k for k in UNIT_KINDS}
_check_unit_kind = one_of(_UNIT_KIND_OF)
# the most parts a numeral of a non-quantity pattern repeats: 四亿五千六百四十二万零一十五 has 14,
# 九千九百九十九兆九千九百九十九亿九千九百九十九万九千九百九十九 31
_LONGEST_NUMERAL = 32
# how far the quantity pattern looks ahead for the mark of a fraction or a range
_LOOKAHEAD = 64


@dataclass(frozen=True)
class _Numerals:
    """The numeral patterns of the finder, built from the rules."""

    cn: str            # a Chinese numeral: 三千九百零三, 十几万, 千三
    arabic: str        # an Arabic number: 1,280 | 5.5 | "1 9 9 3" spaced by PDF extraction
    num: str           # either; the Arabic one may carry scale words (2.5万, 1.39万亿)
    approx: str        # an approximation inside a number (多, 余, 几)
    chars: str         # a character class of every character a numeral may be written with
    firsts: str        # a character class of the characters a numeral starts with


class QuantityFinder:
    """Finds every quantity in a text (the document's matching view), in reading order. ``words``
    is the pipeline's segmenter (``JiebaTokenizer.words``): it tells a numeral inside a word
    (红十字会) from a number."""

    def __init__(self, rules: Rules, words: Words | None = None):
        units = _load_units(rules)
        qualifiers = _load_qualifiers(rules)
        scales = rules.table("scale_words", ["text", "factor"], convert={"factor": float}, required=["text", "factor"])
        numerals = _numerals(units, [q.text for q in qualifiers if q.position == "inner"], [r["text"] for r in scales])
        post = trie(q.text for q in qualifiers if q.position == "after")
        per = rules.expand("{RatePer}")
        per_chars = {c for c in per if regex.match(r"\p{Han}", c)} | {"·"}
        unit_chars = "".join(regex.escape(c) for c in sorted({*"".join(units), "/", *per_chars}))
        pre, sep = _pre_pattern(qualifiers), rules.expand("{RangeSep}")
        master = _master(numerals, _unit_pattern(units, post, per), unit_chars, pre, post, sep)
        self._master = rules.regex(master.body, regex.VERBOSE)
        post_firsts = "".join(regex.escape(q.text[0]) for q in qualifiers if q.position == "after")
        starts = [_start_pattern(numerals, pre, unit_chars + post_firsts, sep, master.ahead, digits)
                  for digits in (re_digits(astral=False), re_digits())]
        self._starts, self._starts_astral = map(compile_standard, starts)
        assert self._starts.groups == self._starts_astral.groups == 1
        # the same pattern without ranges (its range groups never match), to re-read "2022-5"
        no_range = "| (?!)(?P<a>)(?P<aunit>)(?P<sep>)(?P<b>)"
        single = master.body.replace(master.range_alt, no_range)
        self._single = rules.regex(single, regex.VERBOSE)
        # and without fractions either, for a start where neither's look ahead holds (most)
        self._plain = rules.regex(single.replace(master.frac_alt, "| (?!)(?P<frac>)"), regex.VERBOSE)
        assert len({self._master.pattern, self._single.pattern, self._plain.pattern}) == 3
        # a Phrase reads the groups by number, in the order of its fields
        for pattern in (self._master, self._single, self._plain):
            assert {"text": 0, **pattern.groupindex} == GROUP_NUMBERS and pattern.groups == len(GROUP_NUMBERS) - 1
        self._vocab = Vocabulary(units, {(q.position, q.text): q for q in qualifiers})
        # the rows of rules/non_quantity_patterns.tsv write the numerals as {NUM}, {CN} and {AR}; there
        # they are searched at every offset, so their repetitions are bounded: unbounded, a run of
        # numerals costs its length at each of its offsets (quadratic)
        bounded = _numerals(units, [q.text for q in qualifiers if q.position == "inner"],
                            [r["text"] for r in scales], _LONGEST_NUMERAL)
        self._non_quantities = NonQuantities(
            rules, {"NUM": f"(?:{bounded.num})", "CN": f"(?:{bounded.cn})", "AR": f"(?:{bounded.arabic})"},
            words, bounded.chars)

    def find(self, text: str, times: Sequence[TimeSpan]) -> list[Quantity]:
        """Every quantity in ``text`` in reading order. ``times`` are the text's time expressions: a
        number inside one is no quantity unless the time is a duration (为期3年)."""
        marks = self._non_quantities.marks(text, times)
        blocked = marks.blocked
        match, plain, number = self._master.match, self._plain.match, GROUP_NUMBERS["n"]
        out: list[Quantity] = []
        pos = 0
        # the next offset where a candidate may start, at or after the end of the last candidate;
        # its group says a fraction or a range may start there (else the pattern without them reads it)
        next_start = (self._starts_astral if BEYOND_FIRST_PLANE.search(text) else self._starts).search
        while (start := next_start(text, pos)) is not None:
            at = start.start()
            pos = at + 1   # on from the next offset, unless a candidate is read
            found = (plain if start.lastindex is None else match)(text, at)
            if found is None:
                continue
            ns, ne = found.span(number)
            if ns >= 0 and blocked.find(1, ns, ne) >= 0:
                # a single number (no range, fraction or percent) is the number of its quantity,
                # if it resolves to one, and keep() rejects what lies in a blocked span first
                pos = found.end()
                continue
            m = Phrase.of(found)
            q = resolve(m, self._vocab)
            if q is Miss.NOT_A_RANGE:
                code_end = _code_end(m)
                found = self._single.match(text, at)
                if found is None:
                    continue   # on from the next offset
                m = Phrase.of(found)
                q = resolve(m, self._vocab)
                if code_end and isinstance(q, Quantity) and q.kind == QuantityKind.BARE and q.end <= code_end:
                    pos = code_end   # "2—1", "14—3": an item number of a table, neither number an amount
                    continue
            pos = m.end()
            if isinstance(q, Quantity):
                unit_span = m.span("unit") if m.unit and q.unit_text == m.unit else None
                if self._non_quantities.keep(text, q, unit_span, marks):
                    out.append(q)
        return self._non_quantities.share_units(text, out)


def _code_end(m: Phrase) -> int:
    """Where a pair of whole numbers joined by a dash that make no range ("2—1", "5-3") ends; 0 for
    any other pair (3个-5天, 2022年-5)."""
    a, b, sep = m.a, m.b, m.sep
    if a and b and a.isdigit() and b.isdigit() and not m.aunit and sep not in ("至", "到"):
        return m.end("b")
    return 0


# ---- rule loading ------------------------------------------------------------------------------

def _load_units(rules: Rules) -> dict[str, UnitEntry]:
    rows = rules.table("units", ["text", "unit", "kind", "factor", "not_before", "numerals"],
                       convert={"factor": float, "kind": lambda cell: _UNIT_KIND_OF[_check_unit_kind(cell)],
                                "numerals": one_of(("arabic",))},
                       required=["text", "unit", "kind"])
    # "-": a measure word the figure is reported without (获8金: 8, no unit)
    return {r["text"]: UnitEntry(r["text"], "" if r["unit"] == "-" else r["unit"], r["kind"], r["factor"] or 1.0,
                                 r["not_before"], r["numerals"] == "arabic") for r in rows}


def _kinds(cell: str) -> frozenset[QuantityKind]:
    check = member(QuantityKind)
    return frozenset(check(k.strip()) for k in cell.split(",") if k.strip())


def _load_qualifiers(rules: Rules) -> list[QualifierEntry]:
    rows = rules.table("qualifiers", ["text", "position", "qualifier", "not_after", "kinds"],
                       convert={"position": one_of(POSITIONS), "qualifier": member(Qualifier), "kinds": _kinds},
                       required=["text", "position", "qualifier"])
    return [QualifierEntry(r["text"], r["position"], r["qualifier"], r["kinds"] or frozenset(), r["not_after"])
            for r in rows]


# ---- the pattern -------------------------------------------------------------------------------

def _numerals(units: dict[str, UnitEntry], inner_approx: list[str], scale_words: list[str],
              longest: int | None = None) -> _Numerals:
    """The numeral patterns; with ``longest``, a numeral repeats its parts at most that many times."""
    more = "*" if longest is None else f"{{0,{longest}}}"     # the repetitions, bounded or not
    some = "+" if longest is None else f"{{1,{longest}}}"
    # a multiplier character that starts a unit is the unit's ("3千瓦" is 3 千瓦, not 3000 瓦)
    unit_heads = sorted((u for u in units if u[0] in _MULTIPLIERS), key=len, reverse=True)
    guard = f"(?!{'|'.join(regex.escape(u) for u in unit_heads)})" if unit_heads else ""
    mult = (rf"(?:{guard}[{SMALL_CLASS}{BIG_CLASS.replace('兆', '')}]"
            rf"|兆(?={SP}[{DIGIT_CLASS}{SMALL_CLASS}{BIG_CLASS}]))")
    ap = f"(?:{trie(inner_approx)})"
    digit = f"[{DIGIT_CLASS}]"
    decimal_digit = f"[{DIGIT_CLASS.replace('两', '').replace('兩', '').replace('倆', '')}]"
    # bounded, a numeral does not start deep inside a run of numeral characters either
    deep = "" if longest is None else f"(?<![{DIGIT_CLASS}{_MULTIPLIERS}0-9]{{{longest}}})"
    # a numeral starts with a digit or 十; 千三/百三 (1300/130); 百亿/千万/万亿 (read only before a unit)
    cn = (rf"{deep}(?:[负負])?(?:{digit}|[十拾]|[百佰千仟](?={digit})|[百佰千仟万萬](?=[百佰千仟万萬亿億]))"
          rf"(?:{SP}(?:{digit}|{mult}|{ap}(?={SP}{mult}))){more}"
          rf"(?:{SP}[{POINTS}]{SP}{decimal_digit}(?:{SP}{decimal_digit}){more})?")
    # 1,280 | 5 . 5 | digits spaced one by one by PDF extraction ("1 9 9 3", "1 5.3")
    spaced = rf"\d(?:[ ]\d){some}(?!\d)"
    arabic = (rf"(?<![\d.])(?:\d{{1,3}}(?:,\d{{3}}){some}(?![\d,])|{spaced}|\d+)"
              rf"(?:[ \t]?\.[ \t]?(?:{spaced}|\d+))?")
    scale = f"(?:{guard}{trie(scale_words)})"
    # after the scale word one digit at a time: (?:\d+)* would try every split of a digit run (2^n)
    ar = (rf"(?:[-负負](?=\d))?{arabic}"
          rf"(?:{SP2}(?:{ap}{SP})?{scale}(?:零|\d|{SP}{mult}|{ap}(?={SP}{mult})){more})?")
    # every character the two may be written with, and those they start with (the sign, a digit)
    written = {*DIGIT_CLASS, *_MULTIPLIERS, *POINTS, *"-负負,. \t零", *"".join(inner_approx), *"".join(scale_words)}
    chars = "[\\d" + "".join(regex.escape(c) for c in sorted(written)) + "]"
    firsts = rf"[\d\-负負{DIGIT_CLASS}十拾百佰千仟万萬]"
    return _Numerals(cn, arabic, f"(?:{ar}|{cn})", ap, chars, firsts)


# characters that, right after the span of a rate (元/月), make it a word of its own: 月底, 日前, 周年
_PER_WORD_GOES_ON = "底初中份末度前后常年边期"


def _unit_pattern(units: dict[str, UnitEntry], post: str, per: str) -> str:
    """A unit, or a rate of two (元/吨), each guarded by the characters it may not precede; a rate
    may be per a span of time ``per`` (元/月), or per a unit and a span (元/人·月)."""
    # "50所以上" is 50 所 + 以上 although 所以 is a word: a trailing qualifier overrides a guard
    guards = {u: f"(?!{post})[{regex.escape(e.not_before)}]" for u, e in units.items() if e.not_before}
    for u in units:
        if u.isascii() and u[-1].isalpha():
            guards[u] = "[A-Za-z]" + (f"|{guards[u]}" if u in guards else "")
    one = trie(units, guards)
    return rf"(?:{one})(?:/(?:(?:{one})(?:·(?:{per}))?|(?:{per})(?![{_PER_WORD_GOES_ON}\d])))?"


def _pre_pattern(qualifiers: Sequence[QualifierEntry]) -> tuple[str, str]:
    """The leading qualifiers, and a class of the characters they start with."""
    before = [q for q in qualifiers if q.position == "before"]
    alts = []
    for q in sorted(before, key=lambda q: -len(q.text)):
        if q.text.isascii() and q.text[0].isalpha():
            alts.append(rf"(?<![A-Za-z])(?i:{regex.escape(q.text)})[ \t]")
        else:
            not_after = f"(?<![{regex.escape(q.not_after)}])" if q.not_after else ""
            alts.append(rf"{not_after}{regex.escape(q.text)}{SP}")
    if not alts:
        return "(?!)", "(?!)"
    firsts = {q.text[0] for q in before if not (q.text.isascii() and q.text[0].isalpha())}
    # a Latin one is read in any case: any Latin letter may start it (K and ſ fold to k and s)
    latin = "A-Za-z\u212a\u017f" if len(firsts) < len({q.text[0] for q in before}) else ""
    return "(?:" + "|".join(alts) + ")", "[" + "".join(regex.escape(c) for c in sorted(firsts)) + latin + "]"


def _start_pattern(n: _Numerals, pre: tuple[str, str], follow_chars: str, sep: str, ahead: str, digits: str) -> str:
    """Where a candidate may start, for the standard library's re (it scans several times faster
    than regex): a leading qualifier ``pre`` before a numeral's first character, or that character,
    as the pattern opens (most offsets of 大, 高, 不 … start no quantity); but not a Chinese digit
    that nothing of a longer phrase follows (一步, 一些, 三是, 五）): no numeral character, no character
    of a unit or the first of a trailing qualifier (``follow_chars``), no fraction or range mark.
    There the pattern matches the lone digit (no Chinese digit is a decimal digit, which opens an Arabic
    number), a numeral inside a word that resolves to nothing (resolve's _numeral_in_a_word), and
    the search goes on from the next offset anyway.

    Its one group is set where a leading qualifier may start, or the look ahead of a fraction or a
    range (``ahead``) holds: elsewhere those two alternatives of the candidate pattern fail, and
    the pattern without them finds what it finds (faster: most numbers are neither).

    re skips fast to a class of characters a pattern opens with: the pattern reads the first
    character, then looks at what follows from behind it. ``digits`` is what \\d means in regex for
    the texts searched (:func:`~extractor.match.pattern_search.re_digits`)."""
    assert n.firsts.startswith("[\\d") and n.chars.startswith("[\\d")
    firsts, chars = (c.replace("\\d", digits, 1) for c in (n.firsts, n.chars))
    qualified = rf"(?={pre[1]})(?:{pre[0]})(?={firsts})"
    goes_on = chars[:-1] + "又分/半" + follow_chars + "]"
    lone = rf"(?!{sep})[{DIGIT_CLASS}](?!{goes_on})(?!{sep})"
    first = firsts[:-1] + (pre[1][1:] if pre[1].startswith("[") else "]")
    ahead = ahead.replace("\\d", digits)
    maybe = rf"(?:(?<=(?={pre[1]}|{ahead})[\s\S])())?"
    return rf"{first}(?<=(?={qualified}|(?!{lone}){firsts})[\s\S]){maybe}"


class _Master(NamedTuple):
    """The candidate pattern (VERBOSE), its parts that read a range and a fraction, and a look
    ahead that holds where either may start (the two look aheads they open with)."""

    body: str
    range_alt: str
    frac_alt: str
    ahead: str


def _master(n: _Numerals, unit: str, unit_chars: str, pre: tuple[str, str], post: str, sep: str) -> _Master:
    """The candidate pattern and its parts; the group names are those
    :mod:`extractor.resolve.quantity` reads. ``unit_chars`` are the characters units are written
    with, ``pre`` the leading qualifiers and the class of their first characters.

    The pattern is tried at every offset of a text: each part looks at the next character before
    it reads on, and the rarely found ones (a fraction, a range) look ahead for their mark first."""
    num, ap = n.num, n.approx
    pct = "(?:" + "|".join(rf"{p[0]}{SP2}{p[1]}{SP2}{p[2]}" for p in PERCENT_PREFIXES) + ")"
    frac = (rf"(?:(?:{num}){SP2}又{SP2})?(?:{num}){SP2}分{SP2}之{SP2}(?:{num})"
            rf"|(?<![\d./])-?\d+(?:\.\d+)?/\d+(?:\.\d+)?(?![\d/.])|一半")
    # a fraction and a range would read every number before they fail: a look ahead for their 分,
    # / or separator after the number's characters (and the unit's) rules most numbers out at
    # once; beyond _LOOKAHEAD such characters it lets the pattern decide
    frac_chars = n.chars[:-1] + "又]"
    frac_ahead = rf"(?={frac_chars}{{0,{_LOOKAHEAD}}}?[分/]|{frac_chars}{{{_LOOKAHEAD}}}|一半)"
    range_chars = n.chars[:-1] + unit_chars + "]"
    range_ahead = rf"(?={range_chars}{{0,{_LOOKAHEAD}}}?(?:{sep})|{range_chars}{{{_LOOKAHEAD}}})"
    frac_alt = f"| (?P<frac>{frac_ahead}(?:{frac}))"
    range_alt = (rf"| {range_ahead}(?P<a>{num})(?:{SP_UNIT}(?P<aunit>{unit}))?{SP}(?P<sep>{sep}){SP}"
                 rf"(?P<b>{num})")
    body = rf"""
        (?:(?={pre[1]})(?P<pre>{pre[0]}))?
        (?={n.firsts})
        (?:
            (?P<pct>{pct}){SP}(?P<pn>{num}|百(?![{DIGIT_CLASS}]))(?:{SP}(?P<psep>{sep}){SP}(?:{pct}{SP})?(?P<pn2>{num}))?
          {frac_alt}
          {range_alt}
          | (?P<n>{num})
        )
        (?:{SP}(?P<approx>{ap}))?
        (?:{SP_UNIT}(?P<unit>{unit})(?P<half>半(?=[^\p{{Han}}]|$|{post}))?)?
        (?:{SP_UNIT}(?P<post>{post}))?
    """
    return _Master(body, range_alt, frac_alt, f"{frac_ahead}|{range_ahead}")
