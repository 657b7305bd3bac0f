#!/usr/bin/env python3
"""Many cores, a cluster, memory and writing: the command end to end, as a user runs it.

usage: python benchmarks/scale.py [FOLDER] [--repeat N] [--jobs N] [--copies N] [--big-copies N]
                                  [--no-dask] [--skip-big]

Prints, ratios first:
  - ``--jobs 1`` against ``--jobs 2`` (and ``--jobs N`` when N > 2) on FOLDER (default
    ../shared/corpus, else corpus/): wall time of the command, the median of --repeat runs taken in
    turn (1, 2, N, 1, 2, N …), and the CPU seconds of the process and all its workers;
  - the same on a bigger folder: FOLDER copied --copies times into a temporary folder under
    distinct names (one run per setting);
  - ``--engine dask`` (a LocalCluster of N workers) against the local pool, on FOLDER;
  - the peak memory of a large batch (FOLDER copied --big-copies times, about 50 MB for the shared
    corpus): the sum of the proportional set size (PSS, /proc/PID/smaps_rollup) over the command
    and every process below it, sampled every 0.25 s — pages shared copy-on-write between forked
    workers are counted once, not once per worker as resident sizes would;
  - the time to write the same facts as csv, jsonl, parquet and xlsx (facts of FOLDER repeated
    past 80,000 rows).
The load average is printed too: the machine may be shared, and a core that another program
holds is not one this run can use. The commands keep their compiled bytecode in the scratch folder
(PYTHONPYCACHEPREFIX), as an installed package keeps it; a first run that fills it is not counted.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_EVERY = 0.25         # seconds between two memory samples (a scan of /proc costs CPU too)
WRITE_ROWS = 80_000         # at least this many facts for the writing times
WRITE_FORMATS = ("csv", "jsonl", "parquet", "xlsx")


def command(folder: Path, out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "extractor", str(folder), "-q", "-o", str(out), *options]


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and every process it waited for) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"scale: {' '.join(cmd)} failed: {done.stderr.decode(errors='replace')[-400:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def in_turn(folder: Path, settings: dict[str, list[str]], repeat: int, scratch: Path) -> dict[str, dict]:
    """Each setting run ``repeat`` times, the settings taken in turn; medians, and the outputs
    checked to be the same bytes."""
    smallest = min(folder.glob("*.txt"), key=lambda p: p.stat().st_size)
    timed(command(smallest, scratch / "warm.csv"))   # fills the bytecode cache: not counted
    walls: dict[str, list[float]] = {name: [] for name in settings}
    cpus: dict[str, list[float]] = {name: [] for name in settings}
    outputs: dict[str, bytes] = {}
    for _ in range(repeat):
        for name, options in settings.items():
            out = scratch / f"{name.replace(' ', '_')}.csv"
            wall, cpu = timed(command(folder, out, *options))
            walls[name].append(wall)
            cpus[name].append(cpu)
            outputs[name] = out.read_bytes()
    same = len(set(outputs.values())) == 1
    return {name: {"wall": statistics.median(walls[name]), "cpu": statistics.median(cpus[name]),
                   "walls": walls[name], "same": same} for name in settings}


def copies_of(folder: Path, copies: int, into: Path) -> Path:
    """``folder``'s reports ``copies`` times over, under distinct names."""
    into.mkdir(parents=True, exist_ok=True)
    for path in sorted(folder.glob("*.txt")):
        for k in range(copies):
            shutil.copyfile(path, into / f"{path.stem}-{k:03d}{path.suffix}")
    return into


# ---- memory

def _children() -> dict[int, list[int]]:
    below: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            below.setdefault(ppid, []).append(int(entry))
    return below


def tree_pss(root: int) -> int:
    """The proportional set size, in bytes, of ``root`` and every process below it."""
    below, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        todo += below.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            pass
    return total


