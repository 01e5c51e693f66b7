"""The stage registry: every stage's notebook, parameters, inputs, outputs and expectation
suites, declared once. The runner, the notebooks and the tests read paths from here."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .paths import resolve
from .reference import COUNTIES_FILE, FRAMEWORK_FILE

LEXICON_FILE = Path("data/reference/lexicon.csv")
QUESTIONS_FILE = Path("data/reference/questions.csv")
TEMPLATE_FILE = Path("data/reference/assessment_template.csv")
THEORY_NODES_FILE = Path("data/reference/forandringsteori_noder.csv")
THEORY_EDGES_FILE = Path("data/reference/forandringsteori_kanter.csv")
REPORT_SCHEMA_FILE = Path("data/reference/rapportformat.schema.json")
# The conclusions' verdicts, for the front page and the report (relative to the output folder).
VERDICTS_FILE = "slutsatser.json"

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
    # parameters whose value is an input file (an empty optional file is skipped)
    input_params: tuple[str, ...] = ()
    # parameters naming a file whose whole folder is input (a manifest and the documents below it)
    input_folders: tuple[str, ...] = ()
    # parameters naming a folder that is input as a whole (empty = none)
    input_dirs: tuple[str, ...] = ()
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


def figure_outputs(number: str, names: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Each figure as PNG and SVG: key 'figure_<k>_png' / '_svg' -> figures/<number>_<file>."""
    out = {}
    for key, file in names.items():
        for ext in ("png", "svg"):
            out[f"figure_{key}_{ext}"] = (OUTPUT, f"figures/{number}_{file}.{ext}")
    return out


