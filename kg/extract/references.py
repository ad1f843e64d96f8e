"""Decision reference codes: the decision's own, the decisions it cites, and listing pages.

Schemes, labels and cue words are data (references.yaml). A code counts as the
decision's own when a label introduces it ("Reference code:", "Decision
number" with the value on the next line), when a heading states it ("DECISION –
MD2645"), or, failing both, when a line opens with it ("PCD 911 Title").
Several labelled codes in one document make a listing page: one region each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.cues import cues
from kg.extract.log_tables import log_rows
from kg.extract.text import bilingual


@dataclass(frozen=True)
class RefScheme:
    name: str
    regex: re.Pattern[str]
    format: str
    anywhere: bool
    issuer: str | None
    label_only: bool = False
    requires: tuple[str, ...] = ()  # a match holds one of these; none in a text, no scan


@dataclass(frozen=True)
class RefHit:
    value: str
    start: int
    end: int
    scheme: RefScheme

    @property
    def key(self) -> str:
        return ref_key(self.value)


def ref_key(value: str) -> str:
    """The comparison key FACTS_FORMAT scores by: letters and numbers, zeros stripped."""
    parts = re.findall(r"[A-Z]+|\d+", value.upper())
    return " ".join(p.lstrip("0") or "0" if p.isdigit() else p for p in parts)


@lru_cache(maxsize=1)
def ref_schemes() -> list[RefScheme]:
    return [RefScheme(s["name"], re.compile(s["regex"]), s["format"], bool(s.get("anywhere")),
                      s.get("issuer"), bool(s.get("label_only")), tuple(s.get("requires") or ()))
            for s in cues("references")["schemes"]]


@lru_cache(maxsize=1)
def _label_regex() -> re.Pattern[str]:
    """A label at the start of a line (Markdown emphasis allowed: '**Decision number:** CAB 14/2023'),
    or an inline label before a colon ('... ref: KD-2024-112')."""
    data = cues("references")
    labels, inline = "|".join(data["labels"]), "|".join(data["inline_labels"])
    numbered = r"(?:\d{1,2}\.[ \t]+)?"  # '1.  Decision reference:   ODR 17/24'
    return re.compile(rf"(?im)(?:^[ \t•*\-|#>_]*{numbered}{bilingual(labels)}[ \t*_]*(?:[:.|–-][ \t|*_]*)?"
                      rf"(?:\n[ \t|]*){{0,3}}|(?<=[ \t(\[])(?:{inline})[ \t]*:[ \t]*)")


@lru_cache(maxsize=1)
def _cue_regex() -> re.Pattern[str]:
    rest = r"\s*\(?\s*(?:number|no\b\.?|ref(?:erence)?\b\.?)?\s*[:–-]?\s*\(?"   # 'decision (ref. 2023/063)'
    return re.compile(rf"{_opening_word(cues('references')['cue_words'])}(?i:{rest})")


def _opening_word(words: list[str]) -> str:
    """A regex for any of `words` (regexes) as a whole word in any case: (?i)\b(?:w1|w2...).

    When each word opens with a plain letter, it is written to open with a class of those
    letters in both cases (the rest checked after, looking back at the letter): the regex
    engine then skips to those letters instead of trying every position of the text.
    """
    if not all(w[:1].isascii() and w[:1].isalpha() and w[0].lower() not in "iks" and w[1:2] not in "?*+{|"
               for w in words):
        return rf"(?i:\b(?:{'|'.join(words)}))"  # i, k, s: letters beyond ASCII also match them
    letters = "".join(sorted({c for w in words for c in (w[0].lower(), w[0].upper())}))
    rests = "|".join(f"(?<={w[0]}){w[1:]}" for w in words)
    return rf"[{letters}](?<!\w.)(?i:{rests})"


def format_code(scheme: RefScheme, m: re.Match[str]) -> str:
    groups = {k: (v.strip() if v else "") for k, v in m.groupdict().items()}
    groups = {k: re.sub(r"\s+", "", v) if k in ("num", "year") else v for k, v in groups.items()}
    return re.sub(r"\s+", " ", scheme.format.format(**groups)).strip()


def hits_at(text: str, pos: int, end: int) -> RefHit | None:
    """The reference starting exactly at `pos`, trying schemes in order."""
    for scheme in ref_schemes():
        m = scheme.regex.match(text, pos, end)
        if m:
            return RefHit(format_code(scheme, m), m.start(), m.end(), scheme)
    return None


def anywhere_hits(text: str, start: int, end: int) -> list[RefHit]:
    """Codes of the schemes that are distinctive enough to find anywhere ('PCD 1532')."""
    return [h for h in _all_anywhere_hits(text) if start <= h.start < end]


@lru_cache(maxsize=16)
def _all_anywhere_hits(text: str) -> list[RefHit]:
    start, end = 0, len(text)
    hits: list[RefHit] = []
    for scheme in ref_schemes():
        if not scheme.anywhere or (scheme.requires and not any(r in text for r in scheme.requires)):
            continue
        for m in scheme.regex.finditer(text, start, end):
            if not any(h.start <= m.start() < h.end for h in hits):
                hits.append(RefHit(format_code(scheme, m), m.start(), m.end(), scheme))
    return sorted(hits, key=lambda h: h.start)


def labelled_hits(text: str) -> list[RefHit]:
    """Codes after a label. The search goes on from the end of each label's own line, not from
    the end of the match: a label with its value on the next line ('Penderfyniad / Decision'
    then 'Cyfeirnod / Reference  CMD/2025/041') must not swallow the label on that line."""
    out, pos, regex = [], 0, _label_regex()
    while (m := regex.search(text, pos)) is not None:
        own_line_end = text.find("\n", m.start())
        pos = max(own_line_end if own_line_end >= 0 else len(text), m.start() + 1)
        if _lower_case_line_label(text, m):
            continue  # 'decision CAB 09/2022.' continuing a sentence a PDF broke onto a new line
        if _another_registers_label(text, m):
            continue  # 'Forward Plan ref: FP/24/061' is not the decision's own code
        line_end = text.find("\n", m.end())
        hit = hits_at(text, m.end(), line_end if line_end >= 0 else len(text))
        if hit:
            out.append(hit)
    return out


def _another_registers_label(text: str, m: re.Match[str]) -> bool:
    """An inline label after words naming another register ('Forward Plan ref:', 'Purchase order
    ref:'): those words are data (references.yaml, not_own_registers)."""
    before = text[text.rfind("\n", 0, m.start()) + 1:m.start()].rstrip(" \t-–:").lower()
    return bool(before) and before.endswith(tuple(cues("references")["not_own_registers"]))


def _lower_case_line_label(text: str, m: re.Match[str]) -> bool:
    """A label at the start of a line that begins with a small letter: running text, not a label
    (inline labels, which need a colon, may be small: 'ref: KD-2024-112')."""
    line_start = m.start() == 0 or text[m.start() - 1] == "\n"
    first = next((c for c in m.group() if c.isalpha()), "")
    return line_start and first.islower()


def cued_hits(text: str, start: int, end: int) -> list[RefHit]:
    """Codes of any scheme that are safe anywhere or follow a decision cue word."""
    return [h for h in _all_cued_hits(text) if start <= h.start < end]


@lru_cache(maxsize=16)
def _all_cued_hits(text: str) -> list[RefHit]:
    """Anywhere-safe codes, plus any scheme's code right after a cue word ('Decision 43/2020')."""
    out = list(_all_anywhere_hits(text))
    for cue in _cue_regex().finditer(text):
        # a cue that is itself a code's prefix ('DN' of 'DN 2025/087') opens the code
        opens = cue.group().strip(" \t\n:(–-").isupper()
        hit = (opens and _cued_at(text, cue.start(), prefixed=True)) or _cued_at(text, cue.end())
        if hit and not any(h.start <= hit.start < h.end for h in out):
            out.append(hit)
    return sorted(out, key=lambda h: h.start)


def _cued_at(text: str, pos: int, prefixed: bool = False) -> RefHit | None:
    """The code of a cued scheme at `pos`; with `prefixed`, only one that opens with letters."""
    for scheme in ref_schemes():
        if scheme.anywhere or scheme.label_only:
            continue
        m = scheme.regex.match(text, pos, min(len(text), pos + 60))
        if m and not (prefixed and not m.group()[:1].isalpha()) and not _financial_year(m.group()):
            return RefHit(format_code(scheme, m), m.start(), m.end(), scheme)
    return None


def _financial_year(code: str) -> bool:
    """'2024/25' after 'taken in' is a year, not decision 25 of 2024."""
    m = re.fullmatch(r"20(\d\d)\s*[/\-–]\s*(\d\d)", code.strip())
    return bool(m) and int(m.group(2)) == (int(m.group(1)) + 1) % 100


def heading_hits(text: str) -> list[RefHit]:
    """Codes on short lines that also say 'decision', 'record' or 'notice'."""
    out = []
    for hit in cued_hits(text, 0, len(text)):
        line_start = text.rfind("\n", 0, hit.start) + 1
        line_end = text.find("\n", hit.end)
        line = text[line_start: line_end if line_end >= 0 else len(text)]
        if len(line) < 160 and hit.start - line_start < 60 and not line.rstrip().endswith(".") \
                and re.search(r"(?i)\b(?:decision|record|notice|log)\b", line) \
                and not _running_text(text[line_start:hit.start]):
            out.append(hit)
    return out


def _running_text(before: str) -> bool:
    """Words before a code that read as a sentence, not a heading: '(the Authority, on 20 February
    2025 (decision FA 2025/03)' in text whose lines a PDF broke short. Headings capitalise their
    words ('Officer Decision Notice', 'REQUEST FOR DMPC DECISION –') but for a few small ones."""
    small = _heading_small_words()
    words = re.findall(r"[^\W\d_][\w'’-]*", before)
    return "(" in before or any(w[0].islower() and w.lower() not in small for w in words)


@lru_cache(maxsize=1)
def _heading_small_words() -> frozenset[str]:
    return frozenset(cues("references")["heading_small_words"])


def code_line_hits(text: str) -> list[RefHit]:
    """A line holding only a code, under a heading that says what the document is:
    'Officer Decision Notice' / '' / 'ODN 2025-08'."""
    data = cues("references")
    heading = re.compile(data["code_line_heading"], re.I)
    out = []
    lines = [(m.start(), m.group()) for m in re.finditer(r"(?m)^.*$", text[:3000])]
    for i, (start, line) in enumerate(lines):
        stripped = line.strip(" \t•*#>|_")
        if not stripped or len(stripped) > 30:
            continue
        pos = start + line.index(stripped)
        hit = next((h for h in (_scheme_match(s, text, pos) for s in ref_schemes() if not s.label_only) if h), None)
        if hit is None or hit.end != pos + len(stripped):
            continue
        above = [ln for _, ln in lines[max(0, i - 6):i] if ln.strip()][-int(data["code_line_reach"]):]
        if any(heading.search(ln) for ln in above):
            out.append(hit)
    return out


def line_start_hits(text: str, schemes: str = "anywhere") -> list[RefHit]:
    """Codes that open a line followed by more words: 'PCD 911 Piloting a ...'.

    With schemes="any", codes of every scheme count ('041/2014: Rural Taskforce ...'),
    which is only safe for lines that look like item headings.
    """
    out = []
    hits = anywhere_hits(text, 0, len(text)) if schemes == "anywhere" else _line_opening_codes(text)
    for hit in hits:
        line_start = text.rfind("\n", 0, hit.start) + 1
        if re.fullmatch(r"[ \t•*\-#>|]*", text[line_start:hit.start]) and re.match(
                r"[ \t]*[-–—:]?[ \t]*[A-Z0-9‘'\"“]", text[hit.end: hit.end + 6]):
            out.append(hit)
    return out


def segment(text: str) -> list[tuple[RefHit, int, int]]:
    """The decisions in a document: (own reference, region start, region end)."""
    logged = [(hit, row) for row in log_rows(text) if (hit := hits_at(text, *row.first))]
    if logged:   # a decision log laid out as one table: a region per row
        return [(hit, row.start, row.end) for hit, row in logged]
    labelled = _distinct(labelled_hits(text))
    if len(labelled) > 1:
        return _regions(text, labelled)
    if labelled:
        return [(labelled[0], 0, len(text))]
    items = _distinct([h for h in line_start_hits(text) if _item_heading(text, h)])
    if len(items) > 1:
        return _regions(text, items)
    heading = heading_hits(text) or code_line_hits(text)
    if heading:
        return [(heading[0], 0, len(text))]
    starts = line_start_hits(text)
    if starts:
        return [(starts[0], 0, len(text))]
    items = _distinct([h for h in line_start_hits(text, "any") if _item_heading(text, h)])
    if items:
        return _regions(text, items) if len(items) > 1 else [(items[0], 0, len(text))]
    stated = _most_stated(anywhere_hits(text, 0, len(text)))
    if stated:
        return [(stated, 0, len(text))]
    opening = line_start_hits(text, "any")   # last: a code of any scheme opening a line of words
    return [(opening[0], 0, len(text))] if opening else []


def _most_stated(hits: list[RefHit]) -> RefHit | None:
    """Last resort, when no label, heading or line start marks the own code: the distinctive code
    the text states most often, at least twice ('Decision Number' over a column, 'LFC-0912' under
    it, then 'Report LFC-0912 seeks approval ...'); the first of equals."""
    counts: dict[str, int] = {}
    for h in hits:
        counts[h.key] = counts.get(h.key, 0) + 1
    best = max(hits, key=lambda h: counts[h.key], default=None)   # max keeps the first of equals
    return best if best is not None and counts[best.key] >= 2 else None


def _line_opening_codes(text: str) -> list[RefHit]:
    """A code of any scheme at the start of each line."""
    out = []
    for m in re.finditer(r"(?m)^[ \t•*\-#>|]*", text):
        hit = next((h for h in (_scheme_match(s, text, m.end()) for s in ref_schemes() if not s.label_only) if h),
                   None)
        if hit:
            out.append(hit)
    return out


def _scheme_match(scheme: RefScheme, text: str, pos: int) -> RefHit | None:
    m = scheme.regex.match(text, pos, min(len(text), pos + 60))
    return RefHit(format_code(scheme, m), m.start(), m.end(), scheme) if m else None


def _item_heading(text: str, hit: RefHit) -> bool:
    """'DN 19/2023 - Drug Testing on Arrest': a code, a dash or colon, a title, nothing else."""
    line_end = text.find("\n", hit.end)
    rest = text[hit.end: line_end if line_end >= 0 else len(text)]
    return bool(re.match(r"[ \t]*[-–—:][ \t]*[A-Z‘'\"“]", rest)) and len(rest) < 160 and not rest.rstrip().endswith(".")


def _distinct(hits: list[RefHit]) -> list[RefHit]:
    seen, out = set(), []
    for h in hits:
        if h.key not in seen:
            seen.add(h.key)
            out.append(h)
    return out


def _regions(text: str, hits: list[RefHit]) -> list[tuple[RefHit, int, int]]:
    starts = [_heading_of(text, h, hits[i - 1].end if i else 0) or _item_start(text, h) for i, h in enumerate(hits)]
    ends = [*starts[1:], len(text)]
    return [(h, s, e) for h, s, e in zip(hits, starts, ends, strict=True)]


def _heading_of(text: str, hit: RefHit, after: int) -> int | None:
    """A listing whose items open with their code ('PCC/D/2025/014 – Rural Crime Team') and end
    with a labelled link to it ('Decision record PCC/D/2025/014 (PDF)'): the item starts at
    that heading line, not at the label."""
    code = text[hit.start:hit.end]
    pos = text.find(code, after, hit.start)
    while pos >= 0:
        line_start = text.rfind("\n", 0, pos) + 1
        if not text[line_start:pos].strip(" \t#*•-"):
            return line_start
        pos = text.find(code, pos + 1, hit.start)
    return None


def _item_start(text: str, hit: RefHit) -> int:
    """A listing item starts at the title line just above its labelled code, if there is one."""
    line_start = text.rfind("\n", 0, hit.start) + 1
    label_line = text.rfind("\n", 0, line_start - 1) + 1 if line_start else 0
    pos = line_start
    seen = 0
    while pos > 0 and seen < 6:
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        prev = text[prev_start:pos].strip()
        if prev and (len(prev) > 200 or prev.endswith(".")):
            break
        pos = prev_start
        if not prev:
            continue
        seen += 1
        if not re.match(r"(?i)[•*\- \t]*(?:date|decision by|reference|page type|decision type|directorate)", prev):
            break
    return min(pos, label_line) if label_line < line_start else pos
