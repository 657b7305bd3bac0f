"""The extractor as a spaCy pipeline component: ``nlp.add_pipe("report_facts")``.

A user's own pipeline (``spacy.blank("zh")``, a trained Chinese pipeline, any tokenizer) gets the
facts of each document on its Doc::

    doc.spans["heading" | "indicator" | "task"]   one Span per fact, in reading order
    span._.fact_id, span._.name, span._.value …    the fact's columns (SPAN_ATTRIBUTES)
    doc._.outline                                  the headings: dicts of OUTLINE_FIELDS
    doc._.facts                                    the Fact rows, exactly as extract_text gives them
    doc._.report_name                              set it before the component runs: the rows' `doc`
                                                   column, and the last place a report's year is read

The component reads ``doc.text`` with the extractor's own pipeline (``get_pipeline(rules)``: its own
jieba segmenter inside its own ``spacy.blank("zh")``), so the facts do not depend on the user's
tokenizer; only the spans are cut to the user's tokens.

The factory is registered with ``@Language.factory`` when this module is imported, and advertised
through the ``spacy_factories`` entry point (pyproject.toml), so spaCy imports this module itself the
first time a pipeline asks for ``report_facts``. spaCy loads every such entry point whenever any
``Language`` is created, so importing this module must stay cheap and free of global effects: the
extensions are registered, and the pipeline built, only when a component is made.
"""
# No `from __future__ import annotations` here: spaCy builds the config schema of a factory from
# its signature, and needs the annotations as types, not strings.
import bisect
from collections.abc import Callable
from typing import List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from .cache import compile_standard
from .model import FACT_TYPES, Fact, FactType, SectionKind

FACTORY = "report_facts"

# Span extensions: each a column of the fact's row (fact_id is its `id`).
SPAN_ATTRIBUTES = ("fact_id", "name", "key", "value", "value_max", "unit", "qualifier", "direction",
                   "time", "period", "parent", "section", "section_kind", "level")
OUTLINE_FIELDS = ("id", "level", "name", "section", "section_kind", "start", "end")

# Where a Doc keeps its facts: plain dicts by fact id, in reading order, in doc.user_data, so that
# Doc.to_bytes / DocBin / nlp.pipe(n_process=…) carry them (a Fact object would not serialise).
_ROWS_KEY = ("report_facts", "rows")
_OUTLINE_KEY = ("report_facts", "outline")
_OURS = "_report_facts"  # marks the getters this module registered (a re-import makes new ones)
_CRLF = compile_standard("\r\n")


class ReportFacts:
    """The pipeline component: facts of ``doc.text`` as span groups, extensions and an outline.

    Offsets: the extractor reads ``doc.text`` with universal newlines (``\\r\\n`` and ``\\r`` become
    ``\\n``), as the CLI and ``extract_text`` do, so a fact's ``start``/``end`` (and ``doc._.facts``)
    are offsets into that text; they are mapped back onto ``doc.text`` (each ``\\r\\n`` before an
    offset counts one character more) and then onto the Doc's tokens with
    ``doc.char_span(start, end, alignment_mode="expand")``: the span is the tokens that overlap the
    fact's characters, so with a tokenizer that cuts differently it may begin before or end after
    them, but it always covers them. It is never empty: a fact whose characters no token holds
    (only possible if they were all whitespace) gets the nearest token. ``doc._.outline`` gives the
    headings' ``start``/``end`` in ``doc.text``, like the spans.

    Span attributes are looked up by the span's ``id_`` (the fact id, unique in a document), not
    stored per span: spaCy keys a span's stored extension values by its characters alone, and a
    target inside a planned task is often the same characters as the task, so stored values would
    overwrite each other. A span not made by this component reads None.
    """

    def __init__(self, nlp: Language, name: str, rules: List[str]):
        from .pipeline import get_pipeline

        self.name = name
        self.rules = [str(r) for r in rules]
        get_pipeline(self.rules)  # build (or reuse) it now: a bad rule file fails at add_pipe
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        from .pipeline import extract_text

        facts = extract_text(doc.text, doc._.report_name or "", self.rules)
        to_doc = doc_offsets(doc.text)
        groups: dict[str, list[Span]] = {t: [] for t in FACT_TYPES}
        rows: dict[str, dict] = {}
        outline = []
        for fact in facts:
            start, end = to_doc(fact.start), to_doc(fact.end)
            groups[str(fact.type)].append(covering_span(doc, start, end, str(fact.type), fact.id))
            rows[fact.id] = _plain_row(fact)
            if fact.type == FactType.HEADING:
                outline.append({**{k: rows[fact.id][k] for k in OUTLINE_FIELDS}, "start": start, "end": end})
        for fact_type, spans in groups.items():
            doc.spans[fact_type] = spans
        doc.user_data[_ROWS_KEY] = rows
        doc.user_data[_OUTLINE_KEY] = outline
        return doc


