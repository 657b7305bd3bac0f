"""Segmentation: the own jieba tokenizer inside spaCy, checked against jieba itself; its per-document
cache of words."""
from __future__ import annotations

import jieba.posseg
import pytest

from extractor.segment import Protected

from .conftest import CORPUS

SAMPLES = [
    "新接收入党积极分子9名，发展党员4人。",
    "组织108名干部参与，发放明白册576份，上门走访2853次。",
    "CnWizards 将进一步加强国内外的宣传工作，Publish CnWizards 0.9.1.",
    "第一、二、三产业增加值分别增长4.1%、4.7%、5.8%。",
    "  空格\t制表符\n换行 English words 123 和数字",
    "",
]


@pytest.fixture(scope="module")
def tokenizer(pipeline):
    return pipeline.nlp.tokenizer


def _reference(tokenizer, text):
    pos = jieba.posseg.POSTokenizer(tokenizer.segmenter)
    pos.word_tag_tab.update(tokenizer.dictionary.tag_table())  # the user words' flags, already taken in
    return [(p.word, p.flag) for p in pos.cut(text, HMM=False)]


@pytest.mark.parametrize("text", SAMPLES)
def test_words_match_jieba_posseg(tokenizer, text):
    assert tokenizer.words(text) == _reference(tokenizer, text)


def test_words_match_jieba_posseg_on_a_whole_report(tokenizer):
    text = (CORPUS / "party-branch-township-office-2023.txt").read_text(encoding="utf-8")
    assert tokenizer.words(text) == _reference(tokenizer, text)


def test_user_dictionary_words_stay_whole(tokenizer):
    words = [w for w, _ in tokenizer.words("建成高标准农田2.3万亩，居民人均可支配收入增长5%")]
    assert "高标准农田" in words and "居民人均可支配收入" in words


def test_protected_spans_are_single_tokens(tokenizer):
    text = "吸引居民参与2万多人次，至12月4日"
    doc = tokenizer.make_doc(text, [Protected(6, 11, "QTY"), Protected(13, 18, "TIME")])
    assert [t.text for t in doc if t.tag_ in ("QTY", "TIME")] == ["2万多人次", "12月4日"]
    assert doc.text == text


def test_span_ruler_marks_direction_cues(pipeline):
    doc = pipeline.nlp("国内生产总值增长5.2%，单位能耗下降3%")
    assert [(s.text, s.label_) for s in doc.spans["cues"]] == [("增长", "DIR_UP"), ("下降", "DIR_DOWN")]


def _counting_cuts(tokenizer, monkeypatch) -> list[str]:
    cut = tokenizer._cut
    seen: list[str] = []

    def counting(text):
        seen.append(text)
        return cut(text)

    monkeypatch.setattr(tokenizer, "_cut", counting)
    return seen


def test_words_of_a_window_are_cut_once_per_document(tokenizer, monkeypatch):
    cuts = _counting_cuts(tokenizer, monkeypatch)
    text = SAMPLES[1]
    tokenizer.start_document()
    first = tokenizer.words(text)
    first.append(("mutated", "x"))              # a caller's list is its own
    assert tokenizer.words(text) == _reference(tokenizer, text)
    assert cuts == [text]
    tokenizer.start_document()
    tokenizer.words(text)
    assert cuts == [text, text]


def test_the_cache_is_bounded(tokenizer, monkeypatch):
    cuts = _counting_cuts(tokenizer, monkeypatch)
    monkeypatch.setattr(tokenizer, "cache_size", 2)
    tokenizer.start_document()
    for text in SAMPLES[:3] + SAMPLES[:1]:
        assert tokenizer.words(text) == _reference(tokenizer, text)
    assert cuts == SAMPLES[:3] + SAMPLES[:1]   # the third window cleared the first two


def test_the_pipeline_starts_a_document_per_text(pipeline, monkeypatch):
    started = []
    monkeypatch.setattr(pipeline.nlp.tokenizer, "start_document", lambda: started.append(True))
    pipeline.extract(SAMPLES[0])
    pipeline.extract(SAMPLES[1])
    assert len(started) == 2
