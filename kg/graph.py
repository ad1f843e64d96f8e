"""Facts -> triples. The only place triples are made.

Each document gets its own graph: its decisions, every fact about them, the
minimal description of every node they reference (names, titles, types), and
for every fact a Web Annotation pointing at the exact quote that states it.
Self-contained document graphs can be validated, replaced and pushed one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from kg import iris, registries
from kg.extract.model import Amount, Citation, Decision, Delegation, Org, Span
from kg.ingest.model import SourceText
from kg.iris import DCTERMS, FOAF, KG, OA, ORG, PROV, SCHEMA, SKOS, TIME

INSTRUMENT_CLASS = {
    "act": KG.Act, "statutory_instrument": KG.StatutoryInstrument,
    "retained_eu_law": KG.RetainedEULaw, "convention": KG.Convention, "other": KG.OtherInstrument,
}


class _TripleSet:
    """An insertion-ordered set of triples: much cheaper to fill than an rdflib Graph."""

    def __init__(self) -> None:
        self.triples: dict[tuple, None] = {}

    def add(self, triple: tuple) -> None:
        self.triples[triple] = None


@dataclass
class _Builder:
    doc: SourceText
    graph: _TripleSet = field(default_factory=_TripleSet)
    evidence_count: int = 0

    @property
    def doc_iri(self) -> URIRef:
        return iris.document(self.doc.content_hash)

    def add(self, s, p, o, evidence: Span | None = None) -> None:
        """Add a triple; with a span, also the annotation that says where the text states it."""
        self.graph.add((s, p, o))
        if evidence is not None:
            self.annotate(s, p, o, evidence)

    def annotate(self, s, p, o, where: Span) -> None:
        """The evidence for one fact: a kg:Evidence that is both the Web Annotation and the reified
        statement it supports, targeting the quote. Several facts stated by the same words share
        one quote node (a fact costs 5 triples, a quote 7, instead of 14 per fact)."""
        g = self.graph
        ev = iris.evidence(self.doc.content_hash, self.evidence_count)
        self.evidence_count += 1
        g.add((ev, RDF.type, KG.Evidence))
        g.add((ev, RDF.subject, s))
        g.add((ev, RDF.predicate, p))
        g.add((ev, RDF.object, o))
        g.add((ev, OA.hasTarget, self.quote(where)))

    def quote(self, where: Span) -> URIRef:
        """The target for a span of the source: the document and a selector with the exact words
        and their character offsets in the source file."""
        start, end = self.doc.source_offset(where.start), self.doc.source_offset(where.end)
        target = iris.quote(self.doc.content_hash, start, end)
        selector = iris.selector(target)
        g = self.graph
        if (target, OA.hasSelector, selector) not in g.triples:
            g.add((target, OA.hasSource, self.doc_iri))
            g.add((target, OA.hasSelector, selector))
            g.add((selector, RDF.type, OA.TextQuoteSelector))
            g.add((selector, RDF.type, OA.TextPositionSelector))
            g.add((selector, OA.exact, Literal(where.quote)))
            g.add((selector, OA.start, _int(start)))
            g.add((selector, OA.end, _int(end)))
        return target


@lru_cache(maxsize=65536)
def _int(value: int) -> Literal:
    """Offsets repeat across facts and documents; rdflib literals are slow to make."""
    return Literal(value)


def document_triples(doc: SourceText, decisions: list[Decision]) -> list[tuple]:
    """Every triple of one document's graph (rdflib terms), in a stable order."""
    b = _Builder(doc)
    _document(b)
    for decision in decisions:
        _decision(b, decision)
    return list(b.graph.triples)


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
    b.add(d, KG.contentHash, Literal(b.doc.content_hash))
    b.add(d, KG.sourceKey, Literal(b.doc.key))
    b.add(d, DCTERMS["format"], Literal(b.doc.media_type))
    b.add(d, RDFS.label, Literal(b.doc.key.rsplit("/", 1)[-1]))


def decision_iri(decision: Decision, scope: str | None) -> URIRef:
    return iris.decision(decision.reference.value, scope)


