"""Extract: a document's text -> decisions with facts, every fact with its span.

`extract_decisions` is the one entry point. It finds the decisions (one per
reference region), then asks each extractor for its facts within the region.
"""

from __future__ import annotations

from dataclasses import replace

from kg import registries
from kg.errors import InputError
from kg.extract.cues import cues
from kg.extract.delegations import find_delegations
from kg.extract.law import find_citations
from kg.extract.log_tables import row_at, row_fields
from kg.extract.model import Decision, Org, OrgMention, Text
from kg.extract.money_flows import money_flows
from kg.extract.orgs import deciding_body_by_name, deciding_body_in_title, find_orgs, registry_mentions
from kg.extract.parties import standalone_parties
from kg.extract.people import find_date_signed, find_maker
from kg.extract.references import RefHit, segment
from kg.extract.related import related
from kg.extract.text import span
from kg.extract.titles import find_title
from kg.ingest.model import SourceText

__all__ = ["extract_decisions"]



def extract_decisions(doc: SourceText) -> list[Decision]:
    """Every decision in the document; InputError when it holds none."""
    regions = segment(doc.text)
    if not regions:
        raise InputError(doc.path, "no decision found (no decision reference code in the text)")
    page = _page_body(doc.text, doc.page_title) if len(regions) > 1 else None
    return [_decision(doc.text, own, start, end, page, doc.page_title) for own, start, end in regions]


def _page_body(text: str, page_title: str | None) -> Org | None:
    """The body whose page lists several decisions: found over the whole page, so that each
    decision's own region (which may name a partner's commissioner first) does not decide it."""
    orgs = find_orgs(text, 0, len(text), None)
    return _deciding_body(text, None, orgs, page_title)


def _numbered_per_body(own: RefHit) -> bool:
    """Whether the code is unique only within the body that issued it: every scheme but those
    one body owns ('PCD 1532' is MOPAC's; 'DN 001/2018' is issued by many commissioners)."""
    return not (own.scheme.anywhere and own.scheme.issuer)


def _decision(text: str, own: RefHit, start: int, end: int, page: Org | None = None,
              page_title: str | None = None) -> Decision:
    publisher = own.scheme.issuer
    orgs = find_orgs(text, start, end, publisher)
    self_org = _deciding_body(text, publisher, orgs, page_title) if publisher or page is None else page
    if self_org and not publisher:
        orgs = find_orgs(text, start, end, publisher, self_org)
    logged = row_at(text, start, end)
    if logged:   # a row of a decision log: its cells say what the finders would guess
        cells = row_fields(text, logged)
        title, name, role, signed = cells.title, cells.maker_name, cells.maker_role, cells.date_signed
    else:
        title, (name, role) = find_title(text, start, end, own), find_maker(text, start, end)
        signed = find_date_signed(text, start, end, name.value if name else None, own.start)
    decision = Decision(
        reference=Text(own.value, span(text, own.start, own.end)),
        issuer=self_org,
        scope=self_org.key if (self_org and _numbered_per_body(own)) else None,
        scoped=_numbered_per_body(own),
        title=title,
        maker_name=name,
        maker_role=role,
        date_signed=signed,
        amounts=money_flows(text, start, end, orgs, self_org),
        citations=find_citations(text, start, end),
        delegations=find_delegations(text, start, end),
        related=related(text, start, end, own),
    )
    named = standalone_parties(text, orgs, start, end)
    best = _one_name_per_org([o for a in decision.amounts for o in (a.funder, a.recipient) if o]
                             + [m.org for _, m in named])
    decision.amounts = [replace(a, funder=best[a.funder.key] if a.funder else None,
                                recipient=best[a.recipient.key] if a.recipient else None) for a in decision.amounts]
    decision.named_parties = [(role, replace(m, org=best[m.org.key])) for role, m in named]
    decision.funders, decision.recipients = _parties(decision)
    return decision


def _one_name_per_org(orgs: list[Org]) -> dict[str, Org]:
    """Variants of one name ('Mutual gain', 'Mutual Gain'; 'X Ltd', 'X Limited') become one
    organisation with one name, the others its aliases: key -> that organisation."""
    variants: dict[str, list[Org]] = {}
    for org in orgs:
        variants.setdefault(org.key, []).append(org)
    best = {}
    for key, found in variants.items():
        top = max(found, key=lambda o: (o.in_registry, sum(w[:1].isupper() for w in o.name.split())))
        names = {o.name for o in found} - {top.name}
        aliases = tuple(dict.fromkeys([*top.aliases, *sorted(names)]))
        best[key] = Org(top.key, top.name, aliases, top.in_registry)
    return best


def _deciding_body(text: str, publisher: str | None, orgs: list[OrgMention],
                   page_title: str | None = None) -> Org | None:
    """Who took the decision: the publisher its reference scheme names; else the first policing
    or mayoral body the decision (then the document) mentions, unless a body named like a
    deciding one ('London Borough of Waltham Forest') heads the page, or the page's <title>
    names one ('... | Mardale Combined Authority'): a council's decision to accept MOPAC money
    is the council's. Further down, such a name is more often a recipient."""
    registry = registries.organisations()
    if publisher and publisher in registry.entries:
        return registry.entries[publisher].as_org()
    titled = deciding_body_in_title(page_title) if page_title else None
    named = (-1, titled) if titled else deciding_body_by_name(text)
    heading = named is not None and named[0] < cues("orgs")["self_heading_chars"]
    for mentions in (orgs, registry_mentions(text, 0, len(text))):
        first = next((m for m in mentions if _is_self_kind(m.org)), None)
        if first is not None:
            return named[1] if heading and named[0] < first.span.start else first.org
    return named[1] if named else None


def _is_self_kind(org: Org) -> bool:
    entry = registries.organisations().entries.get(org.key) if org.in_registry else None
    return bool(entry and entry.kind in cues("orgs")["self_kinds"])


def _parties(decision: Decision):
    """Funders and recipients of the decision: the parties of its flows, then parties it names
    in sentences without a sum ('a contract with X Ltd')."""
    funders, recipients = {}, {}
    for amount in decision.amounts:
        if amount.funder:
            funders.setdefault(amount.funder.key, amount.funder)
        if amount.recipient:
            recipients.setdefault(amount.recipient.key, amount.recipient)
    for role, mention in decision.named_parties:
        (funders if role == "funder" else recipients).setdefault(mention.org.key, mention.org)
    return list(funders.values()), list(recipients.values())
