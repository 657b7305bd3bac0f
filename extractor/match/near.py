"""Searching a pattern from the few characters every match holds near its start (:class:`Near`):
· of 3·15, 表 or 图 of 见表1, V of v1.2, found by ``str.find``; the characters are read from the pattern
by the standard library's parser (:func:`near_options`), conservatively.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import regex

from ..cache import Memo, compile_regex, source_version
from . import prefilter
# the standard library's reader of patterns, as the prefilters import it (None on older Pythons: no Near)
from .prefilter import _sre, _sre_parse, class_chars

if TYPE_CHECKING:
    from .pattern_search import RestFirst


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


# syntax of the regex module the standard library's parser would misread (fuzzy counts, POSIX
# classes) or not read (\p{Han}, \X, \G, flags of regex's own): a pattern with it has no Near
_REGEX_ONLY = compile_regex(r"\{[^}]*[eisd]\s*[<=]|\[:|\\[pPNXLmMGK]|\(\?[^:=!<>P]")
# the regex flags under which the standard parser reads a pattern as regex does
_PLAIN_FLAGS = regex.UNICODE | regex.VERSION0
# what near_options reads from a pattern, kept between runs (named by the source of this module and
# of the prefilter's, whose reading of characters it uses)
_MEMO = Memo("near", source_version(__file__, prefilter.__file__))


def near_options(pattern: regex.Pattern) -> list[tuple[str, int | None, str | None]]:
    """:func:`read_near_options`, kept between runs."""
    return list(_MEMO.get((pattern.pattern, int(pattern.flags)), lambda: read_near_options(pattern)))


def read_near_options(pattern: regex.Pattern) -> list[tuple[str, int | None, str | None]]:
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
