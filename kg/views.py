"""NetworkX views of the graph: each view is a SPARQL query in queries/views/, built by one function.

A view query returns one row per contribution to an edge, with these columns:

    source, target                  the two nodes (IRIs); required
    source_label, target_label      node labels (default: the IRI's last segment)
    source_kind, target_kind        node kinds, e.g. organisation, decision (default: node)
    source_X, target_X              any other node attribute X
    weight                          a number added up over the edge's rows (default: 1 a row)
    any other column X              collected over the edge's rows into a sorted list named X + "s"
                                    (decision -> decisions, year -> years)

Every edge also gets `count`, the number of rows behind it. Adding a view is adding a
query file: `kg export NAME` finds it by its file name.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import networkx as nx
import pyoxigraph as ox

from kg.answers import cached
from kg.errors import ExportError
from kg.queries import Query, bind, load_query, select
from kg.resources import QUERIES_DIR

VIEWS_DIR = QUERIES_DIR / "views"
NODE_COLUMNS = ("source", "target")


def view_names() -> list[str]:
    return sorted(p.stem for p in VIEWS_DIR.glob("*.rq"))


def load_view(name: str) -> Query:
    if name not in view_names():
        raise ExportError(f"no view named {name!r}; choose one of {', '.join(view_names())}")
    return load_query(f"views/{name}")


def build_view(store, name: str, params: dict[str, str] | None = None) -> nx.DiGraph:
    """Run a view's query on the store and build its graph."""
    query = load_view(name)
    bindings = bind(query, params or {})
    variables, rows = cached(store, query.text, bindings, lambda: select(store, query.text, bindings))
    graph = graph_from_rows(variables, rows)
    graph.graph.update(name=name, title=query.title or name)
    return graph


def graph_from_rows(variables: list[str], rows: list[dict]) -> nx.DiGraph:
    """The generic builder: edge-contribution rows (see the module doc) -> a directed graph."""
    missing = [c for c in NODE_COLUMNS if c not in variables]
    if missing:
        raise ExportError(f"a view query must return {', '.join(NODE_COLUMNS)} (missing {', '.join(missing)})")
    node_cols = {end: [v for v in variables if v.startswith(end + "_")] for end in NODE_COLUMNS}
    edge_cols = [v for v in variables if v not in NODE_COLUMNS and v != "weight"
                 and not v.startswith(("source_", "target_"))]
    has_weight = "weight" in variables
    graph = nx.DiGraph()
    collected: dict[tuple[str, str], dict[str, set]] = {}
    for row in rows:
        ends = []
        for end in NODE_COLUMNS:
            term = row.get(end)
            if term is None:
                break
            node = _key(term)
            attrs = {col[len(end) + 1:]: _value(row.get(col)) for col in node_cols[end] if row.get(col) is not None}
            _add_node(graph, node, attrs)
            ends.append(node)
        if len(ends) != 2:
            continue
        u, v = ends
        if not graph.has_edge(u, v):
            graph.add_edge(u, v, weight=0.0, count=0)
            collected[(u, v)] = {col: set() for col in edge_cols}
        data = graph.edges[u, v]
        data["count"] += 1
        data["weight"] += _number(row.get("weight")) if has_weight else 1.0
        for col in edge_cols:
            if row.get(col) is not None:
                collected[(u, v)][col].add(_value(row[col]))
    for node, data in graph.nodes(data=True):
        data.setdefault("label", _last_segment(node))
        data.setdefault("kind", "node")
    for (u, v), values in collected.items():
        for col, found in values.items():
            graph.edges[u, v][col + "s"] = sorted(found, key=lambda x: (str(type(x)), x))
    return graph


def _add_node(graph: nx.DiGraph, node: str, attrs: dict) -> None:
    """Add a node or its attributes; when rows disagree, keep the smallest value, so the
    graph does not depend on the order of the rows."""
    if node not in graph:
        graph.add_node(node)
    data = graph.nodes[node]
    for key, value in attrs.items():
        if key not in data or str(value) < str(data[key]):
            data[key] = value


def _last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def _key(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _value(term):
    """A literal's Python value for attributes: numbers stay numbers, the rest is text."""
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        try:
            if dt in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
                return int(term.value)
            if dt in ("decimal", "double", "float"):
                return float(term.value)
        except ValueError:
            return term.value
        if dt == "boolean":
            return term.value == "true"
        return term.value
    return _key(term)


def _number(term) -> float:
    if term is None:
        return 0.0
    try:
        return float(Decimal(term.value))
    except (InvalidOperation, ValueError) as exc:
        raise ExportError(f"view weight {term.value!r} is not a number") from exc
