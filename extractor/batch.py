"""Running many reports: in this process or on worker processes, results in input order.

The unit of work, :func:`extract_source`, is a plain picklable function of (source, options): the
same call a cluster scheduler maps. Workers are forked from a process that has built the pipeline,
so they share it instead of building their own; large files are handed out first (among those
within reach of the writing, :class:`Window`) so that no worker is left with a big file at the end.
A document that takes longer than the time budget, or a worker that dies, becomes one error line
for that document: the others' rows are kept.
A pool that breaks (a worker killed, out of memory) is not trusted again: the documents it had not
finished are read once more, each in a process of its own, as many at a time as there were workers.
A run that stops early (Ctrl-C, an output that cannot be written) stops its workers at once.

Memory stays bounded however many inputs a batch has: only a window of documents
(:data:`AHEAD_PER_WORKER` per worker) is in the workers' hands at a time, and the finished results
that wait for a slow one to be written are those of documents at most :data:`HELD_PER_AHEAD` times as
many, or :data:`HELD_BYTES` of input, past it in input order. Nor is a long document's list of facts
ever whole: its facts are made one at a time into a :class:`FactSpool` of its own, which goes to a
temporary file past a few thousand facts and is read back by the writer. Its rows are written only
once the document has been read to the end: one that fails half-way is one error line and none of
its rows.

The parent's share of the work is kept near nothing, since whatever it does it does alone: when
the output is a text table (``Options.rows_as``) a worker writes its document's rows as that
format's text and the parent only passes the text on, in input order; otherwise a worker sends its
rows back as plain tuples, which pickle smaller and faster than the row objects (the parent
rebuilds them).
"""
from __future__ import annotations

import ctypes
import gc
import heapq
import os
import signal
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from .io.reader import Document, EmptyInput, InputError, Source, read_source
from .io.spool import Spool
from .model import COLUMNS, DocumentInfo, DocumentRecord, Fact, make_fact
from .rules import RuleError

DEFAULT_TIMEOUT = 600.0   # seconds one document may take before it is given up
# Documents handed out ahead of the one to be written next, per worker: enough that no worker waits
# for work while one large document holds up the writing, few enough that the results finished
# ahead of it (and held until it comes) stay a small part of memory.
AHEAD_PER_WORKER = 8
# How far past the document to be written next documents are handed out: this many times as many
# as are in the workers' hands, or past that count HELD_BYTES of input (a batch of small files is
# never held up by the count alone); it bounds the finished results held for the writing.
HELD_PER_AHEAD = 4
HELD_BYTES = 16 * 2**20
# A document's facts held in memory as they are made, past which they go to a temporary file (a
# few megabytes: the corpus's largest reports stay in memory), and how many are pickled together.
HELD_FACTS = 5_000
SPOOL_BATCH = 2_000


@dataclass(frozen=True)
class Options:
    encoding: str | None = None
    rule_dirs: tuple[str, ...] = ()
    keep_text: bool = False      # the HTML review view needs the document text
    check_outline: bool = False  # also return the outline sanity report
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int | None = None  # the largest input read (None: io.limits.DEFAULT_MAX_BYTES)
    types: frozenset[str] | None = None  # the fact types kept (None: all)
    rows_as: str | None = None   # a text format (io.writers.ROW_FORMATS) the rows are handed back in


