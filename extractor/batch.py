"""Running many reports: in this process or on worker processes, results in input order.

A worker builds the pipeline once (its initializer) and then extracts one document per call, so
the per-file cost is the extraction alone. The unit of work, :func:`extract_source`, is a plain
picklable function of (source, options): the same call a cluster scheduler would map.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from .model import Fact
from .io.reader import EmptyInput, InputError, Source, read_source


@dataclass(frozen=True)
class Options:
    encoding: str | None = None
    rule_dirs: tuple[str, ...] = ()
    keep_text: bool = False      # the HTML review view needs the document text
    check_outline: bool = False  # also return the outline sanity report


@dataclass
class Result:
    name: str
    facts: list[Fact] = field(default_factory=list)
    text: str = ""
    error: str | None = None     # the input failed: one line naming it and the reason
    warning: str | None = None   # read, but worth telling (empty file)
    notes: list[str] = field(default_factory=list)  # outline sanity lines, when asked


def extract_source(source: Source, options: Options) -> Result:
    """Read and extract one input; every failure becomes a one-line error in the result."""
    from .pipeline import get_pipeline

    try:
        document = read_source(source, options.encoding)
    except EmptyInput as e:
        return Result(source.name, warning=str(e))
    except InputError as e:
        return Result(source.name, error=str(e))
    try:
        pipeline = get_pipeline(options.rule_dirs)
        analysis = pipeline.analyse(document.text)
        facts = pipeline.facts(analysis, document.name)
        notes = pipeline.check(analysis) if options.check_outline else []
    except Exception as e:  # a bug on one document must not lose the batch
        return Result(source.name, error=f"{source.name}: internal error ({type(e).__name__}: {e})")
    return Result(source.name, facts, document.text if options.keep_text else "", notes=notes)


def _init_worker(options: Options) -> None:
    from .pipeline import get_pipeline

    get_pipeline(options.rule_dirs)


def _fork_context():
    """The fork start method where the platform has it (Linux, macOS), else None (spawn: each
    worker builds its pipeline in its initializer)."""
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run(sources: Sequence[Source], options: Options, jobs: int = 0) -> Iterator[Result]:
    """Results for ``sources`` in their order. ``jobs`` 0 means one worker per core.

    Small batches run in this process: starting workers costs more than it saves.
    """
    jobs = jobs or default_jobs()
    files = [s for s in sources if s.path is not None]
    jobs = min(jobs, len(files))
    if jobs <= 1 or len(files) < 3:
        for s in sources:
            yield extract_source(s, options)
        return
    context = _fork_context()
    if context is not None:
        # built once here; forked workers share it copy-on-write instead of each building its own
        from .pipeline import get_pipeline

        get_pipeline(options.rule_dirs)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(options,)) as pool:
        pending = iter(pool.map(extract_source, files, [options] * len(files), chunksize=1))
        for s in sources:
            # stdin can only be read here, in the parent
            yield extract_source(s, options) if s.path is None else next(pending)
