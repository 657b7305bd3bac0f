"""Where rows go: stdout, one file, or one file per input in a folder — all put in place at once.

Every file of a run is written beside its target under a temporary name (``.NAME.PID.part``) and
moved into place only when the whole run has succeeded (:class:`Outputs`), so an interrupted or
failed run leaves the previous output exactly as it was: the one file, every file of a folder and
the documents and errors files alike. Targets that are not regular files are never replaced: a
character device (/dev/null) or a FIFO with a reader is written into, a FIFO without a reader, a
block device or a socket is refused; a symbolic link is followed (the file it points to is
replaced, the link kept) and a link that cannot be followed is refused. A write that fails (a full
disk, a closed pipe, a folder that cannot be written) raises :class:`OutputError`, one line naming
the output.
"""
from __future__ import annotations

import errno
import io
import os
import signal
import stat
import sys
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..model import DocumentRecord, Fact
from .writers import BINARY_FORMATS, EXTENSIONS, Writer, make_writer


class OutputError(Exception):
    """An output that cannot be written; ``str()`` is the one line shown to the user."""

    def __init__(self, where: str, reason: str):
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}")


def _reason(e: Exception) -> str:
    cause = e if isinstance(e, OSError) else e.__context__ if isinstance(e.__context__, OSError) else None
    return f"cannot write: {cause.strerror or cause}" if cause is not None else f"cannot write: {e}"


def _write_failed(e: Exception) -> bool:
    """Whether ``e`` is a failed write: an OSError, or a writer's wrapping of one (xlsxwriter's
    FileCreateError)."""
    return isinstance(e, OSError) or isinstance(e.__context__, OSError) and type(e).__name__ == "FileCreateError"


def is_regular_file(stream) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


class _Target:
    """One output: a stream and, for a regular file, the temporary file that becomes it."""

    def __init__(self, fmt: str, path: Path | None):
        self.binary = fmt in BINARY_FORMATS
        self.path = path
        self.name = "stdout" if path is None else str(path)
        self.temp: Path | None = None
        self.final: Path | None = None
        self.closed = False
        self.made_dirs: list[Path] = []
        try:
            self._open(fmt, path)
        except OSError as e:
            raise OutputError(self.name, _reason(e)) from None

    def _open(self, fmt: str, path: Path | None) -> None:
        if path is None:
            raw = sys.stdout.buffer
            self.bom = fmt == "csv" and is_regular_file(raw)   # `> report.csv` should open in Excel
            self.stream: IO = raw if self.binary else io.TextIOWrapper(raw, encoding="utf-8", newline="",
                                                                      write_through=True)
            return
        self.bom = fmt == "csv"
        try:
            real = path.resolve() if path.is_symlink() else path
        except (OSError, RuntimeError):
            raise OutputError(self.name, "a symbolic link that cannot be followed (a loop?); not replaced") from None
        if real.exists() and not real.is_file():
            self.stream = self._open_special(real)    # a device or a FIFO: written into, never replaced
            return
        missing = [d for d in (real.parent, *real.parent.parents) if not d.exists()]
        if any(d.exists() and not d.is_dir() for d in (real.parent, *real.parent.parents)):
            raise OutputError(self.name, "cannot write: a file stands where its folder should be")
        real.parent.mkdir(parents=True, exist_ok=True)
        self.made_dirs = missing          # removed again, if still empty, when the run is discarded
        self.temp = real.with_name(f".{real.name}.{os.getpid()}.part")
        self.final = real
        self.stream = self._wrap(open(self.temp, "wb"))

    def _open_special(self, path: Path) -> IO:
        mode = path.stat().st_mode
        if stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
            raise OutputError(self.name, f"a {'block device' if stat.S_ISBLK(mode) else 'socket'}, "
                                         "not a file: refused (it is never replaced or written into)")
        try:   # a FIFO opened without blocking fails at once when nothing reads it
            fd = os.open(path, os.O_WRONLY | (os.O_NONBLOCK if stat.S_ISFIFO(mode) else 0))
        except OSError as e:
            if e.errno == errno.ENXIO:
                raise OutputError(self.name, "a FIFO (named pipe) that nothing reads: refused") from None
            raise
        os.set_blocking(fd, True)
        return self._wrap(open(fd, "wb"))

    def _wrap(self, raw: IO) -> IO:
        return raw if self.binary else io.TextIOWrapper(raw, encoding="utf-8", newline="")

    def finish(self) -> None:
        """Write out what is buffered and close (stdout is flushed and left open)."""
        if self.closed:
            return
        self.closed = True
        try:
            if self.path is None:   # stdout stays open: detached from the text layer, flushed
                raw = self.stream.detach() if isinstance(self.stream, io.TextIOWrapper) else self.stream
                raw.flush()
                return
            self.stream.flush()
            if self.temp is not None:
                os.fsync(self.stream.fileno())
            self.stream.close()
        except OSError as e:
            raise OutputError(self.name, _reason(e)) from None

    def put_in_place(self) -> None:
        if self.temp is not None:
            try:
                os.replace(self.temp, self.final)
            except OSError as e:
                raise OutputError(self.name, _reason(e)) from None
            self.temp = None

    def discard(self) -> None:
        """Leave whatever was at the target untouched and remove the temporary file."""
        if self.path is not None and not self.closed:
            self.closed = True
            try:
                self.stream.close()
            except OSError:
                pass
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)
            self.temp = None


