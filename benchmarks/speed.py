#!/usr/bin/env python3
"""Speed and memory of extraction, set against plain jieba segmentation of the same text.

usage: python benchmarks/speed.py [FOLDER ...] [--repeat N] [--jobs N]

Prints, for the reports found (default: ../shared/corpus when present, else corpus/):
  - pipeline build time (once per process),
  - plain jieba (own Tokenizer, default HMM) over the whole text: seconds and chars/s,
  - full extraction (every fact type) over the same text: seconds, chars/s, and the ratio to jieba,
  - time per stage, peak resident memory,
  - the CLI over the folder with --jobs 1 and --jobs N (wall clock, including process start).
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best_of(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=0)
    a = ap.parse_args()
    folders = [Path(f) for f in a.folders] or [p for p in (ROOT.parent / "shared" / "corpus", ROOT / "corpus") if p.is_dir()][:1]
    sys.path.insert(0, str(ROOT))
    from extractor.pipeline import Pipeline
    from extractor.reader import Source, collect_sources, read_source
    from extractor.rules import load_rules

    sources, _ = collect_sources([str(f) for f in folders])
    texts = [read_source(s).text for s in sources]
    chars = sum(map(len, texts))
    print(f"reports: {len(texts)}  chars: {chars:,}")

    t0 = time.perf_counter()
    pipe = Pipeline(load_rules())
    print(f"pipeline build: {time.perf_counter() - t0:.2f}s (once per process)")

    seg = pipe.nlp.tokenizer.segmenter
    t_jieba = best_of(a.repeat, lambda: [list(seg.cut(t)) for t in texts])
    print(f"plain jieba segmentation: {t_jieba:.2f}s  {chars / t_jieba:,.0f} chars/s")

    t_all = best_of(a.repeat, lambda: [pipe.extract(t) for t in texts])
    n_facts = sum(len(pipe.extract(t)) for t in texts)
    print(f"full extraction:          {t_all:.2f}s  {chars / t_all:,.0f} chars/s  "
          f"= {t_all / t_jieba:.2f} x jieba  ({n_facts:,} facts)")

    # time per stage, one pass
    from extractor.normalize import normalize
    from extractor.textunits import sentences

    stages = dict.fromkeys(["normalize", "outline", "sentences", "times", "quantities", "tasks", "indicators"], 0.0)
    for t in texts:
        c = time.perf_counter(); view = normalize(t); stages["normalize"] += time.perf_counter() - c
        c = time.perf_counter(); outline = pipe.outline.build(view.text); stages["outline"] += time.perf_counter() - c
        c = time.perf_counter(); sents = sentences(view.text); stages["sentences"] += time.perf_counter() - c
        c = time.perf_counter(); times = pipe.times.find(view.text); stages["times"] += time.perf_counter() - c
        c = time.perf_counter(); qs = pipe.quantities.find(view.text); stages["quantities"] += time.perf_counter() - c
        c = time.perf_counter(); tasks = pipe.tasks.extract(view.text, sents, outline, times); stages["tasks"] += time.perf_counter() - c
        c = time.perf_counter(); pipe.indicators.extract(view.text, sents, outline, qs, times, tasks)
        stages["indicators"] += time.perf_counter() - c
    print("per stage: " + ", ".join(f"{k} {v:.2f}s" for k, v in stages.items()))
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    for jobs in (1, a.jobs or 0):
        t0 = time.perf_counter()
        cp = subprocess.run([sys.executable, "-m", "extractor", *map(str, folders), "--format", "jsonl", "-q",
                             "--jobs", str(jobs)], capture_output=True, cwd=ROOT)
        wall = time.perf_counter() - t0
        print(f"CLI --jobs {jobs or 'auto'}: {wall:.2f}s wall, {chars / wall:,.0f} chars/s incl. start-up "
              f"(exit {cp.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
