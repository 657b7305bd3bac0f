"""A long document's facts are made one at a time and spooled, never held all at once: the rows are
the same, and a document that fails half-way through its facts still gives one error line and
none of its rows."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractor import batch, pipeline as pipeline_module
from extractor.batch import FactSpool, Options, extract_source
from extractor.io.reader import Source
from extractor.pipeline import get_pipeline

from .conftest import CORPUS
from .test_robust_cli import REPORT, csv_rows, one_line_errors, run_cli


def _sample() -> Path:
    return max(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)


@pytest.fixture
def small_spool(monkeypatch):
    """A spool that goes to its temporary file after a few facts, in batches of a few."""
    monkeypatch.setattr(batch, "HELD_FACTS", 7)
    monkeypatch.setattr(batch, "SPOOL_BATCH", 3)


def test_facts_made_one_at_a_time_are_the_list_of_facts():
    path = _sample()
    pipe = get_pipeline()
    text = path.read_text(encoding="utf-8")
    facts = pipe.extract(text, path.name)
    assert facts and list(pipe.each_fact(pipe.analyse(text, path.name), path.name)) == facts


def test_a_spooled_document_gives_its_facts_in_order_as_often_as_read(small_spool):
    path = _sample()
    expected = get_pipeline().extract(path.read_text(encoding="utf-8"), path.name)
    result = extract_source(Source(path, path.name), Options())
    assert isinstance(result.facts, FactSpool) and result.facts.file is not None
    assert list(result.facts) == expected and list(result.facts) == expected
    assert len(result.facts) == len(expected)
    assert result.record.headings + result.record.indicators + result.record.tasks == len(expected)


def test_only_the_kept_types_are_spooled_and_the_record_counts_them_all(small_spool):
    path = _sample()
    every = extract_source(Source(path, path.name), Options())
    tasks = extract_source(Source(path, path.name), Options(types=frozenset({"task"})))
    assert list(tasks.facts) == [f for f in every.facts if f.type == "task"]
    assert tasks.counts == {"task": every.record.tasks} and tasks.record == every.record


def test_a_packed_result_carries_every_spooled_fact(small_spool):
    path = _sample()
    expected = get_pipeline().extract(path.read_text(encoding="utf-8"), path.name)
    assert batch.extract_packed(Source(path, path.name), Options()).unpacked().facts == expected


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_a_document_failing_half_way_through_its_facts_gives_no_rows(tmp_path, monkeypatch, small_spool, fmt):
    made = pipeline_module.each_fact

    def failing(doc, *args):
        for k, fact in enumerate(made(doc, *args)):
            if doc == "bad.txt" and k == 20:
                raise ZeroDivisionError("half-way")
            yield fact
    monkeypatch.setattr(pipeline_module, "each_fact", failing)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.txt").write_text(_sample().read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "in" / "ok.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    r = run_cli(tmp_path / "in", "-o", out, "-j", "1", "-q")
    assert r.exit_code == 1
    assert one_line_errors(r.stderr) == ["extract: error: bad.txt: internal error (ZeroDivisionError: half-way)"]
    if fmt == "csv":
        docs = {row["doc"] for row in csv_rows(out.read_bytes())}
    elif fmt == "jsonl":
        import json

        docs = {json.loads(line)["doc"] for line in out.read_text(encoding="utf-8").splitlines()}
    else:
        import openpyxl

        book = openpyxl.load_workbook(out, read_only=True)
        docs = {row[0] for name in ("headings", "indicators", "tasks") if name in book.sheetnames
                for row in book[name].iter_rows(min_row=2, values_only=True)}
    assert docs == {"ok.txt"}


class _Future:
    """A future a test finishes by hand."""

    def __init__(self, k):
        self.k, self.finished = k, False

    def done(self):
        return self.finished


def test_the_window_keeps_the_workers_busy_while_the_writing_waits_for_one_document():
    # sizes make document 0 the last handed out of the first window: the writing waits for it
    futures = []
    sizes = [1, 9, 8, 7, 6, 5, 4, 3, 2]

    def submit(k):
        futures.append(_Future(k))
        return futures[-1]

    def wait_any(running):   # the workers finish whatever they hold except document 0, then it
        for f in running:
            if f.k != 0:
                f.finished = True
                return
        running[0].finished = True

    window = batch.Window(sizes, ahead=2, submit=submit, wait_any=wait_any, held=5, held_bytes=0)
    first = window.take(0)
    assert first.k == 0 and first.done()
    # while document 0 ran, finished documents did not count against the two in the workers'
    # hands: more were handed out, up to the five results held
    handed = [f.k for f in futures]
    assert handed[0] == 0 and len(handed) >= 5
    assert sum(not f.done() for f in futures) <= 2
    assert len(window.pending) <= 5
    # every document comes out in input order, each once
    rest = [window.take(k).k for k in range(1, len(sizes))]
    assert rest == list(range(1, len(sizes)))
    assert sorted(f.k for f in futures) == list(range(len(sizes)))


def test_small_documents_are_not_held_up_by_the_count_of_finished_ones():
    # twenty small documents, the first one slow: below held_bytes of input out, the workers go on
    # with all the others while the writing waits for it
    futures = []

    def submit(k):
        futures.append(_Future(k))
        return futures[-1]

    def wait_any(running):
        for f in running:
            if f.k != 0:
                f.finished = True
                return
        running[0].finished = True

    window = batch.Window([1] * 20, ahead=2, submit=submit, wait_any=wait_any, held=5, held_bytes=100)
    assert window.take(0).k == 0
    assert len(futures) == 20 and all(f.done() for f in futures)
    assert [window.take(k).k for k in range(1, 20)] == list(range(1, 20))



def _recording_window(sizes, ahead, held, held_bytes):
    futures = []

    def submit(k):
        futures.append(_Future(k))
        return futures[-1]

    def wait_any(running):      # the workers finish the document they were handed first
        running[0].finished = True

    return batch.Window(sizes, ahead=ahead, submit=submit, wait_any=wait_any, held=held,
                        held_bytes=held_bytes), futures


def test_a_batch_within_reach_is_handed_out_largest_first():
    sizes = [3, 1, 9, 4, 7, 2]
    window, futures = _recording_window(sizes, ahead=2, held=100, held_bytes=0)
    assert [window.take(k).k for k in range(len(sizes))] == list(range(len(sizes)))
    # the document to be written first, then the rest by size, but that the next one to be written
    # is handed out when the writing comes to it (1, before 3)
    assert [f.k for f in futures] == [0, 2, 4, 1, 3, 5]


def test_a_big_batch_is_handed_out_largest_first_a_stretch_at_a_time():
    # three documents within reach of the writing: the big one at 7 waits until the writing is
    # near, so the results held never pass three documents ahead of the writing
    sizes = [1, 2, 3, 1, 2, 3, 1, 50, 1, 1]
    window, futures = _recording_window(sizes, ahead=2, held=3, held_bytes=0)
    taken = []
    for k in range(len(sizes)):
        taken.append(window.take(k).k)
        assert all(f.k < k + 1 + 3 for f in futures)            # never handed out beyond reach
        assert all(j >= k + 1 for j in window.pending)          # what is held lies ahead of the writing
        assert len(window.pending) <= 3
    assert taken == list(range(len(sizes)))
    order = [f.k for f in futures]
    assert order.index(7) > order.index(4) and sorted(order) == list(range(len(sizes)))
    assert order[:3] == [0, 2, 1]                               # within the first reach, largest first


def test_the_workers_are_kept_busy_while_documents_within_reach_remain():
    sizes = [5] * 30
    seen = []
    futures = []

    def submit(k):
        futures.append(_Future(k))
        return futures[-1]

    def wait_any(running):
        seen.append(len(running))
        running[0].finished = True

    window = batch.Window(sizes, ahead=4, submit=submit, wait_any=wait_any, held=8, held_bytes=0)
    for k in range(len(sizes)):
        window.take(k)
    # four in the workers' hands at every wait, but at the end of the batch, when fewer remain
    assert all(n == 4 for n in seen[:20]) and max(seen) == 4
