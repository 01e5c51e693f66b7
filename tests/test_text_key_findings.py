import nbformat
import pandas as pd

from helpers import reference
from helpers.text import key_findings

from conftest import ROOT


def _group_year():
    rows = []
    for year, gf2 in ((2022, 4.0), (2024, 7.5)):
        for element in key_findings.QUESTION_OF:
            rows.append(("region", year, element, 20, 18, 90.0, gf2 if element == "GF2" else 10.0))
    return pd.DataFrame(rows, columns=["aktorsgrupp", "ar", "element_id", "dokument", "dokument_med", "andel_procent",
                                       "andel_stycken_procent"])


def _coverage(so4_counties):
    rows = [(c, reference.county_names()[c], e, 3 if (e != "SO4" or c in so4_counties) else 0, 1.0)
            for c in reference.county_codes() for e in ("SO1", "SO2", "SO3", "SO4")]
    return pd.DataFrame(rows, columns=["lan_kod", "lan", "element_id", "stycken", "andel_procent"])


def test_findings_follow_from_the_tables():
    found = {f.id: f for f in key_findings.key_findings(_group_year(), _coverage({"01", "25"}), 2021, 2024)}
    f = found["text.region.gf2.2024"]
    assert f.varde == 7.5 and f.fraga == "1"
    assert f.text == ("I regionernas redovisningar för 2024 tog 18 av 20 upp GF2 samverkan; "
                      "i genomsnitt handlade 7,5 procent av textstyckena om det.")
    assert found["text.region.gf2.forandring"].varde == 3.5
    assert found["text.region.hb-mi.2024"].fraga == "3" and found["text.region.tp.2024"].fraga == "4"
    assert found["text.rus.so4"].varde == 2 and found["text.rus.so4"].text.startswith("2 av 21 RUS")
    assert found["text.rus.so1"].varde == 21 and found["text.rus.so1"].fraga == "2a"


def test_when_no_rus_covers_an_area_the_finding_says_so():
    found = {f.id: f for f in key_findings.key_findings(_group_year(), _coverage(set()), 2021, 2024)}
    assert found["text.rus.so4"].varde == 0 and found["text.rus.so4"].text.startswith("0 av 21 RUS")


def test_year_window_limits_the_change():
    found = {f.id: f for f in key_findings.key_findings(_group_year(), _coverage(set()), 2023, 2024)}
    assert "text.region.gf2.forandring" not in found and found["text.region.gf2.2024"].varde == 7.5


def test_cited_cells_exist_in_the_notebook():
    ids = {c.id for c in nbformat.read(ROOT / "notebooks" / "03_text_analysis.ipynb", as_version=4).cells}
    for f in key_findings.key_findings(_group_year(), _coverage({"01"}), 2021, 2024):
        assert f.cell in ids
