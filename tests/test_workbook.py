"""The xlsx workbook shows the picture: native charts on the summary sheet, numbers typed as numbers
with a number format per unit, long text wrapped, the same bytes for the same facts — checked by
reading the bundled corpus's workbook back (openpyxl, the zip's parts) and by opening it in
LibreOffice where it is installed."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT, run_elsewhere

from extractor.io.writers import render, value_format
from extractor.model import COLUMNS, FACT_TYPES, SECTION_KINDS

openpyxl = pytest.importorskip("openpyxl")

SAMPLES = sorted(CORPUS.glob("*.txt"))
pytestmark = pytest.mark.skipif(not SAMPLES, reason="the bundled sample corpus is missing")

# every bundled report extracted and rendered as xlsx, printed to stdout: run here and in another process
RENDER_CORPUS = """
import sys
from pathlib import Path
from extractor import extract_path
from extractor.io.writers import render
paths = sorted(Path("corpus").glob("*.txt"))
sys.stdout.buffer.write(render("xlsx", [(p.name, "", extract_path(p)) for p in paths]))
"""


@pytest.fixture(scope="module")
def corpus_facts() -> list[tuple[str, str, list]]:
    from extractor import extract_path

    return [(p.name, "", extract_path(p)) for p in SAMPLES]


@pytest.fixture(scope="module")
def workbook_bytes(corpus_facts) -> bytes:
    return render("xlsx", corpus_facts)


@pytest.fixture(scope="module")
def book(workbook_bytes):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes))


@pytest.fixture(scope="module")
def cli_workbook(tmp_path_factory) -> Path:
    """The main job: ``extract corpus/ -o corpus.xlsx``, run as a user runs it."""
    out = tmp_path_factory.mktemp("cli") / "corpus.xlsx"
    done = subprocess.run([sys.executable, "-m", "extractor", str(CORPUS), "-o", str(out), "-q"],
                          cwd=ROOT, capture_output=True, timeout=900, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return out


def _header(sheet) -> list[str]:
    return [c.value for c in sheet[1] if c.value is not None]


# ---- charts ----------------------------------------------------------------------------------------

def test_the_zip_holds_chart_parts_drawn_on_the_summary_sheet(cli_workbook):
    with zipfile.ZipFile(cli_workbook) as z:
        names = set(z.namelist())
        assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= names
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        # the summary sheet's part, through the workbook's relationships
        rid = workbook.split('name="summary"')[1].split('r:id="')[1].split('"')[0]
        target = rels.split(f'Id="{rid}"')[1].split('Target="')[1].split('"')[0]
        sheet_rels = z.read(f"xl/worksheets/_rels/{Path(target).name}.rels").decode()
        drawing = sheet_rels.split("../drawings/")[1].split('"')[0]
        drawing_rels = z.read(f"xl/drawings/_rels/{drawing}.rels").decode()
        assert "../charts/chart1.xml" in drawing_rels and "../charts/chart2.xml" in drawing_rels
        assert "<c:grouping val=\"stacked\"/>" in z.read("xl/charts/chart1.xml").decode()


def test_the_corpus_workbook_opens_with_its_charts(cli_workbook):
    book = openpyxl.load_workbook(cli_workbook)
    summary = book["summary"]
    charts = summary._charts
    assert len(charts) == 2
    per_doc, per_kind = charts
    assert (per_doc.type, per_doc.grouping) == ("col", "stacked")
    assert len(per_doc.series) == len(FACT_TYPES)
    n = len(SAMPLES)
    assert [s.val.numRef.f for s in per_doc.series] == [f"summary!${c}$2:${c}${n + 1}" for c in "BCD"]
    assert per_doc.series[0].cat.strRef.f == f"summary!$A$2:$A${n + 1}"
    assert per_kind.type == "col" and len(per_kind.series) == 1
    assert per_kind.series[0].cat.strRef.f == f"summary!$G$2:$G${len(SECTION_KINDS) + 1}"
    assert per_kind.series[0].val.numRef.f == f"summary!$H$2:$H${len(SECTION_KINDS) + 1}"


def test_the_charts_data_counts_the_facts(book, corpus_facts):
    summary = book["summary"]
    rows = list(summary.iter_rows(min_row=2, max_row=len(SAMPLES) + 1, max_col=5, values_only=True))
    for (doc, _, facts), row in zip(corpus_facts, rows, strict=True):
        per_type = Counter(str(f.type) for f in facts)
        assert row == (doc, *(per_type[t] for t in FACT_TYPES), len(facts))
    kinds = {summary.cell(r, 7).value: summary.cell(r, 8).value for r in range(2, len(SECTION_KINDS) + 2)}
    indicators = [f for _, _, facts in corpus_facts for f in facts if f.type == "indicator"]
    assert kinds == {k: sum(str(f.section_kind) == k for f in indicators) for k in SECTION_KINDS}
    assert all(isinstance(v, int) for v in kinds.values())


def test_no_facts_no_charts():
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", [])))
    assert book["summary"]._charts == []


# ---- numbers and their formats -----------------------------------------------------------------------

@pytest.mark.parametrize("unit,value,expected", [
    ("%", 5.2, '0.0#"%"'),           # 5.2 means 5.2 percent: the number is stored as read
    ("%", 92.0, '0.0#"%"'),
    ("‰", 3.5, '0.0#"‰"'),
    ("百分点", 1.8, "0.0#"),
    ("元", 150000000.0, "#,##0"),
    ("元", 0.35, "#,##0.##"),
    ("美元", 23800000.0, "#,##0"),
    ("名", 126.0, "#,##0"),
    ("人次", 10500.0, "#,##0"),
    ("吨", 216000.0, "#,##0"),
    ("亩", 0.8, "#,##0.##"),
    ("", 12.0, None),                # a bare number: General
])
def test_value_format_by_unit(unit, value, expected):
    assert value_format(unit, value) == expected


def test_indicator_values_are_numbers_formatted_by_unit(book, corpus_facts):
    sheet = book["indicators"]
    assert _header(sheet) == list(COLUMNS)
    col = {name: i + 1 for i, name in enumerate(COLUMNS)}
    facts = [f for _, _, fs in corpus_facts for f in fs if f.type == "indicator"]
    assert sheet.max_row == len(facts) + 1
    seen = Counter()
    for r, fact in enumerate(facts, 2):
        for name in ("value", "value_max"):
            cell, expected = sheet.cell(r, col[name]), getattr(fact, name)
            if expected is None:
                assert cell.value is None
                continue
            assert cell.data_type == "n" and isinstance(cell.value, (int, float)), (fact.id, name)
            assert cell.value == pytest.approx(expected)   # never scaled: 5.2 % stays 5.2
            assert cell.number_format == (value_format(fact.unit, expected) or "General"), (fact.unit, expected)
            seen[fact.unit if fact.unit in ("%", "元", "百分点", "") else "count or measure"] += 1
        for name in ("start", "end", "line"):
            assert sheet.cell(r, col[name]).data_type == "n"
            assert isinstance(sheet.cell(r, col[name]).value, int)
    assert seen["%"] and seen["元"] and seen["百分点"] and seen["count or measure"], seen  # the corpus has each


def test_headings_levels_are_numbers(book):
    sheet = book["headings"]
    level = COLUMNS.index("level") + 1
    levels = [sheet.cell(r, level).value for r in range(2, sheet.max_row + 1)]
    assert levels and all(isinstance(v, int) for v in levels)


def test_long_text_wraps_in_a_wide_column(book):
    for name in ("headings", "indicators", "tasks"):
        sheet = book[name]
        for column in COLUMNS:
            letter = openpyxl.utils.get_column_letter(COLUMNS.index(column) + 1)
            cell = sheet[f"{letter}2"]
            wraps = bool(cell.alignment.wrap_text)
            assert wraps == (column in ("sentence", "text")), (name, column)
            if wraps:
                assert sheet.column_dimensions[letter].width >= 40
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1")


# ---- same facts, same bytes ----------------------------------------------------------------------------

def test_same_facts_same_bytes_here_and_in_another_process(workbook_bytes, corpus_facts):
    assert render("xlsx", corpus_facts) == workbook_bytes
    assert run_elsewhere(RENDER_CORPUS) == workbook_bytes


# ---- LibreOffice opens it ----------------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install "
                                            "libreoffice-calc-nogui to open the workbook in a real spreadsheet")
def test_libreoffice_converts_the_corpus_workbook(cli_workbook, tmp_path):
    # its own profile: another soffice running on the machine must not share (and lock) ours
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(cli_workbook)],
                          capture_output=True, timeout=600)
    pdf = tmp_path / "corpus.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr.decode("utf-8", "replace")
    assert pdf.read_bytes().startswith(b"%PDF")
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    first = document[0].get_textpage().get_text_range()
    # the summary sheet prints first, one page wide: its tables and both charts' titles
    assert "company-cable-manufacturer-annual-summary-2023.txt" in first
    assert "Facts per document and type" in first and "Indicators per section kind" in first
