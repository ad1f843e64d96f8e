"""Commands that take the graph elsewhere or make test data: serve, push, generate."""

from __future__ import annotations

import signal
from pathlib import Path

import click

from kg.cli.base import STORE_OPTION, errors, main


@main.command()
@STORE_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the graph to your network.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0: any free port).")
@click.option("--timeout", "timeout_s", default=30, show_default=True, type=click.IntRange(1, 86400),
              help="Seconds a query may run before the server cancels it.")
@errors
def serve(store_path: str, host: str, port: int, timeout_s: int) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint until Ctrl-C.

    Queries go to http://HOST:PORT/query (GET or POST); updates are refused.
    The server reads a snapshot taken at start, so 'kg build' may run meanwhile.
    """
    from kg.serve import is_loopback, serve_store

    if not is_loopback(host):
        click.echo(f"warning: serving on {host}, not loopback: anyone who can reach it can query the graph",
                   err=True)
    server = serve_store(store_path, host, port, timeout_s)
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        click.echo(f"SPARQL endpoint: {server.query_url} (read-only, {timeout_s} s query timeout; "
                   f"Ctrl-C to stop)", err=True)
        code = server.wait()
        if code:
            click.echo(f"error: the server stopped with exit code {code}: {server.log_tail()}", err=True)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(_signum, _frame) -> None:
    """SIGTERM stops the server the same way Ctrl-C does, so its snapshot is removed."""
    raise KeyboardInterrupt


@main.command()
@STORE_OPTION
@click.option("--endpoint", required=True, help="The server's SPARQL query URL.")
@click.option("--graph-store", "graph_store", default=None,
              help="Graph Store Protocol URL (e.g. Oxigraph …/store, Fuseki …/data); else SPARQL Update is used.")
@click.option("--update", "update_url", default=None,
              help="SPARQL Update URL when it is not the query URL (Oxigraph …/update, GraphDB …/statements).")
@click.option("--user", default=None, help="User name (HTTP Basic or Digest, as the server asks).")
@click.option("--password", default=None, envvar="KG_PUSH_PASSWORD", help="Password (or set KG_PUSH_PASSWORD).")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(1), help="Seconds per request.")
@click.option("--force", is_flag=True, help="Send every document graph, even those the server has unchanged.")
@click.option("--dry-run", is_flag=True, help="Only say what would be sent and deleted.")
@errors
def push(store_path: str, endpoint: str, graph_store: str | None, update_url: str | None, user: str | None,
         password: str | None, timeout: float, force: bool, dry_run: bool) -> None:
    """Load the graph into a SPARQL 1.1 server, one named graph per document.

    Later pushes send only documents whose content changed and delete the
    graphs of documents no longer in the store. After 'kg build --force'
    (same documents, new extractor) use --force.
    """
    from kg.push import Target
    from kg.push import push as run_push
    from kg.store import Store

    if (user is None) != (password is None):
        raise click.UsageError("give both --user and --password, or neither")
    target = Target(endpoint, graph_store, update_url, (user, password) if user else None, timeout)
    report = run_push(Store(store_path, read_only=True), target, force=force, dry_run=dry_run)
    verb = "would send" if dry_run else "sent"
    click.echo(f"{verb} {report.sent} document graph(s) ({report.triples} triples), "
               f"{'would delete' if dry_run else 'deleted'} {report.deleted}, unchanged {report.unchanged}")


@main.command()
@click.argument("count", type=click.IntRange(1, 10_000_000))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write: documents into OUT/docs/, gold facts into OUT/gold/.")
@click.option("--seed", default=1, show_default=True, help="Same seed, same documents.")
@errors
def generate(count: int, out_dir: str, seed: int) -> None:
    """Write COUNT synthetic decision documents with their gold facts (for tests and benchmarks).

    Score kg on them: kg facts OUT/docs --out PRED; python score.py --gold OUT/gold --pred PRED
    """
    from kg.synth import write_corpus

    docs, gold = write_corpus(count, seed, Path(out_dir))
    click.echo(f"wrote {count} document(s) to {docs} and their gold facts to {gold}")
