"""Segmentation: the pipeline's one segmenter, jieba's dictionary and algorithm without jieba's
start-up, and the same segmenter as the tokenizer of a blank spaCy Chinese pipeline.

Words are cut as ``jieba.posseg`` cuts them without HMM (jieba's most probable route through its
prefix dictionary), with jieba's part-of-speech flags; the dictionary is jieba's own with the
domain words of ``rules/jieba_userdict.txt`` added. Reading jieba's dictionary, its tag table
(``jieba.posseg`` reads the 5 MB file a second time) and adding the user words costs seconds at
every start, so the result is kept in the user cache (:mod:`extractor.dictionary`); jieba itself is
imported only when the cache is made, for HMM, or for :attr:`segmenter`.

Spans the caller already knows (figures, time expressions) can be *protected*: they become single
tokens with a fixed tag, so jieba never splits "2万多人次" into pieces that do not line up.

Cue words (``rules/spans_cues.jsonl``, spaCy ``SpanRuler`` phrase patterns) are matched on the
words by :class:`CueMatcher` without building a spaCy ``Doc``; spaCy itself is imported only by
:func:`build_nlp`, for callers that want a ``Language`` (the spaCy component, ``Pipeline.nlp``).
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from math import log
from typing import TYPE_CHECKING, NamedTuple

from .cache import compile_standard
from .dictionary import Dictionary, load_dictionary
from .rules import RuleError, Rules

if TYPE_CHECKING:
    import jieba
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

PROTECTED_TAG = "m"  # jieba's flag for numerals/quantities
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# jieba.posseg's patterns, spelled as there (importing jieba.posseg loads its HMM tables and reads the
# whole dictionary again): blocks of word characters, the whitespace between, English and numbers
_RE_HAN = compile_standard("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")
_RE_SKIP = compile_standard("(\r\n|\\s)")
_RE_ENG = compile_standard("[a-zA-Z0-9]+")
_RE_NUM = compile_standard("[\\.0-9]+")
_CUES = "cues"               # the span key the indicator stage reads (rules/spans_cues.jsonl)


class Protected(NamedTuple):
    """A span of the text that must stay one token, with the tag to give it (a plain tuple: a
    document makes thousands)."""

    start: int
    end: int
    tag: str = PROTECTED_TAG


class JiebaTokenizer:
    """The segmenter: jieba words with POS flags, no HMM (unknown words fall apart into characters,
    which the rule layers handle, at a fraction of HMM's cost); also a spaCy tokenizer.

    It is the one segmenter of the pipeline: every stage that needs words asks :meth:`words`, which
    remembers the words of the current document's windows (the task stage asks for the same short
    windows several times); :meth:`start_document` forgets them."""

    def __init__(self, dictionary: Dictionary, hmm: bool = False, cache_size: int = 4096):
        self.dictionary = dictionary
        self.tags = dictionary.tags
        self.vocab: Vocab | None = None       # set by build_nlp when a spaCy pipeline is made
        self.hmm = hmm
        self._segmenter: jieba.Tokenizer | None = None
        self._pos: jieba.posseg.POSTokenizer | None = None   # for HMM, made on first use
        self._tag_ids: dict[str, int] = {}   # flag -> its id in the vocab's strings (a few dozen flags)
        self._cache: dict[str, list[tuple[str, str]]] = {}
        self.cache_size = cache_size         # a bound for callers that never start a document
        self._unknown = -log(dictionary.total)   # the log-probability of a character not in the dictionary

    @property
    def segmenter(self) -> jieba.Tokenizer:
        """A ``jieba.Tokenizer`` over the same dictionary (for HMM and for comparisons with jieba)."""
        if self._segmenter is None:
            import jieba

            seg = jieba.Tokenizer()
            seg.FREQ, seg.total, seg.initialized = self.dictionary.freq, self.dictionary.total, True
            self._segmenter = seg
        return self._segmenter

    def start_document(self) -> None:
        """Forget the words of the document before."""
        self._cache.clear()

    def words(self, text: str) -> list[tuple[str, str]]:
        """(word, flag) pairs exactly as ``jieba.posseg`` cuts ``text``; a new list at every call."""
        return list(self._remembered(text))

    def _remembered(self, text: str) -> list[tuple[str, str]]:
        """The words of ``text``, cut once per document: the list kept, not to be changed."""
        got = self._cache.get(text)
        if got is None:
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            got = self._cache[text] = self._cut(text)
        return got

    def _cut(self, text: str) -> list[tuple[str, str]]:
        if self.hmm:
            return self._cut_hmm(text)
        # Without HMM, posseg's chain of generators and pair objects costs more than the
        # segmentation itself; this is the same algorithm (posseg.__cut_internal with
        # __cut_DAG_NO_HMM) written as plain loops over jieba's own patterns and dictionaries.
        tags = self.tags
        out: list[tuple[str, str]] = []
        # split() with one group alternates: text outside jieba's word characters, then a block of
        # them; the text outside is mostly one mark or nothing
        parts = _RE_HAN.split(text)
        cut_block = self._cut_block
        last = len(parts) - 1
        for i in range(0, last + 1, 2):
            gap = parts[i]
            if len(gap) == 1:
                out.append((gap, "x"))
            elif gap:
                if "\r\n" not in gap:
                    # outside the blocks there are no ASCII letters, digits or dots (they are word
                    # characters), so posseg's loop below gives every character alone, flagged "x"
                    out += [(ch, "x") for ch in gap]
                else:
                    for x in _RE_SKIP.split(gap):
                        if _RE_SKIP.match(x):
                            out.append((x, "x"))
                        else:
                            for ch in x:
                                out.append((ch, "m" if _RE_NUM.match(ch) else "eng" if _RE_ENG.match(x) else "x"))
            if i < last:
                cut_block(parts[i + 1], tags, out)
        return out

    def _cut_hmm(self, text: str) -> list[tuple[str, str]]:
        if self._pos is None:
            import jieba.posseg

            pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
            pos.tokenizer = self.segmenter
            pos.word_tag_tab = self.dictionary.tag_table()   # the whole table, read from the trie once
            self._pos = pos
        return [(p.word, p.flag) for p in self._pos.cut(text, HMM=True)]

    def _cut_block(self, block: str, tags: dict[str, str], out: list[tuple[str, str]]) -> None:
        """jieba's most probable route through the prefix dictionary (get_DAG + calc), right to left,
        then posseg's reading of it: runs of single ASCII letters and digits join as "eng"."""
        n = len(block)
        score = [0.0] * (n + 1)   # jieba's route[N] = (0, 0)
        word_end = [0] * n        # the end of the best word starting at each position
        # a word's log-probability (jieba's log(count) - logtotal, the same float), 0.0 for a prefix
        # of words only, None for neither: the words starting at k are read until neither
        look = self.dictionary.logprob
        unknown = self._unknown
        for k in range(n - 1, -1, -1):
            best = None
            best_end = end = k + 1
            p = look[block[k]]
            while p is not None:
                # max() over (score, end) tuples: a tie goes to the longer word
                if p:
                    s = p + score[end]
                    if best is None or s >= best:
                        best, best_end = s, end
                if end == n:
                    break
                end += 1
                p = look[block[k:end]]
            score[k] = unknown + score[k + 1] if best is None else best
            word_end[k] = best_end
        x = 0
        eng = ""
        while x < n:
            y = word_end[x]
            word = block[x:y]
            if y - x == 1 and word in _ASCII_ALNUM:
                eng += word
            else:
                if eng:
                    out.append((eng, "eng"))
                    eng = ""
                out.append((word, tags[word]))
            x = y
        if eng:
            out.append((eng, "eng"))

    def cuts_apart(self, chars: Iterable[str]) -> bool:
        """Is each of ``chars`` a word of its own wherever it stands, so that a text holding one is
        cut as the text before it, the character, and the text after it, cut apart? So it is for a
        character outside jieba's word characters and not whitespace: without HMM the text is cut
        block by block, each such character alone ("\\r\\n" is the only run kept together)."""
        return not self.hmm and not any(_RE_HAN.match(ch) or ch.isspace() for ch in chars)

    def __call__(self, text: str) -> Doc:
        return self.make_doc(text)

    def split(self, text: str, protected: Sequence[Protected] = ()) -> list[tuple[str, str]]:
        """(word, flag) pairs of ``text``; each protected span (sorted, non-overlapping) is one word
        with its tag, the text between is cut by :meth:`words`."""
        out: list[tuple[str, str]] = []
        pos = 0
        for p in protected:
            if p.start < pos:
                continue
            if p.start > pos:
                out += self._remembered(text[pos:p.start])
            out.append((text[p.start:p.end], p.tag))
            pos = p.end
        if pos < len(text):
            out += self._remembered(text[pos:])
        return out

    def make_doc(self, text: str, protected: Sequence[Protected] = ()) -> Doc:
        """A spaCy Doc of ``text`` (the tokenizer of :func:`build_nlp`); protected spans as in :meth:`split`."""
        import numpy
        from spacy.attrs import TAG
        from spacy.tokens import Doc

        if self.vocab is None:
            raise RuntimeError("JiebaTokenizer.make_doc needs the vocab of a spaCy pipeline (build_nlp)")
        pairs = self.split(text, protected)
        words = [w for w, _ in pairs]
        # Doc(tags=...) reads the tags back through to_array/from_array; setting the TAG column
        # from the flags' ids directly builds the same Doc at a fraction of the cost
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        ids = self._tag_ids
        for _, tag in pairs:
            if tag not in ids:
                ids[tag] = self.vocab.strings.add(tag)
        doc.from_array([TAG], numpy.array([ids[tag] for _, tag in pairs], dtype="uint64"))
        return doc

    # spaCy calls these when a pipeline is serialised; a blank pipeline rebuilds from rules instead
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "JiebaTokenizer":
        return self


