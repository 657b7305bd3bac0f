"""Planned tasks: what a report commits to do next, one row per committed action.

Where tasks are read:

- in sections whose kind is plan (工作打算, 2024年工作任务, 主要目标…, from the outline), and in plan
  parts that no heading announces: a paragraph opened by "下一步，…" or a sentence ending in a colon
  that announces plans ("…做如下安排:") opens one (rules/task_openers.tsv);
- anywhere else, in a clause that carries a future marker (将, 拟, 计划, 力争, 下一步…; rules/task_markers.tsv).

What a task is: a sentence, or a part of one up to ；, whose clauses commit to an action. A clause
commits when its head — after time words, a subject followed by a future marker, and adverbs — is an
action verb (rules/task_action_verbs.txt, or a verb by its part of speech that is not a copula), or
when it states a quantified target ("合格率保持在99.5%以上"). A run-in subhead is a task when it is an
action ("常态化开展学习教育"), not when it names a topic ("党的建设“强起来”"). Clauses that report work
done (了, 已…) are dropped; slogans, exhortations, notes, contacts and shortcomings never count
(rules/task_past.tsv, rules/task_exclusions.tsv).

The name is the run-in subhead the task is or elaborates, else the leading verb-object phrase; the
time is the first time expression in the task, else the one in the heading of its plan section.
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from ..rules import RuleError, Rules
from ..model import Analysis, Span, Task
from ..structure.textunits import TextUnits


# Structure of the text, not vocabulary: list numbering at the start of a unit, enumerations
# ("一是"), the marks that close a sentence, brackets and quotes that a split must not cross.
_LIST_MARK = regex.compile(
    r"(?:第[一二三四五六七八九十百]+(?:部分|章|节|条)[ \t]*|[一二三四五六七八九十]{1,3}[、.．][ \t]*"
    r"|[（(][一二三四五六七八九十\d]{1,3}[）)][ \t]*|\d{1,2}(?:\.\d{1,2})*[.、．](?!\d)[ \t]*"
    r"|\d{1,2}[）)][ \t]*|[①-⑳][ \t]*|——+|[-•·*▪][ \t]+)"
)
_ENUMERATION = regex.compile(r"(?:[一二三四五六七八九十]{1,3}是|首先|其次|再次|最后|第[一二三四五六七八九十]+[，,、]?)")
_ORDINAL = regex.compile(r"\s*(?:第)?([一二三四五六七八九十]{1,3}|\d{1,2})")
_TRAILING = regex.compile(r"[\s。．.！!？?；;，,、：:…]+$")
_LEADING = regex.compile(r"[\s，,、；;：:]+")
_EXCLAIM = regex.compile(r"[！!][”’」』）)]*\s*$")
_DEADLINE = regex.compile(r"(?:前|后|起|底|内|止|之前|以前)$|^(?:于|在|到|至|截至)")
_SENTENCE_CLOSE = regex.compile(r"[ \t]*[。！？.!?]")
_COLON_END = regex.compile(r"[：:]\s*$")
_UNIT_SPLIT = frozenset("；;")
_CELL_SPLIT = frozenset("\t\n")         # table cells and lines are units of their own, whatever the quotes
# a copula after the head verb: the verb was part of the subject ("发展是第一要务", "实现目标并非易事")
_COPULA = regex.compile(r"(?<![还但就而只总于凡更要若即或可倒硬])是(?!否)|并非|不是")
_OPEN = "“‘「『（(《【["
_CLOSE = "”’」』）)》】]"
# what _split looks at: brackets and quotes, cell and unit separators, colons
_SPLIT_EVENT = regex.compile("[" + regex.escape(_OPEN + _CLOSE) + r"\t\n；;：:]")
_HAN = regex.compile(r"\p{Han}")
_LATIN_WORD = regex.compile(r"[A-Za-z][A-Za-z']*")
_DIGITS = regex.compile(r"^[\d.%％]+$")
_EN_LEAD = frozenset({"and", "also", "then", "meanwhile", "besides", "furthermore", "moreover", "to", "we",
                      "i", "please", "still"})
# a figure, for quantified targets ("不少于5户", "达到100%", "提高10%以上")
_FIGURE = r"[约近]?(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)"
_QUALIFIED_FIGURE = regex.compile(
    _FIGURE + r"\s*[^\s，,。；;、\d]{0,4}?(?:以上|以内|以下|左右|上下)|(?:不低于|不少于|不超过|不高于|至少|力争|确保)\s*" + _FIGURE
    + r"|\d+(?:\.\d+)?\s*%"
)
# a time at the head of a clause: "2024年", "6月底前", "一季度"
_TIME_PREFIX = r"(?:\d{1,4}|[一二三四]季度)(?:年度?|月份?|月底前?|日|号|季度)?(?:前|底|内|起)?"
# what follows a target verb: a figure, or a zero / full-coverage goal ("实现“零死亡”", "保持100%")
_TARGET_OBJECT = regex.compile(r"[^，,。；;]{0,8}?(?:\d|[零一二两三四五六七八九十百千万]+[个%％项家人户]|百分之|零|全覆盖|清零|全部|率先)")
_FORWARD_MIN_ACTIONS = 3          # action subheads that make a section of no stated kind a plan
_LEAD_MAX = 20                     # a run-in subhead is at most this long (GUIDELINE)
_CLAUSE_MARK = regex.compile(r"[，,；;：:]")
_NAME_MIN, _NAME_MAX = 6, 16       # characters of a verb-object name
# Segmentation windows: only the first words of a clause decide its head verb, so only they are
# segmented (a clause can run to hundreds of characters in a government report).
_HEAD_WINDOW = 12
_PREPOSITION_WINDOW = 40
_LABEL_MAX = 8                     # a heading line shorter than this, without a full stop, labels a part
_HEADING_NAME_MAX = 24             # a longer subhead is a sentence, not a title
_SKIP_TAGS = frozenset({"x", "t", "tg", "m", "mq", "q", "d", "ad", "c", "f", "uj", "ul", "r", "rr", "rz"})
_NOMINAL_SUFFIXES = frozenset("组员者部队处科室站所费权量率性式法厂区局网群会团")
_NO_OBJECT_TAGS = frozenset({"a", "ad", "d", "p", "uj", "ul", "uz", "x", "y", "e"})
_PREPOSITIONS = frozenset({"以", "把", "在", "对", "向", "从", "为", "为了", "按", "按照", "围绕", "通过", "结合",
                           "针对", "根据", "依托", "借助", "利用", "于", "将", "由", "与", "同", "跟", "随着"})


@dataclass(frozen=True, slots=True)
class _Unit:
    start: int
    end: int
    para: int           # index of the paragraph
    first: bool         # the unit opens its paragraph
    heading: object     # the outline heading this unit is, or None
    exclaim: bool       # its sentence closes with ！
    colon: bool         # it ends at a colon


class TaskExtractor:
    def __init__(self, rules: Rules, nlp, units: TextUnits):
        self.tokenizer = nlp.tokenizer
        self.units = units
        self.verbs = frozenset(rules.words("task_action_verbs"))
        self.modifiers = frozenset(rules.words("task_modifiers"))
        self.non_action = frozenset(rules.words("task_non_action_verbs"))
        self.targets = frozenset(rules.words("task_target_verbs"))
        self.verbs_en = frozenset(w.lower() for w in rules.words("task_verbs_en"))
        fill = {"verb": _alternation(self.verbs), "adverb": _alternation(self.modifiers)}

        self.strong: list[regex.Pattern] = []
        self.medium: list[regex.Pattern] = []
        for row in rules.table("task_markers", ("pattern", "strength"), required=("pattern", "strength")):
            if row["strength"] not in ("strong", "medium"):
                raise RuleError("task_markers.tsv", None, f"strength must be strong or medium, not {row['strength']!r}")
            pattern = _compile(_fill(row["pattern"], fill), "task_markers")
            (self.strong if row["strength"] == "strong" else self.medium).append(pattern)
        self.past = [_compile(r["pattern"], "task_past") for r in rules.table("task_past", ("pattern",))]
        self.exclusions = [_compile(r["pattern"], "task_exclusions")
                           for r in rules.table("task_exclusions", ("pattern", "kind"))]
        # one search per question instead of one per pattern: the lists are asked per clause
        self.past_any = _union(self.past)
        self.strong_any = _union(self.strong)
        self.marker_any = _union(self.strong + self.medium)
        openers: dict[str, list[regex.Pattern]] = {"heading": [], "paragraph": [], "list": [], "stop": []}
        for row in rules.table("task_openers", ("pattern", "scope"), required=("pattern", "scope")):
            if row["scope"] not in openers:
                raise RuleError("task_openers.tsv", None,
                                f"scope must be one of {', '.join(openers)}, not {row['scope']!r}")
            openers[row["scope"]].append(_compile(_fill(row["pattern"], fill), "task_openers"))
        self.heading_openers = openers["heading"]
        self.paragraph_openers = openers["paragraph"]
        self.list_openers = openers["list"]
        self.list_stops = openers["stop"]
        self.list_opener_any = _union(self.list_openers)
        skip = rules.words("task_time_skip")
        self.time_skip = regex.compile(_alternation(skip)) if skip else None
        self.verb_prefix = regex.compile(r"(?:" + fill["verb"] + r")")
        self.modifier_prefix = regex.compile(
            r"(?:" + fill["adverb"] + r"|" + _TIME_PREFIX + r"|[ \t，,、])")
        self.preposition_prefix = regex.compile(r"(?:" + _alternation(_PREPOSITIONS) + r")")
        target_words = sorted(self.targets, key=len, reverse=True)
        self.target = regex.compile(
            r"(?:" + "|".join(map(regex.escape, target_words)) + r")" if target_words else r"(?!)")

    # ------------------------------------------------------------------ public

    def extract(self, analysis: Analysis) -> list[Task]:
        """The planned tasks of one document, in reading order."""
        text, sentences, outline, times = analysis.text, analysis.sentences, analysis.outline, analysis.times
        headings = sorted(outline.headings, key=lambda h: h.start)
        paras = analysis.paragraphs
        units = self._units(text, sentences, headings, paras)
        forward = self._forward_sections(text, headings, outline)
        extra = _merge(self._opened_regions(text, units, headings, paras, outline) + forward)
        extra_starts = [s for s, _ in extra]
        time_spans = sorted(times, key=lambda t: t.start)
        time_starts = [t.start for t in time_spans]
        heading_starts = [h.start for h in headings]
        plan_time = self._plan_times(text, headings, outline, time_spans, time_starts, forward)

        tasks: list[Task] = []
        lead: _Unit | None = None         # a short sentence that heads what follows: a run-in subhead
        for n, unit in enumerate(units):
            if unit.first:
                lead = unit if self._is_lead(text, unit) else None
            elif unit.heading is None and self._is_lead(text, unit) and n + 1 < len(units) \
                    and units[n + 1].para == unit.para and _CLAUSE_MARK.search(text, units[n + 1].start, units[n + 1].end):
                lead = unit                       # a run-in subhead inside the paragraph
            kind = outline.section_at(unit.start).kind
            i = bisect.bisect_right(extra_starts, unit.start) - 1
            in_plan = kind == "plan" or (i >= 0 and extra[i][0] <= unit.start < extra[i][1])
            span = self._task_span(text, unit, in_plan, kind)
            if span is None:
                continue
            start, end = span
            name = self._name(text, unit, start, end, headings, heading_starts, outline, lead,
                              paras[unit.para].start)
            time = self._time(text, start, end, unit, time_spans, time_starts, headings, heading_starts, plan_time)
            tasks.append(Task(start, end, name, time))
        return tasks

    # ------------------------------------------------------------------ units

    def _units(self, text: str, sentences: Sequence[Span], headings, paras: list[Span]) -> list[_Unit]:
        """Sentences cut at ；(and at a colon before a list), trimmed of numbering and closing marks."""
        para_starts = [p.start for p in paras]
        out: list[_Unit] = []
        seen_para = -1
        for sent in sentences:
            exclaim = bool(_EXCLAIM.search(text, sent.start, sent.end))
            p = max(bisect.bisect_right(para_starts, sent.start) - 1, 0)
            for s, e in _split(text, sent.start, sent.end):
                raw_end = e
                m = _LIST_MARK.match(text, s, e)
                if m:
                    s = m.end()
                m = _LEADING.match(text, s, e)
                if m:
                    s = m.end()
                m = _TRAILING.search(text, s, e)
                colon = bool(_COLON_END.search(text, s, raw_end))
                if m:
                    e = m.start()
                if e <= s:
                    continue
                heading = _heading_at(headings, s, e)
                out.append(_Unit(s, e, p, p != seen_para, heading, exclaim, colon))
                seen_para = p
        return out

    def _opened_regions(self, text, units: list[_Unit], headings, paras, outline) -> list[tuple[int, int]]:
        """Plan parts that no heading announces: after "下一步，…" and after "…安排如下：" lines."""
        regions: list[tuple[int, int]] = []
        heading_starts = [h.start for h in headings]
        for unit in units:
            body = text[unit.start:unit.end]
            para = paras[unit.para]
            if unit.heading is not None:
                if unit.colon and (outline.section_at(unit.start).kind == "plan"
                                   or self.list_opener_any.search(body + "：")):
                    regions.append((unit.start, self._list_end(text, unit, para, paras, headings, heading_starts,
                                                               outline)))
                elif any(p.search(body) for p in self.heading_openers):
                    sec = outline.section_at(unit.start)
                    regions.append((unit.start, max(sec.end, unit.end)))
                continue
            if unit.first and any(p.search(body) for p in self.paragraph_openers):
                regions.append((unit.start, para.end))
            if unit.colon and self.list_opener_any.search(body + "："):
                regions.append((unit.start, self._list_end(text, unit, para, paras, headings, heading_starts,
                                                           outline)))
        return regions

    def _forward_sections(self, text: str, headings, outline) -> list[tuple[int, int]]:
        """Top sections of no stated kind that come after a review and whose subheads are mostly
        actions ("推进教育科技人才一体发展。"): the part of a report that sets out the work ahead."""
        out: list[tuple[int, int]] = []
        seen_review = False
        for k, h in enumerate(headings):
            if h.level == 0:
                seen_review = False
                continue
            if h.level != 1:
                continue
            sec = outline.section_at(h.start)
            if sec.kind == "review":
                seen_review = True
                continue
            if sec.kind != "other" or not seen_review:
                continue
            subs = [g for g in headings[k + 1:] if g.start < sec.end and g.level > 1]
            actions = sum(1 for g in subs if self._head(_clean_title(text[g.start:g.end])) is not None)
            if actions >= _FORWARD_MIN_ACTIONS and actions * 2 >= len(subs):
                out.append((sec.start, sec.end))
        return out

    def _list_end(self, text, unit, para, paras, headings, heading_starts, outline) -> int:
        """Where the list announced by a colon sentence ends."""
        if text[unit.end:para.end].strip(" \t：:"):
            return para.end                       # the list follows on the same line
        return self._cut_at_summary(text, paras, unit.para + 1,
                                    self._list_extent(text, unit, para, paras, headings, heading_starts, outline))

    def _cut_at_summary(self, text: str, paras, first: int, end: int) -> int:
        """A paragraph that sums up ("总之，…") closes the list before it."""
        for p in paras[first:]:
            if p.start >= end:
                break
            if any(s.search(text[p.start:p.end]) for s in self.list_stops):
                return p.start
        return end

    def _list_extent(self, text, unit, para, paras, headings, heading_starts, outline) -> int:
        """A list of headings after the colon sentence runs while its numbering goes on; plain
        paragraphs after it run to the end of the section."""
        k = bisect.bisect_left(heading_starts, para.end)
        nxt = paras[unit.para + 1] if unit.para + 1 < len(paras) else None
        if nxt is None:
            return para.end
        if k >= len(headings) or headings[k].start != nxt.start:
            sec = outline.section_at(unit.start)   # plain paragraphs follow: up to the section's end
            return max(sec.end, para.end)
        first = headings[k]
        level = first.level
        for h in headings[k + 1:]:
            if h.level < level or h.level == 0:
                return h.start
            if h.level == level and (_ordinal(text, h.start) == 1 or _COLON_END.search(text, h.start, h.end)):
                return h.start                    # the numbering starts again, or a new lead: a new list
        return len(text)

    # ------------------------------------------------------------------ deciding

    def _task_span(self, text: str, unit: _Unit, in_plan: bool, kind: str) -> tuple[int, int] | None:
        if unit.exclaim:
            return None
        span = self._decide(text, unit, in_plan, kind)
        if span is None:
            return None
        body = text[unit.start:unit.end]
        # exclusions (contacts, slogans, notes …) are checked last, of candidates only, one pattern
        # at a time: most are anchored or open with a literal, which regex finds fast alone but not
        # as branches of one union (measured: a third of the union's time)
        if unit.colon:
            body += "："
        return None if any(p.search(body) for p in self.exclusions) else span

    def _decide(self, text: str, unit: _Unit, in_plan: bool, kind: str) -> tuple[int, int] | None:
        body = text[unit.start:unit.end]
        if unit.heading is not None and not text[unit.end:unit.heading.end].strip() \
                and not _SENTENCE_CLOSE.match(text, unit.heading.end) and len(_clean_title(body)) < _LABEL_MAX:
            return None                           # a short heading without a full stop is a label: 指导思想
        if unit.colon and self.list_opener_any.search(body + "：") \
                and not self.marker_any.search(body):
            return None                           # "…计划如下：" announces tasks, it is none
        parts = self.units.clauses(text, Span(unit.start, unit.end))
        if not parts:
            return None
        if in_plan:
            # the task starts after the last clause that reports work done
            first = next((i + 1 for i in range(len(parts) - 1, -1, -1) if self._is_past(text, parts[i])), 0)
            if first >= len(parts):
                return None
            chosen = parts[first:]
            if not self._any_action(text, chosen, heading=unit.heading is not None):
                return None
            return (unit.start if first == 0 else chosen[0].start), unit.end
        markers = self.strong_any if kind in ("review", "problem") else self.marker_any
        at = next((i for i, c in enumerate(parts) if markers.search(text[c.start:c.end])), None)
        if at is None:
            return None
        later_past = next((i for i in range(at, len(parts)) if self._is_past(text, parts[i])), None)
        if later_past == at:
            return None
        chosen = parts[at:later_past] if later_past is not None else parts[at:]
        if not self._any_action(text, chosen):
            return None
        start = unit.start if at <= 1 and not any(self._is_past(text, c) for c in parts[:at]) else parts[at].start
        end = chosen[-1].end if later_past is not None else unit.end
        return start, end

    def _is_past(self, text: str, clause: Span) -> bool:
        return bool(self.past_any.search(text, clause.start, clause.end))

    def _any_action(self, text: str, parts: Sequence[Span], heading: bool = False) -> bool:
        """Does any clause commit to an action (or, outside headings, state a quantified target)?"""
        for c in parts:
            body = text[c.start:c.end]
            if not _HAN.search(body):
                if _LATIN_WORD.search(body) and self._english_action(body):
                    return True
                continue
            if self._head(body) is not None:
                return True
            if heading:
                continue
            if _QUALIFIED_FIGURE.search(body) or self._target_head(body):
                return True
        return False

    def _head(self, body: str, use_marker: bool = True) -> int | None:
        """Offset in ``body`` of the action verb that heads the clause, or None.

        The head comes after an enumeration ("一是"), a future marker and whatever stands before it
        (a time, a subject: "2023年，我们将…"), and modifiers ("常态化", "全年", "进一步").
        """
        m = _ENUMERATION.match(body)
        lead = m.end() if m else 0
        marker = None
        for p in (self.strong + self.medium) if use_marker and self.marker_any.search(body, lead) else ():
            mm = p.search(body, lead)
            if mm and mm.end() > mm.start() and (marker is None or mm.start() < marker.start()):
                marker = mm
        if marker is not None:
            lead = marker.end()
        pos = lead
        last_modifier: tuple[int, str] | None = None
        while pos < len(body):
            v = self.verb_prefix.match(body, pos)
            if v:
                return None if self._not_predicate(body, v.end()) else pos
            mm = self.modifier_prefix.match(body, pos)
            if not mm:
                break
            if mm.group().strip(" \t，,、"):
                last_modifier = (pos, mm.group())
            pos = mm.end()
        if pos >= len(body):
            return last_modifier[0] if last_modifier and last_modifier[1] in self.verbs else None
        if self.preposition_prefix.match(body, pos):
            rest = body[pos:]
            if self.verb_prefix.search(rest) or any(
                    f.startswith("v") and f != "vn" and w not in self.non_action
                    for w, f in self.tokenizer.words(rest[:_PREPOSITION_WINDOW])):
                return None if _COPULA.search(body, pos) else pos
            return None
        at = pos
        words = self.tokenizer.words(body[pos:pos + _HEAD_WINDOW])  # the head is among the first words
        for i, (w, f) in enumerate(words):
            if w.isspace() or (f in _SKIP_TAGS and w not in _PREPOSITIONS):
                at += len(w)
                continue
            if w in self.non_action:
                return None
            # a verb by its tag alone must take an object ("奋斗创造未来", not "使命重在担当")
            if w in self.verbs or (f.startswith("v") and f != "vn" and i + 1 < len(words)
                                   and words[i + 1][1] not in _NO_OBJECT_TAGS):
                return None if self._not_predicate(body, at + len(w)) else at
            break
        if last_modifier is not None and last_modifier[1] in self.verbs and last_modifier[0] + len(last_modifier[1]) == pos:
            return last_modifier[0]
        return None

    def _not_predicate(self, body: str, verb_end: int) -> bool:
        """After a head verb: a copula later on, 的 right after it, or a single nominal suffix
        ("开发组网站", "服务站") show the verb is part of a noun phrase, not the predicate."""
        if _COPULA.search(body, verb_end) or body.startswith(("的", "是"), verb_end):
            return True
        if verb_end < len(body) and body[verb_end] in _NOMINAL_SUFFIXES:
            words = self.tokenizer.words(body[verb_end:verb_end + 4])
            return bool(words) and len(words[0][0]) == 1
        return False

    def _target_head(self, body: str) -> bool:
        """A subject followed by a target verb: "安全生产实现“零事故”", "隐患整改率保持100%"."""
        # any target verb after a subject ("力争新能源产值突破1000亿元": 力争 opens, 突破 heads)
        return any(m.start() >= 2 and "的" not in body[:m.start()][-2:] and "是" not in body[:m.start()]
                   and _TARGET_OBJECT.match(body, m.end()) for m in self.target.finditer(body))

    def _english_action(self, body: str) -> bool:
        words = [w.lower() for w in _LATIN_WORD.findall(body)]
        if not words:
            return False
        if self.marker_any.search(body):
            return True
        i = 0
        while i < len(words) - 1 and words[i] in _EN_LEAD:
            i += 1
        return words[i] in self.verbs_en

    # ------------------------------------------------------------------ name and time

    def _is_lead(self, text: str, unit: _Unit) -> bool:
        """A paragraph's first sentence that is short, of one clause and an action: a run-in subhead."""
        body = text[unit.start:unit.end]
        return (len(body) <= _LEAD_MAX and not _CLAUSE_MARK.search(body) and text.startswith("。", unit.end)
                and self._head(body) is not None)

    def _name(self, text, unit: _Unit, start: int, end: int, headings, heading_starts, outline,
              lead: _Unit | None, para_start: int) -> str:
        """The subhead the task is or elaborates: its own heading, a run-in subhead earlier in its
        paragraph, the short sentence that opens the paragraph, a short subhead of its section; else
        the leading verb-object phrase."""
        if unit.heading is not None:
            title = _clean_title(text[unit.start:unit.end])
            return title if len(title) <= _HEADING_NAME_MAX else self._verb_object(text[start:end])
        k = bisect.bisect_right(heading_starts, unit.start) - 1
        subhead = None
        if k >= 0:
            h = headings[k]
            title = _clean_title(text[h.start:h.end])
            if (h.end <= unit.start and h.level >= 2 and outline.section_at(unit.start).start <= h.start
                    and len(title) <= _HEADING_NAME_MAX
                    and (getattr(h, "runin", False) or h.level >= 3 or self._head(title) is not None)):
                subhead = (h, title)
        if subhead is not None and subhead[0].start >= para_start:
            return subhead[1]
        if lead is not None:
            return text[lead.start:lead.end]
        if subhead is not None:
            return subhead[1]
        return self._verb_object(text[start:end])

    def _verb_object(self, body: str) -> str:
        """The leading verb-object phrase: from the head verb, a few words, not past a comma."""
        if not _HAN.search(body):
            words = body.split()
            while len(words) > 1 and words[0].lower() in _EN_LEAD:
                words = words[1:]
            return _TRAILING.sub("", " ".join(words[:6]))
        parts = self.units.clauses(body, Span(0, len(body)))
        for use_marker in (False, True):
            for c in parts:
                piece = body[c.start:c.end]
                at = self._head(piece, use_marker=use_marker)
                if at is not None:
                    head = piece[at:at + _NAME_MAX + 8]
                    return _phrase(head, [w for w, _ in self.tokenizer.words(head)])
        piece = body[parts[0].start:parts[0].end] if parts else body
        return piece[:_NAME_MAX].strip()

    def _plan_times(self, text, headings, outline, time_spans, time_starts, forward) -> dict[int, str]:
        """For each heading of a plan section, the time written in it ("2024年工作计划" -> 2024年)."""
        out: dict[int, str] = {}
        for k, h in enumerate(headings):
            if outline.section_at(h.start).kind != "plan" and not any(s <= h.start < e for s, e in forward):
                continue
            j = bisect.bisect_left(time_starts, h.start)
            while j < len(time_spans) and time_spans[j].end <= h.end:
                if self._usable_time(text, time_spans[j], h.start):
                    out[k] = time_spans[j].text
                    break
                j += 1
        return out

    def _usable_time(self, text: str, t, start: int) -> bool:
        """A time a task can be tied to: not past or present, not inside a quoted name, not a
        duration, and a day only as a deadline ("3月31日前", not "落实10月27日会议精神")."""
        if t.kind == "duration" or (self.time_skip is not None and self.time_skip.search(t.text)):
            return False
        if _inside_quotes(text, start, t.end, t.start):
            return False
        if t.kind == "date" and not _DEADLINE.search(t.text):
            return False
        return True

    def _time(self, text, start, end, unit, time_spans, time_starts, headings, heading_starts, plan_time) -> str:
        j = bisect.bisect_left(time_starts, start)
        while j < len(time_spans) and time_spans[j].start < end:
            if time_spans[j].end <= end and self._usable_time(text, time_spans[j], start):
                return time_spans[j].text
            j += 1
        k = bisect.bisect_right(heading_starts, unit.start) - 1
        level = None
        while k >= 0:
            h = headings[k]
            if level is None or h.level < level:
                if k in plan_time:
                    return plan_time[k]
                level = h.level
                if level == 0:
                    break
            k -= 1
        return ""


