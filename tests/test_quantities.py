"""The quantity layer beyond its tables: the tables' size and shape, every rule file the layer reads
agrees with the numeral reader, offsets, times, rule errors, and on every document of the corpus
well-formed spans found linearly and fast.

The tables (tests/data/quantities.tsv: what must be found, with value, unit, qualifier and range;
tests/data/quantities_negative.tsv: texts in which nothing is a quantity; and the layer's regressions)
run in tests/test_layers.py.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from extractor.match.pattern_search import BEYOND_FIRST_PLANE
from extractor.match.quantities import QuantityFinder
from extractor.match.times import TimeFinder
from extractor.model import Qualifier, QuantityKind
from extractor.resolve.numerals import parse_number

from .cases import load

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
CASES = load("quantities")


@pytest.fixture(scope="module")
def finder(rules) -> QuantityFinder:
    return QuantityFinder(rules)


@pytest.fixture(scope="module")
def find(rules, finder):
    """The quantities of a text as the pipeline finds them: with the text's time expressions."""
    times = TimeFinder(rules)
    return lambda text: finder.find(text, times.find(text))


def test_case_counts():
    """The tables keep their size: at least 250 cases (a quantity row each, or a text with none), a
    third of them negatives."""
    positives = sum(len(c.get("quantities") or []) for c in CASES)
    negatives = sum(not c.get("quantities") for c in CASES)
    assert positives + negatives >= 250
    assert negatives * 3 >= positives + negatives


def test_table_values_are_well_formed():
    for case in CASES:
        for r in case.get("quantities") or []:
            assert r["qualifier"] in {q.value for q in Qualifier}, (case.where, r)
            assert r["kind"] in {k.value for k in QuantityKind}, (case.where, r)
            assert r["surface"] in case["text"], (case.where, r)
            assert (r["qualifier"] == "range") == bool(str(r["value_max"] or "").strip()), (case.where, r)


def test_scale_words_read_through_the_numeral_reader(rules):
    """Data and code agree: every scale word in rules/scale_words.tsv reads as its factor."""
    for row in rules.table("scale_words", ["text", "factor"], convert={"factor": float}):
        assert parse_number("1" + row["text"]) == row["factor"], row


def test_units_are_well_formed(rules):
    rows = rules.table("units", ["text", "unit", "kind", "factor", "not_before"])
    texts = [r["text"] for r in rows]
    assert len(texts) == len(set(texts)), "a unit is listed twice"
    for r in rows:
        # a unit never carries a scale word: 万元 is 万 + 元
        assert not r["unit"].startswith(("万", "亿")), r
        assert parse_number(r["text"]) is None or r["text"] in ("兆",), r


def test_offsets_point_into_the_text(find):
    text = "至12月4日，省外累计报备返靖3903名，其中境外返靖27人；共检测近30万人次，普及率达92%以上。"
    for q in find(text):
        assert text[q.num_start:q.num_end] in text[q.start:q.end]
        assert 0 <= q.start <= q.num_start < q.num_end <= q.end <= len(text)


def test_numbers_in_time_expressions_are_not_quantities(finder, rules):
    """A year is a time, not a duration of 2023 years; a duration (为期3年) is a time and an amount."""
    text = "2023年新增就业3.05万人，为期3年的帮扶，9月份以来开展检测13轮。"
    times = TimeFinder(rules).find(text)
    with_times = [text[q.start:q.end] for q in finder.find(text, times)]
    assert with_times == ["3.05万人", "3年", "13轮"]
    assert "2023年" in [text[q.start:q.end] for q in finder.find(text, [])]


def test_rule_tables_name_file_and_line(tmp_path):
    """A bad cell or an unknown {Name} in a quantity rule table fails at build time with file:line."""
    from extractor.rules import RuleError, load_rules

    cases = {
        "units.tsv": "text\tunit\tkind\tfactor\tnot_before\tnumerals\n拨\t拨\tcounts\t\t\t\n",
        "qualifiers.tsv": "text\tposition\tqualifier\tnot_after\tkinds\ttarget\n大致\tbefore\tabout\t\tmoney,cash\t\n",
        "non_quantity_patterns.tsv": "name\tpattern\treason\nbad\t{NUMBER}号\ttypo\n",
        "number_neighbours.tsv": "text\trole\n以及\tjoiner\n",
    }
    for name, content in cases.items():
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        (folder / name).write_text(content, encoding="utf-8")
        with pytest.raises(RuleError, match=f"{name}:2"):
            QuantityFinder(load_rules([folder]))


def _corpus_texts(rules) -> list[str]:
    from extractor.structure.view import ViewBuilder

    view = ViewBuilder(rules)
    paths = sorted(SHARED_CORPUS.glob("*.txt")) + sorted((ROOT / "corpus").glob("*.txt"))
    return [view.build(p.read_text(encoding="utf-8-sig")).text for p in paths]


