"""pyshacl, set up once and run on many data graphs.

pyshacl.validate() parses and indexes the shapes graph anew on every call, and re-reads it for
every shape it evaluates. Validating thousands of small document graphs, that overhead is most of
the cost, so this module builds pyshacl's ShapesGraph once, keeps only the shapes that have
targets, memoises look-ups in the (unchanging) shapes graph, and runs the shapes directly. It uses
pyshacl classes below its public entry point; if they are not there (another pyshacl version),
it falls back to pyshacl.validate(), which gives the same report more slowly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from rdflib import Graph
from rdflib.paths import Path as PropertyPath

Runner = Callable[[Graph], Graph]  # data graph -> SHACL validation report graph
log = logging.getLogger(__name__)


class FrozenGraph(Graph):
    """A graph that memoises triple-pattern look-ups once frozen (for a shapes graph nobody changes)."""

    _memo: dict | None = None

    def freeze(self) -> FrozenGraph:
        self._memo = {}
        return self

    def add(self, triple):
        self._memo = {} if self._memo is not None else None
        return super().add(triple)

    def remove(self, triple):
        self._memo = {} if self._memo is not None else None
        return super().remove(triple)

    def triples(self, triple):
        memo = self._memo
        if memo is None or isinstance(triple[1], PropertyPath):
            yield from super().triples(triple)
            return
        found = memo.get(triple)
        if found is None:
            found = memo[triple] = tuple(super().triples(triple))
        yield from found


def make_runner(shapes: Graph) -> Runner:
    """The fastest runner this pyshacl allows."""
    try:
        return _direct_runner(shapes)
    except (ImportError, AttributeError, TypeError) as exc:
        log.info("pyshacl internals unavailable (%s); using pyshacl.validate", exc)
        return _public_runner(shapes)


def _public_runner(shapes: Graph) -> Runner:
    import pyshacl

    def run(data: Graph) -> Graph:
        return pyshacl.validate(data, shacl_graph=shapes, inplace=True)[1]
    return run


def _direct_runner(shapes: Graph) -> Runner:
    from pyshacl.graph_abstraction import DataGraph
    from pyshacl.pytypes import SHACLExecutor
    from pyshacl.shapes_graph import ShapesGraph
    from pyshacl.validator import Validator

    _fast_parameter_lookup()
    frozen = FrozenGraph()
    frozen.addN((s, p, o, frozen) for s, p, o in shapes)  # one call, not 2,000 add() events
    shapes_graph = ShapesGraph(frozen)  # adds a few system triples, so freeze after
    frozen.freeze()
    targeted = [s for s in shapes_graph.shapes if any(s.target())]

    def run(data: Graph) -> Graph:
        executor = SHACLExecutor()
        target = DataGraph.from_rdflib_graph(data)
        reports, conforms = [], True
        for shape in targeted:
            ok, found = shape.validate(executor, target)
            conforms = conforms and ok
            reports.extend(found)
        return Validator.create_validation_report(shapes_graph, conforms, reports)[0]
    return run


class _SetList(list):
    """A list whose membership test is a set look-up (same contents, same behaviour otherwise)."""

    def __init__(self, items) -> None:
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item) -> bool:
        return item in self._members


def _fast_parameter_lookup() -> None:
    """pyshacl tests every predicate of a shape for membership in a 40-item list, per evaluation;
    give that list set look-ups. Only the container changes: pyshacl sees the same items."""
    import pyshacl.shape as shape_module
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    current = getattr(shape_module, "CONSTRAINT_PARAMS", None)
    if current is None or not isinstance(current[0], _SetList):
        shape_module.CONSTRAINT_PARAMS = (_SetList(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)
