"""PDF and web-page inputs: the same facts as the report's text, offsets into the extracted text,
page furniture and page chrome left out, clear errors for scans and broken files.

The comparison's normalisation: facts are compared as multisets of (type, name, value, unit) —
ids, sections and offsets may differ with the text around them, what was found may not.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from extractor.io import pdf as pdfmod
from extractor.io.errors import InputError
from extractor.io.pdf import Line, Page, join_pages, remove_furniture
from extractor.io.reader import Source, read_bytes, read_source

from .conftest import CORPUS, DATA

INPUTS = DATA / "inputs"
PDF_SAMPLES = ["party-branch-township-office-2023", "dept-county-agriculture-bureau-2023"]
PAGE_SAMPLE = "party-branch-township-office-2023"


def facts_key(facts):
    return Counter((f.type, f.name, f.value, f.unit) for f in facts)


def read(path: Path):
    return read_source(Source(path, path.name))


# --- end to end -------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", PDF_SAMPLES)
def test_pdf_gives_the_facts_of_its_text(stem, pipeline):
    document = read(INPUTS / f"{stem}.pdf")
    source = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    assert document.kind == "pdf" and len(document.page_starts) >= 4
    facts = pipeline.extract(document.text, document.name)
    assert facts, "the PDF gave no facts"
    assert facts_key(facts) == facts_key(pipeline.extract(source, stem))
    for fact in facts:
        assert document.text[fact.start:fact.end] == fact.text


@pytest.mark.parametrize("stem", PDF_SAMPLES)
def test_pdf_text_is_the_report_without_page_furniture(stem):
    document = read(INPUTS / f"{stem}.pdf")
    source = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    assert document.text.split("\n") == [x for x in source.split("\n") if x.strip()]
    for furniture in ("— 2 —", "第 2 页", "委员会文件"):
        assert furniture not in document.text
    # each page starts where its first line's text is
    assert document.page_starts[0] == 0 and list(document.page_starts) == sorted(document.page_starts)


def test_pdf_joins_a_sentence_cut_by_a_page_break():
    document = read(INPUTS / "party-branch-township-office-2023.pdf")
    # page 2 of the PDF starts inside "…接收预备党员两名，按期转正预备党员2名。"
    start = document.page_starts[1]
    line_start = document.text.rfind("\n", 0, start) + 1
    assert line_start < start, "the page's first line was joined to the line before it"
    assert "接收预备党员两名，按期转正预备党员2名。" in document.text[line_start:document.text.find("\n", start)]


def test_web_page_gives_the_facts_of_its_text(pipeline):
    from .data.inputs.make_page import AFTER_LINE, TABLE_CAPTION, TABLE_ROWS

    document = read(INPUTS / f"{PAGE_SAMPLE}.html")
    lines = [x for x in (CORPUS / f"{PAGE_SAMPLE}.txt").read_text(encoding="utf-8").split("\n") if x]
    at = lines.index(AFTER_LINE)
    expected = lines[:at] + [TABLE_CAPTION] + ["\t".join(row) for row in TABLE_ROWS] + lines[at:]
    assert document.text.split("\n") == expected
    assert document.encoding == "html+gb18030"  # from <meta charset=gb2312>
    facts = pipeline.extract(document.text, document.name)
    assert facts_key(facts) == facts_key(pipeline.extract("\n".join(expected), PAGE_SAMPLE))
    for fact in facts:
        assert document.text[fact.start:fact.end] == fact.text


def test_web_page_leaves_out_the_portal_around_the_article():
    text = read(INPUTS / f"{PAGE_SAMPLE}.html").text
    for chrome in ("首页", "当前位置", "政府信息公开指南", "浏览次数", "1024", "分享到", "相关文章", "版权所有",
                   "ICP备", "公网安备", "联系电话", "0736-6123456", "站长统计", "doZoom", "font:", "_hmt"):
        assert chrome not in text, chrome
    assert text.startswith("中共桐溪镇机关党总支委员会\n2023年度工作报告\n")


# --- web page encodings ------------------------------------------------------------------------

ARTICLE = ("<html><head><meta charset=\"{charset}\"><title>工作总结</title></head><body>"
           "<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/a\">政务公开</a></div><article><h1>某镇2023年工作总结</h1>"
           + "".join(f"<p>{i}、全镇新增就业{i}00人，完成投资{i}.5亿元，同比增长{i}.2%，各项工作稳步推进，群众满意度持续提高。</p>"
                     for i in range(1, 8))
           + "</article><div class=\"footer\">版权所有 某镇人民政府</div></body></html>")


BIG5_SAMPLE = INPUTS / "company-cable-manufacturer-annual-summary-2023.big5.txt"


def traditional_page() -> str:
    lines = BIG5_SAMPLE.read_bytes().decode("big5").splitlines()
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"></head><body>"
            "<div class=\"nav\"><a href=\"/\">首頁</a></div><article><h1>" + lines[0] + "</h1>"
            + "".join(f"<p>{x}</p>" for x in lines[1:] if x) + "</article></body></html>")


@pytest.mark.parametrize("charset,encoding", [("utf-8", "utf-8"), ("gb2312", "gb18030"), ("GBK", "gb18030")])
def test_web_page_encoding_from_its_meta_charset(charset, encoding):
    document = read_bytes(ARTICLE.format(charset=charset).encode(encoding), "p.html", ".html")
    assert document.encoding == f"html+{encoding}"
    assert "全镇新增就业100人" in document.text
    assert "版权所有" not in document.text and "首页" not in document.text


def test_traditional_web_page_in_big5():
    document = read_bytes(traditional_page().encode("big5"), "p.html", ".html")
    assert document.encoding == "html+big5"
    assert document.text.split("\n")[1:4] == [x for x in BIG5_SAMPLE.read_bytes().decode("big5").splitlines() if x][1:4]


def test_web_page_that_lies_about_its_charset_is_detected():
    html = ARTICLE.format(charset="utf-8").encode("gb18030")  # says UTF-8, is GBK
    document = read_bytes(html, "p.html", ".html")
    assert document.encoding == "html+gb18030"
    assert "全镇新增就业100人" in document.text


def test_web_page_without_charset_is_detected():
    html = ARTICLE.replace('<meta charset="{charset}">', "").encode("gb18030")
    assert "全镇新增就业100人" in read_bytes(html, "p.html", ".html").text


def test_web_page_on_stdin_is_recognised():
    document = read_bytes(("<!DOCTYPE html>\n" + ARTICLE.format(charset="utf-8")).encode("utf-8"), "-", "")
    assert document.kind == "html" and "首页" not in document.text


def test_web_page_without_an_article_is_a_warning():
    from extractor.io.errors import EmptyInput

    with pytest.raises(EmptyInput, match="without main text"):
        read_bytes(b"<html><head><script>var a=1;</script></head><body></body></html>", "p.html", ".html")


def test_deeply_nested_web_page_is_one_line():
    html = b"<html><body>" + b"<div>" * 100_000 + "新增就业12人。".encode() + b"</div>" * 100_000 + b"</body></html>"
    try:
        document = read_bytes(html, "deep.html", ".html")
    except InputError as e:
        assert str(e).startswith("deep.html: ") and "\n" not in str(e)
    else:
        assert "\n" not in document.name


# --- PDF errors --------------------------------------------------------------------------------

def _scanned_pdf() -> bytes:
    """The sample PDF's pages as images only: a scan."""
    import io

    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(INPUTS / "party-branch-township-office-2023.pdf"))
    scan = pdfium.PdfDocument.new()
    for index in range(2):
        page = source[index]
        bitmap = page.render(scale=0.5)
        width, height = page.get_size()
        image = pdfium.PdfImage.new(scan)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        new = scan.new_page(width, height)
        new.insert_obj(image)
        new.gen_content()
    out = io.BytesIO()
    scan.save(out)
    return out.getvalue()


