"""Stage 02 aggregations, checked against values worked out by hand from a 13-row fixture.

The fixture (amounts in MSEK; decision years 2021-2022 analysed, one 2019 row outside):

    row case year stodtyp county area   priority  granted  paid
    r1  A1   2021 PROJ    01     SO1    SO1.2     4.0      2.0
    r2  A1   2021 PROJ    01     SO3    SO3.1     1.0      1.0    (case A1 on two rows)
    r3  A2   2022 FTG     01     SO3    -         3.0      NaN
    r4  A3   2022 KS      01     ANNAT  "övrigt genomförande av rus."   1.0  1.0
    r5  A4   2022 PROJ    01     ANNAT  "uppgift  saknas"               1.0  1.0
    r6  G1   2021 PROJ    09     SO2    SO2.1     0.5      0.5
    r7  G2   2022 PROJ    09     SO2    SO2.1     1.5      0.75
    r8  G3   2022 FTG     09     ANNAT  "Övriga insatser"               0.5  0.5
    r9  N1   2021 PROJ    25     SO4    SO4.1     2.5      2.0
    r10 N2   2021 KS      25     SO1    SO1.2     2.5      2.5
    r11 N3   2022 (null)  25     SO4    SO4.2     3.75     3.0
    r12 N4   2019 PROJ    25     SO4    SO4.1     5.0      5.0    (outside the window)
    r13 N5   2022 FTG     25     ANNAT  "INTERNATIONELLT  SAMARBETE"    3.75 0.75

Granted, 2021-2022, all support types:
    01: SO1 4, SO3 4, ANNAT 2 = 10        -> 40 / 40 / 20 %
    09: SO2 2, ANNAT 0.5 = 2.5            -> 80 / 20 %
    25: SO1 2.5, SO4 6.25, ANNAT 3.75 = 12.5 -> 20 / 50 / 30 %
    Riket: SO1 6.5, SO2 2, SO3 4, SO4 6.25, ANNAT 6.25 = 25 -> 26 / 8 / 16 / 25 / 25 %
"""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from helpers import reference
from helpers.nyps import analysis as an
from helpers.paths import project_root

M = 1_000_000.0
COUNTY_ORDER = ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19",
                "20", "21", "22", "23", "24", "25", "00"]
ALL_TYPES = ["PROJ", "FTG", "KS"]
SO1 = "Likvärdiga möjligheter till boende, arbete och välfärd i hela landet"
SO2 = "Kompetensförsörjning och kompetensutveckling i hela landet"
SO3 = "Innovation och förnyelse samt entreprenörskap och företagande i hela landet"
SO4 = "Tillgänglighet i hela landet genom digital kommunikation och transportsystem"


def _projects() -> pd.DataFrame:
    rows = [
        # kalla_rad, arende, beslut_ar, stodtyp, lan_kod, omrade_id, omrade, prioritering_id, beviljat, utbet
        (2, "A1", 2021, "PROJ", "01", "SO1", SO1, "SO1.2", 4.0, 2.0),
        (3, "A1", 2021, "PROJ", "01", "SO3", SO3, "SO3.1", 1.0, 1.0),
        (4, "A2", 2022, "FTG", "01", "SO3", SO3, None, 3.0, np.nan),
        (5, "A3", 2022, "KS", "01", "ANNAT", "övrigt genomförande av rus.", None, 1.0, 1.0),
        (6, "A4", 2022, "PROJ", "01", "ANNAT", "uppgift  saknas", None, 1.0, 1.0),
        (7, "G1", 2021, "PROJ", "09", "SO2", SO2, "SO2.1", 0.5, 0.5),
        (8, "G2", 2022, "PROJ", "09", "SO2", SO2, "SO2.1", 1.5, 0.75),
        (9, "G3", 2022, "FTG", "09", "ANNAT", "Övriga insatser", None, 0.5, 0.5),
        (10, "N1", 2021, "PROJ", "25", "SO4", SO4, "SO4.1", 2.5, 2.0),
        (11, "N2", 2021, "KS", "25", "SO1", SO1, "SO1.2", 2.5, 2.5),
        (12, "N3", 2022, None, "25", "SO4", SO4, "SO4.2", 3.75, 3.0),
        (13, "N4", 2019, "PROJ", "25", "SO4", SO4, "SO4.1", 5.0, 5.0),
        (14, "N5", 2022, "FTG", "25", "ANNAT", "INTERNATIONELLT  SAMARBETE", None, 3.75, 0.75),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["kalla_rad", "arende", "beslut_ar", "stodtyp", "lan_kod", "omrade_id", "omrade",
                 "prioritering_id", "beviljat_belopp", "utbet_belopp"],
    )
    frame["beviljat_belopp"] = frame["beviljat_belopp"] * M
    frame["utbet_belopp"] = frame["utbet_belopp"] * M
    frame["prioritering"] = frame["prioritering_id"].map(
        lambda p: None if p is None else reference.label(p), na_action="ignore")
    return frame


