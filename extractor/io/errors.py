"""The errors a reader raises: one line each, naming the input and the reason."""
from __future__ import annotations


class InputError(Exception):
    """An input that cannot be read; ``str()`` is the one line shown to the user."""

    def __init__(self, name: str, reason: str):
        reason = " ".join(str(reason).split())  # one line, whatever a library said
        self.name, self.reason = name, reason
        super().__init__(f"{name}: {reason}")


class EmptyInput(InputError):
    """An input with no text: a warning and zero rows, not a failure."""