def test_scanned_pdf_is_one_clear_line():
    with pytest.raises(InputError, match="no text layer: a scanned PDF") as e:
        read_bytes(_scanned_pdf(), "scan.pdf", ".pdf")
    assert str(e.value).startswith("scan.pdf: ") and "\n" not in str(e.value)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n1 0 obj <</Type/Catalog>> endobj\n%%EOF", b"%PDF-", b"%PDF-1.4\n" + b"\x00" * 500])
def test_broken_pdf_is_one_line(data):
    with pytest.raises(InputError) as e:
        read_bytes(data, "bad.pdf", ".pdf")
    assert str(e.value).startswith("bad.pdf: ") and "\n" not in str(e.value)


def test_pdf_recognised_by_its_bytes_whatever_its_name():
    data = (INPUTS / "party-branch-township-office-2023.pdf").read_bytes()
    assert read_bytes(data, "-", "").kind == "pdf"
    assert read_bytes(data, "report.txt", ".txt").kind == "pdf"


def test_pdf_whose_text_does_not_map_to_characters(monkeypatch):
    garbage = "".join(chr(0xE000 + i) for i in range(40))  # private-use glyph codes, as unmapped fonts give
    monkeypatch.setattr(pdfmod, "_page_lines", lambda textpage: [Line(garbage, 0, 400, 700, 712, 12)])
    with pytest.raises(InputError, match="does not map to readable characters"):
        read_bytes((INPUTS / "party-branch-township-office-2023.pdf").read_bytes(), "odd.pdf", ".pdf")


# --- PDF cleaning on made-up pages (A4, 16 pt hanzi, text block 80–520 pt) ----------------------

EM = 16.0