def _sel(basis="beviljat", year_from=2021, year_to=2022, types=ALL_TYPES):
    return an.select(_projects(), year_from, year_to, types, basis)


def _at(table, **keys):
    """The one row matching keys, as a Series."""
    mask = pd.Series(True, index=table.index)
    for column, value in keys.items():
        mask &= table[column] == value
    match = table[mask]
    assert len(match) == 1, keys
    return match.iloc[0]


# --------------------------------------------------------------------------- parameters


def test_amount_column():
    assert an.amount_column("beviljat") == "beviljat_mkr"
    assert an.amount_column("utbetalt") == "utbetalt_mkr"
    with pytest.raises(ValueError, match="amount_basis"):
        an.amount_column("betalt")


def test_select_rows_and_amounts():
    sel = _sel()
    assert list(sel["kalla_rad"]) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]  # 2019 row out, null stodtyp kept
    assert sel["belopp"].sum() == 25 * M
    assert list(sel.index) == list(range(12))
    paid = _sel("utbetalt")
    assert paid.loc[paid["kalla_rad"] == 4, "belopp"].item() == 0.0  # NaN paid -> 0
    assert paid["belopp"].sum() == 15 * M


def test_select_support_types_and_window():
    # a subset drops the null support type too
    assert list(_sel(types=["PROJ", "FTG"])["kalla_rad"]) == [2, 3, 4, 6, 7, 8, 9, 10, 14]
    assert list(_sel(types=["KS"])["kalla_rad"]) == [5, 11]
    assert list(_sel(year_from=2019, year_to=2021)["kalla_rad"]) == [2, 3, 7, 10, 11, 13]
    with pytest.raises(ValueError, match="support type"):
        _sel(types=["PROJ", "XX"])
    with pytest.raises(ValueError, match="amount_basis"):
        _sel(basis="netto")
    with pytest.raises(ValueError, match="year_from"):
        _sel(year_from=2023, year_to=2021)
    with pytest.raises(ValueError, match="utbet_belopp"):
        an.select(_projects().drop(columns="utbet_belopp"), 2021, 2022, ALL_TYPES, "utbetalt")


# --------------------------------------------------------------------------- area by county


def test_area_by_county_hand_computed():
    table = an.area_by_county(_sel(), "beviljat")
    assert list(table.columns) == ["lan_kod", "lan", "omrade_id", "beviljat_mkr", "andel_procent"]
    assert len(table) == 110
    assert list(table["lan_kod"][::5]) == COUNTY_ORDER
    assert list(table["omrade_id"][:5]) == ["SO1", "SO2", "SO3", "SO4", "ANNAT"]
    assert list(table.index) == list(range(110))
    sto = table[table["lan_kod"] == "01"]
    assert list(sto["lan"].unique()) == ["Stockholms län"]
    assert list(sto["beviljat_mkr"]) == pytest.approx([4.0, 0.0, 4.0, 0.0, 2.0])
    assert list(sto["andel_procent"]) == pytest.approx([40.0, 0.0, 40.0, 0.0, 20.0])
    got = table[table["lan_kod"] == "09"]
    assert list(got["andel_procent"]) == pytest.approx([0.0, 80.0, 0.0, 0.0, 20.0])
    nbt = table[table["lan_kod"] == "25"]
    assert list(nbt["beviljat_mkr"]) == pytest.approx([2.5, 0.0, 0.0, 6.25, 3.75])
    assert list(nbt["andel_procent"]) == pytest.approx([20.0, 0.0, 0.0, 50.0, 30.0])
    riket = table[table["lan_kod"] == "00"]
    assert list(riket["lan"].unique()) == ["Riket"]
    assert list(riket["beviljat_mkr"]) == pytest.approx([6.5, 2.0, 4.0, 6.25, 6.25])
    assert list(riket["andel_procent"]) == pytest.approx([26.0, 8.0, 16.0, 25.0, 25.0])
    # a county without projects is there, with zeros and no NaN
    upp = table[table["lan_kod"] == "03"]
    assert list(upp["beviljat_mkr"]) == [0.0] * 5 and list(upp["andel_procent"]) == [0.0] * 5
    assert not table[["beviljat_mkr", "andel_procent"]].isna().any().any()


