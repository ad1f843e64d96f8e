"""`kg validate`: exit statuses, output formats, and the RDF formats it reads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph

from kg.cli import main
from kg.pipeline import build
from kg.store import Store
from kg.validation.shapes import SH

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "docs"
DOC = "mopac-pcd-1455-btp-safer-journeys.md"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    """A one-document store (its own: validation writes its cache beside it)."""
    folder = tmp_path_factory.mktemp("one-doc")
    (folder / "docs").mkdir()
    shutil.copy(EXAMPLES / DOC, folder / "docs" / DOC)
    store = Store(folder / "store")
    build([str(folder / "docs")], store)
    store.flush()
    del store
    return folder / "store"


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


# ------------------------------------------------------------------------------ exit statuses

def test_exit_0_when_the_store_conforms(store_path: Path):
    result = run("--store", str(store_path))
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output and "conforms" in result.output


def test_exit_3_when_a_file_has_a_violation():
    result = run(str(FIXTURES / "organisation-name-fail.ttl"))
    assert result.exit_code == 3, result.output
    assert "organisation-name" in result.output and "violation" in result.output


def test_exit_3_on_warnings_only_when_asked():
    warned = str(FIXTURES / "decision-without-date-fail.ttl")
    assert run(warned).exit_code == 0
    result = run(warned, "--fail-on", "warning")
    assert result.exit_code == 3, result.output
    assert "does not conform (fails on warning)" in result.output and "decision-without-date" in result.output


def test_exit_3_on_infos_only_when_asked(store_path: Path):
    assert run("--store", str(store_path), "--fail-on", "warning").exit_code == 0
    assert run("--store", str(store_path), "--fail-on", "info").exit_code == 3


def test_exit_1_on_a_file_that_is_not_rdf(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    result = run(str(bad))
    assert result.exit_code == 1
    assert "bad.ttl" in result.output and "cannot parse" in result.output


def test_exit_1_on_a_missing_file_or_an_unknown_format(tmp_path: Path):
    assert run(str(tmp_path / "missing.ttl")).exit_code == 1
    other = tmp_path / "data.csv"
    other.write_text("a,b\n", encoding="utf-8")
    result = run(str(other))
    assert result.exit_code == 1 and "unknown RDF format" in result.output


def test_exit_1_on_bad_shapes(tmp_path: Path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path", encoding="utf-8")
    result = run("--shapes", str(shapes), str(FIXTURES / "organisation-name-pass.ttl"))
    assert result.exit_code == 1 and "shapes.ttl" in result.output


def test_exit_1_when_there_is_no_store(tmp_path: Path):
    result = run("--store", str(tmp_path / "nowhere"))
    assert result.exit_code == 1 and "no store" in result.output


def test_exit_2_on_usage_errors(store_path: Path):
    both = run("--store", str(store_path), str(FIXTURES / "organisation-name-pass.ttl"))
    assert both.exit_code == 2 and "not both" in both.output
    assert run("--store", str(store_path), "--summary", "--format", "turtle").exit_code == 2
    assert run("--store", str(store_path), "--fail-on", "error").exit_code == 2


# ------------------------------------------------------------------------------ output formats

def test_text_groups_by_decision_and_severity_with_values_and_quotes(store_path: Path):
    lines = run("--store", str(store_path)).output.splitlines()
    heading = lines.index(next(line for line in lines if line.startswith("PCD 1455")))
    assert DOC in lines[heading]
    assert lines[heading + 1] == "  info"
    flows = [line for line in lines if line.startswith("      - value: id:decision/pcd-1455/money/")]
    assert flows and all('quote: "£' in line for line in flows)


def test_json_lists_every_result(store_path: Path):
    result = run("--store", str(store_path), "--format", "json")
    data = json.loads(result.output)
    assert data["conforms"] is True and data["fail_on"] == "violation"
    assert len(data["results"]) == sum(data["counts"].values()) > 0
    first = data["results"][0]
    assert {"check", "severity", "message", "focus", "value", "quote", "decisions", "document"} <= set(first)
    assert first["document"] == DOC


def test_turtle_is_a_shacl_validation_report(store_path: Path):
    text = run("--store", str(store_path), "--format", "turtle", "--fail-on", "info").output
    report = Graph().parse(data=text, format="turtle")
    node = next(report.subjects(RDF.type, SH.ValidationReport))
    assert report.value(node, SH.conforms).toPython() is False
    results = list(report.objects(node, SH.result))
    assert results
    for row in results:
        assert report.value(row, SH.focusNode) is not None
        assert report.value(row, SH.resultSeverity) in (SH.Violation, SH.Warning, SH.Info)
        assert report.value(row, SH.sourceShape) is not None and report.value(row, SH.resultMessage)


def test_summary_counts_checks_per_decision(store_path: Path):
    data = json.loads(run("--store", str(store_path), "--summary", "--format", "json").output)
    (decision,) = [d for d in data["per_decision"] if d["identifier"] == "PCD 1455"]
    assert decision["passing"] == data["checks"] - len(decision["failing"])
    assert sum(row["problems"] for row in data["overall"]["failing"]) > 0
    assert data["overall"]["passing"] == data["checks"] - len(data["overall"]["failing"])
    text = run("--store", str(store_path), "--summary").output
    assert "Completeness summary" in text and f"{decision['passing']}/{data['checks']} checks pass" in text


# ------------------------------------------------------------------------------ input formats

@pytest.mark.parametrize("fmt, suffix", [("turtle", ".ttl"), ("ntriples", ".nt"), ("nquads", ".nq"),
                                         ("trig", ".trig"), ("jsonld", ".jsonld")])
def test_reads_every_rdf_format(store_path: Path, tmp_path: Path, fmt: str, suffix: str):
    out = tmp_path / f"export{suffix}"
    Store(store_path, read_only=True).export(out, fmt)
    expected = json.loads(run("--store", str(store_path), "--format", "json").output)["counts"]
    result = run(str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["counts"] == expected
