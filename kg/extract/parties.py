"""Attach funders and recipients to sums, from the words around organisation mentions.

Rules are data (parties.yaml): each says whether the words just before or just
after a mention make it a funder or a recipient. A party goes to the nearest sum
on the side the rule points to ("£X from ORG": the sum before; "ORG funding of
£X": the sum after). A party is never invented: with no rule, no party, except
that a decision accepting money names its own body as recipient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.cues import cues
from kg.extract.model import Org, OrgMention

NEAR = 160
BEFORE_REACH = 160  # a contract described at length before its supplier: "award of a ... contract for ... to X"
WORD = re.compile(r"\w+")
LIST_JOIN = re.compile(r"(?:,|\band\b)\s*$")


@dataclass(frozen=True)
class Rule:
    role: str
    side: str  # "before" or "after": where the cue words sit relative to the mention
    regex: re.Pattern[str]
    spread: str | None = None  # "later": also every later sum without this role; "all": every such sum
    incoming: bool = False  # money coming in from this funder ("£500k from the Home Office")
    standalone: bool = False  # names a party of the decision even with no sum in the sentence
    rank: int = 0  # position in parties.yaml: earlier rules win
    last_words: frozenset[str] = frozenset()  # one is among the last two words before a match


@dataclass
class Party:
    role: str
    org: Org
    mention: OrgMention


@lru_cache(maxsize=1)
def _rules() -> list[Rule]:
    out = []
    for rank, r in enumerate(cues("parties")["rules"]):
        side = "before" if "before" in r else "after"
        out.append(Rule(r["role"], side, re.compile(r[side], re.I), r.get("spread"), bool(r.get("incoming")),
                        bool(r.get("standalone")), rank, frozenset(r.get("last_words") or ())))
    return out


@lru_cache(maxsize=1)
def _pair_gap() -> re.Pattern[str]:
    return re.compile(cues("parties")["pair_gap"], re.I)


@lru_cache(maxsize=1)
def accept_verbs() -> re.Pattern[str]:
    return re.compile(cues("parties")["accept_verbs"], re.I)


def classify(text: str, mention: OrgMention, lo: int, hi: int, last: int | None = None) -> Rule | None:
    """The first rule the words around a mention in [lo, hi) satisfy, or None.

    With `last`, rules ranked after it are not tried: a caller that only cares about some
    rules need not pay for the rest (a later rule can never outrank an earlier one).
    """
    before = text[max(lo, mention.span.start - BEFORE_REACH): mention.span.start]
    after = text[mention.span.end: min(hi, mention.span.end + 80)].lstrip(")]")
    tail = _tail_words(before)
    for rule in _rules():
        if last is not None and rule.rank > last:
            break
        if rule.last_words and tail is not None and tail.isdisjoint(rule.last_words):
            continue
        target = before if rule.side == "before" else after
        if rule.regex.search(target):
            return rule
    return None


def _tail_words(before: str) -> set[str] | None:
    """The last two words before a mention, lower-cased; None when they are not plain ASCII
    (case-insensitive matching could then equate letters that lower() keeps apart)."""
    words = WORD.findall(before)[-2:]
    return {w.lower() for w in words} if all(w.isascii() for w in words) else None


def assign(text: str, mentions: list[OrgMention], sums: list, lo: int, hi: int) -> dict[int, dict[str, Org]]:
    """For each sum index, {'funder': Org, 'recipient': Org, 'incoming': bool} from the mentions in [lo, hi)."""
    best: dict[tuple[int, str], tuple[int, Org, bool]] = {}
    lead: tuple[Rule, int] | None = None   # the last 'ORG is to receive £X' pair, for gapped ones after it
    for mention in mentions:
        if not (lo <= mention.span.start < hi):
            continue
        rule = classify(text, mention, lo, hi)
        paired = _paired_sum(text, mention, sums)
        if rule is None and paired is not None and lead is not None and _continues_list(text, mention, sums[lead[1]]):
            rule = lead[0]   # '..., Moorside Community Kitchens CIC £318,500': the lead pair's role
        if not rule or rule.role == "none":
            continue
        targets = set()
        index = _nearest_sum(mention, sums, prefer_before=(rule.side == "before"))
        if index is not None:
            targets.add(index)
        if rule.spread:
            targets |= {i for i, s in enumerate(sums) if rule.spread == "all" or s.span.start > mention.span.end}
        if paired is not None:
            targets, index, lead = {paired}, paired, (rule, paired)
        for i in targets:
            rank = rule.rank if i == index else rule.rank + 1000  # spread parties yield to stated ones
            if (i, rule.role) not in best or rank < best[(i, rule.role)][0]:
                best[(i, rule.role)] = (rank, mention.org, rule.incoming and i == index)
    out: dict[int, dict] = {}
    for (i, role), (_, org, incoming) in best.items():
        out.setdefault(i, {})[role] = org
        if role == "funder" and incoming:
            out[i]["incoming"] = True
    return out


def _paired_sum(text: str, mention: OrgMention, sums: list) -> int | None:
    """The sum written right after a name ('Kestrel Youth Trust is to receive £402,000',
    'Newham £950,000'), if there is one: the name's own sum in a list of pairs."""
    for i, s in enumerate(sums):
        if mention.span.end <= s.span.start <= mention.span.end + 40 \
                and _pair_gap().fullmatch(text, mention.span.end, s.span.start):
            return i
    return None


def _continues_list(text: str, mention: OrgMention, lead_sum) -> bool:
    """Whether only list separators and other 'name sum' pairs stand between the lead pair's sum
    and this name ('£402,000, Moorside Community Kitchens CIC £318,500 and ...')."""
    between = text[lead_sum.span.end:mention.span.start]
    return len(between) <= 200 and LIST_JOIN.search(between) is not None


def standalone_parties(text: str, mentions: list[OrgMention], lo: int, hi: int) -> list[tuple[str, OrgMention]]:
    """Parties the decision names outside sentences with sums ('a contract with X Ltd')."""
    out = []
    last = max((r.rank for r in _rules() if r.standalone), default=-1)
    for mention in mentions:
        if lo <= mention.span.start < hi:
            rule = classify(text, mention, lo, hi, last)
            if rule and rule.standalone:
                out.append((rule.role, mention))
    return out


def _nearest_sum(mention: OrgMention, sums: list, prefer_before: bool) -> int | None:
    before = [(mention.span.start - s.span.end, i) for i, s in enumerate(sums)
              if s.span.end <= mention.span.start and mention.span.start - s.span.end <= NEAR]
    after = [(s.span.start - mention.span.end, i) for i, s in enumerate(sums)
             if s.span.start >= mention.span.end and s.span.start - mention.span.end <= NEAR]
    first, second = (before, after) if prefer_before else (after, before)
    if first:
        return min(first)[1]
    return min(second)[1] if second else None
