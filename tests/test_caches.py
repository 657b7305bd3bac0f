"""What makes a process start fast and extract without spaCy: the user cache of jieba's dictionary and
of compiled patterns, the cue words matched without a Doc, the view's offset map built by pieces."""
from __future__ import annotations

import marshal
import pickle
import re

import pytest
import regex

from extractor import cache
from extractor.cache import CompiledPatterns, Memo, StandardPatterns, _PatternUnpickler
from extractor.dictionary import load_dictionary
from extractor.segment import CueMatcher
from extractor.structure.view import _apply, _origin

CUE_SAMPLES = [
    "国内生产总值增长5.2%，单位能耗下降3%",
    "收入增长到3万元，降幅收窄，净增1200户，少减200人",
    "增长增长下降，增加至",
    "",
]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("text", CUE_SAMPLES)
def test_cue_labels_are_the_span_rulers(pipeline, text):
    words = pipeline.tokenizer.words(text)
    doc = pipeline.nlp(text)
    expected = [""] * len(doc)
    for span in doc.spans["cues"]:
        for k in range(span.start, span.end):
            expected[k] = span.label_
    assert pipeline.cues.labels([w for w, _ in words], [f for _, f in words]) == expected


def test_token_patterns_are_matched_by_spacy(pipeline, rules, tmp_path):
    from extractor.rules import load_rules

    (tmp_path / "spans_cues.jsonl").write_text('{"label": "DIR_UP", "pattern": [{"ORTH": "翻"}]}\n',
                                               encoding="utf-8")
    user = load_rules([tmp_path])
    made = []
    matcher = CueMatcher(user, pipeline.tokenizer, lambda: made.append(1) or _nlp(user, pipeline))
    assert made                                   # built while the pipeline is, so a bad pattern fails then
    assert matcher.labels(["翻", "了", "增长"], ["v", "ul", "v"]) == ["DIR_UP", "", "DIR_UP"]


def _nlp(rules, pipeline):
    from extractor.segment import build_nlp, JiebaTokenizer

    return build_nlp(rules, JiebaTokenizer(pipeline.tokenizer.dictionary))


def test_the_dictionary_comes_back_from_the_cache(rules, cache_dir):
    built = load_dictionary(rules)
    assert [p.name for p in cache_dir.iterdir() if p.name.startswith("jieba-")]
    again = load_dictionary(rules)
    assert (again.freq, again.total, again.tag_table()) == (built.freq, built.total, built.tag_table())
    assert again.tags["高标准农田"] == "n"         # a user word with its flag
    assert again.tags["高标准农田"] == "n"         # and again, now from what was read
    assert again.tags["不是一个词"] == "x" and again.logprob["不是一个词"] is None
    assert again.logprob["高标准"] == again.logprob_table()["高标准"] is not None


def test_a_damaged_dictionary_cache_is_rebuilt(rules, cache_dir):
    built = load_dictionary(rules)
    for p in cache_dir.iterdir():
        p.write_bytes(b"not a cache file")
    assert load_dictionary(rules).freq == built.freq


def test_a_trie_of_another_dictionary_is_not_used(rules, cache_dir):
    import marisa_trie

    built = load_dictionary(rules)
    (trie,) = [p for p in cache_dir.iterdir() if p.suffix == ".trie"]
    trie.write_bytes(marisa_trie.Trie(["一", "一二"]).tobytes())     # a good trie, not of these words
    again = load_dictionary(rules)
    assert len(again.trie) == len(built.trie) and again.freq == built.freq


def test_the_entries_read_are_kept_and_forgotten_past_the_limit(rules, cache_dir, monkeypatch):
    from extractor.dictionary import _Looked

    dictionary = load_dictionary(rules)
    table = dictionary.logprob_table()
    monkeypatch.setattr(_Looked, "LIMIT", 3)
    words = ["增长", "国内", "国内生产总值", "不是词语", "增", "总值"]
    assert [dictionary.logprob[w] for w in words] == [table.get(w) for w in words]
    assert 0 < len(dictionary.logprob) <= 3
    assert [dictionary.logprob[w] for w in words] == [table.get(w) for w in words]   # read again
    dictionary.forget()
    assert not dictionary.logprob and not dictionary.tags


