"""The pipeline: read → normalise → structure → match → resolve → rows.

Built once per process by :func:`get_pipeline` (the jieba dictionary and spaCy pipeline are the
costly part); :meth:`Pipeline.extract` is then pure and linear in the document's length.
"""
from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable
from pathlib import Path

import regex

from .facts import Fact
from .normalize import TextView, normalize
from .reader import Source, read_source
from .rules import Rules, load_rules


_NEWLINE = regex.compile("\n")


class Pipeline:
    def __init__(self, rules: Rules):
        from .indicators import IndicatorExtractor
        from .nlp import build_nlp
        from .outline import OutlineBuilder
        from .quantities import QuantityFinder
        from .tasks import TaskExtractor
        from .timex import TimeFinder

        self.rules = rules
        self.nlp = build_nlp(rules)
        self.outline = OutlineBuilder(rules)
        self.times = TimeFinder(rules)
        self.quantities = QuantityFinder(rules)
        self.indicators = IndicatorExtractor(rules, self.nlp)
        self.tasks = TaskExtractor(rules, self.nlp)

    def extract(self, text: str, doc: str = "") -> list[Fact]:
        """All facts of one decoded document, in reading order, ids assigned per type."""
        from .textunits import sentences

        view = normalize(text)
        outline = self.outline.build(view.text)
        sents = sentences(view.text)
        times = self.times.find(view.text)
        quantities = self.quantities.find(view.text, times)
        tasks = self.tasks.extract(view.text, sents, outline, times)
        indicators = self.indicators.extract(view.text, sents, outline, quantities, times, tasks)
        return _assemble(doc, view, outline, sents, tasks, indicators)

    def check(self, text: str) -> list[str]:
        """The outline sanity report of a document: numbering gaps and strays, one line each."""
        return self.outline.build(normalize(text).text).check()


def _assemble(doc, view: TextView, outline, sents, tasks, indicators) -> list[Fact]:
    original = view.original
    newlines = [m.start() for m in _NEWLINE.finditer(original)]
    sent_starts = [s.start for s in sents]

    def locate(start: int, end: int) -> tuple[int, int, int]:
        s, e = view.to_original(start, end)
        return s, e, bisect.bisect_right(newlines, s - 1) + 1

    def sentence_of(start: int, end: int) -> str:
        i = bisect.bisect_right(sent_starts, start) - 1
        if i >= 0 and start < sents[i].end:   # bisect already puts sents[i].start <= start
            s, e = sents[i].start, max(sents[i].end, end)
        else:
            s, e = start, end
        os_, oe = view.to_original(s, e)
        return " ".join(original[os_:oe].split())

    def section(pos: int) -> tuple[str, str]:
        sec = outline.section_at(pos)
        return sec.path, sec.kind

    # every fact as (view start, type order, key) so ids follow reading order
    items: list[tuple[int, int, str, int, object]] = []
    items += [(h.start, 0, "heading", i, h) for i, h in enumerate(outline.headings)]
    items += [(t.start, 2, "task", i, t) for i, t in enumerate(tasks)]
    items += [(x.start, 1, "indicator", i, x) for i, x in enumerate(indicators)]
    items.sort(key=lambda it: (it[0], it[1], it[3]))
    prefix = {"heading": "h", "indicator": "i", "task": "t"}
    counters = dict.fromkeys(prefix, 0)
    ids: dict[tuple[str, int], str] = {}
    for _, _, kind, i, _ in items:
        counters[kind] += 1
        ids[(kind, i)] = f"{prefix[kind]}{counters[kind]}"

    facts: list[Fact] = []
    for _, _, kind, i, x in items:
        start, end, line = locate(x.start, x.end)
        text = original[start:end]
        if kind == "heading":
            # a heading's section is the one it opens; its kind is what it contributes
            path, sk = section(x.start)
            facts.append(Fact(doc, "heading", ids[(kind, i)], path, sk, x.level, x.name, None, None, "",
                              "", "", "", "", text, start, end, line, " ".join(text.split())))
        elif kind == "task":
            path, sk = section(x.start)
            facts.append(Fact(doc, "task", ids[(kind, i)], path, sk, None, x.name, None, None, "", "", "",
                              x.time, "", text, start, end, line, sentence_of(x.start, x.end)))
        else:
            path, sk = section(x.start)
            if x.parent is not None:
                parent = ids[("indicator", x.parent)]
            elif x.task is not None:
                parent = ids[("task", x.task)]
            else:
                parent = ""
            facts.append(Fact(doc, "indicator", ids[(kind, i)], path, sk, None, x.name, x.value, x.value_max,
                              x.unit, x.qualifier, x.direction, x.time, parent, text, start, end, line,
                              sentence_of(x.start, x.end)))
    return facts


@functools.lru_cache(maxsize=4)
def _pipeline_for(rule_dirs: tuple[str, ...]) -> Pipeline:
    return Pipeline(load_rules(rule_dirs))


def get_pipeline(rule_dirs: Iterable[str | Path] = ()) -> Pipeline:
    """The process's pipeline for these extra rule folders, built on first use."""
    return _pipeline_for(tuple(str(Path(d).resolve()) for d in rule_dirs))


def extract_text(text: str, doc: str = "", rule_dirs: Iterable[str | Path] = ()) -> list[Fact]:
    """Facts of one document given as text (newlines are made universal first)."""
    from .reader import universal_newlines

    return get_pipeline(rule_dirs).extract(universal_newlines(text), doc)


def extract_path(path: str | Path, encoding: str | None = None,
                 rule_dirs: Iterable[str | Path] = ()) -> list[Fact]:
    """Facts of one report file (.txt, .md, .docx); raises reader.InputError on bad input."""
    path = Path(path)
    document = read_source(Source(path, path.name), encoding)
    return get_pipeline(rule_dirs).extract(document.text, document.name)
