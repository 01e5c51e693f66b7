import nbformat
import pandas as pd

from helpers.nyps import key_findings

from conftest import ROOT

AREAS = ["SO1", "SO2", "SO3", "SO4", "ANNAT"]


def _tables():
    # two counties and the country, hand-made; shares per county sum to 100
    shares = {"01": [10, 20, 30, 5, 35], "25": [5, 5, 20, 60, 10], "00": [8, 14, 26, 28, 24]}
    names = {"01": "Stockholms län", "25": "Norrbottens län", "00": "Riket"}
    area = pd.DataFrame([
        {"lan_kod": k, "lan": names[k], "omrade_id": a, "beviljat_mkr": s * 2.0, "andel_procent": float(s)}
        for k, row in shares.items() for a, s in zip(AREAS, row)
    ])
    per_capita = pd.DataFrame({"lan_kod": ["01", "25", "00"], "lan": ["Stockholms län", "Norrbottens län", "Riket"],
                               "kr_per_invanare": [50.4, 812.6, 120.0], "rang": pd.array([2, 1, pd.NA], dtype="Int64")})
    mix = pd.DataFrame({"lan_kod": ["25", "01", "00"], "lan": ["Norrbottens län", "Stockholms län", "Riket"],
                        "forandringsindex": [31.25, 12.0, 4.5], "storsta_forandring_omrade_id": ["SO4", "SO3", "SO3"],
                        "storsta_forandring_procentenheter": [-22.5, 8.0, 3.0],
                        "rang": pd.array([1, 2, pd.NA], dtype="Int64")})
    cases = pd.DataFrame({"lan_kod": ["01", "25", "00"], "arenden": [10, 20, 1234], "andel_storsta_tiondel_procent": [40.0, 50.0, 45.25]})
    paid = pd.DataFrame({"lan_kod": ["00", "00", "01"], "beviljat_mkr": [100.0, 300.0, 50.0], "utbetalt_mkr": [90.0, 10.0, 5.0]})
    return {"area_county": area, "per_capita": per_capita, "mix_shift": mix, "cases": cases, "granted_paid": paid}


def test_findings_follow_from_the_tables():
    found = {f.id: f for f in key_findings.key_findings(_tables(), "beviljat", 2021, 2024, 2021, 2024)}
    assert found["nyps.total_riket"].varde == 200.0  # 8+14+26+28+24 = 100 -> x2
    assert found["nyps.andel_so4_riket"].varde == 28.0
    assert found["nyps.andel_annat_riket"].text == "Annat fick 24,0 procent av de beviljade medlen 2021–2024."
    # SO4: Stockholm 5 %, Norrbotten 60 % -> spread 55
    assert found["nyps.spridning_so4"].varde == 55.0
    assert "från 5,0 procent (Stockholms län) till 60,0 procent (Norrbottens län)" in found["nyps.spridning_so4"].text
    assert found["nyps.per_invanare_hogst"].varde == 813 and "Norrbottens län" in found["nyps.per_invanare_hogst"].text
    assert found["nyps.per_invanare_lagst"].varde == 50
    assert found["nyps.forandring_storst"].varde == 31.2  # round half to even
    assert "mest i SO4 (-22,5 procentenheter)" in found["nyps.forandring_storst"].text
    assert found["nyps.forandring_riket"].varde == 4.5
    assert found["nyps.koncentration_riket"].varde == 45.2
    assert "1 234 ärendena" in found["nyps.koncentration_riket"].text
    assert found["nyps.utbetalt_andel"].varde == 25.0  # (90 + 10) / (100 + 300); Stockholm's row not counted
    assert all(f.fraga == "2b" for f in found.values())


def test_paid_out_basis_changes_the_wording():
    tables = _tables()
    tables["area_county"] = tables["area_county"].rename(columns={"beviljat_mkr": "utbetalt_mkr"})
    found = {f.id: f for f in key_findings.key_findings(tables, "utbetalt", 2022, 2023, 2022, 2023)}
    assert found["nyps.total_riket"].text.startswith("De utbetalda 1:1-medlen 2022–2023")


def test_cited_cells_exist_in_the_notebook():
    nb = nbformat.read(ROOT / "notebooks" / "02_nyps_analysis.ipynb", as_version=4)
    ids = {c.id for c in nb.cells}
    for f in key_findings.key_findings(_tables(), "beviljat", 2021, 2024, 2021, 2024):
        assert f.cell in ids, f.cell
