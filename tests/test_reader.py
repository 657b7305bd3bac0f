"""Reading inputs: encodings, newlines, .docx, and one clear error per bad input."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from extractor.io.reader import (EmptyInput, InputError, Source, collect_sources, decode, read_docx,
                              read_source)

SAMPLE = "党支部2022年度工作报告\r\n一、主要工作\r\n新接收入党积极分子9名，发展党员4人。\r自筹5万余元。\n"
EXPECTED = SAMPLE.replace("\r\n", "\n").replace("\r", "\n")

ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("gb18030", b""),
    ("gbk", b""),
    ("gb2312", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
]


@pytest.mark.parametrize("encoding,bom", ENCODINGS, ids=[f"{e}{'+bom' if b else ''}" for e, b in ENCODINGS])
def test_encodings_are_detected(encoding, bom):
    text, _ = decode(bom + SAMPLE.encode(encoding), "x.txt")
    assert text == EXPECTED


def test_a_long_gbk_report_is_detected(tmp_path):
    body = ("今年以来，全镇新增就业1244万人，城镇调查失业率5.2%左右。各项工作稳中有进，经济社会呈现良好态势。\n" * 40)
    text, enc = decode(body.encode("gbk"), "r.txt")
    assert text == body
    assert enc.replace("_", "").lower() in {"gb18030", "gbk", "gb2312"}


def test_encoding_override():
    data = SAMPLE.encode("gbk")
    assert decode(data, "x.txt", "gbk")[0] == EXPECTED
    with pytest.raises(InputError, match="cannot be decoded as utf-8"):
        decode(data, "x.txt", "utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        decode(data, "x.txt", "no-such-codec")


@pytest.mark.parametrize("data,reason", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image"),
    (bytes(range(256)) * 8, "binary"),
])
def test_binary_input_is_refused(data, reason):
    with pytest.raises(InputError, match=reason) as e:
        decode(data, "bad.txt")
    assert str(e.value).startswith("bad.txt: ")
    assert "\n" not in str(e.value)


def test_empty_file_is_a_warning(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"  \n\r\n")
    with pytest.raises(EmptyInput, match="empty"):
        read_source(Source(p, "empty.txt"))


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("某县2023年工作总结")
    d.add_paragraph("一、主要工作")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数值"
    table.cell(1, 0).text, table.cell(1, 1).text = "新增就业", "1244人"
    d.add_paragraph("二、存在问题")
    p = tmp_path / "r.docx"
    d.save(p)
    text = read_docx(p.read_bytes(), "r.docx")
    assert text.split("\n") == ["某县2023年工作总结", "一、主要工作", "指标\t数值", "新增就业\t1244人", "二、存在问题"]
    assert read_source(Source(p, "r.docx")).text == text


def test_broken_docx(tmp_path):
    p = tmp_path / "r.docx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a valid .docx"):
        read_source(Source(p, "r.docx"))


def test_collect_sources(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "c.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "h.txt").write_text("x", encoding="utf-8")
    (tmp_path / "README.md").write_text("about this folder", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    sources, errors = collect_sources([str(tmp_path), str(tmp_path / "c.doc"), str(tmp_path / "nope.txt"),
                                       str(tmp_path / "empty"), "-"])
    assert [s.name for s in sources] == ["a.md", "b/z.txt", "-"]
    assert sources[-1].path is None
    reasons = [e.reason for e in errors]
    assert any("unsupported file type '.doc'" in r for r in reasons)
    assert any("no such file" in r for r in reasons)
    assert any("holds no reports" in r for r in reasons)


def test_missing_and_directory_sources(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(Source(tmp_path / "gone.txt", "gone.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_source(Source(Path(tmp_path), "dir"))


def test_document_records_sha256_path_and_kind(tmp_path):
    import hashlib

    p = tmp_path / "r.txt"
    data = "新增就业12人。\r\n".encode("gbk")
    p.write_bytes(data)
    document = read_source(Source(p, "r.txt"))
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.path == p and document.kind == "text" and document.text == "新增就业12人。\n"


def test_stdin_is_read_bounded(monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("新增就业12人。".encode("utf-8"))))
    document = read_source(Source(None, "-"))
    assert document.text == "新增就业12人。" and document.path is None
