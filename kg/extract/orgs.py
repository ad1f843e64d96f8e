"""Find organisation mentions: registry names and aliases, then unknown names by shape.

Registry names match case-insensitively, acronyms only in capitals. Unknown
organisations are capitalised phrases ending in an organisation word (Trust,
Ltd, Council...), as listed in orgs.yaml. "Full Name (ACR)" teaches the
document's own acronyms.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from kg import registries
from kg.extract.cues import cues
from kg.extract.model import Org, OrgMention
from kg.extract.text import COLUMN_GAP, runs_holding, span
from kg.extract.trie import PhraseIndex, alternation

ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z&]{1,9})\)")
NAME_WORD = r"[A-Z0-9][\w'’.&\-]*"


def _is_acronym(name: str) -> bool:
    return len(name) <= 6 and not any(c.islower() for c in name)


@dataclass(frozen=True)
class Matchers:
    names: PhraseIndex
    acronyms: PhraseIndex
    unknown: re.Pattern[str]
    suffix: re.Pattern[str]  # an organisation word, not followed by more of a word


CAP = r"(?:[A-Z][\w'’&\-]*|[0-9]+[A-Za-z][\w'’&\-]*)"
GAP = r"(?: |[ \t]*\n[ \t]*)"  # a space, or one line break where a long name wraps (not a column gap)
PHRASE = rf"{CAP}(?:(?:{GAP}(?:of|and|for|on|in|at|&))?(?:{GAP}the)?{GAP}{CAP})*(?:[ \t]*\([A-Z][A-Za-z&]{{1,9}}\))?"
# 'to|with|from|by|towards' as a whole word, in any case, written to open with a class of plain
# letters: the regex engine then skips to those letters instead of trying every position.
SLOT_WORD = r"[TtWwFfBb](?<!\w.)(?i:(?<=t)o|(?<=w)ith|(?<=f)rom|(?<=b)y|(?<=t)owards)"
SLOT = re.compile(rf"{SLOT_WORD}(?i:[ \t]+(?:the[ \t]+)?)(?P<name>{PHRASE})")
# A name as the subject of a money verb: 'Historic England will contribute £600,000'.
MONEY_VERB = (r"[ \t]+(?i:(?:will|has|have|had|is|are|has\s+agreed\s+to|agreed\s+to)[ \t]+"
              r"(?:\w+[ \t]+){0,2}?(?:contribute|fund|pay|provide|offer|award|grant|allocate|match)\w*)")
SUBJECT = re.compile(rf"(?P<name>{PHRASE}){MONEY_VERB}")
# No PHRASE match holds one of these characters. Every SUBJECT match holds a MONEY_VERB match,
# and every unknown name kept holds an organisation word (Matchers.suffix), so only the
# stretches between barriers that hold one are searched (text.runs_holding).
SUBJECT_VERB = re.compile(MONEY_VERB)
PHRASE_BARRIER = re.compile(r"[^\w\s'’&\-()]")
WORD = re.compile(r"[\w'’&\-]+")
FIRST_WORD = re.compile(r"(\S+)[ \t]+")
SPACES = re.compile(r"\s+")
WORD_OR_DASH = re.compile(r"[\w-]")


@lru_cache(maxsize=1)
def matchers() -> Matchers:
    surface = [n for n, _ in registries.organisations().surface_names()]
    return Matchers(
        names=PhraseIndex([n for n in surface if not _is_acronym(n)], ignore_case=True),
        acronyms=PhraseIndex([n for n in surface if _is_acronym(n)], ignore_case=False),
        unknown=re.compile(rf"(?<![\w'’])(?P<name>{PHRASE})"),
        suffix=re.compile(f"{alternation(sorted(_word_sets()['suffixes']))}(?![\\w'’&\\-])"),
    )


def find_orgs(text: str, start: int, end: int, publisher: str | None = None,
              self_org: Org | None = None) -> list[OrgMention]:
    """Organisation mentions in text[start:end], non-overlapping, in order.

    `publisher` (a registry id) and `self_org` (the deciding body) resolve names that
    only context can: 'the Mayor' in a GLA decision, 'the Commissioner' in a PCC's.
    """
    found = registry_mentions(text, start, end) + _unknown_mentions(text, start, end)
    found += _context_mentions(text, start, end, publisher, self_org)
    chosen = _non_overlapping(found)
    chosen += _acronym_mentions(text, start, end, chosen)
    return _non_overlapping(chosen)


@lru_cache(maxsize=8)
def registry_mentions(text: str, start: int, end: int) -> list[OrgMention]:
    """Registry names and aliases in a region (cached: context-dependent passes repeat it)."""
    registry = registries.organisations()
    m = matchers()
    found = []
    for index in (m.names, m.acronyms):
        for s, e, surface in index.finditer(text, start, end):
            entry = registry.lookup(surface)
            if entry:
                found.append(OrgMention(_with_alias(entry.as_org(), _surface(surface)), span(text, s, e)))
    return found


def _surface(name: str) -> str:
    return SPACES.sub(" ", name).strip()


def _context_mentions(text: str, start: int, end: int, publisher: str | None,
                      self_org: Org | None) -> list[OrgMention]:
    tables = cues("orgs").get("context_aliases", {})
    table = dict(tables.get(publisher or "", {}))
    registry = registries.organisations()
    if self_org is not None:
        table.update(tables.get(f"_{self_kind(self_org)}", {}))
    out = []
    for alias, org_id in table.items():
        org = self_org if org_id == "_self" else (registry.entries[org_id].as_org()
                                                  if org_id in registry.entries else None)
        if org is None:
            continue
        if alias not in text:
            continue  # the regex holds the alias literally, case and all
        for s, e in _alias_hits(text, alias, start, end):
            if alias == "Mayor" and re.search(r"(?:Deputy|Assistant)\s+$", text[max(0, s - 12):s]):
                continue
            out.append(OrgMention(_with_alias(org, alias.removeprefix("the ")), span(text, s, e)))
    return out


def _alias_hits(text: str, alias: str, start: int, end: int) -> list[tuple[int, int]]:
    r"""Where the alias stands as a whole word in text[start:end] (the region's start counts as
    a word boundary): what finditer over the region's slice gives for the alias between
    (?<![\w-]) and (?![\w-]). The regex opens with the alias so the engine skips to it; the
    look-behind is checked here."""
    rx, out, pos = _alias_regex(alias), [], start
    while hit := rx.search(text, pos, end):
        s = hit.start()
        if s > start and WORD_OR_DASH.match(text, s - 1):
            pos = s + 1
            continue
        out.append((s, hit.end()))
        pos = hit.end()
    return out


@lru_cache(maxsize=256)
def _alias_regex(alias: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(alias)}(?![\w-])")


def self_kind(org: Org) -> str | None:
    """The kind of a deciding body: from the registry, or from the name pattern that found it."""
    entry = registries.organisations().entries.get(org.key) if org.in_registry else None
    if entry:
        return entry.kind
    for pattern in cues("orgs").get("self_patterns", []):
        if re.fullmatch(pattern["regex"], org.name):
            return pattern["kind"]
    return None


def deciding_body_by_name(text: str) -> tuple[int, Org] | None:
    """The first name in the text shaped like a deciding body ('Castlebridge Borough Council'),
    with where it starts: a heading in capitals ('HAMPSHIRE COUNTY COUNCIL') first, then the
    patterns in order of preference (a town council only when no other body is named)."""
    heading = _capitals_heading(text)
    if heading:
        return heading
    for fallback in (False, True):
        best = None
        for regex, anchor, heading_only in _self_regexes(fallback):
            m = _first_match(text, regex, anchor, cues("orgs")["self_heading_chars"] if heading_only else len(text))
            if m and (best is None or m.start() < best.start()):
                best = m
        if best:
            return best.start(), registries.organisations().resolve(best.group())
    return None


TITLE_PARTS = re.compile(r"\s+[|–—:-]\s+|\s*\|\s*")


def deciding_body_in_title(title: str) -> Org | None:
    """A deciding body named by a part of a page's title ('Decision - X | Mardale Combined
    Authority'), in capitals or not."""
    for part in TITLE_PARTS.split(title):
        name = _title_cased(part) if part.isupper() else part.strip()
        if any(regex.fullmatch(name) for regex, _, _ in _self_regexes(False)):
            return registries.organisations().resolve(name)
    return None


