"""Sums of money: every form real documents use, with period and kind of flow.

The surface forms (£1.45 Million, £0.4m, £1,510k, £495, 000, c£50m, figures under
a '£' table header) are described in money.yaml; this module parses values and
reads the period and kind from the sentence around each sum.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from kg.extract.cues import cues
from kg.extract.model import Span
from kg.extract.table_rows import column_header, is_total
from kg.extract.text import lines_of, may_hold, row_cells, sentence_bounds, span, word_starts


@dataclass(frozen=True)
class MoneyMention:
    value: Decimal
    currency: str
    span: Span
    per_annum: bool
    line_alone: bool  # the sum stands alone on its line (a table cell)


@lru_cache(maxsize=1)
def _patterns() -> dict:
    data = cues("money")
    return {
        "amount": re.compile(data["amount"], re.I),
        "currency": re.compile("|".join(re.escape(c) for c in data["currencies"]), re.I),
        "bare": re.compile(data["bare_figure"]),
        "aligned": re.compile(data["aligned_figure"]),
        "scaled": re.compile(data["scaled_figure"]),
        "count_column": re.compile(data["count_column"], re.I),
        "headers": [(re.compile(h["regex"], re.I), h["scale"]) for h in data["table_headers"]],
        "kinds": [(k, re.compile(v, re.I)) for k, v in data["kinds"].items()],
        "years": [re.compile(p) for p in data["financial_years"]],
    }


def parse_number(num: str, dec: str | None, mult: str | None) -> Decimal:
    """'1,510' 'k' -> 1510000; '495, 000' -> 495000; '700,00' (a dropped zero) -> 700000."""
    if re.fullmatch(r"\d{1,3},\d{2}", num):
        value = Decimal(num.split(",")[0]) * 1000
    else:
        value = Decimal(re.sub(r"[,\s]", "", num))
    if dec:
        value += Decimal("0" + dec)
    scale = cues("money")["multipliers"].get((mult or "").lower().rstrip("."), 1)
    if scale > 1 and not dec and re.fullmatch(r"\d{1,3},\d{3}", num) \
            and value * scale > cues("money")["decimal_comma_above"]:
        value = Decimal(num.replace(",", "."))  # '£31,469m' -> £31.469m
    return value * scale


def find_money(text: str, start: int, end: int) -> list[MoneyMention]:
    """Every sum of money stated in text[start:end], in order."""
    found = [_from_match(text, m) for m in _amounts(text, start, end)]
    found += _table_figures(text, start, end, {m.span.start for m in found})
    return sorted((m for m in found if m.value > 0), key=lambda m: m.span.start)   # '£0.00' moves nothing


def _amounts(text: str, start: int, end: int):
    """The `amount` matches in text[start:end], the same as its finditer gives.

    The pattern opens with an optional word, so the regex engine cannot skip ahead to a
    likely start and tries every position; a sum needs a currency sign, though, so each
    search starts just before the next sign (no match can open earlier: approx_reach).
    """
    pats = _patterns()
    reach = cues("money")["approx_reach"]
    pos = start
    while sign := pats["currency"].search(text, pos, end):
        m = pats["amount"].search(text, max(pos, sign.start() - reach), end)
        if not m:
            return
        yield m
        pos = m.end()


def _from_match(text: str, m: re.Match[str]) -> MoneyMention:
    currency = cues("money")["currencies"][m.group("cur").upper() if m.group("cur") != "£" else "£"]
    value = parse_number(m.group("num"), m.group("dec"), m.group("mult"))
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    alone = line.strip() == m.group().strip()
    return MoneyMention(value, currency, span(text, m.start(), m.end()), bool(m.group("pa")), alone)


def _table_figures(text: str, start: int, end: int, taken: set[int]) -> list[MoneyMention]:
    """Bare figures below a '£' column header (label and figure on separate lines)."""
    pats = _patterns()
    reach = cues("money")["table_reach"]
    out: list[MoneyMention] = []
    scale, left = 1, 0
    marks = word_starts(text, tuple(cues("money")["table_header_requires"]))
    for line in lines_of(text, start, end):
        if left <= 0 and marks is not None and not _may_start_in(marks, line.start, line.end):
            continue  # not a header (it holds no '£'), and no header above is in reach
        header = _header_scale(text, line, pats)
        if header is not None:
            scale, left = header, reach
            continue
        if left <= 0:
            continue
        left -= 1
        if re.match(r"\s*\d+(?:\.\d+)+\.?\s+\w", line.text) or len(line.stripped) > 160:
            left = 0
            continue
        figures = _figures(line, pats, scale)
        if figures:
            left = reach  # a long table goes on as long as its rows hold figures
        for start_at, m in figures:
            if start_at not in taken and not _count_column(text, start_at):
                value = parse_number(m.group("num"), m.group("dec"), None) * scale
                out.append(MoneyMention(value, "GBP", span(text, start_at, start_at + len(m.group("num"))),
                                        False, True))
    return out


def _count_column(text: str, pos: int) -> bool:
    """A figure under a column of counts ('Move-on cases 2024-25' beside 'Allocation (£000)')."""
    header = column_header(text, pos, 0)
    return header is not None and _patterns()["count_column"].search(header) is not None


def _may_start_in(marks: list[int], start: int, end: int) -> bool:
    i = bisect_left(marks, start)
    return i < len(marks) and marks[i] < end


def _header_scale(text: str, line, pats: dict) -> int | None:
    """The scale a '£' column header sets, or None for any other line (most lines: checked
    for a '£' first, as every header needs one, before trying each header regex)."""
    if not may_hold(text, cues("money")["table_header_requires"], line.start, line.end):
        return None
    return next((s for rx, s in pats["headers"] if rx.search(line.text)
                 and not pats["amount"].search(line.text)), None)


def _figures(line, pats: dict, scale: int):
    """(offset, match) of each bare figure on a table line: whole cells (split by tabs, pipes or
    runs of spaces; in a £000 table any whole number), or right-aligned."""
    found = []
    cell_figure = pats["scaled"] if scale > 1 else pats["bare"]
    for cell_start, cell_end in row_cells(line.text) or [(0, len(line.text))]:  # a figure alone on its line
        m = cell_figure.match(line.text[cell_start:cell_end])
        if m:
            found.append((line.start + cell_start + m.start("num"), m))
    if not found:
        m = pats["aligned"].search(line.text)
        digits = len(m.group("num").replace(",", "")) if m else 0
        if m and line.text[:m.start()].strip() and (scale > 1 or digits >= 4):
            found.append((line.start + m.start("num"), m))
    return found


def period_for(text: str, mention: MoneyMention, bounds: tuple[int, int],
               siblings: list[MoneyMention]) -> str | None:
    """The financial year stated for a sum, as '2023/24'.

    A table cell's year is its column's ('| Recipient | 2024/25 | 2025/26 |'). With
    'respectively' and as many years as sums, they pair in order; otherwise the nearest year
    in the sentence, after the sum first.
    """
    s, e = bounds
    header = column_header(text, mention.span.start, 0)
    in_column = [fy for rx in _patterns()["years"] for m in rx.finditer(header or "") if (fy := _financial_year(m))]
    if in_column:
        return in_column[0]
    if header and is_total(header):
        return None   # a total over the years' columns
    years = [(m.start(), fy) for rx in _patterns()["years"] for m in rx.finditer(text, s, e)
             if (fy := _financial_year(m))]
    years.sort()
    if not years:
        return None
    if re.search(r"\brespectively\b", text[s:e], re.I) and len(years) == len(siblings):
        return years[siblings.index(mention)][1]
    after = [fy for pos, fy in years if pos >= mention.span.end]
    before = [fy for pos, fy in years if pos < mention.span.start]
    return after[0] if after else before[-1] if before else None


def _financial_year(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    y2 = groups.get("y2")
    y1 = groups.get("y1")
    if y1 is None and y2:
        y1 = str(int(y2[-4:]) - 1)
    if y1 is None:
        return None
    start = int(y1)
    end2 = int(y2[-2:]) if y2 else (start + 1) % 100
    if end2 != (start + 1) % 100:
        return None
    return f"{start}/{end2:02d}"


def kind_for(text: str, mention: MoneyMention, bounds: tuple[int, int]) -> str | None:
    """The kind of flow, from cue words nearest the sum in its sentence."""
    best: tuple[int, str] | None = None
    for kind, start, end in _kind_cues(text, *bounds):
        dist = min(abs(start - mention.span.end), abs(mention.span.start - end))
        if best is None or dist < best[0]:
            best = (dist, kind)
    return best[1] if best else None


@lru_cache(maxsize=32)
def _kind_cues(text: str, s: int, e: int) -> list[tuple[str, int, int]]:
    """The cue words of each kind in a sentence, kind by kind: found once for all its sums."""
    words = cues("money")["kinds_require"]
    return [(kind, m.start(), m.end()) for kind, rx in _patterns()["kinds"]
            if may_hold(text, words[kind], s, e) for m in rx.finditer(text, s, e)]


def sentence_of(text: str, mention: MoneyMention, lo: int, hi: int) -> tuple[int, int]:
    return sentence_bounds(text, mention.span.start, lo, hi)
