"""The one loader for rule data.

Every lexicon and pattern the pipeline uses lives in a plain file under ``rules/``; a user extends
them with ``--rules DIR`` (files of the same name add rows to the bundled ones). Three kinds:

``NAME.tsv``    a table: ``#`` comment lines, then a header row, then tab-separated rows.
``NAME.txt``    a word list: one entry per line, ``#`` comments; extra tab-separated fields allowed.
``NAME.jsonl``  spaCy-style patterns: one JSON object per line with at least ``label`` and ``pattern``.

Files are parsed and checked for shape when loaded; a module asking for a table names the columns
it needs, so a missing or mistyped column fails at pipeline build time, naming file and line.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = (".tsv", ".txt", ".jsonl")


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and line."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path, self.line, self.reason = Path(path), line, reason
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Row:
    """One data row of a rule file, kept with where it came from for error messages."""

    values: dict[str, str]
    path: Path
    line: int

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default) or default


@dataclass
class _RuleFile:
    kind: str
    header: tuple[str, ...] = ()
    rows: list[Row] = field(default_factory=list)


def default_rules_dir() -> Path:
    """Where the bundled rules are: ``extractor/rules`` in a wheel, ``rules/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleError(here / "rules", None, "bundled rules directory not found; is the package installed?")


class Rules:
    """Parsed rule files by name (file stem). Build with :func:`load_rules`."""

    def __init__(self, files: dict[str, _RuleFile], dirs: Sequence[Path]):
        self._files = files
        self.dirs = tuple(dirs)

    def __contains__(self, name: str) -> bool:
        return name in self._files

    def names(self) -> list[str]:
        return sorted(self._files)

    def _get(self, name: str, kind: str) -> _RuleFile:
        f = self._files.get(name)
        if f is None:
            raise RuleError(self.dirs[0] / f"{name}{kind}", None, "required rule file is missing")
        if f.kind != kind:
            raise RuleError(self.dirs[0] / f"{name}{f.kind}", None, f"expected a {kind} file")
        return f

    def table(
        self,
        name: str,
        columns: Sequence[str],
        convert: dict[str, Callable[[str], Any]] | None = None,
        required: Iterable[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Rows of ``NAME.tsv`` as dicts with the given columns.

        ``columns`` must all be in the header; ``required`` (default: the first column) must be
        non-empty; ``convert`` maps a column to a function applied to non-empty cells
        (a ValueError becomes a RuleError naming file and line).
        """
        f = self._get(name, ".tsv")
        convert = convert or {}
        required = tuple(required) if required is not None else tuple(columns[:1])
        out = []
        for row in f.rows:
            missing = [c for c in columns if c not in row.values]
            if missing:
                raise RuleError(row.path, 1, f"header lacks column(s) {', '.join(missing)}")
            rec: dict[str, Any] = {}
            for c in columns:
                cell = row.values[c]
                if c in required and not cell:
                    raise RuleError(row.path, row.line, f"column {c!r} must not be empty")
                if cell and c in convert:
                    try:
                        cell = convert[c](cell)
                    except (ValueError, TypeError) as e:
                        raise RuleError(row.path, row.line, f"column {c!r}: {e}") from None
                rec[c] = cell
            out.append(rec)
        return out

    def words(self, name: str) -> list[str]:
        """First field of every line of ``NAME.txt``, in file order, duplicates removed."""
        f = self._get(name, ".txt")
        return list(dict.fromkeys(r.values["0"] for r in f.rows))

    def word_rows(self, name: str) -> list[list[str]]:
        """All tab-separated fields of every line of ``NAME.txt``."""
        f = self._get(name, ".txt")
        return [[r.values[str(i)] for i in range(len(r.values))] for r in f.rows]

    def patterns(self, name: str) -> list[dict[str, Any]]:
        """The pattern objects of ``NAME.jsonl`` (spaCy SpanRuler format)."""
        f = self._get(name, ".jsonl")
        return [json.loads(r.values["json"]) for r in f.rows]


def _parse_tsv(path: Path, text: str, into: _RuleFile) -> None:
    header: tuple[str, ...] | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = tuple(cells)
            if len(set(header)) != len(header) or not all(header):
                raise RuleError(path, lineno, "header has empty or repeated column names")
            if into.header and into.header != header:
                extra = set(into.header) ^ set(header)
                if extra:
                    raise RuleError(path, lineno, f"header differs from the bundled file's: {sorted(extra)}")
            into.header = into.header or header
            continue
        if len(cells) > len(header):
            raise RuleError(path, lineno, f"{len(cells)} fields but the header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        into.rows.append(Row(dict(zip(header, cells)), path, lineno))
    if header is None:
        raise RuleError(path, None, "no header row")


def _parse_txt(path: Path, text: str, into: _RuleFile) -> None:
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [c.strip() for c in line.split("\t")]
        into.rows.append(Row({str(i): c for i, c in enumerate(fields)}, path, lineno))


def _parse_jsonl(path: Path, text: str, into: _RuleFile) -> None:
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("//"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise RuleError(path, lineno, f"invalid JSON: {e.msg}") from None
        if not isinstance(obj, dict) or "label" not in obj or "pattern" not in obj:
            raise RuleError(path, lineno, 'each line needs an object with "label" and "pattern"')
        if not isinstance(obj["pattern"], (str, list)):
            raise RuleError(path, lineno, '"pattern" must be a string or a list of token patterns')
        into.rows.append(Row({"json": line}, path, lineno))


_PARSERS = {".tsv": _parse_tsv, ".txt": _parse_txt, ".jsonl": _parse_jsonl}


def load_rules(extra_dirs: Iterable[Path | str] = ()) -> Rules:
    """Load the bundled rules, then every ``--rules`` directory on top of them."""
    dirs = [default_rules_dir(), *(Path(d) for d in extra_dirs)]
    files: dict[str, _RuleFile] = {}
    for d in dirs:
        if not d.is_dir():
            raise RuleError(d, None, "rules directory not found")
        for path in sorted(p for p in d.iterdir() if p.suffix in KINDS and p.is_file()):
            name, kind = path.stem, path.suffix
            f = files.setdefault(name, _RuleFile(kind))
            if f.kind != kind:
                raise RuleError(path, None, f"clashes with {name}{f.kind}: one kind per rule name")
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                raise RuleError(path, None, "not UTF-8 text") from None
            except OSError as e:
                raise RuleError(path, None, e.strerror or str(e)) from None
            _PARSERS[kind](path, text, f)
    return Rules(files, dirs)