def _decision(b: _Builder, decision: Decision) -> None:
    node = decision_iri(decision, decision.scope)
    b.add(node, RDF.type, KG.Decision)
    b.add(node, KG.sourceDocument, b.doc_iri)
    b.add(node, DCTERMS.identifier, Literal(decision.reference.value), decision.reference.span)
    if decision.issuer:
        b.add(node, KG.issuedBy, _org(b, decision.issuer))
    if decision.title:
        b.add(node, DCTERMS.title, Literal(decision.title.value), decision.title.span)
    _maker(b, node, decision)
    if decision.date_signed:
        b.add(node, KG.dateSigned, Literal(decision.date_signed.value, datatype=XSD.date),
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
        b.add(other, DCTERMS.identifier, Literal(rel.value))
        b.add(node, KG.relatedDecision, other, rel.span)


def _maker(b: _Builder, node: URIRef, decision: Decision) -> None:
    post = None
    if decision.maker_role:
        post = iris.post(decision.maker_role.value)
        b.add(post, RDF.type, ORG.Post)
        b.add(post, RDFS.label, Literal(decision.maker_role.value))
        b.add(node, KG.decisionMakerPost, post, decision.maker_role.span)
    if decision.maker_name:
        person = iris.person(decision.maker_name.value)
        b.add(person, RDF.type, FOAF.Person)
        b.add(person, FOAF.name, Literal(decision.maker_name.value))
        b.add(node, KG.decisionMaker, person, decision.maker_name.span)
        if post is not None:
            b.add(person, ORG.holds, post)


def _org(b: _Builder, org: Org) -> URIRef:
    node = iris.organisation(org.key)
    g = b.graph
    g.add((node, RDF.type, ORG.Organization))
    g.add((node, SKOS.prefLabel, Literal(org.name)))
    g.add((node, RDFS.label, Literal(org.name)))
    g.add((node, KG.inRegistry, Literal(org.in_registry)))
    for alias in org.aliases:
        g.add((node, SKOS.altLabel, Literal(alias)))
    entry = registries.organisations().entries.get(org.key) if org.in_registry else None
    if entry:
        g.add((node, KG.orgKind, Literal(entry.kind)))
        if entry.org_id:
            g.add((node, ORG.identifier, Literal(entry.org_id)))
        if entry.wikidata:
            g.add((node, URIRef("http://www.w3.org/2002/07/owl#sameAs"), iris.WD[entry.wikidata]))
    return node


def _money(b: _Builder, node: URIRef, decision: Decision, index: int, amount: Amount) -> None:
    flow = iris.money_flow(str(node), b.doc.content_hash, index)
    value = iris.monetary_amount(flow)
    b.add(flow, RDF.type, KG.MoneyFlow)
    b.add(node, KG.hasMoneyFlow, flow, amount.span)
    for where in amount.also_at:
        b.annotate(node, KG.hasMoneyFlow, flow, where)
    b.add(flow, SCHEMA.amount, value)
    b.add(value, RDF.type, SCHEMA.MonetaryAmount)
    b.add(value, SCHEMA.value, Literal(canonical_decimal(amount.value), datatype=XSD.decimal))
    b.add(value, SCHEMA.currency, Literal(amount.currency))
    if amount.kind:
        b.add(flow, KG.flowKind, iris.flow_kind(amount.kind))
        if amount.kind == "grant":
            b.add(flow, RDF.type, SCHEMA.MonetaryGrant)
    if amount.per_annum:
        b.add(flow, KG.perAnnum, Literal(True))
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
    b.add(fy, RDFS.label, Literal(label))
    b.add(fy, TIME.hasBeginning, begin)
    b.add(fy, TIME.hasEnd, end)
    for instant, day in ((begin, f"{start}-04-01"), (end, f"{start + 1}-03-31")):
        b.add(instant, RDF.type, TIME.Instant)
        b.add(instant, TIME.inXSDDate, Literal(day, datatype=XSD.date))
    return fy


def _legislation(b: _Builder, citation: Citation) -> URIRef:
    if citation.legislation_id:
        inst = iris.legislation(citation.legislation_id)
        b.add(inst, KG.legislationId, Literal(citation.legislation_id))
    else:
        inst = iris.unresolved_legislation(citation.title)
    b.add(inst, RDF.type, INSTRUMENT_CLASS.get(citation.kind, KG.OtherInstrument))
    b.add(inst, RDF.type, KG.LegalInstrument)
    b.add(inst, RDFS.label, Literal(citation.title))
    b.add(inst, URIRef("http://data.europa.eu/eli/ontology#title"), Literal(citation.title))
    b.add(inst, KG.resolved, Literal(citation.resolved))
    parent = inst
    for depth in range(1, len(citation.provision) + 1):
        parts = citation.provision[:depth]
        node = iris.provision(inst, parts)
        b.add(node, RDF.type, KG.Provision)
        b.add(node, KG.provisionPath, Literal(provision_path(parts)))
        b.add(node, RDFS.label, Literal(provision_path(parts)))
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
    b.add(scheme, DCTERMS.title, Literal(delegation.scheme_name))
    b.add(scheme, RDFS.label, Literal(delegation.scheme_name))
    node = iris.clause(scheme, delegation.clause_kind, delegation.clause_number)
    b.add(node, RDF.type, KG.DelegationClause)
    b.add(node, KG.ofScheme, scheme)
    b.add(node, KG.clauseKind, Literal(delegation.clause_kind))
    b.add(node, KG.clauseNumber, Literal(delegation.clause_number))
    b.add(node, RDFS.label, Literal(f"{delegation.clause_kind} {delegation.clause_number}"))
    return node


__all__ = ["document_graph", "document_triples", "provision_path", "PROV"]
