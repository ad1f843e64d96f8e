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
    builder = _ViewBuilder(variables)
    for row in rows:
        builder.add(row)
    return builder.graph()


class _ViewBuilder:
    """Nodes and edges gathered in dicts, then put in the graph at once.

    Rows repeat their nodes (225,000 rows name 69,000 nodes in the whole-graph view at 10,000
    decisions), so a node's attributes are read once for each distinct set of values, and a
    term's attribute value is made once."""

    def __init__(self, variables: list[str]) -> None:
        self.node_cols = {end: [v for v in variables if v.startswith(end + "_")] for end in NODE_COLUMNS}
        self.edge_cols = [v for v in variables if v not in NODE_COLUMNS and v != "weight"
                          and not v.startswith(("source_", "target_"))]
        self.has_weight = "weight" in variables
        self.nodes: dict[str, dict] = {}
        self.seen: set[tuple] = set()
        self.edges: dict[tuple[str, str], dict] = {}
        self.collected: dict[tuple[str, str], dict[str, set]] = {}
        self.values_of: dict = {}

    def add(self, row: dict) -> None:
        u = self._node(row, "source")
        v = self._node(row, "target") if u is not None else None
        if v is None:
            return
        data = self.edges.get((u, v))
        if data is None:
            data = self.edges[(u, v)] = {"weight": 0.0, "count": 0}
            self.collected[(u, v)] = {col: set() for col in self.edge_cols}
        data["count"] += 1
        data["weight"] += _number(row.get("weight")) if self.has_weight else 1.0
        for col in self.edge_cols:
            term = row.get(col)
            if term is not None:
                self.collected[(u, v)][col].add(self._value(term))

    def _node(self, row: dict, end: str) -> str | None:
        term = row.get(end)
        if term is None:
            return None
        node = _key(term)
        cols = self.node_cols[end]
        values = tuple(map(row.get, cols))
        if (node, end, values) not in self.seen:
            self.seen.add((node, end, values))
            _merge(self.nodes.setdefault(node, {}), {col[len(end) + 1:]: self._value(value)
                                                     for col, value in zip(cols, values, strict=True)
                                                     if value is not None})
        return node

    def _value(self, term):
        value = self.values_of.get(term)
        if value is None:
            value = self.values_of[term] = _value(term)
        return value

    def graph(self) -> nx.DiGraph:
        for node, data in self.nodes.items():
            data.setdefault("label", _last_segment(node))
            data.setdefault("kind", "node")
        for pair, values in self.collected.items():
            for col, found in values.items():
                self.edges[pair][col + "s"] = (sorted(found, key=_by_type_then_value) if len(found) > 1
                                               else list(found))
        graph = nx.DiGraph()
        graph.add_nodes_from(self.nodes.items())
        graph.add_edges_from((u, v, data) for (u, v), data in self.edges.items())
        return graph


def _by_type_then_value(value) -> tuple:
    return str(type(value)), value


def _merge(data: dict, attrs: dict) -> None:
    """Add a node's attributes; when rows disagree, keep the smallest value, so the graph does
    not depend on the order of the rows."""
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
