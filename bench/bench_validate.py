"""Bench: validating 10,000 generated decisions, per document graph, against one naive pyshacl call.

Prints figures, asserts nothing (run by `make bench`). The decisions are made here, through
kg.extract.model objects and kg.graph.document_graph, so the bench depends on no generator
elsewhere: one document per decision, shaped like the real ones (reference, title, date, maker,
2-4 amounts with funder and recipient, 2-5 citations to provisions of 100 Acts, 0-2 delegation
clauses, a related decision, 500 shared organisations), every fact with its evidence.

Environment: BENCH_DECISIONS (default 10000), BENCH_JOBS (default 2), BENCH_NAIVE_DECISIONS
(default 20; 0 skips it): the naive single pyshacl call runs the SHACL-SPARQL shapes once per
focus node (~8 ms each), which at 10,000 decisions would take hours, so it is measured on a
smaller store and scaled linearly (its cost is linear in focus nodes).
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402

from kg import iris  # noqa: E402
from kg.extract.model import Amount, Citation, Decision, Delegation, Org, Span, Text  # noqa: E402
from kg.graph import document_graph  # noqa: E402
from kg.ingest.model import SourceText  # noqa: E402
from kg.registries import legislation  # noqa: E402
from kg.store import Store, quads_of  # noqa: E402

KINDS = ("grant", "contract", "allocation", "budget", "spend", "income", "threshold", None)
PROVISION_KINDS = ("section", "schedule", "paragraph")
CLAUSES = ("4.8", "4.11", "4.13", "3.3", "2.1")
SCHEMES = (("mopac-scheme-of-consent-and-delegation", "MOPAC Scheme of Consent and Delegation"),
           ("gla-contracts-and-funding-code", "GLA Contracts and Funding Code"))


class _Text:
    """Builds a document text while handing out spans of the quotes it appends."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def quote(self, words: str) -> Span:
        start = self.length + 1
        self.parts.append(" " + words)
        self.length = start + len(words)
        return Span(start, self.length, words)

    def text(self) -> str:
        return "".join(self.parts)


def _orgs(rng: random.Random, count: int = 500) -> list[Org]:
    return [Org(f"synthetic-org-{i}", f"Synthetic Organisation {i}") for i in range(count)]


def _acts(count: int = 100) -> list[tuple[str, str]]:
    acts = [(i.legislation_id, i.title) for i in legislation().instruments
            if i.legislation_id and i.kind == "act"]
    return acts[:count]


def _decision(i: int, rng: random.Random, orgs: list[Org], acts, t: _Text) -> Decision:
    ref = f"PCD {i}"
    d = Decision(reference=Text(ref, t.quote(ref)), issuer=orgs[0])
    d.title = Text(f"Synthetic decision {i} on community safety", t.quote(f"Synthetic decision {i}"))
    d.maker_name = Text(f"Person {i % 37}", t.quote(f"Person {i % 37}"))
    d.maker_role = Text("Deputy Mayor for Policing and Crime", t.quote("Deputy Mayor for Policing and Crime"))
    if rng.random() > 0.05:
        day = f"20{rng.randint(13, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        d.date_signed = Text(day, t.quote(day))
    for _ in range(rng.randint(2, 4)):
        value = Decimal(rng.choice((5_000, 25_000, 99_999, 100_000, 250_000, 1_200_000)))
        year = rng.randint(2015, 2024)
        funder = rng.choice(orgs) if rng.random() > 0.1 else None
        recipient = rng.choice(orgs) if rng.random() > 0.2 else None
        d.amounts.append(Amount(value, "GBP", t.quote(f"£{value:,}"), funder=funder, recipient=recipient,
                                period=f"{year}/{(year + 1) % 100:02d}", kind=rng.choice(KINDS)))
    for _ in range(rng.choice((0, 2, 3, 4, 5))):
        act_id, title = rng.choice(acts)
        path = ((rng.choice(PROVISION_KINDS), str(rng.randint(1, 200))),)
        d.citations.append(Citation(title, act_id, "act", path, t.quote(title)))
    for _ in range(rng.randint(0, 2)):
        key, name = rng.choice(SCHEMES)
        d.delegations.append(Delegation(key, name, "paragraph", rng.choice(CLAUSES), t.quote(name)))
    if i > 1:
        d.related.append(Text(f"PCD {rng.randint(1, i + 50)}", t.quote("earlier decision")))
    return d


def synthetic_graphs(start: int, stop: int, seed: int = 7):
    """(graph IRI, rdflib graph) for one-decision documents numbered start..stop-1."""
    rng = random.Random(seed * 1_000_003 + start)
    orgs, acts = _orgs(rng), _acts()
    for i in range(start, stop):
        t = _Text()
        decision = _decision(i, rng, orgs, acts, t)
        key = f"synthetic/pcd-{i:05d}.txt"
        text = t.text()
        doc = SourceText(key, key, hashlib.sha256(text.encode()).hexdigest()[:16], "text/plain", text)
        yield str(iris.graph_for(key)), document_graph(doc, [decision])


