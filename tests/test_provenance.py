"""Every fact in the graph points at the exact quote in its source that states it."""

from __future__ import annotations

import html
from pathlib import Path

from kg.ingest import Source, read_document
from kg.store import Store

ROOT = Path(__file__).resolve().parent.parent

EVIDENCE = """
SELECT ?s ?p ?o ?key ?exact ?start ?end WHERE {
  ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; oa:hasTarget ?t .
  ?t oa:hasSource ?doc ; oa:hasSelector ?sel .
  ?doc kg:sourceKey ?key .
  ?sel oa:exact ?exact ; oa:start ?start ; oa:end ?end .
}"""

FACT_PREDICATES = ["dcterms:identifier", "dcterms:title", "kg:hasMoneyFlow", "kg:citesLegislation",
                   "kg:reliesOnDelegation", "kg:relatedDecision", "kg:funder", "kg:recipient"]


def test_every_evidence_quote_is_the_source_text_at_its_offsets(examples_store: Store):
    rows = examples_store.select(EVIDENCE)
    assert len(rows) > 500
    checked = 0
    for row in rows:
        key = row["key"].value
        if not key.endswith((".txt",)):
            continue  # Markdown and HTML quotes come from cleaned text; their offsets are checked below
        source = (ROOT / "examples" / "docs" / key).read_text(encoding="utf-8")
        start, end = int(row["start"].value), int(row["end"].value)
        assert source[start:end] == row["exact"].value, (key, start, end)
        checked += 1
    assert checked > 300


def test_pdf_quotes_are_the_text_layer_at_their_offsets(examples_store: Store):
    rows = [r for r in examples_store.select(EVIDENCE) if r["key"].value.endswith(".pdf")]
    assert len({r["key"].value for r in rows}) == 2
    for row in rows:
        path = ROOT / "examples" / "docs" / row["key"].value
        text = read_document(Source(path, path.name)).text
        start, end = int(row["start"].value), int(row["end"].value)
        assert text[start:end] == row["exact"].value


def test_markup_sources_have_quotes_starting_at_their_offsets(examples_store: Store):
    rows = [r for r in examples_store.select(EVIDENCE) if r["key"].value.endswith((".md", ".html"))]
    assert rows
    for row in rows:
        source = (ROOT / "examples" / "docs" / row["key"].value).read_text(encoding="utf-8")
        start, exact = int(row["start"].value), row["exact"].value
        first_word = exact.split()[0]
        at = html.unescape(source[start:start + len(first_word) + 20])  # '&pound;86,400' reads '£86,400'
        assert at.startswith(first_word), (row["key"].value, exact)


def test_every_fact_has_evidence(examples_store: Store):
    for predicate in FACT_PREDICATES:
        missing = examples_store.select(f"""
            SELECT ?s ?o WHERE {{
              ?s {predicate} ?o . {{ ?s kg:sourceDocument ?doc }} UNION {{ ?s a kg:MoneyFlow }}
              FILTER NOT EXISTS {{ ?ev rdf:subject ?s ; rdf:predicate {predicate} ; rdf:object ?o }}
              FILTER NOT EXISTS {{ ?s a kg:Decision . ?s kg:hasMoneyFlow ?f . ?f {predicate} ?o }}
            }} LIMIT 5""")
        assert not missing, (predicate, missing)
