"""Documents validated together in one pyshacl run get exactly the results of one run each."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDF, Literal, URIRef

from kg.iris import FOAF, KG
from kg.validation.document import DocumentValidator
from kg.validation.grouping import DocumentPart, groups
from kg.validation.shapes import bundled_shapes

ID = "https://w3id.org/kg-decisions/id/"
HOME_OFFICE = URIRef(ID + "org/home-office")
NAME = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


def part(name: str, *triples, backwards=frozenset()) -> DocumentPart:
    return DocumentPart.of(ID + "graph/" + name, list(triples), backwards)


def decision(n: int) -> URIRef:
    return URIRef(f"{ID}decision/pcd-{n}")


def test_documents_describing_a_shared_node_alike_share_a_run():
    a = part("a", (decision(1), KG.funder, HOME_OFFICE), (HOME_OFFICE, NAME, Literal("Home Office")))
    b = part("b", (decision(2), KG.funder, HOME_OFFICE), (HOME_OFFICE, NAME, Literal("Home Office")))
    assert [len(g.parts) for g in groups([a, b])] == [2]


@pytest.mark.parametrize("b_triples", [
    [(decision(2), KG.funder, HOME_OFFICE), (HOME_OFFICE, NAME, Literal("The Home Office"))],  # told differently
    [(decision(2), KG.funder, HOME_OFFICE)],  # referred to, not described
])
def test_a_document_that_could_see_anothers_triples_runs_apart(b_triples):
    a = part("a", (decision(1), KG.funder, HOME_OFFICE), (HOME_OFFICE, NAME, Literal("Home Office")))
    b = part("b", *b_triples)
    assert [len(g.parts) for g in groups([a, b])] == [1, 1]
    assert [len(g.parts) for g in groups([b, a])] == [1, 1]


def test_nodes_reached_backwards_from_two_documents_keep_them_apart():
    doc = URIRef(ID + "document/shared")
    a = part("a", (decision(1), KG.sourceDocument, doc), backwards=frozenset({KG.sourceDocument}))
    b = part("b", (decision(2), KG.sourceDocument, doc), backwards=frozenset({KG.sourceDocument}))
    assert len(groups([a, b])) == 2
    assert len(groups([a, b], most=1)) == 2


def _quads(graph: str, triples) -> list[ox.Quad]:
    def term(t):
        return ox.Literal(str(t)) if isinstance(t, Literal) else ox.NamedNode(str(t))
    return [ox.Quad(term(s), term(p), term(o), ox.NamedNode(graph)) for s, p, o in triples]


def test_a_batch_gives_each_document_what_validating_it_alone_gives():
    """Document a names a decision maker it does not describe (a violation of its own); document
    b describes that person. Validated together carelessly, b's description would hide a's fault."""
    person = URIRef(ID + "person/jane-doe")
    docs = {
        ID + "graph/a": [(decision(1), RDF.type, KG.Decision), (decision(1), KG.decisionMaker, person),
                         (decision(1), KG.sourceDocument, URIRef(ID + "document/a"))],
        ID + "graph/b": [(decision(2), RDF.type, KG.Decision), (decision(2), KG.decisionMaker, person),
                         (decision(2), KG.sourceDocument, URIRef(ID + "document/b")),
                         (person, RDF.type, FOAF.Person), (person, FOAF.name, Literal("Jane Doe"))],
    }
    validator = DocumentValidator(bundled_shapes())
    batch = [(iri, _quads(iri, triples)) for iri, triples in docs.items()]

    def checks(pairs):
        return {iri: sorted((r.check, r.focus) for r in results) for iri, results in pairs}
    together = checks(validator.validate_batch(batch))
    alone = checks(pair for item in batch for pair in validator.validate_batch([item]))
    assert together == alone
    assert ("decision-maker", decision(1).n3()) in together[ID + "graph/a"]
    assert ("decision-maker", decision(2).n3()) not in together[ID + "graph/b"]