def _capitals_heading(text: str) -> tuple[int, Org] | None:
    """A deciding body's name in capitals on a line of its own near the top."""
    limit = cues("orgs")["self_heading_chars"]
    for m in re.finditer(r"(?m)^[ \t#*|]*([A-Z][A-Z &',’-]{6,120}?)[ \t*|]*$", text[:limit]):  # in a box too: "| X |"
        at = m.start(1)
        for cell in COLUMN_GAP.split(m.group(1).strip()):   # 'KESTRELBURY DISTRICT COUNCIL      OFFICIAL'
            name = _title_cased(cell)
            if any(regex.fullmatch(name) for regex, _, _ in _self_regexes(False)):
                return text.index(cell, at), registries.organisations().resolve(name)
    return None


def _title_cased(capitals: str) -> str:
    """'OFFICE OF THE POLICE AND CRIME COMMISSIONER FOR X' -> 'Office of the Police and Crime Commissioner for X'."""
    first, *rest = capitals.title().split(" ")
    small = cues("orgs")["heading_small_words"]
    return " ".join([first, *(w.lower() if w.lower() in small else w for w in rest)])


@lru_cache(maxsize=2)
def _self_regexes(fallback: bool = False) -> list[tuple[re.Pattern[str], re.Pattern[str], bool]]:
    """(regex, anchor, only in the page's heading) of each deciding-body pattern."""
    return [(re.compile(p["regex"]), re.compile(p["anchor"]), bool(p.get("heading_only")))
            for p in cues("orgs").get("self_patterns", []) if bool(p.get("fallback")) == fallback]


