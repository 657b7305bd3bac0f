"""The characters one of which every match of a pattern holds ("将", "拟", "计" … for the future
markers): a text without any of them cannot match, and one search of a character class over a clause
costs a fraction of a search of a union of lookarounds, which regex cannot scan for quickly.

The characters are read from the pattern by the standard library's parser of regular expressions,
conservatively: whatever it does not read as a plain character (a class with a category or a wide
range, a lookaround, an optional part, syntax of the regex module only) gives no characters, and a
pattern with a part that gives none has no prefilter at all. A prefilter never changes a result.

A PatternSet searches a list of patterns one by one, each only in a text that holds one of its
characters: a pattern that is anchored or opens with a literal is found fast alone, but not as a
branch of one union of them all, which regex tries at every position of the text.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

try:                                    # the standard library's reader of patterns (Python 3.11+)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:                     # pragma: no cover - older Pythons: no prefilter
    _sre = _sre_parse = None

# regex's own syntax the standard parser would misread; such a pattern has no prefilter
_REGEX_ONLY = regex.compile(r"\\[NX]|\{[^}]*[eisd]\s*[<=]|\(\?[rVfwbex]|\(\?\||\\[LmMGK]|\[:")
# a Unicode property (\p{Han}) is read as the category \w: both name no character
_PROPERTY = regex.compile(r"(?<!\\)((?:\\\\)*)\\[pP](?:\{[^}]*\}|[A-Za-z])")
# a group of many plain words (a word list expanded into the pattern, mostly in a lookahead): read
# as any character, which needs none, as the standard parser would take long to read the words
_WORD_LIST = regex.compile(r"(?<!\\)\(\?:[^\\()\[\]|.*+?{}^$]+(?:\|[^\\()\[\]|.*+?{}^$]+){40,}\)")
_WIDE_CLASS = 64                         # a class of more characters than this is no prefilter
# characters that case-fold to an ASCII letter in regex's simple case folding (and a few more: an
# extra character only makes the prefilter let more texts through)
_FOLDS = {"s": "ſ", "k": "\u212a", "i": "İı"}


def needed_chars(patterns: Iterable[regex.Pattern]) -> frozenset[str] | None:
    """Characters one of which every match of any of ``patterns`` holds, or None when some pattern
    can match without a character that can be named."""
    out: set[str] = set()
    for pattern in patterns:
        got = _pattern_chars(pattern.pattern, bool(pattern.flags & regex.IGNORECASE))
        if got is None:
            return None
        out |= got
    return frozenset(out)


def prefilter(patterns: Iterable[regex.Pattern]) -> regex.Pattern | None:
    """A class of the characters every match of the patterns needs, or None."""
    chars = needed_chars(patterns)
    if not chars:
        return None
    return regex.compile("[" + "".join(regex.escape(c) for c in sorted(chars)) + "]")


@dataclass(frozen=True)
class PatternSet:
    patterns: tuple[regex.Pattern, ...]
    by_char: dict[str, tuple[int, ...]]        # a character -> the patterns that need it
    keys: re.Pattern | None                    # a class of the characters of by_char (None: there are none)
    always: tuple[int, ...]                    # the patterns that need no named character

    @classmethod
    def of(cls, patterns: Sequence[regex.Pattern]) -> PatternSet:
        chars = tuple(needed_chars([p]) for p in patterns)
        by_char: dict[str, list[int]] = {}
        for i, needs in enumerate(chars):
            for ch in needs or ():
                by_char.setdefault(ch, []).append(i)
        # the standard library's re finds the characters of a class in a text faster than a set
        # intersection reads every character of it
        keys = re.compile("[" + "".join(map(re.escape, sorted(by_char))) + "]") if by_char else None
        return cls(tuple(patterns), {ch: tuple(ids) for ch, ids in by_char.items()},
                   keys, tuple(i for i, needs in enumerate(chars) if needs is None))

    def candidates(self, text: str) -> list[int]:
        """In order, the patterns that can match in ``text``: those it holds a character of."""
        found = self.keys.findall(text) if self.keys is not None else ()
        if not found:
            return list(self.always)
        wanted = set(self.always)
        for ch in set(found):
            wanted.update(self.by_char[ch])
        return sorted(wanted)

    def any(self, text: str) -> bool:
        """Does any of the patterns match in ``text``?"""
        for i in self.candidates(text):
            if self.patterns[i].search(text):
                return True
        return False

    def first(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match | None:
        """The match a union of the patterns finds in [pos, endpos): the earliest one, at a tie
        the match of the pattern listed first."""
        best = None
        for i in self.candidates(text[pos:endpos]):
            m = self.patterns[i].search(text, pos, endpos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best


def _pattern_chars(pattern: str, fold: bool) -> frozenset[str] | None:
    if _sre_parse is None or _REGEX_ONLY.search(pattern):
        return None
    try:
        parsed = _sre_parse.parse(_WORD_LIST.sub(".", _PROPERTY.sub(r"\1\\w", pattern)))
    except Exception:                   # syntax the standard parser does not know
        return None
    return _sequence(list(parsed), fold or bool(parsed.state.flags & _sre.SRE_FLAG_IGNORECASE))


def _sequence(items: list, fold: bool) -> frozenset[str] | None:
    """Of the parts a sequence must match, the one with the fewest needed characters."""
    best: frozenset[str] | None = None
    for op, av in items:
        got = _item(op, av, fold)
        if got is not None and (best is None or len(got) < len(best)):
            best = got
    return best


def _item(op, av, fold: bool) -> frozenset[str] | None:
    if op is _sre.LITERAL:
        return _chars([chr(av)], fold)
    if op is _sre.IN:
        return _class(av, fold)
    if op is _sre.BRANCH:
        branches = [_sequence(list(b), fold) for b in av[1]]
        return None if any(b is None for b in branches) else frozenset().union(*branches)
    if op is _sre.SUBPATTERN:
        _group, add, remove, inner = av
        fold = (fold or bool(add & _sre.SRE_FLAG_IGNORECASE)) and not remove & _sre.SRE_FLAG_IGNORECASE
        return _sequence(list(inner), fold)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        lo, _hi, inner = av
        return _sequence(list(inner), fold) if lo >= 1 else None
    if op is _sre.ATOMIC_GROUP:
        return _sequence(list(av), fold)
    return None                         # lookarounds, anchors, any character, categories, references


def _class(items: list, fold: bool) -> frozenset[str] | None:
    chars: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            chars.append(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < _WIDE_CLASS:
            chars.extend(map(chr, range(av[0], av[1] + 1)))
        else:                           # a negation, a category, a wide range
            return None
    return _chars(chars, fold) if len(chars) <= _WIDE_CLASS else None


def _chars(chars: list[str], fold: bool) -> frozenset[str] | None:
    if not fold:
        return frozenset(chars)
    out: set[str] = set()
    for c in chars:
        if c.lower() == c.upper():
            out.add(c)                  # a character without case
        elif c.isascii():
            out |= {c.lower(), c.upper(), *_FOLDS.get(c.lower(), "")}
        else:
            return None                 # a cased letter beyond ASCII: its folds are not named here
    return frozenset(out)
