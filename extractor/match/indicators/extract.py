"""The indicator stage: the sentences that hold figures, the context carried from figure to figure
and from sentence to sentence, and targets pointing to the planned task they sit in."""
from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from operator import attrgetter

from ...model import UNNUMBERED_SCHEMES, Analysis, Indicator, Quantity, Span, Task, TimeSpan
from ...rules import Rules
from ...segment import CueMatcher, JiebaTokenizer
from .lexicon import Lexicon
from .naming import Namer
from .ratios import Ratios
from .reading import Context, SentenceReader
from .tokens import RegionTokenizer


class IndicatorExtractor:
    def __init__(self, rules: Rules, tokenizer: JiebaTokenizer, cues: CueMatcher):
        lex = Lexicon(rules)
        self.tokenizer = RegionTokenizer(tokenizer, cues, lex)
        namer = Namer(lex)
        self.reader = SentenceReader(lex, namer, Ratios(rules, lex, namer))

    def extract(self, analysis: Analysis, tasks: Sequence[Task] = ()) -> list[Indicator]:
        """The document's indicators in reading order; one inside a task points at it."""
        text = analysis.text
        # a figure where a numbered heading starts is its number ("7.1 个人期望…", "2. 年产…")
        numbering = {h.start for h in analysis.outline.headings if h.scheme not in UNNUMBERED_SCHEMES}
        quantities = [q for q in analysis.quantities if q.start not in numbering]
        task_starts = [t.start for t in tasks]
        ctx = Context()
        out: list[Indicator] = []

        def task_of(start: int, end: int) -> int | None:
            """The task the indicator at ``start``:``end`` lies in, if any (a target of planned work)."""
            k = bisect.bisect_right(task_starts, start) - 1
            return k if k >= 0 and end <= tasks[k].end else None

        for index, sentence, qs, ts in _sentences_with_figures(analysis.sentences, quantities, analysis.times):
            region = self.tokenizer.region(text, sentence, qs[0].start, qs[-1].end)
            ctx.default_time = next((t.text for t in reversed(ts) if t.end <= region.start), "")
            inside = [t for t in ts if t.end > region.start and t.start < region.end]
            toks = self.tokenizer.tokens(text, region, qs, inside, bare=True)
            if ctx.last_sentence != index - 1:
                ctx.last_name = ctx.share_subject = ""
            if found := self.reader.read(toks, len(out), ctx, task_of):
                out += found
                ctx.last_sentence = index
        return out


def _sentences_with_figures(sentences: Sequence[Span], quantities: Sequence[Quantity],
                            times: Sequence[TimeSpan]) -> Iterator[tuple[int, Span, list[Quantity], list[TimeSpan]]]:
    """Each sentence that holds figures, with its index, its figures and the times that overlap it
    (all three lists are in reading order, the sentences apart). The sentence of a figure is found
    by bisection: most sentences hold none, and are never visited."""
    q_i = t_i = 0
    index = 0
    while q_i < len(quantities):
        start = quantities[q_i].start
        # the last sentence that starts at or before the figure; a figure after its end lies between
        # sentences and belongs to none
        index = bisect.bisect_right(sentences, start, index, key=_start) - 1
        if index < 0 or start >= sentences[index].end:
            q_i += 1
            index = max(index, 0)
            continue
        sentence = sentences[index]
        qs = []
        while q_i < len(quantities) and quantities[q_i].start < sentence.end:
            qs.append(quantities[q_i])
            q_i += 1
        while t_i < len(times) and times[t_i].end <= sentence.start:
            t_i += 1
        ts = []
        j = t_i
        while j < len(times) and times[j].start < sentence.end:
            ts.append(times[j])
            j += 1
        yield index, sentence, qs, ts
        index += 1


_start = attrgetter("start")
