"""Bounds on what a reader takes in, so that no input can exhaust memory, time or the stack.

Every reader is bounded by ``max_bytes`` (the input's size; the CLI's ``--max-size`` raises it). A file
is opened without blocking and refused unless it is a regular file, so a FIFO with no writer or a
device such as /dev/zero never hangs the tool; stdin and files are read in chunks, never more than
``max_bytes + 1`` bytes. Formats that expand (a .docx is a zip of XML) are checked before anything
is expanded: the declared size and the compression ratio of the part that is read, then its depth
as it is parsed.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

# The largest input read by default: far above any report (a 300-page PDF with figures is ~20 MB).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# A .docx part is refused when it would expand past this many times max_bytes ...
MAX_EXPANSION = 4
# ... or when it compresses better than this (word/document.xml of real reports: 3–15 to 1;
# a zip bomb: about 1000 to 1), once it is larger than SMALL_PART bytes.
MAX_COMPRESSION_RATIO = 100
SMALL_PART = 1024 * 1024
# XML nesting deeper than this is refused (a table in a table cell costs 3 levels).
MAX_XML_DEPTH = 1000
# Chunks in which files and streams are read.
CHUNK = 1024 * 1024


class LimitExceeded(Exception):
    """An input over a bound; ``str()`` is the reason, the caller adds the input's name."""


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def too_large(max_bytes: int) -> str:
    return f"larger than the {megabytes(max_bytes)} limit (raise it with --max-size)"


def read_bounded(stream: BinaryIO, max_bytes: int) -> bytes:
    """All of ``stream``, read in chunks; raises LimitExceeded once more than max_bytes arrive."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise LimitExceeded(too_large(max_bytes))


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def read_file_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most max_bytes.

    The file is opened non-blocking (opening a FIFO that has no writer would otherwise wait
    forever) and refused unless fstat says it is a regular file; its size is checked before
    reading, and the read itself stops at max_bytes + 1 in case the file grows meanwhile.
    Raises LimitExceeded, or OSError from opening.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind_of(info.st_mode)
            if kind == "a directory":
                raise IsADirectoryError(path)
            raise LimitExceeded(f"{kind}, not a regular file; to read a stream, pipe it to stdin as -")
        if info.st_size > max_bytes:
            raise LimitExceeded(too_large(max_bytes))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as stream:
            fd = -1
            return read_bounded(stream, max_bytes)
    finally:
        if fd >= 0:
            os.close(fd)
