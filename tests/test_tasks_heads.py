"""The head of a clause read from the routes of words a window may open with (heads.py, _Routes)
equals the head read from the words the segmenter cuts the window into."""
from __future__ import annotations

import copy

import pytest
import regex

from extractor.match.tasks.heads import _Window

from .conftest import CORPUS, shared_corpus_docs


def _both(pipeline):
    fast = pipeline.tasks.heads
    assert fast.routes is not None
    slow = copy.copy(fast)
    slow.routes = None
    return fast, slow


def _windows(body: str, verbs: frozenset[str]):
    """Windows at the first positions of the clause, without a modifier and after a verb that ends
    where the window starts (the last modifier a head may fall back to)."""
    for pos in range(min(len(body), 6)):
        yield _Window(pos, None)
        for n in (1, 2):
            if pos >= n and body[pos - n:pos] in verbs:
                yield _Window(pos, (pos - n, body[pos - n:pos]))


def test_routes_read_the_head_the_cut_reads_on_the_reports(pipeline):
    fast, slow = _both(pipeline)
    verbs = fast.lexicon.verbs
    paths = sorted(CORPUS.glob("*.txt")) + shared_corpus_docs()
    clauses = {c.strip() for path in paths
               for c in regex.split(r"[，,；;。！？\n]", path.read_text(encoding="utf-8")) if c.strip()}
    for body in sorted(clauses):
        for window in _windows(body, verbs):
            assert fast._head_in_window(body, window) == slow._head_in_window(body, window), (body, window)


def test_routes_read_the_head_the_cut_reads_on_pieces_of_words(pipeline):
    """Texts of the words a head is read from (verbs, non-actions, prepositions, words passed over),
    their parts, Latin letters, digits, blanks and marks (a hypothesis strategy)."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    fast, slow = _both(pipeline)
    lex = fast.lexicon
    words = sorted(lex.verbs | lex.non_action | lex.prepositions)[::7] + [
        "进一步", "全面", "我们", "和", "的", "年", "一", "是", "上", "中", "工作", "建设", "了"]
    pieces = words + [w[:1] for w in words] + [w[1:] for w in words if len(w) > 1] + list(
        "，、 \t\r\n（）“”AbZ09.+_&#\u9fd6\u3400鿕")
    texts = st.lists(st.sampled_from(pieces), min_size=1, max_size=10).map("".join)

    @hypothesis.settings(max_examples=500, deadline=None)
    @hypothesis.given(texts)
    def check(body):
        for window in _windows(body, lex.verbs):
            assert fast._head_in_window(body, window) == slow._head_in_window(body, window), (body, window)

    check()


def test_the_head_without_a_marker_read_from_the_one_with(pipeline):
    """A clause in which no marker moves the lead has the same head read with and without a marker:
    Heads.head(body, use_marker=False) after head(body) (which remembers it) is the head read afresh."""
    heads = pipeline.tasks.heads
    fresh = copy.copy(heads)
    fresh._heads, fresh._unmarked = {}, set()
    paths = sorted(CORPUS.glob("*.txt")) + shared_corpus_docs()
    clauses = {c.strip() for path in paths
               for c in regex.split(r"[，,；;。！？\n]", path.read_text(encoding="utf-8")) if c.strip()}
    heads.start_document()
    for body in sorted(clauses)[::3]:
        heads.head(body)
        fresh.start_document()
        assert heads.head(body, use_marker=False) == fresh.head(body, use_marker=False), body
    heads.start_document()
