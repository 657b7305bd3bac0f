"""The shape of a heading, shared by the parts of the outline reader: its name, how much of it is
Chinese, and the sizes that tell a heading from body text."""
from __future__ import annotations

import regex

HAN = regex.compile(r"\p{Han}")
WORD = regex.compile(r"[A-Za-z]+")
COMMA = regex.compile(r"[，,]")
SPACE_IN_HAN = regex.compile(r"(?<=\p{Han})[ \t]+(?=\p{Han})")
URLISH = regex.compile(r"https?://|www\.|@|\d{4}-\d{2}-\d{2}")
_TRAILING = regex.compile(r"[\s。！？：；!?:;，,、.*_]+$")
_EMPHASIS = regex.compile(r"^[*_]+")   # Markdown emphasis around a heading line

LINE_MAX = 25.0   # a stand-alone heading line, in display width
BODY_MIN = 30     # a paragraph long enough to be body text


def heading_name(text: str, start: int, end: int) -> str:
    """A heading's name: its text without emphasis, closing punctuation or spaces between Han."""
    s = _EMPHASIS.sub("", text[start:end])
    s = _TRAILING.sub("", s).strip()
    s = SPACE_IN_HAN.sub("", s)
    return " ".join(s.split())
