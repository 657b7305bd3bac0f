"""Encodings: real GB18030 and Big5 bytes of corpus reports, UTF-16 without a BOM, random bytes,
and never a report from text decoded in the wrong encoding."""
from __future__ import annotations

import codecs
import random

import pytest

from extractor.io.encoding import UNKNOWN_ENCODING, common_hanzi, decode, implausible_count, is_plausible
from extractor.io.errors import InputError
from extractor.io.reader import read_bytes

from .conftest import CORPUS, DATA, shared_corpus_docs

REPORTS = sorted(CORPUS.glob("*.txt"))
BIG5_SAMPLE = DATA / "inputs" / "company-cable-manufacturer-annual-summary-2023.big5.txt"


def report(path) -> str:
    return path.read_text(encoding="utf-8")


def test_the_common_set_is_gb2312_and_big5_level_1():
    common = common_hanzi()
    assert 6500 < len(common) < 7000  # 3,755 + 5,401, the shared characters once
    assert {"的", "一", "镇", "党", "报", "國", "們", "鎮"} <= common
    assert not {"锕", "龘", "𠀀"} & common


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "gbk", "utf-16-le", "utf-16-be"])
def test_corpus_reports_are_detected_in_every_encoding(path, encoding):
    text = report(path)
    decoded, used = decode(text.encode(encoding), path.name)
    assert decoded == text
    assert codecs.lookup(used).name == codecs.lookup("gb18030" if encoding == "gbk" else encoding).name


def test_utf16_without_bom_is_told_from_its_byte_order():
    text = report(REPORTS[0])
    assert decode(text.encode("utf-16-le"), "r.txt")[1] == "utf-16-le"
    assert decode(text.encode("utf-16-be"), "r.txt")[1] == "utf-16-be"


def test_a_big5_report_is_detected():
    data = BIG5_SAMPLE.read_bytes()
    text, used = decode(data, BIG5_SAMPLE.name)
    assert used == "big5" and text == data.decode("big5")
    assert "電纜" in text or "電線" in text


def test_a_big5_report_is_not_taken_for_gb18030():
    # Big5 bytes are valid GB18030 too: only the plausibility of the text tells them apart
    data = BIG5_SAMPLE.read_bytes()
    assert not is_plausible(data.decode("gb18030", "replace"))
    assert decode(data, "r.txt")[1] == "big5"


@pytest.mark.parametrize("path", REPORTS[:3], ids=lambda p: p.stem)
@pytest.mark.parametrize("wrong", ["big5", "utf-16-be", "latin-1", "shift_jis"])
def test_text_decoded_in_the_wrong_encoding_is_implausible(path, wrong):
    data = report(path).encode("gb18030")
    assert is_plausible(data.decode("gb18030"))
    assert not is_plausible(data.decode(wrong, "replace"))


def test_the_corpus_is_plausible_with_a_wide_margin():
    """Measured: at most 0.24 % of a real report's characters are implausible; the bound is 10 %."""
    for path in REPORTS + shared_corpus_docs():
        text = report(path)
        assert implausible_count(text) <= 0.01 * len(text), path.name


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("size", [200, 5000, 100_000])
def test_random_bytes_are_refused(seed, size):
    data = random.Random(seed).randbytes(size)
    with pytest.raises(InputError) as e:
        decode(data, "noise.txt")
    assert e.value.reason in (UNKNOWN_ENCODING, "binary file: not a text report")


def test_random_bytes_are_never_a_report_through_any_reader():
    for seed in range(20):
        data = random.Random(seed).randbytes(3000)
        for suffix in (".txt", ".md", ".html", ".docx", ".pdf", ""):
            with pytest.raises(InputError):
                read_bytes(data, f"noise{suffix}", suffix)


def test_mostly_rare_hanzi_is_refused():
    rare = "".join(chr(c) for c in range(0x9F00, 0x9FA0))  # a row of rare characters
    with pytest.raises(InputError, match="cannot tell the encoding"):
        decode(("报告" + rare * 3).encode("gb18030"), "rare.txt")


def test_mostly_replacement_characters_is_refused():
    data = report(REPORTS[0]).encode("gb18030")
    damaged = bytes(b if i % 3 else 0xFF for i, b in enumerate(data))  # one byte in three broken
    with pytest.raises(InputError, match="cannot tell the encoding"):
        decode(damaged, "damaged.txt")


def test_a_few_damaged_bytes_are_replaced_not_refused():
    data = bytearray(report(REPORTS[0]).encode("gb18030"))
    data[100] = 0xFF
    text, used = decode(bytes(data), "r.txt")
    original = report(REPORTS[0])
    assert used == "gb18030" and "\ufffd" in text
    assert text[:40] == original[:40] and text[-2000:] == original[-2000:]  # two-byte pairs resynchronise


def test_a_utf8_file_cut_mid_character_is_read():
    data = report(REPORTS[0]).encode("utf-8")[:-2]
    text, used = decode(data, "cut.txt")
    assert used == "utf-8" and text.endswith("\ufffd")


def test_a_bom_that_lies_is_refused():
    with pytest.raises(InputError, match="cannot tell the encoding|not valid"):
        decode(codecs.BOM_UTF16_LE + random.Random(1).randbytes(4000), "bom.txt")


def test_explicit_encoding_is_trusted():
    data = report(REPORTS[0]).encode("gb18030")
    assert decode(data, "r.txt", "gb18030")[0] == report(REPORTS[0])
    with pytest.raises(InputError, match="cannot be decoded as utf-8"):
        decode(data, "r.txt", "utf-8")


def test_short_plain_ascii_and_short_chinese_are_fine():
    assert decode(b"Report 2023: 12 items.", "a.txt")[0] == "Report 2023: 12 items."
    assert decode("新增就业12人。".encode("gbk"), "a.txt")[0] == "新增就业12人。"
    assert decode("新增就业12人。".encode("utf-16-le"), "a.txt")[0] == "新增就业12人。"
