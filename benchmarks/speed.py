#!/usr/bin/env python3
"""Speed and memory of one process, set against plain jieba segmentation of the same text.

usage: python benchmarks/speed.py [FOLDER ...] [--repeat N] [--starts N] [--big-mb MB] [--skip-big]

Prints, ratios first, for the reports found (default: ../shared/corpus when present, else corpus/):
  - CPU time of ``jieba.lcut`` (precise mode, HMM on: jieba's default) over each document, of
    ``spacy.blank("zh")`` with jieba as its segmenter, and of the full extraction, each with its
    ratio to jieba.lcut; the three are interleaved per document so that all see the same load of a
    busy machine, and the best of --repeat runs counts;
  - the CPU time of each stage of the extraction (one pass) and its ratio to jieba.lcut;
  - the cold start of ``extract`` on a small file against ``python -c "import spacy;
    spacy.blank('zh')"``, ``extract --version`` and ``extract --help``: the medians of --starts runs
    of each, taken in turn (wall clock: a start is what a user waits for);
  - the peak resident memory of ``extract`` over one large file (the reports concatenated to
    --big-mb megabytes), read in a child process with ``resource.getrusage(RUSAGE_CHILDREN)``.

The child processes keep their compiled bytecode in a temporary folder (PYTHONPYCACHEPREFIX), as an
installed package keeps it, and the first start of each kind is not counted (it fills the caches).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPACY_START = "import spacy; spacy.blank('zh')"
# the child that runs a command and reports the peak resident memory of its own children (kB on Linux)
PEAK_OF = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
           "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
SMALL = "今年新建学校3所，全市实现地区生产总值1200亿元，同比增长5.2%。\n明年将继续加强教育工作。\n"


def cpu() -> float:
    return time.process_time()


def ratio_line(name: str, seconds: float, base: float, chars: int) -> str:
    return f"  {name:<26s} {seconds:7.2f}s CPU  {seconds / base:5.2f} x jieba.lcut  {chars / seconds:>10,.0f} chars/s"


def segmentation_and_extraction(texts: list[str], repeat: int) -> tuple[dict[str, float], object]:
    """Best CPU seconds of jieba.lcut, spaCy with jieba and the extraction, interleaved per document."""
    import jieba
    import spacy

    from extractor.pipeline import get_pipeline

    jieba.setLogLevel(60)
    jieba.initialize()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    pipe = get_pipeline()
    for t in texts[:3]:                       # warm: dictionaries, caches
        jieba.lcut(t); nlp(t); pipe.extract(t)
    best = dict.fromkeys(("jieba.lcut", "spaCy + jieba", "full extraction"), float("inf"))
    for _ in range(repeat):
        run = dict.fromkeys(best, 0.0)
        # each run reads the dictionary's entries from the trie again, as a new process would
        pipe.tokenizer.dictionary.forget()
        for t in texts:
            c = cpu(); jieba.lcut(t); run["jieba.lcut"] += cpu() - c
            c = cpu(); nlp(t); run["spaCy + jieba"] += cpu() - c
            c = cpu(); pipe.extract(t); run["full extraction"] += cpu() - c
        best = {k: min(best[k], run[k]) for k in best}
    return best, pipe


def stages(texts: list[str], pipe) -> dict[str, float]:
    """CPU seconds of each stage over all documents, one pass (what Pipeline.extract does, in order)."""
    from extractor.model import Analysis
    from extractor.rows import assemble

    took: dict[str, float] = {}

    def timed(name, f, *args):
        c = cpu()
        out = f(*args)
        took[name] = took.get(name, 0.0) + cpu() - c
        return out

    for t in texts:
        pipe.tokenizer.start_document()
        view = timed("view", pipe.view.build, t)
        paras = timed("text units", pipe.units.paragraphs, view.text)
        sents = timed("text units", pipe.units.sentences, view.text, paras)
        outline = timed("outline", pipe.outline.build, view.text, paras, sents)
        document = timed("outline", pipe.documents.read, view.text, outline, "")
        times = timed("times", pipe.times.find, view.text)
        qs = timed("quantities", pipe.quantities.find, view.text, times)
        analysis = Analysis(view, paras, sents, outline, document, times, qs)
        tasks = timed("tasks", pipe.tasks.extract, analysis)
        indicators = timed("indicators", pipe.indicators.extract, analysis, tasks)
        timed("rows", assemble, "", analysis, tasks, indicators, pipe.columns.of(analysis))
    return took


def starts(n: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall seconds of each start, the kinds taken in turn; the first round is not counted."""
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text(SMALL, encoding="utf-8")
        extract = [sys.executable, "-m", "extractor"]
        commands = {
            'import spacy; spacy.blank("zh")': [sys.executable, "-c", SPACY_START],
            "extract small.txt": [*extract, str(small), "-q", "-o", str(Path(tmp) / "out.csv")],
            "extract --version": [*extract, "--version"],
            "extract --help": [*extract, "--help"],
        }
        took: dict[str, list[float]] = {k: [] for k in commands}
        for round_ in range(n + 1):
            for name, cmd in commands.items():
                t0 = time.perf_counter()
                subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
                               check=True)
                if round_:
                    took[name].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in took.items()}


