"""Names from tokens: the subject or verb-object phrase before a figure, the thing counted after it,
and the trimming that makes either read like a spreadsheet column.

Connectives, scope, hedges and copulas go (其中 累计 全市 预计 达到), so do comparisons (比上年),
prepositional phrases (对宾馆等排查 -> 排查), the subject of a light verb (公司实现销售收入 ->
销售收入), pivot verbs (组织企业参加展会 -> 参加展会), enumerations (举办A、B等展会 -> 举办展会),
all but the last of a list of verb phrases, and modifiers before 的; a subject goes where
:mod:`.subjects` says it names no figure.
"""
from __future__ import annotations

from .counted import CountedNoun
from .lexicon import ADVERB_TAGS, Lexicon
from .predicates import Predicates
from .subjects import Subjects
from .tokens import Tok, after_last, join

# the modifier before 的 goes when this many characters follow ("账龄超过一年的应收账款清收率")
_MIN_HEAD_AFTER_LINKER = 3
# the ends of a name that measures a group rather than counts it (…占比, …率): an 有 before it defines the group
_RATE_ENDS = ("率", "比", "比重", "比例", "占比")
# the most words between 对 and 的 of a phrase that stays in a name ("对班子成员个人的意见建议")
_ABOUT_MAX = 3
# jieba's flags of words that may modify the verb after a prepositional phrase (免费 健康 体检)
_VERB_MODIFIER_TAGS = ("a", "ad", "vn", "d")
# how far (in tokens) a comparison may run from 比 to its verb ("比上年年初预算增加")
_COMPARISON_REACH = 6


