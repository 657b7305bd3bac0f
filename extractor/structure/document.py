"""What a document says about itself: its title, its kind and the year it was given.

Read once per document from its title (the outline's level-0 heading, else a short first line),
its first lines and its top headings. The kind comes from rules/document_kinds.tsv; the year, in
order of trust, from a date line under the title (——2024年3月5日在…会议上), the title (2023年度工作
总结), a top heading that names a year (一、2023年工作回顾 in a government report given in 2024),
and last the file's name.
"""
from __future__ import annotations

import regex

from ..model import DocKind, DocumentInfo, Outline, SectionKind
from ..rules import Rules, one_of

_HEAD = 600          # the first lines: where a date line, a salutation or a name field stands
_TITLE_LINE_MAX = 40  # a first line this short may be the title when the outline found none
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_SPAN = regex.compile(r"(?<!\d)((?:19|20)\d{2})[ \t]*年?[ \t]*(?:—+|-|–|~|至|到)[ \t]*((?:19|20)\d{2})(?!\d)")
# reports that look back on the year before the one they are given in
LOOKS_BACK = frozenset({DocKind.GOVERNMENT_REPORT, DocKind.CONGRESS_REPORT})


class DocumentReader:
    """Reads a document's title, kind and year; built once from the rules."""

    def __init__(self, rules: Rules):
        self.kinds = rules.table("document_kinds", ("kind", "where", "pattern"),
                                 convert={"kind": one_of(DocKind), "where": one_of(("title", "head")),
                                          "pattern": rules.pattern()},
                                 required=("kind", "where", "pattern"))
        self.dateline = rules.compile("{Dateline}")

    def read(self, text: str, outline: Outline, name: str = "") -> DocumentInfo:
        title = self.title(text, outline)
        head = text[:_HEAD]
        kind = DocKind.OTHER
        for row in self.kinds:
            if row["pattern"].search(title if row["where"] == "title" else head):
                kind = DocKind(row["kind"])
                break
        year, source = self._year(head, title, outline, kind, name)
        return DocumentInfo(title, kind, year, source)

    @staticmethod
    def title(text: str, outline: Outline) -> str:
        titles = [h for h in outline.headings if h.level == 0]
        if titles:
            return titles[0].name
        first = next((line.strip() for line in text.split("\n") if line.strip()), "")
        return first if len(first) <= _TITLE_LINE_MAX else ""

    def _year(self, head: str, title: str, outline: Outline, kind: DocKind, name: str) -> tuple[int | None, str]:
        m = self.dateline.search(head)
        if m:
            return int(m.group("year")), "dateline"
        span = _YEAR_SPAN.search(title)
        if span:
            return int(span.group(2)), "title"   # a summary of 2014—2016 is given at the end of 2016
        found = _YEAR.search(title)
        if found:
            return int(found.group(1)), "title"   # 2023年工作总结及2024年工作计划 is about 2023
        for h, section in zip(outline.headings, outline.sections):
            if h.level != 1 or section.kind not in (SectionKind.REVIEW, SectionKind.PLAN):
                continue
            found = _YEAR.search(h.name)
            if found:
                return _given_year(int(found.group(1)), section.kind, kind), "heading"
        found = _YEAR.findall(name)
        return (int(found[-1]), "name") if found else (None, "")


def _given_year(named: int, section: SectionKind, kind: DocKind) -> int:
    """The year a document was given, from the year a top heading names: a government report
    given in 2024 reviews 2023 and plans 2024; a summary of 2023 plans 2024."""
    if section == SectionKind.REVIEW:
        return named + 1 if kind in LOOKS_BACK else named
    return named if kind in LOOKS_BACK or kind == DocKind.PLAN else named - 1
