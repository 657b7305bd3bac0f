"""Measure the candidate PDF and web-page libraries on the sample inputs (run by hand; the results
are written down in INPUTS_README_SECTION.md).

    python tests/data/inputs/measure_readers.py

PDF: pypdfium2 and pdfminer.six, each with its plain text call, on the sample PDFs: seconds per
document (best of 5), whether the characters come in reading order (the extracted text, with its
whitespace and the page furniture taken out, equals the source report with its whitespace taken
out), the spaces put between two hanzi, and the blank lines put inside a paragraph.
HTML: trafilatura and readability-lxml on the sample portal page: seconds, and which lines of the
report are kept and which lines of the page's furniture are let through.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "corpus"
FURNITURE = re.compile(r"—\s*\d+\s*—|第\s*\d+\s*页\s*共\s*\d+\s*页|中共桐溪镇机关党总支委员会文件|梅岭县农业农村局\s*2023\s*年工作总结")
HANZI_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


def best_of(fn, n=5):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def pypdfium2_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range().replace("\r\n", "\n") for page in pdf)
    finally:
        pdf.close()


def pdfminer_text(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def in_order(extracted: str, source: str) -> bool:
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    return squeeze(FURNITURE.sub("", extracted)) == squeeze(FURNITURE.sub("", source))  # a header may be the title


def measure_pdf() -> None:
    for pdf in sorted(HERE.glob("*.pdf")):
        source = (CORPUS / f"{pdf.stem}.txt").read_text(encoding="utf-8")
        for name, fn in (("pypdfium2", pypdfium2_text), ("pdfminer.six", pdfminer_text)):
            seconds, text = best_of(lambda: fn(pdf))
            blank_in_paragraph = sum(1 for m in re.finditer(r"\n\s*\n", text)
                                     if not re.search(r"[。：；！？]\s*$", text[:m.start()][-3:]))
            print(f"{pdf.name}\t{name}\t{seconds * 1000:.0f} ms\tin order: {in_order(text, source)}\t"
                  f"spaces between hanzi: {len(HANZI_SPACE.findall(FURNITURE.sub('', text)))}\t"
                  f"blank lines inside paragraphs: {blank_in_paragraph}")


def measure_html() -> None:
    page = HERE / "party-branch-township-office-2023.html"
    if not page.exists():
        return
    html = page.read_bytes().decode("gb18030")
    source_lines = [x for x in (CORPUS / "party-branch-township-office-2023.txt").read_text(encoding="utf-8").splitlines() if x]
    furniture = ["首页", "网站地图", "当前位置", "版权所有", "ICP备", "联系电话", "浏览次数", "扫一扫", "var "]

    def traf():
        import trafilatura

        return trafilatura.extract(html, output_format="txt", include_tables=True, favor_recall=True) or ""

    def readab():
        import lxml.html
        from readability import Document

        summary = Document(html).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content()

    def traf_title():
        import trafilatura

        return trafilatura.extract_metadata(html).title

    def readab_title():
        from readability import Document

        return Document(html).short_title()

    for name, fn, title in (("trafilatura", traf, traf_title), ("readability-lxml", readab, readab_title)):
        seconds, text = best_of(fn)
        squeezed = re.sub(r"\s+", "", text)
        kept = sum(1 for x in source_lines if re.sub(r"\s+", "", x) in squeezed)
        leaked = [f for f in furniture if f in text]
        print(f"{page.name}\t{name}\t{seconds * 1000:.0f} ms\treport lines kept: {kept}/{len(source_lines)}\t"
              f"furniture let through: {leaked or 'none'}\ttitle: {title()}")


if __name__ == "__main__":
    measure_pdf()
    measure_html()