def _first_match(text: str, regex: re.Pattern[str], anchor: re.Pattern[str], end: int) -> re.Match[str] | None:
    """regex.search(text, 0, end), looked for only in the stretches that can hold a match: the
    patterns open with a capitalised word, so the engine would try every capital of the text."""
    barrier = _self_barrier()
    for s, e in runs_holding(text, anchor, barrier, 0, end):
        m = regex.search(text, s, e)
        if m:
            return m
    return None


@lru_cache(maxsize=1)
def _self_barrier() -> re.Pattern[str]:
    return re.compile(cues("orgs")["self_barrier"])


MONTH_START = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|"
                         r"December|Monday|Tuesday|Wednesday|Thursday|Friday)\b")
BEFORE_SUM = re.compile(
    r"(?<![\w'’])(?P<name>[A-Z][\w'’&-]*(?: [A-Z0-9][\w'’&-]*){0,4}(?: [a-z][\w'’-]*)?)[ \t]*\([ \t]*£")
# Every BEFORE_SUM match ends in a bracketed '£' and holds none of these characters.
BEFORE_SUM_ANCHOR = re.compile(r"\([ \t]*£")
BEFORE_SUM_BARRIER = re.compile(r"[^\w'’&\- \t(£]")


@lru_cache(maxsize=8)
def _unknown_mentions(text: str, start: int, end: int) -> list[OrgMention]:
    registry = registries.organisations()
    return _suffix_mentions(text, start, end, registry) + _before_sum_mentions(text, start, end, registry)


def _before_sum_mentions(text: str, start: int, end: int, registry) -> list[OrgMention]:
    """'London Blues (£151k)': a name given with its sum in brackets is a party."""
    out = []
    for s, e in runs_holding(text, BEFORE_SUM_ANCHOR, BEFORE_SUM_BARRIER, start, end):
        for hit in BEFORE_SUM.finditer(text, s, e):
            name = hit.group("name")
            if plausible_name(name):
                out.append(OrgMention(registry.resolve(name), span(text, hit.start("name"), hit.end("name"))))
    return out


def plausible_name(name: str, label: bool = False) -> bool:
    """A capitalised name that is not a heading word, a post or (for table labels) a line item."""
    words = name.split()
    if not 1 <= len(words) <= 10 or words[0] in _word_sets()["not_org_first_words"]:
        return False
    bad = _word_sets()["not_label" if label else "not_org_words"]
    if any(w.strip(".,:;–-") in bad for w in words):
        return False
    return registries.name_key(name) not in _not_org_keys()


@lru_cache(maxsize=1)
def _word_sets() -> dict[str, frozenset[str]]:
    """The word lists of orgs.yaml as sets, built once: they are consulted for every candidate name."""
    data = cues("orgs")
    sets = {k: frozenset(data[k]) for k in ("suffixes", "not_org_first_words", "not_org_words", "not_label_words")}
    sets["not_label"] = sets["not_org_words"] | sets["not_label_words"]
    return sets


