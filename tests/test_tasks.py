"""Planned tasks beyond the case table: rule data checked at build time, and well-formed task spans on
every sample report.

The cases (tests/data/tasks.jsonl: a document in, the tasks expected out, strings no task may touch,
and whether the expected tasks are all there is; read through the real layers below the tasks) run in
tests/test_layers.py.
"""
from __future__ import annotations

import pytest

from .conftest import CORPUS
from .layers import tasks_of


@pytest.mark.parametrize("name, content, error", [
    ("task_markers", "pattern\tstrength\n明年\tsometimes\n", r"task_markers\.tsv:2: column 'strength'"),
    ("task_openers", "pattern\tscope\n下一步\teverywhere\n", r"task_openers\.tsv:2: column 'scope'"),
    ("task_markers", "pattern\tstrength\n(?:{verbs})\tstrong\n", r"task_markers\.tsv:2: column 'pattern'"),
    ("task_words", "word\trole\n把\tverb\n", r"task_words\.tsv:2: column 'role'"),
    ("task_patterns", "name\tpattern\tmeaning\nfigures\t\\d+\t\n", r"task_patterns\.tsv:2: column 'name'"),
    ("task_patterns", "name\tpattern\tmeaning\ncopula\t是\t\n", r"task_patterns\.tsv:2: pattern copula is defined twice"),
    ("qualifiers", "text\tposition\tqualifier\tnot_after\tkinds\ttarget\n多\tinner\tover\t\t\tyes\n",
     r"qualifiers\.tsv:2: a target bound"),
])
def test_rule_data_is_checked(tmp_path, pipeline, name, content, error):
    """A cell the code does not know (a marker strength, an opener scope, a word role, a pattern
    name, an unknown reference) fails when the extractor is built, naming the file and line."""
    from extractor.match.tasks import TaskExtractor
    from extractor.rules import RuleError, load_rules

    (tmp_path / f"{name}.tsv").write_text(content, encoding="utf-8")
    with pytest.raises(RuleError, match=error):
        TaskExtractor(load_rules([tmp_path]), pipeline.tokenizer, pipeline.units)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_spans_on_sample_reports(pipeline, path):
    """Every task is a non-empty span without surrounding blanks or closing marks, in reading
    order, not overlapping the next, with a name."""
    text, tasks = tasks_of(pipeline, path.read_text(encoding="utf-8-sig"))
    assert tasks
    previous_end = 0
    for t in tasks:
        surface = text[t.start:t.end]
        assert surface and surface == surface.strip()
        assert surface[-1] not in "。；;，,：:", surface
        assert t.start >= previous_end
        assert t.name
        previous_end = t.end
