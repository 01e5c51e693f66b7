"""Running the study: each stage's notebook executed by papermill into a staging folder,
checked, rendered, and published over the previous outputs only when every stage passed.

A stage is skipped when its notebook, the helper code, its suites, its inputs and its
parameters hash the same as at its last successful run and its outputs are still there,
unchanged. Hashes are of content, never of timestamps.

Stages that do not depend on each other (one reads none of the other's declared outputs) run
at the same time, each in its own kernel; `serial=True` runs one at a time. A run survives
being stopped at any point: a SIGTERM or Ctrl-C stops the kernels and leaves the published
outputs as they were, a killed run leaves a staging folder and a stale lock that the next run
clears, and a publish cut short is finished from its journal. A full disk or a folder that
cannot be written ends the run with a message naming the folder."""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import platform
import queue
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import params as params_mod
from .files import sha256_file, write_text_atomic
from .paths import project_root, resolve
from .quality import SUITES_DIR
from .record import read_stage_record
from .render import notebook_pages
from .stages import OUTPUT, PROCESSED, STAGES, VERDICTS_FILE, Stage, find, quality_result, stage_record

KERNEL_NAME = "strategiuppfoljning"
STATE_DIR_NAME = ".study"  # beside the output folder, so renames stay on one file system
MANIFEST = "run_manifest.json"
REPORT_PDF = "rapport.pdf"
SYNTHETIC_MARKER = b"SYNTETISKA EXEMPELDATA"

STATUS_TEXT = {
    "ok": ("Klar", "ok"),
    "skipped": ("Oförändrad, hoppades över", "oforandrad"),
    "not_selected": ("Inte vald i denna körning", "oforandrad"),
    "failed": ("Misslyckades", "fel"),
    "not_run": ("Inte körd (ett tidigare steg misslyckades)", "fel"),
}


class RunError(RuntimeError):
    """A run could not start or complete; the message says why, for a person to act on."""


class StorageError(RunError):
    """The disk is full or a folder cannot be written: a run that fails for this reason
    ends with exit status 1 and this message, not a traceback."""

    def __init__(self, message: str, folder: Path):
        super().__init__(message)
        self.folder = folder


# errno -> how the message says it; the space errors name the folder written to
_NO_SPACE = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded"}
_NO_WRITE = {errno.EACCES: "permission denied", errno.EPERM: "operation not permitted",
             errno.EROFS: "read-only file system"}
STORAGE_ERRNOS = frozenset({*_NO_SPACE, *_NO_WRITE})


def _existing_folder(path: Path) -> Path:
    """The folder a refused file or subfolder is (or would be) in: the nearest existing one
    above it. Creating, renaming or removing an entry needs that folder writable."""
    for parent in Path(path).parents:
        if parent.is_dir():
            return parent
    return Path(path)


def storage_error(exc: OSError, folder: Path, doing: str) -> StorageError:
    """Say what an OSError of a full or unwritable file system means, naming the folder.
    A full disk is named by the folder the runner was writing to; a refused write by the
    folder the refused file or subfolder is in."""
    if exc.errno in _NO_SPACE:
        where = Path(folder)
        text = f"{_NO_SPACE[exc.errno]} in {where}"
        target = exc.filename2 or exc.filename
    else:
        target = exc.filename or exc.filename2
        where = _existing_folder(Path(os.fsdecode(target))) if target else Path(folder)
        text = f"cannot write to {where} ({_NO_WRITE[exc.errno]})"
    detail = f"while {doing}"
    if target:
        detail += f", at {os.fsdecode(target)}"
    return StorageError(f"{text} ({detail})", where)


@contextlib.contextmanager
def _writing(doing: str, folder: Path):
    """Turn a full disk or a refused write inside this block into a StorageError."""
    try:
        yield
    except OSError as exc:
        if exc.errno in STORAGE_ERRNOS:
            raise storage_error(exc, folder, doing) from exc
        raise


def check_writable(output_dir: Path, processed_dir: Path) -> None:
    """Before the lock and before any stage: can the run write what it must? Publishing
    creates .study beside the output folder and renames both folders, which needs their
    parents writable (tried by creating a file there) and the folders themselves when they
    exist (a folder moved elsewhere has its '..' entry rewritten). Raises StorageError."""
    doing = "checking that the output folders can be written"
    for parent in dict.fromkeys((output_dir.parent, processed_dir.parent)):
        with _writing(doing, parent):
            parent.mkdir(parents=True, exist_ok=True)
            probe = parent / f".study-probe-{os.getpid()}"
            os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            os.unlink(probe)
    for folder in (output_dir, processed_dir):
        # not by writing into them: they are the published outputs
        if folder.is_dir() and not os.access(folder, os.W_OK):
            raise StorageError(f"cannot write to {folder} (permission denied) (while {doing})", folder)


@dataclass
class StageFailure(Exception):
    stage: Stage
    error: str
    cell: str | None = None
    link: str | None = None

    def __str__(self) -> str:
        where = f", cell {self.cell}" if self.cell else ""
        return f"stage {self.stage.number} {self.stage.name} failed{where}: {self.error}"


# ---------------------------------------------------------------- hashing

def helper_code_hash(root: Path) -> str:
    """All of the helper package (code and templates): a change anywhere reruns every stage."""
    digest = hashlib.sha256()
    base = root / "src" / "helpers"
    for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(sha256_file(path).encode())
    return digest.hexdigest()


def stage_inputs(stage: Stage, params: dict, folders: dict[str, Path], root: Path) -> dict[str, Path]:
    """Every file a stage reads, keyed by how the manifest names it."""
    files: dict[str, Path] = {stage.notebook.as_posix(): root / stage.notebook}
    for name in stage.input_params:
        if params[name] != "":
            files[str(params[name])] = resolve(params[name], root)
    for name in stage.input_folders:
        folder = resolve(params[name], root).parent
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            files[shown_path(path, root)] = path
    for name in stage.input_dirs:
        if params[name] != "":
            folder = resolve(params[name], root)
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                files[shown_path(path, root)] = path
    for ref in stage.reference_inputs:
        files[ref.as_posix()] = root / ref
    for suite in stage.suites:
        files[(SUITES_DIR / f"{suite}.json").as_posix()] = root / SUITES_DIR / f"{suite}.json"
    for kind, rel in stage.upstream.values():
        files[f"{kind}/{rel}"] = folders[kind] / rel
    return files


