"""Paragraphs, sentences and clauses: cases in tests/data/textunits_cases.jsonl, one runner."""
from __future__ import annotations

import json

import pytest

from extractor.textunits import Span, clauses, paragraphs, sentences

from .conftest import DATA


def _load(name: str) -> list[dict]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.startswith("//")]


CASES = _load("textunits_cases.jsonl")


def _units(fn: str, text: str) -> list[Span]:
    if fn == "paragraphs":
        return paragraphs(text)
    if fn == "sentences":
        return sentences(text)
    stripped = text.strip()
    start = text.index(stripped)
    return clauses(text, Span(start, start + len(stripped)))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_units(case):
    spans = _units(case["fn"], case["text"])
    assert [case["text"][s.start:s.end] for s in spans] == case["expected"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_spans_are_ordered_trimmed_and_disjoint(case):
    text = case["text"]
    prev = 0
    for s in _units(case["fn"], text):
        assert prev <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == text[s.start:s.end].strip()
        prev = s.end


def test_sentences_lie_inside_paragraphs():
    text = "一、主要工作\n今年以来，各项工作稳步推进。成绩来之不易！\n\n二、存在问题\n还有不足。"
    paras = paragraphs(text)
    for s in sentences(text):
        assert any(p.start <= s.start and s.end <= p.end for p in paras)


def test_span_is_a_frozen_value():
    s = Span(1, 3)
    assert s == Span(1, 3) and hash(s) == hash(Span(1, 3))
    with pytest.raises(AttributeError):
        s.start = 2  # type: ignore[misc]
