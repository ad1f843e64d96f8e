"""Validation of the knowledge graph against the SHACL shapes in shapes/.

Split by cost: SHACL Core shapes run in pyshacl one document graph at a time (each graph
is self-contained), in parallel processes, with results cached per document; SHACL-SPARQL
shapes (completeness, compliance and cross-document checks) run as one query each over the
whole store on pyoxigraph. kg.validate is the entry point; docs/validation.md explains it.
"""
