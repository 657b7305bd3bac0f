"""A clause with no figure and no time is kept as one token (BareClause) and cut only when the subject
of the clause after it is asked for: the tokens it stands for are those the whole region gives, and
the indicators are the same as when every clause is cut."""
from __future__ import annotations

import pytest

from extractor.match.indicators.extract import _sentences_with_figures
from extractor.match.indicators.tokens import BareClause

from .conftest import CORPUS, shared_corpus_docs

# words, breaks, brackets, figures and times of reports, to make sentences of
_PIECES = ["全年", "完成", "投资", "开展", "宣传活动", "其中", "比上年", "增长", "下降", "同比", "占", "的",
           "企业", "学生", "产值", "2023年", "上年", "年初", "预算", "15", "3.5", "万元", "亿元", "%", "个",
           "人", "次", "，", "；", "：", ",", ";", ":", "、", "（", "）", "(", ")", "。", " ", "\r\n", "10:30",
           "1,000", "18:35:47", "县（市、区）", "和", "等", "达到", "不少于"]


def _documents() -> list[str]:
    paths = sorted(CORPUS.glob("*.txt")) + shared_corpus_docs()
    return [p.read_text(encoding="utf-8") for p in paths]


def _expanded(toks):
    out = []
    for t in toks:
        out += t.words() if isinstance(t, BareClause) else [t]
    return out


def _check_tokens(pipeline, text: str) -> int:
    """Asserts that the tokens of each sentence with figures, bare clauses cut, are the tokens of
    the whole region; the number of bare clauses seen."""
    regions = pipeline.indicators.tokenizer
    analysis = pipeline.analyse(text)
    seen = 0
    for _, sentence, qs, ts in _sentences_with_figures(analysis.sentences, analysis.quantities, analysis.times):
        region = regions.region(analysis.text, sentence, qs[0].start, qs[-1].end)
        inside = [t for t in ts if t.end > region.start and t.start < region.end]
        whole = regions.tokens(analysis.text, region, qs, inside)
        bare = regions.tokens(analysis.text, region, qs, inside, bare=True)
        seen += sum(isinstance(t, BareClause) for t in bare)
        assert _expanded(bare) == whole
    return seen


def _indicators(pipeline, text: str, bare: bool, monkeypatch) -> list:
    analysis = pipeline.analyse(text)
    tasks = pipeline.tasks.extract(analysis)
    with monkeypatch.context() as m:
        m.setattr(pipeline.indicators.tokenizer, "_bare_clauses", bare)
        return pipeline.indicators.extract(analysis, tasks)


def test_bare_clauses_are_read_apart(pipeline):
    assert pipeline.indicators.tokenizer._bare_clauses


def test_bare_clauses_stand_for_the_tokens_of_the_region(pipeline):
    assert sum(_check_tokens(pipeline, text) for text in _documents()) > 0


def test_indicators_do_not_change_with_bare_clauses(pipeline, monkeypatch):
    for text in _documents():
        assert _indicators(pipeline, text, True, monkeypatch) == _indicators(pipeline, text, False, monkeypatch)


def test_the_subject_of_the_clause_before_comes_from_a_bare_clause(pipeline, monkeypatch):
    from extractor.model import Span

    text = "开展反诈宣传活动，全年不少于40场次。"
    analysis = pipeline.analyse(text)
    toks = pipeline.indicators.tokenizer.tokens(text, Span(0, len(text)), analysis.quantities, analysis.times, bare=True)
    assert isinstance(toks[0], BareClause) and toks[0].text == "开展反诈宣传活动"
    found = _indicators(pipeline, text, True, monkeypatch)
    assert found == _indicators(pipeline, text, False, monkeypatch)
    assert [i.name for i in found] == ["反诈宣传活动"]


def test_bare_clauses_read_the_same_on_any_sentence(pipeline, monkeypatch):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=30))
    def same(pieces):
        text = "".join(pieces) + "。"
        _check_tokens(pipeline, text)
        assert _indicators(pipeline, text, True, monkeypatch) == _indicators(pipeline, text, False, monkeypatch)

    same()


@pytest.mark.parametrize("breaks", [{"，"}, {"，", ":"}])
def test_the_segmenter_cuts_around_a_break_as_apart(pipeline, breaks):
    assert pipeline.tokenizer.cuts_apart(breaks)
    assert not pipeline.tokenizer.cuts_apart({"。", "."})    # "." is a word character ("3.5")
    assert pipeline.cues.never_spans(breaks)
