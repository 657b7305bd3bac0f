"""The review page without a browser: one file, no network, every fact an element, text intact and
escaped, highlights that nest however the facts overlap. (tests/test_review_browser.py drives it.)"""
from __future__ import annotations

import dataclasses
import io
import json
import re
from html.parser import HTMLParser

import pytest

from extractor.io import review
from extractor.io.writers import make_writer, render
from extractor.model import Fact

from .conftest import CORPUS, run_elsewhere

SAMPLES = ("personal-school-principal-2023-flattened.txt", "party-branch-township-office-2023.txt")

# Text a report could hold that must show as text: markup, an attribute break-out, entities.
HOSTILE_TEXT = ('关于<script>window.pwned = 1</script>的报告\n'
                '一、主要工作\n'
                '"><img src=x onerror="window.pwned = 2">全年新接收党员9名，</textarea><b>化肥</b>使用量下降5%。\n'
                "二、下一步打算\n"
                "（一）加强<i>基层</i>组织建设。力争<svg onload='window.pwned = 3'>新建村级服务站3个，"
                "全面提升服务水平 &amp; &lt;i&gt; \u2028 ]]> -->。\n")
HOSTILE_NAME = '"><img src=x onerror=window.pwned=4>&amp;.txt'


class Page(HTMLParser):
    """What a browser would build: elements and their attributes, each document's text as shown."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: dict[str, str] = {}
        self.marks: dict[str, list[dict]] = {}   # fact id ("d1-i3") -> the <mark> pieces
        self.scripts: dict[str, str] = {}        # id (or "") -> the script's text
        self._script = None
        self.texts: dict[str, str] = {}          # document key -> the text shown
        self.shown = ""                          # all text outside <script> and <style>
        self.open: list[str] = []
        self._doc = ""
        self._text_depth = 0
        self.feed(page)
        self.close()
        assert not self.open, f"unclosed elements: {self.open}"

    VOID = {"meta", "input", "br", "img", "link", "col"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            assert a["id"] not in self.ids, f"id {a['id']} twice"
            self.ids[a["id"]] = tag
        if tag == "article":
            self._doc = a["data-doc"]
        if tag == "div" and a.get("class") == "text":
            self._text_depth = len(self.open) + 1
            self.texts[self._doc] = ""
        if tag == "mark":
            self.marks.setdefault(a.get("id") or a["data-f"], []).append(a)
        if tag == "script":
            self._script = a.get("id", "")
            self.scripts[self._script] = ""
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()
        if len(self.open) < self._text_depth:
            self._text_depth = 0

    def handle_data(self, data):
        if self.open[-1:] == ["script"]:
            self.scripts[self._script] += data
        elif self.open[-1:] != ["style"]:
            self.shown += data
        if self._text_depth:
            self.texts[self._doc] += data

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)

    @property
    def data(self) -> dict:
        """The table's data: columns, and per document its rows [id, type, label, cell …]."""
        return json.loads(self.scripts["facts-data"])

    def rows(self, doc: str) -> dict[str, list]:
        return {f"{doc}-{r[0]}": r for r in self.data["docs"][doc]}


@pytest.fixture(scope="module")
def samples(pipeline):
    import extractor

    docs = []
    for name in SAMPLES:
        text = (CORPUS / name).read_text(encoding="utf-8")
        docs.append((name, text, extractor.extract_text(text, doc=name)))
    return docs


def _fact(doc, type_, id_, start, end, text, **kw) -> Fact:
    return Fact(doc, type_, id_, kw.pop("section", "主要工作"), kw.pop("section_kind", "review"),
                text=text[start:end], start=start, end=end, line=text.count("\n", 0, start) + 1, **kw)


def _page(docs) -> str:
    return render("html", docs).decode("utf-8")


# ---- one self-contained file ---------------------------------------------------------------------

def test_page_is_one_file_with_no_network(samples):
    page = _page(samples)
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    for outside in ("http://", "https://", "<link", " src=", "url(", "@import", "//cdn"):
        assert outside not in page.lower()
    parsed = Page(page)
    assert parsed.count("script") == 3 and all("src" not in a for t, a in parsed.tags if t == "script")
    assert parsed.count("style") == 1


