"""Indicators: which figures report a measured amount, and what each one measures.

Per sentence that holds figures, jieba segments the words around them (the figures and time
expressions stay single tokens, see :mod:`extractor.nlp`), a SpanRuler marks cue words, and the
name of each figure is read from the clause around it by the shapes that recur in reports:

- subject or verb-object before the figure: 上门走访2853次, 城镇新增就业1244万人;
- figure, measure word, then the thing counted: 组织108名干部参与 -> 干部; 将6个城市社区划分为…;
- figure 的 thing: 投资100亿元的日钢转型升级 -> 投资, 100亿元的新能源装备产业园 -> 新能源装备产业园;
- amount and thing with a subject before: 日钢产能置换900万吨炼钢 -> 日钢产能置换炼钢;
- one subject, several figures: 低保保障1720户2773人; the subject carried into the next clause or
  sentence: 总产量达到21.6万吨，同比增长2.1%; a bare ratio takes its subject: 投资9.3亿元，占比49.7%;
- distributive lists: 第一、二、三产业增加值分别增长4.1%、4.7%、5.8%;
- parts of a total: …3903名，其中境外返靖27人 (the part points at the total).

Names are trimmed the way a spreadsheet column is named: connectives, scope, hedges and copulas
go (其中 累计 全市 预计 达到), so do prepositional phrases (对宾馆等排查 -> 排查), the subject of a
light verb (公司实现销售收入 -> 销售收入), pivot verbs (组织企业参加展会 -> 参加展会), enumerations
(举办A、B等展会 -> 举办展会) and modifiers before 的. The word lists are rules/indicator_words.tsv;
the direction cues rules/spans_cues.jsonl.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import Analysis, Indicator, Task
from ..segment import Protected
from ..rules import RuleError, Rules

QTY_TAG = "QTY"
TIME_TAG = "TIME"

# Clause boundaries inside a sentence (the view keeps Chinese punctuation; ASCII forms occur too).
# A newline is not one: inside a sentence it is a line wrap left by PDF extraction.
CLAUSE_BREAKS = frozenset("，,；;：:。！？!?（）()")
QUOTES = frozenset("“”‘’\"'《》〈〉「」『』")
LIST_JOINERS = frozenset(("、", "和", "及", "与", "以及"))
# jieba POS flags of words that cannot open or continue the noun phrase after a figure.
NON_NOMINAL_TAGS = ("p", "d", "c", "u", "f", "r", "y", "e", "o", "ad")
UNNUMBERED = frozenset({"runin", "line", "title", "dash", "lead"})
ROLES = ("lead", "trail", "drop", "light", "lead_verb", "cut_after", "pivot", "article", "adverb",
         "comparison", "relative", "list_intro", "head_noun", "predicate", "preposition", "localizer", "part",
         "distributive", "threshold_unit", "attribute")


@dataclass(slots=True)
class _Tok:
    text: str
    tag: str
    start: int                  # view offsets
    end: int
    qty: object | None = None   # the Quantity of a figure token
    time: str = ""
    cue: str = ""               # label from the span ruler (DIR_UP / DIR_DOWN)
    base: bool = False          # a time that is the base of a comparison ("比上年")

    @property
    def is_break(self) -> bool:
        return self.text in CLAUSE_BREAKS

    @property
    def is_punct(self) -> bool:
        return not any(ch.isalnum() for ch in self.text)

    def verb(self) -> bool:
        return self.tag.startswith("v") and not self.tag.startswith("vn")


@dataclass(slots=True)
class _Context:
    """What the reading of one document carries from figure to figure."""

    last_name: str = ""
    last_sentence: int = -2
    last_direction: str = ""
    default_time: str = ""      # a time written earlier in the sentence than the words read


class IndicatorExtractor:
    def __init__(self, rules: Rules, nlp):
        self.nlp = nlp
        words: dict[str, set[str]] = defaultdict(set)
        for row in rules.table("indicator_words", ("word", "role"), required=("word", "role")):
            if row["role"] not in ROLES:
                raise RuleError("indicator_words.tsv", None, f"unknown role {row['role']!r} of {row['word']!r}; "
                                f"roles: {', '.join(ROLES)}")
            words[row["role"]].add(row["word"])
        self.w = {role: frozenset(words[role]) for role in ROLES}

    # ---- the stage
    def extract(self, analysis: Analysis, tasks: Sequence[Task] = ()) -> list[Indicator]:
        text, sentences, outline = analysis.text, analysis.sentences, analysis.outline
        quantities, times = analysis.quantities, analysis.times
        out: list[Indicator] = []
        task_starts = [t.start for t in tasks]
        # a figure where a numbered heading starts is its number ("7.1 个人期望…", "2. 年产…")
        numbering = {h.start for h in getattr(outline, "headings", ()) if h.scheme not in UNNUMBERED}
        quantities = [q for q in quantities if q.start not in numbering]
        ctx = _Context()
        q_i = t_i = 0
        for s_index, sent in enumerate(sentences):
            qs = []
            while q_i < len(quantities) and quantities[q_i].start < sent.end:
                if quantities[q_i].start >= sent.start:
                    qs.append(quantities[q_i])
                q_i += 1
            while t_i < len(times) and times[t_i].end <= sent.start:
                t_i += 1
            if not qs:
                continue
            ts = []
            j = t_i
            while j < len(times) and times[j].start < sent.end:
                ts.append(times[j])
                j += 1
            # only the clauses that hold figures, and the one before them, need words
            start, end = _region(text, sent.start, sent.end, qs[0].start, qs[-1].end)
            ctx.default_time = next((t.text for t in reversed(ts) if t.end <= start), "")
            toks = self._tokens(text, start, end, qs, [t for t in ts if t.end > start and t.start < end])
            if ctx.last_sentence != s_index - 1:
                ctx.last_name = ""
            for ind in self._read(toks, len(out), ctx):
                k = bisect.bisect_right(task_starts, ind.start) - 1
                if k >= 0 and ind.end <= tasks[k].end:
                    ind = replace(ind, task=k)
                out.append(ind)
                ctx.last_sentence = s_index
        return out

    def _tokens(self, text: str, s_start: int, s_end: int, qs: list, ts: list) -> list[_Tok]:
        sent = text[s_start:s_end]
        protected = [Protected(q.start - s_start, q.end - s_start, QTY_TAG) for q in qs]
        for t in ts:
            a, b = max(t.start, s_start) - s_start, min(t.end, s_end) - s_start
            if a < b and not any(a < p.end and p.start < b for p in protected[:len(qs)]):
                protected.append(Protected(a, b, TIME_TAG))
        protected.sort(key=lambda p: p.start)
        doc = self.nlp(self.nlp.tokenizer.make_doc(sent, protected))
        by_start = {q.start - s_start: q for q in qs}
        toks = []
        for tok in doc:
            t = _Tok(tok.text, tok.tag_, s_start + tok.idx, s_start + tok.idx + len(tok.text))
            if tok.tag_ == QTY_TAG:
                t.qty = by_start.get(tok.idx)
            elif tok.tag_ == TIME_TAG:
                t.time = tok.text
            toks.append(t)
        for span in doc.spans.get("cues", []):
            for k in range(span.start, span.end):
                toks[k].cue = span.label_
        for a, b in zip(toks, toks[1:]):
            if a.text in ("比", "较") and b.time:
                b.base, b.time = True, ""   # "比上年增长": 上年 is the base of a comparison, not the time
        return toks

    # ---- one sentence
    def _read(self, toks: list[_Tok], base: int, ctx: _Context) -> list[Indicator]:
        """Indicators of one tokenised sentence; ``base`` is the index the first one will get."""
        w = self.w
        results: list[Indicator] = []
        clause_start = 0
        left_from = 0                  # where the current figure's left context begins
        prev_q: int | None = None      # the previous figure token of this clause, if any
        prev_kept = False              # whether that figure became an indicator
        distributive: list[str] = []   # names still to hand out to a 、-list of figures
        part_unit: str | None = None   # after 其中: the unit of the parts, and their total
        part_parent: int | None = None
        for i, tok in enumerate(toks):
            if tok.is_break:
                clause_start = left_from = i + 1
                prev_q, prev_kept = None, False
                continue
            q = tok.qty
            if q is None:
                continue
            end = self._clause_end(toks, i)
            left, right = toks[left_from:i], toks[i + 1:end]
            before = toks[i - 1] if i > clause_start else None
            if self._not_indicator(q, tok.text, right, before):
                prev_q, prev_kept = i, False   # a threshold stays in the next figure's left context
                continue
            in_list = prev_kept and bool(left) and all(t.text in LIST_JOINERS or t.text.isspace() for t in left)
            np_toks, de_shape = self._noun_phrase(right)
            np_name = self._np_name(np_toks)
            left_name, left_start = self._left_name(left)
            direction = self._direction(left) or (ctx.last_direction if in_list else "")
            span = (tok.start, tok.end)
            if in_list and distributive:
                name = distributive.pop(0)
            else:
                distributive = []
                if de_shape and left_name:
                    name, span = left_name, (left_start, tok.end)
                elif np_name and q.kind == "count":
                    name, span = np_name, (tok.start, np_toks[-1].end)
                elif np_name and left_name and not de_shape and q.kind in ("measure", "money"):
                    # "兴瑞年产40万吨有机硅": the last item of a list before the figure owns it
                    head, head_start = self._left_name(_after_last(left, lambda t: t.text == "、"))
                    name, span = (head or left_name) + np_name, (head_start or left_start, np_toks[-1].end)
                elif not np_toks and (not left_name or q.unit in _PEOPLE) \
                        and (predicate := self._predicate_after(left, right)):
                    # "我校14人获得一等奖", "其中2人参加国家队选拔": the figure counts who did what follows
                    name, span = _join(predicate), (tok.start, predicate[-1].end)
                elif left_name:
                    name, span = left_name, (left_start, tok.end)
                    if any(t.text in w["distributive"] for t in left):
                        distributive = self._split_list(left, toks, i)
                        if distributive:
                            name = distributive.pop(0)
                elif np_name:
                    name, span = np_name, (tok.start, np_toks[-1].end)
                elif prev_q is None and (subject := self._previous_clause_subject(toks, clause_start, left)):
                    name = subject
                    first = next((t for t in left if not t.is_punct and not t.text.isspace()), None)
                    span = (first.start if first else tok.start, tok.end)
                elif ctx.last_name and (in_list or prev_q is not None or direction
                                        or not any(_is_word(t) for t in right)):
                    name = ctx.last_name
                    first = next((t for t in left if not t.is_punct and not t.text.isspace()), None)
                    span = (first.start if first else tok.start, tok.end)
                else:
                    rest = self._strip_tail([t for t in right if not t.text.isspace()])
                    name = _join(rest)[:20]
                    if rest:
                        span = (tok.start, rest[-1].end)
            if name in w["relative"] and ctx.last_name and not name.startswith(ctx.last_name):
                name = ctx.last_name + name   # 投资9.3亿元，占比49.7% -> 投资占比
            parent = None
            if any(t.text in w["part"] for t in toks[clause_start:i]):
                parent = self._find_total(results, base, q)
                part_unit, part_parent = q.unit, parent
            elif part_unit is not None and q.unit == part_unit and not prev_kept:
                parent = part_parent       # "其中党内警告2人，党内严重警告1人"
            results.append(Indicator(span[0], span[1], name, q.value, q.value_max, q.unit, q.qualifier,
                                     direction, self._time(toks, i) or ctx.default_time, parent))
            if name:
                ctx.last_name = name
            ctx.last_direction = direction
            prev_q, prev_kept = i, True
            left_from = i + 1
            if np_toks:
                after = i + 1 + len(np_toks) + de_shape
                # the thing after a figure is its own when it names it, or when a list goes on after
                # it ("100亿元的产业园、120亿元的高铁"); else it is the subject of the next figure
                # ("10万元以上的村达到187个")
                if name == np_name or after >= end or toks[after].text in LIST_JOINERS:
                    left_from = after
        return results

    # ---- shapes
    @staticmethod
    def _clause_end(toks: list[_Tok], i: int) -> int:
        j = i + 1
        while j < len(toks) and not toks[j].is_break:
            j += 1
        return j

    def _ignorable(self, t: _Tok) -> bool:
        return t.is_punct or t.text.isspace() or bool(t.time) or t.base or bool(t.cue) or t.text in self.w["lead"] \
            or t.text in self.w["trail"] or t.text in self.w["comparison"]

    def _not_indicator(self, q, surface: str, right: list[_Tok], before: _Tok | None) -> bool:
        """A threshold that defines a group (60岁以上老人), a property (30万吨级码头, 三年新冠疫情),
        or the count of a list that follows (以下四个方面)."""
        w = self.w
        nxt = next((t for t in right if not t.text.isspace()), None)
        if before is not None and before.text in w["list_intro"]:
            return True
        if nxt is not None and nxt.text in w["attribute"]:
            return True
        if q.qualifier in ("over", "under") and q.unit in w["threshold_unit"]:
            return True
        if nxt is None or nxt.text == "的":
            return False
        if q.kind == "duration" and self._nominal(nxt):
            return True
        # "100万元以上项目": 以上 closes a threshold when a noun follows at once
        return q.qualifier in ("over", "under") and surface.endswith(("以上", "以下")) and self._nominal(nxt)

    def _predicate_after(self, left: list[_Tok], right: list[_Tok]) -> list[_Tok]:
        """The verb phrase after a figure whose left side holds no verb: what the counted did."""
        if any(t.verb() and not self._ignorable(t) for t in left):
            return []
        rest = [t for t in right if not t.text.isspace()]
        if rest and rest[0].is_punct:
            return []                 # "412人、占36.6%": the clause goes on to another figure
        while rest and (rest[0].tag in ("d", "ad") or rest[0].text in self.w["lead"]):
            rest = rest[1:]           # "其中2人将参加…": the modal before the verb is not the name
        if not rest or not (rest[0].verb() or rest[0].text in self.w["predicate"]) or rest[0].cue:
            return []
        rest = self._strip_tail(rest)
        return rest if 2 <= len(_join(rest)) <= 20 else []

    def _previous_clause_subject(self, toks: list[_Tok], clause_start: int, left: list[_Tok]) -> str:
        """"开展反诈宣传活动，全年不少于40场次": a figure with nothing but hedges before it takes the
        subject of the clause before, when that clause has no figure of its own."""
        if not all(self._ignorable(t) for t in left) or clause_start < 2:
            return ""
        k = clause_start - 1
        start = k
        while start > 0 and not toks[start - 1].is_break:
            start -= 1
        prev = toks[start:k]
        if not prev or any(t.qty is not None for t in prev) or toks[k].text in "。！？!?":
            return ""
        name, _ = self._left_name(prev)
        return name if 2 <= len(name) <= 30 else ""

    def _threshold(self, t: _Tok) -> bool:
        q = t.qty
        return q.qualifier in ("over", "under") and (q.unit in self.w["threshold_unit"]
                                                     or t.text.endswith(("以上", "以下")))

    def _nominal(self, t: _Tok) -> bool:
        if t.qty is not None or t.time or t.is_punct or t.cue or t.text.isspace():
            return False
        w = self.w
        if t.text in w["predicate"] or t.text in w["light"] or t.text in w["adverb"] or t.text in w["trail"]:
            return False
        return not t.tag.startswith(NON_NOMINAL_TAGS)

    def _noun_phrase(self, right: list[_Tok]) -> tuple[list[_Tok], bool]:
        """The thing counted after a figure: "108名干部参与" -> 干部; "100亿元的产业园" -> 产业园.

        After 的 the phrase is nominal whatever its words' flags ("13项的问题整改")."""
        toks = [t for t in right if not t.text.isspace()]
        de_shape = bool(toks) and toks[0].text == "的"
        if de_shape:
            toks = toks[1:]
        taken: list[_Tok] = []
        open_quote = False
        for k, t in enumerate(toks):
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if t.text in QUOTES:
                if t.text in "“‘《「『〈" or open_quote:
                    open_quote = t.text in "“‘《「『〈"
                    taken.append(t)
                    continue
                break
            if open_quote or t.qty is not None and self._threshold(t) and nxt is not None and self._nominal(nxt):
                taken.append(t)
                continue
            if (t.text in LIST_JOINERS and t.text != "、" or t.text in ("以上", "以下", "及以上", "及以下")) \
                    and taken and nxt is not None and self._nominal(nxt):
                taken.append(t)       # "12个国家和地区", "6个省级以上开发区"
                continue
            if de_shape and not t.is_punct and t.qty is None and not t.time and t.text not in self.w["predicate"]:
                if t.tag.startswith(("p", "c", "u")) and taken:
                    break
                taken.append(t)
                continue
            if not self._nominal(t):
                if not taken and nxt is not None and self._nominal(nxt) and t.text not in self.w["predicate"] \
                        and t.text not in self.w["light"] and t.text not in self.w["lead_verb"] \
                        and (t.tag.startswith(("v", "a")) or t.tag == "d" and t.text not in self.w["adverb"]):
                    taken.append(t)   # "互助养老床位", "长期病休党员": a modifier of the noun after it
                    continue
                break
            if taken and t.verb() and (nxt is None or not self._nominal(nxt)
                                       or taken[-1].tag.startswith("n") and nxt.text not in self.w["head_noun"]):
                break                 # "干部参与", "学生荣获一等奖": the verb is the clause's predicate
            taken.append(t)
        while taken and (taken[-1].text in QUOTES and taken[-1].text not in "”’》」』〉"
                         or taken[-1].text in self.w["trail"] or taken[-1].text in LIST_JOINERS):
            taken.pop()
        return taken, de_shape

    @staticmethod
    def _np_name(toks: list[_Tok]) -> str:
        name = _join(toks)
        if name.endswith("工作") and len(name) > 4:   # "社保卡核实工作" -> 社保卡核实
            name = name[:-2]
        return name

    def _left_name(self, left: list[_Tok]) -> tuple[str, int]:
        """The subject or verb-object phrase before a figure, trimmed; ("", 0) when none."""
        w = self.w
        toks = self._drop_comparisons([t for t in left if not t.text.isspace()])
        toks = [t for t in toks if not t.time]
        toks = self._strip_tail(toks)
        toks = _after_last(toks, lambda t: t.text in w["article"])                  # 打造一个收入… -> 收入
        toks = self._after_preposition(toks)
        toks = self._strip_head(toks)
        toks = self._drop_enumeration(toks)
        if toks and toks[0].text in w["pivot"]:                                     # 组织企业参加展会
            later = next((k for k, t in enumerate(toks[1:], 1) if t.verb() and t.text not in w["pivot"]), None)
            if later is not None:
                # "吸引居民参与": with no object after the second verb, its subject stays
                if later < len(toks) - 1:
                    toks = toks[later:]
                elif later > 1:
                    toks = toks[1:]     # "带动就业" keeps its pivot: nothing else would name it
        toks = self._last_of_verb_list(toks)                                        # 开展X工作、实行Y
        toks = _after_last(toks, lambda t: t.text in w["cut_after"])                # 公司实现销售收入
        cue = next((k for k, t in enumerate(toks[:-1]) if t.cue and t.verb() and k > 0
                    and toks[k + 1].text not in w["head_noun"]), None)
        if cue is not None:                                                         # 通过集中采购降低采购成本
            toks = toks[cue:]
        de = max((k for k, t in enumerate(toks) if t.text == "的"), default=None)
        if de is not None and len(_join(toks[de + 1:])) >= 3:                      # 账龄超过一年的应收账款清收率
            toks = toks[de + 1:]
        toks = self._strip_head(toks)
        toks = self._strip_tail(toks)
        toks = [t for t in toks if t.text not in w["drop"]]
        if not toks or all(t.text in w["light"] for t in toks):
            return "", 0
        return _join(toks), toks[0].start

    @staticmethod
    def _last_of_verb_list(toks: list[_Tok]) -> list[_Tok]:
        """"开展帮扶工作、实行社戒社康人员…": of several verb phrases in a row, the last one is the
        figure's; a lone verb before 、 shares the object ("新建、改造高标准农田") and stays."""
        cuts = [k for k, t in enumerate(toks) if t.text == "、"]
        if not cuts:
            return toks
        k = cuts[-1]
        prev_start = cuts[-2] + 1 if len(cuts) > 1 else 0
        last, prev = toks[k + 1:], toks[prev_start:k]
        if last and len(prev) >= 2 and last[0].verb() and any(t.verb() for t in prev[:2]):
            return last
        return toks

    def _drop_comparisons(self, toks: list[_Tok]) -> list[_Tok]:
        """"比上年增长", "较2022年下降", "比上年年初预算增加": the comparison is not part of the name."""
        for k, t in enumerate(toks):
            cue = next((m for m in range(k + 1, len(toks)) if toks[m].cue), None)
            if t.text in ("比", "较") and cue is not None and cue - k <= 6 \
                    and _is_base(toks[k + 1], self.w):
                return toks[:k] + toks[cue:]
        out: list[_Tok] = []
        skip = 0
        for k, t in enumerate(toks):
            if skip:
                skip -= 1
                continue
            if t.text in ("比", "较", "与") and k + 1 < len(toks) and _is_base(toks[k + 1], self.w):
                skip = 1
                while k + 1 + skip < len(toks) and _is_base(toks[k + 1 + skip], self.w):
                    skip += 1
                continue
            if t.text in self.w["comparison"] and t.text.startswith(("同比", "环比")):
                continue
            out.append(t)
        return out

    def _strip_tail(self, toks: list[_Tok]) -> list[_Tok]:
        w = self.w
        while toks and (toks[-1].text in w["trail"] or toks[-1].cue or toks[-1].is_punct
                        and toks[-1].text not in "”’》」』〉" or toks[-1].text in w["comparison"]):
            toks = toks[:-1]
        return toks

    def _strip_head(self, toks: list[_Tok]) -> list[_Tok]:
        w = self.w
        while toks:
            t = toks[0]
            rest = _join(toks[1:])
            if t.text in w["lead"] or t.is_punct and t.text not in "“‘《「『〈" or t.text in w["adverb"] and rest \
                    or _is_number_mark(t.text):
                toks = toks[1:]
            elif t.tag in ("d", "ad") and len(toks) > 1 and t.text not in w["distributive"]:
                toks = toks[1:]       # 认真参加…, 及时足额发放…
            elif t.text in w["lead_verb"] and len(rest) >= 3:
                toks = toks[1:]       # 开展监督检查 -> 监督检查, but 完成投资 stays
            else:
                break
        return toks

    def _after_preposition(self, toks: list[_Tok]) -> list[_Tok]:
        """"对宾馆、出租屋等排查" -> 排查; "在县级以上媒体刊发工作信息" -> 刊发工作信息."""
        w = self.w
        for k, t in enumerate(toks[:-1]):
            if t.text not in w["preposition"]:
                continue
            if k and not (toks[k - 1].is_punct or toks[k - 1].tag.startswith(("n", "v", "r", "d"))):
                continue
            rest = toks[k + 1:]
            cut = next((m for m, r in enumerate(rest) if r.text in ("等", "等等") or r.text in w["localizer"]), None)
            if cut is None:
                cut = next((m - 1 for m, r in enumerate(rest) if m > 0 and r.verb()), None)
            if cut is not None and cut + 1 < len(rest):
                remainder = rest[cut + 1:]
                if any(r.text not in w["light"] for r in remainder):
                    return remainder
            return toks
        return toks

    def _drop_enumeration(self, toks: list[_Tok]) -> list[_Tok]:
        """"举办中国煤交会、省绿博会等展会" -> 举办展会: the examples before 等 go, the head stays."""
        for k, t in enumerate(toks):
            if t.text in ("等", "等等") and k + 1 < len(toks):
                # the verb that governs the list is the last one before its first item ("组织企业参加
                # A、B等展会"); a verb that ends the first item belongs to it ("农资打假、农机安全等")
                first_item_end = next((m for m, r in enumerate(toks[:k]) if r.text == "、"), None)
                if first_item_end is None:   # one example: "举办日照2023中国运动休闲大会等…"
                    verb = next((m for m, r in enumerate(toks[:k - 1]) if r.verb()), -1)
                else:
                    verb = max((m for m, r in enumerate(toks[:first_item_end - 1]) if r.verb()), default=-1)
                return toks[:verb + 1] + toks[k + 1:]
        return toks

    def _direction(self, left: list[_Tok]) -> str:
        """up/down when a direction cue sits right before the figure (only hedges between), or opens
        the verb-object phrase before it ("降低采购成本约950万元")."""
        for t in reversed(left):
            if t.cue == "DIR_UP":
                return "up"
            if t.cue == "DIR_DOWN":
                return "down"
            if self._ignorable(t) and t.text not in ("，", ","):
                continue
            break
        words = [t for t in left if not self._ignorable(t) and t.tag not in ("d", "ad")]
        for t in words[:1]:
            if t.cue and t.verb():
                return "up" if t.cue == "DIR_UP" else "down"
        return ""

    def _split_list(self, left: list[_Tok], toks: list[_Tok], i: int) -> list[str]:
        """Names for "A、B、C分别增长x、y、z": one per figure of the list, or [] when they do not pair."""
        n, j = 1, i + 1
        while j + 1 < len(toks) and toks[j].text in LIST_JOINERS and toks[j + 1].qty is not None:
            n += 1
            j += 2
        if n < 2:
            return []
        cut = next((k for k, t in enumerate(left) if t.text in self.w["distributive"]), len(left))
        kept = self._strip_head([t for t in left[:cut] if not t.time and not t.text.isspace()])
        kept = self._strip_tail(kept)
        items: list[list[_Tok]] = [[]]
        separators = ("、",) if any(t.text == "、" for t in kept) else tuple(LIST_JOINERS)
        for t in kept:
            if t.text in separators:
                items.append([])
            else:
                items[-1].append(t)
        items = [self._strip_head(it) for it in items]
        items = [it for it in items if it]
        if len(items) != n:
            return []
        names = [_join(it) for it in items]
        last = items[-1]
        if len(last) > 1 and all(len(it) == 1 for it in items[:-1]):
            # "第一、二、三产业增加值": the head is shared, and so is an ordinal prefix
            tail = _join(last[1:])
            prefix = "第" if names[0].startswith("第") else ""
            names = [("" if it[0].text.startswith(prefix) else prefix) + it[0].text + tail for it in items]
        return names

    @staticmethod
    def _find_total(results: list[Indicator], base: int, q) -> int | None:
        """The total a part (其中…) belongs to: the nearest earlier figure of the sentence, preferring
        one that counts the same things and is not smaller than the part."""
        for k in range(len(results) - 1, -1, -1):
            if _compatible(results[k].unit, q.unit) and results[k].value >= q.value:
                return base + k
        return base + len(results) - 1 if results else None

    @staticmethod
    def _time(toks: list[_Tok], i: int) -> str:
        for k in range(i - 1, -1, -1):
            if toks[k].time:
                return toks[k].time
        return ""


