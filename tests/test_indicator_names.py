"""Names over the real reports of ../shared/corpus: none is a stray character, none ends inside a word.

A name of one character is right only when that character is a counted noun of its own (村, 县:
role generic_noun of rules/indicator_words.tsv) or is listed with its reason in
tests/data/name_exceptions.tsv. A name ends inside a word when a word of the sentence (as the
pipeline's jieba cuts it) straddles the name's end ("40台触" of 触控一体机). A name right before
its figure may end where a word runs into the figure: then the number layer has read a figure out of
a word (红十字, 翻两番), which is not the name's fault.
"""
from __future__ import annotations

import csv

from .conftest import DATA, needs_shared_corpus, shared_corpus_docs

EXCEPTIONS = DATA / "name_exceptions.tsv"


def _exceptions() -> set[tuple[str, str]]:
    with EXCEPTIONS.open(encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return {(r["name"], r["text"]) for r in rows}


def _ends_inside_a_word(pipeline, fact) -> str:
    """The word of the sentence that the name's end cuts, or ""."""
    at = fact.text.rfind(fact.name)
    in_sentence = fact.sentence.find(fact.text)
    if at < 0 or in_sentence < 0 or fact.text.startswith(fact.name):
        return ""
    end, pos = in_sentence + at + len(fact.name), 0
    for word, _ in pipeline.nlp.tokenizer.words(fact.sentence):
        if pos < end < pos + len(word):
            return word
        pos += len(word)
    return ""


@needs_shared_corpus
def test_no_name_is_a_stray_character_or_ends_inside_a_word(pipeline):
    from extractor import extract_path
    from extractor.match.indicators.lexicon import Words

    allowed, generic = _exceptions(), Words.load(pipeline.rules).generic_noun
    # a measure word that the figure is reported without is the thing counted, not a stray
    # character: "摘得2金3银" -> 金, 银
    own_words = {r["text"] for r in pipeline.rules.table("units", ["text", "unit"]) if r["unit"] == "-"}
    bad = []
    for doc in shared_corpus_docs():
        for fact in (f for f in extract_path(doc) if f.type == "indicator" and f.name):
            if any(name == fact.name and text in fact.sentence for name, text in allowed):
                continue
            if len(fact.name) == 1 and fact.name not in generic and fact.name not in own_words:
                bad.append(f"{doc.name}: one character {fact.name!r} in {fact.text!r}")
            elif word := _ends_inside_a_word(pipeline, fact):
                bad.append(f"{doc.name}: {fact.name!r} ends inside {word!r} in {fact.text!r}")
    assert not bad, "\n".join(bad)
