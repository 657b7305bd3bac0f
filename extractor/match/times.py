"""Time expressions: the calendar years, dates, months, quarters, periods and relative times a
report ties its figures to ("2023年", "至12月4日", "8月至9月", "9月份以来", "今年以来", "一季度",
"“十四五”时期", "近五年", "2025年底前").

One compiled pattern does the work: a chain of time atoms (a year, a month, a day, a quarter, a
time word …) with an optional leading preposition (至, 截至, 自 …) and trailing suffixes (以来, 底,
前 …), and optionally a second chain after a range separator (8月至9月). The words come from
``rules/time_words.tsv``, the affixes from ``rules/time_affixes.tsv`` and the words that open a
clock time, a recent period or a duration from ``rules/time_leads.tsv``.

The quantity layer uses the spans found here so that years and dates never become quantities;
spans of kind ``duration`` ("为期一年", "连续3年") are the exception: they are times *and* amounts.
"""
from __future__ import annotations

import string
from collections.abc import Mapping

import regex

from ..model import TimeKind, TimeSpan
from ..rules import Rules, alternation, member, one_of, trie
from .pattern_search import Opened

LEAD_ROLES = ("day_part", "recent", "duration")

# {Name} references are fragments of rules/fragments.tsv, expanded when the pattern is compiled
SP = r"[ \t]?"
SEP = "{RangeSep}"
_CN_DIGITS = "零〇一二两三四五六七八九十"
_CN_NUM_CHARS = _CN_DIGITS + "百几"
# a number starts where its run of digits or numerals starts: the leftmost match is the same, and a
# long run is read once instead of once from each of its characters (quadratic)
_CN_NUM = rf"(?<![{_CN_NUM_CHARS}])[{_CN_NUM_CHARS}]+"
_NUMW = rf"(?:(?<!\d)\d+(?:\.\d+)?|{_CN_NUM})"
_YEAR4 = r"(?<![\d.])(?:(?:1[5-9]|20)\d{2}|(?:1 [5-9]|2 0) \d \d)(?![\d.])"  # "1 9 9 3": PDF-spaced
_YEAR_CN = r"(?<![零〇一二三四五六七八九十])[〇零一二三四五六七八九]{4}"
_MONTH_AR = r"(?<![\d.])(?:1 ?[0-2]|0?[1-9])(?![\d.])"
_MONTH_CN = r"(?<![零〇一二两三四五六七八九十百千万亿])(?:十[一二]|{CnTen})"
_DAY_AR = r"(?<![\d.])(?:[12] ?\d|3 ?[01]|0?[1-9])(?![\d.])"
_DAY_CN = r"(?:初{CnTen}|三十一?|二十{CnDigit}?|十{CnDigit}?|{CnDigit})"
_T_UNIT = r"(?:年|个月|月|个季度|季度|个星期|星期|周|天|日|个小时|小时)"
# how the name of a five-year plan opens ("十四五", “十四五”): the first characters of its atom
_PLAN_OPENERS = ("“十", "\"十", "十")
# a number opens a time expression with a digit, a numeral up to 十 or 第 (第一季度); 百 and 几
# open one only as the first character of a time word
_NUMBER_FIRSTS = string.digits + _CN_DIGITS + "第"
# An atom that a number opens (not a word, a prefix or a lead word, which open on their own
# characters) goes on, after the number's characters, with its mark: 年 月 日 季度, 工作日 天 小时
# or 个 of a span, 时 点 : of a clock, a range's separator, 、 between months; 届 级 学年 财年 only
# after a year, a date's - / . only after the year of a date
_NUMBER_RUN = rf"[\d{_CN_NUM_CHARS}第前多. \t]"
_NUMBER_MARK = rf"[年月日季天工小时点:：∶]|个[年月天工日小]|、{SP}\d|{SEP}"
_YEAR_MARK = rf"(?:{_YEAR4}|{_YEAR_CN}){SP}[届级学财]|(?<![\d.])(?:19|20)\d{{2}}[-/.]"
# how far a number's opening looks for its mark; a longer run of number characters passes
_NUMBER_REACH = 16


