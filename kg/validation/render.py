"""Reports for people (text), programs (JSON) and SHACL tools (the standard validation report graph).

Text groups results by decision, then severity, with the message, the offending value and the
source quote: what a researcher needs to go and look. Results that concern no single decision
(the document node, its evidence, a node no decision reaches) are grouped by document.
"""

from __future__ import annotations

import json
from collections import defaultdict

import orjson
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.util import from_n3

from kg.iris import ID, LEG_ID, PREFIXES
from kg.validation.model import LEVELS, Report, Result
from kg.validation.shapes import SH

SHORT = [(ID, "id:"), (LEG_ID, "leg:")] + [(str(ns), f"{p}:") for p, ns in PREFIXES.items()]
SEVERITY_IRI = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}
NO_DECISION = ""


def short(term: str | None) -> str:
    """An N-Triples term made readable: IRIs under known namespaces get a prefix."""
    if not term:
        return ""
    if term.startswith("<") and term.endswith(">"):
        iri = term[1:-1]
        for base, prefix in SHORT:
            if iri.startswith(base):
                return prefix + iri[len(base):]
        return term
    return term


def headline(report: Report, fail_on: str) -> str:
    counts = report.counts()
    verdict = "conforms" if report.conforms(fail_on) else "does not conform"
    return (f"{len(report.documents)} document graphs, {len(report.decisions)} decisions, {len(report.checks)} "
            f"checks: {counts['violation']} violations, {counts['warning']} warnings, {counts['info']} infos; "
            f"{verdict} (fails on {fail_on})")


def render_text(report: Report, fail_on: str = "violation") -> str:
    """By decision, then severity; results about no single decision last, by document."""
    lines = [headline(report, fail_on)]
    groups = _by_decision(report)
    for decision in sorted((d for d in groups if d != NO_DECISION), key=lambda d: _decision_label(report, d)):
        lines += ["", _decision_label(report, decision)] + _group_lines(groups[decision])
    other = groups.get(NO_DECISION, [])
    for graph, results in sorted(_by_graph(other).items()):
        lines += ["", f"{report.documents.get(graph, graph or 'whole store')} (not about one decision)"]
        lines += _group_lines(results)
    return "\n".join(lines) + "\n"


def _by_decision(report: Report) -> dict[str, list[Result]]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for result in report.results:
        for decision in result.decisions or (NO_DECISION,):
            groups[decision].append(result)
    return groups


def _by_graph(results: list[Result]) -> dict[str, list[Result]]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        groups[result.graph or ""].append(result)
    return groups


def _decision_label(report: Report, iri: str) -> str:
    info = report.decisions.get(iri, {})
    title = info.get("title") or ""
    title = title if len(title) <= 70 else title[:69] + "…"
    parts = [info.get("identifier") or short(f"<{iri}>"), title, info.get("document") or ""]
    return " · ".join(p for p in parts if p)


def _group_lines(results: list[Result]) -> list[str]:
    """Severity, then each check once with its message, then one line per offending node."""
    lines = []
    for level in LEVELS:
        by_check: dict[tuple[str, str], list[Result]] = defaultdict(list)
        for r in results:
            if r.severity == level:
                by_check[(r.check, r.message)].append(r)
        if not by_check:
            continue
        lines.append(f"  {level}")
        for (check, message), found in sorted(by_check.items()):
            count = f" ({len(found)})" if len(found) > 1 else ""
            lines.append(f"    {check}{count}: {message}")
            for r in sorted(found, key=lambda r: (r.focus, r.value or "")):
                detail = _detail(r)
                if detail:
                    lines.append(f"      - {detail}")
    return lines


def _detail(r: Result) -> str:
    parts = [] if r.decisions and f"<{r.decisions[0]}>" == r.focus else [f"focus: {short(r.focus)}"]
    if r.path:
        parts.append(f"path: {short(r.path)}")
    if r.value and r.value != r.focus:
        parts.append(f"value: {short(r.value)}")
    if r.quote:
        parts.append(f"quote: {json.dumps(r.quote, ensure_ascii=False)}")
    return "  ".join(parts)


def render_json(report: Report, fail_on: str = "violation") -> str:
    """Every result, with terms in N-Triples form, for programs and CI annotations."""
    data = {
        "conforms": report.conforms(fail_on), "fail_on": fail_on, "counts": report.counts(),
        "documents": len(report.documents), "decisions": len(report.decisions), "checks": len(report.checks),
        "results": [_json_result(report, r) for r in report.results],
    }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"  # json.dumps: 2 s for 38,000 results


def _json_result(report: Report, r: Result) -> dict:
    return {
        "check": r.check, "severity": r.severity, "message": r.message, "focus": r.focus, "path": r.path,
        "value": r.value, "quote": r.quote,
        "decisions": [{"iri": d, "identifier": report.decisions.get(d, {}).get("identifier")} for d in r.decisions],
        "document": report.documents.get(r.graph) if r.graph else None, "graph": r.graph,
        "component": r.component,
    }


