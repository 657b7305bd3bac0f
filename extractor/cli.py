"""The ``extract`` command: a thin layer over the library.

Exit codes: 0 all inputs read, 1 some input failed or an output could not be written, 2 usage error
(a bad option, a bad rules file), 130 interrupted. Errors are one line on stderr, never a traceback
(``EXTRACT_DEBUG=1`` shows the traceback of an internal error).
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import io
import os
import signal
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import click
import typer
from typer.core import TyperArgument, TyperCommand

from . import __version__
from .across.store import is_store
from .io.reader import Source, collect_sources
from .io.writers import BINARY_FORMATS, EXTENSIONS, FORMATS
from .model import FACT_TYPES

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


class _Argument(TyperArgument):
    """An argument shown in help by its metavar alone ("PATH..."), without braces or a type."""

    def display_type_rich(self, ctx):
        return None

    def _usage_display_name(self) -> str:
        return self.display_name_raw

    def _rich_display_name(self) -> str:
        return self.display_name_raw


class _Command(TyperCommand):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = _Argument

STORE = "sqlite"
ALL_FORMATS = FORMATS + (STORE,)
TABLE_FORMATS = ("csv", "jsonl", "json", "md", "html", "xlsx", "parquet")   # --pivot, --track
ENGINES = ("local", "dask")   # local: a process pool on this machine; dask: a dask.distributed cluster


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
    inputs = {os.path.realpath(s.path) for s in sources if s.path is not None}
    clash = sorted(inputs & {os.path.realpath(p) for p in targets})
    if clash:
        raise _fail(f"{clash[0]}: output would overwrite this input")
    if sum(1 for s in sources if s.path is None) > 1:
        raise _fail("- (stdin) can be given only once")


def _load_rules(rules: List[Path], build: bool):
    """The rules, and with ``build`` the pipeline built from them: a bad rule file is a usage
    error, reported before any work — also one that only a stage notices as it is built."""
    from .rules import RuleError, load_rules

    try:
        if build:
            from .pipeline import get_pipeline

            loaded = get_pipeline(rules).rules   # the rules are read once, by the pipeline's build
        else:
            loaded = load_rules(rules)
    except RuleError as e:
        raise _fail(str(e))
    except (ValueError, OSError, LookupError) as e:   # the bundled rules build: the user's rules broke it
        raise _fail(f"the rules of {', '.join(map(str, rules))} cannot be used: {' '.join(str(e).split())}")
    return loaded


@dataclass
class Tally:
    read: int = 0
    failed: int = 0
    unchanged: int = 0
    counts: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)   # (path, reason) of every input that failed
    rules_failed: bool = False                     # some failure was a rule's (a --rules pattern too slow)

    def closing(self, out: _Output, seconds: float) -> str:
        per_type = ", ".join(_count(self.counts[t], t) for t in FACT_TYPES if t in out.types)
        same = f", {self.unchanged} unchanged" if self.unchanged else ""
        return (f"extract: {_count(self.read, 'file')} read{same}, {_count(sum(self.counts.values()), 'fact')} "
                f"({per_type}), {self.failed} failed, {seconds:.1f}s")


def _engine(engine: str, scheduler: Optional[str]):
    """The batch runner the options ask for: ``run(sources, options, jobs)``."""
    engine = engine.lower()
    if engine not in ENGINES:
        raise _fail(f"unknown --engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "local":
        if scheduler:
            raise _fail("--scheduler is the address of a dask scheduler: give it with --engine dask")
        from .batch import run

        return run
    from .cluster import ClusterError, require_dask, run_dask

    try:
        require_dask()
    except ClusterError as e:
        raise _fail(str(e))
    return lambda sources, options, jobs: run_dask(sources, options, jobs, scheduler)


def _run(sources: list[Source], options, jobs: int, out: _Output, take, quiet: bool, run=None) -> Tally:
    """Extract every source with ``run`` (the local process pool unless told) and hand each
    result's facts and record to ``take``, telling errors and warnings as they come."""
    if run is None:
        from .batch import run

    tally = Tally()
    show_progress = not quiet and sys.stderr.isatty() and len(sources) > 1
    if show_progress:
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: workers are forked, and a fork should find no threads
        bar, tell = tqdm(total=len(sources), unit="file", file=sys.stderr, leave=False, dynamic_ncols=True), tqdm.write
    else:
        bar, tell = _NoBar(), _NoBar.write
    with bar:
        for result in run(sources, options, jobs):
            bar.update(1)
            if result.error:
                tally.failed += 1
                tally.failures.append((result.path, result.reason or result.error))
                tally.rules_failed |= result.rules
                tell(f"extract: error: {result.error}", file=sys.stderr)
                continue
            tally.read += 1
            if result.warning:
                tell(f"extract: warning: {result.warning}", file=sys.stderr)
            for note in result.notes:
                tell(f"extract: outline: {result.name}: {note}", file=sys.stderr)
            tally.counts.update(result.counts)   # the facts were of the kept types already (Options.types)
            take(result, result.facts)
    return tally


