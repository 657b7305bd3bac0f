#!/usr/bin/env python3
"""The counting words reports write after a number that rules/units.tsv does not know.

usage: python benchmarks/unit_survey.py [FOLDER ...] [--min N]

Reads every .txt report of the folders (default: ../shared/corpus, corpus/ and /work/extdocs when
present) and counts, after each number written in Arabic digits (with any scale word and 多/余),
the one and two Han characters that follow it (--chinese: after numbers written in Chinese numerals). A word is listed when no unit of units.tsv reads
it whole: either no unit starts there (the number stays bare: "获8金"), or the longest unit read
is shorter than a two-character word that is itself a counting word ("26例次" read as 26 例 + 次).
Each line: how often, the word, whether a unit starts it, and one example. The list is for a person
to read: the real measure words go into units.tsv, the rest (names, verbs, 5G …) stay out.
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.rules import load_rules  # noqa: E402

_ARABIC = regex.compile(r"(?<![\d.A-Za-z])\d+(?:\.\d+)?(?:[万亿千百]+)?(?:多|余)?(?=\p{Han})")
# with --chinese: a numeral written in words after a character that is no numeral (noisier: names
# and idioms hold numerals too)
_CHINESE = regex.compile(r"(?<![零〇一二两三四五六七八九十百千万亿第])[一二两三四五六七八九十][零〇一二三四五六七八九十百千万亿]*(?:多|余)?")
_FOLLOW = regex.compile(r"\p{Han}{1,2}")


def _folders(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    found = [ROOT.parent / "shared" / "corpus", ROOT / "corpus", Path("/work/extdocs")]
    return [p for p in found if p.is_dir()]


def survey(folders: list[Path], units: set[str], number: regex.Pattern = _ARABIC) -> tuple[collections.Counter, dict[str, str]]:
    counts: collections.Counter = collections.Counter()
    examples: dict[str, str] = {}
    longest = max(len(u) for u in units)
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            for m in number.finditer(text):
                after = _FOLLOW.match(text, m.end())
                if after is None:
                    continue
                word = after.group()
                read = next((text[m.end():m.end() + k] for k in range(longest, 0, -1)
                             if text[m.end():m.end() + k] in units), "")
                if len(read) >= len(word):
                    continue
                key = word if read else word[0]
                counts[key] += 1
                examples.setdefault(key, text[max(0, m.start() - 10):m.end() + 6].replace("\n", " "))
    return counts, examples


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*")
    ap.add_argument("--min", type=int, default=2, help="list words seen at least this often")
    ap.add_argument("--chinese", action="store_true", help="numbers written in Chinese numerals instead")
    a = ap.parse_args()
    rules = load_rules(())
    units = {r["text"] for r in rules.table("units", ["text"])}
    counts, examples = survey(_folders(a.folders), units, _CHINESE if a.chinese else _ARABIC)
    for word, n in counts.most_common():
        if n < a.min:
            break
        starts = "unit+" if any(word.startswith(u) for u in units) else "none "
        print(f"{n:5d}  {word:4s}  {starts}  {examples[word]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
