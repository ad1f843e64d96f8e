"""The kg command line: each command parses options and calls one library function.

Commands live in the modules of this package, one module per concern; each
registers its commands on the `main` group in kg.cli.base when imported.
"""

from __future__ import annotations

import importlib
import pkgutil

from kg.cli.base import main

__all__ = ["main"]

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")
