"""One writer per output format, all fed the same rows in the same order.

Text formats (csv, jsonl, json, md, html) stream document by document. A workbook (xlsx) keeps
its rows in a spool file per fact type as they come and writes its sheets at the end in
xlsxwriter's ``constant_memory`` mode, one row after the other, so a run of any size needs little
memory for it; parquet is written whole. Every writer is deterministic: the same facts give the
same bytes.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import BinaryIO

from ..model import (COLUMNS, DOCUMENT_COLUMNS, FACT_TYPES, SECTION_KINDS, DocumentRecord, Fact, plain_number,
                     to_frame)
from . import tables
from .spool import Spool
from .tables import Table, TextFormats, add_sheet, cell, csv_text, part_name

TEXT_FORMATS = ("csv", "jsonl", "json", "md", "html")
BINARY_FORMATS = ("xlsx", "parquet")
FORMATS = TEXT_FORMATS + BINARY_FORMATS
EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "json": ".json", "md": ".md", "html": ".html",
              "xlsx": ".xlsx", "parquet": ".parquet"}

NUMERIC = ("level", "value", "value_max", "start", "end", "line")


_VALUES_OF = attrgetter(*COLUMNS)   # a fact's fields in column order (no copy, unlike dataclasses.astuple)


def record(fact: Fact) -> dict:
    """A fact as a plain dict in column order: integral numbers as ints, missing values as None."""
    rec = dict(zip(COLUMNS, _VALUES_OF(fact)))
    for col in ("value", "value_max"):
        rec[col] = plain_number(rec[col])
    return rec


class Writer:
    """Base class: ``begin``, then ``write`` once per document (in input order), then ``end``."""

    binary = False

    def __init__(self, stream):
        self.stream = stream

    def begin(self) -> None:
        pass

    def write(self, doc: str, text: str, facts: Iterable[Fact]) -> None:
        """One document's facts: a sequence, or an iterable read once in order."""
        raise NotImplementedError

    def document(self, record: DocumentRecord) -> None:
        """The record of the document just written (formats with a documents sheet keep it)."""

    def end(self) -> None:
        pass


ROWS_AT_ONCE = 2_000   # rows made into one text when a writer is given facts


class _RowsWriter(Writer):
    """A text format whose rows stand each on its own: the rows of a document are one text
    (:meth:`rows`), which a worker process can write and the parent pass on (:meth:`write_rows`)."""

    @staticmethod
    def rows(facts: Iterable[Fact]) -> str:
        raise NotImplementedError

    def write(self, doc, text, facts):
        facts = iter(facts)   # a list, or the facts as they come: a long document's rows are not held all at once
        while batch := list(itertools.islice(facts, ROWS_AT_ONCE)):
            self.write_rows(self.rows(batch))

    def write_rows(self, rows: str) -> None:
        """Rows made by :meth:`rows` (here or in another process), written as they are."""
        self.stream.write(rows)


class CsvWriter(_RowsWriter):
    def __init__(self, stream, bom: bool = False):
        super().__init__(stream)
        self.bom = bom

    def begin(self) -> None:
        if self.bom:  # Excel reads a UTF-8 CSV as Chinese only when it starts with a BOM
            self.stream.write("\ufeff")
        csv.writer(self.stream, lineterminator="\r\n").writerow(COLUMNS)

    @staticmethod
    def rows(facts):
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        # text that a spreadsheet would read as a formula is written as text
        writer.writerows([csv_text(v) if c not in NUMERIC and isinstance(v, str) else cell(v)
                          for c, v in record(f).items()] for f in facts)
        return out.getvalue()


class JsonlWriter(_RowsWriter):
    @staticmethod
    def rows(facts):
        return "".join(json.dumps(record(f), ensure_ascii=False) + "\n" for f in facts)


class JsonWriter(_RowsWriter):
    """A JSON array, one row a line; the rows of a document are each led by ``,\n``, of which the
    array's first row keeps only the line break."""

    def begin(self):
        self.first = True
        self.stream.write("[")

    @staticmethod
    def rows(facts):
        return "".join(",\n" + json.dumps(record(f), ensure_ascii=False) for f in facts)

    def write_rows(self, rows):
        if rows and self.first:
            rows = rows[1:]
            self.first = False
        self.stream.write(rows)

    def end(self):
        self.stream.write("\n]\n")