def peak_memory(texts: list[str], megabytes: float, env: dict[str, str]) -> tuple[int, int]:
    """(size in bytes, peak resident kB) of ``extract`` over one file of the texts repeated to ``megabytes``."""
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        target = int(megabytes * 1024 * 1024)
        with open(big, "w", encoding="utf-8") as f:
            size = 0
            while size < target:
                for t in texts:
                    f.write(t + "\n\n")
                    size += len(t.encode()) + 2
                    if size >= target:
                        break
        cmd = [sys.executable, "-m", "extractor", str(big), "-q", "-j", "1", "--timeout", "0",
               "--max-size", str(megabytes * 2), "-o", str(Path(tmp) / "big.csv")]
        out = subprocess.run([sys.executable, "-c", PEAK_OF, *cmd], capture_output=True, text=True, env=env,
                             cwd=ROOT, check=True)
        return big.stat().st_size, int(out.stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the CPU comparison (the best counts)")
    ap.add_argument("--starts", type=int, default=5, help="runs of each start (the median counts)")
    ap.add_argument("--big-mb", type=float, default=50.0, help="size of the large file for peak memory")
    ap.add_argument("--skip-big", action="store_true", help="leave out the large file (it takes minutes)")
    a = ap.parse_args()
    folders = [Path(f) for f in a.folders] or [p for p in (ROOT.parent / "shared" / "corpus", ROOT / "corpus")
                                               if p.is_dir()][:1]
    sys.path.insert(0, str(ROOT))
    from extractor.io.reader import collect_sources, read_source

    sources, _ = collect_sources([str(f) for f in folders])
    texts = [read_source(s).text for s in sources]
    chars = sum(map(len, texts))
    print(f"reports: {len(texts)}  chars: {chars:,}")

    best, pipe = segmentation_and_extraction(texts, a.repeat)
    base = best["jieba.lcut"]
    print(f"CPU, interleaved per document, best of {a.repeat}:")
    for name, seconds in best.items():
        print(ratio_line(name, seconds, base, chars))
    print("per stage (CPU, one pass):")
    for name, seconds in stages(texts, pipe).items():
        print(ratio_line(name, seconds, base, chars))

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as pycache:
        env["PYTHONPYCACHEPREFIX"] = pycache
        took = starts(a.starts, env)
        spacy_start = took['import spacy; spacy.blank("zh")']
        print(f"start (wall, median of {a.starts}, in turn):")
        for name, seconds in took.items():
            print(f"  {name:<32s} {seconds:5.2f}s  {seconds / spacy_start:5.2f} x spaCy's")
        if not a.skip_big:
            size, peak_kb = peak_memory(texts, a.big_mb, env)
            print(f"peak memory of extract over one file of {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB): "
                  f"{peak_kb / 1024:.0f} MB resident")
    return 0


if __name__ == "__main__":
    sys.exit(main())
