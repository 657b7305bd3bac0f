"""Nothing lost, nothing half-written: every input is in the output or in the errors; an interrupted
run (SIGINT to the process) leaves the previous output exactly as it was — one file, a folder of
files, a store; a worker killed with SIGKILL costs at most its documents, each told in one line;
inputs of the same name get distinct files."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_robust_cli import (BINARY, REPORT, big_reports, csv_rows, one_line_errors, process_env, run_cli,
                              run_process)

linux_only = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads a process's children from /proc")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _start(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "extractor", *map(str, args)], env=process_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_workers(process: subprocess.Popen, count: int = 1, timeout: float = 120) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()
        kids = _children(process.pid)
        if len(kids) >= count:
            return kids
        time.sleep(0.1)
    pytest.fail("the run started no workers")


def _snapshot(path: Path) -> dict[str, bytes]:
    """Every file at or below ``path`` (hidden ones too) with its bytes."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


# ---- --errors

def test_errors_file_lists_every_failed_input_and_the_rest_is_in_the_output(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text(REPORT, encoding="utf-8")
    (reports / "b.bin.txt").write_bytes(BINARY)
    (reports / "c.docx").write_bytes(b"not a zip at all")
    errors = tmp_path / "errors.jsonl"
    r = run_cli(reports, tmp_path / "missing.txt", "-o", tmp_path / "out.jsonl", "--errors", errors, "-q")
    assert r.exit_code == 1
    told = one_line_errors(r.stderr)
    failed = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert sorted(Path(f["path"]).name for f in failed) == ["b.bin.txt", "c.docx", "missing.txt"]
    assert all(any(f["reason"] in line for line in told) for f in failed)
    written = {json.loads(line)["doc"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()}
    assert written == {"a.txt"}


def test_errors_file_is_written_empty_when_nothing_failed(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    errors = tmp_path / "errors.csv"
    errors.write_text("stale\n", encoding="utf-8")
    r = run_cli(tmp_path / "a.txt", "-o", tmp_path / "out.csv", "--errors", errors, "-q")
    assert r.exit_code == 0
    assert errors.read_bytes() == "\ufeffpath,reason\r\n".encode("utf-8")


def test_a_run_that_reads_nothing_leaves_the_previous_output(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run_cli(tmp_path / "a.txt", "-o", out, "-q").exit_code == 0
    before = out.read_bytes()
    (tmp_path / "a.txt").write_bytes(BINARY)
    r = run_cli(tmp_path / "a.txt", "-o", out, "--errors", tmp_path / "errors.csv", "-q")
    assert r.exit_code == 1
    assert out.read_bytes() == before
    assert [row["path"] for row in csv_rows((tmp_path / "errors.csv").read_bytes())] == [str(tmp_path / "a.txt")]


# ---- same names

def test_inputs_of_the_same_name_get_distinct_files(tmp_path):
    for folder, value in (("a", "1111"), ("b", "2222"), ("c", "3333")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(REPORT.replace("1244", value), encoding="utf-8")
    out = tmp_path / "out"
    r = run_cli(tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt", tmp_path / "c" / "x.txt", "-o", f"{out}/",
                "-f", "jsonl")
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in out.iterdir())
    assert files == ["documents.jsonl", "x-2.jsonl", "x-3.jsonl", "x.jsonl"]
    values = {name: {json.loads(line)["value"] for line in (out / name).read_text(encoding="utf-8").splitlines()}
              for name in ("x.jsonl", "x-2.jsonl", "x-3.jsonl")}
    assert 1111 in values["x.jsonl"] and 2222 in values["x-2.jsonl"] and 3333 in values["x-3.jsonl"]
    notes = [line for line in r.stderr.splitlines() if line.startswith("extract: note:")]
    assert len(notes) == 2 and notes[0].endswith("x-2.jsonl")


# ---- interrupted runs

def _previous_output(kind: str, tmp_path: Path) -> tuple[Path, list[str]]:
    """An output of an earlier run, and the options that write it again."""
    (tmp_path / "small").mkdir()
    for k in range(3):
        (tmp_path / "small" / f"big{k}.txt").write_text(REPORT.replace("1244", str(k)), encoding="utf-8")
    target = {"file": tmp_path / "facts.csv", "folder": tmp_path / "facts", "store": tmp_path / "facts.sqlite"}[kind]
    options = ["-o", f"{target}/" if kind == "folder" else target]
    r = run_cli(tmp_path / "small", *options, "-q", "--errors", tmp_path / "errors.csv")
    assert r.exit_code == 0, r.output
    return target, options


@linux_only
@pytest.mark.parametrize("kind", ["file", "folder", "store"])
def test_ctrl_c_leaves_the_previous_output_exactly_as_it_was(tmp_path, kind):
    target, options = _previous_output(kind, tmp_path)
    before = _snapshot(tmp_path)
    reports = big_reports(tmp_path / "reports", copies=40)   # busy long after the signal, however fast
    run = _start(reports, *options, "-j", "2", "--errors", tmp_path / "errors.csv")
    workers = _wait_for_workers(run, 2)
    time.sleep(1.0)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 130
    assert one_line_errors(stderr) == ["extract: error: interrupted; the previous output is left as it was"]
    after = {k: v for k, v in _snapshot(tmp_path).items() if not k.startswith("reports")}
    assert after == before            # the same files, byte for byte: nothing new, nothing half-written
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]


@linux_only
def test_sigterm_is_handled_as_ctrl_c(tmp_path):
    target, options = _previous_output("file", tmp_path)
    before = target.read_bytes()
    run = _start(big_reports(tmp_path / "reports", copies=40), *options, "-j", "2")
    _wait_for_workers(run, 2)
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 130
    assert len(one_line_errors(stderr)) == 1
    assert target.read_bytes() == before and not list(tmp_path.glob(".*.part"))


# ---- killed workers

@linux_only
def test_a_worker_killed_costs_nothing_its_documents_are_read_again(tmp_path):
    reports = big_reports(tmp_path / "reports", count=4, copies=6)
    errors = tmp_path / "errors.csv"
    run = _start(reports, "-j", "2", "-o", tmp_path / "out.csv", "--errors", errors)
    victim = _wait_for_workers(run, 2)[0]
    os.kill(victim, signal.SIGKILL)
    _, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr.decode()
    one_line_errors(stderr)
    docs = {row["doc"] for row in csv_rows((tmp_path / "out.csv").read_bytes())}
    assert docs == {f"big{k}.txt" for k in range(4)}
    assert csv_rows(errors.read_bytes()) == []


@linux_only
def test_workers_killed_again_and_again_fail_their_documents_one_line_each(tmp_path):
    """Every process that reads a document is killed as soon as it appears, the pool's workers and
    the processes that read a document again alike: each input is told once, as an error."""
    reports = big_reports(tmp_path / "reports", count=3, copies=6)
    (reports / "binary.txt").write_bytes(BINARY)
    errors = tmp_path / "errors.csv"
    out = tmp_path / "out.csv"
    out.write_text("previous\n", encoding="utf-8")
    run = _start(reports, "-j", "2", "-o", out, "--errors", errors)
    killed: set[int] = set()
    deadline = time.monotonic() + 300
    while run.poll() is None and time.monotonic() < deadline:
        for pid in _children(run.pid):
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except ProcessLookupError:
                pass
        time.sleep(0.05)
    _, stderr = run.communicate(timeout=60)
    assert killed and run.returncode == 1
    told = one_line_errors(stderr)
    failed = {Path(row["path"]).name: row["reason"] for row in csv_rows(errors.read_bytes())}
    assert set(failed) == {"big0.txt", "big1.txt", "big2.txt", "binary.txt"}
    assert sum("stopped unexpectedly" in reason for reason in failed.values()) >= 1
    assert len(told) == 4 and all(any(name in line for line in told) for name in failed)
    assert out.read_text(encoding="utf-8") == "previous\n"      # nothing was read: the output stays


# ---- the store

def test_a_store_grows_in_a_copy(tmp_path):
    """The store at its path is only ever replaced whole: a second run over changed inputs gives a
    store with both runs' documents, and no journal or temporary file beside it."""
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.txt").write_text(REPORT, encoding="utf-8")
    store = tmp_path / "facts.sqlite"
    assert run_cli(tmp_path / "r", "-o", store, "-q").exit_code == 0
    (tmp_path / "r" / "b.txt").write_text(REPORT.replace("1244", "77"), encoding="utf-8")
    r = run_cli(tmp_path / "r", "-o", store)
    assert r.exit_code == 0 and "1 unchanged" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.sqlite", "r"]
    db = sqlite3.connect(store)
    try:
        assert [d for (d,) in db.execute("SELECT doc FROM documents ORDER BY doc")] == ["a.txt", "b.txt"]
    finally:
        db.close()
