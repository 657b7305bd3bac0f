"""Does a clause commit to an action? Its head — after an enumeration, a future marker with what
stands before it, and modifiers — must be an action verb, or it must state a quantified target."""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ...cache import compile_regex
from ...model import Span
from ...segment import JiebaTokenizer
from .lexicon import Lexicon

_HAN = compile_regex(r"\p{Han}")
# Han characters all of which \p{Han} matches (the unified ideographs of Unicode 1.1; a test reads
# them all): a clause that opens with one holds Han without a search
HAN_FIRST, HAN_LAST = "\u4e00", "\u9fa5"
_LATIN_WORD = compile_regex(r"[A-Za-z][A-Za-z']*")
# Segmentation windows: only the first words of a clause decide its head verb, so only they are
# segmented (a clause can run to hundreds of characters in a government report).
_HEAD_WINDOW = 12
_PREPOSITION_WINDOW = 40
# jieba's part-of-speech flags (the segmenter's tagset): words passed over before the head
# (numerals, time, adverbs, conjunctions, pronouns …), and words after a verb that are no object
_SKIP_TAGS = frozenset({"x", "t", "tg", "m", "mq", "q", "d", "ad", "c", "f", "uj", "ul", "r", "rr", "rz"})
_NO_OBJECT_TAGS = frozenset({"a", "ad", "d", "p", "uj", "ul", "uz", "x", "y", "e"})
# jieba's word characters (segment._RE_HAN) other than its Han range: a block that holds one is cut
_LATIN_BLOCK_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._")
_UNSETTLED = object()                       # the words must be cut to read the head


class _Window(NamedTuple):
    """A clause whose head is to be read from the words that start at ``pos``."""
    pos: int
    last_modifier: tuple[int, str] | None   # the last modifier before ``pos`` (not a blank or a comma)


class _Routes:
    """The words a window of text may open with, read from the segmenter's dictionary without
    cutting it. Without HMM, jieba cuts a block of its word characters along its most probable
    route (JiebaTokenizer._cut_block): the word it takes at each position is one of the words of
    the dictionary that start there and end inside the block (the single character when none does),
    with its flag; every character outside the blocks is a word of its own, flagged "x". So the
    words a cut opens with are one of the routes through these words, and where every route
    gives the head the same answer, that is the answer of the cut (Heads._settled)."""

    def __init__(self, tokenizer: JiebaTokenizer):
        self.logprob = tokenizer.dictionary.logprob     # a word -> its log-probability, 0.0 for a prefix only,
                                                        # None for neither
        self.tags = tokenizer.tags                      # a word -> its flag, "x" for none

    def words_at(self, window: str, k: int) -> list[tuple[str, str]] | None:
        """The (word, flag) pairs a cut of ``window`` may hold at ``k`` when a word starts there;
        None where the block holds Latin letters or digits (they join as "eng"): cut it."""
        ch = window[k]
        if not "\u4e00" <= ch <= "\u9fd5":
            return None if ch in _LATIN_BLOCK_CHARS else [(ch, "x")]
        look, n = self.logprob, len(window)
        out = []
        end = k + 1
        p = look[ch]
        while p is not None:            # as _cut_block reads the words that start at k
            if p:
                word = window[k:end]
                out.append((word, self.tags[word]))
            if end == n:
                break
            nxt = window[end]
            if not "\u4e00" <= nxt <= "\u9fd5":
                if nxt in _LATIN_BLOCK_CHARS:
                    return None         # the block goes on in Latin letters or digits
                break                   # the block ends
            end += 1
            p = look[window[k:end]]
        return out or [(ch, self.tags[ch])]


def has_han(body: str) -> bool:
    return bool(_HAN.search(body))


