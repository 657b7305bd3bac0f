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

from .cases import LAYERS, Case, CaseFileError, all_cases, load
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


# ---- the loader itself ---------------------------------------------------------------------------

def _data(tmp_path, quantities: str, negatives: str, regressions: str):
    (tmp_path / "regressions").mkdir()
    (tmp_path / "quantities.tsv").write_text(quantities, encoding="utf-8")
    (tmp_path / "quantities_negative.tsv").write_text(negatives, encoding="utf-8")
    (tmp_path / "regressions" / "quantities.jsonl").write_text(regressions, encoding="utf-8")
    return tmp_path


HEADER = "# a comment\ntext\tsurface\tvalue\tunit\tqualifier\tvalue_max\tkind\txfail\n"


def test_a_table_groups_rows_and_each_case_knows_its_place_kind_and_xfail(tmp_path):
    data = _data(tmp_path,
                 HEADER + "甲3名乙5人\t3名\t3\t名\texact\t\tcount\n"
                          "甲3名乙5人\t5人\t5\t人\texact\t\tcount\n"
                          "# another comment\n"
                          "丙7个\t7个\t7\t个\texact\t\tcount\ta known gap\n",
                 "text\treason\n第八巡察组\tan ordinal\n",
                 '// header\n{"text": "二十几万人", "quantities": [], "caught": "a bug"}\n')
    cases = load("quantities", data)
    assert [(c.id, c.kind, c.line, c.source.name, c.xfail) for c in cases] == [
        ("甲3名乙5人", "positive", 3, "quantities.tsv", ""),
        ("丙7个", "positive", 6, "quantities.tsv", "a known gap"),
        ("第八巡察组", "negative", 2, "quantities_negative.tsv", ""),
        ("二十几万人", "regression", 2, "quantities.jsonl", ""),
    ]
    assert [q["surface"] for q in cases[0]["quantities"]] == ["3名", "5人"]
    assert cases[0]["quantities"][0]["value_max"] == "" and "xfail" not in cases[1]["quantities"][0]
    assert cases[2]["reason"] == "an ordinal" and cases[3]["caught"] == "a bug"


@pytest.mark.parametrize("quantities, negatives, regressions, message", [
    (HEADER + "甲3名\t3名\t3\t名\texact\t\tcount\n", "text\treason\n甲3名\tnone\n", "",
     r"quantities_negative.tsv:2: case '甲3名' is also at .*quantities.tsv:3"),
    (HEADER, "text\treason\n", '{"text": "乙", "quantities": []}\n',
     r"quantities.jsonl:1: a regression says what it caught"),
    (HEADER, "text\treason\n第八\tan ordinal\textra\n", "", r"quantities_negative.tsv:2: 3 cells but the header has 2"),
    (HEADER, "text\treason\n", '{"text": "乙", "quantities": [], "caught": "x"\n', r"quantities.jsonl:1: invalid JSON"),
], ids=["same-id-twice", "regression-without-caught", "row-too-long", "bad-json"])
def test_a_bad_case_file_names_file_and_line(tmp_path, quantities, negatives, regressions, message):
    with pytest.raises(CaseFileError, match=message):
        load("quantities", _data(tmp_path, quantities, negatives, regressions))
