"""Stage 02's key findings, computed from its tables (never typed): the numbers the
conclusions stage cites, each with the table, figure and notebook cell it comes from."""
from __future__ import annotations

import pandas as pd

from .. import reference
from ..display import sv_number
from ..findings import Finding

# The notebook cells that show each number (ids set in notebooks/02_nyps_analysis.ipynb).
CELL_AREA_COUNTY = "omrade-lan"
CELL_PER_CAPITA = "per-invanare"
CELL_MIX_SHIFT = "forandring-lan"
CELL_CASES = "arenden"
CELL_GRANTED_PAID = "beviljat-utbetalt"


def _county(lan_kod: str) -> str:
    return reference.county_names()[lan_kod]


def key_findings(tables: dict[str, pd.DataFrame], amount_basis: str, year_from: int, year_to: int,
                 first_year: int, last_year: int) -> list[Finding]:
    """tables: area_county, per_capita, mix_shift, cases, granted_paid (analysis.py's shapes)."""
    amount = f"{amount_basis}_mkr"
    noun = "beviljade" if amount_basis == "beviljat" else "utbetalda"
    period = f"{year_from}–{year_to}"
    found: list[Finding] = []

    area = tables["area_county"]
    riket = area[area["lan_kod"] == reference.RIKET_KOD].set_index("omrade_id")
    total = float(riket[amount].sum())
    found.append(Finding("nyps.total_riket", "2b", f"De {noun} 1:1-medlen {period} uppgick till {sv_number(total, 1)} mnkr.",
                         round(total, 1), "mnkr", CELL_AREA_COUNTY, "table_area_county", "figure_area_county_png"))
    for area_id in ("SO1", "SO2", "SO3", "SO4", "ANNAT"):
        share = float(riket.loc[area_id, "andel_procent"])
        name = "Annat" if area_id == "ANNAT" else f"{area_id} {reference.label(area_id)}"
        found.append(Finding(f"nyps.andel_{area_id.lower()}_riket", "2b",
                             f"{name} fick {sv_number(share, 1)} procent av de {noun} medlen {period}.",
                             round(share, 1), "procent", CELL_AREA_COUNTY, "table_area_county", "figure_area_county_png"))
    counties = area[area["lan_kod"] != reference.RIKET_KOD]
    for area_id in ("SO1", "SO2", "SO3", "SO4"):
        rows = counties[counties["omrade_id"] == area_id].sort_values(["andel_procent", "lan_kod"], ascending=[False, True])
        top, bottom = rows.iloc[0], rows.iloc[-1]
        spread = float(top["andel_procent"] - bottom["andel_procent"])
        found.append(Finding(
            f"nyps.spridning_{area_id.lower()}", "2b",
            f"Andelen till {area_id} skilde sig mellan länen från {sv_number(float(bottom['andel_procent']), 1)} procent "
            f"({bottom['lan']}) till {sv_number(float(top['andel_procent']), 1)} procent ({top['lan']}).",
            round(spread, 1), "procentenheter", CELL_AREA_COUNTY, "table_area_county", "figure_area_county_png"))

    per_capita = tables["per_capita"]
    ranked = per_capita[per_capita["lan_kod"] != reference.RIKET_KOD].sort_values("rang")
    high, low = ranked.iloc[0], ranked.iloc[-1]
    country = per_capita[per_capita["lan_kod"] == reference.RIKET_KOD].iloc[0]
    found.append(Finding("nyps.per_invanare_hogst", "2b",
                         f"{high['lan']} hade mest {noun} medel per invånare, {sv_number(float(high['kr_per_invanare']))} kronor "
                         f"(riket {sv_number(float(country['kr_per_invanare']))} kronor).",
                         round(float(high["kr_per_invanare"])), "kr per invånare", CELL_PER_CAPITA,
                         "table_per_capita", "figure_per_capita_map_png"))
    found.append(Finding("nyps.per_invanare_lagst", "2b",
                         f"{low['lan']} hade minst, {sv_number(float(low['kr_per_invanare']))} kronor per invånare.",
                         round(float(low["kr_per_invanare"])), "kr per invånare", CELL_PER_CAPITA,
                         "table_per_capita", "figure_per_capita_ranked_png"))

    shift = tables["mix_shift"]
    moved = shift[shift["lan_kod"] != reference.RIKET_KOD].sort_values("rang").iloc[0]
    national = shift[shift["lan_kod"] == reference.RIKET_KOD].iloc[0]
    found.append(Finding("nyps.forandring_storst", "2b",
                         f"Fördelningen på områden ändrades mest i {moved['lan']} mellan {first_year} och {last_year}: "
                         f"index {sv_number(float(moved['forandringsindex']), 1)} av 100, mest i "
                         f"{moved['storsta_forandring_omrade_id']} ({sv_number(float(moved['storsta_forandring_procentenheter']), 1)} procentenheter).",
                         round(float(moved["forandringsindex"]), 1), "index 0–100", CELL_MIX_SHIFT,
                         "table_mix_shift", "figure_mix_shift_png"))
    found.append(Finding("nyps.forandring_riket", "2b",
                         f"För riket som helhet var förändringsindex {sv_number(float(national['forandringsindex']), 1)} av 100 "
                         f"mellan {first_year} och {last_year}.",
                         round(float(national["forandringsindex"]), 1), "index 0–100", CELL_MIX_SHIFT,
                         "table_mix_shift", "figure_mix_shift_png"))

    cases = tables["cases"]
    c = cases[cases["lan_kod"] == reference.RIKET_KOD].iloc[0]
    found.append(Finding("nyps.koncentration_riket", "2b",
                         f"Den största tiondelen av de {sv_number(int(c['arenden']))} ärendena stod för "
                         f"{sv_number(float(c['andel_storsta_tiondel_procent']), 1)} procent av de {noun} medlen.",
                         round(float(c["andel_storsta_tiondel_procent"]), 1), "procent", CELL_CASES,
                         "table_cases", "figure_concentration_png"))

    paid = tables["granted_paid"]
    p = paid[paid["lan_kod"] == reference.RIKET_KOD]
    granted, paid_out = float(p["beviljat_mkr"].sum()), float(p["utbetalt_mkr"].sum())
    share = paid_out / granted * 100 if granted else 0.0
    found.append(Finding("nyps.utbetalt_andel", "2b",
                         f"Av de medel som beviljades {period} hade {sv_number(share, 1)} procent betalats ut när exporten togs.",
                         round(share, 1), "procent", CELL_GRANTED_PAID, "table_granted_paid", "figure_granted_paid_png"))
    return found
