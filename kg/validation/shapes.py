"""Loading the shapes: which checks exist, which engine runs each, and the hash that keys the cache.

Every check is a named shape; its local name is the check id that reports, the summary and the
test fixtures use. Shapes with sh:sparql run as queries on pyoxigraph (kg.validation.sparql):
on each document graph, or over the whole store when marked kgsh:scope kgsh:WholeStore. All other
shapes are SHACL Core and run in pyshacl per document graph (kg.validation.document).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

from kg.errors import ValidationSetupError
from kg.resources import SHAPES_DIR

SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/kg-decisions/shapes#")
SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
CONSTRAINT_NAMES = (
    "class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive "
    "minLength maxLength pattern languageIn uniqueLang equals disjoint lessThan lessThanOrEquals "
    "not and or xone node qualifiedValueShape closed hasValue in sparql")
CONSTRAINTS = {SH[name] for name in CONSTRAINT_NAMES.split()}
SELECT_HEAD = re.compile(r"^\s*SELECT\s+((DISTINCT|REDUCED)\s+)?", re.I)
GROUP_BY = re.compile(r"\bGROUP\s+BY\s+", re.I)


@dataclass(frozen=True)
class Check:
    """One named check: what the summary counts and what the fixtures exercise."""

    id: str
    node: URIRef | BNode
    severity: str
    message: str
    label: str
    engine: str  # "core" (pyshacl), "document" (SPARQL per document graph) or "store" (SPARQL, whole store)


@dataclass(frozen=True)
class SparqlCheck:
    """A SHACL-SPARQL shape ready for pyoxigraph: prefixes, its SELECT, and a pattern for its targets."""

    check: Check
    prefixes: str
    select: str
    target: str
    reads: tuple[str, ...] = ()  # kgsh:reads, N-Triples form: the check can be rerun for a few focus nodes

    def union_query(self, focus: list[str] | None = None) -> str:
        """The query for the union of all graphs, its solutions kept to the shape's focus nodes by a
        FILTER EXISTS on the target: SHACL-SPARQL's pre-binding of $this, for a query that binds
        $this itself (filtering after the query costs one look-up per solution, not per row).
        With `focus` (N-Triples IRIs), $this is bound to those nodes by a VALUES in the query's group."""
        select = self.select
        if focus is not None:
            head, body, tail = self._parts()
            select = f"{head}{{ VALUES $this {{ {' '.join(focus)} }}\n{body} }}{tail}"
        return f"{self.prefixes}SELECT * WHERE {{ {{ {select} }}\n FILTER EXISTS {{ {self.target} }} }}"

    def graph_query(self) -> str:
        """The query evaluated inside each named graph alone, with the graph as ?kgGraph: many
        document graphs checked in one query. (A sub-SELECT inside GRAPH ?g would be simpler, but
        pyoxigraph 0.5 then leaves ?g unbound.)"""
        head, body, tail = self._parts()
        head = SELECT_HEAD.sub(lambda m: m.group(0) + ("" if "*" in head else "?kgGraph "), head, count=1)
        tail = GROUP_BY.sub(lambda m: m.group(0) + "?kgGraph ", tail, count=1)
        return (f"{self.prefixes}{head}{{ GRAPH ?kgGraph {{ {body}\n FILTER EXISTS {{ {self.target} }} }} }}"
                f"{tail}")

    def _parts(self) -> tuple[str, str, str]:
        """(what precedes the WHERE group, the group's inside, what follows it)."""
        start = self.select.find("{")
        depth = 0
        for i in range(max(start, 0), len(self.select)):
            depth += {"{": 1, "}": -1}.get(self.select[i], 0)
            if depth == 0 and start >= 0:
                return self.select[:start], self.select[start + 1:i], self.select[i + 1:]
        raise ValidationSetupError(f"shape {self.check.id}: its sh:select has no WHERE group")


@dataclass
class ShapeSet:
    """The shapes graph split by engine, and the hash of the files it came from."""

    graph: Graph
    files: tuple[Path, ...]
    hash: str
    checks: dict[str, Check] = field(default_factory=dict)
    sparql: list[SparqlCheck] = field(default_factory=list)

    @property
    def document_sparql(self) -> list[SparqlCheck]:
        return [c for c in self.sparql if c.check.engine == "document"]

    @property
    def store_sparql(self) -> list[SparqlCheck]:
        return [c for c in self.sparql if c.check.engine == "store"]



