"""The outline of a report: headings with their levels, the section tree and what each section is for.

Reports are read by their outline. A heading is found by its numbering (schemes in
rules/headings.tsv), by its place (a short stand-alone line, the title block) or by its shape (a
run-in subhead: a short topic phrase that opens a paragraph and ends at 。 or ：). Its level comes
from the document's own nesting: the first numbering scheme met is level 1, a scheme first met
inside a section is one level deeper, and a scheme met again closes what was opened after it.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from .view import display_width
from ..rules import Rules
from ..model import Heading, Section, Span
from .textunits import TextUnits

# --- numbering schemes -----------------------------------------------------------------------------

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
_FRAGMENTS = {
    "cn": r"[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]",
    "n": r"[1-9]\d?",
    "circled": r"[①-⑳]",
    "latin": r"[A-Z]",
    "roman": "[" + _ROMAN + "]",
}
_NUMERALS = ("cn", "arabic", "circled", "latin", "roman", "none")
_ROLES = ("container", "continuation", "lead", "dash", "markup")


def cn_number(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 九十九 → 99."""
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[s]


def cn_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


_READ: dict[str, Callable[[str], int]] = {
    "cn": cn_number,
    "arabic": int,
    "circled": lambda s: ord(s) - ord("①") + 1,
    "latin": lambda s: ord(s) - ord("A") + 1,
    "roman": lambda s: _ROMAN.index(s) + 1,
}
_WRITE: dict[str, Callable[[int], str]] = {
    "cn": cn_numeral,
    "arabic": str,
    "circled": lambda n: chr(ord("①") + n - 1),
    "latin": lambda n: chr(ord("A") + n - 1),
    "roman": lambda n: _ROMAN[n - 1],
}
_SAMPLE_NUMERAL = {"cn": "一", "arabic": "1", "circled": "①", "latin": "A", "roman": "Ⅰ"}


@dataclass(frozen=True)
class Scheme:
    """One numbering scheme: ``name`` is a sample marker ("一、"), ``role`` what it heads."""

    name: str
    pattern: regex.Pattern
    numeral: str
    role: str

    def number(self, m: regex.Match) -> int | None:
        if self.numeral == "none":
            return None
        return _READ[self.numeral](m.group("num"))

    def render(self, n: int | None) -> str:
        """The marker for number n in this scheme: 一、 → 三、, 1.1 → 1.3."""
        if n is None or self.numeral == "none":
            return self.name
        sample = _SAMPLE_NUMERAL[self.numeral]
        i = self.name.rfind(sample)
        return self.name if i < 0 else self.name[:i] + _WRITE[self.numeral](n) + self.name[i + len(sample):]


def _compile_marker(pattern: str) -> regex.Pattern:
    own_num = "(?P<num>" in pattern
    for name, frag in _FRAGMENTS.items():
        pattern = pattern.replace("{" + name + "}", f"(?:{frag})" if own_num else f"(?P<num>{frag})")
    try:
        return regex.compile(pattern)
    except regex.error as e:
        raise ValueError(f"bad pattern: {e}") from None


def _compile(pattern: str) -> regex.Pattern:
    try:
        return regex.compile(pattern)
    except regex.error as e:
        raise ValueError(f"bad pattern: {e}") from None


