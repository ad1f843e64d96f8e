"""Query results as text: an aligned table for people, and the W3C SPARQL 1.1 result formats.

One formatter serves the embedded store and remote endpoints: both give
(variables, rows) with rows as {variable: pyoxigraph term or None}.

- table: aligned columns of plain values (long values cut to fit), for reading.
- csv:   SPARQL 1.1 Query Results CSV (plain values, RFC 4180, CRLF line ends).
- tsv:   SPARQL 1.1 Query Results TSV (terms in Turtle syntax: IRIs in <>, typed literals).
- json:  SPARQL 1.1 Query Results JSON.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox

FORMATS = ("table", "csv", "tsv", "json")
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TABLE_WIDTH = 60
_BARE = {  # Turtle's short forms, as SPARQL TSV writes them
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "double": re.compile(r"[+-]?(\d+\.\d*|\.?\d+)[eE][+-]?\d+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def format_results(variables: list[str], rows: list[dict], fmt: str = "table") -> str:
    if fmt == "table":
        return table(variables, rows)
    if fmt == "csv":
        return to_csv(variables, rows)
    if fmt == "tsv":
        return to_tsv(variables, rows)
    if fmt == "json":
        return to_json(variables, rows)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def plain(term) -> str:
    """The value of a term as a person reads it: an IRI, a literal's text; nothing for unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def table(variables: list[str], rows: list[dict], width: int = TABLE_WIDTH) -> str:
    cells = [[_cut(plain(row.get(v)), width) for v in variables] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    numeric = [all(_is_number(row.get(v)) for row in rows if row.get(v) is not None) and bool(rows)
               for v in variables]

    def line(values):
        return "  ".join(val.rjust(w) if num else val.ljust(w)
                         for val, w, num in zip(values, widths, numeric, strict=True)).rstrip()

    out = [line(variables), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    return "\n".join(out) + "\n"


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _is_number(term) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value in (
        XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float", XSD + "long", XSD + "int")


def to_csv(variables: list[str], rows: list[dict]) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([plain(row.get(v)) for v in variables])
    return buf.getvalue()


def to_tsv(variables: list[str], rows: list[dict]) -> str:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(turtle(row.get(v)) for v in variables) for row in rows]
    return "\n".join(lines) + "\n"


def turtle(term) -> str:
    """A term in the Turtle syntax SPARQL TSV uses; unbound is empty."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(term.value):
            return term.value
        text = '"' + _escape(term.value) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if datatype != XSD_STRING:
            return f"{text}^^<{datatype}>"
        return text
    return str(term)


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def to_json(variables: list[str], rows: list[dict]) -> str:
    bindings = [{v: _json_term(row[v]) for v in variables if row.get(v) is not None} for row in rows]
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}
