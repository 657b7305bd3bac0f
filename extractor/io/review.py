"""The review page: one self-contained HTML file for checking every fact against its text.

The page has the outline as a table of contents, the text with each fact highlighted by type (the
label on hover or focus, not printed inline) and the facts as a sortable, filterable table; a row
leads to its span and a span to its row. Its style sheet and script (``review.css``, ``review.js``
beside this module) are inlined, so the file needs no network; everything taken from a document is
escaped, as HTML in the page and as JSON in the table's data, from which the script draws only the
rows on screen.

Highlights are built here, from runs of the text, never per character: facts overlap (a figure
inside a task, a heading opening a task), so each fact's span is cut where it crosses a span that
must stay whole, and the pieces nest as HTML elements. Indicators are placed first and stay whole:
every indicator has exactly one element. The text is split into blocks at line ends outside every
fact, so a browser lays out only the blocks on screen.
"""
from __future__ import annotations

import gc
import html
import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources

from ..cache import compile_standard
from ..model import FACT_TYPES, Fact, plain_number

# The order of the legend and the filters.
TYPE_ORDER = ("indicator", "task", "heading")
TYPE_NAMES = {"indicator": "指标", "task": "任务", "heading": "标题"}
KIND_NAMES = {"review": "回顾", "problem": "问题", "plan": "计划", "other": "其他"}
# Who stays whole where spans cross, and who wraps whom where they coincide: the higher rank is
# placed first and nests innermost.
_RANK = {"task": 0, "heading": 1, "indicator": 2}
# Characters per text block; blocks off screen are not laid out (CSS content-visibility).
BLOCK_CHARS = 2000
_BUCKET = 64


_MARKUP = compile_standard(r"[&<>\"']")


def esc(value: object) -> str:
    """Text or an attribute value, escaped for HTML (quotes included)."""
    s = str(value)
    return html.escape(s, quote=True) if _MARKUP.search(s) else s


def _text(value: str) -> str:
    return html.escape(value, quote=False) if _MARKUP.search(value) else value


@dataclass(frozen=True, slots=True)
class Piece:
    """One highlight element: the whole of a fact's span, or one part of it where it had to be cut."""

    start: int
    end: int
    fact: int                     # index into the document's facts
    first: bool                   # the fact's first piece: it carries the id and the tab stop


