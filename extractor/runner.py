"""The command's plumbing: where a run's results go — the fact writers, a store, the pivot or the
promise table — and the documents and errors files beside them. The command (cli.py) decides and
reports; this module moves the rows.

A run's outputs are put in place together when it has succeeded (:class:`~extractor.io.sink.Outputs`):
an interrupted or failed run — Ctrl-C, an output that cannot be written, or a run in which no input
could be read — leaves every previous output as it was. A store is grown in a copy that replaces it
at the end. The errors file (``--errors``) is written whenever the run gets that far, since it is
the account of what failed.
"""
from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import quote

from . import __version__
from .across.dataset import Dataset
from .across.store import Store, StoreError
from .io.reader import Source
from .io.sink import Outputs, OutputError, Sink, target_paths
from .io.tables import Table, write_table, write_workbook
from .model import Fact
from .rules import Rules

DOCUMENTS = "documents"
ERROR_COLUMNS = ("path", "reason")
_DOCUMENT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".json": "json", ".md": "md"}


class Runner:
    """Sends a run's results to its output; ``out`` is the command's decision (format, path, mode)."""

    def __init__(self, out, rules: Rules, documents: Path | None, errors: Path | None = None):
        self.out = out
        self.rules = rules
        self.documents_path = documents
        if documents is None and out.to_dir:
            self.documents_path = out.path / f"{DOCUMENTS}{'.csv' if out.fmt not in _TEXT_TABLES else '.' + out.fmt}"
        self.errors_path = errors
        self.dataset = Dataset()
        self.texts: dict[str, str] = {}

    def targets(self, names: Sequence[str]) -> list[Path]:
        """Every file this run writes, for the check that no output overwrites an input."""
        paths = target_paths(self.out.fmt, self.out.path, self.out.to_dir, names) if self.out.mode == "facts" \
            else ([self.out.path] if self.out.path else [])
        return paths + [p for p in (self.documents_path, self.errors_path) if p is not None]

    def go(self, stores: list[Path], sources: list[Source], run: Callable, failures: Sequence[tuple[str, str]] = ()):
        """Run the extraction (``run(sources, take)`` calls ``take(result, facts)`` per document and
        returns a tally with ``read`` and ``failures``) or read the stores, write what the mode asks
        for, and put it all in place. ``failures`` are the inputs that failed before the run
        (path, reason). Returns the tally."""
        outputs = Outputs()
        try:
            tally = self._go(outputs, stores, sources, run)
            if sources and not tally.read and not tally.unchanged:
                outputs.discard()       # nothing was read: the previous outputs stay
            self._write_errors(outputs, [*failures, *tally.failures])
            outputs.commit()
        except BaseException:
            outputs.discard()           # interrupted or failed: the previous outputs stay
            raise
        return tally

    def report(self, failures: Sequence[tuple[str, str]]) -> None:
        """Only the errors file, for a run that has nothing to read."""
        outputs = Outputs()
        try:
            self._write_errors(outputs, failures)
            outputs.commit()
        except BaseException:
            outputs.discard()
            raise

    def _go(self, outputs: Outputs, stores: list[Path], sources: list[Source], run: Callable):
        if stores:
            tally = run([], None)
            self._read_stores(stores)
        elif self.out.mode == "facts" and self.out.fmt == "sqlite":
            tally = self._into_store(outputs, sources, run)
        elif self.out.mode == "facts":
            tally = self._into_sink(outputs, sources, run)
        else:
            def take(result, facts):
                self.dataset.add(result.record, facts)
                if result.text:
                    self.texts[result.name] = result.text   # the review page of --track -f html
            tally = run(sources, take)
        if self.out.mode == "pivot":
            wide, trace = self.dataset.pivot_tables()
            self._write_tables(outputs, [wide, trace])
        elif self.out.mode == "track":
            self._write_tables(outputs, [self.dataset.promises_table(self.rules)])
        elif stores:
            self._write_facts_from_dataset(outputs)
        self._write_documents(outputs)
        return tally

    # ---- facts

    def _into_sink(self, outputs: Outputs, sources: list[Source], run: Callable):
        sink = Sink(self.out.fmt, self.out.path, self.out.to_dir, outputs, [(_key(s), s.name) for s in sources])
        sink.begin()

        def take(result, facts):
            sink.write(result.path, result.name, result.text, facts, result.record, result.rows_text)
            self.dataset.add(result.record, ())
        tally = run(sources, take)
        sink.end()
        return tally

    def _into_store(self, outputs: Outputs, sources: list[Source], run: Callable):
        from .cli import _sha256

        final = self.out.path
        work = outputs.stage(final)
        try:
            _copy_store(final, work)
            with Store(work, f"{__version__}:{self.rules.fingerprint()}") as store:
                known = store.known()
                todo = [s for s in sources if s.path is None or known.get(s.name) != _sha256(s)]

                def take(result, facts):
                    if result.record is not None:
                        store.put(result.record, facts)
                        self.dataset.add(result.record, ())
                tally = run(todo, take)
                tally.unchanged = len(sources) - len(todo)
        except StoreError as e:
            raise StoreError(str(e).replace(str(work), str(final))) from None
        except sqlite3.Error as e:
            raise OutputError(str(final), f"cannot write the store: {e}") from None
        return tally

    def _read_stores(self, stores: list[Path]) -> None:
        for path in stores:
            with Store(path) as store:
                for record in store.documents():
                    self.dataset.documents.append(record)
                self.dataset.add(None, store.facts())

    def _write_facts_from_dataset(self, outputs: Outputs) -> None:
        docs = [record["doc"] for record in self.dataset.documents]
        sink = Sink(self.out.fmt, self.out.path, self.out.to_dir, outputs, [(d, d) for d in docs])
        sink.begin()
        by_doc: dict[str, list[Fact]] = {}
        for f in self.dataset.facts:
            if f["type"] in self.out.types:
                by_doc.setdefault(f["doc"], []).append(Fact(**f))
        for doc in docs:
            sink.write(doc, doc, "", by_doc.get(doc, []), None)
        sink.end()

    # ---- tables

    def _write_tables(self, outputs: Outputs, tables: list[Table]) -> None:
        with outputs.writing(self.out.fmt, self.out.path) as target:
            if self.out.fmt == "xlsx":
                write_workbook(target.stream, [*tables, self.dataset.documents_table()], "extractor")
            elif self.out.fmt == "html" and self.out.mode == "track" and self.texts:
                from .io.review import render_page

                target.stream.write(render_page(self._documents_with_text(), promises=tables[0].rows))
            else:
                write_table(self.out.fmt, target.stream, tables[0], bom=target.bom)

    def _documents_with_text(self) -> list[tuple[str, str, list[Fact]]]:
        by_doc: dict[str, list[Fact]] = {}
        for f in self.dataset.facts:
            by_doc.setdefault(f["doc"], []).append(Fact(**f))
        return [(d["doc"], self.texts.get(d["doc"], ""), by_doc.get(d["doc"], [])) for d in self.dataset.documents]

    def _write_documents(self, outputs: Outputs) -> None:
        if self.documents_path is None:
            return
        fmt = _DOCUMENT_FORMATS.get(self.documents_path.suffix.lower(), "csv")
        with outputs.writing(fmt, self.documents_path) as target:
            write_table(fmt, target.stream, self.dataset.documents_table(), bom=target.bom)

    def _write_errors(self, outputs: Outputs, failures: Sequence[tuple[str, str]]) -> None:
        """The inputs that failed, one row each (written, with no rows, when none did)."""
        if self.errors_path is None:
            return
        fmt = _DOCUMENT_FORMATS.get(self.errors_path.suffix.lower(), "csv")
        table = Table("errors", ERROR_COLUMNS, [dict(zip(ERROR_COLUMNS, f)) for f in failures],
                      widths={"path": 40, "reason": 80})
        with outputs.writing(fmt, self.errors_path) as target:
            write_table(fmt, target.stream, table, bom=target.bom)


def _key(source: Source) -> str:
    """What a result is matched to its source by: the input as given (its ``Result.path``)."""
    return str(source.path) if source.path is not None else "-"


def _copy_store(final: Path, work: Path) -> None:
    """The store at ``final`` copied to ``work`` (nothing when there is none yet): its bytes, or
    when a write-ahead log lies beside it (a writer that did not finish) a consistent copy through
    SQLite's backup, which reads the log too. Either way ``final`` is only read."""
    if not final.exists():
        return
    if not final.is_file():
        raise OutputError(str(final), "a store must be a regular file")
    if not final.with_name(final.name + "-wal").exists():
        shutil.copyfile(final, work)
        return
    try:
        source = sqlite3.connect(f"file:{quote(str(final.resolve()))}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(work)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{final}: not a store ({e})") from None


_TEXT_TABLES = ("csv", "jsonl", "json", "md")
