"""The matching view and its offset map beyond the case table: spans mapped back, display width, and
every document of the shared corpus mapped back character by character.

The cases (tests/data/textunits_normalize_cases.jsonl: original text -> view text, each also checked for
the offset map, as is every outline case's text) run in tests/test_layers.py.
"""
from __future__ import annotations

import pytest

from extractor.structure.view import ViewBuilder, display_width

from .conftest import needs_shared_corpus, shared_corpus_docs
from .layers import check_offset_map


@pytest.fixture(scope="module")
def views(rules) -> ViewBuilder:
    return ViewBuilder(rules)


def test_to_original_spans(views):
    original = "增长５．５％，一 — 1 — 般公共预算收入增长7.2%。"
    view = views.build(original)
    i = view.text.index("5.5%")
    s, e = view.to_original(i, i + 4)
    assert original[s:e] == "５．５％"
    j = view.text.index("般公共")
    s, e = view.to_original(view.text.index("一"), j + 3)
    assert original[s:e].startswith("一") and original[s:e].endswith("般公共")   # the noise stays inside
    assert view.to_original(len(view.text), len(view.text)) == (len(original), len(original))


@pytest.mark.parametrize("s, w", [("政府", 2.0), ("CnPack", 3.0), ("2023年", 3.0), ("", 0.0)])
def test_display_width(s, w):
    assert display_width(s) == w


@needs_shared_corpus
@pytest.mark.parametrize("doc", shared_corpus_docs(), ids=lambda p: p.name)
def test_shared_corpus_offset_map(views, doc):
    check_offset_map(views, doc.read_text(encoding="utf-8-sig"))