def stage_fingerprint(stage: Stage, params: dict, folders: dict[str, Path], root: Path, code_hash: str) -> tuple[str, dict[str, str]]:
    inputs = {}
    for key, path in stage_inputs(stage, params, folders, root).items():
        if not path.is_file():
            raise RunError(f"stage {stage.number} {stage.name}: input {key} does not exist ({path})")
        inputs[key] = sha256_file(path)
    used = {name: params[name] for name in stage.parameters if name not in ("processed_dir", "output_dir")}
    payload = json.dumps({"inputs": inputs, "parameters": used, "code": code_hash}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest(), inputs


def output_hashes(stage: Stage, folders: dict[str, Path]) -> dict[str, str] | None:
    """Hashes of a stage's declared outputs, or None when one is missing."""
    out = {}
    for kind, rel in stage.outputs.values():
        path = folders[kind] / rel
        if not path.is_file():
            return None
        out[f"{kind}/{rel}"] = sha256_file(path)
    return out


def is_up_to_date(stage: Stage, previous: dict | None, fingerprint: str, folders: dict[str, Path]) -> bool:
    if not previous or previous.get("status") not in ("ok", "skipped") or previous.get("fingerprint") != fingerprint:
        return False
    return output_hashes(stage, folders) == previous.get("outputs")


# ---------------------------------------------------------------- state on disk

def process_alive(pid: int) -> bool:
    """Whether a process of this machine is still running (a zombie counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: trust kill(0)
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _is_kernel(pid: int) -> bool:
    """A kernel, a fork of one, or the run's process for the quality checks."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"ipykernel" in cmdline or b"helpers.quality_worker" in cmdline


def live_processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, process group) of every process of this machine that has not ended
    (zombies left out). Linux /proc; elsewhere none."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            # after the command, which may hold spaces and parentheses: state, ppid, pgrp
            state, ppid, pgrp = (entry / "stat").read_text().rsplit(")", 1)[-1].split()[:3]
        except (OSError, ValueError):
            continue
        if state not in ("Z", "X"):
            found.append((int(entry.name), int(ppid), int(pgrp)))
    return found


def _kernel_processes(groups: set[int]) -> list[int]:
    """Live processes in the given process groups (a kernel leads its own) that are kernels or
    forks of one. Linux /proc; elsewhere none are found and the kernels' own exit must do."""
    if not groups:
        return []
    return sorted(pid for pid, _, pgrp in live_processes() if pgrp in groups and _is_kernel(pid))


class StudyState:
    """The .study folder: lock, staging, and the publish journal."""

    def __init__(self, root: Path, processed_dir: Path, output_dir: Path):
        self.root = root
        self.dir = output_dir.parent / STATE_DIR_NAME
        self.staging = self.dir / "staging"
        self.previous = self.dir / "previous"
        self.journal = self.dir / "publish.json"
        self.lock_file = self.dir / "lock"
        self.destinations = {PROCESSED: processed_dir, OUTPUT: output_dir}
        self.stale_note: str | None = None
        self._lock_fd: int | None = None
        self._holder: dict = {}
        self._holder_guard = threading.Lock()

    # The lock is an flock on .study/lock, which the operating system releases when the
    # process holding it ends, however it ends. The file also says who holds it (pid, host,
    # start, the kernels it runs), so a refused run can name the holder, and a lock whose
    # recorded holder has died is known to be stale even if a leftover process holds the flock.

    @contextlib.contextmanager
    def locked(self):
        with _writing("taking the study's lock", self.dir.parent):
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, stale = self._acquire()
        self._lock_fd = fd
        try:
            self.stale_note = self._take_over(stale) if stale else None
            self._write_holder({"pid": os.getpid(), "host": socket.gethostname(), "started": _now(),
                                "kernels": []})
            yield
        finally:
            with self._holder_guard:  # a worker thread may be noting a kernel
                self._lock_fd = None
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)  # released: no holder to name
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    def _acquire(self) -> tuple[int, dict | None]:
        """Lock the file; return its descriptor and the record of a previous holder that did
        not release it (a killed run), if any."""
        broken = None
        while True:
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                inode = os.fstat(fd).st_ino
                os.close(fd)
                ours = holder.get("host") == socket.gethostname()
                if holder.get("pid") and ours and not process_alive(holder["pid"]):
                    # the flock outlived the run that took it (a descriptor inherited by some
                    # other process): the file is replaced, so the next open gets a free lock
                    with contextlib.suppress(FileNotFoundError):
                        if os.stat(self.lock_file).st_ino == inode:
                            os.unlink(self.lock_file)
                    broken = holder
                    continue
                who = f"process {holder['pid']} since {holder.get('started')}" if holder.get("pid") else "another process"
                raise RunError(f"another run of the study is in progress ({who}; "
                               f"lock {self.lock_file} is held)") from None
            try:
                same = os.stat(self.lock_file).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # replaced by a run breaking a stale lock meanwhile: take the new file
                os.close(fd)
                continue
            holder = _read_holder(fd)
            return fd, (holder if holder.get("pid") else broken)

    def _take_over(self, stale: dict) -> str:
        """The previous run ended without releasing its lock (it was killed). Its kernels end
        by themselves within a second of their parent (ipykernel watches it), but processes a
        notebook forked (a process pool) stay, waiting on a queue no one writes to. Wait for
        the kernels, then end what is left of their process groups, so that nothing of the
        killed run still writes into the staging folder this run is about to remove."""
        kernels = set()
        if stale.get("host") == socket.gethostname():  # process ids of this machine only
            kernels = {pid for pid in stale.get("kernels", []) if isinstance(pid, int)}
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(process_alive(pid) and _is_kernel(pid) for pid in kernels):
            time.sleep(0.2)
        for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 0)):
            left = _kernel_processes(kernels)
            for pid in left:
                with contextlib.suppress(OSError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + wait
            while left and time.monotonic() < deadline:
                time.sleep(0.1)
                left = [pid for pid in left if process_alive(pid)]
        return (f"a previous run (process {stale['pid']}, started {stale.get('started')}) did not finish; "
                "its lock was stale")

    def _write_holder(self, holder: dict) -> None:
        with self._holder_guard:
            self._holder = holder
            fd = self._lock_fd
            if fd is None:
                return
            data = (json.dumps(holder) + "\n").encode()
            os.ftruncate(fd, 0)
            os.pwrite(fd, data, 0)

    def note_kernels(self, pids: list[int]) -> None:
        """Record the kernels this run is running, for the next run if this one is killed."""
        self._write_holder({**self._holder, "kernels": sorted(set(pids))})

    def staged(self, kind: str) -> Path:
        return self.staging / kind

    def recover(self) -> str | None:
        """Finish a publish that was interrupted, or drop a run that never reached it."""
        if self.journal.is_file():
            self._roll_forward()
            return "finished publishing an interrupted run"
        if self.staging.exists():
            shutil.rmtree(self.staging)
            return "removed the staging folder of an interrupted run"
        return None

    def prepare_staging(self) -> dict[str, Path]:
        """Staging starts as a copy of what is published, so skipped stages keep their outputs."""
        if self.staging.exists():
            shutil.rmtree(self.staging)
        folders = {}
        for kind, dest in self.destinations.items():
            target = self.staged(kind)
            if dest.is_dir():
                copy_tree(dest, target)
            else:
                target.mkdir(parents=True)
            folders[kind] = target
        return folders

    def publish(self) -> None:
        """Swap the staging folders in. The journal lets an interrupted swap be finished."""
        journal = {kind: str(dest) for kind, dest in self.destinations.items()}
        write_text_atomic(self.journal, json.dumps(journal, indent=2))
        self._roll_forward()

    def _roll_forward(self) -> None:
        journal = json.loads(self.journal.read_text(encoding="utf-8"))
        for kind, dest in journal.items():
            dest = Path(dest)
            staged = self.staged(kind)
            previous = self.previous / kind
            if not staged.exists():
                continue  # this folder was already swapped in
            if dest.exists() and not previous.exists():
                previous.parent.mkdir(parents=True, exist_ok=True)
                move_folder(dest, previous)
            elif dest.exists():
                shutil.rmtree(dest)  # previous already holds the old copy
            dest.parent.mkdir(parents=True, exist_ok=True)
            move_folder(staged, dest)
        shutil.rmtree(self.previous, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)
        self.journal.unlink()

    def discard_staging(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _read_holder(fd: int) -> dict:
    try:
        data = os.pread(fd, 4096, 0)
        holder = json.loads(data) if data.strip() else {}
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def move_folder(source: Path, target: Path) -> None:
    """Rename a folder: done whole or not at all. Not shutil.move, which on any failed rename
    copies and then deletes, so that a folder turned read-only would be emptied before the
    delete fails; only a move to another file system is copied so."""
    try:
        os.rename(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.move(str(source), str(target))


def copy_tree(source: Path, target: Path) -> None:
    """Copy a folder, stopping at the first error as it is. (shutil.copytree gathers the
    errors into one shutil.Error without an errno, so a full disk could not be told apart.)"""
    target.mkdir(parents=True)
    for path in sorted(source.rglob("*")):
        dest = target / path.relative_to(source)
        if path.is_dir() and not path.is_symlink():
            dest.mkdir()
        else:
            shutil.copy2(path, dest)


# ---------------------------------------------------------------- manifest

def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def git_state(root: Path) -> dict:
    def git(*args):
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20)
    try:
        head = git("rev-parse", "HEAD")
        status = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.TimeoutExpired):
        return {"commit": None, "dirty": None}
    if head.returncode != 0:
        return {"commit": None, "dirty": None}
    return {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip())}


