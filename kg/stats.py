"""`kg stats`: what the graph holds, its top funders, recipients and legal powers, and whether it
validates. Everything is read with the saved questions in queries/ (class-counts, top-funders,
top-recipients, most-cited-instruments), so the figures match `kg query`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import KgError
from kg.formats import plain, table
from kg.queries import load_query, run

DEFAULT_TOP = 10


@dataclass
class Stats:
    counts: list[tuple[str, int]]
    top_funders: list[tuple[str, str, int]]        # name, total, flows
    top_recipients: list[tuple[str, str, int]]
    top_powers: list[tuple[str, int, int]]         # title, decisions, provisions
    validation: dict | None = None
    validation_note: str = ""
    extra: dict = field(default_factory=dict)


def collect(store, top: int = DEFAULT_TOP) -> Stats:
    def rows(name: str):
        return run(load_query(name), store=store)[1]

    counts = [(plain(r["kind"]), int(plain(r["count"]))) for r in rows("class-counts")]
    funders = [(plain(r["funder_name"]) or plain(r["funder"]), plain(r["total"]), int(plain(r["flows"])))
               for r in rows("top-funders")[:top]]
    recipients = [(plain(r["recipient_name"]) or plain(r["recipient"]), plain(r["total"]), int(plain(r["flows"])))
                  for r in rows("top-recipients")[:top]]
    powers = [(plain(r["title"]) or plain(r["instrument"]), int(plain(r["decisions"])), int(plain(r["provisions"])))
              for r in rows("most-cited-instruments")[:top]]
    validation, note = validation_status(store)
    return Stats(counts, funders, recipients, powers, validation, note)


def validation_status(store) -> tuple[dict | None, str]:
    """kg.validate.status(store) if that module is there; otherwise a note saying why not."""
    try:
        from kg.validate import status
    except ImportError:
        return None, "not available"
    try:
        return dict(status(store)), ""
    except KgError as exc:
        return None, f"failed ({exc})"


def render(stats: Stats) -> str:
    """The stats as plain-text tables."""
    import pyoxigraph as ox

    def lit(value) -> ox.Literal:
        return ox.Literal(str(value))

    def num(value) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))

    def section(title: str, columns: list[str], data: list[tuple], numeric: set[int]) -> str:
        body = [{c: (num(v) if i in numeric else lit(v)) for i, (c, v) in enumerate(zip(columns, row, strict=True))}
                for row in data]
        return f"{title}\n" + (table(columns, body) if body else "(none)\n")

    parts = [
        section("What the graph holds", ["kind", "count"], stats.counts, {1}),
        section("Top funders", ["funder", "total", "flows"], stats.top_funders, {1, 2}),
        section("Top recipients", ["recipient", "total", "flows"], stats.top_recipients, {1, 2}),
        section("Most cited legal powers", ["instrument", "decisions", "provisions"], stats.top_powers, {1, 2}),
    ]
    if stats.validation is None:
        parts.append(f"validation: {stats.validation_note or 'not available'}\n")
    else:
        v = stats.validation
        if v.get("conforms"):
            verdict = "conforms"
        elif (v.get("validated") or 0) < (v.get("documents") or 0):
            verdict = "not every document validated yet (run kg validate)"
        else:
            verdict = "does not conform"
        rows = [(k, v.get(k)) for k in ("documents", "validated", "violations", "warnings", "infos") if k in v]
        parts.append(section(f"Validation: {verdict}", ["item", "count"], rows, {1}))
    return "\n".join(parts)
