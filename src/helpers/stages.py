"""The stage registry: every stage's notebook, parameters, inputs, outputs and expectation
suites, declared once. The runner, the notebooks and the tests read paths from here."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .paths import resolve
from .reference import COUNTIES_FILE, FRAMEWORK_FILE

# Where a declared file lives: the processed-data folder or the output folder (both set by
# parameters, so the runner can point a run at its staging folders).
PROCESSED = "processed"
OUTPUT = "output"


@dataclass(frozen=True)
class Stage:
    number: str
    name: str
    title: str  # Swedish, as the reader sees it
    notebook: Path
    parameters: tuple[str, ...]
    # parameters whose value is an input file
    input_params: tuple[str, ...] = ()
    # fixed input files (reference data), relative to the project root
    reference_inputs: tuple[Path, ...] = ()
    # files written by earlier stages that this stage reads: key -> (folder, relative path)
    upstream: dict[str, tuple[str, str]] = field(default_factory=dict)
    # files this stage writes: key -> (folder, relative path)
    outputs: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Great Expectations suites (expectations/<name>.json) the stage must run and pass
    suites: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return f"{self.number}_{self.name}"


def stage_record(stage_slug: str) -> tuple[str, str]:
    """Every stage writes a small record: key figures for the index and the synthetic flag."""
    return (OUTPUT, f"steg/{stage_slug}.json")


def quality_result(suite: str) -> tuple[str, str]:
    return (OUTPUT, f"kvalitet/{suite}.json")


STAGES: tuple[Stage, ...] = (
    Stage(
        number="01",
        name="data_intake",
        title="Datainläsning: NYPS2020-exporten",
        notebook=Path("notebooks/01_data_intake.ipynb"),
        parameters=(
            "nyps_path", "processed_dir", "output_dir", "year_from", "year_to",
            "intake_year_min", "intake_year_max",
        ),
        input_params=("nyps_path",),
        reference_inputs=(COUNTIES_FILE, FRAMEWORK_FILE),
        outputs={
            "projects": (PROCESSED, "nyps_projects.parquet"),
            "quarantine": (PROCESSED, "nyps_quarantine.parquet"),
            "intake_summary": (PROCESSED, "nyps_intake.json"),
            "table_years": (OUTPUT, "tables/nyps_inlasning_ar.csv"),
            "table_counties": (OUTPUT, "tables/nyps_inlasning_lan.csv"),
            "table_quarantine": (OUTPUT, "tables/nyps_karantan.csv"),
            "figure_years_png": (OUTPUT, "figures/01_beviljat_per_ar.png"),
            "figure_years_svg": (OUTPUT, "figures/01_beviljat_per_ar.svg"),
            "record": stage_record("01_data_intake"),
        },
        suites=("nyps_export", "nyps_projects", "nyps_quarantine", "nyps_reconciliation"),
    ),
)


class UnknownStage(ValueError):
    pass


def find(name_or_number: str) -> Stage:
    """A stage by its number ('01', '1') or its name ('data_intake')."""
    key = str(name_or_number).strip()
    for stage in STAGES:
        if key in (stage.number, stage.name, stage.slug) or (key.isdigit() and int(key) == int(stage.number)):
            return stage
    known = ", ".join(f"{s.number} ({s.name})" for s in STAGES)
    raise UnknownStage(f"unknown stage {name_or_number!r}; stages are: {known}")


def folder(kind: str, processed_dir: str | Path, output_dir: str | Path) -> Path:
    return resolve(processed_dir) if kind == PROCESSED else resolve(output_dir)


def paths(stage: Stage | str, processed_dir: str | Path, output_dir: str | Path) -> dict[str, Path]:
    """Absolute paths of a stage's outputs and upstream inputs, keyed as declared."""
    stage = find(stage) if isinstance(stage, str) else stage
    out = {}
    for key, (kind, rel) in {**stage.upstream, **stage.outputs}.items():
        out[key] = folder(kind, processed_dir, output_dir) / rel
    return out


def quality_dir(output_dir: str | Path) -> Path:
    return resolve(output_dir) / "kvalitet"
