"""What stage 01 shows of the processed export: rows, cases and amounts per decision year and
per county, and the quarantine as a reader's table. Swedish headers: these are what the
reader sees."""
from __future__ import annotations

import pandas as pd

from .. import reference
from .analysis import MSEK



def by_year(projects: pd.DataFrame, year_from: int, year_to: int) -> pd.DataFrame:
    """One row per decision year: rows, distinct cases, granted and paid (MSEK), the share of
    the granted amount with a strategic area SO1–SO4, and whether the year is analysed."""
    grouped = projects.groupby("beslut_ar", sort=True)
    table = pd.DataFrame(
        {
            "rader": grouped.size(),
            "arenden": grouped["arende"].nunique(),
            "beviljat_mkr": grouped["beviljat_belopp"].sum() / MSEK,
            "utbetalt_mkr": grouped["utbet_belopp"].sum(min_count=1).fillna(0.0) / MSEK,
        }
    )
    with_area = projects[projects["omrade_id"].isin(reference.AREA_IDS)].groupby("beslut_ar")["beviljat_belopp"].sum()
    table["andel_so_procent"] = (with_area.reindex(table.index, fill_value=0.0) / grouped["beviljat_belopp"].sum() * 100).fillna(0.0)
    table["i_analysen"] = [year_from <= y <= year_to for y in table.index]
    table.index.name = "beslut_ar"
    return table.reset_index()


def by_county(projects: pd.DataFrame, year_from: int, year_to: int) -> pd.DataFrame:
    """One row per county (all 21, zero where the export has none) for the analysed years."""
    window = projects[projects["beslut_ar"].between(year_from, year_to)]
    grouped = window.groupby("lan_kod")
    counties = pd.DataFrame(reference.counties())[["lan_kod", "lan"]]
    table = counties.merge(
        pd.DataFrame(
            {
                "rader": grouped.size(),
                "arenden": grouped["arende"].nunique(),
                "beviljat_mkr": grouped["beviljat_belopp"].sum() / MSEK,
            }
        ).reset_index(),
        on="lan_kod",
        how="left",
    )
    table[["rader", "arenden"]] = table[["rader", "arenden"]].fillna(0).astype("int64")
    table["beviljat_mkr"] = table["beviljat_mkr"].fillna(0.0)
    return table


def quarantine_table(quarantine: pd.DataFrame) -> pd.DataFrame:
    """The quarantine as the reader sees it: row number, reason and the row's raw values."""
    columns = ["rad", "orsak", "arende", "beslut_ar", "stodtyp", "lan", "omrade", "prioritering", "beviljat_belopp", "utbet_belopp"]
    return quarantine[[c for c in columns if c in quarantine.columns]].copy()


def reconciliation_for_reader(recon: pd.DataFrame) -> pd.DataFrame:
    """The one-row reconciliation as two readable rows: rows and granted amount, in against
    accepted plus quarantined."""
    from ..display import sv_number

    r = recon.iloc[0]
    columns = {"In": "in", "Godkända": "godkanda", "Karantän": "karantan", "Differens": "diff"}
    return pd.DataFrame(
        {
            label: [sv_number(int(r[f"rader_{key}"])), sv_number(float(r[f"belopp_{key}"]), 2)]
            for label, key in columns.items()
        },
        index=pd.Index(["Rader", "Beviljat belopp (kr)"], name="Avstämning"),
    )


def plot_by_year(table: pd.DataFrame, year_from: int, year_to: int, synthetic: bool):
    """Bar chart of the granted amount per decision year, the analysed years highlighted."""
    import matplotlib.pyplot as plt

    from .. import figures
    from ..display import sv_number

    figures.style()
    fig, ax = plt.subplots(figsize=(8, 4.2))
    colours = [figures.NEUTRAL if inside else "#D9D9D9" for inside in table["i_analysen"]]
    ax.bar(table["beslut_ar"].astype(str), table["beviljat_mkr"], color=colours, edgecolor="#333333", linewidth=0.4)
    ax.set_title(f"Beviljat belopp per beslutsår (mnkr); analysperioden {year_from}–{year_to} markerad")
    ax.set_xlabel("Beslutsår")
    ax.set_ylabel("Beviljat belopp (mnkr)")
    ax.yaxis.set_major_formatter(lambda value, _pos: sv_number(value))
    for x, value in zip(table["beslut_ar"].astype(str), table["beviljat_mkr"]):
        ax.annotate(sv_number(value), (x, value), ha="center", va="bottom", fontsize=8,
                    xytext=(0, 2), textcoords="offset points")
    fig.subplots_adjust(bottom=0.18)
    figures.caption(fig, "Tillväxtverket (NYPS2020), projektexport", synthetic)
    return fig
