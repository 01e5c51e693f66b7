"""The synthetic reports in rapportformat/1: reproducible byte for byte, complete, synthetic on
their face, and their truth file agrees with an independent count over the JSON files."""
from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from conftest import tree_hashes
from helpers import reference
from helpers.paths import project_root
from helpers.sample import reports

COMMITTED = project_root() / "data" / "raw" / "sample" / "rapportformat"
AGENCY_FILES = ("trafikverket", "arbetsformedlingen", "vinnova", "boverket", "energimyndigheten", "jordbruksverket")
TOP_KEYS = ["format", "aktor", "ar", "insatser", "samverkan", "larande", "kapacitet"]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("rapportformat")
    reports.write_sample(out)
    return out


@pytest.fixture(scope="module")
def files() -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(COMMITTED.glob("*.json")) if p.name != "truth.json"}


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((COMMITTED / "truth.json").read_text(encoding="utf-8"))


def test_committed_sample_equals_a_fresh_generation(fresh):
    assert tree_hashes(COMMITTED) == tree_hashes(fresh)


def test_same_seed_same_bytes_other_seed_other_reports(tmp_path, fresh):
    reports.main(["--out", str(tmp_path / "a")])
    assert tree_hashes(tmp_path / "a") == tree_hashes(fresh)
    reports.main(["--out", str(tmp_path / "b"), "--seed", "7"])
    other = tree_hashes(tmp_path / "b")
    assert set(other) == set(tree_hashes(fresh))
    assert sum(other[name] != h for name, h in tree_hashes(fresh).items()) > 80
    assert "--seed 7" in (tmp_path / "b" / "README.md").read_text(encoding="utf-8")


def test_regenerating_removes_stale_reports_only(tmp_path):
    (tmp_path / "2023_region_01.json").write_text("{}", encoding="utf-8")
    (tmp_path / "anteckning.txt").write_text("behåll", encoding="utf-8")
    reports.write_sample(tmp_path)
    assert not (tmp_path / "2023_region_01.json").exists()
    assert (tmp_path / "anteckning.txt").exists()


def test_84_reports_every_actor_every_year(files):
    assert len(files) == 84
    expected = {f"{y}_region_{c}.json" for y in (2024, 2025, 2026) for c in reference.county_codes()}
    expected |= {f"{y}_{a}.json" for y in (2024, 2025, 2026) for a in (*AGENCY_FILES, "tillvaxtverket")}
    assert set(files) == expected
    short = {c["lan_kod"]: c["lan_kort"] for c in reference.counties()}
    for name, data in files.items():
        year = int(name[:4])
        assert data["ar"] == year and data["format"] == "rapportformat/1"
        aktor = data["aktor"]
        if "_region_" in name:
            code = name[-7:-5]
            assert aktor == {"aktorsgrupp": "region", "namn": f"Region {short[code]}", "lan_kod": code}
        elif name.endswith("_tillvaxtverket.json"):
            assert aktor == {"aktorsgrupp": "tillvaxtverket", "namn": "Tillväxtverket"}
        else:
            assert aktor["aktorsgrupp"] == "statlig_myndighet" and set(aktor) == {"aktorsgrupp", "namn"}
    assert files["2025_region_09.json"]["aktor"]["namn"] == "Region Gotland"


def test_files_are_written_as_documented():
    for path in sorted(COMMITTED.glob("20*.json")):
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        assert text.endswith("}\n") and not text.endswith("\n\n")
        assert "\\u00" not in text  # ensure_ascii=False: å, ä, ö as themselves
        assert text.startswith('{\n  "format": "rapportformat/1",\n  "aktor": {\n    "aktorsgrupp": ')
        assert list(json.loads(text)) == TOP_KEYS


