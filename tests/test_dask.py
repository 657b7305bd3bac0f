"""--engine dask: the same rows as the local process pool, from a real LocalCluster of two worker
processes; errors one line each; a time budget that holds on a worker's thread; a clear line when
dask is not installed. No mocks: the cluster is dask.distributed's own."""
from __future__ import annotations

import json
import shutil
import sys
import threading
from pathlib import Path

import pytest

from .conftest import CORPUS
from .test_robust_cli import BINARY, csv_rows, one_line_errors, run_cli, run_process

pytest.importorskip("distributed", reason="--engine dask needs the cluster extra (dask[distributed])")

DOCS = 4   # a few bundled reports: enough for both workers to get some, quick to read


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    for path in sorted(CORPUS.glob("*.txt"))[:DOCS]:
        shutil.copy(path, folder / path.name)
    (folder / "binary.txt").write_bytes(BINARY)
    return folder


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_dask_finds_the_rows_the_local_run_finds(reports, tmp_path):
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    errors_local, errors_dask = tmp_path / "local-errors.csv", tmp_path / "dask-errors.csv"
    done = run_cli(reports, "-j", "1", "-q", "-o", local, "--errors", errors_local)   # here: quick
    assert done.exit_code == 1, done.output   # binary.txt cannot be read
    done = run_process(reports, "--engine", "dask", "-j", "2", "-q", "-o", remote, "--errors", errors_dask)
    assert done.returncode == 1, done.stderr
    rows = _jsonl(remote)
    assert rows == _jsonl(local)
    assert len({r["doc"] for r in rows}) == DOCS
    told = one_line_errors(done.stderr)
    assert len(told) == 1 and "binary.txt" in told[0]
    assert csv_rows(errors_dask.read_bytes()) == csv_rows(errors_local.read_bytes())
    assert [Path(r["path"]).name for r in csv_rows(errors_dask.read_bytes())] == ["binary.txt"]


def test_a_time_budget_holds_on_a_thread_that_is_not_the_main_one(tmp_path):
    """A dask worker runs its tasks in threads, where no signal can stop one: the budget must hold
    there too, and give the same one line."""
    from extractor.batch import Options, extract_source
    from extractor.io.reader import Source
    from extractor.pipeline import get_pipeline

    get_pipeline()
    path = tmp_path / "long.txt"
    path.write_text("\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))) * 4,
                    encoding="utf-8")
    got = {}
    worker = threading.Thread(target=lambda: got.update(
        result=extract_source(Source(path, path.name), Options(timeout=0.05))))
    worker.start()
    worker.join(120)
    assert got["result"].error == "long.txt: gave up after 0.05 s (raise the budget with --timeout)"


def test_without_dask_the_engine_names_the_extra_to_install(reports, tmp_path):
    code = ("import sys; sys.modules['distributed'] = None; sys.argv = ['extract'] + sys.argv[1:]; "
            "from extractor.cli import main; main()")
    done = run_process_code(code, reports, "--engine", "dask", "-o", tmp_path / "x.csv")
    assert done.returncode == 2
    told = one_line_errors(done.stderr)
    assert len(told) == 1 and "pip install 'extractor[cluster]'" in told[0]
    assert not (tmp_path / "x.csv").exists()


def test_a_scheduler_without_the_dask_engine_is_a_usage_error(reports, tmp_path):
    done = run_process(reports, "--scheduler", "tcp://127.0.0.1:8786", "-o", tmp_path / "x.csv")
    assert done.returncode == 2 and "--engine dask" in done.stderr.decode()


def run_process_code(code: str, *args):
    import subprocess

    from .test_robust_cli import process_env

    return subprocess.run([sys.executable, "-c", code, *map(str, args)], env=process_env(),
                          capture_output=True, timeout=120)