def package_versions() -> dict[str, str]:
    from importlib import metadata

    versions = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            versions[re.sub(r"[-_.]+", "-", name).lower()] = dist.version  # PEP 503 names
    return dict(sorted(versions.items()))


def read_manifest(output_dir: Path) -> dict | None:
    path = output_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


def detect_synthetic(params: dict, root: Path) -> bool:
    """Before a stage has said so: does the NYPS input carry the synthetic marker?"""
    path = resolve(params["nyps_path"], root)
    try:
        if path.suffix.lower() == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                return any(
                    SYNTHETIC_MARKER in zf.read(name)[: 1 << 20]
                    for name in zf.namelist()
                    if name.startswith("xl/") and name.endswith(".xml")
                )
        with open(path, "rb") as fh:
            return SYNTHETIC_MARKER in fh.read(1 << 16).upper()
    except (OSError, zipfile.BadZipFile):
        return False


# ---------------------------------------------------------------- one stage

def shown_path(path: Path, root: Path) -> str:
    """Relative to the project root where possible, as params.yaml writes paths."""
    path = Path(path)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def notebook_parameters(stage: Stage, params: dict, folders: dict[str, Path], root: Path) -> dict:
    """The values papermill injects: the stage's own parameters, writing into staging."""
    values = {name: params[name] for name in stage.parameters}
    if "processed_dir" in values:
        values["processed_dir"] = shown_path(folders[PROCESSED], root)
    if "output_dir" in values:
        values["output_dir"] = shown_path(folders[OUTPUT], root)
    return values


class _Kernels:
    """The kernels papermill starts for this process's running stages. When the run is stopped
    (SIGTERM, Ctrl-C) its main thread kills them: the worker threads waiting on them then see
    a dead kernel and end, so the run stops within seconds, not at the end of a notebook."""

    def __init__(self):
        self._guard = threading.Lock()
        self._pids: set[int] = set()
        self._stopping = False
        self.listener: Callable[[list[int]], None] | None = None

    def reset(self, listener: Callable[[list[int]], None] | None = None) -> None:
        with self._guard:
            self._stopping = False
            self.listener = listener

    def started(self, pid: int) -> None:
        with self._guard:
            self._pids.add(pid)
            pids, stopping, listener = sorted(self._pids), self._stopping, self.listener
        if stopping:  # started by a worker after the run was stopped
            _kill_kernel(pid)
        elif listener:
            listener(pids)

    def ended(self, pid: int) -> None:
        with self._guard:
            self._pids.discard(pid)
            pids, listener = sorted(self._pids), self.listener
        if listener:
            listener(pids)

    @property
    def stopping(self) -> bool:
        return self._stopping

    def stop(self) -> list[int]:
        """Kill every running kernel, and from now on every kernel as it starts."""
        with self._guard:
            self._stopping = True
            pids = sorted(self._pids)
        for pid in pids:
            _kill_kernel(pid)
        return pids


def _kill_kernel(pid: int) -> None:
    # the kernel leads its own session (jupyter_client starts it so): end the group, which
    # holds anything the notebook started too
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)


KERNELS = _Kernels()
_KERNEL_MANAGER = None


# Jupyter's packages are imported on first use, by whichever thread of the run needs them
# first (a stage's, a warm kernel's), and one thread at a time: two threads importing
# overlapping parts of jupyter_client, nbclient and papermill at once can each find the
# other's module half-initialised (an ImportError "most likely due to a circular import").
_IMPORTS = threading.RLock()


def _kernel_manager_class():
    """An AsyncKernelManager (nbclient's default) that reports the kernels it starts; built
    on first use, so that the no-op path does not import jupyter_client."""
    if _KERNEL_MANAGER is None:
        with _IMPORTS:
            _build_kernel_manager_class()
    return _KERNEL_MANAGER


def _build_kernel_manager_class():
    global _KERNEL_MANAGER
    if _KERNEL_MANAGER is None:
        from jupyter_client import AsyncKernelManager

        class TrackedKernelManager(AsyncKernelManager):
            async def _async_launch_kernel(self, kernel_cmd, **kw):
                await super()._async_launch_kernel(kernel_cmd, **kw)
                self._study_pid = self.provisioner.pid
                KERNELS.started(self._study_pid)

            async def _async_cleanup_resources(self, restart: bool = False) -> None:
                await super()._async_cleanup_resources(restart=restart)
                if getattr(self, "_study_pid", None):
                    KERNELS.ended(self._study_pid)

        _KERNEL_MANAGER = TrackedKernelManager
    return _KERNEL_MANAGER


_ENGINE = "study"