class _NoBar:
    """What the loop asks of its progress bar where none is shown (tqdm is imported for a bar alone)."""

    def __enter__(self) -> "_NoBar":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int = 1) -> None:
        pass

    @staticmethod
    def write(line: str, file=None) -> None:
        print(line, file=file)


def _sha256(source: Source) -> str:
    h = hashlib.sha256()
    try:
        with open(source.path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


@app.command(no_args_is_help=True, cls=_Command)
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
    errors: Optional[Path] = typer.Option(None, "--errors", metavar="FILE",
                                          help="Also write the inputs that failed, one row each (path, reason), "
                                               "to FILE (.csv, .jsonl, .json, .md)."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, metavar="N",
                             help="Worker processes for a batch (of the local cluster with --engine dask); "
                                  "0 = one per core."),
    engine: str = typer.Option("local", "--engine", metavar="ENGINE",
                               help="Where a batch runs: local (processes on this machine) or dask "
                                    "(a dask.distributed cluster; needs extractor[cluster])."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help="With --engine dask: the scheduler's address "
                                                 "(tcp://HOST:8786). Default: a local cluster of --jobs workers."),
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
    with _one_line_errors():
        _extract(inputs, fmt, output, types, pivot, track, documents, errors, jobs, encoding, rules, max_size,
                 timeout, check, quiet, engine, scheduler)


def _extract(inputs, fmt, output, types, pivot, track, documents, errors, jobs, encoding, rules, max_size,
             timeout, check, quiet, engine="local", scheduler=None) -> None:
    from .batch import Options
    from .runner import Runner

    started = time.perf_counter()
    if pivot and track:
        raise _fail("--pivot and --track are two different tables: give one")
    out = _output(fmt, output, types, "pivot" if pivot else "track" if track else "facts")
    batch_run = _engine(engine, scheduler)
    stores = [Path(p) for p in inputs if is_store(Path(p))]
    if stores and len(stores) != len(inputs):
        raise _fail("read either reports or a store, not both")
    sources, input_errors = ([], []) if stores else collect_sources(inputs)
    # the pipeline is built here to find a bad --rules folder before any work, and for the local
    # engine's workers to share; a dask worker builds its own, so with the bundled rules alone the
    # client need not (stdin, read here, builds it when it comes)
    build = bool(sources) and (engine.lower() != "dask" or bool(rules))
    runner = Runner(out, _load_rules(rules, build=build), documents, errors)
    _refuse_clashes(sources, runner.targets([s.name for s in sources]))
    for err in input_errors:
        typer.echo(f"extract: error: {err}", err=True)
    _tell_renamed(out, sources, runner)
    if not sources and not stores:
        runner.report([(e.name, e.reason) for e in input_errors])
        raise typer.Exit(1 if input_errors else 2)
    options = Options(encoding=encoding, rule_dirs=tuple(str(r) for r in rules), keep_text=out.fmt == "html",
                      check_outline=check, timeout=timeout, max_bytes=int(max_size * 1024 * 1024),
                      types=out.types, rows_as=_rows_as(out, stores))
    tally = runner.go(stores, sources, lambda todo, take: _run(todo, options, jobs, out, take, quiet, batch_run),
                      [(e.name, e.reason) for e in input_errors])
    tally.failed += len(input_errors)
    if not quiet:
        typer.echo(tally.closing(out, time.perf_counter() - started), err=True)
    if sources and not tally.read and not tally.unchanged and out.path is not None:
        typer.echo(f"extract: note: no input could be read: {out.path} is left as it was", err=True)
    raise typer.Exit(2 if tally.rules_failed else 1 if tally.failed else 0)


def _rows_as(out: _Output, stores: list[Path]) -> Optional[str]:
    """The text format workers write the rows in, when the output is a table of facts in one:
    the command then only passes the text on."""
    from .io.writers import ROW_FORMATS

    return out.fmt if out.mode == "facts" and out.fmt in ROW_FORMATS and not stores else None


def _tell_renamed(out: _Output, sources: list[Source], runner) -> None:
    """In a folder, inputs that share a name get distinct files: say which."""
    if not out.to_dir:
        return
    seen: dict[str, Source] = {}
    for source, path in zip(sources, runner.targets([s.name for s in sources])):
        first = seen.setdefault(source.name, source)
        if first is not source:
            typer.echo(f"extract: note: {source.path or '-'} has the name of {first.path or '-'}: "
                       f"written as {path}", err=True)


class _Interrupted(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: the run stops and leaves the previous outputs."""


def _terminate(owner: int, signum, frame):
    """SIGTERM in the command's process: stop as Ctrl-C does. In a worker forked from it that has
    not yet set its own handler (a pool that broke stops its workers as they start) it is what it
    is by default: the end of that worker, without a traceback."""
    if os.getpid() != owner:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise _Interrupted()


@contextmanager
def _one_line_errors():
    """Every failure of the command as one line on stderr and its exit code; never a traceback."""
    from .across.store import StoreError
    from .cluster import ClusterError
    from .io.sink import OutputError

    try:
        previous = signal.signal(signal.SIGTERM, functools.partial(_terminate, os.getpid()))
    except ValueError:          # not the main thread (the command run inside a test's thread)
        previous = None
    try:
        yield
    except (typer.Exit, click.exceptions.ClickException):
        raise
    except KeyboardInterrupt:
        raise _fail("interrupted; the previous output is left as it was", 130) from None
    except OutputError as e:
        _quiet_stdout()
        raise _fail(str(e), 1) from None
    except StoreError as e:
        raise _fail(str(e), 1) from None
    except ClusterError as e:   # a scheduler that cannot be reached
        raise _fail(str(e), 1) from None
    except OSError as e:        # a write to stdout or stderr that failed outside the writers
        _quiet_stdout()
        where = e.filename or "stdout"
        raise _fail(f"{where}: cannot write: {e.strerror or e}", 1) from None
    except Exception as e:
        if os.environ.get("EXTRACT_DEBUG"):
            raise
        raise _fail(f"internal error ({type(e).__name__}: {' '.join(str(e).split())}); "
                    "EXTRACT_DEBUG=1 shows where", 1) from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _quiet_stdout() -> None:
    """After stdout failed (a closed pipe, a full disk), send what Python still flushes at exit to
    /dev/null, so that no second message follows the one line."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _unraisable(hook_args) -> None:
    """An error Python can only report while it cleans up (a zip writer collected after its output
    failed): the failure itself has been told in one line; with EXTRACT_DEBUG it is shown."""
    if os.environ.get("EXTRACT_DEBUG"):
        sys.__unraisablehook__(hook_args)


def main() -> None:
    sys.unraisablehook = _unraisable
    try:
        app()
    except KeyboardInterrupt:      # Ctrl-C before or after the command ran (while starting, or exiting)
        sys.stderr.write("extract: error: interrupted\n")
        _leave(130)
    except SystemExit as e:
        _leave(e.code)
    _leave(0)


def _leave(code) -> None:
    """End the process as ``sys.exit(code)`` would, without the interpreter's clean-up: the exit
    functions run and the standard streams are flushed, but the objects are not freed one by one
    (the pipeline's objects, a tenth of a second at the end of every run). The command has closed its
    outputs by now; what is left is only freed. While a thread other than the daemons still runs (a
    pool's manager after Ctrl-C stopped its workers), the interpreter's own exit is taken: it joins
    such threads first, and ending the process under one would cut it off half-way."""
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(f"{code}\n")   # sys.exit("message") prints it and exits with 1
        code = 1
    main_thread = threading.main_thread()
    if any(t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate()):
        sys.exit(code)
    try:
        atexit._run_exitfuncs()
    except BaseException:   # an exit function's failure is reported by the function itself
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):   # closed, or a pipe whose reader went away
            code = code or 120                          # as Python's own exit when a flush fails
    os._exit(code)


if __name__ == "__main__":
    main()