# ---------------------------------------------------------------------- helpers

def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(regions):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _fill(pattern: str, fill: dict[str, str]) -> str:
    for key, value in fill.items():
        pattern = pattern.replace("{" + key + "}", value)
    return pattern


def _compile(pattern: str, name: str) -> regex.Pattern:
    try:
        return regex.compile(pattern)
    except regex.error as e:
        raise RuleError(f"{name}.tsv", None, f"bad pattern {pattern[:60]!r}: {e}") from None


def _union(patterns: list[regex.Pattern]) -> regex.Pattern:
    """One pattern that matches where any of ``patterns`` does."""
    if not patterns:
        return regex.compile(r"(?!)")
    parts = []
    for p in patterns:
        flags = regex.match(r"\(\?([a-z]+)\)", p.pattern)   # a leading "(?i)" applies to that pattern only
        parts.append(f"(?{flags.group(1)}:{p.pattern[flags.end():]})" if flags else f"(?:{p.pattern})")
    return regex.compile("|".join(parts))


def _inside_quotes(text: str, start: int, end: int, pos: int) -> bool:
    """Is ``pos`` inside a quotation or title mark opened within [start, pos)?"""
    depth = 0
    for ch in text[start:pos]:
        if ch in "“《「『":
            depth += 1
        elif ch in "”》」』":
            depth = max(depth - 1, 0)
    return depth > 0


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut [start, end) at ；/; outside brackets and quotes, and at a colon that opens an enumeration."""
    out = []
    depth = 0
    piece = start
    for m in _SPLIT_EVENT.finditer(text, start, end):   # only the characters that matter
        ch = m.group()
        i = m.start()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch in _CELL_SPLIT or (depth == 0 and (ch in _UNIT_SPLIT or _ENUMERATION.match(text, i + 1, end))):
            depth = 0 if ch in _CELL_SPLIT else depth
            out.append((piece, i + 1))
            piece = i + 1
    if piece < end:
        out.append((piece, end))
    return out


def _heading_at(headings, start: int, end: int):
    """The heading the unit [start, end) is (it lies inside the heading's span), or None."""
    lo, hi = 0, len(headings)
    while lo < hi:
        mid = (lo + hi) // 2
        if headings[mid].start <= start:
            lo = mid + 1
        else:
            hi = mid
    k = lo - 1
    if k >= 0 and headings[k].start <= start and end <= headings[k].end:
        return headings[k]
    return None


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _ordinal(text: str, pos: int) -> int | None:
    m = _ORDINAL.match(text, pos)
    if not m:
        return None
    g = m.group(1)
    if g.isdigit():
        return int(g)
    return _CN_DIGITS.get(g) if len(g) == 1 else None


def _phrase(body: str, words: list[str]) -> str:
    """Words from the start of ``body`` up to a few characters, whole words, quotes kept closed."""
    out = ""
    for w in words:
        if w in "，,、；;：:（(":
            break
        if len(out) + len(w) > _NAME_MAX and out:
            break
        out += w
        if len(out) >= _NAME_MIN and out.count("“") <= out.count("”"):
            break
    return out.strip()


def _clean_title(title: str) -> str:
    m = _LIST_MARK.match(title)
    if m:
        title = title[m.end():]
    return _TRAILING.sub("", title).strip()
