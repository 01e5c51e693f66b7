"""The checks' own process: a kernel's own (prepare() without a run), the run's (the runner's
service), and the fallback when the process is gone. Each gives the report the calling
process gives (the reference: the same suite validated in this process)."""
from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from helpers import quality, quality_worker
from helpers.quality import QualityError

from conftest import ROOT

SUITE = {
    "name": "proov",
    "expectations": [
        {"type": "expect_table_columns_to_match_ordered_list", "kwargs": {"column_list": ["id", "lan", "belopp", "namn"]}},
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "lan", "value_set": {"$PARAMETER": "lan"}}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "belopp", "min_value": 0}},
    ],
}


def _frame(n=2000):
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({
        "id": np.arange(n),
        "lan": rng.choice(["01", "03", "25"], n).astype(object),
        "belopp": rng.uniform(0, 1e6, n),
        "namn": [f"projekt {i}" for i in range(n)],
    })
    frame.loc[[5, 17, 99], "lan"] = "99"  # planted: three counties out of the set
    frame.loc[[3, 4], "belopp"] = -1.0  # planted: two negative amounts
    return frame


@pytest.fixture
def suite_file(tmp_path, monkeypatch):
    (tmp_path / "expectations").mkdir()
    (tmp_path / "expectations" / "proov.json").write_text(json.dumps(SUITE), encoding="utf-8")
    monkeypatch.setattr(quality, "SUITES_DIR", tmp_path / "expectations")
    return tmp_path


@pytest.fixture
def no_worker(monkeypatch):
    monkeypatch.delenv(quality_worker.SERVICE_ENV, raising=False)
    monkeypatch.delenv(quality_worker.KEY_ENV, raising=False)
    monkeypatch.setattr(quality_worker, "_submit", None)
    yield
    monkeypatch.setattr(quality_worker, "_submit", None)


def _report(tmp_path, name, frame):
    try:
        quality.validate(frame, "proov", tmp_path / name, {"lan": ["01", "03", "25"]})
    except QualityError as exc:
        text = str(exc)
    else:
        text = ""
    return (tmp_path / name / "kvalitet" / "proov.json").read_bytes(), text


def test_the_planted_failures_are_found_here(suite_file, no_worker, tmp_path):
    data, text = _report(tmp_path, "here", _frame())
    report = json.loads(data)
    by_type = {r["expectation"]: r for r in report["results"]}
    assert by_type["expect_column_values_to_be_in_set"]["unexpected_count"] == 3
    assert by_type["expect_column_values_to_be_in_set"]["examples"] == ["99", "99", "99"]
    assert by_type["expect_column_values_to_be_between"]["unexpected_count"] == 2
    assert by_type["expect_table_columns_to_match_ordered_list"]["success"]
    assert report["successful"] == 3 and "2 of 5 expectations not met" in text


def test_only_the_columns_read_cross_to_the_other_process(suite_file):
    suite = quality.load_suite("proov")
    assert quality.needed_columns(_frame(), suite, {"lan": ["01"]}) == ["id", "lan", "belopp"]
    # a column the suite names but the frame lacks: the whole frame goes, and GX says so
    assert quality.needed_columns(_frame().drop(columns=["belopp"]), suite, {"lan": ["01"]}) is None


def test_a_kernels_own_process_gives_the_same_report(suite_file, no_worker, tmp_path):
    here = _report(tmp_path, "here", _frame())
    quality.prepare()
    assert quality_worker.prepared()
    check = quality.start(_frame(), "proov", tmp_path / "there", {"lan": ["01", "03", "25"]})
    assert check._computed is None  # it runs elsewhere
    with pytest.raises(QualityError) as err:
        check.result()
    there = ((tmp_path / "there" / "kvalitet" / "proov.json").read_bytes(), str(err.value))
    assert there == here


def _serve(tmp_path):
    key = secrets.token_hex(16)
    address = str(tmp_path / "s")
    proc = subprocess.Popen([sys.executable, "-m", "helpers.quality_worker", "serve", address],
                            env={**os.environ, quality_worker.KEY_ENV: key}, cwd=ROOT, start_new_session=True)
    return proc, address, key


def test_the_runs_process_gives_the_same_report_and_a_gone_one_is_replaced(suite_file, no_worker, tmp_path, monkeypatch):
    here = _report(tmp_path, "here", _frame())
    proc, address, key = _serve(tmp_path)
    try:
        monkeypatch.setenv(quality_worker.SERVICE_ENV, address)
        monkeypatch.setenv(quality_worker.KEY_ENV, key)
        quality.prepare()
        assert _report(tmp_path, "served", _frame()) == here
        # two checks at once are answered one after the other, each with its own result
        a = quality.start(_frame(), "proov", tmp_path / "a", {"lan": ["01", "03", "25"]}, raise_on_failure=False)
        b = quality.start(_frame().drop(index=[3, 4, 5, 17, 99]), "proov", tmp_path / "b", {"lan": ["01", "03", "25"]})
        assert quality.wait([b]) and b.result()["success"] and not a.result()["success"]
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    # the process is gone: the check runs here, with the same result, and so do later ones
    assert _report(tmp_path, "after", _frame()) == here
    assert not quality_worker.prepared()


def test_the_runs_process_refuses_a_wrong_key(suite_file, no_worker, tmp_path, monkeypatch):
    proc, address, _ = _serve(tmp_path)
    try:
        for _ in range(50):  # the socket appears when the process has started
            if os.path.exists(address):
                break
            time.sleep(0.1)
        monkeypatch.setenv(quality_worker.SERVICE_ENV, address)
        monkeypatch.setenv(quality_worker.KEY_ENV, secrets.token_hex(16))
        quality.prepare()
        # not authenticated: the check is done here instead, with the right result
        assert _report(tmp_path, "wrong", _frame()) == _report(tmp_path, "here", _frame())
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_wait_writes_every_result_before_it_raises(suite_file, no_worker, tmp_path):
    params = {"lan": ["01", "03", "25"]}
    good = quality.start(_frame().drop(index=[3, 4, 5, 17, 99]), "proov", tmp_path / "good", params)
    bad = quality.start(_frame(), "proov", tmp_path / "bad", params)
    with pytest.raises(QualityError):
        quality.wait([bad, good])
    assert (tmp_path / "good" / "kvalitet" / "proov.json").is_file()
    assert (tmp_path / "bad" / "kvalitet" / "proov.json").is_file()
