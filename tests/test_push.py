"""kg push against a real Oxigraph server on 127.0.0.1: push, re-push, removal, and saved queries over HTTP."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from kg import remote
from kg.cli import main
from kg.errors import RemoteError
from kg.pipeline import build
from kg.push import GRAPH_BASE, Target, plan, push
from kg.queries import bind, saved_queries
from kg.store import Store

pytestmark = pytest.mark.server
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def _oxigraph_or_skip() -> None:
    from kg.serve import oxigraph_binary

    try:
        oxigraph_binary()
    except RemoteError as exc:
        pytest.skip(f"needs the oxigraph server program: {exc}")


@pytest.fixture
def server():
    """A fresh read-write Oxigraph server in memory on a free loopback port; always stopped."""
    _oxigraph_or_skip()
    from kg.serve import launch

    with launch(None, "127.0.0.1", 0, read_only=False) as srv:
        yield srv


@pytest.fixture
def small_store(tmp_path):
    """Five example documents, built into a store this test may change."""
    from tests.conftest import EXAMPLES

    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted((EXAMPLES / "docs").iterdir())[:5]:
        shutil.copy(path, docs / path.name)
    store = Store(tmp_path / "store")
    assert build([str(docs)], store).ok
    return store


def remote_count(srv) -> int:
    return int(remote.select(srv.query_url, COUNT)[1][0]["n"].value)


def remote_graphs(srv) -> set[str]:
    return {row["g"].value for row in remote.select(srv.query_url, GRAPHS)[1]}


@pytest.mark.parametrize("mode", ["graph-store", "update"])
def test_push_then_repush_sends_nothing_and_duplicates_nothing(server, small_store, mode):
    target = Target(server.query_url, graph_store=server.graph_store_url if mode == "graph-store" else None,
                    update=server.update_url if mode == "update" else None)
    first = push(small_store, target)
    assert (first.sent, first.deleted, first.unchanged) == (5, 0, 0)
    assert first.triples == len(small_store) == remote_count(server)
    assert remote_graphs(server) == set(small_store.document_graphs())
    again = push(small_store, target)
    assert (again.sent, again.deleted, again.unchanged, again.triples) == (0, 0, 5, 0)
    forced = push(small_store, target, force=True)
    assert forced.sent == 5 and remote_count(server) == len(small_store)


def test_a_removed_document_is_deleted_remotely_and_others_are_left_alone(server, small_store):
    target = Target(server.query_url, graph_store=server.graph_store_url)
    push(small_store, target)
    foreign = "http://example.org/not-kg"
    with remote.Client() as client:
        client.update(server.update_url, f'INSERT DATA {{ GRAPH <{foreign}> {{ <http://e/a> <http://e/b> "c" }} }}')
    gone = sorted(small_store.document_graphs())[0]
    small_store.remove_graph(gone)
    report = push(small_store, target)
    assert (report.sent, report.deleted, report.unchanged) == (0, 1, 4)
    assert remote_graphs(server) == set(small_store.document_graphs()) | {foreign}
    assert remote_count(server) == len(small_store) + 1


def test_a_changed_document_is_replaced_whole(server, small_store, tmp_path):
    target = Target(server.query_url, update=server.update_url)
    push(small_store, target)
    graph = sorted(small_store.document_graphs())[1]
    small_store.oxigraph.update(f"DELETE {{ GRAPH <{graph}> {{ ?d kg:contentHash ?h }} }} "
                                f"INSERT {{ GRAPH <{graph}> {{ ?d kg:contentHash 'changed' }} }} "
                                f"WHERE {{ GRAPH <{graph}> {{ ?d kg:contentHash ?h }} }}",
                                prefixes={"kg": "https://w3id.org/kg-decisions/def#"})
    report = push(small_store, target)
    assert (report.sent, report.unchanged) == (1, 4)
    hashes = remote.select(server.query_url, f"SELECT ?h WHERE {{ GRAPH <{graph}> {{ ?d kg:contentHash ?h }} }}")[1]
    assert [row["h"].value for row in hashes] == ["changed"]
    assert remote_count(server) == len(small_store)


def test_plan_compares_hashes_and_only_touches_kg_graphs():
    local = {GRAPH_BASE + "a": ("a.txt", "1"), GRAPH_BASE + "b": ("b.txt", "2"), GRAPH_BASE + "c": ("c.txt", "3")}
    remote_docs = {GRAPH_BASE + "a": {"1"}, GRAPH_BASE + "b": {"old"}, GRAPH_BASE + "d": {"4"}}
    todo = plan(local, remote_docs)
    assert (todo.send, todo.delete, todo.unchanged) == ([GRAPH_BASE + "b", GRAPH_BASE + "c"], [GRAPH_BASE + "d"], 1)


def test_every_saved_query_gives_the_same_rows_over_http_as_embedded(server, examples_store):
    push(examples_store, Target(server.query_url, graph_store=server.graph_store_url))
    queries = saved_queries()
    assert queries, "no saved queries found in queries/"
    answered = 0
    for query in queries:
        bindings = bind(query, {})
        embedded = examples_store.select(query.text, bindings)
        names, rows = remote.select(server.query_url, query.text, bindings)
        assert names == list(embedded[0]) if embedded else True, query.name
        assert as_set(rows) == as_set(embedded), query.name
        answered += bool(rows)
    assert answered >= len(queries) // 2, "most saved queries should find rows in the examples"


def as_set(rows: list[dict]) -> set[tuple]:
    return {tuple(sorted((k, None if v is None else str(v)) for k, v in row.items())) for row in rows}


def test_cli_push_reports_what_it_did(server, small_store):
    runner = CliRunner()
    args = ["push", "--store", str(small_store.path), "--endpoint", server.query_url,
            "--graph-store", server.graph_store_url]
    small_store.flush()
    del small_store  # the CLI opens the store itself (read-only)
    dry = runner.invoke(main, [*args, "--dry-run"])
    assert dry.exit_code == 0 and "would send 5 document graph(s)" in dry.output, dry.output
    first = runner.invoke(main, args)
    assert first.exit_code == 0 and "sent 5 document graph(s)" in first.output, first.output
    again = runner.invoke(main, args)
    assert "sent 0 document graph(s) (0 triples), deleted 0, unchanged 5" in again.output


def test_cli_push_errors_are_one_line(tmp_path, examples_store):
    from kg.serve import free_port

    runner = CliRunner()
    bad = runner.invoke(main, ["push", "--store", str(examples_store.path), "--endpoint",
                               f"http://127.0.0.1:{free_port()}/query"])
    assert bad.exit_code == 1 and "cannot reach the server" in bad.output and bad.output.count("\n") == 1
    half = runner.invoke(main, ["push", "--store", str(examples_store.path), "--endpoint", "http://x", "--user", "u"])
    assert half.exit_code == 2 and "--user and --password" in half.output


def test_update_refused_at_the_query_url_suggests_the_right_option(server, small_store):
    with pytest.raises(RemoteError) as err:
        push(small_store, Target(server.query_url))
    assert "--update URL or --graph-store URL" in str(err.value)


def test_kg_query_endpoint_prints_what_kg_query_prints_embedded(server, examples_store):
    """`kg query NAME --endpoint URL` over HTTP and `kg query NAME --store DIR` give the same CSV rows."""
    push(examples_store, Target(server.query_url, graph_store=server.graph_store_url))
    runner = CliRunner()
    for query in saved_queries():
        local = runner.invoke(main, ["query", query.name, "--store", str(examples_store.path), "--format", "csv"])
        http = runner.invoke(main, ["query", query.name, "--endpoint", server.query_url, "--format", "csv"])
        assert local.exit_code == http.exit_code == 0, (query.name, local.output, http.output)
        local_lines, http_lines = local.output.splitlines(), http.output.splitlines()
        assert local_lines[:1] == http_lines[:1] and sorted(local_lines) == sorted(http_lines), query.name
