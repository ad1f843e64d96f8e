"""Validation of a built store: results, the cache beside the store, status(), and the shapes set.

The store here is this module's own (built from a few example documents in a temporary folder):
validation writes its cache beside the store, and the shared examples_store must stay untouched.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, SKOS, Graph, URIRef

from kg.cli import main
from kg.errors import ValidationSetupError
from kg.pipeline import build
from kg.resources import ONTOLOGY_DIR, SHAPES_DIR
from kg.store import Store
from kg.validate import remember, status, validate_document, validate_store
from kg.validation import document
from kg.validation.cache import CACHE_FILE
from kg.validation.shapes import SH, bundled_shapes, load_shapes

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "docs"
DOCS = ["mopac-pcd-1455-btp-safer-journeys.md", "mopac-dmpcd-2016-045-online-hate-crime-hub.txt",
        "pcc-surrey-44-2020-victim-services.txt"]


@pytest.fixture()
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in DOCS:
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


@pytest.fixture()
def store(tmp_path: Path, sources: Path) -> Store:
    store = Store(tmp_path / "store")
    assert build([str(sources)], store).documents == len(DOCS)
    return store


def key(result) -> tuple:
    return (result.check, result.focus, result.value, result.graph)


# ------------------------------------------------------------------------------ results

def test_example_documents_have_no_violations_and_the_expected_findings(store: Store):
    report = validate_store(store, jobs=1)
    assert report.counts()["violation"] == 0, [r.message for r in report.results if r.severity == "violation"]
    checks = {r.check for r in report.results}
    assert {"flow-without-funder", "citation-unresolved"} <= checks  # DMPCD 2016 045 cites an unlisted Act
    unresolved = [r for r in report.results if r.check == "citation-unresolved"]
    assert all(r.quote and "Communications Act" in r.quote for r in unresolved)
    assert all(r.decisions == ("https://w3id.org/kg-decisions/id/decision/dmpcd-2016-045",) for r in unresolved)


def test_no_bundled_example_breaks_a_shape(examples_store):
    """Every example kg ships builds into a graph without violations (clauses within a part of a
    scheme, 'part 5A paragraph 4.3', once broke the clause-kind pattern)."""
    report = validate_store(examples_store, jobs=1, use_cache=False)
    assert len(report.by_graph) == 249
    assert report.counts()["violation"] == 0, [(r.check, r.value) for r in report.results if r.severity == "violation"]


def test_every_result_belongs_to_a_document_or_the_whole_store(store: Store):
    report = validate_store(store, jobs=1)
    for graph, results in report.by_graph.items():
        assert graph in report.documents
        assert all(r.graph == graph for r in results)
    assert all(r.graph is None for r in report.store_results)


def test_workers_find_what_one_process_finds(store: Store, sources: Path, monkeypatch):
    one = validate_store(store, jobs=1, use_cache=False)
    monkeypatch.setattr(document, "IN_PROCESS_BELOW", 1)  # start workers even for three documents
    from_disk = validate_store(store, jobs=2, use_cache=False)  # workers read the store themselves
    memory = Store(None)
    build([str(sources)], memory)
    sent = validate_store(memory, jobs=2)  # workers are sent each graph
    assert sorted(map(key, one.results)) == sorted(map(key, from_disk.results)) == sorted(map(key, sent.results))


def test_a_violation_is_found_in_the_store(store: Store):
    graph_iri = next(iri for iri, (source, _) in store.document_graphs().items() if source == DOCS[0])
    graph = store.graph(graph_iri)
    mopac = URIRef("https://w3id.org/kg-decisions/id/org/mopac")
    assert (mopac, SKOS.prefLabel, None) in graph
    graph.remove((mopac, SKOS.prefLabel, None))
    store.replace_graph(graph_iri, graph)
    report = validate_store(store, jobs=1, use_cache=False)
    names = [r for r in report.results if r.check == "organisation-name"]
    assert [(r.severity, r.focus, r.graph) for r in names] == [("violation", mopac.n3(), graph_iri)]
    assert not report.conforms()


def test_build_time_validation_matches_the_store_run(store: Store):
    report = validate_store(store, jobs=1)
    for graph_iri in store.document_graphs():
        ours = {key(r) for r in validate_document(graph_iri, store.graph(graph_iri))}
        assert ours == {key(r) for r in report.by_graph[graph_iri]}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_that_validates_leaves_kg_validate_only_the_whole_store_checks(tmp_path: Path, sources: Path,
                                                                              jobs: int):
    store = Store(tmp_path / "validated")
    built = build([str(sources)], store, jobs=jobs, validate=True)
    assert built.validated == len(DOCS) and sum(built.findings.values()) > 0
    kept = validate_store(store, jobs=1)
    assert kept.revalidated == 0
    fresh = validate_store(store, jobs=1, use_cache=False)
    assert fresh.revalidated == len(DOCS)
    assert sorted(map(key, kept.results)) == sorted(map(key, fresh.results))
    assert [r.quote for r in sorted(kept.results, key=key)] == [r.quote for r in sorted(fresh.results, key=key)]


def test_cli_build_validate_prints_what_it_found(tmp_path: Path, sources: Path):
    result = CliRunner().invoke(main, ["build", str(sources), "--store", str(tmp_path / "s"), "--validate"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("validated:"))
    assert f"{len(DOCS)} new document graphs, 0 violations" in line


# ------------------------------------------------------------------------------ cache and status

def test_results_are_kept_beside_the_store_and_reused(store: Store):
    first = validate_store(store, jobs=1)
    assert first.revalidated == len(DOCS)
    assert (store.path / CACHE_FILE).is_file()
    second = validate_store(store, jobs=1)
    assert second.revalidated == 0
    assert sorted(map(key, second.results)) == sorted(map(key, first.results))


def test_a_changed_document_alone_is_revalidated(store: Store, sources: Path):
    validate_store(store, jobs=1)
    changed = sources / DOCS[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    build([str(sources)], store)
    report = validate_store(store, jobs=1)
    assert report.revalidated == 1


def test_other_shapes_revalidate_everything(store: Store, tmp_path: Path):
    validate_store(store, jobs=1)
    shapes = tmp_path / "shapes"
    shutil.copytree(SHAPES_DIR, shapes)
    (shapes / "extra.ttl").write_text("# a comment changes the shapes hash\n", encoding="utf-8")
    assert validate_store(store, shapes=shapes, jobs=1).revalidated == len(DOCS)


def test_status_reads_the_cache(store: Store, sources: Path):
    assert status(store) == {"documents": 3, "validated": 0, "conforms": False,
                             "violations": 0, "warnings": 0, "infos": 0}
    report = validate_store(store, jobs=1)
    counts = report.counts()
    assert status(store) == {"documents": 3, "validated": 3, "conforms": True, "violations": 0,
                             "warnings": counts["warning"], "infos": counts["info"]}
    changed = sources / DOCS[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    build([str(sources)], store)
    after = status(store)
    assert (after["validated"], after["conforms"]) == (2, False)


def test_results_from_build_time_count_in_status(store: Store):
    entries = {iri: (content_hash, validate_document(iri, store.graph(iri)))
               for iri, (_, content_hash) in store.document_graphs().items()}
    remember(store, entries)
    assert status(store)["validated"] == len(DOCS)


def test_an_in_memory_store_has_no_cache(sources: Path):
    store = Store(None)
    build([str(sources)], store)
    report = validate_store(store, jobs=1)
    assert report.results
    assert validate_store(store, jobs=1).revalidated == len(DOCS)
    assert status(store)["validated"] == 0


def test_exports_hold_no_validation_results(store: Store, tmp_path: Path):
    validate_store(store, jobs=1)
    out = tmp_path / "export.nq"
    store.export(out, "nquads")
    text = out.read_text(encoding="utf-8")
    assert "shacl#" not in text and "kg-decisions/shapes" not in text


def test_an_unreadable_cache_is_ignored(store: Store):
    validate_store(store, jobs=1)
    (store.path / CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert validate_store(store, jobs=1).revalidated == len(DOCS)
    assert len(json.loads((store.path / CACHE_FILE).read_text(encoding="utf-8"))["graphs"]) == len(DOCS)


# ------------------------------------------------------------------------------ the shapes

def test_every_class_of_the_ontology_has_a_shape():
    ontology = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    shapes = bundled_shapes().graph
    targeted = set(shapes.objects(None, SH.targetClass))
    assert classes and classes <= targeted, sorted(map(str, classes - targeted))


def test_every_check_has_its_own_message():
    shapes = bundled_shapes()
    for check in shapes.checks.values():
        assert not check.message.endswith(" fails"), f"{check.id} has no sh:message"
        assert len(check.message) > 20


def test_the_completeness_and_compliance_checks_warn_or_inform():
    checks = bundled_shapes().checks
    asked = ["money-without-legal-power", "large-award-without-delegation", "flow-without-funder",
             "flow-without-recipient", "citation-unresolved", "related-decision-missing",
             "decision-without-maker", "decision-without-date"]
    assert {checks[c].severity for c in asked} <= {"warning", "info"}
    assert checks["related-decision-missing"].engine == "store"


def test_broken_shapes_are_refused(tmp_path: Path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:targetClass ", encoding="utf-8")
    with pytest.raises(ValidationSetupError, match="broken.ttl"):
        load_shapes(broken)
    mixed = tmp_path / "mixed.ttl"
    mixed.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:x:s> sh:targetClass <urn:x:C> ; sh:minCount 1 ; sh:sparql [ sh:select "SELECT $this WHERE { }" ] .
""", encoding="utf-8")
    with pytest.raises(ValidationSetupError, match="mixes sh:sparql"):
        load_shapes(mixed)
    with pytest.raises(ValidationSetupError, match="no shapes"):
        load_shapes(tmp_path / "missing")
