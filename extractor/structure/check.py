"""The outline sanity report: broken numbering in a document, one human-readable line each."""
from __future__ import annotations

import bisect
from collections.abc import Iterable

from ..model import Outline
from .numbering import Role, Scheme


def check(text: str, outline: Outline, schemes: Iterable[Scheme]) -> list[str]:
    """Broken numbering: a skipped or repeated number, a list that does not start at its first item.

    Numbering may restart after an unnumbered heading of the same level or after a lead paragraph
    ("…主要如下："), and may continue across sections ("6." under 二、 after "5." under 一、).
    ``text`` is the view the outline was read from; lines are counted in it.
    """
    # a continuation marker names the container scheme it continues: the container renders both
    by_name = {s.name: s for s in schemes if s.role != Role.CONTINUATION}
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    problems: list[str] = []
    last: dict[tuple[int, str], int] = {}
    seen: dict[str, int] = {}
    for k, (h, n) in enumerate(zip(outline.headings, outline.numbers)):
        for key in [key for key in last if key[0] > h.level or (n is None and key[0] == h.level)]:
            del last[key]
        scheme = by_name.get(h.scheme)
        if n is None or scheme is None or scheme.role != Role.CONTAINER:
            continue
        key = (h.level, h.scheme)
        where = f"line {bisect.bisect_left(newlines, h.start) + 1}: {text[h.start:h.end][:30]!r}"
        if key in last and not (n == 1 and k in outline.restarts):
            if n != last[key] + 1:
                problems.append(f"{where}: {scheme.render(n)} follows {scheme.render(last[key])} "
                                f"(expected {scheme.render(last[key] + 1)})")
        elif n != 1 and seen.get(h.scheme) != n - 1:
            problems.append(f"{where}: {scheme.render(n)} without {scheme.render(1)}")
        last[key] = n
        seen[h.scheme] = n
    return problems