def test_synthetic_on_its_face(files):
    readme = (COMMITTED / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and reports.MARKER in readme
    for data in files.values():
        assert data["insatser"], "every report has at least one insats, so every file carries the marker"
        for insats in data["insatser"]:
            assert insats["rubrik"].startswith("[Syntetiskt] ")
    blob = json.dumps(list(files.values()), ensure_ascii=False)
    assert "@" not in blob and "kontakt" not in blob.lower()


def test_texts_and_amounts_look_real(files):
    swedish = re.compile(r"[A-ZÅÄÖa-zåäö0-9 ,.:;()/–\-\[\]+]+")
    for data in files.values():
        for insats in data["insatser"]:
            assert swedish.fullmatch(insats["rubrik"]) and "{" not in insats["beskrivning"]
            if "belopp_kr" in insats:
                assert 50_000 <= insats["belopp_kr"] <= 1_000_000_000 and insats["belopp_kr"] % 10_000 == 0
            for ind in insats.get("indikatorer", []):
                assert ind["utfall_ar"] == data["ar"] and ind["varde"] >= 0
                if ind["enhet"] == "procent":
                    assert 0 <= ind["varde"] <= 100
        for entry in data["samverkan"] + data["larande"] + data["kapacitet"]:
            texts = [v for v in entry.values() if isinstance(v, str)]
            assert texts and all(t.strip() == t and "{" not in t and "}" not in t for t in texts)
        for entry in data["samverkan"]:
            assert entry["partner"] != data["aktor"]["namn"]
        if data["aktor"].get("lan_kod") == "09":
            assert all(s["partner_typ"] != "kommun" for s in data["samverkan"])


def test_truth_counts_agree_with_an_independent_count(files, truth):
    counted = defaultdict(lambda: {"aktorer": 0, "aktorer_med_poster": 0, "poster": 0, "partnertyper_summa": 0})
    money = defaultdict(lambda: {"insatser": 0, "belopp_kr": 0, "indikatorer": 0})
    for data in files.values():
        group, year = data["aktor"]["aktorsgrupp"], data["ar"]
        for dimension in ("samverkan", "larande", "kapacitet"):
            c = counted[(group, year, dimension)]
            c["aktorer"] += 1
            c["aktorer_med_poster"] += bool(data[dimension])
            c["poster"] += len(data[dimension])
            c["partnertyper_summa"] += len({e.get("partner_typ") for e in data[dimension]} - {None})
        m = money[(group, year)]
        m["insatser"] += len(data["insatser"])
        m["belopp_kr"] += sum(i.get("belopp_kr", 0) for i in data["insatser"])
        m["indikatorer"] += sum(len(i.get("indikatorer", [])) for i in data["insatser"])
    assert len(truth["antal"]) == len(counted) == 27
    for row in truth["antal"]:
        mine = counted[(row["aktorsgrupp"], row["ar"], row["dimension"])]
        assert {k: row[k] for k in ("aktorer", "aktorer_med_poster", "poster")} == \
            {k: mine[k] for k in ("aktorer", "aktorer_med_poster", "poster")}
        expected_types = mine["partnertyper_summa"] if row["dimension"] == "samverkan" else None
        assert row["partnertyper_summa"] == expected_types
    for row in truth["insatser"]:
        assert {k: row[k] for k in ("insatser", "belopp_kr", "indikatorer")} == money[(row["aktorsgrupp"], row["ar"])]
    assert sorted(truth["filer"]) == sorted(files)


def test_planted_trends(truth, files):
    trends = truth["planterade_trender"]
    larande = trends["larande_regioner_med_poster"]["varden"]
    assert larande == {"2024": 8, "2025": 13, "2026": 18}
    assert trends["kapacitet_regioner_med_poster"]["varden"] == {"2024": 14, "2025": 14, "2026": 14}
    per_agency = trends["samverkan_poster_per_myndighet"]["varden"]
    assert per_agency["2025"] - per_agency["2024"] == pytest.approx(1) == per_agency["2026"] - per_agency["2025"]
    # Each agency, not just their sum: one samverkan entry more each year.
    for slug in AGENCY_FILES:
        n = [len(files[f"{y}_{slug}.json"]["samverkan"]) for y in (2024, 2025, 2026)]
        assert n[1] == n[0] + 1 and n[2] == n[1] + 1
