"""The task stage's rules, loaded and compiled once: word lists, future and past markers, openers,
exclusions, and the named patterns of rules/task_patterns.tsv."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from ...cache import compile_regex
from ...model import Span
from ...rules import RuleError, Rules, alternation, one_of, union
from ..prepositions import prepositions_for
from ..prefilter import Openings, PatternSet, any_of, string_prefilter

STRENGTHS = ("strong", "medium")
SCOPES = ("heading", "paragraph", "list", "stop", "context")
ROLES = ("nominal_suffix", "en_lead", "deadline_before", "deadline_after", "target_lead")
PATTERNS = ("list_mark", "enumeration", "copula", "figure", "qualified_figure", "target_object", "time_head",
            "deadline")

# closing punctuation and blanks at the end of a unit or a title
TRAILING = compile_regex(r"[\s。．.！!？?；;，,、：:…]+$")
# the same searched from the end ((?r)): the same match (the whole closing run), read from the end
# instead of tried at every position before it
TRAILING_FROM_END = compile_regex("(?r)" + TRAILING.pattern)
# the blanks of regex's \s: str.isspace() but for the separators \x1c-\x1f (a test reads every character)
BLANKS = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                   "\u200a\u2028\u2029\u202f\u205f\u3000")
TRAILING_CHARS = BLANKS | frozenset("。．.！!？?；;，,、：:…")   # the class of TRAILING


def trailing_start(text: str, start: int, end: int) -> int:
    """Where the closing run of text[start:end] starts (TRAILING_FROM_END's match), ``end`` when
    there is none: a walk back over the few characters of the run, not a call of regex."""
    while end > start and text[end - 1] in TRAILING_CHARS:
        end -= 1
    return end


@dataclass(frozen=True)
class Lexicon:
    verbs: frozenset[str]                  # task_action_verbs.txt: verbs that head an action
    non_action: frozenset[str]             # task_non_action_verbs.txt: copulas, existence, state
    verbs_en: frozenset[str]               # task_verbs_en.txt, lower case
    prepositions: frozenset[str]           # task_words.tsv by role
    nominal_suffixes: frozenset[str]
    en_lead: frozenset[str]
    markers: tuple[regex.Pattern, ...]     # task_markers.tsv, the strong ones first
    marker_set: PatternSet                 # the markers, each searched where it can match (prefilter.py)
    strong_set: PatternSet                 # the strong ones
    past_any: regex.Pattern                # task_past.tsv, a union: one search per clause
    past_needs: re.Pattern | None          # the strings one of which each match of it holds (prefilter.py)
    exclusions: PatternSet                 # task_exclusions.tsv
    heading_openers: PatternSet            # task_openers.tsv by scope
    paragraph_openers: PatternSet
    list_opener_any: regex.Pattern
    list_stops: tuple[regex.Pattern, ...]
    context_headings: tuple[regex.Pattern, ...]
    time_skip: regex.Pattern               # task_time_skip.txt
    verb_anywhere: re.Pattern              # a search for any action verb (prefilter.any_of)
    verb_initials: frozenset[str]          # the first characters of the action verbs
    verb_lengths: tuple[int, ...]          # their lengths, longest first
    modifier: regex.Pattern                # before the head verb: an adverb, a time, a blank or comma
    preposition: regex.Pattern
    target: regex.Pattern                  # task_target_verbs.txt
    list_mark: regex.Pattern               # task_patterns.tsv by name
    enumeration: regex.Pattern
    copula: regex.Pattern
    qualified_figure: regex.Pattern
    target_object: regex.Pattern
    deadline: regex.Pattern
    # of list_mark, enumeration, modifier and preposition: the characters a match may open with
    # (asked before each of them is tried at a position)
    list_mark_opens: Openings
    enumeration_opens: Openings
    modifier_opens: Openings
    preposition_opens: Openings
    copula_needs: re.Pattern | None        # the strings one of which each match of copula holds (是, 并非)

    def clean_title(self, title: str) -> str:
        """A heading's or a subhead's text without its list mark and closing punctuation."""
        m = self.list_mark.match(title) if not title or self.list_mark_opens.may_open(title[0]) else None
        if m:
            title = title[m.end():]
        return title[:trailing_start(title, 0, len(title))].strip()

    def may_be_past(self, text: str, start: int, end: int) -> bool:
        """Can a clause in [start, end) report work done? No when the span lacks every string a
        report of work done needs."""
        return self.past_needs is None or bool(self.past_needs.search(text, start, end))

    def is_excluded(self, body: str) -> bool:
        """Is ``body`` never a task?"""
        return self.exclusions.any(body)

    def verb_end(self, body: str, pos: int) -> int | None:
        """The end of the action verb at ``pos``, the longest one (where ``verb.match`` ends), or
        None: a look-up of the few lengths a verb has, not a match of hundreds of alternatives."""
        if body[pos:pos + 1] not in self.verb_initials:
            return None
        for n in self.verb_lengths:
            word = body[pos:pos + n]
            if word in self.verbs:
                return pos + len(word)
        return None

    def copula_after(self, body: str, pos: int) -> bool:
        """Is there a copula in ``body`` from ``pos`` on? Searched for only where one of the strings
        it needs is."""
        if self.copula_needs is not None and not self.copula_needs.search(body, pos):
            return False
        return bool(self.copula.search(body, pos))

    def is_past(self, text: str, clause: Span) -> bool:
        """Does the clause report work done?"""
        if self.past_needs is not None and not self.past_needs.search(text, clause.start, clause.end):
            return False                   # most clauses hold none of the strings a report of work done needs
        return bool(self.past_any.search(text, clause.start, clause.end))


def _patterns_by(rules: Rules, table: str, column: str, values: Sequence[str],
                 as_pattern: Callable[[str], regex.Pattern]) -> dict[str, list[regex.Pattern]]:
    """The patterns of a rules table grouped by the value of ``column`` (one of ``values``)."""
    out: dict[str, list[regex.Pattern]] = {v: [] for v in values}
    for row in rules.table(table, ("pattern", column), required=("pattern", column),
                           convert={"pattern": as_pattern, column: one_of(values)}):
        out[row[column]].append(row["pattern"])
    return out


def load_lexicon(rules: Rules) -> Lexicon:
    """Every rule the stage reads, checked and compiled; a bad row is a RuleError naming file and line.

    Patterns may write {verb} and {adverb} (the action verbs and the modifiers), the word roles of
    task_words.tsv, {target_before} and {target_after}, and the names of task_patterns.tsv."""
    verbs = frozenset(rules.words("task_action_verbs"))
    roles = _word_roles(rules)
    prepositions = prepositions_for(rules, "task")
    local = {"verb": alternation(verbs), "adverb": alternation(rules.words("task_modifiers")),
             "preposition": alternation(prepositions),
             **{role: alternation(words) for role, words in roles.items()}, **_target_bounds(rules)}
    named = _named_patterns(rules, local)
    local.update((name, f"(?:{p.pattern})") for name, p in named.items())
    as_pattern = rules.pattern(local)

    markers = _patterns_by(rules, "task_markers", "strength", STRENGTHS, as_pattern)
    openers = _patterns_by(rules, "task_openers", "scope", SCOPES, as_pattern)
    counted = markers["strong"] + markers["medium"]   # strong ones first
    past = [r["pattern"] for r in rules.table("task_past", ("pattern",), convert={"pattern": as_pattern})]
    exclusions = tuple(r["pattern"] for r in rules.table("task_exclusions", ("pattern", "kind"),
                                                         convert={"pattern": as_pattern}))
    modifier = rules.compile(r"(?:{adverb}|{time_head}|[ \t，,、])", local)
    preposition = rules.compile("(?:{preposition})", local)
    return Lexicon(
        verbs=verbs,
        non_action=frozenset(rules.words("task_non_action_verbs")),
        verbs_en=frozenset(w.lower() for w in rules.words("task_verbs_en")),
        prepositions=frozenset(prepositions),
        nominal_suffixes=frozenset(roles["nominal_suffix"]),
        en_lead=frozenset(roles["en_lead"]),
        markers=tuple(counted),
        marker_set=PatternSet.of(counted),
        strong_set=PatternSet.of(markers["strong"]),
        past_any=union(past, rules.regex),
        past_needs=string_prefilter(past),
        exclusions=PatternSet.of(exclusions),
        heading_openers=PatternSet.of(openers["heading"]),
        paragraph_openers=PatternSet.of(openers["paragraph"]),
        list_opener_any=union(openers["list"], rules.regex),
        list_stops=tuple(openers["stop"]),
        context_headings=tuple(openers["context"]),
        time_skip=rules.regex(alternation(rules.words("task_time_skip"))),
        verb_anywhere=any_of(verbs),
        verb_initials=frozenset(w[0] for w in verbs),
        verb_lengths=tuple(sorted({len(w) for w in verbs}, reverse=True)),
        modifier=modifier,
        preposition=preposition,
        target=rules.regex(f"(?:{alternation(rules.words('task_target_verbs'))})"),
        list_mark=named["list_mark"],
        enumeration=named["enumeration"],
        copula=named["copula"],
        qualified_figure=named["qualified_figure"],
        target_object=named["target_object"],
        deadline=named["deadline"],
        list_mark_opens=Openings(named["list_mark"]),
        enumeration_opens=Openings(named["enumeration"]),
        modifier_opens=Openings(modifier),
        preposition_opens=Openings(preposition),
        copula_needs=string_prefilter([named["copula"]]),
    )


def _word_roles(rules: Rules) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {role: [] for role in ROLES}
    for row in rules.table("task_words", ("word", "role"), convert={"role": one_of(ROLES)},
                           required=("word", "role")):
        roles[row["role"]].append(row["word"])
    return roles


def _target_bounds(rules: Rules) -> dict[str, str]:
    """The qualifiers that bound a target ("不少于", "以上"): {target_before} and {target_after}."""
    words: dict[str, list[str]] = {"before": [], "after": []}
    for row in rules.table("qualifiers", ("text", "position", "target"), convert={"target": one_of(("yes",))}):
        if row["target"]:
            if row["position"] not in words:
                raise row.error(f"a target bound stands before or after the number, not {row['position']}")
            words[row["position"]].append(row["text"])
    return {"target_before": alternation(words["before"]), "target_after": alternation(words["after"])}


def _named_patterns(rules: Rules, local: dict[str, str]) -> dict[str, regex.Pattern]:
    """task_patterns.tsv by name; a pattern may refer to the rows above it by name."""
    out: dict[str, regex.Pattern] = {}
    for row in rules.table("task_patterns", ("name", "pattern"), convert={"name": one_of(PATTERNS)},
                           required=("name", "pattern")):
        if row["name"] in out:
            raise row.error(f"pattern {row['name']} is defined twice")
        above = {name: f"(?:{p.pattern})" for name, p in out.items()}
        try:
            out[row["name"]] = rules.compile(row["pattern"], {**local, **above})
        except ValueError as e:
            raise row.error(f"column 'pattern': {e}") from None
    missing = [name for name in PATTERNS if name not in out]
    if missing:
        raise RuleError(rules.dirs[0] / "task_patterns.tsv", None, f"no pattern named {', '.join(missing)}")
    return out
