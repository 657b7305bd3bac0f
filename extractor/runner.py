"""The command's plumbing: where a run's results go — the fact writers, a store, the pivot or the
promise table — and the documents file beside them. The command (cli.py) decides and reports;
this module moves the rows.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .across.dataset import Dataset
from .across.store import Store
from .io.reader import Source
from .io.sink import Sink, open_target
from .io.tables import Table, write_table, write_workbook
from .model import Fact
from .rules import Rules

DOCUMENTS = "documents"
_DOCUMENT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".json": "json", ".md": "md"}


class Runner:
    """Sends a run's results to its output; ``out`` is the command's decision (format, path, mode)."""

    def __init__(self, out, rules: Rules, documents: Path | None):
        self.out = out
        self.rules = rules
        self.documents_path = documents
        if documents is None and out.to_dir:
            self.documents_path = out.path / f"{DOCUMENTS}{'.csv' if out.fmt not in _TEXT_TABLES else '.' + out.fmt}"
        self.dataset = Dataset()
        self.texts: dict[str, str] = {}

    def targets(self, names: Sequence[str]) -> list[Path]:
        """Every file this run writes, for the check that no output overwrites an input."""
        paths = Sink(self.out.fmt, self.out.path, self.out.to_dir).targets_for(names) if self.out.mode == "facts" \
            else ([self.out.path] if self.out.path else [])
        return paths + ([self.documents_path] if self.documents_path else [])

    def go(self, stores: list[Path], sources: list[Source], run: Callable):
        """Run the extraction (``run(sources, take)`` calls ``take(result, facts)`` per document) or
        read the stores, and write what the mode asks for. Returns what ``run`` returns."""
        if stores:
            tally = run([], None)
            self._read_stores(stores)
        elif self.out.mode == "facts" and self.out.fmt == "sqlite":
            return self._into_store(sources, run)
        elif self.out.mode == "facts":
            tally = self._into_sink(sources, run)
        else:
            def take(result, facts):
                self.dataset.add(result.record, facts)
                if result.text:
                    self.texts[result.name] = result.text   # the review page of --track -f html
            tally = run(sources, take)
        if self.out.mode == "pivot":
            wide, trace = self.dataset.pivot_tables()
            self._write_tables([wide, trace])
        elif self.out.mode == "track":
            self._write_tables([self.dataset.promises_table(self.rules)])
        elif stores:
            self._write_facts_from_dataset()
        self._write_documents()
        return tally

    # ---- facts

    def _into_sink(self, sources: list[Source], run: Callable):
        sink = Sink(self.out.fmt, self.out.path, self.out.to_dir)
        sink.begin()
        try:
            def take(result, facts):
                sink.write(result.name, result.text, facts, result.record)
                self.dataset.add(result.record, ())
            tally = run(sources, take)
        except BaseException:
            sink.abort()   # an interrupted or failed run leaves the previous output as it was
            raise
        sink.end()
        return tally

    def _into_store(self, sources: list[Source], run: Callable):
        from .cli import _sha256

        with Store(self.out.path, f"{__version__}:{self.rules.fingerprint()}") as store:
            known = store.known()
            todo = [s for s in sources if s.path is None or known.get(s.name) != _sha256(s)]

            def take(result, facts):
                if result.record is not None:
                    store.put(result.record, facts)
                    self.dataset.add(result.record, ())
            tally = run(todo, take)
            tally.unchanged = len(sources) - len(todo)
        return tally

    def _read_stores(self, stores: list[Path]) -> None:
        for path in stores:
            with Store(path) as store:
                for record in store.documents():
                    self.dataset.documents.append(record)
                self.dataset.add(None, store.facts())

    def _write_facts_from_dataset(self) -> None:
        sink = Sink(self.out.fmt, self.out.path, self.out.to_dir)
        sink.begin()
        by_doc: dict[str, list[Fact]] = {}
        for f in self.dataset.facts:
            if f["type"] in self.out.types:
                by_doc.setdefault(f["doc"], []).append(Fact(**f))
        for record in self.dataset.documents:
            sink.write(record["doc"], "", by_doc.get(record["doc"], []), None)
        sink.end()

    # ---- tables

    def _write_tables(self, tables: list[Table]) -> None:
        with open_target(self.out.fmt, self.out.path) as target:
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

    def _write_documents(self) -> None:
        if self.documents_path is None:
            return
        fmt = _DOCUMENT_FORMATS.get(self.documents_path.suffix.lower(), "csv")
        with open_target(fmt, self.documents_path) as target:
            write_table(fmt, target.stream, self.dataset.documents_table(), bom=target.bom)


_TEXT_TABLES = ("csv", "jsonl", "json", "md")
