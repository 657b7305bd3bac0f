"""One runner for the layered cases: every case of every layer (tests/data, loaded by tests/cases.py),
checked by its layer's checks (tests/layers.py).

A test id is ``<layer>/<case id>`` for the case's expectation and ``<layer>/<case id>/<check>`` for an
invariant of the layer, so ``-k outline`` runs a layer and ``-k scheme-part`` one case. A case marked
``xfail`` must fail its expectation (strict). Per-layer counts: ``python -m tests.cases``.
"""
from __future__ import annotations

import inspect

import pytest

from extractor.match.quantities import QuantityFinder
from extractor.match.times import TimeFinder
from extractor.structure.outline import OutlineBuilder
from extractor.structure.textunits import TextUnits
from extractor.structure.view import ViewBuilder

from .cases import LAYERS, Case, all_cases
from .layers import CHECKS


def _params() -> list:
    params = []
    for case in all_cases():
        for n, (name, _) in enumerate(CHECKS[case.layer].items()):
            expectation = n == 0
            marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail and expectation else []
            case_id = f"{case.layer}/{case.id}" + ("" if expectation else f"/{name}")
            params.append(pytest.param(case, name, id=case_id, marks=marks))
    return params


# ---- the pipeline pieces the checks ask for, built once from the session's rules ----------------

@pytest.fixture(scope="session")
def time_finder(rules) -> TimeFinder:
    return TimeFinder(rules)


@pytest.fixture(scope="session")
def quantity_finder(pipeline) -> QuantityFinder:
    return pipeline.quantities   # with the pipeline's segmenter, which tells 红十字会 from a number


@pytest.fixture(scope="session")
def views(rules) -> ViewBuilder:
    return ViewBuilder(rules)


@pytest.fixture(scope="session")
def units(rules) -> TextUnits:
    return TextUnits(rules)


@pytest.fixture(scope="session")
def outline_builder(rules, units) -> OutlineBuilder:
    return OutlineBuilder(rules, units)


@pytest.mark.parametrize("case, check", _params())
def test_case(case: Case, check: str, request):
    """One case of one layer, checked as its layer checks it; the check gets the fixtures it names."""
    fn = CHECKS[case.layer][check]
    fixtures = {name: request.getfixturevalue(name) for name in list(inspect.signature(fn).parameters)[1:]}
    try:
        fn(case, **fixtures)
    except AssertionError as e:
        if hasattr(e, "add_note"):   # Python 3.11+: say where the case is written
            e.add_note(f"{case.kind} case {case.id!r} at {case.where}")
        raise


def test_every_layer_has_checks_and_cases():
    """The layer table and the check table name the same layers, and each layer has cases."""
    assert set(CHECKS) == set(LAYERS)
    cases = all_cases()
    assert {c.layer for c in cases} == set(LAYERS)
