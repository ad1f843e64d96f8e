"""Facts -> triples. The only place triples are made.

Each document gets its own graph: its decisions, every fact about them, the
minimal description of every node they reference (names, titles, types), and
for every fact a Web Annotation pointing at the exact quote that states it.
Self-contained document graphs can be validated, replaced and pushed one by one.

Triples are made as N-Triples term text (an IRI '<...>', a literal '"..."^^<...>'),
not as rdflib terms: a document graph has ~300 triples, and at 10,000 documents
making rdflib literals and then writing them out again was a quarter of a build's
extraction time. `document_triples` gives rdflib terms for validation and tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef

from kg import iris, registries
from kg.extract.model import Amount, Citation, Decision, Delegation, Org, Span
from kg.ingest.model import SourceText
from kg.iris import DCTERMS, FOAF, KG, OA, ORG, PROV, SCHEMA, SKOS, TIME

INSTRUMENT_CLASS = {
    "act": KG.Act, "statutory_instrument": KG.StatutoryInstrument,
    "retained_eu_law": KG.RetainedEULaw, "convention": KG.Convention, "other": KG.OtherInstrument,
}
NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NT_UNESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\r": "\r"}
Triple = tuple[str, str, str]   # N-Triples text of subject, predicate and object


class Lit(str):
    """A literal, already written in N-Triples syntax (so the builder can tell it from an IRI)."""


def lit(text: str) -> Lit:
    """A plain string literal."""
    return Lit(f'"{text.translate(NT_ESCAPES)}"')


def typed(text: str, datatype: str) -> Lit:
    return Lit(f'"{text.translate(NT_ESCAPES)}"^^<{datatype}>')


@lru_cache(maxsize=65536)
def _int(value: int) -> Lit:
    """Offsets repeat across facts and documents."""
    return typed(str(value), XSD.integer)


TRUE, FALSE = typed("true", XSD.boolean), typed("false", XSD.boolean)


def _bool(value: bool) -> Lit:
    return TRUE if value else FALSE


def _nt(term: str) -> str:
    """An IRI (rdflib URIRef or str) or a Lit as N-Triples text."""
    return term if type(term) is Lit else f"<{term}>"


# the predicates and classes of provenance, which make up half of every graph
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = (f"<{t}>" for t in (RDF.type, RDF.subject, RDF.predicate, RDF.object))
_EVIDENCE, _HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR = (f"<{t}>" for t in (
    KG.Evidence, OA.hasTarget, OA.hasSource, OA.hasSelector))
_QUOTE_SELECTOR, _POSITION_SELECTOR, _EXACT, _START, _END = (f"<{t}>" for t in (
    OA.TextQuoteSelector, OA.TextPositionSelector, OA.exact, OA.start, OA.end))


class _TripleSet:
    """An insertion-ordered set of triples."""

    def __init__(self) -> None:
        self.triples: dict[Triple, None] = {}

    def add(self, triple: Triple) -> None:
        self.triples[triple] = None


@dataclass
class _Builder:
    doc: SourceText
    graph: _TripleSet = field(default_factory=_TripleSet)
    evidence_count: int = 0

    @property
    def doc_iri(self) -> URIRef:
        return iris.document(self.doc.content_hash)

    def add(self, s, p, o, evidence: Span | None = None) -> Triple:
        """Add a triple (IRIs as rdflib URIRefs, literals as Lit); with a span, also the
        annotation that says where the text states it."""
        triple = (f"<{s}>", f"<{p}>", _nt(o))
        self.graph.add(triple)
        if evidence is not None:
            self.annotate(triple, evidence)
        return triple

    def annotate(self, triple: Triple, where: Span) -> None:
        """The evidence for one fact: a kg:Evidence that is both the Web Annotation and the reified
        statement it supports, targeting the quote. Several facts stated by the same words share
        one quote node (a fact costs 5 triples, a quote 7, instead of 14 per fact)."""
        g = self.graph
        ev = f"<{iris.evidence(self.doc.content_hash, self.evidence_count)}>"
        self.evidence_count += 1
        s, p, o = triple
        g.add((ev, _TYPE, _EVIDENCE))
        g.add((ev, _SUBJECT, s))
        g.add((ev, _PREDICATE, p))
        g.add((ev, _OBJECT, o))
        g.add((ev, _HAS_TARGET, self.quote(where)))

    def quote(self, where: Span) -> str:
        """The target for a span of the source: the document and a selector with the exact words
        and their character offsets in the source file."""
        start, end = self.doc.source_offset(where.start), self.doc.source_offset(where.end)
        iri = iris.quote(self.doc.content_hash, start, end)
        target, selector = f"<{iri}>", f"<{iris.selector(iri)}>"
        g = self.graph
        if (target, _HAS_SELECTOR, selector) not in g.triples:
            g.add((target, _HAS_SOURCE, f"<{self.doc_iri}>"))
            g.add((target, _HAS_SELECTOR, selector))
            g.add((selector, _TYPE, _QUOTE_SELECTOR))
            g.add((selector, _TYPE, _POSITION_SELECTOR))
            g.add((selector, _EXACT, lit(where.quote)))
            g.add((selector, _START, _int(start)))
            g.add((selector, _END, _int(end)))
        return target


@dataclass
class Statements:
    """A document graph as N-Triples term text, and how many facts it states."""

    triples: list[Triple]
    facts: int


def document_statements(doc: SourceText, decisions: list[Decision]) -> Statements:
    """Every triple of one document's graph, in a stable order: what the build stores."""
    b = _Builder(doc)
    _document(b)
    for decision in decisions:
        _decision(b, decision)
    return Statements(list(b.graph.triples), b.evidence_count)