def _atoms(words: list[str], leads: Mapping[str, str]) -> str:
    """The alternation of time atoms, each a named group that tells the span's kind; ``leads`` are
    the patterns of the lead words of each role."""
    return "|".join([
        rf"(?P<year_range>{_YEAR4}{SP}(?:年度?)?{SP}{SEP}{SP}{_YEAR4}(?:{SP}年度?)?)",
        rf"(?P<year>(?:{_YEAR4}|{_YEAR_CN}){SP}(?:学年度|学年|财年|年度|年|届|级))",
        rf"(?P<month_range>{_MONTH_AR}{SP}(?:月份?)?{SP}(?:{SEP}|、){SP}{_MONTH_AR}{SP}月份?)",
        rf"(?P<month>(?:{_MONTH_AR}{SP}|{_MONTH_CN})月份?"
        rf"(?:{SP}(?P<day>(?:{_DAY_AR}{SP}|{_DAY_CN})[日号]|{_DAY_AR}(?=\s|$)))?)",
        rf"(?P<day_only>{_DAY_AR}{SP}日)",
        rf"(?P<iso_date>(?<![\d.])(?:19|20)\d{{2}}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?![\d.]))",
        rf"(?P<decade>(?<![\d一二三四五六七八九十])(?:{{CnDigit}}十|(?:19|20)?\d0){SP}年代)",
        rf"(?P<quarter>(?:第?[一二三四1-4]|前[一二三1-3]|[一二三1-3]{SP}{SEP}{SP}[二三四2-4]){SP}季度)",
        # a clock time (9:30, 下午3∶30), but not a term of a ratio of three or more (3:40:57)
        rf"(?P<clock>(?<![\d.:：∶][ \t]?)(?:[01]?\d|2[0-4])[:：∶][0-5]\d(?!\d|[ \t]?[:：∶][ \t]?\d)"
        rf"|(?:{leads['day_part']}){SP}(?:\d{{1,2}}|{{CnTen}}{{1,3}}){SP}[点时]"
        rf"(?:{SP}\d{{1,2}}{SP}分|半|整)?|(?<![\d.])(?:[01]?\d|2[0-4]){SP}[时点]{SP}[0-5]?\d{SP}分)",
        rf"(?P<plan>[“\"]?十[一二三四五六]五[”\"]?(?:时期|期间|期末|末期|初期|中期|规划期)?)",
        # 近五年, 过去的五年; 三年来, 五年间
        rf"(?P<recent>(?:{leads['recent']}){SP}的?{SP}{_NUMW}{SP}多?{SP}{_T_UNIT}多?(?:来|以来|中|间|内)?"
        rf"|{_NUMW}{SP}多?{SP}(?:个)?(?:年|月)多?(?:来|以来|间(?![隔距接断]))"
        # 一年中, 三年中 (not 2023年中, the middle of a year, nor 三年中期)
        rf"|(?:{_CN_NUM}|(?<!\d)\d{{1,2}}(?!\d)){SP}多?{SP}(?:个)?年多?中(?![央国心期部间])"
        # the years a figure after them is counted over: at a clause's start ("，五年新增养老床位2.65万张",
        # "十年增加近70万亿元") or before 累计 ("实际使用外资五年累计达到1030亿美元")
        rf"|(?<![^，,。；;：:！？!?\n]){_NUMW}{SP}年(?![度级底初末终内以前后来间中里半多制期]|计划|规划|行动|攻坚|义务|一贯)"
        rf"|{_NUMW}{SP}年(?={SP}(?:累计|共计|合计))"
        rf"|{_NUMW}{SP}(?:个)?(?:年|月|天)(?:之前|以前|前|之后|以后|后))",
        # within a time limit: a span of time and an amount at once ("75天以内", "三年内")
        rf"(?P<within>{_NUMW}{SP}(?:个)?(?:工作日|年|月|天|日|小时)(?:之内|以内|内))",
        rf"(?P<duration>(?:{leads['duration']}){SP}{_NUMW}{SP}多?{SP}{_T_UNIT}(?:多|半)?)",
        rf"(?P<word>{alternation(words)})",
    ])


def _lead_pattern(rows: list) -> str:
    """The alternation of lead words, longest first, each guarded by the characters it may not
    follow (后 of 最后一年 opens no time)."""
    alts = []
    for r in sorted(rows, key=lambda r: (-len(r["text"]), r["text"])):
        guard = f"(?<![{regex.escape(r['not_after'])}])" if r["not_after"] else ""
        alts.append(guard + regex.escape(r["text"]))
    return "|".join(alts) or "(?!)"


def _opening(words: list[str], openers: list[str], firsts: set[str]) -> str:
    """A sharper test than the first character, for the many offsets whose character may start
    only a word, a prefix or a lead word (国 of 国庆, 全 of 全年, 经 of 经过): their first two
    characters; a prefix or lead word of one character (至, 近, 这) before a space, 的 or what may
    start an atom (近平, 这些 open no time). A number (digits, numeral characters, 第, 前 of
    前三季度) passes when an atom's mark follows it (most numbers are amounts, not times)."""
    number = rf"[\d{_CN_NUM_CHARS}第前]"
    longer = {w for w in [*words, *openers] if len(w) > 1 or w in words}
    single = {w for w in openers if len(w) == 1} - longer
    then = "".join(regex.escape(c) for c in sorted(firsts | set(_CN_NUM_CHARS) | set("第前“\"的 \t")))
    alts = [rf"{number}(?:{_NUMBER_RUN}{{0,{_NUMBER_REACH}}}?(?:{_NUMBER_MARK})|{_NUMBER_RUN}{{{_NUMBER_REACH}}})",
            rf"(?=[\d〇零一二三四五六七八九])(?:{_YEAR_MARK})", trie(longer)]
    if single:
        alts.append(rf"[{''.join(regex.escape(c) for c in sorted(single))}](?=[\d{then}])")
    return "|".join(alts)


