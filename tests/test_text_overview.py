import math

import pandas as pd
import pytest

from helpers.text import overview


def _paragraphs():
    rows = [
        # dokument_id, aktorsgrupp, aktor, dokumenttyp, ar, sida, stycke_nr, text
        ("rus-01", "region", "01", "rus", 2021, 1, 1, "Samverkan med  myndigheter."),
        ("rus-01", "region", "01", "rus", 2021, 2, 2, "Bredband i hela länet."),
        ("rus-01", "region", "01", "rus", 2021, 2, 3, "Kylsystemets kapacitet."),
        ("rus-25", "region", "25", "rus", 2022, 1, 1, "Om lärande."),
        ("rua-01-2022", "region", "01", "regionalt_utvecklingsarbete", 2022, 1, 1, "Vi följer upp."),
        ("rua-01-2022", "region", "01", "regionalt_utvecklingsarbete", 2022, 3, 2, "Stad och land."),
        ("rua-25-2022", "region", "25", "regionalt_utvecklingsarbete", 2022, 2, 1, "Inget."),
        ("rua-25-2022", "region", "25", "regionalt_utvecklingsarbete", 2022, 1, 2, "Sidan gick bakåt."),
    ]
    frame = pd.DataFrame(rows, columns=["dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar", "sida", "stycke_nr", "text"])
    frame["rubrik"] = None
    return frame


def _documents():
    return pd.DataFrame({
        "dokument_id": ["rus-01", "rus-25", "rua-01-2022", "rua-25-2022"],
        "aktorsgrupp": ["region"] * 4, "aktor": ["01", "25", "01", "25"],
        "dokumenttyp": ["rus", "rus", "regionalt_utvecklingsarbete", "regionalt_utvecklingsarbete"],
        "ar": [2021, 2022, 2022, 2022], "sidor": [2, 1, 3, 2]})


def _codes():
    return pd.DataFrame([
        ("rus-01", 1, 1, "GF2", "samverkan"),
        ("rus-01", 2, 2, "SO4.1", "bredband"),
        ("rus-01", 2, 2, "SO4", "bredband"),
        ("rus-01", 2, 3, "GF1", "kapacitet"),  # a distractor the coder fell for
        ("rua-01-2022", 1, 1, "GF3", "följa upp"),
        ("rua-01-2022", 3, 2, "TP", "stad och land, land"),
    ], columns=["dokument_id", "sida", "stycke_nr", "element_id", "traffar"])


def _scores():
    paragraphs, codes = _paragraphs(), _codes()
    n = paragraphs.groupby("dokument_id").size()
    rows = []
    for doc in n.index:
        for element in ("GF1", "GF2", "GF3", "SO4", "SO4.1", "TP", "HB-EK", "HB-SO", "HB-MI"):
            k = int(((codes["dokument_id"] == doc) & (codes["element_id"] == element)).sum())
            rows.append((doc, element, k, k / n[doc]))
    return pd.DataFrame(rows, columns=["dokument_id", "element_id", "stycken", "andel"])


def test_document_checks_find_pages_going_backwards():
    checks = overview.document_checks(_paragraphs(), _documents()).set_index("dokument_id")
    assert checks.loc["rus-01", "stycken"] == 3 and checks.loc["rus-01", "sidor_i_ordning"]
    assert not checks.loc["rua-25-2022", "sidor_i_ordning"]


def test_rus_coverage_is_all_counties_by_all_elements():
    table = overview.rus_coverage(_scores(), _documents(), ["GF1", "GF2", "SO4"])
    assert len(table) == 21 * 3
    row = table[(table["lan_kod"] == "01") & (table["element_id"] == "SO4")].iloc[0]
    assert row["stycken"] == 1 and row["andel_procent"] == pytest.approx(100 / 3)
    assert table[table["lan_kod"] == "03"]["stycken"].sum() == 0  # no RUS for Uppsala in the fixture