@Language.factory(FACTORY, default_config={"rules": []})
def make_report_facts(nlp: Language, name: str, rules: List[str]) -> ReportFacts:
    """``nlp.add_pipe("report_facts", config={"rules": ["my-rules"]})``: ``rules`` are folders of
    rule files that extend the bundled ones, as ``extract --rules``."""
    return ReportFacts(nlp, name, rules)


# ---- offsets ----------------------------------------------------------------------------------------

def doc_offsets(text: str) -> Callable[[int], int]:
    """The map from an offset in ``text`` with universal newlines to the same place in ``text``.

    Only ``\\r\\n`` changes length (a lone ``\\r`` becomes one ``\\n``); the k-th ``\\r\\n`` stands
    at ``m.start() - k`` once the k before it are one character each. An offset after that ``\\n``
    moves on by one for it, an offset at the ``\\n`` (a fact starting there) does not."""
    collapsed = [m.start() - k for k, m in enumerate(_CRLF.finditer(text))]
    if not collapsed:
        return lambda pos: pos
    return lambda pos: pos + bisect.bisect_left(collapsed, pos)


def covering_span(doc: Doc, start: int, end: int, label: str, span_id: str) -> Span:
    """The Doc's tokens that overlap characters [start, end), never none (see ReportFacts)."""
    span = doc.char_span(start, end, label=label, span_id=span_id, alignment_mode="expand")
    if span is not None and len(span) > 0:
        return span
    # no token overlaps: take the token after the characters, or the last one
    i = min(bisect.bisect_right([t.idx + len(t) for t in doc], start), len(doc) - 1)
    return Span(doc, i, i + 1, label=label, span_id=span_id)


# ---- the rows and the extensions --------------------------------------------------------------------

def _plain_row(fact: Fact) -> dict:
    """A fact as a dict of str, int, float and None: what user_data can serialise."""
    row = fact.as_dict()
    for col, value in row.items():
        if isinstance(value, str):
            row[col] = str(value)  # enums (FactType, SectionKind …) as their words
    return row


def _rows(doc: Doc) -> dict[str, dict]:
    return doc.user_data.get(_ROWS_KEY) or {}


def _facts(doc: Doc) -> Optional[List[Fact]]:
    """doc._.facts: the Fact rows, rebuilt from the plain rows; None before the component ran."""
    if _ROWS_KEY not in doc.user_data:
        return None
    return [Fact(**{**row, "type": FactType(row["type"]), "section_kind": SectionKind(row["section_kind"])})
            for row in _rows(doc).values()]


def _outline(doc: Doc) -> Optional[List[dict]]:
    """doc._.outline: a list of dicts, also after a DocBin (which reads lists back as tuples)."""
    outline = doc.user_data.get(_OUTLINE_KEY)
    return None if outline is None else [dict(heading) for heading in outline]


def _span_getter(column: str) -> Callable[[Span], object]:
    def get(span: Span):
        row = _rows(span.doc).get(span.id_)
        return row[column] if row is not None and row["type"] == span.label_ else None

    setattr(get, _OURS, True)
    return get


for _getter in (_facts, _outline):
    setattr(_getter, _OURS, True)


def register_extensions() -> None:
    """Register the Span and Doc extensions once per process. A name another library registered
    first is an error, not silently someone else's attribute."""
    wanted = [(Span, attr, {"getter": _span_getter("id" if attr == "fact_id" else attr)})
              for attr in SPAN_ATTRIBUTES]
    wanted += [(Doc, "facts", {"getter": _facts}),
               (Doc, "outline", {"getter": _outline}),
               (Doc, "report_name", {"default": None})]
    for cls, attr, kwargs in wanted:
        if cls.has_extension(attr):
            if not _is_ours(cls.get_extension(attr), kwargs):
                raise ValueError(f"{cls.__name__} extension '{attr}' is already registered by something "
                                 f"else; the {FACTORY} component needs it")
            continue
        cls.set_extension(attr, **kwargs)


def _is_ours(extension: tuple, kwargs: dict) -> bool:
    default, method, getter, setter = extension
    if "getter" in kwargs:
        return getattr(getter, _OURS, False)
    return default is None and method is None and getter is None and setter is None
