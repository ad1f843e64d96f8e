"""Legal citations: instruments resolved to legislation.gov.uk ids, with provisions.

Instruments come from the legislation registry (titles and short forms), from a
generic title-and-year shape, and from back-references ("the 2011 Act"). A
provision phrase before ("Schedule 3, Paragraph 7 of the ...") or after ("...
1996, s.22A") an instrument mention is parsed into its parts, lists included
("Section 32 (2) (b) (ii) and (iii)"; "sections 30, 34 and 38").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg import registries
from kg.extract.cues import cues
from kg.extract.model import Citation
from kg.extract.text import runs_around, runs_holding, span
from kg.extract.trie import PhraseIndex

BARE_ACRONYM = re.compile(r"(?=(?:[a-z]*[A-Z]){2})[A-Za-z]{2,8}")  # 'GDPR', 'FoIA': a name alone, no year
NUM = r"\d+(?:[A-Z]{1,3}\d{0,3})?(?![\w]|\.\d)"  # 75, 2B, 14Z42 (inserted sections)
BR = r"\(\s*[0-9a-zA-Z]{1,5}\s*\)"
WINDOW = 160


@dataclass(frozen=True)
class InstrumentMention:
    title: str
    legislation_id: str | None
    kind: str
    year: int | None
    start: int
    end: int
    backref: bool = False
    bare_acronym: bool = False  # 'GDPR' alone: a topic word unless a provision is cited


@lru_cache(maxsize=1)
def _grammar() -> dict:
    data = cues("law")
    kinds = "|".join(f"(?P<k_{k}>{v})" for k, v in data["kind_words"].items())
    item = rf"(?<![\w])(?:{kinds})\s*{NUM}"
    any_kind = "(?:" + "|".join(data["kind_words"].values()) + ")"
    one_start = rf"(?<![\w]){any_kind}"
    one = rf"{one_start}\s*{NUM}(?:\s*{BR})*"
    # further items: a list ('30, 31 and 34') or a range ('5 to 7', '8-9': a dash only between numbers)
    more = rf"(?:(?:\s*(?:,|\band\b|\bor\b|&|\bto\b)\s*|[-–])(?:{NUM}|{BR})(?:\s*{BR})*)*"
    chain = rf"{one}{more}(?:\s*,?\s*(?:of\s+(?:the\s+)?|in\s+)?{one}{more})*"
    statutory = "|".join(v for k, v in data["kind_words"].items() if k in ("section", "regulation", "article",
                                                                            "paragraph", "schedule"))
    # The chains opening the 'before' and 'bare' patterns, written to open with a letter class.
    open_any, open_statutory = _opening(any_kind[3:-1], r"[\w]"), _opening(statutory, r"[\w.]")
    return {
        "token": re.compile(
            rf"{item}|(?P<br>{BR})|(?P<sep>,|\band\b|\bor\b|&)|(?P<rng>\bto\b|[-–])|(?P<of>\bof\b)|(?P<num>{NUM})",
            re.I),
        "before": re.compile(rf"(?P<chain>{open_any}(?i:{chain.removeprefix(one_start)})){_i(data['joiner_before'])}"),
        "after": re.compile(rf"\s*(?:,|\()?\s*(?P<chain>{chain})", re.I),
        "generic": re.compile(data["generic_instrument"]),
        "generic_anchor": re.compile(data["generic_anchor"]),
        "made_under_tail": re.compile(data["made_under_tail"]),
        "generic_barrier": re.compile(data["generic_barrier"]),
        "bare": re.compile(rf"(?P<chain>{open_statutory}(?i:\s*{NUM}(?:\s*{BR})*{more}"
                           rf"(?:\s*,?\s*(?:of\s+(?:the\s+)?|in\s+)?{one}{more})*))"),
        "backrefs": [(re.compile(b["regex"]), b["by"]) for b in data["back_references"]],
        "backref_anchor": re.compile(data["back_reference_anchor"]),
        "backref_barrier": re.compile(data["back_reference_barrier"]),
        "bare_barrier": re.compile(data["bare_provision_barrier"]),
    }


def _i(regex: str) -> str:
    return f"(?i:{regex})"


def _opening(alternation: str, not_after: str) -> str:
    """(?i)(?<!not_after)(?:alternation), written to open with a class of the alternatives'
    first letters outside the case-insensitive part (a class of cased letters under re.I is
    no use to it): the regex engine then skips to those letters instead of trying every
    position. Each alternative checks, looking back, the letter it opened with."""
    alts = alternation.split("|")
    if not all(a[:1].isascii() and a[:1].isalpha() and a[1:2] not in "?*+{" and a.count("(") == a.count(")")
               for a in alts):
        return _i(f"(?<!{not_after})(?:{alternation})")
    folds = {"i": "İı", "k": "\u212a", "s": "ſ"}  # letters beyond ASCII that re.I equates with these
    letters = {c for a in alts for c in (a[0].lower(), a[0].upper(), *folds.get(a[0].lower(), ""))}
    rests = "|".join(f"(?<={a[0]}){a[1:]}" for a in alts)
    return f"[{''.join(sorted(letters))}](?<!{not_after}.)(?i:{rests})"


@lru_cache(maxsize=1)
def _registry_matchers() -> tuple[PhraseIndex, PhraseIndex]:
    reg = registries.legislation()
    names = [n for inst in reg.instruments for n in (inst.title, *inst.aliases)]
    names += _yearless_titles(reg)
    acronyms = [n for n in names if n.isupper() and len(n) <= 8]
    return PhraseIndex([n for n in names if n not in acronyms], ignore_case=True), PhraseIndex(acronyms, False)


def _yearless_titles(reg) -> list[str]:
    """'Equality Act' for 'Equality Act 2010', where no other instrument shares the name."""
    counts: dict[str, int] = {}
    for inst in reg.instruments:
        bare = re.sub(r"\s+(?:19|20)\d\d$", "", inst.title)
        counts[bare] = counts.get(bare, 0) + 1
    return [b for b, n in counts.items() if n == 1 and re.search(r"\s(?:Act|Regulations|Order)$", b)]


def find_citations(text: str, start: int, end: int) -> list[Citation]:
    mentions = _instrument_mentions(text, start, end)
    citations: list[Citation] = []
    for mention in mentions:
        provisions = _provisions_around(text, mention, start, end)
        if (mention.backref or mention.bare_acronym) and not provisions:
            continue
        for parts, s, e in provisions or [((), mention.start, mention.end)]:
            s, e = min(s, mention.start), max(e, mention.end)
            citations.append(Citation(mention.title, mention.legislation_id, mention.kind,
                                      _rename_kinds(parts, mention), span(text, s, e)))
    citations += _bare_provisions(text, start, end, mentions, citations)
    return _most_specific(citations)


def _bare_provisions(text: str, start: int, end: int, mentions: list[InstrumentMention],
                     cited: list[Citation]) -> list[Citation]:
    """'... under section 22C' with no instrument named: the instrument cited just before."""
    if all(i.bare_acronym for i in mentions):
        return []  # a bare provision needs a named instrument before it
    data = cues("law")
    not_law = re.compile(data["not_legislation_after"], re.I)
    taken = [(c.span.start, c.span.end) for c in cited]
    out = []
    for m in _bare_matches(text, start, end, mentions):
        if any(s <= m.start() < e for s, e in taken) or not_law.match(text, m.end()):
            continue
        before = [i for i in mentions if i.end <= m.start() and m.start() - i.end <= data["bare_provision_reach"]
                  and "\n\n" not in text[i.end:m.start()] and not i.bare_acronym]
        if not before:
            continue
        inst = before[-1]
        for parts in parse_chain(m.group("chain")):
            out.append(Citation(inst.title, inst.legislation_id, inst.kind, _rename_kinds(parts, inst),
                                span(text, m.start(), m.end())))
    return out


def _bare_matches(text: str, start: int, end: int, mentions: list[InstrumentMention]) -> list[re.Match[str]]:
    """The bare pattern's matches that can start within reach of a named instrument (the only
    ones kept), the same as its finditer over text[start:end] gives there."""
    g, reach = _grammar(), cues("law")["bare_provision_reach"]
    windows = [(i.end, i.end + reach + 1) for i in mentions if not i.bare_acronym]
    return [m for s, e in runs_around(text, windows, g["bare_barrier"], start, end)
            for m in g["bare"].finditer(text, s, e)]


def _instrument_mentions(text: str, start: int, end: int) -> list[InstrumentMention]:
    reg = registries.legislation()
    found: list[InstrumentMention] = []
    for index in _registry_matchers():
        for s, e, surface in index.finditer(text, start, end):
            inst = reg.lookup(surface) or _yearless_lookup(reg, surface)
            if inst:
                bare = bool(BARE_ACRONYM.fullmatch(surface))
                found.append(InstrumentMention(inst.title, inst.legislation_id, inst.kind, inst.year,
                                               s, e, bare_acronym=bare))
    for m in _generic_titles(text, start, end):
        title, s = _trim_title(m.group("title"), m.start("title"))
        if title and not any(f.start < m.end("title") and s < f.end for f in found):
            inst = reg.lookup(title) or reg.lookup_fuzzy(title)
            found.append(InstrumentMention(
                inst.title if inst else title, inst.legislation_id if inst else None,
                inst.kind if inst else _guess_kind(title), int(m.group("year")), s, m.end("title")))
    chosen = _non_overlapping([_made_under(text, m, end, reg) for m in found])
    return sorted(chosen + _back_references(text, start, end, chosen), key=lambda i: i.start)


def _made_under(text: str, mention: InstrumentMention, end: int, reg) -> InstrumentMention:
    """The instrument an Act's title opens ('Equality Act 2010 (Statutory Duties) (Wales) Regulations
    2011'), when that title goes on after the Act's mention; else the mention as it is."""
    m = _grammar()["made_under_tail"].match(text, mention.end, end) if mention.kind == "act" else None
    if m is None:
        return mention
    title = re.sub(r"\s+", " ", text[mention.start:m.end()])
    inst = reg.lookup(title) or reg.lookup_fuzzy(title)
    return InstrumentMention(inst.title if inst else title, inst.legislation_id if inst else None,
                             inst.kind if inst else "statutory_instrument", int(m.group("year")),
                             mention.start, m.end())


def _generic_titles(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The generic pattern's matches in text[start:end], searched only where one can be: the
    pattern may open with any capitalised or small word, so the engine tries every position."""
    if not _may_cite(text, start, end):
        return []
    g = _grammar()
    return [m for s, e in runs_holding(text, g["generic_anchor"], g["generic_barrier"], start, end)
            for m in g["generic"].finditer(text, s, e)]


