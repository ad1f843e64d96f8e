"""kg build: documents into the store, one named graph each, safely and repeatably."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from kg import iris
from kg.cli import main
from kg.pipeline import build
from kg.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "docs"


def fixture_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(FIXTURES, folder)
    return folder


def identifiers(store: Store) -> set[str]:
    rows = store.select("SELECT ?id WHERE { ?d a kg:Decision ; kg:sourceDocument ?doc ; dcterms:identifier ?id }")
    return {r["id"].value for r in rows}


def test_build_makes_one_named_graph_per_document(tmp_path):
    store = Store(tmp_path / "store")
    report = build([str(fixture_copy(tmp_path))], store)
    assert report.ok and report.documents == 3 and report.decisions == 3
    assert len(store.document_graphs()) == 3
    assert identifiers(store) == {"PCD 9001", "MD 9002", "12/2024"}
    assert report.facts > 20 and report.triples == len(store)


def test_building_twice_gives_the_same_graph_without_duplicates(tmp_path):
    docs = fixture_copy(tmp_path)
    store = Store(tmp_path / "store")
    build([str(docs)], store)
    size = len(store)
    again = build([str(docs)], store)
    assert again.unchanged == 3 and again.triples == 0 and len(store) == size
    forced = build([str(docs)], store, force=True)
    assert forced.triples == size and len(store) == size


def test_a_changed_document_replaces_its_facts(tmp_path):
    docs = fixture_copy(tmp_path)
    store = Store(tmp_path / "store")
    build([str(docs)], store)
    path = docs / "pcd-9001-bus-stop-safety.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("£215,000", "£230,000"), encoding="utf-8")
    report = build([str(docs)], store)
    assert report.unchanged == 2 and report.documents == 3
    values = {r["v"].value for r in store.select(
        "SELECT ?v WHERE { ?d dcterms:identifier 'PCD 9001' ; kg:hasMoneyFlow/schema:amount/schema:value ?v }")}
    assert values == {"230000"}
    assert len(store.document_graphs()) == 3


def test_bad_files_are_reported_and_the_rest_of_the_batch_goes_through(tmp_path):
    docs = fixture_copy(tmp_path)
    store = Store(tmp_path / "store")
    build([str(docs)], store)
    before = len(store)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(b"\x00\xff" * 100)
    (docs / "latin1.txt").write_bytes("PCD 77 café £5".encode("cp1252"))
    (docs / "no-decision.txt").write_text("A page about opening hours with no decision on it.", encoding="utf-8")
    (docs / "pcd-9003-new.txt").write_text("Reference code: PCD 9003\nPCD 9003 Night buses\nA grant of £1,000.",
                                           encoding="utf-8")
    report = build([str(docs)], store)
    problems = sorted(str(f) for f in report.failures)
    assert len(problems) == 4 and not report.ok
    assert any("empty.txt: empty file" in p for p in problems)
    assert any("binary.txt: binary file" in p for p in problems)
    assert any("latin1.txt: not valid UTF-8" in p for p in problems)
    assert any("no-decision.txt: no decision found" in p for p in problems)
    assert "PCD 9003" in identifiers(store)
    assert len(store) > before and {"PCD 9001", "MD 9002"} <= identifiers(store)


def test_cli_build_prints_a_summary_and_exits_non_zero_on_failures(tmp_path):
    docs = fixture_copy(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(docs), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "documents: 3 (0 unchanged), decisions: 3" in result.output and "failures: 0" in result.output
    (docs / "empty.txt").write_bytes(b"")
    result = runner.invoke(main, ["build", str(docs), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.output and "failures: 1" in result.output


def test_cli_build_names_a_missing_source(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1 and "nope: no such file, folder or matching glob" in result.output


def test_graph_iri_is_keyed_by_the_source_path(tmp_path):
    store = Store(tmp_path / "store")
    build([str(fixture_copy(tmp_path))], store)
    assert str(iris.graph_for("pcd-9001-bus-stop-safety.txt")) in store.document_graphs()
