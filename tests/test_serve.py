"""kg serve as a real process on 127.0.0.1: the SPARQL 1.1 Protocol, content negotiation, read-only."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import RemoteError
from kg.pipeline import build
from kg.store import Store

pytestmark = pytest.mark.server
DECISIONS = "PREFIX kg: <https://w3id.org/kg-decisions/def#> PREFIX dcterms: <http://purl.org/dc/terms/> " \
            "SELECT DISTINCT ?d ?id WHERE { ?d a kg:Decision ; kg:sourceDocument ?doc ; dcterms:identifier ?id }"
CONSTRUCT = "PREFIX kg: <https://w3id.org/kg-decisions/def#> CONSTRUCT { ?d a kg:Decision } " \
            "WHERE { ?d a kg:Decision ; kg:sourceDocument ?doc }"


def kg_command() -> list[str]:
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from kg.cli import main; main()"]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    from tests.conftest import EXAMPLES

    docs = tmp_path_factory.mktemp("serve-docs")
    for path in sorted((EXAMPLES / "docs").iterdir())[:4]:
        shutil.copy(path, docs / path.name)
    folder = tmp_path_factory.mktemp("serve") / "store"
    store = Store(folder)
    assert build([str(docs)], store).ok
    store.flush()
    del store
    return folder


def start_serve(store: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """`kg serve` in its own process; returns once it answers (bounded wait), or fails the test."""
    from kg.serve import free_port, oxigraph_binary

    try:
        oxigraph_binary()
    except RemoteError as exc:
        pytest.skip(f"needs the oxigraph server program: {exc}")
    port = free_port()
    proc = subprocess.Popen([*kg_command(), "serve", "--store", str(store), "--port", str(port), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(300):
        if proc.poll() is not None:
            pytest.fail(f"kg serve exited: {proc.stderr.read()}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    stop(proc)
    pytest.fail("kg serve did not answer within 30 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def served(store_dir):
    proc, url = start_serve(store_dir, "--timeout", "7")
    yield url, proc
    stop(proc)


def test_get_and_post_give_the_same_json_results(served):
    url, _ = served
    get = httpx.get(url, params={"query": DECISIONS}, headers={"Accept": "application/sparql-results+json"})
    post = httpx.post(url, data={"query": DECISIONS}, headers={"Accept": "application/sparql-results+json"})
    direct = httpx.post(url, content=DECISIONS, headers={"Content-Type": "application/sparql-query",
                                                         "Accept": "application/sparql-results+json"})
    rows = [{k: v["value"] for k, v in b.items()} for b in get.json()["results"]["bindings"]]
    assert get.status_code == post.status_code == direct.status_code == 200
    assert len(rows) == 4 and all(r["d"].startswith("https://w3id.org/kg-decisions/id/decision/") for r in rows)
    assert get.json() == post.json() == direct.json()


@pytest.mark.parametrize("accept, parse", [
    ("application/sparql-results+xml",
     lambda t: len(ET.fromstring(t).findall(".//{http://www.w3.org/2005/sparql-results#}result"))),
    ("text/csv", lambda t: len(list(csv.reader(io.StringIO(t)))) - 1),
    ("text/tab-separated-values", lambda t: len(t.strip().splitlines()) - 1),
])
def test_select_results_in_every_standard_format(served, accept, parse):
    url, _ = served
    response = httpx.get(url, params={"query": DECISIONS}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert parse(response.text) == 4


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples"])
def test_construct_and_describe_in_turtle_and_ntriples(served, accept):
    import pyoxigraph as ox

    url, _ = served
    fmt = ox.RdfFormat.TURTLE if accept == "text/turtle" else ox.RdfFormat.N_TRIPLES
    built = httpx.post(url, data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert built.status_code == 200 and built.headers["content-type"].startswith(accept)
    assert len(list(ox.parse(built.content, fmt))) == 4
    decision = next(iter(ox.parse(built.content, fmt))).subject
    described = httpx.get(url, params={"query": f"DESCRIBE {decision}"}, headers={"Accept": accept})
    assert described.status_code == 200 and len(list(ox.parse(described.content, fmt))) > 3


def test_updates_and_graph_store_writes_are_refused(served):
    url, _ = served
    base = url.rsplit("/", 1)[0]
    before = httpx.get(url, params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                       headers={"Accept": "application/sparql-results+json"}).json()
    update = httpx.post(f"{base}/update", data={"update": "CLEAR ALL"})
    triple = b"<http://e/a> <http://e/b> <http://e/c> ."
    put = httpx.put(f"{base}/store", params={"graph": "http://e/g"}, content=triple,
                    headers={"Content-Type": "application/n-triples"})
    delete = httpx.delete(f"{base}/store", params={"default": ""})
    assert update.status_code == put.status_code == delete.status_code == 403
    after = httpx.get(url, params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                      headers={"Accept": "application/sparql-results+json"}).json()
    assert before == after


def test_the_query_timeout_reaches_the_server(served):
    """The server process is started with the --timeout given to kg serve (its children list proves it)."""
    _, proc = served
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    if not children.exists():
        pytest.skip("needs Linux /proc to see the server's command line")
    cmdlines = [Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in children.read_text().split()]
    server = next(c for c in cmdlines if b"serve-read-only" in c)
    assert server[server.index(b"--timeout-s") + 1] == b"7" and b"--union-default-graph" in server
    assert b"127.0.0.1:" + str(httpx.URL(served[0]).port).encode() in server


def test_builds_can_write_the_store_while_it_is_served_and_stop_removes_the_snapshot(store_dir, tmp_path):
    from tests.conftest import EXAMPLES

    def snapshots() -> set[Path]:
        return {p for p in store_dir.parent.iterdir() if ".serve-" in p.name}

    before = snapshots()
    proc, url = start_serve(store_dir)
    ours = snapshots() - before
    try:
        extra = tmp_path / "more"
        extra.mkdir()
        shutil.copy(sorted((EXAMPLES / "docs").iterdir())[10], extra)
        result = CliRunner().invoke(main, ["build", str(extra), "--store", str(store_dir)])
        assert result.exit_code == 0, result.output  # the server reads a snapshot, not the locked store
        rows = httpx.get(url, params={"query": DECISIONS}, headers={"Accept": "application/sparql-results+json"})
        assert len(rows.json()["results"]["bindings"]) == 4  # still the snapshot taken at start
        assert len(ours) == 1 and next(iter(ours)).is_dir()
    finally:
        stop(proc)
    assert proc.returncode == 0
    assert not ours & snapshots()


def test_serve_refuses_a_missing_store_or_one_being_written(tmp_path, store_dir):
    missing = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "no store here" in missing.output
    script = (f"import pyoxigraph, sys; s = pyoxigraph.Store({str(store_dir)!r}); "
              "print('open', flush=True); sys.stdin.read()")
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**os.environ})
    try:
        assert holder.stdout.readline().strip() == "open"
        busy = subprocess.run([*kg_command(), "serve", "--store", str(store_dir), "--port", "0"],
                              capture_output=True, text=True, timeout=60)
        assert busy.returncode == 1 and "is a build writing it?" in busy.stderr
        assert busy.stderr.count("\n") == 1
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
