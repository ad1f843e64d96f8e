"""Build: ingest -> extract -> graph -> store, one document at a time.

A document that cannot be read or holds no decision is reported and skipped;
the rest of the batch goes through, and nothing already stored is touched for
it. An unchanged document (same key, same content hash) is not rebuilt: it is
read and hashed, never extracted.

With `jobs` > 1 the documents are processed in worker processes, which send
back each graph as N-Quads bytes; the main process loads them in batches, in
source order, so the store ends up the same as with one process. Each graph's
content hash is written last (see Store.load_documents), so a build that dies
half way leaves no graph that looks built but is not.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from kg import iris
from kg.errors import InputError
from kg.extract import extract_decisions
from kg.graph import document_statements, to_rdflib
from kg.ingest import Source, collect_sources, read_document
from kg.store import Store, sealed_nquads

Progress = Callable[[str], None]
BATCH_TRIPLES = 100_000  # triples per bulk load
CHUNK_MAX = 32           # documents per task sent to a worker process
OPTIMIZE_AFTER = 500_000  # triples written by one build above which the store is compacted


@dataclass
class Built:
    """One document's outcome: its graph as N-Quads, that it is unchanged, or the one-line problem."""

    source: Source
    nquads: bytes = b""   # the document graph but its content hash ...
    seal: bytes = b""     # ... which is loaded last
    triples: int = 0
    content_hash: str | None = None
    decisions: int = 0
    facts: int = 0
    unchanged: bool = False
    error: InputError | None = None
    results: list | None = None   # per-document validation results, with --validate
    graph: list | None = None     # the rdflib triples, only while validating in the worker




@dataclass
class BuildReport:
    documents: int = 0
    unchanged: int = 0
    decisions: int = 0
    facts: int = 0
    triples: int = 0
    failures: list[InputError] = field(default_factory=list)
    validated: int = 0
    findings: Counter = field(default_factory=Counter)  # severity -> results, with --validate

    @property
    def ok(self) -> bool:
        return not self.failures


def process(source: Source, known_hash: str | None = None, keep_graph: bool = False) -> Built:
    """Read, extract and make the graph of one source (runs in worker processes).

    A document whose content hash is `known_hash` (already in the store) is not extracted.
    With keep_graph, the built document also holds its rdflib triples (to validate them).
    """
    try:
        doc = read_document(source)
        if doc.content_hash == known_hash:
            return Built(source, content_hash=known_hash, unchanged=True)
        decisions = extract_decisions(doc)
    except InputError as exc:
        return Built(source, error=exc)
    made = document_statements(doc, decisions)
    body, seal, count = sealed_nquads(str(iris.graph_for(source.key)), made.triples)
    return Built(source, body, seal, count, doc.content_hash, len(decisions), made.facts,
                 graph=to_rdflib(made.triples) if keep_graph else None)


def build(specs: list[str], store: Store, jobs: int = 1, progress: Progress | None = None,
          force: bool = False, validate: bool = False) -> BuildReport:
    """Build SOURCES into the store: changed and new documents replaced whole, unchanged ones skipped.

    With validate, each new graph is also validated against the bundled shapes where it was made
    (no store read-back) and the results kept, so `kg validate` afterwards only runs the
    whole-store checks."""
    sources, problems = collect_sources(specs)
    report = BuildReport(failures=list(problems))
    known = store.document_graphs()
    hashes = {} if force else {graph: digest for graph, (_key, digest) in known.items()}
    batch = _Batch(store)
    unchanged: list[str] = []
    validated: dict[str, tuple[str, list]] = {}
    for built in _run(sources, jobs, hashes, validate):
        if progress:
            progress(built.source.key)
        if built.error:
            report.failures.append(built.error)
            continue
        report.documents += 1
        if built.unchanged:
            report.unchanged += 1
            unchanged.append(str(iris.graph_for(built.source.key)))
            continue
        report.decisions += built.decisions
        report.facts += built.facts
        report.triples += built.triples
        batch.add(built)
        if built.results is not None:
            validated[str(iris.graph_for(built.source.key))] = (built.content_hash, built.results)
            report.findings.update(r.severity for r in built.results)
    batch.flush()
    if validated:
        _remember(store, validated, report)
    _count_unchanged(store, unchanged, report)
    store.flush()
    if report.triples >= OPTIMIZE_AFTER:
        store.optimize()  # bulk loads leave many small files; compacted, queries run 2-3x faster
    return report


