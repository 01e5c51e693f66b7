"""The synthetic NYPS export: reproducible, shaped like a Diver export, and its truth file
agrees with what an independent reading of the CSV finds."""
from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from helpers import reference
from helpers.paths import project_root
from helpers.sample import nyps

EXPECTED_HEADER = [
    "Ärende", "Beslutsår", "Stödtyp", "Län", "Kommun", "Strategiskt område", "Prioritering",
    "Resultatkedja", "Projektnamn", "Stödmottagare", "Kontaktperson", "E-post",
    "Beviljat belopp", "Utbetalt belopp", "Startdatum", "Slutdatum",
]
COMMITTED = project_root() / "data" / "raw" / "sample" / "nyps_export.csv"
COMMITTED_TRUTH = project_root() / "data" / "raw" / "sample" / "nyps_export.truth.json"


# --- an independent reader: csv module plus a small Swedish number parser --------------

def sv_number(text: str) -> Decimal | None:
    """'1 234 567,50' (space or NBSP as thousands separator) -> Decimal; None if no number."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"-?\d+(,\d{1,2})?", s):
        return None
    return Decimal(s.replace(",", "."))


def read_export(raw: bytes) -> tuple[list[str], list[str], list[dict]]:
    """Lines above the header, the header, and the data rows as dicts with their row number."""
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    known = set(EXPECTED_HEADER)
    h = next(i for i, r in enumerate(table) if sum(c.strip() in known for c in r) >= 3)
    header = table[h]
    rows = [dict(zip(header, r), rad=h + 1 + k) for k, r in enumerate(table[h + 1:], start=1)]
    return [";".join(r) for r in table[:h]], header, rows


def problem(row: dict) -> str | None:
    """The intake's rules, written again here: the first problem a row has, or None."""
    if not row["Ärende"].strip():
        return "arende_saknas"
    if not re.fullmatch(r"20\d\d", row["Beslutsår"].strip()):
        return "beslutsar_saknas"
    if row["Stödtyp"].strip() not in {"PROJ", "FTG", "KS"}:
        return "okand_stodtyp"
    if reference.normalise_label(row["Län"]) not in reference.county_lookup():
        return "okant_lan"
    amount = sv_number(row["Beviljat belopp"])
    if amount is None:
        return "belopp_ej_tal"
    if amount < 0:
        return "negativt_belopp"
    area_text = row["Strategiskt område"].strip()
    if area_text and reference.normalise_label(area_text) not in reference.area_lookup():
        return "okant_omrade"
    prio_text = row["Prioritering"].strip()
    if prio_text:
        area = reference.area_lookup().get(reference.normalise_label(area_text))
        prio = reference.priority_lookup().get(reference.normalise_label(prio_text))
        if prio is None or reference.priority_area(prio) != area:
            return "fel_prioritering"
    return None


def area_of(row: dict) -> str:
    text = row["Strategiskt område"].strip()
    return reference.area_lookup()[reference.normalise_label(text)] if text else reference.ANNAT


def county_of(row: dict) -> str:
    return reference.county_lookup()[reference.normalise_label(row["Län"])]


@pytest.fixture(scope="module")
def default_export(tmp_path_factory):
    d = tmp_path_factory.mktemp("nyps")
    path, truth_path = d / "nyps_export.csv", d / "nyps_export.truth.json"
    truth = nyps.write_export(path, truth_path=truth_path)
    raw = path.read_bytes()
    above, header, rows = read_export(raw)
    return {"path": path, "truth_path": truth_path, "raw": raw, "truth": truth,
            "above": above, "header": header, "rows": rows}


@pytest.fixture(scope="module")
def good_rows(default_export):
    return [r for r in default_export["rows"] if problem(r) is None]


# --- reproducibility ------------------------------------------------------------------

def test_same_seed_gives_identical_bytes(tmp_path, default_export):
    again = tmp_path / "again.csv"
    nyps.write_export(again, truth_path=tmp_path / "again.truth.json")
    assert again.read_bytes() == default_export["raw"]
    assert (tmp_path / "again.truth.json").read_bytes() == default_export["truth_path"].read_bytes()


def test_different_seed_gives_different_file(tmp_path, default_export):
    other = tmp_path / "other.csv"
    truth = nyps.write_export(other, seed=nyps.DEFAULT_SEED + 1)
    assert other.read_bytes() != default_export["raw"]
    assert truth["accepted"] != default_export["truth"]["accepted"]


def test_committed_sample_equals_fresh_generation(default_export):
    assert COMMITTED.is_file() and COMMITTED_TRUTH.is_file(), "run `python -m helpers.sample.nyps`"
    assert COMMITTED.read_bytes() == default_export["raw"], "regenerate with `make sample`, do not edit"
    assert COMMITTED_TRUTH.read_bytes() == default_export["truth_path"].read_bytes()


def test_generate_matches_written_file(default_export):
    header, rows, truth = nyps.generate()
    assert header == default_export["header"]
    assert [[r[h] for h in header] for r in default_export["rows"]] == rows
    assert truth == json.loads(default_export["truth_path"].read_text(encoding="utf-8"))