def _register_engine() -> None:
    """papermill's nbclient engine, with one change: the kernel is shut down and the client's
    channels closed after the notebook even when the runner started the kernel itself (a warm
    kernel; nbclient leaves a kernel it did not start running)."""
    with _IMPORTS:
        _kernel_manager_class()  # jupyter_client first: papermill imports it too
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.engines import NBClientEngine, papermill_engines
        from papermill.utils import merge_kwargs, remove_args

        if _ENGINE in papermill_engines._engines:
            return

        class StudyEngine(NBClientEngine):
            @classmethod
            def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                         stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
                import logging

                kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
                final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                                     kernel_name=kernel_name, log=logging.getLogger("papermill"),
                                     log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
                return PapermillNotebookClient(nb_man, **final).execute(cleanup_kc=True)

        papermill_engines.register(_ENGINE, StudyEngine)


def _start_warm_kernel(stage: Stage, root: Path, ahead: bool = True, startup_timeout: float = 120,
                       launched: Callable[[], None] = lambda: None):
    """Start a stage's kernel with the modules its notebook imports already loaded (see
    helpers.warm); wait until it answers; return its kernel manager. A kernel started `ahead`
    of its stage loads them on idle CPU time only. `launched` is called once the kernel's
    process is started (and the modules that takes are imported here)."""
    import asyncio

    from . import warm

    env = {**os.environ, warm.ENV: ",".join(warm.notebook_imports(root / stage.notebook))}
    if ahead:  # while other stages run, it takes only the CPU time they leave
        env[warm.IDLE_ENV] = "1"
    km = _kernel_manager_class()(kernel_name=KERNEL_NAME)

    async def start():
        with _IMPORTS:  # starting the first kernel imports IPython and more
            await km.start_kernel(cwd=str(root / "notebooks"), env=env,
                                  extra_arguments=[f"--IPKernelApp.extra_extensions={warm.__name__}"])
        launched()
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=startup_timeout)
        finally:
            client.stop_channels()

    try:
        asyncio.run(start())
    except BaseException:
        _shutdown(km)
        raise
    return km


def _shutdown(km) -> None:
    import asyncio

    with contextlib.suppress(Exception):
        asyncio.run(km.shutdown_kernel(now=True))


class _QualityService:
    """The run's process for the expectation suites (helpers.quality_worker): Great Expectations
    is loaded once, while the first stage starts, instead of once in every kernel. Its address
    and key reach the kernels through the environment."""

    def __init__(self, root: Path):
        import secrets
        import sys
        import tempfile

        from . import quality_worker

        # a short folder of its own: a Unix socket's path may not exceed about 100 bytes
        self.folder = Path(tempfile.mkdtemp(prefix="study-quality-"))
        self.env = {quality_worker.SERVICE_ENV: str(self.folder / "socket"),
                    quality_worker.KEY_ENV: secrets.token_hex(16)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "helpers.quality_worker", "serve", self.env[quality_worker.SERVICE_ENV]],
            env={**os.environ, **self.env}, cwd=root, stdin=subprocess.DEVNULL, start_new_session=True)
        KERNELS.started(self.process.pid)
        self._saved = {name: os.environ.get(name) for name in self.env}
        os.environ.update(self.env)  # every kernel of the run inherits it

    def close(self) -> None:
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _kill_kernel(self.process.pid)
        self.process.wait()
        KERNELS.ended(self.process.pid)
        shutil.rmtree(self.folder, ignore_errors=True)


class _WarmKernels:
    """Kernels started ahead of their stages, while the stages they depend on run: starting a
    kernel and importing pandas, matplotlib and the study's modules takes a few seconds that
    would otherwise come between one stage and the next. A kernel for a later stage starts
    only once the kernels of the stages it waits on are up, so that it does not slow their
    start on a machine with few cores. A stage that has no warm kernel (or whose kernel failed
    to start) gets one from papermill as usual."""

    def __init__(self, root: Path, limit: int):
        from concurrent.futures import ThreadPoolExecutor

        self.root, self.limit = root, limit
        self._pool = ThreadPoolExecutor(max_workers=2 * max(1, limit), thread_name_prefix="warm-kernel")
        self._kernels: dict[str, object] = {}  # slug -> Future of a kernel manager
        self._up: dict[str, threading.Event] = {}  # slug -> set when its kernel is up (or failed)
        self._launched: dict[str, threading.Event] = {}  # slug -> set when its process started (or failed)
        self._closing = threading.Event()

    def warm(self, stage: Stage, now: bool = False, after: tuple[Stage, ...] = ()) -> None:
        """Start the stage's kernel: `now` for a stage about to run, else only while fewer than
        `limit` kernels wait, and once the kernels of the stages `after` are up."""
        if stage.slug in self._kernels or (not now and len(self._kernels) >= self.limit):
            return
        up = self._up.setdefault(stage.slug, threading.Event())
        launched = self._launched.setdefault(stage.slug, threading.Event())
        waits = [self._up[s.slug] for s in after if s.slug in self._up]

        def start():
            try:
                for event in waits:
                    event.wait(timeout=120)
                if self._closing.is_set():
                    raise RuntimeError("the run ended before the kernel was needed")
                return _start_warm_kernel(stage, self.root, ahead=not now, launched=launched.set)
            finally:
                launched.set()
                up.set()
        self._kernels[stage.slug] = self._pool.submit(start)

    def wait_launched(self, stage: Stage, timeout: float = 30) -> None:
        """Wait until the stage's kernel process has started (so that it boots while the
        caller imports papermill), if the stage has a warm kernel."""
        event = self._launched.get(stage.slug)
        if event is not None and stage.slug in self._kernels:
            event.wait(timeout)

    def take(self, stage: Stage):
        """The stage's warm kernel manager (waiting for its start), or None."""
        future = self._kernels.pop(stage.slug, None)
        if future is None:
            return None
        try:
            return future.result()
        except Exception:  # noqa: BLE001 - papermill starts one and reports what goes wrong
            return None

    def discard(self, stage: Stage | None = None) -> None:
        """Shut down the warm kernels of a stage that will not run (or of every stage)."""
        slugs = [stage.slug] if stage is not None else list(self._kernels)
        for slug in slugs:
            future = self._kernels.pop(slug, None)
            if future is not None:
                future.add_done_callback(lambda f: f.exception() is None and _shutdown(f.result()))

    def close(self) -> None:
        self._closing.set()
        self.discard()
        self._pool.shutdown(wait=True)


_KERNEL_OS_ERROR = re.compile(r"^\[Errno (\d+)\] ([^:]+?)(?:: '(.*)')?$")


def _kernel_storage_error(ename: str, evalue: str) -> OSError | None:
    """A notebook cell that failed because the disk is full (or the file system is read-only)
    is a storage problem of the run, not an error of the stage's analysis."""
    if ename not in ("OSError", "IOError"):
        return None
    m = _KERNEL_OS_ERROR.match(evalue.strip())
    if not m or int(m.group(1)) not in (*_NO_SPACE, errno.EROFS):
        return None
    return OSError(int(m.group(1)), m.group(2), m.group(3))


