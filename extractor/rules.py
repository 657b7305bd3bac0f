"""The one loader for rule data, and the registry of named regex fragments.

Every lexicon and pattern the pipeline uses lives in a plain file under ``rules/``; a user extends
them with ``--rules DIR`` (files of the same name add rows to the bundled ones). Three kinds:

``NAME.tsv``    a table: ``#`` comment lines, then a header row, then tab-separated rows.
``NAME.txt``    a word list: one entry per line, ``#`` comments; extra tab-separated fields allowed.
``NAME.jsonl``  spaCy-style patterns: one JSON object per line with at least ``label`` and ``pattern``.

Files are parsed and checked for shape when loaded; a module asking for a table names the columns
it needs, so a missing or mistyped column fails at pipeline build time, naming file and line. Every
row keeps its file and line, so a check made later still names them (:meth:`Row.error`).

Patterns are composed from named fragments (``rules/fragments.tsv``): ``{ListMarker}`` in a pattern
stands for that fragment, expanded when the rules are loaded; a stage may add fragments of its own
that are known only when it is built (``{NUM}``, the numeral pattern of the quantity stage). A
reference to an unknown name is a load error naming file and line.

Patterns from a user's folder (``--rules DIR``) are checked when loaded: a ``pattern`` cell or a
fragment that does not compile, or that nests unbounded quantifiers so that it can backtrack
catastrophically ((a+)+, (a*)*, (a|a)*), is an error naming file and line. A compiled pattern with
a part from a user's folder matches with a time limit (the ``regex`` module's ``timeout``); one
that exceeds it raises a :class:`RuleError` naming the rule, not a hang.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import regex

from .cache import CompiledPatterns, compile_regex
from .pattern_safety import pattern_problem

E = TypeVar("E", bound=Enum)

KINDS = (".tsv", ".txt", ".jsonl")
FRAGMENTS = "fragments"

# {Name}: a fragment reference; not the {Han} of \p{Han}, nor a quantifier such as {1,3}
_REFERENCE = compile_regex(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_]*)\}")


_LITERAL_CLASS = compile_regex(r"\[((?:\\.|[^\\\]\-^])+)\]")


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and line."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path, self.line, self.reason = Path(path), line, reason
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Row:
    """One data row of a rule file, kept with where it came from for error messages."""

    values: dict[str, Any]
    path: Path
    line: int

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = "") -> Any:
        return self.values.get(key, default) or default

    def error(self, reason: str) -> RuleError:
        return RuleError(self.path, self.line, reason)


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


def one_of(allowed: Iterable[str]) -> Callable[[str], str]:
    """A cell converter that accepts one of ``allowed`` (an enum's members are their words)."""
    allowed = tuple(str(a) for a in allowed)

    def check(cell: str) -> str:
        if cell not in allowed:
            raise ValueError(f"{cell!r} is not one of {', '.join(allowed)}")
        return cell

    return check


def member(kind: type[E]) -> Callable[[str], E]:
    """A cell converter to a member of the enum ``kind``, whose members are their words."""
    check = one_of(kind)
    return lambda cell: kind(check(cell))


def trie(words: Iterable[str], guards: Mapping[str, str] | None = None) -> str:
    """A regex alternation of literal ``words`` as a trie (fast; the longest match first);
    ``guards[w]`` is a negative lookahead applied where ``w`` ends."""
    guards = guards or {}
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = w

    def build(node: dict) -> str:
        alts = [regex.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if "" in node:
            g = guards.get(node[""], "")
            alts.append(f"(?!{g})" if g else "")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(root) if root else "(?!)"


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so the longest match wins)."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) or "(?!)"


def union(patterns: Sequence[regex.Pattern],
          compile: Callable[[str], regex.Pattern] = regex.compile) -> regex.Pattern:
    """One pattern that matches where any of ``patterns`` does (a leading ``(?i)`` stays local);
    ``compile`` is :meth:`Rules.regex` for a pattern kept in the cache."""
    if not patterns:
        return compile(r"(?!)")
    parts = []
    for p in patterns:
        flags = regex.match(r"\(\?([a-z]+)\)", p.pattern)
        parts.append(f"(?{flags.group(1)}:{p.pattern[flags.end():]})" if flags else f"(?:{p.pattern})")
    joined = compile("|".join(parts))
    origins = [row for p in patterns if isinstance(p, GuardedPattern) for row in p.origins]
    return GuardedPattern(joined, origins) if origins else joined


# the time a match of a pattern with a user's part may take: this much, and this much per character
MATCH_SECONDS = 1.0
MATCH_SECONDS_PER_CHAR = 1e-5


class RuleTimeout(RuleError):
    """A pattern with a user's part took longer than its time limit on some text."""


class GuardedPattern:
    """A compiled pattern with a part from a user's rules folder: every match runs with a time limit
    (:data:`MATCH_SECONDS` plus :data:`MATCH_SECONDS_PER_CHAR` per character searched), and one that
    exceeds it raises :class:`RuleTimeout` naming the rule. Everything else is the pattern's own."""

    def __init__(self, pattern: regex.Pattern, origins: Sequence[Row]):
        self._pattern = pattern
        self.origins = tuple({(row.path, row.line): row for row in origins}.values())

    def __getattr__(self, name: str):
        return getattr(self._pattern, name)

    def __repr__(self) -> str:
        return f"GuardedPattern({self._pattern!r})"

    def _limit(self, string) -> float:
        return MATCH_SECONDS + MATCH_SECONDS_PER_CHAR * len(string)

    def _timed_out(self, limit: float, string) -> RuleTimeout:
        first, others = self.origins[0], len(self.origins) - 1
        also = f" (or one of {others} other user rule{'s' * (others > 1)} in it)" if others else ""
        return RuleTimeout(first.path, first.line,
                           f"pattern took longer than {limit:.1f} s on a text of {len(string)} characters{also}: "
                           "it backtracks catastrophically; simplify it")

    def _call(self, method: str, string, args, kwargs, before: tuple = ()):
        """``method`` of the pattern on ``string`` with the time limit; ``before``: the arguments
        that come before the string (sub's replacement)."""
        limit = self._limit(string)
        try:
            return getattr(self._pattern, method)(*before, string, *args, timeout=limit, **kwargs)
        except TimeoutError:
            raise self._timed_out(limit, string) from None

    def _iterate(self, method: str, string, args, kwargs):
        limit = self._limit(string)
        try:
            yield from getattr(self._pattern, method)(string, *args, timeout=limit, **kwargs)
        except TimeoutError:
            raise self._timed_out(limit, string) from None

    def search(self, string, *args, **kwargs):
        return self._call("search", string, args, kwargs)

    def match(self, string, *args, **kwargs):
        return self._call("match", string, args, kwargs)

    def fullmatch(self, string, *args, **kwargs):
        return self._call("fullmatch", string, args, kwargs)

    def findall(self, string, *args, **kwargs):
        return self._call("findall", string, args, kwargs)

    def split(self, string, *args, **kwargs):
        return self._call("split", string, args, kwargs)

    def finditer(self, string, *args, **kwargs):
        return self._iterate("finditer", string, args, kwargs)

    def splititer(self, string, *args, **kwargs):
        return self._iterate("splititer", string, args, kwargs)

    def sub(self, repl, string, *args, **kwargs):
        return self._call("sub", string, args, kwargs, before=(repl,))

    def subn(self, repl, string, *args, **kwargs):
        return self._call("subn", string, args, kwargs, before=(repl,))


class Rules:
    """Parsed rule files by name (file stem). Build with :func:`load_rules`."""

    def __init__(self, files: dict[str, _RuleFile], dirs: Sequence[Path]):
        self._files = files
        self.dirs = tuple(dirs)
        self.compiled = CompiledPatterns(stored=len(self.dirs) == 1)
        self._fragments: dict[str, Row] = {}
        self._expanded: dict[str, str] = {}
        if FRAGMENTS in files:
            for row in self._get(FRAGMENTS, ".tsv").rows:
                self._fragments[row["name"]] = row
            for name, row in self._fragments.items():   # every fragment expands and compiles
                try:
                    self.regex(self.fragment(name))
                except regex.error as e:
                    raise row.error(f"fragment {name}: bad pattern: {e}") from None
        # the patterns of a user's folders: checked now, and matched with a time limit later
        self._user_fragments = [(self.fragment(name), row) for name, row in self._fragments.items()
                                if self.is_users(row)]
        for text, row in self._user_fragments:
            if problem := pattern_problem(text):
                raise row.error(f"fragment {row['name']}: {problem}")
        self._user_patterns: dict[str, Row] = {}
        for name, f in files.items():
            if f.kind != ".tsv" or "pattern" not in f.header or name == FRAGMENTS:
                continue
            for row in f.rows:
                if self.is_users(row) and row["pattern"]:
                    if problem := pattern_problem(self._expand_leniently(row["pattern"])):
                        raise row.error(f"column 'pattern': {problem}")
                    self._user_patterns.setdefault(row["pattern"], row)

    def is_users(self, row: Row) -> bool:
        """Whether ``row`` comes from a user's folder (``--rules``), not from the bundled rules."""
        return row.path.parent != self.dirs[0]

    def _expand_leniently(self, pattern: str) -> str:
        """``pattern`` expanded, a name no fragment has (a stage's own, such as {NUM}) read as one
        character: enough to check the pattern's syntax and shape before the stages are built."""
        def sub(m: regex.Match) -> str:
            return f"(?:{self.fragment(m.group(1))})" if m.group(1) in self._fragments else "(?:x)"

        return _REFERENCE.sub(sub, pattern)

    def __contains__(self, name: str) -> bool:
        return name in self._files

    def names(self) -> list[str]:
        return sorted(self._files)

    def files(self) -> dict[str, tuple[str, int]]:
        """Each rule name with its kind and number of entries."""
        return {name: (f.kind, len(f.rows)) for name, f in sorted(self._files.items())}

    def fingerprint(self) -> str:
        """A digest of every rule the pipeline reads: equal fingerprints, equal rules."""
        h = hashlib.sha256()
        for name, f in sorted(self._files.items()):
            h.update(f"{name}{f.kind}\0{f.header}\0".encode())
            for row in f.rows:
                h.update(repr(sorted(row.values.items())).encode())
        return h.hexdigest()

    def _get(self, name: str, kind: str) -> _RuleFile:
        f = self._files.get(name)
        if f is None:
            raise RuleError(self.dirs[0] / f"{name}{kind}", None, "required rule file is missing")
        if f.kind != kind:
            raise RuleError(self.dirs[0] / f"{name}{f.kind}", None, f"expected a {kind} file")
        return f

    # ---- fragments

    def fragment(self, name: str) -> str:
        """The pattern of a named fragment, its own references expanded."""
        if name not in self._expanded:
            row = self._fragments.get(name)
            if row is None:
                raise ValueError(f"unknown fragment {{{name}}}")
            self._expanded[name] = "\0"   # marks the expansion in progress: a cycle is an error
            try:
                self._expanded[name] = self.expand(row["pattern"])
            except ValueError as e:
                del self._expanded[name]
                raise row.error(f"fragment {name}: {e}") from None
        got = self._expanded[name]
        if got == "\0":
            raise ValueError(f"fragment {{{name}}} refers to itself")
        return got

    def chars(self, name: str) -> str:
        """The characters of a fragment that is one class of literal characters ("[“‘「『]")."""
        m = _LITERAL_CLASS.fullmatch(self.fragment(name))
        if m is None:
            raise self._fragments[name].error(f"fragment {name} is used as a character set: "
                                              "write it as one [...] class of literal characters")
        return regex.sub(r"\\(.)", r"\1", m.group(1))

    def expand(self, pattern: str, local: Mapping[str, str] | None = None) -> str:
        """``pattern`` with every ``{Name}`` replaced: by ``local[Name]`` (fragments a stage makes
        when it is built), else by the registry's fragment. An unknown name is a ValueError."""
        local = local or {}

        def sub(m: regex.Match) -> str:
            name = m.group(1)
            if name in local:
                return local[name]
            return f"(?:{self.fragment(name)})"

        return _REFERENCE.sub(sub, pattern)

    def regex(self, pattern: str, flags: int = 0) -> regex.Pattern:
        """``regex.compile(pattern, flags)``, kept in the cache of compiled patterns (no references
        expanded, no time limit: for patterns the code composes)."""
        return self.compiled.compile(pattern, flags)

    def compile(self, pattern: str, local: Mapping[str, str] | None = None, flags: int = 0) -> regex.Pattern:
        """Expand and compile; a bad pattern or reference is a ValueError (a RuleError in a table,
        or when the pattern is a user's). A pattern with a part from a user's folder comes back as
        a :class:`GuardedPattern`, which matches with a time limit."""
        own = self._user_patterns.get(pattern)
        try:
            expanded = self.expand(pattern, local)
            compiled = self.regex(expanded, flags)
        except regex.error as e:
            if own is not None:
                raise own.error(f"column 'pattern': bad pattern: {e}") from None
            raise ValueError(f"bad pattern {pattern[:60]!r}: {e}") from None
        except ValueError as e:
            if own is not None and not isinstance(e, RuleError):
                raise own.error(f"column 'pattern': {e}") from None
            raise
        origins = ([own] if own is not None else []) + [row for text, row in self._user_fragments if text in expanded]
        return GuardedPattern(compiled, origins) if origins else compiled

    def pattern(self, local: Mapping[str, str] | None = None) -> Callable[[str], regex.Pattern]:
        """A cell converter: the cell as a compiled pattern, references expanded."""
        return lambda cell: self.compile(cell, local)

    # ---- tables and lists

    def table(
        self,
        name: str,
        columns: Sequence[str],
        convert: dict[str, Callable[[str], Any]] | None = None,
        required: Iterable[str] | None = None,
    ) -> list[Row]:
        """Rows of ``NAME.tsv`` with the given columns, converted.

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
                    raise row.error(f"column {c!r} must not be empty")
                if cell and c in convert:
                    try:
                        cell = convert[c](cell)
                    except (ValueError, TypeError) as e:
                        if isinstance(e, RuleError):
                            raise
                        raise row.error(f"column {c!r}: {e}") from None
                rec[c] = cell
            out.append(Row(rec, row.path, row.line))
        return out

    def words(self, name: str) -> list[str]:
        """First field of every line of ``NAME.txt``, in file order, duplicates removed."""
        f = self._get(name, ".txt")
        return list(dict.fromkeys(r.values["0"] for r in f.rows))

    def word_rows(self, name: str) -> list[Row]:
        """Every line of ``NAME.txt`` as a row whose values are its fields by position ("0", "1" …)."""
        return list(self._get(name, ".txt").rows)

    def patterns(self, name: str) -> list[dict[str, Any]]:
        """The pattern objects of ``NAME.jsonl`` (spaCy SpanRuler format)."""
        f = self._get(name, ".jsonl")
        return [json.loads(r.values["json"]) for r in f.rows]

    def pattern_rows(self, name: str) -> list[Row]:
        return list(self._get(name, ".jsonl").rows)


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
                unknown = set(header) - set(into.header)
                if unknown:   # a column the bundled file lacks; one it has may be left out
                    raise RuleError(path, lineno, f"header differs from the bundled file's: {sorted(unknown)}")
            into.header = into.header or header
            continue
        if len(cells) > len(header):
            raise RuleError(path, lineno, f"{len(cells)} fields but the header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        values = dict.fromkeys(into.header, "")   # columns a user's file leaves out are empty
        values.update(zip(header, cells))
        into.rows.append(Row(values, path, lineno))
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
