"""Reading one sentence: which of its figures report an amount, and the name of each.

A figure's name comes from the first of the :data:`SHAPES` that fits the clause around it; each
shape is one way reports write a figure and what it measures.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ...model import Direction, Indicator, Quantity, QuantityKind, make_indicator
from .filters import frames_next_figure
from .lexicon import CUE_DIRECTIONS, THRESHOLDS, Lexicon
from .naming import Namer
from .ratios import Ratios
from .related import RelatedNames
from .tokens import BareClause, Tok, after_last, clause_ends, first_unblank, is_word, join

# the index of the task that holds a view span (start, end), or None
TaskOf = Callable[[int, int], "int | None"]
# the longest name read from the words after a figure, in characters
_NAME_MAX = 20
# the shortest item of a list of phrases whose count in words names the list (营商环境改革 …); a list of
# shorter items names things that are counted (土桥、西街两个清廉社区)
_LISTED_PHRASE_MIN = 3
# the most tokens a figure reads on either side within its clause: a name is short, and a clause of
# thousands of figures (a flattened table, a run of numbers) must not cost its length per figure
_CONTEXT_MAX = 64
# "总投资5.6亿元的新院区一期工程": a measure this short names, with a thing this short, the thing's measure
_MEASURE_MAX = 4
_THING_MAX = 12
# the longest subject taken from the clause before
_SUBJECT_MAX = 30


@dataclass(slots=True)
class Context:
    """What the reading of one document carries from figure to figure."""

    last_name: str = ""
    share_subject: str = ""     # after a share (…占全部文教经费): its subject, for a share of it that follows
    last_sentence: int = -2
    last_direction: Direction = Direction.NONE
    default_time: str = ""      # a time written earlier in the sentence than the words read


@dataclass(slots=True)
class _Sentence:
    """What the reading of one sentence carries from figure to figure."""

    ends: list[int] = field(default_factory=list)   # for each token, where its clause ends
    part_seen: list[int] = field(default_factory=list)   # for each token, the last 其中-word before it (-1)
    time_before: list[str] = field(default_factory=list)  # for each token, the last time before it
    clause_start: int = 0
    left_from: int = 0                      # where the current figure's left context begins
    prev_figure: int | None = None          # the previous figure token of this clause, if any
    prev_kept: bool = False                 # whether that figure became an indicator
    pending: list[str] = field(default_factory=list)   # names still to hand out to a 、-list of figures
    part_unit: str | None = None            # after 其中: the unit of the parts, and their total
    part_parent: int | None = None
    names: list[str] = field(default_factory=list)   # the names of the sentence's indicators so far
    # the naming and index of the last figure whose name is no aspect, of whose name RelatedNames._thing
    # reads what it counts (None: no such figure)
    thing_of: tuple[Naming, int] | None = None
    thing_until: int = 0                    # and where that figure's clause ends


@dataclass(eq=False, slots=True)
class Figure:
    """One figure token with what the shapes read around it; the name before it is read only when a
    shape asks (most figures are named by the thing counted after them). The shapes only read it
    (not frozen: a frozen dataclass sets each of its fields through object.__setattr__, and every
    figure makes one)."""

    toks: list[Tok]
    i: int                      # the figure's index in toks
    q: Quantity
    left: list[Tok]             # its left context in the clause
    right: list[Tok]            # the rest of the clause
    clause_start: int
    prev_figure: int | None
    in_list: bool               # the figure continues a list of figures ("4.1%、4.7%、5.8%")
    np_toks: list[Tok]          # the noun phrase after the figure
    de_shape: bool              # … joined by 的
    np_name: str
    direction: Direction
    last_name: str              # the name of the figure before, in this sentence or the one before
    namer: Namer
    # the names of the indicators before it in the sentence (the sentence's own list, read, never changed)
    names_before: Sequence[str] = ()
    # the name before the figure and where it starts, read at the first ask (not a cached_property,
    # whose every read takes a lock)
    _left: tuple[str, int] | None = field(default=None, init=False, repr=False)

    def _read_left(self) -> tuple[str, int]:
        self._left = self.namer.left_name(self.left)
        return self._left

    @property
    def left_name(self) -> str:
        """The name before the figure (see :meth:`Namer.left_name`)."""
        return (self._left or self._read_left())[0]

    @property
    def left_start(self) -> int:
        """Where :attr:`left_name` starts."""
        return (self._left or self._read_left())[1]

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def from_left(self) -> int:
        """Where a name carried from elsewhere starts: the first word before the figure."""
        first = next((t for t in self.left if is_word(t)), None)
        return first.start if first else self.tok.start


class Naming(NamedTuple):
    """A shape's name for a figure (a plain tuple: every figure makes one or two)."""

    name: str
    start: int                  # the indicator's view span
    end: int
    pending: tuple[str, ...] = ()   # names for the figures of the list that follows


