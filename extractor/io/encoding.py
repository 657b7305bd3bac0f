"""Text encodings: detected from the bytes, and a decoded text judged plausible before it is used.

A report's encoding is told by the bytes in this order: an explicit ``--encoding``; a byte-order mark;
valid UTF-8; else every candidate (UTF-8, GB18030, Big5, UTF-16 LE/BE without a BOM) is decoded and
the one whose text looks most like Chinese prose wins, as long as it looks like prose at all.

*Looks like prose* is a frequency criterion. A character is **plausible** when it is printable ASCII,
whitespace, CJK or general punctuation, a full-width form, a circled number, or a **common hanzi**: one
of GB2312's level-1 characters (3,755 hanzi chosen by frequency for simplified text) or Big5's level-1
characters (5,401 常用字 for traditional text). Running Chinese prose keeps well over 97% of its
characters in that set (place and person names bring the odd rare one); text decoded in the wrong
encoding scatters over the whole code space (rare hanzi, Hangul, private use, control characters, the
replacement character U+FFFD) and keeps a fraction of that. The measurements are in
INPUTS_README_SECTION.md.
"""
from __future__ import annotations

import codecs
import functools
import re

# Encodings tried, in this order of preference on a tie, when the bytes are not valid UTF-8.
CANDIDATE_ENCODINGS = ("utf-8", "gb18030", "big5", "utf-16-le", "utf-16-be")

# A decoded text is refused when more than this share of its non-space characters is implausible
# (plus a small allowance, so that a short text with one rare name is not refused).
MAX_IMPLAUSIBLE_SHARE = 0.10
IMPLAUSIBLE_ALLOWANCE = 3
# The encoding is chosen on a prefix of this many bytes, then the whole text is checked.
SNIFF_BYTES = 1 << 20

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with FF FE too
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Characters that are plausible besides the common hanzi: a character class, one range per kind.
_PLAUSIBLE_NON_HANZI = (
    "\t\n\r\f\v \x20-\x7e"     # ASCII printable and whitespace
    "\u00a0\u00a7\u00a9\u00ae\u00b0-\u00b3\u00b5\u00b7\u00bc-\u00be\u00d7\u00f7"  # Latin-1 signs: § ° ± ² · ½ × ÷
    "\u00e0\u00e1\u00e8\u00e9\u00ec\u00ed\u00f2\u00f3\u00f9\u00fa\u00fc"  # and pinyin vowels with tones,
    "\u0101\u0113\u012b\u014d\u016b\u01ce\u01d0\u01d2\u01d4\u01d6\u01d8\u01da\u01dc"  # not all of Latin-1:
    # GBK bytes read as Latin-1 (a page mislabelled ISO-8859-1) must not look plausible
    "\u2000-\u206f"            # general punctuation: — … ‘ ’ “ ” ‰ ※
    "\u2100-\u218f"            # letterlike symbols and Roman numerals: ℃ № Ⅰ Ⅱ
    "\u2190-\u21ff"            # arrows
    "\u2200-\u22ff"            # mathematical operators: ≥ ≤ ≈
    "\u2460-\u24ff"            # enclosed alphanumerics: ① ⑴ ⒈
    "\u2500-\u25ff"            # box drawing and geometric shapes: ■ □ ● ○ ◆ ▲
    "\u2600-\u26ff"            # miscellaneous symbols: ★ ☆
    "\u3000-\u303f"            # CJK symbols and punctuation: 、。《》【】〔〕
    "\u3200-\u32ff"            # enclosed CJK: ㈠ ㈡
    "\u3300-\u33ff"            # CJK compatibility: ㎡ ㎞
    "\ufe30-\ufe4f"            # CJK compatibility forms: ︰
    "\uff00-\uffef"            # full-width forms: （）１２３，％
)


def _level1_hanzi(encoding: str, leads: range, trails: range) -> str:
    chars = []
    for lead in leads:
        for trail in trails:
            try:
                chars.append(bytes((lead, trail)).decode(encoding))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


@functools.lru_cache(maxsize=1)
def common_hanzi() -> frozenset[str]:
    """GB2312 level 1 (rows B0–D7) and Big5 level 1 (A440–C67E): the common simplified and
    traditional characters, read from Python's own codecs."""
    gb = _level1_hanzi("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
    big5 = _level1_hanzi("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    big5 = big5[: big5.index("\u7069") + 1] if "\u7069" in big5 else big5  # C67E 灩 ends level 1
    return frozenset(ch for ch in gb + big5 if "\u4e00" <= ch <= "\u9fff")


@functools.lru_cache(maxsize=1)
def _implausible_pattern() -> re.Pattern[str]:
    hanzi = "".join(sorted(common_hanzi()))
    return re.compile(f"[^{_PLAUSIBLE_NON_HANZI}{hanzi}]")


UNKNOWN_ENCODING = "cannot tell the encoding: no encoding gives Chinese text (use --encoding)"

# Signatures of binary formats that reach the text decoder (a PDF or .docx is recognised before).
_MAGIC = {
    b"%PDF": "a PDF file; name it .pdf",
    b"\xd0\xcf\x11\xe0": "an old binary Office file (.doc/.xls); save it as .docx first",
    b"\x89PNG": "an image, not a report",
    b"\xff\xd8\xff": "an image, not a report",
    b"GIF8": "an image, not a report",
    b"PK\x03\x04": "a zip archive, not a text report",
    b"\x1f\x8b": "a gzip archive, not a text report",
    b"7z\xbc\xaf": "a 7z archive, not a text report",
    b"Rar!": "a RAR archive, not a text report",
}


def universal_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _finish(text: str) -> str:
    return universal_newlines(text.lstrip("\ufeff"))


def implausible_count(text: str) -> int:
    """How many characters of ``text`` are neither common hanzi nor ordinary punctuation and
    symbols: rare hanzi, other scripts, control characters, U+FFFD."""
    return _implausible_pattern().subn("", text)[1]


def is_plausible(text: str) -> bool:
    """Whether ``text`` reads as Chinese (or plain ASCII) prose rather than mis-decoded bytes."""
    meaningful = len(text) - sum(text.count(c) for c in " \t\n\r\f\v\u3000")
    return implausible_count(text) <= MAX_IMPLAUSIBLE_SHARE * meaningful + IMPLAUSIBLE_ALLOWANCE


def _implausible_share(text: str) -> float:
    return implausible_count(text) / max(len(text), 1)


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode report bytes; returns (text with universal newlines, encoding used).

    Raises InputError (binary data, an undecodable text, a text no encoding makes plausible).
    """
    from .errors import InputError

    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(name, f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise InputError(name, f"cannot be decoded as {encoding} (byte {e.start})") from None
        return _finish(text), encoding
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                raise InputError(name, f"starts with a {enc} byte-order mark but is not valid {enc}") from None
            if not is_plausible(text):
                raise InputError(name, UNKNOWN_ENCODING)
            return _finish(text), enc
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(name, f"binary file: {what}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if is_plausible(text):
            return _finish(text), "utf-8"
    head = data[:SNIFF_BYTES]
    best = min(CANDIDATE_ENCODINGS, key=lambda enc: _implausible_share(head.decode(enc, "replace")))
    text = data.decode(best, "replace")
    if not is_plausible(text):
        # NUL bytes that no candidate (UTF-16 included) turns into prose: not text at all
        raise InputError(name, "binary file: not a text report" if b"\x00" in head else UNKNOWN_ENCODING)
    return _finish(text), best
