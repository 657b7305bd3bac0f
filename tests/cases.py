"""The one loader for the layered case files in tests/data: every case of every layer, with where it
was written and what kind of case it is.

A layer's cases live in its own files (LAYERS below) and in tests/data/regressions/<layer>.jsonl:

- tab-separated tables: ``#`` comment lines, then a header row, then one row per case (cells split on
  tabs, no quoting; missing trailing cells read as ""). A table may group its rows: all rows of one
  text are one case, the rows under one field (quantities.tsv: ``{"text": …, "quantities": [rows]}``).
- JSON lines: ``//`` comment lines, one object per line.
- regressions/<layer>.jsonl: JSON lines in the layer's case format (a table's columns as fields; a grouped
  table's rows as a list), plus ``"caught"``: the bug the case caught.

Each case has a stable id (its ``id`` field, else its key fields: the text it reads), its source file
and line, and a kind: ``regression`` (from the regression list), else ``negative`` when it expects nothing
(the layer says what nothing is), else ``positive``. An ``xfail`` cell or field names a known gap; the
runner turns it into ``pytest.mark.xfail(strict=True, reason=…)``.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"

KINDS = ("positive", "negative", "regression")


class CaseFileError(ValueError):
    """A case file that cannot be read as cases: names the file and line."""


@dataclass(frozen=True)
class Table:
    """A case file and, for a table whose rows of one text form one case, how they are grouped."""

    name: str                  # file name inside tests/data
    group_by: str = ""         # rows with the same value here are one case …
    group_into: str = ""       # … their other cells a list under this field


@dataclass(frozen=True)
class Layer:
    """Where a layer's cases are written and when a case expects nothing."""

    name: str
    files: tuple[Table, ...]
    key: tuple[str, ...]                 # the fields that name a case without an "id"
    expects_nothing: Callable[[Mapping], bool]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


LAYERS: dict[str, Layer] = {layer.name: layer for layer in (
    # numeral reader: input -> value, empty value = not a number
    Layer("numerals", (Table("numerals.tsv"),), ("input",), lambda c: _blank(c["value"])),
    # time expressions: text -> surface:kind | …, empty = no time expression
    Layer("times", (Table("timex.tsv"),), ("text",), lambda c: _blank(c["spans"])),
    # quantities: text -> its quantities (a row each); the negative table's texts hold none
    Layer("quantities", (Table("quantities.tsv", group_by="text", group_into="quantities"),
                         Table("quantities_negative.tsv")),
          ("text",), lambda c: not c.get("quantities")),
    # matching view: original -> view; a view that changes nothing is the negative
    Layer("view", (Table("textunits_normalize_cases.jsonl"),), ("id",), lambda c: c["view"] == c["original"]),
    # paragraphs, sentences, clauses: text -> surfaces
    Layer("textunits", (Table("textunits_cases.jsonl"),), ("id",), lambda c: c["expected"] == []),
    # outline: text -> headings (sections, sanity report)
    Layer("outline", (Table("outline_cases.jsonl"),), ("id",), lambda c: c["headings"] == []),
    # planned tasks: document -> tasks (absent strings)
    Layer("tasks", (Table("tasks.jsonl"),), ("id",), lambda c: c["tasks"] == []),
    # indicators: text -> rows
    Layer("indicators", (Table("indicators.jsonl"),), ("shape", "text"), lambda c: c["rows"] == []),
)}


@dataclass(frozen=True)
class Case:
    """One case of one layer: its fields as written, and where and what it is."""

    layer: str
    id: str                                   # stable: the "id" field, else the key fields joined by ":"
    fields: Mapping[str, Any] = field(repr=False)
    source: Path                              # the file it was read from
    line: int                                 # 1-based line of the case (a grouped case: its first row)
    kind: str                                 # positive | negative | regression
    xfail: str = ""                           # a known gap, with why

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    @property
    def where(self) -> str:
        root = DATA.parent.parent
        shown = self.source.relative_to(root) if self.source.is_relative_to(root) else self.source
        return f"{shown}:{self.line}"


# ---- reading the two formats -------------------------------------------------------------------

