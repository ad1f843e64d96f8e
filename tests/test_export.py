"""`kg export`: every format is read back (networkx and a structure check) with its nodes, edges
and attributes."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import ExportError
from kg.export import FORMATS, format_for, write
from kg.store import Store
from kg.views import build_view

ID = "https://w3id.org/kg-decisions/id/"
HOME, MOPAC = ID + "org/home-office", ID + "org/mopac"
GEXF_NS = "{http://www.gexf.net/1.2draft}"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
Y_NS = "{http://www.yworks.com/xml/graphml}"


@pytest.fixture(scope="module")
def store_dir(query_store_dir) -> Path:
    return query_store_dir


@pytest.fixture(scope="module")
def money(store_dir) -> nx.DiGraph:
    return build_view(Store(store_dir, read_only=True), "money")


def export(store_dir, tmp_path, view, fmt, suffix):
    out = tmp_path / f"{view}.{suffix}"
    result = CliRunner().invoke(main, ["export", view, "--format", fmt, "--out", str(out), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "nodes" in result.output and "edges" in result.output
    return out


def same_structure(g: nx.DiGraph, money: nx.DiGraph) -> None:
    assert set(g.nodes) == set(money.nodes)
    assert set(g.edges) == set(money.edges)


def read_back(store_dir, tmp_path, money, fmt, reader) -> tuple[Path, nx.DiGraph]:
    """Export the money view in `fmt`, read it back with networkx: same nodes, edges and labels."""
    out = export(store_dir, tmp_path, "money", fmt, fmt)
    g = reader(out)
    same_structure(g, money)
    assert g.nodes[MOPAC]["label"] == "Mayor's Office for Policing and Crime"
    assert g.nodes[MOPAC]["kind"] == "organisation"
    return out, g


def test_graphml_for_yed(store_dir, tmp_path, money):
    out, g = read_back(store_dir, tmp_path, money, "graphml", nx.read_graphml)
    edge = g.edges[HOME, MOPAC]
    assert edge["weight"] == 700000.0 and edge["count"] == 2
    assert edge["decisions"] == "PCD 1455; PCD 956" and edge["years"] == "2022/23; 2023/24"
    # structure: GraphML keys typed, and yEd's node graphics with a visible label for every node
    root = ET.parse(out).getroot()
    assert root.tag == GRAPHML_NS + "graphml"
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iter(GRAPHML_NS + "key")}
    assert keys[("edge", "weight")] == "double" and keys[("edge", "count")] == "long"
    assert keys[("node", "label")] == "string"
    assert any(k.get("yfiles.type") == "nodegraphics" for k in root.iter(GRAPHML_NS + "key"))
    labels = [el.text for el in root.iter(Y_NS + "NodeLabel")]
    assert len(labels) == money.number_of_nodes() and "Home Office" in labels
    for edge_el in root.iter(GRAPHML_NS + "edge"):
        assert edge_el.get("source") in money and edge_el.get("target") in money


def test_gexf_for_gephi(store_dir, tmp_path, money):
    out, g = read_back(store_dir, tmp_path, money, "gexf", nx.read_gexf)
    assert g.edges[HOME, MOPAC]["weight"] == 700000.0
    assert g.edges[HOME, MOPAC]["decisions"] == "PCD 1455; PCD 956"
    root = ET.parse(out).getroot()
    assert root.tag == GEXF_NS + "gexf" and root.get("version") == "1.2"
    graph = root.find(GEXF_NS + "graph")
    assert graph.get("defaultedgetype") == "directed"
    declared = {(block.get("class"), a.get("title")) for block in root.iter(GEXF_NS + "attributes") for a in block}
    assert {("node", "kind"), ("edge", "decisions"), ("edge", "years"), ("edge", "count")} <= declared
    nodes = list(root.iter(GEXF_NS + "node"))
    assert len(nodes) == money.number_of_nodes() and all(n.get("label") for n in nodes)
    edges = list(root.iter(GEXF_NS + "edge"))
    assert {float(e.get("weight")) for e in edges} == {w for _, _, w in money.edges(data="weight")}


def test_cytoscape_json(store_dir, tmp_path, money):
    out = export(store_dir, tmp_path, "money", "cytoscape", "cyjs")
    data = json.loads(out.read_text(encoding="utf-8"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    ids = [n["data"]["id"] for n in nodes]
    assert len(ids) == len(set(ids)) == money.number_of_nodes()
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    assert len({e["data"]["id"] for e in edges}) == len(edges) == money.number_of_edges()
    assert all({"x", "y"} <= set(n["position"]) for n in nodes)
    by_id = {n["data"]["id"]: n["data"] for n in nodes}
    assert by_id[MOPAC]["name"] == by_id[MOPAC]["label"] == "Mayor's Office for Policing and Crime"
    g = nx.cytoscape_graph(data)
    same_structure(g, money)
    assert g.edges[HOME, MOPAC]["decisions"] == ["PCD 1455", "PCD 956"]
    assert g.edges[HOME, MOPAC]["weight"] == 700000.0


def test_node_link_json(store_dir, tmp_path, money):
    out = export(store_dir, tmp_path, "money", "json", "json")
    g = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    same_structure(g, money)
    assert g.edges[HOME, MOPAC] == money.edges[HOME, MOPAC]
    assert g.nodes[MOPAC] == money.nodes[MOPAC]


DOT_NODE = re.compile(r'^  ("(?:[^"\\]|\\.)*") \[(.*)\];$')
DOT_EDGE = re.compile(r'^  ("(?:[^"\\]|\\.)*") -> ("(?:[^"\\]|\\.)*") \[(.*)\];$')
DOT_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*")')


def read_dot(text: str) -> nx.DiGraph:
    """Just enough of a DOT reader for what kg writes: one statement a line, every id quoted."""
    def unquote(s):
        return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), s[1:-1])

    lines = text.splitlines()
    assert lines[0].startswith("digraph ") and lines[-1] == "}"
    g = nx.DiGraph()
    for line in lines[1:-1]:
        if m := DOT_EDGE.match(line):
            g.add_edge(unquote(m.group(1)), unquote(m.group(2)),
                       **{k: unquote(v) for k, v in DOT_ATTR.findall(m.group(3))})
        elif m := DOT_NODE.match(line):
            g.add_node(unquote(m.group(1)), **{k: unquote(v) for k, v in DOT_ATTR.findall(m.group(2))})
        else:
            assert re.match(r"^  (graph|node|edge) \[.*\];$", line), line
    return g


def test_dot_for_graphviz(store_dir, tmp_path, money):
    out = export(store_dir, tmp_path, "money", "dot", "dot")
    g = read_dot(out.read_text(encoding="utf-8"))
    same_structure(g, money)
    assert g.nodes[MOPAC]["label"] == "Mayor's Office for Policing and Crime"     # the quote survives
    assert g.nodes[MOPAC]["kind"] == "organisation"
    edge = g.edges[HOME, MOPAC]
    assert float(edge["value"]) == 700000.0 and edge["label"] == "700,000"
    assert edge["decisions"] == "PCD 1455; PCD 956"
    assert "weight" not in edge                                       # graphviz's weight must be an integer


def test_dot_escapes_quotes_and_backslashes(tmp_path):
    g = nx.DiGraph(name="t")
    g.add_node('a"b\\c', label='say "hi"\nthere', kind="x")
    g.add_node("z", label="z", kind="x")
    g.add_edge('a"b\\c', "z", weight=1.0, count=1)
    out = tmp_path / "t.dot"
    write(g, "dot", out)
    back = read_dot(out.read_text(encoding="utf-8"))
    assert back.nodes['a"b\\c']["label"] == 'say "hi"\nthere'


def test_csv_edge_list(store_dir, tmp_path, money):
    out = export(store_dir, tmp_path, "money", "csv", "csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    g = nx.DiGraph((r["source"], r["target"], {"weight": float(r["weight"])}) for r in rows)
    same_structure(g, money)
    row = next(r for r in rows if r["source"] == HOME and r["target"] == MOPAC)
    assert row["source_label"] == "Home Office" and row["target_kind"] == "organisation"
    assert row["decisions"] == "PCD 1455; PCD 956" and row["count"] == "2"


@pytest.mark.parametrize("view", ["citations", "lineage", "org-decision", "all"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_view_in_every_format(store_dir, tmp_path, view, fmt):
    suffix = {"cytoscape": "cyjs"}.get(fmt, fmt)
    out = export(store_dir, tmp_path, view, fmt, suffix)
    expected = build_view(Store(store_dir, read_only=True), view)
    text = out.read_text(encoding="utf-8")
    if fmt == "graphml":
        g = nx.read_graphml(out)
    elif fmt == "gexf":
        g = nx.read_gexf(out)
    elif fmt == "cytoscape":
        g = nx.cytoscape_graph(json.loads(text))
    elif fmt == "json":
        g = nx.node_link_graph(json.loads(text), edges="edges")
    elif fmt == "dot":
        g = read_dot(text)
    else:
        g = nx.DiGraph((r["source"], r["target"]) for r in csv.DictReader(out.open(encoding="utf-8", newline="")))
        expected = expected.edge_subgraph(expected.edges)               # an edge list has no lone nodes
    assert set(g.edges) == set(expected.edges)
    assert set(g.nodes) == set(expected.nodes)
    if fmt != "csv":
        assert all(g.nodes[n]["kind"] == expected.nodes[n]["kind"] for n in expected.nodes)


def test_format_from_suffix_and_errors(store_dir, tmp_path):
    assert format_for("x.gexf", None) == "gexf" and format_for("x.cyjs", None) == "cytoscape"
    with pytest.raises(ExportError, match="cannot tell the format"):
        format_for("x.txt", None)
    out = tmp_path / "m.graphml"
    result = CliRunner().invoke(main, ["export", "money", "--out", str(out), "--store", str(store_dir)])
    assert result.exit_code == 0 and nx.read_graphml(out).number_of_edges() == 6
    result = CliRunner().invoke(main, ["export", "nope", "--out", str(out), "--store", str(store_dir)])
    assert result.exit_code != 0 and "no view named" in result.output
    result = CliRunner().invoke(main, ["export", "--list"])
    assert result.exit_code == 0 and "money" in result.output and "Money flow" in result.output


def test_graphml_escapes_what_xml_needs_and_keeps_empty_values(tmp_path):
    from kg.export import write

    g = nx.DiGraph(name='odd "name" & <more>')
    g.add_node('a&b"<c>', label='A <x> "q" & r', kind="decision", size=3, flag=True)
    g.add_node("plain", label="", kind="organisation")
    g.add_edge('a&b"<c>', "plain", weight=2.5, count=1, years=["2020/21", "x&y"], note="")
    out = tmp_path / "odd.graphml"
    write(g, "graphml", out)
    back = nx.read_graphml(out)
    assert set(back.edges) == {('a&b"<c>', "plain")}
    assert back.nodes['a&b"<c>']["label"] == 'A <x> "q" & r' and back.nodes['a&b"<c>']["flag"] is True
    assert back.edges['a&b"<c>', "plain"]["years"] == "2020/21; x&y"
    labels = [el.text for el in ET.parse(out).getroot().iter(Y_NS + "NodeLabel")]
    assert labels == ['A <x> "q" & r', None]
