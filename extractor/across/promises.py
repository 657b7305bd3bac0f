"""The promise tracker: what a plan promised, and what a later report says happened.

A target is an indicator in a plan section or inside a planned task (国内生产总值增长5%左右); its
outcome is an outcome of the pivot (not in a plan, not a target) of a report by the same issuer,
with the same key — so the same thing and the same change or level —, the same unit (values are in plain units, 万人 already read
as 人) and the same period. The outcome stated by the document that looks back on the period is
preferred (the next year's government report), then a later document, then reading order; a
target is never paired with another target. Judging is data (rules/promises.tsv).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..model import SectionKind
from ..rules import Rules, one_of
from .keys import KeyMaker
from .pivot import is_outcome

STATUSES = ("met", "missed", "unclear", "no outcome")
COLUMNS = ("key", "period", "target_value", "target_max", "target_unit", "target_qualifier", "target_doc",
           "target_text", "outcome_value", "outcome_max", "outcome_unit", "outcome_qualifier", "outcome_doc",
           "outcome_text", "status", "note", "target_start", "target_end", "outcome_start", "outcome_end")


def is_target(row: Mapping) -> bool:
    return (row["type"] == "indicator" and bool(row.get("key")) and bool(row.get("period"))
            and (row["section_kind"] == SectionKind.PLAN or str(row["parent"]).startswith("t")))


@dataclass(frozen=True)
class Reading:
    reads: str            # floor, ceiling or band
    tolerance: float


class Judge:
    """Judges an outcome against a target by the rules of rules/promises.tsv."""

    def __init__(self, rules: Rules, keys: KeyMaker):
        self.keys = keys
        self.rows = rules.table("promises", ("qualifier", "better", "reads", "tolerance"),
                                convert={"qualifier": one_of(("exact", "over", "under", "about", "range")),
                                         "better": one_of(("higher", "lower", "*")),
                                         "reads": one_of(("floor", "ceiling", "band")), "tolerance": float},
                                required=("qualifier", "better", "reads"))

    def better(self, key: str) -> str:
        better = self.keys.better(key)
        if key.endswith("·下降") and better:
            return "higher" if better == "lower" else "lower"   # a bigger fall of energy use is better
        return better

    def reading(self, qualifier: str, better: str) -> Reading:
        for row in self.rows:
            if row["qualifier"] == qualifier and row["better"] in (better, "*"):
                return Reading(row["reads"], row["tolerance"] or 0.0)
        return Reading("band", 0.0)

    def status(self, target: Mapping, outcome: Mapping) -> str:
        if outcome["unit"] != target["unit"]:
            return "unclear"
        low, high = _interval(outcome)
        r = self.reading(target["qualifier"], self.better(target["key"]))
        t_low = target["value"]
        t_high = target["value_max"] if target["value_max"] is not None else target["value"]
        slack_low, slack_high = abs(t_low) * r.tolerance, abs(t_high) * r.tolerance
        if r.reads == "floor":
            bound = t_low - slack_low
            return "met" if low >= bound else "missed" if high < bound else "unclear"
        if r.reads == "ceiling":
            bound = t_high + slack_high
            return "met" if high <= bound else "missed" if low > bound else "unclear"
        lo, hi = t_low - slack_low, t_high + slack_high
        if lo <= low and high <= hi:
            return "met"
        return "missed" if high < lo or low > hi else "unclear"


def _interval(outcome: Mapping) -> tuple[float, float]:
    """What an outcome says: 超过3% is at least 3, 不到3% at most 3, 3至5 between."""
    value, qualifier = outcome["value"], outcome["qualifier"]
    if qualifier == "over":
        return value, math.inf
    if qualifier == "under":
        return -math.inf, value
    if qualifier == "range" and outcome["value_max"] is not None:
        return value, outcome["value_max"]
    return value, value


def same_issuer(a: str, b: str) -> bool:
    """Two documents may speak of the same figures: the same issuer (青溪县, 青溪县人民政府), or one
    that does not say who gives it."""
    return not a or not b or a.startswith(b) or b.startswith(a)


def track(rows: Iterable[Mapping], review_years: Mapping[str, str], judge: Judge,
          issuers: Mapping[str, str]) -> list[dict]:
    """One row per target, with its outcome and status, in document and reading order. An outcome
    comes from a report of the same issuer: a county's target is not met by a township's figure."""
    rows = list(rows)
    outcomes: dict[tuple[str, str], list[tuple[int, Mapping]]] = {}
    for n, row in enumerate(rows):
        if is_outcome(row):
            outcomes.setdefault((row["key"], row["period"]), []).append((n, row))
    out = []
    for row in rows:
        if not is_target(row):
            continue
        found = [(n, o) for n, o in outcomes.get((row["key"], row["period"]), [])
                 if same_issuer(issuers.get(row["doc"], ""), issuers.get(o["doc"], ""))]
        same_unit = [(n, o) for n, o in found if o["unit"] == row["unit"]] or found
        # the document that looks back on the period first, then later documents, then reading order
        ranked = sorted(same_unit, key=lambda no: (review_years.get(no[1]["doc"]) != row["period"],
                                                   no[1]["doc"] == row["doc"], no[0]))
        out.append(_promise(row, ranked, judge))
    return out


def _promise(target: Mapping, ranked: list[tuple[int, Mapping]], judge: Judge) -> dict:
    rec = {"key": target["key"], "period": target["period"], "target_value": target["value"],
           "target_max": target["value_max"], "target_unit": target["unit"],
           "target_qualifier": target["qualifier"], "target_doc": target["doc"], "target_text": target["text"],
           "target_start": target["start"], "target_end": target["end"]}
    if not ranked:
        return {**rec, **dict.fromkeys(("outcome_value", "outcome_max", "outcome_start", "outcome_end")),
                "outcome_unit": "", "outcome_qualifier": "", "outcome_doc": "", "outcome_text": "",
                "status": "no outcome", "note": ""}
    outcome = ranked[0][1]
    note = f"{len(ranked)} outcomes fit; this one is from {outcome['section']}" if len(ranked) > 1 else ""
    return {**rec, "outcome_value": outcome["value"], "outcome_max": outcome["value_max"],
            "outcome_unit": outcome["unit"], "outcome_qualifier": outcome["qualifier"],
            "outcome_doc": outcome["doc"], "outcome_text": outcome["text"], "outcome_start": outcome["start"],
            "outcome_end": outcome["end"], "status": judge.status(target, outcome), "note": note}
