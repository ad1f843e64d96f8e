"""Every check in shapes/ has a fixture it passes and one it fails, and the engines agree with SHACL.

Fixtures are tests/fixtures/shapes/<check id>-pass.ttl and -fail.ttl (.trig for whole-store
checks, which need several graphs). A pass fixture must hold a node the check applies to, so it
cannot pass by having nothing to check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.util import from_n3

from kg.store import Store, from_ox
from kg.validate import load_file, validate_files
from kg.validation.shapes import KGSH, SH, bundled_shapes, core_graph, target_pattern

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
NAME = re.compile(r"^(?P<check>.+)-(?P<kind>pass|fail)\.(ttl|trig)$")
SHAPES = bundled_shapes()
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def _cases() -> list:
    cases = []
    for path in sorted(FIXTURES.iterdir()):
        match = NAME.match(path.name)
        if match:
            cases.append(pytest.param(match["check"], match["kind"], path, id=path.name))
    return cases


CASES = _cases()


def test_every_fixture_file_is_a_test_case():
    files = [p for p in FIXTURES.iterdir() if p.is_file()]
    assert len(CASES) == len(files), "a fixture file is named so that no test picks it up"


def test_every_check_has_one_passing_and_one_failing_fixture():
    found = sorted((case.values[0], case.values[1]) for case in CASES)
    expected = sorted((check, kind) for check in SHAPES.checks for kind in ("fail", "pass"))
    assert found == expected


@pytest.mark.parametrize("check, kind, path", CASES)
def test_fixture(check: str, kind: str, path: Path):
    results = [r for r in validate_files([path], jobs=1).results if r.check == check]
    if kind == "fail":
        assert results, f"{path.name}: {check} found nothing"
        assert {r.severity for r in results} == {SHAPES.checks[check].severity}
        assert all(r.message for r in results)
    else:
        assert not results, f"{path.name}: {[r.message for r in results]}"
        assert _focus_nodes(check, path) > 0, f"{path.name}: nothing in it for {check} to check"


def _focus_nodes(check: str, path: Path) -> int:
    """How many nodes of the fixture the check's targets select."""
    store = Store(None)
    load_file(store.oxigraph, path)
    spec = SHAPES.checks[check]
    if spec.engine == "core":
        pattern = target_pattern(core_graph(SHAPES), spec)
    else:
        pattern = next(c.target for c in SHAPES.sparql if c.check.id == check)
    rows = store.oxigraph.query(f"SELECT (COUNT(DISTINCT $this) AS ?n) WHERE {{ {pattern} }}",
                                use_default_graph_as_union=True)
    return int(next(iter(rows))["n"].value)


SPARQL_CASES = [c for c in CASES if SHAPES.checks[c.values[0]].engine != "core"]
CORE_CASES = [c for c in CASES if SHAPES.checks[c.values[0]].engine == "core"]


@pytest.mark.parametrize("check, kind, path", SPARQL_CASES)
def test_sparql_engine_finds_what_pyshacl_finds(check: str, kind: str, path: Path):
    """One query with $this joined to the targets gives the focus nodes that SHACL-SPARQL's
    pre-binding of $this gives (pyshacl, one query per focus node)."""
    ours = {r.focus for r in validate_files([path], jobs=1).results if r.check == check}
    assert ours == _pyshacl_focus(check, path, _shape_only(check))


@pytest.mark.parametrize("check, kind, path", CORE_CASES)
def test_core_runner_finds_what_pyshacl_validate_finds(check: str, kind: str, path: Path):
    """The set-up-once, flattened runner reports what plain pyshacl.validate reports."""
    ours = {(r.focus, _same(r.value)) for r in validate_files([path], jobs=1).results if r.check == check}
    shapes = Graph()
    for triple in SHAPES.graph:
        shapes.add(triple)
    for sparql in SHAPES.sparql:
        shapes.remove((sparql.check.node, None, None))
    theirs = _pyshacl_results(path, shapes, SHAPES.checks[check].node)
    assert ours == theirs


def _shape_only(check: str) -> Graph:
    """The one shape and the prefixes it declares, so that pyshacl runs only that check."""
    graph = Graph()
    for root in (SHAPES.checks[check].node, KGSH[""]):
        todo, seen = [root], set()
        while todo:
            subject = todo.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for p, o in SHAPES.graph.predicate_objects(subject):
                graph.add((subject, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
    return graph


def _data(path: Path) -> Graph:
    """The union of the fixture's graphs, as pyshacl would validate it in one call."""
    union = Graph()
    for quad in ox.parse(path=path, base_iri=path.resolve().as_uri()):
        union.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return union


def _pyshacl_focus(check: str, path: Path, shapes: Graph) -> set:
    return {focus for focus, _ in _pyshacl_results(path, shapes, SHAPES.checks[check].node)}


def _pyshacl_results(path: Path, shapes: Graph, node) -> set:
    report = pyshacl.validate(_data(path), shacl_graph=shapes)[1]
    found = set()
    for row in report.subjects(SH.sourceShape, node):
        value = report.value(row, SH.value)
        found.add((report.value(row, SH.focusNode).n3(), _same(value.n3()) if value is not None else None))
    return found


def _same(term: str | None):
    """A term to compare: literals by datatype and value ("0.0" and "0" are the same decimal, a
    plain string and an xsd:string the same string)."""
    node = from_n3(term) if term else None
    if isinstance(node, Literal):
        return (None if node.datatype == XSD_STRING else node.datatype, node.language, node.toPython())
    return node
