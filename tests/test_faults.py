"""The runner under faults: stopped (SIGTERM) or killed (SIGKILL) in the middle of a stage,
killed while publishing, a full disk, a folder it cannot write, parameters of the wrong type.
Each time the last complete outputs stay as they were, the message says what happened, and
the next run completes without anyone cleaning up.

The tests marked `study` run the real notebooks in a subprocess and kill it; the others use a
stand-in for papermill (test_parallel.FakePapermill) and run in seconds."""
from __future__ import annotations

import errno
import fcntl
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import runner
from helpers.params import ParamError
from helpers.runner import RunError, StudyState
from helpers.stages import OUTPUT, PROCESSED

from conftest import ROOT, tree_hashes
from test_parallel import fake  # noqa: F401 - a fixture: stage execution by a stand-in

REAL_EXECUTE_STAGE = runner.execute_stage


def _overrides(base: Path) -> list[str]:
    return [f"processed_dir={base / 'processed'}", f"output_dir={base / 'outputs'}"]


def _published(base: Path) -> dict[str, str]:
    """Every published file with its hash: processed data and outputs together."""
    return {**{"processed/" + k: v for k, v in tree_hashes(base / "processed").items()},
            **{"outputs/" + k: v for k, v in tree_hashes(base / "outputs").items()}}


def _half_written(base: Path) -> list[str]:
    """Temporary files of an atomic write (.name.xxxx.tmp) left in the published folders."""
    return [p.name for folder in ("processed", "outputs") for p in (base / folder).rglob(".*.tmp")]