def test_rus_coverage_takes_a_countys_latest_rus_as_the_review_does():
    documents = _documents()
    old = documents[documents["dokument_id"] == "rus-01"].assign(dokument_id="rus-01-gammal", ar=2015)
    scores = pd.concat([_scores(), pd.DataFrame({"dokument_id": ["rus-01-gammal"], "element_id": ["SO4"],
                                                 "stycken": [9], "andel": [0.9]})], ignore_index=True)
    table = overview.rus_coverage(scores, pd.concat([documents, old], ignore_index=True), ["SO4"])
    row = table[table["lan_kod"] == "01"].iloc[0]
    assert row["stycken"] == 1 and row["andel_procent"] == pytest.approx(100 / 3)  # not the 2015 RUS


def test_group_year_shares_count_documents_addressing_each_element():
    table = overview.group_year_shares(_scores(), _documents()).set_index(["aktorsgrupp", "ar", "element_id"])
    assert table.loc[("region", 2022, "GF3"), "dokument"] == 2
    assert table.loc[("region", 2022, "GF3"), "dokument_med"] == 1
    assert table.loc[("region", 2022, "GF3"), "andel_procent"] == 50.0
    assert table.loc[("region", 2022, "HB-MI"), "andel_procent"] == 0.0
    # mean share of paragraphs: rua-01-2022 has 1 of 2 paragraphs on GF3, rua-25-2022 none -> (0.5 + 0) / 2
    assert table.loc[("region", 2022, "GF3"), "andel_stycken_procent"] == 25.0
    assert 2021 not in table.index.get_level_values("ar")  # the 2021 document is a RUS, not a report


def test_evidence_prefers_passages_with_more_distinct_hits_and_trims():
    ev = overview.evidence_table(_paragraphs(), _codes(), elements=("TP", "GF2"), per_group=1, max_chars=10)
    tp = ev[ev["element_id"] == "TP"].iloc[0]
    assert tp["dokument_id"] == "rua-01-2022" and tp["sida"] == 3 and tp["citat"] == "Stad och …"
    assert list(ev["element_id"]) == ["GF2", "TP"]


def test_precision_recall_against_the_truth():
    truth = {"documents": [
        {"dokument_id": "rus-01", "paragraphs": [
            {"text": "Samverkan med myndigheter.", "elements": ["GF2"], "distraktor": None},
            {"text": "Bredband i hela länet.", "elements": ["SO4", "SO4.1"], "distraktor": None},
            {"text": "Kylsystemets kapacitet.", "elements": [], "distraktor": "GF1"}]},
        {"dokument_id": "rua-01-2022", "paragraphs": [
            {"text": "Vi följer upp.", "elements": ["GF3", "GF2"], "distraktor": None},
            {"text": "Stad och land.", "elements": ["TP"], "distraktor": None}]},
    ]}
    match = overview.match_truth(_paragraphs(), truth)
    assert match.unmatched == 3  # rus-25 and rua-25-2022 are not in the truth
    pr = overview.precision_recall(_codes(), match, ["GF1", "GF2", "GF3", "SO4", "TP", "HB-MI"]).set_index("element_id")
    assert pr.loc["GF2", "sanna_positiva"] == 1 and pr.loc["GF2", "falska_negativa"] == 1
    assert pr.loc["GF2", "recall"] == 0.5 and pr.loc["GF2", "precision"] == 1.0
    assert pr.loc["GF1", "falska_positiva"] == 1 and pr.loc["GF1", "precision"] == 0.0
    assert math.isnan(pr.loc["GF1", "recall"]) and math.isnan(pr.loc["HB-MI", "precision"])
    assert pr.loc["TP", "f1"] == 1.0
    fell_for = overview.coded_distractors(_codes(), match)
    assert list(fell_for["element_id"]) == ["GF1"] and fell_for.iloc[0]["stycke_nr"] == 3


def test_reader_tables_in_swedish():
    summary = overview.corpus_summary(_documents().assign(aktorsgrupp="region"))
    assert ("Regioner", "Regional utvecklingsstrategi (RUS)") in summary.index
    assert summary.loc[("Regioner", "Regionalt utvecklingsarbete"), "Dokument"] == 2
    pr = pd.DataFrame({"element_id": ["GF1"], "sanna_positiva": [9], "falska_positiva": [1], "falska_negativa": [0],
                       "precision": [0.9], "recall": [1.0], "f1": [float("nan")]})
    shown = overview.quality_for_reader(pr)
    assert shown.loc["GF1", "Precision"] == "0,900" and shown.loc["GF1", "F1"] == "–"
