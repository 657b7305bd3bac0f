"""The `extract` command end to end, through typer's runner and as a subprocess."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app

from .conftest import CORPUS

runner = CliRunner()

REPORT = """某镇2023年度工作总结

一、主要工作情况
全镇新增就业1244人，同比增长2.1%。组织108名干部参与走访，发放明白册576份。
二、2024年工作计划
力争新增就业1300人以上。
"""


def _run(*args, stdin: str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=stdin)


def _jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "reports"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(REPORT, encoding="utf-8")
    (d / "sub" / "b.txt").write_bytes(REPORT.replace("1244", "2853").encode("gbk"))
    (d / "c.md").write_text(REPORT, encoding="utf-8")
    return d


def test_jsonl_rows_point_into_the_document(folder):
    r = _run(folder / "a.txt", "--format", "jsonl", "-q")
    assert r.exit_code == 0, r.output
    rows = _jsonl(r.stdout)
    assert {row["type"] for row in rows} == {"heading", "indicator", "task"}
    for row in rows:
        assert REPORT[row["start"]:row["end"]] == row["text"]
        assert row["doc"] == "a.txt"
    values = {(row["value"], row["unit"]) for row in rows if row["type"] == "indicator"}
    assert (1244, "人") in values and (576, "份") in values


def test_folder_with_a_binary_and_an_empty_file(folder):
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    r = _run(folder, "--format", "jsonl", "--jobs", "1")
    assert r.exit_code == 1
    docs = {row["doc"] for row in _jsonl(r.stdout)}
    assert docs == {"a.txt", "c.md", "sub/b.txt"}
    err = [line for line in r.stderr.splitlines() if line.strip()]
    assert sum("broken.txt: binary file" in line for line in err) == 1
    assert sum("empty.txt: empty file" in line for line in err) == 1
    assert "Traceback" not in r.stderr
    assert err[-1].startswith("extract: 4 files read") and "1 failed" in err[-1]


def test_same_rows_from_any_encoding(tmp_path):
    texts = {}
    for enc, bom in (("utf-8", b""), ("gbk", b""), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"\xef\xbb\xbf")):
        p = tmp_path / f"{enc}-{len(bom)}.txt"
        p.write_bytes(bom + REPORT.encode(enc))
        rows = _jsonl(_run(p, "--format", "jsonl", "-q").stdout)
        texts[p.name] = [{k: v for k, v in row.items() if k != "doc"} for row in rows]
    first = next(iter(texts.values()))
    assert first and all(rows == first for rows in texts.values())


def test_csv_to_a_file_has_a_bom_and_the_columns(folder, tmp_path):
    out = tmp_path / "out.csv"
    r = _run(folder / "a.txt", "-o", out, "-q")
    assert r.exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["doc"] == "a.txt" and "sentence" in rows[0]


def test_output_dir_gets_one_file_per_input(folder, tmp_path):
    out = tmp_path / "out"
    r = _run(folder, "-o", f"{out}/", "--format", "jsonl", "-q")
    assert r.exit_code == 0, r.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jsonl"))
    assert written == ["a.jsonl", "c.jsonl", "documents.jsonl", "sub/b.jsonl"]
    records = _jsonl((out / "documents.jsonl").read_text(encoding="utf-8"))
    assert [r["doc"] for r in records] == ["a.txt", "c.md", "sub/b.txt"]
    assert {r["kind"] for r in records} == {"summary"} and {r["year"] for r in records} == {2023}
    assert not list(out.rglob(".*.part"))


def test_types_filter(folder):
    rows = _jsonl(_run(folder / "a.txt", "--format", "jsonl", "--types", "task,heading", "-q").stdout)
    assert rows and {row["type"] for row in rows} == {"task", "heading"}


def test_stdin(folder):
    r = _run("-", "--format", "jsonl", "-q", stdin=REPORT)
    assert r.exit_code == 0
    assert {row["doc"] for row in _jsonl(r.stdout)} == {"-"}


def test_output_is_byte_for_byte_stable(folder, tmp_path):
    a, b = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    _run(folder, "-o", a, "-q", "--jobs", "1")
    _run(folder, "-o", b, "-q", "--jobs", "2")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("args,message", [
    (["{missing}"], "no such file or folder"),
    (["{folder}/a.txt", "--format", "pdf"], "unknown --format 'pdf'"),
    (["{folder}/a.txt", "--types", "figures"], "unknown --types figures"),
    (["{folder}/a.txt", "-o", "{folder}/a.txt"], "output would overwrite this input"),
    (["{folder}", "-o", "{folder}/", "--format", "md"], "output would overwrite this input"),
    (["{folder}/a.txt", "--rules", "{missing}"], "rules directory not found"),
])
def test_usage_errors_are_one_line(folder, tmp_path, args, message):
    args = [a.format(folder=folder, missing=tmp_path / "missing") for a in args]
    r = _run(*args)
    assert r.exit_code in (1, 2)
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert len([line for line in r.stderr.splitlines() if line.strip()]) <= 2


def test_unsupported_extension_exit_code(tmp_path):
    p = tmp_path / "report.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0")
    r = _run(p)
    assert r.exit_code == 1
    assert "unsupported file type '.doc'" in r.stderr


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the bundled sample corpus is missing")
def test_workbook_of_the_sample_corpus(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "corpus.xlsx"
    r = _run(CORPUS, "--format", "xlsx", "-o", out, "-q")
    assert r.exit_code == 0, r.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["summary", "documents", "headings", "indicators", "tasks"]
    docs = sorted(p.name for p in CORPUS.glob("*.txt"))
    summary = [row for row in book["summary"].iter_rows(min_row=2, values_only=True)]
    assert [row[0] for row in summary] == docs
    assert all(row[2] > 0 for row in summary), "every sample report has indicators"
    assert book["indicators"].max_row > 50


def test_module_entry_point(folder):
    cp = subprocess.run([sys.executable, "-m", "extractor", str(folder / "a.txt"), "--format", "jsonl", "-q"],
                        capture_output=True, text=True, encoding="utf-8")
    assert cp.returncode == 0, cp.stderr
    assert _jsonl(cp.stdout)


LEAVE = """
import sys, threading, time
from extractor.cli import _leave
def late():
    time.sleep(0.3)
    open(sys.argv[1], "w").write("done")
if sys.argv[2] == "thread":
    threading.Thread(target=late).start()
print("out", end="")      # buffered: _leave flushes it
_leave(int(sys.argv[3]))
"""


@pytest.mark.parametrize("thread", ["thread", "none"])
def test_the_command_ends_as_sys_exit_would(tmp_path, thread):
    marker = tmp_path / "marker"
    cp = subprocess.run([sys.executable, "-c", LEAVE, str(marker), thread, "3"], capture_output=True, text=True)
    assert (cp.returncode, cp.stdout, cp.stderr) == (3, "out", "")
    # a thread still running is waited for, as the interpreter's own exit waits for it
    assert marker.exists() == (thread == "thread")