# ---- the shapes, in the order they are tried

def de_shape(f: Figure, namer: Namer) -> Naming | None:
    """"投资30亿元的青溪河综合治理工程" -> 青溪河综合治理工程投资: with 的 after the figure, the
    name before it says what is measured of the thing after it."""
    if f.de_shape and f.left_name:
        if f.np_name and len(f.left_name) <= _MEASURE_MAX and len(f.np_name) <= _THING_MAX \
                and not any(t.verb() for t in f.np_toks):
            return Naming(f.np_name + f.left_name, f.left_start, f.np_toks[-1].end)
        return Naming(f.left_name, f.left_start, f.tok.end)   # "投资100亿元的日钢数智转型升级" -> 投资
    return None


def share_of_a_group(f: Figure, namer: Namer) -> Naming | None:
    """"81%的农户住上了钢筋水泥楼" -> 住上钢筋水泥楼农户: a share of a generic group (农户, 学生, 村民 …)
    is named by what the group did, as a count of it is."""
    if f.q.kind != QuantityKind.PERCENT or not f.de_shape or f.left_name:
        return None
    words = [t for t in f.right if not t.text.isspace()]
    if len(words) < 3 or words[0].text not in namer.w.linker or words[1].text not in namer.w.generic_noun:
        return None
    predicate = namer.predicates.after([t for t in words[2:] if not t.tag.startswith("ul")])
    if not predicate:
        return None
    return Naming(namer.predicates.name(predicate, words[1].text), f.tok.start, predicate[-1].end)


def named_by_its_word(f: Figure, namer: Namer) -> Naming | None:
    """"获8金15银16铜" -> 金, 银, 铜: a measure word that the figure is reported without (a unit of "-"
    in rules/units.tsv) is itself the thing counted."""
    q = f.q
    if q.unit or not q.unit_text or q.kind != QuantityKind.COUNT:
        return None
    return Naming(q.unit_text, f.tok.start, f.tok.end)


def counted_noun(f: Figure, namer: Namer) -> Naming | None:
    """"新建5所乡镇卫生院" -> 乡镇卫生院: a count names the thing counted after it; a generic noun
    takes what the counted did ("3名学生获省一等奖" -> 获省一等奖学生) or, with nothing after, the verb
    that counts it ("联系3个村" -> 联系村), or the clause before 的 ("乘坐校车的312名学生")."""
    if not f.np_name or f.q.kind not in (QuantityKind.COUNT, QuantityKind.BARE):
        return None               # a bare number counts the noun after it too ("越城区60万人口")
    preds = namer.predicates
    if preds.generic(f.np_toks):
        verb = preds.governing_verb(f.left)
        predicate = [] if preds.blocks(f.left) else preds.after([t for t in f.right if t.start >= f.np_toks[-1].end])
        if predicate:
            return Naming(preds.name(predicate, f.np_name), f.tok.start, predicate[-1].end)
        if verb is not None:
            return Naming(verb.text + f.np_name, verb.start, f.np_toks[-1].end)
        relative, start = preds.relative_clause(f.left)
        if relative:
            return Naming(relative + f.np_name, start, f.np_toks[-1].end)
    return Naming(f.np_name, f.tok.start, f.np_toks[-1].end)


def measure_with_subject(f: Figure, namer: Namer) -> Naming | None:
    """"日钢产能置换900万吨炼钢" -> 日钢产能置换炼钢: an amount of a thing, with a subject before;
    the last item of a list before the figure owns it ("兴瑞年产40万吨有机硅")."""
    if f.np_name and f.left_name and f.q.kind in (QuantityKind.MEASURE, QuantityKind.MONEY):
        head, head_start = namer.left_name(after_last(f.left, namer.lex.is_list_comma))
        return Naming((head or f.left_name) + f.np_name, head_start or f.left_start, f.np_toks[-1].end)
    return None


