"""kg export-rdf: the whole graph in every RDF format, read back to the same triples."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from kg.cli import main
from tests.conftest import ROOT

DOCS = ROOT / "tests" / "fixtures" / "docs"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    store = tmp_path_factory.mktemp("rdf") / "store"
    assert CliRunner().invoke(main, ["build", str(DOCS), "--store", str(store)]).exit_code == 0
    return store


def export(store, fmt, out):
    result = CliRunner().invoke(main, ["export-rdf", "--store", str(store), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_triple_formats_hold_the_union_of_document_graphs(built, tmp_path, fmt, rdflib_format):
    out = export(built, fmt, tmp_path / f"graph.{fmt}")
    graph = Graph().parse(out, format=rdflib_format)
    reference = Graph().parse(export(built, "ntriples", tmp_path / "ref.nt"), format="nt")
    assert len(graph) == len(reference) > 400


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("nquads", "nquads"), ("trig", "trig")])
def test_quad_formats_keep_one_named_graph_per_document(built, tmp_path, fmt, rdflib_format):
    out = export(built, fmt, tmp_path / f"graph.{fmt}")
    dataset = Dataset()
    dataset.parse(out, format=rdflib_format)
    names = {str(c.identifier) for c in dataset.graphs() if len(c)}
    assert len([n for n in names if "/id/graph/" in n]) == 3


def test_export_of_a_missing_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["export-rdf", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no store here" in result.output
