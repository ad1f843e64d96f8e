"""`kg query`: listing, output formats (checked against Oxigraph's own writers), options, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.formats import format_results, to_csv, to_json, to_tsv
from kg.queries import saved_queries, select
from kg.store import Store


@pytest.fixture(scope="module")
def store_dir(query_store_dir) -> Path:
    return query_store_dir


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_list_shows_every_question_with_parameters():
    result = invoke("query", "--list")
    assert result.exit_code == 0
    for query in saved_queries():
        assert query.name in result.output and query.title in result.output
    assert "--param funder=<iri>  (default: none)" in result.output
    assert "--param search=<string>  (default: '')" in result.output


def test_table_output(store_dir):
    result = invoke("query", "money-by-funder-year", "--store", str(store_dir))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["funder", "funder_name", "year", "flows", "decisions", "total"]
    assert any("Home Office" in line and "2023/24" in line and line.endswith("500000") for line in lines)
    assert "(7 rows)" in result.stderr


def test_csv_with_params(store_dir):
    result = invoke("query", "received-by-organisation", "--store", str(store_dir), "--format", "csv",
                    "--param", "recipient=https://w3id.org/kg-decisions/id/org/mopac")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["funder_name"], r["amount"], r["year"]) for r in rows] == [
        ("Home Office", "500000", "2023/24"), ("Home Office", "200000", "2022/23")]


def test_json_is_sparql_results_json(store_dir):
    result = invoke("query", "most-cited-instruments", "--store", str(store_dir), "--format", "json",
                    "-p", "min_decisions=2")
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["instrument", "title", "legislation_id", "resolved", "decisions", "provisions"]
    first = data["results"]["bindings"][0]
    assert first["instrument"] == {"type": "uri", "value": "http://www.legislation.gov.uk/id/ukpga/2010/15"}
    assert first["title"] == {"type": "literal", "value": "Equality Act 2010"}
    assert first["decisions"] == {"type": "literal", "value": "2",
                                  "datatype": "http://www.w3.org/2001/XMLSchema#integer"}


def test_tsv_is_sparql_results_tsv(store_dir):
    result = invoke("query", "unresolved-citations", "--store", str(store_dir), "--format", "tsv")
    header, row = result.stdout.splitlines()
    assert header.split("\t")[:2] == ["?instrument", "?title"]
    assert row.split("\t")[:2] == ["<https://w3id.org/kg-decisions/id/legislation/local-safety-code-2019>",
                                   '"Local Safety Code 2019"']


def test_a_query_file_can_be_run(store_dir, tmp_path):
    mine = tmp_path / "decisions.rq"
    mine.write_text("# title: Decisions\n# question: Which?\n# param: ref string (default: MD 9100) code\n"
                    "# columns: decision\nSELECT ?decision ?ref WHERE { ?decision dcterms:identifier ?ref ; "
                    "kg:sourceDocument ?doc }\n", encoding="utf-8")
    result = invoke("query", str(mine), "--store", str(store_dir), "--format", "csv")
    assert result.stdout.splitlines() == ["decision", "https://w3id.org/kg-decisions/id/decision/md-9100"]


@pytest.mark.parametrize(("args", "message"), [
    (["query", "no-such-question"], "no saved query named"),
    (["query", "money-chain", "--param", "from_org"], "expected NAME=VALUE"),
    (["query", "money-chain", "--param", "from_org=not an iri"], "not a valid iri"),
    (["query"], "give a saved question"),
])
def test_errors_are_one_line(store_dir, args, message):
    result = CliRunner().invoke(main, [*args, "--store", str(store_dir)])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["query", "money-chain", "--store", str(tmp_path / "none")])
    assert result.exit_code != 0 and "no store here" in result.output


def test_endpoint_calls_the_remote_module(monkeypatch, store_dir):
    """--endpoint hands the query text and bound terms to kg.remote.select and formats its rows."""
    import sys
    import types

    calls = []

    def fake_select(endpoint, sparql, bindings, timeout=30.0, auth=None):
        calls.append((endpoint, sparql, bindings, timeout, auth))
        return ["funder", "funder_name", "year", "flows", "decisions", "total", "extra"], [
            {"funder": ox.NamedNode("https://w3id.org/kg-decisions/id/org/x"), "funder_name": ox.Literal("X"),
             "year": None, "flows": ox.Literal("1"), "decisions": ox.Literal("1"), "total": ox.Literal("5"),
             "extra": None}]

    monkeypatch.setitem(sys.modules, "kg.remote", types.SimpleNamespace(select=fake_select))
    result = CliRunner().invoke(main, ["query", "money-by-funder-year", "--endpoint", "http://localhost:7878/query",
                                       "--user", "u", "--password", "p", "--format", "csv",
                                       "-p", "funder=https://w3id.org/kg-decisions/id/org/x"])
    assert result.exit_code == 0, result.output
    endpoint, sparql, bindings, timeout, auth = calls[0]
    assert endpoint == "http://localhost:7878/query" and auth == ("u", "p") and timeout == 30.0
    assert "?funder" in sparql and "org/x" not in sparql
    assert bindings == {"funder": ox.NamedNode("https://w3id.org/kg-decisions/id/org/x")}
    assert result.stdout.splitlines() == ["funder,funder_name,year,flows,decisions,total",
                                          "https://w3id.org/kg-decisions/id/org/x,X,,1,1,5"]


# ------------------------------------------------------------------ formats match Oxigraph's writers

SAMPLE = """
PREFIX ex: <http://example.org/>
SELECT ?s ?o ?none WHERE {
  VALUES (?s ?o) {
    (ex:a "plain") (ex:a "tab\\there, \\"quoted\\"\\nnew line") (ex:a "colour"@en-gb) (ex:a 7) (ex:a 1.5)
    (ex:a true) (ex:a "2023-06-01"^^<http://www.w3.org/2001/XMLSchema#date>) (ex:a 1.0e3) (ex:a ex:b)
  }
}
"""


@pytest.mark.parametrize(("ours", "theirs"), [(to_csv, ox.QueryResultsFormat.CSV),
                                              (to_tsv, ox.QueryResultsFormat.TSV),
                                              (to_json, ox.QueryResultsFormat.JSON)])
def test_formats_match_oxigraph(ours, theirs):
    store = Store(None)
    variables, rows = select(store, SAMPLE)
    expected = store.query(SAMPLE).serialize(format=theirs).decode("utf-8")
    got = ours(variables, rows)
    if theirs == ox.QueryResultsFormat.JSON:
        assert json.loads(got) == json.loads(expected)
    else:
        assert got.splitlines() == expected.splitlines()
    assert got.endswith("\n")


def test_csv_ends_lines_with_crlf_and_table_cuts_long_values():
    rows = [{"a": ox.Literal("x" * 100), "n": ox.Literal("12", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))}]
    assert to_csv(["a", "n"], rows) == "a,n\r\n" + "x" * 100 + ",12\r\n"
    text = format_results(["a", "n"], rows, "table")
    assert "x" * 59 + "…" in text and "x" * 61 not in text
