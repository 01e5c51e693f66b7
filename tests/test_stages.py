import ast
import json

import nbformat
import pytest
import yaml

from helpers import params, quality, stages
from helpers.stages import STAGES, UnknownStage

from conftest import ROOT


def test_find_by_number_name_and_slug():
    s = STAGES[0]
    assert stages.find("01") is s and stages.find("1") is s
    assert stages.find("data_intake") is s and stages.find("01_data_intake") is s
    with pytest.raises(UnknownStage, match="01 \\(data_intake\\)"):
        stages.find("99")


def test_numbers_and_names_are_unique_and_ordered():
    numbers = [s.number for s in STAGES]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert len({s.name for s in STAGES}) == len(STAGES)


def _parameters_cell(nb):
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    values = {}
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds plain assignments only"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.slug)
def test_notebook_parameters_equal_registry_and_params_file(stage):
    nb = nbformat.read(ROOT / stage.notebook, as_version=4)
    cell = _parameters_cell(nb)
    assert set(cell) == set(stage.parameters)
    on_disk = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    assert cell == {name: on_disk[name] for name in stage.parameters}
    assert nb.metadata["kernelspec"]["name"] == "strategiuppfoljning"


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.slug)
def test_declared_parameters_suites_and_inputs_exist(stage):
    assert set(stage.parameters) <= set(params.BY_NAME)
    assert set(stage.input_params) <= set(stage.parameters)
    for suite in stage.suites:
        assert quality.load_suite(suite)["name"] == suite
    for ref in stage.reference_inputs:
        assert (ROOT / ref).is_file()


def test_committed_notebooks_carry_no_outputs():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [] and cell.get("execution_count") is None, path.name


def test_every_notebook_is_a_registered_stage():
    registered = {s.notebook.name for s in STAGES}
    assert {p.name for p in (ROOT / "notebooks").glob("*.ipynb")} == registered


def test_paths_resolve_into_the_given_folders(tmp_path):
    p = stages.paths("data_intake", tmp_path / "proc", "out")
    assert p["projects"] == tmp_path / "proc" / "nyps_projects.parquet"
    assert p["record"] == ROOT / "out" / "steg" / "01_data_intake.json"