def test_assets_are_inlined_and_cannot_end_their_element():
    css, js = review._asset("review.css"), review._asset("review.js")
    assert "</style" not in css.lower() and "</script" not in js.lower() and "<!--" not in js
    page = _page([("a.txt", "x", [])])
    assert css in page and js in page


def test_same_input_same_bytes_in_another_process(samples):
    """The page of the sample reports is the same bytes when another process (another hash seed and
    time zone, a pipeline of its own) extracts and renders them."""
    there = run_elsewhere(
        "import sys\n"
        "import extractor\n"
        "from extractor.io.writers import render\n"
        "from tests.conftest import CORPUS\n"
        "from tests.test_review import SAMPLES\n"
        "texts = [(n, (CORPUS / n).read_text(encoding='utf-8')) for n in SAMPLES]\n"
        "sys.stdout.buffer.write(render('html', [(n, t, extractor.extract_text(t, doc=n)) for n, t in texts]))\n")
    assert render("html", samples) == there


# ---- every fact is there, and the text is whole -------------------------------------------------

def test_every_fact_has_an_element_and_a_row(samples):
    parsed = Page(_page(samples))
    for n, (_, _, facts) in enumerate(samples, 1):
        rows = parsed.rows(f"d{n}")
        assert facts and len(rows) == len(facts)
        for f in facts:
            fid = f"d{n}-{f.id}"
            assert parsed.ids.get(fid) == "mark", fid
            assert rows[fid][1] == f.type and rows[fid][2] == review.label(f)
            first = [m for m in parsed.marks[fid] if m.get("id") == fid]
            assert len(first) == 1 and first[0]["tabindex"] == "0" and first[0]["role"] == "button"
            if f.type == "indicator":
                assert len(parsed.marks[fid]) == 1, f"{fid} has {len(parsed.marks[fid])} highlights"


def test_the_text_shown_is_the_document(samples):
    parsed = Page(_page(samples))
    for n, (_, text, _) in enumerate(samples, 1):
        assert parsed.texts[f"d{n}"] == text


def test_outline_links_every_heading(samples):
    page = _page(samples[:1])
    toc = page[page.index('<section class="toc'):page.index("</section>", page.index('<section class="toc'))]
    headings = [f for f in samples[0][2] if f.type == "heading"]
    assert toc.count("<li ") == len(headings)
    for f in headings:
        assert f'href="#d1-{f.id}"' in toc
    assert 'class="kind review"' in toc


# ---- overlapping facts: table-driven ------------------------------------------------------------

T = "全年新接收党员9名，其中女党员3名。力争新建村级服务站3个，投入约45万元更新教室多媒体设备48套。"


