"""The ``extract`` command: a thin layer over the library.

Exit codes: 0 all inputs read, 1 some input failed, 2 usage error. Errors are one line on stderr.
"""
from __future__ import annotations

import io
import os
import stat
import sys
import time
from collections import Counter
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .model import FACT_TYPES
from .io.reader import collect_sources
from .io.writers import BINARY_FORMATS, EXTENSIONS, FORMATS, make_writer

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


def _is_regular_file(stream) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


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


class _Sink:
    """Where rows go: stdout, one file, or one file per input in a folder."""

    def __init__(self, fmt: str, output: Optional[Path], to_dir: bool):
        self.fmt, self.output, self.to_dir = fmt, output, to_dir
        self.writer = None
        self.handle = None
        self.written: list[Path] = []

    def _open(self, path: Optional[Path]):
        binary = self.fmt in BINARY_FORMATS
        if path is None:
            raw = sys.stdout.buffer
            bom = self.fmt == "csv" and _is_regular_file(raw)  # `> report.csv` should open in Excel
            stream = raw if binary else io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
            return stream, bom, None
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")
        handle = open(tmp, "wb") if binary else open(tmp, "w", encoding="utf-8", newline="")
        return handle, self.fmt == "csv", (tmp, path)

    def begin(self):
        if not self.to_dir:
            stream, bom, self.handle = self._open(self.output)
            self.writer = make_writer(self.fmt, stream, bom=bom)
            self.stream = stream
            self.writer.begin()

    def write(self, name: str, text: str, facts) -> None:
        if not self.to_dir:
            self.writer.write(name, text, facts)
            return
        target = self.output / Path(name).with_suffix(EXTENSIONS[self.fmt])
        if target in self.written:
            target = self.output / f"{name}{EXTENSIONS[self.fmt]}"
        stream, bom, handle = self._open(target)
        writer = make_writer(self.fmt, stream, bom=bom)
        writer.begin()
        writer.write(name, text, facts)
        writer.end()
        self._close(stream, handle)
        self.written.append(target)

    def _close(self, stream, handle):
        if handle is None:
            stream.flush()
            if isinstance(stream, io.TextIOWrapper):
                stream.detach()
            return
        stream.close()
        tmp, path = handle
        os.replace(tmp, path)

    def end(self):
        if not self.to_dir:
            self.writer.end()
            self._close(self.stream, self.handle)


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
    out_path = Path(output) if output else None
    to_dir = out_path is not None and _is_dir_target(out_path, output)
    fmt = _choose_format(fmt, out_path, to_dir)
    if fmt in BINARY_FORMATS and out_path is None and sys.stdout.isatty():
        raise _fail(f"{fmt} is a binary format: give -o FILE or redirect stdout")
    wanted = set(FACT_TYPES)
    if types:
        wanted = {t.strip() for t in types.split(",") if t.strip()}
        unknown = wanted - set(FACT_TYPES)
        if unknown:
            raise _fail(f"unknown --types {', '.join(sorted(unknown))}; choose from {', '.join(FACT_TYPES)}")

    sources, input_errors = collect_sources(inputs)
    if out_path is not None:
        inputs_resolved = {s.path.resolve() for s in sources if s.path is not None}
        if to_dir:
            targets = {(out_path / Path(s.name).with_suffix(EXTENSIONS[fmt])).resolve() for s in sources}
        else:
            targets = {out_path.resolve()}
        clash = sorted(inputs_resolved & targets)
        if clash:
            raise _fail(f"{clash[0]}: output would overwrite this input")
    if sum(1 for s in sources if s.path is None) > 1:
        raise _fail("- (stdin) can be given only once")

    from .batch import Options, run
    from .rules import RuleError, load_rules

    try:
        load_rules(rules)  # a bad rule file is a usage error, reported before any work
    except RuleError as e:
        raise _fail(str(e))

    for err in input_errors:
        typer.echo(f"extract: error: {err}", err=True)
    if not sources:
        raise typer.Exit(1 if input_errors else 2)

    options = Options(encoding=encoding, rule_dirs=tuple(str(r) for r in rules),
                      keep_text=fmt == "html", check_outline=check)
    sink = _Sink(fmt, out_path, to_dir)
    show_progress = not quiet and sys.stderr.isatty() and len(sources) > 1
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: workers are forked, and a fork should find no threads

    counts: Counter[str] = Counter()
    failed = len(input_errors)
    read = 0
    sink.begin()
    try:
        with tqdm(total=len(sources), unit="file", file=sys.stderr, disable=not show_progress,
                  leave=False, dynamic_ncols=True) as bar:
            for result in run(sources, options, jobs):
                bar.update(1)
                if result.error:
                    failed += 1
                    tqdm.write(f"extract: error: {result.error}", file=sys.stderr)
                    continue
                read += 1
                if result.warning:
                    tqdm.write(f"extract: warning: {result.warning}", file=sys.stderr)
                for note in result.notes:
                    tqdm.write(f"extract: outline: {result.name}: {note}", file=sys.stderr)
                facts = [f for f in result.facts if f.type in wanted]
                counts.update(f.type for f in facts)
                sink.write(result.name, result.text, facts)
    finally:
        sink.end()
    if not quiet:
        per_type = ", ".join(_count(counts[t], t) for t in FACT_TYPES if t in wanted)
        secs = time.perf_counter() - started
        typer.echo(f"extract: {_count(read, 'file')} read, {_count(sum(counts.values()), 'fact')} "
                   f"({per_type}), {failed} failed, {secs:.1f}s", err=True)
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
