"""The user cache: what the pipeline builds from data that rarely changes (jieba's dictionary with
its flags and the user words, the compiled rule patterns), kept between runs so that a process
starts in a fraction of the time. Each file is keyed by what it was made from; a cache that cannot
be read is rebuilt and one that cannot be written only costs the next start its time."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

ENV_DIR = "EXTRACTOR_CACHE_DIR"   # an explicit folder (tests, read-only homes); else XDG_CACHE_HOME


def cache_dir() -> Path:
    """``$EXTRACTOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/extractor``, else ``~/.cache/extractor``."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "extractor"


def read(name: str) -> bytes | None:
    """The bytes of the cache file ``name``, or None when there is none (or it cannot be read)."""
    try:
        return (cache_dir() / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Put ``data`` in the cache file ``name`` whole (a reader never sees half of it); errors are ignored."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, folder / name)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
