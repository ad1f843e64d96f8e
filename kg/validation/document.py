"""Validation of one document graph at a time, in parallel processes: everything but whole-store checks.

Why per document: each document graph is self-contained (it repeats the labels and types of
every node it references), so it can be validated alone, in any process, and its results kept
until the document changes. A worker runs the SHACL Core shapes in pyshacl, on an rdflib copy of
only the triples a Core shape can see (the shapes name their predicates: this leaves out the
evidence, two thirds of every graph), then the per-document SHACL-SPARQL shapes on an in-memory
pyoxigraph copy of the whole graph (in memory a look-up costs ~1 us; in the on-disk store ~20 us,
which made the evidence checks cost seconds per check at 1,000 documents), then finds quotes.
Graphs travel to workers as N-Quads bytes, written and parsed by pyoxigraph.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef

from kg.iris import KG
from kg.validation.grouping import DocumentPart, Group, groups
from kg.validation.model import Result
from kg.validation.pyshacl_runner import make_runner
from kg.validation.shapes import (
    SEVERITIES,
    SH,
    ShapeSet,
    backward_predicates,
    check_id,
    core_graph,
    load_shapes,
    relevant_predicates,
)
from kg.validation.sparql import add_quotes, run_graph_checks

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
BATCH = 48  # graphs per task sent to a worker: SPARQL checks and pyshacl runs are per batch
IN_PROCESS_BELOW = 24  # fewer graphs than this are validated without starting processes


class DocumentValidator:
    """pyshacl set up once with the Core shapes, and the per-document SPARQL checks, for many graphs."""

    def __init__(self, shapes: ShapeSet) -> None:
        self.shapes = core_graph(shapes)
        self.sparql = shapes.document_sparql
        self.keep = relevant_predicates(self.shapes)
        self.inverse = backward_predicates(self.shapes)
        self._run = make_runner(self.shapes)
        self._ids: dict = {}

    def validate_batch(self, batch: list[tuple[str, list]]) -> list[tuple[str, list[Result]]]:
        """Every per-document result, with quotes, for each (graph IRI, its pyoxigraph quads)."""
        store = ox.Store()
        parts = []
        for iri, quads in batch:
            name = ox.NamedNode(iri)
            if all(q.graph_name == name for q in quads):
                store.extend(quads)
            else:
                store.extend(ox.Quad(q.subject, q.predicate, q.object, name) for q in quads)
            parts.append(DocumentPart.of(iri, kept_triples(quads, self.keep), self.inverse))
        return self._validate(store, parts)

    def validate_built(self, docs: list[tuple[str, bytes, list]]) -> list[tuple[str, list[Result]]]:
        """The same for graphs just built: (graph IRI, its N-Quads, its rdflib triples). Nothing is
        read back or converted: the N-Quads go straight into the in-memory store, and the Core
        shapes get the rdflib triples they can see."""
        store = ox.Store()
        parts = []
        for iri, nquads, triples in docs:
            store.load(nquads, format=ox.RdfFormat.N_QUADS)
            parts.append(DocumentPart.of(iri, kept_rdflib(triples, self.keep), self.inverse))
        return self._validate(store, parts)

    def _validate(self, store: ox.Store, parts: list[DocumentPart]) -> list[tuple[str, list[Result]]]:
        """The SPARQL checks run once on the in-memory store holding each graph apart, and the Core
        shapes once per group of documents that cannot see each other's triples
        (kg.validation.grouping): a run's fixed cost (parsing, planning, setting up each shape) is
        then shared by the whole batch."""
        found: dict[str, list[Result]] = {part.iri: [] for part in parts}
        for group in groups(parts):
            for iri, results in self.core(group).items():
                found[iri] += results
        for iri, results in run_graph_checks(store, self.sparql).items():
            found[iri] += results
        decisions = {part.iri: {str(d) for d in _decisions(part.triples)} for part in parts}
        quoted = add_quotes(store, [r for results in found.values() for r in results])
        by_graph: dict[str, list[Result]] = {part.iri: [] for part in parts}
        for r in quoted:
            known = tuple(d for d in r.decisions if d in decisions[r.graph])
            by_graph[r.graph].append(r if known == r.decisions else r.replace(decisions=known))
        return list(by_graph.items())

    def core(self, group: Group) -> dict[str, list[Result]]:
        """Core results (without quotes) for each document of a group, from one pyshacl run."""
        report = self._run(group.graph())
        found: dict[str, list[Result]] = {part.iri: [] for part in group.parts}
        owners: dict[str, dict] = {}
        for row in report.subjects(RDF.type, SH.ValidationResult):
            for part in group.holders(report.value(row, SH.focusNode)):
                if part.iri not in owners:
                    owners[part.iri] = _owners(part.triples)
                found[part.iri].append(self._result(report, row, part.iri, owners[part.iri]))
        return {iri: sorted(rs, key=lambda r: (r.check, r.focus, r.value or "")) for iri, rs in found.items()}

    def _result(self, report: Graph, row, graph_iri: str, owners: dict) -> Result:
        focus, value = report.value(row, SH.focusNode), report.value(row, SH.value)
        shape, component = report.value(row, SH.sourceShape), report.value(row, SH.sourceConstraintComponent)
        return Result(
            check=self._check_id(shape),
            severity=SEVERITIES.get(report.value(row, SH.resultSeverity), "violation"),
            message=str(report.value(row, SH.resultMessage) or ""),
            focus=focus.n3(),
            path=path_text(report, report.value(row, SH.resultPath)),
            value=value.n3() if value is not None else None,
            component=str(component).rsplit("#", 1)[-1] if component is not None else None,
            decisions=tuple(sorted(str(d) for d in owners.get(focus, ()))),
            graph=graph_iri,
        )

    def _check_id(self, shape) -> str:
        if shape not in self._ids:
            self._ids[shape] = check_id(self.shapes, shape) if shape is not None else "unknown"
        return self._ids[shape]


def _decisions(triples: list) -> set:
    """The decisions of a document graph: those read from its document (any decision if none is)."""
    return ({s for s, p, _ in triples if p == KG.sourceDocument}
            or {s for s, p, o in triples if p == RDF.type and o == KG.Decision})


def _owners(triples: list) -> dict:
    """node -> the decisions read from the document whose facts reach it (a flow, its amount, an
    organisation, a cited provision and its Act...), for grouping results by decision."""
    edges: dict = {}
    for s, p, o in triples:
        if p not in (KG.sourceDocument, RDF.type) and not isinstance(o, Literal):
            edges.setdefault(s, []).append(o)
    owners: dict = {}
    for decision in _decisions(triples):
        seen, todo = {decision}, [decision]
        while todo:
            for o in edges.get(todo.pop(), ()):
                if o not in seen:
                    seen.add(o)
                    todo.append(o)
        for node in seen:
            owners.setdefault(node, set()).add(decision)
    return owners


def path_text(report: Graph, path) -> str | None:
    """A result path in N-Triples form when it is an IRI, else as a SPARQL property path."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return path.n3()
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{path_text(report, inverse)}"
    if (path, RDF.first, None) in report:
        from rdflib.collection import Collection

        return "/".join(path_text(report, step) or "?" for step in Collection(report, path))
    for kind, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = report.value(path, kind)
        if inner is not None:
            return f"({path_text(report, inner)}){mark}"
    return None


