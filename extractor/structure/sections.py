"""From the headings found to the outline: which run-ins stay, the section tree, each section's path
and what it is for.

A heading's section runs to the next heading at its level or above. Its kind is what its own words
say (rules/section_kinds.tsv), else what the lead before its list said ("…计划如下："), else its
parent's; the text before the first heading is "other".
"""
from __future__ import annotations

from ..model import DocKind, Heading, Outline, Section, SectionKind
from .document import DocumentKinds, title_of
from .cues import Cues
from .state import BuildState, Found


def finish(text: str, st: BuildState, cues: Cues, kinds: DocumentKinds) -> Outline:
    """The outline of a document whose reading left ``st``: a plan document (工作计划, 工作要点 …)
    is a plan throughout, but for the sections its headings say review or list problems."""
    kept = _kept(st)
    headings = tuple(Heading(f.start, f.end, f.level, f.name, f.scheme, f.runin) for f in kept)
    doc_kind = kinds.kind(title_of(text, headings, cues), text)
    root_kind = SectionKind.PLAN if doc_kind == DocKind.PLAN else SectionKind.OTHER
    return Outline(
        headings=headings,
        sections=tuple(_sections(text, headings, [f.kind_hint for f in kept], cues, root_kind)),
        root=Section(None, "", root_kind, 0, len(text)),
        numbers=tuple(f.number for f in kept),
        restarts=frozenset(k for k, f in enumerate(kept) if f.restart),
        document_kind=doc_kind,
    )


def _kept(st: BuildState) -> list[Found]:
    """The headings found, in reading order, with the run-ins that have siblings (of their own
    form: in one part, or in two joined by a comma) or are confirmed; a find inside an earlier
    heading is dropped."""
    groups: dict[tuple[tuple[str, int], bool], int] = {}
    for c in st.runins:
        groups[c.group, c.comma] = groups.get((c.group, c.comma), 0) + 1
    found = list(st.found)
    found += [c.found for c in st.runins if c.confirmed or groups[c.group, c.comma] >= 2]
    found.sort(key=lambda f: (f.start, -f.end))
    kept: list[Found] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


def _sections(text: str, headings: tuple[Heading, ...], hints: list[SectionKind | None],
              cues: Cues, root_kind: SectionKind) -> list[Section]:
    """The section each heading opens: its path, kind and extent."""
    kinds: list[SectionKind] = []
    paths: list[str] = []
    years = {y for h in headings if h.level == 1 and (y := cues.named_year(h.name)) is not None}
    reviewed = min(years) if len(years) > 1 else None   # the year looked back on, beside a year ahead
    open_: list[int] = []   # indices of open headings
    ends = [len(text)] * len(headings)
    for k, h in enumerate(headings):
        while open_ and headings[open_[-1]].level >= h.level:
            ends[open_.pop()] = h.start
        parent = open_[-1] if open_ else None
        plan = root_kind == SectionKind.PLAN
        if h.level == 0:
            kind = cues.section_kind(h.name, 0, plan) or root_kind
            path = ""
        else:
            inherited = kinds[parent] if parent is not None else root_kind
            own = cues.top_kind(h.name, plan, reviewed) if h.level == 1 else cues.section_kind(h.name, h.level, plan)
            kind = own or hints[k] or inherited
            base = paths[parent] if parent is not None else ""
            path = f"{base} > {h.name}" if base else h.name
        kinds.append(kind)
        paths.append(path)
        open_.append(k)
    return [Section(h, p, k, h.start, e) for h, p, k, e in zip(headings, paths, kinds, ends)]