class Namer:
    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.w = lex.w
        self._comparison_markers = lex.w.than | lex.w.compared_with
        self._comparison_words = lex.w.than | lex.w.compared_with | lex.w.comparison
        self._subject_ends = lex.w.subject_end | lex.w.subject_total
        # the words some step of :meth:`left_name` looks for
        self._step_words = self._comparison_words | self._subject_ends | lex.marks.list_commas | lex.w.article \
            | lex.w.preposition | lex.w.event_after | lex.w.enumeration_end | lex.w.motion | lex.w.cut_after \
            | lex.w.linker | lex.w.drop
        # the words :meth:`strip_head` may strip
        self._head_words = lex.w.lead | lex.w.adverb | lex.w.preposition | lex.w.lead_verb
        self.predicates = Predicates(self)
        self.subjects = Subjects(lex)
        self.counted = CountedNoun(lex)
        self.lists = ListNames(self)

    # ---- after the figure
    def noun_phrase(self, right: list[Tok], unit: str = "") -> tuple[list[Tok], bool]:
        """The thing counted after a figure in ``unit``, and whether 的 joins it (see :class:`CountedNoun`)."""
        return self.counted.read(right, unit)

    def np_name(self, toks: list[Tok]) -> str:
        return self.counted.name(toks)

    def _lone_function_word(self, toks: list[Tok]) -> bool:
        """"向1000多万失业人员", "分三批", "五年中有3000万": a single character that is a
        preposition, a verb, a localizer or a bound says nothing of the figure; the name is looked
        for elsewhere."""
        w, t = self.w, toks[0]
        return len(toks) == 1 and len(t.text) == 1 and (t.verb() or t.tag.startswith(("p", "f")) or any(
            t.text in role for role in (w.preposition, w.localizer, w.threshold_prefix)))

    # ---- before the figure
    def left_name(self, left: list[Tok]) -> tuple[str, int]:
        """The subject or verb-object phrase before a figure, trimmed, and where it starts; ("", 0)
        when none."""
        w = self.w
        toks = [t for t in left if not t.text.isspace()]
        # each step below keeps some of these tokens, and a step that looks for a word of a role
        # changes nothing when no token is one: it is skipped (most names hold no such word at all)
        words = self._step_words.intersection([t.text for t in toks])
        if words and not words.isdisjoint(self._comparison_words):
            toks = self.drop_comparisons(toks)
        if words and toks and self.lex.is_list_comma(toks[-1]) and any(t.verb() for t in toks):
            return "", 0          # "…、开设一次市级公开课、两次在…": the figure opens an item of its own
        toks = [t for t in toks if not t.time]
        toks = self.strip_tail(toks)
        if words:
            if not words.isdisjoint(w.article):
                toks = after_last(toks, lambda t: t.text in w.article)              # 打造一个收入… -> 收入
            if not words.isdisjoint(w.preposition):
                toks = self.after_preposition(toks)
            if not words.isdisjoint(w.event_after):
                toks = self.subjects.after_event(toks)
        toks = self.strip_head(toks)
        if words:
            if toks and toks[0].text in w.preposition:
                toks = self.after_preposition(toks)                                 # 每学期向家长推送…
            if not words.isdisjoint(self._subject_ends):
                toks = self.subjects.after_subject(toks)                            # 班子成员每月下沉社区
        toks = self.subjects.after_agent(toks)                                      # 卒中中心完成静脉溶栓
        if words and not words.isdisjoint(w.enumeration_end):
            toks = self.drop_enumeration(toks)
        toks = self.subjects.after_pivot(toks)                                      # 组织企业参加展会
        if words:
            if not words.isdisjoint(w.motion):
                toks = self.subjects.after_motion(toks)                             # 赴基地开展研学活动
            if not words.isdisjoint(self.lex.marks.list_commas):
                toks = self._last_of_verb_list(toks)                                # 开展X工作、实行Y
            if not words.isdisjoint(w.cut_after):
                toks = self._after_subject_verb(toks)                               # 公司实现销售收入
        if len(toks) > 2:         # a cue inside the name: neither its first token nor its last
            cue = next((k for k, t in enumerate(toks[:-1]) if t.cue and t.verb() and k > 0
                        and toks[k + 1].text not in w.head_noun), None)
            if cue is not None:                                                     # 通过集中采购降低采购成本
                toks = toks[cue:]
        if words and not words.isdisjoint(w.linker):
            de = max((k for k, t in enumerate(toks) if t.text in w.linker), default=None)
            if de is not None and len(join(toks[de + 1:])) >= _MIN_HEAD_AFTER_LINKER:
                toks = toks[self._about_phrase(toks, de):]                         # 账龄超过一年的应收账款清收率
        toks = self.strip_head(toks)
        toks = self.strip_tail(toks)
        if words and not words.isdisjoint(w.drop):
            toks = [t for t in toks if t.text not in w.drop]
        if len(toks) > 1 and toks[0].text in w.existential and all(self.lex.nominal(t) for t in toks[1:]) \
                and not toks[-1].text.endswith(_RATE_ENDS):
            toks = toks[1:]                                                         # 全村有党员1061人
        if not toks or toks[0].text in w.light and all(t.text in w.light for t in toks) \
                or self._lone_function_word(toks):
            return "", 0
        return join(toks), toks[0].start

    def _after_subject_verb(self, toks: list[Tok]) -> list[Tok]:
        """"公司实现销售收入" -> 销售收入: what follows a verb whose subject is not the name; a subject
        that is a part of all ("规模企业实现工业总产值" -> 规模企业工业总产值) stays before it."""
        w = self.w
        cut = max((k for k in range(len(toks) - 1) if toks[k].text in w.cut_after), default=None)
        if cut is None:
            return toks
        start = cut
        while start > 0 and not toks[start - 1].verb() and not toks[start - 1].is_punct:
            start -= 1
        subject = self.strip_head(toks[start:cut])
        if subject and any(part in join(subject) for part in w.subset):
            return subject + toks[cut + 1:]
        return toks[cut + 1:]

    def _opens_about(self, toks: list[Tok]) -> bool:
        """The name opens with a phrase of whom its noun concerns, which stays ("对班子的意见建议")."""
        de = next((m for m, t in enumerate(toks) if t.text in self.w.linker), None)
        return de is not None and de + 1 < len(toks) and self._about_phrase(toks, de) == 0

    def _about_phrase(self, toks: list[Tok], de: int) -> int:
        """Where a name starts whose modifier ends at the 的 ``toks[de]``: after 的, unless the
        modifier is a short phrase of whom or what the noun concerns ("对班子的意见建议" and
        "对班子成员个人的意见建议" are two rows, not two of 意见建议), which stays."""
        k = max((m for m in range(de) if toks[m].text in self.w.about), default=None)
        if k is not None and 0 < de - k - 1 <= _ABOUT_MAX and all(
                t.tag.startswith(("n", "r")) and not t.is_punct and t.qty is None and not t.time
                for t in toks[k + 1:de]):
            return k
        return de + 1

    def _last_of_verb_list(self, toks: list[Tok]) -> list[Tok]:
        """"开展帮扶工作、实行社戒社康人员…": of several verb phrases in a row, the last one is the
        figure's; a lone verb before 、 shares the object ("新建、改造高标准农田") and stays."""
        cuts = [k for k, t in enumerate(toks) if self.lex.is_list_comma(t)]
        if not cuts:
            return toks
        k = cuts[-1]
        prev_start = cuts[-2] + 1 if len(cuts) > 1 else 0
        last, prev = toks[k + 1:], toks[prev_start:k]
        if last and len(prev) >= 2 and last[0].verb() and any(t.verb() for t in prev[:2]):
            return last
        return toks

    def drop_comparisons(self, toks: list[Tok]) -> list[Tok]:
        """"比上年增长", "较2022年下降", "比上年年初预算增加": the comparison is not part of the name."""
        lex = self.lex
        for k, t in enumerate(toks):
            if t.text not in self.w.than:
                continue
            cue = next((m for m in range(k + 1, len(toks)) if toks[m].cue), None)
            if cue is not None and cue - k <= _COMPARISON_REACH and lex.is_base(toks[k + 1]):
                return toks[:k] + toks[cue:]
        out: list[Tok] = []
        skip = 0
        for k, t in enumerate(toks):
            if skip:
                skip -= 1
                continue
            if t.text in self._comparison_markers and k + 1 < len(toks) and lex.is_base(toks[k + 1]):
                skip = 1
                while k + 1 + skip < len(toks) and lex.is_base(toks[k + 1 + skip]):
                    skip += 1
                continue
            if lex.comparison_word(t):
                continue
            out.append(t)
        return out

    def strip_tail(self, toks: list[Tok]) -> list[Tok]:
        """Without hedges, copulas, cues and punctuation at the end (a closing quote or gloss stays)."""
        w, marks = self.w, self.lex.marks
        while toks and (toks[-1].text in w.trail or toks[-1].cue or toks[-1].is_punct
                        and toks[-1].text not in marks.close_quotes and not self._closes_gloss(toks[-1])
                        or toks[-1].text in w.comparison):
            toks = toks[:-1]
        return toks

    def _closes_gloss(self, t: Tok) -> bool:
        return t.text in self.lex.marks.gloss_close and not t.is_break

    def strip_head(self, toks: list[Tok]) -> list[Tok]:
        """Without connectives, scope, adverbs, light verbs and numbering at the start (an opening
        quote stays)."""
        w, open_quotes = self.w, self.lex.marks.open_quotes
        head_words = self._head_words
        while toks:
            t = toks[0]
            if t.text not in head_words and not t.is_punct and t.tag not in ADVERB_TAGS \
                    and not self.lex.is_number_mark(t.text):
                break                 # none of the tests below can hold (most names open so)
            rest = len(toks) > 1                       # tokens are never empty
            if t.text in w.lead or t.is_punct and t.text not in open_quotes or t.text in w.adverb and rest \
                    and not (toks[1].tag.startswith("n") and toks[1].text not in w.adverb) \
                    or t.text in w.preposition and len(toks) > 1 and len(toks[1].text) > 1 \
                    and (toks[1].verb() or not any(x.verb() for x in toks[2:])) and not self._opens_about(toks) \
                    or self.lex.is_number_mark(t.text):
                toks = toks[1:]
            elif t.tag in ADVERB_TAGS and len(toks) > 1 and t.text not in w.distributive:
                toks = toks[1:]       # 认真参加…, 及时足额发放…
            elif t.text in w.lead_verb and sum(len(x.text) for x in toks[1:4]) >= 3:
                toks = toks[1:]       # 开展监督检查 -> 监督检查, but 完成投资 stays
            else:
                break
        return toks

    def after_preposition(self, toks: list[Tok]) -> list[Tok]:
        """"对宾馆、出租屋等排查" -> 排查; "在县级以上媒体刊发工作信息" -> 刊发工作信息."""
        w = self.w
        for k, t in enumerate(toks[:-1]):
            if t.text not in w.preposition:
                continue
            if k and not (toks[k - 1].is_punct or toks[k - 1].tag.startswith(("n", "v", "r", "d"))):
                continue
            rest = toks[k + 1:]
            cut = next((m for m, r in enumerate(rest) if r.text in w.enumeration_end or r.text in w.localizer),
                       None)
            if cut is None:
                cut = next((m - 1 for m, r in enumerate(rest) if m > 0 and r.verb()), None)
                while cut and rest[cut].tag in _VERB_MODIFIER_TAGS and len(rest[cut + 1].text) > 1:
                    cut -= 1          # "为老年人免费健康体检" -> 免费健康体检: the verb's modifiers stay
            if cut is not None and rest[cut].text in w.enumeration_end and cut + 2 < len(rest) \
                    and not rest[cut + 1].verb() and rest[cut + 2].verb():
                cut += 1              # "围绕A、B等内容组织培训": the noun after 等 closes the phrase too
            if cut is not None and cut + 1 < len(rest):
                remainder = rest[cut + 1:]
                if any(r.text not in w.light for r in remainder) and len(join(remainder)) > 1:
                    return remainder
            return toks
        return toks

    def drop_enumeration(self, toks: list[Tok]) -> list[Tok]:
        """"举办中国煤交会、省绿博会等展会" -> 举办展会: the examples before 等 go, the head stays."""
        for k, t in enumerate(toks):
            if t.text in self.w.enumeration_end and k + 1 < len(toks):
                # the verb that governs the list is the last one before its first item ("组织企业参加
                # A、B等展会"); a verb that ends the first item belongs to it ("农资打假、农机安全等")
                first_item_end = next((m for m, r in enumerate(toks[:k]) if self.lex.is_list_comma(r)), None)
                if first_item_end is None:   # one example: "举办日照2023中国运动休闲大会等…"
                    verb = next((m for m, r in enumerate(toks[:k - 1]) if r.verb()), -1)
                else:
                    verb = max((m for m, r in enumerate(toks[:first_item_end - 1]) if r.verb()), default=-1)
                return toks[:verb + 1] + toks[k + 1:]
        return toks


