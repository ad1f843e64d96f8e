"""What extraction produces: facts about decisions, each with the span it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Span:
    """Character offsets into SourceText.text and the exact quote there."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Org:
    """An organisation resolved to one identity: registry id, or a key made from its name."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    in_registry: bool = False


@dataclass(frozen=True)
class OrgMention:
    org: Org
    span: Span


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str
    span: Span
    funder: Org | None = None
    recipient: Org | None = None
    period: str | None = None  # financial year "2023/24" or stated period
    kind: str | None = None  # grant, contract, allocation, budget, bid, ...
    per_annum: bool = False
    also_at: tuple[Span, ...] = ()  # further places the same flow is stated


@dataclass(frozen=True)
class Citation:
    """A cited instrument, and the provision cited within it (empty for the whole instrument)."""

    title: str
    legislation_id: str | None
    kind: str
    provision: tuple[tuple[str, str], ...]
    span: Span

    @property
    def resolved(self) -> bool:
        return self.legislation_id is not None


@dataclass(frozen=True)
class Delegation:
    scheme_key: str
    scheme_name: str
    clause_kind: str
    clause_number: str
    span: Span


@dataclass(frozen=True)
class Text:
    value: str
    span: Span | None = None


@dataclass
class Decision:
    reference: Text
    issuer: Org | None = None  # the body whose decision it is, where known
    scope: str | None = None  # who numbers the references ('pcc-surrey' for '44/2020')
    scoped: bool = False  # whether the reference needs the scope to be unique
    title: Text | None = None
    maker_name: Text | None = None
    maker_role: Text | None = None
    date_signed: Text | None = None  # ISO date
    amounts: list[Amount] = field(default_factory=list)
    funders: list[Org] = field(default_factory=list)
    recipients: list[Org] = field(default_factory=list)
    named_parties: list[tuple[str, OrgMention]] = field(default_factory=list)  # parties outside sums
    citations: list[Citation] = field(default_factory=list)
    delegations: list[Delegation] = field(default_factory=list)
    related: list[Text] = field(default_factory=list)
