"""The characters, and the strings, one of which every match of a pattern holds ("将", "拟", "计" …
for the future markers; "下一步", "明年", "计划" … where they spell words): a text without any of them
cannot match, and one search of the standard library's re for them costs a fraction of a search of a
union of lookarounds, which regex cannot scan for quickly.

They are read from the pattern by the standard library's parser of regular expressions,
conservatively: whatever it does not read as a plain character (a class with a category or a wide
range, a lookaround, an optional part, syntax of the regex module only) gives nothing, and a pattern
with a part that gives nothing has no prefilter at all. A run of parts of known strings spells their
concatenations (lookarounds and anchors, which match no character, join across). A prefilter never
changes a result.

A PatternSet searches a list of patterns one by one, each only in a text that holds one of its
characters (and strings): a pattern that is anchored or opens with a literal is found fast alone,
but not as a branch of one union of them all, which regex tries at every position of the text.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from ..cache import Memo, compile_regex, compile_standard, source_version

try:                                    # the standard library's reader of patterns (Python 3.11+)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:                     # pragma: no cover - older Pythons: no prefilter
    _sre = _sre_parse = None

# what this module reads from a pattern's text, kept between runs (the cache's file is named by
# this module's source: a change to it reads every pattern again)
_MEMO = Memo("prefilter", source_version(__file__))
# regex's own syntax the standard parser would misread; such a pattern has no prefilter
_REGEX_ONLY = compile_regex(r"\\[NX]|\{[^}]*[eisd]\s*[<=]|\(\?[rVfwbex]|\(\?\||\\[LmMGK]|\[:")
# a Unicode property (\p{Han}) is read as the category \w: both name no character
_PROPERTY = compile_regex(r"(?<!\\)((?:\\\\)*)\\[pP](?:\{[^}]*\}|[A-Za-z])")
# a group of many plain words (a word list expanded into the pattern, mostly in a lookahead): read
# as any character, which needs none, as the standard parser would take long to read the words
_WORD_LIST = compile_regex(r"(?<!\\)\(\?:[^\\()\[\]|.*+?{}^$]+(?:\|[^\\()\[\]|.*+?{}^$]+){40,}\)")
_WIDE_CLASS = 64                         # a class of more characters than this is no prefilter
# characters that case-fold to an ASCII letter in regex's simple case folding (and a few more: an
# extra character only makes the prefilter let more texts through)
_FOLDS = {"s": "ſ", "k": "\u212a", "i": "İı"}


def needed_chars(patterns: Iterable[regex.Pattern]) -> frozenset[str] | None:
    """Characters one of which every match of any of ``patterns`` holds, or None when some pattern
    can match without a character that can be named."""
    return _needed(patterns, _pattern_chars)


def _needed(patterns: Iterable[regex.Pattern], read) -> frozenset[str] | None:
    """The union of what ``read`` finds each pattern needs; None when it finds nothing for one."""
    out: set[str] = set()
    for pattern in patterns:
        got = read(pattern.pattern, bool(pattern.flags & regex.IGNORECASE))
        if got is None:
            return None
        out |= got
    return frozenset(out)


# syntax by which a match may depend on what stands before it: a pattern with any is asked always
_LOOKS_BEHIND = compile_regex(r"\(\?<[=!]|\\[bBGMyY]|\(\?[a-zA-Z]*r")


class Openings:
    """Of one pattern: can a match open with a character? A partial match of the pattern on the
    character alone tells (where a match opens with it, the character is the start of a string the
    pattern matches), asked once per character met: most characters a text opens a piece with
    (Han) open no list mark, enumeration or modifier, and a look-up costs less than a call of
    regex. A pattern whose match may depend on what stands before it (a lookbehind, a word
    boundary, \\G, a reverse search) is asked at every character."""

    def __init__(self, pattern: regex.Pattern):
        self.pattern = pattern
        self.known: dict[str, bool] | None = None if _LOOKS_BEHIND.search(pattern.pattern) else {}

    def may_open(self, ch: str) -> bool:
        known = self.known
        if known is None:
            return True
        may = known.get(ch)
        if may is None:
            may = known[ch] = self.pattern.match(ch, partial=True) is not None
        return may


@dataclass(frozen=True)
class PatternSet:
    patterns: tuple[regex.Pattern, ...]
    by_char: dict[str, tuple[int, ...]]        # a character -> the patterns that need it
    keys: re.Pattern | None                    # a class of the characters of by_char (None: there are none)
    always: tuple[int, ...]                    # the patterns that need no named character
    needs: tuple[re.Pattern | None, ...]       # of each pattern: a search for its needed_strings, where
                                               # they are sharper than characters
    needs_any: re.Pattern | None               # a search for the needed strings of them all (None: some
                                               # pattern needs none): most texts hold none

    @classmethod
    def of(cls, patterns: Sequence[regex.Pattern]) -> PatternSet:
        chars = tuple(needed_chars([p]) for p in patterns)
        by_char: dict[str, list[int]] = {}
        for i, needs in enumerate(chars):
            for ch in needs or ():
                by_char.setdefault(ch, []).append(i)
        # the standard library's re finds the characters of a class in a text faster than a set
        # intersection reads every character of it
        keys = compile_standard("[" + "".join(map(re.escape, sorted(by_char))) + "]") if by_char else None
        strings = (needed_strings([p]) for p in patterns)
        return cls(tuple(patterns), {ch: tuple(ids) for ch, ids in by_char.items()},
                   keys, tuple(i for i, needs in enumerate(chars) if needs is None),
                   tuple(any_of(s) if s and any(len(w) > 1 for w in s) else None for s in strings),
                   string_prefilter(patterns))

    def candidates(self, text: str, pos: int = 0, endpos: int | None = None) -> list[int]:
        """In order, the patterns that can match in text[pos:endpos]: those it holds a character
        of, and, of a pattern that needs longer strings, one of them."""
        if endpos is None:
            endpos = len(text)
        found = self.keys.findall(text, pos, endpos) if self.keys is not None else ()
        if not found:
            wanted = self.always
        else:
            chosen = set(self.always)
            for ch in set(found):
                chosen.update(self.by_char[ch])
            wanted = sorted(chosen)
        return [i for i in wanted if self.needs[i] is None or self.needs[i].search(text, pos, endpos)]

    def may_match(self, text: str, pos: int, endpos: int) -> bool:
        """Can any of the patterns match in a text within [pos, endpos)? No when it lacks every
        string they need."""
        return self.needs_any is None or bool(self.needs_any.search(text, pos, endpos))

    def any(self, text: str) -> bool:
        """Does any of the patterns match in ``text``?"""
        if self.needs_any is not None and not self.needs_any.search(text):
            return False
        for i in self.candidates(text):
            if self.patterns[i].search(text):
                return True
        return False

    def first(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match | None:
        """The match a union of the patterns finds in [pos, endpos): the earliest one, at a tie
        the match of the pattern listed first."""
        if endpos is None:
            endpos = len(text)
        if self.needs_any is not None and not self.needs_any.search(text, pos, endpos):
            return None
        best = None
        for i in self.candidates(text, pos, endpos):
            m = self.patterns[i].search(text, pos, endpos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best


def needed_strings(patterns: Iterable[regex.Pattern]) -> frozenset[str] | None:
    """Strings one of which every match of any of ``patterns`` holds ("下一步", "明年", "将" …),
    sharper than single characters where a pattern spells words; None as for ``needed_chars``."""
    return _needed(patterns, _pattern_strings)


def string_prefilter(patterns: Iterable[regex.Pattern]) -> re.Pattern | None:
    """A search of the standard library's re for the strings every match of the patterns needs
    (needed_strings), or None."""
    strings = needed_strings(patterns)
    return any_of(strings) if strings else None


def any_of(strings: Iterable[str]) -> re.Pattern:
    """A search (of the standard library's re) for any of ``strings``, which must not be empty. A
    string that holds another is found where that one is; the rest as a tree of their first
    characters, as re tries the alternatives at a position one by one."""
    words = tuple(sorted(set(strings)))
    return compile_standard(_MEMO.get(("any_of", words), lambda: _any_of_pattern(words)))


def _any_of_pattern(words: Sequence[str]) -> str:
    shortest = sorted(words, key=len)
    if shortest[:1] == [""]:
        return ""           # the empty string is everywhere
    # a string goes when a shorter one is inside it: its pieces looked up, not every shorter string
    # searched in it (word lists have hundreds of words of a few characters)
    seen: set[str] = set()
    kept = []
    for s in shortest:
        n = len(s)
        if not any(s[i:j] in seen for i in range(n) for j in range(i + 1, n + 1 if i else n)):
            kept.append(s)
        seen.add(s)
    return _tree_pattern(sorted(kept)) if kept else "(?!)"


def _tree_pattern(strings: list[str]) -> str:
    """An alternation of sorted, non-empty strings none of which starts another, as a tree of
    their first characters: 已经|已往 -> 已(?:经|往)."""
    groups: dict[str, list[str]] = {}
    for s in strings:
        groups.setdefault(s[0], []).append(s[1:])
    parts = [re.escape(first) + (_tree_pattern(rests) if rests != [""] else "") for first, rests in groups.items()]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _parsed(pattern: str):
    """The standard parser's reading of ``pattern`` (a Unicode property read as \\w, a long word
    list as any character), or None for syntax it does not know or would misread."""
    if _sre_parse is None or _REGEX_ONLY.search(pattern):
        return None
    try:
        return _sre_parse.parse(_WORD_LIST.sub(".", _PROPERTY.sub(r"\1\\w", pattern)))
    except Exception:                   # syntax the standard parser does not know
        return None


def _pattern_chars(pattern: str, fold: bool) -> frozenset[str] | None:
    return _MEMO.get(("chars", pattern, fold), lambda: _read(pattern, fold, _sequence))


def _read(pattern: str, fold: bool, read) -> frozenset[str] | None:
    """What ``read`` finds in the parts of ``pattern`` as the standard parser reads them (case folded
    when asked or when the pattern says so), or None where it cannot read the pattern."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    return read(list(parsed), fold or bool(parsed.state.flags & _sre.SRE_FLAG_IGNORECASE))


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
    chars = class_chars(items, _WIDE_CLASS)
    return None if chars is None else _chars(chars, fold)