def findings_file(stage_slug: str) -> tuple[str, str]:
    return (OUTPUT, f"fynd/{stage_slug}.json")


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
            **figure_outputs("01", {"years": "beviljat_per_ar"}),
            "record": stage_record("01_data_intake"),
        },
        suites=("nyps_export", "nyps_projects", "nyps_quarantine", "nyps_reconciliation"),
    ),
    Stage(
        number="02",
        name="nyps_analysis",
        title="NYPS-analys: hur 1:1-medlen användes",
        notebook=Path("notebooks/02_nyps_analysis.ipynb"),
        parameters=("processed_dir", "output_dir", "year_from", "year_to", "support_types", "amount_basis"),
        reference_inputs=(COUNTIES_FILE, FRAMEWORK_FILE),
        upstream={
            "projects": (PROCESSED, "nyps_projects.parquet"),
            "intake_summary": (PROCESSED, "nyps_intake.json"),
        },
        outputs={
            "table_area_county": (OUTPUT, "tables/nyps_omrade_lan.csv"),
            "table_annat_county": (OUTPUT, "tables/nyps_annat_lan.csv"),
            "table_per_capita": (OUTPUT, "tables/nyps_per_invanare.csv"),
            "table_area_year": (OUTPUT, "tables/nyps_omrade_ar.csv"),
            "table_mix_change": (OUTPUT, "tables/nyps_forandring_omrade.csv"),
            "table_mix_shift": (OUTPUT, "tables/nyps_forandring_lan.csv"),
            "table_priorities": (OUTPUT, "tables/nyps_prioritering.csv"),
            "table_support_type": (OUTPUT, "tables/nyps_stodtyp.csv"),
            "table_cases": (OUTPUT, "tables/nyps_arenden.csv"),
            "table_granted_paid": (OUTPUT, "tables/nyps_beviljat_utbetalt.csv"),
            "table_consistency": (OUTPUT, "tables/nyps_avstamning.csv"),
            "workbook": (OUTPUT, "tables/nyps.xlsx"),
            **figure_outputs("02", {
                "area_county": "omrade_lan",
                "annat_county": "annat_lan",
                "per_capita_map": "per_invanare_karta",
                "per_capita_ranked": "per_invanare_rang",
                "area_year": "omrade_ar_riket",
                "area_year_county": "omrade_ar_lan",
                "mix_shift": "forandring_lan",
                "priorities": "prioritering",
                "support_type_area": "stodtyp_omrade",
                "support_type_county": "stodtyp_lan",
                "concentration": "koncentration",
                "granted_paid": "beviljat_utbetalt",
            }),
            "findings": findings_file("02_nyps_analysis"),
            "record": stage_record("02_nyps_analysis"),
        },
        suites=("nyps_omrade_lan", "nyps_analys_avstamning"),
    ),
    Stage(
        number="03",
        name="text_analysis",
        title="Textanalys av rapporter och regionala utvecklingsstrategier",
        notebook=Path("notebooks/03_text_analysis.ipynb"),
        parameters=("corpus_manifest", "text_review_path", "processed_dir", "output_dir", "year_from", "year_to"),
        input_params=("corpus_manifest", "text_review_path"),
        input_folders=("corpus_manifest",),
        reference_inputs=(COUNTIES_FILE, FRAMEWORK_FILE, LEXICON_FILE, QUESTIONS_FILE),
        outputs={
            "paragraphs": (PROCESSED, "paragraphs.parquet"),
            "documents": (PROCESSED, "text_documents.parquet"),
            "codes": (PROCESSED, "text_codes.parquet"),
            "scores": (PROCESSED, "text_scores.parquet"),
            "answers": (PROCESSED, "text_answers.parquet"),
            "table_documents": (OUTPUT, "tables/text_dokument.csv"),
            "table_rus_coverage": (OUTPUT, "tables/text_tackning_rus.csv"),
            "table_group_year": (OUTPUT, "tables/text_aktorsgrupp_ar.csv"),
            "table_evidence": (OUTPUT, "tables/text_belagg.csv"),
            "table_quality": (OUTPUT, "tables/text_precision_recall.csv"),
            "table_answers": (OUTPUT, "tables/text_fragor.csv"),
            "review_workbook": (OUTPUT, "tables/text_granskning.xlsx"),
            **figure_outputs("03", {
                "rus_coverage": "tackning_rus",
                "group_year": "aktorsgrupp_ar",
                "answers": "fragor",
                "quality": "precision_recall",
            }),
            "findings": findings_file("03_text_analysis"),
            "record": stage_record("03_text_analysis"),
        },
        suites=("text_documents", "text_paragraphs", "text_codes"),
    ),
    Stage(
        number="04",
        name="rus_review",
        title="Experternas granskning av de regionala utvecklingsstrategierna",
        notebook=Path("notebooks/04_rus_review.ipynb"),
        parameters=("ratings_path", "consensus_path", "bootstrap_samples", "processed_dir", "output_dir"),
        input_params=("ratings_path", "consensus_path"),
        reference_inputs=(COUNTIES_FILE, FRAMEWORK_FILE, TEMPLATE_FILE),
        upstream={
            "paragraphs": (PROCESSED, "paragraphs.parquet"),
            "documents": (PROCESSED, "text_documents.parquet"),
            "codes": (PROCESSED, "text_codes.parquet"),
            "scores": (PROCESSED, "text_scores.parquet"),
        },
        outputs={
            "ratings": (PROCESSED, "rus_bedomningar.parquet"),
            "consensus": (PROCESSED, "rus_konsensus.parquet"),
            "table_agreement": (OUTPUT, "tables/granskning_samstammighet.csv"),
            "table_consensus": (OUTPUT, "tables/granskning_konsensus.csv"),
            "table_coverage": (OUTPUT, "tables/granskning_tackning.csv"),
            "table_profiles": (OUTPUT, "tables/granskning_profil.csv"),
            "table_periods": (OUTPUT, "tables/granskning_period.csv"),
            "table_machine": (OUTPUT, "tables/granskning_maskin_fraga.csv"),
            "table_confusion": (OUTPUT, "tables/granskning_maskin_matris.csv"),
            "table_machine_review": (OUTPUT, "tables/granskning_maskin_avvikelser.csv"),
            "workbook": (OUTPUT, "tables/granskning.xlsx"),
            "form_1": (OUTPUT, "granskning/bedomningsformular_1.xlsx"),
            "form_2": (OUTPUT, "granskning/bedomningsformular_2.xlsx"),
            **figure_outputs("04", {
                "agreement": "samstammighet",
                "heatmap": "konsensus_rus_fragor",
                "coverage": "tackning",
                "profiles": "profil",
                "machine": "maskin_experter",
            }),
            "findings": findings_file("04_rus_review"),
            "record": stage_record("04_rus_review"),
        },
        suites=("rus_ratings", "rus_ratings_completeness", "rus_consensus", "rus_agreement"),
    ),
    Stage(
        number="05",
        name="conclusions",
        title="Slutsatser och rekommendation",
        notebook=Path("notebooks/05_conclusions.ipynb"),
        parameters=("structured_reports_dir", "processed_dir", "output_dir", "year_from", "year_to"),
        input_dirs=("structured_reports_dir",),
        reference_inputs=(COUNTIES_FILE, FRAMEWORK_FILE, THEORY_NODES_FILE, THEORY_EDGES_FILE, REPORT_SCHEMA_FILE),
        upstream={
            "projects": (PROCESSED, "nyps_projects.parquet"),
            "findings_02": findings_file("02_nyps_analysis"),
            "findings_03": findings_file("03_text_analysis"),
            "findings_04": findings_file("04_rus_review"),
        },
        outputs={
            "verdicts": (OUTPUT, VERDICTS_FILE),
            "table_verdicts": (OUTPUT, "tables/slutsatser.csv"),
            "table_citations": (OUTPUT, "tables/slutsatser_belagg.csv"),
            "table_theory_flows": (OUTPUT, "tables/forandringsteori_floden.csv"),
            "table_theory_coverage": (OUTPUT, "tables/forandringsteori_tackning.csv"),
            "table_reporting": (OUTPUT, "tables/rapportformat_uppfoljning.csv"),
            "workbook": (OUTPUT, "tables/slutsatser.xlsx"),
            **figure_outputs("05", {
                "theory": "forandringsteori",
                "reporting": "rapportformat_uppfoljning",
            }),
            "record": stage_record("05_conclusions"),
        },
        suites=("findings_cited", "conclusions", "rapportformat_uppfoljning"),
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