def document_triples(doc: SourceText, decisions: list[Decision]) -> list[tuple]:
    """Every triple of one document's graph as rdflib terms, in a stable order."""
    return to_rdflib(document_statements(doc, decisions).triples)


def to_rdflib(triples: list[Triple]) -> list[tuple]:
    return [(rdflib_term(s), rdflib_term(p), rdflib_term(o)) for s, p, o in triples]


@lru_cache(maxsize=65536)
def rdflib_term(text: str):
    """N-Triples term text (as made here) -> the rdflib term."""
    if text[0] == "<":
        return URIRef(text[1:-1])
    if text.startswith("_:"):
        return BNode(text[2:])
    close = text.rindex('"')
    lexical, rest = _unescape(text[1:close]), text[close + 1:]
    if rest.startswith("^^<"):
        return Literal(lexical, datatype=URIRef(rest[3:-1]))
    return Literal(lexical, lang=rest[1:]) if rest.startswith("@") else Literal(lexical)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _NT_UNESCAPES:
            out.append(_NT_UNESCAPES[pair])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def document_graph(doc: SourceText, decisions: list[Decision]) -> Graph:
    """The document's graph as an rdflib Graph (for validation, tests and export)."""
    graph = Graph()
    for prefix, ns in iris.PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in document_triples(doc, decisions):
        graph.add(triple)
    return graph


def _document(b: _Builder) -> None:
    d = b.doc_iri
    b.add(d, RDF.type, KG.SourceDocument)
    b.add(d, KG.contentHash, lit(b.doc.content_hash))
    b.add(d, KG.sourceKey, lit(b.doc.key))
    b.add(d, DCTERMS["format"], lit(b.doc.media_type))
    b.add(d, RDFS.label, lit(b.doc.key.rsplit("/", 1)[-1]))


def decision_iri(decision: Decision, scope: str | None) -> URIRef:
    return iris.decision(decision.reference.value, scope)


def _decision(b: _Builder, decision: Decision) -> None:
    node = decision_iri(decision, decision.scope)
    b.add(node, RDF.type, KG.Decision)
    b.add(node, KG.sourceDocument, b.doc_iri)
    b.add(node, DCTERMS.identifier, lit(decision.reference.value), decision.reference.span)
    if decision.issuer:
        b.add(node, KG.issuedBy, _org(b, decision.issuer))
    if decision.title:
        b.add(node, DCTERMS.title, lit(decision.title.value), decision.title.span)
    _maker(b, node, decision)
    if decision.date_signed:
        b.add(node, KG.dateSigned, typed(decision.date_signed.value, XSD.date),
              decision.date_signed.span)
    for i, amount in enumerate(decision.amounts):
        _money(b, node, decision, i, amount)
    for role, mention in decision.named_parties:
        b.add(node, KG.funder if role == "funder" else KG.recipient, _org(b, mention.org), mention.span)
    for citation in decision.citations:
        b.add(node, KG.citesLegislation, _legislation(b, citation), citation.span)
    for delegation in decision.delegations:
        b.add(node, KG.reliesOnDelegation, _clause(b, delegation), delegation.span)
    for rel in decision.related:
        other = iris.decision(rel.value, decision.scope if decision.scoped else None)
        b.add(other, RDF.type, KG.Decision)
        b.add(other, DCTERMS.identifier, lit(rel.value))
        b.add(node, KG.relatedDecision, other, rel.span)


def _maker(b: _Builder, node: URIRef, decision: Decision) -> None:
    post = None
    if decision.maker_role:
        post = iris.post(decision.maker_role.value)
        b.add(post, RDF.type, ORG.Post)
        b.add(post, RDFS.label, lit(decision.maker_role.value))
        b.add(node, KG.decisionMakerPost, post, decision.maker_role.span)
    if decision.maker_name:
        person = iris.person(decision.maker_name.value)
        b.add(person, RDF.type, FOAF.Person)
        b.add(person, FOAF.name, lit(decision.maker_name.value))
        b.add(node, KG.decisionMaker, person, decision.maker_name.span)
        if post is not None:
            b.add(person, ORG.holds, post)


def _org(b: _Builder, org: Org) -> URIRef:
    node = iris.organisation(org.key)
    b.add(node, RDF.type, ORG.Organization)
    b.add(node, SKOS.prefLabel, lit(org.name))
    b.add(node, RDFS.label, lit(org.name))
    b.add(node, KG.inRegistry, _bool(org.in_registry))
    for alias in org.aliases:
        b.add(node, SKOS.altLabel, lit(alias))
    entry = registries.organisations().entries.get(org.key) if org.in_registry else None
    if entry:
        b.add(node, KG.orgKind, lit(entry.kind))
        if entry.org_id:
            b.add(node, ORG.identifier, lit(entry.org_id))
        if entry.wikidata:
            b.add(node, URIRef("http://www.w3.org/2002/07/owl#sameAs"), iris.WD[entry.wikidata])
    return node


