"""kg: published public-sector decisions in, a knowledge graph with provenance out."""

__version__ = "0.1.0"
