"""`kg stats`: counts per kind, top funders, recipients and legal powers, validation status."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.stats import collect, render, validation_status
from kg.store import Store


@pytest.fixture(scope="module")
def store_dir(query_store_dir) -> Path:
    return query_store_dir


def test_collect(store_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "kg.validate", None)          # as if validation were not there yet
    stats = collect(Store(store_dir, read_only=True), top=3)
    counts = dict(stats.counts)
    assert counts["decisions"] == 4 and counts["money flows"] == 11 and counts["organisations"] == 8
    assert counts["evidence annotations"] == 8 and counts["source documents"] == 3
    assert stats.top_funders == [("Department for Education", "1200000", 1), ("Greater London Authority", "790000", 2),
                                 ("Home Office", "700000", 2)]
    assert [name for name, _, _ in stats.top_recipients] == [
        "Greater London Authority", "Greenfold Training Ltd", "Mayor's Office for Policing and Crime"]
    assert stats.top_powers[:2] == [("Equality Act 2010", 2, 2),
                                    ("Police Reform and Social Responsibility Act 2011", 2, 1)]
    assert stats.validation is None and stats.validation_note == "not available"


def test_cli_table_without_validation(store_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "kg.validate", None)
    result = CliRunner().invoke(main, ["stats", "--store", str(store_dir), "--top", "2"])
    assert result.exit_code == 0, result.output
    out = result.output
    for heading in ("What the graph holds", "Top funders", "Top recipients", "Most cited legal powers"):
        assert heading in out
    assert "validation: not available" in out
    funders = out.split("Top funders")[1].split("Top recipients")[0]
    assert "Department for Education" in funders and "Home Office" not in funders     # --top 2
    assert any(line.split()[-1] == "11" and line.startswith("money flows") for line in out.splitlines())


def test_cli_shows_validation_status(store_dir, monkeypatch):
    fake = types.ModuleType("kg.validate")
    fake.status = lambda store: {"documents": 3, "validated": 3, "conforms": False, "violations": 2,
                                 "warnings": 1, "infos": 0}
    monkeypatch.setitem(sys.modules, "kg.validate", fake)
    result = CliRunner().invoke(main, ["stats", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "Validation: does not conform" in result.output
    section = result.output.split("Validation: does not conform")[1]
    assert [line.split() for line in section.strip().splitlines()[2:]] == [
        ["documents", "3"], ["validated", "3"], ["violations", "2"], ["warnings", "1"], ["infos", "0"]]


def test_a_failing_validation_does_not_crash_stats(monkeypatch):
    from kg.errors import ValidationSetupError

    fake = types.ModuleType("kg.validate")

    def status(store):
        raise ValidationSetupError("shapes/kg.ttl: cannot read")

    fake.status = status
    monkeypatch.setitem(sys.modules, "kg.validate", fake)
    assert validation_status(None) == (None, "failed (shapes/kg.ttl: cannot read)")


def test_render_with_an_empty_store(monkeypatch):
    monkeypatch.setitem(sys.modules, "kg.validate", None)
    stats = collect(Store(None))
    text = render(stats)
    assert "Top funders\n(none)" in text
    assert dict(stats.counts) == {}
