"""The text of a PDF's text layer, page by page, as a person reads the printed report.

Characters and their boxes come from PDFium (pypdfium2; chosen over pdfminer.six for speed and
for keeping paragraphs and hanzi together, see INPUTS_README_SECTION.md). Then, in pure functions
that tests drive with made-up lines:

1. **Page furniture is removed**: in the top and bottom bands of a page, a line that is a page number
   (``— 3 —``, ``- 3 -``, ``3``, ``第 3 页 共 9 页``, ``3/9``, ``Page 3 of 9``) or that recurs at the same
   height on most pages (a running header or footer, its numbers aside).
2. **Lines are joined into paragraphs**, across page breaks too: a line that runs to the right edge
   of the text block continues on the next line unless that one is indented (a new paragraph),
   set in another size, or far below.
3. **Spaces that PDFium makes up from gaps next to hanzi are dropped** (``73 人次`` → ``73人次``, a
   stretched justified line ``标 任 务`` → ``标任务``); space characters that the PDF holds stay.

The offsets of every row then point into this text: the text as extracted and cleaned.
"""
from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ..cache import compile_standard
from .encoding import is_plausible
from .errors import InputError

# Share of the page's height, at the top and at the bottom, where headers and footers sit
# (GB/T 9704 公文: 37 mm top and 35 mm bottom margins on 297 mm, 12 %; some slack).
FURNITURE_BAND = 0.15
# How many lines at the top and at the bottom of a page are looked at as furniture.
FURNITURE_LINES = 3
# A line ends short of the block's right edge by less than this many character widths: it is full.
FULL_LINE_SLACK = 2.5
# A line starting this many character widths right of the block's left edge is indented.
INDENT = 0.8
# A line whose characters are this much wider than the body's is a title's.
TITLE_SIZE = 1.15
# Pages (and characters) read at most, whatever the limit on bytes.
MAX_PAGES = 5000
# Fewer non-space characters than this per page, on average: the PDF is a scan.
SCAN_CHARS_PER_PAGE = 5

NO_TEXT_LAYER = ("no text layer: a scanned PDF (pages are images); run OCR on it first "
                 "(e.g. ocrmypdf --language chi_sim) or use the document it was printed from")
BAD_TEXT_LAYER = ("the PDF's text layer does not map to readable characters (fonts without a "
                  "Unicode map); run OCR on it or use the document it was printed from")

_PAGE_NUMBER = compile_standard(
    r"^(?:[-—–－─_~·•.\s]*\d{1,4}[-—–－─_~·•.\s]*"          # — 3 —, - 3 -, 3, ·3·
    r"|第\s*\d{1,4}\s*页\s*[,，/、]?\s*(?:共\s*\d{1,4}\s*页)?"  # 第 3 页 共 9 页
    r"|共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页"      # 共 9 页 第 3 页
    r"|\d{1,4}\s*/\s*\d{1,4}"                                 # 3/9
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",   # Page 3 of 9
    re.IGNORECASE)
_CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"
_CJK_CHAR = compile_standard(f"[{_CJK}]")
_CONTROL = compile_standard("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_HANZI = compile_standard(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a page as PDFium sees it; coordinates in points, y upwards from the bottom."""

    text: str
    left: float
    right: float
    bottom: float
    top: float
    em: float  # the width of one character (a hanzi's box), for tolerances


@dataclass(frozen=True, slots=True)
class Page:
    lines: tuple[Line, ...]
    height: float


def _line(chars: list[tuple[str, tuple[float, float, float, float], bool]]) -> Line | None:
    """A line from its characters (text, box, whether PDFium made it up from a gap)."""
    kept = []
    for k, (char, box, generated) in enumerate(chars):
        if generated and char == " ":
            before = chars[k - 1][0] if k else ""
            after = chars[k + 1][0] if k + 1 < len(chars) else ""
            if _CJK_CHAR.match(before) or _CJK_CHAR.match(after):
                continue  # layout space next to a hanzi (73 人次, a stretched justified line)
        kept.append((char, box))
    text = _CONTROL.sub("", "".join(c for c, _ in kept)).strip()
    if not text:
        return None
    boxes = [box for c, box in kept if not c.isspace()]
    widths = [box[2] - box[0] for c, box in kept if _HANZI.match(c)]
    heights = [box[3] - box[1] for box in boxes]
    em = statistics.median(widths) if widths else (statistics.median(heights) if heights else 10.0)
    return Line(text, min(b[0] for b in boxes), max(b[2] for b in boxes),
                min(b[1] for b in boxes), max(b[3] for b in boxes), max(em, 1.0))


def _page_lines(textpage) -> list[Line]:
    """The lines of a page in PDFium's order, split where PDFium puts a line break."""
    import pypdfium2.raw as raw

    lines: list[Line] = []
    chars: list[tuple[str, tuple[float, float, float, float], bool]] = []
    count = textpage.count_chars()
    i = 0
    while i < count:
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        box = textpage.get_charbox(i, loose=True)
        generated = raw.FPDFText_IsGenerated(textpage.raw, i) == 1
        if 0xD800 <= code < 0xDC00 and i + 1 < count:  # a surrogate pair
            low = raw.FPDFText_GetUnicode(textpage.raw, i + 1)
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            i += 1
        char = chr(code) if 0 <= code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
        i += 1
        if char in "\r\n":
            if chars and (line := _line(chars)):
                lines.append(line)
            chars = []
        else:
            chars.append((char, box, generated))
    if chars and (line := _line(chars)):
        lines.append(line)
    return lines


def _normal(text: str) -> str:
    """A line's text with numbers and spaces taken out: the same running header on every page."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _candidates(page: Page) -> list[int]:
    """Indexes of the lines that may be furniture: the outermost lines of the page, in its bands."""
    order = sorted(range(len(page.lines)), key=lambda i: -page.lines[i].top)
    outer = set(order[:FURNITURE_LINES]) | set(order[-FURNITURE_LINES:])
    band = FURNITURE_BAND * page.height
    return [i for i in sorted(outer)
            if page.lines[i].bottom >= page.height - band or page.lines[i].top <= band]


def remove_furniture(pages: Sequence[Page]) -> list[list[Line]]:
    """Each page's lines without its page number, running header and running footer."""
    candidates = [_candidates(p) for p in pages]
    seen: dict[str, list[tuple[int, float, float]]] = {}  # normal text -> (page, height, em)
    for n, (page, found) in enumerate(zip(pages, candidates)):
        for i in found:
            line = page.lines[i]
            seen.setdefault(_normal(line.text), []).append((n, (line.top + line.bottom) / 2, line.em))
    needed = max(2, math.ceil(len(pages) / 2))
    kept: list[list[Line]] = []
    for n, (page, found) in enumerate(zip(pages, candidates)):
        drop = set()
        for i in found:
            line = page.lines[i]
            if _PAGE_NUMBER.match(line.text.strip()):
                drop.add(i)
                continue
            middle = (line.top + line.bottom) / 2
            pages_at_height = {m for m, y, em in seen[_normal(line.text)] if abs(y - middle) <= max(em, line.em)}
            if len(pages) > 1 and len(pages_at_height) >= needed:
                drop.add(i)
        kept.append([line for i, line in enumerate(page.lines) if i not in drop])
    return kept


def _block_edges(pages: Sequence[Sequence[Line]]) -> tuple[float, float]:
    """The left and right edges of the text block: medians over pages of their outermost lines."""
    lefts = [min(x.left for x in page) for page in pages if len(page) >= 3]
    rights = [max(x.right for x in page) for page in pages if len(page) >= 3]
    if not lefts:
        everything = [x for page in pages for x in page]
        return min(x.left for x in everything), max(x.right for x in everything)
    return statistics.median(lefts), statistics.median(rights)


def _centred_title(line: Line, following: Line, left: float, right: float, body_em: float) -> bool:
    """A title set larger than the body, running across the block and wrapped onto a centred line."""
    middle = (left + right) / 2
    return (line.em > TITLE_SIZE * body_em and following.em > TITLE_SIZE * body_em
            and line.left <= left + INDENT * line.em
            and abs((following.left + following.right) / 2 - middle) <= following.em)


def _continues(line: Line, following: Line, left: float, right: float, same_page: bool,
               body_em: float) -> bool:
    """Whether ``following`` carries on the paragraph of ``line``."""
    if line.right < right - FULL_LINE_SLACK * line.em:
        return False  # the line stops short: its paragraph ends here
    if following.left > left + INDENT * following.em and not _centred_title(line, following, left, right, body_em):
        return False  # the next line is indented, centred or set off: a new paragraph
    if max(line.em, following.em) > 1.3 * min(line.em, following.em):
        return False  # another type size: a heading or a note
    if same_page and line.bottom - following.top > 1.5 * (line.top - line.bottom):
        return False  # a blank line's worth of space between them
    return True


def _glue(before: str, after: str) -> str:
    return " " if before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii() and after[:1].isalnum() else ""


def join_pages(pages: Sequence[Sequence[Line]]) -> tuple[str, tuple[int, ...]]:
    """The text of the pages, lines joined into paragraphs (one per line), and the offset at
    which each page's text begins."""
    if not any(pages):
        return "", tuple(0 for _ in pages)
    left, right = _block_edges(pages)
    body_em = statistics.median(x.em for page in pages for x in page)
    out: list[str] = []
    size = 0
    starts: list[int] = []
    previous: Line | None = None
    for page in pages:
        for k, line in enumerate(page):
            text = line.text
            if previous is not None and _continues(previous, line, left, right, k > 0, body_em):
                glue = _glue(out[-1], text)
            elif previous is not None:
                glue = "\n"
            else:
                glue = ""
            out.append(glue + text)
            if k == 0:
                starts.append(size + len(glue))
            size += len(glue) + len(text)
            previous = line
        if not page:
            starts.append(size)
    return "".join(out), tuple(starts)


def read_pdf(data: bytes, name: str, max_bytes: int | None = None) -> tuple[str, tuple[int, ...]]:
    """The cleaned text of a PDF with a text layer and the offsets where its pages begin."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        reason = str(e)
        if "password" in reason.lower():
            raise InputError(name, "an encrypted PDF: it needs a password; save an unprotected copy") from None
        raise InputError(name, f"not a valid PDF file ({reason})") from None
    try:
        if len(document) > MAX_PAGES:
            raise InputError(name, f"a PDF of {len(document)} pages, over the {MAX_PAGES}-page limit")
        pages: list[Page] = []
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(Page(tuple(_page_lines(textpage)), page.get_height()))
                finally:
                    textpage.close()
            finally:
                page.close()
    except pdfium.PdfiumError as e:
        raise InputError(name, f"not a valid PDF file ({e})") from None
    finally:
        document.close()
    if not pages:
        raise InputError(name, "a PDF without pages")
    visible = sum(len(re.sub(r"\s+", "", line.text)) for page in pages for line in page.lines)
    if visible < SCAN_CHARS_PER_PAGE * len(pages):
        raise InputError(name, NO_TEXT_LAYER)
    text, starts = join_pages(remove_furniture(pages))
    if not is_plausible(text):
        raise InputError(name, BAD_TEXT_LAYER)
    return text, starts
