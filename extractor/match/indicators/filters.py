"""Figures that are no indicator for what the clause around them says, where the number layer
(:mod:`extractor.match.non_quantities`) cannot tell: it sees the characters next to a number, these
see the clause's tokens.

:func:`frames_next_figure`  a span of time that opens a clause and frames the figure after it:
                            "五年完成旧区改造283万平方米" -> 283万平方米, not 五年
"""
from __future__ import annotations

from collections.abc import Sequence

from ...model import Qualifier, Quantity, QuantityKind
from .tokens import Tok


def frames_next_figure(q: Quantity, before: Tok | None, right: Sequence[Tok]) -> bool:
    """A span of time (not a time limit: 三年内 is one) that opens its clause, with nothing but a time
    expression before it, and another figure later in the clause: the period the next figure is
    counted over."""
    if q.kind != QuantityKind.DURATION or q.qualifier == Qualifier.UNDER:
        return False
    if before is not None and not before.time:
        return False
    return any(t.qty is not None for t in right)
