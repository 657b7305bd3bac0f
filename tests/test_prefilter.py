"""The characters a pattern's matches need (extractor.match.prefilter.py): read conservatively,
so that a text without any of them never matches."""
from __future__ import annotations

import pytest
import regex

from extractor.match.prefilter import needed_chars, needed_strings, string_prefilter

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
    assert needed_strings([regex.compile(pattern)]) is None
    assert string_prefilter([regex.compile(pattern)]) is None


@pytest.mark.parametrize("pattern, strings", [
    ("下一步|下步", {"下一步", "下步"}),
    ("过去(?:的)?(?:一年|五年)", {"过去一年", "过去五年", "过去的一年", "过去的五年"}),
    ("(?<![为除罢])了(?![解结如然却不得])", {"了"}),   # lookarounds match no character
    ("(?:^|[，,])\\s*(?:在)?新的一年", {"在新的一年", "新的一年"}),   # \s* may match anything: cut there
    ("(?:阶段|时期)(?:[（(][^）)]*[）)])?$", {"阶段", "时期"}),
    ("[，,]是", {"，是", ",是"}),
    ("a?b", {"b"}),
    ("x{2,3}y", {"x"}),                           # a repeat is no known string, but its part is needed
    ("(?i)ok", {"ok", "oK", "o\u212a", "Ok", "OK", "O\u212a"}),   # and the Kelvin sign, K's fold
    ("将(?=要)", {"将"}),
])
def test_needed_strings(pattern, strings):
    assert needed_strings([regex.compile(pattern)]) == strings


def test_a_string_prefilter_finds_any_of_its_strings():
    strings = {"已", "已经", "上学期", "上年度", "今年以来", "was"}
    gate = string_prefilter([regex.compile("|".join(strings))])
    assert gate is not None
    for s in strings:
        assert gate.search("……" + s + "……"), s
    assert not gate.search("上学年度计划")


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


def test_a_text_without_the_strings_never_matches(pipeline):
    """Over every clause of the sample reports: a marker, an exclusion or a report of work done
    that matches holds one of the strings read from it, and its prefilter finds one."""
    lex = pipeline.tasks.lexicon
    patterns = [*lex.markers, *lex.exclusions.patterns, lex.past_any]
    clauses = {c for path in sorted(CORPUS.glob("*.txt"))
               for c in regex.split(r"[，,；;。！？\n]", path.read_text(encoding="utf-8")) if c.strip()}
    for p in patterns:
        strings, gate = needed_strings([p]), string_prefilter([p])
        if strings is None:
            continue
        for clause in clauses:
            if p.search(clause):
                assert any(s in clause for s in strings) and gate.search(clause), (p.pattern[:60], clause)


def test_a_prefilter_lets_every_match_through(pipeline):
    """Texts made of the pieces the task patterns are written with: whatever a pattern matches,
    its string prefilter finds (a hypothesis strategy)."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    lex = pipeline.tasks.lexicon
    patterns = [*lex.markers, *lex.exclusions.patterns, lex.past_any]
    pieces = sorted({w for p in patterns for w in needed_strings([p]) or ()}
                    | set("，,：:；。 要将了在已下一步年\n“”"))
    texts = st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=3)), max_size=12).map("".join)

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(texts)
    def check(text):
        for p in patterns:
            gate = string_prefilter([p])
            if gate is not None and p.search(text):
                assert gate.search(text), (p.pattern[:60], text)
        for patterns_ in (lex.marker_set, lex.exclusions):
            found = any(p.search(text) for p in patterns_.patterns)
            assert patterns_.any(text) == found, text

    check()


def test_every_regex_blank_is_a_python_blank():
    """units.py tries _LEADING ([\\s…]+) only where str.isspace() holds: for every \\s of regex."""
    assert all(chr(c).isspace() for c in range(0x110000) if regex.match(r"\s", chr(c)))


def test_any_of_finds_what_an_alternation_of_the_words_finds(pipeline):
    """any_of (a tree of first characters, words that hold another dropped) finds a word wherever
    the alternation of the words does: the action verbs over every clause of the sample reports and
    over texts of pieces of them (a hypothesis strategy)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from extractor.match.prefilter import any_of
    from extractor.rules import alternation

    verbs = sorted(pipeline.tasks.lexicon.verbs)
    alternative = regex.compile(alternation(verbs))
    search = any_of(verbs)
    clauses = {c for path in sorted(CORPUS.glob("*.txt"))
               for c in regex.split(r"[，,；;。！？\n]", path.read_text(encoding="utf-8")) if c.strip()}
    for clause in clauses:
        assert bool(search.search(clause)) == bool(alternative.search(clause)), clause

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(verbs + [v[:1] for v in verbs] + [v[1:] for v in verbs] + ["的", "，"]),
                    max_size=8).map("".join))
    def same(text):
        assert bool(search.search(text)) == bool(alternative.search(text)), text

    same()
    assert any_of(["a", ""]).search("xyz") and not any_of(["ab", "abc"]).search("acb")


def test_a_title_loses_its_closing_run_as_a_substitution_would_cut_it(pipeline):
    """Lexicon.clean_title cuts the closing run found from the end: what TRAILING.sub cuts."""
    from extractor.match.tasks.lexicon import TRAILING

    lex = pipeline.tasks.lexicon
    titles = ["一、指导思想", "（二）主要目标：", "加强管理。。", "Plan: ", "a\n", "：；", "", "要点…… \n", "1.总体要求"]
    titles += [line for path in sorted(CORPUS.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()]
    for title in titles:
        m = lex.list_mark.match(title)
        rest = title[m.end():] if m else title
        assert lex.clean_title(title) == TRAILING.sub("", rest).strip(), title
