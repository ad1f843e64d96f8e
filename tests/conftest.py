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
    assert report.documents == 34 and not report.failures, report.failures
    return store
