"""The click group, shared options, and the one place library errors become click errors."""

from __future__ import annotations

import functools

import click

from kg.errors import KgError

STORE_OPTION = click.option("--store", "store_path", default="kg-store", show_default=True,
                            type=click.Path(file_okay=False), help="Folder of the embedded store.")


class KgClickError(click.ClickException):
    """A one-line error with the library error's exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def errors(fn):
    """Turn library errors (KgError) into one-line click errors with their exit codes."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except KgError as exc:
            raise KgClickError(str(exc), exc.exit_code) from exc
    return wrapper


@click.group()
@click.version_option(package_name="kg")
def main() -> None:
    """kg: published public-sector decisions in, a knowledge graph with provenance out."""
