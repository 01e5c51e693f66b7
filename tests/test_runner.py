import json
from pathlib import Path

import pytest

from helpers import runner
from helpers.runner import RunError, StudyState
from helpers.stages import OUTPUT, PROCESSED, STAGES


def _state(tmp_path):
    processed, outputs = tmp_path / "data" / "processed", tmp_path / "outputs"
    return StudyState(tmp_path, processed, outputs), processed, outputs


def _fill(folder: Path, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "f.txt").write_text(text)


def test_staging_starts_as_a_copy_and_publish_swaps(tmp_path):
    state, processed, outputs = _state(tmp_path)
    _fill(processed, "old p")
    _fill(outputs, "old o")
    folders = state.prepare_staging()
    assert (folders[PROCESSED] / "f.txt").read_text() == "old p"
    (folders[PROCESSED] / "f.txt").write_text("new p")
    (folders[OUTPUT] / "f.txt").write_text("new o")
    assert (processed / "f.txt").read_text() == "old p"  # untouched until publish
    state.publish()
    assert (processed / "f.txt").read_text() == "new p" and (outputs / "f.txt").read_text() == "new o"
    assert not state.staging.exists() and not state.previous.exists() and not state.journal.exists()


def test_interrupted_publish_is_finished_on_recovery(tmp_path):
    state, processed, outputs = _state(tmp_path)
    _fill(processed, "old p")
    _fill(outputs, "old o")
    folders = state.prepare_staging()
    (folders[PROCESSED] / "f.txt").write_text("new p")
    (folders[OUTPUT] / "f.txt").write_text("new o")
    # journal written and the processed folder swapped, then the process died
    state.journal.write_text(json.dumps({PROCESSED: str(processed), OUTPUT: str(outputs)}))
    (state.previous).mkdir(parents=True)
    processed.rename(state.previous / PROCESSED)
    folders[PROCESSED].rename(processed)
    assert state.recover() == "finished publishing an interrupted run"
    assert (processed / "f.txt").read_text() == "new p" and (outputs / "f.txt").read_text() == "new o"
    assert not state.journal.exists() and not state.staging.exists()


def test_unpublished_staging_is_dropped(tmp_path):
    state, processed, outputs = _state(tmp_path)
    _fill(outputs, "old o")
    folders = state.prepare_staging()
    (folders[OUTPUT] / "f.txt").write_text("half written")
    assert state.recover() == "removed the staging folder of an interrupted run"
    assert (outputs / "f.txt").read_text() == "old o" and not state.staging.exists()


def test_second_run_is_refused_while_locked(tmp_path):
    state, _, _ = _state(tmp_path)
    with state.locked():
        with pytest.raises(RunError, match="another run"):
            with StudyState(tmp_path, tmp_path / "p", tmp_path / "outputs").locked():
                pass


def test_helper_code_hash_follows_content_not_time(tmp_path):
    base = tmp_path / "src" / "helpers"
    base.mkdir(parents=True)
    (base / "a.py").write_text("x = 1\n")
    first = runner.helper_code_hash(tmp_path)
    (base / "a.py").write_text("x = 1\n")  # rewritten, same content
    assert runner.helper_code_hash(tmp_path) == first
    (base / "a.py").write_text("x = 2\n")
    assert runner.helper_code_hash(tmp_path) != first


def test_select_stages():
    assert runner.select_stages(None, None) == list(STAGES)
    assert runner.select_stages("01", None) == [STAGES[0]]
    assert runner.select_stages(None, "data_intake") == list(STAGES)
    # several, in the registry's order whatever the order given
    assert runner.select_stages("02,data_intake", None) == [STAGES[0], STAGES[1]]
    with pytest.raises(RunError):
        runner.select_stages("01", "01")
    with pytest.raises(RunError):
        runner.select_stages(",", None)


def test_detect_synthetic(tmp_path):
    marked = tmp_path / "a.csv"
    marked.write_bytes("\ufeffSYNTETISKA EXEMPELDATA – test\n\nÄrende;Län\n".encode("utf-8"))
    plain = tmp_path / "b.csv"
    plain.write_bytes("Ärende;Län\n1;14\n".encode("cp1252"))
    assert runner.detect_synthetic({"nyps_path": str(marked)}, tmp_path)
    assert not runner.detect_synthetic({"nyps_path": str(plain)}, tmp_path)