class CueMatcher:
    """The labels of ``rules/spans_cues.jsonl`` on a list of words, as spaCy's ``SpanRuler`` with
    ``spans_key="cues"`` would set them, without a ``Doc``.

    A phrase pattern (a string) is cut into words by the segmenter, as ``SpanRuler`` cuts it with the
    pipeline's tokenizer, and matches a run of equal words; every match is kept (overlaps too) and
    the matches are applied in order of start and end, so a word in two gets the label of the
    later one. Two labels for the same words: the one of the later pattern line wins (``SpanRuler``
    would order them by the labels' hash). Token patterns (lists of dicts) need spaCy's
    ``Matcher``: with any of those the labels are read from a spaCy Doc (:func:`build_nlp`)."""

    def __init__(self, rules: Rules, tokenizer: JiebaTokenizer, nlp_factory):
        self._phrases: dict[tuple[str, ...], str] = {}
        self._lengths: list[int] = []
        self._first_words: frozenset[str] = frozenset()   # a phrase can only start at one of these
        self._nlp_factory = nlp_factory    # builds the spaCy pipeline when token patterns need it
        self._spacy = False
        if "spans_" + _CUES not in rules:
            return
        for row, pattern in zip(rules.pattern_rows("spans_" + _CUES), rules.patterns("spans_" + _CUES)):
            p = pattern.get("pattern")
            if isinstance(p, str):
                words = tuple(w for w, _ in tokenizer.words(p))
                if words:
                    self._phrases[words] = str(pattern["label"])
            elif isinstance(p, list):
                self._spacy = True
            else:
                raise row.error(f"bad pattern: {p!r} is neither a phrase nor a list of token patterns")
        if self._spacy:
            nlp_factory()                  # a bad token pattern fails now, while the pipeline is built
        self._lengths = sorted({len(k) for k in self._phrases})
        self._first_words = frozenset(k[0] for k in self._phrases)

    def never_spans(self, words: Iterable[str]) -> bool:
        """Does no match ever hold one of ``words``? Then the labels of the words on either side of
        one are those of each side labelled alone."""
        return not self._spacy and all(set(phrase).isdisjoint(words) for phrase in self._phrases)

    def labelled(self, words: Sequence[str], pairs: Sequence[tuple[str, str]]) -> dict[int, str]:
        """The cue label of each word that has one, by its index (most words have none); ``pairs``
        are the (word, flag) pairs of ``words``."""
        if self._spacy:
            return {k: label for k, label in enumerate(self.labels(words, [tag for _, tag in pairs])) if label}
        out: dict[int, str] = {}
        phrases = self._phrases
        first_words = self._first_words
        n = len(words)
        for i in [i for i, word in enumerate(words) if word in first_words]:
            for length in self._lengths:
                if i + length > n:
                    break
                label = phrases.get(tuple(words[i:i + length]))
                if label:
                    for k in range(i, i + length):
                        out[k] = label
        return out

    def labels(self, words: Sequence[str], tags: Sequence[str]) -> list[str]:
        """The cue label of each word ("" for none)."""
        out = [""] * len(words)
        if self._spacy:
            return self._spacy_labels(words, tags, out)
        phrases = self._phrases
        first_words = self._first_words
        n = len(words)
        for i, word in enumerate(words):
            if word not in first_words:
                continue
            for length in self._lengths:
                if i + length > n:
                    break
                label = phrases.get(tuple(words[i:i + length]))
                if label:
                    out[i:i + length] = [label] * length
        return out

    def _spacy_labels(self, words: Sequence[str], tags: Sequence[str], out: list[str]) -> list[str]:
        from spacy.tokens import Doc

        nlp = self._nlp_factory()
        doc = nlp(Doc(nlp.vocab, words=list(words), spaces=[False] * len(words), tags=list(tags)))
        for span in doc.spans.get(_CUES, []):
            for k in range(span.start, span.end):
                out[k] = span.label_
        return out


def build_nlp(rules: Rules, tokenizer: JiebaTokenizer | None = None) -> Language:
    """spacy.blank("zh") with the jieba tokenizer and one SpanRuler per rules/spans_*.jsonl file."""
    import spacy

    nlp = spacy.blank("zh")
    tokenizer = tokenizer or JiebaTokenizer(load_dictionary(rules))
    tokenizer.vocab = nlp.vocab
    nlp.tokenizer = tokenizer
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
