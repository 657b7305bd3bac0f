"""Linear in the document's length: ten times the text costs at most fifteen times the CPU time.

Measured on the inputs that once were quadratic or worse: a run of Chinese numerals (500 characters
took 8 s, 4,000 took 52 s), a plain run of numbers ("1 2 3 … ", whose one long clause made the
indicator stage read the clause once per figure) and a run of one digit (the time patterns read it
from each of its digits). CPU time of ``extract_text`` on n and 10 n
characters, the best of a few runs each, compared as a ratio: a scaling test, not a time limit.
"""
from __future__ import annotations

import time

import pytest

from extractor.pipeline import extract_text

# the largest ratio of CPU times accepted for ten times the text: quadratic work shows as 100, linear
# as 10; the room above 10 is for a shared machine's load and the caches of a longer text (a run of
# digits costs 13 us a character at 5,000 and 14 at 100,000 on an idle machine)
LIMIT = 15.0


def numeral_run(n: int) -> str:
    unit = "一二三四五六七八九十百千万亿"
    return (unit * (n // len(unit) + 1))[:n]


def number_run(n: int) -> str:
    out, k, size = [], 1, 0
    while size < n:
        out.append(str(k))
        size += len(out[-1]) + 1
        k += 1
    return " ".join(out)[:n]


def digit_run(n: int) -> str:
    return "共有编号" + "1" * n + "。"


def _cpu_time(text: str) -> float:
    started = time.process_time()
    extract_text(text)
    return time.process_time() - started


def _ratio(make, n: int, runs: int = 3) -> tuple[float, float, float]:
    """The best CPU time of n and of 10 n characters, measured in turn (a short run before each long
    one) so that both see the same load of a shared machine, and their ratio."""
    extract_text(make(100))     # the pipeline built, caches warm
    short_text, long_text = make(n), make(10 * n)
    small = large = float("inf")
    for _ in range(runs):
        small = min(small, _cpu_time(short_text), _cpu_time(short_text))
        large = min(large, _cpu_time(long_text))
    return small, large, large / small


@pytest.mark.parametrize("make, n", [(numeral_run, 10_000), (number_run, 5_000)], ids=["numerals", "numbers"])
def test_ten_times_the_text_costs_at_most_fifteen_times_the_time(pipeline, make, n):
    small, large, ratio = _ratio(make, n)
    assert ratio <= LIMIT, f"{make.__name__}: {n:,} characters {small:.2f}s, {10 * n:,} characters {large:.2f}s"


@pytest.mark.parametrize("make, n", [(digit_run, 5_000)], ids=["digits"])
def test_a_run_of_digits(pipeline, make, n):
    small, large, ratio = _ratio(make, n)
    assert ratio <= LIMIT, f"digits: {n:,} {small:.2f}s, {10 * n:,} {large:.2f}s"