def _one_of(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def check(v: str) -> str:
        if v not in allowed:
            raise ValueError(f"{v!r} is not one of {', '.join(allowed)}")
        return v
    return check


# --- public types ----------------------------------------------------------------------------------

class Outline:
    """Headings in reading order and the sections they open."""

    def __init__(self, text: str, headings: list[Heading], numbers: list[int | None],
                 kinds: list[str], paths: list[str], ends: list[int], root_kind: str,
                 schemes: dict[str, Scheme], restarts: set[int] = frozenset()):
        self.text = text
        self.headings = headings
        self._numbers = numbers
        self._schemes = schemes
        self._restarts = restarts
        self._newlines: list[int] | None = None
        self._starts = [h.start for h in headings]
        self.root = Section(None, "", root_kind, 0, len(text))
        self.sections = [Section(h, p, k, h.start, e) for h, p, k, e in zip(headings, paths, kinds, ends)]

    def section_at(self, pos: int) -> Section:
        """The innermost section holding view offset ``pos`` (the root before the first heading)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        return self.sections[i] if i >= 0 else self.root

    def check(self) -> list[str]:
        """Broken numbering, one human-readable line each: a skipped or repeated number, a list
        that does not start at its first item. Numbering may restart after an unnumbered heading
        of the same level or after a lead paragraph ("…主要如下："), and may continue across sections
        ("6." under 二、 after "5." under 一、)."""
        problems: list[str] = []
        last: dict[tuple[int, str], int] = {}
        seen: dict[str, int] = {}
        for k, (h, n) in enumerate(zip(self.headings, self._numbers)):
            for key in [k for k in last if k[0] > h.level or (n is None and k[0] == h.level)]:
                del last[key]
            scheme = self._schemes.get(h.scheme)
            if n is None or scheme is None or scheme.role not in ("container", "continuation"):
                continue
            key = (h.level, h.scheme)
            where = f"{self._line_of(h.start)}: {self.text[h.start:h.end][:30]!r}"
            if key in last and not (n == 1 and k in self._restarts):
                if n != last[key] + 1:
                    problems.append(f"line {where}: {scheme.render(n)} follows {scheme.render(last[key])} "
                                    f"(expected {scheme.render(last[key] + 1)})")
            elif n != 1 and seen.get(h.scheme) != n - 1:
                problems.append(f"line {where}: {scheme.render(n)} without {scheme.render(1)}")
            last[key] = n
            seen[h.scheme] = n
        return problems

    def _line_of(self, pos: int) -> int:
        """1-based line of a view offset (lines of the view: flattened text has them too)."""
        if self._newlines is None:
            self._newlines = [i for i, ch in enumerate(self.text) if ch == "\n"]
        return bisect.bisect_left(self._newlines, pos) + 1


# --- building ----------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Para:
    start: int
    end: int
    indent: int   # spaces before it on its line; -1 when it does not start a line
    alone: bool   # the paragraph is a whole line
    adjacent: bool  # on the line right after the previous paragraph (no blank line between)


@dataclass(slots=True)
class _Open:
    """An open section on the nesting stack."""

    key: str          # scheme name, "line" for a stand-alone line heading
    indent: int
    level: int
    last: int | None  # its last number
    found: int = -1   # its heading's index in _State.found


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    level: int
    name: str
    scheme: str
    runin: bool = False
    number: int | None = None
    restart: bool = False          # a list that starts again after a lead ("…如下：")
    kind_hint: str | None = None   # the section kind its lead gave the list


@dataclass(slots=True)
class _RuninCandidate:
    found: _Found
    group: tuple[str, int]   # its siblings: run-ins opening paragraphs of one section, or run-ins
                             # right after the numbered headings of one list
    confirmed: bool          # it opens a paragraph of parallel run-ins


@dataclass
class _State:
    stack: list[_Open] = field(default_factory=list)
    last_seen: dict[str, int] = field(default_factory=dict)
    found: list[_Found] = field(default_factory=list)
    runins: list[_RuninCandidate] = field(default_factory=list)
    group: int = -1          # index in found of the innermost container heading
    containers: int = 0      # containers met in the current part
    lead: tuple[str | None] | None = None   # the paragraph just read ends in a colon: (its kind cue,)
    hints: dict[tuple[int, str], str | None] = field(default_factory=dict)  # list -> kind its lead gave

    def top_level(self) -> int:
        return self.stack[-1].level if self.stack else 0

    def reset(self) -> None:
        self.stack.clear()
        self.last_seen.clear()
        self.hints.clear()
        self.containers = 0
        self.group = -1
        self.lead = None

    def close_hints(self, level: int, inclusive: bool) -> None:
        for key in [k for k in self.hints if k[0] > level or (inclusive and k[0] == level)]:
            del self.hints[key]


# Where a numbered heading's title ends: its first closing punctuation (with closing quotes after it).
_HEADING_END = regex.compile(
    r"[。！？：][”’」』）)]*|[!?:](?=\s|$)|(?<=[A-Za-z0-9)\]])\.(?=\s+\S|\s*$)(?<![ \t]\d\.)"
)
# A run-in subhead ends at its first 。 or ：; anything else first (a comma, the line end) rules it out.
_RUNIN_STOP = regex.compile(r"[。：:，,；;！？!?\n]")
_RUNIN_CLOSERS = regex.compile(r"[”’」』）)]*")
_HAN = regex.compile(r"\p{Han}")
_EIGHT_HAN = regex.compile(r"(?:[^\p{Han}]*\p{Han}){8}")   # at least eight: stops there, counts no further
_DIGIT = regex.compile(r"\d")
_PUNCT_INSIDE = regex.compile(r"[。；;！？!?：:\t]")
_TERMINAL = regex.compile(r"[。！？：；!?:;…][”’」』）)]*$")
_TRAILING = regex.compile(r"[\s。！？：；!?:;，,、.*_]+$")
_EMPHASIS = regex.compile(r"^[*_]+")   # Markdown emphasis around a heading line
_SPACE_IN_HAN = regex.compile(r"(?<=\p{Han})[ \t]+(?=\p{Han})")
_WORD = regex.compile(r"[A-Za-z]+")
_COMMA = regex.compile(r"[，,]")
_ENUMERATION = regex.compile(r"[，,、]")
_OPEN_END = regex.compile(r"[，,、]$")
_TITLE_STOPS = regex.compile(r"[。！？!?：:；;\t]")
_SENTENCE_STOP = regex.compile(r"[。！？!?]")
_URLISH = regex.compile(r"https?://|www\.|@|\d{4}-\d{2}-\d{2}")

_RUNIN_MAX = 20       # a run-in subhead is short (GUIDELINE: ≤ 20 characters)
_MID_RUNIN_MAX = 13   # in mid-paragraph, shorter still: annotated ones run 3 to 12 characters
_LINE_MAX = 25.0      # a stand-alone heading line, in display width
_LEAD_MAX = 40.0      # a stand-alone lead line ending in a colon
_COMMA_LINE_MAX = 18  # a stand-alone heading line in two parts joined by a comma
_LEAD_SENTENCE_MAX = 30   # a lead sentence short enough to say what the list after it is
_TITLE_MAX = 40.0
_TITLE2_MAX = 30.0    # the second line of a two-line title
_TITLE_BLOCK = 8      # paragraphs searched for a title at the top of a part
_BODY_MIN = 30        # a paragraph long enough to be body text
_ELABORATION_MIN = 15
_BLOCK_END_MIN = 20   # a mid-paragraph run-in follows the long last sentence of the block before it


class OutlineBuilder:
    """Finds the outline of a document; built once from the rules, then ``build`` per document."""

    def __init__(self, rules: Rules, units: TextUnits):
        self.units = units
        rows = rules.table("headings", ("role", "scheme", "pattern", "numeral"),
                           convert={"role": _one_of(_ROLES), "pattern": _compile_marker,
                                    "numeral": _one_of(_NUMERALS)},
                           required=("role", "scheme", "pattern", "numeral"))
        self.schemes = [Scheme(r["scheme"], r["pattern"], r["numeral"], r["role"]) for r in rows]
        self.numbered = [s for s in self.schemes if s.role in ("container", "continuation", "markup")]
        self.leads = [s for s in self.schemes if s.role in ("lead", "dash")]
        self.section_kinds = rules.table("section_kinds", ("pattern", "kind", "levels"),
                                         convert={"pattern": _compile,
                                                  "kind": _one_of(("review", "problem", "plan")),
                                                  "levels": _one_of(("title", "top", "any"))},
                                         required=("pattern", "kind", "levels"))
        kinds = ("salutation", "byline", "name", "dateline", "title_word", "lead_word", "runin_stop", "toc",
                 "notes", "part", "separator")
        cues: dict[str, list[regex.Pattern]] = {k: [] for k in kinds}
        for r in rules.table("heading_cues", ("kind", "pattern"),
                             convert={"kind": _one_of(kinds), "pattern": _compile},
                             required=("kind", "pattern")):
            cues[r["kind"]].append(r["pattern"])
        self.cues = cues

    # -- helpers ------------------------------------------------------------------------------------

    def _cue(self, kind: str, s: str) -> bool:
        return any(p.search(s) for p in self.cues[kind])

    def _marks(self, text: str, pos: int, end: int) -> list[tuple[Scheme, int | None, int]]:
        out = []
        for s in self.numbered:
            m = s.pattern.match(text, pos, end)
            if m and m.end() < end:
                out.append((s, s.number(m), m.end()))
        return out

    def _fit(self, st: _State, scheme: Scheme, n: int | None, indent: int):
        """How a numbered heading fits the open sections: (score, level, pop_to) or None.

        ``pop_to`` is the stack index of the open list it continues (its siblings), None when it
        opens a new list one level below the innermost open section. The higher the score, the
        better the fit: continuing a numbering beats starting one, which beats a broken sequence.
        """
        key = scheme.name
        exact = next((i for i in range(len(st.stack) - 1, -1, -1)
                      if st.stack[i].key == key and st.stack[i].indent == indent), None)
        same = exact if exact is not None else next(
            (i for i in range(len(st.stack) - 1, -1, -1) if st.stack[i].key == key), None)
        if same is not None:
            e = st.stack[same]
            if n is None or e.last is None:
                return 3.0, e.level, same
            if n == e.last + 1:
                return 3.0, e.level, same
            if n == 1 and exact is None and indent > e.indent:
                return 2.0, st.top_level() + 1, None   # a nested list of the same scheme, indented
            if scheme.role == "continuation":
                return None
            return (1.0 if n == 1 else 0.5), e.level, same
        if scheme.role == "continuation":
            return None
        level = st.top_level() + 1
        if n is None or n == 1 or st.last_seen.get(key) == n - 1:
            return 2.0, level, None
        if st.containers == 0:
            return 1.0, level, None   # a part that starts mid-list
        if scheme.numeral in ("cn", "circled", "roman"):
            return 0.5, level, None   # a list whose first item is missing: kept, and check() says so
        return None

    def _place(self, st: _State, marks, indent: int):
        best = None
        for scheme, n, mend in marks:
            fit = self._fit(st, scheme, n, indent)
            if fit is None:
                continue
            if best is None or fit[0] > best[0][0]:
                best = (fit, scheme, n, mend)
        return best

    def _runin_end(self, text: str, pos: int, end: int) -> int | None:
        """End of a run-in subhead starting at pos (after its 。 or ：), or None."""
        m = _RUNIN_STOP.search(text, pos, end)
        if m is None or m.group() not in "。：:":
            return None
        body = text[pos:m.start()].strip()
        n = len(body)
        if n < 2 or n > _RUNIN_MAX or _DIGIT.search(body) or len(_HAN.findall(body)) < 2:
            return None
        if self._cue("runin_stop", body) or self._cue("salutation", body + "："):
            return None
        return _RUNIN_CLOSERS.match(text, m.end(), end).end()

    def _name(self, text: str, start: int, end: int) -> str:
        s = _EMPHASIS.sub("", text[start:end])
        s = _TRAILING.sub("", s).strip()
        s = _SPACE_IN_HAN.sub("", s)
        return " ".join(s.split())

    # -- the build -----------------------------------------------------------------------------------

    def build(self, text: str, paragraphs: list[Span]) -> Outline:
        paras = self._paras(text, paragraphs)
        st = _State()
        i = 0
        title_at = 0          # a title may start here (the top, after a separator)
        toc = ""           # "first" right after a contents line, "next" inside its entries
        while i < len(paras):
            p = paras[i]
            s = text[p.start:p.end]
            if self._cue("separator", s):
                st.reset()   # a rule line starts a new part of the file
                title_at = i + 1
                i += 1
                continue
            if i == title_at or (p.alone and self._cue("part", s) and display_width(s) <= _LINE_MAX):
                nxt = self._title_block(text, paras, i, st)
                if nxt > i:
                    i = nxt
                    continue
            if p.alone and self._cue("toc", s):
                toc = "first"
                i += 1
                continue
            if p.alone and self._cue("notes", s):
                # endnotes: the numbered paragraphs after the line are notes, not headings
                i += 1
                while i < len(paras) and self._marks(text, paras[i].start, paras[i].end + 1):
                    i += 1
                continue
            if toc:
                # entries of a table of contents: short numbered lines, one right after another
                if p.alone and (toc == "first" or p.adjacent) and display_width(s) <= _LINE_MAX \
                        and self._marks(text, p.start, p.end + 1):
                    toc = "next"
                    i += 1
                    continue
                toc = ""
            before = len(st.found)
            self._paragraph(text, paras, i, st)
            st.lead = self._lead_of(text, p, st.found[before:])
            i += 1
        return self._finish(text, st)

    def _paras(self, text: str, spans: list[Span]) -> list[_Para]:
        out: list[_Para] = []
        for k, sp in enumerate(spans):
            prev_end = spans[k - 1].end if k else 0
            next_start = spans[k + 1].start if k + 1 < len(spans) else len(text)
            # only the gaps between paragraphs are searched, so the whole pass stays linear
            nl_before = text.rfind("\n", prev_end, sp.start)
            starts_line = nl_before >= 0 or k == 0
            indent = sp.start - (nl_before + 1) if starts_line else -1
            ends_line = next_start == len(text) or "\n" in text[sp.end:next_start]
            adjacent = text.count("\n", prev_end, sp.start) <= 1
            out.append(_Para(sp.start, sp.end, indent, starts_line and ends_line, adjacent))
        return out

    def _title_block(self, text: str, paras: list[_Para], i: int, st: _State) -> int:
        """Read a title block from paragraph i: title lines (one or two), bylines and datelines.

        Returns the index of the first paragraph after the block (i when there is none). A title
        starts a new part: the nesting starts afresh under it.
        """
        j = i
        title: list[_Para] = []
        part = self._cue("part", text[paras[i].start:paras[i].end])
        while j < len(paras) and j - i < _TITLE_BLOCK:
            p = paras[j]
            s = _SPACE_IN_HAN.sub("", text[p.start:p.end])
            if not p.alone or self._cue("salutation", s) or self._cue("toc", s):
                break
            numbered = bool(self._marks(text, p.start, p.end + 1))
            if not title and part:
                title.append(p)
                j += 1
                if j < len(paras) and self._title_line(text, paras[j], second=True):
                    title.append(paras[j])
                    j += 1
                continue
            if not title and not numbered and self._title_line(text, p, second=False):
                title.append(p)
                j += 1
                if j < len(paras) and not self._cue("title_word", s) and self._title_line(text, paras[j], second=True):
                    title.append(paras[j])
                    j += 1
                continue
            if not numbered and (self._cue("byline", s) or self._cue("name", s) or self._cue("dateline", s)):
                j += 1
                continue
            break
        if title:
            st.reset()
            start, end = title[0].start, title[-1].end
            name = _SPACE_IN_HAN.sub("", " ".join(self._name(text, t.start, t.end) for t in title))
            st.found.append(_Found(start, end, 0, name, "title"))
        return j

    def _title_line(self, text: str, p: _Para, second: bool) -> bool:
        s = _SPACE_IN_HAN.sub("", text[p.start:p.end])
        if not p.alone or self._marks(text, p.start, p.end + 1) or any(l.pattern.match(s) for l in self.leads):
            return False
        w = display_width(s)
        if w > (_TITLE2_MAX if second else _TITLE_MAX):
            return False
        if len(_HAN.findall(s)) + len(_WORD.findall(s)) < 2:
            return False
        if _TITLE_STOPS.search(s) or _OPEN_END.search(s) or _URLISH.search(s):
            return False
        if second and _COMMA.search(s):
            return False
        if self._cue("salutation", s) or self._cue("dateline", s):
            return False
        if self._cue("title_word", s):
            return True
        # "2023年工作回顾" opening a document heads its first section; it does not name the document
        return not (self._cue("byline", s) or self._cue("name", s)) and (second or self._kind_cue(s, 1) is None)

    def _paragraph(self, text: str, paras: list[_Para], i: int, st: _State) -> None:
        p = paras[i]
        s = text[p.start:p.end]
        if self._cue("salutation", s):
            return
        marks = self._marks(text, p.start, p.end + 1)
        if marks:
            placed = self._place(st, marks, p.indent)
            if placed is not None:
                self._numbered(text, p, placed, st)
                return
        for scheme in self.leads:
            m = scheme.pattern.match(text, p.start, p.end)
            if m and m.end() < p.end:
                end = self._heading_end(text, p.start, p.end)
                level = st.top_level() + 1
                if scheme.role == "dash":
                    level = max(3, level)   # "——经济总体回升向好。" is a subhead, placed as run-ins are
                st.found.append(_Found(p.start, end, level, self._name(text, m.end(), end), scheme.name,
                                       number=scheme.number(m)))
                return
        if p.alone and self._standalone(text, paras, i, st):
            return
        if marks:
            return   # a number that fits no list ("2.5万亿元…") opens no run-in either
        self._runins(text, p, p.start, st, group=("start", st.group),
                     next_para=paras[i + 1] if i + 1 < len(paras) else None)

    def _lead_of(self, text: str, p: _Para, new: list[_Found]) -> tuple[str | None] | None:
        """When a paragraph ends in a colon it leads the list after it: what kind of list it announces.

        A lead line that is a heading ("主要成绩如下：") says it plainly; a lead sentence at the end of
        a paragraph says it only when short ("当然，学校工作还存在一些不足，主要如下：").
        """
        s = text[p.start:p.end]
        if s[-1] not in "：:":
            return None
        if new and new[0].scheme not in ("line", "runin"):
            return None   # "一、主要进展有：" heads its own items: they inherit its kind
        if new and new[0].scheme == "line":
            return (self._kind_cue(new[0].name, 1),)
        last = _SENTENCE_STOP.split(s[:-1])[-1]
        return (self._kind_cue(last, 1) if len(last) <= _LEAD_SENTENCE_MAX else None,)

    def _heading_end(self, text: str, start: int, end: int) -> int:
        m = _HEADING_END.search(text, start, end)
        return m.end() if m else end

    def _numbered(self, text: str, p: _Para, placed, st: _State) -> None:
        (score, level, pop_to), scheme, n, mend = placed
        body_start = mend
        if scheme.role == "markup":
            inner = self._marks(text, mend, p.end + 1)
            inner = [x for x in inner if x[0].role in ("container",)]
            if inner:
                body_start = inner[0][2]
        end = self._heading_end(text, body_start, p.end)
        restart = pop_to is not None and n == 1 and (st.stack[pop_to].last or 0) >= 1
        if pop_to is not None:
            del st.stack[pop_to:]
        st.stack.append(_Open(scheme.name, p.indent, level, n, len(st.found)))
        if n is not None:
            st.last_seen[scheme.name] = n
        st.containers += 1
        st.close_hints(level, inclusive=False)
        key = (level, scheme.name)
        if st.lead is not None and (n is None or n == 1):
            st.hints[key] = st.lead[0]   # "…计划如下：" then 一、…: the list is what its lead says
        elif restart:
            st.hints.pop(key, None)
        found = _Found(p.start, end, level, self._name(text, body_start, end), scheme.name, number=n,
                       restart=restart and st.lead is not None, kind_hint=st.hints.get(key))
        st.found.append(found)
        st.group = len(st.found) - 1
        # a run-in subhead right after the heading on the same line ("1.全面加强党的建设。强化理论武装。…")
        pos = end
        while pos < p.end and text[pos] in " \t":
            pos += 1
        if pos < p.end:
            parent = st.stack[-2].found if len(st.stack) > 1 else -1
            self._runins(text, p, pos, st, group=("after", parent), next_para=None)

    def _standalone(self, text: str, paras: list[_Para], i: int, st: _State) -> bool:
        """A short line on its own heading what follows: a section title, or a lead ending in a colon."""
        p = paras[i]
        s = text[p.start:p.end]
        colon = s[-1] in "：:"
        body = s[:-1] if colon else s
        if _PUNCT_INSIDE.search(body) or _URLISH.search(s) or "\t" in s:
            return False
        han = len(_HAN.findall(body))
        if han + len(_WORD.findall(body)) < 2:
            return False
        if not colon and han < 0.5 * len(body.replace(" ", "")):
            return False
        if self._cue("byline", s) or self._cue("dateline", s):
            return False
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        if nxt is None:
            return False
        if colon:
            if _ENUMERATION.search(body) or display_width(s) > _LEAD_MAX or not (
                    self._cue("lead_word", body) or self._kind_cue(body, 1)):
                return False
            marks = self._marks(text, nxt.start, nxt.end + 1)
            placed = self._place(st, marks, nxt.indent) if marks else None
            if placed is None or placed[0][1] != 1 or placed[1].role == "markup":
                return False
            st.close_hints(1, inclusive=True)
            st.found.append(_Found(p.start, p.end, 1, self._name(text, p.start, p.end), "line"))
            return True
        if display_width(s) > _LINE_MAX:
            return False
        if _COMMA.search(s) and (len(s) > _COMMA_LINE_MAX or self._cue("runin_stop", s)):
            return False   # a clause, not a two-part title ("加强学习，不断提升履职能力")
        prev = paras[i - 1] if i > 0 else None
        if prev is not None:
            ps = text[prev.start:prev.end]
            prev_is_heading = bool(st.found) and st.found[-1].start <= prev.start < st.found[-1].end + 1
            if not (_TERMINAL.search(ps) or prev_is_heading or display_width(ps) > _LINE_MAX):
                return False   # one of a list of short lines
        nxt_s = text[nxt.start:nxt.end]
        if not (len(nxt_s) >= _BODY_MIN or self._marks(text, nxt.start, nxt.end + 1)):
            return False
        if st.containers == 0 and not any(f.level == 0 for f in st.found) and self._cue("title_word", s):
            st.reset()   # the title, after a salutation or a preamble
            st.found.append(_Found(p.start, p.end, 0, self._name(text, p.start, p.end), "title"))
            return True
        line = next((k for k in range(len(st.stack) - 1, -1, -1) if st.stack[k].key == "line"), None)
        if line is not None:
            level = st.stack[line].level
            del st.stack[line:]
        elif st.stack and self._turns_top_section(s, st):
            level = st.stack[0].level   # "存在的问题" after the sections on the work done
            st.stack.clear()
        else:
            level = st.top_level() + 1
        st.stack.append(_Open("line", p.indent, level, None, len(st.found)))
        st.close_hints(level, inclusive=True)
        st.containers += 1
        st.found.append(_Found(p.start, p.end, level, self._name(text, p.start, p.end), "line"))
        st.group = len(st.found) - 1
        return True

    def _turns_top_section(self, s: str, st: _State) -> bool:
        """A stand-alone line whose words say what a top section is for, other than the open one."""
        top = st.stack[0].found
        top_cue = self._kind_cue(st.found[top].name, 1) if 0 <= top < len(st.found) else None
        plain = self._kind_cue(s, 2)   # a cue that holds at any level: "2024年工作安排", "存在的问题"
        if plain is not None:
            return plain != top_cue
        cue = self._kind_cue(s, 1)
        return cue is not None and top_cue is not None and cue != top_cue

    def _runins(self, text: str, p: _Para, pos: int, st: _State, group: tuple[str, int],
                next_para: _Para | None) -> None:
        """Run-in subheads in a paragraph: one that opens it (at pos), then any in its middle."""
        level = max(3, st.top_level() + 1)
        end = self._runin_end(text, pos, p.end)
        rest = pos
        opener: _RuninCandidate | None = None
        if end is not None:
            after = text[end:p.end].strip()
            if after:
                elaborated = self._elaborates(after)
            else:
                nxt = text[next_para.start:next_para.end] if next_para is not None else ""
                elaborated = (len(nxt) >= _BODY_MIN and self._elaborates(nxt)
                              and not self._marks(text, next_para.start, next_para.end + 1))
            if elaborated:
                f = _Found(pos, end, level, self._name(text, pos, end), "runin")
                opener = _RuninCandidate(f, group, False)
                st.runins.append(opener)
                rest = end
        # run-ins in the middle of the paragraph: short topic sentences, each elaborated by the next,
        # at least two of them (parallel structure)
        sents = [sp for sp in self.units.sentences_in(text, Span(rest, p.end))]
        mids = []
        for k in range(len(sents) - 1):
            sp = sents[k]
            if k == 0 and rest == pos:
                continue   # the paragraph's own first sentence was judged above
            e = self._runin_end(text, sp.start, sp.end)
            if e is None or text[e:sp.end].strip():
                continue
            head = text[sp.start:e].rstrip("。：:")
            if len(head) > _MID_RUNIN_MAX or "、" in head:
                continue   # a longer sentence, or one listing items, states work; it does not title it
            nxt = sents[k + 1]
            nlen = nxt.end - nxt.start
            slen = sp.end - sp.start
            nxt_s = text[nxt.start:nxt.end]
            if nlen < max(_ELABORATION_MIN, slen + 5) or not ("，" in nxt_s or nlen >= 2 * slen):
                continue
            if self._runin_end(text, nxt.start, nxt.end) is not None:
                continue
            if k > 0:
                prv = sents[k - 1]
                if prv.end - prv.start < _BLOCK_END_MIN and "，" not in text[prv.start:prv.end]:
                    continue   # one of a row of short statements, not the head of a new block
            mids.append(_Found(sp.start, sp.end, level, self._name(text, sp.start, sp.end), "runin", runin=True))
        if len(mids) >= 2:
            st.found.extend(mids)
            if opener is not None:
                opener.confirmed = True   # it heads a paragraph of parallel run-ins

    @staticmethod
    def _elaborates(s: str) -> bool:
        """Text that can elaborate a subhead: Chinese prose, not a link or an address."""
        return len(s) >= _ELABORATION_MIN and _EIGHT_HAN.match(s) is not None and not _URLISH.search(s[:40])

    def _kind_cue(self, name: str, level: int) -> str | None:
        for r in self.section_kinds:
            lv = r["levels"]
            applies = (lv == "any" and level >= 1) or (lv == "top" and level == 1) or (lv == "title" and level == 0)
            if applies and r["pattern"].search(name):
                return r["kind"]
        return None

    def _finish(self, text: str, st: _State) -> Outline:
        groups: dict[tuple[str, int], int] = {}
        for c in st.runins:
            groups[c.group] = groups.get(c.group, 0) + 1
        found = list(st.found)
        for c in st.runins:
            if c.confirmed or groups[c.group] >= 2:
                found.append(c.found)
        found.sort(key=lambda f: (f.start, -f.end))
        # drop overlaps (a later find inside an earlier heading)
        kept: list[_Found] = []
        for f in found:
            if kept and f.start < kept[-1].end:
                continue
            kept.append(f)
        headings = [Heading(f.start, f.end, f.level, f.name, f.scheme, f.runin) for f in kept]
        restarts = {k for k, f in enumerate(kept) if f.restart}
        # text before the first heading: the document's kind, read from its title when it opens it
        root_kind = "other"
        numbers = [f.number for f in kept]
        # the section tree: a heading's section runs to the next heading at its level or above
        kinds: list[str] = []
        paths: list[str] = []
        open_: list[int] = []   # indices of open headings
        ends = [len(text)] * len(headings)
        for k, h in enumerate(headings):
            while open_ and headings[open_[-1]].level >= h.level:
                ends[open_.pop()] = h.start
            parent = open_[-1] if open_ else None
            if h.level == 0:
                kind = self._kind_cue(h.name, 0) or "other"
                path = ""
            else:
                inherited = kinds[parent] if parent is not None else root_kind
                kind = self._kind_cue(h.name, h.level) or kept[k].kind_hint or inherited
                base = paths[parent] if parent is not None else ""
                path = f"{base} > {h.name}" if base else h.name
            kinds.append(kind)
            paths.append(path)
            open_.append(k)
        schemes = {s.name: s for s in self.schemes if s.role != "continuation"}
        return Outline(text, headings, numbers, kinds, paths, ends, root_kind, schemes, restarts)