@dataclass
class Result:
    name: str
    facts: "list[Fact] | FactSpool" = field(default_factory=list)  # from extract_source: a FactSpool
    text: str = ""
    error: str | None = None     # the input failed: one line naming it and the reason
    warning: str | None = None   # read, but worth telling (empty file)
    notes: list[str] = field(default_factory=list)  # outline sanity lines, when asked
    record: DocumentRecord | None = None            # the document as a record of the dataset
    path: str = ""               # the input as given: its path, or - for stdin
    reason: str = ""             # of an error: the reason alone, without the name
    rules: bool = False          # the error is a rule's (a pattern of --rules too slow), not the input's
    rows: list[tuple] | None = None  # the facts as plain tuples, while the result travels between processes
    rows_text: str | None = None     # the facts' rows as the text of Options.rows_as (then no facts)
    counts: dict[str, int] = field(default_factory=dict)  # facts per type (those kept)

    def packed(self) -> "Result":
        """This result for the trip back from a worker: its facts as plain tuples in column order."""
        self.rows = [_fields(f) for f in self.facts]
        if isinstance(self.facts, FactSpool):
            self.facts.close()
        self.facts = []
        return self

    def unpacked(self) -> "Result":
        """This result as it was before :meth:`packed`."""
        if self.rows is not None:
            self.facts = [make_fact(*row) for row in self.rows]
            self.rows = None
        return self


def _fields(fact: Fact) -> tuple:
    return tuple(getattr(fact, c) for c in COLUMNS)


class FactSpool:
    """The facts of one document, taken as they are made and given back in the same order, as
    often as asked: held as they are up to :data:`HELD_FACTS`, past that pickled as plain tuples to
    a temporary file in batches of :data:`SPOOL_BATCH`, so that the facts of a long document are
    never all in memory (small documents never touch the disk). Read by one reader at a time."""

    def __init__(self):
        self.spool = Spool(SPOOL_BATCH, HELD_FACTS, pack=_fields, unpack=lambda row: make_fact(*row))
        self.made: Counter = Counter()   # facts made, per type (the document's record counts them all)
        self.kept: Counter = Counter()   # facts kept, per type

    def take(self, facts: Iterator[Fact], types: frozenset[str] | None = None) -> None:
        """Every fact of ``facts``; only those of ``types`` are kept (None: all)."""
        for f in facts:
            kind = str(f.type)
            self.made[kind] += 1
            if types is None or f.type in types:
                self.kept[kind] += 1
                self.spool.add(f)

    @property
    def file(self):
        """The temporary file the facts went to, or None while they are all in memory."""
        return self.spool.file

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.spool)

    def __len__(self) -> int:
        return sum(self.kept.values())

    def close(self) -> None:
        """Let the facts go (the temporary file, if any, is removed)."""
        self.spool.close()


def failed(source: Source, reason: str, rules: bool = False) -> Result:
    """The result of an input that failed: one line naming it and the reason."""
    return Result(source.name, error=f"{source.name}: {reason}", path=_path(source), reason=reason, rules=rules)


def _path(source: Source) -> str:
    return str(source.path) if source.path is not None else "-"


class _Timeout(Exception):
    pass


@contextmanager
def _time_budget(seconds: float):
    """Raise _Timeout in this thread after ``seconds`` (0: no budget). In the main thread by a
    signal, which also stops a long regular-expression search; in another thread (a dask worker
    runs its tasks in threads) by an exception a timer raises in it between two Python steps."""
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _thread_budget(seconds):
            yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _raise_timeout(signum, frame):
    raise _Timeout()


