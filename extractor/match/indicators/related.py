"""Names that take a word of the figure before them in the sentence: a relative (投资9.3亿元，占比49.7% ->
投资占比), a share (民生支出…，占一般公共预算支出的81.3% -> 民生支出占一般公共预算支出) and the whole it is
of (占全年任务2355万元的60% -> …全年任务), a percent of progress (完成年任务的78% -> 外贸出口完成年任务),
and an aspect of the thing the figure before counted (生猪出栏5.9万头，产值达9585万元 -> 生猪产值).

:class:`RelatedNames` is asked once per figure after its shape has named it, with what the sentence
and the document carry from figure to figure (the reader's ``_Sentence`` and ``Context``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import Lexicon
from .tokens import Tok, first_unblank, is_word

if TYPE_CHECKING:
    from .reading import Context, Figure, Naming, _Sentence

# the longest subject a share's name takes (民生支出占一般公共预算支出); a longer one would bury it
_SHARE_SUBJECT_MAX = 8


class RelatedNames:
    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.w = lex.w
        self._aspects = tuple(sorted(self.w.aspect))

    def name(self, f: Figure, naming: Naming, state: _Sentence, ctx: Context) -> tuple[str, str]:
        """The figure's name with what it takes from the figure before, and the name the next
        figure should carry when it is not that one (a share after the amount of its whole: "")."""
        name = naming.name
        share, progress = self._opens_share(f, naming), self._progress(f, naming)
        subject = ctx.share_subject or ctx.last_name
        # the amount of the whole a share is of ("占全年任务2355万元的60%"): named without 占, the
        # share after it with it
        whole_amount = bool(share) and f.q.unit != "%" and self._before_linker(f)
        carried = ""
        if (name in self.w.relative or (share or progress) and len(subject) <= _SHARE_SUBJECT_MAX) and subject \
                and not name.startswith(subject):
            # 投资9.3亿元，占比49.7% -> 投资占比; 占全年目标的43.9% -> …占全年目标; 完成年任务的78%
            # -> …完成年任务; 占全年任务2355万元 -> …全年任务
            carried = subject + name
            name = subject + (progress + name if progress else name[len(share):] if whole_amount else name)
        # a second share of the same subject takes the subject, not the first share's name
        ctx.share_subject = subject if share else ""
        toks, i = f.toks, f.i
        if name in self.w.aspect:
            # of the thing of the clause right before, or of its own clause: 生猪出栏5.9万头，产值达9585万元
            if state.thing_of is not None and state.clause_start <= state.thing_until + 1 \
                    and (thing := self._thing(toks, *state.thing_of)) and self._aspect_alone(toks, naming, i):
                name = thing + name
                state.thing_until = state.ends[i]   # and of the next aspect: 产量4820吨，产值达77.12万元
        else:
            # what the name counts is read only if an aspect asks (few names are one)
            state.thing_of, state.thing_until = (naming, i), state.ends[i]
        return name, carried if whole_amount else ""

    def _thing(self, toks: list[Tok], naming: Naming, i: int) -> str:
        """What a figure's name counts, for an aspect of it named next: the nouns that open the name,
        after at most one verb or adjective (生猪 of 生猪出栏, 柠檬 of 种植柠檬, 粮食 of 粮食播种面积),
        or "" when the name opens otherwise or a character jieba could not make a word of is near."""
        w = self.w
        words = []
        k = self._first_of(toks, naming, i)
        while k < len(toks) and toks[k].start < naming.end:
            t = toks[k]
            if k != i and is_word(t) and t.qty is None and not t.time:
                words.append(t)
            k += 1
        if words and words[0].tag.startswith(("v", "a")) and not words[0].tag.startswith("vn"):
            words = words[1:]
        run: list[str] = []
        for t in words:
            if len(t.text) == 1:
                return ""            # 兴瑞, 海外仓, 全固态电池: a word cut into characters
            if not t.tag.startswith("n") or t.text in w.generic_noun or t.text in w.measure_noun \
                    or t.text.endswith(self._aspects):
                break
            run.append(t.text)
        return "".join(run)

    def _aspect_alone(self, toks: list[Tok], naming: Naming, i: int) -> bool:
        """The aspect word stands alone at the start of its clause or list item ("，产值达…")."""
        k = self._first_of(toks, naming, i) - 1
        while k >= 0 and toks[k].text.isspace():
            k -= 1
        return k < 0 or toks[k].is_break or toks[k].is_punct or self.lex.is_list_comma(toks[k])

    @staticmethod
    def _first_of(toks: list[Tok], naming: Naming, i: int) -> int:
        """The index of the first token of a name, looked for back from its figure ``toks[i]`` (a
        name spans a few tokens: the walk stays short however long the sentence is)."""
        k = i
        while k > 0 and toks[k - 1].start >= naming.start:
            k -= 1
        return k

    def _opens_share(self, f: Figure, naming: Naming) -> str:
        """The word of a share that opens the name ("占" of 占全年计划的67%), or ""."""
        if not f.left or naming.start >= f.tok.start:
            return ""             # a name that opens at the figure or after it (most do)
        return next((t.text for t in f.left if t.start == naming.start and t.text in self.w.share_of), "")

    def _progress(self, f: Figure, naming: Naming) -> str:
        """The verb of progress right before the name of a percent that follows 的 ("完成" of
        完成年任务的78%), or ""."""
        if f.q.unit != "%":
            return ""
        words = [t for t in f.left if is_word(t)]
        at = next((k for k, t in enumerate(words) if t.start == naming.start), None)
        if not at or words[at - 1].text not in self.w.progress_of \
                or words[-1].text not in self.w.linker:
            return ""
        return words[at - 1].text

    def _before_linker(self, f: Figure) -> bool:
        """Does 的 follow the figure ("占全年任务2355万元的60%")?"""
        nxt = first_unblank(f.right)
        return nxt is not None and nxt.text in self.w.linker
