"""Stage 02, the NYPS analysis: how the 1:1 funds were used by strategic area, county and
decision year. Pure pandas, no I/O.

Every table function returns a new DataFrame with a fixed set of columns in a fixed order,
a reset index and a deterministic row order: the 21 counties in ``lan_kod`` order (all of
them, zero where there is nothing), then the country row (``lan_kod`` "00", ``lan`` "Riket");
areas in ``AREA_ORDER``. Amounts are MSEK (SEK / 1e6) and are not rounded here; shares are
per cent and 0.0 where the total they are a share of is zero.

The Riket rows are computed from the selection directly (not as the sum of the county rows),
so that ``consistency`` compares two independent computations.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .. import reference

MSEK = 1_000_000
AREA_ORDER = ("SO1", "SO2", "SO3", "SO4", "ANNAT")
NO_PRIORITY = "Ingen prioritering angiven"
SUPPORT_TYPES = ("PROJ", "FTG", "KS")
UNKNOWN_SUPPORT_TYPE = "okänd"  # label of rows whose support type is null
AMOUNT_BASES = {"beviljat": "beviljat_mkr", "utbetalt": "utbetalt_mkr"}
_SOURCE_AMOUNT = {"beviljat": "beviljat_belopp", "utbetalt": "utbet_belopp"}
# The processed project table's columns this stage reads. The notebook loads only these: the
# project names and municipalities are most of the file's bytes and of its reading time.
ANALYSED_COLUMNS = [
    "arende", "beslut_ar", "stodtyp", "lan_kod", "omrade_id", "omrade", "prioritering_id",
    "prioritering", "beviljat_belopp", "utbet_belopp",
]

# --------------------------------------------------------------------------- parameters

def amount_column(amount_basis: str) -> str:
    """The amount column of the tables: ``beviljat_mkr`` or ``utbetalt_mkr``."""
    try:
        return AMOUNT_BASES[amount_basis]
    except (KeyError, TypeError):
        raise ValueError(
            f"amount_basis must be one of {sorted(AMOUNT_BASES)}, not {amount_basis!r}"
        ) from None


def _support_types(support_types: str | Iterable[str]) -> tuple[str, ...]:
    """The selected support types, checked, duplicates dropped, order kept."""
    if isinstance(support_types, str):
        support_types = (support_types,)
    chosen = tuple(dict.fromkeys(support_types))
    unknown = [t for t in chosen if t not in SUPPORT_TYPES]
    if unknown:
        raise ValueError(f"unknown support type(s) {unknown}; known: {list(SUPPORT_TYPES)}")
    if not chosen:
        raise ValueError(f"support_types is empty; choose among {list(SUPPORT_TYPES)}")
    return chosen


def _years(year_from: int, year_to: int) -> list[int]:
    if year_from > year_to:
        raise ValueError(f"year_from ({year_from}) is after year_to ({year_to})")
    return list(range(int(year_from), int(year_to) + 1))


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}")


def _check_sel(sel: pd.DataFrame, columns: Sequence[str]) -> None:
    """The selection has the columns needed, and only known counties and areas."""
    _require(sel, columns, "the selection")
    if "lan_kod" in columns:
        bad = sel.loc[~sel["lan_kod"].isin(reference.county_codes()), "lan_kod"]
        if len(bad):
            raise ValueError(
                f"the selection holds lan_kod value(s) not among the 21 counties: "
                f"{sorted(map(repr, bad.unique()))}"
            )
    if "omrade_id" in columns:
        bad = sel.loc[~sel["omrade_id"].isin(AREA_ORDER), "omrade_id"]
        if len(bad):
            raise ValueError(
                f"the selection holds omrade_id value(s) outside {list(AREA_ORDER)}: "
                f"{sorted(map(repr, bad.unique()))}"
            )


# --------------------------------------------------------------------------- helpers

def _counties_and_riket() -> list[tuple[str, str]]:
    return [(c["lan_kod"], c["lan"]) for c in reference.counties()] + [(reference.RIKET_KOD, reference.RIKET)]


def _product_index(dims: Sequence[tuple[str, Sequence]]) -> pd.Index:
    names = [name for name, _ in dims]
    levels = [list(values) for _, values in dims]
    if len(dims) == 1:
        return pd.Index(levels[0], name=names[0])
    return pd.MultiIndex.from_product(levels, names=names)


def _grid(sel: pd.DataFrame, dims: Sequence[tuple[str, Sequence]], values: Sequence[str] = ("belopp",)) -> pd.DataFrame:
    """Sums of ``values`` (SEK) for every county + Riket x every combination of ``dims``, zero
    where there is nothing. Rows: county order, then the dims' orders."""
    names = [name for name, _ in dims]
    county_index = _product_index([("lan_kod", reference.county_codes()), *dims])
    by_county = sel.groupby(["lan_kod", *names], sort=False)[list(values)].sum()
    by_county = by_county.reindex(county_index, fill_value=0.0).reset_index()
    riket = sel.groupby(names, sort=False)[list(values)].sum()
    riket = riket.reindex(_product_index(dims), fill_value=0.0).reset_index()
    riket.insert(0, "lan_kod", reference.RIKET_KOD)
    table = pd.concat([by_county, riket], ignore_index=True)
    table.insert(1, "lan", table["lan_kod"].map(dict(_counties_and_riket())))
    for v in values:
        table[v] = table[v].astype("float64")
    return table


