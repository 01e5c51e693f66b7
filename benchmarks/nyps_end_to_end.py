"""Time stages 01 (intake) and 02 (NYPS analysis) on one export, end to end: the same helper
calls, in the same order and with the same arguments, as notebooks/01_data_intake.ipynb and
notebooks/02_nyps_analysis.ipynb, without the kernel, papermill and nbconvert. Prints each
step's wall time and the process's peak memory. As in the notebooks, the expectation suites
run in a process of their own (helpers.quality.prepare), beside the tidying and the writing;
its memory is not in this process's peak (benchmarks/tree_memory.py adds it).

    python benchmarks/nyps_end_to_end.py PATH [--work DIR] [--profile N] [--json FILE]

--profile N  also print cProfile's own time per package and its top N functions by cumulative
             time (the profiler adds overhead: the step times printed alongside are inflated)
--json FILE  write the figures as JSON (benchmarks/scaling.py reads them)

The notebook's display-only calls (facts, banners, reader tables) are left out; everything
that computes, checks or writes is in. Run it under /usr/bin/time -v as well for the peak
memory seen from outside (see benchmarks/run.sh)."""
from __future__ import annotations

import argparse
import cProfile
import json
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from measure import by_package, peak_rss_mb, top_functions

# The notebooks' parameters (params.yaml defaults).
YEAR_FROM, YEAR_TO = 2021, 2024
INTAKE_YEAR_MIN, INTAKE_YEAR_MAX = 2014, 2026
SUPPORT_TYPES = ["PROJ", "FTG", "KS"]
AMOUNT_BASIS = "beviljat"


