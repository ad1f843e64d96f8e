"""The validate command: check the store, or RDF files, against the SHACL shapes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.base import errors, main

FORMATS = ("text", "json", "turtle")
LEVELS = ("violation", "warning", "info")
NOT_CONFORMING = 3


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--store", "store_path", default=None, type=click.Path(file_okay=False),
              help="Validate this store (default: kg-store, when no FILES are given).")
@click.option("--shapes", "shapes", default=None, type=click.Path(),
              help="Shapes file or folder to use instead of the bundled shapes/.")
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(FORMATS),
              help="text for people, json for programs, turtle for the SHACL validation report graph.")
@click.option("--fail-on", "fail_on", default="violation", show_default=True, type=click.Choice(LEVELS),
              help="Exit with status 3 when a result has this severity or a worse one.")
@click.option("--summary", is_flag=True, help="Print the completeness summary instead of every result.")
@click.option("--jobs", "-j", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Validate document graphs in this many processes.")
@click.option("--no-cache", is_flag=True, help="Revalidate every document, ignoring kept results.")
@errors
def validate(files: tuple[str, ...], store_path: str | None, shapes: str | None, fmt: str, fail_on: str,
             summary: bool, jobs: int, no_cache: bool) -> None:
    """Validate the store, or RDF FILES (Turtle, N-Triples, N-Quads, TriG, JSON-LD), against the shapes.

    Exit status: 0 conforms, 3 does not conform (a result at --fail-on severity or worse),
    1 error (unreadable file, bad shapes, no store), 2 usage error.
    """
    from kg.store import DEFAULT_STORE, Store
    from kg.validate import describe, load_file, validate_store
    from kg.validation import render

    if files and store_path:
        raise click.UsageError("give FILES or --store, not both")
    if summary and fmt == "turtle":
        raise click.UsageError("--summary prints text or json, not turtle")
    if files:
        store = Store(None)
        for path in files:
            load_file(store.oxigraph, Path(path))
    else:
        store = Store(store_path or DEFAULT_STORE, read_only=True)
    report = validate_store(store, shapes=shapes, jobs=jobs, use_cache=not no_cache)
    if fmt != "turtle":
        describe(store, report)
    if summary:
        data = render.summary(report)
        click.echo(render.render_summary_text(data) if fmt == "text" else render.render_summary_json(data), nl=False)
    else:
        click.echo({"text": render.render_text, "json": render.render_json,
                    "turtle": render.render_turtle}[fmt](report, fail_on), nl=False)
    if not report.conforms(fail_on):
        sys.exit(NOT_CONFORMING)