class _Placed:
    """The runs placed so far, found by either end: a new span is cut at the boundaries of the
    runs it crosses, and the parts then nest with every run placed (none crosses another)."""

    def __init__(self) -> None:
        self.by_start: dict[int, list[tuple[int, int]]] = {}
        self.by_end: dict[int, list[tuple[int, int]]] = {}

    def add(self, start: int, end: int) -> None:
        self.by_start.setdefault(start // _BUCKET, []).append((start, end))
        self.by_end.setdefault(end // _BUCKET, []).append((start, end))

    def crossing(self, start: int, end: int) -> list[tuple[int, int]]:
        """The runs that overlap [start, end) without either holding the other."""
        found = []
        for b in range(start // _BUCKET, end // _BUCKET + 1):
            found += [r for r in self.by_start.get(b, ()) if start < r[0] < end < r[1]]
            found += [r for r in self.by_end.get(b, ()) if r[0] < start < r[1] < end]
        return found


def _cut(start: int, end: int, crossing: list[tuple[int, int]]) -> list[tuple[int, int]]:
    inner = sorted({p for r in crossing for p in r if start < p < end})
    bounds = [start, *inner, end]
    return list(zip(bounds, bounds[1:]))


def _one_part(parts: list[tuple[int, int]], crossing: list[tuple[int, int]]) -> tuple[int, int]:
    """Where two figures' spans cross (投入约45万元更新教室多媒体设备 / 教室多媒体设备48套), the later
    one keeps a single element: its longest part outside the other, which holds its own figure."""
    def covered(p: tuple[int, int]) -> bool:
        return any(r[0] <= p[0] and p[1] <= r[1] for r in crossing)

    return max(parts, key=lambda p: (not covered(p), p[1] - p[0], -p[0]))


def layout(facts: Sequence[Fact], size: int) -> list[Piece]:
    """The highlight elements of one document, in document order: every two either nest or are
    apart, and every indicator has exactly one."""
    placed = _Placed()
    pieces: list[Piece] = []
    for k in sorted(range(len(facts)), key=lambda k: (-_RANK[facts[k].type], facts[k].start, k)):
        f = facts[k]
        start = min(max(f.start, 0), size)
        end = min(max(f.end, start), size)
        crossing = placed.crossing(start, end)
        parts = _cut(start, end, crossing) if crossing else [(start, end)]
        if f.type == "indicator" and len(parts) > 1:
            parts = [_one_part(parts, crossing)]
        for n, (s, e) in enumerate(parts):
            placed.add(s, e)
            pieces.append(Piece(s, e, k, n == 0))
    pieces.sort(key=lambda p: (p.start, -p.end, _RANK[facts[p.fact].type], p.fact))
    return pieces


def _blocks(text: str, pieces: Sequence[Piece]) -> list[tuple[int, int]]:
    """[start, end) of text blocks of about BLOCK_CHARS, each ending after a line end outside
    every piece, so no element crosses a block."""
    covered: list[tuple[int, int]] = []
    for p in pieces:  # in order of start: merge into the covered stretches
        if covered and p.start < covered[-1][1]:
            covered[-1] = (covered[-1][0], max(covered[-1][1], p.end))
        elif p.end > p.start:
            covered.append((p.start, p.end))
    blocks, lo, c = [], 0, 0
    i = text.find("\n")
    while i >= 0:
        while c < len(covered) and covered[c][1] <= i:
            c += 1
        inside = c < len(covered) and covered[c][0] <= i
        if not inside and i + 1 - lo >= BLOCK_CHARS:
            blocks.append((lo, i + 1))
            lo = i + 1
        i = text.find("\n", i + 1)
    blocks.append((lo, len(text)))
    return blocks


def _height(text: str, lo: int, hi: int) -> int:
    """A block's height in em before it is laid out: its lines at about 46 characters a line
    (the text column is 48em wide, a Chinese character 1em) and a line height of 1.9."""
    lines = sum(len(line) // 46 + 1 for line in text[lo:hi].rstrip("\n").split("\n"))
    return round(lines * 1.9)


def label(f: Fact) -> str:
    """The short description shown on hover or focus: id, then what the fact says."""
    if f.type == "indicator":
        value = plain_number(f.value)
        rng = f"–{plain_number(f.value_max)}" if f.value_max is not None else ""
        qual = "" if f.qualifier in ("exact", "range", "") else f" {f.qualifier}"
        head = f"{f.id} {f.name}={value}{rng}{f.unit}{qual}"
    elif f.type == "heading":
        head = f"{f.id} L{f.level} {f.name}"
    else:
        head = f"{f.id} {f.name}"
    extra = [f.direction, f.time, getattr(f, "period", ""), f.section_kind]
    return " · ".join([head, *(str(x) for x in extra if x)])


class Document:
    """One document on the page: its element ids are prefixed ``d1-``, ``d2-`` … so a batch's
    documents never share one."""

    def __init__(self, number: int, name: str, text: str, facts: Sequence[Fact]):
        self.key = f"d{number}"
        self.name = name
        self.text = text
        # reading order: by position, a wrapping fact before what it wraps
        self.facts = sorted(facts, key=lambda f: (f.start, -f.end, _RANK[f.type]))
        self.counts = {t: sum(1 for f in self.facts if f.type == t) for t in FACT_TYPES}

    def fid(self, f: Fact) -> str:
        return f"{self.key}-{f.id}"

    def text_html(self) -> str:
        """The text in blocks, every fact a <mark> (nested where facts nest)."""
        text, facts = self.text, self.facts
        pieces = layout(facts, len(text))
        out: list[str] = []
        k = 0
        for lo, hi in _blocks(text, pieces):
            out.append(f'<div class="block" style="contain-intrinsic-size:auto {_height(text, lo, hi)}em">')
            pos, open_ends = lo, []
            while k < len(pieces) and (pieces[k].start < hi or pieces[k].start == hi == len(text)):
                p = pieces[k]
                k += 1
                while open_ends and open_ends[-1] <= p.start:
                    end = open_ends.pop()
                    out += [_text(text[pos:end]), "</mark>"]
                    pos = end
                out += [_text(text[pos:p.start]), self._open(facts[p.fact], p.first)]
                pos = p.start
                open_ends.append(p.end)
            while open_ends:
                end = open_ends.pop()
                out += [_text(text[pos:end]), "</mark>"]
                pos = end
            out += [_text(text[pos:hi]), "</div>"]
        return "".join(out)

    def _open(self, f: Fact, first: bool) -> str:
        """A highlight's start tag. Its label is in the page's data, shown by the script on hover
        and focus; a title on every highlight would add a tooltip of the browser's own."""
        fid = esc(self.fid(f))
        if not first:
            return f'<mark class="f {f.type} part" data-f="{fid}">'
        return f'<mark class="f {f.type}" id="{fid}" tabindex="0" role="button">'

    def toc_html(self) -> str:
        """The outline: one link per heading, indented by level; a section kind is marked where it
        changes from the enclosing heading's."""
        items, enclosing = [], []  # enclosing: (level, kind) of the headings above
        for f in self.facts:
            if f.type != "heading":
                continue
            level = f.level or 0
            while enclosing and enclosing[-1][0] >= level:
                enclosing.pop()
            kind = str(f.section_kind)
            changed = kind != (enclosing[-1][1] if enclosing else "other")
            enclosing.append((level, kind))
            badge = (f' <span class="kind {esc(kind)}" title="section kind">{esc(kind)} '
                     f'{KIND_NAMES.get(kind, "")}</span>') if changed else ""
            fid = esc(self.fid(f))
            items.append(f'<li class="lv{min(max(level, 0), 5)}"><a href="#{fid}" data-f="{fid}">'
                         f"{esc(f.name or f.text)}</a>{badge}</li>")
        body = f'<ol>{"".join(items)}</ol>' if items else '<p class="none">No headings.</p>'
        return (f'<section class="toc{self._current}" data-doc="{self.key}" aria-label="Outline">'
                f"<h2>Outline</h2>{body}</section>")

    def table_html(self, columns: Sequence[Column]) -> str:
        """The table's frame; the script fills in the rows on screen from the page's data, so a
        long report's page holds a few dozen rows, not one per fact."""
        cols = "".join(f'<col style="width:{c.width}">' if c.width else "<col>" for c in columns)
        head = "".join(f'<th scope="col" aria-sort="none"><button type="button" data-sort="{c.sort}">'
                       f"{c.name}</button></th>" for c in columns)
        return (f'<table class="facts{self._current}" data-doc="{self.key}">'
                f"<caption>Facts of {esc(self.name)}</caption><colgroup>{cols}</colgroup>"
                f"<thead><tr>{head}</tr></thead><tbody></tbody></table>")

    def rows(self, columns: Sequence[Column]) -> list[list[str]]:
        """The table's data: per fact in reading order, its id, type and label, then its cells."""
        return [[f.id, str(f.type), label(f), *(c.value(f) for c in columns)] for f in self.facts]

    def article_html(self) -> str:
        counts = ", ".join(f"{self.counts[t]} {t}s" for t in TYPE_ORDER)
        return (f'<article class="doc{self._current}" id="{self.key}" data-doc="{self.key}">'
                f'<h2 class="doc-name">{esc(self.name)}</h2><p class="counts">{counts}</p>'
                f'<div class="text" lang="zh-CN">{self.text_html()}</div></article>')

    @property
    def shown_first(self) -> bool:
        """The first document is the one shown when the page opens."""
        return self.key == "d1"

    @property
    def _current(self) -> str:
        return " current" if self.shown_first else ""


# ---- the facts table -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str
    sort: str                     # how the script sorts it: "order" (reading order), "num" or "text"
    value: Callable[[Fact], str]  # the cell's text
    width: str = ""               # CSS width; "" shares what the others leave


def _value(f: Fact) -> str:
    if f.value is None:
        return ""
    rng = f"–{plain_number(f.value_max)}" if f.value_max is not None else ""
    return f"{plain_number(f.value)}{rng}"


COLUMNS_SHOWN = (
    Column("id", "order", lambda f: f.id, "4em"),
    Column("name", "text", lambda f: f.name),
    Column("value", "num", _value, "5.2em"),
    Column("unit", "text", lambda f: f.unit, "4em"),
    Column("qualifier", "text", lambda f: f.qualifier, "5.6em"),
    Column("time", "text", lambda f: f.time, "5em"),
    Column("section", "text", lambda f: f.section, "17%"),  # the script shows the innermost title
)
# Columns added by later stages of the pipeline: shown when some fact on the page has them.
OPTIONAL_COLUMNS = {"period": "5.6em", "key": "14%"}


def _optional(column: str) -> Column:
    return Column(column, "text", lambda f: str(getattr(f, column, "") or ""), OPTIONAL_COLUMNS[column])


def columns_for(facts: Iterable[Fact]) -> list[Column]:
    facts = list(facts)
    extra = [_optional(c) for c in OPTIONAL_COLUMNS if any(getattr(f, c, "") for f in facts)]
    return [*COLUMNS_SHOWN[:-1], *extra, COLUMNS_SHOWN[-1]]


def script_json(data: object) -> str:
    """JSON to put inside a <script> element: < > & and the line separators U+2028/9 as \\u
    escapes, so no text of a report can end the element or open a comment in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for c in "&<>\u2028\u2029":  # str.replace is many times quicker than str.translate here
        text = text.replace(c, f"\\u{ord(c):04x}")
    return text


# ---- the page ------------------------------------------------------------------------------------

def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _legend(documents: Sequence[Document]) -> str:
    """The colours and the type filters, with the counts of the document shown (the script updates
    them when another is chosen)."""
    labels = []
    for t in TYPE_ORDER:
        n = documents[0].counts[t] if documents else 0
        labels.append(f'<label class="key"><input type="checkbox" data-type="{t}" checked>'
                      f'<span class="swatch {t}" aria-hidden="true"></span>{t} {TYPE_NAMES[t]} '
                      f'<span class="n">{n}</span></label>')
    return f'<fieldset class="legend"><legend>Show</legend>{"".join(labels)}</fieldset>'


def _doc_list(documents: Sequence[Document]) -> str:
    if len(documents) < 2:
        return ""
    current = ' aria-current="true"'
    items = "".join(
        f'<li><a href="#{d.key}" data-doc-link="{d.key}"{current if d.shown_first else ""}>'
        f'{esc(d.name)}</a> <span class="n">{d.counts["indicator"]} i · {d.counts["task"]} t · '
        f'{d.counts["heading"]} h</span></li>' for d in documents)
    return (f'<section class="docs" aria-label="Documents"><h2>Documents ({len(documents)})</h2>'
            f"<ol>{items}</ol></section>")


def render_page(docs: Iterable[tuple[str, str, Sequence[Fact]]], promises: Sequence[dict] = ()) -> str:
    """The whole review page for these documents (name, text as decoded, facts), as one string;
    with ``promises`` (rows of the promise tracker), a table of them above the text whose links go
    to the target's and the outcome's spans."""
    with _no_gc_pauses():
        documents = [Document(n, name, text, facts) for n, (name, text, facts) in enumerate(docs, 1)]
        columns = columns_for(f for d in documents for f in d.facts)
        data = {"columns": [{"name": c.name, "sort": c.sort} for c in columns],
                "docs": {d.key: d.rows(columns) for d in documents}}
        title = documents[0].name if len(documents) == 1 else f"{len(documents)} documents"
        empty = "" if documents else '<p class="none">No documents.</p>'
        return "".join([
            _head(title),
            f'<header class="bar"><h1>Review <span class="title">{esc(title)}</span></h1>',
            _legend(documents),
            '<input type="search" id="q" placeholder="Search the table  ( / )" aria-label="Search the '
            'facts table" autocomplete="off"><output id="shown" aria-live="polite"></output></header>\n',
            '<div class="panes">\n<nav class="side" aria-label="Documents and outline">',
            _doc_list(documents), *(d.toc_html() for d in documents), "</nav>\n",
            '<main class="text-pane" id="text">', empty, _promises_html(documents, promises),
            *(d.article_html() + "\n" for d in documents),
            "</main>\n",
            '<section class="table-pane" aria-label="Facts"><noscript><p class="none">The table needs '
            "JavaScript; the text and the outline are readable without it.</p></noscript>",
            *(d.table_html(columns) for d in documents), "</section>\n</div>\n",
            '<div id="tip" role="tooltip" hidden></div>\n',
            f'<script type="application/json" id="facts-data">{script_json(data)}</script>\n',
            f'<script>\n{_asset("review.js")}</script>\n</body></html>\n',
        ])


_STATUS_CLASS = {"met": "met", "missed": "missed", "unclear": "unclear", "no outcome": "none"}


def _promises_html(documents: Sequence[Document], promises: Sequence[dict]) -> str:
    """The promise table: each target with its outcome and status, each text a link to its span."""
    if not promises:
        return ""
    ids = {(d.name, f.start, f.end): d.fid(f) for d in documents for f in d.facts if f.type == "indicator"}

    def link(doc: str, text: str, start, end) -> str:
        fid = ids.get((doc, start, end))
        label = f"{esc(text)} <small>{esc(doc)}</small>" if text else ""
        return f'<a href="#{esc(fid)}">{label}</a>' if fid else label

    rows = "".join(
        f'<tr class="{_STATUS_CLASS.get(r["status"], "none")}"><td>{esc(r["key"])}</td><td>{esc(r["period"])}</td>'
        f'<td>{link(r["target_doc"], r["target_text"], r["target_start"], r["target_end"])}</td>'
        f'<td>{link(r["outcome_doc"], r["outcome_text"], r["outcome_start"], r["outcome_end"])}</td>'
        f'<td class="status">{esc(r["status"])}</td></tr>' for r in promises)
    return ('<section class="promises" id="promises" aria-label="Promises"><h2>Promises</h2>'
            '<table><thead><tr><th>key</th><th>period</th><th>target</th><th>outcome</th><th>status</th></tr>'
            f"</thead><tbody>{rows}</tbody></table></section>\n")


def _head(title: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh-CN" class="nojs"><head><meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>Review: {esc(title)}</title>\n"
            '<script>document.documentElement.className = "js";</script>\n'
            f'<style>\n{_asset("review.css")}</style>\n</head>\n<body>\n')


@contextmanager
def _no_gc_pauses():
    """Building a large page allocates hundreds of thousands of small objects and no cycles; in a
    process that also holds the pipeline, the collector's full passes would triple the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