def test_area_by_county_parameters_change_results():
    paid = an.area_by_county(_sel("utbetalt"), "utbetalt")
    assert "utbetalt_mkr" in paid.columns and "beviljat_mkr" not in paid.columns
    sto = paid[paid["lan_kod"] == "01"]
    assert list(sto["utbetalt_mkr"]) == pytest.approx([2.0, 0.0, 1.0, 0.0, 2.0])
    assert list(sto["andel_procent"]) == pytest.approx([40.0, 0.0, 20.0, 0.0, 40.0])
    assert paid.loc[paid["lan_kod"] == "00", "utbetalt_mkr"].sum() == pytest.approx(15.0)

    wider = an.area_by_county(_sel(year_from=2019, year_to=2022), "beviljat")
    assert _at(wider, lan_kod="25", omrade_id="SO4")["beviljat_mkr"] == pytest.approx(11.25)

    subset = an.area_by_county(_sel(types=["PROJ", "FTG"]), "beviljat")
    nbt = subset[subset["lan_kod"] == "25"]
    assert list(nbt["beviljat_mkr"]) == pytest.approx([0.0, 0.0, 0.0, 2.5, 3.75])
    assert list(nbt["andel_procent"]) == pytest.approx([0.0, 0.0, 0.0, 40.0, 60.0])


# --------------------------------------------------------------------------- annat


def test_annat_by_county_maps_variants_to_official_labels():
    table = an.annat_by_county(_sel(), "beviljat")
    assert list(table.columns) == ["lan_kod", "lan", "omrade", "beviljat_mkr", "andel_procent"]
    assert len(table) == 110
    assert list(table["omrade"][:5]) == ["Internationellt samarbete", "UPPGIFT SAKNAS", "Övriga insatser",
                                         "Övrigt", "Övrigt genomförande av RUS"]
    sto = table[table["lan_kod"] == "01"]
    assert list(sto["beviljat_mkr"]) == pytest.approx([0.0, 1.0, 0.0, 0.0, 1.0])
    assert list(sto["andel_procent"]) == pytest.approx([0.0, 50.0, 0.0, 0.0, 50.0])
    assert list(table.loc[table["lan_kod"] == "09", "andel_procent"]) == pytest.approx([0, 0, 100.0, 0, 0])
    assert list(table.loc[table["lan_kod"] == "25", "beviljat_mkr"]) == pytest.approx([3.75, 0, 0, 0, 0])
    riket = table[table["lan_kod"] == "00"]
    assert list(riket["beviljat_mkr"]) == pytest.approx([3.75, 1.0, 0.5, 0.0, 1.0])
    assert list(riket["andel_procent"]) == pytest.approx([60.0, 16.0, 8.0, 0.0, 16.0])
    assert list(table.loc[table["lan_kod"] == "14", "andel_procent"]) == [0.0] * 5


def test_annat_unknown_label_is_named():
    projects = _projects()
    projects.loc[4, "omrade"] = "Något helt annat"
    with pytest.raises(ValueError, match="Något helt annat"):
        an.annat_by_county(an.select(projects, 2021, 2022, ALL_TYPES, "beviljat"), "beviljat")


# --------------------------------------------------------------------------- per capita


def test_per_capita_with_real_populations():
    table = an.per_capita(_sel(), "beviljat")
    assert list(table.columns) == ["lan_kod", "lan", "folkmangd_2023", "beviljat_mkr", "kr_per_invanare", "rang"]
    assert list(table["lan_kod"]) == COUNTY_ORDER
    assert str(table["rang"].dtype) == "Int64"
    sto, got, nbt, riket = (_at(table, lan_kod=c) for c in ("01", "09", "25", "00"))
    assert sto["folkmangd_2023"] == 2_454_821 and got["folkmangd_2023"] == 61_029
    assert nbt["folkmangd_2023"] == 248_480 and riket["folkmangd_2023"] == 10_551_707
    assert sto["kr_per_invanare"] == pytest.approx(4.07362, abs=1e-5)  # 10 000 000 / 2 454 821
    assert got["kr_per_invanare"] == pytest.approx(40.96413, abs=1e-5) #  2 500 000 /    61 029
    assert nbt["kr_per_invanare"] == pytest.approx(50.30586, abs=1e-5) # 12 500 000 /   248 480
    assert riket["kr_per_invanare"] == pytest.approx(2.36928, abs=1e-5) # 25 000 000 / 10 551 707
    assert (nbt["rang"], got["rang"], sto["rang"]) == (1, 2, 3)
    # the 18 counties without money tie at 0 and are ranked in lan_kod order
    assert _at(table, lan_kod="03")["rang"] == 4 and _at(table, lan_kod="24")["rang"] == 21
    assert _at(table, lan_kod="14")["kr_per_invanare"] == 0.0
    assert riket["rang"] is pd.NA
    assert sorted(table["rang"][:21]) == list(range(1, 22))


