"""Facts -> triples: the golden graph, IRIs and the document graph's self-containment."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg import iris
from kg.extract import extract_decisions
from kg.graph import decision_iri, document_graph, provision_path
from kg.ingest import Source, read_document

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"
GOLDEN = sorted((FIXTURES / "golden").glob("*.ttl"))


def graph_of(name: str) -> Graph:
    path = FIXTURES / "docs" / name
    doc = read_document(Source(path, path.name))
    return document_graph(doc, extract_decisions(doc))


def test_golden_graphs_match_as_graphs():
    assert len(GOLDEN) == 1
    for golden in GOLDEN:
        expected = Graph().parse(golden)
        actual = graph_of(golden.stem + ".txt")
        if not isomorphic(expected, actual):
            _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
            raise AssertionError(f"{golden.name}: missing {sorted(only_expected)[:5]} extra {sorted(only_actual)[:5]}")


def test_legislation_iris_are_legislation_gov_uk_identifiers():
    g = graph_of("pcd-9001-bus-stop-safety.txt")
    cited = set(g.objects(None, iris.KG.citesLegislation))
    assert cited == {URIRef("http://www.legislation.gov.uk/id/ukpga/2011/13/schedule/3/paragraph/7")}
    parent = URIRef("http://www.legislation.gov.uk/id/ukpga/2011/13/schedule/3")
    assert (next(iter(cited)), iris.ELI.is_part_of, parent) in g


def test_readable_stable_iris():
    assert str(iris.decision("PCD 1532")).endswith("/id/decision/pcd-1532")
    assert str(iris.decision("DMPCD 2015 148")).endswith("/id/decision/dmpcd-2015-148")
    assert str(iris.decision("44/2020", "pcc-surrey")).endswith("/id/decision/pcc-surrey/44-2020")
    assert str(iris.organisation("home-office")).endswith("/id/org/home-office")
    assert str(iris.financial_year(2023)).endswith("/id/financial-year/2023-24")
    inst = iris.legislation("ukpga/2010/15")
    assert str(iris.provision(inst, (("section", "149"), ("", "1")))) == \
        "http://www.legislation.gov.uk/id/ukpga/2010/15/section/149/1"
    assert provision_path((("section", "149"), ("", "1"))) == "section 149 1"


def test_financial_years_run_april_to_march():
    g = graph_of("pcd-9001-bus-stop-safety.txt")
    fy = iris.financial_year(2024)
    begin = g.value(fy, iris.TIME.hasBeginning)
    end = g.value(fy, iris.TIME.hasEnd)
    assert str(g.value(begin, iris.TIME.inXSDDate)) == "2024-04-01"
    assert str(g.value(end, iris.TIME.inXSDDate)) == "2025-03-31"


def test_document_graph_describes_every_node_it_references():
    """Each graph can be validated alone: referenced organisations and instruments carry labels."""
    g = graph_of("gla-md9002-riverside-walkway.md")
    for org in set(g.objects(None, iris.KG.funder)) | set(g.objects(None, iris.KG.recipient)):
        assert g.value(org, iris.SKOS.prefLabel) is not None
    for cited in g.objects(None, iris.KG.citesLegislation):
        instrument = g.value(cited, iris.KG.ofInstrument) or cited
        assert g.value(instrument, iris.KG.legislationId) is not None


def _decision_iris(tmp_path, name: str, text: str) -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = read_document(Source(path, name))
    return [str(decision_iri(d, d.scope)) for d in extract_decisions(doc)]


def test_codes_numbered_per_body_are_scoped_by_the_body(tmp_path):
    """'DN 001/2018' is issued by many commissioners: two of them must not become one decision."""
    notice = ("{pcc}\nDecision Notice DN 001/2018\nTitle: Victim services grant 2018/19\n"
              "The Commissioner approves a grant of £40,000 to a local charity.\n")
    north = _decision_iris(tmp_path, "a.txt", notice.format(pcc="Police and Crime Commissioner for North Yorkshire"))
    west = _decision_iris(tmp_path, "b.txt", notice.format(pcc="Police and Crime Commissioner for Gwent"))
    assert north != west and all(iri.endswith("/dn-001-2018") for iri in north + west)
    mopac = _decision_iris(tmp_path, "c.txt", "PCD 1532 County Lines\nThe DMPC approves £1,000 of spending.\n")
    assert mopac == [iris.ID + "decision/pcd-1532"]  # MOPAC's own series: unique as it is


def test_a_council_heading_its_page_is_the_deciding_body_not_the_funder_it_names():
    path = EXAMPLES / "docs" / "other-waltham-forest-cmd-24-017-cctv-lcpf.md"
    doc = read_document(Source(path, path.name))
    g = document_graph(doc, extract_decisions(doc))
    assert set(g.subjects(iris.KG.sourceDocument, None)) == {URIRef(iris.ID + "decision/lb-waltham-forest/cmd-24-017")}


def test_an_organisation_named_two_ways_in_one_document_has_one_name():
    """'Meridian Care Ltd' in the award and 'Meridian Care Limited' beside a sum are one body with
    one skos:prefLabel (the shapes allow exactly one)."""
    from rdflib.namespace import SKOS

    from kg.ingest.model import SourceText

    text = ("PCD 9201 Custody healthcare\nMOPAC approves the award of a contract for custody healthcare to "
            "Meridian Care Limited.\nThe contract with Meridian Care Ltd is worth £379,675 a year.\n")
    doc = SourceText("case.txt", "case.txt", "0" * 16, "text/plain", text)
    g = document_graph(doc, extract_decisions(doc))
    labels = {o for s, o in g.subject_objects(SKOS.prefLabel) if "meridian" in str(s)}
    assert len(labels) == 1
