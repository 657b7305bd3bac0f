"""The one row type, from extraction to the table, and the table's columns (SPEC §2)."""
from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import pandas as pd

FACT_TYPES = ("heading", "indicator", "task")
SECTION_KINDS = ("review", "problem", "plan", "other")
QUALIFIERS = ("exact", "over", "under", "about", "range")
DIRECTIONS = ("up", "down", "")


@dataclass(frozen=True, slots=True)
class Fact:
    doc: str
    type: str
    id: str
    section: str
    section_kind: str
    level: int | None
    name: str
    value: float | None
    value_max: float | None
    unit: str
    qualifier: str
    direction: str
    time: str
    parent: str
    text: str
    start: int
    end: int
    line: int
    sentence: str

    def as_dict(self) -> dict:
        return dict(zip(COLUMNS, astuple(self)))


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Fact))

# pandas dtypes per column: nullable integers and floats so empty cells stay empty, not NaN/0.
DTYPES = {
    "level": "Int64",
    "value": "Float64",
    "value_max": "Float64",
    "start": "int64",
    "end": "int64",
    "line": "int64",
}


def to_frame(facts: Iterable[Fact]) -> "pd.DataFrame":
    """The tidy table: exactly the SPEC's columns in the SPEC's order, one row per fact."""
    import pandas as pd  # imported here: the CLI writes text formats without it, and starts faster

    rows = [astuple(f) for f in facts]
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    for col, dtype in DTYPES.items():
        frame[col] = frame[col].astype(dtype)
    str_cols = [c for c in COLUMNS if c not in DTYPES]
    frame[str_cols] = frame[str_cols].astype(object)
    return frame


def plain_number(x: float | None) -> int | float | None:
    """2853.0 -> 2853, 5.5 -> 5.5: integral values print without a trailing .0 in every format."""
    if x is None:
        return None
    if float(x).is_integer() and abs(x) < 2**53:
        return int(x)
    return float(x)