# --------------------------------------------------------------------------- by year, mix


def test_area_by_year_hand_computed():
    table = an.area_by_year(_sel(), "beviljat", 2021, 2022)
    assert list(table.columns) == ["lan_kod", "lan", "beslut_ar", "omrade_id", "beviljat_mkr", "andel_procent"]
    assert len(table) == 22 * 2 * 5
    assert list(table["beslut_ar"][:10]) == [2021] * 5 + [2022] * 5
    sto21 = table[(table["lan_kod"] == "01") & (table["beslut_ar"] == 2021)]
    assert list(sto21["andel_procent"]) == pytest.approx([80.0, 0.0, 20.0, 0.0, 0.0])
    sto22 = table[(table["lan_kod"] == "01") & (table["beslut_ar"] == 2022)]
    assert list(sto22["beviljat_mkr"]) == pytest.approx([0.0, 0.0, 3.0, 0.0, 2.0])
    assert list(sto22["andel_procent"]) == pytest.approx([0.0, 0.0, 60.0, 0.0, 40.0])
    riket21 = table[(table["lan_kod"] == "00") & (table["beslut_ar"] == 2021)]
    assert list(riket21["beviljat_mkr"]) == pytest.approx([6.5, 0.5, 1.0, 2.5, 0.0])
    assert list(riket21["andel_procent"]) == pytest.approx([650 / 10.5, 50 / 10.5, 100 / 10.5, 250 / 10.5, 0.0])
    # a year with nothing is present with zeros
    empty = an.area_by_year(_sel(), "beviljat", 2021, 2023)
    assert len(empty) == 22 * 3 * 5
    assert list(empty.loc[empty["beslut_ar"] == 2023, "andel_procent"].unique()) == [0.0]
    with pytest.raises(ValueError, match="2019"):
        an.area_by_year(_sel(year_from=2019), "beviljat", 2021, 2022)


def test_mix_change_and_shift_hand_computed():
    change = an.mix_change(an.area_by_year(_sel(), "beviljat", 2021, 2022), 2021, 2022)
    assert list(change.columns) == ["lan_kod", "lan", "omrade_id", "andel_forsta_procent", "andel_sista_procent",
                                    "forandring_procentenheter"]
    assert len(change) == 110 and list(change["lan_kod"][::5]) == COUNTY_ORDER
    sto = change[change["lan_kod"] == "01"]
    assert list(sto["andel_forsta_procent"]) == pytest.approx([80.0, 0.0, 20.0, 0.0, 0.0])
    assert list(sto["andel_sista_procent"]) == pytest.approx([0.0, 0.0, 60.0, 0.0, 40.0])
    assert list(sto["forandring_procentenheter"]) == pytest.approx([-80.0, 0.0, 40.0, 0.0, 40.0])

    shift = an.mix_shift(change)
    assert list(shift.columns) == ["lan_kod", "lan", "forandringsindex", "storsta_forandring_omrade_id",
                                   "storsta_forandring_procentenheter", "rang"]
    # sorted by rank: 01 (80), 25 (50), 09 (25), then the zero counties in lan_kod order, Riket last
    assert list(shift["lan_kod"][:5]) == ["01", "25", "09", "03", "04"]
    assert shift["lan_kod"].iloc[-1] == "00" and shift["rang"].iloc[-1] is pd.NA
    assert list(shift["rang"][:21]) == list(range(1, 22)) and str(shift["rang"].dtype) == "Int64"
    sto, nbt, got = shift.iloc[0], shift.iloc[1], shift.iloc[2]
    assert sto["forandringsindex"] == pytest.approx(80.0)
    assert (sto["storsta_forandring_omrade_id"], sto["storsta_forandring_procentenheter"]) == ("SO1", pytest.approx(-80.0))
    # 25: SO1 50 -> 0, ANNAT 0 -> 50: a tie of |50|, the first area wins
    assert nbt["forandringsindex"] == pytest.approx(50.0)
    assert (nbt["storsta_forandring_omrade_id"], nbt["storsta_forandring_procentenheter"]) == ("SO1", pytest.approx(-50.0))
    # 09: SO2 100 -> 75, ANNAT 0 -> 25
    assert got["forandringsindex"] == pytest.approx(25.0)
    assert (got["storsta_forandring_omrade_id"], got["storsta_forandring_procentenheter"]) == ("SO2", pytest.approx(-25.0))
    # Riket: 2021 SO1 6.5 of 10.5 MSEK, 2022 no SO1 and every other area grows: index = SO1's fall
    riket = shift.iloc[-1]
    assert riket["forandringsindex"] == pytest.approx(650 / 10.5)
    assert riket["storsta_forandring_omrade_id"] == "SO1"
    assert riket["storsta_forandring_procentenheter"] == pytest.approx(-650 / 10.5)
    zero = shift[shift["lan_kod"] == "14"].iloc[0]
    assert zero["forandringsindex"] == 0.0 and zero["storsta_forandring_procentenheter"] == 0.0


