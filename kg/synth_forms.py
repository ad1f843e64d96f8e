"""How generated decision documents write things: sums, dates, periods, names, references,
titles, and whole pages as Markdown, plain text or HTML. Phrasings are data (kg/data/synth/*.yaml).

Split from kg.synth, which decides what a document says; this module decides how it is written.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from functools import lru_cache

import yaml

from kg.iris import slug
from kg.resources import DATA_DIR

SYNTH_DIR = DATA_DIR / "synth"


@lru_cache(maxsize=1)
def data() -> dict:
    """The four YAML files, loaded once."""
    return {name: yaml.safe_load((SYNTH_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
            for name in ("bodies", "parties", "phrases", "layouts")}



def money_text(rng: random.Random, value: int) -> str:
    """£1,250,000 / £1.25 million / £1.25m / £250k / £45,000.00, all exactly `value`."""
    forms = [f"£{value:,}", f"£{value:,}"]
    if value >= 1_000_000 and value % 10_000 == 0:
        m = f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".")
        forms += [f"£{m} million", f"£{m}m", f"£{m}M"]
    elif 10_000 <= value < 1_000_000 and value % 1000 == 0:
        forms.append(f"£{value // 1000}k")
    if value < 1_000_000:
        forms.append(f"£{value:,}.00")
    return rng.choice(forms)


def a_value(rng: random.Random, taken: set[int]) -> int:
    """A plausible sum not yet used in this decision: mostly round, sometimes exact to £25."""
    while True:
        size = rng.choice([10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000])
        step = rng.choice([25, 500, 1000, 5000, 10_000]) if size < 1_000_000 else rng.choice([10_000, 50_000])
        value = max(step, round(rng.uniform(0.2, 1.0) * size / step) * step)
        if value not in taken:
            return value


def a_date(rng: random.Random, when: dt.date) -> str:
    day, month = when.day, when.strftime("%B")
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return rng.choice([f"{day} {month} {when.year}", f"{day}{suffix} {month} {when.year}",
                       when.strftime("%d/%m/%Y"), when.isoformat()])


def a_period(rng: random.Random, year: int) -> tuple[str, str]:
    """(as written, as gold '2023/24') for the financial year starting in `year`."""
    form = rng.choice(data()["phrases"]["periods"])
    text = form.format(y=year, yy=f"{(year + 1) % 100:02d}", y2=year + 1)
    return text, f"{year}/{(year + 1) % 100:02d}"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def a_name(rng: random.Random) -> str:
    phrases = data()["phrases"]
    return f"{rng.choice(phrases['first_names'])} {rng.choice(phrases['last_names'])}"


def format_ref(fmt: str, n: int, year: int) -> str:
    return fmt.format(n=n, year=year, yy=f"{(year + 1) % 100:02d}")


def a_title(rng: random.Random, programme: str, year: int) -> str:
    phrases = data()["phrases"]
    purpose = rng.choice(phrases["purposes"])
    period = f"{year}/{(year + 1) % 100:02d}"
    return rng.choice(phrases["title_forms"]).format(programme=programme, purpose=purpose,
                                                     purpose_cap=cap(purpose), period=period).strip()


def render(layout: dict, fields: dict, parts: dict) -> str:
    """Fill a layout: head, numbered sections, tail."""
    items = [layout["item"].format(**{**fields, "n": 2, "i": i, "text": text})
             for i, text in enumerate(parts["recommendations"], 1)]
    fields = {**fields, "summary": parts["summary"], "recommendations": "\n".join(items)}
    out = [layout["head"].format(**fields).rstrip("\n")]
    for n, (heading, paragraphs) in enumerate(parts["sections"], 1):
        out.append(layout["heading"].format(n=n, title=heading, TITLE=heading.upper()))
        out += [layout["paragraph"].format(n=n, i=i, text=text) for i, text in enumerate(paragraphs, 1)]
    out.append(layout["tail"].format(**fields).rstrip("\n"))
    return "\n\n".join(out) + "\n"


def as_plain(text: str) -> str:
    """Markdown marks dropped, as when a page is saved as text."""
    lines = []
    for line in text.splitlines():
        line = line.lstrip("#").strip() if line.startswith("#") else line
        line = line.replace("**", "")
        lines.append(line[2:] if line.startswith("- ") else line)
    return "\n".join(lines)


def as_html(text: str, title: str, body_name: str) -> str:
    """A decision web page: site navigation around headings, paragraphs and list items."""
    out = []
    for line in as_plain(text).split("\n\n"):
        line = line.strip()
        if not line or set(line) <= {"-", "|", " "}:
            continue
        tag = "h2" if len(line) < 70 and not line.endswith(".") and "\n" not in line else "p"
        out.append(f"<{tag}>{html.escape(line).replace(chr(10), '<br>')}</{tag}>")
    nav = "".join(f'<li><a href="/{slug(x)}/">{x}</a></li>' for x in ("Home", "About", "Decisions", "Contact"))
    return (f'<!DOCTYPE html>\n<html lang="en-GB">\n<head><meta charset="utf-8"><title>{html.escape(title)} | '
            f"{html.escape(body_name)}</title></head>\n<body>\n<nav><ul>{nav}</ul></nav>\n<main>\n"
            + "\n".join(out) + "\n</main>\n<footer><p>Accessibility statement. Cookies. Privacy.</p></footer>\n"
            "</body>\n</html>\n")
