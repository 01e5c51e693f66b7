import pandas as pd
import pytest

from helpers.review import evidence
from helpers.review.evidence import EvidenceError
from helpers.review.template import template

LONG = "Ord " * 40 + "slut."  # 165 characters


def _documents():
    return pd.DataFrame({
        "dokument_id": ["rus-01-gammal", "rus-01", "rus-03-a", "rus-03-b", "rua-05-2022", "arsredovisning-2023"],
        "aktorsgrupp": ["region", "region", "region", "region", "region", "tillvaxtverket"],
        "aktor": ["01", "01", "03", "03", "05", "tillvaxtverket"],
        "dokumenttyp": ["rus", "rus", "rus", "rus", "regionalt_utvecklingsarbete", "arsredovisning"],
        "ar": [2018, 2021, 2020, 2020, 2022, 2023],
    })


def _paragraphs():
    rows = [
        # dokument_id, sida, stycke_nr, text
        ("rus-01", 1, 1, "P1 boende på sidan ett."),
        ("rus-01", 2, 2, "P2 arbete."),
        ("rus-01", 2, 3, "P3 välfärd."),
        ("rus-01", 3, 4, "P4 boende, arbete och välfärd."),
        ("rus-01", 5, 5, "P5 boende och arbete."),
        ("rus-01", 6, 6, LONG),
        ("rus-01-gammal", 1, 1, "Gammal RUS med alla termer."),
        ("rus-03-b", 4, 1, "Uppsala om kapacitet."),
        ("rus-03-a", 4, 1, "Fel version av Uppsalas RUS."),
        ("rua-05-2022", 1, 1, "Inte en RUS."),
    ]
    frame = pd.DataFrame(rows, columns=["dokument_id", "sida", "stycke_nr", "text"])
    frame["aktorsgrupp"], frame["aktor"], frame["dokumenttyp"], frame["ar"], frame["rubrik"] = "region", "", "rus", 2021, None
    return frame


def _codes():
    return pd.DataFrame([
        ("rus-01", 1, 1, "SO1", "boende, boende"),  # one distinct term, page 1
        ("rus-01", 2, 2, "SO1", "arbete"),  # one term, page 2, paragraph 2
        ("rus-01", 2, 3, "SO1", "välfärd"),  # one term, page 2, paragraph 3
        ("rus-01", 3, 4, "SO1", "boende, arbete, välfärd"),  # three terms: first
        ("rus-01", 5, 5, "SO1", "arbete, boende"),  # two terms: second
        ("rus-01", 6, 6, "GF1", "kapacitet"),
        ("rus-01", 3, 4, "GF2", "samverkan"),
        ("rus-01-gammal", 1, 1, "SO1", "boende, arbete, välfärd, service"),  # older RUS: never shown
        ("rus-03-b", 4, 1, "GF1", "kapacitet"),
        ("rus-03-a", 4, 1, "GF1", "kapacitet, resurser"),  # same year, earlier id: dropped
        ("rua-05-2022", 1, 1, "SO1", "boende"),  # not a RUS
    ], columns=["dokument_id", "sida", "stycke_nr", "element_id", "traffar"])


def test_rus_documents_keeps_the_latest_per_county():
    got = evidence.rus_documents(_documents())
    expected = pd.DataFrame({"dokument_id": ["rus-01", "rus-03-b"], "lan_kod": ["01", "03"], "ar": [2021, 2020]})
    pd.testing.assert_frame_equal(got, expected)


def test_rus_documents_pads_codes_and_refuses_non_counties():
    documents = pd.DataFrame({"dokument_id": ["rus-5"], "aktor": ["5"], "dokumenttyp": ["rus"], "ar": [2020]})
    assert evidence.rus_documents(documents)["lan_kod"].tolist() == ["05"]
    documents.loc[0, "aktor"] = "26"
    with pytest.raises(EvidenceError, match=r"dokument_id 'rus-5': aktor '26' is not a county code"):
        evidence.rus_documents(documents)
    with pytest.raises(EvidenceError, match="missing column"):
        evidence.rus_documents(documents.drop(columns="ar"))


def test_best_evidence_ranks_by_terms_then_page_and_paragraph():
    got = evidence.best_evidence(_paragraphs(), _codes(), _documents(), template(), k=3, max_chars=400)
    assert list(got.columns) == ["lan_kod", "fraga_id", "belagg_1", "belagg_2", "belagg_3"]
    # One row per county with a RUS (01, 03) and template question, in order.
    assert list(zip(got["lan_kod"], got["fraga_id"])) == [(c, q) for c in ("01", "03") for q in template().ids]
    rows = got.set_index(["lan_kod", "fraga_id"])
    # B1 is mapped to SO1: 3 terms (page 3), 2 terms (page 5), then the first of the one-term ties (page 1).
    assert rows.loc[("01", "B1")].tolist() == [
        "s. 3: P4 boende, arbete och välfärd.", "s. 5: P5 boende och arbete.", "s. 1: P1 boende på sidan ett."]
    # C3 and C4 are mapped to GF2: one passage, the rest empty.
    assert rows.loc[("01", "C3")].tolist() == ["s. 3: P4 boende, arbete och välfärd.", "", ""]
    # Questions with no element get nothing, nor does an element nobody coded.
    assert rows.loc[("01", "A2")].tolist() == ["", "", ""]
    assert rows.loc[("01", "B2")].tolist() == ["", "", ""]
    # Uppsala: the passage of the kept RUS (rus-03-b), not the dropped one.
    assert rows.loc[("03", "C1")].tolist() == ["s. 4: Uppsala om kapacitet.", "", ""]
    assert rows.loc[("03", "B1")].tolist() == ["", "", ""]


def test_best_evidence_k_and_quote_length():
    got = evidence.best_evidence(_paragraphs(), _codes(), _documents(), template(), k=5, max_chars=30)
    rows = got.set_index(["lan_kod", "fraga_id"])
    assert rows.loc[("01", "B1")].tolist() == [
        "s. 3: P4 boende, arbete och välfärd.", "s. 5: P5 boende och arbete.", "s. 1: P1 boende på sidan ett.",
        "s. 2: P2 arbete.", "s. 2: P3 välfärd."]
    # GF1 (C1, C2) in Stockholm: the long paragraph cut at a word boundary within 30 characters.
    assert rows.loc[("01", "C1"), "belagg_1"] == "s. 6: Ord Ord Ord Ord Ord Ord Ord …"


def test_best_evidence_refuses_codes_without_a_paragraph():
    codes = pd.concat([_codes(), pd.DataFrame([("rus-01", 9, 99, "SO2", "kompetens")], columns=_codes().columns)])
    with pytest.raises(EvidenceError, match=r"dokument_id 'rus-01', stycke_nr 99 is coded but not in paragraphs"):
        evidence.best_evidence(_paragraphs(), codes, _documents(), template())
