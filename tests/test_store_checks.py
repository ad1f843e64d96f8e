"""Whole-store checks rerun for only what changed give what a full run gives.

Each step edits a store of small hand-written document graphs in a way that adds or removes a
cross-document finding (a cited decision described or no longer described, two documents
disagreeing on a date), validates with the kept results, and compares with a run from scratch.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.store import Store
from kg.validate import validate_store
from kg.validation.store_checks import MAX_CHANGED

KG = "https://w3id.org/kg-decisions/def#"
ID = "https://w3id.org/kg-decisions/id/"


def document(name: str, decision: str, date: str = "2020-01-01", cites: tuple[str, ...] = (),
             version: str = "1") -> str:
    """TriG for one document graph: a document, the decision it records, what that decision cites."""
    cited = "".join(f" ; kg:relatedDecision <{ID}decision/{c}>" for c in cites)
    also = "".join(f'<{ID}decision/{c}> dcterms:identifier "{c.upper()}" . ' for c in cites)
    return f"""
PREFIX kg: <{KG}>
PREFIX dcterms: <http://purl.org/dc/terms/>
GRAPH <{ID}graph/{name}> {{
  <{ID}document/{name}> kg:contentHash "{name}-{version}" .
  <{ID}decision/{decision}> kg:sourceDocument <{ID}document/{name}> ; dcterms:identifier "{decision.upper()}" ;
      kg:dateSigned "{date}"{cited} .
  {also}
}}"""


def put(store: Store, trig: str) -> None:
    import pyoxigraph as ox

    for graph in {q.graph_name for q in ox.parse(trig, format=ox.RdfFormat.TRIG)}:
        store.oxigraph.remove_graph(graph)
    store.oxigraph.load(trig, format=ox.RdfFormat.TRIG)


def remove(store: Store, name: str) -> None:
    store.remove_graph(f"{ID}graph/{name}")


def store_findings(store: Store) -> tuple[list, str]:
    """The whole-store results of a run with the kept results, and how the checks were run."""
    report = validate_store(store, jobs=1)
    return report.store_results, report.store_rerun


def from_scratch(store: Store) -> list:
    return validate_store(store, jobs=1, use_cache=False).store_results


def checks_of(results) -> list[tuple[str, str, str | None]]:
    return sorted((r.check, r.focus, r.value) for r in results)


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    put(store, document("a", "a", cites=("b", "x")))
    put(store, document("b", "b", cites=("c",)))
    found, how = store_findings(store)
    assert how == "full"
    assert checks_of(found) == [("related-decision-missing", f"<{ID}decision/a>", f"<{ID}decision/x>"),
                                ("related-decision-missing", f"<{ID}decision/b>", f"<{ID}decision/c>")]
    return store


EDITS = {
    "a cited decision gets its document": lambda s: put(s, document("c", "c")),
    "a cited decision loses its document": lambda s: remove(s, "b"),
    "a document cites something else": lambda s: put(s, document("a", "a", cites=("y",), version="2")),
    "two documents disagree on a date": lambda s: put(s, document("b2", "b", date="2021-05-05")),
    "a document is renamed": lambda s: (remove(s, "b"), put(s, document("b-new", "b", cites=("c",)))),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_rerun_for_what_changed_equals_a_full_run(store: Store, edit: str):
    before = checks_of(store_findings(store)[0])
    EDITS[edit](store)
    found, how = store_findings(store)
    assert how.endswith("focus nodes")
    assert found == from_scratch(store)
    if edit != "a document is renamed":
        assert checks_of(found) != before, "each edit should change what the checks find"


def test_edits_in_a_row_stay_equal_to_a_full_run(store: Store):
    for edit in sorted(EDITS):
        EDITS[edit](store)
        found, how = store_findings(store)
        assert how.endswith("focus nodes")
        assert found == from_scratch(store), edit


def test_nothing_changed_reuses_the_kept_results(store: Store):
    assert store_findings(store) == (from_scratch(store), "kept")


def test_quotes_of_unchanged_findings_are_kept(store: Store):
    quoted = [r.replace(quote="as kept") for r in store_findings(store)[0]]
    from kg.validation.cache import load_cache

    cache = load_cache(store.path)
    state = cache.store_state()
    state.results = quoted
    cache.keep_store("stale", state)
    from kg.validation.cache import save_cache

    save_cache(store.path, cache)
    put(store, document("c", "c"))  # reaches b and c, not a
    found, _ = store_findings(store)
    assert [r.quote for r in found if r.focus == f"<{ID}decision/a>"] == ["as kept"]


def test_many_changes_run_the_checks_in_full(store: Store):
    for i in range(MAX_CHANGED + 1):
        put(store, document(f"n{i}", f"n{i}"))
    assert store_findings(store)[1] == "full"


def test_a_check_that_does_not_say_what_it_reads_is_rerun_in_full(store: Store, tmp_path: Path):
    import shutil

    from kg.resources import SHAPES_DIR

    shapes = tmp_path / "shapes"
    shutil.copytree(SHAPES_DIR, shapes)
    checks = shapes / "store-checks" / "cross-document.ttl"
    text = checks.read_text(encoding="utf-8")
    checks.write_text(text.replace("kgsh:reads kg:dateSigned ;", ""), encoding="utf-8")
    validate_store(store, shapes=shapes, jobs=1)
    put(store, document("b2", "b", date="2021-05-05"))
    report = validate_store(store, shapes=shapes, jobs=1)
    assert report.store_rerun.endswith("focus nodes")
    assert [r.check for r in report.store_results].count("decision-conflicting-dates") == 1
    assert report.store_results == validate_store(store, shapes=shapes, jobs=1, use_cache=False).store_results
