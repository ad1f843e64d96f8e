"""kg generate: synthetic decisions that look like MOPAC, GLA and PCC ones, with their facts known."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections import Counter

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.synth import data, generate, money_text

MONEY = re.compile(r"£\d[\d,]*(?:\.\d+)?(?: million|m|M|k)?")
FACT_KEYS = {"reference", "title", "decision_maker", "date_signed", "funders", "recipients", "amounts",
             "legal_authorities", "delegations", "related_decisions"}


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str, dict]]:
    return list(generate(400, seed=11))


def test_the_same_seed_gives_the_same_documents_and_another_seed_others():
    assert list(generate(25, seed=3)) == list(generate(25, seed=3))
    assert [d[1] for d in generate(25, seed=3)] != [d[1] for d in generate(25, seed=4)]
    assert list(generate(10, seed=3)) == list(generate(25, seed=3))[:10]


def test_gold_is_in_facts_format_and_names_its_document(corpus):
    for name, _text, gold in corpus:
        assert gold["document"] == name and len(gold["decisions"]) == 1
        decision = gold["decisions"][0]
        assert set(decision) == FACT_KEYS
        assert decision["decision_maker"]["role"]
        for amount in decision["amounts"]:
            assert isinstance(amount["value"], int) and amount["currency"] == "GBP"
            assert amount["funder"] is None or isinstance(amount["funder"], list)
        assert len({a["value"] for a in decision["amounts"]}) == len(decision["amounts"])


def test_every_stated_fact_is_in_the_text(corpus):
    for _name, text, gold in corpus:
        decision = gold["decisions"][0]
        flat = re.sub(r"\s+", " ", text.replace("&#x27;", "'").replace("&amp;", "&"))
        assert decision["title"] in flat
        assert re.sub(r"\s", "", decision["reference"]) in re.sub(r"\s", "", flat)
        if decision["decision_maker"]["name"]:
            assert decision["decision_maker"]["name"] in flat
        for authority in decision["legal_authorities"]:
            assert authority["instrument"] in flat
        for delegation in decision["delegations"]:
            assert delegation["instrument"] in flat and delegation["provision"].split()[-1] in flat
        for amount in decision["amounts"]:
            assert any(_value_of(m) == amount["value"] for m in MONEY.findall(flat))
        for party in decision["funders"] + decision["recipients"]:
            assert any(n.removeprefix("the ") in flat for n in party)


def _value_of(written: str) -> float:
    number = float(re.sub(r"[£,]|million|m|M|k", "", written).strip())
    scale = 1_000_000 if written.endswith(("million", "m", "M")) else 1000 if written.endswith("k") else 1
    return round(number * scale)


def test_money_forms_all_mean_the_same_sum():
    rng = random.Random(0)
    for value in (1_250_000, 12_500_000, 250_000, 45_500, 177_375, 3_100):
        forms = {money_text(rng, value) for _ in range(60)}
        assert all(_value_of(f) == value for f in forms), forms
    assert {"£1.25 million", "£1.25m", "£1,250,000"} <= {money_text(rng, 1_250_000) for _ in range(200)}


def test_layouts_formats_bodies_and_phrasings_vary(corpus):
    names = [name for name, _, _ in corpus]
    assert len(set(names)) == len(names)
    assert Counter(n.rsplit(".", 1)[1] for n in names).keys() == {"txt", "md", "html"}
    families = Counter(n.split("-")[1] for n in names)
    assert {"mopac", "gla", "pcc"} <= set(families) and families["pcc"] > 100
    texts = [text for _, text, _ in corpus]
    heads = {"Key information", "DIRECTOR DECISION", "MAYOR OF LONDON", "DECISION RECORD", "KEY DECISION REPORT",
             "Record of a Decision of Significant Public Interest"}
    assert all(any(h in t for t in texts) for h in heads)
    assert sum(bool(g["decisions"][0]["delegations"]) for _, _, g in corpus) > 50
    assert sum(bool(g["decisions"][0]["related_decisions"]) for _, _, g in corpus) > 150
    assert len({tuple(a["provision"] or "" for a in g["decisions"][0]["legal_authorities"]) for _, _, g in corpus}) > 50


def test_no_two_documents_of_one_body_share_a_reference(corpus):
    """File names are index-body-reference: without the index they must still differ."""
    keys = [name.split("-", 1)[1].rsplit(".", 1)[0] for name, _, _ in corpus]
    assert len(set(keys)) == len(keys)
    assert len({g["decisions"][0]["reference"] for _, _, g in corpus}) > 300


def test_the_data_files_hold_the_phrasings():
    phrases = data()["phrases"]
    assert len(phrases["money"]) >= 10 and len(phrases["legislation"]) >= 15
    assert {"mopac", "gla-md", "gla-dd", "pcc"} == {b["key"] for b in data()["bodies"]}


def test_cli_writes_documents_and_gold_that_kg_can_build_and_score(tmp_path):
    from tests.conftest import SCORER

    result = CliRunner().invoke(main, ["generate", "12", "--out", str(tmp_path / "gen"), "--seed", "5"])
    assert result.exit_code == 0, result.output
    docs = sorted(p.stem for p in (tmp_path / "gen" / "docs").iterdir())
    gold = sorted(p.stem for p in (tmp_path / "gen" / "gold").iterdir())
    assert len(docs) == 12 and docs == gold
    built = CliRunner().invoke(main, ["build", str(tmp_path / "gen" / "docs"), "--store", str(tmp_path / "s")])
    assert built.exit_code == 0 and "documents: 12 (0 unchanged), decisions: 12" in built.output, built.output
    sample = json.loads(next((tmp_path / "gen" / "gold").iterdir()).read_text(encoding="utf-8"))
    assert sample["decisions"][0]["reference"]
    if not SCORER.exists():
        pytest.skip("score.py is not beside this checkout")
    gold_dir = str(tmp_path / "gen" / "gold")
    scored = subprocess.run([sys.executable, str(SCORER), "--gold", gold_dir, "--pred", gold_dir],
                            capture_output=True, text=True, check=True)
    assert scored.stdout.strip().splitlines()[-1] == "macro-F1 1.000 over 12 documents"
