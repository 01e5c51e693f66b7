"""Tidying NYPS2020 exports: processed table, quarantine, summary, reconciliation, outputs.

Every expected total below was computed by hand from the fixtures in tests/fixtures/nyps/
(see the comments), never with the code under test."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers.nyps import intake as intake_module
from helpers.nyps.intake import (
    PROCESSED_COLUMNS,
    QUARANTINE_COLUMNS,
    IntakeResult,
    intake,
    lookup_county,
    parse_amount,
    parse_year,
    reconciliation,
    tidy_export,
    write_outputs,
)
from helpers import stages
from helpers.nyps.read import read_export

FIXTURES = Path(__file__).parent / "fixtures" / "nyps"
DIVER = FIXTURES / "diver_utf8_semikolon.csv"
OPENDATA = FIXTURES / "opendata_bom_komma.csv"
CP1252 = FIXTURES / "diver_cp1252_tab.csv"
KARANTAN = FIXTURES / "karantan.csv"
ALL_FIXTURES = [DIVER, OPENDATA, CP1252, KARANTAN]

YEARS = (2014, 2026)
HEADER = "Ärende;Beslutsår;Stödtyp;Län;Strategiskt område;Prioritering;Beviljat belopp;Utbetalt belopp"

SO1 = "Likvärdiga möjligheter till boende, arbete och välfärd i hela landet"
SO2 = "Kompetensförsörjning och kompetensutveckling i hela landet"
SO3 = "Innovation och förnyelse samt entreprenörskap och företagande i hela landet"
SO4 = "Tillgänglighet i hela landet genom digital kommunikation och transportsystem"


def _files_in(folder):
    """The stage registry's file names for the intake's outputs, inside a folder."""
    named = stages.paths("data_intake", folder, folder)
    return named["projects"], named["quarantine"], named["intake_summary"]


def run(path) -> IntakeResult:
    return intake(path, *YEARS)


def write_csv(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def is_text_column(series: pd.Series) -> bool:
    return series.dtype == object and all(v is None or type(v) is str for v in series)


# ------------------------------------------------------------------ processed table


def test_diver_export_processed_table():
    result = run(DIVER)
    p = result.projects
    assert list(p.columns) == PROCESSED_COLUMNS
    assert str(p["kalla_rad"].dtype) == "int64" and str(p["beslut_ar"].dtype) == "int64"
    assert str(p["beviljat_belopp"].dtype) == "float64" and str(p["utbet_belopp"].dtype) == "float64"
    for column in PROCESSED_COLUMNS:
        if column not in ("kalla_rad", "beslut_ar", "beviljat_belopp", "utbet_belopp"):
            assert is_text_column(p[column]), column
    assert list(p.index) == list(range(7))
    assert p["kalla_rad"].tolist() == [4, 5, 6, 8, 9, 10, 11]
    assert p["arende"].tolist() == ["20201001", "20201001", "20201002", "20201003", "20201004", "20201005", "20201006"]
    assert p["beslut_ar"].tolist() == [2021, 2022, 2021, 2023, 2024, 2021, 2022]
    # "ks" and " PROJ " are normalised, an empty support type is None.
    assert p["stodtyp"].tolist() == ["PROJ", "PROJ", "FTG", "KS", "PROJ", "PROJ", None]
    # 14, full name, short name, "1", "03", short name, full name.
    assert p["lan_kod"].tolist() == ["14", "14", "14", "01", "03", "12", "25"]
    assert p["omrade_id"].tolist() == ["SO1", "SO1", "SO3", "SO4", "SO2", "ANNAT", "ANNAT"]
    # The export's label with whitespace normalised (row 5 had doubled and trailing spaces).
    assert p["omrade"].iloc[1] == SO1
    assert p["omrade"].iloc[2] == "Innovation och förnyelse samt entreprenörskap i hela landet"
    assert p["omrade"].iloc[5] == "Övriga insatser"
    assert p["prioritering_id"].tolist() == ["SO1.1", "SO1.1", "SO3.4", "SO4.1", "SO2.1", None, None]
    assert p["prioritering"].iloc[5] is None
    assert p["resultatkedja"].tolist() == ["Resultatkedja A", "Resultatkedja A", None, None, None, None, None]
    assert p["kommun"].iloc[2] == "Borås"
    assert p["projektnamn"].iloc[2] == "Digital omställning"  # two-line cell, whitespace normalised
    # 1 250 000,00 | 250 000 | 1 000 000,50 kr (NBSP) | 300.000,00 | 2 500 000 (narrow NBSP) | 75 000 | 40000
    assert p["beviljat_belopp"].tolist() == [1250000.0, 250000.0, 1000000.5, 300000.0, 2500000.0, 75000.0, 40000.0]
    utb = p["utbet_belopp"].tolist()
    assert utb[0] == 500000.0 and utb[2] == 0.0 and utb[3] == 150000.0
    assert all(math.isnan(utb[i]) for i in (1, 4, 5, 6))
    assert result.quarantine.empty


def test_diver_export_summary():
    s = run(DIVER).summary
    json.dumps(s, allow_nan=False)  # JSON-serialisable, no NaN
    assert s["kalla"] == str(DIVER)
    assert len(s["sha256"]) == 64
    assert (s["format"], s["kodning"], s["avgransare"], s["rubrikrad"]) == ("csv", "utf-8", ";", 3)
    assert s["syntetisk"] is True
    assert (s["rader_in"], s["tomma_rader"], s["rader_godkanda"], s["rader_karantan"]) == (7, 1, 7, 0)
    # 1 250 000 + 250 000 + 1 000 000.50 + 300 000 + 2 500 000 + 75 000 + 40 000
    assert s["beviljat_in"] == 5415000.50
    assert s["beviljat_godkant"] == 5415000.50
    assert s["beviljat_karantan"] == 0.0
    assert s["tomt_omrade"] == 0
    assert s["okanda_prioriteringar"] == {}
    assert s["borttagna_kolumner"] == ["Kontaktperson", "E-post", "Telefon"]
    assert s["kolumner"]["beviljat_belopp"] == "Beviljat belopp (kr)"
    assert s["beslutsar"] == {"2021": 3, "2022": 2, "2023": 1, "2024": 1}
    assert s["karantan_orsaker"] == {}


def test_case_on_several_rows_is_kept_row_by_row():
    p = run(DIVER).projects
    case = p[p["arende"] == "20201001"]
    assert case["beslut_ar"].tolist() == [2021, 2022]
    assert case["beviljat_belopp"].sum() == 1500000.0
    assert p["arende"].nunique() == 6


def test_opendata_export_missing_area_and_unknown_priority():
    result = run(OPENDATA)
    p, s = result.projects, result.summary
    assert p["lan_kod"].tolist() == ["25", "24", "20", "09", "04", "13", "22", "23"]
    # 2018 rows have no area: NYPS's own "UPPGIFT SAKNAS", which is Annat.
    assert p["omrade"].tolist()[:2] == ["UPPGIFT SAKNAS", "UPPGIFT SAKNAS"]
    assert p["omrade_id"].tolist() == ["ANNAT", "ANNAT", "SO3", "SO1", "ANNAT", "ANNAT", "ANNAT", "SO4"]
    assert p["prioritering_id"].tolist() == [None, None, "SO3.1", "SO1.2", None, None, None, None]
    # An unknown priority is kept, not quarantined.
    assert p["prioritering"].iloc[7] == "Bredband till alla"
    assert s["okanda_prioriteringar"] == {"Bredband till alla": 1}
    assert s["tomt_omrade"] == 2  # the explicit "UPPGIFT SAKNAS" of row 8 is not counted
    assert p["beviljat_belopp"].tolist() == [1234567.5, 500000.0, 2000000.0, 150000.5, 80000.0, 20000.0, 10000.0, 300000.0]
    assert p["utbet_belopp"].iloc[0] == 1000000.25
    # 1 234 567.50 + 500 000 + 2 000 000 + 150 000.50 + 80 000 + 20 000 + 10 000 + 300 000
    assert s["beviljat_in"] == 4294568.00
    assert (s["kodning"], s["avgransare"], s["rubrikrad"], s["syntetisk"]) == ("utf-8-sig", ",", 1, False)
    assert s["beslutsar"] == {"2018": 2, "2021": 2, "2022": 2, "2023": 2}
    assert s["borttagna_kolumner"] == ["vd_kon_ren", "bransch_avd_2025"]
    assert result.quarantine.empty


def test_cp1252_tab_export():
    result = run(CP1252)
    p = result.projects
    assert p["lan_kod"].tolist() == ["06", "18", "14", "12"]
    assert p["omrade_id"].tolist() == ["SO2", "SO3", "SO1", "ANNAT"]
    assert p["prioritering_id"].tolist() == ["SO2.2", "SO3.2", "SO1.2", None]
    assert p["omrade"].iloc[3] == "Övrigt genomförande av RUS"
    # 120 000,00 (NBSP) + 80 000 + 45 500,50 + 10 000
    assert p["beviljat_belopp"].tolist() == [120000.0, 80000.0, 45500.5, 10000.0]
    assert result.summary["beviljat_in"] == 255500.50
    assert result.summary["kodning"] == "cp1252"
    assert result.summary["borttagna_kolumner"] == ["Handläggare", "Stödmottagare"]


def test_county_as_code_full_name_or_short_name(tmp_path):
    counties = ["14", "1", "01", "Stockholms län", "Stockholm", "STOCKHOLMS LÄN", " Västra  Götaland ",
                "Gävleborgs län", "Örebro", "9", "14 Västra Götalands län"]
    rows = [f"K{i};2021;PROJ;{c};Övrigt;;1;" for i, c in enumerate(counties)]
    p = run(write_csv(tmp_path, rows)).projects
    assert p["lan_kod"].tolist() == ["14", "01", "01", "01", "01", "01", "14", "21", "18", "09", "14"]
    assert lookup_county("Lappland") is None
    assert lookup_county("14 Skåne") is None  # code and name disagree


def test_area_label_variants(tmp_path):
    areas = [
        SO1, SO2, SO3, SO4,
        "Innovation och förnyelse samt entreprenörskap i hela landet",                   # SO3 short
        "Tillgänglighet i hela landet genom digital kommunikation och transportsystemet",  # SO4 variant
        "  tillgänglighet i hela  landet genom DIGITAL kommunikation och transportsystem ",
        "Internationellt samarbete", "UPPGIFT SAKNAS", "Övriga insatser", "Övrigt",
        "Övrigt genomförande av RUS", "",
    ]
    rows = [f"O{i};2021;PROJ;14;{a};;1;" for i, a in enumerate(areas)]
    result = run(write_csv(tmp_path, rows))
    p = result.projects
    assert p["omrade_id"].tolist() == ["SO1", "SO2", "SO3", "SO4", "SO3", "SO4", "SO4"] + ["ANNAT"] * 6
    assert p["omrade"].iloc[6] == "tillgänglighet i hela landet genom DIGITAL kommunikation och transportsystem"
    assert p["omrade"].iloc[12] == "UPPGIFT SAKNAS"
    assert result.summary["tomt_omrade"] == 1
    assert result.quarantine.empty


def test_empty_area_count_is_of_accepted_rows(tmp_path):
    rows = ["A;2021;PROJ;14;;;1;", "B;2021;PROJ;14;   ;;2;", "C;2021;PROJ;14;;;fel;"]
    result = run(write_csv(tmp_path, rows))
    assert result.projects["omrade"].tolist() == ["UPPGIFT SAKNAS", "UPPGIFT SAKNAS"]
    assert result.summary["tomt_omrade"] == 2
    assert result.quarantine["omrade"].tolist() == [""]  # raw text kept as it was


def test_priority_matching(tmp_path):
    rows = [
        f"P1;2021;PROJ;14;{SO3};Tillvarata digitaliseringens möjligheter;1;",
        f"P2;2021;PROJ;14;{SO3};  tillvarata DIGITALISERINGENS möjligheter ;1;",
        f"P3;2021;PROJ;14;{SO1};God tillgång till kommersiell och offentligt service;1;",  # known variant
        f"P4;2021;PROJ;14;{SO1};Något nytt;1;",
        f"P5;2021;PROJ;14;{SO2};Något nytt;1;",
        f"P6;2021;PROJ;14;{SO4};Ett gott näringsklimat med goda ramvillkor och väl fungerande kapitalförsörjning;1;",
        # An Annat area (or none) with a known priority is not checked against it.
        "P7;2021;PROJ;14;Övrigt;God samhällsplanering;1;",
        "P8;2021;PROJ;14;;God samhällsplanering;1;",
    ]
    result = run(write_csv(tmp_path, rows))
    assert result.projects["prioritering_id"].tolist() == ["SO3.4", "SO3.4", "SO1.2", None, None, "SO1.1", "SO1.1"]
    assert result.projects["omrade_id"].tolist()[-2:] == ["ANNAT", "ANNAT"]
    assert result.projects["prioritering"].iloc[1] == "tillvarata DIGITALISERINGENS möjligheter"
    assert result.summary["okanda_prioriteringar"] == {"Något nytt": 2}
    assert result.quarantine["orsak"].tolist() == [
        "prioriteringen 'Ett gott näringsklimat med goda ramvillkor och väl fungerande "
        "kapitalförsörjning' hör till SO3, inte SO4"
    ]


# ------------------------------------------------------------------------ quarantine


KARANTAN_EXPECTED = [
    (3, "ärende saknas"),
    (4, "beslutsår saknas"),
    (5, "beslutsår är inget år: 'tjugo'"),
    (6, "beslutsår 2031 utanför 2014–2026"),
    (7, "okänd stödtyp: 'BIDRAG'"),
    (8, "län saknas"),
    (9, "okänt län: 'Lappland'"),
    (10, "okänt strategiskt område: 'Turism'"),
    (11, "prioriteringen 'Tillvarata digitaliseringens möjligheter' hör till SO3, inte SO1"),
    (12, "beviljat belopp saknas"),
    (13, "beviljat belopp är inget tal: '12 kronor'"),
    (14, "negativt beviljat belopp: '\u22121 500'"),
    (15, "utbetalt belopp är inget tal: 'n/a'"),
    (16, "negativt utbetalt belopp: '-50'"),
    (17, "ärende saknas; beslutsår 2013 utanför 2014–2026; okänd stödtyp: 'XX'; län saknas; "
         "okänt strategiskt område: 'Turism'; beviljat belopp är inget tal: 'abc'"),
]


def test_quarantine_one_row_per_reason():
    result = run(KARANTAN)
    q = result.quarantine
    assert list(q.columns) == QUARANTINE_COLUMNS
    assert str(q["rad"].dtype) == "int64" and str(q["beviljat_belopp_sek"].dtype) == "float64"
    assert list(zip(q["rad"].tolist(), q["orsak"].tolist())) == KARANTAN_EXPECTED
    sek = q["beviljat_belopp_sek"].tolist()
    assert sek[:9] == [100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0, 900.0]
    assert math.isnan(sek[9]) and math.isnan(sek[10]) and math.isnan(sek[14])
    assert sek[11:14] == [-1500.0, 1100.0, 1200.0]
    # Raw text as in the file.
    row = q.set_index("rad")
    assert row.loc[14, "beviljat_belopp"] == "\u22121 500"
    assert row.loc[5, "beslut_ar"] == "tjugo"
    assert row.loc[3, "arende"] == ""
    assert row.loc[16, "utbet_belopp"] == "-50"
    assert row.loc[9, "lan"] == "Lappland"
    assert row.loc[11, "prioritering"] == "Tillvarata digitaliseringens möjligheter"
    for column in ("orsak", *QUARANTINE_COLUMNS[2:-1]):
        assert is_text_column(q[column]), column
    # The two accepted rows.
    p = result.projects
    assert p["kalla_rad"].tolist() == [2, 18]
    assert p["beslut_ar"].tolist() == [2021, 2026]  # 2026 is inside the range
    assert p["beviljat_belopp"].tolist() == [1000.0, 5000.25]


def test_quarantine_summary_and_reconciliation():
    result = run(KARANTAN)
    s = result.summary
    assert (s["rader_in"], s["rader_godkanda"], s["rader_karantan"]) == (17, 2, 15)
    # Accepted: 1000 + 5000,25. Quarantined, parseable: 100+...+900 = 4500, -1500, 1100, 1200.
    assert s["beviljat_godkant"] == 6000.25
    assert s["beviljat_karantan"] == 5300.00
    assert s["beviljat_in"] == 11300.25
    assert s["karantan_orsaker"] == {
        "ärende saknas": 2, "beslutsår saknas": 1, "beslutsår är inget år": 1,
        "beslutsår utanför intervallet": 1, "okänd stödtyp": 1, "län saknas": 1, "okänt län": 1,
        "okänt strategiskt område": 1, "prioriteringen hör till annat område": 1,
        "beviljat belopp saknas": 1, "beviljat belopp är inget tal": 1,
        "negativt beviljat belopp": 1, "utbetalt belopp är inget tal": 1,
        "negativt utbetalt belopp": 1,
    }
    rec = reconciliation(result)
    assert len(rec) == 1
    assert rec.iloc[0].to_dict() == {
        "rader_in": 17, "rader_godkanda": 2, "rader_karantan": 15, "rader_diff": 0,
        "belopp_in": 11300.25, "belopp_godkanda": 6000.25, "belopp_karantan": 5300.0, "belopp_diff": 0.0,
    }


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.name)
def test_reconciliation_adds_up(path):
    result = run(path)
    rec = reconciliation(result).iloc[0]
    assert list(reconciliation(result).columns) == [
        "rader_in", "rader_godkanda", "rader_karantan", "rader_diff",
        "belopp_in", "belopp_godkanda", "belopp_karantan", "belopp_diff",
    ]
    assert rec["rader_in"] == rec["rader_godkanda"] + rec["rader_karantan"]
    assert rec["rader_diff"] == 0 and rec["belopp_diff"] == 0.0
    assert rec["belopp_in"] == pytest.approx(rec["belopp_godkanda"] + rec["belopp_karantan"], abs=0.005)
    # Every data row is in exactly one table.
    rows = sorted(result.projects["kalla_rad"].tolist() + result.quarantine["rad"].tolist())
    assert rows == read_export(path).frame["rad"].tolist()


def test_year_range_is_a_parameter(tmp_path):
    path = write_csv(tmp_path, ["A;2018;PROJ;14;Övrigt;;1;", "B;2021;PROJ;14;Övrigt;;1;"])
    result = intake(path, 2021, 2024)
    assert result.quarantine["orsak"].tolist() == ["beslutsår 2018 utanför 2021–2024"]
    assert result.projects["arende"].tolist() == ["B"]


def test_row_with_extra_fields_is_quarantined(tmp_path):
    path = write_csv(tmp_path, ["A;2021;PROJ;14;Övrigt;;1;000;500"])  # 9 fields, header 8
    result = run(path)
    assert result.projects.empty
    assert result.quarantine["orsak"].tolist() == [
        "fler fält än rubrikraden (9 fält): avgränsare i ett värde utan citattecken?"
    ]
    assert result.summary["karantan_orsaker"] == {"fler fält än rubrikraden": 1}


def test_empty_export_gives_empty_typed_tables(tmp_path):
    result = run(write_csv(tmp_path, []))
    assert list(result.projects.columns) == PROCESSED_COLUMNS
    assert list(result.quarantine.columns) == QUARANTINE_COLUMNS
    assert result.summary["rader_in"] == 0 and result.summary["beviljat_in"] == 0.0
    assert reconciliation(result).iloc[0]["rader_diff"] == 0
    paths = write_outputs(result, *_files_in(tmp_path / "out"))
    assert pq.read_schema(paths["quarantine"]).field("rad").type == pa.int64()
    assert pq.read_schema(paths["projects"]).field("arende").type == pa.string()


# ------------------------------------------------------------------------------ xlsx


def test_xlsx_end_to_end(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Projekt"
    ws["A1"] = "SYNTETISKA EXEMPELDATA"
    ws["A3"] = "Källa: NYPS2020"
    rows = [
        ["Ärende", "Beslutsår", "Stödtyp", "Län kod", "Strategiskt område", "Prioritering",
         "Beviljat belopp", "Utbetalt belopp", "E-post"],                          # row 4
        [20211234, 2021, "PROJ", 14, SO3, "Tillvarata digitaliseringens möjligheter",
         1234567.5, 1000, "xlsx.person@example.se"],                                # row 5
        ["A-2", 2022.0, "FTG", 1, "Övrigt", None, 250000, None, None],              # row 6
        [None] * 9,                                                                  # row 7
        ["A-3", "2023", "KS", "Gotlands län", SO1, None, "1 000,50", "−10", None],   # row 8
        ["A-4", 2021.5, "PROJ", 14, "Övrigt", None, -100, None, None],               # row 9
    ]
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    path = tmp_path / "export.xlsx"
    wb.save(path)

    result = run(path)
    p, q, s = result.projects, result.quarantine, result.summary
    assert p["kalla_rad"].tolist() == [5, 6]
    assert p["arende"].tolist() == ["20211234", "A-2"]
    assert p["beslut_ar"].tolist() == [2021, 2022]
    assert p["lan_kod"].tolist() == ["14", "01"]
    assert p["prioritering_id"].tolist() == ["SO3.4", None]
    assert p["beviljat_belopp"].tolist() == [1234567.5, 250000.0]
    assert p["utbet_belopp"].iloc[0] == 1000.0 and math.isnan(p["utbet_belopp"].iloc[1])
    assert list(zip(q["rad"], q["orsak"])) == [
        (8, "negativt utbetalt belopp: '−10'"),
        (9, "beslutsår är inget år: '2021.5'; negativt beviljat belopp: '-100'"),
    ]
    assert q["beviljat_belopp_sek"].tolist() == [1000.5, -100.0]
    assert q["beslut_ar"].tolist() == ["2023", "2021.5"]
    assert (s["format"], s["kodning"], s["avgransare"], s["rubrikrad"]) == ("xlsx", None, None, 4)
    assert s["syntetisk"] is True and s["tomma_rader"] == 1
    # 1 234 567,50 + 250 000 + 1 000,50 - 100
    assert s["beviljat_in"] == 1485468.0
    assert s["borttagna_kolumner"] == ["E-post"]
    paths = write_outputs(result, *_files_in(tmp_path / "out"))
    assert_absent(paths, ["xlsx.person@example.se"])


# ------------------------------------------------------------------- value parsing


AMOUNTS = [
    ("1 234 567,50", 1234567.5), ("1\u00a0234,5 kr", 1234.5), ("1\u202f000", 1000.0),
    ("300.000,00", 300000.0), ("1.234.567", 1234567.0), ("1234567.50", 1234567.5), ("1.5", 1.5),
    ("1 234.50", 1234.5), ("\u22125", -5.0), ("- 5", -5.0), ("+5", 5.0), ("SEK 12", 12.0),
    ("12kr", 12.0), ("12 SEK", 12.0), ("12,-", 12.0), ("12:-", 12.0), ("0", 0.0), (" 7 ", 7.0),
    ("1,234,567", None), ("12 34", None), ("1e5", None), ("inf", None), ("nan", None), ("", None),
    ("  ", None), ("kr", None), ("\u0661\u0662", None), ("1_000", None), ("--5", None), ("5-", None),
    (".5", None), ("5.", None), ("(500)", None), ("12 kronor", None),
]


@pytest.mark.parametrize("text,expected", AMOUNTS)
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


def test_parse_amount_numbers_from_xlsx():
    assert parse_amount(1234567.5) == 1234567.5
    assert parse_amount(250000) == 250000.0
    assert parse_amount(float("nan")) is None
    assert parse_amount(True) is None


def test_arrow_amount_parser_agrees_with_python():
    texts = [t for t, _ in AMOUNTS] + [None]
    numbers, empty = intake_module._amounts_arrow(pa.array(texts, type=pa.string()))
    for text, number, is_empty in zip(texts, numbers, empty):
        expected = parse_amount(text) if text is not None else None
        assert (math.isnan(number) and expected is None) or number == expected, text
        assert is_empty == (text is None or not text.strip()), text


@pytest.mark.parametrize("value,expected", [
    ("2021", 2021), (2021, 2021), (2021.0, 2021), ("2021,0", 2021), ("2021.00", 2021), (" 2021 ", 2021),
    ("2021.5", None), (2021.5, None), ("tjugo", None), ("", None), ("20 21", None), ("\u0662\u0660", None),
])
def test_parse_year(value, expected):
    assert parse_year(value) == expected


def test_large_exports_take_the_same_result_through_the_vectorised_paths(monkeypatch):
    """Mostly distinct columns go through other code paths (row by row, Arrow): same result."""
    small = {path: run(path) for path in ALL_FIXTURES}
    monkeypatch.setattr(intake_module, "_SAMPLE", 1)
    monkeypatch.setattr(intake_module, "_DISTINCT_SHARE", 0.0)
    for path, expected in small.items():
        got = run(path)
        pd.testing.assert_frame_equal(got.projects, expected.projects)
        pd.testing.assert_frame_equal(got.quarantine, expected.quarantine)
        assert got.summary == expected.summary


# --------------------------------------------------------------------------- outputs


def assert_absent(paths: dict[str, Path], needles: list[str]) -> None:
    """The strings appear neither in the bytes nor in any decoded value of the written files."""
    for path in paths.values():
        data = path.read_bytes()
        for needle in needles:
            assert needle.encode("utf-8") not in data, (needle, path)
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            texts = " ".join(str(v) for column in table.columns for v in column.to_pylist())
            texts += " ".join(table.column_names) + str(table.schema.metadata)
        else:
            texts = path.read_text(encoding="utf-8")
        for needle in needles:
            assert needle not in texts, (needle, path)


def test_personal_data_never_reaches_the_outputs(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "SYNTETISKA EXEMPELDATA\n"
        "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp;Kontaktperson;E-post;Personnummer;Stödmottagare\n"
        "A;2021;14;Övrigt;100;Anna Andersson;anna.andersson@example.se;19800101-1234;Annas Enskilda Firma\n"
        "B;2021;14;Övrigt;fel;Bo Bengtsson;bo.bengtsson@example.se;19790202-2345;Bos Firma\n",
        encoding="utf-8",
    )
    result = intake(path, *YEARS)
    assert len(result.projects) == 1 and len(result.quarantine) == 1
    paths = write_outputs(result, *_files_in(tmp_path / "processed"))
    personal = ["Anna Andersson", "anna.andersson@example.se", "19800101-1234", "Annas Enskilda Firma",
                "Bo Bengtsson", "bo.bengtsson@example.se", "19790202-2345", "Bos Firma"]
    assert_absent(paths, personal)
    # The header texts of the dropped columns are reported, their values are not.
    assert result.summary["borttagna_kolumner"] == ["Kontaktperson", "E-post", "Personnummer", "Stödmottagare"]


def test_fixture_contact_data_absent_from_written_files(tmp_path):
    paths = write_outputs(run(DIVER), *_files_in(tmp_path / "a"))
    assert_absent(paths, ["Anna Andersson", "anna.andersson@example.se", "070-1234567",
                          "Bertil Berg", "bertil.berg@example.se", "Cecilia Ceder", "cecilia.ceder@example.se"])
    paths = write_outputs(run(CP1252), *_files_in(tmp_path / "b"))
    assert_absent(paths, ["Göran Gren", "Åsa Öberg Enskild firma", "Ärlig Åkeri AB", "Lanthandeln i Åre"])


def test_write_outputs_is_byte_identical_and_leaves_no_temp_files(tmp_path):
    out = tmp_path / "data" / "processed"
    first = write_outputs(run(KARANTAN), *_files_in(out))
    assert set(first) == {"projects", "quarantine", "summary"}
    assert {p.name for p in first.values()} == {"nyps_projects.parquet", "nyps_quarantine.parquet", "nyps_intake.json"}
    before = {name: p.read_bytes() for name, p in first.items()}
    second = write_outputs(run(KARANTAN), *_files_in(out))
    assert {name: p.read_bytes() for name, p in second.items()} == before
    other = write_outputs(run(KARANTAN), *_files_in(tmp_path / "elsewhere"))
    assert {name: p.read_bytes() for name, p in other.items()} == before
    assert sorted(p.name for p in out.iterdir()) == ["nyps_intake.json", "nyps_projects.parquet", "nyps_quarantine.parquet"]
    text = first["summary"].read_text(encoding="utf-8")
    assert text.endswith("}\n") and "ärende saknas" in text  # ensure_ascii=False
    assert json.loads(text) == json.loads(json.dumps(run(KARANTAN).summary))
    assert list(json.loads(text)) == sorted(json.loads(text))  # sorted keys
    # The tables read back with their types.
    projects = pd.read_parquet(first["projects"])
    assert list(projects.columns) == PROCESSED_COLUMNS
    assert str(projects["kalla_rad"].dtype) == "int64"
    quarantine = pd.read_parquet(first["quarantine"])
    assert quarantine["rad"].tolist() == [r for r, _ in KARANTAN_EXPECTED]


def test_write_outputs_to_explicit_file_paths(tmp_path):
    result = run(KARANTAN)
    folder = write_outputs(result, *_files_in(tmp_path / "a"))
    files = write_outputs(result, tmp_path / "b" / "p.parquet", tmp_path / "b" / "q.parquet",
                          tmp_path / "c" / "s.json")
    assert files == {"projects": tmp_path / "b" / "p.parquet", "quarantine": tmp_path / "b" / "q.parquet",
                     "summary": tmp_path / "c" / "s.json"}
    assert {k: p.read_bytes() for k, p in files.items()} == {k: p.read_bytes() for k, p in folder.items()}


def test_intake_is_read_then_tidy():
    a = intake(OPENDATA, *YEARS)
    b = tidy_export(read_export(OPENDATA), *YEARS)
    pd.testing.assert_frame_equal(a.projects, b.projects)
    assert a.summary == b.summary
    assert np.array_equal(a.projects["beviljat_belopp"], b.projects["beviljat_belopp"])


def test_vectorised_whitespace_normalisation_agrees_with_python(monkeypatch):
    whitespace = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    texts = ["a", "a b", "a  b", " a", "a ", "", "   ", "ä\u200bö"]
    texts += [f"a{w}b" for w in whitespace] + [f"{w}a{w}" for w in whitespace]
    values = np.array(texts, dtype=object)
    monkeypatch.setattr(intake_module, "_SAMPLE", 1)
    monkeypatch.setattr(intake_module, "_DISTINCT_SHARE", 0.0)
    got = intake_module._text_or_none(values, len(values))
    assert got.tolist() == [(" ".join(t.split()) or None) for t in texts]


def test_summary_names_the_source_as_given():
    raw = read_export(DIVER)
    assert tidy_export(raw, *YEARS).summary["kalla"] == str(DIVER)
    assert tidy_export(raw, *YEARS, source="data/raw/x.csv").summary["kalla"] == "data/raw/x.csv"


def test_write_outputs_replaces_nothing_when_the_checks_fail(tmp_path):
    out = tmp_path / "processed"
    first = write_outputs(run(KARANTAN), *_files_in(out))
    before = {k: p.read_bytes() for k, p in first.items()}
    seen = []

    def checks_fail():
        seen.append(sorted(p.name for p in out.iterdir()))  # the new files wait beside the old
        raise RuntimeError("data-quality suite 'nyps_projects' failed")

    with pytest.raises(RuntimeError, match="nyps_projects"):
        write_outputs(run(DIVER), *_files_in(out), before_replace=checks_fail)
    assert len(seen[0]) == 6 and sum(name.endswith(".tmp") for name in seen[0]) == 3
    assert {k: p.read_bytes() for k, p in first.items()} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in first.values())
