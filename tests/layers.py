"""What each layer checks of one of its cases (tests/cases.py loads them, tests/test_layers.py runs them).

A check is ``check(case, <fixtures>)``: the runner passes the fixtures a check names (``rules`` and
``pipeline`` from tests/conftest.py; ``time_finder``, ``quantity_finder``, ``views``, ``units`` and
``outline_builder`` from tests/test_layers.py, each built once from the session's rules as the pipeline
builds them). A layer's first check is the case's expectation (an ``xfail`` marks it); the others are
invariants every case of the layer must keep.
"""
from __future__ import annotations

import math
from collections.abc import Callable

from extractor import extract_text
from extractor.model import Qualifier, Quantity, QuantityKind, SectionKind, Span, TimeKind
from extractor.resolve.numerals import parse_number, read_number
from extractor.structure.check import check as outline_check
from extractor.structure.view import FULLWIDTH_TABLE, ViewBuilder

from .cases import Case

# ---- numerals: input -> value (and the reading's flags), nothing for a non-number ---------------


def numeral_value(case: Case) -> None:
    got = parse_number(case["input"])
    if case["value"] in ("", None):
        assert got is None, f"{case['input']!r} is not a number, got {got}"
        assert read_number(case["input"]) is None
        return
    assert got is not None and math.isclose(got, float(case["value"]), rel_tol=1e-12), got
    r = read_number(case["input"])
    flags = (case.get("flags") or "").split()
    assert r.approx == ("approx" in flags)
    assert r.fraction == ("fraction" in flags)
    assert r.sequence == ("sequence" in flags)
    assert r.percent == next((f for f in flags if f in ("%", "‰", "‱")), "")


# ---- times: text -> every span as surface:kind ---------------------------------------------------


def time_spans(case: Case, time_finder) -> None:
    text = case["text"]
    spans = time_finder.find(text)
    got = [f"{s.text}:{s.kind}" for s in spans]
    want = [s.strip() for s in (case["spans"] or "").split(" | ") if s.strip()]
    assert got == want
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert isinstance(s.kind, TimeKind)


# ---- quantities: text -> its quantities, with the text's times as the pipeline passes them -------


def _float(cell) -> float | None:
    return None if cell is None or (isinstance(cell, str) and not cell.strip()) else float(cell)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def show_quantities(text: str, found: list[Quantity]) -> str:
    return "; ".join(f"{text[q.start:q.end]!r} {q.value:g} {q.unit!r} {q.qualifier} {q.value_max} {q.kind}"
                     for q in found) or "nothing"


def quantities_found(case: Case, quantity_finder, time_finder) -> None:
    text = case["text"]
    found = quantity_finder.find(text, time_finder.find(text))
    expected = case.get("quantities") or []
    if not expected:
        assert not found, f"{case.get('reason') or case.get('caught')}: found {show_quantities(text, found)}"
        return
    assert len(found) == len(expected), f"expected {len(expected)}, found {show_quantities(text, found)}"
    for q, e in zip(found, expected):
        assert text[q.start:q.end] == e["surface"], show_quantities(text, found)
        assert _close(q.value, float(e["value"])), show_quantities(text, found)
        assert q.unit == e["unit"], show_quantities(text, found)
        assert q.qualifier == e["qualifier"], show_quantities(text, found)
        assert _close(q.value_max, _float(e["value_max"])), show_quantities(text, found)
        assert q.kind == e["kind"], show_quantities(text, found)
        assert isinstance(q.qualifier, Qualifier) and isinstance(q.kind, QuantityKind)
        assert q.start <= q.num_start < q.num_end <= q.end


# ---- the matching view: original -> view text; every view character maps back ------------------


def check_offset_map(views: ViewBuilder, original: str) -> None:
    """The view of ``original`` maps each of its characters to the one it came from, in order."""
    view = views.build(original)
    assert view.original == original
    assert len(view.origin) == len(view.text)
    assert list(view.origin) == sorted(set(view.origin)), "origin must be strictly increasing"
    for ch, o in zip(view.text, view.origin):
        source = original[o]
        assert ch == source.translate(FULLWIDTH_TABLE) or (ch == "\n" and source.isspace()), (ch, source)


def view_text(case: Case, views) -> None:
    assert views.build(case["original"]).text == case["view"]


def view_offset_map(case: Case, views) -> None:
    check_offset_map(views, case["original"])


# ---- text units: the view of a text -> paragraphs | sentences | clauses --------------------------


def _units(units, fn: str, text: str) -> list[Span]:
    if fn == "paragraphs":
        return units.paragraphs(text)
    if fn == "sentences":
        return units.sentences(text, units.paragraphs(text))
    stripped = text.strip()
    start = text.index(stripped)
    return units.clauses(text, Span(start, start + len(stripped)))


def units_found(case: Case, units, views) -> None:
    view = views.build(case["text"])
    spans = _units(units, case["fn"], view.text)
    assert [case["text"][slice(*view.to_original(s.start, s.end))] for s in spans] == case["expected"]


def units_ordered_trimmed_disjoint(case: Case, units, views) -> None:
    text = views.build(case["text"]).text
    prev = 0
    for s in _units(units, case["fn"], text):
        assert prev <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == text[s.start:s.end].strip()
        prev = s.end