def who_did_what(f: Figure, namer: Namer) -> Naming | None:
    """"我校14人获得一等奖", "其中2人参加国家队选拔": the figure counts who did what follows."""
    if f.np_toks or f.left_name and f.q.unit not in namer.w.people_unit:
        return None
    predicate = _predicate_after(namer, f.left, f.right, phrase=not f.left_name)
    return Naming(join(predicate), f.tok.start, predicate[-1].end) if predicate else None


def distributive_list(f: Figure, namer: Namer) -> Naming | None:
    """"第一、二、三产业增加值分别增长4.1%、4.7%、5.8%": one name per figure of the list. With no
    list of subjects before it, the list pairs with as many figures before it in the sentence, each
    of a subject of its own: "地区生产总值60.3亿元，一般公共预算收入2亿元，同比分别增长6.2%、19.3%",
    "接待游客3.23亿人次、游客花费3700亿元，分别增长8%、8.4%"."""
    if namer.w.distributive.isdisjoint([t.text for t in f.left]):
        return None
    if f.left_name and (names := namer.lists.split_list(f.left, f.toks, f.i)):
        return Naming(names[0], f.left_start, f.tok.end, tuple(names[1:]))
    n = namer.lists.list_length(f.toks, f.i)
    before = f.names_before[-n:]
    if n > 1 and len(before) == n and all(before) and len(set(before)) == n \
            and all(namer.lex.ignorable(t) or t.text in namer.w.distributive or namer.lex.is_base(t)
                    or namer.lex.comparison_word(t) or t.text in namer.w.than for t in f.left):
        return Naming(before[0], f.from_left(), f.tok.end, tuple(before[1:]))
    return None


def left_name(f: Figure, namer: Namer) -> Naming | None:
    """"上门走访2853次", "城镇新增就业1244万人": the subject or verb-object before the figure."""
    if f.left_name:
        return Naming(f.left_name, f.left_start, f.tok.end)
    return None


def rate_of_the_counted(f: Figure, namer: Namer) -> Naming | None:
    """"交办14件积案100%化解" -> 积案化解: a percent right after the things the figure before it
    counted, then what was done to them, is the rate of that."""
    if f.q.unit != "%" or f.prev_figure is None or not f.last_name or any(is_word(t) for t in f.left):
        return None
    predicate = namer.predicates.after(f.right, of_noun=False)
    cut = next((k for k, t in enumerate(predicate) if namer.lex.is_list_comma(t)), len(predicate))
    predicate = predicate[:cut]   # "100%化解、0再访": the next item is another's
    if not predicate or not predicate[0].verb():
        return None
    return Naming(f.last_name + join(predicate), f.tok.start, predicate[-1].end)


def noun_phrase(f: Figure, namer: Namer) -> Naming | None:
    """"100亿元的新能源装备产业园": the thing after the figure, when nothing before names it."""
    if f.np_name:
        return Naming(f.np_name, f.tok.start, f.np_toks[-1].end)
    return None


def previous_clause_subject(f: Figure, namer: Namer) -> Naming | None:
    """"开展反诈宣传活动，全年不少于40场次": a clause's first figure with nothing but hedges before
    it takes the subject of the clause before."""
    if f.prev_figure is None and (subject := _previous_clause_subject(namer, f.toks, f.clause_start, f.left)):
        return Naming(subject, f.from_left(), f.tok.end)
    return None


def carried_subject(f: Figure, namer: Namer) -> Naming | None:
    """"低保保障1720户2773人", "总产量达到21.6万吨，同比增长2.1%": the name of the figure before
    carries over to a list, a second figure of the clause, a change, or a figure ending its clause."""
    if f.last_name and (f.in_list or f.prev_figure is not None or f.direction
                        or not any(is_word(t) for t in f.right)):
        return Naming(f.last_name, f.from_left(), f.tok.end)
    return None


def rest(f: Figure, namer: Namer) -> Naming:
    """Whatever words follow the figure in its clause (it may be nothing)."""
    words = [t for t in f.right if not t.text.isspace()]
    cut = next((k for k, t in enumerate(words) if t.qty is not None), len(words))
    words = namer.strip_tail(words[:cut])   # never the next figure ("3个和5个百分点")
    while words and words[-1].text in namer.w.list_joiner:
        words = namer.strip_tail(words[:-1])
    while len(join(words)) > _NAME_MAX:
        words = words[:-1]        # whole words only: a name never ends inside one
    return Naming(join(words), f.tok.start, words[-1].end if words else f.tok.end)