def _write_chunk(args: tuple[int, int, str]) -> str:
    start, stop, path = args
    with open(path, "wb") as out:
        ox.serialize(quads_of(synthetic_graphs(start, stop)), out, ox.RdfFormat.N_QUADS)
    return path


def build_store(path: Path, count: int, jobs: int = 2) -> Store:
    """A store on disk holding `count` generated one-decision documents: made in `jobs` processes,
    bulk-loaded (fast), then compacted as `kg build` leaves a large store (reads are ~1.5x slower
    from the many small files a bulk load leaves)."""
    step = max(1, -(-count // (jobs * 4)))
    chunks = [(start, min(start + step, count + 1), str(path.parent / f"chunk-{start}.nq"))
              for start in range(1, count + 1, step)]
    store = Store(path)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for done in pool.map(_write_chunk, chunks):
            store.oxigraph.bulk_load(path=done, format=ox.RdfFormat.N_QUADS)
            os.remove(done)
    store.flush()
    store.optimize()
    return store


def main() -> None:
    count = int(os.environ.get("BENCH_DECISIONS", "10000"))
    jobs = int(os.environ.get("BENCH_JOBS", "2"))
    naive_count = int(os.environ.get("BENCH_NAIVE_DECISIONS", "20"))
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-validate-"))
    try:
        t0 = time.perf_counter()
        store = build_store(folder / "store", count, jobs)
        took = time.perf_counter() - t0
        print(f"generated {count} decisions, one document each: {len(store)} triples ({took:.0f} s)")
        cold = _timed(store, jobs, f"validate {count} decisions, nothing cached, {jobs} processes")
        _timed(store, jobs, "validate again, nothing changed")
        _change_one(store, count)
        _timed(store, jobs, "validate after changing one document")
        if naive_count:
            _compare_naive(folder, naive_count, count, cold)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _timed(store: Store, jobs: int, label: str) -> float:
    """Wall time of one validate_store call, and the CPU time it took in this process and in its
    workers: on a machine other people are using too, CPU / cores is what it would take alone."""
    from kg.validate import validate_store

    cpu0, t0 = _cpu(), time.perf_counter()
    report = validate_store(store, jobs=jobs)
    took, cpu = time.perf_counter() - t0, _cpu() - cpu0
    counts = ", ".join(f"{n} {k}s" for k, n in report.counts().items())
    print(f"{label}: {took:.2f} s ({report.revalidated} document graphs validated; {counts})")
    print(f"    CPU {cpu:.1f} s ({cpu / max(jobs, 1):.1f} s on {jobs} idle cores); "
          + ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items()))
    return took


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _change_one(store: Store, count: int) -> None:
    """Rebuild one document with different content, as `kg build` would after an edit."""
    rng = random.Random(99)
    t = _Text()
    decision = _decision(count // 2, rng, _orgs(rng), _acts(), t)
    key = f"synthetic/pcd-{count // 2:05d}.txt"
    text = t.text() + " edited"
    doc = SourceText(key, key, hashlib.sha256(text.encode()).hexdigest()[:16], "text/plain", text)
    store.replace_graph(iris.graph_for(key), document_graph(doc, [decision]))
    store.flush()


def _compare_naive(folder: Path, naive_count: int, count: int, ours: float) -> None:
    """One pyshacl.validate over the union graph with every shape, Core and SHACL-SPARQL, as a first
    attempt would do it: on `naive_count` decisions (it takes minutes), scaled to `count`."""
    small = folder / "naive-store"
    build_store(small, naive_count).flush()
    from kg.validate import validate_store

    t0 = time.perf_counter()
    validate_store(Store(small), jobs=2, use_cache=False)
    ours_small = time.perf_counter() - t0
    naive = _naive_seconds(small)
    scaled = naive * count / naive_count
    print(f"one naive pyshacl call on the union graph of {naive_count} decisions (all shapes): {naive:.1f} s; "
          f"per document as here: {ours_small:.1f} s ({naive / ours_small:.0f}x)")
    print(f"naive at {count} decisions, scaled linearly: ~{scaled:.0f} s; ratio to this run: ~{scaled / ours:.0f}x")


def _naive_seconds(path: Path) -> float:
    """Run in a child process so its memory goes back when it ends."""
    code = ("import sys, time, pyshacl; sys.path.insert(0, '.');"
            "from kg.store import Store; from kg.validation.shapes import naive_shapes_graph;"
            f"g = Store({str(path)!r}, read_only=True).graph(); s = naive_shapes_graph();"
            "t = time.perf_counter(); pyshacl.validate(g, shacl_graph=s, inplace=True);"
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    return float(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
