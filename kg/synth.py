"""Synthetic decision documents whose facts are known, for tests and benchmarks at scale.

Real decisions are few and their gold facts are hand-made; measuring speed on
10,000 documents, or checking that `--jobs` changes nothing, needs many
documents that look like MOPAC, GLA and PCC decisions. Every fact a generated
text states is recorded as it is written, in FACTS_FORMAT, so the output can
also be scored with score.py. Layouts and phrasings are data
(kg/data/synth/*.yaml); the same seed gives the same documents.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.iris import slug
from kg.synth_forms import (
    a_date,
    a_name,
    a_period,
    a_title,
    a_value,
    as_html,
    as_plain,
    cap,
    data,
    format_ref,
    money_text,
    render,
)


@dataclass(frozen=True)
class Org:
    """An organisation as the text names it; gold lists `name` first, then `short`."""

    name: str
    short: str | None = None
    the: bool = False

    def names(self) -> list[str]:
        return [self.name] + ([self.short] if self.short else [])


@dataclass
class Body:
    """The issuing body of one document."""

    key: str
    org: Org
    spec: dict
    area: str
    role: str
    named: float
    force: str | None = None


@dataclass
class Doc:
    """One decision being written: its facts in gold form, and how organisations were mentioned."""

    rng: random.Random
    body: Body
    year: int
    amounts: list[dict] = field(default_factory=list)
    values: set[int] = field(default_factory=set)
    authorities: list[dict] = field(default_factory=list)
    delegations: list[dict] = field(default_factory=list)
    payer: bool = False
    mentioned: set[str] = field(default_factory=set)

    def mention(self, org: Org) -> str:
        """'Name (SHORT)' the first time, then either form."""
        the = "the " if org.the else ""
        if org.short and org.name not in self.mentioned:
            self.mentioned.add(org.name)
            return f"{the}{org.name} ({org.short})"
        self.mentioned.add(org.name)
        if org.short and self.rng.random() < 0.6:
            return org.short if org.short.startswith("the ") or not org.the else f"the {org.short}"
        return f"{the}{org.name}"

    def money(self, value: int, funder: Org | None = None, recipient: Org | None = None,
              period: str | None = None) -> str:
        """A sum as written, recorded once per value (FACTS_FORMAT lists each distinct sum)."""
        if value not in self.values:
            self.values.add(value)
            self.amounts.append({"value": value, "currency": "GBP",
                                 "funder": funder.names() if funder else None,
                                 "recipient": recipient.names() if recipient else None, "period": period})
        return money_text(self.rng, value)


# ---------------------------------------------------------------------- small writers


# ---------------------------------------------------------------------- bodies and parties


def pick_body(rng: random.Random) -> Body:
    bodies = data()["bodies"]
    spec = rng.choices(bodies, weights=[b["weight"] for b in bodies])[0]
    maker = rng.choice(spec["makers"])
    if not spec.get("per_area"):
        org = Org(spec["name"], spec["short"])
        return Body(spec["key"], org, spec, spec["area"], maker["role"], maker["named"])
    area = rng.choice(spec["areas"])
    role = "Police, Fire and Crime Commissioner" if area.get("pfcc") else maker["role"]
    org = Org(area["pcc"], "the Commissioner")
    return Body(f"pcc-{slug(area['name'])}", org, spec, area["name"], role, maker["named"], area["force"])


def a_party(rng: random.Random, body: Body, kind: str) -> Org:
    """A funder, grant recipient or supplier that fits the body's area."""
    parties = data()["parties"]
    london = body.area == "London"

    def fits(entry: dict) -> bool:
        return entry.get("scope", "any") in ("any", "london" if london else "regional")

    if kind == "funder":
        entry = rng.choice([e for e in parties["funders"] if fits(e)])
        return Org(entry["name"], entry.get("short"), entry.get("the", False))
    invented = parties["invented"]
    if kind == "supplier":
        if rng.random() < 0.5:
            return Org(rng.choice(parties["companies"])["name"])
        return Org(f"{rng.choice(invented['places'])} {rng.choice(invented['company'])}")
    roll = rng.random()
    if roll < 0.35:
        return Org(rng.choice([e for e in parties["charities"] if fits(e)])["name"])
    if roll < 0.55:
        return Org(rng.choice(parties["councils_london" if london else "councils_regional"]))
    if roll < 0.65 and body.force:
        return Org(body.force.replace("-", " ").title().replace(" And ", " and "))
    return Org(f"{rng.choice(invented['places'])} {rng.choice(invented['charity'])}")


