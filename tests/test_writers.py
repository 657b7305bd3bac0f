"""Every output format: columns, numbers, the same bytes in another process, and the workbook's shape."""
from __future__ import annotations

import csv
import io
import json
import time

import pandas as pd
import pytest

from extractor.model import COLUMNS, Fact, to_frame
from extractor.io.writers import FORMATS, ROW_FORMATS, make_writer, render, rows_text

from .conftest import run_elsewhere

TEXT = "党支部2022年度工作情况报告\n一、主要工作情况\n新接收入党积极分子9名，农村卫生厕所普及率达92.5%以上。\n"


def _facts() -> list[Fact]:
    sentence = "新接收入党积极分子9名，农村卫生厕所普及率达92.5%以上。"
    return [
        Fact(doc="a.txt", type="heading", id="h1", section="", section_kind="other", level=0,
             name="党支部2022年度工作情况报告", text="党支部2022年度工作情况报告", start=0, end=15, line=1,
             sentence="党支部2022年度工作情况报告"),
        Fact(doc="a.txt", type="heading", id="h2", section="主要工作情况", section_kind="review", level=1,
             name="主要工作情况", text="一、主要工作情况", start=16, end=24, line=2, sentence="一、主要工作情况"),
        Fact(doc="a.txt", type="indicator", id="i1", section="主要工作情况", section_kind="review",
             name="新接收入党积极分子", key="新接收入党积极分子", value=9.0, unit="名", qualifier="exact",
             period="2022", text="新接收入党积极分子9名", start=25, end=36, line=3, sentence=sentence),
        Fact(doc="a.txt", type="indicator", id="i2", section="主要工作情况", section_kind="review",
             name="农村卫生厕所普及率", key="农村卫生厕所普及率·增长", value=92.5, unit="%", qualifier="over",
             direction="up", time="2022年", period="2022", text="农村卫生厕所普及率达92.5%以上", start=37, end=55,
             line=3, sentence=sentence),
        Fact(doc="a.txt", type="task", id="t1", section="主要工作情况", section_kind="plan", name="强化理论武装",
             time="明年", period="2023", text="强化理论武装", start=25, end=31, line=3, sentence="x"),
    ]


def _render(fmt, bom=False):
    return render(fmt, [("a.txt", TEXT, _facts())], bom=bom)


@pytest.fixture(scope="module")
def rendered_here_and_elsewhere(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Every format rendered here, and then by another process (another hash seed and time zone) at
    least 1.5 seconds later: a time stamp, a set order or a local time in the output would show."""
    folder = tmp_path_factory.mktemp("formats")
    here = {fmt: _render(fmt) for fmt in FORMATS}
    rendered = time.time()
    run_elsewhere(
        "import time\n"
        "from tests.test_writers import FORMATS, _render\n"
        f"while time.time() < {rendered + 1.5!r}:\n"
        "    time.sleep(0.05)\n"
        "for fmt in FORMATS:\n"
        f"    open({str(folder)!r} + '/' + fmt, 'wb').write(_render(fmt))\n")
    return here, {fmt: (folder / fmt).read_bytes() for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_same_bytes_in_another_process_and_later(fmt, rendered_here_and_elsewhere):
    here, elsewhere = rendered_here_and_elsewhere
    assert here[fmt] == elsewhere[fmt]


@pytest.mark.parametrize("fmt", ROW_FORMATS)
def test_rows_written_in_another_process_give_the_same_bytes(fmt):
    """A worker writes a document's rows as text (rows_text) and the parent passes it on: the bytes
    are those of the facts written here, an empty first document and a json array's first row too."""
    facts = _facts()
    docs = [("empty.txt", []), ("a.txt", facts[:2]), ("b.txt", facts[2:])]
    out = io.StringIO(newline="")
    writer = make_writer(fmt, out, bom=True)
    writer.begin()
    for _, rows in docs:
        writer.write_rows(rows_text(fmt, rows))
    writer.end()
    assert out.getvalue().encode("utf-8") == render(fmt, [(d, "", f) for d, f in docs], bom=True)


def test_csv_columns_numbers_and_bom():
    raw = _render("csv", bom=True).decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert rows[2]["value"] == "9" and rows[2]["unit"] == "名" and rows[2]["level"] == ""
    assert rows[3]["value"] == "92.5" and rows[3]["qualifier"] == "over"
    assert rows[1]["level"] == "1"
    assert not _render("csv").decode("utf-8").startswith("\ufeff")


def test_jsonl_and_json_agree():
    lines = [json.loads(x) for x in _render("jsonl").decode("utf-8").splitlines()]
    assert lines == json.loads(_render("json"))
    assert list(lines[0]) == list(COLUMNS)
    assert lines[2]["value"] == 9 and isinstance(lines[2]["value"], int)
    assert lines[0]["value"] is None and lines[0]["level"] == 0


def test_markdown_table():
    md = _render("md").decode("utf-8").splitlines()
    assert md[0] == "| " + " | ".join(COLUMNS) + " |"
    assert len(md) == 2 + len(_facts())


def test_html_review_marks_every_fact():
    page = _render("html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "i1 新接收入党积极分子=9名" in page and "i2 农村卫生厕所普及率=92.5% over" in page
    assert "h2 L1" in page


def test_parquet_round_trip():
    frame = pd.read_parquet(io.BytesIO(_render("parquet")))
    assert list(frame.columns) == list(COLUMNS)
    assert frame.loc[2, "value"] == 9 and pd.isna(frame.loc[0, "value"])


def test_to_frame_columns_and_dtypes():
    frame = to_frame(_facts())
    assert tuple(frame.columns) == COLUMNS
    assert str(frame["value"].dtype) == "Float64" and str(frame["level"].dtype) == "Int64"


def test_xlsx_workbook_shape():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_render("xlsx")))
    assert book.sheetnames == ["summary", "headings", "indicators", "tasks"]
    ind = book["indicators"]
    assert [c.value for c in ind[1]] == list(COLUMNS)
    assert ind.freeze_panes == "A2"
    assert ind.auto_filter.ref and ind.auto_filter.ref.startswith("A1")
    assert ind.cell(2, COLUMNS.index("value") + 1).value == 9
    assert ind.cell(3, COLUMNS.index("value") + 1).value == 92.5
    assert isinstance(ind.cell(2, COLUMNS.index("start") + 1).value, int)
    assert ind.column_dimensions["A"].width > 10
    summary = book["summary"]
    assert [c.value for c in summary[1]][:5] == ["doc", "heading", "indicator", "task", "total"]
    assert [c.value for c in summary[2]][:5] == ["a.txt", 2, 2, 1, 5]
