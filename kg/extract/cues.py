"""Loads the extraction cue files (kg/extract/*.yaml) once, compiled."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


@cache
def cues(name: str) -> dict:
    """The parsed cue file kg/extract/<name>.yaml."""
    return yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8")) or {}
