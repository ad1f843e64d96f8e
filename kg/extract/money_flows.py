"""Sums -> money flows: parties, period and kind per sum, then one flow per distinct flow.

The same sum stated three times ("accept £450,000", "grant of £450,000", "The
grant to be accepted is £450,000") is one flow with three pieces of evidence.
Parties from a table row's label are weaker than parties stated in a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from kg import registries
from kg.extract.cues import cues
from kg.extract.model import Amount, Org, OrgMention
from kg.extract.money import MoneyMention, find_money, kind_for, period_for, sentence_of
from kg.extract.orgs import plausible_name
from kg.extract.parties import accept_verbs, assign, standalone_parties
from kg.extract.table_rows import header_role, row_party
from kg.extract.text import line_around, lines_of, row_cells

LABEL_LOOKBACK = 3
# Money the decision gives someone else is paid by the deciding body, unless the sum is only
# a threshold, a bid or income.


@dataclass
class Draft:
    mention: MoneyMention
    funder: Org | None = None
    recipient: Org | None = None
    weak: set[str] = field(default_factory=set)  # roles inferred (row label, deciding body), not stated
    incoming: bool = False  # the funder was stated as a source ("from the Home Office")
    period: str | None = None
    kind: str | None = None


def money_flows(text: str, start: int, end: int, orgs: list[OrgMention], self_org: Org | None) -> list[Amount]:
    sums = find_money(text, start, end)
    drafts = [Draft(m) for m in sums]
    by_sentence: dict[tuple[int, int], list[int]] = {}
    for i, m in enumerate(sums):
        by_sentence.setdefault(sentence_of(text, m, start, end), []).append(i)
    for (s, e), indexes in by_sentence.items():
        local = [sums[i] for i in indexes]
        for j, roles in assign(text, orgs, local, s, e).items():
            drafts[indexes[j]].funder = roles.get("funder")
            drafts[indexes[j]].recipient = roles.get("recipient")
            drafts[indexes[j]].incoming = bool(roles.get("incoming"))
        _contract_named_before(text, [drafts[i] for i in indexes], orgs, s, start)
        for i in indexes:
            d = drafts[i]
            d.period = period_for(text, d.mention, (s, e), local)
            d.kind = kind_for(text, d.mention, (s, e))
            if d.recipient is None and self_org and _accepts(text[s:e], d):
                d.recipient = self_org
                d.weak.add("recipient")
    for d in drafts:
        if d.funder is None and d.recipient is None:
            _table_row_party(text, d, orgs, start)
        if d.mention.line_alone and d.funder is None and d.recipient is None:
            d.recipient = _row_label_party(text, d.mention, orgs, start)
            d.weak.add("recipient")
        _deciding_body_as_party(d, self_org)
        if self_org and d.funder is None and d.recipient is None and (
                _self_spend(text, d.mention) or _spending_table_row(text, d, start)):
            d.funder = self_org
            d.weak.add("funder")
    for indexes in by_sentence.values():
        _share_breakdowns(text, [drafts[i] for i in indexes])
    for d in drafts:
        _not_to_itself(d)
    return _merge(drafts + _each_to_several(text, drafts, orgs))


def _each_to_several(text: str, drafts: list[Draft], orgs: list[OrgMention]) -> list[Draft]:
    """'grants of £75,000 each to the London Borough of Camden, the London Borough of Hackney and
    Westminster City Council': one flow to each body listed after the one the rules found."""
    each = re.compile(cues("money")["each"], re.I)
    joiner = re.compile(cues("money")["list_joiner"], re.I)
    ordered = sorted(orgs, key=lambda m: m.span.start)
    extra: list[Draft] = []
    for d in drafts:
        if not each.match(text, d.mention.span.end):
            continue
        for role in ("recipient", "funder"):
            party = getattr(d, role)
            first = next((m for m in ordered if party and m.org.key == party.key
                          and 0 < m.span.start - d.mention.span.end < 120), None)
            if first is None:
                continue
            last = first
            for m in ordered:
                if m.span.start > last.span.end and joiner.fullmatch(text, last.span.end, m.span.start):
                    extra.append(replace(d, **{role: m.org}, weak=set(d.weak)))
                    last = m
            break
    return extra


