"""Decision logs laid out as one table: a row per decision.

'| Ref. | Date | Decision | Decision maker | Value |' over '| MDN 25-135 | 02/05/2025 | Adult
Skills Fund ... | Karen Ridsdale-Howe, Mayor | £38,460,200 |': the header's first cell labels the
reference, and its other cells say which column holds the title, the maker and the date. Each
row is then a decision of its own, and its fields come from its cells. The header words are data
(decision.yaml log_table_columns; the reference labels are those of references.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.cues import cues
from kg.extract.dates import find_dates
from kg.extract.model import Text
from kg.extract.people import canonical_role, clean_name
from kg.extract.text import lines_of, row_cells, span

Cell = tuple[int, int]
RULE = re.compile(r"[\s|:-]*")   # '|---|---:|': a Markdown table's rule line


@dataclass(frozen=True)
class LogRow:
    start: int                  # the row's line in the text
    end: int
    first: Cell                 # the cell holding the decision's own code
    cells: dict[str, Cell]      # 'title', 'maker', 'date' -> that column's cell in this row


def log_rows(text: str) -> list[LogRow]:
    """Every row of every decision-log table in the text, in order."""
    return list(_log_rows(text))


@lru_cache(maxsize=16)
def _log_rows(text: str) -> tuple[LogRow, ...]:
    if not any(ch in text for ch in "\t|"):
        return ()
    rows: list[LogRow] = []
    header: dict[str, int] | None = None
    width = 0
    for line in lines_of(text, 0, len(text)):
        if RULE.fullmatch(line.text):
            continue
        cells = [(line.start + s, line.start + e) for s, e in row_cells(line.text)]
        columns = _header(text, cells)
        if columns is not None:
            header, width = columns, len(cells)
        elif header is not None and len(cells) == width:
            rows.append(LogRow(line.start, line.end, cells[0], {k: cells[i] for k, i in header.items()}))
        else:
            header = None
    return tuple(rows)


def row_at(text: str, start: int, end: int) -> LogRow | None:
    """The log row that is exactly the region [start, end), if the region is one."""
    return next((r for r in _log_rows(text) if r.start == start and r.end == end), None)


def _header(text: str, cells: list[Cell]) -> dict[str, int] | None:
    """Column of each field when these cells are a decision log's header: a reference label
    first, then at least the title column."""
    if len(cells) < 3 or not _reference_label().fullmatch(_bare(text, cells[0])):
        return None
    found = {}
    for field, rx in _columns().items():
        index = next((i for i, c in enumerate(cells[1:], 1) if rx.fullmatch(_bare(text, c))), None)
        if index is not None:
            found[field] = index
    return found if "title" in found else None


def _bare(text: str, cell: Cell) -> str:
    return text[cell[0]:cell[1]].strip(" *_:.")


@lru_cache(maxsize=1)
def _reference_label() -> re.Pattern[str]:
    return re.compile("|".join(cues("references")["labels"]), re.I)


@lru_cache(maxsize=1)
def _columns() -> dict[str, re.Pattern[str]]:
    return {field: re.compile(rx, re.I) for field, rx in cues("decision")["log_table_columns"].items()}


@dataclass(frozen=True)
class RowFields:
    title: Text | None
    maker_name: Text | None
    maker_role: Text | None
    date_signed: Text | None


def row_fields(text: str, row: LogRow) -> RowFields:
    """The title, maker and date a log row's cells state."""
    name, role = _maker(text, row.cells.get("maker"))
    return RowFields(_title(text, row.cells.get("title")), name, role, _date(text, row.cells.get("date")))


TITLE_END = re.compile(r"\*\*(?=\s)|\.(?:\*\*)?\s+(?=[A-Z(\[])")   # a bold title's end, or its first sentence's


def _title(text: str, cell: Cell | None) -> Text | None:
    """The cell's bold lead or first sentence ('Replacement aerial ladder platforms. Purchase of ...')."""
    if cell is None:
        return None
    s, e = cell
    while s < e and text[s] in " *_":
        s += 1
    end = TITLE_END.search(text, s, e)
    stop = end.start() if end else e
    value = text[s:stop].strip(" *_.")
    return Text(value, span(text, s, s + len(value))) if len(value) >= 3 else None


def _maker(text: str, cell: Cell | None) -> tuple[Text | None, Text | None]:
    """'Dr Lorna Pettigrew-Shaw, Chief Fire Officer' -> the name and the post."""
    if cell is None:
        return None, None
    s, e = cell
    head, _, tail = text[s:e].partition(",")
    name = clean_name(head)
    at = text.find(name, s, e) if name else -1
    named = Text(name, span(text, at, at + len(name))) if name and at >= 0 else None
    post = tail.strip(" *_.")
    role = Text(canonical_role(post), span(text, text.find(post, s, e), text.find(post, s, e) + len(post))) \
        if post else None
    return named, role


def _date(text: str, cell: Cell | None) -> Text | None:
    dates = find_dates(text, *cell) if cell else []
    if not dates:
        return None
    s, e, d = dates[0]
    return Text(d.isoformat(), span(text, s, e))
