"""Other decisions a decision cites: 'varies PCD 1804', 'decisions 033/2024 and 036/2024'.

Every scheme's code counts after a cue word, and the distinctive ones anywhere; codes the words
before them give to another register (a framework, a contract, a tender) do not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.cues import cues
from kg.extract.model import Text
from kg.extract.references import RefHit, anywhere_hits, cued_hits, format_code
from kg.extract.text import span

LIST_JOIN = re.compile(r"\s*(?:,|\band\b|&|\bor\b)\s*")
CONTINUATION = re.compile(r"[ \t]*(?:,|and|&|or)[ \t]*(\d{2,5})\b(?![/.]\d)")


def related(text: str, start: int, end: int, own: RefHit) -> list[Text]:
    """Other decisions cited in a region: every scheme's code, by cue or anywhere-safe."""
    out, seen = [], {own.key}
    cued = cued_hits(text, start, end)
    for hit in [*cued, *_listed_after(text, cued, end), *_continuations(text, start, end)]:
        if hit.key not in seen and not _another_register(text, hit):
            seen.add(hit.key)
            out.append(Text(hit.value, span(text, hit.start, hit.end)))
    return out


def _listed_after(text: str, hits: list[RefHit], end: int) -> list[RefHit]:
    """'decisions 033/2024 and 036/2024': codes of the same scheme listed after a cued one."""
    out = []
    for hit in hits:
        pos = hit.end
        while (join := LIST_JOIN.match(text, pos, end)) and (m := hit.scheme.regex.match(text, join.end(), end)):
            out.append(RefHit(format_code(hit.scheme, m), m.start(), m.end(), hit.scheme))
            pos = m.end()
    return out


def _another_register(text: str, hit: RefHit) -> bool:
    """A code that the words before it give to another register: 'framework ESV/FW/2022/03',
    'contract FEN/C/2025/022', 'legal agreement LEG/AG/2023/117' (references.yaml not_decision_before)."""
    return bool(_not_decision_before().search(text, max(0, hit.start - 40), hit.start))


@lru_cache(maxsize=1)
def _not_decision_before() -> re.Pattern[str]:
    return re.compile(cues("references")["not_decision_before"], re.I)


def _continuations(text: str, start: int, end: int) -> list[RefHit]:
    """'PCD 890 and 1561': the second number carries the first one's prefix."""
    out = []
    for hit in anywhere_hits(text, start, end):
        prefix = hit.value.split()[0]
        if not re.fullmatch(r"[A-Z]+", prefix) or len(hit.value.split()) != 2:
            continue
        pos = hit.end
        while m := CONTINUATION.match(text, pos, end):
            out.append(RefHit(f"{prefix} {m.group(1)}", m.start(1), m.end(1), hit.scheme))
            pos = m.end()
    return out
