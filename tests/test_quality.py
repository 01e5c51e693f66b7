import json

import pandas as pd
import pytest

from helpers import quality
from helpers.quality import QualityError


def _frame(rader_diff=0, belopp_diff=0.0):
    return pd.DataFrame({"rader_in": [10], "rader_godkanda": [8], "rader_karantan": [2], "rader_diff": [rader_diff],
                         "belopp_in": [100.0], "belopp_godkanda": [90.0], "belopp_karantan": [10.0],
                         "belopp_diff": [belopp_diff]})


def test_passing_suite_writes_its_result(tmp_path):
    report = quality.validate(_frame(), "nyps_reconciliation", tmp_path)
    assert report["success"] and report["evaluated"] == 3 and report["successful"] == 3
    on_disk = json.loads((tmp_path / "kvalitet" / "nyps_reconciliation.json").read_text(encoding="utf-8"))
    assert on_disk == report
    assert [r["expectation"] for r in on_disk["results"]] == [
        e["type"] for e in quality.load_suite("nyps_reconciliation")["expectations"]
    ]


def test_failing_suite_names_suite_expectation_column_and_values(tmp_path):
    with pytest.raises(QualityError) as err:
        quality.validate(_frame(rader_diff=3, belopp_diff=0.5), "nyps_reconciliation", tmp_path)
    text = str(err.value)
    assert "nyps_reconciliation" in text and "2 of 3" in text
    assert "expect_column_values_to_be_between on column 'rader_diff'" in text and "[3]" in text
    assert "column 'belopp_diff'" in text and "0.5" in text
    # the result is written even when the suite fails, for the index to show
    assert json.loads((tmp_path / "kvalitet" / "nyps_reconciliation.json").read_text())["success"] is False


def test_results_are_the_same_bytes_on_rerun(tmp_path):
    quality.validate(_frame(), "nyps_reconciliation", tmp_path / "a")
    quality.validate(_frame(), "nyps_reconciliation", tmp_path / "b")
    a = (tmp_path / "a" / "kvalitet" / "nyps_reconciliation.json").read_bytes()
    assert a == (tmp_path / "b" / "kvalitet" / "nyps_reconciliation.json").read_bytes()


def test_suite_parameters_are_required_and_used(tmp_path):
    frame = pd.DataFrame({"kalla_rad": [1, 2], "lan_kod": ["01", "99"]})
    with pytest.raises(ValueError, match="county_codes"):
        quality.validate(frame, "nyps_projects", tmp_path)


def test_unknown_suite(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_such_suite"):
        quality.validate(_frame(), "no_such_suite", tmp_path)
