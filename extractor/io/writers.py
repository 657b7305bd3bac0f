"""One writer per output format, all fed the same rows in the same order.

Text formats (csv, jsonl, json, md, html) can stream document by document; xlsx and parquet are
written whole. Every writer is deterministic: the same facts give the same bytes.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from ..model import COLUMNS, DOCUMENT_COLUMNS, FACT_TYPES, DocumentRecord, Fact, plain_number, to_frame

TEXT_FORMATS = ("csv", "jsonl", "json", "md", "html")
BINARY_FORMATS = ("xlsx", "parquet")
FORMATS = TEXT_FORMATS + BINARY_FORMATS
EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "json": ".json", "md": ".md", "html": ".html",
              "xlsx": ".xlsx", "parquet": ".parquet"}

NUMERIC = ("level", "value", "value_max", "start", "end", "line")


def record(fact: Fact) -> dict:
    """A fact as a plain dict in column order: integral numbers as ints, missing values as None."""
    rec = fact.as_dict()
    for col in ("value", "value_max"):
        rec[col] = plain_number(rec[col])
    return rec


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(plain_number(value))
    return str(value)


class Writer:
    """Base class: ``begin``, then ``write`` once per document (in input order), then ``end``."""

    binary = False

    def __init__(self, stream):
        self.stream = stream

    def begin(self) -> None:
        pass

    def write(self, doc: str, text: str, facts: Sequence[Fact]) -> None:
        raise NotImplementedError

    def document(self, record: DocumentRecord) -> None:
        """The record of the document just written (formats with a documents sheet keep it)."""

    def end(self) -> None:
        pass


class CsvWriter(Writer):
    def __init__(self, stream, bom: bool = False):
        super().__init__(stream)
        self.bom = bom
        self.csv = csv.writer(stream, lineterminator="\r\n")

    def begin(self) -> None:
        if self.bom:  # Excel reads a UTF-8 CSV as Chinese only when it starts with a BOM
            self.stream.write("\ufeff")
        self.csv.writerow(COLUMNS)

    def write(self, doc, text, facts):
        for f in facts:
            self.csv.writerow([_cell(v) for v in record(f).values()])


class JsonlWriter(Writer):
    def write(self, doc, text, facts):
        for f in facts:
            self.stream.write(json.dumps(record(f), ensure_ascii=False) + "\n")


class JsonWriter(Writer):
    def begin(self):
        self.first = True
        self.stream.write("[")

    def write(self, doc, text, facts):
        for f in facts:
            self.stream.write(("\n" if self.first else ",\n") + json.dumps(record(f), ensure_ascii=False))
            self.first = False

    def end(self):
        self.stream.write("\n]\n")


class MarkdownWriter(Writer):
    def begin(self):
        self.stream.write("| " + " | ".join(COLUMNS) + " |\n")
        self.stream.write("|" + "|".join("---:" if c in NUMERIC else "---" for c in COLUMNS) + "|\n")

    def write(self, doc, text, facts):
        for f in facts:
            cells = (_cell(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
                     for v in record(f).values())
            self.stream.write("| " + " | ".join(cells) + " |\n")


class HtmlWriter(Writer):
    """The review page (io/review.py): one self-contained page with every document of the run, so
    it is written whole at the end."""

    def begin(self):
        self.docs: list[tuple[str, str, Sequence[Fact]]] = []

    def write(self, doc, text, facts):
        self.docs.append((doc, text, list(facts)))

    def end(self):
        from .review import render_page

        self.stream.write(render_page(self.docs))


class _Collecting(Writer):
    binary = True

    def begin(self):
        self.facts: list[Fact] = []

    def write(self, doc, text, facts):
        self.facts.extend(facts)


class ParquetWriter(_Collecting):
    def end(self):
        to_frame(self.facts).to_parquet(self.stream, index=False, engine="pyarrow")


# Fixed workbook metadata: xlsx files carry a creation time, which would break "same input, same bytes".
_EPOCH = dt.datetime(2000, 1, 1)
_SHEETS = {"heading": "headings", "indicator": "indicators", "task": "tasks"}
_WIDTHS = {"doc": 28, "type": 9, "id": 6, "section": 36, "section_kind": 10, "level": 6, "name": 26,
           "key": 22, "period": 10, "value": 14, "value_max": 10, "unit": 8, "qualifier": 9, "direction": 9, "time": 14,
           "parent": 7, "text": 40, "start": 8, "end": 8, "line": 6, "sentence": 60}


class XlsxWriter(_Collecting):
    """A summary sheet, then one sheet per fact type: frozen header, autofilter, numbers as numbers."""

    def end(self):
        import xlsxwriter

        book = xlsxwriter.Workbook(self.stream, {"in_memory": True, "strings_to_numbers": False,
                                                 "strings_to_formulas": False, "strings_to_urls": False})
        book.set_properties({"created": _EPOCH, "title": "extractor facts"})
        bold = book.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1})
        wrap = book.add_format({"text_wrap": False})
        self._summary(book, bold)
        if self.records:
            from .tables import Table, add_sheet

            rows = [{c: getattr(r, c) for c in DOCUMENT_COLUMNS} for r in self.records]
            add_sheet(book, Table("documents", DOCUMENT_COLUMNS, rows,
                                  frozenset({"year", "characters", "headings", "indicators", "tasks"}),
                                  {"doc": 40, "path": 40, "title": 40, "kind": 16, "sha256": 20}), bold)
        for fact_type in FACT_TYPES:
            rows = [record(f) for f in self.facts if f.type == fact_type]
            sheet = book.add_worksheet(_SHEETS[fact_type])
            sheet.write_row(0, 0, COLUMNS, bold)
            for r, rec in enumerate(rows, 1):
                for c, col in enumerate(COLUMNS):
                    v = rec[col]
                    if v is None or v == "":
                        continue
                    if col in NUMERIC:
                        sheet.write_number(r, c, v)
                    else:
                        sheet.write_string(r, c, str(v))
            for c, col in enumerate(COLUMNS):
                sheet.set_column(c, c, _WIDTHS.get(col, 12), wrap)
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(len(rows), 1), len(COLUMNS) - 1)
        book.close()

    def _summary(self, book, bold):
        sheet = book.add_worksheet("summary")
        header = ["doc", *FACT_TYPES, "total"]
        sheet.write_row(0, 0, header, bold)
        counts: dict[str, dict[str, int]] = {}
        for f in self.facts:
            counts.setdefault(f.doc, dict.fromkeys(FACT_TYPES, 0))[f.type] += 1
        for doc in self.docs:
            counts.setdefault(doc, dict.fromkeys(FACT_TYPES, 0))
        for r, (doc, per_type) in enumerate(counts.items(), 1):
            sheet.write_string(r, 0, doc)
            for c, t in enumerate(FACT_TYPES, 1):
                sheet.write_number(r, c, per_type[t])
            sheet.write_number(r, len(FACT_TYPES) + 1, sum(per_type.values()))
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, len(header), 11)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(counts), 1), len(header) - 1)

    def begin(self):
        super().begin()
        self.docs: list[str] = []
        self.records: list[DocumentRecord] = []

    def document(self, record):
        self.records.append(record)

    def write(self, doc, text, facts):
        super().write(doc, text, facts)
        self.docs.append(doc)


def make_writer(fmt: str, stream, bom: bool = False) -> Writer:
    if fmt == "csv":
        return CsvWriter(stream, bom=bom)
    return {"jsonl": JsonlWriter, "json": JsonWriter, "md": MarkdownWriter, "html": HtmlWriter,
            "xlsx": XlsxWriter, "parquet": ParquetWriter}[fmt](stream)


def render(fmt: str, docs: Iterable[tuple[str, str, Sequence[Fact]]], bom: bool = False) -> bytes:
    """Everything a writer produces for these documents, as bytes (for tests and the Python API)."""
    if fmt in BINARY_FORMATS:
        buf: BinaryIO = io.BytesIO()
        w = make_writer(fmt, buf)
    else:
        sbuf = io.StringIO(newline="")
        w = make_writer(fmt, sbuf, bom=bom)
    w.begin()
    for doc, text, facts in docs:
        w.write(doc, text, facts)
    w.end()
    return buf.getvalue() if fmt in BINARY_FORMATS else sbuf.getvalue().encode("utf-8")
