"""The decision maker's row of a signature table.

Pages lay sign-offs out as a table: a header row ('Role | Name | Signature | Date') and one row
per signatory, officers and the decision maker alike. The maker's row is the one whose role cell
says it decides ('Decision taker: Interim Director of Finance', 'Police and Crime Commissioner
for Humberside'), by the same block words that tell a maker's sign-off from an officer's
(decision.yaml maker_block and officer_block). Header words are data too (signature_table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.cues import cues
from kg.extract.model import Text
from kg.extract.text import lines_of, row_cells, span


@dataclass(frozen=True)
class SignatureRow:
    role: str
    name: Text      # the name cell as written (post-nominals and all): clean it before use
    date: Text | None


@lru_cache(maxsize=16)
def maker_row(text: str, start: int, end: int) -> SignatureRow | None:
    """The first row of a signature table in text[start:end] whose role cell names the maker."""
    hint = _header_hint().search(text, start, end)
    if hint is None:
        return None   # most documents: no line names both a name and a date column
    maker, officer = sign_off_blocks()
    for row in _rows(text, hint.start(), end):
        if maker.search(row.role) and (row.role.lower().startswith(_decider_words()) or not officer.search(row.role)):
            return row
    return None


def _rows(text: str, start: int, end: int):
    """Every row under a header that has name and date columns (tabbed or piped cells)."""
    header: dict[str, int] | None = None
    for line in lines_of(text, start, end):
        cells = [(line.start + s, line.start + e) for s, e in row_cells(line.text)]
        columns = _columns([text[s:e] for s, e in cells])
        if columns is not None:
            header, width = columns, len(cells)
            continue
        if header is None:
            continue
        if len(cells) != width:
            header = None
            continue
        yield _row(text, cells, header)


def _row(text: str, cells: list[tuple[int, int]], header: dict[str, int]) -> SignatureRow:
    def cell(column: str) -> Text | None:
        if column not in header:
            return None
        s, e = cells[header[column]]
        return Text(text[s:e], span(text, s, e))

    role = cell("role")
    return SignatureRow(role.value if role else "", cell("name"), cell("date"))


def _columns(cells: list[str]) -> dict[str, int] | None:
    """Column index of each header word when the row is a signature table's header."""
    found = {}
    for column, rx in _header_words().items():
        index = next((i for i, c in enumerate(cells) if rx.fullmatch(c.strip(" *_:"))), None)
        if index is not None:
            found[column] = index
    return found if {"name", "date"} <= found.keys() else None


@lru_cache(maxsize=1)
def _header_words() -> dict[str, re.Pattern[str]]:
    return {column: re.compile(rx, re.I) for column, rx in cues("decision")["signature_table"].items()}


@lru_cache(maxsize=1)
def _header_hint() -> re.Pattern[str]:
    """A line naming a name column, then a date column: a table is only looked for from there."""
    words = cues("decision")["signature_table"]
    return re.compile(rf"(?im)^[^\n]*\b(?:{words['name']})\b[^\n]*\b(?:{words['date']})\b")


@lru_cache(maxsize=1)
def _decider_words() -> tuple[str, ...]:
    return tuple(w.lower() for w in cues("decision")["signature_table_decider"])


@lru_cache(maxsize=1)
def sign_off_blocks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Headings (or role cells) of the decision maker's sign-off and of an officer's."""
    data = cues("decision")
    return re.compile(data["maker_block"], re.I), re.compile(data["officer_block"], re.I)
