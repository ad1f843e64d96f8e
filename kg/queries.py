"""Saved SPARQL queries: loading, their headers, and running them with bound parameters.

Each query file in queries/ starts with a comment header:

    # title: Total money by funder per financial year
    # question: How much did each funder provide in each financial year?
    # param: funder iri (default: none) restrict to one funder
    # param: min_value decimal (default: 0) smallest sum counted
    # param: search string (default: "") an empty default is written in quotes
    # columns: funder, funder_name, year, total

Parameters are bound as RDF terms through Oxigraph's substitutions (never pasted
into the query text), so a value cannot change what the query does. Oxigraph binds
only variables the query projects, so a query projects every parameter; the columns
a user sees are the ones the header lists, in that order. A parameter with no value
(default: none) stays a free variable: a triple pattern using it matches anything.

A bound parameter is substituted for its variable throughout the query, as Oxigraph
does (including sub-SELECTs that project the variable); a server without substitutions
gets the same answer by writing the term in place of the variable. Saved queries never
test a parameter with BOUND() or COALESCE(): Oxigraph reports a substituted variable as
unbound there. The union default graph of a store is a bag (a triple in n document graphs
is seen n times), so saved queries read per-document facts inside GRAPH ?g and count with
DISTINCT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from kg.answers import cached
from kg.errors import QueryError
from kg.perf import collector_paused
from kg.resources import QUERIES_DIR

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_LINE = re.compile(r"^(?P<name>\w+)\s+(?P<type>\w+)(?:\s+\(default:\s*(?P<default>[^)]*)\))?\s*(?P<doc>.*)$")
PARAM_TYPES = ("iri", "string", "decimal", "integer", "date", "boolean")
QUERY_NAME = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)*$")

Term = ox.NamedNode | ox.Literal | ox.BlankNode
Rows = list[dict[str, Term | None]]


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

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


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
        elif last == "columns" and body:
            header["columns"] += tuple(c.strip() for c in body.split(",") if c.strip())
    return header


def _param(spec: str) -> Param:
    m = PARAM_LINE.match(spec.strip())
    if not m or m.group("type") not in PARAM_TYPES:
        raise QueryError(f"bad parameter line {spec!r}: expected 'name type (default: x) text'")
    default = m.group("default")
    if default is not None:
        default = default.strip()
        if len(default) >= 2 and default[0] == default[-1] == '"':
            default = default[1:-1]          # a quoted default is kept as written, even ""
        elif default.lower() in ("none", ""):
            default = None
    return Param(m.group("name"), m.group("type"), default, m.group("doc"))


def load_query(name_or_path: str) -> Query:
    """A saved query by name ('money-by-funder-year', 'facts/amounts', 'views/money') or a .rq path."""
    path = Path(name_or_path)
    if not (path.suffix == ".rq" and path.exists()):
        if not QUERY_NAME.match(name_or_path):
            raise QueryError(f"no saved query named {name_or_path!r} (see 'kg query --list')")
        path = QUERIES_DIR / f"{name_or_path}.rq"
    if not path.exists():
        raise QueryError(f"no saved query named {name_or_path!r} (see 'kg query --list')")
    text = path.read_text(encoding="utf-8")
    h = parse_header(text)
    return Query(_name(path), path, text, h["title"], h["question"], tuple(h["params"]), h["columns"])


def _name(path: Path) -> str:
    """'money-by-funder-year' for queries/money-by-funder-year.rq, 'facts/amounts' for a facts query."""
    try:
        return path.resolve().relative_to(QUERIES_DIR.resolve()).with_suffix("").as_posix()
    except ValueError:
        return path.stem


def saved_queries() -> list[Query]:
    """Every saved question in queries/ (the facts/ and views/ queries serve `kg facts` and
    `kg export` and are not listed)."""
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
                raise ValueError("not an absolute IRI, e.g. https://w3id.org/kg-decisions/id/org/home-office")
            return ox.NamedNode(raw)
        if param.type == "decimal":
            value = Decimal(raw)
            if not value.is_finite():
                raise ValueError("not a finite number")
            return ox.Literal(_decimal_lexical(value), datatype=ox.NamedNode(XSD + "decimal"))
        if param.type == "integer":
            return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
        if param.type == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError("not an ISO date (YYYY-MM-DD)")
            return ox.Literal(raw, datatype=ox.NamedNode(XSD + "date"))
        if param.type == "boolean":
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError("not true or false")
            return ox.Literal(str(raw.lower() in ("1", "true", "yes")).lower(),
                              datatype=ox.NamedNode(XSD + "boolean"))
        return ox.Literal(raw)
    except (ValueError, InvalidOperation) as exc:
        raise QueryError(f"parameter {param.name}: {raw!r} is not a valid {param.type} ({exc})") from exc


def _decimal_lexical(value: Decimal) -> str:
    """An xsd:decimal lexical form ('1E+5' is not one; '100000' is)."""
    return format(value, "f")


def parse_assignments(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """['funder=https://…', 'min_amount=5000'] -> {'funder': 'https://…', 'min_amount': '5000'}."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {pair!r}: expected NAME=VALUE")
        values[name.strip()] = value
    return values


