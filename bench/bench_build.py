"""Benchmark: building 1,000 and 10,000 generated decisions (run by `make bench`; prints, asserts nothing).

Figures, each beside a baseline measured in the same run:
- extraction: documents per second per stage in one process (the baseline for `--jobs`), and the
  functions where extraction spends its time (cProfile);
- loading: triples per second into an on-disk store, N-Quads batches through Oxigraph's bulk loader
  (what `kg build` does) beside the rdflib-terms-to-pyoxigraph-quads path it replaced, and the same
  batches in transactions;
- whole builds through the CLI (`kg build --jobs 1` and `--jobs 2`): wall time, documents per second,
  speedup, peak memory of the largest process, and an incremental rebuild of unchanged documents.

The corpus and the 10,000-document store are kept in $KG_BENCH_DIR (default: /tmp/kg-bench) for
bench_serve.py. KG_BENCH_SIZES=200,600 runs the same steps on smaller corpora.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from kg import iris  # noqa: E402
from kg.extract import extract_decisions  # noqa: E402
from kg.graph import document_triples  # noqa: E402
from kg.ingest import collect_sources, read_document  # noqa: E402
from kg.store import Store, sealed_nquads, to_ox  # noqa: E402
from kg.synth import generate  # noqa: E402

WORK = Path(os.environ.get("KG_BENCH_DIR", Path(tempfile.gettempdir()) / "kg-bench"))
SEED = 1
SIZES = tuple(int(n) for n in os.environ.get("KG_BENCH_SIZES", "1000,10000").split(","))  # smaller: a quick try
SAMPLE = 300          # documents timed stage by stage in one process
PROFILED = 100        # documents profiled for hot spots
TARGET_BUILD_S = 60.0
LAST_CPU_S = 0.0


def corpus(n: int) -> Path:
    """WORK/docs-N: the first N generated documents (seed 1), written once and reused."""
    folder = WORK / f"docs-{n}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, text, _gold in generate(n, SEED):
            (folder / name).write_text(text, encoding="utf-8")
        marker.write_text(f"{n} {SEED}\n")
    return folder


def kg_command() -> list[str]:
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from kg.cli import main; main()"]


def run_measured(args: list[str]) -> tuple[float, float, str]:
    """Run a kg command: (wall seconds, peak RSS in MB of its largest process, last line of output).

    The CPU seconds it used (with its worker processes) are kept in LAST_CPU_S: on a shared machine
    they show what wall time would be with the cores to itself.
    """
    global LAST_CPU_S
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen([*kg_command(), *args], stdout=out, stderr=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        LAST_CPU_S = usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().decode().strip().splitlines()
    return elapsed, usage.ru_maxrss / 1024, lines[-1] if lines else f"exit {proc.returncode}"


def stages(folder: Path) -> tuple[list[tuple[str, bytes, bytes, int]], list[tuple[str, list]]]:
    """Time read, extract, graph and serialise over SAMPLE documents; keep their graphs for loading."""
    sources = collect_sources([str(folder)])[0][:SAMPLE]
    t0 = time.perf_counter()
    docs = [read_document(s) for s in sources]
    t1 = time.perf_counter()
    found = [extract_decisions(d) for d in docs]
    t2 = time.perf_counter()
    triples = [document_triples(d, f) for d, f in zip(docs, found, strict=True)]
    t3 = time.perf_counter()
    graphs = [str(iris.graph_for(s.key)) for s in sources]
    serialised = [(g, *sealed_nquads(g, t)) for g, t in zip(graphs, triples, strict=True)]
    t4 = time.perf_counter()
    n = len(sources)
    total = t4 - t0
    print(f"  one process, {n} documents: {n / total:6.1f} docs/s overall "
          f"(read {n / (t1 - t0):.0f}/s, extract {n / (t2 - t1):.1f}/s, graph {n / (t3 - t2):.0f}/s, "
          f"N-Quads {n / (t4 - t3):.0f}/s); extraction is {100 * (t2 - t1) / total:.0f}% of the time")
    return serialised, list(zip(graphs, triples, strict=True))


def hot_spots(folder: Path, top: int = 12) -> None:
    every = collect_sources([str(folder)])[0]
    sources = every[SAMPLE:SAMPLE + PROFILED] or every[:PROFILED]  # fresh texts: extraction caches per text
    docs = [read_document(s) for s in sources]
    profile = cProfile.Profile()
    profile.enable()
    for doc in docs:
        extract_decisions(doc)
    profile.disable()
    stats = pstats.Stats(profile)
    total = sum(v[2] for v in stats.stats.values())
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    print(f"  extraction hot spots ({len(docs)} documents, by own time; cumulative in brackets):")
    for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in rows:
        where = f"{Path(file).parent.name}/{Path(file).name}:{line} {func}" if line else func
        print(f"    {100 * tottime / total:5.1f}%  [{cumtime:5.2f} s]  {calls:>8} calls  {where}")


def loading(serialised: list[tuple[str, bytes, bytes, int]], graphs: list[tuple[str, list]]) -> None:
    count = sum(n for *_rest, n in serialised)

    def batched(store: Store) -> None:
        for i in range(0, len(serialised), 260):
            part = serialised[i:i + 260]
            store.load_documents([g for g, *_ in part], b"".join(b for _g, b, _s, _n in part),
                                 b"".join(s for _g, _b, s, _n in part))

    def transactions(store: Store) -> None:
        for i in range(0, len(serialised), 260):
            store.oxigraph.load(b"".join(b + s for _g, b, s, _n in serialised[i:i + 260]), ox.RdfFormat.N_QUADS)

    def quads_from_rdflib(store: Store) -> None:
        for g, triples in graphs:
            name = ox.NamedNode(g)
            store.oxigraph.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in triples])


    print(f"  loading {count:,} triples ({len(serialised)} documents) into an on-disk store:")
    for label, method in (("kg build: N-Quads batches, bulk-loaded, then each graph's seal", batched),
                          ("baseline: rdflib terms -> pyoxigraph quads, one transaction per document",
                           quads_from_rdflib),
                          ("reference: the same N-Quads batches in transactions", transactions)):
        folder = Path(tempfile.mkdtemp(dir=WORK))
        store = Store(folder)
        start = time.perf_counter()
        method(store)
        store.flush()
        elapsed = time.perf_counter() - start
        assert len(store) == count
        print(f"    {count / elapsed:9,.0f} triples/s  {label}")
        del store
        shutil.rmtree(folder)


def builds() -> None:
    print("  whole builds (kg build through the CLI, fresh on-disk store):")
    base_rate = None
    for n in SIZES:
        for jobs in ((1, 2) if n == SIZES[0] else (2,)):
            store = WORK / f"store-{n}" if jobs == 2 else WORK / f"store-{n}-serial"
            shutil.rmtree(store, ignore_errors=True)
            elapsed, peak, summary = run_measured(["build", str(corpus(n)), "--store", str(store), "--jobs", str(jobs)])
            rate = n / elapsed
            base_rate = rate if jobs == 1 else base_rate
            speed = f"{rate / base_rate:4.2f}x the one-process rate" if base_rate else ""
            print(f"    {n:>6} docs, --jobs {jobs}: {elapsed:7.1f} s  {rate:6.1f} docs/s  peak {peak:6.0f} MB  "
                  f"cpu {LAST_CPU_S:6.1f} s  {speed}")
            print(f"           {summary}")
            if jobs == 1:
                shutil.rmtree(store, ignore_errors=True)
        if n == SIZES[-1]:
            verdict = "met" if elapsed < TARGET_BUILD_S else "NOT met"
            print(f"    target: {n:,} documents in under {TARGET_BUILD_S:.0f} s -> {verdict} ({elapsed:.0f} s); "
                  f"one process would take about {n / base_rate:.0f} s at the measured rate")
            again, peak, summary = run_measured(["build", str(corpus(n)), "--store", str(store), "--jobs", "2"])
            print(f"    rebuild, all {n:,} unchanged: {again:6.1f} s  peak {peak:6.0f} MB  ({summary})")
            validating(n, elapsed)


def validating(n: int, plain: float) -> None:
    """The same build with --validate: what validating every graph where it is made adds."""
    store = WORK / f"store-{n}-validated"
    shutil.rmtree(store, ignore_errors=True)
    elapsed, peak, summary = run_measured(["build", str(corpus(n)), "--store", str(store), "--jobs", "2",
                                           "--validate"])
    print(f"    with --validate: {elapsed:7.1f} s  (+{elapsed - plain:.1f} s for {n:,} document graphs)  "
          f"peak {peak:6.0f} MB  cpu {LAST_CPU_S:6.1f} s")
    print(f"           {summary}")
    shutil.rmtree(store, ignore_errors=True)


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"bench_build: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, work folder {WORK}")
    start = time.perf_counter()
    big = corpus(SIZES[-1])
    corpus(SIZES[0])
    print(f"  generated corpus ready in {time.perf_counter() - start:.1f} s "
          f"({sum(p.stat().st_size for p in big.iterdir()) / SIZES[-1] / 1024:.1f} KB per document)")
    serialised, graphs = stages(big)
    hot_spots(big)
    loading(serialised, graphs)
    builds()
    print(f"bench_build: done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
