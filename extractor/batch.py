"""Running many reports: in this process or on worker processes, results in input order.

The unit of work, :func:`extract_source`, is a plain picklable function of (source, options): the
same call a cluster scheduler maps. Workers are forked from a process that has built the pipeline,
so they share it instead of building their own; large files are handed out first so that no
worker is left with the biggest file at the end. A document that takes longer than the time
budget, or a worker that dies, becomes one error line for that document: the others' rows are kept.
"""
from __future__ import annotations

import gc
from collections import Counter
import os
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field

from .io.reader import Document, EmptyInput, InputError, Source, read_source
from .model import DocumentInfo, DocumentRecord, Fact

DEFAULT_TIMEOUT = 600.0   # seconds one document may take before it is given up


@dataclass(frozen=True)
class Options:
    encoding: str | None = None
    rule_dirs: tuple[str, ...] = ()
    keep_text: bool = False      # the HTML review view needs the document text
    check_outline: bool = False  # also return the outline sanity report
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int | None = None  # the largest input read (None: io.limits.DEFAULT_MAX_BYTES)


@dataclass
class Result:
    name: str
    facts: list[Fact] = field(default_factory=list)
    text: str = ""
    error: str | None = None     # the input failed: one line naming it and the reason
    warning: str | None = None   # read, but worth telling (empty file)
    notes: list[str] = field(default_factory=list)  # outline sanity lines, when asked
    record: DocumentRecord | None = None            # the document as a record of the dataset


class _Timeout(Exception):
    pass


@contextmanager
def _time_budget(seconds: float):
    """Raise _Timeout in this (main) thread after ``seconds``; no budget where signals cannot do it."""
    usable = seconds > 0 and hasattr(signal, "setitimer")
    if usable:
        try:
            previous = signal.signal(signal.SIGALRM, _raise_timeout)
        except ValueError:   # not the main thread
            usable = False
    if usable:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _raise_timeout(signum, frame):
    raise _Timeout()


def extract_source(source: Source, options: Options) -> Result:
    """Read and extract one input; every failure becomes a one-line error in the result."""
    from .pipeline import get_pipeline

    try:
        document = read_source(source, options.encoding, options.max_bytes)
    except EmptyInput as e:
        return Result(source.name, warning=str(e))
    except InputError as e:
        return Result(source.name, error=str(e))
    try:
        with _time_budget(options.timeout):
            pipeline = get_pipeline(options.rule_dirs)
            analysis = pipeline.analyse(document.text, document.name)
            facts = pipeline.facts(analysis, document.name)
            notes = pipeline.check(analysis) if options.check_outline else []
    except _Timeout:
        return Result(source.name, error=f"{source.name}: gave up after {options.timeout:g} s "
                                         "(raise the budget with --timeout)")
    except RecursionError:
        return Result(source.name, error=f"{source.name}: nested too deeply to read")
    except Exception as e:  # a bug on one document must not lose the batch
        return Result(source.name, error=f"{source.name}: internal error ({type(e).__name__}: {e})")
    return Result(source.name, facts, document.text if options.keep_text else "", notes=notes,
                  record=_record(document, analysis.document, facts))


def _record(document: Document, info: DocumentInfo, facts: list[Fact]) -> DocumentRecord:
    counts = Counter(str(f.type) for f in facts)
    return DocumentRecord(doc=document.name, path=str(document.path) if document.path else "-",
                          title=info.title, issuer=info.issuer, kind=info.kind, year=info.year, characters=len(document.text),
                          sha256=document.sha256, headings=counts["heading"], indicators=counts["indicator"],
                          tasks=counts["task"])


def _init_worker(options: Options) -> None:
    from .pipeline import get_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
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


def _size(source: Source) -> int:
    try:
        return source.path.stat().st_size if source.path is not None else 0
    except OSError:
        return 0


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
    yield from _run_pool(sources, files, options, jobs)


def _run_pool(sources: Sequence[Source], files: list[Source], options: Options, jobs: int) -> Iterator[Result]:
    context = _fork_context()
    if context is not None:
        # built once here; forked workers share it copy-on-write instead of each building its own.
        # gc.freeze keeps the collector from touching (and so copying) the shared objects' pages.
        from .pipeline import get_pipeline

        get_pipeline(options.rule_dirs)
        gc.collect()
        gc.freeze()
    pending: dict[int, Future] = {}
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                               initargs=(options,))
    try:
        # the largest files first, so that the last to finish are small ones
        for i in sorted(range(len(files)), key=lambda i: -_size(files[i])):
            pending[i] = pool.submit(extract_source, files[i], options)
        k = 0
        for s in sources:
            if s.path is None:
                yield extract_source(s, options)   # stdin can only be read here, in the parent
                continue
            yield _collect(pending.pop(k), files[k], options, context)
            k += 1
    finally:
        for f in pending.values():
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        if context is not None:
            gc.unfreeze()


def _collect(future: Future, source: Source, options: Options, context) -> Result:
    try:
        return future.result()
    except BrokenProcessPool:
        # a worker died (killed, out of memory) and took the pool with it: which document did it
        # is not known, so each unfinished one is read again in a process of its own
        return _isolated(source, options, context)


def _isolated(source: Source, options: Options, context) -> Result:
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        try:
            return pool.submit(extract_source, source, options).result()
        except BrokenProcessPool:
            return Result(source.name, error=f"{source.name}: the process reading it stopped "
                                             "unexpectedly (out of memory?)")
