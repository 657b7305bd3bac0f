"""The review page in a real browser: headless Chromium from the system's packages (installed by
.ci/run), driven over the DevTools protocol (tests/chromium.py). Skipped, saying why, where no
Chromium is installed.

    python tests/test_review_browser.py [outputs/examples/review.png]

writes the README's screenshot of the page.
"""
from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest

from tests.chromium import Chromium, find_chromium

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "personal-school-principal-2023-flattened.txt"
SCREENSHOT = ROOT / "outputs" / "examples" / "review.png"
CHROMIUM = find_chromium()

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium to test the review page in: install Debian's chromium (apt-get install chromium, "
           "as .ci/run does) or point $CHROMIUM at a Chromium or Chrome binary")

# A document whose text is markup: it must show as text, and none of it may run.
HOSTILE_NAME = '"><img src=x onerror="window.pwned=4">.txt'
HOSTILE_TEXT = ("关于<script>window.pwned = 1</script>的报告\n"
                "一、主要工作\n"
                '"><img src=x onerror="window.pwned = 2">全年新接收党员9名，</textarea><b>化肥</b>使用量下降5%。\n'
                "二、下一步打算\n"
                "（一）加强<i>基层</i>组织建设。力争<svg onload='window.pwned = 3'>新建村级服务站3个。\n")

# Helpers in the page: a rectangle (the first line's, for text that wraps), whether an element is inside the text pane and the window.
HELPERS = """
window.T = {
  rect: (el) => { const r = el.getClientRects ? el.getClientRects()[0] : el; return {x: r.x, y: r.y, w: r.width, h: r.height,
                   cx: r.x + r.width / 2, cy: r.y + r.height / 2}; },
  visible: (el) => { const r = el.getBoundingClientRect(), p = document.getElementById('text').getBoundingClientRect();
                     return r.height > 0 && r.top >= Math.max(p.top, 0) && r.bottom <= Math.min(p.bottom, innerHeight); },
  rowVisible: (el) => { const r = el.getBoundingClientRect(), p = document.querySelector('.table-pane').getBoundingClientRect();
                        return r.height > 0 && r.top >= p.top && r.bottom <= p.bottom; },
  data: () => JSON.parse(document.getElementById('facts-data').textContent),
  rows: () => [...document.querySelectorAll('table.facts.current tbody tr[data-f]')],
  pieces: (fid) => [...document.querySelectorAll('[id="' + fid + '"], mark[data-f="' + fid + '"]')],
};
"""


def review_page(second: Path | None = None) -> str:
    """The page of the bundled sample and a second document (the hostile one unless given), as the
    CLI writes it."""
    import extractor
    from extractor.io.writers import render

    docs = []
    for name, text in ((SAMPLE.name, SAMPLE.read_text(encoding="utf-8")),
                       (second.name, second.read_text(encoding="utf-8")) if second else (HOSTILE_NAME, HOSTILE_TEXT)):
        docs.append((name, text, extractor.extract_text(text, doc=name)))
    return render("html", docs).decode("utf-8")


