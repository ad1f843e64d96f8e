"""Expand the SOURCES a user names (files, folders, globs) into documents to read."""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf")
GLOB_CHARS = "*?["


@dataclass(frozen=True)
class Source:
    """A file to read and its key: the path relative to the folder or glob that named it."""

    path: Path
    key: str


def collect_sources(specs: list[str]) -> tuple[list[Source], list[InputError]]:
    """Files, folders (recursive) and globs -> sources in a stable order, plus problems.

    A folder contributes only files with a supported suffix; a file named
    explicitly is always tried. A spec that matches nothing is a problem, not a
    crash, so the rest of the batch still goes through.
    """
    found: dict[str, Source] = {}
    problems: list[InputError] = []
    for spec in specs:
        sources = _expand(spec)
        if not sources:
            problems.append(InputError(spec, "no such file, folder or matching glob"))
        for src in sources:
            found.setdefault(str(src.path.resolve()), src)
    return sorted(found.values(), key=lambda s: (s.key, str(s.path))), problems


def _expand(spec: str) -> list[Source]:
    path = Path(spec)
    if any(ch in spec for ch in GLOB_CHARS):
        base = _glob_base(spec)
        matches = sorted(Path(p) for p in glob.glob(spec, recursive=True))
        return [Source(m, _relative_key(m, base)) for m in matches if m.is_file()]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _supported(p))
        return [Source(f, _relative_key(f, path)) for f in files]
    if path.exists():
        return [Source(path, path.name)]
    return []


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith(".")


def _glob_base(spec: str) -> Path:
    parts = []
    for part in Path(spec).parts:
        if any(ch in part for ch in GLOB_CHARS):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def _relative_key(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.name
