"""jieba's dictionary as the segmenter's route reads it: its words' log-probabilities and
part-of-speech flags with the domain words of ``rules/jieba_userdict.txt`` added, read by jieba once and
kept in the user cache (:mod:`extractor.cache`) as a marisa trie mapped at every start; jieba itself is
imported only when the cache is made."""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import marshal
from array import array
from collections.abc import Sequence
from math import exp, log
from pathlib import Path

from . import cache
from .rules import Rules

_USER_TAG = "n"              # domain terms of the user dictionary are nouns unless told
_CACHE_VERSION = "4"         # bump when the cache's layout changes


class Dictionary:
    """jieba's prefix dictionary as its route reads it: each word's log-probability (``log(count) -
    log(total)``, always below 0) and 0.0 for a prefix of words only; its total count and the words'
    part-of-speech flags, user words included.

    The entries live in a ``marisa_trie.Trie`` (its ids index an array of log-probabilities and one
    of flags), mapped from the user cache: a process reads half a million entries in no time instead
    of building two dicts of them at every start. The route reads an entry through :attr:`logprob`
    and :attr:`tags`, dicts that fill themselves from the trie on first use (a document reads a
    few thousand distinct entries, each then at a dict's speed)."""

    __slots__ = ("trie", "values", "flags", "flag_names", "total", "logprob", "tags")
    NO_FLAG = 255

    def __init__(self, trie, values: array, flags: bytes, flag_names: Sequence[str], total: int):
        if not len(trie) == len(values) == len(flags) or len(flag_names) >= self.NO_FLAG:
            raise ValueError("the dictionary's parts do not match")
        self.trie, self.values, self.flags = trie, values, flags
        self.flag_names, self.total = tuple(flag_names), total
        self.logprob = _Looked(self._read_logprob)   # entry -> log-probability, 0.0, or None for neither
        self.tags = _Looked(self._read_flag)         # word -> its flag, "x" for none

    @classmethod
    def of_counts(cls, freq: dict[str, int], total: int, tags: dict[str, str]) -> Dictionary:
        """The dictionary of jieba's counts (word -> count, 0 for a prefix of words only)."""
        import marisa_trie

        logtotal = log(total)
        trie = marisa_trie.Trie(set(freq) | set(tags))
        values = array("d", bytes(8 * len(trie)))
        flags = bytearray([cls.NO_FLAG]) * len(trie)
        names: dict[str, int] = {}
        for word, f in freq.items():
            if f:
                values[trie[word]] = log(f) - logtotal
        for word, tag in tags.items():
            flags[trie[word]] = names.setdefault(tag, len(names))
        return cls(trie, values, bytes(flags), list(names), total)

    def _read_logprob(self, word: str) -> float | None:
        i = self.trie.get(word)
        return None if i is None else self.values[i]

    def _read_flag(self, word: str) -> str:
        i = self.trie.get(word)
        flag = self.NO_FLAG if i is None else self.flags[i]
        return "x" if flag == self.NO_FLAG else self.flag_names[flag]

    def forget(self) -> None:
        """Forget the entries read so far (they are read from the trie again when asked)."""
        self.logprob.clear()
        self.tags.clear()

    def logprob_table(self) -> dict[str, float]:
        """Every entry with its log-probability (0.0 for a prefix only)."""
        values = self.values
        return {word: values[i] for word, i in self.trie.iteritems()}

    def tag_table(self) -> dict[str, str]:
        """Every word that has a flag, with it (``jieba.posseg``'s ``word_tag_tab``)."""
        flags, names, none = self.flags, self.flag_names, self.NO_FLAG
        return {word: names[flags[i]] for word, i in self.trie.iteritems() if flags[i] != none}

    @property
    def freq(self) -> dict[str, int]:
        """jieba's own prefix dictionary (word -> count, 0 for a prefix only), for jieba itself (HMM,
        comparisons). Rounding gives the counts back exactly: for counts of this size (below a
        million) the error of log and exp is far below one half (tests/test_segment_route.py)."""
        logtotal = log(self.total)
        return {w: round(exp(p + logtotal)) if p else 0 for w, p in self.logprob_table().items()}

    def to_bytes(self) -> tuple[bytes, bytes]:
        """The trie's file and the file of the rest (:meth:`from_files` reads them back)."""
        rest = marshal.dumps((len(self.trie), self.total, self.flag_names, self.values.tobytes(), self.flags))
        return self.trie.tobytes(), rest

    @classmethod
    def from_files(cls, trie_file: Path, rest: bytes) -> Dictionary:
        """The dictionary of :meth:`to_bytes`'s files, the trie mapped, not read (read where the
        file system cannot map it)."""
        import marisa_trie

        n, total, flag_names, values, flags = marshal.loads(rest)
        trie = marisa_trie.Trie()
        try:
            trie.mmap(str(trie_file))
        except Exception:   # marisa's errors have no common class; a broken file fails again below
            trie = marisa_trie.Trie().frombytes(trie_file.read_bytes())
        if len(trie) != n:
            raise ValueError("the trie is not the one of the rest")
        return cls(trie, array("d", values), flags, flag_names, total)


