"""Planned tasks: what a report commits to do next, one row per committed action.

Where tasks are read:

- in sections whose kind is plan (工作打算, 2024年工作任务, 主要目标…, from the outline), and in plan
  parts that no heading announces: a paragraph opened by "下一步，…" or a sentence ending in a colon
  that announces plans ("…做如下安排:") opens one (rules/task_openers.tsv);
- anywhere else, in a clause that carries a future marker (将, 拟, 计划, 力争, 下一步…; rules/task_markers.tsv);
  in a summary or a duty report, whose sections of no stated kind look back, only a strong one counts;
- not in a section that sets out where things stand ("一、形势分析"), even in a plan document.

What a task is: a sentence, or a part of one up to ；, whose clauses commit to an action. A clause
commits when its head — after time words, a subject followed by a future marker, and adverbs — is an
action verb (rules/task_action_verbs.txt, or a verb by its part of speech that is not a copula), or
when it states a quantified target ("合格率保持在99.5%以上"). A run-in subhead is a task when it is an
action ("常态化开展学习教育"), not when it names a topic ("党的建设“强起来”"). Clauses that report work
done (了, 已…) are dropped; slogans, exhortations, notes, contacts and shortcomings never count
(rules/task_past.tsv, rules/task_exclusions.tsv).

Tables and calendars are read by their rows (tables.py): a row of a plan table is one task; each item
of a calendar row (a month or a day in its first cell, or a line that opens with its date) is one,
with the row's time.

The name is the run-in subhead the task is or elaborates, else the leading verb-object phrase; the
time is the first time expression in the task, else the one in the heading of its plan section.

The stage, in its modules: units.py cuts sentences into task units, regions.py finds the plan parts
no heading announces, heads.py decides whether a clause commits to an action, tables.py finds the rows
of tables and calendars, naming.py names a task and ties it to a time, extract.py decides which units
are tasks; lexicon.py loads their rules.
"""
from .extract import TaskExtractor

__all__ = ["TaskExtractor"]
