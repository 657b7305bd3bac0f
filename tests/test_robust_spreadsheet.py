"""Spreadsheet safety: text that a spreadsheet would read as a formula stays text in CSV and xlsx
(read back, and converted by LibreOffice), numbers stay numbers; a fact type past a sheet's rows
continues on further sheets with the summary's counts intact; a cell past Excel's length is cut."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from extractor.io import tables

from .test_robust_cli import csv_rows, one_line_errors, run_cli

openpyxl = pytest.importorskip("openpyxl")

FORMULAS = ['=HYPERLINK("http://x","y")', "+1-2", "@SUM(A1)", "-2+3"]
REPORT = ("某公司2023年工作总结\n\n"
          + "".join(f"{n}、{f}\n全年实现净利润-300万元，新增客户12{k}户。\n"
                    for k, (n, f) in enumerate(zip("一二三四", FORMULAS))))


@pytest.fixture()
def report(tmp_path) -> Path:
    p = tmp_path / "report.txt"
    p.write_text(REPORT, encoding="utf-8")
    return p


def _text_columns() -> list[str]:
    from extractor.io.writers import NUMERIC
    from extractor.model import COLUMNS

    return [c for c in COLUMNS if c not in NUMERIC]


def test_csv_keeps_formula_like_text_as_text_and_numbers_as_numbers(tmp_path, report):
    out = tmp_path / "facts.csv"
    r = run_cli(report, "-o", out, "-q")
    assert r.exit_code == 0, r.output
    rows = csv_rows(out.read_bytes())
    names = [row["name"] for row in rows if row["type"] == "heading"][1:]
    assert names == ["'" + f for f in FORMULAS]
    for row in rows:
        for col in _text_columns():
            assert not row[col].startswith(tables.FORMULA_STARTS), (col, row[col])
    values = [row["value"] for row in rows if row["type"] == "indicator" and row["name"] == "净利润"]
    assert values == ["-3000000"] * 4         # a negative number is a number, not quoted


def test_xlsx_keeps_formula_like_text_as_string_cells(tmp_path, report):
    out = tmp_path / "facts.xlsx"
    r = run_cli(report, "-o", out, "-q")
    assert r.exit_code == 0, r.output
    sheet = openpyxl.load_workbook(out)["headings"]
    header = [c.value for c in sheet[1]]
    name = header.index("name")
    cells = [row[name] for row in sheet.iter_rows(min_row=3)]
    assert [c.value for c in cells] == FORMULAS          # the text itself, unchanged
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    values = openpyxl.load_workbook(out)["indicators"]
    header = [c.value for c in values[1]]
    value, name = header.index("value"), header.index("name")
    assert [row[value].value for row in values.iter_rows(min_row=2) if row[name].value == "净利润"] == [-3000000] * 4
    assert all(row[value].data_type == "n" for row in values.iter_rows(min_row=2))


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed here; .ci/run installs libreoffice-calc-nogui")
    return found


def test_libreoffice_converts_the_csv_without_a_formula(tmp_path, report):
    """LibreOffice reads the CSV with formulas evaluated: the tool's CSV gives string cells only;
    the same rows written without the apostrophes (the control) give formulas."""
    soffice = _soffice()
    safe = tmp_path / "safe.csv"
    assert run_cli(report, "-o", safe, "-q").exit_code == 0
    rows = list(csv.reader(io.StringIO(safe.read_text(encoding="utf-8-sig"))))
    raw = io.StringIO()
    csv.writer(raw, lineterminator="\r\n").writerows(
        [[c[1:] if c.startswith("'") else c for c in row] for row in rows])
    (tmp_path / "control.csv").write_text(raw.getvalue(), encoding="utf-8")
    # separator , (44), quote " (34), UTF-8 (76), from line 1 … evaluate formulas (token 13: true)
    done = subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,0,true",
                           "--convert-to", "xlsx", "--outdir", str(tmp_path / "converted"),
                           str(safe), str(tmp_path / "control.csv")], capture_output=True, timeout=300)
    assert (tmp_path / "converted" / "safe.xlsx").exists(), done.stderr.decode()

    def formulas(name: str) -> list[str]:
        sheet = openpyxl.load_workbook(tmp_path / "converted" / name).active
        return [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]

    assert formulas("control.xlsx"), "the control should hold formulas: the test would not see one"
    assert formulas("safe.xlsx") == []
    sheet = openpyxl.load_workbook(tmp_path / "converted" / "safe.xlsx").active
    texts = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"'" + f for f in FORMULAS} <= texts


def test_a_fact_type_past_a_sheets_rows_continues_on_further_sheets(tmp_path, monkeypatch):
    """Excel's 1,048,575 data rows, made 4 for the test (a real run past them takes 4 minutes and
    5 GB: measured by hand, see the README section)."""
    monkeypatch.setattr(tables, "SHEET_ROWS", 4)
    reports = tmp_path / "reports"
    reports.mkdir()
    for k in range(5):
        (reports / f"r{k}.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "facts.xlsx"
    r = run_cli(reports, "-o", out, "-q")
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(out)
    indicator_sheets = [n for n in book.sheetnames if n.startswith("indicators")]
    assert indicator_sheets == ["indicators"] + [f"indicators ({k})" for k in range(2, len(indicator_sheets) + 1)]
    assert len(indicator_sheets) > 2
    assert "documents (2)" in book.sheetnames             # five documents: two sheets of the documents table
    rows = {name: book[name].max_row - 1 for name in book.sheetnames}
    assert all(n <= 4 for name, n in rows.items() if name != "summary")
    summary = book["summary"]
    header = [c.value for c in summary[1]]
    per_doc = [dict(zip(header, (c.value for c in row))) for row in summary.iter_rows(min_row=2)]
    for fact_type, sheet in (("heading", "headings"), ("indicator", "indicators"), ("task", "tasks")):
        written = sum(n for name, n in rows.items() if name == sheet or name.startswith(f"{sheet} ("))
        assert sum(d[fact_type] for d in per_doc if d["doc"]) == written
    ids = [row[2].value for name in indicator_sheets for row in book[name].iter_rows(min_row=2)]
    assert len(ids) == len(set(zip(ids, [row[0].value for name in indicator_sheets
                                         for row in book[name].iter_rows(min_row=2)])))


def test_a_cell_past_excels_length_is_cut_without_a_warning(tmp_path):
    long_sentence = "全年新增就业1244人，" + "，".join(["持续推进各项工作"] * 5000) + "。"
    (tmp_path / "long.txt").write_text("某镇工作总结\n\n" + long_sentence + "\n", encoding="utf-8")
    out = tmp_path / "long.xlsx"
    r = run_cli(tmp_path / "long.txt", "-o", out, "-q")
    assert r.exit_code == 0 and r.stderr == "", r.stderr
    sheet = openpyxl.load_workbook(out)["indicators"]
    col = [c.value for c in sheet[1]].index("sentence")
    cell = sheet.cell(row=2, column=col + 1).value
    assert len(cell) == tables.CELL_CHARS and cell.endswith("…") and long_sentence.startswith(cell[:-1])
    one_line_errors(r.stderr)
