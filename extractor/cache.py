"""The user cache: what the pipeline builds from data that rarely changes (jieba's dictionary with
its flags and the user words, the compiled rule patterns), kept between runs so that a process
starts in a fraction of the time. Each file is keyed by what it was made from; a cache that cannot
be read is rebuilt and one that cannot be written only costs the next start its time."""
from __future__ import annotations

import _sre
import hashlib
import io
import marshal
import os
import pickle
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import regex

ENV_DIR = "EXTRACTOR_CACHE_DIR"   # an explicit folder (tests, read-only homes); else XDG_CACHE_HOME


def cache_dir() -> Path:
    """``$EXTRACTOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/extractor``, else ``~/.cache/extractor``."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "extractor"


# A cache file no process has used for this long goes when another file of its kind is written (a
# kind: the name before its key, "jieba", "patterns" …; each version of Python, regex, the rules'
# user words or this package's code makes new files of a kind, and the old ones would stay for ever).
UNUSED_DAYS = 30


def read(name: str) -> bytes | None:
    """The bytes of the cache file ``name``, or None when there is none (or it cannot be read)."""
    file = cache_dir() / name
    try:
        data = file.read_bytes()
    except OSError:
        return None
    _used(file)
    return data


def path(name: str) -> Path | None:
    """The cache file ``name`` (for a reader that maps it instead of reading it), or None when there
    is none."""
    file = cache_dir() / name
    if not file.is_file():
        return None
    _used(file)
    return file


def _used(file: Path) -> None:
    """Mark ``file`` used now (its time of change: file systems keep no reliable time of reading)."""
    try:
        os.utime(file)
    except OSError:
        pass


def write(name: str, data: bytes) -> None:
    """Put ``data`` in the cache file ``name`` whole (a reader never sees half of it); errors are
    ignored. Files of the same kind unused for :data:`UNUSED_DAYS` go."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, folder / name)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return
    _prune(folder, name)


def _kind(name: str) -> str:
    return name.rsplit("-", 1)[0]


def _prune(folder: Path, name: str) -> None:
    """Remove the files of ``name``'s kind that no process has used for :data:`UNUSED_DAYS`."""
    kind, oldest = _kind(name), time.time() - UNUSED_DAYS * 86400
    try:
        for file in folder.iterdir():
            try:
                if file.name != name and _kind(file.name) == kind and file.stat().st_mtime < oldest:
                    file.unlink()
            except OSError:   # gone meanwhile, or in use where the system keeps it (Windows)
                pass
    except OSError:
        pass