def test_mix_change_missing_year():
    with pytest.raises(ValueError, match="2024"):
        an.mix_change(an.area_by_year(_sel(), "beviljat", 2021, 2022), 2021, 2024)
    with pytest.raises(ValueError, match="andel_procent"):
        an.mix_change(pd.DataFrame({"lan_kod": [], "beslut_ar": [], "omrade_id": []}), 2021, 2022)


# --------------------------------------------------------------------------- priorities


def test_priorities_hand_computed():
    table = an.priorities(_sel(), "beviljat")
    assert list(table.columns) == ["omrade_id", "prioritering_id", "prioritering", "beviljat_mkr",
                                   "andel_av_omradet_procent"]
    assert list(table["prioritering_id"]) == ["SO1.1", "SO1.2", "SO1.3", None, "SO2.1", "SO2.2", None,
                                              "SO3.1", "SO3.2", "SO3.3", "SO3.4", "SO3.5", None,
                                              "SO4.1", "SO4.2", None]
    assert list(table["omrade_id"]) == ["SO1"] * 4 + ["SO2"] * 3 + ["SO3"] * 6 + ["SO4"] * 3
    assert table["prioritering"].iloc[1] == "God tillgång till kommersiell och offentlig service"
    assert list(table.loc[table["prioritering_id"].isna(), "prioritering"]) == ["Ingen prioritering angiven"] * 4
    assert list(table["beviljat_mkr"]) == pytest.approx([0, 6.5, 0, 0, 2.0, 0, 0, 1.0, 0, 0, 0, 0, 3.0, 2.5, 3.75, 0])
    assert list(table["andel_av_omradet_procent"]) == pytest.approx(
        [0, 100.0, 0, 0, 100.0, 0, 0, 25.0, 0, 0, 0, 0, 75.0, 40.0, 60.0, 0])


def test_priorities_in_wrong_area_rejected():
    projects = _projects()
    projects.loc[0, "prioritering_id"] = "SO4.1"  # recorded under SO1
    with pytest.raises(ValueError, match="SO4.1"):
        an.priorities(an.select(projects, 2021, 2022, ALL_TYPES, "beviljat"), "beviljat")


# --------------------------------------------------------------------------- support type


def test_support_type_hand_computed():
    table = an.support_type(_sel(), "beviljat", ALL_TYPES)
    assert list(table.columns) == ["lan_kod", "lan", "stodtyp", "omrade_id", "beviljat_mkr", "andel_procent"]
    assert len(table) == 22 * 4 * 5  # PROJ, FTG, KS and "okänd" for the null row
    assert list(table["stodtyp"][:20:5]) == ["PROJ", "FTG", "KS", "okänd"]
    sto = table[table["lan_kod"] == "01"].set_index(["stodtyp", "omrade_id"])["andel_procent"]
    assert sto[("PROJ", "SO1")] == pytest.approx(40.0)
    assert sto[("PROJ", "SO3")] == pytest.approx(10.0)
    assert sto[("PROJ", "ANNAT")] == pytest.approx(10.0)
    assert sto[("FTG", "SO3")] == pytest.approx(30.0)
    assert sto[("KS", "ANNAT")] == pytest.approx(10.0)
    assert sto.sum() == pytest.approx(100.0)
    nbt = table[table["lan_kod"] == "25"].set_index(["stodtyp", "omrade_id"])
    assert nbt.loc[("okänd", "SO4"), "beviljat_mkr"] == pytest.approx(3.75)
    assert nbt.loc[("okänd", "SO4"), "andel_procent"] == pytest.approx(30.0)
    assert nbt.loc[("KS", "SO1"), "andel_procent"] == pytest.approx(20.0)

    subset = an.support_type(_sel(types=["FTG", "PROJ"]), "beviljat", ["FTG", "PROJ"])
    assert len(subset) == 22 * 2 * 5
    assert list(subset["stodtyp"][:10:5]) == ["FTG", "PROJ"]  # the given order
    nbt = subset[subset["lan_kod"] == "25"].set_index(["stodtyp", "omrade_id"])["andel_procent"]
    assert nbt[("FTG", "ANNAT")] == pytest.approx(60.0) and nbt[("PROJ", "SO4")] == pytest.approx(40.0)
    with pytest.raises(ValueError, match="KS"):
        an.support_type(_sel(), "beviljat", ["PROJ", "FTG"])  # rows of KS in the selection


