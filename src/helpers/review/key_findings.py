"""Stage 04's key findings, computed from its tables: how many RUS take up each strategic area,
basic prerequisite and starting point (follow-up question 2a), how far the experts agree, and
how well the text analysis matches them."""
from __future__ import annotations

import math

import pandas as pd

from .. import reference
from ..display import sv_number
from ..findings import Finding
from . import agreement
from .template import Template

CELL_AGREEMENT = "samstammighet"
CELL_COVERAGE = "tackning"
CELL_MACHINE = "maskin"
CELL_PERIODS = "perioder"
AREAS = ("SO1", "SO2", "SO3", "SO4")
PREREQUISITES = ("GF1", "GF2", "GF3")


def _questions_for(template: Template, elements) -> list:
    return [q for q in template.mapped() if q.element_id in elements]


def key_findings(agreement_table: pd.DataFrame, cover: pd.DataFrame, matrix: pd.DataFrame,
                 machine_summary: dict, template: Template, n_rus: int) -> list[Finding]:
    found: list[Finding] = []
    cover = cover.set_index("fraga_id")

    # Follow-up question 2a: the strategic areas, one question each in the template.
    area_questions = _questions_for(template, AREAS)
    for q in area_questions:
        row = cover.loc[q.fraga_id]
        found.append(Finding(
            f"granskning.{q.fraga_id.lower()}.tydligt", "2a",
            f"{int(row.rus_tydligt)} av {n_rus} RUS behandlar tydligt {reference.label(q.element_id).lower()} "
            f"({q.fraga_id}), och {int(row.rus_delvis)} gör det delvis.",
            int(row.rus_tydligt), "RUS", CELL_COVERAGE, "table_coverage", "figure_coverage_png"))
    for q in area_questions:
        row = cover.loc[q.fraga_id]
        found.append(Finding(
            f"granskning.omrade.{q.element_id.lower()}.minst_delvis", "2a",
            f"{int(row.rus_tydligt + row.rus_delvis)} av {n_rus} RUS tar åtminstone delvis upp "
            f"{reference.label(q.element_id).lower()} ({q.fraga_id}).",
            int(row.rus_tydligt + row.rus_delvis), "RUS", CELL_COVERAGE, "table_coverage", "figure_coverage_png"))
    found.append(Finding("granskning.antal_rus", "2a", f"Experterna granskade {n_rus} RUS.", n_rus, "RUS",
                         CELL_COVERAGE, "table_coverage"))
    if area_questions:
        ids = [q.fraga_id for q in area_questions]
        tops = {q.fraga_id: float(q.values[-1]) for q in area_questions}
        sub = matrix.reindex(columns=ids)
        all_clear = int((sub.eq(pd.Series(tops)).all(axis=1)).sum())
        found.append(Finding(
            "granskning.alla_omraden_tydligt", "2a",
            f"{all_clear} av {n_rus} RUS behandlar tydligt alla {len(ids)} strategiska områden.",
            all_clear, "RUS", CELL_COVERAGE, "table_coverage", "figure_coverage_png"))
        partly_any = int((sub.ge(1.0).all(axis=1)).sum())
        found.append(Finding(
            "granskning.alla_omraden_minst_delvis", "2a",
            f"{partly_any} av {n_rus} RUS tar åtminstone delvis upp alla {len(ids)} strategiska områden.",
            partly_any, "RUS", CELL_COVERAGE, "table_coverage", "figure_coverage_png"))

    # The basic prerequisites and the starting points: the best and the least covered question.
    for part, noun in (("C", "grundläggande förutsättningarna"), ("D", "utgångspunkterna")):
        rows = cover[cover["del"] == part]
        if rows.empty:
            continue
        least = rows.sort_values(["andel_tydligt_procent", "rus_tydligt"], kind="stable").index[0]
        most = rows.sort_values(["andel_tydligt_procent", "rus_tydligt"], ascending=False, kind="stable").index[0]
        for which, qid in (("minst", least), ("mest", most)):
            q, row = template.by_id[qid], cover.loc[qid]
            found.append(Finding(
                f"granskning.del_{part.lower()}.{which}", "2a",
                f"Bland {noun} (del {part}) tas frågan {qid} – {q.fraga.rstrip('?')} – {which} tydligt upp: "
                f"i {int(row.rus_tydligt)} av {n_rus} RUS.",
                int(row.rus_tydligt), "RUS", CELL_COVERAGE, "table_coverage", "figure_coverage_png"))
    for q in _questions_for(template, PREREQUISITES):
        row = cover.loc[q.fraga_id]
        found.append(Finding(
            f"granskning.{q.fraga_id.lower()}.tydligt", "2a",
            f"{int(row.rus_tydligt)} av {n_rus} RUS beskriver tydligt: {q.fraga.removeprefix('Beskriver RUS:en ').rstrip('?')} "
            f"({q.fraga_id}).",
            int(row.rus_tydligt), "RUS", CELL_COVERAGE, "table_coverage", "figure_coverage_png"))

    # The reference to the national strategy itself, when the template asks about it.
    for q in template.ordinal():
        if "nationella strategin" in q.fraga and not q.element_id:
            row = cover.loc[q.fraga_id]
            found.append(Finding(
                f"granskning.{q.fraga_id.lower()}.hanvisning", "2a",
                f"{int(row.rus_tydligt)} av {n_rus} RUS hänvisar uttryckligen och tydligt till den nationella strategin "
                f"({q.fraga_id}); {int(row.rus_delvis)} gör det delvis.",
                int(row.rus_tydligt), "RUS", CELL_COVERAGE, "table_coverage", "figure_coverage_png"))
            break

    # How far the review itself can be trusted.
    questions = agreement_table[agreement_table["fraga_id"] != ""]
    weak = questions[questions["alfa"] < agreement.TENTATIVE]
    found.append(Finding(
        "granskning.ej_tillforlitliga_fragor", "2a",
        f"För {len(weak)} av {len(questions)} frågor är samstämmigheten mellan bedömarna under 0,667 "
        "(Krippendorffs alfa), så de bedömningarna är inte tillförlitliga"
        + (f": {', '.join(weak['fraga_id'])}." if len(weak) else "."),
        len(weak), "frågor", CELL_AGREEMENT, "table_agreement", "figure_agreement_png"))
    for r in agreement_table[agreement_table["fraga_id"] == ""].to_dict("records"):
        if math.isfinite(r["alfa"]):
            found.append(Finding(
                f"granskning.alfa_del_{r['del'].lower()}", "2a",
                f"Samstämmigheten mellan bedömarna i del {r['del']} är alfa {sv_number(r['alfa'], 2)} "
                f"(95 % intervall {sv_number(r['alfa_lag'], 2)}–{sv_number(r['alfa_hog'], 2)}): "
                f"{agreement.reliability_label(r['alfa'])}.",
                round(float(r["alfa"]), 3), "Krippendorffs alfa", CELL_AGREEMENT, "table_agreement",
                "figure_agreement_png"))

    if machine_summary.get("n"):
        found.append(Finding(
            "granskning.maskin_alfa", "2a",
            f"Textanalysens förslag stämmer med experternas konsensus med alfa {sv_number(machine_summary['alfa'], 2)} "
            f"och i {sv_number(100 * machine_summary['andel_lika'], 0)} procent av {sv_number(machine_summary['n'])} "
            "bedömningar exakt.",
            round(float(machine_summary["alfa"]), 3), "Krippendorffs alfa", CELL_MACHINE, "table_machine",
            "figure_machine_png"))
    return found