@lru_cache(maxsize=1)
def _not_org_keys() -> frozenset[str]:
    return frozenset(registries.name_key(n) for n in cues("orgs")["not_orgs"])


def _suffix_mentions(text: str, start: int, end: int, registry) -> list[OrgMention]:
    """Capitalised phrases that hold an organisation word, or that sit in a party slot."""
    cue_words = _word_sets()["suffixes"]
    out = []
    m = matchers()
    for s, e in runs_holding(text, m.suffix, PHRASE_BARRIER, start, end):
        for hit in m.unknown.finditer(text, s, e):
            for ps, pe in _list_parts(text, hit.start("name"), hit.end("name")):
                if not cue_words.isdisjoint(WORD.findall(text[ps:pe])):
                    out += _named(text, ps, pe, registry)
    for hit in SLOT.finditer(text, start, end):
        out += _named(text, hit.start("name"), hit.end("name"), registry, min_words=2)
    for s, e in runs_holding(text, SUBJECT_VERB, PHRASE_BARRIER, start, end):
        for hit in SUBJECT.finditer(text, s, e):
            out += _named(text, hit.start("name"), hit.end("name"), registry, min_words=1)
    return out


def _list_parts(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """'Leeds City Council and Wakefield Council' is two names: a phrase is split at 'and' after a
    word that ends a body's name (orgs.yaml list_split_after), not 'Police and Crime Commissioner'."""
    parts, pos = [], s
    for m in _list_split().finditer(text, s, e):
        parts.append((pos, m.start("end")))
        pos = m.end()
    return [*parts, (pos, e)]


@lru_cache(maxsize=1)
def _name_end() -> re.Pattern[str]:
    forms = "|".join(re.escape(w) for w in cues("orgs")["legal_forms"])
    return re.compile(rf"\b(?:{forms})\.?(?=\s+(?:in|on|at|for|to|from|by|and|with)\b)")


@lru_cache(maxsize=1)
def _list_split() -> re.Pattern[str]:
    data = cues("orgs")
    words = "|".join(re.escape(w) for w in data["legal_forms"] + data["list_split_after"])
    return re.compile(rf"\b(?:{words})(?P<end>)\s+and\s+(?=[A-Z])")


def _named(text: str, s: int, e: int, registry, min_words: int = 2) -> list[OrgMention]:
    """An OrgMention for text[s:e] after trimming words that cannot open a name."""
    first_stop = _word_sets()["not_org_first_words"]
    name = text[s:e]
    while True:
        m = FIRST_WORD.match(name)
        if not m or (m.group(1) not in first_stop and m.group(1).lower() not in ("of", "and", "for", "the")):
            break
        s += m.end()
        name = name[m.end():]
    end_at = _name_end().search(name)  # 'Fernhill Analytics Ltd in March': a legal form ends the name
    if end_at:
        name, e = name[:end_at.end()], s + end_at.end()
    if name.endswith(("'s", "’s")):  # "City Intelligence Unit's budget"
        name, e = name[:-2], e - 2
    words = name.split()
    base = SPACES.sub(" ", ACRONYM_AFTER.sub("", name))
    if len(words) < min_words or not plausible_name(base) or MONTH_START.match(name):
        return []
    return [OrgMention(registry.resolve(base), span(text, s, e))]


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
    if any(m.span.start >= m.span.end for m in mentions):
        taken: list[OrgMention] = []  # an empty span: compare with each (never seen; kept exact)
        for m in ranked:
            if all(m.span.end <= t.span.start or m.span.start >= t.span.end for t in taken):
                taken.append(m)
        return sorted(taken, key=lambda m: m.span.start)
    return _disjoint(ranked)


def _disjoint(ranked: list[OrgMention]) -> list[OrgMention]:
    """Each mention in turn unless it overlaps one taken before, without comparing it with each:
    taken spans (none empty) are disjoint, so sorted by start their ends are sorted too, and only
    the last one starting before a span ends can overlap it."""
    starts: list[int] = []
    taken: list[OrgMention] = []
    for m in ranked:
        j = bisect_left(starts, m.span.end)
        if j and taken[j - 1].span.end > m.span.start:
            continue
        starts.insert(j, m.span.start)
        taken.insert(j, m)
    return taken
