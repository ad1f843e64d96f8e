"""Commands that make the graph: build, facts, export-rdf."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from kg.cli.base import STORE_OPTION, errors, main

PROGRESS_MIN = 20


@main.command()
@click.argument("sources", nargs=-1, required=True)
@STORE_OPTION
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Extract in this many parallel processes.")
@click.option("--force", is_flag=True, help="Rebuild documents even when unchanged.")
@click.option("--validate", is_flag=True,
              help="Also validate each new document graph against the bundled shapes as it is built, "
                   "and keep the results: `kg validate` then only runs the whole-store checks.")
@click.option("--answers", is_flag=True,
              help="Then compute and keep the answers of every saved question (default parameters) and "
                   "view, so the first `kg query` or `kg export` reads them back.")
@errors
def build(sources: tuple[str, ...], store_path: str, jobs: int, force: bool, validate: bool, answers: bool) -> None:
    """Read SOURCES (files, folders, globs) into the store and print a summary."""
    from kg.pipeline import build as run_build
    from kg.store import open_store

    with open_store(store_path) as store, _progress(sources) as tick:
        report = run_build(list(sources), store, jobs=jobs, progress=tick, force=force, validate=validate)
        total = len(store)
    for failure in report.failures:
        click.echo(f"error: {failure}", err=True)
    click.echo(f"documents: {report.documents} ({report.unchanged} unchanged), decisions: "
               f"{report.decisions}, facts: {report.facts}, triples written: {report.triples}, "
               f"triples in store: {total}, failures: {len(report.failures)}")
    if answers:
        from kg.pipeline import prepare_answers

        started = time.perf_counter()
        count = prepare_answers(store_path, jobs)
        click.echo(f"answers kept: {count} saved questions and views, in {time.perf_counter() - started:.1f} s")
    if validate:
        found = report.findings
        click.echo(f"validated: {report.validated} new document graphs, {found['violation']} violations, "
                   f"{found['warning']} warnings, {found['info']} infos (kg validate adds the whole-store "
                   "checks and shows them)")
    if not report.ok:
        sys.exit(1)


class _progress:
    """A progress bar on stderr for long runs; silent for short ones."""

    def __init__(self, sources: tuple[str, ...]) -> None:
        from kg.ingest import collect_sources

        self.count = len(collect_sources(list(sources))[0])
        self.bar = None

    def __enter__(self):
        if self.count >= PROGRESS_MIN:
            self.bar = click.progressbar(length=self.count, label="building", file=sys.stderr)
            self.bar.__enter__()
            return lambda _key: self.bar.update(1)
        return None

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@main.command()
@click.argument("sources", nargs=-1)
@click.option("--store", "store_path", default=None, type=click.Path(file_okay=False),
              help="Read facts from this store (default: build SOURCES in memory).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for one FACTS_FORMAT JSON file per document.")
@errors
def facts(sources: tuple[str, ...], store_path: str | None, out_dir: str) -> None:
    """Write what the graph holds as FACTS_FORMAT JSON, one file per document."""
    from kg.facts import write_facts
    from kg.pipeline import build as run_build
    from kg.store import Store

    if not sources and not store_path:
        raise click.UsageError("give SOURCES to read, or --store to read a built store")
    store = Store(store_path, read_only=not sources) if store_path else Store(None)
    failures = run_build(list(sources), store).failures if sources else []
    for failure in failures:
        click.echo(f"error: {failure}", err=True)
    written = write_facts(store, Path(out_dir))
    click.echo(f"wrote {len(written)} file(s) to {out_dir}")
    if failures:
        sys.exit(1)


@main.command("export-rdf")
@STORE_OPTION
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(["turtle", "nquads", "trig", "ntriples", "jsonld"]))
@click.option("--out", "out", default="-", show_default=True, help="File to write ('-' for stdout).")
@errors
def export_rdf(store_path: str, fmt: str, out: str) -> None:
    """Write the whole graph as RDF (quads formats keep one named graph per document)."""
    from kg.store import Store

    store = Store(store_path, read_only=True)
    if out == "-":
        store.export(sys.stdout.buffer, fmt)
    else:
        store.export(out, fmt)
        click.echo(f"wrote {out}", err=True)

