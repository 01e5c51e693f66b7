"""Running the study: each stage's notebook executed by papermill into a staging folder,
checked, rendered, and published over the previous outputs only when every stage passed.

A stage is skipped when its notebook, the helper code, its suites, its inputs and its
parameters hash the same as at its last successful run and its outputs are still there,
unchanged. Hashes are of content, never of timestamps."""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import platform
import re
import shutil
import signal
import subprocess
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

class StudyState:
    """The .study folder: lock, staging, and the publish journal."""

    def __init__(self, root: Path, processed_dir: Path, output_dir: Path):
        self.root = root
        self.dir = output_dir.parent / STATE_DIR_NAME
        self.staging = self.dir / "staging"
        self.previous = self.dir / "previous"
        self.journal = self.dir / "publish.json"
        self.destinations = {PROCESSED: processed_dir, OUTPUT: output_dir}

    @contextlib.contextmanager
    def locked(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / "lock", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RunError(f"another run of the study is in progress (lock {self.dir / 'lock'} is held)") from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

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
                shutil.copytree(dest, target)
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
                shutil.move(str(dest), str(previous))
            elif dest.exists():
                shutil.rmtree(dest)  # previous already holds the old copy
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(staged), str(dest))
        shutil.rmtree(self.previous, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)
        self.journal.unlink()

    def discard_staging(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


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


def execute_stage(stage: Stage, params: dict, folders: dict[str, Path], root: Path) -> None:
    """Run the notebook with papermill; raise StageFailure naming the cell on error."""
    import logging

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
            cwd=str(root / "notebooks"),
        )
    except PapermillExecutionError as exc:
        error = f"{exc.ename}: {exc.evalue}".strip()
        raise StageFailure(stage, error, cell=f"In [{exc.exec_count}]",
                           link=f"{pages['auditor']}#papermill-error-cell") from None
    except Exception as exc:  # kernel missing, timeout, unreadable notebook
        name = type(exc).__name__
        if "NoSuchKernel" in name:
            raise StageFailure(stage, f"Jupyter kernel '{KERNEL_NAME}' is not installed; run 'make setup'") from None
        link = f"{pages['auditor']}#papermill-error-cell" if executed.is_file() else None
        raise StageFailure(stage, f"{name}: {exc}", link=link) from None
    finally:
        logger.removeHandler(handler)
        handler.close()

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
    if only:
        return [find(only)]
    if start:
        first = find(start)
        return [s for s in STAGES if int(s.number) >= int(first.number)]
    return list(STAGES)


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def run(params_file: str | None = None, overrides: list[str] = (), only: str | None = None,
        start: str | None = None, force: bool = False, say: Callable[[str], None] = print) -> int:
    """Run the study; 0 when every selected stage passed (or was up to date), 1 otherwise."""
    root = project_root()
    params = params_mod.load(params_file, list(overrides), root)
    selected = select_stages(only, start)
    processed_dir, output_dir = resolve(params["processed_dir"], root), resolve(params["output_dir"], root)
    state = StudyState(root, processed_dir, output_dir)
    failed_dir = output_dir.with_name(output_dir.name + ".failed")
    t0 = time.monotonic()

    # a SIGTERM ends the run like Ctrl-C: papermill stops its kernel, staging stays unpublished
    previous_handler = signal.signal(signal.SIGTERM, _terminate)
    try:
        with state.locked():
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

            folders = state.prepare_staging()
            started = _now()
            synthetic = detect_synthetic(params, root)
            manifest = {
                "study": "Uppföljning av den nationella strategin för hållbar regional utveckling 2021–2030",
                "started": started,
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
                "inputs": {},
                "stages": [],
            }
            n = len(STAGES)
            failure: StageFailure | None = None
            for k, stage in enumerate(STAGES, start=1):
                prev = prev_records.get(stage.slug)
                if failure is not None:
                    manifest["stages"].append({"slug": stage.slug, "number": stage.number, "name": stage.name,
                                               "status": "not_run"})
                    continue
                if stage not in selected:
                    kept = dict(prev) if prev else {"slug": stage.slug, "number": stage.number, "name": stage.name}
                    kept["status"] = "not_selected" if not prev else ("skipped" if prev.get("status") in ("ok", "skipped") else prev["status"])
                    manifest["stages"].append(kept)
                    continue
                fp, inputs = stage_fingerprint(stage, params, folders, root, code_hash)
                manifest["inputs"].update({key: sha for key, sha in inputs.items() if not key.startswith((PROCESSED + "/", OUTPUT + "/"))})
                if not force and is_up_to_date(stage, prev, fp, folders):
                    say(f"[{k}/{n}] {stage.number} {stage.name}: unchanged since its last successful run, skipped")
                    manifest["stages"].append({**prev, "status": "skipped"})
                    continue
                say(f"[{k}/{n}] {stage.number} {stage.name}: running ({time.monotonic() - t0:.0f} s elapsed)")
                record = {"slug": stage.slug, "number": stage.number, "name": stage.name, "title": stage.title,
                          "notebook": stage.notebook.as_posix(), "started": _now(), "fingerprint": fp,
                          "inputs": inputs,
                          "parameters": notebook_parameters(stage, params, published, root)}
                s0 = time.monotonic()
                try:
                    execute_stage(stage, params, folders, root)
                except StageFailure as exc:
                    failure = exc
                kind, rel = stage_record(stage.slug)
                stage_rec = read_stage_record(folders[kind] / rel)
                if stage_rec is not None:
                    synthetic = synthetic or bool(stage_rec.get("syntetisk"))
                    manifest["synthetic"] = synthetic
                render_stage(stage, folders[OUTPUT], synthetic)
                record.update({"finished": _now(), "duration_s": round(time.monotonic() - s0, 2),
                               "status": "failed" if failure else "ok",
                               "suites": suite_summaries(stage, folders[OUTPUT]),
                               "outputs": None if failure else output_hashes(stage, folders)})
                if failure:
                    record["error"] = {"message": failure.error, "cell": failure.cell, "link": failure.link}
                    say(f"[{k}/{n}] {stage.number} {stage.name}: FAILED after {record['duration_s']:.1f} s")
                else:
                    say(f"[{k}/{n}] {stage.number} {stage.name}: done in {record['duration_s']:.1f} s")
                manifest["stages"].append(record)

            manifest["finished"] = _now()
            manifest["duration_s"] = round(time.monotonic() - t0, 2)
            if failure is not None:
                manifest["status"] = "failed"
                write_report(folders[OUTPUT], manifest, failed={
                    "stage": f"{failure.stage.number} {failure.stage.name}", "cell": failure.cell,
                    "error": failure.error, "link": failure.link})
                if failed_dir.exists():
                    shutil.rmtree(failed_dir)
                shutil.move(str(folders[OUTPUT]), str(failed_dir))
                state.discard_staging()
                rel_failed = shown_path(failed_dir, root)
                say(f"Run FAILED: {failure}\n"
                    f"The failed run's pages are in {rel_failed}/ (open {rel_failed}/index.html"
                    + (f", the failing cell: {rel_failed}/{failure.link}" if failure.link else "") + ").\n"
                    "The outputs of the last complete run are unchanged.")
                return 1
            manifest["status"] = "ok"
            write_report(folders[OUTPUT], manifest)
            state.publish()
            if failed_dir.exists():
                shutil.rmtree(failed_dir)
            say(f"Study complete in {manifest['duration_s']:.1f} s: open {shown_path(output_dir, root)}/index.html")
            return 0
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