class TimeFinder:
    """Finds every time expression in a text, in reading order, without overlaps."""

    def __init__(self, rules: Rules):
        words = rules.table("time_words", ["text", "kind"], convert={"kind": member(TimeKind)},
                            required=["text", "kind"])
        affixes = rules.table("time_affixes", ["text", "position", "not_before"],
                              convert={"position": one_of(("prefix", "suffix"))}, required=["text", "position"])
        lead_rows = rules.table("time_leads", ["text", "role", "not_after"], convert={"role": one_of(LEAD_ROLES)},
                                required=["text", "role"])
        leads = {role: [r["text"] for r in lead_rows if r["role"] == role] for role in LEAD_ROLES}
        lead_patterns = {role: _lead_pattern([r for r in lead_rows if r["role"] == role]) for role in LEAD_ROLES}
        self._word_kind: dict[str, TimeKind] = {w["text"]: w["kind"] for w in words}
        prefixes = [a["text"] for a in affixes if a["position"] == "prefix"]
        suffix_parts = []
        for a in sorted((a for a in affixes if a["position"] == "suffix"), key=lambda a: -len(a["text"])):
            guard = f"(?![{regex.escape(a['not_before'])}])" if a["not_before"] else ""
            suffix_parts.append(regex.escape(a["text"]) + guard)
        atoms = _atoms(list(self._word_kind), lead_patterns)
        prefix = f"(?:{alternation(prefixes)}){SP}" if prefixes else ""
        suffix = f"(?:{SP}(?:{'|'.join(suffix_parts)})){{0,2}}" if suffix_parts else ""
        chain = f"(?:{atoms})(?:{SP}(?:{atoms})){{0,3}}{suffix}"
        # every match starts with one of these characters: a cheap test before the full pattern
        openers = [*prefixes, *(w for role in LEAD_ROLES for w in leads[role]), *_PLAN_OPENERS]
        firsts = set(_NUMBER_FIRSTS) | {w[0] for w in [*self._word_kind, *openers]}
        first = "[" + "".join(regex.escape(c) for c in sorted(firsts)) + "]"
        opening = _opening(list(self._word_kind), openers, firsts)
        start = rf"(?={first})(?={opening})"
        self._pattern = rules.compile(rf"{start}(?:{prefix})?{chain}(?:{SP}(?P<sep>{SEP}){SP}{chain})?")
        self._search = Opened(self._pattern, rules.expand(start))
        groups = self._pattern.groupindex
        self._range_groups = tuple(groups[g] for g in ("sep", "year_range", "month_range"))
        self._clock, self._word = groups["clock"], groups["word"]
        self._group_kinds = tuple((groups[g], kind) for g, kind in _GROUP_KINDS.items())

    def find(self, text: str) -> list[TimeSpan]:
        out: list[TimeSpan] = []
        for m in self._search.finditer(text):
            start, end = m.span()
            out.append(TimeSpan(start, end, text[start:end], self._kind(m)))
        return out

    def _kind(self, m: regex.Match) -> TimeKind:
        # whether a group took part in the match: its last span, all read at once (regex finds a
        # group by its name, or its captures, many times slower)
        spans = m.regs
        if any(spans[i][0] >= 0 for i in self._range_groups):
            return TimeKind.TIME if spans[self._clock][0] >= 0 else TimeKind.PERIOD
        found = {kind for i, kind in self._group_kinds if spans[i][0] >= 0}
        if spans[self._word][0] >= 0:
            found.update(self._word_kind.get(w, TimeKind.RELATIVE) for w in m.captures(self._word))
        if TimeKind.DURATION in found and len(found) == 1:
            return TimeKind.DURATION
        return next((k for k in _KINDS if k in found), TimeKind.RELATIVE)


# the kinds, most specific first; the kind each atom's group tells
_KINDS = tuple(TimeKind)
_GROUP_KINDS = {"clock": TimeKind.TIME, "day": TimeKind.DATE, "day_only": TimeKind.DATE,
                "iso_date": TimeKind.DATE, "month": TimeKind.MONTH, "quarter": TimeKind.PERIOD,
                "plan": TimeKind.PERIOD, "recent": TimeKind.PERIOD, "decade": TimeKind.PERIOD,
                "year": TimeKind.YEAR, "duration": TimeKind.DURATION, "within": TimeKind.DURATION}
