"""Segmentation: an own jieba tokenizer inside a blank spaCy Chinese pipeline.

The jieba ``Tokenizer`` is the process's own (not jieba's global one) and carries the domain words
of ``rules/jieba_userdict.txt``. Words come with jieba's part-of-speech flags in ``token.tag_``.
Spans the caller already knows (figures, time expressions) can be *protected*: they become single
tokens with a fixed tag, so jieba never splits "2万多人次" into pieces that do not line up.

Rule components are spaCy ``SpanRuler``\\s whose patterns are the ``rules/spans_*.jsonl`` files;
their matches land in ``doc.spans[<name>]`` (e.g. ``doc.spans["cues"]``).
"""
from __future__ import annotations

import logging
import warnings
from math import log
from collections.abc import Sequence
from dataclasses import dataclass

import jieba
import jieba.posseg
from jieba.posseg import re_eng, re_han_internal, re_num, re_skip_internal
import numpy
import spacy
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .rules import RuleError, Rules

PROTECTED_TAG = "m"  # jieba's flag for numerals/quantities
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


@dataclass(frozen=True, slots=True)
class Protected:
    """A span of the text that must stay one token, with the tag to give it."""

    start: int
    end: int
    tag: str = PROTECTED_TAG


class JiebaTokenizer:
    """spaCy tokenizer: jieba words with POS flags, no HMM (unknown words fall apart into
    characters, which the rule layers handle, at a fraction of HMM's cost).

    It is the one segmenter of the pipeline: every stage that needs words asks :meth:`words`, which
    remembers the words of the current document's windows (the task stage asks for the same short
    windows several times); :meth:`start_document` forgets them."""

    def __init__(self, vocab: Vocab, segmenter: jieba.Tokenizer, hmm: bool = False, cache_size: int = 4096):
        self.vocab = vocab
        self.segmenter = segmenter
        self.pos = _pos_tokenizer(segmenter)
        self.hmm = hmm
        self._tag_ids: dict[str, int] = {}   # flag -> its id in the vocab's strings (a few dozen flags)
        self._cache: dict[str, list[tuple[str, str]]] = {}
        self.cache_size = cache_size         # a bound for callers that never start a document

    def start_document(self) -> None:
        """Forget the words of the document before."""
        self._cache.clear()

    def words(self, text: str) -> list[tuple[str, str]]:
        """(word, flag) pairs exactly as ``jieba.posseg`` cuts ``text``; a new list at every call."""
        got = self._cache.get(text)
        if got is None:
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            got = self._cache[text] = self._cut(text)
        return list(got)

    def _cut(self, text: str) -> list[tuple[str, str]]:
        if self.hmm:
            return [(p.word, p.flag) for p in self.pos.cut(text, HMM=True)]
        # Without HMM, posseg's chain of generators and pair objects costs more than the
        # segmentation itself; this is the same algorithm (posseg.__cut_internal with
        # __cut_DAG_NO_HMM) written as plain loops over jieba's own patterns and dictionaries.
        self.pos.makesure_userdict_loaded()
        tags = self.pos.word_tag_tab
        out: list[tuple[str, str]] = []
        # split() with one group alternates: text outside jieba's word characters, then a block of them
        for i, block in enumerate(re_han_internal.split(text)):
            if i % 2:
                self._cut_block(block, tags, out)
                continue
            for x in re_skip_internal.split(block):
                if re_skip_internal.match(x):
                    out.append((x, "x"))
                else:
                    for ch in x:
                        out.append((ch, "m" if re_num.match(ch) else "eng" if re_eng.match(x) else "x"))
        return out

    def _cut_block(self, block: str, tags: dict[str, str], out: list[tuple[str, str]]) -> None:
        """jieba's most probable route through the prefix dictionary (get_DAG + calc), right to left,
        then posseg's reading of it: runs of single ASCII letters and digits join as "eng"."""
        seg = self.segmenter
        seg.check_initialized()
        logtotal = log(seg.total)
        n = len(block)
        score = [0.0] * (n + 1)
        score[n] = 0          # jieba's route[N] = (0, 0)
        word_end = [0] * n    # the last index of the best word starting at each position
        get = seg.FREQ.get     # a word's count; 0 for a prefix of words only, None for neither
        for k in range(n - 1, -1, -1):
            best = None
            best_end = k
            i = k
            f = get(block[k])
            while f is not None:
                if f:
                    s = log(f) - logtotal + score[i + 1]
                    # max() over (score, end) tuples: a tie goes to the longer word
                    if best is None or s >= best:
                        best, best_end = s, i
                i += 1
                if i == n:
                    break
                f = get(block[k:i + 1])
            if best is None:
                best = log(get(block[k]) or 1) - logtotal + score[k + 1]
            score[k] = best
            word_end[k] = best_end
        x = 0
        eng = ""
        while x < n:
            y = word_end[x] + 1
            word = block[x:y]
            if y - x == 1 and word in _ASCII_ALNUM:
                eng += word
            else:
                if eng:
                    out.append((eng, "eng"))
                    eng = ""
                out.append((word, tags.get(word, "x")))
            x = y
        if eng:
            out.append((eng, "eng"))

    def __call__(self, text: str) -> Doc:
        return self.make_doc(text)

    def make_doc(self, text: str, protected: Sequence[Protected] = ()) -> Doc:
        """A Doc of ``text``; each protected span (sorted, non-overlapping) is one token."""
        words: list[str] = []
        tags: list[str] = []
        pos = 0
        for p in protected:
            if p.start < pos:
                continue
            for w, f in self.words(text[pos:p.start]) if p.start > pos else ():
                words.append(w)
                tags.append(f)
            words.append(text[p.start:p.end])
            tags.append(p.tag)
            pos = p.end
        if pos < len(text):
            for w, f in self.words(text[pos:]):
                words.append(w)
                tags.append(f)
        # Doc(tags=...) reads the tags back through to_array/from_array; setting the TAG column
        # from the flags' ids directly builds the same Doc at a fraction of the cost
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        ids = self._tag_ids
        for tag in tags:
            if tag not in ids:
                ids[tag] = self.vocab.strings.add(tag)
        doc.from_array([TAG], numpy.array([ids[tag] for tag in tags], dtype="uint64"))
        return doc

    # spaCy calls these when a pipeline is serialised; a blank pipeline rebuilds from rules instead
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "JiebaTokenizer":
        return self


