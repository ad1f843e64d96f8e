"""Which document graphs can share one pyshacl run without changing anyone's results.

pyshacl has a fixed cost per shape per run (finding focus nodes, setting up each constraint),
about as much as validating a small document's nodes. Running the Core shapes once over the
union of many document graphs pays it once, which halves the Core cost per document.

The union gives the same results as one run per document only when no document can see another
document's triples. Document graphs do share nodes (the Home Office, an Act, a financial year),
and each repeats their description, so a merge is safe when:

- a node described (as a subject) in two documents has the same triples in both;
- no document refers to a node without describing it while another document describes it (the
  first document's own run would find it undescribed);
- no node is reached backwards (sh:inversePath, sh:targetObjectsOf) through a predicate from two
  documents, since counting incoming edges would then count the other document's.

A document that breaks a condition goes to another group; in the worst case each document gets
its own run, exactly as before. A result is then reported for every document of the group whose
graph holds its focus node.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


@dataclass
class DocumentPart:
    """One document graph as the triples a Core shape can see, indexed for grouping."""

    iri: str
    triples: list[Triple]
    described: dict[Node, frozenset] = field(default_factory=dict)
    undescribed: set[Node] = field(default_factory=set)
    nodes: set[Node] = field(default_factory=set)
    backwards: set[tuple[Node, Node]] = field(default_factory=set)

    @classmethod
    def of(cls, iri: str, triples: list[Triple], inverse_predicates: frozenset) -> DocumentPart:
        by_subject: dict[Node, set] = {}
        for t in triples:
            by_subject.setdefault(t[0], set()).add(t)
        part = cls(iri, triples, {s: frozenset(ts) for s, ts in by_subject.items()})
        for s, p, o in triples:
            part.nodes.update((s, o))
            if not isinstance(o, Literal) and o not in part.described:
                part.undescribed.add(o)
            if p in inverse_predicates:
                part.backwards.add((p, o))
        return part


@dataclass
class Group:
    """Documents validated together, with what a newcomer must agree with."""

    parts: list[DocumentPart] = field(default_factory=list)
    described: dict[Node, frozenset] = field(default_factory=dict)
    undescribed: set[Node] = field(default_factory=set)
    backwards: set[tuple[Node, Node]] = field(default_factory=set)

    def accepts(self, part: DocumentPart) -> bool:
        for node, triples in part.described.items():
            if self.described.get(node, triples) != triples or node in self.undescribed:
                return False
        return (part.undescribed.isdisjoint(self.described)
                and part.backwards.isdisjoint(self.backwards))

    def add(self, part: DocumentPart) -> None:
        self.parts.append(part)
        self.described.update(part.described)
        self.undescribed.update(part.undescribed)
        self.backwards.update(part.backwards)

    def graph(self) -> Graph:
        graph = Graph()
        for part in self.parts:
            for triple in part.triples:
                graph.add(triple)
        return graph

    def holders(self, node: Node) -> list[DocumentPart]:
        """The documents whose graph holds `node` (all of them for a result with no focus node)."""
        return [p for p in self.parts if node is None or node in p.nodes]


def groups(parts: Iterable[DocumentPart], most: int = 64) -> list[Group]:
    """Greedy grouping in order: each document joins the first open group that accepts it."""
    found: list[Group] = []
    for part in parts:
        home = next((g for g in found if len(g.parts) < most and g.accepts(part)), None)
        if home is None:
            home = Group()
            found.append(home)
        home.add(part)
    return found
