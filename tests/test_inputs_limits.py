"""Bounded reading: size limits, endless streams, FIFOs and devices, zip bombs, deep nesting and
broken XML in a .docx — each one line, fast, in bounded memory."""
from __future__ import annotations

import io
import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from extractor.io import limits
from extractor.io.errors import InputError
from extractor.io.officedoc import read_docx
from extractor.io.reader import Source, read_bytes, read_source

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEAD = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>')
TAIL = "</w:body></w:document>"
RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>')
TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
         'wordprocessingml.document.main+xml"/></Types>')


def docx_bytes(body: str | bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", body if isinstance(body, bytes) else HEAD + body + TAIL)
    return out.getvalue()


def p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def one_line(error: InputError, name: str) -> None:
    assert str(error).startswith(f"{name}: ") and "\n" not in str(error)


@pytest.fixture
def alarm():
    """Fail a test that hangs instead of letting it block the run."""
    def on_alarm(*_):
        raise TimeoutError("the read hung")
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


# --- size limits ---------------------------------------------------------------------------------

def test_a_file_over_the_limit_is_refused_and_the_option_raises_it(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(("新增就业1244人。\n" * 60_000).encode("utf-8"))  # ~1.3 MB
    with pytest.raises(InputError, match=r"larger than the 1 MB limit \(raise it with --max-size\)") as e:
        read_source(Source(path, "big.txt"), max_bytes=1024 * 1024)
    one_line(e.value, "big.txt")
    assert read_source(Source(path, "big.txt"), max_bytes=4 * 1024 * 1024).text.startswith("新增就业")


def test_a_huge_sparse_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(limits.DEFAULT_MAX_BYTES * 16)  # 1 GB of holes: nothing on disk, all of it to read
    t0 = time.perf_counter()
    with pytest.raises(InputError, match="larger than the 64 MB limit"):
        read_source(Source(path, "huge.txt"))
    assert time.perf_counter() - t0 < 1


def test_read_bounded_never_reads_past_the_limit():
    class Endless(io.RawIOBase):
        served = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            self.served += len(buffer)
            buffer[:] = b"0" * len(buffer)
            return len(buffer)

    stream = Endless()
    with pytest.raises(limits.LimitExceeded):
        limits.read_bounded(stream, 3 * limits.CHUNK + 5)
    assert stream.served == 3 * limits.CHUNK + 6


def test_read_bytes_checks_the_limit_too():
    with pytest.raises(InputError, match="larger than the 10 bytes limit"):
        read_bytes(b"x" * 11, "a.txt", ".txt", max_bytes=10)


# --- endless streams, devices, FIFOs ---------------------------------------------------------------

@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_given_as_a_path_is_refused(device, alarm):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    with pytest.raises(InputError, match="a device, not a regular file") as e:
        read_source(Source(Path(device), device))
    one_line(e.value, device)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_stdin_stops_at_the_limit(device, monkeypatch, alarm):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    with open(device, "rb") as stream:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
        with pytest.raises(InputError, match="larger than the 2 MB limit") as e:
            read_source(Source(None, "-"), max_bytes=2 * 1024 * 1024)
    one_line(e.value, "-")


def test_a_fifo_without_a_writer_does_not_hang(tmp_path, alarm):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    t0 = time.perf_counter()
    with pytest.raises(InputError, match="a FIFO \\(named pipe\\), not a regular file") as e:
        read_source(Source(fifo, "report.txt"))
    assert time.perf_counter() - t0 < 1
    one_line(e.value, "report.txt")


def test_a_fifo_in_a_folder_is_not_collected(tmp_path):
    from extractor.io.reader import collect_sources

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text("新增就业12人。", encoding="utf-8")
    sources, _ = collect_sources([str(tmp_path)])
    assert [s.name for s in sources] == ["b.txt"]


# --- .docx: bombs ----------------------------------------------------------------------------------

def _deflated_bomb(expanded: int) -> tuple[bytes, int]:
    """Raw deflate data of ``expanded`` bytes of a valid document.xml (one paragraph of 'a's), and
    its CRC, made fast: a full flush resets the compressor, so each repeated block compresses to
    the same bytes, which are computed once."""
    head = (HEAD + "<w:p><w:r><w:t>").encode()
    tail = ("</w:t></w:r></w:p>" + TAIL).encode()
    block = b"a" * (1 << 22)
    blocks = -(-(expanded - len(head) - len(tail)) // len(block))
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = first.compress(head) + first.flush(zlib.Z_FULL_FLUSH)
    repeat = zlib.compressobj(9, zlib.DEFLATED, -15)
    once = repeat.compress(block) + repeat.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15)
    finish = end.compress(tail) + end.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return start + once * blocks + finish, crc, len(head) + blocks * len(block) + len(tail)


def _zip_with(name: str, deflated: bytes, crc: int, size: int, declared: int | None = None) -> bytes:
    """A zip archive holding one deflated member, written by hand (``declared`` may lie)."""
    declared = size if declared is None else declared
    filename = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(deflated), declared, len(filename), 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(deflated), declared,
                          len(filename), 0, 0, 0, 0, 0, 0)
    offset = len(local) + len(filename) + len(deflated)
    directory = central + filename
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), offset, 0)
    return local + filename + deflated + directory + end


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A ~1 MB .docx whose document.xml expands to 1 GB."""
    deflated, crc, size = _deflated_bomb(1 << 30)
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    path.write_bytes(_zip_with("word/document.xml", deflated, crc, size))
    return path


def test_the_bomb_is_what_it_claims(bomb):
    assert bomb.stat().st_size < 1.2 * 1024 * 1024
    with zipfile.ZipFile(bomb) as z:
        assert z.getinfo("word/document.xml").file_size >= 1 << 30


def test_a_zip_bomb_fails_fast_in_little_memory(bomb):
    """In a child process, which reports its own peak memory: VmHWM of /proc/self/status (the
    rusage of a child counts the memory of the parent it was forked from)."""
    code = ("import sys, time; from pathlib import Path; from extractor.io.reader import Source, read_source\n"
            "from extractor.io.errors import InputError\n"
            "t0 = time.perf_counter()\n"
            "try:\n    read_source(Source(Path(sys.argv[1]), 'bomb.docx'))\n"
            "except InputError as e:\n    print(e)\n"
            "print(time.perf_counter() - t0)\n"
            "status = Path('/proc/self/status')\n"
            "hwm = [l for l in status.read_text().splitlines() if l.startswith('VmHWM')] if status.exists() else []\n"
            "print(int(hwm[0].split()[1]) if hwm else 0)\n")
    out = subprocess.run([sys.executable, "-c", code, str(bomb)], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    error, seconds, peak_kb = out.strip().split("\n")
    assert error.startswith("bomb.docx: word/document.xml expands to 1024 MB, over the 256 MB limit"), out
    assert float(seconds) < 1
    assert int(peak_kb) < 500 * 1024


def test_a_bomb_under_the_size_limit_is_caught_by_its_ratio():
    deflated, crc, size = _deflated_bomb(40 << 20)  # 40 MB from ~40 KB: 1000 to 1
    data = _zip_with("word/document.xml", deflated, crc, size)
    with pytest.raises(InputError, match="compresses 10[0-9][0-9] to 1, like a zip bomb") as e:
        read_docx(data, "r.docx")
    one_line(e.value, "r.docx")


def test_a_bomb_that_lies_about_its_size_is_cut_at_the_declared_size():
    deflated, crc, size = _deflated_bomb(200 << 20)
    data = _zip_with("word/document.xml", deflated, crc, size, declared=100_000)
    t0 = time.perf_counter()
    with pytest.raises(InputError) as e:
        read_docx(data, "liar.docx")
    assert time.perf_counter() - t0 < 2
    one_line(e.value, "liar.docx")


# --- .docx: nesting, broken XML, what is read ----------------------------------------------------------

def nested_tables(depth: int) -> str:
    xml = p("最里层新增就业12人")
    for level in range(depth, 0, -1):
        xml = f"<w:tbl><w:tr><w:tc>{p(f'第{level}层')}{xml}</w:tc><w:tc>{p(f'{level}号')}</w:tc></w:tr></w:tbl>"
    return xml


def test_tables_nested_200_deep_are_read_without_recursion():
    text = read_docx(docx_bytes(p("标题") + nested_tables(200) + p("结尾")), "deep.docx")
    assert text.startswith("标题\n第1层\n第2层\n")
    assert "最里层新增就业12人" in text and "第200层" in text and "200号" in text
    assert text.endswith("结尾")


def test_nesting_past_the_bound_is_one_line():
    with pytest.raises(InputError, match=f"nests deeper than {limits.MAX_XML_DEPTH} levels") as e:
        read_docx(docx_bytes(nested_tables(400)), "deeper.docx")
    one_line(e.value, "deeper.docx")


def test_a_table_in_a_table_cell_is_read():
    body = ("<w:tbl><w:tr><w:tc>" + p("指标") + "</w:tc><w:tc>"
            "<w:tbl><w:tr><w:tc>" + p("新增就业") + "</w:tc><w:tc>" + p("1244人") + "</w:tc></w:tr></w:tbl>"
            "</w:tc></w:tr></w:tbl>")
    assert read_docx(docx_bytes(body), "r.docx") == "指标\t新增就业\t1244人"


def test_what_a_paragraph_holds():
    body = (f"<w:p><w:r><w:t>完成投资</w:t></w:r><w:ins><w:r><w:t>6.8</w:t></w:r></w:ins>"
            f"<w:del><w:r><w:delText>5.0</w:delText></w:r></w:del>"
            f"<w:hyperlink><w:r><w:t>亿元</w:t></w:r></w:hyperlink>"
            f"<w:r><w:fldChar w:fldCharType=\"begin\"/><w:instrText> PAGE </w:instrText></w:r>"
            f"<w:r><w:tab/><w:t>同比</w:t><w:br/><w:t>增长</w:t><w:br w:type=\"page\"/></w:r></w:p>")
    assert read_docx(docx_bytes(body), "r.docx") == "完成投资6.8亿元\t同比\n增长"


def test_a_vertically_merged_cell_is_read_once():
    merged = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
    body = (f"<w:tbl><w:tr><w:tc>{merged}{p('经济指标')}</w:tc><w:tc>{p('地区生产总值38.6亿元')}</w:tc></w:tr>"
            f"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>{p('')}</w:tc><w:tc>{p('增长5.2%')}</w:tc></w:tr></w:tbl>")
    assert read_docx(docx_bytes(body), "r.docx") == "经济指标\t地区生产总值38.6亿元\n增长5.2%"


def test_text_box_content_is_read_once():
    box = f"<w:txbxContent>{p('文本框里的字')}</w:txbxContent>"
    body = (f"<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
            f"<w:drawing>{box}</w:drawing></mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>"
            f"</mc:AlternateContent></w:r></w:p>")
    assert read_docx(docx_bytes(body), "r.docx") == "正文\n文本框里的字"


@pytest.mark.parametrize("body,reason", [
    (HEAD + "<w:p><w:r><w:t>未闭合", "broken XML in word/document.xml"),
    (HEAD + "<w:p></w:r>" + TAIL, "broken XML in word/document.xml"),
    (b"\xff\xfe\x00garbage", "broken XML in word/document.xml"),
    ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
     f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>', "declares a DTD"),
])
def test_broken_docx_xml_is_one_line(body, reason):
    with pytest.raises(InputError, match=reason) as e:
        read_docx(docx_bytes(body if isinstance(body, bytes) else body.encode()), "bad.docx")
    one_line(e.value, "bad.docx")


@pytest.mark.parametrize("data,reason", [
    (b"PK\x03\x04 not really a zip", "not a valid .docx file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old binary Word file"),
    (b"plain text named .docx", "not a valid .docx file"),
])
def test_not_a_docx(data, reason):
    with pytest.raises(InputError, match=reason) as e:
        read_bytes(data, "r.docx", ".docx")
    one_line(e.value, "r.docx")


def test_a_zip_without_a_document_part():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(InputError, match="no word/document.xml"):
        read_docx(out.getvalue(), "r.docx")


def test_the_main_part_is_found_through_the_package_relationships():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("_rels/.rels", RELS.replace("word/document.xml", "word/document2.xml"))
        z.writestr("word/document2.xml", HEAD + p("在别处的正文") + TAIL)
    assert read_docx(out.getvalue(), "r.docx") == "在别处的正文"
