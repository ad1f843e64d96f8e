"""Whole-store checks: in full, or after a few documents changed, for only what the change can reach.

A whole-store check is one query over the union of all document graphs (kg.validation.sparql).
At 10,000 decisions that, with the quotes of its results, takes seconds: too slow to repeat after
every edit. A check that lists what it reads (kgsh:reads) promises that its results for a focus
node depend only on triples with those predicates about that node or a node one such triple away.
After documents change, only these focus nodes can then have other results:
  touched: the nodes of the changed graphs' triples with a read predicate, before the change (kept
    from the last run) and after it (read from the store);
  reached: the touched nodes and every node one read-predicate triple away from them.
Such a check is rerun with $this bound to the reached nodes; the kept results (and quotes) of every
other focus node stay. A check without kgsh:reads is rerun in full. tests/test_store_checks.py
compares the outcome with a full run after adding, editing and removing documents.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.iris import KG
from kg.store import Store
from kg.validation.model import Result, StoreState
from kg.validation.shapes import SparqlCheck
from kg.validation.sparql import add_quotes, run_union_checks

# Results name only decisions read from a document, so whether a node has one is always read.
SOURCE_DOCUMENT = f"<{KG.sourceDocument}>"
MAX_CHANGED = 500  # more changed graphs than this: a full run is about as quick
MAX_REACHED = 20_000  # focus nodes to rerun; beyond this a full run is about as quick


def run_store_checks(store: Store, checks: list[SparqlCheck], hashes: dict[str, str | None],
                     previous: StoreState | None) -> StoreState:
    """Whole-store results for a store whose graphs have these content hashes, reusing `previous`
    (the last run's state, for the same shapes) where the changes since allow."""
    predicates = read_predicates(checks)
    changed = changed_graphs(hashes, previous)
    if changed is not None and previous is not None:
        state = _incremental(store, checks, hashes, previous, changed, predicates)
        if state is not None:
            return state
    return _full(store, checks, hashes, predicates)


def read_predicates(checks: list[SparqlCheck]) -> list[str]:
    return sorted({p for check in checks for p in check.reads} | {SOURCE_DOCUMENT})


def changed_graphs(hashes: dict[str, str | None], previous: StoreState | None) -> set[str] | None:
    """Graphs added, edited or removed since `previous`; None when only a full run will do (no
    previous run, too many changes, or a graph without a content hash, which may differ unseen)."""
    if previous is None or any(h is None for h in hashes.values()):
        return None
    changed = {g for g, h in hashes.items() if previous.graphs.get(g, (None,))[0] != h}
    changed |= set(previous.graphs) - set(hashes)
    return changed if len(changed) <= MAX_CHANGED else None


def _full(store: Store, checks: list[SparqlCheck], hashes: dict[str, str | None],
          predicates: list[str]) -> StoreState:
    results = _finish(store, run_union_checks(store.oxigraph, checks))
    nodes = touched_nodes(store.oxigraph, predicates, None) or {}
    return StoreState(results, {g: (h, nodes.get(g, [])) for g, h in hashes.items()})


def _incremental(store: Store, checks: list[SparqlCheck], hashes: dict[str, str | None], previous: StoreState,
                 changed: set[str], predicates: list[str]) -> StoreState | None:
    """The state after rerunning the checks for the focus nodes the changed graphs reach; None when
    a full run is needed instead (a blank node among them, or too many nodes reached)."""
    now = touched_nodes(store.oxigraph, predicates, sorted(g for g in changed if g in hashes))
    if now is None:
        return None
    touched = {n for g in changed for n in previous.graphs.get(g, (None, []))[1]}
    touched.update(n for nodes in now.values() for n in nodes)
    reached = reach(store.oxigraph, predicates, touched)
    if len(reached) > MAX_REACHED:
        return None
    focus = sorted(reached)
    fresh: list[Result] = []
    for check in checks:
        fresh += run_union_checks(store.oxigraph, [check], focus if check.reads else None)
    rerun = {c.check.id for c in checks if not c.reads}
    kept = [r for r in previous.results if r.check not in rerun and r.focus not in reached]
    graphs = {g: entry for g, entry in previous.graphs.items() if g in hashes and g not in changed}
    graphs.update((g, (hashes[g], now.get(g, []))) for g in changed if g in hashes)
    return StoreState(in_check_order(checks, kept + _finish(store, fresh)), graphs, len(focus))


def touched_nodes(store: ox.Store, predicates: list[str], graphs: list[str] | None) -> dict[str, list[str]] | None:
    """graph IRI -> the IRIs (N-Triples) of its triples with these predicates, for these graphs or
    (None) all; None if one of them has a blank node, which no query can bind $this to."""
    found: dict[str, set[str]] = {}
    for graph in graphs if graphs is not None else (None,):
        name = ox.NamedNode(graph) if graph is not None else None
        for predicate in predicates:
            for quad in store.quads_for_pattern(None, ox.NamedNode(predicate[1:-1]), None, name):
                if not isinstance(quad.graph_name, ox.NamedNode):
                    continue
                if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                    return None
                nodes = found.setdefault(quad.graph_name.value, set())
                nodes.add(str(quad.subject))
                if isinstance(quad.object, ox.NamedNode):
                    nodes.add(str(quad.object))
    return {g: sorted(nodes) for g, nodes in found.items()}


def reach(store: ox.Store, predicates: list[str], nodes: Iterable[str]) -> set[str]:
    """The nodes, and every IRI one triple with one of these predicates away from them (either way)."""
    reached = set(nodes)
    terms = [ox.NamedNode(p[1:-1]) for p in predicates]
    for node in list(reached):
        term = ox.NamedNode(node[1:-1])
        for predicate in terms:
            for quad in store.quads_for_pattern(None, predicate, term, None):
                if isinstance(quad.subject, ox.NamedNode):
                    reached.add(str(quad.subject))
            for quad in store.quads_for_pattern(term, predicate, None, None):
                if isinstance(quad.object, ox.NamedNode):
                    reached.add(str(quad.object))
    return reached


def in_check_order(checks: list[SparqlCheck], results: list[Result]) -> list[Result]:
    """Results in the order a full run gives them: by check, then graph, focus and value."""
    rank = {c.check.id: i for i, c in enumerate(checks)}
    return sorted(results, key=lambda r: (rank.get(r.check, len(rank)), r.graph or "", r.focus, r.value or ""))


def _finish(store: Store, results: list[Result]) -> list[Result]:
    return known_decisions(store, add_quotes(store.oxigraph, results))


def known_decisions(store: Store, results: list[Result]) -> list[Result]:
    """Keep, in whole-store results, only decisions read from a document (not a cited code)."""
    named = sorted({d for r in results for d in r.decisions})
    if not named:
        return results
    values = " ".join(f"<{d}>" for d in named)
    query = f"SELECT DISTINCT ?d WHERE {{ VALUES ?d {{ {values} }} ?d kg:sourceDocument ?doc }}"
    known = {row["d"].value for row in store.select(query)}
    return [r.replace(decisions=tuple(d for d in r.decisions if d in known)) for r in results]
