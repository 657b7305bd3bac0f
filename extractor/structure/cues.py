"""What the words of a line say about it: the cues of rules/heading_cues.tsv (a salutation, a
byline, a table of contents …) and the section kinds of rules/section_kinds.tsv (a heading that
says its section reviews work done, lists problems or plans work ahead)."""
from __future__ import annotations

from collections.abc import Callable

import regex

from ..model import Word, SectionKind
from ..rules import Rules, one_of, union


class Cue(Word):
    """The kinds of rules/heading_cues.tsv (described there)."""

    SALUTATION = "salutation"
    BYLINE = "byline"
    NAME = "name"
    DATELINE = "dateline"
    TITLE_WORD = "title_word"
    LEAD_WORD = "lead_word"
    RUNIN_STOP = "runin_stop"
    SEQUENCE = "sequence"
    STATEMENT = "statement"
    TOC = "toc"
    NOTES = "notes"
    PART = "part"
    SURVEY = "survey"
    OPTIONS = "options"
    SEPARATOR = "separator"


# The levels column of rules/section_kinds.tsv: which heading levels a cue is read at.
_LEVELS: dict[str, Callable[[int], bool]] = {
    "title": lambda level: level == 0,
    "top": lambda level: level == 1,
    "any": lambda level: level >= 1,
}
# A section kind a heading's words can give; a section without one is its parent's kind or "other".
_CUED_KINDS = (SectionKind.REVIEW, SectionKind.PROBLEM, SectionKind.PLAN)


class Cues:
    """The cue tables of the outline, compiled once."""

    def __init__(self, rules: Rules):
        self._cues: dict[Cue, list[regex.Pattern]] = {c: [] for c in Cue}
        for r in rules.table("heading_cues", ("kind", "pattern"),
                             convert={"kind": one_of(Cue), "pattern": rules.pattern()},
                             required=("kind", "pattern")):
            self._cues[Cue(r["kind"])].append(r["pattern"])
        self._kinds = [(r["pattern"], SectionKind(r["kind"]), _LEVELS[r["levels"]],
                        SectionKind(r["in_plan"] or r["kind"]))
                       for r in rules.table("section_kinds", ("pattern", "kind", "levels", "in_plan"),
                                            convert={"pattern": rules.pattern(),
                                                     "kind": one_of(_CUED_KINDS),
                                                     "levels": one_of(_LEVELS),
                                                     "in_plan": one_of(_CUED_KINDS)},
                                            required=("pattern", "kind", "levels"))]
        # the rows read at a level (2 stands for every level below the top), and one search over
        # them all: most names match none
        self._kinds_at = {level: [(pattern, kind, in_plan) for pattern, kind, applies, in_plan in self._kinds
                                  if applies(level)] for level in (0, 1, 2)}
        self._any_kind_at = {level: union([row[0] for row in rows], rules.regex)
                             for level, rows in self._kinds_at.items()}
        self._year = rules.compile(r"(?P<year>{Year})[ \t]*年度?")
        self._compile = rules.regex

    def any_of(self, *cues: Cue) -> regex.Pattern:
        """One pattern for the patterns of several cues: where it is not found, none of them is."""
        return union([p for cue in cues for p in self._cues[cue]], self._compile)

    def has(self, cue: Cue, s: str) -> bool:
        # a loop, not any() over a generator: asked of most paragraphs several times, of one or two patterns
        for p in self._cues[cue]:
            if p.search(s) is not None:
                return True
        return False

    def skip(self, cue: Cue, text: str, pos: int, end: int) -> int:
        """Past a cue that stands at pos ("首先，"), or pos when none does."""
        for p in self._cues[cue]:
            m = p.match(text, pos, end)
            if m:
                return m.end()
        return pos

    def section_kind(self, name: str, level: int, plan: bool = False) -> SectionKind | None:
        """The kind a heading's name gives its section at this level (the first row that matches);
        ``plan``: in a plan document."""
        at = min(level, 2)
        if at < 0 or self._any_kind_at[at].search(name) is None:
            return None
        for pattern, kind, in_plan in self._kinds_at[at]:
            if pattern.search(name):
                return in_plan if plan else kind
        return None

    def named_year(self, name: str) -> int | None:
        """The year a heading names ("2022年亮点工作" -> 2022), or None."""
        m = self._year.search(name)
        return int(m.group("year")) if m else None

    def top_kind(self, name: str, plan: bool, reviewed: int | None) -> SectionKind | None:
        """The kind a top heading's words give its section, where ``reviewed`` is the earliest of
        two or more years the top headings name (None: they name fewer): a heading of that year
        looks back ("一、2022年亮点工作" beside "二、2023年工作思路") unless its other words say
        it plans."""
        kind = self.section_kind(name, 1, plan)
        if reviewed is None or kind != SectionKind.PLAN or self.named_year(name) != reviewed:
            return kind
        own = self.section_kind(self._year.sub("", name, count=1), 1, plan)
        return own if own in (SectionKind.PLAN, SectionKind.PROBLEM) else SectionKind.REVIEW
