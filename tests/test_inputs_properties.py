"""Property tests: whatever the bytes, a reader gives a Document or an InputError (one line),
never another exception."""
from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.io.errors import InputError
from extractor.io.reader import Document, read_bytes

from .conftest import DATA

SUFFIXES = [".txt", ".md", ".docx", ".pdf", ".html", ".htm", ""]
SAMPLE_PDF = (DATA / "inputs" / "party-branch-township-office-2023.pdf").read_bytes()
SAMPLE_PAGE = (DATA / "inputs" / "party-branch-township-office-2023.html").read_bytes()
PROFILE = settings(max_examples=150, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def outcome(data: bytes, suffix: str) -> Document | InputError:
    try:
        document = read_bytes(data, f"x{suffix}", suffix, max_bytes=1 << 20)
    except InputError as e:
        assert str(e).startswith(f"x{suffix}: ") and "\n" not in str(e) and e.reason
        return e
    assert document.text.strip()  # a text with nothing in it is an EmptyInput
    assert "\r" not in document.text  # universal newlines
    assert document.sha256 == hashlib.sha256(data).hexdigest()  # of the bytes given
    return document


@PROFILE
@given(st.binary(max_size=4096), st.sampled_from(SUFFIXES))
def test_any_bytes(data, suffix):
    outcome(data, suffix)


@PROFILE
@given(st.text(max_size=2000), st.sampled_from(["utf-8", "gb18030", "utf-16-le", "utf-16-be", "utf-16", "utf-8-sig"]),
       st.sampled_from([".txt", ".html", ""]))
def test_any_text_in_any_encoding(text, encoding, suffix):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    outcome(data, suffix)


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        buffer[position % len(buffer)] = value
    return bytes(buffer)


EDITS = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=20)


@PROFILE
@given(EDITS, st.integers(min_value=0, max_value=len(SAMPLE_PDF)))
def test_a_damaged_pdf(edits, cut):
    outcome(_mutate(SAMPLE_PDF, edits)[:max(cut, 1)], ".pdf")


@PROFILE
@given(EDITS, st.integers(min_value=0, max_value=len(SAMPLE_PAGE)))
def test_a_damaged_web_page(edits, cut):
    outcome(_mutate(SAMPLE_PAGE, edits)[:max(cut, 1)], ".html")


def _docx(body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", body)
    return out.getvalue()


WML = st.lists(st.sampled_from([
    b"<w:p>", b"</w:p>", b"<w:r>", b"</w:r>", b"<w:t>", b"</w:t>", b"<w:tbl>", b"</w:tbl>", b"<w:tr>", b"</w:tr>",
    b"<w:tc>", b"</w:tc>", b"<w:tab/>", b"<w:br/>", b"<w:tcPr><w:vMerge/></w:tcPr>", b"<w:txbxContent>",
    b"</w:txbxContent>", "新增就业12人".encode(), b"&amp;", b"&bogus;", b"<![CDATA[x]]>", b"<!-- c -->",
]), max_size=60)


@PROFILE
@given(WML)
def test_a_docx_with_any_wordprocessing_markup(parts):
    body = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + b"".join(parts) + b"</w:body></w:document>")
    outcome(_docx(body), ".docx")


@pytest.fixture(scope="module")
def sample_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("全年新增就业1244人，同比增长5.2%。")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "12人"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@PROFILE
@given(edits=EDITS, cut=st.integers(min_value=1, max_value=4000))
def test_a_damaged_docx(sample_docx, edits, cut):
    outcome(_mutate(sample_docx, edits)[:cut * 10], ".docx")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_empty_input(suffix):
    outcome(b"", suffix)