Shape = Callable[[Figure, Namer], Naming | None]
SHAPES: tuple[Shape, ...] = (named_by_its_word, share_of_a_group, de_shape, counted_noun, measure_with_subject, who_did_what,
                             distributive_list, left_name, rate_of_the_counted, noun_phrase, previous_clause_subject, carried_subject,
                             rest)


def _predicate_after(namer: Namer, left: list[Tok], right: list[Tok], phrase: bool) -> list[Tok]:
    """The verb phrase after a figure whose left side holds no verb that counts it: what the
    counted did (``phrase``: it may open with a prepositional phrase)."""
    preds = namer.predicates
    return [] if preds.blocks(left) else preds.after(right, of_noun=False, phrase=phrase)


def _previous_clause_subject(namer: Namer, toks: list[Tok], clause_start: int, left: list[Tok]) -> str:
    """The subject of the clause before ``clause_start`` when ``left`` holds only hedges and that
    clause has no figure of its own and does not end a sentence; "" otherwise."""
    if not all(namer.lex.ignorable(t) for t in left) or clause_start < 2:
        return ""
    k = clause_start - 1
    start = k
    while start > 0 and not toks[start - 1].is_break:
        start -= 1
    prev = toks[start:k]
    if len(prev) == 1 and isinstance(prev[0], BareClause):
        clause = prev[0].words()
        start = len(clause)
        while start > 0 and not clause[start - 1].is_break:
            start -= 1
        prev = clause[start:]
    if not prev or any(t.qty is not None for t in prev) or toks[k].text in namer.lex.marks.sentence_ends:
        return ""
    name, _ = namer.left_name(prev)
    return name if 2 <= len(name) <= _SUBJECT_MAX else ""


