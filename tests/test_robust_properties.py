"""Properties of the library for any text: ``extract_text`` returns, every row points into the
document (``document[start:end] == text``) and every value is finite — for control characters,
mixed scripts, 50,000-character lines, floods of digits and numerals and deeply nested numbering.

CI runs a fixed, bounded profile: few examples, no deadline, derandomized (the same examples every
run). ``HYPOTHESIS_PROFILE=robust-long`` runs more, randomly.
"""
from __future__ import annotations

import math
import os

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from extractor.io.reader import universal_newlines  # noqa: E402
from extractor.pipeline import extract_text  # noqa: E402

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("robust-ci", max_examples=12, deadline=None, derandomize=True,
                          suppress_health_check=_SLOW_OK, database=None)
settings.register_profile("robust-long", max_examples=300, deadline=None, suppress_health_check=_SLOW_OK)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "robust-ci")
if PROFILE not in ("robust-ci", "robust-long"):
    PROFILE = "robust-ci"

NUMERALS = "〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億兆点多余几"
REPORT_WORDS = ["全年", "新增", "就业", "增长", "下降", "同比", "其中", "元", "万元", "亿元", "人", "人次", "户", "个",
                "%", "百分点", "以上", "左右", "约", "近", "2023年", "12月", "一季度", "力争", "下一步", "将",
                "完成", "投资", "项目", "“十四五”", "第一", "，", "。", "；", "、", "：", "（", "）", "\n", " ", "\t"]
MARKERS = ["一、", "（一）", "1.", "（1）", "①", "第一部分", "一是", "1、", "(2)", "二、", "（十二）", "10.",
           "第三章", "A.", "——", "#", "## ", "1.1", "1.1.1", "⑳"]

# any character but lone surrogates (a decoded document has none): control characters included
any_char = st.characters(exclude_categories=("Cs",))
report_like = st.lists(st.one_of(st.sampled_from(REPORT_WORDS), st.sampled_from(list(NUMERALS)),
                                 st.integers(0, 10**12).map(str), st.text(any_char, max_size=3)),
                       max_size=120).map("".join)


@st.composite
def long_lines(draw) -> str:
    """A line of 50,000 characters (no line break in it), from a short unit repeated."""
    unit = draw(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e"
                                                                                     "\x85\u2028\u2029"),
                        min_size=1, max_size=12))
    return (unit * (50_000 // len(unit) + 1))[:50_000]


@st.composite
def floods(draw) -> str:
    """Digits, numerals and the marks between them, repeated: the inputs that once were quadratic."""
    unit = draw(st.sampled_from(["一二三四五六七八九十百千万亿", "1 ", "12,", "3.5%、", "二〇二三", "十", "亿",
                                 "壹佰贰拾", "1万", "１２３，", "几十", "百分之", "第一", "①", "1+", "5-", "一、"]))
    size = draw(st.integers(1, 20_000))
    return (unit * (size // len(unit) + 1))[:size]


@st.composite
def digit_runs(draw) -> str:
    """A run of one digit, up to 20,000 long."""
    return draw(st.sampled_from("0123456789")) * draw(st.integers(1, 20_000))


@st.composite
def nested_numbering(draw) -> str:
    """Headings nested hundreds deep, in any order of numbering schemes, with text between."""
    lines = draw(st.lists(st.tuples(st.integers(0, 40), st.sampled_from(MARKERS), report_like), min_size=1,
                          max_size=400))
    return "\n".join(" " * depth + marker + text for depth, marker, text in lines)


def check(text: str) -> None:
    facts = extract_text(text, doc="x")
    document = universal_newlines(text)
    for f in facts:
        assert document[f.start:f.end] == f.text, (f.id, f.start, f.end)
        assert 0 <= f.start <= f.end <= len(document)
        for v in (f.value, f.value_max):
            assert v is None or math.isfinite(v), (f.id, v)


@settings(settings.get_profile(PROFILE))
@given(st.text(any_char, max_size=2_000))
def test_any_text(text):
    check(text)


@settings(settings.get_profile(PROFILE))
@given(report_like)
def test_report_like_text(text):
    check(text)


@settings(settings.get_profile(PROFILE), max_examples=min(settings.get_profile(PROFILE).max_examples, 4))
@given(long_lines())
def test_fifty_thousand_character_lines(text):
    check(text)


@settings(settings.get_profile(PROFILE))
@given(floods())
def test_floods_of_digits_and_numerals(text):
    check(text)


@settings(settings.get_profile(PROFILE), max_examples=min(settings.get_profile(PROFILE).max_examples, 6))
@given(digit_runs())
def test_runs_of_one_digit(text):
    check(text)


@settings(settings.get_profile(PROFILE))
@given(nested_numbering())
def test_deeply_nested_numbering(text):
    check(text)


@pytest.mark.parametrize("text", [
    "共有一" + "亿" * 40 + "个",            # too large for a float: no number, not an infinite one
    "共有" + "9" * 400 + "个",
    "增长" + "9" * 308 + "倍",
    "\x00\x01\x02新增就业\x7f1244人\x1b[0m",
    "新增就业1244人\r\n其中女性600人\r同比增长2.1%",
    "一、" * 5_000,
    "（一）（二）（三）" * 3_000,
])
def test_known_hard_texts(text):
    check(text)
