"""Running a batch on a dask.distributed cluster: the same per-document function, other machines.

:func:`run_dask` maps :func:`~extractor.batch.extract_source` over the inputs on a cluster — a
``LocalCluster`` of worker processes on this machine when no scheduler address is given, else the
scheduler at that address (``dask scheduler`` with ``dask worker ADDRESS`` on each machine) — and
yields the results in input order, as :func:`extractor.batch.run` does, so that every writer gets
the same rows. Documents are handed out largest first within a bounded window
(:class:`~extractor.batch.Window`), so a long batch holds only a few results at a time.

A worker reads the inputs itself: it needs the files at the same paths (a shared file system) and
the same ``--rules`` folders, and builds its pipeline once, on its first document. A document whose
worker dies (killed, out of memory) becomes one error line, as on the local process pool.
"""
from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from .batch import AHEAD_PER_WORKER, Options, Result, Window, default_jobs, extract_source, failed
from .io.reader import Source

EXTRA = "cluster"                 # the optional dependency group that installs dask.distributed
CONNECT_TIMEOUT = "30s"           # how long to try reaching a scheduler given by --scheduler
WORKER_LOST = "the process reading it stopped unexpectedly (killed, or out of memory?)"


class ClusterError(Exception):
    """The cluster cannot be used (dask missing, a scheduler that cannot be reached); ``str()`` is
    the one line shown to the user."""


def require_dask() -> None:
    """Raise :class:`ClusterError`, naming the extra to install, when dask.distributed is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ClusterError(f"--engine dask needs dask.distributed: pip install 'extractor[{EXTRA}]'") from None


def extract_on_worker(source: Source, options: Options, cwd: str) -> Result:
    """:func:`extract_source` on a cluster worker, whose working folder may not be the client's:
    a relative path is read from the client's folder and reported as given."""
    if source.path is None or source.path.is_absolute():
        return extract_source(source, options).packed()
    result = extract_source(Source(Path(cwd) / source.path, source.name), options)
    result.path = str(source.path)
    if result.record is not None:
        result.record = replace(result.record, path=str(source.path))
    return result.packed()


def run_dask(sources: Sequence[Source], options: Options, jobs: int = 0,
             scheduler: str | None = None) -> Iterator[Result]:
    """Results for ``sources`` in their order, extracted on a dask cluster: the scheduler at
    ``scheduler``, or a LocalCluster of ``jobs`` worker processes (0: one per core)."""
    require_dask()
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        else:
            cluster = LocalCluster(n_workers=jobs or default_jobs(), threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        if cluster is not None:
            cluster.close()
        where = scheduler or "a local cluster"
        raise ClusterError(f"cannot reach the dask scheduler at {where}: {' '.join(str(e).split())}") from None
    try:
        yield from _results(client, sources, options)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _results(client, sources: Sequence[Source], options: Options) -> Iterator[Result]:
    files = [s for s in sources if s.path is not None]
    workers = max(sum(client.nthreads().values()), 1)
    cwd = os.getcwd()
    run_id = uuid.uuid4().hex   # keys of this run only: a scheduler may serve several clients
    window = Window([_size(s) for s in files], workers * AHEAD_PER_WORKER,
                    lambda k: client.submit(extract_on_worker, files[k], options, cwd, pure=False,
                                            key=f"extract-{run_id}-{k}"),
                    wait_any=_wait_any)
    try:
        k = 0
        for source in sources:
            if source.path is None:
                yield extract_source(source, options)   # stdin can only be read here, on the client
                continue
            future = window.take(k)
            k += 1
            try:
                result = future.result()
            except Exception:   # the worker died (KilledWorker) or the cluster went away
                yield failed(source, WORKER_LOST)
                continue
            finally:
                future.release()
            yield result.unpacked()
    finally:
        for future in window.pending.values():
            future.cancel()


def _wait_any(futures: list) -> None:
    """Block until one of the dask futures is done (``distributed.wait`` needs a default client,
    which this run does not set)."""
    done = threading.Event()
    for f in futures:
        f.add_done_callback(lambda _: done.set())
    done.wait()


def _size(source: Source) -> int:
    try:
        return source.path.stat().st_size
    except OSError:
        return 0