@pytest.mark.skipif(not SHARED_CORPUS.is_dir() and not (ROOT / "corpus").is_dir(), reason="no corpus here")
def test_corpus_spans_and_speed(finder, rules, capsys):
    """Every span on every corpus document is well formed; the throughput in chars/second is printed
    for information (speed is measured by benchmarks/speed.py, not asserted here)."""
    texts = _corpus_texts(rules)
    time_finder = TimeFinder(rules)
    times = [time_finder.find(t) for t in texts]
    start = time.perf_counter()
    found = [finder.find(t, ts) for t, ts in zip(texts, times)]
    elapsed = time.perf_counter() - start
    chars = sum(len(t) for t in texts)
    for text, qs in zip(texts, found):
        last = -1
        for q in qs:
            assert 0 <= q.start <= q.num_start < q.num_end <= q.end <= len(text)
            assert q.start >= last, "quantities come in reading order without overlap"
            last = q.end
            assert isinstance(q.qualifier, Qualifier) and isinstance(q.kind, QuantityKind)
            assert (q.value_max is not None) == (q.qualifier == "range")
    with capsys.disabled():
        print(f"\n[quantities] {len(texts)} documents, {chars:,} chars, {sum(map(len, found)):,} quantities, "
              f"{chars / elapsed:,.0f} chars/s")


# ---- the non-quantity patterns searched head first ---------------------------------------------

_NUMERALS = {"NUM": r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千万]+)", "CN": r"(?:[一二三四五六七八九十百千万]+)",
             "AR": r"(?:\d+)"}
_NUMERAL_CHARS = r"[\d.一二三四五六七八九十百千万]"
# (pattern, searched head first): patterns a user's rules may write; those with a top-level
# alternative, a quantifier after the numeral, inline flags or a back reference are searched plainly
HEAD_FIRST_CASES = [
    (r"{NUM}\s?强(?![度化])", True),
    (r"{CN}\s?[届次](?=会|大)", True),
    (r"(?<!\d)(?:{NUM}|[A-Z])\s?\+\s?\d", True),
    (r"(?<![\d.])(?:1[0-2]|[1-9])\s?[·•]\s?\d", True),
    (r"{AR}\s?年\p{Han}{0,4}?规划", True),
    (r"{NUM}\s?个", True),
    (r"{NUM}\d", False),            # the rest opens with a digit: no faster to find
    (r"{NUM}|届", False),
    (r"{NUM}?届", False),
    (r"{NUM}+届", False),
    (r"{NUM}(?i)x", False),
    (r"(?:{NUM})(号)\1", False),
    (r"(?:{NUM}|)号", False),
    (r"[一二]{NUM}号", False),       # no numeral or lookbehind at its head: the search skips to it
]
HEAD_FIRST_TEXTS = [
    "世界500强企业，五百强，3 强，10强化，一百强度；十四届全国人大，二次会议，第三次大会，1+6文件，G + 5，3+N，"
    "4·18、8·16疫情，3·15晚会，13·1，三年行动计划，2021年发展规划，3年来，十个，10个，3号号，12号，一二号，"
    "一一一一一一强，1.2.3强，5..5强，强强，2022年十四五规划。",
    "强" * 5 + "1" * 40 + "强" + "三" * 40 + "届会",
]


@pytest.mark.parametrize("cell, head_first", HEAD_FIRST_CASES)
def test_head_first_search_finds_what_the_pattern_finds(rules, cell, head_first):
    """A pattern searched from the rest after its head (a numeral) finds the same matches, one after
    another, as the pattern searched on its own; a pattern where that is not sure is searched plainly."""
    from extractor.match.pattern_search import RestFirst, searcher

    pattern = rules.compile(cell, _NUMERALS)
    found_by = searcher(cell, pattern, rules, _NUMERALS, _NUMERAL_CHARS)
    assert isinstance(getattr(found_by, "fallback", found_by), RestFirst) == head_first
    for text in HEAD_FIRST_TEXTS:
        for pos in range(len(text) + 1):
            expected, got = pattern.search(text, pos), found_by.search(text, pos)
            assert (got and got.span()) == (expected and expected.span()), (cell, text, pos)


