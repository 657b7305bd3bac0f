"""Searching the patterns of a rules table as one alternation would, faster: each pattern alone
(:class:`Alternation`), a pattern that opens with a numeral from what must follow the numeral
(:class:`RestFirst`), and a pattern that holds one of a few characters near its start from where
they stand (:class:`~extractor.match.near.Near`), each chosen by :func:`searcher` where it is sure to find the same
matches; and a pattern that opens with lookaheads from the offsets where they hold (:class:`Opened`).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence

import regex

from ..cache import Memo, compile_regex, compile_standard, source_version
from ..rules import Rules, union
from .near import Near, near_options

# a character beyond the first plane of Unicode, where re and regex may not agree on a class
BEYOND_FIRST_PLANE = compile_standard("[\U00010000-\U0010FFFF]")
# re_digits' answers, kept between runs (named by this module's source and regex's version; the
# cache's name holds Python's)
_VERSION = source_version(__file__)
_DIGITS = Memo("digits", _VERSION and f"{_VERSION}-{regex.__version__}")


class Alternation:
    """The spans one alternation of ``patterns`` finds in a text (its ``finditer``), each pattern
    searched on its own: the alternation tries every pattern at every offset, where each pattern
    alone skips to the offsets it can start at (most start with a character class or a number).
    ``searchers`` (default: the patterns) search as the patterns do, some of them faster."""

    def __init__(self, patterns: Sequence[regex.Pattern], compile: Callable[[str], regex.Pattern],
                 searchers: Sequence[regex.Pattern | RestFirst] | None = None):
        self._patterns = list(searchers or patterns)
        self._joined = union(patterns, compile)   # for a text where a pattern matches empty

    def spans(self, text: str) -> list[tuple[int, int]]:
        # the next match of each pattern at or after pos; the alternation takes the leftmost, and
        # of those at one offset the first pattern's
        found = [p.search(text, 0) for p in self._patterns]
        out: list[tuple[int, int]] = []
        pos = 0
        while True:
            first = None
            for i, m in enumerate(found):
                if m is not None and m.start() < pos:
                    m = found[i] = self._patterns[i].search(text, pos)
                if m is not None and (first is None or m.start() < first.start()):
                    first = m
            if first is None:
                return out
            if first.end() == first.start():   # the alternation goes on from an empty match its own way
                return [m.span() for m in self._joined.finditer(text)]
            out.append(first.span())
            pos = first.end()


class Opened:
    r"""``finditer`` of a pattern that opens with ``opening``, zero-width lookaheads that hold at few
    offsets of a text (a class of first characters, then a sharper test of the first few). The
    ``regex`` module tries the whole pattern at every offset; the standard library's ``re`` finds
    the offsets where the lookaheads hold several times faster, and the pattern is tried only there.
    The same matches: at each such offset past the last match the pattern is matched as its own
    search would try it there. The pattern must not match an empty string (a time, a number), and
    ``opening`` must mean in ``re`` what it means in ``regex``: escaped characters, classes,
    alternations and lookarounds do; one that ``re`` cannot compile leaves the pattern's own search.
    ``re`` follows an older Unicode than ``regex`` beyond the first plane (its ``\\d`` lacks the
    newest digits, :func:`re_digits`): a text with a character there is searched by the pattern."""

    def __init__(self, pattern: regex.Pattern, opening: str):
        self._pattern = pattern
        # re skips fast only to a character (or class) a pattern opens with, not a lookahead: the
        # first character read, the opening tested from behind it (one character back)
        first = _LEADING_CLASS.match(opening)
        shapes = [f"{first.group(1)}(?<=(?:{opening})[\\s\\S])"] if first else []
        self._starts: re.Pattern | None = None
        for shape in [*shapes, opening]:
            try:
                self._starts = compile_standard(shape)
                break
            except re.error:
                continue

    def finditer(self, text: str) -> Iterator[regex.Match]:
        if self._starts is None or BEYOND_FIRST_PLANE.search(text):
            yield from self._pattern.finditer(text)
            return
        match, search = self._pattern.match, self._starts.search
        pos = 0   # the next offset searched from: past the last match
        while (start := search(text, pos)) is not None:
            at = start.start()
            found = match(text, at)
            if found is not None:
                yield found
            pos = max(found.end(), at + 1) if found is not None else at + 1


# a lookahead of one class of characters, written out, that opens a pattern
_LEADING_CLASS = compile_standard(r"\(\?=(\[(?:\\.|[^\]\\\[])+\])\)")


class RestFirst:
    """A pattern that opens with a numeral ({NUM}, {CN}, {AR}, or a group of alternatives of
    numerals, character sets and characters) and goes on with a ``rest``, searched as the pattern
    searches but faster. Searched on its own, the pattern reads a numeral at each of the many
    offsets one starts at (or tests its leading lookbehind at every offset), and most numerals have
    no ``rest`` after them. A match lies in a run of the characters its head is written with up to
    where its ``rest`` starts, right after one of them: so the search first looks for such a
    ``rest`` (a literal it opens with is found fast), then tries the pattern at each offset of the
    run before it, in order."""

    def __init__(self, pattern: regex.Pattern, rest_after_head: regex.Pattern, head_run: regex.Pattern):
        self._pattern = pattern
        self._rest_after_head = rest_after_head   # (?<=a character of the head)(?:rest)
        self._head_run = head_run                 # characters of the head*, read backwards

    def search(self, text: str, pos: int = 0) -> regex.Match | None:
        while True:
            rest = self._rest_after_head.search(text, pos + 1)
            if rest is None:
                return None
            last = rest.start() - 1   # the last character of the head
            for start in range(self._head_run.match(text, pos, last + 1).start(), last + 1):
                found = self._pattern.match(text, start)
                if found is not None:
                    return found
            pos = last + 1


def searcher(cell: str, pattern: regex.Pattern, rules: Rules, numerals: Mapping[str, str],
              numeral_chars: str | None) -> regex.Pattern | RestFirst | Near:
    """What searches for ``pattern`` (written ``cell`` in the rules): a :class:`RestFirst` for a
    plain sequence that opens with a numeral or a lookbehind and a head of known characters, else
    the pattern itself; either within a :class:`Near` where the pattern holds one of a few
    characters near its start. ``numeral_chars`` is a class of the characters the numerals are
    written with."""
    if not isinstance(pattern, regex.Pattern):
        return pattern   # a pattern with a user's part keeps its time limit
    plain = _rest_first(cell, pattern, rules, numerals, numeral_chars) if numeral_chars is not None else pattern
    options = near_options(pattern)
    if not options:
        return plain
    # a class of characters, or one after a run (regex finds one literal character fast itself,
    # unless a run of a class is read before it), not only digits (a report writes them everywhere)
    classes = [o for o in options if (len(o[0]) > 1 or o[2]) and not o[0].isdigit()
               and not (o[2] and isinstance(plain, RestFirst))]   # which skips a run of numerals itself
    return Near(pattern, classes, plain) if classes else plain


def _rest_first(cell: str, pattern: regex.Pattern, rules: Rules, numerals: Mapping[str, str],
                numeral_chars: str) -> regex.Pattern | RestFirst:
    head = _head(cell, numerals, numeral_chars)
    if head is None:
        return pattern
    head_end, head_chars = head
    rest_cell = cell[head_end:]
    if rest_cell[:1] in ("", "?", "*", "+", "{"):
        return pattern   # a quantifier after the head may make it optional
    rest = rules.expand(rest_cell, numerals)
    if not _MARKED_REST.match(rest):
        return pattern   # a rest that opens with a digit or a lookaround is no faster to find
    if pattern.pattern != rules.expand(cell[:head_end], numerals) + rest or not _plain_sequence(pattern.pattern):
        return pattern
    char = "(?:" + "|".join(dict.fromkeys(head_chars)) + ")"
    return RestFirst(pattern, rules.regex(f"(?<={char})(?:{rest})"), rules.regex(f"{char}*", regex.REVERSE))


# the opening of a rest the search skips to fast: after optional spaces, a character or a set of
# characters written out, not optional (within the groups that open there)
_MARKED_REST = compile_regex(r"""
    (?:\(\?:)*                              # groups that open there
    (?:(?:\\s|\[\x20\\t\])[?*])?            # optional spaces
    (?:[^\\.^$*+?{}\[\]|()\d\s]             # a character
      |\\[^\w\s]                            # an escaped punctuation mark
      |\[[^\\\]^\-]+\])                     # a set of characters written out
    (?![?*{])
""", regex.VERBOSE)
# characters that are not themselves in a pattern
_METACHARACTERS = frozenset("\\.^$*+?{}[]|()")


def _head(cell: str, numerals: Mapping[str, str], numeral_chars: str) -> tuple[int, list[str]] | None:
    """The head of a pattern written ``cell``: lookbehinds, then a numeral or a group of
    alternatives, each a sequence of numerals, character sets and characters. Its end in ``cell``
    and a class of the characters of each part; None for a pattern that opens otherwise, or whose
    head has neither a lookbehind nor a numeral (the search skips to where those start)."""
    i = 0
    while cell.startswith(("(?<!", "(?<="), i):
        i = _group_end(cell, i)
        if i < 0:
            return None
    if cell.startswith("(?:", i):
        end = _group_end(cell, i)
        parts = _parts(cell[i + 3:end - 1], numerals, numeral_chars) if end > 0 else None
    else:
        token = next((name for name in numerals if cell.startswith("{" + name + "}", i)), None)
        end = i + len(token) + 2 if token else -1
        parts = [numeral_chars] if token else None
    if parts is None or (i == 0 and numeral_chars not in parts):
        return None
    return end, parts


def _parts(group: str, numerals: Mapping[str, str], numeral_chars: str) -> list[str] | None:
    """A class of the characters of each part of the alternatives of ``group``, or None if it has
    anything but numerals, character sets and characters, or an empty alternative."""
    parts: list[str] = []
    i, count = 0, 0
    while i < len(group):
        token = next((name for name in numerals if group.startswith("{" + name + "}", i)), None)
        if group[i] == "|":
            if count == 0:
                return None
            i, count = i + 1, -1
        elif token:
            parts.append(numeral_chars)
            i += len(token) + 2
        elif group[i] == "[":
            end = _set_end(group, i)
            if end < 0:
                return None
            parts.append(group[i:end])
            i = end
        elif group[i] not in _METACHARACTERS and not group[i].isspace():
            parts.append(regex.escape(group[i]))
            i += 1
        else:
            return None
        count += 1
    return parts if count else None


# what may follow "(?" in a plain sequence: groups and lookarounds, no flags, comments or conditions
_PLAIN_GROUPS = (":", "=", "!", "<=", "<!", ">", "P<")
# escapes that refer elsewhere in the pattern or to the search's start: back references, \G, \K
_REFERRING_ESCAPES = frozenset("0123456789gGK")


def _plain_sequence(pattern: str) -> bool:
    """Whether ``pattern`` is a sequence with no alternative at its top level, and without what
    could reach beyond its own part of a longer pattern (inline flags, back references); False when
    unsure (a nested character set)."""
    depth, i = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if pattern[i + 1:i + 2] in _REFERRING_ESCAPES:
                return False
            i += 2
            continue
        if c == "[":
            i = _set_end(pattern, i)
            if i < 0:
                return False
            continue
        if c == "(":
            if pattern.startswith("(?", i) and not pattern.startswith(_PLAIN_GROUPS, i + 2):
                return False
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return False
        i += 1
    return depth == 0


def _group_end(pattern: str, i: int) -> int:
    """Where the group that opens at ``i`` ends (the offset after its ")"), -1 if unsure."""
    depth = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _set_end(pattern, i)
            if i < 0:
                return -1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _set_end(pattern: str, i: int) -> int:
    """Where the character set that opens at ``i`` ends (the offset after its "]"), -1 if unsure."""
    j = i + 1
    if pattern[j:j + 1] == "^":
        j += 1
    if pattern[j:j + 1] == "]":   # a "]" first is a character of the set
        j += 1
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
        elif c == "[":
            return -1   # a nested set or a POSIX class
        elif c == "]":
            return j + 1
        else:
            j += 1
    return -1


@functools.cache
def re_digits(astral: bool = True) -> str:
    """What \\d means in regex, written for a character class of the standard library's re: regex
    follows a newer Unicode than re, whose \\d does not know the newest digits (Kawi 𑽐 …). Digits
    lie in the first two planes (a test checks all of Unicode). Without ``astral``, for texts of the
    first plane only: re scans slowly for a class with characters beyond it. Reading the planes
    costs 20 ms: the answer is kept in the cache, for these versions of regex and Python."""
    return _DIGITS.get(astral, lambda: read_re_digits(astral))


def read_re_digits(astral: bool = True) -> str:
    """:func:`re_digits`, read from the planes."""
    chars = "".join(map(chr, range(0x20000 if astral else 0x10000)))
    return r"\d" + "".join(c for c in regex.findall(r"\d", chars) if not re.match(r"\d", c))
