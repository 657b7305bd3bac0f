"""Where rows go: stdout, one file, or one file per input in a folder.

A file is written beside its target under a temporary name and moved into place only when the run
succeeds, so an interrupted or failed run leaves the previous output exactly as it was. A target
that exists and is not a regular file (a device such as /dev/null, a FIFO) is written into, never
replaced; a symbolic link is followed and the file it points to replaced, the link kept.
"""
from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from contextlib import contextmanager

from ..model import DocumentRecord, Fact
from .writers import BINARY_FORMATS, EXTENSIONS, Writer, make_writer


def is_regular_file(stream) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


class _Target:
    """One output: a stream and, for a file, how to put it in place when done."""

    def __init__(self, fmt: str, path: Path | None):
        self.binary = fmt in BINARY_FORMATS
        self.path = path
        self.temp: Path | None = None
        if path is None:
            raw = sys.stdout.buffer
            self.bom = fmt == "csv" and is_regular_file(raw)   # `> report.csv` should open in Excel
            self.stream: IO = raw if self.binary else io.TextIOWrapper(raw, encoding="utf-8", newline="",
                                                                      write_through=True)
            return
        self.bom = fmt == "csv"
        real = path.resolve() if path.is_symlink() else path
        if real.exists() and not real.is_file():
            self.stream = self._open(real)          # a device or a FIFO: write into it
            return
        real.parent.mkdir(parents=True, exist_ok=True)
        self.temp = real.with_name(f".{real.name}.{os.getpid()}.part")
        self.final = real
        self.stream = self._open(self.temp)

    def _open(self, path: Path) -> IO:
        return open(path, "wb") if self.binary else open(path, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        if self.path is None:
            self.stream.flush()
            if isinstance(self.stream, io.TextIOWrapper):
                self.stream.detach()
            return
        self.stream.close()
        if self.temp is not None:
            os.replace(self.temp, self.final)
            self.temp = None

    def discard(self) -> None:
        """Leave whatever was at the target untouched and remove the temporary file."""
        if self.path is None:
            return
        try:
            self.stream.close()
        finally:
            if self.temp is not None:
                self.temp.unlink(missing_ok=True)
                self.temp = None


class Sink:
    """Feeds one writer (stdout or a file) or one writer per input (a folder)."""

    def __init__(self, fmt: str, output: Path | None, to_dir: bool):
        self.fmt, self.output, self.to_dir = fmt, output, to_dir
        self.target: _Target | None = None
        self.writer: Writer | None = None
        self.written: list[Path] = []

    def targets_for(self, names: Sequence[str]) -> list[Path]:
        """The files a run over inputs of these names writes (all of them, or the one file)."""
        if self.output is None:
            return []
        if not self.to_dir:
            return [self.output]
        return [self.output / Path(n).with_suffix(EXTENSIONS[self.fmt]) for n in names]

    def begin(self) -> None:
        if not self.to_dir:
            self.target = _Target(self.fmt, self.output)
            self.writer = make_writer(self.fmt, self.target.stream, bom=self.target.bom)
            self.writer.begin()

    def write(self, name: str, text: str, facts: Sequence[Fact], record: DocumentRecord | None = None) -> None:
        if not self.to_dir:
            self.writer.write(name, text, facts)
            if record is not None:
                self.writer.document(record)
            return
        path = self.output / Path(name).with_suffix(EXTENSIONS[self.fmt])
        if path in self.written:
            path = self.output / f"{name}{EXTENSIONS[self.fmt]}"
        target = _Target(self.fmt, path)
        try:
            writer = make_writer(self.fmt, target.stream, bom=target.bom)
            writer.begin()
            writer.write(name, text, facts)
            writer.end()
        except BaseException:
            target.discard()
            raise
        target.commit()
        self.written.append(path)

    def end(self) -> None:
        if self.target is not None:
            self.writer.end()
            self.target.commit()
            self.target = None

    def abort(self) -> None:
        if self.target is not None:
            self.target.discard()
            self.target = None


@contextmanager
def open_target(fmt: str, path: Path | None):
    """A stream for one whole output (stdout or a file), put in place only when the block succeeds."""
    target = _Target(fmt, path)
    try:
        yield target
    except BaseException:
        target.discard()
        raise
    target.commit()