def _share_breakdowns(text: str, drafts: list[Draft]) -> None:
    """A sum broken down into parts is one payment ('£710,000 (£640,000 in 2014-15 and £70,000
    in 2015-16) to X'): a party found for the whole or one part, the only one in its role, is
    each part's too (inferred, so a party the text states for the same sum wins)."""
    for group in breakdowns(text, [d.mention for d in drafts]):
        members = [drafts[i] for i in group]
        for role in ("funder", "recipient"):
            found = {getattr(d, role).key: getattr(d, role) for d in members if getattr(d, role) is not None}
            if len(found) != 1:
                continue
            party = next(iter(found.values()))
            for d in members:
                if getattr(d, role) is None:
                    setattr(d, role, party)
                    d.weak.add(role)


def breakdowns(text: str, sums: list[MoneyMention]) -> list[list[int]]:
    """Groups of indexes into `sums` (in text order, one sentence): a whole and its parts."""
    data = cues("money")
    opener, joiner = re.compile(data["breakdown_open"], re.I), re.compile(data["breakdown_join"], re.I)
    groups: list[list[int]] = []
    current: list[int] = []
    for i in range(1, len(sums)):
        between = text[sums[i - 1].span.end:sums[i].span.start]
        if current and joiner.match(between):
            current.append(i)
        elif opener.match(between):
            current = [i - 1, i]
            groups.append(current)
        else:
            current = []
    return groups


def _contract_named_before(text: str, drafts: list[Draft], orgs: list[OrgMention], s: int, start: int) -> None:
    """Sums with no party in a sentence about 'the contract' belong to the contract the text named
    just before: 'a contract with X Ltd ... The contract runs to 2025 at £1,510k a year'."""
    if any(d.funder or d.recipient for d in drafts):
        return
    data = cues("parties")
    sentence_start = text[s:s + 400]
    if not re.search(data["definite_deal"], sentence_start, re.I):
        return
    lo = max(start, s - int(data["definite_reach"]))
    named = [m for role, m in standalone_parties(text, orgs, lo, s) if role == "recipient"]
    if named:
        for d in drafts:
            d.recipient = named[-1].org
            d.weak.add("recipient")


def _table_row_party(text: str, d: Draft, orgs: list[OrgMention], start: int) -> None:
    """'| Tamebridge College | £2,410,000 |' under a 'Provider' header: the row names the party."""
    found = row_party(text, d.mention.span.start, orgs, start)
    if found:
        role, org = found
        setattr(d, role, org)
        d.weak.add(role)
        d.incoming = role == "funder"


def _not_to_itself(d: Draft) -> None:
    """A body does not pay itself: of a funder and recipient that are one body, the inferred side
    goes ('the Authority's grant ... to the Authority')."""
    if d.funder and d.recipient and d.funder.key == d.recipient.key:
        role = "funder" if "funder" in d.weak or "recipient" not in d.weak else "recipient"
        setattr(d, role, None)


def _deciding_body_as_party(d: Draft, self_org: Org | None) -> None:
    """Money moving to someone else comes from the deciding body; money a named funder
    provides goes to it. Both are inferred, so a party the text states overrides them."""
    if self_org is None or d.kind in cues("money")["not_self_funded_kinds"]:
        return
    if d.funder is None and d.recipient and d.recipient.key != self_org.key:
        d.funder = self_org
        d.weak.add("funder")
    elif d.recipient is None and d.incoming and d.funder and d.funder.key != self_org.key:
        d.recipient = self_org
        d.weak.add("recipient")


def _spending_table_row(text: str, d: Draft, start: int) -> bool:
    """A line of the deciding body's own budget table ('Contingency, unallocated | 190,000',
    'Total | £3,702,500'): a figure in a table row that names no party, not income."""
    line_start, line_end = line_around(text, d.mention.span.start)
    line = text[line_start:line_end]
    return (d.kind not in cues("money")["not_self_funded_kinds"] and len(row_cells(line)) >= 2
            and not re.search(cues("money")["not_spending_row"], line, re.I)
            and header_role(text, d.mention.span.start, start) != "funder")  # not a table of sources


