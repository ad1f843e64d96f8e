"""The results cache: a JSON file beside the store, never triples in it (exports stay clean).

Per document graph it keeps the content hash the results were computed for; the whole file is
keyed by the hash of the shapes. A document is revalidated only when its content hash changes
(kg build replaces its graph) or the shapes change. Whole-store results are kept under a
fingerprint of every document's hash, so `kg stats` can report them without running anything,
with the state the next run needs to rerun them for only what changed (model.StoreState).
Entries are kept as read and rewritten only when something changed, so a run after one change
costs one entry, not the whole store's worth of results.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from kg.validation.model import Result, StoreState

CACHE_FILE = "validation-cache.json"
VERSION = 3


@dataclass
class Cache:
    shapes: str = ""
    graphs: dict[str, dict] = field(default_factory=dict)  # graph IRI -> {"hash": ..., "results": [rows]}
    store: dict = field(default_factory=dict)  # {"fingerprint": ..., "results": [rows], "graphs": {iri: [hash, nodes]}}
    changed: bool = False

    def results_for(self, graph_iri: str, content_hash: str | None, shapes_hash: str) -> list[Result] | None:
        """Kept results of a graph, if computed for this content and these shapes."""
        entry = self.graphs.get(graph_iri)
        if content_hash is None or entry is None or self.shapes != shapes_hash or entry["hash"] != content_hash:
            return None
        return [Result.from_row(r) for r in entry["results"]]

    def severities(self, graph_iri: str, content_hash: str | None, shapes_hash: str) -> list[str] | None:
        """Just the severities of a graph's kept results (for status(): no Result objects made)."""
        entry = self.graphs.get(graph_iri)
        if content_hash is None or entry is None or self.shapes != shapes_hash or entry["hash"] != content_hash:
            return None
        return [row[1] for row in entry["results"]]

    def store_results(self, fingerprint: str, shapes_hash: str) -> list[Result] | None:
        if self.shapes != shapes_hash or self.store.get("fingerprint") != fingerprint:
            return None
        return [Result.from_row(r) for r in self.store["results"]]

    def keep(self, graph_iri: str, content_hash: str | None, results: list[Result]) -> None:
        if content_hash is not None:
            self.graphs[graph_iri] = {"hash": content_hash, "results": [r.to_row() for r in results]}
            self.changed = True

    def store_state(self) -> StoreState | None:
        """The last whole-store run's state (for these shapes: see for_shapes), whatever changed since."""
        if "results" not in self.store:
            return None
        graphs = self.store.get("graphs", {})  # iri -> [hash, nodes]: read as (hash, nodes), not converted
        return StoreState([Result.from_row(r) for r in self.store["results"]], graphs)

    def keep_store(self, fingerprint: str, state: StoreState) -> None:
        self.store = {"fingerprint": fingerprint, "results": [r.to_row() for r in state.results],
                      "graphs": state.graphs}
        self.changed = True

    def forget_all_but(self, graph_iris) -> None:
        gone = set(self.graphs) - set(graph_iris)
        for iri in gone:
            del self.graphs[iri]
        self.changed = self.changed or bool(gone)

    def for_shapes(self, shapes_hash: str) -> Cache:
        """This cache if it was made with these shapes, else an empty one for them."""
        return self if self.shapes == shapes_hash else Cache(shapes=shapes_hash, changed=True)


def cache_path(store_path: Path | None) -> Path | None:
    return store_path / CACHE_FILE if store_path is not None else None


def load_cache(store_path: Path | None) -> Cache:
    """The cache beside a store; an empty one if there is none, it is unreadable, or another version."""
    path = cache_path(store_path)
    if path is None or not path.is_file():
        return Cache()
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return Cache()
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return Cache()
    return Cache(data.get("shapes", ""), data.get("graphs", {}), data.get("store", {}))


def save_cache(store_path: Path | None, cache: Cache) -> None:
    """Write atomically (a reader never sees half a file); a read-only folder just means no cache."""
    path = cache_path(store_path)
    if path is None or not path.parent.is_dir():
        return
    data = {"version": VERSION, "shapes": cache.shapes, "graphs": cache.graphs, "store": cache.store}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(orjson.dumps(data))  # 8x quicker than json.dumps for ~20 MB at 10,000 documents
        os.replace(tmp, path)
        cache.changed = False
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def fingerprint(graphs: dict[str, str | None]) -> str:
    """One hash of every graph's IRI and content hash: changes when any document changes."""
    digest = hashlib.sha256()
    for iri in sorted(graphs):
        digest.update(f"{iri}\t{graphs[iri]}\n".encode())
    return digest.hexdigest()[:16]
