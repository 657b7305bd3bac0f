"""The whole pipeline on real reports: offsets, ids, sections; the same rows in another process."""
from __future__ import annotations

import pytest

from extractor import COLUMNS, extract_path, extract_text, to_frame
from extractor.io.writers import render
from extractor.model import QUALIFIERS, SECTION_KINDS

from .conftest import CORPUS, SHARED_CORPUS, needs_shared_corpus, run_elsewhere, shared_corpus_docs


def _check_rows(text: str, facts) -> None:
    seen_ids = set()
    for f in facts:
        assert text[f.start:f.end] == f.text, (f.id, f.text)
        assert f.line == text.count("\n", 0, f.start) + 1
        assert f.section_kind in SECTION_KINDS
        assert f.id not in seen_ids
        seen_ids.add(f.id)
        if f.type == "indicator":
            assert f.qualifier in QUALIFIERS and f.value is not None
            assert f.direction in ("up", "down", "")
            assert (f.value_max is not None) == (f.qualifier == "range")
        if f.parent:
            assert f.parent in seen_ids or any(g.id == f.parent for g in facts)
    starts = [f.start for f in facts]
    assert starts == sorted(starts), "rows come in reading order"


@needs_shared_corpus
@pytest.mark.parametrize("path", shared_corpus_docs(), ids=lambda p: p.stem)
def test_every_row_points_into_its_document(path):
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    facts = extract_path(path)
    assert facts, "every report yields rows"
    _check_rows(text, facts)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the bundled sample corpus is missing")
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_sample_corpus_rows(path):
    text = path.read_text(encoding="utf-8")
    facts = extract_path(path)
    _check_rows(text, facts)
    kinds = {f.type for f in facts}
    assert kinds == {"heading", "indicator", "task"}


def test_same_input_same_output_whatever_was_read_before_and_in_another_process(pipeline):
    """A report's rows depend on the report only: this process's pipeline, after it has read every
    sample report, gives the bytes a pipeline built afresh in another process (another hash seed, another
    time zone) gives. (Two calls in one process would share every seed and cache, and could not differ.)"""
    name = "plan-subdistrict-office-2024.txt"
    for other in sorted(CORPUS.glob("*.txt")):
        pipeline.extract(other.read_text(encoding="utf-8"), other.name)
    text = (CORPUS / name).read_text(encoding="utf-8")
    here = render("jsonl", [(name, text, extract_text(text, name))])
    there = run_elsewhere(
        "import sys\n"
        "from extractor import extract_text\n"
        "from extractor.io.writers import render\n"
        f"text = open({str(CORPUS / name)!r}, encoding='utf-8').read()\n"
        f"sys.stdout.buffer.write(render('jsonl', [({name!r}, text, extract_text(text, {name!r}))]))\n")
    assert here.count(b"\n") > 50
    assert here == there


def test_frame_has_the_spec_columns():
    frame = to_frame(extract_text("一、主要工作\n新发展党员6名，发放宣传资料4200余份。\n", "x.txt"))
    assert tuple(frame.columns) == COLUMNS
    assert list(frame["type"]) == ["heading", "indicator", "indicator"]
    assert list(frame["id"]) == ["h1", "i1", "i2"]
    assert frame.loc[1, "section"] == "主要工作" and frame.loc[1, "section_kind"] == "review"


@needs_shared_corpus
def test_a_target_in_a_plan_points_to_its_task():
    facts = extract_path(SHARED_CORPUS / "party-branch-town-center-2022.txt")
    target = next(f for f in facts if f.type == "indicator" and f.name == "争创省市级党建示范点")
    assert (target.value, target.unit, target.section_kind) == (1, "个", "plan")
    task = next(f for f in facts if f.id == target.parent)
    assert task.type == "task" and "争创省市级党建示范点1个" in task.text


def test_full_width_and_pdf_noise_keep_offsets():
    text = "一、主要工作\n全年新增就业１２４４人，增长５ . ５％。地区生产总值增长6.4%，一 — 1 — 般公共预算收入增长7.2%。\n"
    facts = extract_text(text)
    _check_rows(text, facts)
    got = {(f.name, f.value, f.unit) for f in facts if f.type == "indicator"}
    assert ("新增就业", 1244, "人") in got
    assert ("一般公共预算收入", 7.2, "%") in got


def test_offset_map_reads_as_the_list_of_offsets():
    """The view's map back to the decoded text, held as runs, reads as one offset per view character."""
    from array import array

    from extractor.model import OffsetMap

    offsets = [0, 1, 2, 5, 6, 9, 10, 11]
    runs = OffsetMap(array("q", [0, 3, 5]), array("q", [0, 5, 9]), len(offsets))
    assert list(runs) == offsets and len(runs) == len(offsets)
    assert [runs[i] for i in range(len(offsets))] == offsets and runs[-1] == 11
    with pytest.raises(IndexError):
        runs[len(offsets)]
    # a span read in one call: its first offset and one past its last
    assert all(runs.span(s, e) == (offsets[s], offsets[e - 1] + 1)
               for s in range(len(offsets)) for e in range(s + 1, len(offsets) + 1))
    with pytest.raises(IndexError):
        runs.span(0, len(offsets) + 1)
    # the shift of a map in one run, which rows read spans with, is what its offsets say
    assert runs.shift() is None and OffsetMap(array("q"), array("q"), 0).shift() is None
    one = OffsetMap(array("q", [0]), array("q", [4]), 6)
    assert one.shift() == 4 and all(one[i] - i == 4 for i in range(len(one)))


def test_make_fact_makes_the_fact_its_init_would():
    """Rows are made by make_fact, not by Fact's slower __init__: the same Fact, of its class,
    frozen, with the defaults of its fields."""
    import dataclasses

    from extractor.model import Fact, FactType, SectionKind, make_fact

    args = ("a.txt", FactType.INDICATOR, "i1", "主要工作", SectionKind.REVIEW)
    kwargs = dict(name="地区生产总值", value=1200.0, unit="元", start=3, end=9, line=2, sentence="全市…。")
    made, plain = make_fact(*args, **kwargs), Fact(*args, **kwargs)
    assert type(made) is Fact and made == plain and hash(made) == hash(plain)
    assert dataclasses.astuple(made) == dataclasses.astuple(plain)
    assert make_fact(*args) == Fact(*args)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "x"