# --------------------------------------------------------------------------- cases


def test_cases_hand_computed():
    table = an.cases(_sel(), "beviljat")
    assert list(table.columns) == ["lan_kod", "lan", "arenden", "rader", "beviljat_mkr", "median_per_arende_mkr",
                                   "andel_storsta_tiondel_procent"]
    assert list(table["lan_kod"]) == COUNTY_ORDER
    # 01: cases A1 5 (two rows), A2 3, A3 1, A4 1; the largest ceil(0.4) = 1 case holds 5 of 10
    assert tuple(_at(table, lan_kod="01")[2:]) == (4, 5, pytest.approx(10.0), pytest.approx(2.0), pytest.approx(50.0))
    # 09: 0.5, 1.5, 0.5 -> median 0.5; largest 1.5 of 2.5
    assert tuple(_at(table, lan_kod="09")[2:]) == (3, 3, pytest.approx(2.5), pytest.approx(0.5), pytest.approx(60.0))
    # 25: 2.5, 2.5, 3.75, 3.75 -> median 3.125; largest 3.75 of 12.5
    assert tuple(_at(table, lan_kod="25")[2:]) == (4, 4, pytest.approx(12.5), pytest.approx(3.125), pytest.approx(30.0))
    # Riket: 11 cases, 12 rows; median of 5, 3.75, 3.75, 3, 2.5, 2.5, 1.5, 1, 1, 0.5, 0.5 is 2.5;
    # the largest ceil(1.1) = 2 cases hold 5 + 3.75 = 8.75 of 25
    assert tuple(_at(table, lan_kod="00")[2:]) == (11, 12, pytest.approx(25.0), pytest.approx(2.5), pytest.approx(35.0))
    assert tuple(_at(table, lan_kod="03")[2:]) == (0, 0, 0.0, 0.0, 0.0)
    assert table["arenden"].dtype == "int64" and table["rader"].dtype == "int64"


def _many_cases(amounts_msek):
    return pd.DataFrame({
        "lan_kod": "12", "arende": [f"K{i}" for i in range(len(amounts_msek))], "omrade_id": "SO3",
        "belopp": [a * M for a in amounts_msek],
    })


def test_cases_concentration_rounds_up():
    ten = an.cases(_many_cases([10, 1, 1, 1, 1, 1, 1, 1, 1, 2]), "beviljat")  # 20 MSEK in 10 cases
    assert _at(ten, lan_kod="12")["andel_storsta_tiondel_procent"] == pytest.approx(50.0)  # largest 1 case
    assert _at(ten, lan_kod="12")["median_per_arende_mkr"] == pytest.approx(1.0)
    eleven = an.cases(_many_cases([10, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0]), "beviljat")
    assert _at(eleven, lan_kod="12")["andel_storsta_tiondel_procent"] == pytest.approx(60.0)  # largest 2 cases
    # 30 cases: the largest 3 (0.1 * 30 is 3.0000000000000004 in floating point; not 4)
    thirty = an.cases(_many_cases([1] * 30), "beviljat")
    assert _at(thirty, lan_kod="12")["andel_storsta_tiondel_procent"] == pytest.approx(10.0)


# --------------------------------------------------------------------------- granted vs paid


