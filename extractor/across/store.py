"""A store that grows: a SQLite database of documents and facts.

``extract reports/ -o reports.sqlite`` writes every document in one transaction (its record and its
facts), so an interrupted run leaves a consistent store that the next run completes. A later run
over the same folder re-reads only documents that are new or whose bytes changed (by sha256), and
replaces the facts of changed ones. When the rules or the tool's version differ from those that
made the store, every document is read again.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..model import COLUMNS, DOCUMENT_COLUMNS, DocumentRecord, Fact, make_fact

EXTENSIONS = (".sqlite", ".sqlite3", ".db")
_SCHEMA_VERSION = 1
_INTEGER = {"level", "start", "end", "line", "year", "characters", "headings", "indicators", "tasks"}
_REAL = {"value", "value_max"}


def _type(column: str) -> str:
    return "INTEGER" if column in _INTEGER else "REAL" if column in _REAL else "TEXT"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_DOCUMENTS = ("CREATE TABLE IF NOT EXISTS documents ("
              + ", ".join(f"{_quote(c)} {_type(c)}" + (" PRIMARY KEY" if c == "doc" else "") for c in DOCUMENT_COLUMNS)
              + ")")
_FACTS = ("CREATE TABLE IF NOT EXISTS facts ("
          + ", ".join(f"{_quote(c)} {_type(c)}" for c in COLUMNS)
          + ", PRIMARY KEY (doc, id), FOREIGN KEY (doc) REFERENCES documents(doc) ON DELETE CASCADE)")
_INDEXES = [f"CREATE INDEX IF NOT EXISTS facts_{c} ON facts({_quote(c)})" for c in ("doc", "type", "key", "period")]
# the outcomes a pivot is made of, one per row (a SQL view cannot turn periods into columns)
_PIVOT = ("CREATE VIEW IF NOT EXISTS pivot AS SELECT key, unit, period, value, value_max, qualifier, doc, text "
          "FROM facts WHERE type = 'indicator' AND section_kind <> 'plan' AND key <> '' AND period <> '' "
          "AND parent NOT LIKE 't%' ORDER BY key, unit, period, doc, start")


class StoreError(Exception):
    """A file that is not a store this tool can use; ``str()`` is one line naming it."""


def is_store(path: Path) -> bool:
    return path.suffix.lower() in EXTENSIONS


class Store:
    """An open store. Use as a context manager; every document is written in its own transaction."""

    def __init__(self, path: Path, fingerprint: str = ""):
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self._schema()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{path}: not a store ({e})") from None
        self.stale = bool(fingerprint) and self._meta("fingerprint") not in (None, fingerprint)
        if fingerprint:
            self._set_meta("fingerprint", fingerprint)

    def _schema(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version not in (0, _SCHEMA_VERSION) or (version == 0 and tables - {"documents", "facts", "meta"}):
            raise StoreError(f"{self.path}: a database that this tool did not write")
        with self.db:
            self.db.execute("BEGIN")
            for statement in (_DOCUMENTS, _FACTS, *_INDEXES, _PIVOT,
                              "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)"):
                self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")

    def _meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, name: str, value: str) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def known(self) -> dict[str, str]:
        """doc -> sha256 of every document in the store (nothing when the store is stale)."""
        if self.stale:
            return {}
        return dict(self.db.execute("SELECT doc, sha256 FROM documents"))

    def put(self, record: DocumentRecord, facts: Sequence[Fact]) -> None:
        """Replace one document and its facts, in one transaction."""
        values = [getattr(record, c) for c in DOCUMENT_COLUMNS]
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM facts WHERE doc = ?", (record.doc,))
            self.db.execute(f"INSERT OR REPLACE INTO documents VALUES ({', '.join('?' * len(values))})",
                            [str(v) if hasattr(v, "value") else v for v in values])
            self.db.executemany(f"INSERT INTO facts VALUES ({', '.join('?' * len(COLUMNS))})",
                                [[_plain(v) for v in f.as_dict().values()] for f in facts])

    def documents(self) -> Iterator[dict]:
        cursor = self.db.execute(f"SELECT {', '.join(map(_quote, DOCUMENT_COLUMNS))} FROM documents ORDER BY doc")
        for row in cursor:
            yield dict(zip(DOCUMENT_COLUMNS, row))

    def facts(self) -> Iterator[Fact]:
        """Every fact, documents in path order, facts in reading order."""
        cursor = self.db.execute(f"SELECT {', '.join(map(_quote, COLUMNS))} FROM facts "
                                 "ORDER BY doc, start, CASE type WHEN 'heading' THEN 0 WHEN 'indicator' THEN 1 ELSE 2 END, "
                                 "CAST(substr(id, 2) AS INTEGER)")
        for row in cursor:
            yield make_fact(*row)


def _plain(v):
    """A value as SQLite stores it: enum members as their words."""
    return str(v) if isinstance(v, str) else v
