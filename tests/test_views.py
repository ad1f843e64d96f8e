"""NetworkX views: one query per view in queries/views/, one generic builder."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.errors import ExportError
from kg.store import Store
from kg.views import build_view, graph_from_rows, load_view, view_names
from tests.conftest import load_query_graph

ID = "https://w3id.org/kg-decisions/id/"
LEG = "http://www.legislation.gov.uk/id/"


@pytest.fixture(scope="module")
def store() -> Store:
    return load_query_graph(None)


def test_the_views():
    assert view_names() == ["all", "citations", "lineage", "money", "org-decision"]
    for name in view_names():
        query = load_view(name)
        assert query.title and query.question
        assert {"source", "target"} <= set(query.columns)


def test_money_view(store):
    g = build_view(store, "money")
    assert g.graph["name"] == "money"
    assert g.number_of_nodes() == 8 and g.number_of_edges() == 6
    home_to_mopac = g.edges[ID + "org/home-office", ID + "org/mopac"]
    assert home_to_mopac["weight"] == 700000.0
    assert home_to_mopac["count"] == 2
    assert home_to_mopac["decisions"] == ["PCD 1455", "PCD 956"]
    assert home_to_mopac["years"] == ["2022/23", "2023/24"]
    # the 100,000 threshold in PCD 1455 is not money that moves
    assert g.edges[ID + "org/mopac", ID + "org/riverside-youth-trust"]["weight"] == 230000.0
    assert g.nodes[ID + "org/mopac"] == {"label": "Mayor's Office for Policing and Crime", "kind": "organisation"}
    assert sum(w for _, _, w in g.edges(data="weight")) == 1200000 + 790000 + 700000 + 300000 + 230000 + 20000


def test_citations_view_goes_decision_provision_instrument(store):
    g = build_view(store, "citations")
    para7 = LEG + "ukpga/2011/13/schedule/3/paragraph/7"
    assert g.has_edge(ID + "decision/pcd-1455", para7)
    assert g.has_edge(para7, LEG + "ukpga/2011/13")
    assert g.has_edge(ID + "decision/pcd-956", LEG + "ukpga/2011/13")          # cites the whole Act
    assert g.nodes[para7]["kind"] == "provision"
    assert g.nodes[para7]["label"] == "Police Reform and Social Responsibility Act 2011, schedule 3 paragraph 7"
    assert g.nodes[LEG + "ukpga/2011/13"]["kind"] == "instrument"
    assert g.nodes[ID + "decision/md-9100"] == {"label": "MD 9100", "kind": "decision"}
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == {"decision", "provision", "instrument"}
    for u, v in g.edges:
        assert (g.nodes[u]["kind"], g.nodes[v]["kind"]) in {
            ("decision", "provision"), ("decision", "instrument"), ("provision", "instrument")}


def test_lineage_view(store):
    g = build_view(store, "lineage")
    assert set(g.edges) == {(ID + "decision/pcd-1455", ID + "decision/pcd-956"),
                            (ID + "decision/pcd-956", ID + "decision/pcd-583")}
    assert g.nodes[ID + "decision/pcd-583"]["in_store"] is False
    assert g.nodes[ID + "decision/pcd-956"]["in_store"] is True
    assert nx.dag_longest_path(g) == [ID + "decision/pcd-1455", ID + "decision/pcd-956", ID + "decision/pcd-583"]


def test_org_decision_view_is_bipartite(store):
    g = build_view(store, "org-decision")
    orgs = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    decisions = {n for n, d in g.nodes(data=True) if d["bipartite"] == 1}
    assert nx.is_bipartite(g.to_undirected())
    assert {g.nodes[n]["kind"] for n in orgs} == {"organisation"}
    assert {g.nodes[n]["kind"] for n in decisions} == {"decision"}
    assert g.edges[ID + "org/mopac", ID + "decision/pcd-1455"]["roles"] == ["funder", "issuer"]
    assert g.edges[ID + "decision/pcd-1455", ID + "org/mopac"]["roles"] == ["recipient"]


def test_whole_graph_view(store):
    g = build_view(store, "all")
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == {"decision", "document", "organisation", "person", "post", "money-flow", "financial-year",
                     "instrument", "provision", "delegation-scheme", "delegation-clause"}
    assert not any("evidence" in n for n in g.nodes)
    assert g.edges[ID + "decision/pcd-1455", ID + "org/mopac"]["predicates"] == ["funder", "issuedBy", "recipient"]
    assert g.nodes[ID + "decision/pcd-1455/money/a1a1a1a1-0"]["label"] == "500000 GBP"


def test_generic_builder_sums_weights_and_collects_values():
    def lit(v, dt=None):
        return ox.Literal(v, datatype=ox.NamedNode(dt)) if dt else ox.Literal(v)

    dec = "http://www.w3.org/2001/XMLSchema#decimal"
    a, b = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b")
    rows = [{"source": a, "target": b, "source_label": lit("A"), "weight": lit("2.5", dec), "year": lit("2023/24"),
             "source_size": lit("3", "http://www.w3.org/2001/XMLSchema#integer"), "target_label": None},
            {"source": a, "target": b, "source_label": lit("A"), "weight": lit("1", dec), "year": lit("2022/23"),
             "source_size": None, "target_label": None},
            {"source": a, "target": None, "source_label": None, "weight": None, "year": None, "source_size": None,
             "target_label": None}]
    g = graph_from_rows(["source", "target", "source_label", "target_label", "weight", "year", "source_size"], rows)
    assert g.edges["http://e/a", "http://e/b"] == {"weight": 3.5, "count": 2, "years": ["2022/23", "2023/24"]}
    assert g.nodes["http://e/a"] == {"label": "A", "size": 3, "kind": "node"}
    assert g.nodes["http://e/b"] == {"label": "b", "kind": "node"}        # defaults: last IRI segment
    with pytest.raises(ExportError, match="must return source, target"):
        graph_from_rows(["from", "to"], [])


def test_unknown_view(store):
    with pytest.raises(ExportError, match="no view named 'nope'"):
        build_view(store, "nope")


def test_views_build_on_the_examples(examples_store):
    for name in view_names():
        g = build_view(examples_store, name)
        assert g.number_of_edges() > 0, name
        assert all("label" in d and "kind" in d for _, d in g.nodes(data=True)), name
