"""Writers for NetworkX views: files that open in Gephi, Cytoscape, yEd and Graphviz.

- graphml:   GraphML with yEd's yFiles extensions (a labelled, coloured box per node), so yEd
             shows labels at once; every attribute is also a plain GraphML key for any reader.
- gexf:      GEXF 1.2 for Gephi: node labels, kinds and edge weights as GEXF attributes, colours.
- cytoscape: cytoscape.js JSON ({"elements": {"nodes": [...], "edges": [...]}}), which Cytoscape
             desktop imports and cytoscape.js loads as is.
- json:      NetworkX node-link JSON.
- dot:       Graphviz DOT, written here (no pydot or graphviz needed).
- csv:       an edge list with node labels and kinds.

List attributes (an edge's decisions, years) stay lists in the JSON formats and become
"; "-joined text elsewhere. Positions are a circle by kind: the tools' own layouts do better.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import networkx as nx

from kg.errors import ExportError
from kg.perf import collector_paused

FORMATS = ("graphml", "gexf", "cytoscape", "json", "dot", "csv")
SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".cyjs": "cytoscape", ".json": "json", ".dot": "dot",
            ".gv": "dot", ".csv": "csv"}
LIST_SEP = "; "
PALETTE = {  # node kind -> colour (colour-blind-safe where it matters)
    "organisation": "#0072B2", "decision": "#E69F00", "instrument": "#009E73", "provision": "#56B4E9",
    "money-flow": "#D55E00", "person": "#CC79A7", "post": "#F0E442", "document": "#999999",
    "financial-year": "#B8B8B8", "delegation-scheme": "#117733", "delegation-clause": "#88CCEE",
}
DEFAULT_COLOUR = "#777777"
NS_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
NS_YFILES = "http://www.yworks.com/xml/graphml"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
GRAPHML_SCHEMA = "http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"


def format_for(out: str | Path, fmt: str | None) -> str:
    """The format asked for, or the one the output file's suffix names."""
    if fmt:
        if fmt not in FORMATS:
            raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(f"cannot tell the format from {str(out)!r}; give --format ({', '.join(FORMATS)})")
    return SUFFIXES[suffix]


def write(graph: nx.DiGraph, fmt: str, out: str | Path) -> None:
    writers = {"graphml": to_graphml, "gexf": to_gexf, "cytoscape": to_cytoscape, "json": to_node_link,
               "dot": to_dot, "csv": to_csv}
    if fmt not in writers:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    text = writers[fmt](graph)
    try:
        Path(out).write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise ExportError(f"{out}: cannot write ({exc})") from exc


def export_view(store, view: str, fmt: str | None, out: str | Path, params: dict[str, str] | None = None):
    """What `kg export` does: build a view from the store and write it; returns the graph."""
    from kg.views import build_view

    fmt = format_for(out, fmt)
    with collector_paused():
        graph = build_view(store, view, params)
        write(graph, fmt, out)
    return graph


# ------------------------------------------------------------------------- helpers

def _flat(value):
    """A value for formats without lists: lists joined, None as empty text."""
    if isinstance(value, (list, tuple, set)):
        return LIST_SEP.join(str(v) for v in value)
    return "" if value is None else value


def _colour(kind: str) -> str:
    return PALETTE.get(kind, DEFAULT_COLOUR)