class MarkdownWriter(_RowsWriter):
    def begin(self):
        self.stream.write("| " + " | ".join(COLUMNS) + " |\n")
        self.stream.write("|" + "|".join("---:" if c in NUMERIC else "---" for c in COLUMNS) + "|\n")

    @staticmethod
    def rows(facts):
        return "".join("| " + " | ".join(cell(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
                                         for v in record(f).values()) + " |\n" for f in facts)


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
_WRAPPED = frozenset({"text", "sentence"})   # long cells that wrap within their column's width
_VALUES = frozenset({"value", "value_max"})   # shown with their row's unit's number format

# Number formats of value and value_max by the row's unit. The number stored is the value as read
# (5.2 with unit % is 5.2 percent, never 0.052); the format only shows it with its sign. Whole numbers
# get "#,##0": "#,##0.##" would leave a bare "." after them in Excel and LibreOffice.
_UNIT_FORMATS = {"%": '0.0#"%"', "‰": '0.0#"‰"', "‱": '0.0#"‱"', "百分点": "0.0#"}
_WHOLE, _FRACTION = "#,##0", "#,##0.##"

# summary sheet layout: facts per document in A:E, indicators per section kind in G:H, charts from J
_KIND_COL, _CHART_COL = 6, 9
_TYPE_COLORS = {"heading": "#8497B0", "indicator": "#ED7D31", "task": "#70AD47"}


def value_format(unit: str, value: float) -> str | None:
    """The number format of a value or value_max cell; None (General) for a bare number."""
    if unit in _UNIT_FORMATS:
        return _UNIT_FORMATS[unit]
    if not unit:
        return None
    return _WHOLE if float(value).is_integer() else _FRACTION


SPOOL_BATCH = 2_000   # rows pickled together into a spool file: few pickle calls, little memory


class XlsxWriter(Writer):
    """A summary sheet with charts, then one sheet per fact type: frozen header, autofilter, numbers as
    numbers (values formatted by their unit), long text wrapped. Rows wait in a spool per fact type
    and are written at the end, row by row (constant_memory): the summary's counts are kept as the
    rows come."""

    binary = True

    def begin(self):
        self.docs: list[str] = []
        self.records: list[DocumentRecord] = []
        self.counts: dict[str, dict[str, int]] = {}      # facts per document and type, in order of rows
        self.per_kind = dict.fromkeys(SECTION_KINDS, 0)  # indicators per section kind
        self.spools = {t: Spool(SPOOL_BATCH) for t in FACT_TYPES}

    def document(self, record):
        self.records.append(record)

    def write(self, doc, text, facts):
        self.docs.append(doc)
        for f in facts:
            self.counts.setdefault(f.doc, dict.fromkeys(FACT_TYPES, 0))[f.type] += 1
            if f.type == "indicator":
                self.per_kind[str(f.section_kind)] = self.per_kind.get(str(f.section_kind), 0) + 1
            self.spools[str(f.type)].add(record(f))

    def end(self):
        import xlsxwriter

        try:
            # no in_memory: the fact sheets' rows go to temporary files as they are written
            book = xlsxwriter.Workbook(self.stream, {"strings_to_numbers": False, "strings_to_formulas": False,
                                                     "strings_to_urls": False})
            book.set_properties({"created": _EPOCH, "title": "extractor facts"})
            bold = book.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1})
            self._summary(book, bold, TextFormats(book))
            if self.records:
                rows = [{c: getattr(r, c) for c in DOCUMENT_COLUMNS} for r in self.records]
                add_sheet(book, Table("documents", DOCUMENT_COLUMNS, rows,
                                      frozenset({"year", "characters", "headings", "indicators", "tasks"}),
                                      {"doc": 40, "path": 40, "title": 40, "kind": 16, "sha256": 20}), bold)
            formats = _Formats(book)
            # The fact sheets, and only they, in constant_memory mode (a workbook's option, read as
            # each sheet is added): a row is written out when the next begins. The summary stays a
            # sheet held whole: its charts read the text of their categories from its cells.
            book.constant_memory = True
            for fact_type in FACT_TYPES:
                self._facts_sheets(book, _SHEETS[fact_type], self.spools[fact_type], bold, formats)
            book.constant_memory = False   # as opened: close() would look for row files the summary has not
            book.close()
        finally:
            for spool in self.spools.values():
                spool.close()

    def _facts_sheets(self, book, name, spool, bold, formats):
        """One fact type's rows: NAME, then past a sheet's rows NAME (2) … (see tables.sheet_parts)."""
        size = tables.SHEET_ROWS
        rows = iter(spool)
        for k in range(max(-(-spool.count // size), 1)):
            count = min(size, spool.count - k * size)
            self._facts_sheet(book.add_worksheet(part_name(name, k)), itertools.islice(rows, count), count,
                              bold, formats)

    def _facts_sheet(self, sheet, rows, count, bold, formats):
        sheet.write_row(0, 0, COLUMNS, bold)
        for r, rec in enumerate(rows, 1):
            for c, col in enumerate(COLUMNS):
                v = rec[col]
                if v is None or v == "":
                    continue
                if col in _VALUES:
                    sheet.write_number(r, c, v, formats.number(value_format(rec["unit"], v)))
                elif col in NUMERIC:
                    sheet.write_number(r, c, v, formats.top)
                else:
                    formats.texts.write(sheet, r, c, str(v), "wrap" if col in _WRAPPED else "top")
        for c, col in enumerate(COLUMNS):
            sheet.set_column(c, c, _WIDTHS.get(col, 12), formats.wrap if col in _WRAPPED else formats.top)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(count, 1), len(COLUMNS) - 1)

    def _summary(self, book, bold, texts):
        """Facts per document (A:E) and indicators per section kind (G:H), written row by row as
        constant_memory asks, then the charts."""
        sheet = book.add_worksheet("summary")
        header = ["doc", *FACT_TYPES, "total"]
        counts = dict(self.counts)
        for doc in self.docs:
            counts.setdefault(doc, dict.fromkeys(FACT_TYPES, 0))
        per_doc, per_kind = list(counts.items()), list(self.per_kind.items())
        sheet.write_row(0, 0, header, bold)
        sheet.write_row(0, _KIND_COL, ["section_kind", "indicators"], bold)
        for r in range(1, max(len(per_doc), len(per_kind)) + 1):
            if r <= len(per_doc):
                doc, per_type = per_doc[r - 1]
                texts.write(sheet, r, 0, doc)
                for c, t in enumerate(FACT_TYPES, 1):
                    sheet.write_number(r, c, per_type[t])
                sheet.write_number(r, len(FACT_TYPES) + 1, sum(per_type.values()))
            if r <= len(per_kind):
                kind, n = per_kind[r - 1]
                sheet.write_string(r, _KIND_COL, kind)
                sheet.write_number(r, _KIND_COL + 1, n)
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, len(header), 11)
        sheet.set_column(_KIND_COL, _KIND_COL, 14)
        sheet.set_column(_KIND_COL + 1, _KIND_COL + 1, 11)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(counts), 1), len(header) - 1)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)  # printed, the tables and the charts beside them stay on one page wide
        if counts:
            self._charts(book, sheet, len(counts), len(per_kind))

    def _charts(self, book, sheet, docs: int, kinds: int):
        """Native charts: facts per document, stacked by type; indicators per section kind."""
        name = sheet.get_name()
        per_doc = book.add_chart({"type": "column", "subtype": "stacked"})
        for c, fact_type in enumerate(FACT_TYPES, 1):
            per_doc.add_series({"name": [name, 0, c], "categories": [name, 1, 0, docs, 0],
                                "values": [name, 1, c, docs, c], "gap": 60,
                                "fill": {"color": _TYPE_COLORS[fact_type]}})
        per_doc.set_title({"name": "Facts per document and type", "name_font": {"size": 12}})
        per_doc.set_x_axis({"num_font": {"rotation": -45, "size": 8}})
        per_doc.set_y_axis({"name": "facts", "major_gridlines": {"visible": True}})
        per_doc.set_legend({"position": "top"})
        # a fixed plot area: long document names below it must not squeeze the columns
        per_doc.set_plotarea({"layout": {"x": 0.08, "y": 0.14, "width": 0.9, "height": 0.5}})
        height = 480
        per_doc.set_size({"width": max(640, 200 + 36 * docs), "height": height})
        sheet.insert_chart(1, _CHART_COL, per_doc)

        per_kind = book.add_chart({"type": "column"})
        per_kind.add_series({"name": [name, 0, _KIND_COL + 1], "categories": [name, 1, _KIND_COL, kinds, _KIND_COL],
                             "values": [name, 1, _KIND_COL + 1, kinds, _KIND_COL + 1],
                             "fill": {"color": _TYPE_COLORS["indicator"]}, "data_labels": {"value": True}})
        per_kind.set_title({"name": "Indicators per section kind", "name_font": {"size": 12}})
        per_kind.set_y_axis({"name": "indicators", "major_gridlines": {"visible": True}})
        per_kind.set_legend({"none": True})
        per_kind.set_size({"width": 480, "height": 300})
        sheet.insert_chart(3 + height // 20, _CHART_COL, per_kind)  # below the first (rows are 20 px)


class _Formats:
    """The cell formats of the fact sheets, each made once: top-aligned (rows grow with wrapped
    text), wrapped, and one per number format."""

    def __init__(self, book):
        self.book = book
        self.texts = TextFormats(book, {"top": {"valign": "top"}, "wrap": {"valign": "top", "text_wrap": True}})
        self.top = self.texts.format("top")
        self.wrap = self.texts.format("wrap")
        self._numbers = {None: self.top}

    def number(self, num_format: str | None):
        if num_format not in self._numbers:
            self._numbers[num_format] = self.book.add_format({"valign": "top", "num_format": num_format})
        return self._numbers[num_format]


_ROW_WRITERS = {"csv": CsvWriter, "jsonl": JsonlWriter, "json": JsonWriter, "md": MarkdownWriter}
ROW_FORMATS = tuple(_ROW_WRITERS)   # formats whose rows another process can write (see rows_text)


def rows_text(fmt: str, facts: Iterable[Fact]) -> str:
    """The rows of ``facts`` as the writer of ``fmt`` (one of :data:`ROW_FORMATS`) writes them: a
    worker process writes them, and the parent hands them to the writer's ``write_rows``."""
    return _ROW_WRITERS[fmt].rows(facts)


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
