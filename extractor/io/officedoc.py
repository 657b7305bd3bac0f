"""The text of a .docx, read as a bounded stream: no zip member is expanded before its declared
size and compression ratio are checked, the XML is parsed by events (no tree, no recursion), and
its nesting depth is bounded.

The text is what the previous python-docx reader gave, and more: paragraphs one per line in body
order; a table row per line with its cells joined by tabs; a table inside a table cell is read as
lines of that cell (python-docx's ``cell.text`` dropped it); a vertically merged cell is read once
(python-docx repeated it on every row it spans); text in tracked insertions, hyperlinks, content
controls and text boxes is kept, deleted text and field codes are not.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field

from .errors import InputError
from .limits import (CHUNK, MAX_COMPRESSION_RATIO, MAX_EXPANSION, MAX_XML_DEPTH, SMALL_PART,
                     megabytes)

_W = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "http://purl.oclc.org/ooxml/wordprocessingml/main")  # transitional and strict OOXML
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the main part's relationship type
_DEFAULT_MAIN = "word/document.xml"
_RELS_LIMIT = 1024 * 1024


def _local(tag: str) -> str | None:
    """The local name of a WordprocessingML tag, None for other namespaces."""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return local if ns in _W else None
    return None


@dataclass
class _Frame:
    """An open element that collects text: a paragraph, a table row, or a container of lines
    (the body, a table cell, a text box)."""

    kind: str                                        # "p", "tr" or "lines"
    parts: list[str] = field(default_factory=list)   # p: runs' text; tr: cells; lines: lines
    after: list[str] = field(default_factory=list)   # p: lines of text boxes inside it
    merged: bool = False                             # a cell continuing a vertical merge


class _BodyText:
    """An lxml parser target that turns WordprocessingML events into lines of text."""

    def __init__(self) -> None:
        self.tags: list[str | None] = []
        self.frames: list[_Frame] = [_Frame("lines")]
        self.skip = 0  # depth inside mc:Fallback (a copy of mc:Choice's content)
        self.in_text = False

    def _nearest(self, kind: str) -> _Frame | None:
        for frame in reversed(self.frames):
            if frame.kind == kind:
                return frame
        return None

    def start(self, tag: str, attrib) -> None:
        self.tags.append(_local(tag))
        if len(self.tags) > MAX_XML_DEPTH:
            raise _TooDeep()
        if self.skip or tag == _MC_FALLBACK:
            self.skip += 1
            return
        local = self.tags[-1]
        parent = self.tags[-2] if len(self.tags) > 1 else None
        if local == "p":
            self.frames.append(_Frame("p"))
        elif local == "tr":
            self.frames.append(_Frame("tr"))
        elif local in ("tc", "txbxContent"):
            self.frames.append(_Frame("lines"))
        elif local == "vMerge" and parent == "tcPr":
            val = next((v for k, v in attrib.items() if k.endswith("}val") or k == "val"), "continue")
            self.frames[-1].merged = val != "restart"
        elif local == "t" and parent == "r":
            self.in_text = True
        elif parent == "r" and local in ("tab", "ptab"):
            self._add("\t")
        elif parent == "r" and local == "cr":
            self._add("\n")
        elif parent == "r" and local == "br":
            kind = next((v for k, v in attrib.items() if k.endswith("}type")), "textWrapping")
            if kind == "textWrapping":
                self._add("\n")
        elif parent == "r" and local == "noBreakHyphen":
            self._add("-")

    def _add(self, text: str) -> None:
        paragraph = self.frames[-1]
        if paragraph.kind == "p":
            paragraph.parts.append(text)

    def data(self, text: str) -> None:
        if self.in_text and not self.skip:
            self._add(text)

    def end(self, tag: str) -> None:
        local = self.tags.pop()
        if self.skip:
            self.skip -= 1
            return
        if local == "t":
            self.in_text = False
        elif local == "p":
            self._close_paragraph()
        elif local == "tr":
            row = self.frames.pop()
            cells = [c for c in row.parts if c]
            if cells:
                self._add_lines(["\t".join(cells)])
        elif local == "tc":
            cell = self.frames.pop()
            row = self.frames[-1] if self.frames[-1].kind == "tr" else None
            if row is not None and not cell.merged:
                row.parts.append("\n".join(cell.parts).strip())
            elif row is None:
                self._add_lines(cell.parts)
        elif local == "txbxContent":
            box = self.frames.pop()
            paragraph = self._nearest("p")
            if paragraph is not None:
                paragraph.after.extend(box.parts)
            else:
                self._add_lines(box.parts)

    def _close_paragraph(self) -> None:
        paragraph = self.frames.pop()
        self._add_lines(["".join(paragraph.parts), *paragraph.after])

    def _add_lines(self, lines: list[str]) -> None:
        for frame in reversed(self.frames):
            if frame.kind == "lines":
                frame.parts.extend(lines)
                return
            if frame.kind == "p":  # a table inside a text box inside a paragraph
                frame.after.extend(lines)
                return

    def close(self) -> str:
        return "\n".join(self.frames[0].parts)

    def doctype(self, *args) -> None:
        raise _HasDTD()


class _TooDeep(Exception):
    pass


class _HasDTD(Exception):
    pass


def _main_part(archive: zipfile.ZipFile, name: str) -> str:
    """The main document part named by the package relationships (word/document.xml as a rule)."""
    try:
        info = archive.getinfo("_rels/.rels")
    except KeyError:
        return _DEFAULT_MAIN
    if info.file_size > _RELS_LIMIT:
        raise InputError(name, "not a valid .docx file: _rels/.rels is too large")
    from lxml import etree   # imported by the reading of a .docx alone (most runs read none)

    try:
        root = etree.fromstring(archive.read(info), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError):
        raise InputError(name, "not a valid .docx file: broken _rels/.rels") from None
    for rel in root:
        if str(rel.get("Type", "")).endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
            return posixpath.normpath(str(rel.get("Target", "")).lstrip("/"))
    return _DEFAULT_MAIN


def _check_part(info: zipfile.ZipInfo, name: str, max_bytes: int) -> None:
    limit = MAX_EXPANSION * max_bytes
    if info.file_size > limit:
        raise InputError(name, f"{info.filename} expands to {megabytes(info.file_size)}, over the "
                               f"{megabytes(limit)} limit (raise it with --max-size)")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > SMALL_PART and ratio > MAX_COMPRESSION_RATIO:
        raise InputError(name, f"{info.filename} compresses {ratio:.0f} to 1, like a zip bomb; "
                               f"not read (a report's XML compresses at most {MAX_COMPRESSION_RATIO} to 1)")


def read_docx(data: bytes, name: str, max_bytes: int | None = None) -> str:
    """Paragraphs and table rows of a .docx in body order, one per line (cells joined by tabs)."""
    from .limits import DEFAULT_MAX_BYTES

    max_bytes = max_bytes or DEFAULT_MAX_BYTES
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError):
        raise InputError(name, "not a valid .docx file: not a zip archive") from None
    with archive:
        part = _main_part(archive, name)
        try:
            info = archive.getinfo(part)
        except KeyError:
            raise InputError(name, f"not a valid .docx file: no {part}") from None
        _check_part(info, name, max_bytes)
        target = _BodyText()
        from lxml import etree

        parser = etree.XMLParser(target=target, huge_tree=True, resolve_entities=False,
                                 no_network=True, load_dtd=False)
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                        raise _HasDTD()
                    parser.feed(chunk)
            return parser.close()
        except _TooDeep:
            raise InputError(name, f"{part} nests deeper than {MAX_XML_DEPTH} levels; not read") from None
        except _HasDTD:
            raise InputError(name, f"not a valid .docx file: {part} declares a DTD") from None
        except etree.XMLSyntaxError as e:
            line = getattr(e, "lineno", None)
            raise InputError(name, f"not a valid .docx file: broken XML in {part}"
                                   f"{f' at line {line}' if line else ''} ({e.msg})") from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as e:
            raise InputError(name, f"not a valid .docx file: damaged {part} ({e})") from None
        except NotImplementedError as e:
            raise InputError(name, f"not a valid .docx file: {e}") from None
        except RuntimeError as e:  # an encrypted member
            raise InputError(name, f"cannot be read: {e}") from None
