"""kg.remote without a server: how queries are prepared, how parameters are bound, how errors read."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.errors import RemoteError
from kg.remote import (
    ChallengeAuth,
    Client,
    group_braces,
    prepare,
    substitute,
    values_block,
    where_brace,
    with_prefixes,
)

XSD = "http://www.w3.org/2001/XMLSchema#"


def run_locally(text: str, data: str = "") -> list[tuple]:
    """Run a prepared query on an in-memory Oxigraph store: proves the text is valid SPARQL."""
    store = ox.Store()
    if data:
        store.load(data.encode(), ox.RdfFormat.N_QUADS)
    result = store.query(text, use_default_graph_as_union=True)
    return [tuple(None if row[v.value] is None else str(row[v.value]) for v in result.variables) for row in result]


def test_where_brace_skips_strings_iris_comments_and_construct_templates():
    q = 'PREFIX ex: <http://e/{x}> # a { in a comment\nSELECT ("WHERE {" AS ?s) WHERE { ?a ?b ?c }'
    assert q[where_brace(q):].startswith("{ ?a ?b ?c }")
    c = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert c[where_brace(c):] == "{ ?s ?p ?o }"
    bare = "SELECT * { ?s ?p ?o }"
    assert bare[where_brace(bare):] == "{ ?s ?p ?o }"
    with pytest.raises(RemoteError):
        where_brace("# only a comment")


def test_hostile_values_stay_one_term():
    """A value that tries to close the string and add a pattern is escaped into a single literal."""
    evil = 'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    text = prepare("SELECT ?s ?name WHERE { ?s <http://e/name> ?name }", {"name": ox.Literal(evil)})
    data = f'<http://e/a> <http://e/name> "{evil.replace(chr(34), chr(92) + chr(34))}" <http://e/g> .\n' \
           '<http://e/b> <http://e/name> "b" <http://e/g> .\n'
    rows = run_locally(text, data)
    assert rows == [("<http://e/a>", str(ox.Literal(evil)))]


def test_values_block_serialises_each_kind_of_term():
    decimal = ox.Literal("5", datatype=ox.NamedNode(XSD + "decimal"))
    block = values_block({"iri": ox.NamedNode("http://e/x"), "n": decimal,
                          "lang": ox.Literal("hi", language="en"), "rdflib": URIRef("http://e/y"), "plain": "txt"})
    assert block == ('VALUES (?iri ?n ?lang ?rdflib ?plain) { (<http://e/x> "5"^^<http://www.w3.org/2001/XMLSchema'
                     '#decimal> "hi"@en <http://e/y> "txt") }')
    with pytest.raises(RemoteError):
        values_block({"bad name": ox.Literal("x")})
    with pytest.raises(RemoteError):
        values_block({"b": ox.BlankNode("b1")})


def test_bound_parameters_filter_like_embedded_substitutions():
    data = "".join(f'<http://e/d{i}> <http://e/v> "{i}"^^<{XSD}integer> <http://e/g> .\n' for i in range(5))
    q = "SELECT ?d ?v ?min WHERE { ?d <http://e/v> ?v FILTER (?v >= ?min) } ORDER BY ?v"
    remote_rows = run_locally(prepare(q, {"min": Literal(3)}), data)
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.N_QUADS)
    embedded = store.query(q, use_default_graph_as_union=True,
                           substitutions={ox.Variable("min"): ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))})
    assert remote_rows == [tuple(str(row[v.value]) for v in embedded.variables) for row in embedded]
    assert [r[0] for r in remote_rows] == ["<http://e/d3>", "<http://e/d4>"]


def test_prefixes_are_added_only_when_not_declared():
    text = with_prefixes("PREFIX kg: <http://other/>\nSELECT * WHERE { ?s kg:p ?o }")
    assert "PREFIX kg: <https://w3id.org" not in text and "PREFIX dcterms: <http://purl.org/dc/terms/>" in text
    assert run_locally(with_prefixes("SELECT ?d WHERE { ?d a kg:Decision ; dcterms:identifier ?id }")) == []


def test_an_unreachable_server_is_a_one_line_error():
    from kg.serve import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    with Client(timeout=2.0) as client, pytest.raises(RemoteError) as err:
        client.select(url, "SELECT * WHERE { ?s ?p ?o }")
    assert "cannot reach the server" in str(err.value) and "\n" not in str(err.value)


def test_http_errors_name_the_status_and_the_server_message():
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, text="Parse error at line 1\nmore detail")

    client = Client()
    client._http = httpx.Client(transport=httpx.MockTransport(refuse))
    with pytest.raises(RemoteError) as err:
        client.select("http://example.test/sparql", "SELECT * WHERE { ?s ?p ?o }")
    assert str(err.value) == "http://example.test/sparql: HTTP 400 Bad Request: Parse error at line 1"


@pytest.mark.parametrize("scheme", ["Basic", "Digest"])
def test_credentials_follow_the_servers_challenge(scheme):
    """Fuseki and GraphDB ask for Basic, Virtuoso for Digest: the client answers either."""
    seen: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("authorization", "")
        seen.append(auth.split(" ")[0])
        if auth.startswith(scheme):
            return httpx.Response(200, json={"head": {"vars": ["x"]}, "results": {"bindings": []}})
        challenge = 'Digest realm="r", nonce="abc", qop="auth"' if scheme == "Digest" else 'Basic realm="r"'
        return httpx.Response(401, headers={"WWW-Authenticate": challenge})

    client = Client(auth=("u", "p"))
    client._http = httpx.Client(transport=httpx.MockTransport(server), auth=ChallengeAuth("u", "p"))
    assert client.select("http://example.test/sparql", "SELECT ?x WHERE { ?x ?p ?o }") == (["x"], [])
    assert client.select("http://example.test/sparql", "SELECT ?x WHERE { ?x ?p ?o }") == (["x"], [])
    assert seen == ["", scheme, scheme]  # one challenge, then credentials sent straight away


def test_values_go_into_every_group_but_data_blocks_and_sub_selects():
    q = ("SELECT ?d ?min WHERE {\n  GRAPH ?g { VALUES ?k { 1 2 } ?d <http://e/v> ?v FILTER (?v >= ?min) }\n"
         "  OPTIONAL { ?d <http://e/n> ?n }\n  FILTER NOT EXISTS { ?d <http://e/x> ?x }\n"
         "  { SELECT ?d WHERE { ?d <http://e/v> ?w FILTER (?w > 0) } }\n}")
    opened = [q[at:at + 12] for at in group_braces(q)]
    assert opened == ["{\n  GRAPH ?g", "{ VALUES ?k ", "{ ?d <http:/", "{ ?d <http:/"]
    star = q.replace("SELECT ?d ?min", "SELECT *")  # SELECT * cannot project a constant: VALUES blocks instead
    text = prepare(star, {"min": Literal(3)})
    assert text.count("VALUES (?min)") == 4 and "VALUES ?k { 1 2 }" in text


def test_substitution_puts_constants_where_embedded_substitutions_do():
    q = ("SELECT ?s ?min (COUNT(?x) AS ?n) WHERE { ?s ?p ?x FILTER (?x > ?min && !BOUND(?min))\n"
         "  OPTIONAL { GRAPH ?g { ?s <http://e/q> ?min } } { SELECT ?s WHERE { ?s ?p ?min } }\n"
         "  VALUES ?min { 1 } BIND (2 AS ?min) } GROUP BY ?s ?min HAVING (COUNT(?x) > ?min) ORDER BY ?min")
    assert substitute(q, {"min": '"5"'}) == (
        'SELECT ?s ("5" AS ?min) (COUNT(?x) AS ?n) WHERE { ?s ?p ?x FILTER (?x > "5" && !BOUND(?min))\n'
        '  OPTIONAL { GRAPH ?g { ?s <http://e/q> "5" } } { SELECT ?s WHERE { ?s ?p ?min } }\n'
        '  VALUES ?min { 1 } BIND (2 AS ?min) } GROUP BY ?s ("5") HAVING (COUNT(?x) > "5") ORDER BY ?min')
    assert substitute("SELECT * WHERE { ?s ?p ?min }", {"min": '"5"'}) is None
    assert substitute("ASK { ?s ?p ?min }", {"min": '"5"'}) is None


def test_a_path_from_a_bound_start_gives_embedded_rows():
    data = "".join(f"<http://e/n{i}> <http://e/next> <http://e/n{i + 1}> <http://e/g> .\n" for i in range(6))
    q = "SELECT ?start ?end WHERE { ?start <http://e/next>+ ?end }"
    start = ox.NamedNode("http://e/n3")
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.N_QUADS)
    embedded = store.query(q, use_default_graph_as_union=True, substitutions={ox.Variable("start"): start})
    expected = sorted(tuple(str(row[v.value]) for v in embedded.variables) for row in embedded)
    assert sorted(run_locally(prepare(q, {"start": start}), data)) == expected and len(expected) == 3


def test_a_parameter_in_a_nested_filter_binds_as_embedded():
    data = "".join(f'<http://e/d{i}> <http://e/v> "{i}"^^<{XSD}integer> <http://e/g> .\n' for i in range(5))
    q = "SELECT ?d ?min WHERE { GRAPH ?g { ?d <http://e/v> ?v FILTER (?v >= ?min) } }"
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.N_QUADS)
    three = ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))
    embedded = store.query(q, substitutions={ox.Variable("min"): three})
    expected = sorted(tuple(str(row[v.value]) for v in embedded.variables) for row in embedded)
    assert sorted(run_locally(prepare(q, {"min": three}), data)) == expected and len(expected) == 2


def test_a_sub_select_that_projects_the_variable_shares_it():
    q = ("SELECT ?from ?to WHERE { { SELECT DISTINCT ?from ?to WHERE { ?from <http://e/next>* ?to } } "
         "{ SELECT ?x WHERE { ?x <http://e/v> ?from } } }")
    assert substitute(q, {"from": "<http://e/n3>"}) == (
        "SELECT (<http://e/n3> AS ?from) ?to WHERE { { SELECT DISTINCT (<http://e/n3> AS ?from) ?to WHERE "
        "{ <http://e/n3> <http://e/next>* ?to } } { SELECT ?x WHERE { ?x <http://e/v> ?from } } }")
    data = "".join(f"<http://e/n{i}> <http://e/next> <http://e/n{i + 1}> <http://e/g> .\n" for i in range(6))
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.N_QUADS)
    plain = "SELECT ?from ?to WHERE { { SELECT DISTINCT ?from ?to WHERE { ?from <http://e/next>* ?to } } }"
    start = ox.NamedNode("http://e/n3")
    embedded = store.query(plain, use_default_graph_as_union=True, substitutions={ox.Variable("from"): start})
    expected = sorted(tuple(str(row[v.value]) for v in embedded.variables) for row in embedded)
    assert sorted(run_locally(prepare(plain, {"from": start}), data)) == expected and len(expected) == 4
