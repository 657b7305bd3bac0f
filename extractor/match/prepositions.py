"""The prepositions both matchers read (rules/prepositions.tsv), each with what it does where."""
from __future__ import annotations

from ..rules import Rules, one_of

USES = ("task", "name")


def prepositions_for(rules: Rules, use: str) -> list[str]:
    """The prepositions marked for ``use``: "task" (the head verb is looked for after the phrase)
    or "name" (the phrase is dropped from a figure's name)."""
    flag = one_of(("yes",))
    rows = rules.table("prepositions", ("word", *USES), convert={u: flag for u in USES})
    return [row["word"] for row in rows if row[use]]