# (pattern, options): the characters one of which each part every match goes through holds, and
# how far from the start of the match (or after a run of which characters); none where the
# standard parser may not read it as regex does
NEAR_CASES = [
    (r"(?<![\d.·•・])(?:1[0-2]|[1-9])\s?[·•・]\s?\d", [("·•・", 3, None)]),   # 1[0-2]|[1-9]: nine digits
    (r"(?<=[如见详参据])\s?[表图]\s?\d+|[表图]\s?\d+(?=所示)", [("图表", 1, None)]),
    (r"x?[ab](?:cd|e)", [("ab", 1, None), ("ce", 2, None)]),
    (r"\d+[ab]", [("ab", None, r"[\d]")]),               # after a run of digits
    (r"(?<!\d)\d+(?:\.\d+)?\s?版", [("版", None, r"[\.\d\s]")]),
    (r"[ab]{0,3}c", [("c", 3, None)]),
    (r"[ab]*c", [("c", None, "[ab]")]),
    (r".*c", []),                       # any character before
    (r"[^ab]*c", []),
    (r"(?i)[ab]", []),                  # case folding: other characters match
    (r"(?i:[ab])c", []),                # inline flags
    (r"\p{Han}[ab]", []),               # regex's own syntax
    (r"[ab]?", []),                     # may match empty
    (r"[^ab]c", [("c", 1, None)]),
    (r"(?:a|\d)b", [("b", 1, None)]),    # an alternative holds no named character
]


@pytest.mark.parametrize("pattern, options", NEAR_CASES)
def test_near_options(pattern, options):
    import regex

    from extractor.match.near import near_options, read_near_options

    assert read_near_options(regex.compile(pattern)) == options
    assert near_options(regex.compile(pattern)) == options       # through the memo, twice
    assert near_options(regex.compile(pattern)) == options


NEAR_SEARCH_CASES = [r"(?<![\d.·•])(?:1[0-2]|[1-9])\s?[·•]\s?(?:[12]\d|[1-9])(?![\d.·•])",
                     r"(?<=[如见])\s?[表图]\s?\d+|[表图]\s?\d+(?=\s?所示)", r"x?[ab](?:cd|e)", r"(?:ab|b)a",
                     r"(?<!\d)\d+(?:\.\d+)?\s?[版表]", r"[ab]*\s?c(?=d)"]


@pytest.mark.parametrize("pattern", NEAR_SEARCH_CASES)
def test_near_search_finds_what_the_pattern_finds(pattern):
    """A pattern searched from where the characters of one of its parts stand finds, from every
    offset, what the pattern's own search finds: where they are rare, where they are common (the
    pattern searches), and where they grow common only past the stretch a search starts with."""
    import regex
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from extractor.match.near import Near, near_options

    compiled = regex.compile(pattern)
    near = Near(compiled, near_options(compiled), compiled)

    def same(text, step=1):
        for pos in range(0, len(text) + 1, step):
            expected, got = compiled.search(text, pos), near.search(text, pos)
            assert (got and got.span()) == (expected and expected.span()), (text, pos)

    same("见表1，如 图2 所示，表3所示，4·18、8·16，12•3，3·15%，abe xacd acd ba aba，2.0版 3 表 ab c abcd bb cd")
    same("表" * 3000 + "表1所示" + "·" * 3000 + "3·4" + "ab" * 2000 + "aba", step=97)
    same("甲" * 5000 + "图" * 3000 + "图2 所示" + "•" * 3000 + "1•2" + "b" * 3000 + "ba", step=89)
    same("1" * 3000 + "版" + "1 版" * 2000 + "ccd" + "a" * 5000 + "cd", step=83)

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="0123456789.·•如见表图版 所示abcdex", max_size=40))
    def same_on(text):
        same(text)

    same_on()


@pytest.mark.skipif(not SHARED_CORPUS.is_dir() and not (ROOT / "corpus").is_dir(), reason="no corpus here")
def test_non_quantity_patterns_find_what_their_alternation_finds(finder, rules):
    """rules/non_quantity_patterns.tsv, its patterns searched each on its own (some head first),
    finds on every corpus document the spans of the one alternation of them."""
    patterns = finder._non_quantities._patterns
    for text in _corpus_texts(rules):
        assert patterns.spans(text) == [m.span() for m in patterns._joined.finditer(text)]


