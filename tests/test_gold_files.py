"""Data integrity of the sample corpus and its gold annotations (tests/gold/*.json).

Every gold entry must point into its document at the stated occurrence, indicators must carry the
fields the scorer reads, and the corpus listing must stay in step with the files.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT, SHARED_CORPUS, needs_shared_corpus

GOLD = ROOT / "tests" / "gold"
GOLD_FILES = sorted(GOLD.glob("*.json"))
CORPUS_DOCS = sorted(CORPUS.glob("*.txt"))

QUALIFIERS = {"exact", "over", "under", "about", "range"}
DIRECTIONS = {"up", "down", None}
KINDS = ("headings", "indicators", "tasks")
# a shared run this long would mean text was copied rather than written
MAX_SHARED_RUN = 60


def read_doc(path: Path) -> str:
    with open(path, encoding="utf-8-sig") as f:  # universal newlines, as the scorer reads it
        return f.read()


def locate(doc: str, text: str, occurrence: int) -> int:
    pos = -1
    for _ in range(occurrence):
        pos = doc.find(text, pos + 1)
        if pos < 0:
            return -1
    return pos


def load(path: Path) -> tuple[dict, str]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    return gold, read_doc(CORPUS / gold["doc"])


def test_every_corpus_document_has_gold_and_a_readme_line():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    stems = {p.stem for p in GOLD_FILES}
    assert CORPUS_DOCS, "corpus/ holds no documents"
    for doc in CORPUS_DOCS:
        assert doc.stem in stems, f"{doc.name} has no tests/gold/{doc.stem}.json"
        assert f"`{doc.name}`" in readme, f"{doc.name} is not listed in corpus/README.md"


@pytest.mark.parametrize("doc", CORPUS_DOCS, ids=lambda p: p.stem)
def test_corpus_document_shape(doc):
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*\.txt", doc.name)
    text = read_doc(doc)
    assert 2000 <= len(text) <= 6000, f"{doc.name}: {len(text)} characters"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file_structure(path):
    gold, doc = load(path)
    assert gold["doc"] == f"{path.stem}.txt"
    assert gold["scope"] == [0, len(doc)]
    for kind in KINDS:
        assert isinstance(gold[kind], list) and gold[kind], f"{path.name}: no {kind}"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_texts_are_found_at_their_occurrence(path):
    gold, doc = load(path)
    missing = [(kind, e["text"], e.get("occurrence", 1))
               for kind in KINDS for e in gold[kind]
               if not e["text"] or locate(doc, e["text"], e.get("occurrence", 1)) < 0]
    assert not missing


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_entries_are_unique(path):
    gold, _ = load(path)
    seen = set()
    for kind in KINDS:
        for e in gold[kind]:
            key = (kind, e["text"], e.get("occurrence", 1), e.get("value"), e.get("unit"))
            assert key not in seen, key
            seen.add(key)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_indicators_carry_scored_fields(path):
    gold, _ = load(path)
    for e in gold["indicators"]:
        assert {"name", "value", "unit"} <= e.keys(), e["text"]
        assert e["name"] and all(alt for alt in e["name"].split("/")), e["text"]
        assert isinstance(e["value"], (int, float)) and not isinstance(e["value"], bool), e["text"]
        assert isinstance(e["unit"], str), e["text"]
        assert e.get("qualifier", "exact") in QUALIFIERS, e["text"]
        assert e.get("direction") in DIRECTIONS, e["text"]
        assert isinstance(e.get("optional", False), bool), e["text"]
        if "value_max" in e:
            assert e["qualifier"] == "range" and e["value_max"] > e["value"], e["text"]
        else:
            assert e.get("qualifier") != "range", e["text"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_headings_have_levels(path):
    gold, doc = load(path)
    for e in gold["headings"]:
        assert e["level"] in (0, 1, 2, 3), e["text"]
        assert isinstance(e.get("runin", False), bool), e["text"]
        if e.get("runin"):
            assert e["level"] == 3, e["text"]
    titles = [e for e in gold["headings"] if e["level"] == 0]
    assert len(titles) == 1 and doc.startswith(titles[0]["text"])


SHINGLE = 24


@pytest.fixture(scope="module")
def shared_shingles() -> set[str]:
    shingles: set[str] = set()
    for p in SHARED_CORPUS.glob("*.txt"):
        s = read_doc(p)
        shingles.update(s[i:i + SHINGLE] for i in range(len(s) - SHINGLE + 1))
    return shingles


@needs_shared_corpus
@pytest.mark.parametrize("doc", CORPUS_DOCS, ids=lambda p: p.stem)
def test_sample_text_is_not_copied_from_the_shared_corpus(doc, shared_shingles):
    text = read_doc(doc)
    run = longest = 0
    for i in range(len(text) - SHINGLE + 1):
        run = run + 1 if text[i:i + SHINGLE] in shared_shingles else 0
        longest = max(longest, run)
    shared_run = longest + SHINGLE - 1 if longest else 0
    assert shared_run < MAX_SHARED_RUN, f"{doc.name} shares a run of {shared_run} characters with a real report"