def test_compiled_patterns_come_back_from_the_cache(cache_dir):
    first = CompiledPatterns(stored=True)
    pattern = first.compile(r"(?P<n>\d+)万元", regex.VERBOSE)
    first.save()
    again = CompiledPatterns(stored=True)
    assert again._patterns[(pattern.pattern, int(regex.VERBOSE))].search("共3万元").group("n") == "3"


def test_a_users_rules_are_not_stored(cache_dir):
    patterns = CompiledPatterns(stored=False)
    patterns.compile("abc")
    patterns.save()
    assert not list(cache_dir.iterdir())


def test_the_pattern_cache_reads_back_only_patterns():
    import io
    from pathlib import PurePosixPath

    with pytest.raises(pickle.UnpicklingError):   # any class but regex's pattern constructor is refused
        _PatternUnpickler(io.BytesIO(pickle.dumps({("x", 0): PurePosixPath("/")}))).load()
    assert _PatternUnpickler(io.BytesIO(pickle.dumps({("x", 0): regex.compile("x")}))).load()[("x", 0)].match("x")


@pytest.mark.parametrize("edits1, edits2", [
    ([], []),
    ([(2, 4, "")], [(0, 1, "\n"), (5, 7, " ")]),
    ([(0, 3, ""), (5, 6, "x"), (8, 10, "")], [(1, 2, ""), (3, 4, "\n")]),
])
def test_the_offset_map_is_the_per_character_one(edits1, edits2):
    text = "0123456789abcdef"
    text1, pieces1 = _apply(text, edits1)
    text2, pieces2 = _apply(text1, edits2)
    origin = _origin(pieces2, pieces1)
    assert list(origin) == [_reference(edits1, len(text))[k] for k in _reference(edits2, len(text1))]
    assert len(origin) == len(text2)


def _reference(edits, n):
    """The per-character origin of the edited text, as the view computed it before."""
    origin, pos = [], 0
    for start, end, repl in sorted(edits):
        if start < pos:
            continue
        origin.extend(range(pos, start))
        if repl:
            origin.append(start)
        pos = end
    origin.extend(range(pos, n))
    return origin


STANDARD_SAMPLES = [
    ("(?P<year>\\d{4})年(?:第(?P<q>[一二三四])季度)?", 0),
    ("(?<=[\\d一二三])(?:万|亿)元|[“‘「]", 0),
    ("[\\d\U00010d40-\U00010d49]+(?:\\.\\d+)?%", 0),
    ("下一步 | 明年  # a comment", re.VERBOSE),
    ("gdp|Cpi", re.IGNORECASE),
    ("", 0),
]


@pytest.mark.parametrize("pattern,flags", STANDARD_SAMPLES)
def test_standard_patterns_come_back_from_the_cache_as_re_compiles_them(cache_dir, monkeypatch, pattern, flags):
    first = StandardPatterns()
    made = first.compile(pattern, flags)
    assert made == re.compile(pattern, flags)      # equal patterns: same text, flags and code
    first.save()
    again = StandardPatterns()
    monkeypatch.setattr(cache, "_compiled_parts", lambda *a: pytest.fail("compiled again, not read from the file"))
    back = again.compile(pattern, flags)
    assert back == re.compile(pattern, flags) and back.groupindex == made.groupindex
    text = "2023年第三季度增长5万元，“明年”GDP 12.5%"
    assert [m.span() for m in back.finditer(text)] == [m.span() for m in re.finditer(pattern, text, flags)]


def test_a_damaged_standard_pattern_cache_only_misses(cache_dir):
    first = StandardPatterns()
    first.compile("[一二三]+年", 0)
    first.save()
    (name,) = [p for p in cache_dir.iterdir() if p.name.startswith("re-")]
    name.write_bytes(b"not marshal data")
    assert StandardPatterns().compile("[一二三]+年", 0) == re.compile("[一二三]+年")
    name.write_bytes(marshal.dumps({("[一二三]+年", 0): (0, [1, 2, 3], 0, {}, (None,))}))   # code _sre refuses
    assert StandardPatterns().compile("[一二三]+年", 0).findall("三年") == ["三年"]