class _Staged:
    """A file that another writer (SQLite) makes at ``temp`` and that becomes ``final`` — with the
    journal files SQLite keeps beside a database."""

    _SIDES = ("-wal", "-shm", "-journal")

    def __init__(self, path: Path):
        self.name = str(path)
        try:
            final = path.resolve() if path.is_symlink() else path
        except (OSError, RuntimeError):
            raise OutputError(self.name, "a symbolic link that cannot be followed (a loop?); not replaced") from None
        if final.exists() and not final.is_file():
            raise OutputError(self.name, "not a regular file: refused (a store is never written into a device)")
        self.made_dirs = [d for d in (final.parent, *final.parent.parents) if not d.exists()]
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OutputError(self.name, _reason(e)) from None
        self.final, self.temp = final, final.with_name(f".{final.name}.{os.getpid()}.part")
        self._remove(self.temp)

    def _remove(self, path: Path) -> None:
        for p in (path, *(path.with_name(path.name + side) for side in self._SIDES)):
            p.unlink(missing_ok=True)

    def finish(self) -> None:
        pass

    def put_in_place(self) -> None:
        try:
            os.replace(self.temp, self.final)
            for side in self._SIDES:    # the old file's journals would be read into the new one
                self.final.with_name(self.final.name + side).unlink(missing_ok=True)
            self._remove(self.temp)
        except OSError as e:
            raise OutputError(self.name, _reason(e)) from None

    def discard(self) -> None:
        self._remove(self.temp)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while the files are moved into place (the main thread only)."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):
        old = None
    try:
        yield
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


class Outputs:
    """Every output of one run: opened as the run goes, put in place together by :meth:`commit`
    when it succeeds, or all left as they were by :meth:`discard`."""

    def __init__(self):
        self._targets: list[_Target] = []

    def open(self, fmt: str, path: Path | None) -> _Target:
        target = _Target(fmt, path)
        self._targets.append(target)
        return target

    def stage(self, path: Path) -> Path:
        """Where to build a file that replaces ``path`` when the run succeeds (a store)."""
        staged = _Staged(path)
        self._targets.append(staged)
        return staged.temp

    @contextmanager
    def writing(self, fmt: str, path: Path | None) -> Iterator[_Target]:
        """A target for one whole output, its write errors told as :class:`OutputError`."""
        target = self.open(fmt, path)
        try:
            yield target
        except Exception as e:
            if _write_failed(e):
                raise OutputError(target.name, _reason(e)) from None
            raise
        target.finish()

    def commit(self) -> None:
        for t in self._targets:
            t.finish()
        with _signals_held():
            for t in self._targets:
                t.put_in_place()
        self._targets = []

    def discard(self) -> None:
        for t in self._targets:
            t.discard()
        for d in sorted({d for t in self._targets for d in t.made_dirs}, key=lambda d: -len(d.parts)):
            try:
                d.rmdir()                 # a folder this run made, if nothing else went into it
            except OSError:
                pass
        self._targets = []


