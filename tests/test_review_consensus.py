"""Consensus scores, coverage and profiles on small hand-made ratings, with a two-part fixture
template so every expected number can be counted by hand."""
import math

import pandas as pd
import pytest

from helpers.review import consensus
from helpers.review.template import read_template

TEMPLATE = """fraga_id,del,del_namn,element_id,fraga,skala
A1,A,Övergripande,,Vilken period?,period
A2,A,Övergripande,,Hänvisar RUS:en till den nationella strategin?,"0=Nej;1=Delvis;2=Ja"
B1,B,Inriktning,SO1,Behandlar RUS:en SO1?,"0=Nej;1=Delvis;2=Ja"
B2,B,Inriktning,SO2,Behandlar RUS:en SO2?,"0=Nej;1=Delvis;2=Ja"
"""


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "mall.csv"
    path.write_text(TEMPLATE, encoding="utf-8")
    return read_template(path)


def rows(data):
    return pd.DataFrame([dict(zip(("lan_kod", "fraga_id", "bedomare", "varde", "kommentar"), r)) for r in data])


@pytest.fixture
def ratings():
    return rows([
        # county 01: agree on A1, A2 (2), B1 differs 2/1, B2 one empty
        ("01", "A1", "E1", "2021-2030", ""), ("01", "A1", "E2", "2021-2030", ""),
        ("01", "A2", "E1", "2", ""), ("01", "A2", "E2", "2", ""),
        ("01", "B1", "E1", "2", ""), ("01", "B1", "E2", "1", ""),
        ("01", "B2", "E1", "", ""), ("01", "B2", "E2", "0", ""),
        # county 03: A1 disagrees, A2 both empty, B1 0/2, B2 agree 1
        ("03", "A1", "E1", "2022-2030", ""), ("03", "A1", "E2", "2021-2030", ""),
        ("03", "A2", "E1", "", ""), ("03", "A2", "E2", "", ""),
        ("03", "B1", "E1", "0", ""), ("03", "B1", "E2", "2", ""),
        ("03", "B2", "E1", "1", ""), ("03", "B2", "E2", "1", ""),
    ])


def test_rule_without_a_consensus_sheet(ratings, template):
    got = consensus.consensus(ratings, None, template).set_index(["lan_kod", "fraga_id"])
    expected = {
        ("01", "A1"): ("2021-2030", "overens"), ("01", "A2"): ("2", "overens"),
        ("01", "B1"): ("1", "lagre"), ("01", "B2"): ("0", "en_bedomare"),
        ("03", "A1"): ("", "oenig_period"), ("03", "A2"): ("", "ej_bedomd"),
        ("03", "B1"): ("0", "lagre"), ("03", "B2"): ("1", "overens"),
    }
    assert len(got) == 8
    for key, (value, source) in expected.items():
        assert (got.loc[key, "varde"], got.loc[key, "kalla"]) == (value, source), key
    assert got.loc[("03", "A1"), "kommentar"] == "2021-2030 / 2022-2030"


def test_consensus_sheet_overrides_the_rule(ratings, template):
    sheet = pd.DataFrame([{"lan_kod": "03", "fraga_id": "B1", "varde": "2", "kommentar": "Enades."},
                          {"lan_kod": "03", "fraga_id": "A1", "varde": "2021-2030", "kommentar": ""}])
    got = consensus.consensus(ratings, sheet, template).set_index(["lan_kod", "fraga_id"])
    assert (got.loc[("03", "B1"), "varde"], got.loc[("03", "B1"), "kalla"]) == ("2", "konsensus")
    assert got.loc[("03", "B1"), "kommentar"] == "Enades."
    assert (got.loc[("03", "A1"), "varde"], got.loc[("03", "A1"), "kalla"]) == ("2021-2030", "konsensus")
    assert got.loc[("01", "B1"), "kalla"] == "lagre"  # untouched where the sheet is silent


def test_coverage_counts(ratings, template):
    scores = consensus.consensus(ratings, None, template)
    cover = consensus.coverage(scores, template).set_index("fraga_id")
    assert list(cover.index) == ["A2", "B1", "B2"]  # the period question is not counted
    # A2: 01 -> 2, 03 -> not assessed
    assert cover.loc["A2", ["rus", "rus_tydligt", "rus_delvis", "rus_saknas", "rus_ej_bedomd"]].tolist() == [2, 1, 0, 0, 1]
    assert cover.loc["A2", "andel_tackt_procent"] == 100.0
    # B1: 01 -> 1, 03 -> 0
    assert cover.loc["B1", ["rus_tydligt", "rus_delvis", "rus_saknas"]].tolist() == [0, 1, 1]
    assert cover.loc["B1", "andel_tackt_procent"] == 50.0
    assert cover.loc["B1", "andel_tydligt_procent"] == 0.0
    # B2: 01 -> 0, 03 -> 1
    assert cover.loc["B2", ["rus_tydligt", "rus_delvis", "rus_saknas"]].tolist() == [0, 1, 1]


def test_profiles_are_shares_of_the_scale_maximum(ratings, template):
    scores = consensus.consensus(ratings, None, template)
    profile = consensus.profiles(scores, template).set_index("lan_kod")
    # county 01: A2 = 2 -> 100; B1 = 1, B2 = 0 -> (0.5 + 0) / 2 = 25; all: (1 + 0.5 + 0) / 3
    assert profile.loc["01", "del_A"] == pytest.approx(100.0)
    assert profile.loc["01", "del_B"] == pytest.approx(25.0)
    assert profile.loc["01", "totalt"] == pytest.approx(50.0)
    assert profile.loc["01", "fragor_bedomda"] == 3
    # county 03: A2 not assessed -> NaN; B1 = 0, B2 = 1 -> 25
    assert math.isnan(profile.loc["03", "del_A"])
    assert profile.loc["03", "del_B"] == pytest.approx(25.0)
    assert profile.loc["01", "lan"] == "Stockholms län"


def test_periods_and_disagreements(ratings, template):
    scores = consensus.consensus(ratings, None, template)
    periods = consensus.periods(scores, template).set_index("lan_kod")
    assert periods.loc["01", "startar"] == 2021 and periods.loc["01", "slutar"] == 2030
    assert pd.isna(periods.loc["03", "startar"])
    differ = consensus.disagreements(ratings, template)
    assert set(zip(differ["lan_kod"], differ["fraga_id"])) == {("01", "B1"), ("03", "A1"), ("03", "B1")}


def test_score_matrix_is_numeric(ratings, template):
    scores = consensus.consensus(ratings, None, template)
    matrix = consensus.score_matrix(scores, template)
    assert list(matrix.columns) == ["A2", "B1", "B2"]
    assert matrix.loc["01", "B1"] == 1.0 and math.isnan(matrix.loc["03", "A2"])
