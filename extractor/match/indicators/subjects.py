"""The subject before a verb, and when it goes from a name: a word of frequency or total between
subject and verb (班子成员每月下沉社区 -> 下沉社区), a subject that says who acted (医务人员拒收红包 ->
拒收红包), a "once done" opening (建成后可新增床位), the place of a verb of going (赴基地开展研学实践活动),
the object of a pivot verb (组织企业参加展会 -> 参加展会)."""
from __future__ import annotations

import re

from ...cache import compile_standard
from .lexicon import ADVERB_TAGS, Lexicon
from .tokens import Tok, is_word, join

# a pivot with no verb after its object goes when the object has this many characters ("组织座谈会")
_MIN_OBJECT_AFTER_PIVOT = 3
# the verb phrase that replaces an acting subject has at least this many characters ("拒收红包")
_MIN_AGENT_ACTION = 3
# jieba's flags of words that may stand between a subject and its verb (成功 举办, 积极 参与)
_ADVERBIAL_TAGS = ADVERB_TAGS + ("a",)
# a name that ends in it is a rate, which its subject scopes ("持证上岗率")
_RATE_END = "率"
# jieba's flags of words that cannot end a subject: prepositions, conjunctions, particles, adverbs
_NOT_SUBJECT_END_TAGS = ("p", "c", "u", "d", "ad")


class Subjects:
    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.w = lex.w
        self._agent_words = tuple(sorted(a for a in lex.w.agent if len(a) > 1))
        # finds an agent word anywhere in a text: a word that ends in one holds one
        self._any_agent = compile_standard("|".join(re.escape(a) for a in sorted(lex.w.agent, key=lambda a: (-len(a), a))))

    def after_subject(self, toks: list[Tok]) -> list[Tok]:
        """"班子成员每月下沉社区" -> 下沉社区, "林长累计巡林" -> 巡林: a word of frequency (or of a
        total, before a verb with its object) between a subject and its verb ends the subject, which
        does not name the figure."""
        w = self.w
        def ends_subject(k: int) -> bool:
            t, before, rest = toks[k], toks[k - 1], toks[k + 1:]
            total = t.text in w.subject_total and (len(rest) >= 2 or self._is_agent(before))   # 林长累计巡林
            return (t.text in w.subject_end or total) \
                and is_word(rest[0]) and rest[0].qty is None and (len(rest[0].text) > 1 or rest[0].verb()) \
                and is_word(before) and not before.tag.startswith(_NOT_SUBJECT_END_TAGS) \
                and before.text not in w.preposition and before.text not in w.subject_end \
                and not any(s.verb() for s in toks[:k])

        k = max((k for k in range(1, len(toks) - 1) if ends_subject(k)), default=None)
        return toks if k is None else toks[k + 1:]

    def after_event(self, toks: list[Tok]) -> list[Tok]:
        """"建成后可新增床位" -> 可新增床位: a phrase saying once what is done opens the name, and goes."""
        k = next((k for k, t in enumerate(toks[1:], 1) if t.text in self.w.event_after), None)
        if k is None or not toks[k - 1].verb() or not all(is_word(t) for t in toks[:k]) \
                or len(join(toks[k + 1:])) < _MIN_AGENT_ACTION:
            return toks
        return toks[k + 1:]

    def after_motion(self, toks: list[Tok]) -> list[Tok]:
        """"赴九龙湖研学基地开展研学实践活动" -> 开展研学实践活动: the place a verb of going goes to is
        no name; the verb after it is the figure's."""
        w = self.w
        m = next((m for m, t in enumerate(toks) if t.text in w.motion), None)
        if m is None:
            return toks
        later = next((k for k in range(m + 2, len(toks)) if toks[k].verb()), None)
        return toks[later:] if later is not None and len(join(toks[later:])) >= _MIN_AGENT_ACTION else toks

    def after_agent(self, toks: list[Tok]) -> list[Tok]:
        """"卒中中心完成静脉溶栓" -> 完成静脉溶栓, "医务人员拒收红包" -> 拒收红包: a subject that says who
        acted (it ends in a word of the role ``agent`` right before a verb) does not name what was done;
        the verb phrase after it does. A rate or a measure keeps its subject ("定点医院开通率",
        "中等职业学校招生规模"), and so does a noun that the verb only modifies ("党员攻关小组") or one
        item of a list."""
        if len(toks) < 2 or not self._any_agent.search("".join([t.text for t in toks[:-1]])):
            return toks           # no word before the last ends in an agent word
        for k in range(1, len(toks)):
            t = toks[k - 1]
            if not (is_word(t) or self.lex.is_list_comma(t)) or t.tag.startswith(_NOT_SUBJECT_END_TAGS) \
                    or t.text in self.w.preposition:
                return toks
            if self._is_agent(t):
                verb = next((m for m in range(k, len(toks)) if toks[m].tag not in _ADVERBIAL_TAGS), k)
                if toks[verb].verb():   # "柳河村成功创建…": adverbs may stand between subject and verb
                    action = toks[verb:]
                    return action if self._names_an_action(action) else toks
        return toks

    def _names_an_action(self, action: list[Tok]) -> bool:
        last, w = action[-1], self.w
        return len(action) >= 2 and len(join(action)) >= _MIN_AGENT_ACTION and not self._is_agent(last) \
            and not last.text.endswith(_RATE_END) and last.text not in w.relative and last.text not in w.measure_noun \
            and not any(self.lex.is_list_comma(t) for t in action)

    def _is_agent(self, t: Tok) -> bool:
        """A word of the role ``agent``, or one that ends in one (急救指挥中心, 服务队)."""
        agents = self.w.agent
        return t.text in agents or len(t.text) > 1 and t.text[-1] in agents or t.text.endswith(self._agent_words)

    def after_pivot(self, toks: list[Tok]) -> list[Tok]:
        """"组织企业参加展会" -> 参加展会: the object of a pivot verb is the subject of the next one."""
        w = self.w
        if not toks or toks[0].text not in w.pivot:
            return toks
        later = next((k for k, t in enumerate(toks[1:], 1) if t.verb() and t.text not in w.pivot), None)
        if later is None:         # "组织各级各类座谈会": with only an object, the pivot is a light verb
            return toks[1:] if len(join(toks[1:])) >= _MIN_OBJECT_AFTER_PIVOT else toks
        # "吸引居民参与": with no object after the second verb, its subject stays
        if later < len(toks) - 1:
            return toks[later:]
        if later > 1:
            return toks[1:]     # "带动就业" keeps its pivot: nothing else would name it
        return toks
