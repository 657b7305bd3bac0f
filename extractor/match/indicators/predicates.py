"""What the counted did: the verb phrase after a counted noun or a head count, which names the row
when the noun alone would say nothing.

A report lists "5位教师被评为市级骨干教师，3名学生获省一等奖，12个事项实现全程网办": the nouns are
generic (rules/indicator_words.tsv, role generic_noun) and what tells the rows apart is the predicate,
so the name carries it (被评为市级骨干教师, 获省一等奖学生, 实现全程网办事项). With no predicate after
it, the verb before the figure tells them apart ("联系河口、龙井、新塘3个村" -> 联系村).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import ADVERB_TAGS
from .tokens import Tok, join

if TYPE_CHECKING:
    from .naming import Namer

# the longest predicate of a counted noun; a longer one loses the prepositional phrase before its
# verb ("在市教育教学论文评比、市精品选修课程评比中获奖" -> 获奖), or is not taken
_PREDICATE_MAX = 14
# the longest clause before 的 that joins a generic noun ("乘坐校车的312名学生")
_RELATIVE_MAX = 7
# the longest predicate of a head count ("3人分别被北京大学、上海交大、复旦大学提前录取")
_NAME_MAX = 20


class Predicates:
    def __init__(self, namer: Namer):
        self.namer = namer
        self.lex = namer.lex
        self.w = namer.w
        self._generic_words = tuple(sorted((g for g in self.w.generic_noun if len(g) > 1), key=len, reverse=True))

    def generic(self, np_toks: list[Tok]) -> bool:
        """The counted noun says only what kind of thing is counted: its head is a generic noun
        ("教师", "高二学生", "项目", "村")."""
        gloss = next((k for k, t in enumerate(np_toks) if self.lex.is_gloss_open(t)), len(np_toks))
        if not gloss:
            return False
        head = np_toks[gloss - 1].text      # "村（社区）": the word before a gloss
        return head in self.w.generic_noun or head.endswith(self._generic_words)

    def after(self, words: list[Tok], of_noun: bool = True, phrase: bool | None = None) -> list[Tok]:
        """The predicate that opens ``words``, what follows a counted noun (``of_noun``) or a head
        count ("117人被985高校录取"); [] when the clause goes on to another figure, or holds no verb
        phrase that could name it. After a noun it may open with a prepositional phrase ("11位老师
        在全市优质课评比中获奖"), which goes when it makes the name too long; so may the predicate of a head count with
        nothing before it (``phrase``: "、两次在省市级研讨会上交流经验")."""
        lex, w = self.lex, self.w
        words = self._past_shared_items([t for t in words if not t.text.isspace()])
        if not words or words[0].is_punct:
            return []             # "412人、占36.6%": the clause goes on to another figure
        while words and words[0].text not in w.negation and (words[0].tag in ADVERB_TAGS or words[0].text in w.lead
                                                              or of_noun and words[0].text in w.adverb):
            words = words[1:]     # "其中2人将参加…", "39位学生全部获奖": the modal is not the name
        item = next((k for k in range(len(words) - 1) if lex.is_list_comma(words[k]) and words[k + 1].qty is not None),
                    None)
        words = words[:item]      # "3名学生获省一等奖、7名学生获省二等奖": the next item has its own
        if not words or words[0].cue or any(t.qty is not None for t in words):
            return []
        opener = words[0]
        preposition = (of_noun if phrase is None else phrase) and opener.text in w.preposition
        if not (opener.verb() or opener.text in w.predicate or opener.text in w.negation or preposition
                or of_noun and self._topic(words)):
            return []
        words = self.namer.strip_tail(words)
        while words and words[-1].text in w.enumeration_end:
            words = self.namer.strip_tail(words[:-1])      # "被评为绍兴市最美教师等"
        if preposition and len(join(words)) > _PREDICATE_MAX:
            words = self.namer.after_preposition(words)
            if words[0].text in w.preposition or len(words[0].text) < 2 and words[0].text not in w.predicate:
                return []         # no verb after the phrase, or one that jieba split off a word
        if not any(t.verb() or t.text in w.predicate for t in words):
            return []
        return words if 2 <= len(join(words)) <= (_PREDICATE_MAX if of_noun else _NAME_MAX) else []

    def _topic(self, words: list[Tok]) -> bool:
        """"35名学生成绩达到合格线": a noun of the counted (its topic) may open the predicate when the
        verb follows it at once."""
        return len(words) > 1 and words[0].tag.startswith("n") and words[0].text not in self.w.generic_noun \
            and words[1].verb() and words[1].text not in self.w.light

    def _past_shared_items(self, words: list[Tok]) -> list[Tok]:
        """"2位高一学生、4位高二学生被…录取", "2位高一学生和4位高二学生…": the items of a list of
        counted things that share the predicate after the last one are skipped."""
        k = 0
        while k + 1 < len(words) and (self.lex.is_list_comma(words[k]) or words[k].text in self.w.list_joiner) \
                and words[k + 1].qty is not None:
            k += 2
            while k < len(words) and self.lex.nominal(words[k]):
                k += 1
        return words[k:] if k else words

    def governing_verb(self, left: list[Tok]) -> Tok | None:
        """The content verb whose object the figure counts ("走访辖区230家", "联系河口、龙井、新塘3个"):
        the last verb before it, with only nouns and list commas between; None when that verb is
        light, a pivot, a modifier before 的, a verb of the examples before 等, or a fragment."""
        w, lex = self.w, self.lex
        toks = [t for t in left if not t.text.isspace() and (not lex.ignorable(t) or lex.is_list_comma(t)
                                                              or t.text in w.linker)]
        end = max((k for k, t in enumerate(toks) if t.text in w.enumeration_end), default=None)
        # "A、B等9个项目", "“错题二次过关”等6条建议": only a verb before the examples counts
        k = 0 if end is not None and end == len(toks) - 1 else len(toks) - 1
        while k >= 0 and not toks[k].verb() and (lex.nominal(toks[k]) or lex.is_list_comma(toks[k])):
            k -= 1
        if k < 0 or not toks[k].verb() or len(toks[k].text) < 2 \
                or k + 1 < len(toks) and (lex.is_list_comma(toks[k + 1]) or toks[k + 1].text in w.linker):
            return None
        verb = toks[k]
        if verb.text in w.light or verb.text in w.pivot or verb.text in w.lead_verb or verb.text in w.predicate \
                or verb.text in w.cut_after:
            return None
        return verb

    def relative_clause(self, left: list[Tok]) -> tuple[str, int]:
        """"乘坐校车的312名学生" -> 乘坐校车的: a verb phrase before 的 right before the figure, with
        where it starts; ("", 0) when there is none."""
        toks = [t for t in left if not t.text.isspace()]
        if len(toks) < 2 or toks[-1].text not in self.w.linker:
            return "", 0
        clause = toks[:-1]
        while clause and clause[0].text in self.w.preposition:
            clause = clause[1:]   # "对乘坐校车的": the preposition governs the whole phrase
        name, start = self.namer.left_name(clause)
        if not 2 <= len(name) <= _RELATIVE_MAX or not any(t.verb() for t in clause) \
                or any(t.text in self.w.preposition for t in clause):
            return "", 0          # too long to name a column, or not one verb phrase ("确定对符合条件的")
        return name + toks[-1].text, start

    def blocks(self, left: list[Tok]) -> bool:
        """Something before the figure that makes what follows the counted noun not its own predicate:
        a content verb that counts it ("走访230家企业了解情况"), or a preposition ("对2名病休党员落实
        帮扶": what is done to them). A light verb or a pivot does not ("完成3个项目集中签约",
        "组织6人参加…")."""
        if self.governing_verb(left) is not None:
            return True
        words = [t for t in left if not t.text.isspace()]
        relative = bool(words) and words[-1].text in self.w.linker     # "对乘坐校车的312名学生": 乘坐 is a modifier's
        words = [t for t in words if not self.lex.ignorable(t)]
        last_verb = -1 if relative else max((k for k, t in enumerate(words) if t.verb()), default=-1)
        return any(t.text in self.w.preposition for t in words[last_verb + 1:])

    def name(self, predicate: list[Tok], counted: str) -> str:
        """The predicate with the counted noun after it, unless the predicate already ends with it
        ("被评为市级骨干教师" for 教师)."""
        text = join(predicate)
        word = min((counted.find(b) for b in self.lex.marks.gloss_open if b in counted), default=len(counted))
        head = next((g for g in self._generic_words if counted[:word].endswith(g)), counted[:word])
        return text if text.endswith(head) else text + counted   # "村（社区）": the word before a gloss