# ---------------------------------------------------------------------------- running

def select(store, sparql: str, bindings: dict | None = None) -> tuple[list[str], Rows]:
    """Run a SELECT on the embedded store over its union default graph: (variables, rows),
    the shape kg.remote.select returns for a SPARQL server."""
    result = store.query(sparql, bindings)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("a saved question must be a SELECT query")
    variables = [v.value for v in result.variables]
    with collector_paused():
        return variables, [dict(zip(variables, row, strict=True)) for row in result]  # values in order


def run(query: Query, params: dict[str, str] | None = None, *, store=None, endpoint: str | None = None,
        auth: tuple[str, str] | None = None, timeout: float = 30.0) -> tuple[list[str], Rows]:
    """Answer a saved question with parameters (as text) on the embedded store or a SPARQL
    endpoint; returns (columns, rows) with the columns the query's header lists."""
    bindings = bind(query, params or {})
    if endpoint:
        from kg.remote import select as remote_select

        variables, rows = remote_select(endpoint, query.text, bindings, timeout=timeout, auth=auth)
    elif store is not None:
        # an answer already computed on this state of the store is read back (kg.answers)
        return cached(store, query.text, bindings, lambda: shape(query, *_select(store, query, bindings)))
    else:
        raise QueryError("give a store or an endpoint to run the query on")
    return shape(query, variables, rows)


def _select(store, query: Query, bindings: dict) -> tuple[list[str], Rows]:
    try:
        return select(store, query.text, bindings)
    except (RuntimeError, ValueError) as exc:
        raise QueryError(f"{query.name}: {exc}") from exc


def shape(query: Query, variables: list[str], rows: Rows) -> tuple[list[str], Rows]:
    """Keep the columns the header lists (parameters are projected only so they can be bound)."""
    if not query.columns:
        return variables, rows
    missing = [c for c in query.columns if c not in variables]
    if missing:
        raise QueryError(f"{query.name}: header lists column(s) {', '.join(missing)} the query does not return")
    columns = list(query.columns)
    return columns, [{c: row.get(c) for c in columns} for row in rows]


def answer(name_or_path: str, params: dict[str, str] | None = None, *, store_path: str | None = None,
           endpoint: str | None = None, auth: tuple[str, str] | None = None,
           timeout: float = 30.0) -> tuple[list[str], Rows]:
    """What `kg query` does: load a saved question and run it on a store folder or an endpoint."""
    query = load_query(name_or_path)
    if endpoint:
        return run(query, params, endpoint=endpoint, auth=auth, timeout=timeout)
    from kg.store import Store

    return run(query, params, store=Store(store_path, read_only=True))


def describe(query: Query) -> str:
    """A few lines for `kg query --list`: name, title, the question and its parameters."""
    lines = [f"{query.name}", f"    {query.title}" if query.title else None,
             f"    {query.question}" if query.question else None]
    for p in query.params:
        default = "none" if p.default is None else (repr(p.default) if p.default == "" else p.default)
        lines.append(f"    --param {p.name}=<{p.type}>  (default: {default}) {p.doc}".rstrip())
    return "\n".join(line for line in lines if line is not None)