class _Looked(dict):
    """Entries read from the trie by ``read`` on first use and kept (``looked[word]``; ``get``
    only gives what was read before). Past ``LIMIT`` entries it starts again, so that a long
    batch keeps what its recent documents read and no more."""

    __slots__ = ("_read",)
    LIMIT = 200_000

    def __init__(self, read):
        super().__init__()
        self._read = read

    def __missing__(self, word: str):
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[word] = self._read(word)
        return value


def _jieba_dict_file() -> Path:
    """jieba's bundled dictionary, found without importing jieba (its import costs a third of a second)."""
    spec = importlib.util.find_spec("jieba")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def _user_words(rules: Rules) -> list[tuple[str, int | None, str]]:
    """(word, frequency or None, flag) of rules/jieba_userdict.txt, checked."""
    out = []
    if "jieba_userdict" in rules:
        for row in rules.word_rows("jieba_userdict"):
            freq = None
            if row.get("1"):
                try:
                    freq = int(row["1"])
                except ValueError:
                    raise row.error(f"frequency of {row['0']!r} is not a whole number") from None
            out.append((row["0"], freq, row.get("2") or _USER_TAG))
    return out


def load_dictionary(rules: Rules) -> Dictionary:
    """The dictionary with the user words of ``rules``, from the cache when it holds it."""
    words = _user_words(rules)
    dict_file = _jieba_dict_file()
    stat = dict_file.stat()
    key = hashlib.sha256(repr((_CACHE_VERSION, str(dict_file), stat.st_size, stat.st_mtime_ns, words))
                         .encode()).hexdigest()[:32]
    name = f"jieba-{key}"
    trie_file, rest = cache.path(name + ".trie"), cache.read(name + ".rest")
    if trie_file is not None and rest is not None:
        try:
            return Dictionary.from_files(trie_file, rest)
        except Exception:   # a damaged or foreign file (marisa's errors have no common class): build again
            pass
    dictionary = _build_dictionary(dict_file, words)
    trie_bytes, rest = dictionary.to_bytes()
    cache.write(name + ".rest", rest)
    cache.write(name + ".trie", trie_bytes)
    return dictionary


def _build_dictionary(dict_file: Path, words: Sequence[tuple[str, int | None, str]]) -> Dictionary:
    """jieba's dictionary read by jieba (its own prefix rules and frequency tuning of user words),
    the flags read as ``jieba.posseg.POSTokenizer.load_word_tag`` reads them."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)  # jieba announces dictionary loading at INFO
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    tags: dict[str, str] = {}
    with open(dict_file, "rb") as f:
        for line in f:
            line = line.strip().decode("utf-8")
            if line:
                word, _, tag = line.split(" ")
                tags[word] = tag
    for word, freq, tag in words:
        segmenter.add_word(word, freq, tag)
    tags.update(segmenter.user_word_tag_tab)
    return Dictionary.of_counts(segmenter.FREQ, segmenter.total, tags)
