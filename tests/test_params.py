
import pytest
import yaml

from helpers import params
from helpers.params import ParamError

from conftest import ROOT


def test_default_file_loads_and_equals_its_text():
    loaded = params.load()
    on_disk = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    assert loaded == on_disk
    assert loaded["year_from"] == 2021 and loaded["year_to"] == 2024
    assert loaded["processed_dir"] == "data/processed" and loaded["output_dir"] == "outputs"


def test_every_declared_parameter_is_in_the_file_and_nothing_else():
    on_disk = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    assert set(on_disk) == {p.name for p in params.PARAMETERS}


def test_override_is_read_as_a_number():
    assert params.load(overrides=["year_from=2022"])["year_from"] == 2022


def test_override_of_a_list_as_comma_separated_or_yaml():
    assert params.load(overrides=["support_types=PROJ,FTG"])["support_types"] == ["PROJ", "FTG"]
    assert params.load(overrides=["support_types=[KS]"])["support_types"] == ["KS"]
    assert params.load(overrides=["amount_basis=utbetalt"])["amount_basis"] == "utbetalt"


@pytest.mark.parametrize(
    "override, words",
    [
        ("year_from=abc", ["year_from", "whole number", "'abc'"]),
        ("year_from=2025", ["year_from", "year_to"]),
        ("year_to=true", ["year_to", "whole number"]),
        ("cell_timeout=1", ["cell_timeout", "from 10"]),
        ("nyps_path=data/raw/none.csv", ["nyps_path", "does not exist"]),
        ("nyps_path=params.yaml", ["nyps_path", ".csv"]),
        ("output_dir=data/raw/x", ["output_dir", "data/raw"]),
        ("output_dir=data/processed", ["processed_dir", "output_dir", "different"]),
        ("year_from=2010", ["intake_year_min"]),
        ("colour=blue", ["unknown parameter 'colour'"]),
        ("support_types=PROJ,XYZ", ["support_types", "PROJ, FTG, KS"]),
        ("support_types=[]", ["support_types", "non-empty"]),
        ("support_types=PROJ,PROJ", ["support_types", "distinct"]),
        ("amount_basis=netto", ["amount_basis", "one of beviljat, utbetalt"]),
        ("year_from", ["NAME=VALUE"]),
    ],
)
def test_bad_values_name_the_parameter_and_what_it_must_be(override, words):
    with pytest.raises(ParamError) as err:
        params.load(overrides=[override])
    for word in words:
        assert word in str(err.value)


def test_missing_parameter_and_unknown_key_in_file(tmp_path):
    values = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    del values["year_to"]
    values["extra"] = 1
    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump(values), encoding="utf-8")
    with pytest.raises(ParamError, match="unknown parameter.*extra"):
        params.load(f)
    del values["extra"]
    f.write_text(yaml.safe_dump(values), encoding="utf-8")
    with pytest.raises(ParamError, match="missing: year_to"):
        params.load(f)


def test_file_that_is_not_a_mapping(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ParamError, match="NAME: VALUE"):
        params.load(f)
    with pytest.raises(ParamError, match="does not exist"):
        params.load(tmp_path / "none.yaml")
