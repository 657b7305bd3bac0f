"""Indicators: which figures report a measured amount, and what each one measures.

Per sentence that holds figures, jieba segments the words around them (the figures and time
expressions stay single tokens, see :mod:`extractor.segment`), a SpanRuler marks cue words
(rules/spans_cues.jsonl), and the name of each figure is read from the clause around it by the
shapes that recur in reports (:mod:`.reading`):

- subject or verb-object before the figure: 上门走访2853次, 城镇新增就业1244万人;
- figure, measure word, then the thing counted: 新建5所乡镇卫生院 -> 乡镇卫生院; 将6个城市社区划分为…;
  a generic noun takes what the counted did: 3名学生获省一等奖 -> 获省一等奖学生, 走访230家企业 -> 走访企业;
- figure 的 thing: 投资100亿元的日钢转型升级 -> 投资, 100亿元的新能源装备产业园 -> 新能源装备产业园;
- amount and thing with a subject before: 日钢产能置换900万吨炼钢 -> 日钢产能置换炼钢;
- one subject, several figures: 低保保障1720户2773人; the subject carried into the next clause or
  sentence: 总产量达到21.6万吨，同比增长2.1%; a bare ratio takes its subject: 投资9.3亿元，占比49.7%;
- distributive lists: 第一、二、三产业增加值分别增长4.1%、4.7%、5.8%;
- parts of a total: …3903名，其中境外返靖27人 (the part points at the total).

Names are trimmed the way a spreadsheet column is named (:mod:`.naming`). The words that do it
are rules/indicator_words.tsv (:mod:`.lexicon`).

- :mod:`.tokens`   the tokens of the part of a sentence that holds figures
- :mod:`.lexicon`  the words by role, the punctuation, and what they say of a token
- :mod:`.naming`   names before a figure, trimmed
- :mod:`.counted`  the thing counted after a figure
- :mod:`.predicates`  what the counted did, which names a generic noun (5位教师被评为市级骨干教师)
- :mod:`.reading`  one sentence: the shapes, tried in order
- :mod:`.extract`  the stage over a document
"""
from .extract import IndicatorExtractor

__all__ = ["IndicatorExtractor"]
