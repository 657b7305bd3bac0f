"""Running many reports: in this process or on worker processes, results in input order.

The unit of work, :func:`extract_source`, is a plain picklable function of (source, options): the
same call a cluster scheduler maps. Workers are forked from a process that has built the pipeline,
so they share it instead of building their own; large files are handed out first so that no
worker is left with the biggest file at the end. A document that takes longer than the time
budget, or a worker that dies, becomes one error line for that document: the others' rows are kept.
A pool that breaks (a worker killed, out of memory) is not trusted again: the documents it had not
finished are read once more, each in a process of its own, as many at a time as there were workers.
A run that stops early (Ctrl-C, an output that cannot be written) stops its workers at once.
"""
from __future__ import annotations

import gc
import os
import signal
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field

from .io.reader import Document, EmptyInput, InputError, Source, read_source
from .model import DocumentInfo, DocumentRecord, Fact
from .rules import RuleError

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
    path: str = ""               # the input as given: its path, or - for stdin
    reason: str = ""             # of an error: the reason alone, without the name
    rules: bool = False          # the error is a rule's (a pattern of --rules too slow), not the input's


def failed(source: Source, reason: str, rules: bool = False) -> Result:
    """The result of an input that failed: one line naming it and the reason."""
    return Result(source.name, error=f"{source.name}: {reason}", path=_path(source), reason=reason, rules=rules)


def _path(source: Source) -> str:
    return str(source.path) if source.path is not None else "-"


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
        return Result(source.name, warning=str(e), path=_path(source))
    except InputError as e:
        return failed(source, e.reason)
    except MemoryError:
        return failed(source, "out of memory while reading it")
    try:
        with _time_budget(options.timeout):
            pipeline = get_pipeline(options.rule_dirs)
            analysis = pipeline.analyse(document.text, document.name)
            facts = pipeline.facts(analysis, document.name)
            notes = pipeline.check(analysis) if options.check_outline else []
    except _Timeout:
        return failed(source, f"gave up after {options.timeout:g} s (raise the budget with --timeout)")
    except RecursionError:
        return failed(source, "nested too deeply to read")
    except MemoryError:
        return failed(source, "out of memory while extracting from it")
    except RuleError as e:   # a pattern of --rules that backtracks catastrophically on this text
        return failed(source, f"rules: {e}", rules=True)
    except Exception as e:  # a bug on one document must not lose the batch
        return failed(source, f"internal error ({type(e).__name__}: {' '.join(str(e).split())})")
    return Result(source.name, facts, document.text if options.keep_text else "", notes=notes,
                  record=_record(document, analysis.document, facts), path=_path(source))


def _record(document: Document, info: DocumentInfo, facts: list[Fact]) -> DocumentRecord:
    counts = Counter(str(f.type) for f in facts)
    return DocumentRecord(doc=document.name, path=str(document.path) if document.path else "-",
                          title=info.title, issuer=info.issuer, kind=info.kind, year=info.year, characters=len(document.text),
                          sha256=document.sha256, headings=counts["heading"], indicators=counts["indicator"],
                          tasks=counts["task"])


def _init_worker(options: Options) -> None:
    from .pipeline import get_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a worker stopped is a worker gone (no handler of the parent's)
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
    finished = False
    try:
        # the largest files first, so that the last to finish are small ones
        for i in sorted(range(len(files)), key=lambda i: -_size(files[i])):
            pending[i] = pool.submit(extract_source, files[i], options)
        done: dict[int, Result] = {}   # after a pool broke: what it had finished
        isolated = None                 # and the rest, read again each in a process of its own
        for i, source in _files_numbered(sources):
            if source.path is None:
                yield extract_source(source, options)   # stdin can only be read here, in the parent
                continue
            if isolated is None:
                result = _collect(pending.pop(i))
                if result is not None:
                    yield result
                    continue
                _stop(pool)     # the pool broke: which document did it is not known
                done = {j: r for j, f in pending.items() if (r := _collect(f)) is not None}
                again = [i] + [j for j in sorted(pending) if j not in done]
                pending.clear()
                isolated = _isolated([files[j] for j in again], options, context, jobs)
            yield done.pop(i) if i in done else next(isolated)
        finished = True
    finally:
        for f in pending.values():
            f.cancel()
        if not finished:
            _stop(pool)   # stopped early: Ctrl-C, or the output failed; no worker is waited for
        pool.shutdown(wait=finished, cancel_futures=True)
        if context is not None:
            gc.unfreeze()


def _files_numbered(sources: Sequence[Source]) -> Iterator[tuple[int, Source]]:
    """Each source with its index among the files (stdin, which is no file, gets -1)."""
    k = 0
    for s in sources:
        if s.path is None:
            yield -1, s
        else:
            yield k, s
            k += 1


def _collect(future: Future) -> Result | None:
    """The future's result; None when its pool broke (a worker died)."""
    try:
        return future.result()
    except BrokenProcessPool:
        return None


def _stop(pool: ProcessPoolExecutor) -> None:
    """End a pool's worker processes now."""
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError, ValueError):
            pass


def _init_single() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _isolated(sources: Sequence[Source], options: Options, context, jobs: int) -> Iterator[Result]:
    """Each source read in a process of its own, ``jobs`` at a time, results in order: a process
    that dies takes only its own document with it."""
    window: deque[tuple[Source, ProcessPoolExecutor, Future]] = deque()
    todo = iter(sources)

    def start(source: Source) -> None:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_init_single)
        window.append((source, pool, pool.submit(extract_source, source, options)))

    try:
        for source in todo:
            start(source)
            if len(window) >= jobs:
                break
        while window:
            source, pool, future = window.popleft()
            result = _collect(future)
            pool.shutdown(wait=True)
            nxt = next(todo, None)
            if nxt is not None:
                start(nxt)
            yield result if result is not None else failed(
                source, "the process reading it stopped unexpectedly (killed, or out of memory?)")
    finally:
        for _, pool, _ in window:
            _stop(pool)
            pool.shutdown(wait=False, cancel_futures=True)
