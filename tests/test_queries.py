"""The saved questions in queries/: headers, golden results on a small fixture graph, binding."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.formats import to_csv
from kg.queries import bind, load_query, parse_header, run, saved_queries, select, shape
from kg.resources import QUERIES_DIR
from kg.store import Store
from tests.conftest import load_query_graph

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "queries"
GOLDEN = FIXTURES / "golden"
CASES = {k: v for k, v in json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8")).items()
         if not k.startswith("_")}
UPDATE = os.environ.get("KG_UPDATE_GOLDEN") == "1"
EXPECTED_QUERIES = 19


@pytest.fixture(scope="module")
def fixture_store() -> Store:
    return load_query_graph(None)


def golden_cases():
    return [(name, case, params) for name, cases in sorted(CASES.items()) for case, params in cases.items()]


def test_every_saved_query_is_found_and_has_golden_cases():
    names = [q.name for q in saved_queries()]
    assert len(names) == EXPECTED_QUERIES >= 15
    assert sorted(names) == sorted(CASES), "each saved query needs its cases in cases.json"
    for name in names:
        assert "default" in CASES[name], name
        for case in CASES[name]:
            assert (GOLDEN / f"{name}--{case}.csv").exists() or UPDATE, f"no golden result for {name} {case}"


@pytest.mark.parametrize("query", saved_queries(), ids=lambda q: q.name)
def test_header_is_complete(query):
    assert query.title and query.question and query.columns, query.name
    for param in query.params:
        assert param.doc, f"{query.name}: parameter {param.name} needs a description"
        assert re.search(rf"\?{param.name}\b", query.text), f"{query.name}: ?{param.name} is not used"


@pytest.mark.parametrize("query", saved_queries(), ids=lambda q: q.name)
def test_projection_is_columns_and_parameters(query, fixture_store):
    """Every parameter is bound (Oxigraph binds only projected variables) and every column
    the header lists is returned; nothing else is."""
    all_bound = {p.name: _sample_value(p) for p in query.params}
    variables, _ = select(fixture_store, query.text, bind(query, all_bound))
    assert set(variables) == set(query.columns) | {p.name for p in query.params}, query.name


@pytest.mark.parametrize("query", saved_queries(), ids=lambda q: q.name)
def test_is_standard_sparql_without_oxigraph_extensions(query):
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    assert body.lstrip().upper().startswith("SELECT")
    for extension in ("ox:", "SERVICE", "LATERAL", "ADJUST(", "<<"):
        assert extension not in body.upper(), f"{query.name} uses {extension}"


@pytest.mark.parametrize(("name", "case", "params"), golden_cases())
def test_golden_result(name, case, params, fixture_store):
    columns, rows = run(load_query(name), params, store=fixture_store)
    text = to_csv(columns, rows).replace("\r\n", "\n")     # SPARQL CSV ends lines with CRLF
    path = GOLDEN / f"{name}--{case}.csv"
    if UPDATE:
        path.write_text(text, encoding="utf-8", newline="")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} ({case}) differs from {path.name}"
    if case == "default":
        assert rows, f"{name}: its defaults should find something in the fixture graph"


def _sample_value(param):
    return {"iri": "https://w3id.org/kg-decisions/id/org/home-office", "string": "PCD 1455", "decimal": "1",
            "integer": "1", "date": "2023-01-01", "boolean": "true"}[param.type]


# ------------------------------------------------------------------ what the golden results mean

def _run(name, store, **params):
    return run(load_query(name), params, store=store)[1]


def _values(rows, column):
    return [None if r[column] is None else r[column].value for r in rows]


def test_totals_do_not_count_shared_nodes_twice(fixture_store):
    """The Home Office is described in two document graphs; its totals still count each sum once,
    and the threshold of PCD 1455 is not money that moves."""
    rows = _run("money-by-funder-year", fixture_store, funder="https://w3id.org/kg-decisions/id/org/home-office")
    assert [(r["year"].value, r["total"].value, r["flows"].value) for r in rows] == [
        ("2022/23", "200000", "1"), ("2023/24", "500000", "1")]
    mopac = _run("top-funders", fixture_store, min_total="500000")
    assert {r["funder_name"].value: r["total"].value for r in mopac}[
        "Mayor's Office for Policing and Crime"] == "530000"


def test_citations_include_sub_provisions(fixture_store):
    rows = _run("decisions-citing-legislation", fixture_store,
                legislation="http://www.legislation.gov.uk/id/ukpga/2010/15/section/149")
    assert _values(rows, "reference") == ["PCD 1455", "MD 9100"]
    assert _values(rows, "cited_path") == ["section 149 1", "section 149"]


def test_lineage_follows_chains(fixture_store):
    rows = _run("decision-lineage", fixture_store, reference="PCD 1455")
    assert [(r["related_reference"].value, r["direct"].value) for r in rows] == [
        ("PCD 583", "false"), ("PCD 956", "true")]


def test_money_chain_lists_every_sum_on_the_way(fixture_store):
    rows = _run("money-chain", fixture_store, to_org="https://w3id.org/kg-decisions/id/org/eastbank-mentoring")
    hops = {(r["payer_name"].value, r["payee_name"].value) for r in rows}
    assert hops == {("Home Office", "Mayor's Office for Policing and Crime"),
                    ("Mayor's Office for Policing and Crime", "Riverside Youth Trust"),
                    ("Riverside Youth Trust", "Eastbank Mentoring")}


# ------------------------------------------------------------------ binding parameters safely

INJECTIONS = [
    'PCD 1455" } UNION { ?decision ?p ?o } #',
    "PCD 1455' } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o",
    "} } SELECT * WHERE { ?s ?p ?o } #",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_value_that_tries_to_inject_sparql_changes_nothing(value, fixture_store):
    before = len(fixture_store)
    rows = _run("evidence-for-fact", fixture_store, reference=value)
    assert rows == []                                # matched as a literal: no decision has that code
    orgs = _run("organisations", fixture_store, search=value)
    assert orgs == []
    assert len(fixture_store) == before              # and nothing was written
    assert len(_run("evidence-for-fact", fixture_store)) == 5


def test_query_text_is_never_changed_by_parameters(fixture_store, monkeypatch):
    seen = []
    real = Store.query

    def spy(self, sparql, bindings=None, graph=None, union=True):
        seen.append((sparql, bindings))
        return real(self, sparql, bindings, graph, union)

    monkeypatch.setattr(Store, "query", spy)
    query = load_query("evidence-for-fact")
    run(query, {"reference": INJECTIONS[0]}, store=fixture_store)
    assert seen[0][0] == query.text
    assert seen[0][1]["reference"] == ox.Literal(INJECTIONS[0])


@pytest.mark.parametrize(("name", "params", "message"), [
    ("money-by-funder-year", {"funder": "home office"}, "not a valid iri"),
    ("money-by-funder-year", {"funder": "<https://x> } #"}, "not a valid iri"),
    ("large-awards-without-delegation", {"min_amount": "lots"}, "not a valid decimal"),
    ("decisions-by-maker", {"from_date": "2023-01-01T00:00:00"}, "not a valid date"),
    ("most-cited-instruments", {"min_decisions": "1; DROP"}, "not a valid integer"),
    ("money-by-funder-year", {"nope": "1"}, "unknown parameter"),
])
def test_bad_values_are_refused(name, params, message, fixture_store):
    with pytest.raises(QueryError, match=message):
        run(load_query(name), params, store=fixture_store)


def test_load_query_by_name_and_path_and_refuses_other_paths(tmp_path):
    assert load_query("money-chain").name == "money-chain"
    assert load_query("facts/amounts").name == "facts/amounts"
    assert load_query(str(QUERIES_DIR / "money-chain.rq")).title.startswith("Money flowing")
    own = tmp_path / "mine.rq"
    own.write_text("# title: Mine\n# columns: s\nSELECT ?s WHERE { ?s a kg:Decision }\n", encoding="utf-8")
    assert load_query(str(own)).name == "mine"
    for bad in ("../pyproject", "/etc/passwd", "no-such-query"):
        with pytest.raises(QueryError):
            load_query(bad)


def test_header_parsing_keeps_quoted_empty_defaults_and_continuation_lines():
    h = parse_header('# title: T\n# question: one\n#   two\n# param: q string (default: "") text\n'
                     '# param: n integer (default: none) x\n# columns: a,\n#   b\nSELECT ?a ?b WHERE {}\n')
    assert h["question"] == "one two"
    assert [(p.name, p.default) for p in h["params"]] == [("q", ""), ("n", None)]
    assert h["columns"] == ("a", "b")


def test_saved_queries_run_on_the_examples(examples_store):
    """Every saved question runs with its defaults on a store built by kg build."""
    for query in saved_queries():
        columns, _rows = run(query, {}, store=examples_store)
        assert columns == list(query.columns)
    top = run(load_query("most-cited-instruments"), {}, store=examples_store)[1]
    assert top and top[0]["title"].value == "Equality Act 2010"


@pytest.mark.parametrize(("name", "case", "params"), golden_cases())
def test_remote_binding_gives_the_same_answer(name, case, params, fixture_store):
    """A SPARQL server gets the parameters as VALUES blocks (kg.remote.prepare) instead of
    Oxigraph's substitutions; on the same data the answer is the golden one."""
    remote = pytest.importorskip("kg.remote")
    query = load_query(name)
    variables, rows = select(fixture_store, remote.prepare(query.text, bind(query, params)))
    columns, rows = shape(query, variables, rows)
    text = to_csv(columns, rows).replace("\r\n", "\n")
    assert text == (GOLDEN / f"{name}--{case}.csv").read_text(encoding="utf-8")
