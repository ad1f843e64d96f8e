"""SHACL-SPARQL checks on pyoxigraph: one query per check, not one per focus node.

SHACL-SPARQL defines a constraint with $this pre-bound to each focus node in turn; pyshacl does
exactly that and parses the query again each time (measured: ~8 ms per focus node, 7.9 s of a
10.6 s run at 1,000 decisions). Here $this is left free and restricted to the shape's targets by a FILTER
EXISTS, which gives the same solutions in one query: inside each of a batch of document graphs (in a
worker, on an in-memory copy: GRAPH ?kgGraph) or over the union of all of them (whole-store checks).
Each solution is one result: focus $this, value ?value (else $this), path ?path, and the message
with {?var} filled in. Quotes for results are looked up afterwards in one query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from kg.errors import ValidationSetupError
from kg.validation.model import Result
from kg.validation.shapes import SparqlCheck

PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")
IDENTIFIER = "<http://purl.org/dc/terms/identifier>"
QUOTES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?g ?s ?p ?o ?exact WHERE {
  VALUES ?n { %s }
  GRAPH ?g { { ?ev rdf:subject ?n } UNION { ?ev rdf:object ?n }
    ?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; oa:hasTarget ?target .
    ?target oa:hasSelector ?selector . ?selector oa:exact ?exact } }"""
