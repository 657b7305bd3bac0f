"""Keys: what a figure is, comparable across reports.

A name falls under a known concept through rules/indicator_keys.tsv (国内生产总值, 地区生产总值,
全市生产总值 and GDP are one key); any other name is normalised (scope words such as 全市/累计 and
light verbs such as 实现/完成 removed, rules/key_words.tsv) so that trivially different names fall
together too. A level and its change are different figures: the key of a change ends in ·增长 or
·下降 (国内生产总值 126万亿元 has the key 生产总值, 国内生产总值增长5.2% the key 生产总值·增长).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..cache import compile_regex
from ..model import Direction
from ..resolve.numerals import BIG_CLASS, DIGIT_CLASS, SMALL_CLASS
from ..rules import Rules, alternation, one_of

CHANGE = {Direction.UP: "增长", Direction.DOWN: "下降"}
_SPACE = compile_regex(r"\s+")
_NUMERAL = DIGIT_CLASS + SMALL_CLASS + BIG_CLASS


@dataclass(frozen=True, slots=True)
class Alias:
    key: str
    measure: str          # "up"/"down" when the alias names a change, else ""
    better: str           # "higher", "lower" or ""


class KeyMaker:
    """Builds keys; made once from the rules."""

    def __init__(self, rules: Rules):
        rows = rules.table("indicator_keys", ("alias", "key", "measure", "better", "match"),
                           convert={"measure": one_of(("up", "down")), "better": one_of(("higher", "lower")),
                                    "match": one_of(("exact", "contains"))})
        self.aliases: dict[str, Alias] = {}
        self.better_by_word: dict[str, str] = {}
        better_of_key: dict[str, str] = {}
        for row in rows:
            if row["match"] == "contains":
                self.better_by_word[row["alias"]] = row["better"]
                continue
            if not row["key"]:
                raise row.error("an exact alias needs a key")
            known = better_of_key.setdefault(row["key"], row["better"])
            if row["better"] and known and known != row["better"]:
                raise row.error(f"key {row['key']!r} is said to be both {known}- and {row['better']}-better")
            self.aliases[row["alias"]] = Alias(row["key"], row["measure"], row["better"])
        self.better_of_key = better_of_key
        words = rules.table("key_words", ("word", "role"),
                            convert={"role": one_of(("light", "up", "down", "reach", "average", "base", "subunit", "keep"))},
                            required=("word", "role"))
        by_role: dict[str, list[str]] = {}
        for row in words:
            by_role.setdefault(row["role"], []).append(row["word"])
        scope = [r["word"] for r in rules.table("indicator_words", ("word", "role")) if r["role"] == "lead"]
        # words of one character are left alone: at the start of a name one is most often the first
        # character of a word (能耗, 达标率, 现金流量, 使用), and a name has lost them already
        # where they stood as words of their own
        self.leading = rules.regex(
            f"^(?:{alternation([w for w in scope + by_role.get('light', []) if len(w) > 1])})+")
        keep = alternation(by_role.get("keep", []))
        self.subunit = rules.regex(rf"^(?:(?!{keep})\p{{Han}}){{2,6}}?(?:{alternation(by_role.get('subunit', []))})"
                                     rf"(?=\p{{Han}}{{3}})")
        self.rise = rules.regex(f"(?:{alternation(by_role.get('up', []))})$")
        self.fall = rules.regex(f"(?:{alternation(by_role.get('down', []))})$")
        # a reach word right before the figure (增加到51.9万亿元, 提高至62.4%), not inside a range (3至5个)
        self.reach = rules.regex(f"(?<![\\d{_NUMERAL}])(?:{alternation(by_role.get('reach', []))})"
                                   f"[^\\d{_NUMERAL}，,。；;]{{0,3}}[\\d{_NUMERAL}]")
        self.averages = rules.regex(alternation(by_role.get("average", [])))
        self.base = rules.regex(f"(?:{alternation(by_role.get('base', []))})$")
        self.contains = rules.regex(alternation(self.better_by_word)) if self.better_by_word else None
        # a report names the same figures many times over: each name's concept is read once
        self.concept = lru_cache(maxsize=8192)(self._concept)

    def _concept(self, name: str) -> tuple[str, str]:
        """(key of the thing a name counts, "up"/"down" when the name itself says it changed)."""
        name = _SPACE.sub("", name)
        alias = self.aliases.get(name)
        if alias is not None:
            return alias.key, alias.measure
        stripped = self.leading.sub("", name) or name
        stripped = self.leading.sub("", self.subunit.sub("", stripped)) or stripped
        alias = self.aliases.get(stripped)
        if alias is not None:
            return alias.key, alias.measure
        for pattern, measure in ((self.rise, "up"), (self.fall, "down")):
            m = pattern.search(stripped)
            if m and m.start() > 0:
                base, _ = self.concept(stripped[:m.start()])
                return base, measure
        return stripped, ""

    def key(self, name: str, direction: str, reached: bool) -> str:
        """The key of an indicator row. ``reached``: the figure is a level a change arrived at
        (增加到51.9万亿元), so it is the level's key even with a direction."""
        if not name:
            return ""
        base, measure = self.concept(name)
        if not measure and direction in CHANGE and not reached:
            measure = direction
        # (a Direction is the string it names: CHANGE is read by either, with no enum made per row)
        return f"{base}·{CHANGE[measure]}" if measure else base

    def reached(self, text: str) -> bool:
        """Does the figure's text say a level was reached (增加到51.9万亿元) rather than a change?"""
        return bool(self.reach.search(text))

    def comparison_base(self, before: str) -> bool:
        """Does the text right before a time make it the base of a comparison (比去年, 高于上年)?"""
        return bool(self.base.search(before))

    def average(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """Does the figure's text (``text[start:end]``) say it is a yearly average over several
        years (年均增长)?"""
        return self.averages.search(text, start, len(text) if end is None else end) is not None

    def better(self, key: str) -> str:
        """"higher", "lower" or "" for a key (its change keys follow the level's)."""
        base = key.split("·")[0]
        known = self.better_of_key.get(base, "")
        if known:
            return known
        if self.contains is not None:
            m = self.contains.search(base)
            if m:
                return self.better_by_word[m.group()]
        return ""
