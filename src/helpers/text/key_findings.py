"""Stage 03's key findings, computed from its tables: how many of the reports take up
samverkan, lärande, kapacitet, the sustainability dimensions and the territorial perspective,
how that changed, and how many RUS cover each strategic area."""
from __future__ import annotations

import pandas as pd

from ..display import sv_number
from ..findings import Finding
from .overview import GROUP_LABELS, element_label

CELL_GROUP_YEAR = "aktorsgrupp-ar"
CELL_RUS = "rus-tackning"
CELL_EVIDENCE = "belagg"
QUESTION_OF = {"GF1": "1", "GF2": "1", "GF3": "1", "HB-EK": "3", "HB-SO": "3", "HB-MI": "3", "TP": "4"}
GROUP_NOUN = {"region": "regionernas redovisningar", "statlig_myndighet": "myndigheternas redovisningar",
              "tillvaxtverket": "Tillväxtverkets årsredovisningar"}


def key_findings(group_year: pd.DataFrame, coverage: pd.DataFrame, year_from: int, year_to: int,
                 evidence: pd.DataFrame | None = None, report_ids=None) -> list[Finding]:
    """`evidence` (the quotes table) and `report_ids` (the yearly reports, not the RUS) add one
    quote per actor group and element, so the conclusions can show the text behind a number."""
    found: list[Finding] = []
    quotes = {}
    if evidence is not None and report_ids is not None:
        reports = evidence[evidence["dokument_id"].isin(set(report_ids))]
        for row in reports.itertuples(index=False):
            quotes.setdefault((row.aktorsgrupp, row.element_id), row)
    window = group_year[group_year["ar"].between(year_from, year_to)]
    for group in GROUP_LABELS:
        part = window[window["aktorsgrupp"] == group]
        if part.empty:
            continue
        first, last = int(part["ar"].min()), int(part["ar"].max())
        for element, question in QUESTION_OF.items():
            rows = part[part["element_id"] == element].set_index("ar")
            if rows.empty:
                continue
            share = float(rows.loc[last, "andel_stycken_procent"])
            n, n_with = int(rows.loc[last, "dokument"]), int(rows.loc[last, "dokument_med"])
            found.append(Finding(
                f"text.{group}.{element.lower()}.dokument.{last}", question,
                f"Av {GROUP_NOUN[group]} för {last} tog {n_with} av {n} upp {element_label(element)}.",
                round(100.0 * n_with / n, 1) if n else 0.0, "procent av rapporterna", CELL_GROUP_YEAR,
                "table_group_year", "figure_group_year_png"))
            found.append(Finding(
                f"text.{group}.{element.lower()}.{last}", question,
                f"I {GROUP_NOUN[group]} för {last} tog {n_with} av {n} upp {element_label(element)}; "
                f"i genomsnitt handlade {sv_number(share, 1)} procent av textstyckena om det.",
                round(share, 1), "procent av textstyckena", CELL_GROUP_YEAR, "table_group_year", "figure_group_year_png"))
            best = quotes.get((group, element))
            if best is not None:
                found.append(Finding(
                    f"text.{group}.{element.lower()}.citat", question,
                    f"Ur {best.dokument_id}, sida {best.sida}: ”{best.citat}”",
                    best.citat, f"citat ({best.dokument_id}, s. {best.sida})", CELL_EVIDENCE, "table_evidence"))
            if first < last:
                change = share - float(rows.loc[first, "andel_stycken_procent"])
                found.append(Finding(
                    f"text.{group}.{element.lower()}.forandring", question,
                    f"Den del av texten i {GROUP_NOUN[group]} som handlar om {element_label(element)} ändrades med "
                    f"{sv_number(change, 1)} procentenheter från {first} till {last}.",
                    round(change, 1), "procentenheter", CELL_GROUP_YEAR, "table_group_year", "figure_group_year_png"))
    rus = coverage[coverage["stycken"] > 0]
    n_rus = coverage["lan_kod"].nunique()
    for area in ("SO1", "SO2", "SO3", "SO4"):
        covered = int(rus[rus["element_id"] == area]["lan_kod"].nunique())
        found.append(Finding(
            f"text.rus.{area.lower()}", "2a",
            f"{covered} av {n_rus} RUS tar upp {element_label(area)}.",
            covered, "RUS", CELL_RUS, "table_rus_coverage", "figure_rus_coverage_png"))
    return found
