"""What a validation run produces: results, and the report that gathers them.

Results are plain data (terms kept in N-Triples form) so they can cross process boundaries,
sit in the JSON cache beside the store, and be turned back into a SHACL report graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

LEVELS = ("violation", "warning", "info")
RANK = {name: i for i, name in enumerate(LEVELS)}


class Result(NamedTuple):
    """One validation result, in the terms of a SHACL validation result plus where to look.
    A named tuple, not a dataclass: a report after one edit makes ~40,000 of them from the cache,
    and a tuple is made twice as fast."""

    check: str
    severity: str
    message: str
    focus: str  # the focus node, N-Triples form
    path: str | None = None  # the result path: N-Triples IRI, or a SPARQL path for complex ones
    value: str | None = None  # the offending value, N-Triples form
    quote: str | None = None  # the source text stating the offending fact, where the graph has one
    component: str | None = None  # sh:sourceConstraintComponent local name
    decisions: tuple[str, ...] = ()  # IRIs of the decisions the result concerns
    graph: str | None = None  # the document graph it was found in; None for store checks

    def to_row(self) -> list:
        """A compact list for the cache file (field order as declared)."""
        return [self.check, self.severity, self.message, self.focus, self.path, self.value, self.quote,
                self.component, list(self.decisions), self.graph]

    @classmethod
    def from_row(cls, row: list) -> Result:
        return cls._make((*row[:8], tuple(row[8]), row[9]))

    def replace(self, **changes) -> Result:
        return self._replace(**changes)


@dataclass
class StoreState:
    """What a run of the whole-store checks leaves for the next: the results, and per document graph
    the content hash it saw and the nodes (N-Triples IRIs) of that graph's triples with a predicate
    the checks read (kgsh:reads). From these the next run knows which focus nodes a change can reach."""

    results: list[Result] = field(default_factory=list)
    graphs: dict[str, tuple | list] = field(default_factory=dict)  # graph IRI -> (content hash, nodes)
    rerun: int | None = None  # focus nodes the checks were rerun for; None when they ran in full


@dataclass
class Report:
    """Results of a run: per document graph, and from the store checks, with how they were got."""

    documents: dict[str, str] = field(default_factory=dict)  # graph IRI -> source key (describe() fills)
    decisions: dict[str, dict] = field(default_factory=dict)  # decision IRI -> identifier, title, document
    by_graph: dict[str, list[Result]] = field(default_factory=dict)
    store_results: list[Result] = field(default_factory=list)
    checks: dict = field(default_factory=dict)  # check id -> kg.validation.shapes.Check
    shapes_graph: object = None  # the rdflib shapes graph (complex result paths are copied from it)
    revalidated: int = 0  # document graphs validated in this run (the rest came from the cache)
    store_rerun: str = "kept"  # whole-store checks: "kept" results, rerun for "N focus nodes", or "full"
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def results(self) -> list[Result]:
        """Every result: the document graphs' (in graph order), then the whole-store checks'."""
        out = [r for graph in sorted(self.by_graph) for r in self.by_graph[graph]]
        return out + self.store_results

    def counts(self) -> dict[str, int]:
        """Results per severity."""
        counts = dict.fromkeys(LEVELS, 0)
        for result in self.results:
            counts[result.severity] += 1
        return counts

    def conforms(self, fail_on: str = "violation") -> bool:
        """True when no result is at `fail_on` severity or above."""
        worst = RANK[fail_on]
        return not any(RANK[r.severity] <= worst for r in self.results)
