"""HTTP client for SPARQL 1.1 servers: queries (Protocol), graph replacement (Graph Store or Update).

Everything goes over the standard protocols so that the same code talks to an
Oxigraph server, Apache Jena Fuseki, GraphDB or Virtuoso.

Parameters. Embedded queries bind them with Oxigraph's substitutions (SEP-0007):
the variable becomes the constant in every pattern and expression of the WHERE
clause outside sub-SELECTs, and the projection returns the constant. Over HTTP
the same is done to the query text: each value is serialised by pyoxigraph as
one RDF term (quotes, braces and newlines escaped, IRIs validated) and put in
place of the variable's tokens only (strings, IRIs and comments are skipped),
giving the server constants to plan with; a property path from a bound start
then runs in milliseconds, not the minutes a join would take. Never raw user
text. The result is parsed locally before it is sent; a query whose shape
substitution does not cover (SELECT *, a literal where only an IRI may go)
gets one-row `VALUES` blocks at the top of its groups instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

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
MODIFIERS = {"GROUP": "group", "HAVING": "having", "ORDER": "order", "LIMIT": "other", "OFFSET": "other",
             "VALUES": "other"}


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


def group_braces(sparql: str) -> list[int]:
    """Offsets of the `{` of every group pattern in the WHERE clause, outside sub-SELECTs.

    Skipped: VALUES data blocks (`VALUES ?x { … }` holds terms, not patterns)
    and sub-SELECTs, whose variables are their own unless projected.
    """
    start = where_brace(sparql)
    found: list[int] = []
    stack: list[str] = []  # "group", "data" or "select" per open brace
    values_pending = False
    tokens = [m for m in _tokens(sparql[start:]) if m.lastgroup != "comment" and not m.group().isspace()]
    for i, m in enumerate(tokens):
        kind, text = m.lastgroup, m.group()
        if kind == "word" and text.upper() == "VALUES":
            values_pending = True
        elif kind == "open":
            following = tokens[i + 1].group().upper() if i + 1 < len(tokens) else ""
            inside_select = "select" in stack
            kind_here = "data" if values_pending else "select" if following == "SELECT" else "group"
            values_pending = False
            stack.append("select" if inside_select else kind_here)
            if stack[-1] == "group":
                found.append(start + m.start())
        elif kind == "other" and text == "}" and stack:
            stack.pop()
            if not stack:
                break
    return found


@dataclass
class _Scope:
    """One SELECT: whether the bound variables are its own, where its SELECT sits, which clause we are in."""

    active: bool
    depth: int
    clause: str = "select"   # select, where, group, having, order, other


class _Substitution:
    """Replaces bound variables by their terms, scope by scope (see the module docstring).

    A sub-SELECT shares a variable with the query around it only if it projects
    it; otherwise its variable of the same name is another one and is left alone.
    """

    def __init__(self, sparql: str, terms: dict[str, str]) -> None:
        self.sparql, self.terms = sparql, terms
        self.tokens = [m for m in _tokens(sparql) if m.lastgroup != "comment" and not m.group().isspace()]
        self.edits: list[tuple[int, int, str]] = []
        self.scopes: list[_Scope] = []
        self.braces = self.parens = 0
        self.values_vars = False

    def run(self) -> str | None:
        for i, m in enumerate(self.tokens):
            if not self.step(i, m):
                return None
        text = self.sparql
        for start, end, new in reversed(self.edits):
            text = text[:start] + new + text[end:]
        return text if self.scopes else None

    def step(self, i: int, m: re.Match) -> bool:
        kind, up = m.lastgroup, m.group().upper()
        scope = self.scopes[-1] if self.scopes else None
        if kind == "word":
            return self.keyword(i, up, scope)
        if scope is None:
            return kind not in ("open", "var")  # not a SELECT query
        if kind == "open":
            scope.clause = "where" if scope.clause == "select" and self.braces == scope.depth else scope.clause
            self.braces += 1
            self.values_vars = False
        elif up == "}":
            self.braces -= 1
            if len(self.scopes) > 1 and self.braces < scope.depth:
                self.scopes.pop()
        elif up in ("(", ")"):
            self.parens += 1 if up == "(" else -1
        elif up == "*" and scope.clause == "select" and self.parens == 0 and len(self.scopes) == 1:
            return False  # top-level SELECT *: the constant could not be projected
        elif kind == "var" and scope.active and m.group()[1:] in self.terms:
            self.variable(m, scope, [t.group().upper() for t in self.tokens[max(0, i - 2):i]])
        return True

    def keyword(self, i: int, up: str, scope: _Scope | None) -> bool:
        if up == "SELECT":
            if scope is None:
                self.scopes.append(_Scope(True, 0))
            elif self.braces:
                shared = self.projection(i) & (set(self.terms) | {"*"})
                self.scopes.append(_Scope(scope.active and scope.clause == "where" and bool(shared), self.braces))
            return True
        if scope is None:
            return True
        if self.braces > scope.depth:
            self.values_vars = self.values_vars or up == "VALUES"
        elif scope.clause not in ("select",) and up in MODIFIERS:
            scope.clause = MODIFIERS[up]
        return True

    def projection(self, i: int) -> set[str]:
        """Variables a sub-SELECT projects ('*' for all), read from its SELECT clause."""
        names, parens = set(), 0
        for m in self.tokens[i + 1:]:
            text = m.group()
            if m.lastgroup == "open" or (parens == 0 and text.upper() in ("WHERE", "FROM")):
                break
            parens += (text == "(") - (text == ")")
            if (m.lastgroup == "var" and parens == 0) or (text == "*" and parens == 0):
                names.add(text.lstrip("?$"))
        return names

    def variable(self, m: re.Match, scope: _Scope, before: list[str]) -> None:
        term = self.terms[m.group()[1:]]
        if before[-1:] == ["AS"] or scope.clause in ("order", "other"):
            return
        if scope.clause == "where" and (self.values_vars or before == ["BOUND", "("]):
            return  # a VALUES variable list; BOUND(?x) stays false, as embedded
        new = term
        if self.parens == 0 and scope.clause == "select":
            new = f"({term} AS {m.group()})"
        elif self.parens == 0 and scope.clause == "group":
            new = f"({term})"
        self.edits.append((m.start(), m.end(), new))


def substitute(sparql: str, terms: dict[str, str]) -> str | None:
    """The SELECT query with each bound variable replaced by its serialised term, or None if not covered."""
    return _Substitution(sparql, terms).run()


def _parses(sparql: str) -> bool:
    try:
        ox.Store().query(sparql)
    except SyntaxError:
        return False
    return True


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
    """The query text to send: prefixes declared, parameters bound (see the module docstring)."""
    if not bindings:
        return with_prefixes(sparql)
    block = values_block(bindings)  # validates names and terms
    terms = {name: str(as_term(value)) for name, value in bindings.items()}
    substituted = substitute(sparql, terms)
    if substituted is not None and _parses(with_prefixes(substituted)):
        return with_prefixes(substituted)
    for at in reversed(group_braces(sparql)):
        sparql = f"{sparql[:at + 1]} {block}\n{sparql[at + 1:]}"
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
    """Keep-alive HTTP connection pools to SPARQL servers, with one-line errors.

    Plain-http URLs use a pool without TLS settings: loading the CA bundle costs
    about 85 ms, which would double the latency of a quick query to a local
    server. https URLs get a verifying pool, made on first use.
    """

    def __init__(self, timeout: float = 30.0, auth: tuple[str, str] | None = None) -> None:
        self._options = {"timeout": httpx.Timeout(timeout), "auth": ChallengeAuth(*auth) if auth else None,
                         "headers": {"User-Agent": "kg (SPARQL 1.1 client)"}}
        self._http = httpx.Client(verify=False, **self._options)  # never used for https: see _pool
        self._https: httpx.Client | None = None

    def _pool(self, url: str) -> httpx.Client:
        if not url.lower().startswith("https:"):
            return self._http
        if self._https is None:
            self._https = httpx.Client(**self._options)
        return self._https

    def close(self) -> None:
        self._http.close()
        if self._https is not None:
            self._https.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, url: str, ok: tuple[int, ...] = (200, 201, 204), **kwargs) -> httpx.Response:
        try:
            response = self._pool(url).request(method, url, **kwargs)
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


__all__ = ["Client", "ChallengeAuth", "select", "prepare", "substitute", "values_block", "where_brace",
           "group_braces", "with_prefixes"]
