"""Shared fixtures: where things are, and one pipeline for the whole test session."""
from __future__ import annotations

from pathlib import Path

import pytest

# the layer checks live outside test modules; their asserts should explain themselves all the same
pytest.register_assert_rewrite("tests.layers")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"


def shared_corpus_docs() -> list[Path]:
    return sorted(SHARED_CORPUS.glob("*.txt")) if SHARED_CORPUS.is_dir() else []


needs_shared_corpus = pytest.mark.skipif(
    not SHARED_CORPUS.is_dir(),
    reason=f"the shared corpus of real reports is not here ({SHARED_CORPUS}); it exists only in the development workspace",
)


@pytest.fixture(scope="session")
def rules():
    from extractor.rules import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def pipeline():
    from extractor.pipeline import get_pipeline

    return get_pipeline()