def _self_spend(text: str, mention: MoneyMention) -> bool:
    """The deciding body's own money: 'expenditure of £X', '£X from the approved capital programme'."""
    data = cues("parties")
    before = text[max(0, mention.span.start - 60): mention.span.start]
    after = text[mention.span.end: mention.span.end + 120]
    return bool(re.search(data["self_spend_before"], before, re.I) or re.match(data["self_budget_after"], after, re.I))


def _accepts(sentence: str, draft: Draft) -> bool:
    """The deciding body receives a sum it accepts: 'accept £450,000 of Home Office grant'."""
    if not accept_verbs().search(sentence):
        return False
    if draft.funder is not None:
        return True
    return bool(re.search(r"(?i)\b(?:grant|funding|funds|award|bid|income|contribution)\b", sentence))


def _row_label_party(text: str, mention: MoneyMention, orgs: list[OrgMention], start: int) -> Org | None:
    """A table row whose label sits on a line above its figure: 'A2 Dominion' / '£70,000'."""
    window = lines_of(text, max(start, mention.span.start - 400), mention.span.start)
    lines = [ln for ln in window if ln.stripped]
    for line in reversed(lines[-LABEL_LOOKBACK:]):
        label = line.stripped
        if re.match(r"[\d(£]|[a-z]", label):
            continue
        if "£" in label:
            return None
        hits = [m for m in orgs if line.start <= m.span.start < line.end]
        if hits:
            return hits[0].org
        name = label.strip(" \t–—-:|•*")
        if re.search(r"\d[\d,.]{2,}", name):
            return None  # a row of figures ('Independent evaluation   57,500'), not a name ('A2 Dominion' is)
        if plausible_name(name, label=True) and _grants_table_above(text, line.start, start):
            return registries.organisations().resolve(name)
        return None
    return None


def _grants_table_above(text: str, pos: int, start: int) -> bool:
    """A table of grants, awards or suppliers: its rows' labels name the recipients."""
    for line in reversed(lines_of(text, max(start, pos - 3000), pos)[-30:]):
        if re.search(r"(?i)^\s*table\b|:\s*$", line.text):
            return bool(re.search(r"(?i)grant|award|recipient|organisation|provider|supplier|beneficiar",
                                  line.text))
    return False


def _merge(drafts: list[Draft]) -> list[Amount]:
    groups: dict = {}
    for d in drafts:
        groups.setdefault((d.mention.value, d.mention.currency), []).append(d)
    out: list[Amount] = []
    for group in groups.values():
        _drop_weak(group)
        parties = [d for d in group if d.funder or d.recipient]
        combos: dict = {}
        for d in parties:
            key = (d.funder.key if d.funder else None, d.recipient.key if d.recipient else None)
            combos.setdefault(key, d)
        combos = _fold_partial(combos)
        heads = list(combos.values()) or [group[0]]
        for head in heads:
            out.append(_amount(head, group))
    return sorted(out, key=lambda a: a.span.start)


def _drop_weak(group: list[Draft]) -> None:
    """An inferred party gives way to one the text states for the same sum."""
    for role in ("funder", "recipient"):
        if any(getattr(d, role) and role not in d.weak for d in group):
            for d in group:
                if role in d.weak:
                    setattr(d, role, None)


def _fold_partial(combos: dict) -> dict:
    """Combos that do not conflict are one flow: (MPS, None) and (None, PCPI) -> (MPS, PCPI)."""
    merged: list[tuple[tuple, Draft]] = []
    for key, draft in combos.items():
        for i, (other, head) in enumerate(merged):
            if all(a is None or b is None or a == b for a, b in zip(key, other, strict=True)):
                joined = tuple(a or b for a, b in zip(key, other, strict=True))
                head = replace(head, funder=head.funder or draft.funder, recipient=head.recipient or draft.recipient)
                merged[i] = (joined, head)
                break
        else:
            merged.append((key, draft))
    return dict(merged)


def _amount(head: Draft, group: list[Draft]) -> Amount:
    others = tuple(d.mention.span for d in group if d is not head)
    period = head.period or next((d.period for d in group if d.period), None)
    kind = head.kind or next((d.kind for d in group if d.kind), None)
    m = head.mention
    base = Amount(m.value, m.currency, m.span, head.funder, head.recipient, period, kind, m.per_annum)
    return replace(base, also_at=others)
