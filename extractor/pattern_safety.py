"""Which rule patterns are safe to run: a small reader of the regex syntax, enough to find the
shapes that backtrack catastrophically — an unbounded quantifier over something that can itself repeat
without a mandatory separator ((a+)+, (a*)*, (\\w+\\s?)*, (x+x+)+) or that chooses between branches
matching the same text ((a|a)*). :func:`pattern_problem` is what the rules loader asks of every pattern
from a user's folder."""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .cache import compile_regex

_QUANTIFIER = compile_regex(r"\{(\d*)(?:,(\d*))?\}")
_ESCAPE = compile_regex(r"\\(?:[pPN]\{[^}]*\}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|g<[^>]*>|\d+|.)",
                        regex.DOTALL)
_REFERENCE_GROUP = compile_regex(r"\(\?(?:P=\w+|R|[-+]?\d+|&\w+)\)")
_INLINE = compile_regex(r"\(\?(?:#[^)]*|[a-zA-Z][a-zA-Z0-9-]*|-[a-zA-Z]+)\)")
_OPENER = compile_regex(r"\((?:\?(?:P?<\w+>|[a-zA-Z-]*:|\||>|<?[=!]|\(\w+\)))?")
_ZERO_WIDTH = frozenset({"^", "$", r"\b", r"\B", r"\A", r"\Z", r"\z", r"\G", r"\m", r"\M"})
# characters an atom is tried on to tell whether two atoms can match the same character
_SAMPLE = ("".join(map(chr, range(0x20, 0x7F))) + "\t\n〇零一二两三四五六七八九十百千万亿壹贰叁拾佰仟"
           "０１２３４５６７８９年月日人元个次届的是在和与及等中大工作。，、；：？！“”‘’《》（）【】—…％")

@dataclass
class _Node:
    kind: str                       # atom, zero (zero-width), seq, alt, group, atomic, look, quant
    start: int                      # the node's source span in the pattern
    end: int
    items: list = field(default_factory=list)
    lo: int = 0                     # quant: its bounds (hi None: unbounded) and whether possessive
    hi: int | None = 0
    possessive: bool = False


class _PatternReader:
    """Reads a pattern into :class:`_Node` s. Anything it does not know is read as one atom: the
    check may then miss a danger, never invent one."""

    def __init__(self, text: str):
        self.p, self.i = text, 0

    def read(self) -> _Node:
        node = self._alt()
        if self.i < len(self.p):        # an unbalanced ")": regex.compile reports it
            raise ValueError("unbalanced parenthesis")
        return node

    def _alt(self) -> _Node:
        start = self.i
        branches = [self._seq()]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self._seq())
        return branches[0] if len(branches) == 1 else _Node("alt", start, self.i, branches)

    def _seq(self) -> _Node:
        start, items = self.i, []
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            item = self._atom()
            while item is not None and (q := self._quantifier()) is not None:
                lo, hi, possessive = q
                item = _Node("quant", item.start, self.i, [item], lo, hi, possessive)
            if item is not None:
                items.append(item)
        return _Node("seq", start, self.i, items)

    def _quantifier(self) -> tuple[int, int | None, bool] | None:
        p, i = self.p, self.i
        if i >= len(p):
            return None
        if p[i] in "*+?":
            lo, hi = {"*": (0, None), "+": (1, None), "?": (0, 1)}[p[i]]
            self.i = i + 1
        elif p[i] == "{" and (m := _QUANTIFIER.match(p, i)):
            lo = int(m.group(1) or 0)
            hi = lo if m.group(2) is None and "," not in m.group() else (int(m.group(2)) if m.group(2) else None)
            self.i = m.end()
        else:
            return None
        possessive = self.i < len(p) and p[self.i] == "+"
        if self.i < len(p) and p[self.i] in "?+":
            self.i += 1
        return lo, hi, possessive

    def _atom(self) -> _Node | None:
        p, start = self.p, self.i
        ch = p[start]
        if ch == "(":
            return self._group()
        if ch == "[":
            self.i = self._class_end(start)
        elif ch == "\\":
            m = _ESCAPE.match(p, start)
            self.i = m.end() if m else start + 1
        else:
            self.i = start + 1
        text = p[start:self.i]
        return _Node("zero" if text in _ZERO_WIDTH else "atom", start, self.i)

    def _class_end(self, start: int) -> int:
        p, i = self.p, start + 1
        if i < len(p) and p[i] == "^":
            i += 1
        if i < len(p) and p[i] == "]":
            i += 1
        while i < len(p) and p[i] != "]":
            i += 2 if p[i] == "\\" else 1
        return min(i + 1, len(p))

    def _group(self) -> _Node | None:
        p, start = self.p, self.i
        if m := _REFERENCE_GROUP.match(p, start):     # a back-reference or a recursion: one atom
            self.i = m.end()
            return _Node("atom", start, self.i)
        if m := _INLINE.match(p, start):              # a comment or inline flags: nothing to match
            self.i = m.end()
            return None
        kind = "group"
        opener = _OPENER.match(p, start)
        self.i = opener.end()
        if opener.group() == "(?>":
            kind = "atomic"
        elif opener.group() in ("(?=", "(?!", "(?<=", "(?<!"):
            kind = "look"
        inner = self._alt()
        if self.i < len(p) and p[self.i] == ")":
            self.i += 1
        return _Node(kind, start, self.i, [inner])


