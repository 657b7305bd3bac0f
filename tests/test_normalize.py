"""The matching view and its offset map: cases in tests/data/textunits_normalize_cases.jsonl.

Whatever the view does to a text (ASCII forms, removed noise, repaired layout), every view character
maps back to the character it came from, so a span found in the view points into the document.
"""
from __future__ import annotations

import json

import pytest

from extractor.structure.view import FULLWIDTH_TABLE, ViewBuilder, display_width

from .conftest import DATA, needs_shared_corpus, shared_corpus_docs


def _load(name: str) -> list[dict]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.startswith("//")]


CASES = _load("textunits_normalize_cases.jsonl")
OUTLINE_TEXTS = [c["text"] for c in _load("outline_cases.jsonl")]


@pytest.fixture(scope="module")
def views(rules) -> ViewBuilder:
    return ViewBuilder(rules)


def _check_map(views: ViewBuilder, original: str) -> None:
    view = views.build(original)
    assert view.original == original
    assert len(view.origin) == len(view.text)
    assert list(view.origin) == sorted(set(view.origin)), "origin must be strictly increasing"
    for ch, o in zip(view.text, view.origin):
        source = original[o]
        assert ch == source.translate(FULLWIDTH_TABLE) or (ch == "\n" and source.isspace()), (ch, source)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_view(views, case):
    assert views.build(case["original"]).text == case["view"]


@pytest.mark.parametrize("original", [c["original"] for c in CASES] + OUTLINE_TEXTS)
def test_offset_map(views, original):
    _check_map(views, original)


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
    _check_map(views, doc.read_text(encoding="utf-8-sig"))