def _may_cite(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a word every generic instrument title ends with."""
    return any(text.find(w, start, end) >= 0 for w in cues("law")["generic_requires"])


def _yearless_lookup(reg, name: str):
    for inst in reg.instruments:
        if re.sub(r"\s+(?:19|20)\d\d$", "", inst.title).lower() == re.sub(r"\s+", " ", name).lower():
            return inst
    return None


def _trim_title(title: str, start: int) -> tuple[str | None, int]:
    """Drop leading words that cannot open a title ('of the Police Act 1996' -> 'Police Act 1996'),
    and words before a comma unless the title is a list ('Apprenticeships, Skills, Children and
    Learning Act 2009' is one; 'In London, Greater London Authority Act 1999' is not)."""
    outside = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), title)   # commas in brackets stay
    last = outside.rfind(",")
    if last >= 0 and not re.search(r"\band\b", outside[last:]):
        cut = last + 1 + len(title[last + 1:]) - len(title[last + 1:].lstrip())
        title, start = title[cut:], start + cut
    stops = set(cues("law")["not_title_start"])
    words = title.split()
    skip = 0
    while skip < len(words) and (words[skip] in stops or words[skip][0].islower()):
        skip += 1
    if len(words) - skip < 3:
        return None, start
    offset = 0
    for word in words[:skip]:
        offset = title.index(word, offset) + len(word)
    offset = title.index(words[skip], offset)
    return title[offset:], start + offset


