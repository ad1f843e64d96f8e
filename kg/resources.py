"""Where the data folders (ontology/, shapes/, queries/) live.

They sit at the top of the repository so that users can read and extend them;
the package finds them relative to itself, whether run from a checkout or an
editable install.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"
