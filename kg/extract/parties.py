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


@dataclass(frozen=True)
class Rule:
    role: str
    side: str  # "before" or "after": where the cue words sit relative to the mention
    regex: re.Pattern[str]
    spread: str | None = None  # "later": also every later sum without this role; "all": every such sum
    incoming: bool = False  # money coming in from this funder ("£500k from the Home Office")


@dataclass
class Party:
    role: str
    org: Org
    mention: OrgMention


@lru_cache(maxsize=1)
def _rules() -> list[Rule]:
    out = []
    for r in cues("parties")["rules"]:
        side = "before" if "before" in r else "after"
        out.append(Rule(r["role"], side, re.compile(r[side], re.I), r.get("spread"), bool(r.get("incoming"))))
    return out


@lru_cache(maxsize=1)
def accept_verbs() -> re.Pattern[str]:
    return re.compile(cues("parties")["accept_verbs"], re.I)


def classify(text: str, mention: OrgMention, lo: int, hi: int) -> Rule | None:
    """The first rule the words around a mention in [lo, hi) satisfy, or None."""
    before = text[max(lo, mention.span.start - 80): mention.span.start]
    after = text[mention.span.end: min(hi, mention.span.end + 80)].lstrip(")]")
    for rule in _rules():
        target = before if rule.side == "before" else after
        if rule.regex.search(target):
            return rule
    return None


def assign(text: str, mentions: list[OrgMention], sums: list, lo: int, hi: int) -> dict[int, dict[str, Org]]:
    """For each sum index, {'funder': Org, 'recipient': Org, 'incoming': bool} from the mentions in [lo, hi)."""
    out: dict[int, dict[str, Org]] = {}
    for mention in mentions:
        if not (lo <= mention.span.start < hi):
            continue
        rule = classify(text, mention, lo, hi)
        if not rule or rule.role == "none":
            continue
        index = _nearest_sum(mention, sums, prefer_before=(rule.side == "before"))
        if index is not None:
            roles = out.setdefault(index, {})
            if rule.role not in roles and rule.incoming:
                roles["incoming"] = True
            roles.setdefault(rule.role, mention.org)
        if rule.spread:
            for i, s in enumerate(sums):
                if rule.spread == "all" or s.span.start > mention.span.end:
                    out.setdefault(i, {}).setdefault(rule.role, mention.org)
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
