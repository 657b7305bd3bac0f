"""The characters a pattern's matches need (extractor/match/tasks/prefilter.py): read conservatively,
so that a text without any of them never matches."""
from __future__ import annotations

import pytest
import regex

from extractor.match.tasks.prefilter import needed_chars, prefilter

from .conftest import CORPUS


@pytest.mark.parametrize("pattern, chars", [
    ("将(?=要)", {"将"}),
    ("明年|(?<!年)来年", {"明", "来"}),
    ("(?:^|[，,])\\s*(?:在)?新的一年", {"新"}),
    ("a?b+", {"b"}),
    ("\\d{4}年", {"年"}),
    ("(?i)will", {"w", "W"}),
    ("(?i:s)", {"s", "S", "ſ"}),
    ("[ab]c", {"c"}),
    ("^[\\p{Han}]{1,3}起来$", {"起"}),         # a property names no character; the rest does
    ("\\\\p{Han}", {"\\"}),                    # a backslash, then plain letters: no property
    ("要(?=" + "(?:" + "|".join("甲乙丙丁戊己庚辛壬癸") + "))", {"要"}),
])
def test_needed_chars(pattern, chars):
    assert needed_chars([regex.compile(pattern)]) == chars


@pytest.mark.parametrize("pattern", [
    "(?=x)", "[^a]", "\\p{Han}", "[^\\p{Han}]", "\\w+", "a|\\d", "x*", "(?i)é", "[[:alpha:]]", "(?:ab){e<=1}",
])
def test_no_needed_chars(pattern):
    """A part the reading cannot name a character for (a lookaround, a negated class, a category,
    an optional part, a cased letter beyond ASCII under ignore-case, regex's own syntax) gives none."""
    assert needed_chars([regex.compile(pattern)]) is None
    assert prefilter([regex.compile(pattern)]) is None


def test_a_text_without_the_chars_never_matches(pipeline):
    """Over every clause of the sample reports: a marker or an exclusion that matches finds one of
    the characters read from it."""
    lex = pipeline.tasks.lexicon
    patterns = [(p, needed_chars([p])) for p in (*lex.markers, *lex.exclusions.patterns)]
    assert any(chars for _, chars in patterns)
    clauses = {c for path in sorted(CORPUS.glob("*.txt"))
               for c in regex.split(r"[，,；;。！？\n]", path.read_text(encoding="utf-8")) if c.strip()}
    for p, chars in patterns:
        if chars is None:
            continue
        for clause in clauses:
            if p.search(clause):
                assert not chars.isdisjoint(clause), (p.pattern[:60], clause)


def test_a_pattern_set_finds_what_its_patterns_find(pipeline):
    """PatternSet.any and first, which search only the patterns a text holds a character of, find
    what a search of every pattern finds, over every clause of the sample reports."""
    lex = pipeline.tasks.lexicon
    clauses = {c for path in sorted(CORPUS.glob("*.txt"))
               for c in regex.split(r"[，,；;。！？\n]", path.read_text(encoding="utf-8")) if c.strip()}
    clauses |= {"", "will do", "We plan to add it", "下一步，将加快建设", "ſhall"}
    for patterns in (lex.marker_set, lex.strong_set, lex.exclusions):
        for clause in clauses:
            found = [m for m in (p.search(clause) for p in patterns.patterns) if m is not None]
            assert patterns.any(clause) == bool(found), clause
            first = min(found, key=lambda m: m.start(), default=None)
            got = patterns.first(clause)
            assert (got.span(), got.re) == (first.span(), first.re) if first else got is None, clause
