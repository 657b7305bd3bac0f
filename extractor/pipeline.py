"""The pipeline: the order in which a document is read, in one place.

    read (io) → view (structure/view) → paragraphs, sentences (structure/textunits)
    → outline with its sections (structure/outline) → times, quantities (match, resolve)
    → tasks → indicators (match) → rows

Built once per process by :func:`get_pipeline` (the jieba dictionary, the spaCy pipeline and the
compiled rules are the costly part; the dictionary comes from a cache, see
:mod:`extractor.segment`); :meth:`Pipeline.extract` is then pure and linear in the
document's length.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import cache
from .io.reader import Source, read_source, universal_newlines
from .model import Analysis, Fact
from .rows import each_fact
from .rules import Rules, load_rules


class Pipeline:
    def __init__(self, rules: Rules):
        from .across.columns import Columns
        from .match.indicators import IndicatorExtractor
        from .match.quantities import QuantityFinder
        from .match.tasks import TaskExtractor
        from .match.times import TimeFinder
        from .dictionary import load_dictionary
        from .segment import CueMatcher, JiebaTokenizer
        from .structure.document import DocumentReader
        from .structure.outline import OutlineBuilder
        from .structure.textunits import TextUnits
        from .structure.view import ViewBuilder

        self.rules = rules
        self._nlp = None
        self.tokenizer = JiebaTokenizer(load_dictionary(rules))
        self.cues = CueMatcher(rules, self.tokenizer, lambda: self.nlp)
        if any(name.startswith("spans_") and name != "spans_cues" for name in rules.names()):
            self.nlp  # span rules of a user's folder are checked by spaCy while the pipeline is built
        self.view = ViewBuilder(rules)
        self.units = TextUnits(rules)
        self.outline = OutlineBuilder(rules, self.units)
        self.documents = DocumentReader(rules)
        self.columns = Columns(rules)
        self.times = TimeFinder(rules)
        self.quantities = QuantityFinder(rules, self.tokenizer.words)
        self.tasks = TaskExtractor(rules, self.tokenizer, self.units)
        self.indicators = IndicatorExtractor(rules, self.tokenizer, self.cues)
        rules.compiled.save()   # the next process reads the compiled patterns instead of compiling them
        if rules.compiled.stored:
            cache.save_derived()

    @property
    def nlp(self):
        """The segmenter inside a blank spaCy Chinese pipeline with the span rules
        (:func:`segment.build_nlp`); made on first use, as extraction itself needs no spaCy."""
        if self._nlp is None:
            from .segment import build_nlp

            self._nlp = build_nlp(self.rules, self.tokenizer)
        return self._nlp

    def analyse(self, text: str, name: str = "") -> Analysis:
        """Read one decoded document: its view, text units, outline, what it says about itself,
        times and quantities. ``name`` (the file's) is the last place a document's year is read."""
        self.tokenizer.start_document()
        view = self.view.build(text)
        paragraphs = self.units.paragraphs(view.text)
        sentences = self.units.sentences(view.text, paragraphs)
        outline = self.outline.build(view.text, paragraphs, sentences)
        document = self.documents.read(view.text, outline, name)
        times = self.times.find(view.text)
        quantities = self.quantities.find(view.text, times)
        return Analysis(view, paragraphs, sentences, outline, document, times, quantities)

    def extract(self, text: str, doc: str = "") -> list[Fact]:
        """All facts of one decoded document, in reading order, ids assigned per type."""
        return self.facts(self.analyse(text, doc), doc)

    def facts(self, analysis: Analysis, doc: str = "") -> list[Fact]:
        return list(self.each_fact(analysis, doc))

    def each_fact(self, analysis: Analysis, doc: str = "") -> Iterator[Fact]:
        """The facts of :meth:`facts`, made one at a time as they are taken (for a writer that
        should never hold a long document's facts all at once). Tasks and indicators are found
        here, before the first fact; a failure while the facts are made is raised as they are taken."""
        tasks = self.tasks.extract(analysis)
        indicators = self.indicators.extract(analysis, tasks)
        return each_fact(doc, analysis, tasks, indicators, self.columns.of(analysis))

    def check(self, analysis: Analysis) -> list[str]:
        """The outline sanity report of a document: numbering gaps and strays, one line each."""
        from .structure.check import check

        return check(analysis.text, analysis.outline, self.outline.schemes)


@functools.lru_cache(maxsize=4)
def _pipeline_for(rule_dirs: tuple[str, ...]) -> Pipeline:
    return Pipeline(load_rules(rule_dirs))


def get_pipeline(rule_dirs: Iterable[str | Path] = ()) -> Pipeline:
    """The process's pipeline for these extra rule folders, built on first use."""
    return _pipeline_for(tuple(str(Path(d).resolve()) for d in rule_dirs))


def extract_text(text: str, doc: str = "", rule_dirs: Iterable[str | Path] = ()) -> list[Fact]:
    """Facts of one document given as text (newlines are made universal first)."""
    return get_pipeline(rule_dirs).extract(universal_newlines(text), doc)


def extract_path(path: str | Path, encoding: str | None = None,
                 rule_dirs: Iterable[str | Path] = ()) -> list[Fact]:
    """Facts of one report file (.txt, .md, .docx); raises reader.InputError on bad input."""
    path = Path(path)
    document = read_source(Source(path, path.name), encoding)
    return get_pipeline(rule_dirs).extract(document.text, document.name)
