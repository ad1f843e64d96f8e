"""Clauses of delegation schemes and other internal governance instruments.

Scheme names are registry data (kg/data/schemes.yaml); a clause is a numbered
paragraph, section or article before ("Paragraph 4.8 of the MOPAC Scheme of
Consent and Delegation") or right after the name ("Scheme of Delegation and
Consent (4.8)", "Financial Regulations paragraph 4.2"). The decision's own
paragraph numbers never count, because a clause must be attached to a scheme.
"""

from __future__ import annotations

import re

from kg import registries
from kg.extract.model import Delegation
from kg.extract.text import may_hold, runs_holding_words, span

KIND = (r"(?P<kind>paragraphs?|paras?\.?|articles?|arts?\.?|sections?|s\.|clauses?|rules?|parts?|annex"
        r"|standing\s+orders?)")
NUM = r"(?-i:[A-Z]\.?)?\d+[A-Z]?(?:\.\d+[a-z]?)*(?:\s*\([a-z0-9]{1,4}\))*"  # 4.8, 5A, C7, B.12
NUMS = rf"{NUM}(?:\s*(?:,|and|&)\s*{NUM})*"  # 'Paragraphs 4.13 and 1.10'
PARENT = r"(?:part|section|annex)\s+(?:\d+[A-Z]?|(?-i:[A-Z]))\b"   # 'Part 2', 'Section 4A', 'Section C'
BEFORE = re.compile(
    rf"(?P<parent>(?:{PARENT}\s*,\s*){{0,2}}){KIND}\s*(?P<num>{NUMS})"
    rf"(?:\s+of\s+(?P<parent2>{PARENT}(?:\s*,\s*{PARENT})?))?"   # 'paragraph 5.9 of Part 3, Section 5 of'
    r"\s*,?\s*(?:of|to|in|under|within)\s+(?:(?:the|its|their|our)\s+)?(?:[\w’']+['’]s\s+)?$", re.I)
AFTER = re.compile(rf"\s*(?:,\s*)?(?:\(\s*)?(?P<parent>(?:{PARENT}\s*,\s*){{0,2}})"
                   rf"(?:{KIND}\s*(?P<num>{NUM})|(?P<bare>\d+\.\d+[a-z]?(?:\.\d+)*))\s*\)?", re.I)
KIND_NAMES = {"para": "paragraph", "paragraph": "paragraph", "art": "article", "article": "article",
              "s": "section", "section": "section", "clause": "clause", "rule": "rule", "part": "part",
              "annex": "annex", "standing order": "standing order"}
WINDOW = 120


# A clause of the scheme named just before: 'Under paragraph 3.10 of the Scheme, ...', or a
# sentence opening 'Paragraph 4.11 reserves to the DMPC ...' after one naming the scheme.
ANAPHOR = re.compile(
    rf"(?:(?<=[.;:]\s)|(?<=^)|(?<=\n)|(?<=\bUnder\s)|(?<=\bunder\s))(?P<kind>Paragraphs?|Para\.?|paragraphs?)\s+"
    rf"(?P<num>{NUMS})(?![.\d]*\d)(?:\s+of\s+the\s+(?P<short>Scheme|Constitution)\b"
    rf"|(?!\s*(?:of|in|to|above|below)\b))",
    re.M)
ANAPHOR_REACH = 600
# ... or one listed after it in the same sentence: 'Under the Scheme, paragraph 4.6 reserves ...,
# paragraph 4.8 the acceptance of grants, and paragraph 4.19 approval of virements', '... of
# £500,000 or more (paragraph 4.13)'.
LISTED = re.compile(
    rf"(?:(?<=,\s)|(?<=\band\s)|(?<=\())(?P<kind>paragraphs?|para\.?)\s+(?P<num>{NUMS})(?![.\d]*\d)"
    rf"(?!\s*(?:of|in|to|above|below)\b)", re.I)
SENTENCE_END = re.compile(r"[.;:!?](?:\s|$)")
PARA = re.compile(r"[Pp]ara")


def find_delegations(text: str, start: int, end: int) -> list[Delegation]:
    out: list[Delegation] = []
    mentions = _scheme_mentions(text, start, end)
    for s, e, key, name, default_kind in mentions:
        for kind, number, cs, ce in _clauses_around(text, s, e, start, end, default_kind):
            out.append(Delegation(key, name, kind, number, span(text, min(cs, s), max(ce, e))))
    taken = {(d.span.start, d.span.end) for d in out}
    for m in _anaphors(text, start, end) if mentions else ():
        scheme = _scheme_before(mentions, m.start(), m.groupdict().get("short"))
        if scheme is None or any(s <= m.start() < e for s, e in taken):
            continue
        if m.re is LISTED and SENTENCE_END.search(text, scheme[1], m.start()):
            continue   # listed clauses belong to a scheme named in their own sentence
        _, _, key, name, _ = scheme
        for number in _numbers(m.group("num")):
            out.append(Delegation(key, name, "paragraph", number, span(text, m.start(), m.end())))
    return out


