"""The HTML review view: a document with every fact highlighted, rendered by spaCy's displacy."""
from __future__ import annotations

import html
from collections.abc import Sequence

from ..model import Fact, plain_number

# Where facts overlap (an indicator inside a task, a heading opening a task) the narrower kind shows.
_PRIORITY = {"indicator": 0, "heading": 1, "task": 2}
_COLORS = {"indicator": "#ffd166", "heading": "#9ad0f5", "task": "#c3e6a8"}


def _label(f: Fact) -> str:
    if f.type == "indicator":
        value = plain_number(f.value)
        rng = f"–{plain_number(f.value_max)}" if f.value_max is not None else ""
        qual = "" if f.qualifier in ("exact", "range") else f" {f.qualifier}"
        return f"{f.id} {f.name}={value}{rng}{f.unit}{qual}"
    if f.type == "heading":
        return f"{f.id} L{f.level}"
    return f"{f.id} {f.name}"


def _segments(text: str, facts: Sequence[Fact]) -> list[tuple[int, int, Fact]]:
    """Non-overlapping runs of the text, each owned by the highest-priority fact covering it."""
    owner: list[Fact | None] = [None] * len(text)
    for f in sorted(facts, key=lambda f: _PRIORITY[f.type], reverse=True):
        for i in range(max(f.start, 0), min(f.end, len(text))):
            owner[i] = f
    runs: list[tuple[int, int, Fact]] = []
    i = 0
    while i < len(text):
        f = owner[i]
        j = i + 1
        while j < len(text) and owner[j] is f:
            j += 1
        if f is not None:
            runs.append((i, j, f))
        i = j
    return runs


def render_document(doc: str, text: str, facts: Sequence[Fact]) -> str:
    from spacy import displacy

    runs = _segments(text, facts)
    ents = [{"start": s, "end": e, "label": _label(f)} for s, e, f in runs]
    colors = {_label(f): _COLORS[f.type] for _, _, f in runs}
    counts = {t: sum(1 for f in facts if f.type == t) for t in _PRIORITY}
    body = displacy.render({"text": text, "ents": ents, "title": None}, style="ent", manual=True,
                           page=False, jupyter=False, options={"colors": colors})
    summary = ", ".join(f"{n} {t}s" for t, n in counts.items())
    return f'<section><h2>{html.escape(doc)}</h2><p>{summary}</p>\n{body}\n</section>\n'
