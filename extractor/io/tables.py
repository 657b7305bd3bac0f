"""Plain tables in every format: the pivot, the promises, the documents.

A :class:`Table` is a name, its columns and its rows (dicts); :func:`write_table` writes one in a
text format or parquet, :func:`write_workbook` several as sheets of one workbook, each with a frozen
header, an autofilter, readable widths and numbers stored as numbers. Same rows, same bytes.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..model import plain_number

EPOCH = dt.datetime(2000, 1, 1)   # fixed workbook metadata: a creation time would break "same bytes"


@dataclass
class Table:
    name: str                              # the sheet's name
    columns: Sequence[str]
    rows: list[dict]
    numeric: frozenset[str] = frozenset()  # columns written as numbers
    widths: dict[str, float] = field(default_factory=dict)
    # called with (workbook, sheet, table) after the rows are written: charts, conditional formats
    decorate: Callable | None = None


def cell(value) -> str:
    """A value as CSV and Markdown show it: integral numbers without ".0", None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(plain_number(value))
    return str(value)


def _plain(value):
    return plain_number(value) if isinstance(value, float) else value


def write_table(fmt: str, stream, table: Table, bom: bool = False) -> None:
    """One table as csv, jsonl, json, md, html (a text stream) or parquet (a binary stream)."""
    rows = [[r.get(c) for c in table.columns] for r in table.rows]
    if fmt == "csv":
        if bom:
            stream.write("\ufeff")
        w = csv.writer(stream, lineterminator="\r\n")
        w.writerow(table.columns)
        w.writerows([cell(v) for v in row] for row in rows)
    elif fmt == "jsonl":
        for row in rows:
            stream.write(json.dumps(dict(zip(table.columns, map(_plain, row))), ensure_ascii=False) + "\n")
    elif fmt == "json":
        stream.write(json.dumps([dict(zip(table.columns, map(_plain, row))) for row in rows],
                                ensure_ascii=False, indent=1) + "\n")
    elif fmt == "md":
        stream.write("| " + " | ".join(table.columns) + " |\n")
        stream.write("|" + "|".join("---:" if c in table.numeric else "---" for c in table.columns) + "|\n")
        for row in rows:
            stream.write("| " + " | ".join(cell(v).replace("|", "\\|").replace("\n", " ") for v in row) + " |\n")
    elif fmt == "html":
        stream.write(_html_table(table, rows))
    elif fmt == "parquet":
        import pandas as pd

        frame = pd.DataFrame.from_records(rows, columns=list(table.columns))
        frame.to_parquet(stream, index=False, engine="pyarrow")
    else:
        raise ValueError(f"a {table.name} table cannot be written as {fmt}")


def _html_table(table: Table, rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = "\n".join("<tr>" + "".join(f"<td>{html.escape(cell(v))}</td>" for v in row) + "</tr>" for row in rows)
    return ('<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
            f"<title>{html.escape(table.name)}</title><style>table{{border-collapse:collapse}}"
            "td,th{border:1px solid #ccc;padding:2px 6px}td{white-space:nowrap}</style></head><body>\n"
            f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>\n</body></html>\n")


def open_workbook(stream, title: str):
    import xlsxwriter

    book = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": EPOCH, "title": title})
    return book


def add_sheet(book, table: Table, header_format=None):
    """One table as a sheet: frozen header, autofilter, widths, numbers as numbers."""
    header_format = header_format or book.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1})
    sheet = book.add_worksheet(table.name)
    sheet.write_row(0, 0, list(table.columns), header_format)
    for r, row in enumerate(table.rows, 1):
        for c, col in enumerate(table.columns):
            v = row.get(col)
            if v is None or v == "":
                continue
            if col in table.numeric and isinstance(v, (int, float)):
                sheet.write_number(r, c, v)
            else:
                sheet.write_string(r, c, str(v))
    for c, col in enumerate(table.columns):
        sheet.set_column(c, c, table.widths.get(col, 12))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)
    if table.decorate is not None:
        table.decorate(book, sheet, table)
    return sheet


def write_workbook(stream, tables: Sequence[Table], title: str) -> None:
    book = open_workbook(stream, title)
    header = book.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1})
    for table in tables:
        add_sheet(book, table, header)
    book.close()