class Steps:
    """Wall time of named steps, in order; printed as they finish."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        t0 = time.perf_counter()
        yield
        elapsed = time.perf_counter() - t0
        self.times[name] = self.times.get(name, 0.0) + elapsed
        print(f"  {name:<38} {elapsed:7.2f} s   peak {peak_rss_mb():7.0f} MB", flush=True)


def stage_01(nyps_path: Path, processed_dir: Path, output_dir: Path, step: Steps) -> dict:
    """notebooks/01_data_intake.ipynb, cell by cell."""
    with step("01 import"):
        from helpers import figures, quality, record, reference, stages, tables
        from helpers.display import setup_notebook
        from helpers.nyps import intake, overview, read

        setup_notebook()
        quality.prepare()  # the checks' own process starts loading Great Expectations now
        paths = stages.paths("data_intake", processed_dir, output_dir)
    with step("01 read export"):
        export = read.read_export(nyps_path)
        synthetic = export.synthetic
    with step("01 start the export's check"):
        export_check = quality.start(export.frame, "nyps_export", output_dir)
    with step("01 tidy"):
        result = intake.tidy_export(export, INTAKE_YEAR_MIN, INTAKE_YEAR_MAX, source=str(nyps_path))
        summary = result.summary
    with step("01 wait for the export's check"):
        export_check.result()
        del export  # as the notebook does: the raw frame is not needed any more
    with step("01 start the 3 checks of the processed data"):
        checks = [
            quality.start(result.projects, "nyps_projects", output_dir, {
                "columns": intake.PROCESSED_COLUMNS,
                "year_min": INTAKE_YEAR_MIN,
                "year_max": INTAKE_YEAR_MAX,
                "county_codes": list(reference.county_codes()),
                "area_ids": [*reference.AREA_IDS, reference.ANNAT],
                "priority_ids": [p["id"] for p in reference.elements("prioritering")],
            }),
            quality.start(result.quarantine, "nyps_quarantine", output_dir),
            quality.start(intake.reconciliation(result), "nyps_reconciliation", output_dir),
        ]
    with step("01 write parquet + summary, checks"):
        intake.write_outputs(result, paths["projects"], paths["quarantine"], paths["intake_summary"],
                             before_replace=lambda: quality.wait(checks))
        overview.reconciliation_for_reader(intake.reconciliation(result))
    with step("01 by year: table + figure"):
        years = overview.by_year(result.projects, YEAR_FROM, YEAR_TO)
        tables.write_csv(years, paths["table_years"])
        fig = overview.plot_by_year(years, YEAR_FROM, YEAR_TO, synthetic)
        figures.save(fig, paths["figure_years_png"], paths["figure_years_svg"])
    with step("01 by county + quarantine tables"):
        tables.write_csv(overview.by_county(result.projects, YEAR_FROM, YEAR_TO), paths["table_counties"])
        tables.write_csv(overview.quarantine_table(result.quarantine), paths["table_quarantine"])
    with step("01 stage record"):
        record.write_stage_record(
            paths["record"], stage="01_data_intake", synthetic=synthetic,
            key_figures=[{"namn": "Datarader in", "varde": summary["rader_in"], "enhet": "rader"}],
            figure_titles={"figure_years_png": "Beviljat belopp per beslutsår (mnkr)"},
        )
    return {"rows": summary["rader_in"], "accepted": summary["rader_godkanda"],
            "quarantined": summary["rader_karantan"]}


def stage_02(processed_dir: Path, output_dir: Path, step: Steps) -> None:
    """notebooks/02_nyps_analysis.ipynb, cell by cell (reads what stage 01 wrote)."""
    with step("02 import"):
        import pandas as pd

        from helpers import figures, findings, quality, record, reference, stages, tables
        from helpers.nyps import analysis, charts, key_findings

        quality.prepare()

        paths = stages.paths("nyps_analysis", processed_dir, output_dir)
        B = analysis.amount_column(AMOUNT_BASIS)
    with step("02 read parquet + select"):
        projects = pd.read_parquet(paths["projects"], columns=analysis.ANALYSED_COLUMNS)
        intake_summary = json.loads(paths["intake_summary"].read_text(encoding="utf-8"))
        synthetic = bool(intake_summary["syntetisk"])
        selected = analysis.select(projects, YEAR_FROM, YEAR_TO, SUPPORT_TYPES, AMOUNT_BASIS)
        selected["arende"].nunique()
        selected["belopp"].sum()
    with step("02 tables (analysis.*)"):
        area_county = analysis.area_by_county(selected, AMOUNT_BASIS)
        annat_county = analysis.annat_by_county(selected, AMOUNT_BASIS)
        per_capita = analysis.per_capita(selected, AMOUNT_BASIS)
        area_year = analysis.area_by_year(selected, AMOUNT_BASIS, YEAR_FROM, YEAR_TO)
        mix_change = analysis.mix_change(area_year, YEAR_FROM, YEAR_TO)
        mix_shift = analysis.mix_shift(mix_change)
        priority_table = analysis.priorities(selected, AMOUNT_BASIS)
        support = analysis.support_type(selected, AMOUNT_BASIS, SUPPORT_TYPES)
        case_table = analysis.cases(selected, AMOUNT_BASIS)
        granted_paid = analysis.granted_vs_paid(projects, YEAR_FROM, YEAR_TO, SUPPORT_TYPES)
        consistency = analysis.consistency(selected, AMOUNT_BASIS, area_county, projects, YEAR_FROM, YEAR_TO,
                                           SUPPORT_TYPES)
    with step("02 checks (GX, 2 suites)"):
        quality.validate(area_county.rename(columns={B: "belopp_mkr"}), "nyps_omrade_lan", output_dir, {
            "columns": ["lan_kod", "lan", "omrade_id", "belopp_mkr", "andel_procent"],
            "county_codes": [*reference.county_codes(), reference.RIKET_KOD],
            "area_ids": list(analysis.AREA_ORDER),
        })
        quality.validate(consistency, "nyps_analys_avstamning", output_dir)
    with step("02 CSV tables"):
        for key, table in (("table_area_county", area_county), ("table_annat_county", annat_county),
                           ("table_per_capita", per_capita), ("table_area_year", area_year),
                           ("table_mix_change", mix_change), ("table_mix_shift", mix_shift),
                           ("table_priorities", priority_table), ("table_support_type", support),
                           ("table_cases", case_table), ("table_granted_paid", granted_paid),
                           ("table_consistency", consistency)):
            tables.write_csv(table, paths[key])
    with step("02 twelve figures"):
        drawn = [
            ("figure_area_county", charts.area_shares_by_county(area_county, AMOUNT_BASIS, YEAR_FROM, YEAR_TO, synthetic)),
            ("figure_annat_county", charts.annat_shares_by_county(annat_county, AMOUNT_BASIS, YEAR_FROM, YEAR_TO, synthetic)),
            ("figure_per_capita_map", charts.per_capita_map(per_capita, AMOUNT_BASIS, YEAR_FROM, YEAR_TO, synthetic)),
            ("figure_per_capita_ranked", charts.per_capita_ranked(per_capita, AMOUNT_BASIS, YEAR_FROM, YEAR_TO, synthetic)),
            ("figure_area_year", charts.area_over_time(area_year, AMOUNT_BASIS, synthetic)),
            ("figure_area_year_county", charts.area_over_time_by_county(area_year, AMOUNT_BASIS, synthetic)),
            ("figure_mix_shift", charts.mix_shift_ranked(mix_shift, YEAR_FROM, YEAR_TO, synthetic)),
            ("figure_priorities", charts.priorities_within_areas(priority_table, AMOUNT_BASIS, synthetic)),
            ("figure_support_type_area", charts.support_type_by_area(support, AMOUNT_BASIS, synthetic)),
            ("figure_support_type_county", charts.support_type_by_county(support, AMOUNT_BASIS, synthetic)),
            ("figure_concentration", charts.concentration_by_county(case_table, synthetic)),
            ("figure_granted_paid", charts.granted_and_paid(granted_paid, synthetic)),
        ]
        for key, (fig, _) in drawn:
            figures.save(fig, paths[f"{key}_png"], paths[f"{key}_svg"])
    with step("02 workbook"):
        amount_label = "Beviljat belopp" if AMOUNT_BASIS == "beviljat" else "Utbetalt belopp"
        note = (f"Källa: Tillväxtverket (NYPS2020), projektexport. Beslutsår {YEAR_FROM}–{YEAR_TO}, "
                f"stödtyper {', '.join(SUPPORT_TYPES)}.")
        tables.write_workbook([
            tables.Sheet("omrade_lan", f"{amount_label} per län och strategiskt område", area_county, note),
            tables.Sheet("annat_lan", f"{amount_label} till Annat per län och värde", annat_county, note),
            tables.Sheet("per_invanare", f"{amount_label} per invånare och län", per_capita, note + " Folkmängd: SCB."),
            tables.Sheet("omrade_ar", f"{amount_label} per län, beslutsår och område", area_year, note),
            tables.Sheet("forandring_omrade", "Fördelningen på områden första och sista året", mix_change, note),
            tables.Sheet("forandring_lan", "Förändringsindex per län", mix_shift, note),
            tables.Sheet("prioritering", f"{amount_label} per prioritering", priority_table, note),
            tables.Sheet("stodtyp", f"{amount_label} per län, stödtyp och område", support, note),
            tables.Sheet("arenden", "Ärenden och koncentration per län", case_table, note),
            tables.Sheet("beviljat_utbetalt", "Beviljat och utbetalt per län och beslutsår", granted_paid, note),
            tables.Sheet("avstamning", "Avstämning", consistency, note),
        ], paths["workbook"], synthetic)
    with step("02 key findings + stage record"):
        key = key_findings.key_findings(
            {"area_county": area_county, "per_capita": per_capita, "mix_shift": mix_shift,
             "cases": case_table, "granted_paid": granted_paid},
            AMOUNT_BASIS, YEAR_FROM, YEAR_TO, YEAR_FROM, YEAR_TO)
        findings.write_findings(paths["findings"], "nyps_analysis", key, synthetic)
        record.write_stage_record(
            paths["record"], stage="02_nyps_analysis", synthetic=synthetic,
            key_figures=[{"namn": f.text, "varde": f.varde, "enhet": f.enhet} for f in key[:8]],
            figure_titles={},
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="NYPS export (CSV or xlsx)")
    parser.add_argument("--work", type=Path, help="folder for processed data and outputs (default: a new temporary folder)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print cProfile's top N functions by cumulative time")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="nyps-bench-"))
    processed_dir, output_dir = work / "processed", work / "outputs"

    size = args.path.stat().st_size / 1e6
    print(f"export: {args.path} ({size:.1f} MB); work folder {work}", flush=True)
    step = Steps()
    profiler = cProfile.Profile() if args.profile else None
    t0 = time.perf_counter()
    if profiler:
        profiler.enable()
    counts = stage_01(args.path.resolve(), processed_dir, output_dir, step)
    t1 = time.perf_counter()
    stage_02(processed_dir, output_dir, step)
    t2 = time.perf_counter()
    if profiler:
        profiler.disable()
    peak = peak_rss_mb()
    print(f"rows: {counts['rows']:,} in, {counts['accepted']:,} accepted, {counts['quarantined']:,} quarantined")
    print(f"stage 01 {t1 - t0:7.2f} s   stage 02 {t2 - t1:7.2f} s   total {t2 - t0:7.2f} s   "
          f"peak memory {peak:,.0f} MB (ru_maxrss)")
    if profiler:
        print("cProfile: own time per package or study module (where the time is spent):")
        print(by_package(profiler))
        print(f"cProfile: top {args.profile} functions by cumulative time:")
        print(top_functions(profiler, args.profile))
    if args.json:
        args.json.write_text(json.dumps({
            "path": str(args.path), "rows": counts["rows"], "steps": step.times,
            "stage_01": t1 - t0, "stage_02": t2 - t1, "total": t2 - t0, "peak_mb": peak,
        }, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
