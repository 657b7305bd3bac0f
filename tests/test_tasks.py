"""Planned tasks, table-driven from tests/data/tasks.jsonl: a document in, its tasks out.

Each case gives the tasks expected (their text in the matching view, and where given their name
and time), strings that no task may touch (negatives), and whether the expected tasks are all
there is. The layers below the tasks (outline, sentences, times) are the real ones.
"""
from __future__ import annotations

import json

import pytest

from .conftest import CORPUS, DATA


def _cases() -> list[dict]:
    out = []
    for line in (DATA / "tasks.jsonl").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            out.append(json.loads(line))
    return out


CASES = _cases()


def _tasks(pipeline, document: str):
    """The view text of ``document`` and its tasks, read by the real layers below the tasks."""
    analysis = pipeline.analyse(document)
    return analysis.text, pipeline.tasks.extract(analysis)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_tasks(pipeline, case):
    text, tasks = _tasks(pipeline, case["doc"])
    found = [text[t.start:t.end] for t in tasks]
    by_text = {text[t.start:t.end]: t for t in tasks}
    for want in case["tasks"]:
        assert want["text"] in by_text, f"missing task {want['text']!r}; found {found}"
        got = by_text[want["text"]]
        if "name" in want:
            assert got.name == want["name"], f"name of {want['text']!r}"
        if "time" in want:
            assert got.time == want["time"], f"time of {want['text']!r}"
    for bad in case.get("absent", []):
        at = text.find(bad)
        assert at >= 0, f"absent string {bad!r} is not in the document"
        hits = [f for t, f in zip(tasks, found) if t.start < at + len(bad) and at < t.end]
        assert not hits, f"{bad!r} should not be a task, but is touched by {hits}"
    if case.get("exact"):
        assert found == [w["text"] for w in case["tasks"]]


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
        TaskExtractor(load_rules([tmp_path]), pipeline.nlp, pipeline.units)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_spans_on_sample_reports(pipeline, path):
    """Every task is a non-empty span without surrounding blanks or closing marks, in reading
    order, not overlapping the next, with a name."""
    text, tasks = _tasks(pipeline, path.read_text(encoding="utf-8-sig"))
    assert tasks
    previous_end = 0
    for t in tasks:
        surface = text[t.start:t.end]
        assert surface and surface == surface.strip()
        assert surface[-1] not in "。；;，,：:", surface
        assert t.start >= previous_end
        assert t.name
        previous_end = t.end
