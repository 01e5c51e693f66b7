"""Follow the basic prerequisites over time: how many actors report samverkan (GF2), lärande
(GF3) and kapacitet (GF1), and how much, per actor group and year.

Every per-actor figure is over all actors that reported that year, with or without entries of
the dimension, so that a group's figures are comparable between years.
"""
from __future__ import annotations

import pandas as pd

from .intake import ReportTables
from .schema import GROUPS, ReportFormatError

DIMENSIONS = ("samverkan", "larande", "kapacitet")
# Display labels for tables and figures (Swedish: what a reader sees).
DIMENSION_LABELS = {"samverkan": "Samverkan (GF2)", "larande": "Lärande (GF3)", "kapacitet": "Kapacitet (GF1)"}
GROUP_LABELS = {"region": "Regioner", "statlig_myndighet": "Statliga myndigheter", "tillvaxtverket": "Tillväxtverket"}
COLUMNS = ["aktorsgrupp", "ar", "dimension", "aktorer", "aktorer_med_poster", "andel_procent", "poster",
           "poster_per_aktor", "partnertyper_per_aktor"]
_NEEDED = {"rapporter": ("rapport_id", "aktorsgrupp", "ar"), "samverkan": ("rapport_id", "post", "partner_typ"),
           "larande": ("rapport_id", "post"), "kapacitet": ("rapport_id", "post")}


def _check(tables: ReportTables) -> None:
    problems = []
    for name, needed in _NEEDED.items():
        missing = [c for c in needed if c not in getattr(tables, name).columns]
        if missing:
            problems.append(f"ReportTables.{name}: missing column(s) {', '.join(missing)}, "
                            f"expected {', '.join(needed)}")
    if problems:
        raise ReportFormatError(problems)
    rapporter = tables.rapporter
    unknown_groups = sorted(set(rapporter["aktorsgrupp"]) - set(GROUPS))
    if unknown_groups:
        problems.append(f"ReportTables.rapporter: aktorsgrupp {', '.join(map(repr, unknown_groups))}, "
                        f"expected one of {', '.join(GROUPS)}")
    repeated = sorted(rapporter.loc[rapporter["rapport_id"].duplicated(), "rapport_id"].unique())
    if repeated:
        problems.append(f"ReportTables.rapporter: rapport_id {', '.join(repeated)} more than once, expected once")
    known = set(rapporter["rapport_id"])
    for name in DIMENSIONS:
        orphans = sorted(set(getattr(tables, name)["rapport_id"]) - known)
        if orphans:
            problems.append(f"ReportTables.{name}: rapport_id {', '.join(orphans)} not in rapporter, "
                            f"expected entries of the reports listed there")
    if problems:
        raise ReportFormatError(problems)


def followup(tables: ReportTables) -> pd.DataFrame:
    """One row per aktorsgrupp x ar x dimension (see COLUMNS):

    aktorer              actors (reports) of the group that year
    aktorer_med_poster   of them, those with at least one entry of the dimension
    andel_procent        100 * aktorer_med_poster / aktorer
    poster               entries of the dimension (an entry counts once, whatever its element ids)
    poster_per_aktor     poster / aktorer
    partnertyper_per_aktor  samverkan only: distinct partner types per actor, averaged over
                         aktorer (NaN for the other dimensions)

    Sorted by aktorsgrupp (region, statlig_myndighet, tillvaxtverket), ar, dimension
    (samverkan, larande, kapacitet)."""
    _check(tables)
    reports = tables.rapporter[["rapport_id", "aktorsgrupp", "ar"]]
    rows = []
    for (group, year), members in reports.groupby(["aktorsgrupp", "ar"], sort=False):
        ids = set(members["rapport_id"])
        actors = len(ids)
        for dimension in DIMENSIONS:
            table = getattr(tables, dimension)
            table = table[table["rapport_id"].isin(ids)]
            entries = table[["rapport_id", "post"]].drop_duplicates()
            with_entries = entries["rapport_id"].nunique()
            partner_types = float("nan")
            if dimension == "samverkan":
                partner_types = table.groupby("rapport_id")["partner_typ"].nunique().sum() / actors
            rows.append({
                "aktorsgrupp": group, "ar": int(year), "dimension": dimension, "aktorer": actors,
                "aktorer_med_poster": int(with_entries), "andel_procent": 100.0 * with_entries / actors,
                "poster": len(entries), "poster_per_aktor": len(entries) / actors,
                "partnertyper_per_aktor": float(partner_types),
            })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    order = frame.assign(
        _g=frame["aktorsgrupp"].map(GROUPS.index), _d=frame["dimension"].map(DIMENSIONS.index)
    ).sort_values(["_g", "ar", "_d"], kind="mergesort").index
    frame = frame.loc[order].reset_index(drop=True)
    return frame.astype({"ar": "int64", "aktorer": "int64", "aktorer_med_poster": "int64", "poster": "int64",
                         "andel_procent": "float64", "poster_per_aktor": "float64",
                         "partnertyper_per_aktor": "float64"})
