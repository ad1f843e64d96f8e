"""Find organisation mentions: registry names and aliases, then unknown names by shape.

Registry names match case-insensitively, acronyms only in capitals. Unknown
organisations are capitalised phrases ending in an organisation word (Trust,
Ltd, Council...), as listed in orgs.yaml. "Full Name (ACR)" teaches the
document's own acronyms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg import registries
from kg.extract.cues import cues
from kg.extract.model import Org, OrgMention
from kg.extract.text import span
from kg.extract.trie import phrase_regex

ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z&]{1,9})\)")
NAME_WORD = r"[A-Z0-9][\w'’.&\-]*"


def _is_acronym(name: str) -> bool:
    return len(name) <= 6 and not any(c.islower() for c in name)


@dataclass(frozen=True)
class Matchers:
    names: re.Pattern[str] | None
    acronyms: re.Pattern[str] | None
    unknown: re.Pattern[str]


@lru_cache(maxsize=1)
def matchers() -> Matchers:
    surface = [n for n, _ in registries.organisations().surface_names()]
    data = cues("orgs")
    suffixes = "|".join(re.escape(s) for s in sorted(data["suffixes"], key=len, reverse=True))
    joiner = r"(?:[ \t]+(?:" + NAME_WORD + r"|of|and|for|the|&|on|in|at)){0,7}?"
    unknown = re.compile(
        rf"(?<![\w'’])(?:{NAME_WORD}{joiner}[ \t]+)?(?:{suffixes})\b"
        r"(?:[ \t]*\([A-Z][A-Za-z&]{1,9}\))?(?:[ \t]+(?:Ltd|Limited|CIC|LLP|PLC|plc)\b\.?)?"
    )
    return Matchers(
        names=phrase_regex([n for n in surface if not _is_acronym(n)], re.I),
        acronyms=phrase_regex([n for n in surface if _is_acronym(n)]),
        unknown=unknown,
    )


def find_orgs(text: str, start: int, end: int, publisher: str | None = None) -> list[OrgMention]:
    """Organisation mentions in text[start:end], non-overlapping, in order."""
    registry = registries.organisations()
    m = matchers()
    found: list[OrgMention] = []
    for regex in (m.names, m.acronyms):
        if regex is None:
            continue
        for hit in regex.finditer(text, start, end):
            entry = registry.lookup(hit.group())
            if entry:
                found.append(OrgMention(entry.as_org(), span(text, hit.start(), hit.end())))
    found += _context_mentions(text, start, end, publisher)
    found += _unknown_mentions(text, start, end, registry)
    chosen = _non_overlapping(found)
    chosen += _acronym_mentions(text, start, end, chosen)
    return _non_overlapping(chosen)


def _context_mentions(text: str, start: int, end: int, publisher: str | None) -> list[OrgMention]:
    table = cues("orgs").get("context_aliases", {}).get(publisher or "", {})
    registry = registries.organisations()
    out = []
    for alias, org_id in table.items():
        entry = registry.entries.get(org_id)
        if not entry:
            continue
        for hit in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w'’-])", text[start:end]):
            s, e = start + hit.start(), start + hit.end()
            if alias == "Mayor" and re.search(r"(?:Deputy|Assistant)\s+$", text[max(0, s - 12):s]):
                continue
            out.append(OrgMention(entry.as_org(), span(text, s, e)))
    return out


BEFORE_SUM = re.compile(
    r"(?<![\w'’])(?P<name>[A-Z][\w'’&-]*(?:[ \t]+[A-Z0-9][\w'’&-]*){0,4}(?:[ \t]+[a-z][\w'’-]*)?)[ \t]*\([ \t]*£")


def _unknown_mentions(text: str, start: int, end: int, registry) -> list[OrgMention]:
    return _suffix_mentions(text, start, end, registry) + _before_sum_mentions(text, start, end, registry)


def _before_sum_mentions(text: str, start: int, end: int, registry) -> list[OrgMention]:
    """'London Blues (£151k)': a name given with its sum in brackets is a party."""
    out = []
    for hit in BEFORE_SUM.finditer(text, start, end):
        name = hit.group("name")
        if plausible_name(name):
            out.append(OrgMention(registry.resolve(name), span(text, hit.start("name"), hit.end("name"))))
    return out


def plausible_name(name: str) -> bool:
    """A short capitalised label that is not a heading word, a sum or a post."""
    data = cues("orgs")
    words = name.split()
    if not 1 <= len(words) <= 6 or words[0] in data["not_org_first_words"]:
        return False
    bad = set(data["not_org_words"]) | set(data["not_label_words"])
    if any(w.strip(".,:;–-") in bad for w in words):
        return False
    return registries.name_key(name) not in {registries.name_key(n) for n in data["not_orgs"]}


def _suffix_mentions(text: str, start: int, end: int, registry) -> list[OrgMention]:
    data = cues("orgs")
    first_stop = set(data["not_org_first_words"])
    bad_words = set(data["not_org_words"])
    not_orgs = {registries.name_key(n) for n in data["not_orgs"]}
    out = []
    for hit in matchers().unknown.finditer(text, start, end):
        s, name = hit.start(), hit.group()
        words = name.split()
        while words and (words[0] in first_stop or words[0].lower() in ("of", "and", "for", "the")):
            s = text.index(words[1], s + len(words[0])) if len(words) > 1 else hit.end()
            words = words[1:]
        name = " ".join(words)
        if len(words) < 2 or "\n" in text[s:hit.end()] or any(w in bad_words for w in words):
            continue
        base = ACRONYM_AFTER.sub("", name)
        if registries.name_key(base) in not_orgs:
            continue
        out.append(OrgMention(registry.resolve(base), span(text, s, hit.end())))
    return out


def _acronym_mentions(text: str, start: int, end: int, chosen: list[OrgMention]) -> list[OrgMention]:
    """'Police Crime Prevention Initiative (PCPI)' makes later 'PCPI' the same organisation."""
    defined: dict[str, Org] = {}
    for mention in chosen:
        after = ACRONYM_AFTER.match(text, mention.span.end)
        if after and not mention.org.in_registry:
            defined[after.group(1)] = mention.org
        inner = re.search(r"\(([A-Z][A-Za-z&]{1,9})\)", mention.span.quote)
        if inner and not mention.org.in_registry:
            defined[inner.group(1)] = mention.org
    out = []
    for acronym, org in defined.items():
        for hit in re.finditer(rf"(?<![\w]){re.escape(acronym)}(?![\w])", text[start:end]):
            out.append(OrgMention(_with_alias(org, acronym), span(text, start + hit.start(), start + hit.end())))
    return out


def _with_alias(org: Org, alias: str) -> Org:
    return org if alias in org.aliases else Org(org.key, org.name, (*org.aliases, alias), org.in_registry)


def _non_overlapping(mentions: list[OrgMention]) -> list[OrgMention]:
    """Keep registry matches over shape matches, longer over shorter, earlier over later."""
    ranked = sorted(mentions, key=lambda m: (not m.org.in_registry, -(m.span.end - m.span.start), m.span.start))
    taken: list[OrgMention] = []
    for m in ranked:
        if all(m.span.end <= t.span.start or m.span.start >= t.span.end for t in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: m.span.start)
