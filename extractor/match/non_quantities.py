"""What is not a quantity: the predicates that drop a resolved candidate, and the units a list shares.

A number is no quantity when it lies in a time expression (not a duration), in a pattern of
``rules/non_quantity_patterns.tsv`` (document numbers, phones, versions, congress numbering …), in
a short quote or a title, or in an entry of ``rules/non_quantity.txt`` (names, slogans, idioms);
when a word of ``rules/non_quantity_contexts.tsv`` stands next to it (第…, 前…名, …级); when it is
part of a code or a name written with Latin letters (PM2.5, G20, 5G); or when, written without a
unit, it does not stand alone as an amount (list markers, years, page numbers, 十九大).
"""
from __future__ import annotations

import re
import string
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import regex

from ..cache import compile_regex, compile_standard
from ..model import Qualifier, Quantity, QuantityKind, TimeKind, TimeSpan
from ..resolve.numerals import BIG_CLASS, DIGIT_CLASS, DIGITS, FINANCIAL, POINTS, SMALL_CLASS
from ..rules import Rules, one_of, trie
from .pattern_search import Alternation, re_digits, searcher

NEIGHBOUR_ROLES = ("joiner", "follower", "lead")

_NUM_CHARS = DIGIT_CLASS + SMALL_CLASS + BIG_CLASS + "0123456789"
# a short quote, or a longer one without sentence punctuation (a slogan: “一条主线、三个导向、五种思维”);
# searched with the standard library's re (faster), where plain characters mean what they mean in regex
_ENCLOSURES = compile_standard(
    r"“[^“”\n]{1,16}”|“[^“”\n，。；！？,;]{1,40}”|\"[^\"\n]{1,16}\"|「[^「」\n]{1,16}」|‘[^‘’\n]{1,16}’"
    r"|《[^《》\n]{1,60}》|〈[^〈〉\n]{1,40}〉"
)
# where a list marker may sit: after a line or clause boundary, before its closing mark
_LIST_BEFORE = frozenset("\n\r \t。；;：:！？!?，,（(【[“\"")
_LIST_AFTER = frozenset("、.)）")
_HAN = compile_regex(r"\p{Han}")
_NUM_CHAR = compile_standard(f"[{_NUM_CHARS}]")
# a quoted name with a numeral in it, kept as a name wherever else the report writes it: three to
# twelve characters (at least two of them Han), no sentence punctuation
_QUOTED_NAME = compile_regex(r"[^，。；！？,;!?\s]{3,12}")
_CODE_BEFORE = frozenset("=#&?@_/\\")
# a capitalised Latin word right before a number names a product, model or code (Delphi 8, PM 2.5)
_NAMED_BEFORE = compile_regex(r"(?<![A-Za-z])[A-Z][A-Za-z]*[ \t_]{0,2}[:：]?[ \t]?$")
# the characters such a name ends with ($ also holds before a last newline): not before most numbers
_NAMED_BEFORE_ENDS = frozenset(string.ascii_letters + " \t_:：\n")
_VERSION = compile_regex(r"^\d+\.0$")
_SCALED = compile_regex(r"[万萬亿億]")
_SECTION_NUMBER = compile_regex(r"^\d{1,2}(?:\.\d{1,2})*$")
_LATIN = frozenset(string.ascii_letters)
# a ratio of three or more terms (三次产业结构为3:40:57): each term is a share of its own; the
# second term of a ratio of two (2.31:1) is not
_RATIO = compile_regex(r"(?<![\d.:：∶])\d+(?:\.\d+)?(?:[ \t]?[:：∶][ \t]?\d+(?:\.\d+)?){2,}(?![\d.:：∶])")
# a year and month written with a dot (2011.2): a date, not an amount
_YEAR_MONTH = compile_regex(r"^(?:19|20)\d{2}\.(?:0?[1-9]|1[0-2])$")
# 千万/百万 alone are also adverbs and names (千万不要, 百万大学生)
_SCALE_FIRST = "百佰千仟万萬"


@dataclass(frozen=True, slots=True)
class Marks:
    """Where in one text numbers are not quantities, computed once per text."""

    blocked: bytearray   # 1 inside times (not durations), non-quantity patterns and short quotes
    lex_end: array       # the end of the lexicon entry covering each offset, 0 where none does
    ratio: bytearray     # 1 inside a ratio of three or more terms


@dataclass(frozen=True, slots=True)
class _Context:
    """A row of rules/non_quantity_contexts.tsv: the units it applies to (None: any), and whether
    only to numbers written in words."""

    units: frozenset[str] | None
    words_only: bool