def _guess_kind(title: str) -> str:
    if re.search(r"\b(?:Regulations|Order|Rules)\b", title):
        return "statutory_instrument"
    if re.search(r"\b(?:Directive|Regulation \(EU\))\b", title):
        return "retained_eu_law"
    if re.search(r"\bConvention\b", title):
        return "convention"
    return "act" if re.search(r"\bAct\b", title) else "other"


def _non_overlapping(found: list[InstrumentMention]) -> list[InstrumentMention]:
    ranked = sorted(found, key=lambda i: (i.legislation_id is None, -(i.end - i.start), i.start))
    taken: list[InstrumentMention] = []
    for inst in ranked:
        if all(inst.end <= t.start or inst.start >= t.end for t in taken):
            taken.append(inst)
    return taken


def _back_references(text: str, start: int, end: int, cited: list[InstrumentMention]) -> list[InstrumentMention]:
    if not cited:
        return []  # nothing for a back-reference to point to
    cited = sorted(cited, key=lambda c: c.start)
    out = []
    g = _grammar()
    runs = runs_holding(text, g["backref_anchor"], g["backref_barrier"], start, end)
    for rx, by in g["backrefs"]:
        for m in (m for s, e in runs for m in rx.finditer(text, s, e)):
            if any(c.start <= m.start() < c.end for c in cited):
                continue
            word = m.group("kind")
            earlier = [c for c in cited if c.start < m.start() and word in c.title]
            if by == "year":
                earlier = [c for c in cited if c.year == int(m.group("year")) and word in c.title]
            if earlier:
                c = earlier[-1]
                out.append(InstrumentMention(c.title, c.legislation_id, c.kind, c.year,
                                             m.start(), m.end(), backref=True))
    return out


