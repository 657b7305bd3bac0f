"""The shape of a heading, shared by the parts of the outline reader: its name, how much of it is
Chinese, and the sizes that tell a heading from body text."""
from __future__ import annotations

from ..cache import compile_regex

HAN = compile_regex(r"\p{Han}")
WORD = compile_regex(r"[A-Za-z]+")
COMMA = compile_regex(r"[，,]")
SPACE_IN_HAN = compile_regex(r"(?<=\p{Han})[ \t]+(?=\p{Han})")
URLISH = compile_regex(r"https?://|www\.|@|\d{4}-\d{2}-\d{2}")
_TRAILING = compile_regex(r"[\s。！？：；!?:;，,、.*_]+$")
_EMPHASIS = compile_regex(r"^[*_]+")   # Markdown emphasis around a heading line

LINE_MAX = 25.0   # a stand-alone heading line, in display width
BODY_MIN = 30     # a paragraph long enough to be body text


def without_space_in_han(s: str) -> str:
    """s without the spaces between two Han characters ("市 长  马 军" -> "市长马军")."""
    return SPACE_IN_HAN.sub("", s) if " " in s or "\t" in s else s   # most lines have none to look for


def heading_name(text: str, start: int, end: int) -> str:
    """A heading's name: its text without emphasis, closing punctuation or spaces between Han."""
    s = _EMPHASIS.sub("", text[start:end])
    s = _TRAILING.sub("", s).strip()
    return " ".join(without_space_in_han(s).split())