class _Safety:
    """Whether nodes can match the empty string, which sample characters they may match, and
    whether they can repeat on their own (the body that makes an outer repetition ambiguous)."""

    def __init__(self, text: str):
        self.text = text
        self._chars: dict[str, frozenset[str]] = {}

    def nullable(self, n: _Node) -> bool:
        if n.kind in ("zero", "look"):
            return True
        if n.kind == "atom":
            return False
        if n.kind == "seq":
            return all(self.nullable(i) for i in n.items)
        if n.kind == "alt":
            return any(self.nullable(i) for i in n.items)
        if n.kind == "quant":
            return n.lo == 0 or self.nullable(n.items[0])
        return self.nullable(n.items[0])

    def chars(self, n: _Node) -> frozenset[str]:
        """The sample characters ``n`` may match anywhere in its matches (an over-estimate)."""
        if n.kind == "atom":
            src = self.text[n.start:n.end]
            if src not in self._chars:
                try:
                    atom = regex.compile(src)
                    self._chars[src] = frozenset(c for c in _SAMPLE if atom.fullmatch(c))
                except regex.error:
                    self._chars[src] = frozenset(_SAMPLE)
            return self._chars[src]
        if n.kind in ("zero", "look"):
            return frozenset()
        return frozenset().union(*(self.chars(i) for i in n.items))

    def repeats(self, n: _Node) -> bool:
        """Whether ``n`` can match a text in more than one way by repeating: an unbounded
        quantifier with only optional parts beside it, or branches that match the same text."""
        if n.kind in ("atom", "zero", "look", "atomic"):
            return False
        if n.kind == "quant":
            return (n.hi is None and not n.possessive) or self.repeats(n.items[0])
        if n.kind == "group":
            return self.repeats(n.items[0])
        if n.kind == "alt":
            return any(self.repeats(b) for b in n.items) or self._overlap(n.items)
        needed = [i for i in n.items if not self.nullable(i)]
        if len(needed) <= 1:
            return any(self.repeats(i) for i in (needed or n.items))
        # x+x+: every needed part repeats on its own, over characters the others match too
        return all(i.kind == "quant" and i.hi is None and not i.possessive for i in needed) and \
            all(self.chars(a) & self.chars(b) for a, b in zip(needed, needed[1:]))

    def _overlap(self, branches: list[_Node]) -> bool:
        r"""Branches that match the same text: equal ones; or, among branches that are strings of
        single characters, two that can match the same string, or one that is a string of others
        ((a|a), (\d|\w), (\d|\d\d), (a|b|ab))."""
        if len({self.text[b.start:b.end] for b in branches}) < len(branches):
            return True
        strings = [s for s in map(self._char_string, branches) if s]
        for k, whole in enumerate(strings):
            others = strings[:k] + strings[k + 1:]
            reach = [True] + [False] * len(whole)     # reach[j]: whole[:j] is a string of other branches
            for j in range(1, len(whole) + 1):
                reach[j] = any(reach[j - len(o)] and all(a & b for a, b in zip(whole[j - len(o):j], o))
                               for o in others if len(o) <= j)
            if reach[-1]:
                return True
        return False

    def _char_string(self, n: _Node) -> list[frozenset[str]] | None:
        """The characters a branch matches one by one, when it is a string of single characters
        (each possibly repeated a fixed number of times); None otherwise."""
        items = n.items if n.kind == "seq" else [n]
        out: list[frozenset[str]] = []
        for item in items:
            times = 1
            if item.kind == "quant" and item.hi == item.lo and item.hi is not None:
                item, times = item.items[0], item.lo
            if item.kind != "atom":
                return None
            out += [self.chars(item)] * times
        return out or None

    def danger(self, n: _Node) -> _Node | None:
        """The first unbounded repetition whose body can repeat on its own, if any."""
        if n.kind == "quant" and n.hi is None and not n.possessive and self.repeats(n.items[0]):
            return n
        for i in n.items:
            found = self.danger(i)
            if found is not None:
                return found
        return None


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` (fragments expanded) cannot be used, or None: a syntax error, or nested
    quantifiers that can backtrack catastrophically."""
    try:
        regex.compile(pattern)
    except regex.error as e:
        return f"bad pattern: {e}"
    try:
        tree = _PatternReader(pattern).read()
    except (ValueError, IndexError):
        return None
    safety = _Safety(pattern)
    found = safety.danger(tree)
    if found is None:
        return None
    shape = pattern[found.start:found.end]
    shape = shape if len(shape) <= 40 else shape[:37] + "…"
    return (f"nested quantifiers in {shape!r} can backtrack catastrophically (like (a+)+, (a*)* or (a|a)*): "
            "repeat the inner part once (a+ rather than (a+)+), or make it possessive (a++) or atomic ((?>…))")