@pytest.fixture(scope="module")
def page_file(tmp_path_factory, pipeline) -> Path:
    path = tmp_path_factory.mktemp("review") / "review.html"
    path.write_text(review_page(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    with Chromium(CHROMIUM) as b:
        yield b


_loads = itertools.count()


@pytest.fixture
def page(browser, page_file):
    """The page freshly loaded (a new query string, so no state carries over), with the helpers."""
    browser.events.clear()
    browser.open(f"{page_file.as_uri()}?load={next(_loads)}")
    browser.evaluate(HELPERS)
    yield browser
    assert browser.errors() == []


def settle(b: Chromium, ms: int = 60) -> None:
    """Let the page draw: two animation frames, then a short wait."""
    b.evaluate(f"new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, {ms}))))")


# ---- the tests ------------------------------------------------------------------------------------

def test_every_indicator_row_has_exactly_one_highlight(page):
    result = page.evaluate("""(() => {
      const data = T.data(), bad = [];
      let n = 0;
      for (const [key, rows] of Object.entries(data.docs)) for (const r of rows) {
        const pieces = T.pieces(key + '-' + r[0]);
        if (!pieces.length || pieces[0].tagName !== 'MARK') bad.push(key + '-' + r[0] + ' has no highlight');
        if (r[1] !== 'indicator') continue;
        n++;
        if (pieces.length !== 1) bad.push(key + '-' + r[0] + ' has ' + pieces.length);
      }
      const drawn = T.rows().filter(r => r.classList.contains('indicator'));
      for (const row of drawn) if (T.pieces(row.dataset.f).length !== 1) bad.push('row ' + row.dataset.f);
      return {n, drawn: drawn.length, bad};
    })()""")
    assert result["bad"] == []
    assert result["n"] > 60 and result["drawn"] > 10


def test_clicking_a_row_scrolls_its_span_into_view_and_flashes_it(page):
    fid = page.evaluate("""(() => { const p = document.querySelector('.table-pane');
      p.scrollTop = p.scrollHeight; return T.data().docs.d1.filter(r => r[1] === 'indicator').pop()[0]; })()""")
    fid = f"d1-{fid}"
    settle(page)
    before = page.evaluate(f"T.visible(document.getElementById('{fid}'))")
    row = page.evaluate(f"T.rect(document.querySelector('tr[data-f=\"{fid}\"]'))")
    assert not before, "the last figure should start out of view"
    page.click(row["cx"], row["cy"])
    settle(page)
    state = page.evaluate(f"""(() => {{ const m = document.getElementById('{fid}');
      return {{visible: T.visible(m), flash: m.classList.contains('flash'), cur: m.classList.contains('cur'),
              selected: document.querySelector('tr.sel') && document.querySelector('tr.sel').dataset.f,
              hash: location.hash}}; }})()""")
    assert state == {"visible": True, "flash": True, "cur": True, "selected": fid, "hash": f"#{fid}"}


def test_a_promise_links_to_its_target_and_its_outcome(browser, tmp_path):
    """The --track page: a promise's outcome link scrolls to the outcome's span in the other document."""
    from typer.testing import CliRunner

    from extractor.cli import app

    plan, summary = ROOT / "corpus" / "plan-township-liuhe-2024.txt", ROOT / "corpus" / "summary-township-liuhe-2024.txt"
    out = tmp_path / "track.html"
    r = CliRunner().invoke(app, [str(plan), str(summary), "--track", "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    browser.events.clear()
    browser.open(out.as_uri())
    browser.evaluate(HELPERS)
    link = browser.evaluate("""(() => { const a = [...document.querySelectorAll('#promises tr.missed td:nth-child(4) a')][0];
      a.scrollIntoView(); return {href: a.getAttribute('href'), r: T.rect(a)}; })()""")
    assert link["href"].startswith("#d2-i")
    browser.click(link["r"]["cx"], link["r"]["cy"])
    settle(browser)
    fid = link["href"][1:]
    state = browser.evaluate(f"""(() => {{ const m = document.getElementById('{fid}');
      return {{visible: T.visible(m), doc: document.querySelector('article.doc.current').id}}; }})()""")
    assert state == {"visible": True, "doc": "d2"}
    assert browser.errors() == []


def test_clicking_a_highlight_selects_its_row(page):
    pick = page.evaluate("""(() => {
      const marks = [...document.querySelectorAll('article.current mark.indicator')].filter(T.visible);
      const m = marks[Math.floor(marks.length / 2)], r = m.getClientRects()[0];
      const x = r.x + r.width / 2, y = r.y + r.height / 2;
      const hit = document.elementFromPoint(x, y).closest('mark.f');
      return {x, y, fid: hit.id || hit.dataset.f};
    })()""")
    page.click(pick["x"], pick["y"])
    settle(page)
    state = page.evaluate("""(() => { const row = document.querySelector('tr.sel');
      return {row: row && row.dataset.f, inView: !!row && T.rowVisible(row), tip: !document.getElementById('tip').hidden,
              label: document.getElementById('tip').textContent}; })()""")
    assert state["row"] == pick["fid"] and state["inView"] and state["tip"]
    assert state["label"].startswith(pick["fid"].split("-")[1] + " ")


def test_a_highlight_far_down_brings_its_row_into_view(page):
    fid = page.evaluate("""(() => { const m = [...document.querySelectorAll('article.current mark.indicator')].pop();
      m.scrollIntoView({block: 'center'}); return m.id; })()""")
    settle(page)
    r = page.evaluate(f"T.rect(document.getElementById('{fid}').getClientRects()[0])")
    page.click(r["cx"], r["cy"])
    settle(page)
    assert page.evaluate(f"T.rowVisible(document.querySelector('tr.sel[data-f=\"{fid}\"]'))")


def test_the_type_filter_hides_the_other_types(page):
    for fact_type in ("task", "heading"):
        box = page.evaluate(f"T.rect(document.querySelector('input[data-type=\"{fact_type}\"]'))")
        page.click(box["cx"], box["cy"])
    settle(page)
    state = page.evaluate("""(() => {
      const types = new Set(T.rows().map(r => r.className.split(' ')[0]));
      const n = T.data().docs.d1.filter(r => r[1] === 'indicator').length;
      const bg = (sel) => getComputedStyle(document.querySelector('article.current ' + sel)).backgroundColor;
      return {types: [...types], shown: document.getElementById('shown').textContent, n,
              total: T.data().docs.d1.length, task: bg('mark.task'), heading: bg('mark.heading'),
              indicator: bg('mark.indicator')};
    })()""")
    assert state["types"] == ["indicator"]
    assert state["shown"] == f"{state['n']} of {state['total']} rows"
    assert state["task"] == state["heading"] == "rgba(0, 0, 0, 0)" != state["indicator"]


def test_the_search_box_keeps_matching_rows(page):
    box = page.evaluate("T.rect(document.getElementById('q'))")
    page.click(box["cx"], box["cy"])
    page.type_text("党员")
    settle(page, 300)
    state = page.evaluate("""(() => ({
      rows: T.rows().map(r => r.textContent + ' ' + document.getElementById(r.dataset.f).textContent),
      shown: document.getElementById('shown').textContent, total: T.data().docs.d1.length }))()""")
    assert state["rows"] and all("党员" in r for r in state["rows"])
    assert state["shown"] == f"{len(state['rows'])} of {state['total']} rows"


def test_sorting_by_value(page):
    def values():
        return page.evaluate("T.rows().map(r => r.cells[2].textContent)")

    button = page.evaluate("T.rect(document.querySelectorAll('table.facts.current th button')[2])")
    page.click(button["cx"], button["cy"])
    settle(page)
    numbers = [float(v.split("–")[0]) for v in values() if v]
    assert numbers == sorted(numbers) and len(numbers) > 10
    assert page.evaluate("document.querySelectorAll('table.facts.current th')[2].getAttribute('aria-sort')") == "ascending"
    page.click(button["cx"], button["cy"])
    settle(page)
    numbers = [float(v.split("–")[0]) for v in values() if v]
    assert numbers == sorted(numbers, reverse=True)


def test_keyboard_a_highlight_then_a_row(page):
    fid = page.evaluate("(() => { const m = document.querySelector('article.current mark.indicator'); m.focus(); return m.id; })()")
    settle(page)
    tip = page.evaluate("({hidden: document.getElementById('tip').hidden, text: document.getElementById('tip').textContent})")
    assert not tip["hidden"] and tip["text"].startswith(fid.split("-")[1] + " ")
    page.key("Enter", "Enter", 13)
    settle(page)
    assert page.evaluate("document.querySelector('tr.sel').dataset.f") == fid
    # a row, then the next one by arrow, opened with Enter
    page.evaluate("document.querySelector('tr.sel').focus()")
    page.key("ArrowDown", "ArrowDown", 40)
    nxt = page.evaluate("document.activeElement.dataset.f")
    assert nxt and nxt != fid
    page.key("Enter", "Enter", 13)
    settle(page)
    assert page.evaluate(f"document.getElementById('{nxt}').classList.contains('flash')")


def test_the_outline_leads_to_its_heading(page):
    link = page.evaluate("(() => { const a = [...document.querySelectorAll('.toc.current a')].pop(); return {r: T.rect(a), f: a.dataset.f}; })()")
    page.click(link["r"]["cx"], link["r"]["cy"])
    settle(page)
    assert page.evaluate(f"T.visible(document.getElementById('{link['f']}'))")


def test_a_document_with_markup_shows_it_as_text(page):
    link = page.evaluate("T.rect(document.querySelector('[data-doc-link=\"d2\"]'))")
    page.click(link["cx"], link["cy"])
    settle(page)
    state = page.evaluate("""(() => ({
      text: document.querySelector('article.current .text').textContent,
      name: document.querySelector('article.current .doc-name').textContent,
      listed: document.querySelector('[data-doc-link="d2"]').textContent,
      injected: document.querySelectorAll('img, svg, b, i, textarea').length,
      scripts: document.scripts.length, pwned: window.pwned === undefined ? null : window.pwned,
      rows: T.rows().length }))()""")
    assert state["text"] == HOSTILE_TEXT
    assert state["name"] == state["listed"] == HOSTILE_NAME
    assert '"><img src=x onerror="window.pwned = 2">' in state["text"] and "<script>" in state["text"]
    assert state["injected"] == 0 and state["scripts"] == 3 and state["pwned"] is None and state["rows"] > 0


def test_no_network_and_no_errors(page):
    urls = page.requests()
    assert urls and all(u.startswith("file://") for u in urls)


def test_print_shows_the_text_without_the_controls(page):
    page.call("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        state = page.evaluate("""(() => { const d = (s) => getComputedStyle(document.querySelector(s)).display;
          return {search: d('#q'), side: d('.side'), legendBox: d('.legend input'), text: d('article.current .text'),
                  block: getComputedStyle(document.querySelector('.block')).contentVisibility}; })()""")
    finally:
        page.call("Emulation.setEmulatedMedia", {"media": ""})
    assert state == {"search": "none", "side": "none", "legendBox": "none", "text": "block", "block": "visible"}


def test_a_screenshot(page, tmp_path):
    png = page.screenshot(tmp_path / "review.png")
    assert png.startswith(b"\x89PNG") and len(png) > 20_000


def test_a_two_megabyte_report_stays_usable(browser, tmp_path, page_file):
    """Loads in seconds, and a row at the end still leads to its span."""
    from extractor.io.review import render_page
    from tests.test_review import large_document
    import extractor

    text = (ROOT / "corpus" / "party-branch-township-office-2023.txt").read_text(encoding="utf-8")
    big_text, facts = large_document(text, extractor.extract_text(text, doc="big.txt"), 2_000_000)
    path = tmp_path / "big.html"
    path.write_text(render_page([("big.txt", big_text, facts)]), encoding="utf-8")
    started = time.monotonic()
    browser.open(path.as_uri())
    loaded = time.monotonic() - started
    browser.evaluate(HELPERS)
    state = browser.evaluate("""(() => { const p = document.querySelector('.table-pane');
      p.scrollTop = p.scrollHeight; return {rows: document.querySelectorAll('tr[data-f]').length,
      nodes: document.getElementsByTagName('*').length}; })()""")
    settle(browser)
    last = browser.evaluate("T.rows().pop().dataset.f")
    row = browser.evaluate(f"T.rect(document.querySelector('tr[data-f=\"{last}\"]'))")
    browser.click(row["cx"], row["cy"])
    settle(browser)
    assert browser.evaluate(f"T.visible(document.getElementById('{last}'))")
    assert state["rows"] < 200, "the table draws only the rows on screen"
    assert state["nodes"] < 2 * len(facts) + len(big_text) // 1000, "elements grow with the facts, not the characters"
    assert loaded < 60, f"{loaded:.1f}s to load"
    assert browser.errors() == []


# ---- the README's screenshot ----------------------------------------------------------------------

def save_screenshot(path: Path = SCREENSHOT, width: int = 1280, height: int = 900) -> None:
    """The page of two samples with a row selected and a label shown, as a person sees it."""
    if CHROMIUM is None:
        raise SystemExit("no Chromium found: apt-get install chromium, or set $CHROMIUM")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, Chromium(CHROMIUM, width, height) as b:
        page_path = Path(tmp) / "review.html"
        page_path.write_text(review_page(ROOT / "corpus" / "party-branch-township-office-2023.txt"),
                             encoding="utf-8")
        b.open(page_path.as_uri())
        b.evaluate(HELPERS)
        link = b.evaluate("T.rect(document.querySelector('[data-doc-link=\"d2\"]'))")
        b.click(link["cx"], link["cy"])  # the second report: its plan has tasks with targets in them
        settle(b)
        fid = b.evaluate("document.querySelector('article.current mark.task mark.indicator').closest('mark.task').id")
        b.evaluate(f"""(() => {{ const at = T.data().docs.d2.findIndex(r => 'd2-' + r[0] === '{fid}');
          document.querySelector('.table-pane').scrollTop = (at - 8) * T.rows()[0].getBoundingClientRect().height; }})()""")
        settle(b)
        row = b.evaluate(f"T.rect(document.querySelector('tr[data-f=\"{fid}\"]'))")
        b.click(row["cx"], row["cy"])
        settle(b, 1800)  # past the flash
        mark = b.evaluate(f"T.rect(document.getElementById('{fid}').querySelector('mark.indicator'))")
        b.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": mark["cx"], "y": mark["cy"]})
        settle(b)
        path.parent.mkdir(parents=True, exist_ok=True)
        b.screenshot(path)
    print(f"wrote {path}")


if __name__ == "__main__":
    save_screenshot(Path(sys.argv[1]) if len(sys.argv) > 1 else SCREENSHOT)