def positions(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Nodes on a circle, grouped by kind then label: a tidy start for a tool's own layout."""
    nodes = sorted(graph.nodes, key=lambda n: (graph.nodes[n].get("kind", ""), str(graph.nodes[n].get("label")), n))
    radius = max(200.0, 30.0 * len(nodes) / (2 * math.pi))
    step = 2 * math.pi / max(1, len(nodes))
    return {n: (round(radius * math.cos(i * step), 2), round(radius * math.sin(i * step), 2))
            for i, n in enumerate(nodes)}


_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string", list: "string"}


def _attr_keys(items) -> dict[str, str]:
    """Attribute name -> GraphML type, over every node's (or edge's) attributes: one type for a
    name, 'double' for a mix of whole and decimal numbers, else 'string'."""
    seen: dict[str, set[type]] = {}
    for data in items:
        for key, value in data.items():
            seen.setdefault(key, set()).add(type(value))
    types = {}
    for key, classes in seen.items():
        kinds = {_GRAPHML_TYPES.get(c) or _graphml_kind(c) for c in classes}
        types[key] = kinds.pop() if len(kinds) == 1 else "double" if kinds <= {"long", "double"} else "string"
    return types


def _graphml_kind(cls: type) -> str:
    return ("boolean" if issubclass(cls, bool) else "long" if issubclass(cls, int)
            else "double" if issubclass(cls, float) else "string")


def _graphml_value(value, kind: str) -> str:
    value = _flat(value)
    if kind == "boolean":
        return "true" if value else "false"
    return repr(float(value)) if kind == "double" else str(value)


# ------------------------------------------------------------------------- GraphML (yEd)

def to_graphml(graph: nx.DiGraph) -> str:
    """GraphML with yEd's node graphics, written as text line by line (ElementTree took 17 s for
    the whole-graph view at 10,000 decisions; this writes the same bytes in a fraction of it)."""
    node_types = _attr_keys(d for _, d in graph.nodes(data=True))
    edge_types = _attr_keys(d for _, _, d in graph.edges(data=True))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<graphml xmlns="{NS_GRAPHML}" xmlns:xsi="{NS_XSI}" xmlns:y="{NS_YFILES}" '
           f'xsi:schemaLocation="{GRAPHML_SCHEMA}">']
    ids = {}
    for prefix, domain, types in (("n", "node", node_types), ("e", "edge", edge_types)):
        for i, (name, kind) in enumerate(sorted(types.items())):
            ids[(domain, name)] = f"{prefix}{i}"
            out.append(f'  <key id="{prefix}{i}" for="{domain}" attr.name={_attr(name)} attr.type="{kind}" />')
    out.append('  <key id="ng" for="node" yfiles.type="nodegraphics" />')
    out.append('  <key id="eg" for="edge" yfiles.type="edgegraphics" />')
    out.append(f'  <graph id={_attr(graph.graph.get("name", "G"))} edgedefault="directed">')
    where = positions(graph)
    node_ids = {node: _attr(node) for node in graph}
    for node, data in graph.nodes(data=True):
        out.append(f"    <node id={node_ids[node]}>")
        out.extend(_data_lines(data, ids, "node", node_types))
        label = str(data.get("label", node))
        x, y = where[node]
        out.append(GRAPHML_NODE_GRAPHICS.format(x=x, y=y, width=max(60, 7 * min(len(label), 40)),
                                                colour=_colour(data.get("kind", "")),
                                                label=f"<y:NodeLabel>{_text(label)}</y:NodeLabel>" if label
                                                else "<y:NodeLabel />"))
        out.append("    </node>")
    for i, (u, v, data) in enumerate(graph.edges(data=True)):
        out.append(f'    <edge id="e{i}" source={node_ids[u]} target={node_ids[v]}>')
        out.extend(_data_lines(data, ids, "edge", edge_types))
        out.append(GRAPHML_EDGE_GRAPHICS)
        out.append("    </edge>")
    out.extend(["  </graph>", "</graphml>", ""])
    return "\n".join(out)


GRAPHML_NODE_GRAPHICS = """      <data key="ng">
        <y:ShapeNode>
          <y:Geometry x="{x}" y="{y}" width="{width}" height="30.0" />
          <y:Fill color="{colour}" transparent="false" />
          <y:BorderStyle color="#333333" type="line" width="1.0" />
          {label}
          <y:Shape type="roundrectangle" />
        </y:ShapeNode>
      </data>"""
GRAPHML_EDGE_GRAPHICS = """      <data key="eg">
        <y:PolyLineEdge>
          <y:LineStyle color="#555555" type="line" width="1.0" />
          <y:Arrows source="none" target="standard" />
        </y:PolyLineEdge>
      </data>"""
_XML_TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))   # & first
_XML_ATTR = (*_XML_TEXT, ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))
_XML_SPECIAL = re.compile(r'[&<>"\r\n\t]')


def _data_lines(data: dict, ids: dict, domain: str, types: dict) -> list[str]:
    lines = []
    for name in sorted(data):
        value, kind = data[name], types[name]
        if kind == "long" and type(value) is int:                         # the common cases first
            text = str(value)
        elif kind == "double" and type(value) is float:
            text = repr(value)
        elif kind == "string" and type(value) is list:
            text = _escape(LIST_SEP.join(map(str, value)), _XML_TEXT)
        else:
            text = _text(_graphml_value(value, kind))
        key = ids[(domain, name)]
        lines.append(f'      <data key="{key}">{text}</data>' if text else f'      <data key="{key}" />')
    return lines


def _text(value: str) -> str:
    return _escape(value, _XML_TEXT)


def _attr(value: str) -> str:
    return f'"{_escape(str(value), _XML_ATTR)}"'


def _escape(value: str, table: tuple) -> str:
    """Replace XML's special characters; most values have none, and one search says so."""
    if _XML_SPECIAL.search(value) is None:
        return value
    for char, entity in table:
        value = value.replace(char, entity)
    return value


