"""The text engine's proposals against the experts, on a fixture where the shares and the
median are chosen by hand."""
import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from helpers.review import machine
from helpers.review.template import read_template

TEMPLATE = """fraga_id,del,del_namn,element_id,fraga,skala
A1,A,Övergripande,,Vilken period?,period
B1,B,Inriktning,SO1,Behandlar RUS:en SO1?,"0=Nej;1=Delvis;2=Ja"
B2,B,Inriktning,,Prioriterar RUS:en?,"0=Nej;1=Delvis;2=Ja"
"""


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "mall.csv"
    path.write_text(TEMPLATE, encoding="utf-8")
    return read_template(path)


@pytest.fixture
def rus():
    return pd.DataFrame({"dokument_id": [f"rus-{c}" for c in ("01", "03", "04", "05", "06")],
                         "lan_kod": ["01", "03", "04", "05", "06"]})


@pytest.fixture
def scores():
    # SO1 shares 0.10, 0.20, 0.05, 0.02 and absent for 06 -> median of the four present = 0.075
    return pd.DataFrame({
        "dokument_id": ["rus-01", "rus-03", "rus-04", "rus-05"],
        "element_id": ["SO1"] * 4,
        "stycken": [10, 20, 5, 2],
        "andel": [0.10, 0.20, 0.05, 0.02],
    })


def test_proposals_follow_the_relative_share(scores, rus, template):
    got = machine.proposals(scores, rus, template).set_index("lan_kod")
    assert list(got["fraga_id"].unique()) == ["B1"]  # only the mapped ordinal question
    # relative = share / 0.075: 1.33 -> 2, 2.67 -> 2, 0.67 -> 1, 0.27 -> 0, absent -> 0
    assert got["maskinens_forslag"].to_dict() == {"01": "2", "03": "2", "04": "1", "05": "0", "06": "0"}
    assert got.loc["04", "relativ"] == pytest.approx(0.05 / 0.075)
    assert got.loc["06", "stycken"] == 0


def test_comparison_agrees_with_reference_libraries(scores, rus, template):
    proposals = machine.proposals(scores, rus, template)
    consensus = pd.DataFrame({"lan_kod": ["01", "03", "04", "05", "06"], "fraga_id": ["B1"] * 5,
                              "varde": ["2", "1", "1", "0", ""], "kalla": ["overens"] * 5})
    compared = machine.compare(proposals, consensus, template)
    summary = machine.agreement_summary(compared, template)
    m = np.array([2, 2, 1, 0], float)
    e = np.array([2, 1, 1, 0], float)
    assert summary["n"] == 4
    assert summary["andel_lika"] == pytest.approx(0.75)
    assert summary["alfa"] == pytest.approx(krippendorff.alpha(np.vstack([m, e]), level_of_measurement="ordinal"))
    assert summary["kappa"] == pytest.approx(cohen_kappa_score(m, e, labels=[0, 1, 2], weights="quadratic"))
    table = machine.confusion(compared, template)
    assert table.loc["1", "2"] == 1 and table.loc["2", "2"] == 1 and table.to_numpy().sum() == 4
    worst = machine.largest_disagreements(
        compared, pd.DataFrame({"lan_kod": ["03"], "fraga_id": ["B1"], "belagg_1": ["s. 4: citat"]}))
    assert worst[["lan_kod", "skillnad", "belagg_1"]].to_dict("records") == [
        {"lan_kod": "03", "skillnad": 1.0, "belagg_1": "s. 4: citat"}]
    per_question = machine.per_question(compared, template)
    assert per_question.loc[0, "medelskillnad"] == pytest.approx(0.25)