def line(text, y, left=80.0, right=None, em=EM):
    right = right if right is not None else min(520.0, left + em * len(text))
    return Line(text, left, right, y, y + em, em)


def page(*lines_):
    return Page(tuple(lines_), 842.0)


WORDS = "党员带头服务群众深化实践活动认领微心愿开展志愿场次"


def body(n, page_no=0, y0=720):
    """n full body lines of a paragraph starting with an indented line; each page's words differ."""
    words = WORDS[page_no:] + WORDS[:page_no]
    lines_ = [line(words[:17], y0, left=112, right=520)]
    lines_ += [line(words[k:k + 18] + words[:max(0, k + 18 - len(words))], y0 - 28 * k, right=520) for k in range(1, n)]
    return lines_


def test_page_numbers_and_running_headers_are_furniture():
    pages = [page(line("某县人民政府文件", 800, left=240, right=368), *body(5, n),
                  line(f"— {n} —", 40, left=280, right=330)) for n in range(1, 5)]
    kept = remove_furniture(pages)
    assert all(len(p) == 5 for p in kept)
    assert not any("文件" in x.text or "—" in x.text for p in kept for x in p)


@pytest.mark.parametrize("marker", ["第 3 页 共 9 页", "第3页", "共9页 第3页", "3/9", "- 3 -", "3", "Page 3 of 9", "·3·"])
def test_page_number_shapes(marker):
    kept = remove_furniture([page(*body(4), line(marker, 40, left=260, right=330))])
    assert [x.text for x in kept[0]] == [x.text for x in body(4)]


def test_a_title_equal_to_the_running_header_stays_on_the_first_page():
    title = line("某县农业农村局2023年工作总结", 760, left=150, right=450, em=22)
    header = lambda: line("某县农业农村局2023年工作总结", 800, left=220, right=380, em=10.5)  # noqa: E731
    pages = [page(title, *body(5, y0=700))] + [page(header(), *body(5, n)) for n in range(1, 4)]
    kept = remove_furniture(pages)
    assert kept[0][0].text == title.text
    assert all(p[0].text != title.text for p in kept[1:])


def test_a_body_line_in_the_middle_of_the_page_is_never_furniture():
    pages = [page(*body(3, n), line("2023", 500, left=80, right=112), *body(3, n + 5, y0=460)) for n in range(3)]
    assert [len(p) for p in remove_furniture(pages)] == [7, 7, 7]


def test_lines_join_into_paragraphs_and_across_pages():
    p1 = [line("一、主要工作", 760, left=112, right=208)] + body(3, 0, y0=730)
    p2 = [line("服务群众约四千六百人次。", 760, right=272)] + body(2, 1, y0=730)
    text, starts = join_pages([p1, p2])
    lines_ = text.split("\n")
    assert lines_[0] == "一、主要工作"
    assert lines_[1].endswith("服务群众约四千六百人次。")  # the sentence cut by the page break reads as one
    assert len(lines_) == 3
    assert starts[0] == 0 and text[starts[1]:].startswith("服务群众约四千六百人次。")


def test_a_short_line_ends_its_paragraph_and_an_indented_line_starts_one():
    lines_ = [line("全年完成投资六点八亿元同比增长百分之十一", 700, right=520),
              line("点三。", 672, right=128),
              line("新增市场主体六百一十二户其中企业一百三十八", 644, right=520),
              line("户。", 616, left=112, right=144)]
    assert join_pages([lines_])[0].split("\n") == ["全年完成投资六点八亿元同比增长百分之十一点三。",
                                                   "新增市场主体六百一十二户其中企业一百三十八", "户。"]


def test_latin_words_keep_a_space_when_joined():
    lines_ = [line("通过ISO14001环境管理体系 and the", 700, right=520), line("audit of 2023", 672, right=200)]
    assert join_pages([lines_])[0] == "通过ISO14001环境管理体系 and the audit of 2023"


def test_layout_spaces_next_to_hanzi_are_dropped_real_ones_kept():
    from extractor.io.pdf import _line

    box = (0.0, 0.0, 16.0, 16.0)
    chars = [(c, box, False) for c in "轮训"] + [(" ", box, True)] + [(c, box, False) for c in "73"] + \
            [(" ", box, True)] + [(c, box, False) for c in "人次"] + [(" ", box, False)] + [(c, box, False) for c in "ISO"] + \
            [(" ", box, True)] + [(c, box, False) for c in "9001"]
    assert _line(chars).text == "轮训73人次 ISO 9001"


def test_encrypted_pdf_is_one_line():
    """encrypted.pdf: a one-line page, encrypted by `qpdf --encrypt secret owner 256` (see make_inputs.py)."""
    with pytest.raises(InputError, match="an encrypted PDF: it needs a password") as e:
        read(INPUTS / "encrypted.pdf")
    assert str(e.value).startswith("encrypted.pdf: ") and "\n" not in str(e.value)
