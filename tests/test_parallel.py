"""Independent stages run at the same time: the dependency graph read from the registry, and
the schedule the runner follows, with a stand-in for papermill that sleeps and records when
each stage started and ended (no notebooks, a few seconds)."""
from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from helpers import runner, stages
from helpers.runner import RunError, StageFailure
from helpers.stages import OUTPUT, PROCESSED, STAGES, VERDICTS_FILE, Stage

# how long each stand-in stage takes, in seconds: 03 outlasts 01 and 02 so that the overlap
# and the waiting are both visible
DURATION = {"01": 0.3, "02": 0.5, "03": 1.2, "04": 0.3, "05": 0.2}


def test_dependency_graph_of_the_registry():
    # 02 reads 01's projects; 03 reads nothing of another stage; 04 reads 03's paragraphs,
    # documents, codes and scores; 05 reads 01's projects and the findings of 02, 03 and 04
    assert runner.dependency_graph() == {
        "01": (),
        "02": ("01",),
        "03": (),
        "04": ("03",),
        "05": ("01", "02", "03", "04"),
    }
    graph = runner.dependency_graph()
    assert runner.ancestors("05", graph) == {"01", "02", "03", "04"}
    assert runner.ancestors("04", graph) == {"03"} and runner.ancestors("03", graph) == set()


def _stage(number, upstream=(), outputs=()):
    return Stage(number=number, name=f"s{number}", title="", notebook=Path(f"{number}.ipynb"), parameters=(),
                 upstream={f"u{i}": (PROCESSED, rel) for i, rel in enumerate(upstream)},
                 outputs={f"o{i}": (PROCESSED, rel) for i, rel in enumerate(outputs)})


def test_dependency_graph_follows_declared_files_only():
    a = _stage("1", outputs=("a.parquet", "a2.parquet"))
    b = _stage("2", upstream=("a2.parquet", "external.csv"), outputs=("b.parquet",))
    c = _stage("3", outputs=("c.parquet",))
    d = _stage("4", upstream=("b.parquet", "c.parquet", "a.parquet"))
    assert runner.dependency_graph((a, b, c, d)) == {"1": (), "2": ("1",), "3": (), "4": ("1", "2", "3")}
    # a stage reading what a later stage writes cannot be scheduled in registry order
    with pytest.raises(RunError, match="stage 1 s1 reads an output of the later stage 2"):
        runner.dependency_graph((_stage("1", upstream=("b.parquet",)), _stage("2", outputs=("b.parquet",))))


# ------------------------------------------------------------------ the schedule, with a stand-in


class FakePapermill:
    """Stands in for execute_stage: sleeps, writes the stage's declared outputs (so that later
    stages find their inputs), and records its start and end."""

    def __init__(self, fail: str | None = None, tag: str = "v1"):
        self.fail = fail
        self.tag = tag  # written into every output, to tell one run's files from another's
        self.times: dict[str, tuple[float, float]] = {}
        self.guard = threading.Lock()

    def __call__(self, stage, params, folders, root, km=None):
        start = time.monotonic()
        time.sleep(DURATION[stage.number])
        if stage.number == self.fail:
            with self.guard:
                self.times[stage.number] = (start, time.monotonic())
            raise StageFailure(stage, "ValueError: planted", cell="In [3]")
        for kind, rel in stage.outputs.values():
            path = folders[kind] / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if rel == VERDICTS_FILE:
                continue  # no verdicts: the front page then shows none
            if rel.endswith(".json"):
                path.write_text(json.dumps({"steg": stage.slug, "syntetisk": True, "nyckeltal": [], "figurer": {},
                                            "fynd": [], "run": self.tag}), encoding="utf-8")
            else:
                path.write_text(f"{self.tag} {stage.slug} {rel}\n", encoding="utf-8")
        # the reader's page, which the report gathers (render_stage makes it from the executed
        # notebook; the stand-in has none)
        page = folders[OUTPUT] / f"notebooks/{stage.slug}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!DOCTYPE html><html><head><title>{stage.slug}</title></head>"
                        f"<body><main><h1>{stage.slug}</h1><p>Stand-in.</p></main></body></html>", encoding="utf-8")
        with self.guard:
            self.times[stage.number] = (start, time.monotonic())


