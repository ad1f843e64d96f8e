"""kg build --jobs N: parallel extraction gives exactly the store one process gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.pipeline import build
from kg.store import Store
from kg.synth import write_corpus


def quads(store: Store) -> set[str]:
    return {str(q) for q in store.oxigraph.quads_for_pattern(None, None, None, None)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """40 synthetic documents, the bundled examples, and files that fail, in one folder."""
    from tests.conftest import EXAMPLES

    root = tmp_path_factory.mktemp("jobs")
    docs, _gold = write_corpus(40, 21, root)
    for path in (EXAMPLES / "docs").iterdir():
        shutil.copy(path, docs / path.name)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "no-decision.txt").write_text("Opening hours of the library.", encoding="utf-8")
    return docs


def test_two_processes_build_the_same_quads_as_one(corpus, tmp_path):
    serial, parallel = Store(tmp_path / "one"), Store(tmp_path / "two")
    one = build([str(corpus)], serial, jobs=1)
    two = build([str(corpus)], parallel, jobs=2)
    assert (one.documents, one.decisions, one.facts, one.triples) == (two.documents, two.decisions, two.facts,
                                                                      two.triples)
    assert sorted(map(str, one.failures)) == sorted(map(str, two.failures)) and len(one.failures) == 2
    assert one.documents == len(list(corpus.iterdir())) - 2
    assert quads(serial) == quads(parallel) and len(serial) == one.triples


def test_a_parallel_rebuild_skips_unchanged_documents_and_replaces_a_changed_one(corpus, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    serial, parallel = Store(tmp_path / "one"), Store(tmp_path / "two")
    build([str(docs)], serial, jobs=1)
    first = build([str(docs)], parallel, jobs=2)
    changed = sorted(docs.glob("*.txt"))[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA late note.\n", encoding="utf-8")
    again_one = build([str(docs)], serial, jobs=1)
    again_two = build([str(docs)], parallel, jobs=2)
    good = len(list(docs.iterdir())) - 2
    assert again_two.unchanged == again_one.unchanged == good - 1 and again_two.documents == good
    assert (again_two.decisions, again_two.facts) == (first.decisions, first.facts) == (again_one.decisions,
                                                                                         again_one.facts)
    assert quads(serial) == quads(parallel)
    assert len(parallel.document_graphs()) == good


def test_cli_jobs_prints_the_same_summary(corpus, tmp_path):
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "2"):
        result = runner.invoke(main, ["build", str(corpus), "--store", str(tmp_path / jobs), "--jobs", jobs])
        assert result.exit_code == 1  # two documents fail, the rest go in
        outputs.append([line for line in result.output.splitlines() if line.startswith(("documents:", "error:"))])
    assert outputs[0] == outputs[1] and "failures: 2" in outputs[0][-1]