def _consistent(base: Path) -> None:
    """The published manifest describes the published files: every stage's recorded output
    hashes are those of the files there."""
    m = json.loads((base / "outputs" / "run_manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "ok"
    for stage in m["stages"]:
        for key, sha in (stage.get("outputs") or {}).items():
            kind, rel = key.split("/", 1)
            folder = base / ("processed" if kind == PROCESSED else "outputs")
            assert runner.sha256_file(folder / rel) == sha, key


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(proc.stdout)
    assert not runner.process_alive(pid)
    return pid


@pytest.fixture
def published(fake, tmp_path):
    """A study published by a run of the stand-in: tmp_path/processed and tmp_path/outputs."""
    fake.tag = "v1"
    assert runner.run(overrides=_overrides(tmp_path), say=lambda _: None, workers=2) == 0
    return tmp_path


# ------------------------------------------------------------------ the lock


def test_the_lock_names_its_holder_and_is_empty_when_released(tmp_path):
    state = StudyState(tmp_path, tmp_path / "p", tmp_path / "o")
    with state.locked():
        holder = json.loads(state.lock_file.read_text())
        assert holder["pid"] == os.getpid() and holder["kernels"] == []
        with pytest.raises(RunError, match=rf"another run of the study is in progress \(process {os.getpid()} since "):
            with StudyState(tmp_path, tmp_path / "p", tmp_path / "o").locked():
                pass
    assert state.lock_file.read_text() == ""


def test_a_lock_left_by_a_killed_run_is_stale(tmp_path):
    state = StudyState(tmp_path, tmp_path / "p", tmp_path / "o")
    state.dir.mkdir()
    dead = _dead_pid()
    state.lock_file.write_text(json.dumps({"pid": dead, "host": socket.gethostname(), "started": "x", "kernels": []}))
    with state.locked():
        assert state.stale_note == f"a previous run (process {dead}, started x) did not finish; its lock was stale"
        assert json.loads(state.lock_file.read_text())["pid"] == os.getpid()


def test_a_lock_still_held_for_a_dead_process_is_broken(tmp_path):
    """The flock is held (by a descriptor some leftover process inherited) but the run that
    took it has died: the lock file is replaced and the new run goes ahead."""
    state = StudyState(tmp_path, tmp_path / "p", tmp_path / "o")
    state.dir.mkdir()
    dead = _dead_pid()
    state.lock_file.write_text(json.dumps({"pid": dead, "host": socket.gethostname(), "started": "x", "kernels": []}))
    leftover = os.open(state.lock_file, os.O_RDWR)
    try:
        fcntl.flock(leftover, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with state.locked():
            assert state.stale_note.startswith(f"a previous run (process {dead}, started x)")
            assert json.loads(state.lock_file.read_text())["pid"] == os.getpid()
        assert os.fstat(leftover).st_nlink == 0  # the old lock file was replaced
    finally:
        os.close(leftover)


def test_a_lock_held_by_a_live_run_is_never_broken(tmp_path):
    state = StudyState(tmp_path, tmp_path / "p", tmp_path / "o")
    state.dir.mkdir()
    state.lock_file.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": "y"}))
    holder = os.open(state.lock_file, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(RunError, match=rf"process {os.getpid()} since y; lock .*lock is held"):
            with state.locked():
                pass
        assert state.lock_file.exists()
    finally:
        os.close(holder)


# ------------------------------------------------------------------ killed while publishing


class Crash(BaseException):
    """The process dying: no except clause of the runner catches it, only finally blocks run."""


@pytest.mark.parametrize("moves_done", [0, 1, 2, 3])
def test_a_publish_cut_short_is_finished_by_recovery(published, fake, monkeypatch, moves_done):
    """The publish swaps four folders (processed and outputs each: published -> previous,
    staged -> published). Cut after any number of moves, recovery finishes it from the journal."""
    base = published
    fake.tag = "v2"
    real_move = runner.move_folder
    calls = []

    def move(src, dst):
        if len(calls) == moves_done:
            raise Crash()
        calls.append((src, dst))
        return real_move(src, dst)

    monkeypatch.setattr(runner, "move_folder", move)
    with pytest.raises(Crash):
        runner.run(overrides=_overrides(base), say=lambda _: None, workers=2, force=True)
    monkeypatch.setattr(runner, "move_folder", real_move)
    state = StudyState(ROOT, base / "processed", base / "outputs")
    assert state.journal.is_file() and len(calls) == moves_done

    assert state.recover() == "finished publishing an interrupted run"
    assert not state.journal.exists() and not state.staging.exists() and not state.previous.exists()
    # everything published now is the second run's: its manifest and its files
    assert (base / "processed" / "nyps_projects.parquet").read_text() == "v2 01_data_intake nyps_projects.parquet\n"
    assert (base / "outputs" / "tables" / "text_dokument.csv").read_text().startswith("v2 ")
    _consistent(base)
    assert not _half_written(base)
    messages: list[str] = []
    assert runner.run(overrides=_overrides(base), say=messages.append, workers=2) == 0
    assert messages[-1].startswith("Nothing to do")


def test_the_next_run_finishes_a_publish_cut_short(published, fake, monkeypatch):
    """Killed while publishing, then simply run again: the run itself recovers first."""
    base = published
    fake.tag = "v2"
    real_move = runner.move_folder
    calls = []

    def move(src, dst):
        if len(calls) == 2:
            raise Crash()
        calls.append(1)
        return real_move(src, dst)

    monkeypatch.setattr(runner, "move_folder", move)
    with pytest.raises(Crash):
        runner.run(overrides=_overrides(base), say=lambda _: None, workers=2, force=True)
    monkeypatch.setattr(runner, "move_folder", real_move)
    messages: list[str] = []
    assert runner.run(overrides=_overrides(base), say=messages.append, workers=2) == 0
    assert messages[0] == "Recovered: finished publishing an interrupted run."
    assert messages[-1].startswith("Nothing to do")  # the finished publish is the complete run
    _consistent(base)


# ------------------------------------------------------------------ a full disk


def _no_space(path) -> OSError:
    return OSError(errno.ENOSPC, "No space left on device", str(path))


def _after_failure(base: Path, before: dict[str, str], code: int, messages: list[str], *, fake) -> str:
    """What every storage failure must leave: exit 1, one clear message, the published
    outputs as they were, no staging; and then a run that completes."""
    text = "\n".join(messages)
    assert code == 1, text
    assert "Traceback" not in text
    assert _published(base) == before
    assert not _half_written(base)
    assert not (base / ".study" / "staging").exists()
    fake.tag = "v3"
    again: list[str] = []
    assert runner.run(overrides=_overrides(base), say=again.append, workers=2, force=True) == 0, again
    assert not any(m.startswith("Recovered") for m in again)  # nothing was left to clean
    _consistent(base)
    return text


def test_disk_full_while_preparing_the_staging_folder(published, fake, monkeypatch):
    base = published
    before = _published(base)
    real_copy = shutil.copy2
    copied = []

    def copy2(src, dst, *args, **kwargs):
        if len(copied) == 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(src), None, str(dst))
        copied.append(src)
        return real_copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copy2", copy2)
    messages: list[str] = []
    code = runner.run(overrides=_overrides(base), say=messages.append, workers=2, force=True)
    monkeypatch.setattr(shutil, "copy2", real_copy)
    staging = base / ".study" / "staging"
    text = _after_failure(base, before, code, messages, fake=fake)
    assert text.startswith(f"Run FAILED: no space left on device in {staging} (while preparing the staging folder, at {staging}/")
    assert text.endswith("The outputs of the last complete run are unchanged.")


def test_disk_full_while_a_stage_runs(published, fake, monkeypatch):
    base = published
    before = _published(base)
    original = fake.__call__

    def full_in_02(stage, params, folders, root, km=None):
        if stage.number == "02":
            raise _no_space(folders[OUTPUT] / "tables" / "nyps_omrade_lan.csv")
        return original(stage, params, folders, root)

    monkeypatch.setattr(runner, "execute_stage", full_in_02)
    messages: list[str] = []
    code = runner.run(overrides=_overrides(base), say=messages.append, workers=2, force=True)
    monkeypatch.setattr(runner, "execute_stage", fake)
    staged = base / ".study" / "staging" / "output"
    text = _after_failure(base, before, code, messages, fake=fake)
    assert (f"Run FAILED: no space left on device in {staged} (while running stage 02 nyps_analysis, "
            f"at {staged}/tables/nyps_omrade_lan.csv)") in text
    assert "[2/5] 02 nyps_analysis: stopped by an error (OSError)" in text
    assert "04 rus_review: running" not in text  # no new stage after the error


def test_disk_full_inside_a_notebook_cell(published, fake, monkeypatch):
    """The real execute_stage, with papermill reporting the error a cell raised when its
    write hit a full disk: a storage failure of the run, not an analysis error of the stage."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    base = published
    before = _published(base)
    where = {}

    def execute_notebook(input_path, output_path, parameters, **kwargs):
        where["kernel_cwd"] = kwargs["resources"]["metadata"]["path"]
        assert "cwd" not in kwargs  # papermill's cwd= would chdir the whole process
        target = Path(parameters["output_dir"]) / "figures" / "01_beviljat_per_ar.png"
        raise PapermillExecutionError(cell_index=7, exec_count=7, source="figur.savefig(...)", ename="OSError",
                                      evalue=f"[Errno 28] No space left on device: '{target}'", traceback=[])

    monkeypatch.setattr(runner, "execute_stage", REAL_EXECUTE_STAGE)
    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)
    messages: list[str] = []
    code = runner.run(overrides=_overrides(base), say=messages.append, only="01", force=True)
    monkeypatch.setattr(runner, "execute_stage", fake)
    assert where["kernel_cwd"] == str(ROOT / "notebooks")
    staged = base / ".study" / "staging" / "output"
    text = _after_failure(base, before, code, messages, fake=fake)
    assert re.search(rf"no space left on device in {re.escape(str(staged))} \(while running stage 01 data_intake, "
                     r"at .*/figures/01_beviljat_per_ar\.png\)", text), text


def test_a_cell_that_failed_for_lack_of_space_is_told_apart():
    assert runner._kernel_storage_error("OSError", "[Errno 28] No space left on device: '/x/y.png'").args == (
        errno.ENOSPC, "No space left on device")
    assert runner._kernel_storage_error("OSError", "[Errno 28] No space left on device: '/x/y.png'").filename == "/x/y.png"
    assert runner._kernel_storage_error("OSError", "[Errno 122] Disk quota exceeded").errno == errno.EDQUOT
    # other errors stay errors of the stage, with their cell
    assert runner._kernel_storage_error("OSError", "[Errno 2] No such file or directory: 'a.csv'") is None
    assert runner._kernel_storage_error("ValueError", "[Errno 28] looks like it") is None
    assert runner._kernel_storage_error("PermissionError", "[Errno 13] Permission denied: 'a.csv'") is None


def test_disk_full_while_publishing(published, fake, monkeypatch):
    base = published
    before = _published(base)
    real = runner.write_text_atomic

    def write_text_atomic(target, text):
        if Path(target).name == "publish.json":
            raise _no_space(Path(target).parent / ".publish.json.0123.tmp")
        return real(target, text)

    monkeypatch.setattr(runner, "write_text_atomic", write_text_atomic)
    messages: list[str] = []
    code = runner.run(overrides=_overrides(base), say=messages.append, workers=2, force=True)
    monkeypatch.setattr(runner, "write_text_atomic", real)
    _after_failure(base, before, code, messages, fake=fake)
    assert messages[-1] == (f"Run FAILED: no space left on device in {base} (while publishing the outputs, "
                            f"at {base / '.study' / '.publish.json.0123.tmp'}).\n"
                            "The outputs of the last complete run are unchanged.")


def test_a_storage_error_message_names_the_folder(tmp_path):
    # a full disk: the folder being written; no file known
    e = runner.storage_error(OSError(errno.EDQUOT, "Disk quota exceeded"), tmp_path / "ut", "writing the index")
    assert str(e) == f"disk quota exceeded in {tmp_path / 'ut'} (while writing the index)"
    # a refused write: the folder the refused file (or subfolder, not yet there) would be in
    (tmp_path / "ro").mkdir()
    e = runner.storage_error(OSError(errno.EROFS, "Read-only file system", str(tmp_path / "ro" / "ny" / "x.csv")),
                             tmp_path / "elsewhere", "publishing")
    assert str(e) == f"cannot write to {tmp_path / 'ro'} (read-only file system) (while publishing, at {tmp_path / 'ro' / 'ny' / 'x.csv'})"
    assert e.folder == tmp_path / "ro"
    study = tmp_path / "ro" / ".study"
    e = runner.storage_error(PermissionError(errno.EACCES, "Permission denied", str(study)), tmp_path, "locking")
    assert str(e) == f"cannot write to {tmp_path / 'ro'} (permission denied) (while locking, at {study})"
    # only full or unwritable file systems become storage errors
    with pytest.raises(FileNotFoundError):
        with runner._writing("reading", tmp_path):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", "x")


# ------------------------------------------------------------------ a folder that cannot be written


class ReadOnlyFolder:
    """What chmod 0o555 does to a folder, for any user, root too: no entry in it can be
    created, renamed or removed (the calls the runner and its helpers make)."""

    def __init__(self, monkeypatch, folder: Path):
        self.folder = folder.resolve()
        for name in ("open", "mkdir", "rename", "replace", "unlink", "remove", "rmdir"):
            real = getattr(os, name)
            monkeypatch.setattr(os, name, self._guard(name, real))

    def _inside(self, path) -> bool:
        try:
            return Path(os.fsdecode(path)).resolve().parent == self.folder
        except (TypeError, ValueError):
            return False

    def _guard(self, name, real):
        def guarded(path, *args, **kwargs):
            targets = [path] + ([args[0]] if name in ("rename", "replace") and args else [])
            creates = name != "open" or (args and args[0] & os.O_CREAT and not os.path.exists(path))
            if creates and any(self._inside(t) for t in targets):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
            return real(path, *args, **kwargs)
        return guarded


def _published_in(parent: Path, fake) -> Path:
    fake.tag = "v1"
    assert runner.run(overrides=_overrides(parent), say=lambda _: None, workers=2) == 0
    return parent


def test_an_output_folder_in_a_read_only_folder_is_refused_before_anything_runs(fake, tmp_path, monkeypatch):
    base = _published_in(tmp_path / "delad", fake)
    before = _published(base)
    fake.times.clear()
    messages: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        ReadOnlyFolder(mp, base)
        code = runner.run(overrides=_overrides(base), say=messages.append, workers=2, force=True)
    text = "\n".join(messages)
    assert code == 1
    assert text.startswith(f"Run FAILED: cannot write to {base} (permission denied) "
                           "(while checking that the output folders can be written, at ")
    assert fake.times == {}  # refused before any stage ran
    assert _published(base) == before
    assert not (base / ".study" / "staging").exists()


def test_a_new_output_folder_under_a_read_only_folder(fake, tmp_path, monkeypatch):
    """Nothing published yet, and the folder that would hold the outputs cannot be written."""
    readonly = tmp_path / "skrivskyddad"
    readonly.mkdir()
    messages: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        ReadOnlyFolder(mp, readonly)
        code = runner.run(overrides=_overrides(readonly / "studie"), say=messages.append, workers=2)
    assert code == 1
    assert messages[0].startswith(f"Run FAILED: cannot write to {readonly} (permission denied) (while checking")
    assert list(readonly.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod 0o555 does not stop root's writes "
                    "(the monkeypatched ReadOnlyFolder tests cover this case)")
def test_a_read_only_folder_for_real(fake, tmp_path):
    base = _published_in(tmp_path / "delad", fake)
    before = _published(base)
    base.chmod(0o555)
    try:
        messages: list[str] = []
        code = runner.run(overrides=_overrides(base), say=messages.append, workers=2, force=True)
    finally:
        base.chmod(0o755)
    assert code == 1 and messages[0].startswith(f"Run FAILED: cannot write to {base} (permission denied)")
    assert _published(base) == before


def test_a_publish_refused_part_way_is_finished_when_the_folder_can_be_written(published, fake, monkeypatch):
    """The folder turns read-only after the checks, while the outputs are being swapped in:
    the journal stays, the message says so, and the next run finishes the publish."""
    base = published
    staged_processed = base / ".study" / "staging" / "processed"
    real_rename = os.rename

    def rename(src, dst, *args, **kwargs):
        # the processed folder is swapped in; the outputs folder cannot be moved
        if Path(src) == base / "outputs":
            raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))
        return real_rename(src, dst, *args, **kwargs)

    fake.tag = "v2"
    monkeypatch.setattr(os, "rename", rename)
    messages: list[str] = []
    code = runner.run(overrides=_overrides(base), say=messages.append, workers=2, force=True)
    monkeypatch.setattr(os, "rename", real_rename)
    assert code == 1
    assert messages[-1] == (
        f"Run FAILED: cannot write to {base} (permission denied) (while publishing the outputs, at {base / 'outputs'}).\n"
        f"Publishing stopped part-way; the next run finishes it from the journal {base / '.study' / 'publish.json'} "
        "once the folder can be written.")
    assert not staged_processed.exists()  # swapped in already
    assert (base / "processed" / "nyps_projects.parquet").read_text().startswith("v2 ")
    assert (base / "outputs" / "tables" / "text_dokument.csv").read_text().startswith("v1 ")
    messages = []
    assert runner.run(overrides=_overrides(base), say=messages.append, workers=2) == 0
    assert messages[0] == "Recovered: finished publishing an interrupted run."
    assert (base / "outputs" / "tables" / "text_dokument.csv").read_text().startswith("v2 ")
    _consistent(base)


def test_the_command_line_reports_a_full_disk_with_exit_1_and_no_traceback(tmp_path):
    """Through `python -m helpers.study run`: a published folder to copy into staging, and a
    disk that fills at the first copied file."""
    for folder, name in (("processed", "a.parquet"), ("outputs", "index.html")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text("published\n")
    before = _published(tmp_path)
    script = (
        "import errno, shutil, sys\n"
        "def full(src, dst, *a, **k):\n"
        "    raise OSError(errno.ENOSPC, 'No space left on device', str(src), None, str(dst))\n"
        "shutil.copy2 = full\n"
        "from helpers import study\n"
        "sys.exit(study.main(sys.argv[1:]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, "run", *sum((["-p", o] for o in _overrides(tmp_path)), [])],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    staging = tmp_path / ".study" / "staging"
    assert f"Run FAILED: no space left on device in {staging} (while preparing the staging folder" in proc.stdout
    assert _published(tmp_path) == before and not staging.exists()


# ------------------------------------------------------------------ parameters of the wrong type


@pytest.mark.parametrize("override, message", [
    ("bootstrap_samples=abc", "parameter 'bootstrap_samples' must be a whole number from 100 to 100000, got 'abc'"),
    ("year_from=[1]", "parameter 'year_from' must be a whole number from 2000 to 2100, got [1]"),
    ("support_types=PROJ,XYZ", "parameter 'support_types' must be a non-empty list of distinct values from PROJ, FTG, KS"),
    ("cell_timeout=1.5", "parameter 'cell_timeout' must be a whole number from 10 to 86400, got 1.5"),
])
def test_a_parameter_of_the_wrong_type_is_refused_before_any_stage(fake, tmp_path, override, message):
    with pytest.raises(ParamError) as caught:
        runner.run(overrides=[*_overrides(tmp_path / "studie"), override], say=lambda _: None)
    assert message in str(caught.value)
    assert fake.times == {}
    assert not (tmp_path / "studie").exists()  # nothing written: no lock, no staging, no outputs


def test_the_command_line_refuses_a_wrongly_typed_parameter_and_writes_nothing(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "helpers.study", "run", *sum((["-p", o] for o in _overrides(tmp_path / "s")), []),
                           "-p", "bootstrap_samples=abc"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "error: parameter 'bootstrap_samples' must be a whole number from 100 to 100000, got 'abc'" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert not (tmp_path / "s").exists()


# ------------------------------------------------------------------ killed mid-stage (real notebooks)


class StudyProcess:
    """`python -m helpers.study run ...` in a subprocess whose output is read line by line."""

    def __init__(self, args: list[str], stderr: Path):
        self.stderr_path = stderr
        self._stderr = open(stderr, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "helpers.study", "run", *args], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=self._stderr, text=True, bufsize=1)
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.lines.append(line)
            if text in line:
                return
        self.proc.kill()
        pytest.fail(f"never saw {text!r}; output:\n" + "\n".join(self.lines))

    def stderr(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text()


def _running_kernels(lock: Path, wanted: int, timeout: float = 120) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            kernels = json.loads(lock.read_text() or "{}").get("kernels", [])
        except ValueError:
            kernels = []
        if len(kernels) >= wanted:
            return kernels
        time.sleep(0.2)
    pytest.fail(f"the lock never listed {wanted} running kernel(s): {lock.read_text()}")


def _copy_of(study_run, base: Path) -> Path:
    """The session's complete study, copied: the last complete outputs these tests protect."""
    assert study_run["code"] == 0, study_run["messages"]
    shutil.copytree(study_run["processed"], base / "processed")
    shutil.copytree(study_run["outputs"], base / "outputs")
    return base


def _left_over(kernels: list[int]) -> list[int]:
    """Processes of the killed run's kernels still alive (a kernel and what it forked)."""
    return runner._kernel_processes(set(kernels))


def _end(pids: list[int]) -> None:
    for pid in pids:  # processes this test started (through the run it killed)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.study
@pytest.mark.parametrize("mode, stage, kernels", [
    ("parallel", "[3/5] 03 text_analysis: running", 2),  # 01 and 03 side by side
    ("serial", "[2/5] 02 nyps_analysis: running", 1),  # 01 done in staging, 02 under way
])
def test_a_run_stopped_by_sigterm_in_the_middle_of_a_stage(study_run, tmp_path, mode, stage, kernels):
    base = _copy_of(study_run, tmp_path)
    before = _published(base)
    args = ["--force", *(["--serial"] if mode == "serial" else []), *sum((["-p", o] for o in _overrides(base)), [])]
    run = StudyProcess(args, tmp_path / "stderr.txt")
    run.wait_for(stage)
    lock = base / ".study" / "lock"
    _running_kernels(lock, kernels)
    time.sleep(2)  # in the middle of the stage's cells
    # the run's kernels, warm ones and its quality-check process, as the lock lists them now
    pids = _running_kernels(lock, kernels)
    t0 = time.monotonic()
    run.proc.send_signal(signal.SIGTERM)
    try:
        code = run.proc.wait(timeout=60)
    finally:
        _end([run.proc.pid] if run.proc.poll() is None else [])
    stopped_in = time.monotonic() - t0
    stderr = run.stderr()
    assert code == 130, stderr[-2000:]
    assert "interrupted: the outputs of the last complete run are unchanged" in stderr
    assert "Traceback" not in stderr
    assert stopped_in < 30  # the kernels were stopped, not waited for
    try:
        deadline = time.monotonic() + 10
        while _left_over(pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _left_over(pids) == []  # the kernels and what they forked are gone
    finally:
        _end(_left_over(pids))

    assert _published(base) == before  # byte for byte
    assert not _half_written(base)
    assert not (base / ".study" / "staging").exists()  # a clean stop leaves nothing to recover
    assert (base / ".study" / "lock").read_text() == ""

    messages: list[str] = []
    assert runner.run(overrides=_overrides(base), only="01", force=True, say=messages.append) == 0, messages
    assert not any(m.startswith(("Recovered", "Note")) for m in messages)
    _consistent(base)


@pytest.mark.study
def test_a_run_killed_in_the_middle_of_a_stage(study_run, tmp_path):
    """SIGKILL: no handler runs. The staging folder, the lock file naming the dead run and the
    process pool stage 03's kernel forked are left behind; the next run deals with all three."""
    base = _copy_of(study_run, tmp_path)
    before = _published(base)
    run = StudyProcess(["--force", *sum((["-p", o] for o in _overrides(base)), [])], tmp_path / "stderr.txt")
    run.wait_for("[3/5] 03 text_analysis: running")
    lock = base / ".study" / "lock"
    pids = _running_kernels(lock, 2)
    # kill while 03 reads its documents in a process pool forked by its kernel, when it uses
    # one (two cores or more); else after a while. The lock lists the run's kernels (warm ones
    # and its quality-check process too) as they start and end: read it again each time.
    deadline = time.monotonic() + 20
    while len(_left_over(pids)) <= len(pids) and time.monotonic() < deadline:
        time.sleep(0.2)
        pids = _running_kernels(lock, 2)
    forked = len(_left_over(pids)) > len(pids)
    time.sleep(1)
    pids = sorted(set(pids) | set(_running_kernels(lock, 2)))  # all it lists just before the kill
    try:
        run.proc.kill()
        assert run.proc.wait(timeout=30) == -signal.SIGKILL
        killed = run.proc.pid

        assert _published(base) == before  # byte for byte
        assert not _half_written(base)
        assert (base / ".study" / "staging").is_dir()  # left behind
        assert json.loads((base / ".study" / "lock").read_text())["pid"] == killed  # a stale lock

        messages: list[str] = []
        assert runner.run(overrides=_overrides(base), only="01", force=True, say=messages.append) == 0, messages
        assert messages[0].startswith(f"Note: a previous run (process {killed}, started ")
        assert messages[0].endswith("did not finish; its lock was stale.")
        assert messages[1] == "Recovered: removed the staging folder of an interrupted run."
        assert _left_over(pids) == []  # nothing of the killed run still runs, forked workers neither
        if (os.cpu_count() or 1) > 1:
            assert forked, "stage 03 was expected to read its documents in a process pool"
    finally:
        _end(_left_over(pids))
    assert not (base / ".study" / "staging").exists()
    _consistent(base)
    assert not _half_written(base)
