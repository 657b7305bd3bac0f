"""extractor: indicators, outline and planned tasks from Chinese work reports, as a tidy table."""
from __future__ import annotations

from .model import COLUMNS, Fact, to_frame

__all__ = ["COLUMNS", "Fact", "to_frame", "extract_text", "extract_path", "get_pipeline"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # the pipeline pulls in jieba and spaCy; import it only when extraction is asked for
    if name in ("extract_text", "extract_path", "get_pipeline"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
