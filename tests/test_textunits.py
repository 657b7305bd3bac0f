"""Paragraphs, sentences and clauses: cases in tests/data/textunits_cases.jsonl, one runner.

A case's text is a document as decoded: it goes through the matching view first, as in the
pipeline (the view is what repairs flattened and wrapped text), and every unit found in the view
is compared with the expected surface by mapping it back to the case's text.
"""
from __future__ import annotations

import json

import pytest

from extractor.model import Span
from extractor.structure.textunits import TextUnits
from extractor.structure.view import ViewBuilder

from .conftest import DATA


def _load(name: str) -> list[dict]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.startswith("//")]


CASES = _load("textunits_cases.jsonl")


@pytest.fixture(scope="module")
def units(rules) -> TextUnits:
    return TextUnits(rules)


@pytest.fixture(scope="module")
def views(rules) -> ViewBuilder:
    return ViewBuilder(rules)


def _units(units: TextUnits, fn: str, text: str) -> list[Span]:
    if fn == "paragraphs":
        return units.paragraphs(text)
    if fn == "sentences":
        return units.sentences(text, units.paragraphs(text))
    stripped = text.strip()
    start = text.index(stripped)
    return units.clauses(text, Span(start, start + len(stripped)))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_units(units, views, case):
    view = views.build(case["text"])
    spans = _units(units, case["fn"], view.text)
    assert [case["text"][slice(*view.to_original(s.start, s.end))] for s in spans] == case["expected"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_spans_are_ordered_trimmed_and_disjoint(units, views, case):
    text = views.build(case["text"]).text
    prev = 0
    for s in _units(units, case["fn"], text):
        assert prev <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == text[s.start:s.end].strip()
        prev = s.end


def test_sentences_lie_inside_paragraphs(units):
    text = "一、主要工作\n今年以来，各项工作稳步推进。成绩来之不易！\n\n二、存在问题\n还有不足。"
    paras = units.paragraphs(text)
    sents = units.sentences(text, paras)
    assert [text[s.start:s.end] for s in sents] == [
        "一、主要工作", "今年以来，各项工作稳步推进。", "成绩来之不易！", "二、存在问题", "还有不足。"]
    for s in sents:
        assert any(p.start <= s.start and s.end <= p.end for p in paras)


def test_sentences_in_one_paragraph(units):
    text = "前言。一、主要工作：抓好学习。推进改革！"
    para = Span(text.index("一"), len(text))
    assert [text[s.start:s.end] for s in units.sentences_in(text, para)] == [
        "一、主要工作：", "抓好学习。", "推进改革！"]