def test_non_quantity_patterns_find_what_their_alternation_finds_on_any_text(finder):
    """As on the corpus, on texts of the characters the patterns of rules/non_quantity_patterns.tsv
    are written with: searched each on its own (some head first, some near a character), they find
    the spans of the one alternation of them."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    patterns = finder._non_quantities._patterns

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet="0123456789.-+ 〔（(【)）〕】号发字第年一二三四五十百千万届次中全会期强级甲等元化几数表图如见所示"
                            "·•・%xXvV*位系统标准为", max_size=40))
    def same(text):
        assert patterns.spans(text) == [m.span() for m in patterns._joined.finditer(text)]

    same()


def test_quantities_found_from_where_one_may_start_are_those_found_from_every_offset(finder, rules):
    """The quantity pattern is tried only where the standard library's re finds a numeral's first
    character or a leading qualifier before one, and not at a Chinese digit that nothing of a longer
    phrase follows (一些, 一步), and without its fraction and range where their look aheads do not
    hold: on every corpus document (the samples at least) and on texts of
    numerals, qualifiers, units and marks, the quantities are those found trying it at every offset."""
    import copy
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    everywhere = copy.copy(finder)
    everywhere._starts = everywhere._starts_astral = re.compile(r"[\s\S]")
    everywhere._plain = everywhere._master   # the whole pattern at every offset
    time_finder = TimeFinder(rules)
    texts = _corpus_texts(rules)
    assert texts
    for text in texts:
        times = time_finder.find(text)
        assert finder.find(text, times) == everywhere.find(text, times)

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet="0123456789.,%-/一二两三五十百千万亿余多几近约超过不到以上下大高于个人元吨倍年期届"
                            "分之半又至—~步些、）” \t，𑽐", max_size=40))
    def same(text):
        times = time_finder.find(text)
        assert finder.find(text, times) == everywhere.find(text, times)

    same()


def test_pattern_without_fraction_and_range_reads_what_the_whole_one_reads_where_the_start_says_so(finder, rules):
    """Where the start pattern's group is not set (no leading qualifier may start there, neither
    look ahead holds), the candidate pattern without its fraction and range matches as the whole
    one does: at every offset of every corpus document and of texts of numerals, units and marks."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    def same(text):
        starts = finder._starts_astral if BEYOND_FIRST_PLANE.search(text) else finder._starts
        for at in range(len(text)):
            start = starts.match(text, at)
            if start is not None and start.lastindex is None:
                whole, plain = finder._master.match(text, at), finder._plain.match(text, at)
                assert (whole and (whole.span(), whole.regs)) == (plain and (plain.span(), plain.regs)), text[at:]

    for text in _corpus_texts(rules)[:20]:
        same(text)

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet="0123456789.,%-/一二两三五十百千万亿余多几近约超过不到以上下大高于个人元吨倍年期届"
                            "分之半又至—~步些、）” \t，𑽐", max_size=40))
    def any_text(text):
        same(text)

    any_text()


def test_lexicon_pattern_finds_what_its_regex_finds(finder, rules):
    """The entries of rules/non_quantity.txt, searched with re as a trie whose alternatives read the
    character before them from behind, are found where the regex with a leading lookbehind finds
    them: on every corpus document and on texts of numerals and entries."""
    import regex
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from extractor.match.non_quantities import _NUM_CHARS
    from extractor.rules import trie

    words = rules.words("non_quantity")
    plain = regex.compile(rf"(?<![{_NUM_CHARS}])(?:{trie(words)})")
    lexicon = finder._non_quantities._lexicon
    for text in _corpus_texts(rules):
        assert [m.span() for m in lexicon.finditer(text)] == [m.span() for m in plain.finditer(text)]
    alphabet = sorted({c for w in words for c in w} | set("一二十百千万0123456789 ，"))

    @settings(max_examples=500, deadline=None)
    @given(st.lists(st.sampled_from(alphabet) | st.sampled_from(words), max_size=30).map("".join))
    def same(text):
        assert [m.span() for m in lexicon.finditer(text)] == [m.span() for m in plain.finditer(text)]

    same()


def test_re_digits_are_what_regex_reads_as_digits():
    """re_digits() in a class of the standard library's re holds, over all of Unicode, the
    characters regex reads as \\d."""
    import re

    import regex

    from extractor.match.pattern_search import re_digits, read_re_digits

    assert (re_digits(), re_digits(astral=False)) == (read_re_digits(), read_re_digits(astral=False))   # as kept
    every = "".join(map(chr, range(0x110000)))
    assert set(re.findall(f"[{re_digits()}]", every)) == set(regex.findall(r"\d", every))
    first_plane = every[:0x10000]
    assert set(re.findall(f"[{re_digits(astral=False)}]", first_plane)) == set(regex.findall(r"\d", first_plane))


def test_every_ratio_holds_the_mark_its_prefilter_looks_for(finder):
    """A text without a colon between digits (the ratio's mark) has no ratio of three terms."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from extractor.match.non_quantities import _RATIO

    mark = finder._non_quantities._ratio_mark

    for text in ("3:40:57", "1 ：2 ：3", "2.5∶1∶0.5", "१:२:३", "𑽓:1:2"):
        assert _RATIO.search(text) and mark.search(text)

    @settings(max_examples=1000, deadline=None)
    @given(st.text(alphabet="0123456789.:：∶ \t\n,१𑽓a", max_size=30))
    def held(text):
        assert not _RATIO.search(text) or mark.search(text)

    held()