def render_turtle(report: Report, fail_on: str = "violation") -> str:
    """The SHACL validation report graph. sh:conforms follows --fail-on, as pyshacl's allow_warnings
    does: with the default, warnings and infos are reported but do not make the data non-conforming."""
    g = Graph()
    g.bind("sh", SH)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    node = BNode()
    g.add((node, RDF.type, SH.ValidationReport))
    g.add((node, SH.conforms, Literal(report.conforms(fail_on))))
    for r in report.results:
        row = BNode()
        g.add((node, SH.result, row))
        _turtle_result(g, row, r, report)
    return g.serialize(format="turtle")


def _turtle_result(g: Graph, row: BNode, r: Result, report: Report) -> None:
    g.add((row, RDF.type, SH.ValidationResult))
    g.add((row, SH.focusNode, from_n3(r.focus)))
    g.add((row, SH.resultSeverity, SEVERITY_IRI[r.severity]))
    g.add((row, SH.resultMessage, Literal(r.message)))
    if r.value is not None:
        g.add((row, SH.value, from_n3(r.value)))
    if r.component:
        g.add((row, SH.sourceConstraintComponent, SH[r.component]))
    check = report.checks.get(r.check)
    if check is not None and isinstance(check.node, URIRef):
        g.add((row, SH.sourceShape, check.node))
    if r.path and r.path.startswith("<"):
        g.add((row, SH.resultPath, from_n3(r.path)))
    elif r.path and check is not None and report.shapes_graph is not None:
        _copy_path(report.shapes_graph, report.shapes_graph.value(check.node, SH.path), g, row)


def _copy_path(shapes: Graph, path, g: Graph, row: BNode) -> None:
    """A complex sh:path copied from the shapes graph into the report, as SHACL asks."""
    if path is None:
        return
    g.add((row, SH.resultPath, path))
    todo = [path]
    while todo:
        node = todo.pop()
        for p, o in shapes.predicate_objects(node):
            g.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)


# ------------------------------------------------------------------------------ summary

def summary(report: Report) -> dict:
    """Per decision and overall: how many checks pass, which fail, each problem counted."""
    total = len(report.checks)
    groups = _by_decision(report)
    per_check: dict[str, dict] = {}
    for result in report.results:
        entry = per_check.setdefault(result.check, {"problems": 0, "decisions": set()})
        entry["problems"] += 1
        entry["decisions"].update(result.decisions)
    failing = [{"check": cid, "severity": report.checks[cid].severity if cid in report.checks else "violation",
                "label": report.checks[cid].label if cid in report.checks else "",
                "decisions": len(entry["decisions"]), "problems": entry["problems"]}
               for cid, entry in sorted(per_check.items(), key=lambda kv: (-kv[1]["problems"], kv[0]))]
    decisions = [_decision_summary(report, iri, groups.get(iri, []), total) for iri in sorted(
        report.decisions, key=lambda d: _decision_label(report, d))]
    other = _counts(groups.get(NO_DECISION, []))
    return {"decisions": len(report.decisions), "checks": total,
            "overall": {"passing": total - len(per_check), "failing": failing},
            "per_decision": decisions, "not_about_one_decision": other}


def _decision_summary(report: Report, iri: str, results: list[Result], total: int) -> dict:
    info = report.decisions.get(iri, {})
    failing = _counts(results)
    return {"iri": iri, "identifier": info.get("identifier"), "document": info.get("document"),
            "passing": total - len(failing), "failing": failing}


def _counts(results: list[Result]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.check] = counts.get(result.check, 0) + 1
    return dict(sorted(counts.items()))


def render_summary_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_summary_text(data: dict) -> str:
    n = data["decisions"]
    lines = [f"Completeness summary: {n} decisions, {data['checks']} checks", "",
             f"Overall: {data['overall']['passing']} of {data['checks']} checks find no problem anywhere."]
    if data["overall"]["failing"]:
        lines.append(f"  {'check':<34} {'severity':<9} {'decisions':>16} {'problems':>9}")
    for row in data["overall"]["failing"]:
        share = f"{row['decisions']} of {n} ({100 * row['decisions'] // max(n, 1)}%)"
        lines.append(f"  {row['check']:<34} {row['severity']:<9} {share:>16} {row['problems']:>9}")
    lines += ["", "Per decision:"]
    for row in data["per_decision"]:
        fails = ", ".join(f"{check} x{count}" for check, count in row["failing"].items()) or "none"
        lines.append(f"  {row['identifier'] or row['iri']} ({row['document'] or '-'}): "
                     f"{row['passing']}/{data['checks']} checks pass; failing: {fails}")
    if data["not_about_one_decision"]:
        other = ", ".join(f"{c} x{k}" for c, k in data["not_about_one_decision"].items())
        lines += ["", f"Not about one decision (documents, evidence, shared nodes): {other}"]
    return "\n".join(lines) + "\n"
