"""The thing counted after a figure: "108名干部参与" -> 干部, "100亿元的产业园" -> 产业园,
"40台触控一体机" (characters jieba could not make a word of are one word again), "1451个县（市、区）"
(a short gloss stays), "12个国家和地区", "6个省级以上开发区"."""
from __future__ import annotations

from .lexicon import Lexicon
from .tokens import Tok, is_word, join

# the longest further item of a list of nouns after a figure ("55条国际航空客运、货运航线")
_LIST_ITEM_MAX = 10


class CountedNoun:
    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.w = lex.w

    def read(self, right: list[Tok], unit: str = "") -> tuple[list[Tok], bool]:
        """The noun phrase after a figure in ``unit``, and whether 的 joins it. After 的 the phrase is
        nominal whatever its words' flags ("13项的问题整改")."""
        lex, w, marks = self.lex, self.w, self.lex.marks
        toks = self._after_prepositional_modifier([t for t in right if not t.text.isspace()])
        de_shape = bool(toks) and toks[0].text in w.linker
        if de_shape:
            toks = toks[1:]
        taken: list[Tok] = []
        open_quote = False
        skip_to = -1
        for k, t in enumerate(toks):
            if k <= skip_to:
                continue
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if t.text in marks.quotes:
                if t.text in marks.open_quotes or open_quote:
                    open_quote = t.text in marks.open_quotes
                    taken.append(t)
                    continue
                break
            if open_quote or t.qty is not None and lex.threshold(t) and nxt is not None and lex.nominal(nxt) \
                    or self._joins(t, taken, nxt) or t.text in w.linker and self._fragment(taken) and self._noun(nxt):
                taken.append(t)       # "12个国家和地区"; "三项新的重大任务": a one-character modifier and its 的
                continue
            if de_shape and not t.is_punct and t.qty is None and not t.time and t.text not in w.predicate:
                if t.tag.startswith(("p", "c", "u")) and taken:
                    break
                taken.append(t)
                continue
            if taken and lex.is_gloss_open(t):
                skip_to = self._gloss(toks, k, taken)
                if skip_to is None:
                    break
                continue
            if taken and lex.is_list_comma(t) and self._list_goes_on(toks[k + 1:]):
                taken.append(t)       # "500元文旅、餐饮消费": a list of nouns that ends the clause shares the figure
                continue
            if taken and self._glued(taken[-1], t):
                taken.append(t)       # "40台触控一体机", "230家规上企业": jieba's characters of an unknown word
                continue
            if not lex.nominal(t):
                if not taken and self._noun(nxt) and self._modifier(t):
                    taken.append(t)   # "互助养老床位", "长期病休党员": a modifier of the noun after it
                    continue
                break
            if taken and t.verb() and self._predicate(taken, nxt) and not self._verb_compound(t, nxt, toks, k):
                break                 # "干部参与", "学生荣获一等奖": the verb is the clause's predicate
            taken.append(t)
        return self._place_counted(self._trim(taken), unit), de_shape

    def _place_counted(self, taken: list[Tok], unit: str) -> list[Tok]:
        """"18所初中领导": a measure word of places counts the place, not the people in a role after
        it; the people go."""
        if unit in self.w.place_unit and len(taken) > 1 and taken[-1].text in self.w.person \
                and self._noun(taken[-2]):
            return taken[:-1]
        return taken

    def _after_prepositional_modifier(self, toks: list[Tok]) -> list[Tok]:
        """"8次与友好学校的互动活动" -> 互动活动: a prepositional phrase closed by 的 right after the
        figure modifies the thing counted after it; the phrase goes, the thing stays."""
        w, marks = self.w, self.lex.marks
        if not toks or toks[0].text not in w.preposition:
            return toks
        for k, t in enumerate(toks[1:], 1):
            if t.text in w.linker:
                thing = toks[k + 1:]
                return thing if thing and is_word(thing[0]) and thing[0].qty is None \
                    and thing[0].text not in w.predicate else toks
            if t.qty is not None or t.verb() or t.is_punct and t.text not in marks.list_commas:
                return toks
        return toks

    def _list_goes_on(self, rest: list[Tok]) -> bool:
        """The words after a list comma are more nouns of one list up to the clause's end (no figure,
        no verb of their own)."""
        lex, marks = self.lex, self.lex.marks
        item = ""
        for t in rest:
            if t.is_punct and not lex.is_list_comma(t):
                return bool(item) and t.text in marks.clause_breaks | marks.sentence_ends
            if not (lex.nominal(t) or lex.is_list_comma(t)) or t.verb():
                return False
            item = "" if lex.is_list_comma(t) else item + t.text
            if len(item) > _LIST_ITEM_MAX:
                return False      # a clause of its own, not an item ("…、掘进机成功下线")
        return bool(item)

    def _noun(self, t: Tok | None) -> bool:
        return t is not None and self.lex.nominal(t)

    def _joins(self, t: Tok, taken: list[Tok], nxt: Tok | None) -> bool:
        """"12个国家和地区", "6个省级以上开发区": a joiner or a threshold mark inside the phrase."""
        w = self.w
        return bool(taken) and self._noun(nxt) and (t.text in w.list_joiner and not self.lex.is_list_comma(t)
                                                    or t.text in w.threshold_mark)

    def _predicate(self, taken: list[Tok], nxt: Tok | None) -> bool:
        """A verb after the noun is the clause's predicate, unless a noun follows that makes it part of
        the phrase ("危旧房改造项目", "重点关注学生") or the phrase so far is a stray character."""
        w = self.w
        return not self._noun(nxt) or taken[-1].tag.startswith("n") and nxt.text not in w.head_noun \
            and nxt.text not in w.generic_noun and not self._fragment(taken)

    def _verb_compound(self, verb: Tok, nxt: Tok | None, toks: list[Tok], k: int) -> bool:
        """"45个核酸采样屋", "12个垃圾分类亭": a verb glued to a noun of one character that ends the
        clause makes a word with it; that noun is the thing counted, the verb no predicate."""
        after = toks[k + 2] if k + 2 < len(toks) else None
        return nxt is not None and len(nxt.text) == 1 and nxt.tag.startswith("n") and verb.end == nxt.start \
            and nxt.text not in self.w.generic_noun and (after is None or after.is_punct)

    def _gloss(self, toks: list[Tok], k: int, taken: list[Tok]) -> int | None:
        """A gloss opening at ``toks[k]`` joins the phrase ("县（市、区）"); where to go on from, or None
        when the phrase ends with it. A gloss inside a word keeps the rest of the word ("国（境）外学校")."""
        w = self.w
        end = next((m for m in range(k + 1, len(toks)) if toks[m].text in self.lex.marks.gloss_close), None)
        if end is None:
            return None
        word = taken[-1]
        taken.extend(toks[k:end + 1])
        if len(word.text) > 1 or word.text in w.generic_noun:
            return None
        after = toks[end + 1] if end + 1 < len(toks) else None
        if after is not None and len(after.text) == 1 and after.text.isalpha():
            taken.append(after)
            return end + 1
        return end

    def _trim(self, taken: list[Tok]) -> list[Tok]:
        w, marks = self.w, self.lex.marks
        if len(taken) == 1 and len(taken[0].text) == 1 and taken[0].verb():
            return []                 # "由85个减为26个": a one-character verb is the predicate
        while taken and (taken[-1].text in marks.quotes and taken[-1].text not in marks.close_quotes
                         or taken[-1].text in w.trail or taken[-1].text in w.list_joiner):
            taken = taken[:-1]
        return taken

    def _glued(self, prev: Tok, t: Tok) -> bool:
        """Two single characters in a row that jieba could not make a word of ("触/控", "规/上",
        "省/考"): one unknown word, unless the second is a function word ("村和", "县已")."""
        w = self.w
        if t.time and prev.end == t.start and self._fragment([prev]):
            return True               # "15个项目前期工作": a time read out of a word (目前)
        return len(prev.text) == 1 and len(t.text) == 1 and prev.end == t.start and t.text.isalpha() \
            and prev.text.isalpha() and not any(t.text in role for role in (
                w.linker, w.list_joiner, w.predicate, w.preposition, w.enumeration_end, w.negation, w.adverb,
                w.lead, w.trail, w.light, w.attribute))

    def _fragment(self, taken: list[Tok]) -> bool:
        """A noun phrase of one character that is no word of its own ("碳" of 碳达峰试点城市): the
        verb after it belongs to the name."""
        return len(taken) == 1 and len(taken[0].text) == 1 and taken[0].text not in self.w.generic_noun

    def _modifier(self, t: Tok) -> bool:
        """A verb, adjective or adverb that may open a noun phrase as its modifier."""
        w = self.w
        return t.text not in w.predicate and t.text not in w.light and t.text not in w.lead_verb \
            and (t.tag.startswith(("v", "a")) or t.tag == "d" and t.text not in w.adverb)

    def name(self, toks: list[Tok]) -> str:
        """The noun phrase as a name, a generic suffix word trimmed ("社保卡核实工作" -> 社保卡核实)."""
        name = join(toks)
        suffix = toks[-1].text if toks else ""
        if suffix in self.w.name_suffix and len(name) - len(suffix) > 2:
            return name[:-len(suffix)]        # a whole word: "前期工作" stays
        return name