class Numbering:
    """Running reference numbers per body, format and year, so no two documents share a reference."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[tuple[str, str, int], int] = {}

    def reference(self, body: Body) -> tuple[dict, int, int]:
        """(reference format, number, year)."""
        ref = self.rng.choices(body.spec["refs"], weights=[r["weight"] for r in body.spec["refs"]])[0]
        year = self.rng.randint(*ref.get("years", (2014, 2024)))
        key = (body.key, ref["format"], year if "{year}" in ref["format"] else 0)
        n = self.next.get(key, ref["start"] + self.rng.randint(0, 40))
        self.next[key] = n + self.rng.randint(1, 3)
        return ref, n, year


# ---------------------------------------------------------------------- facts as sentences


def flow_sentence(doc: Doc, ctx: dict) -> str:
    """One money phrasing filled in; the sum and the parties it states go to gold."""
    rng, body = doc.rng, doc.body
    spec = rng.choice(data()["phrases"]["money"])
    orgs = {"body": body.org, "none": None}
    funder = orgs.get(spec["funder"]) if spec["funder"] != "other" else a_party(rng, body, "funder")
    recipient = orgs.get(spec["recipient"]) if spec["recipient"] not in ("other", "supplier") \
        else a_party(rng, body, "supplier" if spec["recipient"] == "supplier" else "recipient")
    if funder is not None and recipient is not None and funder.name == recipient.name:
        recipient = None if spec["recipient"] == "body" else a_party(rng, body, "recipient")
    period_text, period = a_period(rng, doc.year) if spec.get("period") else ("", None)
    # parties are mentioned before the sum so that "Name (SHORT)" comes first in reading order
    words = {"funder": doc.mention(funder) if "{funder}" in spec["text"] else "",
             "recipient": doc.mention(recipient) if "{recipient}" in spec["text"] else "",
             "period": period_text, **ctx}
    stated_funder = funder if "{funder}" in spec["text"] or spec["funder"] == "body" else None
    stated_recipient = recipient if "{recipient}" in spec["text"] or spec["recipient"] == "body" else None
    doc.payer = doc.payer or spec.get("payer") == "body"
    words["amount"] = doc.money(a_value(rng, doc.values), stated_funder, stated_recipient, period)
    return spec["text"].format(**words)


def restatement(doc: Doc, ctx: dict) -> str:
    """A sentence giving a total or limit: a sum without parties."""
    total = sum(a["value"] for a in doc.amounts)
    value = total if total not in doc.values and doc.rng.random() < 0.6 else a_value(doc.rng, doc.values)
    return doc.rng.choice(data()["phrases"]["restate"]).format(amount=doc.money(value), **ctx)


def citation(doc: Doc, key: str) -> str:
    """A legislation citation as written; the instrument and provision go to gold."""
    leg, forms, rng = data()["phrases"]["legislation"][key], data()["phrases"]["provision_forms"], doc.rng
    kind, provision, text = leg["kind"], None, f"the {leg['title']}"
    if kind == "schedule":
        form = rng.choice(forms["schedule"]).format(sch=leg["schedule"], para=leg["paragraph"])
        provision, text = f"schedule {leg['schedule']} paragraph {leg['paragraph']}", f"{form} the {leg['title']}"
    elif kind in ("section", "regulation", "article"):
        sub = leg.get("sub")
        form = rng.choice(forms[f"{kind}_sub" if sub else kind]).format(n=leg["number"], s=sub)
        provision = f"{kind} {leg['number']}" + (f" {sub}" if sub else "")
        text = f"{form} of the {leg['title']}"
    gold = {"instrument": leg["title"], "legislation_id": leg["id"], "provision": provision}
    if gold not in doc.authorities:
        doc.authorities.append(gold)
    return text


def delegation(doc: Doc, ctx: dict) -> str:
    rng = doc.rng
    scheme = rng.choice(doc.body.spec["schemes"])
    number, written = rng.choice(scheme["clauses"]), rng.choice(scheme["written"])
    clause = f"{scheme['kind']} {number}"
    doc.delegations.append({"instrument": written, "provision": clause})
    sentence = rng.choice(data()["phrases"]["delegation_sentences"])
    return sentence.format(clause=clause, clause_cap=cap(clause), scheme=written, **ctx)


def cited_sentence(doc: Doc, group: str, key: str, ctx: dict) -> str:
    sentence = doc.rng.choice(data()["phrases"][f"{group}_sentences"])
    return cap(sentence.format(cite=citation(doc, key), **ctx))


# ---------------------------------------------------------------------- one decision


def decision_parts(doc: Doc, related: list[str], ctx: dict) -> dict:
    """Summary, recommendations and sections of one decision, in reading order."""
    rng, phrases = doc.rng, data()["phrases"]
    recs = [cap(flow_sentence(doc, ctx)) + ";" for _ in range(rng.randint(1, 3))]
    recs[-1] = recs[-1][:-1] + "."
    background = [s.format(**ctx) for s in rng.sample(phrases["background"], rng.randint(3, 6))]
    for other in related:
        cited = f"Decision {other}" if other[:1].isdigit() else other
        background.insert(rng.randint(0, len(background)), rng.choice(phrases["related_sentences"])
                          .format(ref=cited, **ctx))
    finance = [f"It is also proposed to {flow_sentence(doc, ctx)}." for _ in range(rng.randint(0, 2))]
    finance.append(cap(restatement(doc, ctx)))
    sections = [("Introduction and background", background)] + prose(rng, ctx, 2) + [
        ("Financial comments", finance), ("Legal comments", legal_comments(doc, ctx))]
    if rng.random() < 0.7:
        key = rng.choice(phrases["extra_citations"]["equality"])
        sections.append(("Equality comments", [cited_sentence(doc, "equality", key, ctx)]))
    summary = " ".join(rng.sample(phrases["background"], 2)).format(**ctx)
    return {"summary": summary, "recommendations": recs, "sections": sections + prose(rng, ctx, 2)}


def legal_comments(doc: Doc, ctx: dict) -> list[str]:
    rng = doc.rng
    legal = [cited_sentence(doc, "power", key, ctx) for key in rng.sample(doc.body.spec["powers"], rng.randint(1, 2))]
    legal += [cap(delegation(doc, ctx)) for _ in range(rng.choice([0, 0, 1, 1, 2]))]
    extra = data()["phrases"]["extra_citations"]
    for group in ("procurement", "data", "other"):
        if rng.random() < 0.3:
            legal.append(cited_sentence(doc, group, rng.choice(extra[group]), ctx))
    return legal


def prose(rng: random.Random, ctx: dict, count: int) -> list[tuple[str, list[str]]]:
    """Sections of plain prose (no facts), as real reports carry."""
    pools = data()["phrases"]["prose"]
    return [(heading, [s.format(**ctx) for s in rng.sample(pools[heading], rng.randint(2, len(pools[heading])))])
            for heading in rng.sample(sorted(pools), count)]


def gold_decision(doc: Doc, ref: str, title: str, name: str | None, date: dt.date | None, related: list[str]) -> dict:
    def parties(side: str) -> list[list[str]]:
        seen: list[list[str]] = []
        for amount in doc.amounts:
            if amount[side] and amount[side] not in seen:
                seen.append(amount[side])
        return seen

    funders = parties("funder")
    if doc.payer and doc.body.org.names() not in funders:
        funders.append(doc.body.org.names())
    return {"reference": ref, "title": title, "decision_maker": {"name": name, "role": doc.body.role},
            "date_signed": date.isoformat() if date else None, "funders": funders,
            "recipients": parties("recipient"), "amounts": doc.amounts, "legal_authorities": doc.authorities,
            "delegations": doc.delegations, "related_decisions": related}


# ---------------------------------------------------------------------- layout


# ---------------------------------------------------------------------- documents


def document(rng: random.Random, numbering: Numbering, index: int) -> tuple[str, str, dict]:
    """One synthetic decision document: (file name, text, FACTS_FORMAT gold)."""
    body = pick_body(rng)
    ref_spec, n, year = numbering.reference(body)
    ref, gold_ref = format_ref(ref_spec["format"], n, year), format_ref(ref_spec["gold"], n, year)
    related = [format_ref(ref_spec["gold"], max(1, n - rng.randint(1, n)), year - rng.randint(0, 1))
               for _ in range(rng.choice([0, 1, 1, 2]))]
    related = [r for r in dict.fromkeys(related) if r != gold_ref]
    programme = rng.choice(data()["phrases"]["programmes"])
    title = a_title(rng, programme, year)
    name = a_name(rng) if rng.random() < body.named else None
    signed = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    date = signed if rng.random() < 0.9 else None
    doc = Doc(rng, body, year)
    short = body.org.short or body.org.name
    ctx = {"programme": programme, "area": body.area, "body": short, "role_short": body.spec["role_short"],
           "budget": f"{short} {rng.choice(body.spec['budgets'])}".replace("the ", "")}
    parts = decision_parts(doc, related, ctx)
    fields = {**ctx, "ref": ref, "title": title, "role": body.role, "maker_name": name or "",
              "maker_line": f"{name}, {body.role}" if name else body.role, "signed_by": name or "",
              "date": a_date(rng, date) if date else "", "published": a_date(rng, signed + dt.timedelta(days=7)),
              "reported": a_date(rng, signed - dt.timedelta(days=10)), "author": a_name(rng),
              "body_name": body.org.name, "BODY_NAME": body.org.name.upper(), "AREA_UPPER": body.area.upper(),
              "ROLE_UPPER": body.role.upper()}
    fmt, text = page(rng, body, fields, parts)
    file_name = f"{index:06d}-{body.key}-{slug(gold_ref.replace('/', '-'))}.{fmt}"
    gold = {"document": file_name, "decisions": [gold_decision(doc, gold_ref, title, name, date, related)]}
    return file_name, text, gold


def page(rng: random.Random, body: Body, fields: dict, parts: dict) -> tuple[str, str]:
    """(file type, text): the decision in one of its body's layouts, as Markdown, text or HTML."""
    layout = data()["layouts"][rng.choice(body.spec["layouts"])]
    text = render(layout, fields, parts)
    fmt = rng.choices(list(layout["formats"]), weights=list(layout["formats"].values()))[0]
    if fmt == "txt":
        return fmt, as_plain(text)
    if fmt == "html":
        return fmt, as_html(text, f"{fields['ref']} {fields['title']}", body.org.name)
    return fmt, text


def generate(n: int, seed: int = 1) -> Iterator[tuple[str, str, dict]]:
    """`n` documents as (file name, text, gold facts); the same seed gives the same documents."""
    rng = random.Random(seed)
    numbering = Numbering(rng)
    for index in range(n):
        yield document(rng, numbering, index)


def write_corpus(n: int, seed: int, out_dir: Path) -> tuple[Path, Path]:
    """Write documents to OUT/docs and their gold facts to OUT/gold (one JSON per document, by stem)."""
    docs, gold = out_dir / "docs", out_dir / "gold"
    docs.mkdir(parents=True, exist_ok=True)
    gold.mkdir(parents=True, exist_ok=True)
    for name, text, facts in generate(n, seed):
        (docs / name).write_text(text, encoding="utf-8")
        stem = name.rsplit(".", 1)[0]
        (gold / f"{stem}.json").write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return docs, gold


__all__ = ["generate", "write_corpus", "money_text", "Org"]
