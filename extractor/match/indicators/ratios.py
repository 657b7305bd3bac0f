"""Ratios of parts: "高级、中级、初级职称人员结构比为18:35:47", "三次产业结构为3:40:57".

Each term of the ratio is a figure of its own part, named by the part: the items its subject lists
(the shared head distributed: 高级职称人员, 中级职称人员, 初级职称人员), else the parts
rules/ratio_parts.tsv gives the whole (三次产业 → 第一产业比重 …). A ratio whose parts are not known
gives no rows: a row per term named by the whole structure would say nothing.
"""
from __future__ import annotations

from ...rules import Rules
from .lexicon import Lexicon
from .naming import Namer
from .tokens import Tok, join

_RATIO_MARKS = frozenset(":：")


class Ratios:
    def __init__(self, rules: Rules, lex: Lexicon, namer: Namer):
        self.lex = lex
        self.namer = namer
        self.wholes = sorted(((r["whole"], r["parts"].split("|")) for r in rules.table("ratio_parts", ("whole", "parts"),
                                                                                      required=("whole", "parts"))),
                             key=lambda wp: -len(wp[0]))

    @staticmethod
    def chain(toks: list[Tok], i: int) -> list[int]:
        """The figures of a ratio that starts at ``toks[i]`` (each term right after a colon), or []."""
        terms, j = [i], i + 1
        while j + 1 < len(toks) and toks[j].text in _RATIO_MARKS and toks[j + 1].qty is not None:
            terms.append(j + 1)
            j += 2
        return terms if len(terms) >= 2 else []

    def names(self, left: list[Tok], n: int) -> list[str]:
        """Names for the ``n`` terms of a ratio whose subject is ``left``; [] when its parts are not known."""
        w = self.lex.w
        cut = max((k for k, t in enumerate(left) if t.text in w.ratio_head), default=None)
        while cut is not None and cut > 0 and left[cut - 1].text in w.ratio_head:
            cut -= 1     # 结构 + 比: the head may be cut in two words
        subject = [t for t in (left[:cut] if cut is not None else left) if not t.time and not t.text.isspace()]
        subject = self.namer.strip_tail(self.namer.strip_head(subject))
        items: list[list[Tok]] = [[]]
        for t in subject:
            if self.lex.is_list_comma(t):
                items.append([])
            else:
                items[-1].append(t)
        items = [it for it in items if it]
        if len(items) == n:
            names = [join(it) for it in items]
            size = len(names[0])
            if all(len(x) == size for x in names[:-1]) and len(names[-1]) > size:
                tail = names[-1][size:]       # 高级、中级、初级职称人员: the head is shared
                return [x + tail for x in names[:-1]] + [names[-1]]
            return names
        text = join(subject)
        for whole, parts in self.wholes:
            if whole in text and len(parts) == n:
                return parts
        return []
