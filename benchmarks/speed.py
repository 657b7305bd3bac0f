#!/usr/bin/env python3
"""Speed and memory of extraction, set against plain jieba segmentation of the same text.

usage: python benchmarks/speed.py [FOLDER ...] [--repeat N] [--jobs N]

Prints, for the reports found (default: ../shared/corpus when present, else corpus/):
  - pipeline build time (once per process),
  - plain jieba (own Tokenizer, default HMM) over the whole text: CPU seconds and chars/s,
  - full extraction (every fact type) over the same text: CPU seconds, chars/s, and the ratio to
    jieba (the two interleaved per document; the best of --repeat runs, and each run's ratio),
  - CPU time per stage, peak resident memory,
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


def cpu() -> float:
    return time.process_time()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=0)
    a = ap.parse_args()
    folders = [Path(f) for f in a.folders] or [p for p in (ROOT.parent / "shared" / "corpus", ROOT / "corpus") if p.is_dir()][:1]
    sys.path.insert(0, str(ROOT))
    from extractor.pipeline import Pipeline
    from extractor.io.reader import collect_sources, read_source
    from extractor.rules import load_rules

    sources, _ = collect_sources([str(f) for f in folders])
    texts = [read_source(s).text for s in sources]
    chars = sum(map(len, texts))
    print(f"reports: {len(texts)}  chars: {chars:,}")

    t0 = time.perf_counter()
    pipe = Pipeline(load_rules())
    print(f"pipeline build: {time.perf_counter() - t0:.2f}s (once per process)")

    # CPU time (not wall clock: the machine may be busy), jieba and extraction interleaved per
    # document so that both see the same load; the best of the repeats for each
    seg = pipe.nlp.tokenizer.segmenter
    for t in texts[:3]:
        list(seg.cut(t))
        pipe.extract(t)
    t_jieba = t_all = float("inf")
    ratios = []
    for _ in range(a.repeat):
        j = e = 0.0
        for t in texts:
            c = cpu(); list(seg.cut(t)); j += cpu() - c
            c = cpu(); pipe.extract(t); e += cpu() - c
        t_jieba, t_all = min(t_jieba, j), min(t_all, e)
        ratios.append(e / j)
    n_facts = sum(len(pipe.extract(t)) for t in texts)
    print(f"plain jieba segmentation: {t_jieba:.2f}s CPU  {chars / t_jieba:,.0f} chars/s")
    print(f"full extraction:          {t_all:.2f}s CPU  {chars / t_all:,.0f} chars/s  "
          f"= {t_all / t_jieba:.2f} x jieba  ({n_facts:,} facts; per repeat "
          + ", ".join(f"{r:.2f}" for r in ratios) + ")")

    # time per stage, one pass
    from extractor.model import Analysis

    stages = dict.fromkeys(["view", "text units", "outline", "times", "quantities", "tasks", "indicators"], 0.0)
    whole = 0.0
    for t in texts:
        pipe.nlp.tokenizer.start_document()
        c = cpu(); view = pipe.view.build(t); stages["view"] += cpu() - c
        c = cpu(); paras = pipe.units.paragraphs(view.text); sents = pipe.units.sentences(view.text, paras)
        stages["text units"] += cpu() - c
        c = cpu(); outline = pipe.outline.build(view.text, paras); stages["outline"] += cpu() - c
        c = cpu(); times = pipe.times.find(view.text); stages["times"] += cpu() - c
        c = cpu(); qs = pipe.quantities.find(view.text, times); stages["quantities"] += cpu() - c
        analysis = Analysis(view, paras, sents, outline, pipe.documents.read(view.text, outline), times, qs)
        c = cpu(); tasks = pipe.tasks.extract(analysis); stages["tasks"] += cpu() - c
        c = cpu(); pipe.indicators.extract(analysis, tasks); stages["indicators"] += cpu() - c
        c = cpu(); pipe.extract(t); whole += cpu() - c
    # what extract() does besides the stages: rows, ids, offsets mapped back to the document
    stages["rows"] = max(whole - sum(stages.values()), 0.0)
    print("per stage (CPU, one pass): " + ", ".join(f"{k} {v:.2f}s" for k, v in stages.items()))
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
