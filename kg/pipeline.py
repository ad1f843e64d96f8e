"""Build: ingest -> extract -> graph -> store, one document at a time.

A document that cannot be read or holds no decision is reported and skipped;
the rest of the batch goes through, and nothing already stored is touched for
it. An unchanged document (same key, same content hash) is not rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from kg import iris
from kg.errors import InputError
from kg.extract import extract_decisions
from kg.graph import document_triples
from kg.ingest import Source, SourceText, collect_sources, read_document
from kg.store import Store

Progress = Callable[[str], None]


@dataclass
class Built:
    """One document's outcome: its graph, or the one-line problem."""

    source: Source
    graph: list[tuple] | None = None  # the document graph's triples (rdflib terms)
    doc: SourceText | None = None
    decisions: int = 0
    facts: int = 0
    error: InputError | None = None


@dataclass
class BuildReport:
    documents: int = 0
    unchanged: int = 0
    decisions: int = 0
    facts: int = 0
    triples: int = 0
    failures: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def process(source: Source) -> Built:
    """Read, extract and make the graph of one source (runs in worker processes)."""
    try:
        doc = read_document(source)
        decisions = extract_decisions(doc)
    except InputError as exc:
        return Built(source, error=exc)
    graph = document_triples(doc, decisions)
    facts = sum(1 for _, p, _ in graph if p == iris.OA.hasBody)
    return Built(source, graph, doc, len(decisions), facts)


def build(specs: list[str], store: Store, jobs: int = 1, progress: Progress | None = None,
          force: bool = False) -> BuildReport:
    sources, problems = collect_sources(specs)
    report = BuildReport(failures=list(problems))
    known = store.document_graphs()
    for built in _run(sources, jobs):
        if progress:
            progress(built.source.key)
        if built.error:
            report.failures.append(built.error)
            continue
        report.documents += 1
        report.decisions += built.decisions
        report.facts += built.facts
        graph_iri = iris.graph_for(built.source.key)
        if not force and known.get(str(graph_iri), (None, None))[1] == built.doc.content_hash:
            report.unchanged += 1
            continue
        report.triples += store.replace_graph(graph_iri, built.graph)
    store.flush()
    return report


def _run(sources: list[Source], jobs: int):
    if jobs <= 1 or len(sources) < 2:
        yield from map(process, sources)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(process, sources, chunksize=max(1, len(sources) // (jobs * 8)))
