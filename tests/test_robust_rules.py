"""Rules are safe: a pattern of --rules that cannot compile or that nests quantifiers so that it can
backtrack catastrophically is refused when loaded (file and line); one that is slow all the same is
stopped by the regex module's timeout and becomes one error line naming the rule, not a hang."""
from __future__ import annotations

import time

import pytest
import regex

from extractor.pattern_safety import pattern_problem
from extractor.rules import GuardedPattern, load_rules

from .test_robust_cli import REPORT, csv_rows, one_line_errors, run_process

# shapes that backtrack catastrophically, and why each is caught
CATASTROPHIC = {
    r"(a+)+": "an unbounded repeat of an unbounded repeat",
    r"(a*)*": "the same with stars",
    r"(a|a)*": "equal branches under a repeat",
    r"(\w+\s?)*$": "a repeat with only an optional part beside it",
    r"(x+x+)+y": "two repeats of the same characters in a repeat",
    r"(一+)+届": "Chinese text is no different",
    r"(?:\d|\w)+": "single-character branches that overlap",
    r"(?:\d|\d\d)+x": "a branch that is a string of another",
    r"(?:a|b|ab)*c": "a branch that is a string of others",
    r"((a+))*": "groups do not hide it",
    r"(?P<n>a+){2,}": "nor names, nor {n,}",
    r"(?i)(?:A+)+": "nor flags",
    r"x(?=(a+)+b)": "nor lookarounds",
}
# shapes that look alike but cannot backtrack catastrophically
SAFE = {
    r"(?:,\d{3})+": "a mandatory separator in each round",
    r"(a+b)+": "a mandatory character that the repeat does not match",
    r"(?>a+)+": "an atomic group does not backtrack",
    r"(a++)+": "nor a possessive repeat",
    r"(a+){2}": "a bounded outer repeat",
    r"(a|ab)*": "branches that share a start but cannot split the same text",
    r"(ab|ac)*": "the same",
    r"(?:第[一二]|第三)+": "branches that differ in a character",
    r"\(a+\)+": "escaped parentheses are characters",
    r"[(]+": "so is a parenthesis in a class",
    r"(?#a comment)a+": "a comment",
}


@pytest.mark.parametrize("pattern", sorted(CATASTROPHIC))
def test_catastrophic_shapes_are_refused(pattern):
    problem = pattern_problem(pattern)
    assert problem and "nested quantifiers" in problem, CATASTROPHIC[pattern]


@pytest.mark.parametrize("pattern", sorted(SAFE))
def test_safe_shapes_pass(pattern):
    assert pattern_problem(pattern) is None, SAFE[pattern]


def test_a_pattern_that_does_not_compile_is_refused():
    assert pattern_problem("[一二").startswith("bad pattern: ")


def test_the_bundled_rules_pass_the_check_they_are_not_held_to():
    rules = load_rules()
    checked = 0
    for name, (kind, _) in rules.files().items():
        if kind != ".tsv":
            continue
        for row in rules._files[name].rows:
            if row.get("pattern"):
                text = rules.fragment(row["name"]) if name == "fragments" else rules._expand_leniently(row["pattern"])
                assert pattern_problem(text) is None, f"{row.path.name}:{row.line}"
                checked += 1
    assert checked > 150


def test_only_patterns_with_a_users_part_are_guarded(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "fragments.tsv").write_text("name\tpattern\tmeaning\nMyWord\t三新一高\tx\n", encoding="utf-8")
    (mine / "periods.tsv").write_text("pattern\tperiod\n(?P<y>{Year})[ \\t]*年[ \\t]*前三季度\tyQ3\n",
                                      encoding="utf-8")
    rules = load_rules([mine])
    assert not isinstance(rules.compile("{Year}年"), GuardedPattern)          # bundled only: as before
    guarded = rules.compile("(?P<y>{Year})[ \\t]*年[ \\t]*前三季度")
    assert isinstance(guarded, GuardedPattern) and guarded.origins[0].path == mine / "periods.tsv"
    assert guarded.search("2023年前三季度").group("y") == "2023"
    assert [m.group() for m in guarded.finditer("2023年前三季度，2024年前三季度")] == ["2023年前三季度", "2024年前三季度"]
    assert isinstance(rules.compile("{MyWord}|十四五"), GuardedPattern)


def test_a_slow_pattern_of_rules_is_one_error_line_not_a_hang(tmp_path):
    """\\d*\\d*\\d*\\d*\\d*x has no nested quantifier, yet on a run of a thousand digits it takes
    minutes (five adjacent repeats: n**5 ways to share the run): the time limit stops it, the
    document is told as failed by that rule, the other documents' rows are kept, exit 2."""
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "non_quantity_patterns.tsv").write_text(
        "name\tpattern\treason\nmodel\t\\d*\\d*\\d*\\d*\\d*x\tmodel numbers such as 12x\n", encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text(REPORT, encoding="utf-8")
    (reports / "b.txt").write_text(REPORT.replace("1244", "2853"), encoding="utf-8")
    (reports / "codes.txt").write_text("某镇工作总结\n\n编号" + "1" * 1000 + "。型号x。\n", encoding="utf-8")
    started = time.monotonic()
    done = run_process(reports, "--rules", rules, "-o", tmp_path / "out.csv", "--errors", tmp_path / "errors.csv")
    assert time.monotonic() - started < 120
    assert done.returncode == 2, done.stderr
    errors = one_line_errors(done.stderr)
    assert len(errors) == 1
    assert errors[0].startswith("extract: error: codes.txt: rules: ") and "non_quantity_patterns.tsv:2: pattern took " \
        "longer than" in errors[0] and "backtracks catastrophically" in errors[0]
    assert {r["doc"] for r in csv_rows((tmp_path / "out.csv").read_bytes())} == {"a.txt", "b.txt"}
    assert [r["path"].rsplit("/", 1)[-1] for r in csv_rows((tmp_path / "errors.csv").read_bytes())] == ["codes.txt"]
    assert regex.compile(r"\d*\d*\d*\d*\d*x") and pattern_problem(r"\d*\d*\d*\d*\d*x") is None
