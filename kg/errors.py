"""One error hierarchy for the whole package.

Library code raises these; the CLI turns them into click errors in one place
(`kg.cli`), so every message a user sees is a single line naming the file and
the problem.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error kg reports to a user."""

    exit_code = 1


class InputError(KgError):
    """A source document could not be read or holds no decision."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def __reduce__(self):
        """Picklable, so that worker processes of `kg build --jobs` can report it."""
        return (InputError, (self.path, self.problem))


class StoreError(KgError):
    """The store could not be opened, read or written."""


class QueryError(KgError):
    """A saved query is unknown, malformed or got bad parameters."""


class ValidationSetupError(KgError):
    """Shapes or data to validate could not be loaded."""


class ExportError(KgError):
    """A view could not be built or written."""


class RemoteError(KgError):
    """A remote SPARQL server refused or failed a request."""