def test_granted_vs_paid_hand_computed():
    table = an.granted_vs_paid(_projects(), 2021, 2022, ALL_TYPES)
    assert list(table.columns) == ["lan_kod", "lan", "beslut_ar", "beviljat_mkr", "utbetalt_mkr",
                                   "utbetalt_andel_procent"]
    assert len(table) == 44 and list(table["lan_kod"][::2]) == COUNTY_ORDER
    assert tuple(_at(table, lan_kod="01", beslut_ar=2021)[3:]) == (pytest.approx(5.0), pytest.approx(3.0), pytest.approx(60.0))
    # the NaN paid amount of A2 counts 0
    assert tuple(_at(table, lan_kod="01", beslut_ar=2022)[3:]) == (pytest.approx(5.0), pytest.approx(2.0), pytest.approx(40.0))
    assert tuple(_at(table, lan_kod="09", beslut_ar=2022)[3:]) == (pytest.approx(2.0), pytest.approx(1.25), pytest.approx(62.5))
    assert tuple(_at(table, lan_kod="25", beslut_ar=2022)[3:]) == (pytest.approx(7.5), pytest.approx(3.75), pytest.approx(50.0))
    assert tuple(_at(table, lan_kod="00", beslut_ar=2021)[3:]) == (pytest.approx(10.5), pytest.approx(8.0), pytest.approx(800 / 10.5))
    assert tuple(_at(table, lan_kod="03", beslut_ar=2021)[3:]) == (0.0, 0.0, 0.0)
    ks = an.granted_vs_paid(_projects(), 2021, 2022, ["KS"])
    assert tuple(_at(ks, lan_kod="00", beslut_ar=2021)[3:]) == (pytest.approx(2.5), pytest.approx(2.5), pytest.approx(100.0))
    assert tuple(_at(ks, lan_kod="00", beslut_ar=2022)[3:]) == (pytest.approx(1.0), pytest.approx(1.0), pytest.approx(100.0))


# --------------------------------------------------------------------------- consistency


def test_consistency_all_pass_then_detects_a_fault():
    projects = _projects()
    sel = an.select(projects, 2021, 2022, ALL_TYPES, "beviljat")
    area = an.area_by_county(sel, "beviljat")
    checks = an.consistency(sel, "beviljat", area, projects, 2021, 2022, ALL_TYPES)
    assert list(checks.columns) == ["kontroll", "forvantat", "faktiskt", "differens"]
    # shares of the 3 counties with money and Riket, 5 areas, 2 national totals
    assert list(checks["kontroll"]) == [
        "andelar summerar till 100: 01", "andelar summerar till 100: 09", "andelar summerar till 100: 25",
        "andelar summerar till 100: 00",
        "länen summerar till riket: SO1", "länen summerar till riket: SO2", "länen summerar till riket: SO3",
        "länen summerar till riket: SO4", "länen summerar till riket: ANNAT",
        "riket = bearbetad tabell", "riket = summa av områden",
    ]
    assert list(checks["forvantat"]) == pytest.approx([100, 100, 100, 100, 6.5, 2.0, 4.0, 6.25, 6.25, 25.0, 25.0])
    assert checks["differens"].abs().max() < 1e-9

    broken = area.copy()
    broken.loc[(broken["lan_kod"] == "01") & (broken["omrade_id"] == "SO3"), "beviljat_mkr"] = 5.0
    bad = an.consistency(sel, "beviljat", broken, projects, 2021, 2022, ALL_TYPES).set_index("kontroll")
    assert bad.loc["länen summerar till riket: SO3", "differens"] == pytest.approx(1.0)
    assert bad.loc["riket = bearbetad tabell", "differens"] == pytest.approx(0.0)

    # utbetalt and a subset: the direct total follows the same parameters
    sel_paid = an.select(projects, 2021, 2022, ["PROJ", "FTG"], "utbetalt")
    paid = an.area_by_county(sel_paid, "utbetalt")
    checks_paid = an.consistency(sel_paid, "utbetalt", paid, projects, 2021, 2022, ["PROJ", "FTG"]).set_index("kontroll")
    assert checks_paid.loc["riket = bearbetad tabell", "forvantat"] == pytest.approx(8.5)
    assert checks_paid["differens"].abs().max() < 1e-9


# --------------------------------------------------------------------------- robustness


def test_input_not_mutated():
    projects = _projects()
    before = projects.copy(deep=True)
    sel = an.select(projects, 2021, 2022, ALL_TYPES, "beviljat")
    pd.testing.assert_frame_equal(projects, before)
    sel_before = sel.copy(deep=True)
    area = an.area_by_county(sel, "beviljat")
    area_before = area.copy(deep=True)
    an.annat_by_county(sel, "beviljat")
    an.per_capita(sel, "beviljat")
    by_year = an.area_by_year(sel, "beviljat", 2021, 2022)
    by_year_before = by_year.copy(deep=True)
    change = an.mix_change(by_year, 2021, 2022)
    change_before = change.copy(deep=True)
    an.mix_shift(change)
    an.priorities(sel, "beviljat")
    an.support_type(sel, "beviljat", ALL_TYPES)
    an.cases(sel, "beviljat")
    an.granted_vs_paid(projects, 2021, 2022, ALL_TYPES)
    an.consistency(sel, "beviljat", area, projects, 2021, 2022, ALL_TYPES)
    pd.testing.assert_frame_equal(projects, before)
    pd.testing.assert_frame_equal(sel, sel_before)
    pd.testing.assert_frame_equal(area, area_before)
    pd.testing.assert_frame_equal(by_year, by_year_before)
    pd.testing.assert_frame_equal(change, change_before)