# ---- small pure helpers
def _join(toks) -> str:
    return "".join(t.text for t in toks)


def _region(text: str, s_start: int, s_end: int, first: int, last: int) -> tuple[int, int]:
    """The part of a sentence to segment: from the clause before the first figure's clause to the
    end of the last figure's clause."""
    start, seen = first, 0
    while start > s_start:
        if text[start - 1] in CLAUSE_BREAKS:
            seen += 1
            if seen == 2:
                break
        start -= 1
    end = last
    while end < s_end and text[end] not in CLAUSE_BREAKS:
        end += 1
    return start, min(end + 1, s_end)


def _is_word(t: _Tok) -> bool:
    return not t.is_punct and not t.text.isspace()


def _is_number_mark(s: str) -> bool:
    """A heading's number left in a name: "3.2", "(1)", "①"."""
    return bool(s) and all(ch.isdigit() or ch in ".()（）①②③④⑤⑥⑦⑧⑨⑩" for ch in s)


def _is_base(t: _Tok, words) -> bool:
    """The base of a comparison: 上年, 去年同期, 2022年, 年初."""
    return bool(t.time) or t.base or t.text in words["comparison"]


def _after_last(toks: list[_Tok], marker) -> list[_Tok]:
    """The tokens after the last marker, when something follows it; else all of them."""
    k = max((m for m, t in enumerate(toks[:-1]) if marker(t)), default=None)
    return toks if k is None else toks[k + 1:]


_PEOPLE = frozenset({"人", "名", "位"})


def _compatible(a: str, b: str) -> bool:
    return a == b or (a in _PEOPLE and b in _PEOPLE)