def _pos_tokenizer(segmenter: jieba.Tokenizer) -> jieba.posseg.POSTokenizer:
    """posseg's tokenizer over our own segmenter. Its table of word flags is the one importing
    jieba.posseg has already read from the same default dictionary (reading the 5 MB file again
    costs a third of a second at every start); user words add their flags on first use."""
    if segmenter.dictionary != jieba.posseg.dt.tokenizer.dictionary:
        return jieba.posseg.POSTokenizer(segmenter)
    pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    pos.tokenizer = segmenter
    pos.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
    return pos


def build_segmenter(rules: Rules) -> jieba.Tokenizer:
    """An own jieba tokenizer with the domain words of rules/jieba_userdict.txt added."""
    logging.getLogger("jieba").setLevel(logging.WARNING)  # jieba announces dictionary loading at INFO
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    if "jieba_userdict" in rules:
        for row in rules.word_rows("jieba_userdict"):
            word = row["0"]
            freq = None
            if row.get("1"):
                try:
                    freq = int(row["1"])
                except ValueError:
                    raise row.error(f"frequency of {word!r} is not a whole number") from None
            tag = row.get("2") or "n"  # domain terms are nouns unless told
            segmenter.add_word(word, freq, tag)
    return segmenter


def build_nlp(rules: Rules) -> Language:
    """spacy.blank("zh") with the jieba tokenizer and one SpanRuler per rules/spans_*.jsonl file."""
    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, build_segmenter(rules))
    for name in rules.names():
        if not name.startswith("spans_"):
            continue
        key = name[len("spans_"):]
        ruler = nlp.add_pipe("span_ruler", name=key, config={"spans_key": key, "validate": True,
                                                             "overwrite": False})
        try:
            with warnings.catch_warnings():
                # W012: phrase patterns are tokenised with POS flags that ORTH matching ignores
                warnings.filterwarnings("ignore", message=r"\[W012\]")
                ruler.add_patterns(rules.patterns(name))
        except (ValueError, KeyError) as e:
            raise RuleError(f"{name}.jsonl", None, f"bad pattern: {e}") from None
    return nlp
