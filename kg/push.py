"""Push the store into a SPARQL 1.1 server, one named graph per document, sending only what changed.

The remote server is asked which kg document graphs it holds and with which
content hash (one SPARQL query, over `GRAPH ?g` so it works whatever the
server's default graph is). A graph is sent when it is missing there or its
hash differs; graphs of documents no longer in the store are deleted there.
Each graph is replaced whole (GSP `PUT`, or `DROP` + `INSERT DATA` in one
update request), so re-pushing never duplicates triples, and an interrupted
push leaves every graph either old or new, never half written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import RemoteError
from kg.iris import ID, KG
from kg.remote import Client
from kg.store import Store

GRAPH_BASE = ID + "graph/"
UPDATE_BATCH_TRIPLES = 20_000
REMOTE_DOCUMENTS = f"""
SELECT ?g ?hash WHERE {{
  GRAPH ?g {{ ?d a <{KG.SourceDocument}> ; <{KG.contentHash}> ?hash }}
  FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}"))
}}"""
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Target:
    """Where to push: the query endpoint, and how to write (GSP URL, else an update URL)."""

    endpoint: str
    graph_store: str | None = None
    update: str | None = None
    auth: tuple[str, str] | None = None
    timeout: float = 60.0

    @property
    def update_url(self) -> str:
        return self.update or self.endpoint


@dataclass
class PushPlan:
    send: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class PushReport:
    sent: int = 0
    deleted: int = 0
    unchanged: int = 0
    triples: int = 0


def remote_documents(client: Client, endpoint: str) -> dict[str, set[str]]:
    """{graph IRI: content hashes} of the kg document graphs the server holds."""
    _names, rows = client.select(endpoint, REMOTE_DOCUMENTS)
    found: dict[str, set[str]] = {}
    for row in rows:
        if row["g"] is not None and row["hash"] is not None:
            found.setdefault(row["g"].value, set()).add(row["hash"].value)
    return found


def plan(local: dict[str, tuple[str, str]], remote: dict[str, set[str]], force: bool = False) -> PushPlan:
    """What to send and delete, given local {graph: (key, hash)} and remote {graph: hashes}."""
    result = PushPlan()
    for graph, (_key, digest) in sorted(local.items()):
        if force or remote.get(graph) != {digest}:
            result.send.append(graph)
        else:
            result.unchanged += 1
    result.delete = sorted(set(remote) - set(local))
    return result


def push(store: Store, target: Target, force: bool = False, dry_run: bool = False,
         progress: Progress | None = None) -> PushReport:
    """Bring the server's kg graphs in line with the store; returns what was done."""
    with Client(target.timeout, target.auth) as client:
        todo = plan(store.document_graphs(), remote_documents(client, target.endpoint), force)
        report = PushReport(unchanged=todo.unchanged)
        if dry_run:
            report.sent, report.deleted = len(todo.send), len(todo.delete)
            return report
        if target.graph_store:
            _put_each(client, store, target.graph_store, todo.send, report, progress)
        else:
            _update_batches(client, store, target.update_url, todo.send, report, progress)
        _delete(client, target, todo.delete, report)
    return report


def graph_ntriples(store: Store, graph_iri: str) -> tuple[bytes, int]:
    """One named graph of the store as N-Triples bytes, and its triple count."""
    triples = [q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), len(triples)


def _put_each(client: Client, store: Store, graph_store: str, graphs: list[str], report: PushReport,
              progress: Progress | None) -> None:
    for graph in graphs:
        body, count = graph_ntriples(store, graph)
        client.put_graph(graph_store, graph, body)
        report.sent += 1
        report.triples += count
        if progress:
            progress(graph)


def _update_batches(client: Client, store: Store, update_url: str, graphs: list[str], report: PushReport,
                    progress: Progress | None) -> None:
    for batch, count, names in _batches(store, graphs):
        try:
            client.update(update_url, batch)
        except RemoteError as exc:
            raise RemoteError(f"{exc} (if the server takes updates elsewhere, give --update URL or "
                              f"--graph-store URL)") from exc
        report.sent += len(names)
        report.triples += count
        for name in names if progress else ():
            progress(name)


def _batches(store: Store, graphs: list[str]) -> Iterator[tuple[str, int, list[str]]]:
    """SPARQL Update requests, each replacing whole graphs, of about UPDATE_BATCH_TRIPLES triples."""
    parts: list[str] = []
    names: list[str] = []
    count = 0
    for graph in graphs:
        body, n = graph_ntriples(store, graph)
        iri = str(ox.NamedNode(graph))
        parts.append(f"DROP SILENT GRAPH {iri} ;\nINSERT DATA {{ GRAPH {iri} {{\n{body.decode()}}} }}")
        names.append(graph)
        count += n
        if count >= UPDATE_BATCH_TRIPLES:
            yield " ;\n".join(parts), count, names
            parts, names, count = [], [], 0
    if parts:
        yield " ;\n".join(parts), count, names


def _delete(client: Client, target: Target, graphs: list[str], report: PushReport) -> None:
    if not graphs:
        return
    if target.graph_store:
        for graph in graphs:
            client.delete_graph(target.graph_store, graph)
    else:
        client.update(target.update_url, " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs))
    report.deleted = len(graphs)


__all__ = ["Target", "PushPlan", "PushReport", "push", "plan", "remote_documents", "graph_ntriples"]