# ---------------------------------------------------------------------------- graphs

def graph_bytes(store: ox.Store, graph_iri: str) -> bytes:
    """One named graph of a pyoxigraph store as N-Quads."""
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def kept_triples(quads: Iterable, keep: frozenset | None = None) -> list:
    """pyoxigraph quads -> the rdflib triples kept_rdflib() keeps; only quads whose predicate can
    be kept are converted (the evidence, most of a graph, is not)."""
    quads = list(quads)
    if keep is not None:
        names = {str(k) for k in keep}
        quads = [q for q in quads if q.predicate.value in names]
    if len(_TERMS) > TERMS_KEPT:
        _TERMS.clear()
    return kept_rdflib([(_term(q.subject, _TERMS), _term(q.predicate, _TERMS), _term(q.object, _TERMS))
                        for q in quads], keep)


def kept_rdflib(triples: Iterable[tuple], keep: frozenset | None = None) -> list:
    """The triples a Core shape can see: predicate in `keep` (all if None); rdf:type triples only
    for classes in `keep` unless the data has rdfs:subClassOf triples (then sh:class needs them)."""
    triples = list(triples)
    if keep is None:
        return list(dict.fromkeys(triples))
    types = any(p == RDFS.subClassOf for _, p, _ in triples)
    return list(dict.fromkeys(t for t in triples
                              if t[1] in keep and (types or t[1] != RDF.type or t[2] in keep)))