def class_chars(items: list, widest: int) -> list[str] | None:
    """The characters of a class the standard parser read (its items), or None for a class of more
    than ``widest`` or one that names no characters (a negation, a category)."""
    chars: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            chars.append(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < widest:
            chars.extend(map(chr, range(av[0], av[1] + 1)))
        else:                           # a negation, a category, a wide range
            return None
    return chars if len(chars) <= widest else None


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


# ---- needed strings: each part of a pattern read as the strings it can match (``exact``, when few)
# and the strings one of which each of its matches holds (``needs``)

_STRINGS_MAX = 64                        # the strings a part may spell before it is read as unknown


def _pattern_strings(pattern: str, fold: bool) -> frozenset[str] | None:
    return _MEMO.get(("strings", pattern, fold), lambda: _read(pattern, fold, _needed_strings))


def _needed_strings(items: list, fold: bool) -> frozenset[str] | None:
    needs = _strings_of_sequence(items, fold)[1]
    return None if needs is None or "" in needs else needs


_Strings = tuple[frozenset[str] | None, frozenset[str] | None]   # exact, needs


def _strings_of_sequence(items: list, fold: bool) -> _Strings:
    """A run of parts of known strings spells their concatenations ("过去(?:的)?一年" -> 过去一年,
    过去的一年); of the runs and the other parts' needs, the sharpest: the longest shortest string,
    then the fewest strings."""
    choices: list[frozenset[str]] = []
    run: set[str] = {""}
    whole = True                        # the run spells the whole sequence
    for op, av in items:
        exact, needs = _strings_of_item(op, av, fold)
        if needs is not None:
            choices.append(needs)
        if exact is not None and len(run) * len(exact) <= _STRINGS_MAX:
            run = {a + b for a in run for b in exact}
            continue
        if "" not in run:
            choices.append(frozenset(run))
        whole = False
        run = set(exact) if exact is not None else {""}
    if "" not in run:
        choices.append(frozenset(run))
    best = max(choices, key=lambda c: (min(map(len, c)), -len(c)), default=None)
    return (frozenset(run) if whole else None), best


def _strings_of_item(op, av, fold: bool) -> _Strings:
    if op is _sre.LITERAL:
        chars = _chars([chr(av)], fold)
        return chars, chars
    if op is _sre.IN:
        chars = _class(av, fold)
        return chars, chars
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return frozenset({""}), None    # zero-width: matches join across it
    if op is _sre.BRANCH:
        branches = [_strings_of_sequence(list(b), fold) for b in av[1]]
        exact = None if any(e is None for e, _ in branches) else frozenset().union(*(e for e, _ in branches))
        needs = None if any(n is None for _, n in branches) else frozenset().union(*(n for _, n in branches))
        return (exact if exact is None or len(exact) <= _STRINGS_MAX else None), needs
    if op is _sre.SUBPATTERN:
        _group, add, remove, inner = av
        fold = (fold or bool(add & _sre.SRE_FLAG_IGNORECASE)) and not remove & _sre.SRE_FLAG_IGNORECASE
        return _strings_of_sequence(list(inner), fold)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        lo, hi, inner = av
        exact, needs = _strings_of_sequence(list(inner), fold)
        if exact is not None and (lo, hi) == (0, 1):
            return exact | {""}, None   # an optional part
        return (exact if (lo, hi) == (1, 1) else None), (needs if lo >= 1 else None)
    if op is _sre.ATOMIC_GROUP:
        return _strings_of_sequence(list(av), fold)
    return None, None                   # any character, categories, references