# ---- outline: text -> headings (level, surface, run-in), section probes, sanity report -----------


def _outline(views, units, outline_builder, text: str):
    """The view and the outline of ``text``, as the pipeline builds them."""
    view = views.build(text)
    return view, outline_builder.build(view.text, units.paragraphs(view.text))


def outline_headings(case: Case, views, units, outline_builder) -> None:
    view, outline = _outline(views, units, outline_builder, case["text"])

    def surface(h) -> str:
        s, e = view.to_original(h.start, h.end)
        return view.original[s:e]

    got = [[h.level, surface(h)] + ([True] if h.runin else []) for h in outline.headings]
    want = [list(h) if len(h) == 3 and h[2] else list(h[:2]) for h in case["headings"]]
    assert got == want
    for probe, path, kind in case.get("sections", []):
        pos = view.text.find(probe)
        assert pos >= 0, f"probe {probe!r} not in the view"
        sec = outline.section_at(pos)
        assert (sec.path, sec.kind) == (path, kind), probe
    if "check" in case.fields:
        report = outline_check(view.text, outline, outline_builder.schemes)
        if not case["check"]:
            assert report == []
        for expected in case["check"]:
            assert any(expected in line for line in report), (expected, report)


def outline_invariants(case: Case, views, units, outline_builder) -> None:
    """Spans in order, inside the text, trimmed; each heading opens the section found at its start;
    one number per heading, and restarts only at numbered headings."""
    view, outline = _outline(views, units, outline_builder, case["text"])
    prev_end = 0
    for h in outline.headings:
        assert prev_end <= h.start < h.end <= len(view.text)
        surface = view.text[h.start:h.end]
        assert surface == surface.strip() and h.name and "\n" not in h.name
        assert h.level >= 0 and h.scheme
        sec = outline.section_at(h.start)
        assert sec.heading == h and sec.start == h.start <= sec.end
        assert sec.kind in tuple(SectionKind)
        prev_end = h.end
    assert len(outline.numbers) == len(outline.sections) == len(outline.headings)
    assert all(outline.numbers[k] == 1 for k in outline.restarts)
    assert outline.section_at(0).path == "" or outline.headings[0].start == 0


def outline_offset_map(case: Case, views) -> None:
    check_offset_map(views, case["text"])


# ---- planned tasks: a document -> its tasks, through the real layers below them -----------------


def tasks_of(pipeline, document: str):
    """The view text of ``document`` and its tasks, read by the real layers below the tasks."""
    analysis = pipeline.analyse(document)
    return analysis.text, pipeline.tasks.extract(analysis)


def tasks_found(case: Case, pipeline) -> None:
    text, tasks = tasks_of(pipeline, case["doc"])
    found = [text[t.start:t.end] for t in tasks]
    by_text = {text[t.start:t.end]: t for t in tasks}
    for want in case["tasks"]:
        assert want["text"] in by_text, f"missing task {want['text']!r}; found {found}"
        got = by_text[want["text"]]
        if "name" in want:
            assert got.name == want["name"], f"name of {want['text']!r}"
        if "time" in want:
            assert got.time == want["time"], f"time of {want['text']!r}"
    for bad in case.get("absent", []):
        at = text.find(bad)
        assert at >= 0, f"absent string {bad!r} is not in the document"
        hits = [f for t, f in zip(tasks, found) if t.start < at + len(bad) and at < t.end]
        assert not hits, f"{bad!r} should not be a task, but is touched by {hits}"
    if case.get("exact"):
        assert found == [w["text"] for w in case["tasks"]]


# ---- indicators: text -> rows, through the whole pipeline ---------------------------------------


def indicator_facts(text: str) -> list:
    """The indicator rows of ``text``, each pointing into it."""
    facts = [f for f in extract_text(text) if f.type == "indicator"]
    for f in facts:
        assert text[f.start:f.end] == f.text
    return facts


def indicator_rows(case: Case) -> None:
    facts = indicator_facts(case["text"])
    got = []
    for f, want in zip(facts, case["rows"]):
        row = {"name": f.name, "value": f.value, "unit": f.unit, "qualifier": f.qualifier, "direction": f.direction}
        for key in ("value_max", "time", "parent"):
            if key in want:
                row[key] = getattr(f, key)
        got.append(row)
    assert len(facts) == len(case["rows"]), [f.text for f in facts]
    assert got == case["rows"]


# ---- the layers' checks, by name; the first is the case's expectation ---------------------------

CHECKS: dict[str, dict[str, Callable[..., None]]] = {
    "numerals": {"value": numeral_value},
    "times": {"spans": time_spans},
    "quantities": {"found": quantities_found},
    "view": {"view": view_text, "offset-map": view_offset_map},
    "textunits": {"units": units_found, "ordered-trimmed-disjoint": units_ordered_trimmed_disjoint},
    "outline": {"headings": outline_headings, "invariants": outline_invariants, "offset-map": outline_offset_map},
    "tasks": {"tasks": tasks_found},
    "indicators": {"rows": indicator_rows},
}