# ------------------------------------------------------------------------- GEXF (Gephi)

def to_gexf(graph: nx.DiGraph) -> str:
    flat = nx.DiGraph()
    flat.graph.update(mode="static", name=graph.graph.get("name", ""))
    where = positions(graph)
    for node, data in graph.nodes(data=True):
        attrs = {k: _flat(v) for k, v in data.items()}
        colour = _colour(data.get("kind", ""))
        x, y = where[node]
        attrs["viz"] = {"color": {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16),
                                  "a": 1.0},
                        "position": {"x": x, "y": y, "z": 0.0}, "size": 10.0}
        flat.add_node(node, **attrs)
    for i, (u, v, data) in enumerate(graph.edges(data=True)):
        flat.add_edge(u, v, id=f"e{i}", **{k: _flat(v_) for k, v_ in data.items()})
    buf = io.BytesIO()
    nx.write_gexf(flat, buf, version="1.2draft")
    return buf.getvalue().decode("utf-8")


# ------------------------------------------------------------------------- cytoscape.js, node-link

def cytoscape_data(graph: nx.DiGraph) -> dict:
    where = positions(graph)
    nodes = []
    for node, data in graph.nodes(data=True):
        x, y = where[node]
        # name is what Cytoscape desktop shows by default; value lets networkx read the file back
        nodes.append({"data": {**data, "id": node, "name": data.get("label", node), "value": node},
                      "position": {"x": x, "y": y}})
    edges = [{"data": {**data, "id": f"e{i}", "source": u, "target": v}}
             for i, (u, v, data) in enumerate(graph.edges(data=True))]
    return {"format_version": "1.0", "generated_by": "kg", "target_cytoscapejs_version": "~3",
            "data": {"name": graph.graph.get("name", ""), "title": graph.graph.get("title", "")},
            "directed": True, "multigraph": False, "elements": {"nodes": nodes, "edges": edges}}


def to_cytoscape(graph: nx.DiGraph) -> str:
    return json.dumps(cytoscape_data(graph), ensure_ascii=False, indent=1) + "\n"


def to_node_link(graph: nx.DiGraph) -> str:
    return json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, indent=1) + "\n"


# ------------------------------------------------------------------------- DOT

def _dot_id(text) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot_attrs(attrs: dict) -> str:
    return ", ".join(f"{k}={_dot_id(_flat(v))}" for k, v in attrs.items())


def to_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT. Graphviz's own edge `weight` must be a small integer, so the view's
    weight is written as `value` (and sets the line width); `label` shows it."""
    weights = [d.get("weight", 1.0) for _, _, d in graph.edges(data=True)] or [1.0]
    top = max(weights) or 1.0
    lines = [f"digraph {_dot_id(graph.graph.get('name', 'G'))} {{",
             f"  graph [{_dot_attrs({'label': graph.graph.get('title', ''), 'rankdir': 'LR'})}];",
             '  node [shape="box", style="rounded,filled", fontname="Helvetica", fontsize="10"];',
             '  edge [fontname="Helvetica", fontsize="8"];']
    for node, data in graph.nodes(data=True):
        attrs = {"label": data.get("label", node), "fillcolor": _colour(data.get("kind", ""))}
        attrs.update({k: v for k, v in data.items() if k not in attrs})
        lines.append(f"  {_dot_id(node)} [{_dot_attrs(attrs)}];")
    for u, v, data in graph.edges(data=True):
        weight = data.get("weight", 1.0)
        attrs = {"label": _number_label(weight), "penwidth": f"{1 + 4 * math.sqrt(weight / top):.2f}",
                 "value": repr(float(weight))}
        attrs.update({k: val for k, val in data.items() if k != "weight"})
        lines.append(f"  {_dot_id(u)} -> {_dot_id(v)} [{_dot_attrs(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _number_label(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


# ------------------------------------------------------------------------- CSV edge list

def to_csv(graph: nx.DiGraph) -> str:
    extra = sorted({k for _, _, d in graph.edges(data=True) for k in d} - {"weight", "count"})
    header = ["source", "target", "source_label", "target_label", "source_kind", "target_kind", "weight",
              "count", *extra]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for u, v, data in graph.edges(data=True):
        writer.writerow([u, v, graph.nodes[u].get("label", ""), graph.nodes[v].get("label", ""),
                         graph.nodes[u].get("kind", ""), graph.nodes[v].get("kind", ""),
                         repr(float(data.get("weight", 1.0))), data.get("count", 1),
                         *[_flat(data.get(k)) for k in extra]])
    return buf.getvalue()
