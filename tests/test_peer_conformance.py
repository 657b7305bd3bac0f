"""Conformance with a peer: the Chinese spec files of Microsoft Recognizers-Text.

Every case of the peer's NumberModel and PercentModel that the peer itself supports (no
"NotSupported" key) is run through the quantity layer; a case passes when the layer resolves the same
values (as a multiset, in any order). Cases this project deliberately reads otherwise — a bare "一"
inside a word, a date, a discount written with 折 … — are listed with their reason in
tests/data/peer_deviations.tsv and leave the denominator. At least 95% must pass.

NumberRange, Ordinal, Currency and Dimension are reported, not asserted.

Run as a script to print the shares: ``python tests/test_peer_conformance.py``.
"""
from __future__ import annotations

import csv
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PEER = ROOT.parent / "shared" / "peer-specs" / "recognizers-text"
DEVIATIONS = ROOT / "tests" / "data" / "peer_deviations.tsv"
ASSERTED = {"NumberModel": 0.95, "PercentModel": 0.95}
FILES = {
    "NumberModel": "Number-Chinese-NumberModel.json",
    "PercentModel": "Number-Chinese-PercentModel.json",
    "NumberRangeModel": "Number-Chinese-NumberRangeModel.json",
    "OrdinalModel": "Number-Chinese-OrdinalModel.json",
    "CurrencyModel": "NumberWithUnit-Chinese-CurrencyModel.json",
    "DimensionModel": "NumberWithUnit-Chinese-DimensionModel.json",
}

needs_peer = pytest.mark.skipif(
    not PEER.is_dir(),
    reason=f"the peer spec files are not here ({PEER}); they exist only in the development workspace",
)


# ---- what the peer expects and what the layer says, as comparable values --------------------

def _num(s) -> float | None:
    try:
        return float(str(s).replace(",", ""))
    except (TypeError, ValueError):
        return None


def _interval(s: str) -> tuple[float | None, float | None]:
    lo, _, hi = s.strip("[]()").partition(",")
    return _num(lo) if lo else None, _num(hi) if hi else None


def expected_values(model: str, case: dict) -> list:
    out = []
    for r in case["Results"]:
        v = (r.get("Resolution") or {}).get("value")
        if model == "PercentModel":
            out.append(_num(str(v).rstrip("%")))
        elif model == "NumberRangeModel":
            out.append(_interval(str(v)))
        else:
            out.append(_num(v))
    return out


_TO_PERCENT = {"%": 1.0, "百分点": 1.0, "‰": 0.1, "‱": 0.01}
_MONEY_KINDS = {"money"}
_DIMENSION_KINDS = {"measure"}


def actual_values(model: str, quantities) -> list:
    out: list = []
    for q in quantities:
        if model == "PercentModel":
            if q.unit in _TO_PERCENT:
                out += [v * _TO_PERCENT[q.unit] for v in (q.value, q.value_max) if v is not None]
        elif model == "NumberRangeModel":
            if q.qualifier == "range":
                out.append((q.value, q.value_max))
            elif q.qualifier == "over":
                out.append((q.value, None))
            elif q.qualifier == "under":
                out.append((None, q.value))
            else:
                out.append((q.value, q.value))
        elif model == "CurrencyModel":
            if q.kind in _MONEY_KINDS:
                out.append(q.value)
        elif model == "DimensionModel":
            if q.kind in _DIMENSION_KINDS:
                out.append(q.value)
        elif q.kind != "percent" or q.unit == "百分点":  # NumberModel, OrdinalModel: every number but percentages
            out += [v for v in (q.value, q.value_max) if v is not None]
    return out


def _same(a, b) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and all(_same(x, y) for x, y in zip(a, b))
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def same_values(expected: list, actual: list) -> bool:
    if len(expected) != len(actual):
        return False
    rest = list(actual)
    for e in expected:
        for i, a in enumerate(rest):
            if _same(e, a):
                del rest[i]
                break
        else:
            return False
    return True


# ---- running the suites ------------------------------------------------------------------