class Heads:
    """Finds the head verb of a clause; built once from the lexicon and the one segmenter.

    It remembers the heads of the current document's clauses: a clause is asked for its head as a
    run-in subhead, as a part of a candidate and again when the task is named."""

    def __init__(self, lexicon: Lexicon, tokenizer: JiebaTokenizer):
        self.lexicon = lexicon
        self.tokenizer = tokenizer
        self._heads: dict[tuple[str, bool], int | None] = {}
        # the clauses in which no future marker moves the lead: their head read after a marker is
        # the one read without (a task is named by its head without, after it is found with)
        self._unmarked: set[str] = set()
        # the routes are the segmenter's without HMM only (HMM joins characters no word joins)
        self.routes = None if tokenizer.hmm else _Routes(tokenizer)

    def start_document(self) -> None:
        """Forget the heads of the document before."""
        self._heads.clear()
        self._unmarked.clear()

    def any_action(self, text: str, parts: Sequence[Span], heading: bool = False) -> bool:
        """Does any clause commit to an action (or, outside headings, state a quantified target)?"""
        # the clauses whose head is among their first words come last: segmenting their first
        # words costs more than all the other tests, and another clause may settle the answer
        windows: list[tuple[str, _Window]] = []
        for c in parts:
            body = text[c.start:c.end]
            if not HAN_FIRST <= body[:1] <= HAN_LAST and not _HAN.search(body):
                if _LATIN_WORD.search(body) and self.english_action(body):
                    return True
                continue
            key = (body, True)
            at = self._heads[key] if key in self._heads else self._head(body, True)
            if isinstance(at, _Window):
                windows.append((body, at))
                continue
            self._heads[key] = at
            if at is not None or (not heading and self._states_target(body)):
                return True
        for body, window in windows:
            at = self._heads[(body, True)] = self._head_in_window(body, window)
            if at is not None or (not heading and self._states_target(body)):
                return True
        return False

    def _states_target(self, body: str) -> bool:
        return bool(self.lexicon.qualified_figure.search(body)) or self.target_head(body)

    def head(self, body: str, use_marker: bool = True) -> int | None:
        """Offset in ``body`` of the action verb that heads the clause, or None.

        The head comes after an enumeration ("一是"), a future marker and whatever stands before it
        (a time, a subject: "2023年，我们将…"), and modifiers ("常态化", "全年", "进一步").
        """
        key = (body, use_marker)
        if key not in self._heads:
            marked = (body, True)
            if not use_marker and body in self._unmarked and marked in self._heads:
                self._heads[key] = self._heads[marked]
                return self._heads[key]
            at = self._head(body, use_marker)
            self._heads[key] = self._head_in_window(body, at) if isinstance(at, _Window) else at
        return self._heads[key]

    def _head(self, body: str, use_marker: bool) -> int | None | _Window:
        """The head as far as it is read without segmenting: after the lead, verbs of the lexicon
        and modifiers; a _Window when it is to be read from the words that follow."""
        lex = self.lexicon
        m = lex.enumeration.match(body) if not body or lex.enumeration_opens.may_open(body[0]) else None
        lead = m.end() if m else 0
        if use_marker:
            after = self._after_marker(body, lead)
            if after == lead:
                self._unmarked.add(body)
            lead = after
        pos = lead
        last_modifier: tuple[int, str] | None = None
        while pos < len(body):
            verb_end = lex.verb_end(body, pos)
            if verb_end is not None:
                return None if self.not_predicate(body, verb_end) else pos
            mm = lex.modifier.match(body, pos) if lex.modifier_opens.may_open(body[pos]) else None
            if not mm:
                break
            if mm.group().strip(" \t，,、"):
                last_modifier = (pos, mm.group())
            pos = mm.end()
        if pos >= len(body):
            return last_modifier[0] if last_modifier and last_modifier[1] in lex.verbs else None
        if lex.preposition_opens.may_open(body[pos]) and lex.preposition.match(body, pos):
            return self._after_preposition(body, pos)
        return _Window(pos, last_modifier)

    def _head_in_window(self, body: str, window: _Window) -> int | None:
        """The head among the first words from ``window.pos``: a verb of the lexicon, or a verb by
        its tag that takes an object, after words passed over (numerals, adverbs …)."""
        lex = self.lexicon
        pos, last_modifier = window
        # the last modifier was the verb itself: the head where the words give none
        fallback = last_modifier[0] if (last_modifier is not None and last_modifier[1] in lex.verbs
                                        and last_modifier[0] + len(last_modifier[1]) == pos) else None
        if self.routes is not None:
            settled = self._settled(body, pos, fallback)
            if settled is not _UNSETTLED:
                return settled
        at = pos
        words = self.tokenizer.words(body[pos:pos + _HEAD_WINDOW])  # the head is among the first words
        for i, (w, f) in enumerate(words):
            if w.isspace() or (f in _SKIP_TAGS and w not in lex.prepositions):
                at += len(w)
                continue
            if w in lex.non_action:
                return None
            # a verb by its tag alone must take an object ("奋斗创造未来", not "使命重在担当")
            if w in lex.verbs or (f.startswith("v") and f != "vn" and i + 1 < len(words)
                                  and words[i + 1][1] not in _NO_OBJECT_TAGS):
                return None if self.not_predicate(body, at + len(w)) else at
            break
        return fallback

    def _settled(self, body: str, pos: int, fallback: int | None) -> int | None | object:
        """The head _head_in_window reads, found without cutting the window where every route of
        words it may open with gives the same one (_Routes); _UNSETTLED where they differ. A route
        is read as the words are: words passed over, then a non-action, a verb or the fallback."""
        lex = self.lexicon
        window = body[pos:pos + _HEAD_WINDOW]
        n = len(window)
        found = _UNSETTLED
        todo, seen = [0], {0}           # where the words passed over so far may end
        while todo:
            k = todo.pop()
            words = self.routes.words_at(window, k) if k < n else ()
            if words is None:
                return _UNSETTLED
            if not words:
                heads = [fallback]      # every word was passed over
            else:
                heads = []
            for w, f in words:
                end = k + len(w)
                if w.isspace() or (f in _SKIP_TAGS and w not in lex.prepositions):
                    if end not in seen:
                        seen.add(end)
                        todo.append(end)
                    continue
                if w in lex.non_action:
                    heads.append(None)
                    continue
                takes_object = False
                if w not in lex.verbs and f.startswith("v") and f != "vn" and end < n:
                    after = self.routes.words_at(window, end)
                    if after is None:
                        return _UNSETTLED
                    objects = {nf not in _NO_OBJECT_TAGS for _, nf in after}
                    if len(objects) > 1:
                        return _UNSETTLED
                    takes_object = objects.pop()
                if w in lex.verbs or takes_object:
                    heads.append(None if self.not_predicate(body, pos + end) else pos + k)
                else:
                    heads.append(fallback)
            for head in heads:
                if found is _UNSETTLED:
                    found = head
                elif head != found:
                    return _UNSETTLED
        return found

    def _after_marker(self, body: str, lead: int) -> int:
        """Where the head may start: after the earliest future marker (and what stands before it)."""
        first = self.lexicon.marker_set.first(body, lead)
        if first is None:
            return lead
        if first.end() > first.start():
            # the first match is the earliest of any marker, the first marker in order at that
            # start: the one the loop below picks, which it needs only when that match is empty
            return first.end()
        marker = None
        for p in self.lexicon.markers:
            mm = p.search(body, lead)
            if mm and mm.end() > mm.start() and (marker is None or mm.start() < marker.start()):
                marker = mm
        return marker.end() if marker is not None else lead

    def _after_preposition(self, body: str, pos: int) -> int | None:
        """A clause that opens with a preposition acts when a verb follows ("围绕中心工作开展…")."""
        rest = body[pos:]
        if self.lexicon.verb_anywhere.search(rest) or any(
                f.startswith("v") and f != "vn" and w not in self.lexicon.non_action
                for w, f in self.tokenizer.words(rest[:_PREPOSITION_WINDOW])):
            return None if self.lexicon.copula_after(body, pos) else pos
        return None

    def not_predicate(self, body: str, verb_end: int) -> bool:
        """After a head verb: a copula later on, 的 right after it, or a single nominal suffix
        ("开发组网站", "服务站") show the verb is part of a noun phrase, not the predicate."""
        if body.startswith(("的", "是"), verb_end) or self.lexicon.copula_after(body, verb_end):
            return True
        if verb_end < len(body) and body[verb_end] in self.lexicon.nominal_suffixes:
            words = self.tokenizer.words(body[verb_end:verb_end + 4])
            return bool(words) and len(words[0][0]) == 1
        return False

    def target_head(self, body: str) -> bool:
        """A subject followed by a target verb: "安全生产实现“零事故”", "隐患整改率保持100%"."""
        # any target verb after a subject ("力争新能源产值突破1000亿元": 力争 opens, 突破 heads)
        return any(m.start() >= 2 and "的" not in body[:m.start()][-2:] and "是" not in body[:m.start()]
                   and self.lexicon.target_object.match(body, m.end()) for m in self.lexicon.target.finditer(body))

    def english_action(self, body: str) -> bool:
        """An English line that plans: a future marker, or a plan verb after lead words ("Also add …")."""
        words = [w.lower() for w in _LATIN_WORD.findall(body)]
        if not words:
            return False
        if self.lexicon.marker_set.any(body):
            return True
        i = 0
        while i < len(words) - 1 and words[i] in self.lexicon.en_lead:
            i += 1
        return words[i] in self.lexicon.verbs_en
