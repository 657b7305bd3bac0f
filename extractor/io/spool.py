"""Items kept in the order they come and read back in that order, without holding them all: the rows
of a workbook waiting for their sheet, the facts of a document waiting for the writer."""
from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from typing import Any


class Spool:
    """Held in memory up to ``held`` items (0: ``batch``), past that pickled to a temporary file in
    batches of ``batch``, each item through ``pack`` on its way to the file and ``unpack`` on its way
    back; read back, in order, as often as asked (one reader at a time)."""

    def __init__(self, batch: int, held: int = 0, pack: Callable[[Any], Any] | None = None,
                 unpack: Callable[[Any], Any] | None = None):
        self.batch = batch
        self.held = held or batch
        self.pack, self.unpack = pack, unpack
        self.items: list = []
        self.file = None
        self.count = 0

    def add(self, item) -> None:
        self.items.append(item)
        self.count += 1
        if len(self.items) >= (self.batch if self.file is not None else self.held):
            self._spill()

    def _spill(self) -> None:
        if self.file is None:
            self.file = tempfile.TemporaryFile()
        self.file.seek(0, os.SEEK_END)
        for k in range(0, len(self.items), self.batch):
            part = self.items[k:k + self.batch]
            pickle.dump([self.pack(x) for x in part] if self.pack else part, self.file, pickle.HIGHEST_PROTOCOL)
        self.items = []

    def __iter__(self) -> Iterator:
        if self.file is not None:
            self.file.seek(0)
            while True:
                try:
                    part = pickle.load(self.file)
                except EOFError:
                    break
                yield from (map(self.unpack, part) if self.unpack else part)
        yield from self.items

    def close(self) -> None:
        """Let the items go (the temporary file, if any, is removed)."""
        self.items = []
        if self.file is not None:
            self.file.close()
            self.file = None