PAIR_QUOTES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?g ?s ?p ?o ?exact WHERE {
  VALUES (?s ?o) { %s }
  GRAPH ?g { ?ev rdf:object ?o . ?ev rdf:subject ?s . ?ev rdf:predicate ?p ; oa:hasTarget ?target .
    ?target oa:hasSelector ?selector . ?selector oa:exact ?exact } }"""
CHUNK = 2000  # values per quote query


def run_graph_checks(store: ox.Store, checks: list[SparqlCheck]) -> dict[str, list[Result]]:
    """Results of per-document checks by graph: each check is one query evaluated inside each
    named graph of the store alone (a worker's in-memory copy of a batch of document graphs)."""
    found: dict[str, list[Result]] = {}
    for check in checks:
        for result in _results(check, _solutions(store, check, check.graph_query(), {})):
            found.setdefault(result.graph, []).append(result)
    return found


def run_union_checks(store: ox.Store, checks: list[SparqlCheck], focus: list[str] | None = None) -> list[Result]:
    """Results of checks over the union of all named graphs (the whole store, or one document's);
    with `focus` (N-Triples IRIs), for those focus nodes only."""
    out: list[Result] = []
    options = {"use_default_graph_as_union": True}
    for check in checks:
        for start in range(0, len(focus), CHUNK) if focus is not None else (None,):
            query = check.union_query(None if start is None else focus[start:start + CHUNK])
            out.extend(_results(check, _solutions(store, check, query, options)))
    return out


def _solutions(store: ox.Store, check: SparqlCheck, query: str, options: dict) -> Iterable[dict]:
    try:
        solutions = store.query(query, **options)
    except SyntaxError as exc:
        raise ValidationSetupError(f"shape {check.check.id}: bad SPARQL in sh:select ({exc})") from exc
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        yield {n: solution[n] for n in names if solution[n] is not None}


def _results(check: SparqlCheck, rows: Iterable[dict]) -> list[Result]:
    seen: set = set()
    out = []
    for row in rows:
        if "this" not in row:
            raise ValidationSetupError(f"shape {check.check.id}: its sh:select must return $this")
        result = _result(check, row)
        key = (result.graph, result.focus, result.path, result.value, result.message)
        if key not in seen:
            seen.add(key)
            out.append(result)
    return sorted(out, key=lambda r: (r.graph or "", r.focus, r.value or ""))


def _result(check: SparqlCheck, row: dict) -> Result:
    focus = row["this"]
    value = row.get("value", focus if "path" not in row else None)
    decision = row.get("decision", focus)
    graph = row.get("kgGraph")
    return Result(
        check=check.check.id,
        severity=check.check.severity,
        message=fill_message(check.check.message, row),
        focus=str(focus),
        path=str(row["path"]) if "path" in row else None,
        value=str(value) if value is not None else None,
        component="SPARQLConstraintComponent",
        decisions=(decision.value,) if isinstance(decision, ox.NamedNode) else (),
        graph=graph.value if isinstance(graph, ox.NamedNode) else None,
    )


def fill_message(template: str, row: dict) -> str:
    """Replace {?name} and {$name} with the solution's values, as SHACL-SPARQL does."""
    def value(match: re.Match) -> str:
        term = row.get(match.group(1))
        if term is None:
            return "?"
        return term.value if isinstance(term, (ox.Literal, ox.NamedNode)) else str(term)
    return PLACEHOLDER.sub(value, template)


# ------------------------------------------------------------------------------ quotes

def add_quotes(store: ox.Store, results: list[Result], graphs: list[str] | None = None) -> list[Result]:
    """The results, each with the source quote of the fact it is about, where the graph has one.

    Tried in order: the statement (focus, path, value); any (focus, path, _); any (focus, _, value);
    any statement whose object is the focus (a flow's sum, a provision's citation); the focus's
    reference code. A result from a document graph takes quotes from that graph only.
    """
    wanted = [r for r in results if r.quote is None]
    pairs = sorted({(r.focus, r.value) for r in wanted if _is_pair(r)})
    quotes = _Quotes(_pair_evidence(store, pairs, graphs))
    # the rest: everything said about the nodes involved (costly on disk: every fact of a decision)
    nodes = {t for r in wanted if quotes.find(r) is None for t in (r.focus, r.value) if t and t.startswith("<")}
    if nodes:
        quotes.add(_evidence(store, sorted(nodes), graphs))
    out = []
    for result in results:
        quote = quotes.find(result) if result.quote is None else None
        out.append(result.replace(quote=quote) if quote else result)
    return out


def _is_pair(r: Result) -> bool:
    """A result about a link (focus -> value) whose statement one look-up can find; blank nodes
    cannot go in VALUES."""
    return bool(r.focus and r.value and r.focus.startswith("<") and r.value[0] in '<"')


def _pair_evidence(store: ox.Store, pairs: list[tuple], graphs: list[str] | None) -> Iterable[tuple]:
    """(graph, s, p, o, quote) for the statements linking these (subject, object) pairs: on disk
    far cheaper than everything said about the nodes (a decision has ~20 facts)."""
    for start in range(0, len(pairs), CHUNK):
        values = " ".join(f"({s} {o})" for s, o in pairs[start:start + CHUNK])
        yield from _rows(store, PAIR_QUOTES % values, graphs)


def _evidence(store: ox.Store, nodes: list[str], graphs: list[str] | None) -> Iterable[tuple]:
    """(graph, s, p, o, quote) for the statements touching any of `nodes`."""
    for start in range(0, len(nodes), CHUNK):
        yield from _rows(store, QUOTES % " ".join(nodes[start:start + CHUNK]), graphs)


def _rows(store: ox.Store, query: str, graphs: list[str] | None) -> Iterable[tuple]:
    options = {"named_graphs": [ox.NamedNode(g) for g in graphs]} if graphs is not None else {}
    for row in store.query(query, **options):
        yield row["g"].value, str(row["s"]), str(row["p"]), str(row["o"]), row["exact"].value


class _Quotes:
    """Quotes indexed the ways add_quotes asks for them, per graph and across graphs (graph None)."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self.spo: dict = {}
        self.sp: dict = {}
        self.so: dict = {}
        self.o: dict = {}
        self.add(rows)

    def add(self, rows: Iterable[tuple]) -> None:
        for g, s, p, o, quote in rows:
            for graph in (g, None):
                self.spo.setdefault((graph, s, p, o), quote)
                self.sp.setdefault((graph, s, p), quote)
                self.so.setdefault((graph, s, o), quote)
                self.o.setdefault((graph, o), quote)

    def find(self, result: Result) -> str | None:
        g, f, p, v = result.graph, result.focus, result.path, result.value
        tries = []
        if p and p.startswith("<"):
            tries += [(self.spo, (g, f, p, v)), (self.sp, (g, f, p))]
        if v and v != f:
            tries.append((self.so, (g, f, v)))
        tries += [(self.o, (g, f)), (self.sp, (g, f, IDENTIFIER))]
        return next((table[key] for table, key in tries if key in table), None)
