"""Saved SPARQL queries: loading, their headers, and running them with bound parameters.

Each query file in queries/ starts with a comment header:

    # title: Total money by funder per financial year
    # question: How much did each funder provide in each financial year?
    # param: funder iri (default: none) restrict to one funder
    # param: min_value decimal (default: 0) smallest sum counted
    # columns: funder, funder_name, year, total

Parameters are bound as RDF terms through Oxigraph's substitutions (never pasted
into the query text), so a value cannot change what the query does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.resources import QUERIES_DIR

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_LINE = re.compile(r"^(?P<name>\w+)\s+(?P<type>\w+)(?:\s+\(default:\s*(?P<default>[^)]*)\))?\s*(?P<doc>.*)$")
PARAM_TYPES = ("iri", "string", "decimal", "integer", "date", "boolean")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    doc: str


@dataclass(frozen=True)
class Query:
    name: str
    path: Path
    text: str
    title: str = ""
    question: str = ""
    params: tuple[Param, ...] = field(default=())
    columns: tuple[str, ...] = field(default=())


def parse_header(text: str) -> dict:
    header: dict = {"params": [], "title": "", "question": "", "columns": ()}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line[1:].strip()
        m = re.match(r"(title|question|description|param|columns|parameters):\s*(.*)$", body)
        if m:
            key, value = m.groups()
            last = key
            if key == "param":
                header["params"].append(_param(value))
            elif key == "columns":
                header["columns"] = tuple(c.strip() for c in value.split(",") if c.strip())
            elif key in ("question", "description"):
                header["question"] = (header["question"] + " " + value).strip()
            elif key == "title":
                header["title"] = value
        elif last in ("question", "description") and body:
            header["question"] += " " + body
    return header


def _param(spec: str) -> Param:
    m = PARAM_LINE.match(spec.strip())
    if not m or m.group("type") not in PARAM_TYPES:
        raise QueryError(f"bad parameter line {spec!r}: expected 'name type (default: x) text'")
    default = m.group("default")
    if default is not None and default.strip().lower() in ("none", ""):
        default = None
    return Param(m.group("name"), m.group("type"), default, m.group("doc"))


def load_query(name_or_path: str) -> Query:
    """A saved query by name ('money-by-funder', 'facts/amounts') or a path to a .rq file."""
    path = Path(name_or_path)
    if not (path.suffix == ".rq" and path.exists()):
        path = QUERIES_DIR / f"{name_or_path}.rq"
    if not path.exists():
        raise QueryError(f"no saved query named {name_or_path!r} (see 'kg query --list')")
    text = path.read_text(encoding="utf-8")
    h = parse_header(text)
    name = path.stem if path.parent != QUERIES_DIR / "facts" else f"facts/{path.stem}"
    return Query(name, path, text, h["title"], h["question"], tuple(h["params"]), h["columns"])


def saved_queries() -> list[Query]:
    """Every saved question in queries/ (the facts/ queries serve `kg facts` and are not listed)."""
    return [load_query(str(p)) for p in sorted(QUERIES_DIR.glob("*.rq"))]


def bind(query: Query, values: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Parameter values -> RDF terms, with defaults; unknown names are an error."""
    known = {p.name: p for p in query.params}
    unknown = set(values) - set(known)
    if unknown:
        raise QueryError(f"{query.name}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                         f"it takes {', '.join(known) or 'none'}")
    out = {}
    for name, param in known.items():
        raw = values.get(name, param.default)
        if raw is not None:
            out[name] = to_term(param, raw)
    return out


def to_term(param: Param, raw: str) -> ox.NamedNode | ox.Literal:
    try:
        if param.type == "iri":
            if not re.fullmatch(r"[a-zA-Z][\w+.-]*:[^\s<>\"{}|\\^`]*", raw):
                raise ValueError("not an IRI")
            return ox.NamedNode(raw)
        if param.type == "decimal":
            return ox.Literal(str(Decimal(raw)), datatype=ox.NamedNode(XSD + "decimal"))
        if param.type == "integer":
            return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
        if param.type == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError("not an ISO date")
            return ox.Literal(raw, datatype=ox.NamedNode(XSD + "date"))
        if param.type == "boolean":
            return ox.Literal(str(raw.lower() in ("1", "true", "yes")).lower(),
                              datatype=ox.NamedNode(XSD + "boolean"))
        return ox.Literal(raw)
    except (ValueError, InvalidOperation) as exc:
        raise QueryError(f"parameter {param.name}: {raw!r} is not a valid {param.type} ({exc})") from exc
