"""Reading inputs: files, folders and stdin, with encodings detected and newlines made universal.

Every failure is an :class:`InputError` naming the input and the reason in one line; the CLI prints
it, a batch records it and goes on with the other files.
"""
from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

SUPPORTED = (".txt", ".md", ".docx")
# Files in a folder that describe the folder rather than being reports; read only when named.
NOT_REPORTS = ("readme", "license", "licence", "changelog", "manifest")

# Encodings a Chinese report comes in, tried by the detector when the bytes are not UTF-8.
CANDIDATE_ENCODINGS = ["gb18030", "big5", "utf_16_le", "utf_16_be"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with FF FE too
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures of binary formats a user may point the tool at by mistake.
_MAGIC = {
    b"%PDF": "a PDF file; convert it to .txt or .docx first",
    b"\xd0\xcf\x11\xe0": "an old binary Office file (.doc/.xls); save it as .docx first",
    b"\x89PNG": "an image, not a report",
    b"\xff\xd8\xff": "an image, not a report",
    b"PK\x03\x04": "a zip archive, not a text report",
}


class InputError(Exception):
    """An input that cannot be read; ``str()`` is the one line shown to the user."""

    def __init__(self, name: str, reason: str):
        self.name, self.reason = name, reason
        super().__init__(f"{name}: {reason}")


class EmptyInput(InputError):
    """An input with no text: a warning and zero rows, not a failure."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input to read: ``path`` on disk (None for stdin) and the ``name`` used in the doc column."""

    path: Path | None
    name: str


@dataclass(frozen=True, slots=True)
class Document:
    name: str
    text: str
    encoding: str


def universal_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode report bytes; returns (text with universal newlines, encoding used)."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(name, f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise InputError(name, f"cannot be decoded as {encoding} (byte {e.start})") from None
        return universal_newlines(text.lstrip("\ufeff")), encoding
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return universal_newlines(data.decode(enc).lstrip("\ufeff")), enc
            except UnicodeDecodeError:
                raise InputError(name, f"starts with a {enc} byte-order mark but is not valid {enc}") from None
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(name, f"binary file: {what}")
    try:
        return universal_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    head = data[:8192]
    if b"\x00" in head and not _looks_utf16(head):
        raise InputError(name, "binary file: not a text report")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None or best.encoding is None:
        raise InputError(name, "undecodable: not UTF-8, GB18030/GBK or UTF-16 text (use --encoding)")
    return universal_newlines(str(best).lstrip("\ufeff")), best.encoding


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: NUL bytes on one parity only, as ASCII and CJK text gives."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return (even == 0) != (odd == 0) and max(even, odd) > len(head) // 8


def read_docx(data: bytes, name: str) -> str:
    """Paragraphs and table rows of a .docx in body order, one per line (cells joined by tabs)."""
    from docx import Document as Docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = Docx(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise InputError(name, "not a valid .docx file") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells))  # merged cells repeat
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    return universal_newlines("\n".join(lines))


def read_bytes(data: bytes, name: str, suffix: str, encoding: str | None = None) -> Document:
    if suffix == ".docx":
        text, enc = read_docx(data, name), "docx"
    else:
        text, enc = decode(data, name, encoding)
    if not text.strip():
        raise EmptyInput(name, "empty file: no text to extract")
    return Document(name, text, enc)


def read_source(source: Source, encoding: str | None = None) -> Document:
    if source.path is None:
        import sys

        return read_bytes(sys.stdin.buffer.read(), source.name, ".txt", encoding)
    path = source.path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(source.name, "no such file") from None
    except IsADirectoryError:
        raise InputError(source.name, "is a directory") from None
    except PermissionError:
        raise InputError(source.name, "permission denied") from None
    except OSError as e:
        raise InputError(source.name, f"cannot be read: {e.strerror or e}") from None
    return read_bytes(data, source.name, path.suffix.lower(), encoding)


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
        elif path.exists():
            if path.suffix.lower() not in SUPPORTED:
                errors.append(InputError(arg, f"unsupported file type {path.suffix or '(none)'!r}; "
                                              f"reads {', '.join(SUPPORTED)}"))
            else:
                sources.append(Source(path, path.name))
        else:
            errors.append(InputError(arg, "no such file or folder"))
    return sources, errors
