"""What the indicator stage knows of words and marks: rules/indicator_words.tsv by role, the
punctuation fragments of rules/fragments.tsv, and the questions asked of one token with them."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from ...model import Direction, Qualifier
from ...rules import Rules, one_of
from ..prepositions import prepositions_for

if TYPE_CHECKING:
    from .tokens import Tok

# Labels of the span ruler's cues (rules/spans_cues.jsonl) and the direction each one gives.
CUE_DIRECTIONS = {"DIR_UP": Direction.UP, "DIR_DOWN": Direction.DOWN}
# jieba's POS flags (its tagset, not report vocabulary) of words that cannot open or continue the
# noun phrase after a figure: prepositions, adverbs, conjunctions, particles, localizers, pronouns,
# modal particles, interjections, onomatopoeia.
NON_NOMINAL_TAGS = ("p", "d", "c", "u", "f", "r", "y", "e", "o", "ad")
# jieba's flags of adverbs and of adjectives used as adverbs
ADVERB_TAGS = ("d", "ad")
THRESHOLDS = (Qualifier.OVER, Qualifier.UNDER)
# the CJK Unified Ideographs block, where nearly every Chinese word opens
_CJK_FIRST, _CJK_LAST = "\u4e00", "\u9fff"


@dataclass(frozen=True, slots=True)
class Words:
    """The words of rules/indicator_words.tsv, one set per role (the file's header says what each does)."""

    lead: frozenset[str]
    trail: frozenset[str]
    drop: frozenset[str]
    light: frozenset[str]
    lead_verb: frozenset[str]
    cut_after: frozenset[str]
    pivot: frozenset[str]
    article: frozenset[str]
    adverb: frozenset[str]
    comparison: frozenset[str]
    relative: frozenset[str]
    list_intro: frozenset[str]
    head_noun: frozenset[str]
    predicate: frozenset[str]
    preposition: frozenset[str]
    localizer: frozenset[str]
    part: frozenset[str]
    distributive: frozenset[str]
    threshold_unit: frozenset[str]
    attribute: frozenset[str]
    than: frozenset[str]
    compared_with: frozenset[str]
    comparison_prefix: frozenset[str]
    enumeration_end: frozenset[str]
    name_suffix: frozenset[str]
    people_unit: frozenset[str]
    list_joiner: frozenset[str]
    threshold_mark: frozenset[str]
    linker: frozenset[str]
    ordinal_prefix: frozenset[str]
    generic_noun: frozenset[str]
    negation: frozenset[str]
    threshold_prefix: frozenset[str]
    subject_end: frozenset[str]
    subject_total: frozenset[str]
    ratio_head: frozenset[str]
    agent: frozenset[str]
    measure_noun: frozenset[str]
    event_after: frozenset[str]
    motion: frozenset[str]
    about: frozenset[str]
    place_unit: frozenset[str]
    person: frozenset[str]
    share_of: frozenset[str]
    aspect: frozenset[str]
    subset: frozenset[str]
    progress_of: frozenset[str]
    own_time: frozenset[str]
    existential: frozenset[str]

    @classmethod
    def load(cls, rules: Rules) -> Words:
        roles = tuple(f.name for f in fields(cls) if f.name != "preposition")
        found: dict[str, set[str]] = {role: set() for role in roles}
        for row in rules.table("indicator_words", ("word", "role"), convert={"role": one_of(roles)},
                               required=("word", "role")):
            found[row["role"]].add(row["word"])
        found["preposition"] = set(prepositions_for(rules, "name"))   # rules/prepositions.tsv
        return cls(**{role: frozenset(words) for role, words in found.items()})


@dataclass(frozen=True, slots=True)
class Marks:
    """Punctuation, from the fragments of the same names."""

    clause_breaks: frozenset[str]   # ClauseBreak
    sentence_ends: frozenset[str]   # SentenceEnd
    commas: frozenset[str]          # Comma
    open_quotes: frozenset[str]     # QuoteOpen
    close_quotes: frozenset[str]    # QuoteClose
    quotes: frozenset[str]          # every quote mark: open, close and straight
    list_commas: frozenset[str]     # ListComma
    gloss_open: frozenset[str]      # GlossOpen
    gloss_close: frozenset[str]     # GlossClose

    @classmethod
    def load(cls, rules: Rules) -> Marks:
        def chars(name: str) -> frozenset[str]:
            return frozenset(rules.chars(name))

        return cls(chars("ClauseBreak"), chars("SentenceEnd"), chars("Comma"), chars("QuoteOpen"),
                   chars("QuoteClose"), chars("QuoteOpen") | chars("QuoteClose") | chars("QuoteStraight"),
                   chars("ListComma"), chars("GlossOpen"), chars("GlossClose"))


class Lexicon:
    """The words and marks, and what they say of one token."""

    def __init__(self, rules: Rules):
        self.w = Words.load(rules)
        self.marks = Marks.load(rules)
        # a heading's number left in a name: "3.2", "(1)", "①"
        self._number_mark = rules.compile(r"(?:\d|[.()（）]|{Circled})+")
        # most words open with a character of the common CJK block, which no such number holds
        # (checked here: the fragments are data and may grow)
        cjk = "".join(map(chr, range(ord(_CJK_FIRST), ord(_CJK_LAST) + 1)))
        self._cjk_not_number = self._number_mark.search(cjk) is None
        self._comparison_prefixes = tuple(sorted(self.w.comparison_prefix))
        self._threshold_marks = tuple(sorted(self.w.threshold_mark))
        self._hedges = self.w.lead | self.w.trail | self.w.comparison   # words :meth:`ignorable` passes over

    def ignorable(self, t: Tok) -> bool:
        """Punctuation, times, comparison bases, cues and hedges: what may stand between a name and
        its figure."""
        return t.is_punct or t.text in self._hedges or t.text.isspace() or bool(t.time) or t.base or bool(t.cue)

    def nominal(self, t: Tok) -> bool:
        """A word that may belong to the noun phrase after a figure."""
        if t.qty is not None or t.time or t.is_punct or t.cue or t.text.isspace():
            return False
        w = self.w
        if t.text in w.predicate or t.text in w.light or t.text in w.adverb or t.text in w.trail:
            return False
        return not t.tag.startswith(NON_NOMINAL_TAGS)

    def threshold(self, t: Tok) -> bool:
        """A figure that bounds a group ("60岁以上", "100万元以上") rather than reporting an amount."""
        q = t.qty
        return q is not None and q.qualifier in THRESHOLDS \
            and (q.unit in self.w.threshold_unit or self.ends_threshold(t.text))

    def ends_threshold(self, surface: str) -> bool:
        return surface.endswith(self._threshold_marks)

    def is_base(self, t: Tok) -> bool:
        """The base of a comparison: 上年, 去年同期, 2022年, 年初."""
        return bool(t.time) or t.base or t.text in self.w.comparison

    def comparison_word(self, t: Tok) -> bool:
        """"同比", "环比": a comparison dropped from a name wherever it stands."""
        return t.text in self.w.comparison and t.text.startswith(self._comparison_prefixes)

    def is_number_mark(self, text: str) -> bool:
        """A heading's number left in a name: "3.2", "(1)", "①"."""
        if self._cjk_not_number and _CJK_FIRST <= text[:1] <= _CJK_LAST:
            return False
        return self._number_mark.fullmatch(text) is not None

    def is_gloss_open(self, t: Tok) -> bool:
        """A bracket that opens a short gloss inside a name ("县（市、区）"): it does not break the clause."""
        return t.text in self.marks.gloss_open and not t.is_break

    def is_list_comma(self, t: Tok) -> bool:
        """The comma that separates a list's items (、), outside a gloss ("街（店、铺）")."""
        return t.text in self.marks.list_commas and not t.in_gloss

    def compatible_units(self, a: str, b: str) -> bool:
        """Units a part and its total may differ in: 人 and 名 both count people."""
        return a == b or (a in self.w.people_unit and b in self.w.people_unit)