_TERMS: dict = {}  # pyoxigraph term -> rdflib term, shared by the graphs a process converts
TERMS_KEPT = 200_000


def _term(term, memo: dict):
    found = memo.get(term)
    if found is not None:
        return found
    if isinstance(term, ox.NamedNode):
        made = URIRef(term.value)
    elif isinstance(term, ox.BlankNode):
        made = BNode(term.value)
    elif term.language:
        made = Literal(term.value, lang=term.language)
    elif term.datatype.value == XSD_STRING:
        made = Literal(term.value)
    else:
        made = Literal(term.value, datatype=URIRef(term.datatype.value))
    memo[term] = made
    return made


# ---------------------------------------------------------------------------- running many

_WORKER: tuple[str, DocumentValidator] | None = None


def document_validator(key: str, source: str | None = None, shapes: ShapeSet | None = None) -> DocumentValidator:
    """This process's DocumentValidator for the shapes with hash `key` from `source` (None: the
    bundled shapes), built once per process; from `shapes` when the caller has them parsed."""
    global _WORKER
    if _WORKER is None or _WORKER[0] != key:
        _WORKER = (key, DocumentValidator(shapes if shapes is not None and shapes.hash == key else load_shapes(source)))
    return _WORKER[1]


_READER: tuple[str, ox.Store] | None = None


def _read(store_path: str, graph_iri: str) -> list:
    """A graph's quads, read by this worker from its own read-only handle on the store: no bytes
    to write, send and parse, and the reading is spread over the workers."""
    global _READER
    if _READER is None or _READER[0] != store_path:
        _READER = (store_path, ox.Store.read_only(store_path))
    return list(_READER[1].quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))


def _validate_batch(key: str, source: str | None, batch: list[tuple[str, bytes | None]],
                    store_path: str | None = None) -> list[tuple[str, list[Result]]]:
    validator = document_validator(key, source)
    graphs = [(iri, _read(store_path, iri) if data is None else list(ox.parse(data, format=ox.RdfFormat.N_QUADS)))
              for iri, data in batch]
    return validator.validate_batch(graphs)


def validate_graphs(items: Iterable[tuple[str, bytes | None]], key: str, source: str | None, jobs: int = 2,
                    count: int | None = None, store_path: str | None = None) -> Iterator[tuple[str, list[Result]]]:
    """(graph IRI, results) for each (graph IRI, its N-Quads bytes, or None to read it from the
    store at `store_path`), in worker processes when worth it. `key` is the hash of the shapes in
    `source`: a process sets them up once per key."""
    if jobs <= 1 or (count is not None and count < IN_PROCESS_BELOW):
        for batch in _batches(items, BATCH):
            yield from _validate_batch(key, source, batch, store_path)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=document_validator, initargs=(key, source)) as pool:
        pending: deque = deque()
        for batch in _batches(items, BATCH):
            pending.append(pool.submit(_validate_batch, key, source, batch, store_path))
            while len(pending) > jobs * 4:  # a bounded window: graphs are not all held in memory
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
