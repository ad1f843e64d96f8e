"""Registries as data: organisations, legislation and schemes load, resolve and stay consistent."""

from __future__ import annotations

import re

from kg import registries
from kg.registries import name_key


def test_legislation_registry_has_the_most_cited_instruments_with_valid_ids():
    reg = registries.legislation()
    assert len(reg.instruments) >= 80
    pattern = re.compile(r"^(ukpga|uksi|eur|eudr|ukla|asp|anaw|asc|nisi|mwa|wsi|ssi|ukpga/Vict|ukpga/Eliz2)/")
    for inst in reg.instruments:
        assert inst.legislation_id is None or pattern.match(inst.legislation_id), inst
    for title, expected in [("Police Reform and Social Responsibility Act 2011", "ukpga/2011/13"),
                            ("DPA 2018", "ukpga/2018/12"), ("PCR 2015", "uksi/2015/102"),
                            ("Public Contract regulations", "uksi/2015/102"), ("GDPR", "eur/2016/679"),
                            ("the Equality Act 2010", "ukpga/2010/15")]:
        assert reg.lookup(title).legislation_id == expected, title


def test_organisation_aliases_resolve_to_one_organisation():
    reg = registries.organisations()
    assert len(reg.entries) >= 200
    same = [("Metropolitan Police Service", "MPS", "the Met"),
            ("Home Office", "Homeland Security Group (Home Office)", "HO"),
            ("London Borough of Newham", "LB Newham")]
    for names in same:
        ids = {reg.lookup(n).id for n in names}
        assert len(ids) == 1, names


def test_unknown_organisations_merge_by_name_variant():
    reg = registries.organisations()
    a = reg.resolve("Riverbank Youth Initiatives Limited")
    b = reg.resolve("Riverbank Youth Initiative Ltd")
    assert a.key == b.key and not a.in_registry
    assert name_key("Police Crime Prevention Initiatives Limited") == name_key("Police Crime Prevention Initiative Ltd")


def test_registry_identifiers_follow_org_id_and_wikidata_forms():
    for entry in registries.organisations().entries.values():
        assert entry.org_id is None or re.fullmatch(r"GB-[A-Z]{3}-[\w-]+|XI-[\w-]+", entry.org_id), entry
        assert entry.wikidata is None or re.fullmatch(r"Q\d+", entry.wikidata), entry


def test_schemes_load_and_compile():
    schemes = registries.schemes()
    keys = [s.key for s in schemes]
    assert "mopac-scheme-of-consent-and-delegation" in keys and keys[-1] == "generic"
    mopac = schemes[0]
    for text in ("MOPAC Scheme of Consent and Delegation", "Scheme of Delegation and Consent"):
        assert mopac.regex.search(text)
