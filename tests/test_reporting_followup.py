"""Follow-up of samverkan, lärande and kapacitet per actor group and year: hand-computed on a
small fixture, and equal to the counts the sample generator planted."""
from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from helpers.paths import project_root
from helpers.reporting.followup import COLUMNS, DIMENSION_LABELS, DIMENSIONS, GROUP_LABELS, followup
from helpers.reporting.intake import read_reports
from helpers.reporting.schema import GROUPS, ReportFormatError

FIXTURES = Path(__file__).parent / "fixtures" / "reporting"
SAMPLE = project_root() / "data" / "raw" / "sample" / "rapportformat"
NAN = float("nan")


@pytest.fixture(scope="module")
def sample_followup() -> pd.DataFrame:
    return followup(read_reports(SAMPLE))


def test_hand_fixture():
    # ok/: Gotland 2024 (larande 2 entries, kapacitet 1), Västerbotten 2025 (samverkan 3 entries
    # with partner types statlig_myndighet, kommun, statlig_myndighet; larande 1), Vinnova 2025
    # (samverkan 1 with a region; kapacitet 1 with two element ids: still one entry).
    rows = [
        ("region", 2024, "samverkan", 1, 0, 0.0, 0, 0.0, 0.0),
        ("region", 2024, "larande", 1, 1, 100.0, 2, 2.0, NAN),
        ("region", 2024, "kapacitet", 1, 1, 100.0, 1, 1.0, NAN),
        ("region", 2025, "samverkan", 1, 1, 100.0, 3, 3.0, 2.0),
        ("region", 2025, "larande", 1, 1, 100.0, 1, 1.0, NAN),
        ("region", 2025, "kapacitet", 1, 0, 0.0, 0, 0.0, NAN),
        ("statlig_myndighet", 2025, "samverkan", 1, 1, 100.0, 1, 1.0, 1.0),
        ("statlig_myndighet", 2025, "larande", 1, 0, 0.0, 0, 0.0, NAN),
        ("statlig_myndighet", 2025, "kapacitet", 1, 1, 100.0, 1, 1.0, NAN),
    ]
    expected = pd.DataFrame(rows, columns=COLUMNS).astype(
        {"ar": "int64", "aktorer": "int64", "aktorer_med_poster": "int64", "poster": "int64"})
    assert_frame_equal(followup(read_reports(FIXTURES / "ok")), expected)


def test_equals_the_planted_counts_of_the_sample(sample_followup):
    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    got = sample_followup.set_index(["aktorsgrupp", "ar", "dimension"])
    assert len(got) == len(truth["antal"]) == 3 * 3 * 3
    for row in truth["antal"]:
        mine = got.loc[(row["aktorsgrupp"], row["ar"], row["dimension"])]
        assert mine["aktorer"] == row["aktorer"]
        assert mine["aktorer_med_poster"] == row["aktorer_med_poster"]
        assert mine["poster"] == row["poster"]
        assert mine["andel_procent"] == pytest.approx(100 * row["aktorer_med_poster"] / row["aktorer"])
        assert mine["poster_per_aktor"] == pytest.approx(row["poster"] / row["aktorer"])
        if row["dimension"] == "samverkan":
            assert mine["partnertyper_per_aktor"] == pytest.approx(row["partnertyper_summa"] / row["aktorer"])
        else:
            assert math.isnan(mine["partnertyper_per_aktor"])


def test_the_planted_trends_show(sample_followup):
    f = sample_followup.set_index(["aktorsgrupp", "dimension", "ar"])
    larande = [f.loc[("region", "larande", y), "andel_procent"] for y in (2024, 2025, 2026)]
    assert larande[0] < larande[1] < larande[2]
    samverkan = [f.loc[("statlig_myndighet", "samverkan", y), "poster_per_aktor"] for y in (2024, 2025, 2026)]
    assert samverkan[1] - samverkan[0] == pytest.approx(1.0) and samverkan[2] - samverkan[1] == pytest.approx(1.0)
    kapacitet = {f.loc[("region", "kapacitet", y), "aktorer_med_poster"] for y in (2024, 2025, 2026)}
    assert kapacitet == {14}


def test_rows_are_sorted_by_group_year_dimension(sample_followup):
    keys = [(GROUPS.index(g), y, DIMENSIONS.index(d))
            for g, y, d in sample_followup[["aktorsgrupp", "ar", "dimension"]].itertuples(index=False)]
    assert keys == sorted(keys)
    assert set(DIMENSION_LABELS) == set(DIMENSIONS) and set(GROUP_LABELS) == set(GROUPS)


def test_inconsistent_tables_are_refused():
    tables = read_reports(FIXTURES / "ok")
    orphan = tables.larande.assign(rapport_id="2030_region_01")
    with pytest.raises(ReportFormatError, match="ReportTables.larande: rapport_id 2030_region_01 not in rapporter"):
        followup(dataclasses.replace(tables, larande=orphan))
    with pytest.raises(ReportFormatError, match="ReportTables.samverkan: missing column.*partner_typ"):
        followup(dataclasses.replace(tables, samverkan=tables.samverkan.drop(columns="partner_typ")))