def _anaphors(text: str, start: int, end: int):
    """ANAPHOR's matches, tried only where 'para' stands (its look-behinds would otherwise be
    tried at every position of the text)."""
    for hit in PARA.finditer(text, start, end):
        m = ANAPHOR.match(text, hit.start(), end) or LISTED.match(text, hit.start(), end)
        if m:
            yield m


def _scheme_before(mentions: list, pos: int, short: str | None):
    """The scheme named last before `pos`, within reach ('the Scheme': any delegation scheme)."""
    before = [m for m in mentions if m[1] <= pos and (short is not None or pos - m[1] <= ANAPHOR_REACH)]
    if short == "Constitution":
        before = [m for m in before if "constitution" in m[3].lower()]
    elif short == "Scheme":
        before = [m for m in before if "scheme" in m[3].lower()]
    return before[-1] if before else None


def _numbers(raw: str) -> list[str]:
    return [re.sub(r"\s+", "", n) for n in re.split(r"\s*(?:,|\band\b|&)\s*", raw) if n.strip()]


def _plural(scheme, name: str) -> str:
    """'Contract Procedure Rule' (before '12.3') is one of the 'Contract Procedure Rules' (the
    scheme's data says which last words stand for their plural)."""
    return name + "s" if name.rsplit(" ", 1)[-1].lower() in scheme.singular_ends else name


def _scheme_mentions(text: str, start: int, end: int):
    found = []
    for scheme in registries.schemes():
        for m in _matches(scheme, text, start, end):
            if any(fs <= m.start() < fe or m.start() <= fs < m.end() for fs, fe, *_ in found):
                continue
            if scheme.name:
                found.append((m.start(), m.end(), scheme.key, scheme.name, scheme.clause_kind))
            else:
                raw = m.group("name")
                lead = re.match(r"(?i)(?:(?:the|its|their|our|of|and|for|to|in|under|a|an)\s+)*", raw).end()
                name = re.sub(r"\s+", " ", raw[lead:]).strip()
                if name:
                    name = _plural(scheme, name)
                    found.append((m.start("name") + lead, m.end(), registries.name_key(name).replace(" ", "-"),
                                  name, scheme.clause_kind))
    return sorted(found)


def _matches(scheme: registries.Scheme, text: str, start: int, end: int):
    """The scheme regex's matches in text[start:end], skipping text that cannot hold one."""
    if scheme.requires and not may_hold(text, scheme.requires, start, end):
        return
    if scheme.barrier is None or not scheme.requires:
        yield from scheme.regex.finditer(text, start, end)
        return
    for s, e in runs_holding_words(text, tuple(scheme.requires), scheme.barrier, start, end):
        yield from scheme.regex.finditer(text, s, e)


def _clauses_around(text, s, e, lo, hi, default_kind):
    out = []
    before = text[max(lo, s - WINDOW):s]
    m = BEFORE.search(before)
    if m:
        cs = max(lo, s - WINDOW) + m.start()
        for number in _numbers(m.group("num")):
            out.append((*_clause(m.group("kind"), number, m.group("parent") or m.group("parent2")), cs, e))
    m = AFTER.match(text, e, min(hi, e + 40))
    if m and not out:
        kind = m.group("kind") or _kind_from_name(text[s:e], default_kind)
        out.append((*_clause(kind, m.group("num") or m.group("bare"), m.group("parent") or None), s, m.end()))
    return out


def _kind_from_name(name: str, default: str) -> str:
    """A bare number after 'Contract Procedure Rules' is a rule; after 'Standing Order(s)' a standing order."""
    for pattern, kind in ((r"(?i)\brules?$", "rule"), (r"(?i)\bstanding\s+orders?$", "standing order"),
                          (r"(?i)\bregulations$", "regulation")):
        if re.search(pattern, name.strip()):
            return kind
    return default


def _clause(kind: str, number: str, parent: str | None) -> tuple[str, str]:
    word = re.sub(r"s$|\.$", "", kind.lower().strip()).replace("  ", " ")
    name = KIND_NAMES.get(word, word)
    number = re.sub(r"\s+", "", number)
    if parent:   # 'Part 3, Section 4, paragraph 4.7' -> ('part 3 section 4 paragraph', '4.7')
        path = " ".join(f"{k.lower()} {n}" for k, n in re.findall(r"(?i)(part|section|annex)\s+(\d+[A-Z]?|[A-Z])\b",
                                                                   parent))
        return f"{path} {name}", number
    return name, number
