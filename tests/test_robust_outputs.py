"""Output paths: a device or a FIFO is written into or refused, never replaced; a symbolic link is
followed or refused, never replaced; a write that fails (a full disk, a closed pipe, a folder that
cannot be written) is one line and exit 1, and leaves the previous output as it was."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .test_robust_cli import REPORT, csv_rows, one_line_errors, process_env, run_cli, run_process


@pytest.fixture()
def report(tmp_path) -> Path:
    p = tmp_path / "report.txt"
    p.write_text(REPORT, encoding="utf-8")
    return p


def test_dev_null_is_written_into_and_stays_a_device(report):
    r = run_cli(report, "-o", "/dev/null", "-q")
    assert r.exit_code == 0, r.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    r = run_cli(report, "-o", "/dev/null", "-f", "xlsx", "-q")
    assert r.exit_code == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_with_a_reader_is_written_into(tmp_path, report):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    done = run_process(report, "-o", fifo, "-f", "csv", "-q")
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert {r["doc"] for r in csv_rows(got[0])} == {"report.txt"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_without_a_reader_is_refused_at_once(tmp_path, report):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    r = run_cli(report, "-o", fifo, "-q")
    assert r.exit_code == 1
    assert one_line_errors(r.stderr) == [f"extract: error: {fifo}: a FIFO (named pipe) that nothing reads: refused"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_symbolic_link_is_followed_and_kept(tmp_path, report):
    target = tmp_path / "real" / "facts.csv"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    r = run_cli(report, "-o", link, "-q")
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert {row["doc"] for row in csv_rows(target.read_bytes())} == {"report.txt"}
    assert sorted(p.name for p in target.parent.iterdir()) == ["facts.csv"]   # no temporary file left


def test_a_link_that_cannot_be_followed_is_refused(tmp_path, report):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.symlink_to(b)
    b.symlink_to(a)
    r = run_cli(report, "-o", a, "-q")
    assert r.exit_code == 1
    errors = one_line_errors(r.stderr)
    assert len(errors) == 1 and "a symbolic link that cannot be followed" in errors[0]
    assert a.is_symlink() and b.is_symlink()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_full_disk_is_one_line_and_exit_1(report):
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "extractor", str(report), "-q"], env=process_env(),
                              stdout=full, stderr=subprocess.PIPE, timeout=300)
    assert done.returncode == 1
    assert one_line_errors(done.stderr) == ["extract: error: stdout: cannot write: No space left on device"]
    done = run_process(report, "-o", "/dev/full", "-f", "xlsx", "-q")
    assert done.returncode == 1
    assert one_line_errors(done.stderr) == ["extract: error: /dev/full: cannot write: No space left on device"]


def test_a_closed_stdout_is_one_line_and_exit_1(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(REPORT * 400, encoding="utf-8")     # more rows than a pipe holds
    command = f'"{sys.executable}" -m extractor "{big}" -q | head -c 10 >/dev/null; echo "${{PIPESTATUS[0]}}" >&2'
    done = subprocess.run(["bash", "-c", command], env=process_env(), capture_output=True, timeout=300)
    lines = done.stderr.decode().splitlines()
    assert lines[-1] == "1", done.stderr
    assert one_line_errors("\n".join(lines[:-1])) == ["extract: error: stdout: cannot write: Broken pipe"]


def _without_write_permission() -> list[str]:
    """A command prefix under which the folder's mode is obeyed: as root, root without the
    capability to override file permissions (setpriv); else nothing."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root and setpriv is not here: a read-only folder would be written all the same")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
            "--inh-caps", "-dac_override,-dac_read_search", "--"]


@pytest.mark.parametrize("target", ["ro/out.csv", "ro/sub/out.csv", "ro/"])
def test_an_unwritable_folder_is_one_line_and_exit_1(tmp_path, report, target):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        done = subprocess.run([*_without_write_permission(), sys.executable, "-m", "extractor", str(report), "-q",
                               "-o", str(tmp_path / target)], env=process_env(), capture_output=True, timeout=300)
        assert done.returncode == 1
        errors = one_line_errors(done.stderr)
        assert len(errors) == 1 and errors[0].endswith("cannot write: Permission denied"), done.stderr
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_a_failed_write_in_a_folder_run_leaves_every_previous_file(tmp_path):
    """The second input's file cannot be written (a folder stands where it goes): the run fails and
    the first input's file, written in the same run, is not put in place either."""
    reports = tmp_path / "reports"
    (reports / "sub").mkdir(parents=True)
    (reports / "a.txt").write_text(REPORT, encoding="utf-8")
    (reports / "sub" / "b.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out"
    r = run_cli(reports, "-o", f"{out}/", "-q")
    assert r.exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (reports / "a.txt").write_text(REPORT.replace("1244", "9999"), encoding="utf-8")
    (out / "sub" / "b.csv").unlink()
    (out / "sub" / "b.csv").mkdir()                 # a folder where sub/b.csv should be
    (out / "sub" / "b.csv" / "x").write_text("", encoding="utf-8")
    r = run_cli(reports, "-o", f"{out}/", "-q")
    assert r.exit_code == 1
    assert len(one_line_errors(r.stderr)) == 1
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == {**{p: b for p, b in before.items() if p.name != "b.csv"}, out / "sub" / "b.csv" / "x": b""}
    assert not list(out.rglob("*.part"))