def target_paths(fmt: str, output: Path | None, to_dir: bool, names: Sequence[str]) -> list[Path]:
    """The files a run over inputs of these names writes: the one file, or in a folder one per
    input, mirroring sub-folders; inputs of the same name get distinct files (x.csv, x-2.csv …)."""
    if output is None:
        return []
    if not to_dir:
        return [output]
    ext, taken, out = EXTENSIONS[fmt], set(), []
    for name in names:
        base = Path(name).with_suffix(ext)
        path, k = base, 2
        while path in taken:
            path = base.with_name(f"{base.stem}-{k}{ext}")
            k += 1
        taken.add(path)
        out.append(output / path)
    return out


class Sink:
    """Feeds one writer (stdout or a file) or one writer per input (a folder). ``keys`` are the
    inputs in run order (a key and the name of each): in a folder, inputs of the same name get
    distinct files (x.csv, x-2.csv …)."""

    def __init__(self, fmt: str, output: Path | None, to_dir: bool, outputs: Outputs,
                 keys: Sequence[tuple[str, str]] = ()):
        self.fmt, self.output, self.to_dir, self.outputs = fmt, output, to_dir, outputs
        self.target: _Target | None = None
        self.writer: Writer | None = None
        self.paths: dict[str, deque[Path]] = defaultdict(deque)
        for (key, _), path in zip(keys, target_paths(fmt, output, to_dir, [name for _, name in keys])):
            self.paths[key].append(path)

    def begin(self) -> None:
        if not self.to_dir:
            self.target = self.outputs.open(self.fmt, self.output)
            self.writer = make_writer(self.fmt, self.target.stream, bom=self.target.bom)
            self._guarded(self.target, self.writer.begin)

    def write(self, key: str, name: str, text: str, facts: Iterable[Fact],
              record: DocumentRecord | None = None, rows: str | None = None) -> None:
        """One input's facts, or ``rows``: the same as text, written beforehand by
        :func:`~extractor.io.writers.rows_text` for this format (then ``facts`` is not read)."""
        if not self.to_dir:
            self._put(self.target, self.writer, name, text, facts, rows)
            if record is not None:
                self.writer.document(record)
            return
        queue = self.paths[key]
        path = queue.popleft() if queue else target_paths(self.fmt, self.output, True, [name])[0]
        target = self.outputs.open(self.fmt, path)
        writer = make_writer(self.fmt, target.stream, bom=target.bom)
        self._guarded(target, writer.begin)
        self._put(target, writer, name, text, facts, rows)
        self._guarded(target, writer.end)
        target.finish()

    def _put(self, target: _Target, writer: Writer, name: str, text: str, facts: Iterable[Fact],
             rows: str | None) -> None:
        if rows is None:
            self._guarded(target, writer.write, name, text, facts)
        else:
            self._guarded(target, writer.write_rows, rows)

    def end(self) -> None:
        if self.target is not None:
            self._guarded(self.target, self.writer.end)
            self.target.finish()
            self.target = None

    @staticmethod
    def _guarded(target: _Target, call, *args) -> None:
        try:
            call(*args)
        except Exception as e:
            if _write_failed(e):
                raise OutputError(target.name, _reason(e)) from None
            raise
