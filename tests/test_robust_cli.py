"""The command's promises, through the command: a clean --help, one line and an exit code for every
failure (never a traceback), exit 2 for any bad rules file, and one bad file never loses the
others' rows. Shared helpers of the test_robust_* modules live here."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app

from .conftest import CORPUS, ROOT

REPORT = """某镇2023年度工作总结

一、主要工作情况
全镇新增就业1244人，同比增长2.1%。组织108名干部参与走访，发放明白册576份。
二、2024年工作计划
力争新增就业1300人以上。
"""
BINARY = bytes(range(256)) * 16


def run_cli(*args, stdin: str | None = None):
    """The command in this process (typer's runner): quick, the pipeline is built once."""
    return CliRunner().invoke(app, [str(a) for a in args], input=stdin)


def run_process(*args, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """The command as a process of its own, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], env=process_env(),
                          capture_output=True, timeout=timeout, **kwargs)


def process_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "EXTRACT_DEBUG"}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def one_line_errors(stderr: str | bytes) -> list[str]:
    """The error lines of a run's stderr, checked to be lines of the command (no traceback)."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text and "Exception ignored" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert all(line.startswith("extract: ") for line in lines), text
    return [line for line in lines if line.startswith("extract: error: ")]


def csv_rows(data: str | bytes) -> list[dict]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def big_reports(folder: Path, count: int = 4, copies: int = 12) -> Path:
    """``count`` reports of the sample corpus repeated ``copies`` times each: a few seconds of work
    per report, for tests that need a run to be busy."""
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    for k in range(count):
        (folder / f"big{k}.txt").write_text(text * copies, encoding="utf-8")
    return folder


# ---- help

def test_help_shows_plain_metavars():
    r = run_cli("--help")
    assert r.exit_code == 0
    assert "{PATH" not in r.output and "<list[str]>" not in r.output and "<int range>" not in r.output
    assert "[OPTIONS] PATH..." in r.output
    assert "--errors FILE" in r.output and "-j, --jobs N" in r.output


# ---- never a traceback

@pytest.mark.parametrize("args, code, says", [
    (["missing.txt"], 1, "missing.txt: no such file or folder"),
    (["{bin}"], 1, "bin.txt: binary file"),
    (["{ok}", "--format", "nope"], 2, "unknown --format 'nope'"),
    (["{ok}", "--types", "figure"], 2, "unknown --types figure"),
    (["{ok}", "--pivot", "--track"], 2, "two different tables"),
    (["{ok}", "-o", "{ok}"], 2, "output would overwrite this input"),
    (["{ok}", "--rules", "no-such-rules"], 2, "rules directory not found"),
    (["{ok}", "-o", "{notstore}"], 1, "not a store"),
    (["{notstore}", "--pivot"], 1, "not a store"),
])
def test_every_failure_is_one_line_and_an_exit_code(tmp_path, args, code, says):
    (tmp_path / "ok.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(BINARY)
    (tmp_path / "notstore.sqlite").write_bytes(b"this is not a database, only text " * 100)
    names = {"ok": tmp_path / "ok.txt", "bin": tmp_path / "bin.txt", "notstore": tmp_path / "notstore.sqlite"}
    r = run_cli(*[a.format(**names) for a in args], "-q")
    assert r.exit_code == code, r.output
    errors = one_line_errors(r.stderr)
    assert len(errors) == 1 and says in errors[0], r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_an_internal_error_is_one_line_and_exit_1(tmp_path, monkeypatch):
    """A bug outside the per-document work (here: in the writer) still ends in one line."""
    from extractor.io import writers

    (tmp_path / "ok.txt").write_text(REPORT, encoding="utf-8")

    def broken(self, doc, text, facts):
        raise ZeroDivisionError("a bug")
    monkeypatch.setattr(writers.JsonlWriter, "write", broken)
    r = run_cli(tmp_path / "ok.txt", "-f", "jsonl", "-q")
    assert r.exit_code == 1
    assert one_line_errors(r.stderr) == ["extract: error: internal error (ZeroDivisionError: a bug); "
                                         "EXTRACT_DEBUG=1 shows where"]


# ---- exit 2 for any bad rules file

BAD_RULES = {
    "a row longer than its header": ("units.tsv", "text\tunit\tkind\tfactor\tnot_before\n标准箱\t标准箱\tmeasure\t\t\t\textra\n",
                                     "units.tsv:2: 7 fields but the header has 5"),
    "a kind that does not exist": ("units.tsv", "text\tunit\tkind\tfactor\tnot_before\n标准箱\t标准箱\tweight\t\t\n",
                                   "units.tsv:2: column 'kind'"),
    "a regex that does not compile": ("non_quantity_patterns.tsv", "name\tpattern\treason\nbad\t[unclosed\tx\n",
                                      "non_quantity_patterns.tsv:2: column 'pattern': bad pattern"),
    "nested quantifiers": ("non_quantity_patterns.tsv", "name\tpattern\treason\nslow\t(一+)+届\tx\n",
                           "non_quantity_patterns.tsv:2: column 'pattern': nested quantifiers in '(一+)+'"),
    "a catastrophic fragment": ("fragments.tsv", "name\tpattern\tmeaning\nMine\t(?:[一二]|[一三])*\tx\n",
                                "fragments.tsv:2: fragment Mine: nested quantifiers"),
    "an unknown fragment": ("task_past.tsv", "pattern\n{NoSuchFragment}已\n",
                            "task_past.tsv:2: column 'pattern': unknown fragment {NoSuchFragment}"),
    "a header unlike the bundled one": ("headings.tsv", "role\tscheme\tregex\tnumeral\n",
                                        "headings.tsv:1: header differs"),
    "broken JSON": ("spans_cues.jsonl", '{"label": "DIR_UP", "pattern": [\n', "spans_cues.jsonl:1: invalid JSON"),
    "not UTF-8": ("non_quantity.txt", "三新一高\n".encode("gbk"), "non_quantity.txt: not UTF-8 text"),
}


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_any_bad_rules_file_is_exit_2_naming_file_and_line(tmp_path, case):
    name, content, says = BAD_RULES[case]
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    reports = tmp_path / "reports"
    reports.mkdir()
    for k in range(3):
        (reports / f"r{k}.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out.csv"
    r = run_cli(reports, "--rules", rules, "-o", out, "-q")
    assert r.exit_code == 2, r.output
    errors = one_line_errors(r.stderr)
    assert len(errors) == 1 and says in errors[0], r.stderr
    assert str(rules) in errors[0]
    assert not out.exists()      # found before any work


def test_a_bad_rules_file_in_a_folder_run_on_workers_is_exit_2(tmp_path):
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "task_patterns.tsv").write_text("name\tpattern\tmeaning\nmine\t(\\w+\\s?)*$\tx\n", encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    for k in range(4):
        (reports / f"r{k}.txt").write_text(REPORT, encoding="utf-8")
    done = run_process(reports, "--rules", rules, "-j", "2", "-o", tmp_path / "out.csv")
    assert done.returncode == 2
    errors = one_line_errors(done.stderr)
    assert len(errors) == 1 and "task_patterns.tsv:2: column 'pattern': nested quantifiers" in errors[0]


# ---- one bad file never loses the other files' rows

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_bad_file_never_loses_the_others_rows(tmp_path, jobs):
    reports = tmp_path / "reports"
    reports.mkdir()
    for k in range(3):
        (reports / f"good{k}.txt").write_text(REPORT.replace("1244", str(1000 + k)), encoding="utf-8")
    (reports / "binary.txt").write_bytes(BINARY)
    (reports / "fake.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (reports / "empty.md").write_text("", encoding="utf-8")
    errors_file = tmp_path / "errors.csv"
    done = run_process(reports, "-j", jobs, "--errors", errors_file, "-f", "jsonl")
    assert done.returncode == 1
    errors = one_line_errors(done.stderr)
    assert {e.split(":")[2].strip() for e in errors} == {"binary.txt", "fake.docx"}
    docs = {line.split('"doc": "')[1].split('"')[0] for line in done.stdout.decode().splitlines()}
    assert docs == {"good0.txt", "good1.txt", "good2.txt"}
    failed = csv_rows(errors_file.read_bytes())
    assert [Path(r["path"]).name for r in failed] == ["binary.txt", "fake.docx"]
    assert all(r["reason"] for r in failed)