def test_cli_writes_export_and_truth(tmp_path):
    out = tmp_path / "x.csv"
    assert nyps.main(["--rows", "300", "--seed", "7", "--out", str(out)]) == 0
    truth = json.loads((tmp_path / "x.truth.json").read_text(encoding="utf-8"))
    assert truth["n_rows"] == 300 and truth["seed"] == 7
    assert len(read_export(out.read_bytes())[2]) == 300
    with pytest.raises(ValueError):
        nyps.generate(n_rows=10)


# --- shape of the file ----------------------------------------------------------------

def test_file_layout(default_export):
    raw = default_export["raw"]
    assert raw.startswith(codecs.BOM_UTF8)
    assert raw.count(b"\n") == raw.count(b"\r\n") and raw.endswith(b"\r\n")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert nyps.MARKER in lines[0] and "SYNTETISKA EXEMPELDATA" in lines[0]
    assert lines[1] == ""
    assert lines[2].split(";") == EXPECTED_HEADER
    assert default_export["header"] == EXPECTED_HEADER
    assert default_export["truth"]["header_row"] == 3
    assert default_export["rows"][0]["rad"] == 4


def test_size_counties_years_and_2018(default_export):
    rows = default_export["rows"]
    assert len(rows) >= 5000 and len(rows) == default_export["truth"]["n_rows"]
    counties = {reference.county_lookup().get(reference.normalise_label(r["Län"])) for r in rows}
    assert counties - {None} == set(reference.county_codes())
    years = {r["Beslutsår"] for r in rows} - {""}
    assert years == {str(y) for y in range(2018, 2026)}
    rows2018 = [r for r in rows if r["Beslutsår"] == "2018"]
    assert rows2018 and all(r["Strategiskt område"] == "" and r["Prioritering"] == "" for r in rows2018)
    later = [r for r in rows if r["Beslutsår"] not in ("", "2018")]
    assert sum(r["Strategiskt område"] != "" for r in later) == len(later)


def test_messy_values_a_reader_must_handle(default_export):
    rows = default_export["rows"]
    lan = Counter(r["Län"] for r in rows)
    assert any(re.fullmatch(r"\d{1,2}", k) for k in lan) and "Västra Götaland" in lan
    assert "Västra Götalands län" in lan
    areas = Counter(r["Strategiskt område"] for r in rows)
    assert "Innovation och förnyelse samt entreprenörskap i hela landet" in areas
    assert "Tillgänglighet i hela landet genom digital kommunikation och transportsystemet" in areas
    assert any(a != a.strip() or "  " in a for a in areas)
    assert set(reference.annat_values()) <= set(areas)
    amounts = [r["Beviljat belopp"] for r in rows]
    assert any(" " in a for a in amounts) and any("\u00a0" in a for a in amounts)
    assert any("," in a for a in amounts)
    stod = Counter(r["Stödtyp"] for r in rows)
    assert stod["PROJ"] > stod["FTG"] > stod["KS"] > 0
    assert all(r["Projektnamn"].startswith("[Syntetiskt] ") for r in rows)
    assert any('"' in r["Projektnamn"] or ";" in r["Projektnamn"] for r in rows)  # quoted cells


def test_personal_data_columns_are_present_and_invented(default_export):
    rows = default_export["rows"]
    assert "E-post" in default_export["header"] and "Kontaktperson" in default_export["header"]
    mails = [r["E-post"] for r in rows if r["E-post"]]
    assert len(mails) > 0.8 * len(rows)
    assert all(m.endswith("@exempel.se") for m in mails)


# --- planted problems and truth -------------------------------------------------------

def test_bad_rows_found_independently_match_truth(default_export):
    found = {r["rad"]: problem(r) for r in default_export["rows"] if problem(r) is not None}
    truth_bad = default_export["truth"]["bad_rows"]
    assert {b["rad"]: b["fel"] for b in truth_bad} == found
    assert len(set(found.values())) == len(found) == 8
    by_rad = {r["rad"]: r for r in default_export["rows"]}
    for b in truth_bad:
        amount = sv_number(by_rad[b["rad"]]["Beviljat belopp"])
        if b["beviljat_belopp"] is None:
            assert amount is None
        else:
            assert float(amount) == pytest.approx(b["beviljat_belopp"], abs=0.005)


def test_truth_totals_equal_independent_sums(default_export, good_rows):
    acc = default_export["truth"]["accepted"]
    assert acc["rows"] == len(good_rows)
    assert acc["cases"] == len({r["Ärende"] for r in good_rows})
    granted = sum(sv_number(r["Beviljat belopp"]) for r in good_rows)
    paid = sum(sv_number(r["Utbetalt belopp"]) or Decimal(0) for r in good_rows)
    assert acc["beviljat_total"] == pytest.approx(float(granted), abs=0.005)
    assert acc["utbetalt_total"] == pytest.approx(float(paid), abs=0.005)


