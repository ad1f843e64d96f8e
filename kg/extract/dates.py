"""Dates in the many forms decisions use, read day-first as UK documents write them."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
MONTH = (r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
         r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d|\d\d)"

DATE_FORMS = [
    re.compile(rf"\b{DAY}(?:\s+day\s+of)?[\s/\-]+{MONTH}[\s,/\-]+{YEAR}(?!\d)", re.I),
    re.compile(rf"\b{MONTH}\s+{DAY},?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    re.compile(r"(?<![\d/.])(?P<day>[0-3]?\d)[/.\-](?P<mon>[01]?\d)[/.\-](?P<year>(?:19|20)\d\d|\d\d)(?![\d/.])"),
    re.compile(r"(?<![\d/.£,])(?P<day>[0-3]?\d) (?P<mon>[01]?\d) (?P<year>(?:19|20)\d\d)(?![\d,])"),
]


def parse_date(m: re.Match[str]) -> date | None:
    groups = m.groupdict()
    try:
        year = int(groups["year"])
        year += 2000 if year < 100 else 0
        month = MONTHS[groups["month"][:3].lower()] if groups.get("month") else int(groups["mon"])
        return date(year, month, int(groups["day"]))
    except (ValueError, KeyError, TypeError):
        return None


def find_dates(text: str, start: int, end: int) -> list[tuple[int, int, date]]:
    """Every date in text[start:end] as (start, end, date), earliest first, no overlaps."""
    found: list[tuple[int, int, date]] = []
    for rx in DATE_FORMS:
        for m in rx.finditer(text, start, end):
            d = parse_date(m)
            if d and not any(s <= m.start() < e or m.start() <= s < m.end() for s, e, _ in found):
                found.append((m.start(), m.end(), d))
    return sorted(found)
