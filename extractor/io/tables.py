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
from dataclasses import dataclass, field, replace

from ..model import plain_number

EPOCH = dt.datetime(2000, 1, 1)   # fixed workbook metadata: a creation time would break "same bytes"

# ---- spreadsheet safety
# A text cell that starts with one of these is read as a formula by Excel and LibreOffice (a tab or
# a carriage return before the sign too): "=HYPERLINK(…)", "+1-2", "-2+3", "@SUM(A1)".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_ROWS = 1_048_575          # data rows of a worksheet (Excel's 1,048,576 rows, less the header)
CELL_CHARS = 32_767             # characters in one cell (Excel's limit); longer text is cut, ending in …


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """A text cell for CSV: one that a spreadsheet would read as a formula gets an apostrophe in
    front, so that Excel and LibreOffice show it as text (CSV has no other way to say "text")."""
    return "'" + text if formula_like(text) else text


def cell_text(text: str) -> str:
    """A text cell for a workbook: at most :data:`CELL_CHARS` characters."""
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 1] + "…"


def sheet_parts(name: str, rows: Sequence) -> list[tuple[str, Sequence]]:
    """The sheets that hold ``rows``: NAME, then NAME (2), NAME (3) … of at most SHEET_ROWS rows
    each; one sheet when there are none."""
    size = SHEET_ROWS
    chunks = [rows[k:k + size] for k in range(0, len(rows), size)] or [rows]
    return [(part_name(name, k), chunk) for k, chunk in enumerate(chunks)]


def part_name(name: str, k: int) -> str:
    """The name of a table's sheet ``k`` (from 0): NAME, NAME (2), NAME (3) …"""
    return name if k == 0 else f"{name} ({k + 1})"


class TextFormats:
    """The formats of a workbook's text cells, each made once: by style (a name for a set of format
    properties, None for none), and for text that would read as a formula the same with Excel's
    quote prefix, which shows the text as text and keeps it text when the cell is edited."""

    def __init__(self, book, styles: dict[str, dict] | None = None):
        self.book = book
        self.styles = styles or {}
        self._made: dict[tuple[str | None, bool], object] = {}

    def format(self, style: str | None, quoted: bool = False):
        key = (style, quoted)
        if key not in self._made:
            props = {**self.styles.get(style, {}), **({"quote_prefix": True} if quoted else {})}
            self._made[key] = self.book.add_format(props) if props else None
        return self._made[key]

    def write(self, sheet, row: int, col: int, text: str, style: str | None = None) -> None:
        sheet.write_string(row, col, cell_text(text), self.format(style, formula_like(text)))


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
        w.writerows([csv_text(v) if isinstance(v, str) else cell(v) for v in row] for row in rows)
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
    """One table as a sheet — or several, NAME (2) …, past a sheet's rows: frozen header,
    autofilter, widths, numbers as numbers, text that would read as a formula kept as text.
    Returns the first sheet."""
    header_format = header_format or book.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1})
    texts = TextFormats(book)
    sheets = []
    for name, rows in sheet_parts(table.name, table.rows):
        sheet = book.add_worksheet(name)
        sheets.append(sheet)
        sheet.write_row(0, 0, list(table.columns), header_format)
        for r, row in enumerate(rows, 1):
            for c, col in enumerate(table.columns):
                v = row.get(col)
                if v is None or v == "":
                    continue
                if col in table.numeric and isinstance(v, (int, float)):
                    sheet.write_number(r, c, v)
                else:
                    texts.write(sheet, r, c, str(v))
        for c, col in enumerate(table.columns):
            sheet.set_column(c, c, table.widths.get(col, 12))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(table.columns) - 1)
    if table.decorate is not None:   # charts and colours read the first sheet's rows
        table.decorate(book, sheets[0], replace(table, rows=list(sheet_parts(table.name, table.rows)[0][1])))
    return sheets[0]


def write_workbook(stream, tables: Sequence[Table], title: str) -> None:
    book = open_workbook(stream, title)
    header = book.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1})
    for table in tables:
        add_sheet(book, table, header)
    book.close()