@pytest.mark.parametrize(
    "function", [
        lambda s: an.area_by_county(s, "beviljat"),
        lambda s: an.annat_by_county(s, "beviljat"),
        lambda s: an.per_capita(s, "beviljat"),
        lambda s: an.area_by_year(s, "beviljat", 2021, 2022),
        lambda s: an.support_type(s, "beviljat", ALL_TYPES),
        lambda s: an.cases(s, "beviljat"),
    ],
)
def test_unknown_county_rejected(function):
    for code in ("99", "00"):
        sel = _sel()
        sel.loc[0, "lan_kod"] = code
        with pytest.raises(ValueError, match=code):
            function(sel)


def test_bad_selection_errors():
    sel = _sel()
    sel.loc[0, "omrade_id"] = "SO5"
    with pytest.raises(ValueError, match="SO5"):
        an.area_by_county(sel, "beviljat")
    with pytest.raises(ValueError, match="SO5"):
        an.priorities(sel, "beviljat")
    with pytest.raises(ValueError, match="belopp"):
        an.area_by_county(_sel().drop(columns="belopp"), "beviljat")
    with pytest.raises(ValueError, match="arende"):
        an.cases(_sel().drop(columns="arende"), "beviljat")
    with pytest.raises(ValueError, match="omrade"):
        an.annat_by_county(_sel().drop(columns="omrade"), "beviljat")
    with pytest.raises(ValueError, match="amount_basis"):
        an.per_capita(_sel(), "brutto")
    with pytest.raises(ValueError, match="support type"):
        an.support_type(_sel(), "beviljat", ["PROJ", "EU"])
    with pytest.raises(ValueError, match="support type"):
        an.granted_vs_paid(_projects(), 2021, 2022, ["EU"])


def test_empty_selection_gives_zero_tables():
    sel = _sel(year_from=2030, year_to=2030)
    assert len(sel) == 0
    area = an.area_by_county(sel, "beviljat")
    assert len(area) == 110 and area["beviljat_mkr"].sum() == 0.0 and area["andel_procent"].sum() == 0.0
    assert an.cases(sel, "beviljat")["arenden"].sum() == 0
    assert an.per_capita(sel, "beviljat")["kr_per_invanare"].sum() == 0.0


# --------------------------------------------------------------------------- the real sample


def test_on_the_sample_against_the_generators_planted_truth(study_run):
    """Stage 01's output of the committed sample, aggregated here, equals the sums the
    generator planted (data/raw/sample/nyps_export.truth.json), computed without this code."""
    import json

    truth = json.loads((project_root() / "data/raw/sample/nyps_export.truth.json").read_text(encoding="utf-8"))
    projects = pd.read_parquet(study_run["processed"] / "nyps_projects.parquet")
    sel = an.select(projects, 2021, 2024, ALL_TYPES, "beviljat")
    area = an.area_by_county(sel, "beviljat").set_index(["lan_kod", "omrade_id"])
    planted: dict[tuple[str, str], float] = {}
    for row in truth["beviljat_lan_omrade_ar"]:
        if 2021 <= row["beslut_ar"] <= 2024:
            key = (row["lan_kod"], row["omrade_id"])
            planted[key] = planted.get(key, 0.0) + row["beviljat"]
    for (code, area_id), sek in planted.items():
        assert area.loc[(code, area_id), "beviljat_mkr"] == pytest.approx(sek / M, abs=1e-6), (code, area_id)
    riket = area.xs("00", level="lan_kod")["beviljat_mkr"]
    assert riket.sum() == pytest.approx(sum(planted.values()) / M, abs=1e-6)
    shares = area.groupby(level="lan_kod")["andel_procent"].sum()
    assert all(abs(shares[code] - 100.0) <= 1e-9 for code in [*COUNTY_ORDER, "00"])
    annat = an.annat_by_county(sel, "beviljat")
    annat_riket = annat[annat["lan_kod"] == "00"].set_index("omrade")["beviljat_mkr"]
    for label, sek in truth["annat_varden"].items():
        assert annat_riket[label] == pytest.approx(sek / M, abs=1e-6), label
    checks = an.consistency(sel, "beviljat", an.area_by_county(sel, "beviljat"), projects, 2021, 2024, ALL_TYPES)
    assert checks["differens"].abs().max() < 1e-6
