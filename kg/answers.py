"""Answers kept beside the store: a question asked again of an unchanged store is read back.

Why: on disk each triple pattern is a RocksDB look-up (5-10 us with its terms decoded), so a
saved question that touches each of 40,000 sums takes 1-5 s at 10,000 decisions however it is
planned. A SELECT's answer depends only on the query text, the bound parameters, the engine and
the store's content, so it is kept under a key made of the first three, in a folder named by a
fingerprint of the fourth (Store.data_fingerprint: the store's RocksDB data files, which every
write changes). Any write retires every kept answer at once; a reader never has to trust a
timestamp of its own.

An answer is kept only when the store's files were the same when it was opened (read-only, so
it reads a snapshot) and when the answer was ready; otherwise a build was writing meanwhile and
the answer is returned but not kept. Stores opened for writing, and stores in memory, keep
nothing. Only the folder of the current fingerprint is kept: writing an answer under a new
fingerprint removes the others.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import orjson
import pyoxigraph as ox

from kg.perf import collector_paused

ANSWERS_DIR = "answers"
FORMAT = "2"  # bump when the file layout changes

Term = ox.NamedNode | ox.Literal | ox.BlankNode
Rows = list[dict[str, Term | None]]
Answer = tuple[list[str], Rows]


def cached(store, sparql: str, bindings: dict | None, compute: Callable[[], Answer]) -> Answer:
    """The kept answer of this query on this store, or compute() (kept when the store allows)."""
    folder = _folder(store)
    if folder is None:
        return compute()
    path = folder / f"{answer_key(sparql, bindings)}.json"
    kept = _read(path)
    if kept is not None:
        return kept
    answer = compute()
    if store.data_fingerprint() == folder.name:   # nobody wrote while we read
        _write(path, answer)
    return answer


def answer_key(sparql: str, bindings: dict | None) -> str:
    """Query text, bound terms and engine version, hashed (a parameter changes the key)."""
    bound = sorted((name, str(term)) for name, term in (bindings or {}).items())
    text = orjson.dumps([FORMAT, ox.__version__, sparql, bound])
    return hashlib.sha256(text).hexdigest()[:32]


def _folder(store) -> Path | None:
    """This snapshot's answers folder, or None when answers cannot be kept for this store."""
    snapshot = getattr(store, "snapshot", None)
    if store.path is None or snapshot is None or store.data_fingerprint() != snapshot:
        return None
    return store.path / ANSWERS_DIR / snapshot


def _read(path: Path) -> Answer | None:
    try:
        data = orjson.loads(path.read_bytes())
        variables, terms, cells = data["variables"], data["terms"], data["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    with collector_paused():
        decoded = [*map(_Decoder().term, terms), None]          # cell -1 is an unbound variable
        values = list(map(decoded.__getitem__, cells))
        width = len(variables)
        rows = [dict(zip(variables, values[at:at + width], strict=True)) for at in range(0, len(values), width)]
    return variables, rows


def _write(path: Path, answer: Answer) -> None:
    """Atomically (readers never see half a file); a read-only folder just means nothing is kept.

    Each distinct term is written once and the rows as indexes into that list: answers repeat
    names and IRIs a lot, and making the terms again is most of the cost of reading one back."""
    variables, rows = answer
    index: dict[Term, int] = {}
    cells = [-1 if term is None else index.setdefault(term, len(index))
             for row in rows for term in (row.get(v) for v in variables)]
    data = {"variables": variables, "terms": [_encode(t) for t in index], "cells": cells}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for other in path.parent.parent.iterdir():
            if other.is_dir() and other.name != path.parent.name:
                shutil.rmtree(other, ignore_errors=True)
        tmp.write_bytes(orjson.dumps(data))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _encode(term: Term) -> list:
    if isinstance(term, ox.NamedNode):
        return ["i", term.value]
    if isinstance(term, ox.BlankNode):
        return ["b", term.value]
    if term.language:
        return ["l", term.value, None, term.language]
    return ["l", term.value, term.datatype.value]


class _Decoder:
    """Cells back to pyoxigraph terms, each datatype node made once."""

    def __init__(self) -> None:
        self.datatypes: dict[str, ox.NamedNode] = {}

    def term(self, cell: list) -> Term:
        kind, value = cell[0], cell[1]
        if kind == "i":
            return ox.NamedNode(value)
        if kind == "b":
            return ox.BlankNode(value)
        if len(cell) > 3:
            return ox.Literal(value, language=cell[3])
        datatype = self.datatypes.get(cell[2])
        if datatype is None:
            datatype = self.datatypes[cell[2]] = ox.NamedNode(cell[2])
        return ox.Literal(value, datatype=datatype)
