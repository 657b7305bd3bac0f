"""The ``extract`` command: a thin layer over the library.

Exit codes: 0 all inputs read, 1 some input failed, 2 usage error. Errors are one line on stderr.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .across.store import is_store
from .io.reader import Source, collect_sources
from .io.writers import BINARY_FORMATS, EXTENSIONS, FORMATS
from .model import FACT_TYPES

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)

STORE = "sqlite"
ALL_FORMATS = FORMATS + (STORE,)
TABLE_FORMATS = ("csv", "jsonl", "json", "md", "html", "xlsx", "parquet")   # --pivot, --track


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"extract: error: {message}", err=True)
    return typer.Exit(code)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"extract {__version__}")
        raise typer.Exit()


@dataclass(frozen=True)
class _Output:
    """What to write and where, decided from the options before any input is read."""

    fmt: str
    path: Optional[Path]
    to_dir: bool
    types: frozenset[str]
    mode: str                      # "facts", "pivot" or "track"


def _choose_format(fmt: Optional[str], output: Optional[Path], to_dir: bool, allowed: tuple[str, ...]) -> str:
    if fmt:
        fmt = fmt.lower()
        if fmt not in allowed:
            raise _fail(f"unknown --format {fmt!r}; choose one of {', '.join(allowed)}")
        return fmt
    if output is not None and not to_dir:
        if is_store(output) and STORE in allowed:
            return STORE
        by_ext = {ext: f for f, ext in EXTENSIONS.items() if f in allowed}
        if output.suffix.lower() in by_ext:
            return by_ext[output.suffix.lower()]
    return "csv"


def _is_dir_target(output: Path, raw: str) -> bool:
    return output.is_dir() or raw.endswith(("/", os.sep)) or (not output.exists() and not output.suffix)


def _output(fmt: Optional[str], output: Optional[str], types: Optional[str], mode: str) -> _Output:
    path = Path(output) if output else None
    to_dir = path is not None and mode == "facts" and _is_dir_target(path, output)
    chosen = _choose_format(fmt, path, to_dir, ALL_FORMATS if mode == "facts" else TABLE_FORMATS)
    if chosen == STORE and (path is None or to_dir):
        raise _fail("a store is a file: give -o NAME.sqlite")
    if chosen in BINARY_FORMATS + (STORE,) and path is None and sys.stdout.isatty():
        raise _fail(f"{chosen} is a binary format: give -o FILE or redirect stdout")
    wanted = set(FACT_TYPES)
    if types:
        wanted = {t.strip() for t in types.split(",") if t.strip()}
        unknown = wanted - set(FACT_TYPES)
        if unknown:
            raise _fail(f"unknown --types {', '.join(sorted(unknown))}; choose from {', '.join(FACT_TYPES)}")
    return _Output(chosen, path, to_dir, frozenset(wanted), mode)


def _refuse_clashes(sources: list[Source], targets: list[Path]) -> None:
    """No output may overwrite an input, and stdin is read once."""
    inputs = {s.path.resolve() for s in sources if s.path is not None}
    clash = sorted(inputs & {p.resolve() for p in targets})
    if clash:
        raise _fail(f"{clash[0]}: output would overwrite this input")
    if sum(1 for s in sources if s.path is None) > 1:
        raise _fail("- (stdin) can be given only once")


def _load_rules(rules: List[Path]):
    from .rules import RuleError, load_rules

    try:
        return load_rules(rules)  # a bad rule file is a usage error, reported before any work
    except RuleError as e:
        raise _fail(str(e))


@dataclass
class Tally:
    read: int = 0
    failed: int = 0
    unchanged: int = 0
    counts: Counter = field(default_factory=Counter)

    def closing(self, out: _Output, seconds: float) -> str:
        per_type = ", ".join(_count(self.counts[t], t) for t in FACT_TYPES if t in out.types)
        same = f", {self.unchanged} unchanged" if self.unchanged else ""
        return (f"extract: {_count(self.read, 'file')} read{same}, {_count(sum(self.counts.values()), 'fact')} "
                f"({per_type}), {self.failed} failed, {seconds:.1f}s")


def _run(sources: list[Source], options, jobs: int, out: _Output, take, quiet: bool) -> Tally:
    """Extract every source and hand each result's facts and record to ``take``, telling errors and
    warnings as they come."""
    from tqdm import tqdm

    from .batch import run

    tqdm.monitor_interval = 0  # no monitor thread: workers are forked, and a fork should find no threads
    tally = Tally()
    show_progress = not quiet and sys.stderr.isatty() and len(sources) > 1
    with tqdm(total=len(sources), unit="file", file=sys.stderr, disable=not show_progress,
              leave=False, dynamic_ncols=True) as bar:
        for result in run(sources, options, jobs):
            bar.update(1)
            if result.error:
                tally.failed += 1
                tqdm.write(f"extract: error: {result.error}", file=sys.stderr)
                continue
            tally.read += 1
            if result.warning:
                tqdm.write(f"extract: warning: {result.warning}", file=sys.stderr)
            for note in result.notes:
                tqdm.write(f"extract: outline: {result.name}: {note}", file=sys.stderr)
            facts = [f for f in result.facts if f.type in out.types]
            tally.counts.update(f.type for f in facts)
            take(result, facts)
    return tally


def _sha256(source: Source) -> str:
    h = hashlib.sha256()
    try:
        with open(source.path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


@app.command(no_args_is_help=True)
def extract(
    inputs: List[str] = typer.Argument(..., metavar="PATH...",
                                       help="Report files (.txt .md .docx .pdf .html), folders (read recursively), "
                                            "- for stdin, or a store (.sqlite) written by this tool."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT",
                                      help=f"Output format: {', '.join(ALL_FORMATS)}. Default: from -o's extension, "
                                           "else csv."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE|DIR",
                                         help="Write to FILE (NAME.sqlite: a store that grows), or to DIR with one "
                                              "file per input. Default: stdout."),
    types: Optional[str] = typer.Option(None, "--types", "-t", metavar="TYPES",
                                        help="Keep only these fact types, comma-separated: heading,indicator,task."),
    pivot: bool = typer.Option(False, "--pivot", help="Write the pivot: one row per indicator key and unit, one "
                                                      "column per period."),
    track: bool = typer.Option(False, "--track", help="Write the promise table: each target with its outcome "
                                                      "from a later report and a status."),
    documents: Optional[Path] = typer.Option(None, "--documents", metavar="FILE",
                                             help="Also write one record per input (title, kind, year, sha256, "
                                                  "facts per type) to FILE (.csv, .jsonl, .json, .md)."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes for a batch; 0 = one per core."),
    encoding: Optional[str] = typer.Option(None, "--encoding", "-e", metavar="NAME",
                                           help="Read inputs in this encoding instead of detecting it."),
    rules: List[Path] = typer.Option([], "--rules", metavar="DIR",
                                     help="Extra rule folder whose files extend the bundled rules/ (repeatable)."),
    max_size: float = typer.Option(64, "--max-size", metavar="MB", min=0.001,
                                   help="Refuse inputs larger than this many megabytes."),
    timeout: float = typer.Option(600, "--timeout", metavar="SECONDS", min=0,
                                  help="Give up a document that takes longer than this (0: no limit)."),
    check: bool = typer.Option(False, "--check", help="Report outline problems (numbering gaps) on stderr."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no closing summary."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Extract indicators, headings and planned tasks from Chinese work reports into a table."""
    from .batch import Options
    from .runner import Runner

    started = time.perf_counter()
    if pivot and track:
        raise _fail("--pivot and --track are two different tables: give one")
    out = _output(fmt, output, types, "pivot" if pivot else "track" if track else "facts")
    stores = [Path(p) for p in inputs if is_store(Path(p))]
    if stores and len(stores) != len(inputs):
        raise _fail("read either reports or a store, not both")
    sources, input_errors = ([], []) if stores else collect_sources(inputs)
    runner = Runner(out, _load_rules(rules), documents)
    _refuse_clashes(sources, runner.targets([s.name for s in sources]))
    for err in input_errors:
        typer.echo(f"extract: error: {err}", err=True)
    if not sources and not stores:
        raise typer.Exit(1 if input_errors else 2)
    options = Options(encoding=encoding, rule_dirs=tuple(str(r) for r in rules), keep_text=out.fmt == "html",
                      check_outline=check, timeout=timeout, max_bytes=int(max_size * 1024 * 1024))
    tally = runner.go(stores, sources, lambda todo, take: _run(todo, options, jobs, out, take, quiet))
    tally.failed += len(input_errors)
    if not quiet:
        typer.echo(tally.closing(out, time.perf_counter() - started), err=True)
    raise typer.Exit(1 if tally.failed else 0)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