class ListNames:
    """Names for the figures of a list ("A、B、C分别增长x、y、z"): one subject of the list before
    them per figure."""

    def __init__(self, namer: Namer):
        self.namer = namer
        self.lex = namer.lex
        self.w = namer.w
        self.ordinals = sorted(namer.lex.w.ordinal_prefix, key=lambda s: (-len(s), s))

    def list_length(self, toks: list[Tok], i: int) -> int:
        """How many figures the list that starts at ``toks[i]`` has ("4.1%、4.7%和5.8%": 3)."""
        n, j = 1, i + 1
        while j + 1 < len(toks) and toks[j].text in self.w.list_joiner and toks[j + 1].qty is not None:
            n += 1
            j += 2
        return n

    def split_list(self, left: list[Tok], toks: list[Tok], i: int) -> list[str]:
        """Names for "A、B、C分别增长x、y、z": one per figure of the list that starts at ``toks[i]``,
        or [] when they do not pair."""
        w, namer = self.w, self.namer
        n = self.list_length(toks, i)
        if n < 2:
            return []
        cut = next((k for k, t in enumerate(left) if t.text in w.distributive), len(left))
        kept = namer.strip_head([t for t in left[:cut] if not t.time and not t.text.isspace()])
        kept = namer.strip_tail(kept)
        items: list[list[Tok]] = [[]]
        by_comma = any(self.lex.is_list_comma(t) for t in kept)
        for t in kept:
            if self.lex.is_list_comma(t) if by_comma else t.text in w.list_joiner:
                items.append([])
            else:
                items[-1].append(t)
        items = [it for it in (namer.strip_head(it) for it in items) if it]
        if len(items) != n:
            return []
        names = [join(it) for it in items]
        last = items[-1]
        if len(last) > 1 and all(len(it) == 1 for it in items[:-1]):
            # "第一、二、三产业增加值": the head is shared, and so is an ordinal prefix
            tail = join(last[1:])
            prefix = next((p for p in self.ordinals if names[0].startswith(p)), "")
            names = [("" if it[0].text.startswith(prefix) else prefix) + it[0].text + tail for it in items]
        return names
