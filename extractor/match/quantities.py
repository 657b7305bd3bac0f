"""Quantities: every number a report writes, with its unit and qualifier.

Extract, then resolve. :class:`QuantityFinder` finds candidate spans with one compiled pattern
(leading qualifier, number or range, inner approximation, unit, trailing qualifier), drops what is
not a quantity (years and dates, ordinals, list markers, codes, numbers inside names and slogans),
and resolves each span with the pure functions of :mod:`extractor.numerals`.

The vocabularies are data in ``rules/``: ``units.tsv``, ``scale_words.tsv``, ``qualifiers.tsv``,
``non_quantity.txt`` (names, slogans, idioms), ``non_quantity_patterns.tsv`` (document numbers,
phones, versions, congress numbering …) and ``non_quantity_contexts.tsv`` (第…, 前…名, …级).

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

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from ..resolve.numerals import (
    BIG_CLASS,
    DIGIT_CLASS,
    DIGITS,
    FINANCIAL,
    PERCENT_PREFIXES,
    SMALL_CLASS,
    read_number,
)
from ..model import Quantity
from ..rules import Rules
from .times import TimeFinder, TimeSpan, one_of

QUALIFIERS = ("exact", "over", "under", "about", "range")
KINDS = ("count", "money", "measure", "percent", "multiple", "duration", "fraction", "bare")
UNIT_KINDS = ("count", "money", "measure", "percent", "multiple", "duration", "discount", "skip")


@dataclass(frozen=True, slots=True)
class UnitEntry:
    text: str
    unit: str
    kind: str
    factor: float


@dataclass(frozen=True, slots=True)
class QualifierEntry:
    text: str
    position: str
    qualifier: str
    kinds: frozenset[str]


@dataclass(frozen=True, slots=True)
class ContextEntry:
    side: str
    text: str
    units: frozenset[str] | None  # None: any unit; "-" stands for "no unit"


# ---- pattern fragments ---------------------------------------------------------------------

SP = r"[ \t]?"
SP2 = r"[ \t]{0,2}"
SP_UNIT = r"[ \t]{0,4}"  # PDF text may put a run of spaces between a number and its unit
RANGE_SEP = r"(?:至|到|——|—|–|-|~|〜)"
_NUM_CHARS = DIGIT_CLASS + SMALL_CLASS + BIG_CLASS + "0123456789"
_ADJACENT = regex.compile(
    rf"^(?P<ten>[十拾])?(?P<d1>[一二两三四五六七八九])(?P<d2>[二两三四五六七八九])"
    rf"(?P<mul>[{SMALL_CLASS}{BIG_CLASS}]*)$"
)
_ADJACENT_PAIRS = {(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (3, 5)}
_TRAILING_MULT = regex.compile(rf"[{SMALL_CLASS}{BIG_CLASS}]+$")
_ENCLOSURES = regex.compile(
    # a short quote, or a longer one without sentence punctuation (a slogan: “一条主线、三个导向、五种思维”)
    r"“[^“”\n]{1,16}”|“[^“”\n，。；！？,;]{1,40}”|\"[^\"\n]{1,16}\"|「[^「」\n]{1,16}」|‘[^‘’\n]{1,16}’"
    r"|《[^《》\n]{1,60}》|〈[^〈〉\n]{1,40}〉"
)
_LIST_BEFORE = set("\n\r \t。；;：:！？!?，,（(【[“\"")
_LIST_AFTER = set("、.)）")
_BARE_NEXT_OK = set("的和与及或、等")
_HAN = regex.compile(r"\p{Han}")
_CODE_BEFORE = set("=#&?@_/\\")
# a capitalised Latin word right before a number names a product, model or code (Delphi 8, PM 2.5)
_NAMED_BEFORE = regex.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]*[ \t_]{0,2}[:：]?[ \t]?$")
_VERSION = regex.compile(r"^\d+\.0$")
_SCALED = regex.compile(r"[万萬亿億]")
_SECTION_NUMBER = regex.compile(r"^\d{1,2}(?:\.\d{1,2})*$")
_LATIN = regex.compile(r"[A-Za-z]")


def _trie(words: Iterable[str], guards: dict[str, str] | None = None) -> str:
    """A regex alternation of ``words`` as a trie (fast, longest match first); ``guards[w]`` is a
    negative lookahead applied where ``w`` ends."""
    guards = guards or {}
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = w

    def build(node: dict) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            alts.append(regex.escape(ch) + build(node[ch]))
        if "" in node:
            g = guards.get(node[""], "")
            alts.append(f"(?!{g})" if g else "")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return build(root) if root else "(?!)"


class QuantityFinder:
    """Finds every quantity in a text (the document's matching view), in reading order."""

    def __init__(self, rules: Rules):
        self._times = TimeFinder(rules)
        self._units = self._load_units(rules)
        self._qualifiers = self._load_qualifiers(rules)
        self._before: dict[str, list[frozenset[str] | None]] = {}
        self._after: dict[str, list[frozenset[str] | None]] = {}
        for c in self._load_contexts(rules):
            (self._before if c.side == "before" else self._after).setdefault(c.text, []).append(c.units)
        self._before_lengths = sorted({len(w) for w in self._before})
        self._after_lengths = sorted({len(w) for w in self._after})
        scales = rules.table("scale_words", ["text", "factor"], convert={"factor": float}, required=["text", "factor"])
        self._scale_words = {r["text"]: r["factor"] for r in scales}

        # a multiplier character that starts a unit is the unit's ("3千瓦" is 3 千瓦, not 3000 瓦)
        unit_heads = sorted((u for u in self._units if u[0] in SMALL_CLASS + BIG_CLASS), key=len, reverse=True)
        guard = f"(?!{'|'.join(regex.escape(u) for u in unit_heads)})" if unit_heads else ""
        mult = (rf"(?:{guard}[{SMALL_CLASS}{BIG_CLASS.replace('兆', '')}]"
                rf"|兆(?={SP}[{DIGIT_CLASS}{SMALL_CLASS}{BIG_CLASS}]))")
        approx_inner = [q.text for q in self._qualifiers if q.position == "inner"]
        ap = f"(?:{_trie(approx_inner)})"
        digit = f"[{DIGIT_CLASS}]"
        decimal_digit = f"[{DIGIT_CLASS.replace('两', '').replace('兩', '').replace('倆', '')}]"
        # a numeral starts with a digit or 十; 千三/百三 (1300/130); 百亿/千万/万亿 (read only before a unit)
        cn = (rf"(?:[负負])?(?:{digit}|[十拾]|[百佰千仟](?={digit})|[百佰千仟万萬](?=[百佰千仟万萬亿億]))"
              rf"(?:{SP}(?:{digit}|{mult}|{ap}(?={SP}{mult})))*"
              rf"(?:{SP}[点點]{SP}{decimal_digit}(?:{SP}{decimal_digit})*)?")
        # 1,280 | 5 . 5 | digits spaced one by one by PDF extraction ("1 9 9 3", "1 5.3")
        spaced = r"\d(?:[ ]\d)+(?!\d)"
        arabic = (rf"(?<![\d.])(?:\d{{1,3}}(?:,\d{{3}})+(?![\d,])|{spaced}|\d+)"
                  rf"(?:[ \t]?\.[ \t]?(?:{spaced}|\d+))?")
        scale = f"(?:{guard}{_trie(self._scale_words)})"
        ar = (rf"(?:[-负負](?=\d))?{arabic}"
              rf"(?:{SP2}(?:{ap}{SP})?{scale}(?:零|\d+|{SP}{mult}|{ap}(?={SP}{mult}))*)?")
        num = f"(?:{ar}|{cn})"
        pct = "(?:" + "|".join(rf"{p[0]}{SP2}{p[1]}{SP2}{p[2]}" for p in PERCENT_PREFIXES) + ")"
        frac = (rf"(?:(?:{num}){SP2}又{SP2})?(?:{num}){SP2}分{SP2}之{SP2}(?:{num})"
                rf"|(?<![\d./])-?\d+(?:\.\d+)?/\d+(?:\.\d+)?(?![\d/.])|一半")
        post = _trie(q.text for q in self._qualifiers if q.position == "after")
        # "50所以上" is 50 所 + 以上 although 所以 is a word: a trailing qualifier overrides a guard
        unit_guards = {u: f"(?!{post})[{regex.escape(g)}]" for u, g in self._unit_guards.items() if g}
        for u in self._units:
            if u.isascii() and u[-1].isalpha():
                unit_guards[u] = "[A-Za-z]" + (f"|{unit_guards[u]}" if u in unit_guards else "")
        unit1 = _trie(self._units, unit_guards)
        unit = rf"(?:{unit1})(?:/(?:{unit1}))?"
        pre_alts = []
        for q in sorted((q for q in self._qualifiers if q.position == "before"), key=lambda q: -len(q.text)):
            na = self._not_after.get(q.text, "")
            lb = f"(?<![{regex.escape(na)}])" if na else ""
            if q.text.isascii():
                pre_alts.append(rf"(?<![A-Za-z])(?i:{regex.escape(q.text)})[ \t]")
            else:
                pre_alts.append(rf"{lb}{regex.escape(q.text)}{SP}")
        pre = "(?:" + "|".join(pre_alts) + ")" if pre_alts else "(?!)"
        range_alt = rf"| (?P<a>{num})(?:{SP_UNIT}(?P<aunit>{unit}))?{SP}(?P<sep>{RANGE_SEP}){SP}(?P<b>{num})"
        body = rf"""
            (?P<pre>{pre})?
            (?:
                (?P<pct>{pct}){SP}(?P<pn>{num}|百(?![{DIGIT_CLASS}]))(?:{SP}(?P<psep>{RANGE_SEP}){SP}(?:{pct}{SP})?(?P<pn2>{num}))?
              | (?P<frac>{frac})
              {range_alt}
              | (?P<n>{num})
            )
            (?:{SP}(?P<approx>{ap}))?
            (?:{SP_UNIT}(?P<unit>{unit})(?P<half>半(?=[^\p{{Han}}]|$|{post}))?)?
            (?:{SP_UNIT}(?P<post>{post}))?
        """
        self._master = regex.compile(body, regex.VERBOSE)
        # the same pattern without ranges (its range groups never match), to re-read "2022-5"
        self._single = regex.compile(body.replace(range_alt, "| (?!)(?P<a>)(?P<aunit>)(?P<sep>)(?P<b>)"),
                                     regex.VERBOSE)
        assert self._single.pattern != self._master.pattern
        self._qualifier_of = {(q.position, q.text): q for q in self._qualifiers}
        self._lexicon = self._load_lexicon(rules)
        self._patterns = self._load_patterns(rules, num, cn, arabic)

    # ---- rule loading --------------------------------------------------------------------

    def _load_units(self, rules: Rules) -> dict[str, UnitEntry]:
        rows = rules.table("units", ["text", "unit", "kind", "factor", "not_before"],
                           convert={"factor": float, "kind": one_of(UNIT_KINDS)}, required=["text", "unit", "kind"])
        units: dict[str, UnitEntry] = {}
        self._unit_guards: dict[str, str] = {}
        for r in rows:
            units[r["text"]] = UnitEntry(r["text"], r["unit"], r["kind"], r["factor"] or 1.0)
            self._unit_guards[r["text"]] = r["not_before"]
        return units

    def _load_qualifiers(self, rules: Rules) -> list[QualifierEntry]:
        rows = rules.table("qualifiers", ["text", "position", "qualifier", "not_after", "kinds"],
                           convert={"position": one_of(("before", "inner", "after")),
                                    "qualifier": one_of(QUALIFIERS)},
                           required=["text", "position", "qualifier"])
        out = []
        self._not_after: dict[str, str] = {}
        for r in rows:
            kinds = frozenset(k.strip() for k in r["kinds"].split(",") if k.strip())
            out.append(QualifierEntry(r["text"], r["position"], r["qualifier"], kinds))
            if r["not_after"]:
                self._not_after[r["text"]] = r["not_after"]
        return out

    @staticmethod
    def _load_contexts(rules: Rules) -> list[ContextEntry]:
        rows = rules.table("non_quantity_contexts", ["side", "text", "units"],
                           convert={"side": one_of(("before", "after"))}, required=["side", "text"])
        out = []
        for r in rows:
            units = frozenset(u.strip() for u in r["units"].split(",")) if r["units"] else None
            out.append(ContextEntry(r["side"], r["text"], units))
        return out

    @staticmethod
    def _load_lexicon(rules: Rules) -> regex.Pattern:
        words = rules.words("non_quantity")
        # an entry counts only where it is not part of a longer numeral ("五十分钟" has no "十分")
        return regex.compile(rf"(?<![{_NUM_CHARS}])(?:{_trie(words)})")

    @staticmethod
    def _load_patterns(rules: Rules, num: str, cn: str, arabic: str) -> regex.Pattern | None:
        def compiled(pattern: str) -> str:
            expanded = pattern.replace("{NUM}", num).replace("{CN}", cn).replace("{AR}", arabic)
            try:
                regex.compile(expanded)
            except regex.error as e:
                raise ValueError(f"not a valid pattern: {e}") from None
            return expanded

        rows = rules.table("non_quantity_patterns", ["name", "pattern", "reason"],
                           convert={"pattern": compiled}, required=["name", "pattern"])
        parts = [f"(?:{r['pattern']})" for r in rows]
        return regex.compile("|".join(parts)) if parts else None

    # ---- finding -------------------------------------------------------------------------

    def find(self, text: str, times: Sequence[TimeSpan] | None = None) -> list[Quantity]:
        """Every quantity in ``text`` in reading order. ``times`` may pass the spans a
        :class:`TimeFinder` built from the same rules already found, to save a pass."""
        if times is None:
            times = self._times.find(text)
        n = len(text)
        blocked = bytearray(n)
        for t in times:
            if t.kind != "duration":
                blocked[t.start:t.end] = b"\x01" * (t.end - t.start)
        if self._patterns is not None:
            for m in self._patterns.finditer(text):
                blocked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        for m in _ENCLOSURES.finditer(text):
            blocked[m.start() + 1:m.end() - 1] = b"\x01" * (m.end() - m.start() - 2)
        lex_end = array("i", bytes(4 * n)) if n else array("i")
        for m in self._lexicon.finditer(text):
            for i in range(m.start(), m.end()):
                lex_end[i] = m.end()

        out: list[Quantity] = []
        pos = 0
        while True:
            m = self._master.search(text, pos)
            if m is None:
                break
            q = self._resolve(text, m)
            if q is False:  # a range that is not one ("2022-5", "5-3"): read the first number alone
                m = self._single.match(text, m.start())
                if m is None:
                    pos += 1
                    continue
                q = self._resolve(text, m)
            pos = m.end()
            if q and self._keep(text, q, m, blocked, lex_end):
                out.append(q)
        return _share_units(text, out)

    # ---- resolving -----------------------------------------------------------------------

    def _resolve(self, text: str, m: regex.Match) -> Quantity | None | bool:
        """The quantity a candidate match writes; None if it writes none; False for a range that
        should be read as a single number."""
        unit_entry = self._units.get(m.group("unit").split("/")[0]) if m.group("unit") else None
        single = m.group("n")
        if single is not None and len(single) == 1 and single in DIGITS:
            # the common case of a numeral character inside a word (一些, 统一, 三大): settle it here
            if unit_entry is None and not m.group("approx"):
                return None
            if single in "一壹" and unit_entry is not None and unit_entry.kind in ("count", "money", "duration"):
                return None
        value_max: float | None = None
        kind = ""
        unit, unit_text = "", ""
        approx = bool(m.group("approx"))
        if m.group("pct"):
            r = read_number(m.group("pn"))
            if r is None or r.sequence or r.percent:
                return None
            mark = PERCENT_PREFIXES[regex.sub(r"\s", "", m.group("pct"))]
            unit, unit_text, kind = mark, m.group("pct"), "percent"
            value = r.value
            approx = approx or r.approx
            if m.group("pn2"):
                r2 = read_number(m.group("pn2"))
                if r2 is None or r2.sequence or r2.value <= value:
                    return None
                value_max = r2.value
            num_span = (m.start("pct"), m.end("pn2") if m.group("pn2") else m.end("pn"))
            unit_entry = None
            end = m.end("pn2") if m.group("pn2") else m.end("pn")
        elif m.group("frac"):
            r = read_number(m.group("frac"))
            if r is None:
                return None
            value, kind = r.value, "fraction"
            num_span = m.span("frac")
            unit_entry = None
            end = m.end("frac")
        elif m.group("a"):
            got = self._read_range(m.group("a"), m.group("b"))
            if got is None:
                return False
            value, value_max = got
            aunit = m.group("aunit")
            if aunit:
                a_entry = self._units.get(aunit)
                if unit_entry is None or a_entry is None or a_entry.unit != unit_entry.unit:
                    return False
            num_span = (m.start("a"), m.end("b"))
            end = m.end("b")
        else:
            core = m.group("n")
            adj = _ADJACENT.match(core)
            got = self._read_adjacent(adj) if adj else None
            if got is not None:
                value, value_max = got
                if not unit_entry and not adj.group("mul"):
                    return None
            else:
                r = read_number(core)
                discount = unit_entry is not None and unit_entry.kind == "discount"
                if r is None or (r.sequence and not (discount and r.value < 100)):
                    return None  # 二〇二三, 五一; but 五五折 is 55 %
                if discount and r.value >= 10 and not (r.sequence or core.replace(" ", "").isdigit()):
                    return None  # 十折 is no discount; 75折 and 五五折 are
                value = r.value
                approx = approx or r.approx
            num_span = m.span("n")
            end = m.end("n")
        if m.group("approx"):
            end = m.end("approx")
        if unit_entry is not None:
            if unit_entry.kind == "skip":
                return None
            unit, unit_text, kind = unit_entry.unit, m.group("unit"), unit_entry.kind
            if "/" in unit_text:  # a rate: 元/吨, 微克/立方米
                unit = "/".join(self._units[u].unit if u in self._units else u for u in unit_text.split("/"))
            if m.group("half") and value_max is None:  # 三斤半, 两年半
                value += 0.5
            if unit_entry.kind == "discount":  # 八折 = 80 %, 7.5折 = 75 %, 75折 = 75 %
                kind = "percent"
                if value < 10:
                    value *= 10
                if value_max is not None and value_max < 10:
                    value_max *= 10
            value *= unit_entry.factor
            if value_max is not None:
                value_max *= unit_entry.factor
            end = m.end("half") if m.group("half") else m.end("unit")
        qualifier = ""
        post = m.group("post")
        if post:
            entry = self._qualifier_of.get(("after", post))
            if entry and (not entry.kinds or kind in entry.kinds):
                qualifier = entry.qualifier
                end = m.end("post")
        start = num_span[0]
        if m.group("pre"):
            entry = self._qualifier_of.get(("before", m.group("pre").strip().removesuffix("了").strip()))
            entry = entry or self._qualifier_of.get(("before", m.group("pre").strip()))
            if entry:
                start = m.start("pre")
                qualifier = qualifier or entry.qualifier
        if value_max is not None:
            qualifier = "range"
        elif not qualifier:
            qualifier = "over" if approx else "exact"
        if not kind:
            kind = "bare"
        return Quantity(start, end, num_span[0], num_span[1], value, value_max, unit, unit_text, qualifier, kind)

    @staticmethod
    def _read_range(a: str, b: str) -> tuple[float, float] | None:
        ra, rb = read_number(a), read_number(b)
        if ra is None or rb is None or ra.sequence or rb.sequence or ra.percent or rb.percent:
            return None
        lo = ra.value
        tail = _TRAILING_MULT.search(b)
        if tail and not regex.search(f"[{SMALL_CLASS}{BIG_CLASS}]", a):
            # "3至5万" is 3万 to 5万
            scaled = read_number(a + tail.group())
            if scaled is not None and scaled.value < rb.value:
                lo = scaled.value
        if lo >= rb.value:
            return None
        return lo, rb.value

    @staticmethod
    def _read_adjacent(adj: regex.Match) -> tuple[float, float] | None:
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

    # ---- what is not a quantity ----------------------------------------------------------

    def _keep(self, text: str, q: Quantity, m: regex.Match, blocked: bytearray, lex_end: array) -> bool:
        ns, ne = q.num_start, q.num_end
        if any(blocked[ns:ne]):
            return False
        unit_span = m.span("unit") if m.group("unit") and q.unit_text == m.group("unit") else None
        for i in range(ns, ne):
            hit_end = lex_end[i]
            if hit_end and not (unit_span and unit_span[0] < hit_end < unit_span[1]):
                return False
        if not self._context_ok(text, q):
            return False
        core = text[ns:ne]
        before = text[ns - 1] if ns > 0 else ""
        after = text[ne] if ne < len(text) else ""
        # codes and names written with Latin letters or digit chains: PM2.5, G20, 5G, COVID-19, 0.8.4,
        # PM 2.5, M 2, Delphi 8, id=529
        if _LATIN.match(before) or (before == "-" and ns > 1 and _LATIN.match(text[ns - 2])):
            return False
        if before in _CODE_BEFORE:
            return False
        if _NAMED_BEFORE.search(text, max(0, q.start - 24), q.start):
            return False
        if before in ":：" and ns > 1 and text[ns - 2].isdigit():
            return False  # the second term of a ratio (2.31:1)
        if not q.unit and (_LATIN.match(after) or (after == "-" and _LATIN.match(text[ne + 1:ne + 2]))):
            return False  # 5G, 3D, 64-bit
        if before.isdigit() or (before == "." and ns > 1 and text[ns - 2].isdigit()):
            return False
        if after == "." and ne + 1 < len(text) and text[ne + 1].isdigit():
            return False
        # a financial numeral character alone is an ordinary word (队伍, 陆地, 收拾)
        numeral_chars = [c for c in core if c in DIGITS or c in SMALL_CLASS or c in BIG_CLASS]
        if not any(c.isdigit() for c in core) and len(numeral_chars) <= 1 and all(c in FINANCIAL for c in numeral_chars):
            return False
        if not q.unit and core.lstrip("负負")[:1] in "百佰千仟万萬" and not any(c in DIGITS or c.isdigit() for c in core):
            return False  # 千万/百万 alone are also adverbs and names (千万不要, 百万大学生)
        lone = core.strip() in ("一", "壹") and q.value in (1, 10)
        if lone and not (q.kind in ("multiple", "percent", "measure") and q.unit != "番"):
            return False  # 一个/一批/一些 are articles, 一直/统一 words; 一倍, 一成, 一吨 are amounts
        if q.kind == "bare":
            return self._bare_ok(text, q, core)
        return True

    def _context_ok(self, text: str, q: Quantity) -> bool:
        unit_keys = (q.unit or "-", q.unit_text or "-")
        for at in {q.start, q.num_start}:
            k = at
            while k > 0 and text[k - 1] in " \t:：":
                k -= 1
            for length in self._before_lengths:
                units = self._before.get(text[max(0, k - length):k])
                if units is not None and self._units_match(units, unit_keys):
                    return False
        for length in self._after_lengths:
            units = self._after.get(text[q.end:q.end + length])
            if units is not None and self._units_match(units, unit_keys):
                return False
        return True

    @staticmethod
    def _units_match(entries: list[frozenset[str] | None], unit_keys: tuple[str, str]) -> bool:
        return any(u is None or unit_keys[0] in u or unit_keys[1] in u for u in entries)

    @staticmethod
    def _bare_ok(text: str, q: Quantity, core: str) -> bool:
        """A number with no unit is a quantity only when it stands alone as one."""
        ns, ne, end = q.num_start, q.num_end, q.end
        nxt = text[end] if end < len(text) else ""
        prev = text[ns - 1] if ns > 0 else ""
        has_arabic = any(c.isdigit() for c in core)
        if _HAN.match(nxt) and nxt not in _BARE_NEXT_OK and not (_SCALED.search(core) and abs(q.value) >= 10000):
            # an unknown measure word or a name (5G基站, 12345热线, 十九大); but a number with a
            # scale word is an amount whatever follows ("帮扶32.8万就业困难群众", "十亿人口")
            return False
        value = q.value
        line_start = text.rfind("\n", 0, q.start) + 1
        if (q.qualifier == "exact" and _SECTION_NUMBER.match(core) and not text[line_start:q.start].strip()
                and nxt and (nxt.isspace() or nxt in _LIST_AFTER)):
            return False  # an outline number at the start of a line ("1.1 版本发布")
        if value.is_integer() and 0 <= value <= 99 and q.qualifier == "exact":
            # list markers: "1." "1、" "（1）" "十一、" at the start of a clause
            if (not prev or prev in _LIST_BEFORE) and nxt and (nxt in _LIST_AFTER or nxt == "．"):
                if not (nxt == "." and end + 1 < len(text) and text[end + 1].isdigit()):
                    return False
            # page markers "— 12 —"
            left = text[max(0, ns - 2):ns].strip()
            right = text[ne:ne + 2].strip()
            if left[-1:] in ("—", "-") and right[:1] in ("—", "-"):
                return False
        if has_arabic:
            if _VERSION.match(core):
                return False  # 城市大脑2.0: a version
            digits = core.replace(",", "").replace(" ", "").strip().lstrip("-")
            if q.qualifier == "exact" and digits.isdigit():
                if len(digits) == 4 and 1900 <= int(digits) <= 2100:
                    return False  # a year written without 年 ("2023中国…")
                if len(digits) > 1 and digits.startswith("0"):
                    return False  # codes
                if len(digits) >= 9 and "," not in core:
                    return False  # account, phone and serial numbers
            return True
        # a Chinese numeral with no unit: only a written-out amount ("九千", "二十余", "九点九")
        numeral_chars = sum(1 for c in core if c in DIGITS or c in SMALL_CLASS or c in BIG_CLASS)
        if numeral_chars < 2:
            return False
        return abs(value) >= 10 or "点" in core or "點" in core or q.qualifier != "exact"


_LIST_JOINERS = set("、和及与或")


def _share_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """In a list the unit is written once, after the last number: "分别减少10.6万、3.8万、3.3万平方米",
    "1、2、3次". A bare number followed by a joiner takes the unit of the next number; when the next
    number is not a quantity ("3、4号线", "国道317、318沿线"), neither is it."""
    out: list[Quantity] = []
    next_q: Quantity | None = None
    for q in reversed(found):
        if q.kind == "bare" and q.qualifier in ("exact", "over", "under", "about") and q.end < len(text) - 1 \
                and text[q.end] in _LIST_JOINERS:
            follower = text[q.end + 1]
            if next_q is not None and next_q.start == q.end + 1:
                if next_q.kind not in ("bare", "fraction"):
                    q = Quantity(q.start, q.end, q.num_start, q.num_end, q.value, q.value_max,
                                 next_q.unit, "", q.qualifier, next_q.kind)
            elif follower.isdigit() or follower in DIGITS or follower in SMALL_CLASS:
                continue
        out.append(q)
        next_q = q
    out.reverse()
    return out
