"""The rules loader: bundled files load, user folders extend them, bad files name file and line."""
from __future__ import annotations

import pytest

from extractor.rules import RuleError, load_rules


def test_bundled_rules_load_and_every_table_has_rows(rules):
    assert rules.names()
    for name in rules.names():
        f = rules._files[name]
        assert f.rows, f"rules/{name}{f.kind} has no entries"


def test_user_folder_extends_bundled(tmp_path, rules):
    (tmp_path / "indicator_words.tsv").write_text("word\trole\n开展了\tlight\n", encoding="utf-8")
    extended = load_rules([tmp_path])
    rows = extended.table("indicator_words", ("word", "role"))
    assert {"word": "开展了", "role": "light"} in [r.values for r in rows]
    added = next(r for r in rows if r["word"] == "开展了")
    assert (added.path, added.line) == (tmp_path / "indicator_words.tsv", 2)
    assert len(rows) == len(rules.table("indicator_words", ("word", "role"))) + 1


@pytest.mark.parametrize("name,content,message", [
    ("indicator_words.tsv", "word\trole\n开展\tlight\textra\n", "indicator_words.tsv:2: 3 fields but the header has 2"),
    ("indicator_words.tsv", "word\tkind\n开展\tlight\n", "header differs"),
    ("spans_cues.jsonl", '{"label": "DIR_UP", "pattern": "增长"}\n{"label": "DIR_UP"\n', "spans_cues.jsonl:2: invalid JSON"),
    ("spans_cues.jsonl", '{"pattern": "增长"}\n', 'spans_cues.jsonl:1: each line needs an object with "label"'),
    ("indicator_words.txt", "开展\n", "clashes with indicator_words.tsv"),
])
def test_bad_rule_files_name_file_and_line(tmp_path, name, content, message):
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(RuleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_rules([tmp_path])


def test_missing_column_and_bad_conversion(tmp_path, rules):
    with pytest.raises(RuleError, match="header lacks column"):
        rules.table("indicator_words", ("word", "weight"))
    (tmp_path / "indicator_words.tsv").write_text("word\trole\n\tlight\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"indicator_words.tsv:2: column 'word' must not be empty"):
        load_rules([tmp_path]).table("indicator_words", ("word", "role"))


def test_missing_rules_dir(tmp_path):
    with pytest.raises(RuleError, match="rules directory not found"):
        load_rules([tmp_path / "nope"])
