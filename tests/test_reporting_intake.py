"""Reading a folder of rapportformat/1 reports into long tables: equal to hand-made frames
for a small fixture folder, all or nothing on bad files, one report per actor and year."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from helpers.paths import project_root
from helpers.reporting.intake import COLUMNS, ReportTables, actor_slug, read_reports, report_id
from helpers.reporting.schema import ReportFormatError

FIXTURES = Path(__file__).parent / "fixtures" / "reporting"
OK = FIXTURES / "ok"
SAMPLE = project_root() / "data" / "raw" / "sample" / "rapportformat"

G09 = {"rapport_id": "2024_region_09", "aktorsgrupp": "region", "aktor": "Region Gotland", "lan_kod": "09", "ar": 2024}
V24 = {"rapport_id": "2025_region_24", "aktorsgrupp": "region", "aktor": "Region Västerbotten", "lan_kod": "24",
       "ar": 2025}
VIN = {"rapport_id": "2025_vinnova", "aktorsgrupp": "statlig_myndighet", "aktor": "Vinnova", "lan_kod": "", "ar": 2025}


def frame(rows: list[dict], types: dict) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    return out.astype({c: types.get(c, "object") for c in out.columns})


def sha(name: str) -> str:
    return hashlib.sha256((OK / name).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def tables() -> ReportTables:
    return read_reports(OK)


def test_rapporter(tables):
    expected = frame([
        {**G09, "organisationsnummer": "", "fil": "2024_region_09.json", "sha256": sha("2024_region_09.json"),
         "antal_insatser": 0, "antal_samverkan": 0, "antal_larande": 2, "antal_kapacitet": 1},
        {**V24, "organisationsnummer": "232100-0222", "fil": "2025_region_24.json",
         "sha256": sha("2025_region_24.json"), "antal_insatser": 2, "antal_samverkan": 3, "antal_larande": 1,
         "antal_kapacitet": 0},
        {**VIN, "organisationsnummer": "", "fil": "2025_vinnova.json", "sha256": sha("2025_vinnova.json"),
         "antal_insatser": 1, "antal_samverkan": 1, "antal_larande": 0, "antal_kapacitet": 1},
    ], {"ar": "int64", "antal_insatser": "int64", "antal_samverkan": "int64", "antal_larande": "int64",
        "antal_kapacitet": "int64"})
    assert_frame_equal(tables.rapporter, expected)


def test_insatser_one_row_per_entry_and_element(tables):
    expected = frame([
        {**V24, "post": 1, "insats_id": "i1", "element_id": "SO3.1", "rubrik": "Smart specialisering i Västerbotten",
         "beskrivning": "Stöd till innovationsmiljöer inom skog och trä.", "belopp_kr": 1200000,
         "finansiering": "anslag_1_1, eruf"},
        {**V24, "post": 1, "insats_id": "i1", "element_id": "GF2", "rubrik": "Smart specialisering i Västerbotten",
         "beskrivning": "Stöd till innovationsmiljöer inom skog och trä.", "belopp_kr": 1200000,
         "finansiering": "anslag_1_1, eruf"},
        {**V24, "post": 2, "insats_id": "i2", "element_id": "SO4.2", "rubrik": "Kollektivtrafik på landsbygden",
         "beskrivning": "", "belopp_kr": None, "finansiering": ""},
        {**VIN, "post": 1, "insats_id": "V-2025.1", "element_id": "SO3.1", "rubrik": "Regionala innovationsmiljöer",
         "beskrivning": "", "belopp_kr": None, "finansiering": "egen"},
    ], {"ar": "int64", "post": "int64", "belopp_kr": "Int64"})
    assert_frame_equal(tables.insatser, expected)
    assert tables.insatser["belopp_kr"].isna().tolist() == [False, False, True, True]


def test_indikatorer(tables):
    expected = frame([
        {**V24, "insats_id": "i1", "post": 1, "namn": "Företag som fått stöd", "varde": 12.0, "enhet": "antal",
         "utfall_ar": 2025},
        {**V24, "insats_id": "i1", "post": 2, "namn": "Andel kvinnor bland deltagarna", "varde": 41.5,
         "enhet": "procent", "utfall_ar": 2024},
    ], {"ar": "int64", "post": "int64", "varde": "float64", "utfall_ar": "int64"})
    assert_frame_equal(tables.indikatorer, expected)


def test_samverkan(tables):
    expected = frame([
        {**V24, "post": 1, "element_id": "GF2", "partner_typ": "statlig_myndighet", "partner": "Arbetsförmedlingen",
         "form": "overenskommelse", "beskrivning": "Gemensam analys av kompetensbehoven i länet."},
        {**V24, "post": 1, "element_id": "SO2", "partner_typ": "statlig_myndighet", "partner": "Arbetsförmedlingen",
         "form": "overenskommelse", "beskrivning": "Gemensam analys av kompetensbehoven i länet."},
        {**V24, "post": 2, "element_id": "GF2", "partner_typ": "kommun", "partner": "Kommunerna i Västerbottens län",
         "form": "natverk", "beskrivning": ""},
        {**V24, "post": 3, "element_id": "GF2", "partner_typ": "statlig_myndighet", "partner": "Trafikverket",
         "form": "samrad", "beskrivning": ""},
        {**VIN, "post": 1, "element_id": "GF2", "partner_typ": "region", "partner": "Region Västerbotten",
         "form": "gemensamt_projekt", "beskrivning": ""},
        {**VIN, "post": 1, "element_id": "SO3", "partner_typ": "region", "partner": "Region Västerbotten",
         "form": "gemensamt_projekt", "beskrivning": ""},
    ], {"ar": "int64", "post": "int64"})
    assert_frame_equal(tables.samverkan, expected)


def test_larande(tables):
    expected = frame([
        {**G09, "post": 1, "element_id": "GF3", "typ": "analys", "beskrivning": "Analys av servicen på landsbygden.",
         "anvandning": ""},
        {**G09, "post": 1, "element_id": "SO1", "typ": "analys", "beskrivning": "Analys av servicen på landsbygden.",
         "anvandning": ""},
        {**G09, "post": 2, "element_id": "GF3", "typ": "erfarenhetsutbyte", "beskrivning": "", "anvandning": ""},
        {**V24, "post": 1, "element_id": "GF3", "typ": "utvardering",
         "beskrivning": "Utvärdering av innovationsstödet.", "anvandning": "Stödet riktas nu mot färre branscher."},
    ], {"ar": "int64", "post": "int64"})
    assert_frame_equal(tables.larande, expected)


def test_kapacitet(tables):
    text = "Utbildning för regionernas innovationsstrateger."
    expected = frame([
        {**G09, "post": 1, "element_id": "GF1", "typ": "egen_organisation", "beskrivning": "",
         "arsarbetskrafter": np.nan},
        {**VIN, "post": 1, "element_id": "GF1", "typ": "andra_aktorer", "beskrivning": text, "arsarbetskrafter": 1.5},
        {**VIN, "post": 1, "element_id": "SO3", "typ": "andra_aktorer", "beskrivning": text, "arsarbetskrafter": 1.5},
    ], {"ar": "int64", "post": "int64", "arsarbetskrafter": "float64"})
    assert_frame_equal(tables.kapacitet, expected)


def test_columns_are_the_documented_ones(tables):
    for name, columns in COLUMNS.items():
        assert list(getattr(tables, name).columns) == columns


def test_truth_json_and_other_files_are_ignored_and_reading_is_repeatable(tmp_path, tables):
    folder = tmp_path / "rapporter"
    shutil.copytree(OK, folder)
    (folder / "truth.json").write_text('{"not": "a report"}', encoding="utf-8")
    (folder / "anteckningar.txt").write_text("inte en rapport", encoding="utf-8")
    again = read_reports(folder)
    for name in COLUMNS:
        assert_frame_equal(getattr(again, name), getattr(tables, name))


def test_a_report_in_a_subfolder_is_named_not_skipped(tmp_path):
    folder = tmp_path / "rapporter"
    shutil.copytree(OK, folder)
    (folder / "underkatalog").mkdir()
    (folder / "underkatalog" / "2026_vinnova.json").write_text("[]", encoding="utf-8")
    with pytest.raises(ReportFormatError, match=r"underkatalog/2026_vinnova.json: a report in a subfolder"):
        read_reports(folder)


def test_two_reports_for_one_actor_and_year_name_both_files():
    folder = FIXTURES / "dubblett"
    with pytest.raises(ReportFormatError) as info:
        read_reports(folder)
    assert info.value.problems == [
        f"{folder / '2025_region_24.json'} and {folder / 'vasterbotten_2025_kopia.json'}: 2 reports for the same "
        "actor and year (Region Västerbotten, 2025; rapport_id 2025_region_24), expected one"
    ]


def test_one_bad_file_among_good_ones_stops_everything():
    folder = FIXTURES / "blandat"
    with pytest.raises(ReportFormatError) as info:
        read_reports(folder)
    bad = folder / "2025_boverket.json"
    assert info.value.problems == [
        f'{bad}: aktor.kontaktperson: found the field "kontaktperson", which is not part of the format '
        "rapportformat/1; expected only the fields aktorsgrupp, namn, lan_kod, organisationsnummer",
        f'{bad}: ar: found "2025" (a text), expected an integer',
    ]


def test_every_bad_file_is_listed(tmp_path):
    shutil.copytree(OK, tmp_path / "r")
    (tmp_path / "r" / "2025_vinnova.json").write_bytes(b"\xff")
    (tmp_path / "r" / "a.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(ReportFormatError) as info:
        read_reports(tmp_path / "r")
    lines = info.value.problems
    assert len(lines) == 2
    assert lines[0].startswith(f"{tmp_path / 'r' / '2025_vinnova.json'}: not UTF-8 text (byte 0xff at offset 0)")
    assert lines[1].startswith(f"{tmp_path / 'r' / 'a.json'}: (top level): found a list of 1 item")


def test_missing_or_empty_folder(tmp_path):
    with pytest.raises(ReportFormatError, match="no such folder"):
        read_reports(tmp_path / "saknas")
    (tmp_path / "tom").mkdir()
    with pytest.raises(ReportFormatError, match=r"no report files \(\*\.json\)"):
        read_reports(tmp_path / "tom")


def test_report_ids_and_slugs():
    assert actor_slug("Myndigheten för yrkeshögskolan") == "myndigheten_for_yrkeshogskolan"
    assert actor_slug(" Tillväxtverket ") == "tillvaxtverket"
    assert actor_slug("Post- och telestyrelsen") == "post_och_telestyrelsen"
    report = json.loads((OK / "2025_region_24.json").read_text(encoding="utf-8"))
    assert report_id(report) == "2025_region_24"
    report["aktor"]["namn"] = "Västerbottens regionala utvecklingsansvariga"
    assert report_id(report) == "2025_region_24"  # a region is its county, whatever its name


def test_the_sample_reads_whole_and_agrees_with_its_truth():
    tables = read_reports(SAMPLE)
    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    rap = tables.rapporter
    assert len(rap) == 84
    # The generator names its files independently; they match the intake's actor-year ids.
    assert (rap["fil"] == rap["rapport_id"] + ".json").all()
    assert sorted(rap["fil"]) == sorted(truth["filer"])
    assert list(rap["ar"]) == sorted(rap["ar"])
    entries = tables.insatser.drop_duplicates(["rapport_id", "post"])
    for row in truth["insatser"]:
        mine = entries[(entries["aktorsgrupp"] == row["aktorsgrupp"]) & (entries["ar"] == row["ar"])]
        assert len(mine) == row["insatser"]
        assert int(mine["belopp_kr"].sum()) == row["belopp_kr"]
        ind = tables.indikatorer
        assert ((ind["aktorsgrupp"] == row["aktorsgrupp"]) & (ind["ar"] == row["ar"])).sum() == row["indikatorer"]