class SentenceReader:
    """The indicators of one tokenised sentence."""

    def __init__(self, lex: Lexicon, namer: Namer, ratios: Ratios):
        self.lex = lex
        self.w = lex.w
        self.namer = namer
        self.ratios = ratios
        self._bound_prefixes = tuple(sorted(self.w.threshold_prefix, key=len, reverse=True))
        self.related = RelatedNames(lex)

    def read(self, toks: list[Tok], base: int, ctx: Context, task_of: TaskOf = lambda _start, _end: None) -> list[Indicator]:
        """Indicators of ``toks``; ``base`` is the index the first one will get in the document,
        ``task_of`` the index of the task that holds a view span, if any."""
        results: list[Indicator] = []
        # what every figure asks of the whole sentence, read once: a figure costs the same however
        # long its sentence is
        state = _Sentence(ends=clause_ends(toks), part_seen=self._parts_seen(toks),
                          time_before=_times_before(toks, self.w.own_time))
        after_ratio = 0
        # only a figure or a break moves the reading on
        for i in [k for k, t in enumerate(toks) if t.qty is not None or t.is_break]:
            tok = toks[i]
            if i < after_ratio:
                continue
            if tok.qty is not None and (terms := self.ratios.chain(toks, i)):
                results += self._ratio(toks, terms, state, ctx, task_of)
                after_ratio = terms[-1] + 1
                continue
            if tok.is_break:
                state.clause_start = state.left_from = i + 1
                state.prev_figure, state.prev_kept = None, False
                continue
            if tok.qty is None:
                continue
            f = self._figure(toks, i, tok.qty, state, ctx)
            if f is None:
                state.prev_figure, state.prev_kept = i, False   # a threshold stays in the next figure's left context
                continue
            naming = self._name(f, state)
            name = naming.name
            name, carried = self.related.name(f, naming, state, ctx)
            q = f.q
            # by position (start, end, name, value, value_max, unit, qualifier, direction, time, parent,
            # task): a third cheaper than by keyword, and every indicator is made here
            results.append(make_indicator(naming.start, naming.end, name, q.value, q.value_max, q.unit,
                                          q.qualifier, f.direction, state.time_before[i] or ctx.default_time,
                                          self._parent(f, results, base, state), task_of(naming.start, naming.end)))
            if name:
                ctx.last_name = carried or name
            state.names.append(name)
            ctx.last_direction = f.direction
            state.prev_figure, state.prev_kept = i, True
            state.left_from = self._next_left_from(f, name, state.ends[i])
        return results

    def _ratio(self, toks: list[Tok], terms: list[int], state: _Sentence, ctx: Context,
               task_of: TaskOf) -> list[Indicator]:
        """The terms of a ratio (18:35:47), each named by its part, or none when the parts are not known."""
        first = terms[0]
        names = self.ratios.names(toks[state.left_from:first], len(terms))
        time = state.time_before[first] or ctx.default_time
        out = []
        for name, k in zip(names, terms):
            q = toks[k].qty
            out.append(make_indicator(start=toks[k].start, end=toks[k].end, name=name,
                                      value=q.value, value_max=q.value_max, unit=q.unit, qualifier=q.qualifier,
                                      direction=Direction.NONE, time=time, parent=None,
                                      task=task_of(toks[k].start, toks[k].end)))
        state.clause_start = state.left_from = terms[-1] + 1
        state.prev_figure, state.prev_kept = None, False
        return out

    def _figure(self, toks: list[Tok], i: int, q: Quantity, state: _Sentence, ctx: Context) -> Figure | None:
        """What the shapes need to know of the figure ``toks[i]`` (quantity ``q``); None when it is
        no indicator."""
        end = min(state.ends[i], i + 1 + _CONTEXT_MAX)
        left, right = toks[max(state.left_from, i - _CONTEXT_MAX):i], toks[i + 1:end]
        before = toks[i - 1] if i > state.clause_start else None
        if self._not_indicator(q, toks[i].text, right, before) or self._counts_the_list(q, toks[i].text, left):
            return None
        in_list = state.prev_kept and bool(left) \
            and all(t.text in self.w.list_joiner or t.text.isspace() for t in left)
        np_toks, de = self.namer.noun_phrase(right, q.unit)
        direction = self._direction(left) or (ctx.last_direction if in_list else Direction.NONE)
        # by position, in the order of the fields (a third of the cost of fifteen keywords)
        return Figure(toks, i, q, left, right, state.clause_start, state.prev_figure, in_list,
                      np_toks, de, self.namer.np_name(np_toks), direction, ctx.last_name, self.namer, state.names)

    def _name(self, f: Figure, state: _Sentence) -> Naming:
        if f.in_list and state.pending:
            return Naming(state.pending.pop(0), f.tok.start, f.tok.end)
        for shape in SHAPES:      # the last one always names it
            if (naming := shape(f, self.namer)) is not None:
                break
        state.pending = list(naming.pending)
        return naming

    def _parent(self, f: Figure, results: list[Indicator], base: int, state: _Sentence) -> int | None:
        """The total a part belongs to: after 其中 the nearest fitting figure before, and the same for
        the parts that follow in the same unit ("其中党内警告2人，党内严重警告1人")."""
        q = f.q
        if state.part_seen[f.i] >= state.clause_start:
            state.part_unit, state.part_parent = q.unit, self._find_total(results, base, q)
            return state.part_parent
        if state.part_unit is not None and q.unit == state.part_unit and not state.prev_kept:
            return state.part_parent
        return None

    def _find_total(self, results: list[Indicator], base: int, q: Quantity) -> int | None:
        """The nearest earlier figure of the sentence that counts the same things and is not smaller
        than the part; for a share or a change, the nearest earlier figure."""
        for k in range(len(results) - 1, -1, -1):
            if self.lex.compatible_units(results[k].unit, q.unit) and results[k].value >= q.value:
                return base + k
        if q.kind in (QuantityKind.PERCENT, QuantityKind.MULTIPLE, QuantityKind.FRACTION, QuantityKind.BARE):
            return base + len(results) - 1 if results else None   # a share or a change of the part
        return None               # "…18块金牌，其中四位同学…": a count of other things is no part of it

    def _parts_seen(self, toks: list[Tok]) -> list[int]:
        """For each token, the index of the last 其中-word before it in the sentence (-1: none)."""
        seen, last = [], -1
        for k in [k for k, t in enumerate(toks) if t.text in self.w.part]:
            seen += [last] * (k + 1 - len(seen))
            last = k
        return seen + [last] * (len(toks) - len(seen))

    def _next_left_from(self, f: Figure, name: str, clause_end: int) -> int:
        """Where the next figure's left context begins. The thing after a figure is its own when it
        names it, or when a list goes on after it ("100亿元的产业园、120亿元的高铁"); else it is the
        subject of the next figure ("10万元以上的村达到187个")."""
        if f.np_toks:
            after = f.i + 1 + len(f.np_toks) + f.de_shape
            if name == f.np_name or after >= clause_end or f.toks[after].text in self.w.list_joiner:
                return after
        return f.i + 1

    def _not_indicator(self, q: Quantity, surface: str, right: list[Tok], before: Tok | None) -> bool:
        """A threshold that defines a group (60岁以上老人), a property (30万吨级码头, 三年新冠疫情),
        or the count of a list that follows (以下四个方面)."""
        lex, w = self.lex, self.w
        nxt = first_unblank(right)
        if before is not None and before.text in w.list_intro or frames_next_figure(q, before, right):
            return True
        if nxt is not None and nxt.text in w.attribute:
            return True
        if q.qualifier in THRESHOLDS and q.unit in w.threshold_unit:
            return True
        if q.qualifier in THRESHOLDS and self._defines_group(q, surface, right):
            return True
        if nxt is None or nxt.text in w.linker:
            return False
        if q.kind == QuantityKind.DURATION and lex.nominal(nxt):
            return True
        # "100万元以上项目": 以上 closes a threshold when a noun follows at once
        return q.qualifier in THRESHOLDS and lex.ends_threshold(surface) and lex.nominal(nxt)

    def _counts_the_list(self, q: Quantity, surface: str, left: list[Tok]) -> bool:
        """"打造党建引领基层治理、营商环境改革、平安建设三个示范区": a count in words right after a
        list of as many phrases names the list; it reports nothing. Not a list of names (打造土桥、
        西街两个清廉社区: words of two characters) nor of people (张三、李四两位同学), which are counted."""
        lex, w = self.lex, self.w
        if q.value < 2 or q.value != int(q.value) or any(map(str.isdigit, surface)) or q.unit in w.people_unit:
            return False
        words = [t for t in left if not t.text.isspace()]
        if not words or words[-1].is_punct or any(t.qty is not None for t in words):
            return False
        commas = [k for k, t in enumerate(words) if lex.is_list_comma(t)]
        if not commas:
            return False
        joiner = next((k for k in range(commas[-1] + 1, len(words))
                       if words[k].text in w.list_joiner and not lex.is_list_comma(words[k])), None)
        cuts = commas + ([joiner] if joiner is not None else [])
        if len(cuts) + 1 != q.value:
            return False
        start = max((k for k in range(commas[0]) if words[k].is_punct), default=-1)
        first = next((k for k in range(start + 1, commas[0]) if words[k].verb()), start)   # the list's verb
        bounds = [first, *cuts, len(words)]
        items = [join(words[a + 1:b]) for a, b in zip(bounds, bounds[1:])]
        return all(len(item) >= _LISTED_PHRASE_MIN for item in items)

    def _defines_group(self, q: Quantity, surface: str, right: list[Tok]) -> bool:
        """"100万元以上的村达20个", "营收超十亿元企业达到6家": a bound on an amount, then the
        things it bounds, then their count in the same clause: the bound defines the group counted."""
        words = [t for t in right if not t.text.isspace()]
        if words and words[0].text in self.w.linker:
            words = words[1:]
        if not words or not self.lex.nominal(words[0]) or not any(t.qty is not None for t in words[1:]):
            return False
        return self.lex.ends_threshold(surface) or surface.startswith(self._bound_prefixes) \
            and q.kind in (QuantityKind.MONEY, QuantityKind.MEASURE)

    def _direction(self, left: list[Tok]) -> Direction:
        """Up or down when a direction cue sits right before the figure (only hedges between).
        A cue that opens the verb-object phrase before it ("降低采购成本约950万元") gives none: the
        first word that is not ignorable is never a cue (:meth:`Lexicon.ignorable` passes over cues),
        so the look for one there, which never found any, is gone."""
        lex = self.lex
        for t in reversed(left):
            if t.cue in CUE_DIRECTIONS:
                return CUE_DIRECTIONS[t.cue]
            if lex.ignorable(t) and t.text not in lex.marks.commas:
                continue
            break
        return Direction.NONE


def _times_before(toks: list[Tok], own_time: frozenset[str]) -> list[str]:
    """For each token, the last time expression before it in the tokens read ("" when none); a
    time right before a word of ``own_time`` is that word's (年初预算), not a figure's."""
    out, last = [], ""
    for k in [k for k, t in enumerate(toks) if t.time]:
        if k + 1 < len(toks) and toks[k + 1].text in own_time:
            continue
        out += [last] * (k + 1 - len(out))
        last = toks[k].time
    return out + [last] * (len(toks) - len(out))
