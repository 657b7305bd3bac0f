"""The main text of a saved web page: the article, without menus, breadcrumbs, footers and scripts.

The page is decoded by its own word (a byte-order mark, ``<meta charset>`` or
``<meta http-equiv=Content-Type>``, an XML declaration) when that word gives plausible text, else
by detection as a text file is. The article is found by trafilatura (measured against
readability-lxml, see INPUTS_README_SECTION.md), which returns it as XML; that is turned into
lines here: a paragraph or heading per line, the title (with its own line breaks) first, a table
row per line with its cells joined by tabs, as a .docx table is read.
"""
from __future__ import annotations

import codecs
import re

from ..cache import compile_standard
from .encoding import BOMS, decode, is_plausible, universal_newlines
from .errors import InputError

# How far into the page its charset is looked for (the HTML standard's prescan reads 1024 bytes;
# pages with long <title>s and many <meta>s put it further).
PRESCAN_BYTES = 4096
_META_CHARSET = compile_standard(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = compile_standard(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# Labels that name a superset in practice (browsers decode gb2312 pages as GBK).
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "csgb2312": "gb18030", "big5": "big5", "x-x-big5": "big5", "big5-hkscs": "big5hkscs"}
_NOT_TEXT = ("script", "style", "noscript", "template")


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page declares for itself, as a Python codec name, or None."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            return enc
    head = data[:PRESCAN_BYTES]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not found:
        return None
    label = found.group(1).decode("ascii").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_page(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The page as text and the encoding used: the given one, the declared one when its text
    is plausible, else the detected one."""
    if encoding:
        return decode(data, name, encoding)
    declared = declared_encoding(data)
    if declared:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            pass  # the page says one thing and is another: detect it
        else:
            if is_plausible(_visible(text)):
                return universal_newlines(text.lstrip("\ufeff")), declared
    return decode(data, name)


def _visible(html: str) -> str:
    """Roughly the characters a reader sees, for judging a decoding (markup is ASCII anyway)."""
    return re.sub(r"<[^>]*>", " ", html)


def _title_lines(html: str, title: str) -> list[str]:
    """The title as the page sets it: from the heading whose text is the title, its line breaks
    kept (a long title is often broken with <br>)."""
    import lxml.html

    squeezed = re.sub(r"\s+", "", title)
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return [title]
    for element in root.iter("h1", "h2", "h3", "div", "p", "td", "span"):
        if re.sub(r"\s+", "", element.text_content()) != squeezed:
            continue
        for br in element.iter("br"):
            br.tail = "\n" + (br.tail or "")
        lines = [" ".join(x.split()) for x in element.text_content().split("\n")]
        return [x for x in lines if x]
    return [title]


def _lines(main) -> list[str]:
    """Lines of trafilatura's XML body, in order, walked without recursion."""
    lines: list[str] = []
    for lb in main.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    stack = list(reversed(main))
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag == "table":
            for row in element.iter("row"):
                cells = [" ".join("".join(c.itertext()).split()) for c in row.iter("cell")]
                cells = [c for c in cells if c]
                if cells:
                    lines.append("\t".join(cells))
        elif tag in ("list", "quote", "div", "main"):
            stack.extend(reversed(element))
        elif isinstance(tag, str):
            text = "".join(element.itertext())
            lines.extend(x.strip() for x in text.split("\n"))
    return [x for x in lines if x]


def main_text(html: str, name: str) -> str:
    """The article of a page, one paragraph per line, its title first."""
    import trafilatura
    from lxml import etree

    try:
        xml = trafilatura.extract(html, output_format="xml", include_tables=True, include_comments=False,
                                  include_links=False, include_images=False, include_formatting=False,
                                  favor_recall=True, deduplicate=False, with_metadata=True)
    except RecursionError:
        raise InputError(name, "the page nests too deeply to be read") from None
    except Exception as e:  # noqa: BLE001 - a third-party parser on hostile input: one line, not a traceback
        raise InputError(name, f"cannot read the page ({type(e).__name__})") from None
    if not xml:
        return ""
    try:
        doc = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                     huge_tree=True))
    except etree.XMLSyntaxError:
        raise InputError(name, "cannot read the page's main text") from None
    main = doc.find("main")
    lines = _lines(main if main is not None else doc)
    title = " ".join((doc.get("title") or "").split())
    if title and not (lines and re.sub(r"\s+", "", lines[0]) in re.sub(r"\s+", "", title)):
        lines = _title_lines(html, title) + lines
    return "\n".join(lines)


def read_html(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The main text of a saved page and the encoding it was decoded with ("html+<encoding>")."""
    html, used = decode_page(data, name, encoding)
    return main_text(html, name), f"html+{used}"
