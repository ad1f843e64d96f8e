"""Validate the knowledge graph against the shapes in shapes/: for `kg validate`, `kg stats` and CI.

Each check runs where it is cheapest (docs/validation.md has the measurements):
1. per document graph, in worker processes: the SHACL Core shapes in pyshacl, then the
   per-document SHACL-SPARQL shapes (evidence, completeness, compliance) on pyoxigraph in memory;
2. those results kept per document in a JSON file beside the store, so a rebuild revalidates only
   the documents whose content changed;
3. whole-store SHACL-SPARQL shapes (cross-document) as one query each over the union, whenever
   any document changed: for only the focus nodes the change can reach, where a shape allows
   (kg.validation.store_checks).
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import ValidationSetupError
from kg.iris import DCTERMS, KG
from kg.store import Store, nquads
from kg.validation import document
from kg.validation.cache import Cache, fingerprint, load_cache, save_cache
from kg.validation.document import document_validator, graph_bytes, validate_graphs
from kg.validation.model import Report, Result
from kg.validation.shapes import ShapeSet, bundled_shapes, load_shapes, shape_files, shapes_hash
from kg.validation.store_checks import run_store_checks

FILE_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
}


def validate_store(store: Store, shapes: str | Path | None = None, jobs: int = 2,
                   use_cache: bool = True) -> Report:
    """Validate every named graph of a store; kept results are reused unless use_cache is False."""
    shape_set = load_shapes(shapes) if shapes is not None else bundled_shapes()
    graphs = content_hashes(store)
    cache = (load_cache(store.path) if use_cache else Cache()).for_shapes(shape_set.hash)
    report = Report(documents={iri: iri for iri in graphs}, checks=shape_set.checks, shapes_graph=shape_set.graph)
    todo = []
    for iri, content_hash in graphs.items():
        kept = cache.results_for(iri, content_hash, shape_set.hash)
        if kept is None:
            todo.append(iri)
        else:
            report.by_graph[iri] = kept
    report.revalidated = len(todo)
    _validate_documents(store, shape_set, str(shapes) if shapes is not None else None, todo, jobs, report)
    for iri in todo:
        cache.keep(iri, graphs[iri], report.by_graph[iri])
    cache.forget_all_but(graphs)
    _whole_store(store, shape_set, graphs, cache, report)
    if store.path is not None and cache.changed:
        start = time.perf_counter()
        save_cache(store.path, cache)
        report.timings["cache"] = time.perf_counter() - start
    return report


def _validate_documents(store: Store, shapes: ShapeSet, source: str | None, todo: list[str], jobs: int,
                        report: Report) -> None:
    """Every per-document check for the graphs in `todo`, in worker processes."""
    if not todo:
        return
    start = time.perf_counter()
    on_disk = store.path is not None and jobs > 1 and len(todo) >= document.IN_PROCESS_BELOW
    if on_disk:
        _flush(store)  # workers open the store read-only: they see what is on disk
    if jobs <= 1 or len(todo) < document.IN_PROCESS_BELOW:
        document_validator(shapes.hash, source, shapes)  # in this process: the shapes are parsed already
    data = ((iri, None if on_disk else graph_bytes(store.oxigraph, iri)) for iri in todo)
    for iri, results in validate_graphs(data, shapes.hash, source, jobs=jobs, count=len(todo),
                                        store_path=str(store.path) if on_disk else None):
        report.by_graph[iri] = results
    report.timings["documents"] = time.perf_counter() - start


def _flush(store: Store) -> None:
    with contextlib.suppress(OSError, ValueError, RuntimeError):  # a read-only handle has nothing to flush
        store.flush()


def _whole_store(store: Store, shapes: ShapeSet, graphs: dict, cache: Cache, report: Report) -> None:
    """Whole-store checks: kept results if no graph changed since, else rerun for what changed."""
    start = time.perf_counter()
    key = fingerprint(graphs)
    kept = cache.store_results(key, shapes.hash) if report.revalidated == 0 else None
    if kept is None:
        state = run_store_checks(store, shapes.store_sparql, graphs, cache.store_state())
        cache.keep_store(key, state)
        kept = state.results
        report.store_rerun = "full" if state.rerun is None else f"{state.rerun} focus nodes"
        report.timings["whole-store SPARQL"] = time.perf_counter() - start
    report.store_results = kept


def content_hashes(store: Store) -> dict[str, str | None]:
    """graph IRI -> the content hash of its source document, for every named graph (None when a
    graph has none: such a graph is validated on every run)."""
    found: dict[str, str | None] = {}
    for iri, _, value in store.with_predicate(KG.contentHash):
        found[iri] = value if iri not in found else " ".join(sorted((found[iri], value)))
    for name in store.oxigraph.named_graphs():
        found.setdefault(name.value, None)
    return found


def describe(store: Store, report: Report) -> Report:
    """Name the documents and decisions of a report (source keys, references, titles), for people.
    Kept out of validate_store: a CI run that needs only the exit status does not pay for it.
    Read as quads of one predicate each, joined here: on disk 3x faster than SPARQL."""
    for graph, _, key in store.with_predicate(KG.sourceKey):
        report.documents[graph] = key
    graphs = {decision: graph for graph, decision, _ in store.with_predicate(KG.sourceDocument)}
    ids = {d: value for _, d, value in store.with_predicate(DCTERMS.identifier) if d in graphs}
    titles = {d: value for _, d, value in store.with_predicate(DCTERMS.title) if d in graphs}
    for decision, graph in graphs.items():
        document = report.documents.get(graph)
        report.decisions.setdefault(decision, {"identifier": ids.get(decision), "title": titles.get(decision),
                                               "document": document if document != graph else None})
    return report


# ------------------------------------------------------------------------------ files

def validate_files(paths: list[str | Path], shapes: str | Path | None = None, jobs: int = 2) -> Report:
    """Validate RDF files a user brings: each triples file is one graph, named graphs stay apart."""
    store = Store(None)
    for path in paths:
        load_file(store.oxigraph, Path(path))
    return describe(store, validate_store(store, shapes, jobs=jobs, use_cache=False))


def load_file(store: ox.Store, path: Path) -> None:
    """Load a Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML file; its default graph is named
    after the file, so results say which file a problem is in."""
    fmt = FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValidationSetupError(f"{path}: unknown RDF format; use one of {', '.join(sorted(FILE_FORMATS))}")
    name = ox.NamedNode(path.resolve().as_uri())
    try:
        quads = [ox.Quad(q.subject, q.predicate, q.object,
                         name if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name)
                 for q in ox.parse(path=path, format=fmt, base_iri=name.value, rename_blank_nodes=True)]
    except (SyntaxError, ValueError) as exc:
        raise ValidationSetupError(f"{path}: cannot parse ({str(exc).splitlines()[0]})") from exc
    except OSError as exc:
        raise ValidationSetupError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not quads:
        raise ValidationSetupError(f"{path}: no triples in this file")
    store.extend(quads)


# ------------------------------------------------------------------------------ for kg build and kg stats

def validate_document(graph_iri: str, graph: Graph) -> list[Result]:
    """Every per-document result for one document graph held in memory, with quotes."""
    return validate_built([(graph_iri, list(graph))])[graph_iri]


def validate_built(docs: list[tuple[str, list[tuple]]]) -> dict[str, list[Result]]:
    """Per-document results for graphs just made, {graph IRI: results}, from (graph IRI, rdflib
    triples): what `kg build --validate` runs in its worker processes, where the graphs are in
    memory (no store read). Kept with remember(), `kg validate` then only runs whole-store checks."""
    validator = document_validator(bundled_shapes().hash)
    found = validator.validate_built([(iri, nquads(iri, triples)[0], triples) for iri, triples in docs])
    return dict(found)


def remember(store: Store, results: dict[str, tuple[str, list[Result]]]) -> None:
    """Keep results from validate_built: {graph IRI: (content hash, results)}."""
    if store.path is None:
        return
    cache = load_cache(store.path).for_shapes(bundled_shapes().hash)
    for iri, (content_hash, found) in results.items():
        cache.keep(iri, content_hash, found)
    save_cache(store.path, cache)


def status(store: Store) -> dict:
    """How the store stands against the bundled shapes, from the kept results alone (runs nothing).

    conforms is True only when every document has current results, the whole-store checks are
    current, and no result is a violation.
    """
    graphs = content_hashes(store)
    cache = load_cache(store.path)
    current = shapes_hash(shape_files())
    counts = {"violation": 0, "warning": 0, "info": 0}
    validated = 0
    for iri, content_hash in graphs.items():
        severities = cache.severities(iri, content_hash, current)
        if severities is not None:
            validated += 1
            for severity in severities:
                counts[severity] += 1
    store_results = cache.store_results(fingerprint(graphs), current)
    for result in store_results or []:
        counts[result.severity] += 1
    fresh = validated == len(graphs) and store_results is not None
    return {"documents": len(graphs), "validated": validated, "conforms": fresh and counts["violation"] == 0,
            "violations": counts["violation"], "warnings": counts["warning"], "infos": counts["info"]}


__all__ = ["validate_store", "validate_files", "validate_document", "validate_built", "remember", "status", "describe",
           "load_file", "content_hashes", "Report", "Result"]
