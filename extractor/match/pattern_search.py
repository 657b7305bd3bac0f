"""Searching the patterns of a rules table as one alternation would, faster: each pattern alone
(:class:`Alternation`), a pattern that opens with a numeral from what must follow the numeral
(:class:`RestFirst`), and a pattern that holds one of a few characters near its start from where
they stand (:class:`Near`), each chosen by :func:`searcher` where it is sure to find the same
matches; and a pattern that opens with lookaheads from the offsets where they hold (:class:`Opened`).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence

import regex

from ..rules import Rules, union
from .prefilter import class_chars

try:                                    # the standard library's reader of patterns (Python 3.11+)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:                     # pragma: no cover - older Pythons: no Near
    _sre = _sre_parse = None

# a character beyond the first plane of Unicode, where re and regex may not agree on a class
BEYOND_FIRST_PLANE = re.compile("[\U00010000-\U0010FFFF]")


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
                self._starts = re.compile(shape)
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
_LEADING_CLASS = re.compile(r"\(\?=(\[(?:\\.|[^\]\\\[])+\])\)")


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


class Near:
    """A pattern every match of which holds one of a few ``chars`` near its start (a "·" of 3·15,
    表 or 图 of 见表1, V or v of v1.2): at most ``reach`` characters after it, or after a ``run`` of
    the characters a class names (版 of 2.0版 after a run of digits, points and blanks). Searched
    from where the characters stand, found by ``str.find`` (many times faster than a scan of regex
    or re for a class of them); the pattern is matched at each offset up to ``reach`` or over the
    run before one, in order, so the first match is the leftmost, as the pattern's search finds it.
    A pattern has a few such (chars, reach, run) ``options``, one for each part every match goes
    through: the one whose characters are rarest in the stretch of text a search starts with is
    taken. Where they are all common there (or past as many matches as a search of the rest of
    the text would cost), ``fallback`` searches, on from the first offset not yet tried."""

    def __init__(self, pattern: regex.Pattern, options: Sequence[tuple[str, int | None, str | None]],
                 fallback: regex.Pattern | RestFirst):
        self._match = pattern.match
        # a run's class read backwards from the character: where the match may start
        self._options = [(chars, reach, regex.compile(f"{run}*", regex.REVERSE) if run else None)
                         for chars, reach, run in options]
        self.fallback = fallback

    def search(self, text: str, pos: int = 0) -> regex.Match | None:
        sample = min(len(text) - pos, _SAMPLE)
        best, least = None, sample                          # what a search of the sample costs
        for chars, reach, run in self._options:
            cost = ((_RUN if reach is None else reach) + 1 + _FIND_COST) * _CHARS_PER_MATCH
            cost *= sum(text.count(c, pos, pos + sample) for c in chars)
            if cost <= least:
                best, least = (chars, reach, run), cost
        if best is None:
            return self.fallback.search(text, pos)          # the characters are common here
        chars, reach, run = best
        match = self._match
        budget = (len(text) - pos) // _CHARS_PER_MATCH     # the matches a search would cost
        hits = {c: text.find(c, pos) for c in chars}
        tried = pos   # the offsets before it have been tried
        while True:
            at = min((h for h in hits.values() if h >= 0), default=-1)
            if at < 0:
                return None
            first = run.match(text, tried, at).start() if run else max(tried, at - reach)
            budget -= at + 1 - first + _FIND_COST
            if budget < 0:
                return self.fallback.search(text, tried)
            for start in range(first, at + 1):
                found = match(text, start)
                if found is not None:
                    return found
            tried = at + 1
            for c, h in hits.items():
                if h == at:
                    hits[c] = text.find(c, tried)


# a match tried at one offset costs about what a search of this many characters costs, and the
# next offset of a character about as many as this many matches; how many characters after the
# start of a search tell whether the characters are rare enough
_CHARS_PER_MATCH = 100
_FIND_COST = 2
_SAMPLE = 4096
# the matches a character found after a run is guessed to cost
_RUN = 4
# the most characters an option of a Near may have (each is looked for on its own), and the
# farthest from the start of a match it may lie
_NEAR_CHARS = 6
_NEAR_REACH = 8


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
_MARKED_REST = regex.compile(r"""
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


# syntax of the regex module the standard library's parser would misread (fuzzy counts, POSIX
# classes) or not read (\p{Han}, \X, \G, flags of regex's own): a pattern with it has no Near
_REGEX_ONLY = regex.compile(r"\{[^}]*[eisd]\s*[<=]|\[:|\\[pPNXLmMGK]|\(\?[^:=!<>P]")
# the regex flags under which the standard parser reads a pattern as regex does
_PLAIN_FLAGS = regex.UNICODE | regex.VERSION0