def test_truth_breakdowns_equal_independent_sums(default_export, good_rows):
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    annat: dict[str, Decimal] = {lab: Decimal(0) for lab in reference.annat_values()}
    for r in good_rows:
        amount = sv_number(r["Beviljat belopp"])
        sums[(county_of(r), area_of(r), int(r["Beslutsår"]))] += amount
        if area_of(r) == reference.ANNAT and 2021 <= int(r["Beslutsår"]) <= 2024:
            annat[reference.annat_label_lookup()[reference.normalise_label(r["Strategiskt område"])]] += amount
    truth = default_export["truth"]
    got = {(d["lan_kod"], d["omrade_id"], d["beslut_ar"]): d["beviljat"] for d in truth["beviljat_lan_omrade_ar"]}
    assert set(got) == set(sums)
    for key, value in sums.items():
        assert got[key] == pytest.approx(float(value), abs=0.005), key
    keys = [(d["lan_kod"], d["omrade_id"], d["beslut_ar"]) for d in truth["beviljat_lan_omrade_ar"]]
    assert keys == sorted(keys)
    assert set(truth["annat_varden"]) == set(annat)
    for lab, value in annat.items():
        assert truth["annat_varden"][lab] == pytest.approx(float(value), abs=0.005), lab


# --- planted structure ----------------------------------------------------------------

def test_area_mix_differs_between_counties(good_rows, default_export):
    total: dict[str, Decimal] = defaultdict(Decimal)
    so4: dict[str, Decimal] = defaultdict(Decimal)
    for r in good_rows:
        if r["Beslutsår"] == "2018":
            continue
        amount = sv_number(r["Beviljat belopp"])
        total[county_of(r)] += amount
        if area_of(r) == "SO4":
            so4[county_of(r)] += amount
    shares = {c: float(so4[c] / total[c]) for c in total}
    assert max(shares.values()) - min(shares.values()) > 0.15
    assert shares["25"] > shares["01"] + 0.15  # Norrbotten vs Stockholm
    weights = default_export["truth"]["omradesvikter"]
    assert sorted(weights) == sorted(reference.county_codes())
    assert all(abs(sum(w.values()) - 1) < 1e-3 for w in weights.values())
    assert weights["25"]["SO4"] > weights["01"]["SO4"] and weights["01"]["SO3"] > weights["25"]["SO3"]


def test_area_mix_drifts_over_time(good_rows):
    def share(area: str, years: set[str]) -> float:
        sel = [r for r in good_rows if r["Beslutsår"] in years]
        return sum(area_of(r) == area for r in sel) / len(sel)
    early, late = {"2019", "2020"}, {"2024", "2025"}
    assert share("SO4", early) > share("SO4", late) + 0.02
    assert share("SO3", late) > share("SO3", early) + 0.03


def test_cases_span_rows_consistently(default_export):
    by_case: dict[str, list[dict]] = defaultdict(list)
    for r in default_export["rows"]:
        if r["Ärende"]:
            by_case[r["Ärende"]].append(r)
    sizes = Counter(len(v) for v in by_case.values())
    assert max(sizes) <= 4
    multi = sum(n for k, n in sizes.items() if k > 1) / len(by_case)
    assert 0.05 < multi < 0.15
    for rows in by_case.values():
        assert len({(r["Län"], r["Projektnamn"], r["Startdatum"]) for r in rows}) == 1
        assert len({r["Beslutsår"] for r in rows} - {""}) <= 1
    assert all(re.fullmatch(r"20(1[89]|2[0-5])\d{4,}", c) for c in by_case)


def test_amounts_and_payments_are_plausible(good_rows):
    def median(xs):
        xs = sorted(xs)
        return xs[len(xs) // 2]
    granted = {t: [sv_number(r["Beviljat belopp"]) for r in good_rows if r["Stödtyp"] == t]
               for t in ("PROJ", "FTG", "KS")}
    assert 300_000 < median(granted["PROJ"]) < 10_000_000 < max(granted["PROJ"])
    assert median(granted["KS"]) < median(granted["FTG"]) < median(granted["PROJ"])
    ks = [r for r in good_rows if r["Stödtyp"] == "KS"]
    so12 = sum(reference.priority_lookup().get(reference.normalise_label(r["Prioritering"])) == "SO1.2" for r in ks)
    assert so12 > 0.7 * len(ks)
    pairs = [(sv_number(r["Beviljat belopp"]), sv_number(r["Utbetalt belopp"])) for r in good_rows]
    paid = [(g, p) for g, p in pairs if p is not None]
    assert sum(p <= g for g, p in paid) > 0.9 * len(paid)
    assert any(p > g for g, p in paid)

    def empty_share(year):
        sel = [r for r in good_rows if r["Beslutsår"] == year]
        return sum(r["Utbetalt belopp"] == "" for r in sel) / len(sel)
    assert empty_share("2025") > empty_share("2022") > empty_share("2019")
    for r in good_rows:
        assert r["Startdatum"] < r["Slutdatum"]
        assert abs(int(r["Startdatum"][:4]) - int(r["Beslutsår"])) <= 1