def peak_memory(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and the peak of :func:`tree_pss` over one run."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_pss(process.pid))
            stop.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    stop.set()
    sampler.join()
    if process.returncode not in (0, 1):
        sys.exit(f"scale: {' '.join(cmd)} failed: {stderr.decode(errors='replace')[-400:]}")
    return time.perf_counter() - started, peak


# ---- writing

def writing_times(folder: Path, scratch: Path) -> tuple[int, dict[str, float]]:
    """Seconds to write the same facts (FOLDER's, repeated past WRITE_ROWS) in each format."""
    sys.path.insert(0, str(ROOT))
    from extractor.batch import Options, run
    from extractor.io.reader import collect_sources
    from extractor.io.writers import BINARY_FORMATS, make_writer

    sources, _ = collect_sources([str(folder)])
    docs = [(r.name, r.facts) for r in run(sources, Options(), 0)]
    per_round = sum(len(f) for _, f in docs) or 1
    rounds = -(-WRITE_ROWS // per_round)
    rows = [(f"{k}/{name}", facts) for k in range(rounds) for name, facts in docs]
    times = {}
    for fmt in WRITE_FORMATS:
        path = scratch / f"facts.{fmt}"
        started = time.perf_counter()
        with open(path, "wb") as raw:
            stream = raw if fmt in BINARY_FORMATS else io.TextIOWrapper(raw, encoding="utf-8", newline="")
            writer = make_writer(fmt, stream)
            writer.begin()
            for name, facts in rows:
                writer.write(name, "", facts)
            writer.end()
            stream.flush()
        times[fmt] = time.perf_counter() - started
    return per_round * rounds, times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--copies", type=int, default=10, help="the bigger folder: FOLDER this many times")
    ap.add_argument("--big-copies", type=int, default=17, help="the memory run: FOLDER this many times")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--skip-big", action="store_true", help="no bigger-folder and memory runs")
    a = ap.parse_args()
    folder = Path(a.folder) if a.folder else next(
        p for p in (ROOT.parent / "shared" / "corpus", ROOT / "corpus") if p.is_dir())
    jobs = {"jobs 1": ["-j", "1"], "jobs 2": ["-j", "2"]}
    if a.jobs > 2:
        jobs[f"jobs {a.jobs}"] = ["-j", str(a.jobs)]
    lines, ratios = [], []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        scratch = Path(tmp)
        os.environ["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        settings = dict(jobs)
        if not a.no_dask:
            settings[f"dask {a.jobs}"] = ["--engine", "dask", "-j", str(a.jobs)]
        got = in_turn(folder, settings, a.repeat, scratch)
        base = got["jobs 1"]["wall"]
        for name, g in got.items():
            if name != "jobs 1":
                ratios.append(f"{folder.name}: {name} is {base / g['wall']:.2f}x jobs 1 (wall, median of {a.repeat})")
            lines.append(f"{folder.name} {name:8s} wall {g['wall']:6.1f} s  cpu {g['cpu']:6.1f} s  "
                         f"runs {' '.join(f'{w:.1f}' for w in g['walls'])}")
        lines.append(f"{folder.name}: outputs identical across settings: {next(iter(got.values()))['same']}")
        if not a.no_dask:
            local = got[f"jobs {a.jobs}"]["wall"] if f"jobs {a.jobs}" in got else got["jobs 2"]["wall"]
            ratios.append(f"{folder.name}: dask {a.jobs} is {local / got[f'dask {a.jobs}']['wall']:.2f}x "
                          f"the local pool of {a.jobs} (wall)")
        if not a.skip_big:
            bigger = copies_of(folder, a.copies, scratch / f"x{a.copies}")
            size = sum(p.stat().st_size for p in bigger.iterdir()) / 1e6
            got = in_turn(bigger, jobs, 1, scratch)
            base = got["jobs 1"]["wall"]
            for name, g in got.items():
                if name != "jobs 1":
                    ratios.append(f"x{a.copies} ({size:.0f} MB): {name} is {base / g['wall']:.2f}x jobs 1 (wall)")
                lines.append(f"x{a.copies} {name:8s} wall {g['wall']:6.1f} s  cpu {g['cpu']:6.1f} s")
            lines.append(f"x{a.copies}: outputs identical across settings: {next(iter(got.values()))['same']}")
            shutil.rmtree(bigger)
            big = copies_of(folder, a.big_copies, scratch / f"x{a.big_copies}")
            size = sum(p.stat().st_size for p in big.iterdir()) / 1e6
            files = len(list(big.iterdir()))
            for fmt in ("csv", "xlsx"):
                wall, peak = peak_memory(command(big, scratch / f"big.{fmt}", "-j", str(a.jobs)))
                ratios.append(f"x{a.big_copies} ({size:.0f} MB, {files} files) -j {a.jobs} -o {fmt}: "
                              f"peak {peak / 1e6:.0f} MB (PSS, all processes)")
                lines.append(f"x{a.big_copies} -o {fmt}: wall {wall:.1f} s, peak PSS {peak / 1e6:.0f} MB")
            shutil.rmtree(big)
        rows, times = writing_times(folder, scratch)
        ratios.append(f"writing {rows} facts: " + ", ".join(f"{fmt} {s:.1f} s" for fmt, s in times.items()))
    print(f"load average at start {load:.2f} on {os.cpu_count()} cores")
    print("\n".join(ratios))
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