def test_a_memo_keeps_what_was_read_and_forgets_with_a_new_version(cache_dir):
    calls = []

    def compute(x):
        calls.append(x)
        return frozenset(x)

    first = Memo("m", "v1")
    assert first.get(("chars", "增长"), lambda: compute("增长")) == frozenset("增长")
    first.save()
    again = Memo("m", "v1")
    assert again.get(("chars", "增长"), lambda: compute("增长")) == frozenset("增长")
    assert calls == ["增长"]                                   # read back, not computed
    assert Memo("m", "v2").get(("chars", "增长"), lambda: compute("增长")) == frozenset("增长")
    assert calls == ["增长", "增长"]                           # another version: computed again
    unnamed = Memo("m", None)
    unnamed.get(("chars", "下降"), lambda: compute("下降"))
    unnamed.save()
    assert len([p for p in cache_dir.iterdir() if p.name.startswith("m-")]) == 1


def test_the_prefilter_reads_the_same_from_its_memo(cache_dir):
    from extractor.match import prefilter

    patterns = [regex.compile(p) for p in (r"(?:下一步|明年)将", r"[增减]长\d+%", r"(?i)gdp总量", r"\d+")]
    fresh = [prefilter._read(p.pattern, False, prefilter._sequence) for p in patterns]
    assert [prefilter.needed_chars([p]) for p in patterns] == fresh
    assert [prefilter.needed_chars([p]) for p in patterns] == fresh          # from the memo
    assert prefilter.any_of(["明年", "下一步", "明年度"]).pattern == prefilter._any_of_pattern(("下一步", "明年", "明年度"))


def test_patterns_no_longer_used_leave_the_cache_when_it_is_written_again(cache_dir):
    first = CompiledPatterns(stored=True)
    first.compile(r"旧的\d+")
    first.save()
    second = CompiledPatterns(stored=True)
    second.compile(r"新的\d+")          # the rules changed: a new pattern, the old one unused
    second.save()
    assert set(CompiledPatterns(stored=True)._patterns) == {(r"新的\d+", 0)}


def test_the_modules_patterns_are_kept_compiled():
    from extractor import cache
    from extractor.match.tasks.lexicon import TRAILING

    assert cache.compile_regex(TRAILING.pattern) is TRAILING     # the one the module compiled, kept
    again = cache.compile_regex(r"[\s。]+$")
    assert again.search("完成。 ").span() == regex.compile(r"[\s。]+$").search("完成。 ").span()


def test_a_trie_the_file_system_cannot_map_is_read(rules, cache_dir, monkeypatch):
    import marisa_trie

    from extractor.dictionary import Dictionary

    built = load_dictionary(rules)
    (trie_file,) = [p for p in cache_dir.iterdir() if p.suffix == ".trie"]
    (rest_file,) = [p for p in cache_dir.iterdir() if p.suffix == ".rest"]

    class Unmappable(marisa_trie.Trie):
        def mmap(self, path):
            raise RuntimeError("MARISA_IO_ERROR")

    monkeypatch.setattr(marisa_trie, "Trie", Unmappable)
    again = Dictionary.from_files(trie_file, rest_file.read_bytes())
    assert len(again.trie) == len(built.trie) and again.logprob["增长"] == built.logprob["增长"] is not None


def test_old_cache_files_of_a_kind_go_when_a_new_one_is_written(cache_dir):
    import os
    import time

    old = time.time() - (cache.UNUSED_DAYS + 10) * 86400
    names = ["jieba-aaa.trie", "jieba-aaa.rest", "jieba-bbb.trie", "patterns-ccc.pickle", "re-ddd.marshal"]
    for name in names:
        (cache_dir / name).write_bytes(b"x")
        os.utime(cache_dir / name, (old, old))
    assert cache.read("jieba-bbb.trie") == b"x"            # used now: it stays
    cache.write("jieba-eee.rest", b"new")
    assert sorted(p.name for p in cache_dir.iterdir()) == [
        "jieba-bbb.trie", "jieba-eee.rest", "patterns-ccc.pickle", "re-ddd.marshal"]   # other kinds stay
