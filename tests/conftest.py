"""Shared fixtures: where things are, and one pipeline for the whole test session."""
from __future__ import annotations

import os
import subprocess
import sys
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


def run_elsewhere(code: str) -> bytes:
    """The stdout of ``code`` run by this Python in a fresh process at the project root, with another
    hash seed and another time zone than this process: what "same input, same output" must survive
    (set and dict order of strings, local time), which a second call in this process cannot show."""
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    tz = "America/Los_Angeles" if os.environ.get("TZ") == "Asia/Shanghai" else "Asia/Shanghai"
    env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout


@pytest.fixture(scope="session")
def rules():
    from extractor.rules import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def pipeline():
    from extractor.pipeline import get_pipeline

    return get_pipeline()