def execute_stage(stage: Stage, params: dict, folders: dict[str, Path], root: Path, km=None) -> None:
    """Run the notebook with papermill (in the warm kernel `km` when given); raise StageFailure
    naming the cell on error, or the OSError of a full or read-only disk. Safe to call from
    several threads at once."""
    import logging

    _register_engine()  # imports papermill, one thread at a time
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    pages = notebook_pages(stage.slug)
    executed = folders[OUTPUT] / pages["ipynb"]
    log_path = folders[OUTPUT] / pages["log"]
    executed.parent.mkdir(parents=True, exist_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # stale outputs must not pass for new ones
    for kind, rel in [*stage.outputs.values(), *(quality_result(s) for s in stage.suites)]:
        (folders[kind] / rel).unlink(missing_ok=True)

    logger = logging.getLogger("papermill")
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    # papermill has one logger; each stage's log takes only what its own thread logged
    handler.addFilter(lambda record, thread=threading.get_ident(): record.thread == thread)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        pm.execute_notebook(
            str(root / stage.notebook),
            str(executed),
            parameters=notebook_parameters(stage, params, folders, root),
            kernel_name=KERNEL_NAME,
            execution_timeout=params["cell_timeout"],
            log_output=True,
            progress_bar=False,
            # The kernel starts in notebooks/ (nbclient passes this path as its cwd), not
            # papermill's cwd=..., which changes the directory of the whole process and so of
            # every other stage running at the time.
            resources={"metadata": {"path": str(root / "notebooks")}},
            kernel_manager_class=_kernel_manager_class(),
            engine_name=_ENGINE,
            km=km,
            # the notebook's files are written and closed when its last cell ends: a graceful
            # shutdown would only wait a second for the kernel to exit
            shutdown_kernel="immediate",
        )
    except PapermillExecutionError as exc:
        disk = _kernel_storage_error(exc.ename, exc.evalue)
        if disk is not None:
            raise disk from None
        error = f"{exc.ename}: {exc.evalue}".strip()
        raise StageFailure(stage, error, cell=f"In [{exc.exec_count}]",
                           link=f"{pages['auditor']}#papermill-error-cell") from None
    except OSError as exc:
        if exc.errno in STORAGE_ERRNOS:
            raise  # papermill could not write the executed notebook: the run's problem
        raise StageFailure(stage, f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # kernel missing, timeout, unreadable notebook, kernel killed
        name = type(exc).__name__
        if "NoSuchKernel" in name:
            raise StageFailure(stage, f"Jupyter kernel '{KERNEL_NAME}' is not installed; run 'make setup'") from None
        link = f"{pages['auditor']}#papermill-error-cell" if executed.is_file() else None
        raise StageFailure(stage, f"{name}: {exc}", link=link) from None
    finally:
        logger.removeHandler(handler)
        handler.close()
        if km is not None and km.has_kernel:  # papermill stopped before it used the kernel
            _shutdown(km)

    missing = [f"{kind}/{rel}" for kind, rel in stage.outputs.values() if not (folders[kind] / rel).is_file()]
    if missing:
        raise StageFailure(stage, f"the notebook did not write its declared output(s): {', '.join(missing)}",
                           link=pages["auditor"])
    for suite in stage.suites:
        kind, rel = quality_result(suite)
        if not (folders[kind] / rel).is_file():
            raise StageFailure(stage, f"the notebook did not run its expectation suite '{suite}'", link=pages["auditor"])


def suite_summaries(stage: Stage, output_dir: Path) -> list[dict]:
    rows = []
    for suite in stage.suites:
        kind, rel = quality_result(suite)
        path = output_dir / rel
        if path.is_file():
            result = json.loads(path.read_text(encoding="utf-8"))
            rows.append({"suite": suite, "success": result["success"], "evaluated": result["evaluated"],
                         "successful": result["successful"], "result": rel})
        else:
            rows.append({"suite": suite, "success": None, "evaluated": 0, "successful": 0, "result": None})
    return rows


def render_stage(stage: Stage, output_dir: Path, synthetic: bool) -> None:
    with _IMPORTS:  # nbconvert, on first use
        from . import render

    pages = notebook_pages(stage.slug)
    executed = output_dir / pages["ipynb"]
    if executed.is_file():
        render.render_notebook(executed, output_dir, stage.slug, f"{stage.number} {stage.title}", synthetic)
    results = []
    for suite in stage.suites:
        kind, rel = quality_result(suite)
        if (output_dir / rel).is_file():
            results.append(json.loads((output_dir / rel).read_text(encoding="utf-8")))
    render.render_quality_page(output_dir, stage.slug, f"{stage.number} {stage.title}", results, synthetic)


# ---------------------------------------------------------------- the index

def stage_view(stage: Stage, record: dict | None, output_dir: Path) -> dict:
    """What the index shows of one stage, from its manifest record and the files present."""
    record = record or {"status": "not_run"}
    text, css = STATUS_TEXT[record["status"]]
    pages = notebook_pages(stage.slug)
    links = []
    for key, label in (("reader", "Läsversion"), ("auditor", "Granskningsversion (kod)"),
                       ("ipynb", "Notebook (.ipynb)"), ("log", "Logg"), ("quality", "Datakvalitet")):
        if (output_dir / pages[key]).is_file():
            links.append({"href": pages[key], "text": label})
    kind, rel = stage_record(stage.slug)
    stage_rec = read_stage_record(output_dir / rel) or {}
    titles = stage_rec.get("figurer", {})
    figures, tables = [], []
    for key, (kind, rel) in stage.outputs.items():
        if kind != OUTPUT or not (output_dir / rel).is_file():
            continue
        if rel.endswith(".png"):
            svg = rel[:-4] + ".svg"
            figures.append({"png": rel, "svg": svg, "name": titles.get(key, Path(rel).stem)})
        elif rel.startswith(("tables/", "fynd/", "granskning/")):
            tables.append(rel)
    return {
        "number": stage.number,
        "slug": stage.slug,
        "title": stage.title,
        "status_text": text,
        "status_class": css,
        "duration_s": record.get("duration_s"),
        "suites": record.get("suites") or suite_summaries(stage, output_dir),
        "pages": pages,
        "links": links,
        "figures": figures,
        "tables": tables,
        "key_figures": stage_rec.get("nyckeltal", []),
        "parameters": {k: v for k, v in (record.get("parameters") or {}).items()},
    }


def write_report(output_dir: Path, manifest: dict, failed: dict | None = None) -> None:
    """The run's manifest and front page; after a complete run also the whole study as one
    self-contained page (rapport.html) and, when a PDF engine is there, rapport.pdf."""
    from . import pdf, render, report
    from .conclusions.evidence import read_verdicts

    records = {r["slug"]: r for r in manifest["stages"]}
    views = [stage_view(s, records.get(s.slug), output_dir) for s in STAGES]
    write_text_atomic(output_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    answers = read_verdicts(output_dir / VERDICTS_FILE)
    built = None
    if failed is None:
        pages = [(s.number, s.title, output_dir / notebook_pages(s.slug)["reader"]) for s in STAGES
                 if (output_dir / notebook_pages(s.slug)["reader"]).is_file()]
        front = render.render_answers(answers) if answers else ""
        html_path = report.build_report(output_dir, pages, front, bool(manifest.get("synthetic")))
        (output_dir / REPORT_PDF).unlink(missing_ok=True)
        built = {"html": html_path.name, "pdf": pdf.print_pdf(html_path, output_dir / REPORT_PDF) is not None}
    render.render_index(output_dir, manifest, views, failed, answers=answers, report=built)


# ---------------------------------------------------------------- the run

def select_stages(only: str | None, start: str | None) -> list[Stage]:
    if only and start:
        raise RunError("use either --only or --from, not both")
    if only:  # one stage, or several separated by commas ("01,02")
        chosen = {find(name).slug for name in only.split(",") if name.strip()}
        if not chosen:
            raise RunError("--only needs a stage number or name")
        return [s for s in STAGES if s.slug in chosen]
    if start:
        first = find(start)
        return [s for s in STAGES if int(s.number) >= int(first.number)]
    return list(STAGES)


def dependency_graph(stages: tuple[Stage, ...] = STAGES) -> dict[str, tuple[str, ...]]:
    """Stage number -> the numbers of the stages it needs: those that declare as an output a
    file it declares as upstream. A dependency must come earlier in the registry."""
    producer: dict[tuple[str, str], Stage] = {}
    for stage in stages:
        for declared in stage.outputs.values():
            producer[declared] = stage
    order = {s.number: i for i, s in enumerate(stages)}
    graph = {}
    for stage in stages:
        needs = sorted({producer[u].number for u in stage.upstream.values() if u in producer} - {stage.number})
        for number in needs:
            if order[number] > order[stage.number]:
                raise RunError(f"stage {stage.number} {stage.name} reads an output of the later stage {number}; "
                               "the registry must list stages in dependency order")
        graph[stage.number] = tuple(needs)
    return graph


def ancestors(number: str, graph: dict[str, tuple[str, ...]]) -> set[str]:
    found, todo = set(), list(graph[number])
    while todo:
        n = todo.pop()
        if n not in found:
            found.add(n)
            todo.extend(graph[n])
    return found


def default_workers() -> int:
    return os.cpu_count() or 2


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def _serialised(say: Callable[[str], None]) -> Callable[[str], None]:
    guard = threading.Lock()

    def locked_say(message: str) -> None:
        with guard:
            say(message)
    return locked_say


@dataclass
class _Done:
    """What a worker thread hands back to the main thread."""
    stage: Stage
    failure: StageFailure | None = None
    error: BaseException | None = None  # anything else: a full disk, a bug
    synthetic: bool = False  # the flag the stage's pages were rendered with
    result: dict | None = None
    # only that the notebook ran through: the stages after it may start while its pages render
    executed: bool = False


class _Schedule:
    """Runs the selected stages in staging, each as soon as the stages it needs are done, at
    most `workers` at a time. Decisions (skip, run, not run) and messages are the main
    thread's; a worker thread only executes and renders one stage."""

    STOP_WAIT_S = 30  # how long a stopped run waits for its workers after killing their kernels

    def __init__(self, *, selected, params, folders, published, root, code_hash, prev_records, force,
                 say, t0, workers, synthetic):
        self.selected, self.params, self.folders, self.published = selected, params, folders, published
        self.root, self.code_hash, self.prev_records, self.force = root, code_hash, prev_records, force
        self.say, self.t0, self.workers, self.synthetic = say, t0, max(1, workers), synthetic
        self.graph = dependency_graph(STAGES)
        self.records: dict[str, dict] = {}
        self.inputs: dict[str, dict[str, str]] = {}
        self.fingerprints: dict[str, tuple[str, dict[str, str]]] = {}
        self.finished: set[str] = set()  # stage numbers whose outputs later stages may read
        self.running: dict[str, threading.Thread] = {}  # executing or rendering
        self.executing: set[str] = set()  # slugs whose notebook runs: at most `workers`
        # kernels for the stages next in line, started while the stages they need run
        self.warm = _WarmKernels(root, self.workers) if self.workers > 1 else None
        self.failures: list[StageFailure] = []
        self.error: tuple[Stage, BaseException] | None = None
        self.rendered_with: dict[str, bool] = {}
        self.done: queue.Queue[_Done] = queue.Queue()
        self.launched: dict[str, tuple[int, dict]] = {}  # slug -> (position, record so far)
        self.stopped_cleanly = True

    # ------------------------------------------------ main thread

    def run(self) -> None:
        # jupyter_client now, in this thread: the kernels' threads then start without waiting
        # for a stage's thread that holds the import lock while it loads papermill
        _kernel_manager_class()
        try:
            while True:
                if not self.failures and self.error is None:
                    self._start_ready()
                if not self.running:
                    break
                self._finish(self.done.get())
        except BaseException:  # SIGTERM, Ctrl-C, or an error in the main thread
            self._stop()
            raise
        finally:
            if self.warm is not None:
                self.warm.close()
        if self.error is not None:
            stage, exc = self.error
            if isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS:
                doing = f"running stage {stage.number} {stage.name}"
                raise storage_error(exc, self.folders[OUTPUT], doing) from exc
            raise exc

    def _start_ready(self) -> None:
        progress = True
        while progress:
            progress = False
            for k, stage in enumerate(STAGES, start=1):
                if stage.slug in self.records or stage.slug in self.running:
                    continue
                if any(dep not in self.finished for dep in self.graph[stage.number]):
                    continue
                prev = self.prev_records.get(stage.slug)
                if stage not in self.selected:
                    kept = dict(prev) if prev else {"slug": stage.slug, "number": stage.number, "name": stage.name}
                    kept["status"] = "not_selected" if not prev else (
                        "skipped" if prev.get("status") in ("ok", "skipped") else prev["status"])
                    self._decided(stage, kept)
                    progress = True
                    continue
                if stage.slug not in self.fingerprints:
                    fp, inputs = stage_fingerprint(stage, self.params, self.folders, self.root, self.code_hash)
                    self.fingerprints[stage.slug] = (fp, inputs)
                    self.inputs[stage.slug] = {key: sha for key, sha in inputs.items()
                                               if not key.startswith((PROCESSED + "/", OUTPUT + "/"))}
                fp, inputs = self.fingerprints[stage.slug]
                if not self.force and is_up_to_date(stage, prev, fp, self.folders):
                    self.say(f"[{k}/{len(STAGES)}] {stage.number} {stage.name}: "
                             "unchanged since its last successful run, skipped")
                    self._decided(stage, {**prev, "status": "skipped"})
                    progress = True
                    continue
                if len(self.executing) < self.workers:
                    self._launch(k, stage, fp, inputs)
        self._warm_next()

    def _warm_next(self) -> None:
        """Start kernels for the selected stages that wait only on stages now executing."""
        if self.warm is None:
            return
        executing = tuple(s for s in STAGES if s.slug in self.executing)
        numbers = {s.number for s in executing}
        for stage in self.selected:
            deps = set(self.graph[stage.number])
            if (stage.slug in self.records or stage.slug in self.running or not deps & numbers
                    or not deps <= self.finished | numbers):
                continue
            self.warm.warm(stage, after=executing)

    def _decided(self, stage: Stage, record: dict) -> None:
        self.records[stage.slug] = record
        self.finished.add(stage.number)
        if self.warm is not None:
            self.warm.discard(stage)

    def _launch(self, k: int, stage: Stage, fp: str, inputs: dict[str, str]) -> None:
        elapsed = time.monotonic() - self.t0
        self.say(f"[{k}/{len(STAGES)}] {stage.number} {stage.name}: running ({elapsed:.0f} s elapsed)")
        record = {"slug": stage.slug, "number": stage.number, "name": stage.name, "title": stage.title,
                  "notebook": stage.notebook.as_posix(), "started": _now(), "fingerprint": fp,
                  "inputs": inputs,
                  "parameters": notebook_parameters(stage, self.params, self.published, self.root)}
        # daemon: a worker that does not end when the run is stopped must not keep the
        # process alive (concurrent.futures joins its threads at exit)
        if self.warm is not None:
            # the kernel loads its modules while this process loads papermill (about 1.5 s)
            self.warm.warm(stage, now=True)
        thread = threading.Thread(target=self._work, args=(stage, record), name=f"stage-{stage.slug}", daemon=True)
        self.running[stage.slug] = thread
        self.executing.add(stage.slug)
        self.launched[stage.slug] = (k, record)
        thread.start()

    def _finish(self, done: _Done) -> None:
        stage = done.stage
        self.executing.discard(stage.slug)
        if done.executed:
            self.finished.add(stage.number)
            return
        self.running.pop(stage.slug).join()
        k, record = self.launched[stage.slug]
        n = len(STAGES)
        if done.error is not None:
            self.error = self.error or (stage, done.error)
            message = f"{type(done.error).__name__}: {done.error}"
            record.update({"finished": _now(), "status": "failed",
                           "error": {"message": message, "cell": None, "link": None}})
            self.records[stage.slug] = record
            self.say(f"[{k}/{n}] {stage.number} {stage.name}: stopped by an error ({type(done.error).__name__})")
            return
        self.rendered_with[stage.slug] = done.synthetic
        record.update(done.result)
        if done.failure is not None:
            self.failures.append(done.failure)
            record["error"] = {"message": done.failure.error, "cell": done.failure.cell, "link": done.failure.link}
            self.say(f"[{k}/{n}] {stage.number} {stage.name}: FAILED after {record['duration_s']:.1f} s")
        else:
            self.finished.add(stage.number)
            self.say(f"[{k}/{n}] {stage.number} {stage.name}: done in {record['duration_s']:.1f} s")
        self.records[stage.slug] = record

    def _stop(self) -> None:
        """Stop the running stages: kill their kernels (and any a worker starts from now on),
        then wait a while for the threads to notice and end."""
        if not self.running:
            return
        self.stopped_cleanly = False  # until every worker is seen to end
        KERNELS.stop()
        deadline = time.monotonic() + self.STOP_WAIT_S
        while self.running and time.monotonic() < deadline:
            try:
                done = self.done.get(timeout=0.5)
            except queue.Empty:
                continue
            if not done.executed:
                self.running.pop(done.stage.slug).join()
        self.stopped_cleanly = not self.running

    # ------------------------------------------------ worker threads

    def _work(self, stage: Stage, record: dict) -> None:
        s0 = time.monotonic()
        try:
            failure = None
            if self.warm is not None:
                self.warm.wait_launched(stage)
            _register_engine()  # papermill loads (about 1.5 s) while the kernel boots
            try:
                execute_stage(stage, self.params, self.folders, self.root,
                              km=self.warm.take(stage) if self.warm is not None else None)
            except StageFailure as exc:
                failure = exc
            if failure is None and not KERNELS.stopping:
                self.done.put(_Done(stage, executed=True))
            if KERNELS.stopping:  # the run was stopped: its pages will not be published
                self.done.put(_Done(stage, failure=failure, result={
                    "finished": _now(), "duration_s": round(time.monotonic() - s0, 2), "status": "failed"}))
                return
            synthetic = self._synthetic_for(stage)
            render_stage(stage, self.folders[OUTPUT], synthetic)
            result = {"finished": _now(), "duration_s": round(time.monotonic() - s0, 2),
                      "status": "failed" if failure else "ok",
                      "suites": suite_summaries(stage, self.folders[OUTPUT]),
                      "outputs": None if failure else output_hashes(stage, self.folders)}
            self.done.put(_Done(stage, failure=failure, synthetic=synthetic, result=result))
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which decides
            self.done.put(_Done(stage, error=exc))

    # ------------------------------------------------ results

    def _synthetic_for(self, stage: Stage) -> bool:
        """Whether a stage's pages say 'synthetic': the input was marked so, or the stage or
        one it builds on said so in its record. From the dependencies only, never from what
        happened to finish first, so the pages are the same in a parallel and a serial run."""
        if self.synthetic:
            return True
        for number in {stage.number, *ancestors(stage.number, self.graph)}:
            kind, rel = stage_record(find(number).slug)
            rec = read_stage_record(self.folders[kind] / rel)
            if rec is not None and rec.get("syntetisk"):
                return True
        return False

    def records_in_order(self) -> list[dict]:
        """The manifest's stage records in registry order; a stage never started is not_run."""
        return [self.records.get(s.slug) or {"slug": s.slug, "number": s.number, "name": s.name,
                                             "status": "not_run"} for s in STAGES]

    def inputs_in_order(self) -> dict[str, str]:
        merged = {}
        for s in STAGES:
            merged.update(self.inputs.get(s.slug, {}))
        return merged

    def run_synthetic(self) -> bool:
        """The run's flag: the input's marker or any stage record present in staging."""
        if self.synthetic:
            return True
        for s in STAGES:
            kind, rel = stage_record(s.slug)
            rec = read_stage_record(self.folders[kind] / rel)
            if rec is not None and rec.get("syntetisk"):
                return True
        return False

    def failure(self) -> StageFailure | None:
        """The failure reported: that of the earliest failed stage in the registry."""
        order = {s.slug: i for i, s in enumerate(STAGES)}
        return min(self.failures, key=lambda f: order[f.stage.slug]) if self.failures else None


def run(params_file: str | None = None, overrides: list[str] = (), only: str | None = None,
        start: str | None = None, force: bool = False, say: Callable[[str], None] = print,
        serial: bool = False, workers: int | None = None) -> int:
    """Run the study; 0 when every selected stage passed (or was up to date), 1 otherwise
    (a stage failed, or the disk is full or a folder cannot be written: the message says which).
    Independent stages run in parallel on `workers` threads (default: one per CPU);
    serial=True runs one stage at a time. Raises RunError when a run cannot start, ParamError
    for a bad parameter (before anything is written), KeyboardInterrupt when stopped."""
    root = project_root()
    params = params_mod.load(params_file, list(overrides), root)
    selected = select_stages(only, start)
    processed_dir, output_dir = resolve(params["processed_dir"], root), resolve(params["output_dir"], root)
    state = StudyState(root, processed_dir, output_dir)
    say = _serialised(say)
    workers = 1 if serial else (workers or default_workers())

    # a SIGTERM ends the run like Ctrl-C: the kernels are stopped, staging stays unpublished
    main = threading.current_thread() is threading.main_thread()
    previous_handler = signal.signal(signal.SIGTERM, _terminate) if main else None
    try:
        check_writable(output_dir, processed_dir)  # a refusal is named now, not after the stages
        with state.locked():
            if state.stale_note:
                say(f"Note: {state.stale_note}.")
            return _run_locked(state, root, params, selected, params_file, overrides, force, say, workers)
    except StorageError as exc:
        if state.journal.exists():
            after = (f"Publishing stopped part-way; the next run finishes it from the journal {state.journal} "
                     "once the folder can be written.")
        else:
            after = "The outputs of the last complete run are unchanged."
        say(f"Run FAILED: {exc}.\n{after}")
        return 1
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous_handler)


def _run_locked(state: StudyState, root: Path, params: dict, selected: list[Stage], params_file, overrides,
                force: bool, say: Callable[[str], None], workers: int) -> int:
    t0 = time.monotonic()
    processed_dir, output_dir = state.destinations[PROCESSED], state.destinations[OUTPUT]
    failed_dir = output_dir.with_name(output_dir.name + ".failed")
    with _writing("finishing an interrupted run", state.dir):
        note = state.recover()
    if note:
        say(f"Recovered: {note}.")
    previous = read_manifest(output_dir)
    prev_records = {r["slug"]: r for r in (previous or {}).get("stages", [])}
    code_hash = helper_code_hash(root)
    published = {PROCESSED: processed_dir, OUTPUT: output_dir}

    if not force and previous is not None:
        fresh = []
        for stage in selected:
            fp, _ = stage_fingerprint(stage, params, published, root, code_hash)
            fresh.append(is_up_to_date(stage, prev_records.get(stage.slug), fp, published))
        if all(fresh):
            for stage in selected:
                say(f"[{stage.number}] {stage.name}: unchanged since its last successful run, skipped")
            say(f"Nothing to do: outputs in {shown_path(output_dir, root)}/ are up to date "
                f"({time.monotonic() - t0:.1f} s).")
            return 0

    schedule = None
    try:
        with _writing("preparing the staging folder", state.staging):
            folders = state.prepare_staging()
        synthetic = detect_synthetic(params, root)
        manifest = {
            "study": "Uppföljning av den nationella strategin för hållbar regional utveckling 2021–2030",
            "started": _now(),
            "finished": None,
            "duration_s": None,
            "status": "running",
            "synthetic": synthetic,
            "git": git_state(root),
            "python": {"version": platform.python_version(), "implementation": platform.python_implementation(),
                       "platform": platform.platform()},
            "packages": package_versions(),
            "params_file": str(params_file or params_mod.DEFAULT_PARAMS_FILE),
            "overrides": list(overrides),
            "parameters": params,
            "kernel": KERNEL_NAME,
            "workers": workers,
            "inputs": {},
            "stages": [],
        }
        schedule = _Schedule(selected=selected, params=params, folders=folders, published=published, root=root,
                             code_hash=code_hash, prev_records=prev_records, force=force, say=say, t0=t0,
                             workers=workers, synthetic=synthetic)
        KERNELS.reset(listener=state.note_kernels)
        service = _QualityService(root) if any(s.suites for s in selected) else None
        try:
            schedule.run()
        finally:
            if service is not None:
                service.close()
            KERNELS.reset()
        manifest["inputs"] = schedule.inputs_in_order()
        manifest["stages"] = schedule.records_in_order()
        manifest["synthetic"] = synthetic = schedule.run_synthetic()
        with _writing("rendering the stages' pages", folders[OUTPUT]):
            # a page rendered before a later stage said the data are synthetic says so too
            for stage in STAGES:
                if schedule.rendered_with.get(stage.slug) is False and synthetic:
                    render_stage(stage, folders[OUTPUT], synthetic)
        manifest["finished"] = _now()
        manifest["duration_s"] = round(time.monotonic() - t0, 2)

        failure = schedule.failure()
        if failure is not None:
            manifest["status"] = "failed"
            with _writing("writing the failed run's pages", folders[OUTPUT]):
                write_report(folders[OUTPUT], manifest, failed={
                    "stage": f"{failure.stage.number} {failure.stage.name}", "cell": failure.cell,
                    "error": failure.error, "link": failure.link})
            with _writing("keeping the failed run's pages", failed_dir.parent):
                if failed_dir.exists():
                    shutil.rmtree(failed_dir)
                move_folder(folders[OUTPUT], failed_dir)
            state.discard_staging()
            rel_failed = shown_path(failed_dir, root)
            also = [f for f in schedule.failures if f is not failure]
            say(f"Run FAILED: {failure}\n"
                + "".join(f"Also failed: {f}\n" for f in also)
                + f"The failed run's pages are in {rel_failed}/ (open {rel_failed}/index.html"
                + (f", the failing cell: {rel_failed}/{failure.link}" if failure.link else "") + ").\n"
                "The outputs of the last complete run are unchanged.")
            return 1
        manifest["status"] = "ok"
        with _writing("writing the index and the report", folders[OUTPUT]):
            write_report(folders[OUTPUT], manifest)
        with _writing("publishing the outputs", output_dir.parent):
            state.publish()
    except BaseException:
        # a run that did not reach publishing leaves nothing behind; one stopped while
        # publishing keeps its journal and staging for the next run to finish
        if not state.journal.exists() and (schedule is None or schedule.stopped_cleanly):
            state.discard_staging()
        raise
    if failed_dir.exists():
        try:
            shutil.rmtree(failed_dir)
        except OSError as exc:
            say(f"Note: could not remove the failed run's pages in {failed_dir}: {exc}")
    say(f"Study complete in {time.monotonic() - t0:.1f} s: open {shown_path(output_dir, root)}/index.html")
    return 0