def _provisions_around(text: str, mention: InstrumentMention, lo: int, hi: int):
    g = _grammar()
    out = []
    window_start = max(lo, mention.start - WINDOW)
    before = text[window_start:mention.start]
    m = g["before"].search(before)
    if m and "\n\n" not in before[m.start():]:
        s = window_start + m.start("chain")
        out += [(parts, s, mention.end) for parts in parse_chain(m.group("chain"))]
    m = g["after"].match(text, mention.end, min(hi, mention.end + WINDOW))
    if m:
        out += [(parts, mention.start, m.end("chain")) for parts in parse_chain(m.group("chain"))]
    return out


def parse_chain(chain: str) -> list[tuple[tuple[str, str], ...]]:
    """'Schedule 3, Paragraph 7' -> [(('schedule','3'),('paragraph','7'))]; lists give several.

    A kind already on the path after a separator starts a sibling ("sections 30,
    34"); "of" makes the next item the parent ("paragraph 14 of Schedule 11");
    brackets are sub-levels, named by an empty kind.
    """
    results: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    sep = of = rng = False
    for tok in _grammar()["token"].finditer(chain):
        kind = next((k[2:] for k, v in tok.groupdict().items() if k.startswith("k_") and v), None)
        if kind:
            item = (kind, re.search(NUM, tok.group(), re.I).group())
            kinds = [k for k, _ in current]
            if of:
                results = [[item, *r] for r in results]
                current = [item, *current]
            elif kind in kinds:
                results.append(current)
                current = [*current[:kinds.index(kind)], item]
            else:
                current = [*current, item]
        elif tok.group("br"):
            item = ("", tok.group("br").strip("() \t").lower())
            if sep and current and current[-1][0] == "":
                results.append(current)
                current = [*current[:-1], item]
            else:
                current = [*current, item]
        elif tok.group("num") and sep and current:
            idx = max(i for i, (k, _) in enumerate(current) if k)
            kind, first = current[idx]
            for number in (_range_between(first, tok.group("num")) if rng else []):
                results.append(current)
                current = [*current[:idx], (kind, number)]
            results.append(current)
            current = [*current[:idx], (kind, tok.group("num"))]
        rng = bool(tok.group("rng"))
        sep = bool(tok.group("sep")) or rng
        of = bool(tok.group("of"))
    if current:
        results.append(current)
    return [tuple(r) for r in results]


RANGE_MAX = 20   # 'ss.8-9', 'sections 5 to 7': a longer span is more likely a misreading than a range


def _range_between(first: str, last: str) -> list[str]:
    """The numbers strictly between the ends of a range: '8'..'11' -> 9, 10; '22A'..'22C' -> 22B."""
    if first.isdigit() and last.isdigit():
        return [str(n) for n in range(int(first) + 1, int(last))] if 0 < int(last) - int(first) <= RANGE_MAX else []
    a, b = re.fullmatch(r"(\d+)([A-Za-z]?)", first), re.fullmatch(r"(\d+)([A-Za-z]?)", last)
    if a and b and a.group(1) == b.group(1) and a.group(2) and b.group(2) and a.group(2) < b.group(2):
        return [a.group(1) + chr(c) for c in range(ord(a.group(2)) + 1, ord(b.group(2)))]
    return []


def _rename_kinds(parts, mention: InstrumentMention):
    table = cues("law")["kind_by_instrument"].get(mention.kind, {})
    rename = {}
    for word, mapping in table.items():
        if word == "any" or re.search(rf"\b{word}\b", mention.title):
            rename = mapping
            break
    return tuple((rename.get(k, k), n if k else n.lower()) for k, n in parts)


def _most_specific(citations: list[Citation]) -> list[Citation]:
    """Drop a provision when a sub-provision of it is also cited (s.149 beside s.149(1))."""
    out = []
    for c in citations:
        key = c.legislation_id or c.title
        covered = any(
            (o.legislation_id or o.title) == key and len(o.provision) > len(c.provision)
            and o.provision[:len(c.provision)] == c.provision and c.provision
            for o in citations
        )
        if not covered:
            out.append(c)
    return out
