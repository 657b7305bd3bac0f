"""The segmenter's route over log-probabilities and its short cuts give jieba's words exactly; the
indicator tokens know whether they are punctuation as the characters say."""
from __future__ import annotations

import jieba.posseg
import pytest

from extractor.match.indicators.tokens import Tok, _ALNUM
from extractor.dictionary import Dictionary

from .conftest import CORPUS

# text outside jieba's word characters: Windows line ends, other whitespace, full-width digits and
# letters, marks; and words of ASCII letters and digits inside the blocks
SAMPLES = [
    "第一行\r\n第二行\r\r\n\n第三行",
    "全年完成１２３亿元，增长５．２％；ＧＤＰ\u3000总量\u00a0居全省第一",
    "“十四五”规划（2021—2025年）①②③ #1 a+b C++ 3.14 x_y",
    "一、\t二、 \u2003三、",
]


@pytest.fixture(scope="module")
def tokenizer(pipeline):
    return pipeline.tokenizer


@pytest.mark.parametrize("text", SAMPLES)
def test_words_match_jieba_posseg(tokenizer, text):
    pos = jieba.posseg.POSTokenizer(tokenizer.segmenter)
    pos.word_tag_tab.update(tokenizer.dictionary.tag_table())
    assert tokenizer.words(text) == [(p.word, p.flag) for p in pos.cut(text, HMM=False)]


def test_the_counts_come_back_from_the_log_probabilities(tokenizer):
    dictionary = tokenizer.dictionary
    table = dictionary.logprob_table()
    again = Dictionary.of_counts(dictionary.freq, dictionary.total, dictionary.tag_table())
    assert again.logprob_table() == table
    assert all(p < 0 for p in table.values() if p)


def test_the_alnum_pattern_is_str_isalnum():
    assert all((_ALNUM.search(chr(c)) is not None) == chr(c).isalnum() for c in range(0x30000))


@pytest.mark.parametrize("text,punct", [("，", True), ("_", True), ("%", True), ("①", False), ("Ａ", False),
                                        ("增长", False), ("2023", False), ("\r\n", True)])
def test_a_token_knows_it_is_punctuation(pipeline, text, punct):
    from extractor.model import Span

    toks = pipeline.indicators.tokenizer.tokens(text, Span(0, len(text)), [], [])
    assert [t.is_punct for t in toks] == [not any(ch.isalnum() for ch in t.text) for t in toks]
    assert all(t.is_punct == punct for t in toks)
    assert isinstance(toks[0], Tok)


@pytest.mark.parametrize("text", SAMPLES + ["国内生产总值增长5.2%，单位能耗下降3%", "增长增长下降，增加至", ""])
def test_labelled_is_labels_by_index(pipeline, tokenizer, text):
    pairs = tokenizer.words(text)
    words = [w for w, _ in pairs]
    labels = pipeline.cues.labels(words, [f for _, f in pairs])
    assert pipeline.cues.labelled(words, pairs) == {k: label for k, label in enumerate(labels) if label}


def test_labelled_is_labels_over_the_corpus(pipeline, tokenizer):
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            pairs = tokenizer.words(line)
            words = [w for w, _ in pairs]
            labels = pipeline.cues.labels(words, [f for _, f in pairs])
            assert pipeline.cues.labelled(words, pairs) == {k: label for k, label in enumerate(labels) if label}


def test_words_with_hmm_match_jieba_posseg(tokenizer):
    from extractor.segment import JiebaTokenizer

    hmm = JiebaTokenizer(tokenizer.dictionary, hmm=True)
    pos = jieba.posseg.POSTokenizer(hmm.segmenter)
    pos.word_tag_tab.update(tokenizer.dictionary.tag_table())
    for text in SAMPLES + ["今年新建学校3所，全市实现地区生产总值1200亿元"]:
        assert hmm.words(text) == [(p.word, p.flag) for p in pos.cut(text, HMM=True)]
