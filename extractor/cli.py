"""The ``extract`` command: a thin layer over the library.

Exit codes: 0 all inputs read, 1 some input failed, 2 usage error. Errors are one line on stderr.
"""
from __future__ import annotations

import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .io.reader import Source, collect_sources
from .io.sink import Sink
from .io.writers import BINARY_FORMATS, EXTENSIONS, FORMATS
from .model import FACT_TYPES

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


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


def _choose_format(fmt: Optional[str], output: Optional[Path], to_dir: bool) -> str:
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise _fail(f"unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    if output is not None and not to_dir:
        by_ext = {ext: f for f, ext in EXTENSIONS.items()}
        if output.suffix.lower() in by_ext:
            return by_ext[output.suffix.lower()]
    return "csv"


def _is_dir_target(output: Path, raw: str) -> bool:
    return output.is_dir() or raw.endswith(("/", os.sep)) or (not output.exists() and not output.suffix)


def _output(fmt: Optional[str], output: Optional[str], types: Optional[str]) -> _Output:
    path = Path(output) if output else None
    to_dir = path is not None and _is_dir_target(path, output)
    fmt = _choose_format(fmt, path, to_dir)
    if fmt in BINARY_FORMATS and path is None and sys.stdout.isatty():
        raise _fail(f"{fmt} is a binary format: give -o FILE or redirect stdout")
    wanted = set(FACT_TYPES)
    if types:
        wanted = {t.strip() for t in types.split(",") if t.strip()}
        unknown = wanted - set(FACT_TYPES)
        if unknown:
            raise _fail(f"unknown --types {', '.join(sorted(unknown))}; choose from {', '.join(FACT_TYPES)}")
    return _Output(fmt, path, to_dir, frozenset(wanted))


def _refuse_clashes(sources: list[Source], sink: Sink) -> None:
    """No output may overwrite an input, and stdin is read once."""
    inputs = {s.path.resolve() for s in sources if s.path is not None}
    clash = sorted(inputs & {p.resolve() for p in sink.targets_for([s.name for s in sources])})
    if clash:
        raise _fail(f"{clash[0]}: output would overwrite this input")
    if sum(1 for s in sources if s.path is None) > 1:
        raise _fail("- (stdin) can be given only once")


def _load_rules(rules: List[Path]) -> None:
    from .rules import RuleError, load_rules

    try:
        load_rules(rules)  # a bad rule file is a usage error, reported before any work
    except RuleError as e:
        raise _fail(str(e))


@dataclass
class _Tally:
    read: int = 0
    failed: int = 0
    counts: Counter = field(default_factory=Counter)


def _run(sources: list[Source], options, jobs: int, out: _Output, sink: Sink, quiet: bool) -> _Tally:
    """Extract every source into the sink, telling errors and warnings as they come."""
    from tqdm import tqdm

    from .batch import run

    tqdm.monitor_interval = 0  # no monitor thread: workers are forked, and a fork should find no threads
    tally = _Tally()
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
            sink.write(result.name, result.text, facts)
    return tally


@app.command(no_args_is_help=True)
def extract(
    inputs: List[str] = typer.Argument(..., metavar="PATH",
                                       help="Report files (.txt .md .docx), folders (read recursively), or - for stdin."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f",
                                      help=f"Output format: {', '.join(FORMATS)}. Default: from -o's extension, else csv."),
    output: Optional[str] = typer.Option(None, "--output", "-o",
                                         help="Write to FILE, or to DIR with one file per input. Default: stdout."),
    types: Optional[str] = typer.Option(None, "--types", "-t",
                                        help="Keep only these fact types, comma-separated: heading,indicator,task."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes for a batch; 0 = one per core."),
    encoding: Optional[str] = typer.Option(None, "--encoding", "-e",
                                           help="Read inputs in this encoding instead of detecting it."),
    rules: List[Path] = typer.Option([], "--rules", metavar="DIR",
                                     help="Extra rule folder whose files extend the bundled rules/ (repeatable)."),
    check: bool = typer.Option(False, "--check", help="Report outline problems (numbering gaps) on stderr."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no closing summary."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Extract indicators, headings and planned tasks from Chinese work reports into a table."""
    started = time.perf_counter()
    out = _output(fmt, output, types)
    sources, input_errors = collect_sources(inputs)
    sink = Sink(out.fmt, out.path, out.to_dir)
    _refuse_clashes(sources, sink)
    _load_rules(rules)
    for err in input_errors:
        typer.echo(f"extract: error: {err}", err=True)
    if not sources:
        raise typer.Exit(1 if input_errors else 2)

    from .batch import Options

    options = Options(encoding=encoding, rule_dirs=tuple(str(r) for r in rules),
                      keep_text=out.fmt == "html", check_outline=check)
    sink.begin()
    try:
        tally = _run(sources, options, jobs, out, sink, quiet)
    except BaseException:
        sink.abort()   # an interrupted or failed run leaves the previous output as it was
        raise
    sink.end()
    tally.failed += len(input_errors)
    if not quiet:
        per_type = ", ".join(_count(tally.counts[t], t) for t in FACT_TYPES if t in out.types)
        secs = time.perf_counter() - started
        typer.echo(f"extract: {_count(tally.read, 'file')} read, {_count(sum(tally.counts.values()), 'fact')} "
                   f"({per_type}), {tally.failed} failed, {secs:.1f}s", err=True)
    raise typer.Exit(1 if tally.failed else 0)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
