"""Registries held as data: organisations, legislation and delegation schemes.

Adding a statute, an organisation or an alias is a line in kg/data/; this module
only loads the files and answers look-ups. Unknown organisations still get a
stable identity from their normalised name, so variants of one name merge.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from kg.extract.model import Org
from kg.resources import DATA_DIR

LEGAL_SUFFIX = re.compile(r"\b(?:ltd|limited|plc|llp|cic|inc)\b\.?", re.I)


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A key under which variants of one organisation name coincide (cached: every
    candidate name of every document is keyed, and names recur).

    'Police Crime Prevention Initiatives Limited' and 'PCPI Ltd's full name
    'Police Crime Prevention Initiative Ltd' both give
    'police crime prevention initiative'.
    """
    s = name.lower().replace("&", " and ").replace("’", "'")
    s = LEGAL_SUFFIX.sub(" ", s)
    s = re.sub(r"'s\b", "s", s)
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    words = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
             for w in s.split() if w != "the"]
    return " ".join(words)


@dataclass(frozen=True)
class OrgEntry:
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    org_id: str | None = None
    wikidata: str | None = None
    parent: str | None = None

    def as_org(self) -> Org:
        return Org(self.id, self.name, self.aliases, in_registry=True)


@dataclass
class OrgRegistry:
    entries: dict[str, OrgEntry]
    by_name: dict[str, str] = field(default_factory=dict)  # name_key -> id

    def __post_init__(self) -> None:
        for entry in self.entries.values():
            for name in (entry.name, *entry.aliases):
                self.by_name.setdefault(name_key(name), entry.id)

    def lookup(self, name: str) -> OrgEntry | None:
        entry_id = self.by_name.get(name_key(name))
        return self.entries.get(entry_id) if entry_id else None

    def resolve(self, name: str) -> Org:
        """A registry organisation, or a new one keyed by the normalised name."""
        entry = self.lookup(name)
        if entry:
            return entry.as_org()
        return Org(name_key(name) or name.lower(), name.strip(), ())

    def surface_names(self) -> list[tuple[str, str]]:
        """(alias, id) for every name and alias, for building mention matchers."""
        return [(n, e.id) for e in self.entries.values() for n in (e.name, *e.aliases)]


@dataclass(frozen=True)
class Instrument:
    legislation_id: str | None
    title: str
    kind: str
    year: int | None
    aliases: tuple[str, ...]


@dataclass
class LegislationRegistry:
    instruments: list[Instrument]
    by_title: dict[str, Instrument] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for inst in self.instruments:
            for name in (inst.title, *inst.aliases):
                self.by_title.setdefault(title_key(name), inst)

    def lookup(self, title: str) -> Instrument | None:
        return self.by_title.get(title_key(title))

    def lookup_fuzzy(self, title: str, threshold: float = 0.75) -> Instrument | None:
        """A misnamed title of a known year ('Police and Reform and Social Responsibility Act
        2011') resolves to the instrument of that year whose title shares most of its words."""
        year = re.search(r"((?:1[89]|20)\d\d)\s*$", title)
        if not year:
            return None
        words = set(title_key(title).split())
        best, score = None, threshold
        for inst in self.instruments:
            if inst.year != int(year.group(1)):
                continue
            theirs = set(title_key(inst.title).split())
            jaccard = len(words & theirs) / len(words | theirs)
            if jaccard > score:
                best, score = inst, jaccard
        return best


@lru_cache(maxsize=4096)
def title_key(title: str) -> str:
    s = title.lower().replace("’", "'")
    s = re.sub(r"\([^)]*\)", " ", s) if re.search(r"\(\w+\)\s*\d{4}", s) else s
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return re.sub(r"^the ", "", s.strip())


@dataclass(frozen=True)
class Scheme:
    key: str
    name: str
    regex: re.Pattern[str]
    clause_kind: str
    owner: str | None
    requires: tuple[str, ...] = ()  # lower-case words of which every match holds one
    barrier: re.Pattern[str] | None = None  # characters no match holds
    singular_ends: tuple[str, ...] = ()  # last words of a name that stand for their plural


def _read_yaml(name: str):
    path = DATA_DIR / name
    if not path.exists():
        return []
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


@lru_cache(maxsize=1)
def organisations() -> OrgRegistry:
    entries = {}
    for row in _read_yaml("organisations.yaml"):
        entry = OrgEntry(
            id=row["id"], name=row["name"], aliases=tuple(row.get("aliases") or ()),
            kind=row.get("kind") or "other", org_id=row.get("org_id"),
            wikidata=row.get("wikidata"), parent=row.get("parent"),
        )
        entries[entry.id] = entry
    for row in _read_yaml("organisations_extra.yaml"):
        base = entries.get(row["id"])
        if base:
            entries[base.id] = OrgEntry(base.id, base.name, base.aliases + tuple(row.get("aliases") or ()),
                                        base.kind, base.org_id, base.wikidata, base.parent)
    return OrgRegistry(entries)


@lru_cache(maxsize=1)
def legislation() -> LegislationRegistry:
    path = DATA_DIR / "legislation.csv"
    rows = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    instruments = [
        Instrument(
            legislation_id=(r.get("legislation_id") or "").strip() or None,
            title=r["title"].strip(), kind=(r.get("kind") or "other").strip(),
            year=int(r["year"]) if (r.get("year") or "").strip().isdigit() else None,
            aliases=tuple(a.strip() for a in (r.get("aliases") or "").split("|") if a.strip()),
        )
        for r in rows if (r.get("title") or "").strip()
    ]
    return LegislationRegistry(instruments)


@lru_cache(maxsize=1)
def schemes() -> list[Scheme]:
    return [
        Scheme(row["key"], row["name"],
               re.compile(row["regex"], 0 if row.get("case_sensitive") else re.I),
               row.get("clause_kind", "paragraph"), row.get("owner"), tuple(row.get("requires") or ()),
               re.compile(row["barrier"]) if row.get("barrier") else None,
               tuple(row.get("singular_ends") or ()))
        for row in _read_yaml("schemes.yaml")
    ]