class _Batch:
    """Document graphs waiting to be loaded together (one bulk load, then their seals)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.bodies: list[bytes] = []
        self.seals: list[bytes] = []
        self.graphs: list[str] = []
        self.size = 0

    def add(self, built: Built) -> None:
        self.bodies.append(built.nquads)
        self.seals.append(built.seal)
        self.graphs.append(str(iris.graph_for(built.source.key)))
        self.size += built.triples
        if self.size >= BATCH_TRIPLES:
            self.flush()

    def flush(self) -> None:
        if self.graphs:
            self.store.load_documents(self.graphs, b"".join(self.bodies), b"".join(self.seals))
        self.bodies, self.seals, self.graphs, self.size = [], [], [], 0


def _count_unchanged(store: Store, graphs: list[str], report: BuildReport) -> None:
    """Decisions and facts of documents not rebuilt, read back from their stored graphs."""
    if not graphs:
        return
    wanted = set(graphs)
    for row in store.select("SELECT ?g (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d a kg:Decision ; "
                            "kg:sourceDocument ?doc } } GROUP BY ?g"):
        if row["g"].value in wanted:
            report.decisions += int(row["n"].value)
    for row in store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e rdf:subject ?s } } GROUP BY ?g"):
        if row["g"].value in wanted:
            report.facts += int(row["n"].value)


def _process_many(work: list[tuple[Source, str | None]], validate: bool = False) -> list[Built]:
    """Worker side: a chunk of documents per task, so the cost of a round trip (and of a
    validation run) is shared."""
    done = [process(source, known, keep_graph=validate) for source, known in work]
    made = [b for b in done if b.graph is not None]
    if made:
        from kg.validate import validate_built  # only when asked: it sets up pyshacl

        found = validate_built([(str(iris.graph_for(b.source.key)), b.graph) for b in made])
        for b in made:
            b.results, b.graph = found[str(iris.graph_for(b.source.key))], None
    return done


def _remember(store: Store, validated: dict[str, tuple[str, list]], report: BuildReport) -> None:
    from kg.validate import remember

    remember(store, validated)
    report.validated = len(validated)


def _run(sources: list[Source], jobs: int, hashes: dict[str, str], validate: bool = False) -> Iterator[Built]:
    """Built documents in source order; in parallel, with a bounded number of chunks in flight."""
    work = [(source, hashes.get(str(iris.graph_for(source.key)))) for source in sources]
    if jobs <= 1 or len(sources) < 2:
        for i in range(0, len(work), CHUNK_MAX):
            yield from _process_many(work[i:i + CHUNK_MAX], validate)
        return
    # the first in this process: loads the registries, patterns and shapes the workers inherit
    yield from _process_many(work[:1], validate)
    work = work[1:]
    size = max(1, min(CHUNK_MAX, len(work) // (jobs * 4)))
    chunks = iter([work[i:i + size] for i in range(0, len(work), size)])
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = deque(pool.submit(_process_many, chunk, validate) for chunk in islice(chunks, jobs * 3))
        while pending:
            results = pending.popleft().result()
            following = next(chunks, None)
            if following is not None:
                pending.append(pool.submit(_process_many, following, validate))
            yield from results


def prepare_answers(store_path: str | Path, jobs: int = 1) -> int:
    """Compute and keep (kg.answers) the answer of every saved question, with its default
    parameters, and of every view, so the first ask after a build is as quick as the next.

    Runs after the build has closed the store: each question opens it read-only, in `jobs`
    processes. Returns how many answers were computed."""
    from kg.queries import saved_queries
    from kg.views import view_names

    work = [("query", q.name) for q in saved_queries()] + [("view", name) for name in view_names()]
    if jobs <= 1:
        for kind, name in work:
            _answer_one(str(store_path), kind, name)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(_answer_one, [str(store_path)] * len(work), *zip(*work, strict=True)))
    return len(work)


def _answer_one(store_path: str, kind: str, name: str) -> None:
    from kg.queries import load_query, run
    from kg.views import build_view

    store = Store(store_path, read_only=True)
    if kind == "view":
        build_view(store, name)
    else:
        run(load_query(name), {}, store=store)