def _one_character(cell: str) -> str:
    if len(cell) != 1:
        raise ValueError(f"{cell!r} is not one character")
    return cell


# how far around a numeral written in words the words are read to see whether it is part of one
_WORD_LEFT = 4
_WORD_RIGHT = 2

Words = Callable[[str], list[tuple[str, str]]]


class NonQuantities:
    """The non-quantity rules, built once; ``numerals`` are the finder's numeral patterns, which
    the rows of ``rules/non_quantity_patterns.tsv`` write as {NUM}, {CN} and {AR}; ``words`` cuts a
    stretch of text into (word, flag) pairs (the pipeline's segmenter), to tell a numeral inside a
    word (红十字会, 初三) from a number; without it that test is not made. ``numeral_chars`` is a
    class of the characters the numerals are written with: with it, a pattern that opens with a
    numeral is searched from what follows the numeral (:class:`~extractor.match.pattern_search.RestFirst`)."""

    def __init__(self, rules: Rules, numerals: Mapping[str, str], words: Words | None = None,
                 numeral_chars: str | None = None):
        self._words = words
        self._before: dict[str, list[_Context]] = {}
        self._after: dict[str, list[_Context]] = {}
        contexts = rules.table("non_quantity_contexts", ["side", "text", "units", "numerals"],
                               convert={"side": one_of(("before", "after")),
                                        "units": lambda cell: frozenset(u.strip() for u in cell.split(",")),
                                        "numerals": one_of(("words",))},
                               required=["side", "text"])
        for c in contexts:
            # no units: any unit; "-" stands for "no unit"
            entry = _Context(c["units"] or None, c["numerals"] == "words")
            (self._before if c["side"] == "before" else self._after).setdefault(c["text"], []).append(entry)
        self._before_lengths = sorted({len(w) for w in self._before})
        self._after_lengths = sorted({len(w) for w in self._after})
        # the character next to the number that every word of a side has there: most numbers
        # have none of them beside them, and their words need not be looked up
        self._before_ends = {w[-1] for w in self._before}
        self._after_starts = {w[0] for w in self._after}
        self._lexicon = _lexicon_pattern(rules.words("non_quantity"))
        # what every ratio (_RATIO) holds, a colon between digits, found by the standard library's
        # re from the colon (it skips fast to a class a pattern opens with): few texts have one
        digit = f"[{re_digits()}]"
        self._ratio_mark = compile_standard(rf"[:：∶](?:(?<={digit}[:：∶])|(?<={digit}[ \t][:：∶]))[ \t]?{digit}")
        compile_cell = rules.pattern(numerals)
        rows = rules.table("non_quantity_patterns", ["name", "pattern", "reason"],
                           convert={"pattern": lambda cell: (cell, compile_cell(cell))}, required=["name", "pattern"])
        patterns = [r["pattern"][1] for r in rows]
        searchers = [searcher(cell, pattern, rules, numerals, numeral_chars) for cell, pattern in
                     (r["pattern"] for r in rows)]
        self._patterns = Alternation(patterns, rules.regex, searchers) if rows else None
        neighbours = rules.table("number_neighbours", ["text", "role"],
                                 convert={"text": _one_character, "role": one_of(NEIGHBOUR_ROLES)},
                                 required=["text", "role"])
        self._joiners = {r["text"] for r in neighbours if r["role"] == "joiner"}
        self._bare_next_ok = {r["text"] for r in neighbours if r["role"] != "lead"}
        self._leads = {r["text"] for r in neighbours if r["role"] == "lead"}

    def marks(self, text: str, times: Sequence[TimeSpan]) -> Marks:
        n = len(text)
        blocked = bytearray(n)
        for t in times:
            if t.kind != TimeKind.DURATION:
                blocked[t.start:t.end] = b"\x01" * (t.end - t.start)
        if self._patterns is not None:
            for start, end in self._patterns.spans(text):
                blocked[start:end] = b"\x01" * (end - start)
        names = set()
        for m in _ENCLOSURES.finditer(text):
            start, end = m.span()
            blocked[start + 1:end - 1] = b"\x01" * (end - start - 2)
            # the cheap tests first: most quotes are longer, or hold no numeral
            if 5 <= end - start <= 14 and _NUM_CHAR.search(text, start + 1, end - 1):
                inner = text[start + 1:end - 1]
                if _QUOTED_NAME.fullmatch(inner) and len(_HAN.findall(inner)) >= 2:
                    names.add(inner)
        # a name the report once quotes is a name wherever it stands ("“六个一流”" … "六个一流工作小组")
        for start, end in _name_spans(names, text):
            blocked[start:end] = b"\x01" * (end - start)
        lex_end = array("i", bytes(4 * n)) if n else array("i")
        for m in self._lexicon.finditer(text):
            start, end = m.span()
            lex_end[start:end] = array("i", (end,)) * (end - start)
        ratio = bytearray(n)
        for m in _RATIO.finditer(text) if self._ratio_mark.search(text) else ():
            ratio[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        return Marks(blocked, lex_end, ratio)

    def keep(self, text: str, q: Quantity, unit_span: tuple[int, int] | None, marks: Marks) -> bool:
        """Whether ``q`` is a quantity; ``unit_span`` is where its unit is written, if it has one
        (a lexicon entry may end inside the unit: 一把手 does not stop 一把)."""
        ns, ne = q.num_start, q.num_end
        if marks.blocked.find(1, ns, ne) >= 0:
            return False
        for hit_end in marks.lex_end[ns:ne]:
            if hit_end and not (unit_span and unit_span[0] < hit_end < unit_span[1]):
                return False
        core = text[ns:ne]
        in_words = not any(map(str.isdigit, core))
        if not self._context_ok(text, q, in_words) or _in_code_or_name(text, q, bool(marks.ratio[ns])):
            return False
        if _numeral_word(core, q, in_words) or self._inside_word(text, q, in_words):
            return False
        if q.kind == QuantityKind.BARE:
            return self._bare_ok(text, q, core)
        return True

    def _context_ok(self, text: str, q: Quantity, in_words: bool) -> bool:
        """No word of rules/non_quantity_contexts.tsv next to ``q`` applies to it; ``in_words``:
        its number is written without digits."""
        for at in (q.start,) if q.start == q.num_start else (q.start, q.num_start):
            k = at
            while k > 0 and text[k - 1] in " \t:：":
                k -= 1
            if k == 0 or text[k - 1] not in self._before_ends:
                continue
            for length in self._before_lengths:
                entries = self._before.get(text[max(0, k - length):k])
                if entries is not None and _applies(entries, _unit_keys(q), in_words):
                    return False
        if q.end == len(text) or text[q.end] not in self._after_starts:
            return True
        for length in self._after_lengths:
            entries = self._after.get(text[q.end:q.end + length])
            if entries is not None and _applies(entries, _unit_keys(q), in_words):
                return False
        return True

    def _inside_word(self, text: str, q: Quantity, in_words: bool) -> bool:
        """A numeral written in words whose first character the segmenter reads as part of a word
        that starts before it: 红十字会 (no 10 字), 初三分层班 (no 3 分), 高二场, 正反两方面. A
        leading qualifier (约一亿, 近一半) and the lead words of rules/number_neighbours.tsv (翻两番)
        leave it a number. ``in_words``: the number has no digit."""
        ns = q.num_start
        if self._words is None or q.start < ns or ns == 0 or not in_words:
            return False
        if not _HAN.match(text[ns - 1]) or text[ns - 1] in _NUM_CHARS:
            return False
        start = ns
        while start > max(0, ns - _WORD_LEFT) and _HAN.match(text[start - 1]):
            start -= 1
        end = q.end
        while end < min(len(text), q.end + _WORD_RIGHT) and _HAN.match(text[end]):
            end += 1
        at = start
        for word, _ in self._words(text[start:end]):
            if at < ns < at + len(word):
                return text[at:ns] not in self._leads
            at += len(word)
            if at >= ns:
                break
        return False

    def _bare_ok(self, text: str, q: Quantity, core: str) -> bool:
        """A number with no unit is a quantity only when it stands alone as one."""
        end = q.end
        nxt = text[end] if end < len(text) else ""
        if (_HAN.match(nxt) and nxt not in self._bare_next_ok
                and not (_SCALED.search(core) and abs(q.value) >= 10000)):
            # an unknown measure word or a name (5G基站, 12345热线, 十九大); but a number with a
            # scale word is an amount whatever follows ("帮扶32.8万就业困难群众", "十亿人口")
            return False
        line_start = text.rfind("\n", 0, q.start) + 1
        if (q.qualifier == Qualifier.EXACT and _SECTION_NUMBER.match(core) and not text[line_start:q.start].strip()
                and nxt and (nxt.isspace() or nxt in _LIST_AFTER)):
            return False  # an outline number at the start of a line ("1.1 版本发布")
        if q.value.is_integer() and 0 <= q.value <= 99 and q.qualifier == Qualifier.EXACT and _marker(text, q):
            return False
        if any(c.isdigit() for c in core):
            return _arabic_amount(core, q)
        # a Chinese numeral with no unit: only a written-out amount ("九千", "二十余", "九点九")
        numeral_chars = sum(1 for c in core if c in DIGITS or c in SMALL_CLASS or c in BIG_CLASS)
        if numeral_chars < 2:
            return False
        return abs(q.value) >= 10 or any(p in core for p in POINTS) or q.qualifier != Qualifier.EXACT

    def share_units(self, text: str, found: list[Quantity]) -> list[Quantity]:
        """In a list the unit is written once, after the last number: "分别减少10.6万、3.8万、3.3万平方米",
        "1、2、3次". A bare number followed by a joiner takes the unit of the next number; when the next
        number is not a quantity ("3、4号线", "国道317、318沿线"), neither is it."""
        out: list[Quantity] = []
        next_q: Quantity | None = None
        for q in reversed(found):
            if next_q is not None and _neighbour_range(text, q, next_q, self._joiners):
                out.pop()
                q = Quantity(q.start, next_q.end, q.num_start, next_q.num_end, q.value, next_q.value,
                             next_q.unit, next_q.unit_text, Qualifier.RANGE, next_q.kind)
            elif q.kind == QuantityKind.BARE and q.qualifier != Qualifier.RANGE and q.end < len(text) - 1 \
                    and text[q.end] in self._joiners:
                follower = text[q.end + 1]
                if next_q is not None and next_q.start == q.end + 1:
                    if next_q.kind not in (QuantityKind.BARE, QuantityKind.FRACTION):
                        q = Quantity(q.start, q.end, q.num_start, q.num_end, q.value, q.value_max,
                                     next_q.unit, "", q.qualifier, next_q.kind)
                elif follower.isdigit() or follower in DIGITS or follower in SMALL_CLASS:
                    continue
            elif next_q is not None and _shortened_unit(text, q, next_q, self._joiners):
                q = Quantity(q.start, q.end, q.num_start, q.num_end, q.value, q.value_max,
                             next_q.unit, q.unit_text, q.qualifier, next_q.kind)
            out.append(q)
            next_q = q
        out.reverse()
        return out


def _lexicon_pattern(words: Sequence[str]) -> re.Pattern:
    """The entries of rules/non_quantity.txt, each counted only where it is not part of a longer
    numeral ("五十分钟" has no "十分"): for the standard library's re, which skips fast to a
    character an alternative opens with, a trie whose alternatives open with their first character,
    the character before it read from behind."""
    by_first: dict[str, list[str]] = {}
    for w in words:
        by_first.setdefault(w[0], []).append(w[1:])
    alternatives = [f"{regex.escape(c)}(?<![{_NUM_CHARS}]{regex.escape(c)}){trie(rest)}"
                    for c, rest in sorted(by_first.items())]
    return compile_standard(f"(?:{'|'.join(alternatives)})" if alternatives else "(?!)")


def _name_spans(names: set[str], text: str) -> list[tuple[int, int]]:
    """Where ``names`` stand in ``text`` as one pattern of them finds them: the leftmost, the
    longest there, none overlapping the one before."""
    hits = []
    for name in names:
        at = text.find(name)
        while at >= 0:
            hits.append((at, -len(name)))
            at = text.find(name, at + 1)
    hits.sort()
    out: list[tuple[int, int]] = []
    for start, minus_length in hits:
        if not out or start >= out[-1][1]:
            out.append((start, start - minus_length))
    return out


def _shortened_unit(text: str, q: Quantity, next_q: Quantity, joiners: set[str]) -> bool:
    """"分别提升3个和5个百分点": the first number of a pair carries only the start of the unit the
    second writes out in full (个 of 个百分点)."""
    return bool(q.unit_text) and next_q.unit_text != q.unit_text and next_q.unit_text.startswith(q.unit_text) \
        and q.end < len(text) and text[q.end] in joiners and next_q.start == q.end + 1


def _neighbour_range(text: str, q: Quantity, next_q: Quantity, joiners: set[str]) -> bool:
    """Two neighbouring digits joined by 、 or 或 before one unit, and no longer list: a range, as
    三四个 is ("每周3、4个会议" is 3 to 4 meetings, not 3 and 4)."""
    if q.kind != QuantityKind.BARE or next_q.start != q.end + 1 or text[q.end] not in "、或":
        return False
    if not next_q.unit_text or next_q.qualifier != Qualifier.EXACT or q.qualifier != Qualifier.EXACT:
        return False
    if q.num_end - q.num_start != 1 or next_q.num_end - next_q.num_start != 1 or next_q.value != q.value + 1:
        return False
    return q.value >= 1 and not (q.start > 0 and text[q.start - 1] in joiners)


def _unit_keys(q: Quantity) -> tuple[str, str]:
    """The keys a row of rules/non_quantity_contexts.tsv names the unit of ``q`` by: "-" is no unit
    written; a measure word the figure is reported without (8金) is its own key."""
    return q.unit or ("-" if not q.unit_text else q.unit_text), q.unit_text or "-"


def _applies(entries: list[_Context], unit_keys: tuple[str, str], in_words: bool) -> bool:
    return any((e.units is None or unit_keys[0] in e.units or unit_keys[1] in e.units)
               and (in_words or not e.words_only) for e in entries)


def _in_code_or_name(text: str, q: Quantity, ratio: bool = False) -> bool:
    """Codes and names written with Latin letters or digit chains: PM2.5, G20, 5G, COVID-19, 0.8.4,
    PM 2.5, M 2, Delphi 8, id=529; and the second term of a ratio (2.31:1), unless ``ratio`` says
    the number is a term of a ratio of three or more (3:40:57)."""
    ns, ne = q.num_start, q.num_end
    before = text[ns - 1] if ns > 0 else ""
    after = text[ne] if ne < len(text) else ""
    if before in _LATIN or (before == "-" and ns > 1 and text[ns - 2] in _LATIN):
        return True
    if before in _CODE_BEFORE or (q.start > 0 and text[q.start - 1] in _NAMED_BEFORE_ENDS
                                  and _NAMED_BEFORE.search(text, max(0, q.start - 24), q.start)):
        return True
    if before in ":：∶" and ns > 1 and text[ns - 2].isdigit() and not ratio:
        return True
    if not q.unit and (after in _LATIN or (after == "-" and text[ne + 1:ne + 2] in _LATIN)):
        return True  # 5G, 3D, 64-bit
    if before.isdigit() or (before == "." and ns > 1 and text[ns - 2].isdigit()):
        return True
    return after == "." and ne + 1 < len(text) and text[ne + 1].isdigit()


def _numeral_word(core: str, q: Quantity, in_words: bool) -> bool:
    """A numeral that is an ordinary word: 队伍, 陆地 (a financial numeral character alone), 千万不要,
    一个/一批 (an article), 一直, 统一. ``in_words``: ``core`` has no digit."""
    if in_words:
        numeral_chars = [c for c in core if c in DIGITS or c in SMALL_CLASS or c in BIG_CLASS]
        if len(numeral_chars) <= 1 and all(c in FINANCIAL for c in numeral_chars):
            return True
        if not q.unit and core.lstrip("负負")[:1] in _SCALE_FIRST and not any(c in DIGITS for c in core):
            return True
    lone = core.strip() in ("一", "壹") and q.value in (1, 10)
    # 一倍, 一成, 一吨 are amounts
    return lone and not (q.kind in (QuantityKind.MULTIPLE, QuantityKind.PERCENT, QuantityKind.MEASURE)
                         and q.unit != "番")


def _marker(text: str, q: Quantity) -> bool:
    """A list marker ("1." "1、" "（1）" "十一、" at the start of a clause) or a page marker ("— 12 —")."""
    ns, ne, end = q.num_start, q.num_end, q.end
    prev = text[ns - 1] if ns > 0 else ""
    nxt = text[end] if end < len(text) else ""
    if (not prev or prev in _LIST_BEFORE) and nxt and (nxt in _LIST_AFTER or nxt == "．"):
        if not (nxt == "." and end + 1 < len(text) and text[end + 1].isdigit()):
            return True
    left = text[max(0, ns - 2):ns].strip()
    right = text[ne:ne + 2].strip()
    return left[-1:] in ("—", "-") and right[:1] in ("—", "-")


def _arabic_amount(core: str, q: Quantity) -> bool:
    """A bare Arabic number is an amount unless it is a version, a year, a code or a serial number."""
    if _VERSION.match(core):
        return False  # 城市大脑2.0: a version
    if _YEAR_MONTH.match(core.strip()):
        return False  # 2011.2: a year and month
    digits = core.replace(",", "").replace(" ", "").strip().lstrip("-")
    if q.qualifier == Qualifier.EXACT and digits.isdigit():
        if len(digits) == 4 and 1900 <= int(digits) <= 2100:
            return False  # a year written without 年 ("2023中国…")
        if len(digits) > 1 and digits.startswith("0"):
            return False  # codes
        if len(digits) >= 9 and "," not in core:
            return False  # account, phone and serial numbers
    return True
