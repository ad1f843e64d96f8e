"""The only place IRIs are minted.

IRIs are stable and readable: the same fact from the same input always gets the
same IRI, so rebuilding never duplicates nodes. Legislation uses
legislation.gov.uk identifier URIs; everything else lives under BASE.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/kg-decisions/"
ID = BASE + "id/"

class CachedNamespace(Namespace):
    """An rdflib Namespace that makes each term once (rdflib builds a new URIRef per access)."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = super().__getattr__(name)
        self.__dict__[name] = term  # later look-ups find it without calling __getattr__
        return term


KG = CachedNamespace(BASE + "def#")
ELI = CachedNamespace("http://data.europa.eu/eli/ontology#")
ORG = CachedNamespace("http://www.w3.org/ns/org#")
PROV = CachedNamespace("http://www.w3.org/ns/prov#")
SCHEMA = CachedNamespace("https://schema.org/")
OA = CachedNamespace("http://www.w3.org/ns/oa#")
TIME = CachedNamespace("http://www.w3.org/2006/time#")
FOAF = CachedNamespace("http://xmlns.com/foaf/0.1/")
SKOS = CachedNamespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = CachedNamespace("http://purl.org/dc/terms/")
WD = Namespace("http://www.wikidata.org/entity/")
LEG_ID = "http://www.legislation.gov.uk/id/"

PREFIXES = {
    "kg": KG, "eli": ELI, "org": ORG, "prov": PROV, "schema": SCHEMA, "oa": OA,
    "time": TIME, "foaf": FOAF, "skos": SKOS, "dcterms": DCTERMS,
}


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: 'PCD 1532' -> 'pcd-1532'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9.]+", "-", text.lower()).strip("-.")
    return re.sub(r"-{2,}", "-", text) or "x"


def decision(reference: str, scope: str | None = None) -> URIRef:
    """'PCD 1532' -> .../decision/pcd-1532. Codes only unique within one body ('44/2020')
    are scoped by that body: .../decision/pcc-surrey/44-2020."""
    key = slug(reference.replace("/", " "))
    return URIRef(f"{ID}decision/{slug(scope)}/{key}" if scope else f"{ID}decision/{key}")


def document(content_hash: str) -> URIRef:
    return URIRef(f"{ID}document/{content_hash}")


def graph_for(source_key: str) -> URIRef:
    """The named graph holding everything extracted from one source document."""
    return URIRef(f"{ID}graph/{slug(source_key)}")


def organisation(key: str) -> URIRef:
    return URIRef(f"{ID}org/{slug(key)}")


def person(name: str) -> URIRef:
    return URIRef(f"{ID}person/{slug(name)}")


def post(role: str) -> URIRef:
    return URIRef(f"{ID}post/{slug(role)}")


def money_flow(decision_iri: str, content_hash: str, index: int) -> URIRef:
    """Scoped by document too: two documents stating one decision keep their own flows."""
    return URIRef(f"{decision_iri}/money/{content_hash[:8]}-{index}")


def monetary_amount(flow_iri: URIRef) -> URIRef:
    return URIRef(f"{flow_iri}/amount")


def evidence(content_hash: str, index: int) -> URIRef:
    return URIRef(f"{ID}document/{content_hash}/evidence/{index}")


def quote(content_hash: str, start: int, end: int) -> URIRef:
    """A span of a source document, by its character offsets in the source file."""
    return URIRef(f"{ID}document/{content_hash}/quote/{start}-{end}")


def selector(quote_iri: URIRef) -> URIRef:
    return URIRef(f"{quote_iri}/selector")


def financial_year(start_year: int) -> URIRef:
    """UK government financial years run 1 April to 31 March: '2023/24' -> .../2023-24."""
    return URIRef(f"{ID}financial-year/{start_year}-{(start_year + 1) % 100:02d}")


def instant(iso_date: str) -> URIRef:
    return URIRef(f"{ID}date/{iso_date}")


def legislation(legislation_id: str) -> URIRef:
    return URIRef(LEG_ID + legislation_id.strip("/"))


def unresolved_legislation(title: str) -> URIRef:
    return URIRef(f"{ID}legislation/{slug(title)}")


def provision(instrument: URIRef, parts: tuple[tuple[str, str], ...]) -> URIRef:
    """legislation.gov.uk style: .../ukpga/2011/13/schedule/3/paragraph/7."""
    path = "/".join(f"{kind}/{slug(num)}" if kind else slug(num) for kind, num in parts)
    return URIRef(f"{instrument}/{path}")


def scheme(key: str) -> URIRef:
    return URIRef(f"{ID}scheme/{slug(key)}")


def clause(scheme_iri: URIRef, kind: str, number: str) -> URIRef:
    return URIRef(f"{scheme_iri}/{slug(kind)}/{slug(number)}")


def flow_kind(kind: str) -> URIRef:
    return KG[f"flow-{slug(kind)}"]
