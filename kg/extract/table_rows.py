"""Parties of sums in table rows: '| Tamebridge College | £2,410,000 | £185,000 |' names who gets them.

A row's first cell names the party of the sums in its other cells; the table's header row says in
which role ('Provider', 'Organisation', 'Grant recipient': recipient; 'Source of funding': funder).
Rows are cells split by tabs (HTML tables, PDF text) or pipes (Markdown). The header words are
data (money.yaml table_party_headers); a table whose header says neither names no party.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg import registries
from kg.extract.cues import cues
from kg.extract.model import Org, OrgMention
from kg.extract.orgs import plausible_name
from kg.extract.text import line_around, lines_of, row_cells

MAX_ROWS_UP = 30  # how far above a row its header may be
RULE_LINE = re.compile(r"[|\s:-]+")  # '|---|---:|': a Markdown table's rule, no row


def row_party(text: str, pos: int, orgs: list[OrgMention], lo: int) -> tuple[str, Org] | None:
    """(role, party) for the sum at `pos` when it sits in a table row whose first cell names one."""
    line_start, line_end = line_around(text, pos)
    cells = row_cells(text[line_start:line_end])
    item = LIST_ITEM.match(text, line_start, line_end)
    if len(cells) >= 2 and not line_start + cells[0][0] <= pos < line_start + cells[0][1]:
        role = _header_role(text, line_start, lo)
        first_start, first_end = line_start + cells[0][0], line_start + cells[0][1]
    elif item and pos >= item.end() and _capitalised(item.group("name")):
        role = _list_role(text, line_start, lo)
        first_start, first_end = item.span("name")
    else:
        return None
    if role is None:
        return None
    hits = [m for m in orgs if first_start <= m.span.start < first_end]
    if hits:  # the cell must open with the party: 'Community Safety Fund - Usk Vale Trust' names two
        return (role, hits[0].org) if hits[0].span.start - first_start <= 4 else None
    name = re.sub(r"\s*\([^)]*\)\s*$", "", text[first_start:first_end]).strip(" *_")
    if not name or is_total(name) or not plausible_name(name, label=True) or re.search(r"\d[\d,.]{2,}", name):
        return None  # a total, a line item, or a label run into the figures ('Mentor support 39,000')
    return role, registries.organisations().resolve(name)


# '- StreetDoctors – £24,000, to deliver ...': a list item that opens with a name, a dash and its sum
LIST_BULLET = r"[ \t]*(?:[-•*]|\d{1,2}[.)])[ \t]+"
LIST_ITEM = re.compile(rf"{LIST_BULLET}(?:\*\*)?(?P<name>[^\n–—:£]{{2,90}}?)(?:\*\*)?[ \t]+[–—-][ \t]+(?=£)")


def _capitalised(name: str) -> bool:
    """'Rutland County Council', 'StreetDoctors', not a line item ('Small grants and contingency')."""
    small = cues("orgs")["heading_small_words"]
    return all(w[:1].isupper() or w in small for w in name.split() if w[:1].isalpha())


def _list_role(text: str, item_start: int, lo: int) -> str | None:
    """The role the sentence introducing a list gives its items' names ('The following grants are
    recommended:' recipients; 'Funding sources:' funders); money.yaml list_intro_roles."""
    for line in reversed(lines_of(text, max(lo, item_start - 3000), max(lo, item_start - 1))[-MAX_ROWS_UP:]):
        if not line.stripped or re.match(LIST_BULLET, line.text):
            continue
        return next((role for role, rx in _list_intros().items() if rx.search(line.stripped)), None)
    return None


@lru_cache(maxsize=1)
def _list_intros() -> dict[str, re.Pattern[str]]:
    return {role: re.compile(rx, re.I) for role, rx in cues("money")["list_intro_roles"].items()}


def header_role(text: str, pos: int, lo: int) -> str | None:
    """The role the header of the table holding `pos` gives its rows' parties, if it says one."""
    return _header_role(text, line_around(text, pos)[0], lo)


def _header_role(text: str, row_start: int, lo: int) -> str | None:
    """The role the table's header row gives its first column: the nearest row above whose cells
    hold no sum (in the same table: rows without cells end the search)."""
    above = lines_of(text, max(lo, row_start - 3000), max(lo, row_start - 1))[-MAX_ROWS_UP:]
    for line in reversed(above):
        if not line.stripped or RULE_LINE.fullmatch(line.stripped):
            continue
        cells = row_cells(line.text)
        if len(cells) < 2:
            if line.text[:1] in " \t" and not line.stripped.endswith(":"):
                continue  # the wrapped end of a cell above ('                 counselling')
            return _sub_header_role(line.stripped)  # 'Funded by:' over the rows it introduces
        if FIGURE.search(line.text):
            continue  # a row of sums, not the header ('Amount (£)' is a header)
        first = line.text[cells[0][0]:cells[0][1]]
        for role, regex in _headers().items():
            if regex.search(first):
                return role
        return None
    return None


@lru_cache(maxsize=1)
def _headers() -> dict[str, re.Pattern[str]]:
    return {role: re.compile(rx, re.I) for role, rx in cues("money")["table_party_headers"].items()}


def _sub_header_role(line: str) -> str | None:
    if not line.endswith(":"):
        return None
    return next((role for role, regex in _sub_headers().items() if regex.search(line)), None)


@lru_cache(maxsize=1)
def _sub_headers() -> dict[str, re.Pattern[str]]:
    return {role: re.compile(rx, re.I) for role, rx in cues("money")["table_party_sub_headers"].items()}


@lru_cache(maxsize=1)
def _totals() -> re.Pattern[str]:
    return re.compile(cues("money")["table_total_row"], re.I)


def is_total(label: str) -> bool:
    """'Total', 'Grand total': a row or column that adds up the others (money.yaml)."""
    return bool(_totals().search(label))


def column_header(text: str, pos: int, lo: int) -> str | None:
    """The header cell above a table cell: '2024/25' over '£186,000' in
    '| Recipient | 2024/25 | 2025/26 | Total |'. The header is the nearest row above (within
    MAX_ROWS_UP lines, not before `lo`) with as many cells whose cell holds no figure; rules
    ('|---|') and the rows of figures between are passed over."""
    start, end = line_around(text, pos)
    cells = row_cells(text[start:end])
    index = next((i for i, (s, e) in enumerate(cells) if s <= pos - start < e), None)
    if index is None or len(cells) < 2:
        return None
    for line in reversed(lines_of(text, max(lo, start - 80 * MAX_ROWS_UP), start)[-MAX_ROWS_UP:]):
        above = row_cells(line.text)
        if len(above) != len(cells) or RULE_LINE.fullmatch(line.text):
            continue
        s, e = above[index]
        if not FIGURE.search(line.text[s:e]):
            return line.text[s:e]
    return None


# A sum in a cell: not a year ('2024/25') nor a unit ('(£000)').
FIGURE = re.compile(r"[£$€]\s*(?!0{3}s?\b)\d|\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\s*(?:k|m|bn)\b"
                    r"|(?<![\d.])\d{1,3}\.\d{1,2}(?![\d.])", re.I)   # ... or thousands: '496.8' in a £000 table