def _share(amount: pd.Series, total: pd.Series) -> pd.Series:
    """amount / total in per cent, 0.0 where the total is zero."""
    return (amount / total.where(total != 0) * 100).fillna(0.0).astype("float64")


def _share_within(table: pd.DataFrame, by: list[str], value: str = "belopp") -> pd.Series:
    return _share(table[value], table.groupby(by, sort=False)[value].transform("sum"))


def _finish(table: pd.DataFrame, amount_basis: str, columns: list[str]) -> pd.DataFrame:
    """belopp (SEK) -> the MSEK amount column; the columns in order."""
    out = table.copy()
    out[amount_column(amount_basis)] = out["belopp"] / MSEK
    return out[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- selection

def _row_filter(projects: pd.DataFrame, year_from: int, year_to: int, support_types) -> pd.Series:
    _require(projects, ["beslut_ar", "stodtyp"], "the project table")
    _years(year_from, year_to)
    chosen = _support_types(support_types)
    mask = projects["beslut_ar"].between(year_from, year_to) & projects["stodtyp"].isin(chosen)
    if set(SUPPORT_TYPES) <= set(chosen):
        mask |= projects["beslut_ar"].between(year_from, year_to) & projects["stodtyp"].isna()
    return mask


def select(projects: pd.DataFrame, year_from: int, year_to: int, support_types, amount_basis: str) -> pd.DataFrame:
    """The rows analysed: decision year in [year_from, year_to] and support type among
    ``support_types`` (rows without a support type only when all three are chosen), with
    the analysed amount in SEK as ``belopp`` (paid out: NaN counts as 0)."""
    amount_column(amount_basis)
    source = _SOURCE_AMOUNT[amount_basis]
    _require(projects, [source], "the project table")
    mask = _row_filter(projects, year_from, year_to, support_types)
    # One positional take (a copy with a fresh index): .loc[mask].copy().reset_index() copied
    # a million-row table three times.
    out = projects.take(np.flatnonzero(mask.to_numpy(dtype=bool)))
    out.index = pd.RangeIndex(len(out))
    amounts = out[source].astype("float64")
    out["belopp"] = amounts.fillna(0.0) if amount_basis == "utbetalt" else amounts
    return out


# --------------------------------------------------------------------------- tables

def area_by_county(sel: pd.DataFrame, amount_basis: str) -> pd.DataFrame:
    """Amount per county and strategic area, and the area's share of the county's total."""
    B = amount_column(amount_basis)
    _check_sel(sel, ["lan_kod", "omrade_id", "belopp"])
    table = _grid(sel, [("omrade_id", AREA_ORDER)])
    table["andel_procent"] = _share_within(table, ["lan_kod"])
    return _finish(table, amount_basis, ["lan_kod", "lan", "omrade_id", B, "andel_procent"])


def _annat_labels(values: pd.Series) -> pd.Series:
    lookup = reference.annat_label_lookup()
    mapping = {}
    for value in values.unique():
        key = reference.normalise_label(value) if isinstance(value, str) else None
        if key not in lookup:
            raise ValueError(
                f"the Annat area value {value!r} is not one of {list(reference.annat_values())} "
                f"or a known spelling of them"
            )
        mapping[value] = lookup[key]
    return values.map(mapping)


def annat_by_county(sel: pd.DataFrame, amount_basis: str) -> pd.DataFrame:
    """Annat split into its five NYPS values (official labels) per county, with each value's
    share of the county's Annat total."""
    B = amount_column(amount_basis)
    _check_sel(sel, ["lan_kod", "omrade_id", "omrade", "belopp"])
    annat = sel.loc[sel["omrade_id"] == reference.ANNAT, ["lan_kod", "omrade", "belopp"]].copy()
    annat["omrade"] = _annat_labels(annat["omrade"])
    table = _grid(annat, [("omrade", reference.annat_values())])
    table["andel_procent"] = _share_within(table, ["lan_kod"])
    return _finish(table, amount_basis, ["lan_kod", "lan", "omrade", B, "andel_procent"])


def _rank_desc(values: Sequence[float], codes: Sequence[str]) -> list[int]:
    """1 = the largest value; ties in lan_kod order."""
    order = sorted(range(len(values)), key=lambda i: (-values[i], codes[i]))
    ranks = [0] * len(values)
    for rank, i in enumerate(order, start=1):
        ranks[i] = rank
    return ranks


def per_capita(sel: pd.DataFrame, amount_basis: str) -> pd.DataFrame:
    """Amount per inhabitant (population 31 Dec 2023) per county, ranked (1 = highest)."""
    B = amount_column(amount_basis)
    _check_sel(sel, ["lan_kod", "belopp"])
    codes = list(reference.county_codes())
    sums = sel.groupby("lan_kod")["belopp"].sum().reindex(codes, fill_value=0.0).astype("float64")
    population = [c["folkmangd_2023"] for c in reference.counties()]
    kr = [float(s) / p for s, p in zip(sums, population)]
    total = float(sel["belopp"].sum())
    total_population = sum(population)
    table = pd.DataFrame(
        {
            "lan_kod": [*codes, reference.RIKET_KOD],
            "lan": [lan for _, lan in _counties_and_riket()],
            "folkmangd_2023": pd.array([*population, total_population], dtype="int64"),
            "belopp": [*sums, total],
            "kr_per_invanare": [*kr, total / total_population],
            "rang": pd.array([*_rank_desc(kr, codes), pd.NA], dtype="Int64"),
        }
    )
    return _finish(table, amount_basis, ["lan_kod", "lan", "folkmangd_2023", B, "kr_per_invanare", "rang"])


def area_by_year(sel: pd.DataFrame, amount_basis: str, year_from: int, year_to: int) -> pd.DataFrame:
    """Amount per county, decision year and area, with the area's share of the county-year
    total. Every year of the window is present, zero where there is nothing."""
    B = amount_column(amount_basis)
    years = _years(year_from, year_to)
    _check_sel(sel, ["lan_kod", "omrade_id", "beslut_ar", "belopp"])
    outside = sel.loc[~sel["beslut_ar"].isin(years), "beslut_ar"]
    if len(outside):
        raise ValueError(
            f"the selection holds decision year(s) {sorted(outside.unique().tolist())} outside "
            f"{year_from}–{year_to}"
        )
    table = _grid(sel, [("beslut_ar", years), ("omrade_id", AREA_ORDER)])
    table["beslut_ar"] = table["beslut_ar"].astype("int64")
    table["andel_procent"] = _share_within(table, ["lan_kod", "beslut_ar"])
    return _finish(table, amount_basis, ["lan_kod", "lan", "beslut_ar", "omrade_id", B, "andel_procent"])


def mix_change(by_year: pd.DataFrame, first_year: int, last_year: int) -> pd.DataFrame:
    """Each area's share of the county's amount in the first and the last year, and the
    change in percentage points (last - first)."""
    _require(by_year, ["lan_kod", "beslut_ar", "omrade_id", "andel_procent"], "the area-by-year table")
    shares = {}
    for year in (first_year, last_year):
        rows = by_year[by_year["beslut_ar"] == year]
        if rows.empty:
            raise ValueError(f"the area-by-year table has no rows for {year}")
        indexed = rows.set_index(["lan_kod", "omrade_id"])["andel_procent"]
        if indexed.index.has_duplicates:
            raise ValueError(f"the area-by-year table has several rows per county and area in {year}")
        shares[year] = indexed
    grid = pd.MultiIndex.from_product(
        [[code for code, _ in _counties_and_riket()], AREA_ORDER], names=["lan_kod", "omrade_id"]
    )
    table = grid.to_frame(index=False)
    table.insert(1, "lan", table["lan_kod"].map(dict(_counties_and_riket())))
    for year, column in ((first_year, "andel_forsta_procent"), (last_year, "andel_sista_procent")):
        values = shares[year].reindex(grid)
        if values.isna().any():
            missing = [f"{c}/{a}" for (c, a) in values[values.isna()].index]
            raise ValueError(f"the area-by-year table lacks {year} for {missing[:5]}")
        table[column] = values.to_numpy(dtype="float64")
    table["forandring_procentenheter"] = table["andel_sista_procent"] - table["andel_forsta_procent"]
    return table


def mix_shift(change: pd.DataFrame) -> pd.DataFrame:
    """How much each county's area mix changed: half the sum of the absolute changes (the
    share of the money that would have to move), the area that changed most (signed), and a
    rank among the 21 counties (1 = largest change). Sorted by rank, Riket last."""
    _require(change, ["lan_kod", "omrade_id", "forandring_procentenheter"], "the mix-change table")
    rows = []
    for code, lan in _counties_and_riket():
        part = change[change["lan_kod"] == code].set_index("omrade_id")["forandring_procentenheter"]
        if part.index.has_duplicates or set(part.index) != set(AREA_ORDER):
            raise ValueError(f"the mix-change table does not hold each of {list(AREA_ORDER)} once for {code}")
        part = part.reindex(AREA_ORDER).astype("float64")
        largest = max(AREA_ORDER, key=lambda a: (abs(part[a]), -AREA_ORDER.index(a)))  # ties: first area
        rows.append((code, lan, 0.5 * float(part.abs().sum()), largest, float(part[largest])))
    table = pd.DataFrame(
        rows,
        columns=["lan_kod", "lan", "forandringsindex", "storsta_forandring_omrade_id", "storsta_forandring_procentenheter"],
    )
    ranks = _rank_desc(list(table["forandringsindex"][:-1]), list(table["lan_kod"][:-1]))
    table["rang"] = pd.array([*ranks, pd.NA], dtype="Int64")
    order = sorted(range(len(ranks)), key=lambda i: ranks[i]) + [len(ranks)]
    return table.iloc[order].reset_index(drop=True)


def _priority_sort_key(priority_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in priority_id[2:].split("."))


def priorities(sel: pd.DataFrame, amount_basis: str) -> pd.DataFrame:
    """National: amount per priority of each strategic area SO1–SO4 (every priority of the
    framework, zero where none), then the area's rows without a priority; share of the
    area's total."""
    B = amount_column(amount_basis)
    _check_sel(sel, ["omrade_id", "prioritering_id", "belopp"])
    known = {r["id"]: r for r in reference.elements("prioritering")}
    so = sel.loc[sel["omrade_id"].isin(reference.AREA_IDS), ["omrade_id", "prioritering_id", "belopp"]]
    with_priority = so[so["prioritering_id"].notna()]
    unknown = sorted(set(with_priority["prioritering_id"]) - set(known))
    if unknown:
        raise ValueError(f"the selection holds unknown prioritering_id value(s) {unknown}")
    wrong_area = with_priority[with_priority["prioritering_id"].map(lambda p: known[p]["overordnad"]) != with_priority["omrade_id"]]
    if len(wrong_area):
        pairs = sorted(set(zip(wrong_area["prioritering_id"], wrong_area["omrade_id"])))
        raise ValueError(f"priorities recorded under another area (priority, area): {pairs[:5]}")
    sums = so.assign(prioritering_id=so["prioritering_id"].where(so["prioritering_id"].notna(), "")) \
        .groupby(["omrade_id", "prioritering_id"])["belopp"].sum()
    rows = []
    for area in reference.AREA_IDS:
        ids = sorted((p for p, r in known.items() if r["overordnad"] == area), key=_priority_sort_key)
        for p in ids:
            rows.append((area, p, known[p]["etikett"], float(sums.get((area, p), 0.0))))
        rows.append((area, None, NO_PRIORITY, float(sums.get((area, ""), 0.0))))
    table = pd.DataFrame(rows, columns=["omrade_id", "prioritering_id", "prioritering", "belopp"])
    table["andel_av_omradet_procent"] = _share_within(table, ["omrade_id"])
    return _finish(table, amount_basis, ["omrade_id", "prioritering_id", "prioritering", B, "andel_av_omradet_procent"])


def support_type(sel: pd.DataFrame, amount_basis: str, support_types) -> pd.DataFrame:
    """Amount per county, support type and area; share of the county's total. Rows without
    a support type are shown as "okänd" (only when there are such rows)."""
    B = amount_column(amount_basis)
    chosen = _support_types(support_types)
    _check_sel(sel, ["lan_kod", "omrade_id", "stodtyp", "belopp"])
    other = sorted(set(sel.loc[sel["stodtyp"].notna(), "stodtyp"]) - set(chosen))
    if other:
        raise ValueError(f"the selection holds support type(s) {other} not among {list(chosen)}")
    data = sel[["lan_kod", "omrade_id", "stodtyp", "belopp"]].copy()
    levels = list(chosen)
    if data["stodtyp"].isna().any():
        data["stodtyp"] = data["stodtyp"].where(data["stodtyp"].notna(), UNKNOWN_SUPPORT_TYPE)
        levels.append(UNKNOWN_SUPPORT_TYPE)
    table = _grid(data, [("stodtyp", levels), ("omrade_id", AREA_ORDER)])
    table["andel_procent"] = _share_within(table, ["lan_kod"])
    return _finish(table, amount_basis, ["lan_kod", "lan", "stodtyp", "omrade_id", B, "andel_procent"])


def _case_figures(per_case: np.ndarray, rows: int) -> tuple[int, int, float, float, float]:
    """cases, rows, amount, median per case, share of the largest tenth (rounded up) of cases."""
    n = len(per_case)
    if n == 0:
        return 0, rows, 0.0, 0.0, 0.0
    total = float(per_case.sum())
    top_n = -(-n // 10)  # ceil(n / 10) in integers: 0.1 * 30 is 3.0000000000000004 in floats
    top = float(np.sort(per_case)[::-1][:top_n].sum())
    share = top / total * 100 if total != 0 else 0.0
    return n, rows, total, float(np.median(per_case)), share


def cases(sel: pd.DataFrame, amount_basis: str) -> pd.DataFrame:
    """Per county: distinct cases, rows, amount, the median amount per case (the rows of a
    case summed first), and the share of the amount held by the largest tenth of the cases
    (rounded up: 10 cases -> the largest 1, 11 cases -> the largest 2)."""
    B = amount_column(amount_basis)
    _check_sel(sel, ["lan_kod", "arende", "belopp"])
    if sel["arende"].isna().any():
        raise ValueError("the selection holds rows without arende (case id)")
    per_case = sel.groupby(["lan_kod", "arende"], sort=False)["belopp"].sum()
    rows_per_county = sel.groupby("lan_kod").size()
    groups = {code: part.to_numpy(dtype="float64") for code, part in per_case.groupby(level="lan_kod")}
    records = []
    for code, lan in _counties_and_riket()[:-1]:
        figures = _case_figures(groups.get(code, np.array([], dtype="float64")), int(rows_per_county.get(code, 0)))
        records.append((code, lan, *figures))
    national = sel.groupby("arende", sort=False)["belopp"].sum().to_numpy(dtype="float64")
    records.append((reference.RIKET_KOD, reference.RIKET, *_case_figures(national, len(sel))))
    table = pd.DataFrame(
        records,
        columns=["lan_kod", "lan", "arenden", "rader", "belopp", "median_sek", "andel_storsta_tiondel_procent"],
    )
    table["arenden"] = table["arenden"].astype("int64")
    table["rader"] = table["rader"].astype("int64")
    table["belopp"] = table["belopp"].astype("float64")
    table["median_per_arende_mkr"] = table["median_sek"].astype("float64") / MSEK
    table["andel_storsta_tiondel_procent"] = table["andel_storsta_tiondel_procent"].astype("float64")
    return _finish(
        table, amount_basis,
        ["lan_kod", "lan", "arenden", "rader", B, "median_per_arende_mkr", "andel_storsta_tiondel_procent"],
    )


def granted_vs_paid(projects: pd.DataFrame, year_from: int, year_to: int, support_types) -> pd.DataFrame:
    """Granted and paid out (MSEK) per county and decision year, and the share paid out.
    The same rows as ``select``; whatever the amount basis."""
    years = _years(year_from, year_to)
    _require(projects, ["lan_kod", "beslut_ar", "stodtyp", "beviljat_belopp", "utbet_belopp"], "the project table")
    rows = projects.loc[_row_filter(projects, year_from, year_to, support_types),
                        ["lan_kod", "beslut_ar", "beviljat_belopp", "utbet_belopp"]].copy()
    _check_sel(rows, ["lan_kod"])
    rows["beviljat"] = rows["beviljat_belopp"].astype("float64")
    rows["utbetalt"] = rows["utbet_belopp"].astype("float64").fillna(0.0)
    table = _grid(rows, [("beslut_ar", years)], values=("beviljat", "utbetalt"))
    table["beslut_ar"] = table["beslut_ar"].astype("int64")
    table["beviljat_mkr"] = table["beviljat"] / MSEK
    table["utbetalt_mkr"] = table["utbetalt"] / MSEK
    table["utbetalt_andel_procent"] = _share(table["utbetalt"], table["beviljat"])
    return table[["lan_kod", "lan", "beslut_ar", "beviljat_mkr", "utbetalt_mkr", "utbetalt_andel_procent"]].reset_index(drop=True)


# --------------------------------------------------------------------------- checks

def _direct_total(projects: pd.DataFrame, year_from: int, year_to: int, support_types, amount_basis: str) -> float:
    """The analysed total (MSEK) straight from the project table, written apart from select()
    on purpose: a second computation to compare with."""
    column = "beviljat_belopp" if amount_basis == "beviljat" else "utbet_belopp"
    types = list(support_types) if not isinstance(support_types, str) else [support_types]
    year = projects["beslut_ar"]
    kind = projects["stodtyp"]
    keep = (year >= year_from) & (year <= year_to)
    if "PROJ" in types and "FTG" in types and "KS" in types:
        keep = keep & (kind.isin(types) | kind.isna())
    else:
        keep = keep & kind.isin(types)
    return float(projects[column][keep].fillna(0.0).sum()) / MSEK


def consistency(sel: pd.DataFrame, amount_basis: str, area_table: pd.DataFrame, projects: pd.DataFrame,
                year_from: int, year_to: int, support_types) -> pd.DataFrame:
    """Checks of the area-by-county table, one row each: shares sum to 100 (per cent), the
    counties sum to the country (MSEK), the country equals the processed table and the
    selection (MSEK). differens = faktiskt - forvantat."""
    B = amount_column(amount_basis)
    _support_types(support_types)
    _years(year_from, year_to)
    _require(sel, ["belopp"], "the selection")
    _require(area_table, ["lan_kod", "omrade_id", B, "andel_procent"], "the area table")
    _require(projects, ["beslut_ar", "stodtyp", _SOURCE_AMOUNT[amount_basis]], "the project table")
    checks: list[tuple[str, float, float]] = []
    for code, _ in _counties_and_riket():
        rows = area_table[area_table["lan_kod"] == code]
        if rows[B].sum() != 0:
            checks.append((f"andelar summerar till 100: {code}", 100.0, float(rows["andel_procent"].sum())))
    is_riket = area_table["lan_kod"] == reference.RIKET_KOD
    for area in AREA_ORDER:
        of_area = area_table["omrade_id"] == area
        checks.append((
            f"länen summerar till riket: {area}",
            float(area_table.loc[is_riket & of_area, B].sum()),
            float(area_table.loc[~is_riket & of_area, B].sum()),
        ))
    riket_total = float(area_table.loc[is_riket, B].sum())
    checks.append(("riket = bearbetad tabell",
                   _direct_total(projects, year_from, year_to, support_types, amount_basis), riket_total))
    checks.append(("riket = summa av områden", float(sel["belopp"].sum()) / MSEK, riket_total))
    table = pd.DataFrame(checks, columns=["kontroll", "forvantat", "faktiskt"])
    table["differens"] = table["faktiskt"] - table["forvantat"]
    return table
