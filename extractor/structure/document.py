"""What a document says about itself: its title, its kind and the year it was given.

The kind (rules/document_kinds.tsv) is read from the title (the outline's level-0 heading, else a
short first line) and the first lines, while the outline is built: a plan document's sections are
plan sections. The year is read after, in order of trust, from a date line under the title
(——2024年3月5日在…会议上), the title (2023年度工作总结), a top heading that names a year
(一、2023年工作回顾 in a government report given in 2024), and last the file's name.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..cache import compile_regex
from ..model import DocKind, DocumentInfo, Heading, Outline, SectionKind
from ..rules import Rules, one_of
from .cues import Cue, Cues
from .shapes import SPACE_IN_HAN

HEAD = 600            # the first lines: where a date line, a salutation or a name field stands
_TITLE_LINE_MAX = 40  # a first line this short may be the title when the outline found none
_YEAR = compile_regex(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_SPAN = compile_regex(r"(?<!\d)((?:19|20)\d{2})[ \t]*年?[ \t]*(?:—+|-|–|~|至|到)[ \t]*((?:19|20)\d{2})(?!\d)")
# reports given after the year they look back on
LOOKS_BACK = frozenset({DocKind.GOVERNMENT_REPORT, DocKind.CONGRESS_REPORT})


def title_of(text: str, headings: Sequence[Heading], cues: Cues) -> str:
    """The document's title: its first title lines (the level-0 headings at its top, subtitle
    included), else its first line when that is short and is not a salutation, a byline, a name
    or a date line ("市长  马  军", "…人民代表大会第二次会议上")."""
    lines: list[str] = []
    for h in headings:
        if h.level != 0:
            if lines:
                break
            continue
        lines.append(h.name)
    if lines:
        return SPACE_IN_HAN.sub("", " ".join(lines))
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if any(cues.has(c, first) for c in (Cue.SALUTATION, Cue.BYLINE, Cue.NAME, Cue.DATELINE)):
        return ""
    return first if len(first) <= _TITLE_LINE_MAX else ""


class DocumentKinds:
    """Reads what kind of document a text is; built once from rules/document_kinds.tsv."""

    def __init__(self, rules: Rules):
        self.rows = rules.table("document_kinds", ("kind", "where", "pattern"),
                                convert={"kind": one_of(DocKind), "where": one_of(("title", "head")),
                                         "pattern": rules.pattern()},
                                required=("kind", "where", "pattern"))

    def kind(self, title: str, text: str) -> DocKind:
        head = text[:HEAD]
        for row in self.rows:
            if row["pattern"].search(title if row["where"] == "title" else head):
                return DocKind(row["kind"])
        return DocKind.OTHER


class DocumentReader:
    """Reads a document's title and year; built once from the rules."""

    def __init__(self, rules: Rules):
        self.dateline = rules.compile("{Dateline}")
        self.cues = Cues(rules)
        self.issuer_dateline = rules.compile("{IssuerDateline}")
        self.title_tail = rules.compile("{TitleTail}")
        self.issuer_name = rules.compile("{IssuerName}")

    def read(self, text: str, outline: Outline, name: str = "") -> DocumentInfo:
        title = title_of(text, outline.headings, self.cues)
        head = text[:HEAD]
        year, source = self._year(head, title, outline, name)
        return DocumentInfo(title, self._issuer(head, title), outline.document_kind, year, source)

    def _issuer(self, head: str, title: str) -> str:
        """Who gives the document: the place of the congress in its date line (在青溪县第十八届…),
        else what its title names before its year and kind (柳河镇2024年工作计划 -> 柳河镇)."""
        m = self.issuer_dateline.search(head)
        if m:
            return m.group("issuer")
        if "全国人民代表大会" in head:
            return "全国"
        m = self.title_tail.search(title)
        issuer = (title[:m.start()] if m else title).strip(" \t·-—")
        return issuer if self.issuer_name.fullmatch(issuer) else ""

    def _year(self, head: str, title: str, outline: Outline, name: str) -> tuple[int | None, str]:
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
                return _given_year(int(found.group(1)), section.kind, outline.document_kind), "heading"
        found_all = _YEAR.findall(name)
        return (int(found_all[-1]), "name") if found_all else (None, "")


def _given_year(named: int, section: SectionKind, kind: DocKind) -> int:
    """The year a document was given, from the year a top heading names: a government report
    given in 2024 reviews 2023 and plans 2024; a summary of 2023 plans 2024."""
    if section == SectionKind.REVIEW:
        return named + 1 if kind in LOOKS_BACK else named
    return named if kind in LOOKS_BACK or kind == DocKind.PLAN else named - 1
