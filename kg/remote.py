"""HTTP client for SPARQL 1.1 servers: queries (Protocol), graph replacement (Graph Store or Update).

Everything goes over the standard protocols so that the same code talks to an
Oxigraph server, Apache Jena Fuseki, GraphDB or Virtuoso. Parameter values are
never pasted into query text as user strings: each is serialised by pyoxigraph
as one RDF term (so quotes, braces and newlines are escaped) and joined to the
query through a `VALUES` block at the top of its WHERE clause, which binds the
variable for the whole top-level pattern the way embedded substitutions do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from kg.errors import RemoteError
from kg.store import SPARQL_PREFIXES, to_ox

RESULTS_JSON = "application/sparql-results+json"
Term = ox.NamedNode | ox.Literal | ox.BlankNode
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][\w.-]*(?::[\w.-]*)?|:[\w.-]*)
  | (?P<open>\{)
  | (?P<other>.)
""", re.X | re.S)
QUERY_FORMS = {"SELECT", "ASK", "DESCRIBE", "CONSTRUCT"}


# ---------------------------------------------------------------------- query text


def _tokens(sparql: str) -> Iterator[re.Match]:
    return _TOKEN.finditer(sparql)


def where_brace(sparql: str) -> int:
    """Offset of the `{` that opens the query's top-level WHERE group.

    Strings, IRIs and comments are skipped so a '{' or 'WHERE' inside them is
    never taken. CONSTRUCT's template group is skipped when WHERE follows it.
    """
    form, seen_where, depth = None, False, 0
    for m in _tokens(sparql):
        kind = m.lastgroup
        if kind == "word":
            word = m.group().upper()
            if form is None and word in QUERY_FORMS:
                form = word
            elif form and depth == 0 and word == "WHERE":
                seen_where = True
        elif kind == "open" and form:
            if seen_where or form != "CONSTRUCT":
                return m.start()
            depth += 1
        elif kind == "other" and m.group() == "}" and depth:
            depth -= 1
    raise RemoteError("cannot find the WHERE clause of the query to bind parameters into")


def values_block(bindings: dict[str, object]) -> str:
    """`VALUES (?a ?b) { (<…> "…") }` from RDF terms, each serialised by pyoxigraph."""
    names, cells = [], []
    for name, value in bindings.items():
        if not VARIABLE.fullmatch(name):
            raise RemoteError(f"bad parameter name {name!r}")
        term = as_term(value)
        if isinstance(term, ox.BlankNode):
            raise RemoteError(f"parameter {name}: a blank node cannot be sent to a server")
        names.append(f"?{name}")
        cells.append(str(term))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(cells)}) }}"


def as_term(value: object) -> Term:
    """pyoxigraph terms pass; rdflib terms convert; anything else becomes a plain literal."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, (URIRef, Literal, BNode)):
        return to_ox(value)
    return ox.Literal(str(value))


def with_prefixes(sparql: str) -> str:
    """Declare kg's standard prefixes that the query uses without declaring (embedded runs get them free)."""
    declared = {m.group(1) for m in re.finditer(r"(?im)^\s*PREFIX\s+([\w.-]*):", sparql)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in SPARQL_PREFIXES.items() if p not in declared]
    return "\n".join(lines + [sparql])


def prepare(sparql: str, bindings: dict[str, object] | None) -> str:
    """The query text to send: prefixes declared, parameters bound by a VALUES block."""
    if bindings:
        at = where_brace(sparql) + 1
        sparql = f"{sparql[:at]} {values_block(bindings)}\n{sparql[at:]}"
    return with_prefixes(sparql)


# ---------------------------------------------------------------------- HTTP


class ChallengeAuth(httpx.Auth):
    """Basic or Digest, whichever the server's challenge asks for (Virtuoso wants Digest).

    Nothing is sent until the first challenge; the scheme is then remembered so
    later requests carry credentials straight away.
    """

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request):
        if self._scheme is not None:
            yield from self._scheme.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        digest = response.headers.get("www-authenticate", "").lower().startswith("digest")
        self._scheme = self._digest if digest else self._basic
        flow = self._scheme.auth_flow(request)
        sent = next(flow)
        try:
            if digest:  # the digest flow's first request is unauthenticated: answer it with the 401
                sent = flow.send(response)
            while True:
                sent = flow.send((yield sent))
        except StopIteration:
            return


class Client:
    """One keep-alive HTTP connection pool to a SPARQL server, with one-line errors."""

    def __init__(self, timeout: float = 30.0, auth: tuple[str, str] | None = None) -> None:
        self._http = httpx.Client(timeout=httpx.Timeout(timeout), auth=ChallengeAuth(*auth) if auth else None,
                                  headers={"User-Agent": "kg (SPARQL 1.1 client)"})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, url: str, ok: tuple[int, ...] = (200, 201, 204), **kwargs) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise RemoteError(f"{url}: no answer in time ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise RemoteError(f"{url}: cannot reach the server ({exc})") from exc
        if response.status_code not in ok:
            raise RemoteError(f"{url}: HTTP {response.status_code} {response.reason_phrase}{_detail(response)}")
        return response

    def select(self, endpoint: str, sparql: str, bindings: dict[str, object] | None = None
               ) -> tuple[list[str], list[dict[str, Term | None]]]:
        text = prepare(sparql, bindings)
        response = self.request("POST", endpoint, data={"query": text}, headers={"Accept": RESULTS_JSON})
        try:
            results = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"{endpoint}: answer is not SPARQL JSON results ({exc})") from exc
        if not isinstance(results, ox.QuerySolutions):
            raise RemoteError(f"{endpoint}: expected SELECT results, got a boolean")
        names = [v.value for v in results.variables]
        return names, [{n: row[n] for n in names} for row in results]

    def update(self, update_url: str, text: str) -> None:
        """Run SPARQL Update (form-encoded POST, which every SPARQL 1.1 server accepts)."""
        self.request("POST", update_url, data={"update": text})

    def put_graph(self, graph_store: str, graph_iri: str, ntriples: bytes) -> None:
        """Replace one named graph (Graph Store Protocol PUT). N-Triples is sent as Turtle,
        of which it is a subset, because every server's GSP accepts text/turtle."""
        self.request("PUT", graph_store, params={"graph": graph_iri}, content=ntriples,
                     headers={"Content-Type": "text/turtle; charset=utf-8"})

    def delete_graph(self, graph_store: str, graph_iri: str) -> None:
        """Drop one named graph (GSP DELETE); a graph already gone is fine."""
        self.request("DELETE", graph_store, ok=(200, 202, 204, 404), params={"graph": graph_iri})


def _detail(response: httpx.Response) -> str:
    text = response.text.strip().splitlines()
    return f": {text[0][:200]}" if text else ""


def select(endpoint: str, sparql: str, bindings: dict[str, object] | None = None, timeout: float = 30.0,
           auth: tuple[str, str] | None = None) -> tuple[list[str], list[dict[str, Term | None]]]:
    """Run a SELECT on a SPARQL endpoint: (variable names, rows of {name: pyoxigraph term or None}).

    `bindings` ({variable: RDF term}) are bound by a VALUES block at the top of
    the WHERE clause; kg's standard prefixes are declared for the query.
    """
    with Client(timeout, auth) as client:
        return client.select(endpoint, sparql, bindings)


__all__ = ["Client", "ChallengeAuth", "select", "prepare", "values_block", "where_brace", "with_prefixes"]
