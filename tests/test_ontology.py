"""The ontology documents every term, and the graph uses no kg: term it does not define."""

from __future__ import annotations

import re

from rdflib import OWL, RDF, RDFS, Graph

from kg.iris import KG
from kg.resources import ONTOLOGY_DIR, PACKAGE_DIR


def ontology() -> Graph:
    g = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        g.parse(path)
    return g


def defined_terms(g: Graph) -> set:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for kind in kinds for s in g.subjects(RDF.type, kind) if str(s).startswith(str(KG))}


def test_every_term_has_a_label_and_a_comment():
    g = ontology()
    terms = defined_terms(g) | {s for s in g.subjects(RDF.type, KG.FlowKind)}
    assert len(terms) >= 40
    for term in terms:
        assert g.value(term, RDFS.label) is not None, term
        assert g.value(term, RDFS.comment) is not None, term


def test_classes_reuse_standard_vocabularies():
    g = ontology()
    parents = {str(o) for c in defined_terms(g) for o in g.objects(c, RDFS.subClassOf)}
    for vocabulary in ("http://www.w3.org/ns/prov#", "http://data.europa.eu/eli/ontology#",
                       "http://www.w3.org/2006/time#", "http://www.w3.org/ns/oa#"):
        assert any(p.startswith(vocabulary) for p in parents), vocabulary


def test_graph_code_uses_only_defined_terms():
    g = ontology()
    defined = {str(t).removeprefix(str(KG)) for t in defined_terms(g) | set(g.subjects(RDF.type, KG.FlowKind))}
    source = (PACKAGE_DIR / "graph.py").read_text(encoding="utf-8")
    used = set(re.findall(r"\bKG\.(\w+)", source))
    assert used and used <= defined, used - defined