def load_deviations() -> dict[tuple[str, str], str]:
    """(model, input) -> reason; rows without a reason do not count as deviations."""
    out = {}
    with DEVIATIONS.open(encoding="utf-8") as f:
        rows = (line for line in f if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
            if (row.get("reason") or "").strip():
                out[(row["model"], row["input"])] = row["reason"].strip()
    return out


def supported(case: dict) -> bool:
    return not any(k.startswith("NotSupported") for k in case)


@dataclass
class Report:
    model: str
    total: int = 0
    supported: int = 0
    deviations: int = 0
    passed: int = 0
    all_cases_passed: int = 0  # over every case, supported by the peer or not, deviations counted as failures
    failures: list = field(default_factory=list)

    @property
    def denominator(self) -> int:
        return self.supported - self.deviations

    @property
    def share(self) -> float:
        return self.passed / self.denominator if self.denominator else 1.0

    @property
    def raw_share(self) -> float:
        return self.passed / self.supported if self.supported else 1.0

    def line(self) -> str:
        return (f"{self.model}: {self.passed}/{self.denominator} = {self.share:.1%} of the supported cases "
                f"without the listed deviations; {self.raw_share:.1%} of all {self.supported} supported cases; "
                f"{self.all_cases_passed}/{self.total} of every case "
                f"({self.total - self.supported} not supported by the peer, {self.deviations} listed deviations)")


def run_model(model: str, find, deviations: dict) -> Report:
    """``find`` reads a case's input as a document and returns its quantities."""
    cases = json.loads((PEER / FILES[model]).read_text(encoding="utf-8-sig"))
    rep = Report(model, total=len(cases))
    for case in cases:
        deviation = (model, case["Input"]) in deviations
        actual = actual_values(model, find(case["Input"]))
        same = not deviation and same_values(expected_values(model, case), actual)
        rep.all_cases_passed += same
        if not supported(case):
            continue
        rep.supported += 1
        if deviation:
            rep.deviations += 1
        elif same:
            rep.passed += 1
        else:
            rep.failures.append((case["Input"], expected_values(model, case), actual))
    return rep


def quantity_finder(rules):
    """Text -> quantities, as the pipeline reads a document: its view, its times, then quantities."""
    from extractor.match.quantities import QuantityFinder
    from extractor.match.times import TimeFinder
    from extractor.structure.view import ViewBuilder

    view, times, quantities = ViewBuilder(rules), TimeFinder(rules), QuantityFinder(rules)

    def find(text: str) -> list:
        seen = view.build(text).text
        return quantities.find(seen, times.find(seen))

    return find


@pytest.fixture(scope="module")
def finder(rules):
    return quantity_finder(rules)


@needs_peer
@pytest.mark.parametrize("model", list(ASSERTED))
def test_peer_share(model, finder):
    rep = run_model(model, finder, load_deviations())
    shown = "\n".join(f"  {i!r}: expected {e}, got {a}" for i, e, a in rep.failures[:30])
    assert rep.share >= ASSERTED[model], f"{rep.line()}\nfailing cases:\n{shown}"


@needs_peer
@pytest.mark.parametrize("model", [m for m in FILES if m not in ASSERTED])
def test_peer_report(model, finder, capsys):
    rep = run_model(model, finder, load_deviations())
    with capsys.disabled():
        print(f"\n[peer conformance, reported] {rep.line()}")
    assert rep.total > 0


@needs_peer
def test_every_deviation_is_a_peer_case():
    """A deviation must name a real case of the peer (no stale rows)."""
    inputs = {}
    for model, name in FILES.items():
        inputs[model] = {c["Input"] for c in json.loads((PEER / name).read_text(encoding="utf-8-sig"))}
    for (model, text), reason in load_deviations().items():
        assert model in inputs, f"unknown model {model!r}"
        assert text in inputs[model], f"{model}: {text!r} is not a case of the peer"
        assert reason


def main() -> int:
    if not PEER.is_dir():
        print(f"peer spec files not found at {PEER}")
        return 1
    from extractor.rules import load_rules

    finder = quantity_finder(load_rules())
    deviations = load_deviations()
    verbose = "-v" in sys.argv
    for model in FILES:
        rep = run_model(model, finder, deviations)
        print(rep.line())
        if verbose:
            for i, e, a in rep.failures:
                print(f"    {i!r}: expected {e}, got {a}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
