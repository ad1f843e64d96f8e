"""The facts the graph holds, as FACTS_FORMAT JSON (one file per source document).

Everything here is read back from the store with the SPARQL queries in
queries/facts/, so the JSON shows what the graph really says.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from kg.queries import load_query
from kg.store import Store

SEP = "\u001f"


def _v(term) -> str | None:
    return None if term is None else term.value


def document_facts(store: Store, graph_iri: str, key: str) -> dict:
    """The FACTS_FORMAT object for one document graph."""
    decisions: dict[str, dict] = {}
    for row in store.select(load_query("facts/decisions").text, graph=graph_iri):
        iri = row["decision"].value
        if iri in decisions:
            continue
        name, role = _v(row["name"]), _v(row["role"])
        decisions[iri] = {
            "reference": _v(row["reference"]), "title": _v(row["title"]),
            "decision_maker": {"name": name, "role": role} if (name or role) else None,
            "date_signed": _v(row["date"]), "funders": [], "recipients": [], "amounts": [],
            "legal_authorities": [], "delegations": [], "related_decisions": [],
        }
    _fill(store, graph_iri, decisions)
    return {"document": key.rsplit("/", 1)[-1], "decisions": list(decisions.values())}


def _fill(store: Store, graph_iri: str, decisions: dict[str, dict]) -> None:
    def rows(name: str):
        for row in store.select(load_query(f"facts/{name}").text, graph=graph_iri):
            target = decisions.get(row["decision"].value)
            if target is not None:
                yield target, row

    for d, row in rows("parties"):
        aliases = sorted({a for a in (_v(row["aliases"]) or "").split(SEP) if a} - {row["name"].value})
        names = [row["name"].value, *aliases]
        d["funders" if row["role"].value == "funder" else "recipients"].append(names)
    for d, row in rows("amounts"):
        value = Decimal(row["value"].value)
        d["amounts"].append({
            "value": int(value) if value == value.to_integral() else float(value),
            "currency": row["currency"].value, "funder": _v(row["funder"]),
            "recipient": _v(row["recipient"]), "period": _v(row["period"]), "kind": _v(row["kind"]),
        })
    for d, row in rows("legislation"):
        d["legal_authorities"].append({
            "instrument": row["title"].value, "legislation_id": _v(row["legislation_id"]),
            "provision": _v(row["provision"]),
        })
    for d, row in rows("delegations"):
        d["delegations"].append({"instrument": row["scheme"].value,
                                 "provision": f"{row['kind'].value} {row['number'].value}"})
    for d, row in rows("related"):
        d["related_decisions"].append(row["reference"].value)


def write_facts(store: Store, out_dir: Path) -> list[Path]:
    """One JSON file per document in the store, named after the document's stem."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for graph_iri, (key, _hash) in sorted(store.document_graphs().items(), key=lambda kv: kv[1][0]):
        facts = document_facts(store, graph_iri, key)
        name = key.rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0] if "." in name else name
        path = out_dir / f"{stem}.json"
        path.write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
