"""Shared test fixtures: the bundled examples, the real seed documents, built stores."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
SEED_GOLD = SHARED / "eval" / "gold" / "seeds"
SCORER = SHARED / "eval" / "score.py"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five real decisions in ../shared (absent in a user's clone: those tests skip)."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not beside this checkout (only CI and developers have it)")
    return SEEDS


@pytest.fixture(scope="session")
def examples_store(tmp_path_factory):
    """A store built once from the bundled example documents (read it, don't write it)."""
    from kg.pipeline import build
    from kg.store import Store

    store = Store(tmp_path_factory.mktemp("examples") / "store")
    report = build([str(EXAMPLES / "docs")], store)
    assert report.documents == 249 and not report.failures, report.failures
    return store


QUERY_GRAPH = ROOT / "tests" / "fixtures" / "queries" / "graph.trig"


def load_query_graph(path: Path | None):
    """A store holding the small hand-written graph of the saved-query tests (in memory if no path)."""
    import pyoxigraph as ox

    from kg.store import Store

    store = Store(path)
    store.oxigraph.load(path=str(QUERY_GRAPH), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def query_store_dir(tmp_path_factory) -> Path:
    """An on-disk store of the saved-query test graph, closed so commands can open it themselves."""
    path = tmp_path_factory.mktemp("query-graph") / "store"
    store = load_query_graph(path)
    store.flush()
    del store
    return path
