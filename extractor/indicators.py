"""Indicators: which figures report a measured amount, and what each one measures.

Per sentence that holds figures, jieba segments the words around them (the figures and time
expressions stay single tokens), a SpanRuler marks cue words (directions), and the name of each
figure is read from the clause around it by a few shapes that recur in reports:

- subject or verb-object before the figure: 上门走访2853次, 城镇新增就业1244万人;
- figure, measure word, then the thing counted: 组织108名干部参与 -> 干部, 将6个城市社区划分为…;
- figure 的 thing: 投资100亿元的日钢转型升级, 100亿元的新能源装备产业园;
- one subject, several figures: 低保保障1720户2773人; and the subject carried into the next clause:
  总产量达到21.6万吨，同比增长2.1%;
- distributive lists: 第一、二、三产业增加值分别增长4.1%、4.7%、5.8%;
- parts of a total: …3903名，其中境外返靖27人 (the part points at the total).

Names are trimmed of connectives, scope and hedge words, copulas, determiners and enumerations
("举办A、B、C等展会" -> 举办展会); the word lists are rules/indicator_words.tsv, the direction cues
rules/spans_cues.jsonl.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .nlp import Protected
from .rules import Rules

QTY_TAG = "QTY"
TIME_TAG = "TIME"

# Clause boundaries inside a sentence (the view keeps Chinese punctuation; ASCII forms occur too).
CLAUSE_BREAKS = frozenset("，,；;：:。！？!?（）()\n")
QUOTES = frozenset("“”‘’\"'《》〈〉「」『』")
# POS flags (jieba) of words that cannot open or continue a noun phrase after a figure.
NON_NOMINAL_TAGS = ("p", "d", "c", "u", "f", "r", "y", "e", "o")
ROLES = ("lead", "trail", "drop", "light", "predicate", "preposition", "part", "distributive",
         "threshold_unit", "attribute")


@dataclass(frozen=True, slots=True)
class Indicator:
    start: int                  # view span of the clause part holding the subject and the figure
    end: int
    name: str
    value: float
    value_max: float | None
    unit: str
    qualifier: str
    direction: str
    time: str
    parent: int | None          # index (in the returned list) of the total this figure is part of
    task: int | None            # index of the planned task the figure sits in


@dataclass(slots=True)
class _Tok:
    text: str
    tag: str
    start: int                  # view offset
    end: int
    qty: object | None = None   # the Quantity of a figure token
    time: str = ""
    cue: str = ""               # DIR_UP / DIR_DOWN from the span ruler

    @property
    def is_break(self) -> bool:
        return self.text in CLAUSE_BREAKS or self.text.isspace() and "\n" in self.text

    @property
    def is_punct(self) -> bool:
        return all(not ch.isalnum() for ch in self.text)


class IndicatorExtractor:
    def __init__(self, rules: Rules, nlp):
        self.nlp = nlp
        words: dict[str, set[str]] = defaultdict(set)
        for row in rules.table("indicator_words", ("word", "role"), required=("word", "role")):
            if row["role"] not in ROLES:
                raise ValueError(f"indicator_words.tsv: unknown role {row['role']!r}")
            words[row["role"]].add(row["word"])
        self.words = {role: frozenset(words[role]) for role in ROLES}

    # ---- the stage
    def extract(self, text: str, sentences: Sequence, outline, quantities: Sequence, times: Sequence,
                tasks: Sequence = ()) -> list[Indicator]:
        out: list[Indicator] = []
        task_starts = [t.start for t in tasks]
        q_i = t_i = 0
        for sent in sentences:
            qs = []
            while q_i < len(quantities) and quantities[q_i].start < sent.end:
                if quantities[q_i].start >= sent.start:
                    qs.append(quantities[q_i])
                q_i += 1
            if not qs:
                continue
            while t_i < len(times) and times[t_i].end <= sent.start:
                t_i += 1
            ts = []
            j = t_i
            while j < len(times) and times[j].start < sent.end:
                ts.append(times[j])
                j += 1
            for ind in self._sentence(text, sent.start, sent.end, qs, ts, out):
                k = bisect.bisect_right(task_starts, ind.start) - 1
                task = k if k >= 0 and tasks[k].start <= ind.start and ind.end <= tasks[k].end else None
                out.append(_replace_task(ind, task))
        return out

    # ---- one sentence
    def _sentence(self, text: str, s_start: int, s_end: int, qs: list, ts: list, done: list[Indicator]):
        sent = text[s_start:s_end]
        protected = [Protected(q.start - s_start, q.end - s_start, QTY_TAG) for q in qs]
        q_spans = [(p.start, p.end) for p in protected]
        for t in ts:
            a, b = max(t.start, s_start) - s_start, min(t.end, s_end) - s_start
            if a < b and not any(a < qe and qs_ < b for qs_, qe in q_spans):
                protected.append(Protected(a, b, TIME_TAG))
        protected.sort(key=lambda p: p.start)
        doc = self.nlp(self.nlp.tokenizer.make_doc(sent, protected))
        by_start = {q.start - s_start: q for q in qs}
        times_by_start = {max(t.start, s_start) - s_start: t.text for t in ts}
        toks = []
        for tok in doc:
            t = _Tok(tok.text, tok.tag_, s_start + tok.idx, s_start + tok.idx + len(tok.text))
            if tok.tag_ == QTY_TAG:
                t.qty = by_start.get(tok.idx)
            elif tok.tag_ == TIME_TAG:
                t.time = times_by_start.get(tok.idx, tok.text)
            toks.append(t)
        for span in doc.spans.get("cues", []):
            for k in range(span.start, span.end):
                toks[k].cue = span.label_
        return self._read(toks, len(done))

    def _read(self, toks: list[_Tok], base: int) -> list[Indicator]:
        """Indicators of one tokenised sentence; ``base`` is the index the first one will get."""
        w = self.words
        results: list[Indicator] = []
        names: list[str] = []          # name of each result, for carrying the subject
        parts_unit: str | None = None  # unit of the first part after 其中, later clauses continue it
        part_parent: int | None = None
        clause_start = 0
        prev_q: int | None = None      # index of the previous figure token in this clause
        distributive: list[str] = []   # names handed out to a 、-list of figures
        for i, tok in enumerate(toks):
            if tok.is_break:
                clause_start, prev_q = i + 1, None
                continue
            if tok.qty is None:
                continue
            q = tok.qty
            left_from = clause_start if prev_q is None else prev_q + 1
            left = toks[left_from:i]
            right = toks[i + 1:self._clause_end(toks, i)]
            if self._not_indicator(q, tok.text, right):
                prev_q = i
                continue
            direction = _direction(left, w)
            time = _time(toks[clause_start:i]) or _time(toks[:clause_start])
            in_list = prev_q is not None and all(t.text in "、和及与" for t in left)
            name, span = "", (tok.start, tok.end)
            if in_list and distributive:
                name = distributive.pop(0)
            else:
                distributive = []
                np_name, np_end, de_shape = self._noun_phrase(right, q)
                left_name, left_start = self._left_name(left)
                if np_name and not de_shape and q.kind == "count":
                    name, span = np_name, (tok.start, np_end)
                elif left_name:
                    name, span = left_name, (left_start, tok.end)
                    if _has(left, w["distributive"]):
                        distributive = self._split_list(left, toks, i)
                        if distributive:
                            name = distributive.pop(0)
                elif np_name:
                    name, span = np_name, (tok.start, np_end)
                elif names and (not left or direction or in_list or prev_q is not None):
                    name = names[-1]
                    first = next((t for t in left if not t.is_punct), None)
                    span = (first.start if first else tok.start, tok.end)
                else:
                    name = _join(t for t in right if not t.is_punct)[:20]
                    if name:
                        span = (tok.start, right[-1].end)
            parent = None
            raw_left = toks[clause_start:i]
            if _has(raw_left, w["part"]):
                parent = self._find_total(results, base, q)
                parts_unit, part_parent = q.unit, parent
            elif parts_unit is not None and q.unit == parts_unit and prev_q is None:
                parent = part_parent
            results.append(Indicator(span[0], span[1], name, q.value, q.value_max, q.unit, q.qualifier,
                                     direction, time, parent, None))
            names.append(name)
            prev_q = i
        return results

    # ---- shapes
    def _clause_end(self, toks: list[_Tok], i: int) -> int:
        j = i + 1
        while j < len(toks) and not toks[j].is_break:
            j += 1
        return j

    def _not_indicator(self, q, surface: str, right: list[_Tok]) -> bool:
        """A threshold that defines a group (60岁以上老人), or a figure that is a property (30万吨级)."""
        w = self.words
        nxt = right[0] if right else None
        if nxt is not None and nxt.text in w["attribute"]:
            return True
        if q.qualifier in ("over", "under") and q.unit in w["threshold_unit"]:
            return True
        if q.qualifier in ("over", "under") and nxt is not None and nxt.qty is None and not nxt.is_punct \
                and nxt.text != "的" and self._nominal(nxt) and q.kind in ("count", "measure", "money"):
            # "100万元以上项目": 以上 closes a threshold when a noun follows at once
            return surface.endswith(("以上", "以下"))
        return False

    def _nominal(self, t: _Tok) -> bool:
        if t.qty is not None or t.time or t.is_punct or t.cue:
            return False
        if t.text in self.words["predicate"] or t.text in self.words["light"]:
            return False
        return not t.tag.startswith(NON_NOMINAL_TAGS)

    def _noun_phrase(self, right: list[_Tok], q) -> tuple[str, int, bool]:
        """The thing counted after a figure: "108名干部参与" -> 干部; "100亿元的产业园" -> 产业园."""
        toks = right
        de_shape = bool(toks) and toks[0].text == "的"
        if de_shape:
            toks = toks[1:]
        taken: list[_Tok] = []
        for k, t in enumerate(toks):
            if t.text in QUOTES:
                taken.append(t)
                continue
            if not self._nominal(t):
                if k == 0 and t.tag.startswith("v") and t.text not in self.words["predicate"] \
                        and len(toks) > 1 and self._nominal(toks[1]):
                    taken.append(t)  # "互助养老床位": a verb that modifies the noun after it
                    continue
                break
            if taken and t.tag.startswith("v") and not t.tag.startswith("vn"):
                nxt = toks[k + 1] if k + 1 < len(toks) else None
                if nxt is None or not self._nominal(nxt):
                    break  # "干部参与，": the verb is the clause's predicate
            taken.append(t)
        while taken and (taken[-1].text in QUOTES and _join(taken).count("“") > _join(taken).count("”")
                         or taken[-1].text in self.words["trail"]):
            taken.pop()
        while taken and taken[0].text in "”’》":
            taken.pop(0)
        if not taken:
            return "", 0, de_shape
        name = _join(taken)
        if name.endswith("工作") and len(name) > 4:
            name = name[:-2]
        return name, taken[-1].end, de_shape

    def _left_name(self, left: list[_Tok]) -> tuple[str, int]:
        """The subject or verb-object phrase before a figure, trimmed; ("", 0) when none."""
        w = self.words
        toks = [t for t in left if not t.time]
        # trailing copulas, cues and hedges: "同比增长", "达到", "分别增长", "比上年"
        while toks and (toks[-1].text in w["trail"] or toks[-1].cue or toks[-1].is_punct
                        or toks[-1].text in ("比", "较")):
            toks.pop()
        # prepositional phrase before the verb: "对宾馆、出租屋等排查" -> 排查
        for k, t in enumerate(toks[:-1]):
            if t.text in w["preposition"] and (k == 0 or toks[k - 1].is_punct or toks[k - 1].tag.startswith(("v", "n"))):
                rest = toks[k + 1:]
                cut = next((m for m, r in enumerate(rest) if r.text in ("等", "等等")), None)
                if cut is None:
                    cut = next((m - 1 for m, r in enumerate(rest) if m > 0 and r.tag.startswith("v")
                                and not r.tag.startswith("vn")), None)
                if cut is not None and cut + 1 < len(rest):
                    remainder = rest[cut + 1:]
                    if any(r.text not in w["light"] for r in remainder):
                        toks = remainder
                break
        # enumerations: "举办A、B、C等展会" -> 举办展会
        for k, t in enumerate(toks):
            if t.text in ("等", "等等") and k + 1 < len(toks):
                first_list = next((m for m, r in enumerate(toks[:k]) if r.text == "、"), k)
                verb = max((m for m, r in enumerate(toks[:first_list]) if r.tag.startswith("v")
                            and not r.tag.startswith("vn")), default=-1)
                toks = toks[:verb + 1] + toks[k + 1:]
                break
        while toks and (toks[0].text in w["lead"] or toks[0].is_punct and toks[0].text not in QUOTES):
            toks.pop(0)
        while toks and (toks[-1].text in w["trail"] or toks[-1].cue or toks[-1].is_punct
                        and toks[-1].text not in QUOTES):
            toks.pop()
        toks = [t for t in toks if t.text not in w["drop"] and not t.text.isspace()]
        if not toks or all(t.text in w["light"] for t in toks):
            return "", 0
        name = _join(toks)
        return name.strip(), toks[0].start

    def _split_list(self, left: list[_Tok], toks: list[_Tok], i: int) -> list[str]:
        """Names for "A、B、C分别增长x、y、z": one per figure of the list, or [] when they do not pair."""
        n = 1
        j = i + 1
        while j + 1 < len(toks) and toks[j].text in "、和及与" and toks[j + 1].qty is not None:
            n += 1
            j += 2
        if n < 2:
            return []
        # the subject list: tokens of the trimmed left name, split at 、
        kept = [t for t in left if not t.time and t.text not in self.words["distributive"]
                and not t.cue and t.text not in self.words["trail"]]
        while kept and (kept[0].text in self.words["lead"] or kept[0].is_punct):
            kept.pop(0)
        items: list[list[_Tok]] = [[]]
        for t in kept:
            if t.text == "、":
                items.append([])
            else:
                items[-1].append(t)
        items = [it for it in items if it]
        if len(items) != n:
            return []
        names = [_join(it) for it in items]
        last = items[-1]
        if len(last) > 1 and all(len(it) == 1 for it in items[:-1]):
            # "第一、二、三产业增加值": the head is shared, the ordinal prefix too
            tail = _join(last[1:])
            prefix = "第" if names[0].startswith("第") else ""
            names = [(prefix if not it[0].text.startswith(prefix) else "") + it[0].text + tail for it in items]
        return names

    def _find_total(self, results: list[Indicator], base: int, q) -> int | None:
        """The total a part (其中…) belongs to: the nearest earlier figure in the sentence, preferring
        one in a unit that counts the same things and is not smaller than the part."""
        same = [k for k in range(len(results) - 1, -1, -1)
                if _compatible(results[k].unit, q.unit) and results[k].value >= q.value]
        if same:
            return base + same[0]
        return base + len(results) - 1 if results else None


# ---- small pure helpers
def _join(toks) -> str:
    return "".join(t.text for t in toks)


def _has(toks: list[_Tok], words: frozenset[str]) -> bool:
    return any(t.text in words for t in toks)


def _direction(left: list[_Tok], words) -> str:
    """up/down when a direction cue sits right before the figure (only hedges between)."""
    for t in reversed(left):
        if t.cue == "DIR_UP":
            return "up"
        if t.cue == "DIR_DOWN":
            return "down"
        if t.text in words["trail"] or t.text in ("了", "比", "较") or t.time or t.is_punct and t.text not in "，,":
            continue
        break
    return ""


def _time(toks: list[_Tok]) -> str:
    for t in reversed(toks):
        if t.time:
            return t.time
    return ""


_PEOPLE = frozenset({"人", "名", "位"})


def _compatible(a: str, b: str) -> bool:
    return a == b or (a in _PEOPLE and b in _PEOPLE)


def _replace_task(ind: Indicator, task: int | None) -> Indicator:
    if task is None:
        return ind
    return Indicator(ind.start, ind.end, ind.name, ind.value, ind.value_max, ind.unit, ind.qualifier,
                     ind.direction, ind.time, ind.parent, task)
