"""Reading inputs: files, folders and stdin, as text with universal newlines.

What an input is comes from its bytes where they say it unambiguously (a PDF, a zip that is a
.docx), else from its extension (.html/.htm a web page; .txt/.md text), and on stdin from a look at
its first bytes. Every reader is bounded (see :mod:`limits`); every failure is an
:class:`InputError` naming the input and the reason in one line, which the CLI prints and a batch
records before it goes on with the other files.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import compile_standard
from . import limits
from .encoding import decode, universal_newlines
from .errors import EmptyInput, InputError
from .officedoc import read_docx

__all__ = ["SUPPORTED", "Source", "Document", "InputError", "EmptyInput", "collect_sources",
           "read_source", "read_bytes", "decode", "read_docx", "universal_newlines"]

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
# Files in a folder that describe the folder rather than being reports; read only when named.
NOT_REPORTS = ("readme", "license", "licence", "changelog", "manifest")

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# A web page on stdin: its first tag, after a BOM, blank space or comments.
_HTML_START = compile_standard(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b",
                         re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Source:
    """One input to read: ``path`` on disk (None for stdin) and the ``name`` used in the doc column."""

    path: Path | None
    name: str


@dataclass(frozen=True, slots=True)
class Document:
    """An input read as text: what every later stage works on, offsets included."""

    name: str                      # the doc column: path relative to the folder given, or "-"
    text: str                      # the text as decoded or extracted, universal newlines
    encoding: str                  # the text encoding, or "docx", "pdf", "html+<encoding>"
    sha256: str = ""               # of the input's bytes, as read
    path: Path | None = None       # on disk; None for stdin
    kind: str = "text"             # "text", "docx", "pdf" or "html"
    page_starts: tuple[int, ...] = field(default=())  # PDF: offset in text where each page begins


def _kind(data: bytes, suffix: str) -> str:
    if _PDF_MAGIC in data[:1024]:  # a PDF header may follow some junk (PDF 1.7, 7.5.2)
        return "pdf"
    if suffix == ".docx" or (suffix == "" and data.startswith(_ZIP_MAGIC)):
        return "docx"
    if suffix in (".html", ".htm") or (suffix == "" and _HTML_START.match(data[:4096])):
        return "html"
    return "text"


def read_bytes(data: bytes, name: str, suffix: str, encoding: str | None = None,
               max_bytes: int | None = None, path: Path | None = None) -> Document:
    """Read one input's bytes; ``suffix`` is its extension ("" for stdin)."""
    max_bytes = max_bytes or limits.DEFAULT_MAX_BYTES
    if len(data) > max_bytes:
        raise InputError(name, limits.too_large(max_bytes))
    kind = _kind(data, suffix)
    page_starts: tuple[int, ...] = ()
    if kind == "pdf":
        from .pdf import read_pdf

        text, page_starts = read_pdf(data, name, max_bytes)
        enc = "pdf"
    elif kind == "docx":
        if data.startswith(_OLE_MAGIC):
            raise InputError(name, "an old binary Word file (.doc) named .docx; save it as .docx first")
        text, enc = read_docx(data, name, max_bytes), "docx"
    elif kind == "html":
        from .webpage import read_html

        text, enc = read_html(data, name, encoding)
    else:
        text, enc = decode(data, name, encoding)
    if not text.strip():
        raise EmptyInput(name, "a page without main text to extract" if kind == "html"
                         else "empty file: no text to extract")
    return Document(name, text, enc, hashlib.sha256(data).hexdigest(), path, kind, page_starts)


def read_source(source: Source, encoding: str | None = None, max_bytes: int | None = None) -> Document:
    """Read one input; ``max_bytes`` bounds it (default :data:`limits.DEFAULT_MAX_BYTES`)."""
    max_bytes = max_bytes or limits.DEFAULT_MAX_BYTES
    if source.path is None:
        import sys

        try:
            data = limits.read_bounded(sys.stdin.buffer, max_bytes)
        except limits.LimitExceeded as e:
            raise InputError(source.name, str(e)) from None
        except OSError as e:
            raise InputError(source.name, f"cannot be read: {e.strerror or e}") from None
        return read_bytes(data, source.name, "", encoding, max_bytes)
    path = source.path
    try:
        data = limits.read_file_bounded(path, max_bytes)
    except limits.LimitExceeded as e:
        raise InputError(source.name, str(e)) from None
    except FileNotFoundError:
        raise InputError(source.name, "no such file") from None
    except IsADirectoryError:
        raise InputError(source.name, "is a directory") from None
    except PermissionError:
        raise InputError(source.name, "permission denied") from None
    except OSError as e:
        raise InputError(source.name, f"cannot be read: {e.strerror or e}") from None
    return read_bytes(data, source.name, path.suffix.lower(), encoding, max_bytes, path)


def collect_sources(inputs: list[str]) -> tuple[list[Source], list[InputError]]:
    """Expand the command line's inputs into sources, in order: folders recursively, sorted by path.

    Returns the sources and the errors for inputs that cannot be used at all (missing path,
    unsupported extension, folder without reports).
    """
    sources: list[Source] = []
    errors: list[InputError] = []
    for arg in inputs:
        if arg == "-":
            sources.append(Source(None, "-"))
            continue
        path = Path(arg)
        if path.is_dir():
            found = sorted(
                (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                 and p.stem.lower() not in NOT_REPORTS
                 and not any(part.startswith(".") for part in p.relative_to(path).parts)),
                key=lambda p: p.relative_to(path).as_posix(),
            )
            if not found:
                errors.append(InputError(arg, f"folder holds no reports ({', '.join(SUPPORTED)})"))
            sources.extend(Source(p, p.relative_to(path).as_posix()) for p in found)
        elif path.exists() or path.is_symlink():
            if path.suffix.lower() not in SUPPORTED:
                errors.append(InputError(arg, f"unsupported file type {path.suffix or '(none)'!r}; "
                                              f"reads {', '.join(SUPPORTED)}"))
            else:
                sources.append(Source(path, path.name))
        else:
            errors.append(InputError(arg, "no such file or folder"))
    return sources, errors
