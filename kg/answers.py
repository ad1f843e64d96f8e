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

import array
import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from itertools import repeat
from pathlib import Path

import orjson
import pyoxigraph as ox

from kg.perf import collector_paused

ANSWERS_DIR = "answers"
FORMAT = "3"  # bump when the file layout changes
CELL_TYPE = "i"  # cells: 32-bit indexes into the terms, -1 for unbound

Term = ox.NamedNode | ox.Literal | ox.BlankNode
Rows = list[dict[str, Term | None]]
Answer = tuple[list[str], Rows]


def cached(store, sparql: str, bindings: dict | None, compute: Callable[[], Answer]) -> Answer:
    """The kept answer of this query on this store, or compute() (kept when the store allows)."""
    folder = _folder(store)
    if folder is None:
        return compute()
    path = folder / f"{answer_key(sparql, bindings)}.answer"
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
        raw = path.read_bytes()
        header_size = int.from_bytes(raw[:4], "little")
        header = orjson.loads(raw[4:4 + header_size])
        variables, groups = header["variables"], header["groups"]
        cells = array.array(CELL_TYPE)
        cells.frombytes(raw[4 + header_size:])
        if header["byteorder"] != sys.byteorder or len(cells) % max(1, len(variables)):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    with collector_paused():
        decoded = [term for group in groups for term in _decode(group)]
        decoded.append(None)                                     # cell -1 is an unbound variable
        values = map(decoded.__getitem__, cells)
        chunks = zip(*[values] * len(variables), strict=False)   # one tuple per row (length checked above)
        rows = list(map(dict, map(zip, repeat(variables), chunks))) if variables else []
    return variables, rows


def _write(path: Path, answer: Answer) -> None:
    """Atomically (readers never see half a file); a read-only folder just means nothing is kept.

    Each distinct term is written once, grouped by kind (IRIs, then literals per datatype or
    language), and the rows as a binary array of indexes into those groups: answers repeat names
    and IRIs a lot, and making the terms and parsing the cells are most of the cost of reading
    one back, so both are done in bulk."""
    variables, rows = answer
    groups: dict[tuple, list[str]] = {}
    index: dict[Term, tuple[tuple, int]] = {}
    for row in rows:
        for term in row.values():
            if term is not None and term not in index:
                kind = _kind(term)
                members = groups.setdefault(kind, [])
                index[term] = (kind, len(members))
                members.append(term.value)
    offsets, at = {}, 0
    for kind, members in groups.items():
        offsets[kind], at = at, at + len(members)
    cells = array.array(CELL_TYPE, [-1 if term is None else offsets[index[term][0]] + index[term][1]
                                    for row in rows for term in (row.get(v) for v in variables)])
    header = orjson.dumps({"variables": variables, "byteorder": sys.byteorder,
                           "groups": [[*kind, members] for kind, members in groups.items()]})
    _replace(path, len(header).to_bytes(4, "little") + header + cells.tobytes())


def _replace(path: Path, data: bytes) -> None:
    """Write the file under a temporary name, then move it into place; drop older folders."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for other in path.parent.parent.iterdir():
            if other.is_dir() and other.name != path.parent.name:
                shutil.rmtree(other, ignore_errors=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _kind(term: Term) -> tuple:
    """The group a term is written in: ('i',), ('b',), ('l', datatype) or ('lang', language)."""
    if isinstance(term, ox.NamedNode):
        return ("i",)
    if isinstance(term, ox.BlankNode):
        return ("b",)
    if term.language:
        return ("lang", term.language)
    return ("l", term.datatype.value)


def _decode(group: list) -> list[Term]:
    """One group's terms, made with one constructor call each and no per-term branching."""
    kind, members = group[0], group[-1]
    if kind == "i":
        return list(map(ox.NamedNode, members))
    if kind == "b":
        return list(map(ox.BlankNode, members))
    if kind == "lang":
        language = group[1]
        return [ox.Literal(value, language=language) for value in members]
    datatype = ox.NamedNode(group[1])
    return [ox.Literal(value, datatype=datatype) for value in members]