@pytest.fixture
def fake(monkeypatch):
    papermill = FakePapermill()
    monkeypatch.setattr(runner, "execute_stage", papermill)
    # the helper code of this project may be edited while the tests run: fix its hash
    monkeypatch.setattr(runner, "helper_code_hash", lambda root: "code")
    monkeypatch.setattr("helpers.pdf.print_pdf", lambda html, pdf, timeout=120: None)
    # no kernels and no process for the quality checks behind a stand-in
    monkeypatch.setattr(runner, "_start_warm_kernel", lambda stage, root, ahead=True: None)
    monkeypatch.setattr(runner, "_QualityService", NoQualityService)
    return papermill


class NoQualityService:
    def __init__(self, root):
        pass

    def close(self):
        pass


def _overrides(tmp_path):
    return [f"processed_dir={tmp_path / 'processed'}", f"output_dir={tmp_path / 'outputs'}"]


def _overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def _most_at_once(spans) -> int:
    spans = list(spans)
    return max(sum(s[0] <= start < s[1] for s in spans) for start, _ in spans)


def test_independent_stages_run_at_the_same_time(fake, tmp_path):
    messages: list[str] = []
    assert runner.run(overrides=_overrides(tmp_path), say=messages.append, workers=2) == 0
    t = fake.times
    assert set(t) == {"01", "02", "03", "04", "05"}
    assert _overlap(t["02"], t["03"])  # independent: side by side
    assert _overlap(t["01"], t["03"])
    assert t["02"][0] >= t["01"][1]  # 02 reads 01's projects
    assert t["04"][0] >= t["03"][1]  # 04 reads 03's paragraphs
    assert t["05"][0] >= max(t["02"][1], t["03"][1], t["04"][1])
    assert _most_at_once(t.values()) == 2  # two workers at most
    # the wall time is that of the longest path (03, 04, 05), not the sum of all stages
    total = t["05"][1] - t["01"][0]
    assert total < sum(DURATION.values()) - 0.5
    # every stage announced in registry numbering, and both messages per stage
    for k, stage in enumerate(STAGES, start=1):
        assert sum(m.startswith(f"[{k}/5] {stage.number} {stage.name}: running") for m in messages) == 1
        assert sum(m.startswith(f"[{k}/5] {stage.number} {stage.name}: done") for m in messages) == 1
    # the manifest lists the stages in registry order, whatever order they finished in
    m = json.loads((tmp_path / "outputs" / "run_manifest.json").read_text(encoding="utf-8"))
    assert [s["slug"] for s in m["stages"]] == [s.slug for s in STAGES]
    assert all(s["status"] == "ok" for s in m["stages"]) and m["workers"] == 2
    assert list(m["inputs"])[0] == "notebooks/01_data_intake.ipynb"


def test_serial_runs_one_stage_at_a_time(fake, tmp_path):
    assert runner.run(overrides=_overrides(tmp_path), say=lambda _: None, serial=True) == 0
    ordered = sorted(fake.times.values())
    assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:]))
    assert [n for n, _ in sorted(fake.times.items(), key=lambda kv: kv[1])] == ["01", "02", "03", "04", "05"]


def test_unchanged_stages_are_skipped_and_a_changed_one_reruns_its_dependents_only(fake, tmp_path):
    assert runner.run(overrides=_overrides(tmp_path), say=lambda _: None, workers=2) == 0
    fake.times.clear()
    messages: list[str] = []
    # amount_basis is a parameter of 02 only: 02 reruns; 05 reads 02's findings, which the
    # stand-in writes the same again, so by content 05 is unchanged and skipped like the rest
    assert runner.run(overrides=[*_overrides(tmp_path), "amount_basis=utbetalt"], say=messages.append, workers=2) == 0
    assert set(fake.times) == {"02"}
    for k, name in ((1, "01 data_intake"), (3, "03 text_analysis"), (4, "04 rus_review"), (5, "05 conclusions")):
        assert f"[{k}/5] {name}: unchanged since its last successful run, skipped" in messages