def near_options(pattern: regex.Pattern) -> list[tuple[str, int | None, str | None]]:
    """Of each part of ``pattern`` that every match must go through, the few characters one of
    which it holds and where, from the start of the match: (the characters, the reach, None) when
    the parts before are at most _NEAR_REACH characters wide (a lookaround holds no character of
    the match), else (the characters, None, a class of the characters the parts before are
    written with: the match starts in the run of them before the character). Read by the standard library's parser,
    conservatively: inline flags, a pattern not read as regex reads it or that may match empty
    give none."""
    if (_sre_parse is None or pattern.flags & ~_PLAIN_FLAGS or _REGEX_ONLY.search(pattern.pattern)
            or pattern.match("") is not None):
        return []
    try:
        parsed = _sre_parse.parse(pattern.pattern)
    except Exception:                   # syntax the standard parser does not know
        return []
    if parsed.state.flags & ~(_sre.SRE_FLAG_UNICODE):
        return []
    out = []
    for chars, reach, written in _near_sequence(list(parsed), parsed.state):
        if reach <= _NEAR_REACH:
            out.append((chars, reach, None))
        elif written is not None:
            out.append((chars, None, "[" + "".join(sorted(written)) + "]"))
    return out


_Option = tuple[str, int, "frozenset[str] | None"]


def _near_sequence(items: list, state) -> list[_Option]:
    """The options of each part of a sequence, their reach counted from the sequence's start and
    the characters before them those the parts before are written with."""
    out: list[_Option] = []
    before = 0                                  # the widest the parts before may be
    written: frozenset[str] | None = frozenset()  # what they are written with (None: unknown)
    for op, av in items:
        for chars, reach, inner in _near_item(op, av, state):
            out.append((chars, before + reach, None if inner is None or written is None else written | inner))
        before += _sre_parse.SubPattern(state, [(op, av)]).getwidth()[1]
        part = _written_with(op, av)
        written = None if part is None or written is None else written | part
        if before > _NEAR_REACH and written is None:
            break
    return out


def _near_item(op, av, state) -> list[_Option]:
    if op is _sre.LITERAL:
        return [(chr(av), 0, frozenset())]
    if op is _sre.IN:
        listed = class_chars(av, _NEAR_CHARS)
        if listed is None:
            return []
        chars = "".join(sorted(set(listed)))
        return [(chars, 0, frozenset())]
    if op is _sre.SUBPATTERN:
        _group, add, remove, inner = av
        return [] if add or remove else _near_sequence(list(inner), state)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _high, inner = av
        return _near_sequence(list(inner), state) if low >= 1 else []
    if op is _sre.ATOMIC_GROUP:
        return _near_sequence(list(av), state)
    if op is _sre.BRANCH:
        # each alternative's sharpest option (fewest characters, then the shortest reach), joined
        best = [min(_near_sequence(list(b), state), key=lambda o: (len(o[0]), o[1]), default=None) for b in av[1]]
        if any(b is None for b in best):
            return []
        chars = "".join(sorted(set("".join(b[0] for b in best))))
        written = None if any(b[2] is None for b in best) else frozenset().union(*(b[2] for b in best))
        return [(chars, max(b[1] for b in best), written)] if len(chars) <= _NEAR_CHARS else []
    return []                           # lookarounds, anchors, any character, categories, references


# the categories a class of regex may name as the standard parser reads them
_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s"} if _sre is not None else {}


def _written_with(op, av) -> frozenset[str] | None:
    """Parts of a class of regex that hold every character a part of a pattern may match (a
    lookaround or an anchor none); None when unsure."""
    if op is _sre.LITERAL:
        return frozenset([regex.escape(chr(av))])
    if op is _sre.IN:
        parts = set()
        for kind, value in av:
            if kind is _sre.LITERAL:
                parts.add(regex.escape(chr(value)))
            elif kind is _sre.RANGE:
                parts.add(regex.escape(chr(value[0])) + "-" + regex.escape(chr(value[1])))
            elif kind is _sre.CATEGORY and str(value) in _CATEGORIES:
                parts.add(_CATEGORIES[str(value)])
            else:                       # a negation, another category
                return None
        return frozenset(parts)
    if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        return frozenset()
    if op is _sre.SUBPATTERN:
        _group, add, remove, inner = av
        return None if add or remove else _written_with_all(list(inner))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        return _written_with_all(list(av[2]))
    if op is _sre.ATOMIC_GROUP:
        return _written_with_all(list(av))
    if op is _sre.BRANCH:
        return _written_with_all([item for b in av[1] for item in b])
    return None                         # any character, references


def _written_with_all(items: list) -> frozenset[str] | None:
    out: set[str] = set()
    for op, av in items:
        part = _written_with(op, av)
        if part is None:
            return None
        out |= part
    return frozenset(out)


@functools.cache
def re_digits(astral: bool = True) -> str:
    """What \\d means in regex, written for a character class of the standard library's re: regex
    follows a newer Unicode than re, whose \\d does not know the newest digits (Kawi 𑽐 …). Digits
    lie in the first two planes (a test checks all of Unicode). Without ``astral``, for texts of the
    first plane only: re scans slowly for a class with characters beyond it."""
    chars = "".join(map(chr, range(0x20000 if astral else 0x10000)))
    return r"\d" + "".join(c for c in regex.findall(r"\d", chars) if not re.match(r"\d", c))
