"""Commands that ask the graph: query (saved questions), export (NetworkX views), stats."""

from __future__ import annotations

import click

from kg.cli.base import STORE_OPTION, errors, main

RESULT_FORMATS = ["table", "csv", "tsv", "json"]
EXPORT_FORMATS = ["graphml", "gexf", "cytoscape", "json", "dot", "csv"]


@main.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter value, bound as an RDF term (repeat for more).")
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(RESULT_FORMATS),
              help="table for reading; csv, tsv, json: the SPARQL 1.1 result formats.")
@STORE_OPTION
@click.option("--endpoint", metavar="URL", help="Ask this SPARQL endpoint instead of the store.")
@click.option("--user", envvar="KG_ENDPOINT_USER", help="User name for the endpoint [env KG_ENDPOINT_USER].")
@click.option("--password", envvar="KG_ENDPOINT_PASSWORD", help="Password for the endpoint [env KG_ENDPOINT_PASSWORD].")
@click.option("--timeout", default=30.0, show_default=True, type=float, help="Seconds to wait for the endpoint.")
@click.option("--list", "list_queries", is_flag=True, help="List the saved questions and their parameters.")
@errors
def query(name: str | None, params: tuple[str, ...], fmt: str, store_path: str, endpoint: str | None,
          user: str | None, password: str | None, timeout: float, list_queries: bool) -> None:
    """Answer a saved question: NAME from queries/ (see --list) or a FILE.rq with a header."""
    from kg.formats import format_results
    from kg.queries import answer, describe, parse_assignments, saved_queries

    if list_queries:
        click.echo("\n\n".join(describe(q) for q in saved_queries()))
        return
    if not name:
        raise click.UsageError("give a saved question's NAME or a FILE.rq (see 'kg query --list')")
    if password and not user:
        raise click.UsageError("--password needs --user")
    columns, rows = answer(name, parse_assignments(params), store_path=store_path, endpoint=endpoint,
                           auth=(user, password or "") if user else None, timeout=timeout)
    click.echo(format_results(columns, rows, fmt), nl=False)
    if fmt == "table":
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)


@main.command()
@click.argument("view", required=False)
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS),
              help="graphml (yEd), gexf (Gephi), cytoscape (cytoscape.js JSON), json (node-link), dot "
                   "(Graphviz), csv (edge list). Default: from the --out suffix.")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="File to write.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the view's query, if it takes any.")
@STORE_OPTION
@click.option("--list", "list_views", is_flag=True, help="List the views.")
@errors
def export(view: str | None, fmt: str | None, out: str | None, params: tuple[str, ...], store_path: str,
           list_views: bool) -> None:
    """Write a NetworkX VIEW of the graph (money, citations, lineage, org-decision, all) to a file."""
    from kg.export import export_view
    from kg.queries import parse_assignments
    from kg.store import Store

    if list_views:
        from kg.views import load_view, view_names

        for name in view_names():
            click.echo(f"{name:14s} {load_view(name).title}")
        return
    if not view or not out:
        raise click.UsageError("give a VIEW and --out FILE (see 'kg export --list')")
    graph = export_view(Store(store_path, read_only=True), view, fmt, out, parse_assignments(params))
    click.echo(f"wrote {out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges", err=True)


@main.command()
@STORE_OPTION
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="How many funders, recipients and legal powers to show.")
@errors
def stats(store_path: str, top: int) -> None:
    """Counts per kind of thing, top funders, recipients and legal powers, and validation status."""
    from kg.stats import collect, render
    from kg.store import Store

    click.echo(render(collect(Store(store_path, read_only=True), top=top)), nl=False)