def _at(sub: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = T.index(sub, start + 1)
    return start, start + len(sub)


# (case, [(type, id, (start, end))]) — every one must nest, and keep each indicator whole
OVERLAPS = [
    ("figure inside a task", [("task", "t1", _at("力争新建村级服务站3个")), ("indicator", "i1", _at("新建村级服务站3个"))]),
    ("figure is the task", [("task", "t1", _at("新建村级服务站3个")), ("indicator", "i1", _at("新建村级服务站3个"))]),
    ("heading opens a task", [("heading", "h1", _at("全年新接收")), ("task", "t1", _at("全年新接收党员9名"))]),
    ("two figures crossing", [("indicator", "i1", _at("投入约45万元更新教室多媒体设备")),
                              ("indicator", "i2", _at("教室多媒体设备48套"))]),
    ("task crossing a figure", [("task", "t1", _at("其中女党员3名。力争")), ("indicator", "i1", _at("女党员3名")),
                                ("indicator", "i2", _at("党员3名。力争新建"))]),
    ("part of a total", [("indicator", "i1", _at("全年新接收党员9名，其中女党员3名")),
                         ("indicator", "i2", _at("女党员3名"))]),
    ("three deep", [("task", "t1", (0, len(T))), ("heading", "h1", _at("全年新接收党员9名，其中")),
                    ("indicator", "i1", _at("新接收党员9名"))]),
    ("an empty span", [("indicator", "i1", (5, 5)), ("task", "t1", (0, 9))]),
    ("spans past the end", [("task", "t1", (len(T) - 3, len(T) + 10))]),
]


@pytest.mark.parametrize("case,spec", OVERLAPS, ids=[c for c, _ in OVERLAPS])
def test_overlapping_facts_nest(case, spec):
    facts = [_fact("a.txt", t, i, s, e, T, name=i) for t, i, (s, e) in spec]
    pieces = review.layout(facts, len(T))
    for p in pieces:
        for q in pieces:
            apart = p.end <= q.start or q.end <= p.start
            nested = (p.start <= q.start and q.end <= p.end) or (q.start <= p.start and p.end <= q.end)
            assert apart or nested, f"{case}: {p} crosses {q}"
    for k, f in enumerate(facts):
        mine = [p for p in pieces if p.fact == k]
        assert sum(p.first for p in mine) == 1
        end = min(f.end, len(T))
        if f.type == "indicator":
            assert len(mine) == 1 and f.start <= mine[0].start <= mine[0].end <= end
        else:
            assert [(p.start, p.end) for p in mine][0][0] == f.start
            assert sum(p.end - p.start for p in mine) == end - f.start  # the whole span, in parts
    parsed = Page(_page([("a.txt", T, facts)]))
    assert parsed.texts["d1"] == T
    assert all(f"d1-{f.id}" in parsed.ids for f in facts)


def test_crossing_figures_keep_their_own_figure():
    facts = [_fact("a.txt", "indicator", i, *_at(s), T) for i, s in
             (("i1", "投入约45万元更新教室多媒体设备"), ("i2", "教室多媒体设备48套"))]
    pieces = {facts[p.fact].id: T[p.start:p.end] for p in review.layout(facts, len(T))}
    assert pieces == {"i1": "投入约45万元更新教室多媒体设备", "i2": "48套"}


# ---- escaping ------------------------------------------------------------------------------------

def test_hostile_text_is_shown_as_text(pipeline):
    import extractor

    facts = extractor.extract_text(HOSTILE_TEXT, doc=HOSTILE_NAME)
    assert {f.type for f in facts} >= {"heading", "indicator", "task"}
    page = _page([(HOSTILE_NAME, HOSTILE_TEXT, facts), ("b.txt", T, [])])
    parsed = Page(page)
    assert parsed.count("script") == 3 and parsed.count("img") == 0 and parsed.count("svg") == 0
    assert parsed.count("b") == 0 and parsed.count("i") == 0 and parsed.count("textarea") == 0
    assert parsed.texts["d1"] == HOSTILE_TEXT
    assert "<img" not in page and "<svg" not in page and "window.pwned = 1</script>" not in page
    assert HOSTILE_NAME in parsed.shown
    data = parsed.scripts["facts-data"]
    assert "<" not in data and ">" not in data and "&" not in data and "\u2028" not in data
    labels = [r[2] for r in parsed.data["docs"]["d1"]]
    assert any("<script>" in s for s in labels) and any("<i>" in s for s in labels)  # as text


def test_document_names_are_escaped():
    page = _page([(HOSTILE_NAME, "x", []), ("<b>2</b>.txt", "y", [])])
    assert "<img" not in page and "<b>" not in page
    assert Page(page).count("img") == 0


# ---- the table, the batch, the writer ------------------------------------------------------------

def test_batch_is_one_page_with_a_document_list(samples):
    sbuf = io.StringIO()
    writer = make_writer("html", sbuf)
    writer.begin()
    for doc in samples:
        writer.write(*doc)
    writer.end()
    page = sbuf.getvalue()
    assert page.count("<!DOCTYPE html>") == 1
    parsed = Page(page)
    links = [a for t, a in parsed.tags if t == "a" and "data-doc-link" in a]
    assert [a["data-doc-link"] for a in links] == ["d1", "d2"]
    assert [a["data-doc"] for t, a in parsed.tags if t == "article"] == ["d1", "d2"]
    current = [a["data-doc"] for t, a in parsed.tags if "current" in a.get("class", "").split()]
    assert set(current) == {"d1"}


def test_single_document_has_no_document_list(samples):
    page = _page(samples[:1])
    assert '<section class="docs"' not in page and " data-doc-link=" not in page


def test_table_columns_and_cells():
    facts = [_fact("a.txt", "indicator", "i1", *_at("新建村级服务站3个"), T, name="新建村级服务站", value=3.0,
                   unit="个", qualifier="exact", time="全年", section="下一步 > 基层建设", section_kind="plan"),
             _fact("a.txt", "indicator", "i2", *_at("45万元"), T, name="投入", value=5.0, value_max=10.0,
                   unit="元", qualifier="range")]
    page = _page([("a.txt", T, facts)])
    header = re.findall(r'data-sort="(\w+)">(\w+)</button>', page)
    assert [h for _, h in header] == ["id", "name", "value", "unit", "qualifier", "time", "section"]
    assert [s for s, _ in header] == ["order", "text", "num", "text", "text", "text", "text"]
    data = Page(page).data
    assert data["columns"] == [{"name": h, "sort": s} for s, h in header]
    # in reading order: i2 (45万元) comes after i1 (新建村级服务站3个)
    assert data["docs"]["d1"] == [
        ["i1", "indicator", "i1 新建村级服务站=3个 · 全年 · plan", "i1", "新建村级服务站", "3", "个", "exact", "全年",
         "下一步 > 基层建设"],
        ["i2", "indicator", "i2 投入=5–10元 · review", "i2", "投入", "5–10", "元", "range", "", "主要工作"]]


def test_period_and_key_columns_appear_when_the_rows_have_them():
    f = _fact("a.txt", "indicator", "i1", *_at("新建村级服务站3个"), T, name="服务站", value=3.0, unit="个")
    later = dataclasses.replace(f, key="村级服务站", period="2024")
    page = _page([("a.txt", T, [later])])
    header = re.findall(r'data-sort="\w+">(\w+)</button>', page)
    assert header[-3:] == ["period", "key", "section"]
    row = Page(page).data["docs"]["d1"][0]
    assert row[-3:] == ["2024", "村级服务站", "主要工作"] and "· 2024 ·" in row[2]
    assert "period" not in re.findall(r'data-sort="\w+">(\w+)</button>', _page([("a.txt", T, [f])]))


def test_labels():
    f = _fact("a.txt", "indicator", "i2", 0, 4, T, name="普及率", value=92.5, unit="%", qualifier="over",
              direction="up", time="2022年")
    assert review.label(f) == "i2 普及率=92.5% over · up · 2022年 · review"
    h = _fact("a.txt", "heading", "h2", 0, 4, T, name="主要工作", level=1)
    assert review.label(h).startswith("h2 L1 主要工作")


def test_empty_document_and_no_documents():
    assert Page(_page([("a.txt", "", [])])).texts == {"d1": ""}
    assert "No documents." in _page([])


# ---- a large report ------------------------------------------------------------------------------

def test_a_two_megabyte_report_stays_light(samples):
    """Elements grow with the facts, not the characters; the text comes in blocks of about
    BLOCK_CHARS that a browser lays out only on screen."""
    text, facts = large_document(samples[1][1], samples[1][2], 2_000_000)
    page = _page([("big.txt", text, facts)])
    elements = page.count("<") - page.count("</")
    assert elements < 2 * len(facts) + len(text) // review.BLOCK_CHARS + 1000
    blocks = page.count('<div class="block"')
    assert len(text) / blocks < 3 * review.BLOCK_CHARS


def large_document(text: str, facts: list[Fact], size: int) -> tuple[str, list[Fact]]:
    """A report of at least ``size`` characters: the sample again and again, its facts with it."""
    copies = size // len(text) + 1
    counters: dict[str, int] = {}
    out = []
    for c in range(copies):
        shift = c * len(text)
        for f in facts:
            n = counters[f.type] = counters.get(f.type, 0) + 1
            out.append(dataclasses.replace(f, id=f"{f.id[0]}{n}", start=f.start + shift, end=f.end + shift,
                                           parent=""))
    return text * copies, out
