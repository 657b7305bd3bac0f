"""Make the sample inputs of tests/data/inputs/ from the corpus (run by hand; the tests read the
files it made, committed next to it).

    python tests/data/inputs/make_inputs.py            # needs soffice (Debian: libreoffice-writer-nogui),
                                                       # a CJK font (fonts-wqy-microhei) and, for the
                                                       # Big5 sample, opencc-python-reimplemented

- <stem>.pdf: the report laid out as a government PDF is (A4, 16 pt, justified paragraphs with a
  two-character first-line indent, a running header, a page number in the footer), written by
  LibreOffice from a .docx made here: the way most such PDFs are made (from Word or WPS).
- <stem>.html: the report as a county government portal shows it (see page_html below).
- <stem>.big5.txt: the report in traditional characters, Big5-encoded.
- encrypted.pdf (made once by hand): a page with one line of Helvetica text written by pypdfium2, then
  ``qpdf --encrypt secret owner 256 -- plain.pdf encrypted.pdf``.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "corpus"
FONT = "WenQuanYi Micro Hei"

# (corpus stem, running header, footer style)
PDFS = [
    ("party-branch-township-office-2023", "中共桐溪镇机关党总支委员会文件", "dash"),
    ("dept-county-agriculture-bureau-2023", "梅岭县农业农村局2023年工作总结", "of"),
]
HTML = "party-branch-township-office-2023"
BIG5 = "company-cable-manufacturer-annual-summary-2023"
# Characters OpenCC gives that Big5 lacks, and the Big5 form used instead.
BIG5_VARIANTS = str.maketrans({"爲": "為", "衆": "眾", "羣": "群", "竈": "灶"})


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _is_heading(line: str, index: int) -> bool:
    return index < 2 or (len(line) < 30 and not line.endswith("。"))


def make_docx(text: str, header: str, footer: str, out: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.size = Pt(16)
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = d.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    head = section.header.paragraphs[0]
    head.text = header
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.runs[0].font.size = Pt(10.5)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if footer == "dash":
        foot.add_run("— ")
        _field(foot, "PAGE")
        foot.add_run(" —")
    else:
        foot.add_run("第 ")
        _field(foot, "PAGE")
        foot.add_run(" 页 共 ")
        _field(foot, "NUMPAGES")
        foot.add_run(" 页")
    for i, line in enumerate(text.splitlines()):
        p = d.add_paragraph(line)
        fmt = p.paragraph_format
        fmt.space_after = Pt(0)
        if not p.runs:
            continue
        if i < 2:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.runs[0].font.size = Pt(22)
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = Pt(32)
            if _is_heading(line, i):
                p.runs[0].bold = True
    d.save(out)


def make_pdf(stem: str, header: str, footer: str) -> None:
    text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp) / f"{stem}.docx"
        make_docx(text, header, footer, docx_path)
        subprocess.run([shutil.which("soffice") or "soffice", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(docx_path)], check=True, capture_output=True, timeout=300)
        shutil.copy(Path(tmp) / f"{stem}.pdf", HERE / f"{stem}.pdf")


def make_big5(stem: str) -> None:
    from opencc import OpenCC

    text = OpenCC("s2t").convert((CORPUS / f"{stem}.txt").read_text(encoding="utf-8"))
    (HERE / f"{stem}.big5.txt").write_bytes(text.translate(BIG5_VARIANTS).encode("big5"))


if __name__ == "__main__":
    what = set(sys.argv[1:]) or {"pdf", "html", "big5"}
    if "pdf" in what:
        for stem, header, footer in PDFS:
            make_pdf(stem, header, footer)
    if "big5" in what:
        make_big5(BIG5)
    if "html" in what:
        from make_page import make_page  # noqa: E402 - the page template lives beside this script

        make_page(HTML)