def shape_files(source: str | Path | None = None) -> tuple[Path, ...]:
    """Turtle files of the shapes: a folder (searched recursively) or one file."""
    path = Path(source) if source is not None else SHAPES_DIR
    if path.is_file():
        return (path,)
    if not path.is_dir():
        raise ValidationSetupError(f"{path}: no shapes file or folder here")
    files = tuple(sorted(path.rglob("*.ttl")))
    if not files:
        raise ValidationSetupError(f"{path}: no .ttl shapes files in this folder")
    return files


def shapes_hash(files: tuple[Path, ...]) -> str:
    """A hash of the shapes files' names and bytes: cheap (no parsing), so `kg stats` can use it."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def load_shapes(source: str | Path | None = None) -> ShapeSet:
    """Parse and check the shapes; raise ValidationSetupError naming the file and the problem."""
    files = shape_files(source)
    graph = Graph()
    for path in files:
        try:
            graph.parse(data=path.read_bytes(), format="turtle", publicID=path.resolve().as_uri())
        except Exception as exc:  # rdflib raises many kinds; all mean "not valid Turtle"
            raise ValidationSetupError(f"{path}: cannot parse shapes ({_first_line(exc)})") from exc
    shapes = ShapeSet(graph, files, shapes_hash(files))
    for node in sorted(check_nodes(graph), key=str):
        check = _check(graph, node)
        if check.id in shapes.checks:
            raise ValidationSetupError(f"two shapes have the check id {check.id!r}; rename one")
        shapes.checks[check.id] = check
        if check.engine != "core":
            shapes.sparql.append(_sparql_check(graph, check))
    if not shapes.checks:
        raise ValidationSetupError(f"{files[0]}: no shapes with targets and constraints in these files")
    return shapes


@lru_cache(maxsize=1)
def bundled_shapes() -> ShapeSet:
    """The shapes in shapes/, loaded once per process."""
    return load_shapes(None)


def check_nodes(graph: Graph) -> set:
    """Shapes that are checks: targeted shapes with constraints of their own, and their sh:property shapes."""
    targeted = {s for t in TARGETS for s in graph.subjects(t, None)}
    found = set()
    for shape in targeted:
        if _has_constraints(graph, shape):
            found.add(shape)
        found.update(p for p in graph.objects(shape, SH.property) if _has_constraints(graph, p))
    return found


def _has_constraints(graph: Graph, shape) -> bool:
    return any(p in CONSTRAINTS for p in graph.predicates(shape, None))


def check_id(graph: Graph, node) -> str:
    """A shape's check id: its IRI's local name; for a blank node, its parent's id and its path."""
    if isinstance(node, URIRef):
        text = str(node)
        return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]
    parent = next(graph.subjects(SH.property, node), None)
    path = graph.value(node, SH.path)
    tail = check_id(graph, path) if isinstance(path, URIRef) else "path"
    return f"{check_id(graph, parent)}/{tail}" if parent is not None else f"shape-{tail}"


def _check(graph: Graph, node) -> Check:
    cid = check_id(graph, node)
    severity = SEVERITIES.get(graph.value(node, SH.severity), "violation")
    sparql = list(graph.objects(node, SH.sparql))
    message = graph.value(node, SH.message) or next(
        (graph.value(s, SH.message) for s in sparql if graph.value(s, SH.message)), None)
    label = graph.value(node, RDFS.label) or graph.value(node, SH.name) or ""
    if sparql and any(p in CONSTRAINTS - {SH.sparql} for p in graph.predicates(node, None)):
        raise ValidationSetupError(f"shape {cid}: mixes sh:sparql with Core constraints; split it in two")
    engine = "core"
    if sparql:
        engine = "store" if graph.value(node, KGSH.scope) == KGSH.WholeStore else "document"
    return Check(cid, node, severity, str(message or f"{cid} fails"), str(label), engine)


def _sparql_check(graph: Graph, check: Check) -> SparqlCheck:
    constraints = list(graph.objects(check.node, SH.sparql))
    if len(constraints) != 1:
        raise ValidationSetupError(f"shape {check.id}: give it exactly one sh:sparql constraint")
    if graph.value(check.node, SH.path) is not None:
        raise ValidationSetupError(f"shape {check.id}: sh:sparql is supported on node shapes only")
    select = graph.value(constraints[0], SH.select)
    if not isinstance(select, Literal):
        raise ValidationSetupError(f"shape {check.id}: its sh:sparql constraint has no sh:select query")
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _prefixes(graph, constraints[0]))
    read = list(graph.objects(check.node, KGSH.reads))
    if not all(isinstance(p, URIRef) for p in read):
        raise ValidationSetupError(f"shape {check.id}: kgsh:reads takes predicate IRIs")
    reads = tuple(sorted(p.n3() for p in read))
    if reads and check.engine != "store":
        raise ValidationSetupError(f"shape {check.id}: kgsh:reads is for kgsh:WholeStore shapes only")
    return SparqlCheck(check, prefixes, str(select).strip(), target_pattern(graph, check), reads)