def test_a_failure_lets_running_stages_finish_and_starts_no_new_one(fake, tmp_path):
    published = tmp_path / "outputs"
    fake.fail = "01"
    messages: list[str] = []
    assert runner.run(overrides=_overrides(tmp_path), say=messages.append, workers=2) == 1
    # 03 was running beside 01 when 01 failed: it finished; 02, 04 and 05 never started
    assert set(fake.times) == {"01", "03"}
    text = "\n".join(messages)
    assert "Run FAILED: stage 01 data_intake failed, cell In [3]: ValueError: planted" in text
    assert "[3/5] 03 text_analysis: done" in text
    assert "02 nyps_analysis" not in text and "04 rus_review" not in text
    failed = tmp_path / "outputs.failed"
    m = json.loads((failed / "run_manifest.json").read_text(encoding="utf-8"))
    assert [(s["number"], s["status"]) for s in m["stages"]] == [
        ("01", "failed"), ("02", "not_run"), ("03", "ok"), ("04", "not_run"), ("05", "not_run")]
    assert not published.exists()  # nothing was published
    assert not (tmp_path / ".study" / "staging").exists()


def test_a_stopped_parallel_run_starts_nothing_more_and_publishes_nothing(fake, tmp_path, monkeypatch):
    assert runner.run(overrides=_overrides(tmp_path), say=lambda _: None, workers=2) == 0
    before = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in sorted(tmp_path.rglob("*"))
              if p.is_file() and ".study" not in p.parts}
    fake.times.clear()
    original = fake.__call__

    def stop_when_03_runs(stage, params, folders, root, km=None):
        if stage.number == "03":
            # SIGTERM to this process, as `kill` would send it; the runner's main thread gets it
            threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM)).start()
        return original(stage, params, folders, root)

    monkeypatch.setattr(runner, "execute_stage", stop_when_03_runs)
    with pytest.raises(KeyboardInterrupt):
        runner.run(overrides=_overrides(tmp_path), say=lambda _: None, workers=2, force=True)
    time.sleep(DURATION["03"])  # a worker left running would write now
    assert set(fake.times) <= {"01", "02", "03"} and "04" not in fake.times and "05" not in fake.times
    after = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in sorted(tmp_path.rglob("*"))
             if p.is_file() and ".study" not in p.parts}
    assert after == before
    assert not (tmp_path / ".study" / "staging").exists()
    assert signal.getsignal(signal.SIGTERM) is not runner._terminate  # the handler is put back


def test_the_pages_of_a_stage_are_marked_synthetic_from_its_own_lineage(fake, tmp_path, monkeypatch):
    """The flag a stage's pages are rendered with depends on the stage and those it builds on,
    not on which stage happened to finish first; a later stage's flag reaches the pages at
    the end of the run."""
    seen: dict[str, bool] = {}
    monkeypatch.setattr(runner, "detect_synthetic", lambda params, root: False)
    real_render = runner.render_stage

    def render(stage, output_dir, synthetic):
        seen.setdefault(stage.number, synthetic)
        seen[stage.number + "_last"] = synthetic
        return real_render(stage, output_dir, synthetic)

    monkeypatch.setattr(runner, "render_stage", render)
    original = fake.__call__

    def only_03_synthetic(stage, params, folders, root, km=None):
        original(stage, params, folders, root)
        kind, rel = stages.stage_record(stage.slug)
        (folders[kind] / rel).write_text(json.dumps({"syntetisk": stage.number == "03"}), encoding="utf-8")

    monkeypatch.setattr(runner, "execute_stage", only_03_synthetic)
    assert runner.run(overrides=_overrides(tmp_path), say=lambda _: None, workers=2) == 0
    assert {n: seen[n] for n in ("01", "02", "03", "04", "05")} == {
        "01": False, "02": False, "03": True, "04": True, "05": True}
    # the run as a whole is synthetic, so 01 and 02 were rendered again with the flag
    assert seen["01_last"] and seen["02_last"]
    m = json.loads((tmp_path / "outputs" / "run_manifest.json").read_text(encoding="utf-8"))
    assert m["synthetic"] is True