@contextmanager
def _thread_budget(seconds: float):
    """The time budget of a thread that is not the main one: a timer raises _Timeout in it. The
    timer and the end of the block agree under a lock, so the exception is raised inside the block
    or, when the timer fired just as it ended, as it ends: never later."""
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire():
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(_Timeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
        if state["fired"]:   # the exception may still be pending: raise it here, and only once
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
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
    # the facts go to a spool of this document's own as they are made; a document that fails
    # half-way returns only its error, and the spool with its rows so far is dropped with it
    facts = FactSpool()
    try:
        with _time_budget(options.timeout):
            pipeline = get_pipeline(options.rule_dirs)
            analysis = pipeline.analyse(document.text, document.name)
            made = pipeline.each_fact(analysis, document.name)   # tasks and indicators are found here
            analysis.quantities.clear()   # read by them alone: let them go before the facts are made
            facts.take(made, options.types)
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
    record = _record(document, analysis.document, counts=facts.made)
    del analysis   # the document's analysis is large: gone before the rows are written
    return _result(source, options, facts, document.text if options.keep_text else "", notes, record)


def _result(source: Source, options: Options, facts: "FactSpool", text: str, notes: list[str],
            record: DocumentRecord) -> Result:
    """The result of a document read: its facts of the kept types, or their rows as text."""
    counts = {t: n for t, n in facts.kept.items() if n}
    if options.rows_as is None:
        return Result(source.name, facts, text, notes=notes, record=record, path=_path(source), counts=counts)
    from .io.writers import rows_text

    rows = rows_text(options.rows_as, facts)
    facts.close()
    return Result(source.name, [], text, notes=notes, record=record, path=_path(source), counts=counts,
                  rows_text=rows)


def _record(document: Document, info: DocumentInfo, facts: Iterable[Fact] = (),
            counts: Counter | None = None) -> DocumentRecord:
    """The document's record; its facts per type are ``counts`` when given, else counted in ``facts``."""
    counts = counts if counts is not None else Counter(str(f.type) for f in facts)
    return DocumentRecord(doc=document.name, path=str(document.path) if document.path else "-",
                          title=info.title, issuer=info.issuer, kind=info.kind, year=info.year, characters=len(document.text),
                          sha256=document.sha256, headings=counts["heading"], indicators=counts["indicator"],
                          tasks=counts["task"])


def extract_packed(source: Source, options: Options) -> Result:
    """:func:`extract_source` on a worker: the result packed for its trip back."""
    return extract_source(source, options).packed()


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

    Small batches run in this process: starting workers costs more than it saves. Here the facts
    themselves are handed on (Options.rows_as is for the trip back from a worker), so that the
    writer streams a long document's rows instead of holding them all as one text.
    """
    jobs = jobs or default_jobs()
    files = [s for s in sources if s.path is not None]
    jobs = min(jobs, len(files))
    if jobs <= 1 or len(files) < 3:
        here = replace(options, rows_as=None)
        for s in sources:
            yield extract_source(s, here)
        return
    yield from _run_pool(sources, files, options, jobs)


class Window:
    """Hands documents out largest first among those within reach of the writing, keeping ``ahead``
    of them in the workers' hands (handed out and not finished). Within reach are the documents from
    the one to be written next, in input order, up to ``held`` of them or, past that count, up to
    ``held_bytes`` of input: so the results finished ahead of the writing and held until it comes are
    bounded, and a batch that fits (the corpus) is handed out largest first as a whole, so that no
    worker is left with a big document at the end. A big batch is handed out largest first a stretch
    at a time, the stretch moving on with the writing, instead of all its large documents first: with
    those the writing would fall behind by the whole batch, and the bound would leave the workers
    waiting. The one to be written next is always handed out, so the writing never waits for a
    document that nobody reads. ``submit(k)`` starts document ``k`` and returns its future;
    ``wait_any(futures)`` blocks until one of them is done.

    Finished results do not count against ``ahead``: while the writing waits for one document,
    the workers go on with the next ones instead of standing idle behind it."""

    def __init__(self, sizes: Sequence[int], ahead: int, submit: Callable[[int], object],
                 wait_any: Callable[[list], object] | None = None, held: int | None = None,
                 held_bytes: int | None = None):
        self.sizes = sizes
        self.ahead = max(ahead, 1)
        self.held = max(held if held is not None else HELD_PER_AHEAD * self.ahead, self.ahead)
        self.held_bytes = HELD_BYTES if held_bytes is None else held_bytes
        self.submit = submit
        self.wait_any = wait_any or _wait_any
        self.pending: dict[int, object] = {}   # document -> its future, handed out and not yet taken
        self.handed: set[int] = set()
        self.writing = 0          # the next document to be written
        self.reach = 0            # the documents before it (and from the writing) may be handed out
        self.reach_bytes = 0      # input bytes of the documents from the writing to the reach
        self.ready: list[tuple[int, int]] = []   # (-size, document) within reach, not yet handed

    def take(self, k: int):
        """The future of document ``k``, the next to be written, once it is done; the window is
        topped up whenever a document finishes meanwhile."""
        self._written_up_to(k)
        if k not in self.handed:
            self._hand(k)
        future = self.pending[k]
        while True:
            running = self._top_up()
            if future.done():
                self._written_up_to(k + 1)
                return self.pending.pop(k)
            self.wait_any(running)

    def rest(self) -> list[int]:
        """Every document not yet taken (handed out or not), in input order."""
        return sorted(set(self.pending) | {j for j in range(self.writing, len(self.sizes)) if j not in self.handed})

    def _written_up_to(self, k: int) -> None:
        """The writing has come to document ``k``: the reach moves on with it."""
        while self.writing < k:
            if self.writing < self.reach:
                self.reach_bytes -= self.sizes[self.writing]
            self.writing += 1
        self.reach = max(self.reach, self.writing)
        while self.reach < len(self.sizes) and (self.reach - self.writing < self.held
                                                or self.reach_bytes < self.held_bytes):
            j = self.reach
            self.reach += 1
            self.reach_bytes += self.sizes[j]
            if j not in self.handed:
                heapq.heappush(self.ready, (-self.sizes[j], j))

    def _top_up(self) -> list:
        """Hand out documents within reach, largest first, until ``ahead`` are running; the running ones."""
        running = [f for f in self.pending.values() if not f.done()]
        while self.ready and len(running) < self.ahead:
            _, j = heapq.heappop(self.ready)
            if j not in self.handed:
                self._hand(j)
                running.append(self.pending[j])
        return running

    def _hand(self, k: int) -> None:
        self.handed.add(k)
        self.pending[k] = self.submit(k)


def _wait_any(futures: list) -> None:
    if futures:
        wait(futures, return_when=FIRST_COMPLETED)


def _run_pool(sources: Sequence[Source], files: list[Source], options: Options, jobs: int) -> Iterator[Result]:
    context = _fork_context()
    if context is not None:
        # built once here; forked workers share it copy-on-write instead of each building its own.
        # gc.freeze keeps the collector from touching (and so copying) the shared objects' pages.
        from .pipeline import get_pipeline

        get_pipeline(options.rule_dirs)
        gc.freeze()   # no collection first: the build leaves next to no garbage, and one costs 10 ms
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                               initargs=(options,))
    window = Window([_size(f) for f in files], jobs * AHEAD_PER_WORKER,
                    lambda k: pool.submit(extract_packed, files[k], options))
    finished = False
    try:
        done: dict[int, Result] = {}   # after a pool broke: what it had finished
        isolated = None                 # and the rest, read again each in a process of its own
        for i, source in _files_numbered(sources):
            if source.path is None:
                yield extract_source(source, options)   # stdin can only be read here, in the parent
                continue
            if isolated is None:
                result = _collect(window.take(i))
                if result is not None:
                    yield result.unpacked()
                    continue
                _stop(pool)     # the pool broke: which document did it is not known
                done = {j: r for j, f in window.pending.items() if (r := _collect(f)) is not None}
                again = [i] + [j for j in window.rest() if j not in done]
                window.pending.clear()
                isolated = _isolated([files[j] for j in again], options, context, jobs)
            yield done.pop(i).unpacked() if i in done else next(isolated)
        finished = True
    finally:
        for f in window.pending.values():
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
        window.append((source, pool, pool.submit(extract_packed, source, options)))

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
            yield result.unpacked() if result is not None else failed(
                source, "the process reading it stopped unexpectedly (killed, or out of memory?)")
    finally:
        for _, pool, _ in window:
            _stop(pool)
            pool.shutdown(wait=False, cancel_futures=True)