def _money(b: _Builder, node: URIRef, decision: Decision, index: int, amount: Amount) -> None:
    flow = iris.money_flow(str(node), b.doc.content_hash, index)
    value = iris.monetary_amount(flow)
    b.add(flow, RDF.type, KG.MoneyFlow)
    has_flow = b.add(node, KG.hasMoneyFlow, flow, amount.span)
    for where in amount.also_at:
        b.annotate(has_flow, where)
    b.add(flow, SCHEMA.amount, value)
    b.add(value, RDF.type, SCHEMA.MonetaryAmount)
    b.add(value, SCHEMA.value, typed(canonical_decimal(amount.value), XSD.decimal))
    b.add(value, SCHEMA.currency, lit(amount.currency))
    if amount.kind:
        b.add(flow, KG.flowKind, iris.flow_kind(amount.kind))
        if amount.kind == "grant":
            b.add(flow, RDF.type, SCHEMA.MonetaryGrant)
    if amount.per_annum:
        b.add(flow, KG.perAnnum, TRUE)
    if amount.period:
        b.add(flow, KG.financialYear, _financial_year(b, amount.period))
    for prop, party in ((KG.funder, amount.funder), (KG.recipient, amount.recipient)):
        if party:
            org = _org(b, party)
            b.add(flow, prop, org, amount.span)
            b.add(node, prop, org)


def canonical_decimal(value) -> str:
    """xsd:decimal's canonical form ('215000.0'), so literals round-trip through Turtle unchanged."""
    text = f"{value:f}"
    if "." not in text:
        return text + ".0"
    text = text.rstrip("0")
    return text + "0" if text.endswith(".") else text


def _financial_year(b: _Builder, label: str) -> URIRef:
    start = int(label[:4])
    fy = iris.financial_year(start)
    begin, end = iris.instant(f"{start}-04-01"), iris.instant(f"{start + 1}-03-31")
    b.add(fy, RDF.type, KG.FinancialYear)
    b.add(fy, RDFS.label, lit(label))
    b.add(fy, TIME.hasBeginning, begin)
    b.add(fy, TIME.hasEnd, end)
    for instant, day in ((begin, f"{start}-04-01"), (end, f"{start + 1}-03-31")):
        b.add(instant, RDF.type, TIME.Instant)
        b.add(instant, TIME.inXSDDate, typed(day, XSD.date))
    return fy


def _legislation(b: _Builder, citation: Citation) -> URIRef:
    if citation.legislation_id:
        inst = iris.legislation(citation.legislation_id)
        b.add(inst, KG.legislationId, lit(citation.legislation_id))
    else:
        inst = iris.unresolved_legislation(citation.title)
    b.add(inst, RDF.type, INSTRUMENT_CLASS.get(citation.kind, KG.OtherInstrument))
    b.add(inst, RDF.type, KG.LegalInstrument)
    b.add(inst, RDFS.label, lit(citation.title))
    b.add(inst, URIRef("http://data.europa.eu/eli/ontology#title"), lit(citation.title))
    b.add(inst, KG.resolved, _bool(citation.resolved))
    parent = inst
    for depth in range(1, len(citation.provision) + 1):
        parts = citation.provision[:depth]
        node = iris.provision(inst, parts)
        b.add(node, RDF.type, KG.Provision)
        b.add(node, KG.provisionPath, lit(provision_path(parts)))
        b.add(node, RDFS.label, lit(provision_path(parts)))
        b.add(node, URIRef("http://data.europa.eu/eli/ontology#is_part_of"), parent)
        b.add(node, KG.ofInstrument, inst)
        parent = node
    return parent


def provision_path(parts: tuple[tuple[str, str], ...]) -> str:
    """(('section','22A'),('','1')) -> 'section 22a 1' (lower case: the normalised form; IRIs keep case)."""
    return " ".join(f"{kind} {num}" if kind else num for kind, num in parts).lower()


def _clause(b: _Builder, delegation: Delegation) -> URIRef:
    scheme = iris.scheme(delegation.scheme_key)
    b.add(scheme, RDF.type, KG.DelegationScheme)
    b.add(scheme, DCTERMS.title, lit(delegation.scheme_name))
    b.add(scheme, RDFS.label, lit(delegation.scheme_name))
    node = iris.clause(scheme, delegation.clause_kind, delegation.clause_number)
    b.add(node, RDF.type, KG.DelegationClause)
    b.add(node, KG.ofScheme, scheme)
    b.add(node, KG.clauseKind, lit(delegation.clause_kind))
    b.add(node, KG.clauseNumber, lit(delegation.clause_number))
    b.add(node, RDFS.label, lit(f"{delegation.clause_kind} {delegation.clause_number}"))
    return node


__all__ = ["document_graph", "document_triples", "provision_path", "PROV"]