def _prefixes(graph: Graph, constraint) -> list[tuple[str, str]]:
    pairs = []
    for ontology in graph.objects(constraint, SH.prefixes):
        for decl in graph.objects(ontology, SH.declare):
            prefix, ns = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
            if prefix is None or ns is None:
                raise ValidationSetupError(f"a sh:declare of {ontology} lacks sh:prefix or sh:namespace")
            pairs.append((str(prefix), str(ns)))
    return sorted(set(pairs))


def target_pattern(graph: Graph, check: Check) -> str:
    """SPARQL binding $this to the focus nodes of the shape's targets (a UNION of them)."""
    node = check.node
    parts = [f"{{ $this a/<{RDFS.subClassOf}>* <{c}> }}" for c in graph.objects(node, SH.targetClass)]
    parts += [f"{{ $this <{p}> ?kgTargetObject }}" for p in graph.objects(node, SH.targetSubjectsOf)]
    parts += [f"{{ ?kgTargetSubject <{p}> $this }}" for p in graph.objects(node, SH.targetObjectsOf)]
    nodes = [n.n3() for n in graph.objects(node, SH.targetNode)]
    if nodes:
        parts.append(f"{{ VALUES $this {{ {' '.join(nodes)} }} }}")
    if not parts:
        raise ValidationSetupError(f"shape {check.id}: a SPARQL check needs a target (sh:targetClass, …)")
    return " UNION ".join(parts)


def core_graph(shapes: ShapeSet) -> Graph:
    """The shapes for pyshacl: without the SPARQL shapes, and with each sh:property shape given its
    parent's targets. pyshacl evaluates a property shape reached through sh:property once per focus
    node, but a targeted one once for all of them (measured: 1.7x faster); results are the same."""
    sparql_nodes = {c.check.node for c in shapes.sparql}
    graph = Graph()
    for s, p, o in shapes.graph:
        if s in sparql_nodes or (isinstance(s, BNode) and any(
                parent in sparql_nodes for parent in shapes.graph.subjects(SH.sparql, s))):
            continue
        graph.add((s, p, o))
    _flatten(graph)
    return graph


def _flatten(graph: Graph) -> None:
    for shape in {s for t in TARGETS for s in graph.subjects(t, None)}:
        if graph.value(shape, SH.deactivated) is not None:
            continue
        targets = [(t, o) for t in TARGETS for o in graph.objects(shape, t)]
        for child in list(graph.objects(shape, SH.property)):
            for t, o in targets:
                graph.add((child, t, o))
            graph.remove((shape, SH.property, child))
        if not _has_constraints(graph, shape):
            for t, o in targets:
                graph.remove((shape, t, o))


def relevant_predicates(core: Graph) -> frozenset | None:
    """Predicates whose triples can change a Core result: those the shapes name, plus rdf:type and
    rdfs:subClassOf (for sh:class). None when a shape is sh:closed (it looks at every predicate)."""
    if (None, SH.closed, None) in core:
        return None
    named = {t for triple in core for t in triple if isinstance(t, URIRef)}
    return frozenset(named | {RDF.type, RDFS.subClassOf})


class _Everything(frozenset):
    """Stands for "any predicate" where a shape's backward path is too complex to list."""

    def __contains__(self, item) -> bool:
        return True


def backward_predicates(core: Graph) -> frozenset:
    """Predicates a Core shape follows backwards (sh:inversePath, sh:targetObjectsOf): through
    them a node's incoming edges count, so documents sharing such an edge's object are not
    validated together (kg.validation.grouping). A complex inverse path stands for any predicate."""
    found = set(core.objects(None, SH.targetObjectsOf))
    for path in core.objects(None, SH.inversePath):
        if not isinstance(path, URIRef):
            return _Everything()
        found.add(path)
    return frozenset(found)


def naive_shapes_graph() -> Graph:
    """Every bundled shape, Core and SPARQL, as one graph: what a naive single pyshacl call would use."""
    return bundled_shapes().graph


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
