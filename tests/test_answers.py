"""Kept answers (kg.answers): read back on an unchanged store, never once the store changed."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from kg import answers, queries
from kg.pipeline import build
from kg.store import Store
from tests.conftest import EXAMPLES

DOCS = sorted((EXAMPLES / "docs").iterdir())


@pytest.fixture()
def store_dir(tmp_path):
    """An on-disk store of three example documents, closed."""
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for doc in DOCS[:3]:
        shutil.copy(doc, corpus / doc.name)
    path = tmp_path / "store"
    store = Store(path)
    assert build([str(corpus)], store).documents == 3
    store.close()
    return path


def ask(path, name="class-counts", **params):
    return queries.run(queries.load_query(name), params, store=Store(path, read_only=True))


def kept_files(path):
    return sorted((path / answers.ANSWERS_DIR).glob("*/*.answer"))


def counting_select(monkeypatch) -> list:
    """Replace the engine call with one that records each time it runs."""
    calls = []
    real = queries.select

    def spy(store, sparql, bindings=None):
        calls.append(sparql)
        return real(store, sparql, bindings)

    monkeypatch.setattr(queries, "select", spy)
    return calls


def test_an_answer_asked_again_is_read_back_not_recomputed(store_dir, monkeypatch):
    calls = counting_select(monkeypatch)
    first = ask(store_dir)
    assert len(kept_files(store_dir)) == 1 and len(calls) == 1
    again = ask(store_dir)
    assert len(calls) == 1, "the second ask ran the query"
    assert again == first
    assert all(isinstance(t, ox.Literal) for _c, rows in [again] for row in rows for t in row.values())


def test_every_kind_of_term_comes_back_as_it_went_in(store_dir):
    first = ask(store_dir, "money-by-funder-year")      # IRIs, plain and typed literals, unbound cells
    assert ask(store_dir, "money-by-funder-year") == first
    terms = {type(t) for row in first[1] for t in row.values()}
    assert {ox.NamedNode, ox.Literal} <= terms


def test_parameters_are_part_of_the_key(store_dir):
    everyone = ask(store_dir, "top-funders")
    big = ask(store_dir, "top-funders", min_total="1000000000000")
    assert len(kept_files(store_dir)) == 2
    assert everyone[1] and not big[1]
    assert ask(store_dir, "top-funders") == everyone


def test_a_change_to_the_store_retires_every_kept_answer(store_dir, tmp_path):
    before = ask(store_dir)
    old_folders = {p.parent for p in kept_files(store_dir)}
    more = tmp_path / "more"
    more.mkdir()
    shutil.copy(DOCS[3], more / DOCS[3].name)
    store = Store(store_dir)
    build([str(more)], store)
    del store
    after = ask(store_dir)
    counts = lambda answer: {r["kind"].value: int(r["count"].value) for r in answer[1]}  # noqa: E731
    assert counts(after)["source documents"] == counts(before)["source documents"] + 1
    assert {p.parent for p in kept_files(store_dir)}.isdisjoint(old_folders), "old answers were not removed"


def test_nothing_is_kept_when_the_store_changes_while_asking(store_dir, monkeypatch):
    reader = Store(store_dir, read_only=True)
    writer = Store(store_dir)          # a build opening the store meanwhile starts a new log file
    writer.oxigraph.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"),
                                ox.NamedNode("urn:x:g")))
    writer.flush()
    queries.run(queries.load_query("class-counts"), {}, store=reader)
    assert kept_files(store_dir) == []


def test_stores_in_memory_or_open_for_writing_keep_nothing(store_dir, monkeypatch):
    calls = counting_select(monkeypatch)
    writable = Store(store_dir)
    for _ in range(2):
        queries.run(queries.load_query("class-counts"), {}, store=writable)
    assert len(calls) == 2 and kept_files(store_dir) == []
    assert Store(None).snapshot is None


def test_an_unreadable_kept_answer_is_computed_again(store_dir, monkeypatch):
    first = ask(store_dir)
    (path,) = kept_files(store_dir)
    path.write_bytes(b"{not json")
    calls = counting_select(monkeypatch)
    assert ask(store_dir) == first and len(calls) == 1


def test_views_keep_their_answers_too(store_dir, monkeypatch):
    from kg.views import build_view

    graph = build_view(Store(store_dir, read_only=True), "money")
    calls = counting_select(monkeypatch)
    monkeypatch.setattr("kg.views.select", queries.select)
    again = build_view(Store(store_dir, read_only=True), "money")
    assert not calls and sorted(again.edges(data=True)) == sorted(graph.edges(data=True))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_build_with_answers_keeps_every_question_and_view(tmp_path, monkeypatch, jobs):
    from click.testing import CliRunner

    from kg.cli import main
    from kg.views import view_names

    corpus = tmp_path / "docs"
    corpus.mkdir()
    for doc in DOCS[:2]:
        shutil.copy(doc, corpus / doc.name)
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["build", str(corpus), "--store", str(store), "--answers", "--jobs", jobs])
    assert result.exit_code == 0, result.output
    expected = len(queries.saved_queries()) + len(view_names())
    assert f"answers kept: {expected} saved questions and views" in result.output
    assert len(kept_files(store)) == expected
    calls = counting_select(monkeypatch)
    asked = CliRunner().invoke(main, ["query", "top-funders", "--store", str(store), "--format", "csv"])
    assert asked.exit_code == 0 and asked.output.startswith("funder,") and not calls


def test_opening_for_writing_without_writing_keeps_the_answers(store_dir, monkeypatch):
    """`kg serve` opens the store for writing to snapshot it; that is not a change."""
    first = ask(store_dir)
    Store(store_dir).close()
    calls = counting_select(monkeypatch)
    assert ask(store_dir) == first and not calls


def test_the_file_layout_round_trips_every_kind_of_term_and_rejects_a_torn_file(tmp_path):
    variables = ["iri", "text", "missing"]
    rows = [
        {"iri": ox.NamedNode("https://example.org/a"), "text": ox.Literal("chat", language="fr"), "missing": None},
        {"iri": ox.BlankNode("b1"), "text": ox.Literal("12", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), "missing": ox.Literal("plain")},
        {"iri": ox.NamedNode("https://example.org/a"), "text": ox.Literal("chat", language="fr"), "missing": None},
    ]
    path = tmp_path / "answers" / "snap" / "k.answer"
    answers._write(path, (variables, rows))
    assert answers._read(path) == (variables, rows)
    path.write_bytes(path.read_bytes()[:-2])          # half a cell: not an answer
    assert answers._read(path) is None