def _lines(path: Path, comment: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of every line that is neither blank nor a comment."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line and not line.startswith(comment):
            yield number, line


def read_tsv(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a tab-separated table with their line numbers. A line of tabs is a row of empty
    cells (numerals.tsv: the empty input); a row longer than the header is an error."""
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    for number, line in _lines(path, "#"):
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            raise CaseFileError(f"{path}:{number}: {len(cells)} cells but the header has {len(header)}")
        rows.append((number, dict(zip(header, cells + [""] * (len(header) - len(cells))))))
    return rows


def read_jsonl(path: Path) -> list[tuple[int, dict]]:
    rows = []
    for number, line in _lines(path, "//"):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as e:
            raise CaseFileError(f"{path}:{number}: invalid JSON: {e}") from None
        if not isinstance(value, dict):
            raise CaseFileError(f"{path}:{number}: a case is a JSON object")
        rows.append((number, value))
    return rows


def _read(path: Path, table: Table) -> list[tuple[int, dict]]:
    if path.suffix == ".jsonl":
        return read_jsonl(path)
    rows = read_tsv(path)
    if not table.group_by:
        return rows
    grouped: dict[str, tuple[int, dict]] = {}
    for number, row in rows:
        key = row[table.group_by]
        if key not in grouped:
            grouped[key] = (number, {table.group_by: key, table.group_into: []})
        part = {k: v for k, v in row.items() if k not in (table.group_by, "xfail")}
        grouped[key][1][table.group_into].append(part)
        if row.get("xfail"):
            grouped[key][1]["xfail"] = row["xfail"]
    return list(grouped.values())


# ---- cases ---------------------------------------------------------------------------------------

def _case(layer: Layer, path: Path, number: int, fields: dict, regression: bool) -> Case:
    if layer.key == ("id",) and _blank(fields.get("id")):
        raise CaseFileError(f"{path}:{number}: a {layer.name} case needs an \"id\"")
    name = str(fields["id"]) if "id" in fields else ":".join(str(fields.get(k, "")) for k in layer.key)
    if regression:
        if _blank(fields.get("caught")):
            raise CaseFileError(f"{path}:{number}: a regression says what it caught (\"caught\")")
        kind = "regression"
    else:
        kind = "negative" if layer.expects_nothing(fields) else "positive"
    return Case(layer.name, name or "<empty>", fields, path, number, kind, fields.get("xfail") or "")


def load(name: str, data: Path = DATA) -> list[Case]:
    """Every case of one layer: its own files in order, then its regressions (``data`` is the folder)."""
    layer = LAYERS[name]
    sources = [(data / t.name, t, False) for t in layer.files]
    sources.append((data / "regressions" / f"{name}.jsonl", Table(f"regressions/{name}.jsonl"), True))
    cases: list[Case] = []
    seen: dict[str, Case] = {}
    for path, table, regression in sources:
        for number, fields in _read(path, table):
            case = _case(layer, path, number, fields, regression)
            if case.id in seen:
                raise CaseFileError(f"{path}:{number}: case {case.id!r} is also at {seen[case.id].where}")
            seen[case.id] = case
            cases.append(case)
    return cases


def all_cases() -> list[Case]:
    return [case for name in LAYERS for case in load(name)]


def counts(cases: list[Case]) -> dict[str, dict[str, int]]:
    """Per layer: how many cases of each kind, and how many are marked xfail."""
    out: dict[str, dict[str, int]] = {}
    for case in cases:
        row = out.setdefault(case.layer, dict.fromkeys((*KINDS, "xfail"), 0))
        row[case.kind] += 1
        row["xfail"] += bool(case.xfail)
    return out


if __name__ == "__main__":
    table = counts(all_cases())
    print(f"{'layer':<12}" + "".join(f"{k:>12}" for k in (*KINDS, "xfail", "total")))
    for layer, row in table.items():
        total = sum(row[k] for k in KINDS)
        print(f"{layer:<12}" + "".join(f"{row[k]:>12}" for k in (*KINDS, "xfail")) + f"{total:>12}")
