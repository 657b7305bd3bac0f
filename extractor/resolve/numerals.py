"""Numerals as reports write them, read into numbers: pure functions, no rules needed.

"三千九百零三" -> 3903, "2.5万" -> 25000, "1,280" -> 1280, "壹佰贰拾" -> 120, "三分之一" -> 0.333…,
"百分之八十五" -> 85 (the percent number), "八成" -> 80 (percent), "6600多万" -> 66000000 (approximate).

The numeral characters are a closed set that belongs to the writing system (like Unicode's digit
data), so they are constants here. Open lists — the scale words a finder accepts after a number, the
units — live in ``rules/``; a test checks that every scale word there reads through this module.

Values are computed with :class:`decimal.Decimal` so that "4.55亿" is exactly 455000000.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..cache import compile_standard

# ---- the characters ------------------------------------------------------------------------

DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "倆": 2,
    "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
ZEROS = "〇零"
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
POINTS = "点點"
SIGNS = "负負-"
# approximation marks that may sit inside a numeral: 6600多万, 十几万, 一百零几万, 五百余万
INNER_APPROX = "多余几幾"
# the financial forms are also ordinary characters (队伍, 陆地, 收拾): a finder needs them next to
# another numeral character before it reads them as a number
FINANCIAL = "壹贰貳叁參肆伍陆陸柒捌玖拾佰仟"
PERCENT_PREFIXES: dict[str, str] = {
    "百分之": "%", "佰分之": "%", "千分之": "‰", "仟分之": "‰", "万分之": "‱", "萬分之": "‱",
}

# character classes for finders that build patterns on the same alphabet
DIGIT_CLASS = "".join(DIGITS)
SMALL_CLASS = "".join(SMALL_UNITS)
BIG_CLASS = "".join(BIG_UNITS)

_WIDE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                       "％": "%", "．": ".", "，": ",", "－": "-", "／": "/"})
_ARABIC = compile_standard(r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d*\.\d+|\d+")
_SPACE = compile_standard(r"\s+")
_PLAIN_ARABIC = compile_standard(r"[0-9]+(?:\.[0-9]+)?")
_MIXED_FRACTION = compile_standard(r"^(-?\d+)\s+(\d+)/(\d+)$")
_ARABIC_FRACTION = compile_standard(r"^(-?\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)$")


@dataclass(frozen=True, slots=True)
class Reading:
    """A numeral read into a number, with what the writing said about it."""

    value: float
    approx: bool = False  # 多/余/几 written inside the numeral ("6600多万", "十几")
    percent: str = ""  # "%", "‰" or "‱" for 百分之/千分之/万分之, "成", a trailing % sign
    fraction: bool = False  # 三分之一, 1/3, 一半
    sequence: bool = False  # digits read one by one ("二〇二三", "五六"): a code or a year, not a count


@dataclass(frozen=True, slots=True)
class _Plain:
    value: Decimal
    approx: bool
    sequence: bool


def parse_number(s: str) -> float | None:
    """The number a numeral writes, or None when ``s`` is not a numeral.

    >>> parse_number("三千九百零三"), parse_number("2.5万"), parse_number("百分之八十五")
    (3903.0, 25000.0, 85.0)
    """
    r = read_number(s)
    return None if r is None else r.value


@functools.lru_cache(maxsize=4096)
def read_number(s: str) -> Reading | None:
    """Read a numeral (Arabic, Chinese, financial or mixed; fraction; percent form) or return None;
    None too for a number too large for a float (一亿亿亿…, 400 nines): no value is infinite.
    A report writes the same figures again and again: readings are kept (they are immutable)."""
    r = _read_number(s)
    return r if r is None or math.isfinite(r.value) else None


def _read_number(s: str) -> Reading | None:
    if not s:
        return None
    if len(s) <= 28 and _PLAIN_ARABIC.fullmatch(s):
        # most figures are plain Arabic numbers ("2023", "5.2"); float() reads them as the general
        # path below does: up to Decimal's 28 digits that path is exact and rounds only once
        return Reading(float(s))
    s = s.translate(_WIDE).strip()
    m = _MIXED_FRACTION.match(s)
    if m:  # "1 3/5"
        whole, num, den = (Decimal(g) for g in m.groups())
        if den == 0:
            return None
        sign = -1 if whole < 0 else 1
        return Reading(float(whole + sign * num / den), fraction=True)
    t = _SPACE.sub("", s)
    if not t:
        return None
    if t[-1] in "%‰":
        inner = read_number(t[:-1])
        if inner is None or inner.percent:
            return None
        return Reading(inner.value, inner.approx, t[-1], inner.fraction)
    for prefix, mark in PERCENT_PREFIXES.items():
        if t.startswith(prefix):
            p = _read_plain(t[len(prefix):])
            return None if p is None or p.sequence else Reading(float(p.value), p.approx, mark)
    if t.endswith("成半") or (t.endswith("成") and len(t) > 1):
        half = t.endswith("成半")
        p = _read_plain(t[: -2 if half else -1])
        if p is None or p.sequence:
            return None
        return Reading(float(p.value * 10 + (5 if half else 0)), p.approx, "%")
    if t in ("一半", "半"):
        return Reading(0.5, fraction=True)
    if t == "半百":
        return Reading(50.0)
    if "分之" in t:
        return _read_fraction(t)
    m = _ARABIC_FRACTION.match(t)
    if m:
        num, den = Decimal(m.group(1)), Decimal(m.group(2))
        return None if den == 0 else Reading(float(num / den), fraction=True)
    p = _read_plain(t)
    if p is None:
        return None
    return Reading(float(p.value), p.approx, sequence=p.sequence)


def _read_fraction(t: str) -> Reading | None:
    """三分之一, 负一又二分之一, 3又一千分之23, 二十五分之一千零拾肆."""
    whole = Decimal(0)
    negative_whole = False
    if "又" in t:
        head, _, t = t.partition("又")
        w = _read_plain(head)
        if w is None or w.sequence:
            return None
        whole, negative_whole = abs(w.value), w.value < 0
    den_s, _, num_s = t.partition("分之")
    den, num = _read_plain(den_s), _read_plain(num_s)
    if den is None or num is None or den.value == 0 or den.sequence or num.sequence:
        return None
    value = whole + num.value / den.value
    if negative_whole:
        value = -value
    return Reading(float(value), den.approx or num.approx, fraction=True)


def _read_plain(t: str) -> _Plain | None:
    """An integer or decimal numeral without fraction or percent form."""
    if not t:
        return None
    sign = 1
    if t[0] in SIGNS:
        sign, t = -1, t[1:]
    if not t:
        return None
    int_part, dec_part = t, ""
    for p in POINTS:
        if p in t:
            int_part, _, dec_part = t.partition(p)
            break
    frac = Decimal(0)
    if dec_part or int_part != t:
        digits = []
        for ch in dec_part:
            if ch.isdigit() and ch.isascii():
                digits.append(ch)
            elif ch in DIGITS:
                digits.append(str(DIGITS[ch]))
            else:
                return None
        if not digits or not int_part:
            return None
        frac = Decimal("0." + "".join(digits))
    tokens = _tokenize(int_part)
    if tokens is None or not tokens:
        return None
    read = _sequence(tokens) or _positional(tokens)
    if read is None:
        return None
    value, approx, sequence = read
    if sequence and frac:
        return None
    return _Plain(sign * (value + frac), approx, sequence)


# token kinds
_NUM, _ZERO, _SMALL, _BIG, _APPROX = range(5)


def _tokenize(t: str) -> list[tuple[int, Decimal, bool]] | None:
    """(kind, value, arabic) triples; None on a character that is not part of a numeral."""
    out: list[tuple[int, Decimal, bool]] = []
    i = 0
    while i < len(t):
        ch = t[i]
        if ch.isascii() and (ch.isdigit() or ch == "."):
            m = _ARABIC.match(t, i)
            if not m:
                return None
            try:
                out.append((_NUM, Decimal(m.group().replace(",", "")), True))
            except InvalidOperation:
                return None
            i = m.end()
            continue
        if ch in ZEROS:
            out.append((_ZERO, Decimal(0), False))
        elif ch in DIGITS:
            out.append((_NUM, Decimal(DIGITS[ch]), False))
        elif ch in SMALL_UNITS:
            out.append((_SMALL, Decimal(SMALL_UNITS[ch]), False))
        elif ch in BIG_UNITS:
            out.append((_BIG, Decimal(BIG_UNITS[ch]), False))
        elif ch in INNER_APPROX:
            out.append((_APPROX, Decimal(0), False))
        else:
            return None
        i += 1
    return out


def _sequence(tokens: list[tuple[int, Decimal, bool]]) -> tuple[Decimal, bool, bool] | None:
    """Chinese digits read one by one: 二〇二三 -> 2023, 五六 -> 56; a lone 零 -> 0."""
    if len(tokens) == 1 and tokens[0][0] == _ZERO:
        return Decimal(0), False, False
    if len(tokens) < 2 or any(k not in (_NUM, _ZERO) or arabic for k, _, arabic in tokens):
        return None
    return Decimal("".join(str(int(v)) for _, v, _ in tokens)), False, True


def _close_section(parts: list[tuple[Decimal, Decimal]], pending: Decimal | None, big: Decimal,
                   prev: int | None) -> list[tuple[Decimal, Decimal]] | None:
    """The closed sections after the big unit ``big``: ``pending`` (the open section, None when
    nothing is open) and every lower section are multiplied into one; with nothing open, a big
    unit right after another multiplies what came before it (四万万)."""
    if pending is None:
        if not parts or prev not in (_BIG, _APPROX):
            return None
        val, lvl = parts[-1]
        return [*parts[:-1], (val * big, lvl * big)]
    low = sum((val for val, lvl in parts if lvl < big), Decimal(0))
    kept = [(val, lvl) for val, lvl in parts if lvl >= big]
    kept.append(((pending + low) * big, big))
    return kept


def _positional(tokens: list[tuple[int, Decimal, bool]]) -> tuple[Decimal, bool, bool] | None:
    """The positional reading: 三千九百零三, 四亿五千六百四十二万零一十五, 1.39万亿, 两千四百五.

    Big units (万 亿 兆) close a section; a big unit right after another multiplies what came
    before it (四万万, 三十万多亿, 一万五千亿). A last single digit right after a multiplier is
    the next place down (一万三 = 13000, 两千四百五 = 2450).
    """
    parts: list[tuple[Decimal, Decimal]] = []  # (value, level) of closed sections
    section = Decimal(0)
    cur: Decimal | None = None
    cur_arabic = False
    abbrev_from: Decimal | None = None
    last_mult: Decimal | None = None
    last_small: Decimal | None = None
    prev: int | None = None
    approx = False
    seen_number = False
    for kind, v, arabic in tokens:
        if kind == _APPROX:
            if prev is None:
                return None
            approx = True
            continue
        if kind == _NUM:
            if cur is not None:
                return None
            cur, cur_arabic, seen_number = v, arabic, True
            abbrev_from = last_mult if prev in (_SMALL, _BIG) else None
        elif kind == _ZERO:
            if cur is not None:
                return None
        elif kind == _SMALL:
            if cur is None:
                if prev not in (None, _ZERO, _BIG):
                    return None
                n = Decimal(1)
            else:
                n = cur
            if last_small is not None and v >= last_small:
                return None
            section += n * v
            last_small, cur, seen_number = v, None, True
            last_mult = v
        else:  # _BIG
            pending = None if cur is None and section == 0 else section + (cur if cur is not None else 0)
            parts = _close_section(parts, pending, v, prev)
            if parts is None:
                return None
            section, cur, last_small = Decimal(0), None, None
            last_mult = v
        prev = kind
    if not seen_number:
        return None
    if cur is not None:
        if (prev == _NUM and abbrev_from is not None and abbrev_from >= 100
                and not cur_arabic and cur < 10):
            cur = cur * abbrev_from / 10
        section += cur
    return sum((val for val, _ in parts), Decimal(0)) + section, approx, False

