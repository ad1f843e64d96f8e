"""Ingest: source documents -> plain text that keeps offsets back to its source.

`collect_sources` expands files, folders and globs; `read_document` turns one
file into a `SourceText`, raising `InputError` with a one-line reason when it
cannot.
"""

from kg.ingest.model import SourceText
from kg.ingest.reader import read_document
from kg.ingest.sources import Source, collect_sources

__all__ = ["Source", "SourceText", "collect_sources", "read_document"]