class _PatternUnpickler(pickle.Unpickler):
    """Reads back compiled patterns and nothing else: the only callable a cache file may name is
    the regex module's own constructor of a compiled pattern (what ``pickle`` writes for one)."""

    _ALLOWED = {("regex._regex", "compile"), ("_regex", "compile"), ("builtins", "frozenset"),
                ("builtins", "set")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a compiled pattern")
        return super().find_class(module, name)


class CompiledPatterns:
    """Compiled regex patterns by pattern and flags, kept in the user cache (this module)
    between runs. Compiling the rules' patterns costs most of a second at every start (the quantity
    pattern alone is tens of kilobytes); reading the compiled code back costs a hundredth of that.
    A pattern is looked up by its own text, so a file made from other rules only misses; the file is
    named by the regex module's and Python's versions. Only the bundled rules are kept (``stored``):
    with a user's folders the patterns are compiled in the process, so that trying rules never
    fills the cache with files of rules no longer used."""

    def __init__(self, stored: bool, kind: str = "patterns"):
        key = hashlib.sha256(repr((regex.__version__, sys.version)).encode())
        self._name = f"{kind}-{key.hexdigest()[:32]}.pickle" if stored else None
        self._patterns: dict[tuple[str, int], regex.Pattern] = {}
        self._used: set[tuple[str, int]] = set()
        self._added = False
        data = read(self._name) if self._name else None
        if data is not None:
            try:
                got = _PatternUnpickler(io.BytesIO(data)).load()
                if isinstance(got, dict):
                    self._patterns = got
            except Exception:   # a damaged or foreign file is only a miss: the patterns compile again
                self._patterns = {}

    @property
    def stored(self) -> bool:
        """Are these patterns kept in the cache (the bundled rules alone)?"""
        return self._name is not None

    def compile(self, pattern: str, flags: int = 0) -> regex.Pattern:
        key = (pattern, int(flags))
        got = self._patterns.get(key)
        if got is None:
            got = self._patterns[key] = regex.compile(pattern, flags)
            self._added = True
        self._used.add(key)
        return got

    def save(self) -> None:
        """Write the patterns used in this process to the cache when some were compiled in it (the
        patterns of rules changed since are dropped then, so the file never grows with them)."""
        if self._added and self._name:
            used = {key: p for key, p in self._patterns.items() if key in self._used}
            write(self._name, pickle.dumps(used, protocol=pickle.HIGHEST_PROTOCOL))
            self._added = False


class StandardPatterns:
    """Patterns of the standard library's ``re``, kept compiled between runs. ``re`` keeps no
    compiled pattern on disk (pickling one keeps its text, and reading it back compiles it again),
    and parsing the build's few hundred patterns costs a tenth of a second at every start. What its
    compiler hands to ``_sre`` (the code and the groups) is kept instead, in a :class:`Memo` named by
    Python's exact version, and given back to ``_sre`` as ``re.compile`` does. An entry is kept only
    when the pattern it makes equals the one of ``re.compile`` (equal patterns have equal code), so
    a Python whose compiler works otherwise only misses."""

    def __init__(self):
        self._memo = Memo("re", sys.implementation.cache_tag)

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern:
        key = (pattern, int(flags))
        parts = self._memo.get(key, lambda: _checked_parts(pattern, key[1]))
        if parts is not None:
            try:
                return _sre.compile(pattern, *parts)
            except Exception:   # an entry of another build of the same version: made again here
                self._memo.put(key, _checked_parts(pattern, key[1]))
        return re.compile(pattern, flags)

    def save(self) -> None:
        """Write the patterns used in this process to the cache when one of them was new (as
        :func:`save_derived` does)."""
        self._memo.save()


def _checked_parts(pattern: str, flags: int) -> tuple | None:
    """:func:`_compiled_parts`, where the pattern they make equals ``re.compile``'s, else None."""
    parts = _compiled_parts(pattern, flags)
    return parts if parts is not None and _sre.compile(pattern, *parts) == re.compile(pattern, flags) else None


def _compiled_parts(pattern: str, flags: int) -> tuple | None:
    """The arguments after the pattern that ``re``'s compiler gives ``_sre.compile`` (as
    ``re._compiler.compile`` makes them), or None where they cannot be had."""
    try:
        from re import _compiler, _parser

        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        # the opcodes are named int constants: plain ints are what marshal keeps and _sre reads alike
        return (int(flags | parsed.state.flags), [int(c) for c in code], int(parsed.state.groups - 1),
                groupindex, tuple(indexgroup))
    except Exception:   # another Python's compiler: the pattern is compiled by re alone, every time
        return None


class Memo:
    """What pure functions read from text (the strings a pattern needs, say), kept between runs:
    the build reads the same patterns at every start. The file is named by ``version``, which must
    change whenever the functions may answer otherwise (their module's source, Python's version);
    it is read on first use and written by :meth:`save` with the entries used in this process
    when one was new."""

    def __init__(self, name: str, version: str | None):
        key = hashlib.sha256(repr((version, sys.version)).encode())
        # no version (the source could not be read): nothing is read or kept
        self._name = f"{name}-{key.hexdigest()[:32]}.marshal" if version is not None else None
        self._values: dict | None = None     # read on first use
        self._used: dict = {}
        self._added = False
        _MEMOS.append(self)

    def get(self, key, compute):
        """The value of ``key``, ``compute()`` when it is not known yet."""
        values = self._known()
        try:
            value = values[key]
        except KeyError:
            value = values[key] = compute()
            self._added = True
        self._used[key] = value
        return value

    def put(self, key, value) -> None:
        """Take ``value`` for ``key`` in place of what was known."""
        self._known()[key] = self._used[key] = value
        self._added = True

    def _known(self) -> dict:
        if self._values is None:   # read on first use
            self._values = _read_dict(self._name) if self._name else {}
        return self._values

    def save(self) -> None:
        if self._added and self._name:
            _write_dict(self._name, self._used)
            self._added = False


def source_version(*module_files: str) -> str | None:
    """A version of modules for :class:`Memo`: the hash of their source, None when one cannot be read."""
    h = hashlib.sha256()
    try:
        for file in module_files:
            h.update(Path(file).read_bytes())
    except OSError:
        return None
    return h.hexdigest()


def _read_dict(name: str) -> dict:
    data = read(name)
    try:
        got = marshal.loads(data) if data is not None else {}
    except (EOFError, ValueError, TypeError):
        got = {}
    return got if isinstance(got, dict) else {}


def _write_dict(name: str, values: dict) -> None:
    try:
        write(name, marshal.dumps(values))
    except ValueError:   # a value marshal cannot keep: it is computed again next time
        pass


_MEMOS: list[Memo] = []
STANDARD = StandardPatterns()   # the process's


_MODULE_PATTERNS: CompiledPatterns | None = None   # read on first use


def compile_regex(pattern: str, flags: int = 0) -> regex.Pattern:
    """``regex.compile(pattern, flags)`` for the patterns the modules compile as they are imported,
    kept compiled in the cache between runs (regex's parser is pure Python: some seventy patterns
    cost 10 ms at every start)."""
    global _MODULE_PATTERNS
    if _MODULE_PATTERNS is None:
        _MODULE_PATTERNS = CompiledPatterns(stored=True, kind="module-patterns")
    return _MODULE_PATTERNS.compile(pattern, flags)


def save_derived() -> None:
    """Write what the build compiled and read from its patterns, for the next process (call it
    after a build from the bundled rules alone, so that a user's patterns never fill the cache)."""
    if _MODULE_PATTERNS is not None:
        _MODULE_PATTERNS.save()
    for memo in _MEMOS:
        memo.save()


def compile_standard(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, kept compiled in the cache between runs (:class:`StandardPatterns`)."""
    return STANDARD.compile(pattern, flags)
