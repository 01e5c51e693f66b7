"""The figures of stage 02: how the 1:1 funds were used by strategic area, county and year.

One function per figure. Each takes the analysis table(s) of helpers.nyps.analysis and
`synthetic`, draws with the study's one palette and style (helpers.figures), puts the source
caption under the figure and returns (fig, plotted): `plotted` holds exactly the numbers drawn,
with the source table's column names and its rows in drawing order (the order of the bars in
ax.patches, or of the points of the lines), so a test can check the chart against the table.
Nothing here saves a file: the notebook does that with figures.save. Every text a reader sees is
Swedish; numbers are written the Swedish way (helpers.display.sv_number)."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import figures, reference
from ..display import sv_number
from ..maps import draw_choropleth

SOURCE = "Tillväxtverket (NYPS2020), projektexport"
SOURCE_PER_CAPITA = f"{SOURCE}; SCB, folkmängd 31 dec 2023"
SOURCE_MAP = f"{SOURCE}; SCB (folkmängd, länsgränser)"
AMOUNT_LABELS = {"beviljat": "Beviljat belopp", "utbetalt": "Utbetalt belopp"}
# after a genitive: "länets beviljade belopp"
AMOUNT_DEFINITE = {"beviljat": "beviljade belopp", "utbetalt": "utbetalda belopp"}
AREAS = ("SO1", "SO2", "SO3", "SO4", "ANNAT")
RIKET_BAR_LABEL = "Riket (medel totalt)"
ANNAT_NOTE = ("Annat är en summering av Internationellt samarbete, UPPGIFT SAKNAS, Övriga insatser, "
              "Övrigt och Övrigt genomförande av RUS.")
NO_PRIORITY = "Ingen prioritering angiven"
# NYPS support type codes as the reader sees them.
SUPPORT_TYPE_LABELS = {
    "PROJ": "Projektstöd (PROJ)",
    "FTG": "Företagsstöd (FTG)",
    "KS": "Stöd till kommersiell service (KS)",
    "okänd": "Stödtyp saknas",
}
# Neutral inks (text, reference lines, a secondary bar), as overview.py and figures.caption use
# them; the palette colours all come from helpers.figures.
_INK = "#333333"
_LIGHT = "#D9D9D9"


# --------------------------------------------------------------------------- small helpers

def _amount_column(amount_basis: str) -> str:
    if amount_basis not in AMOUNT_LABELS:
        raise ValueError(f"amount_basis must be 'beviljat' or 'utbetalt', not {amount_basis!r}")
    return f"{amount_basis}_mkr"


def _basis_of(table: pd.DataFrame) -> str:
    """The amount basis of a table that carries exactly one of beviljat_mkr / utbetalt_mkr."""
    found = [b for b in AMOUNT_LABELS if f"{b}_mkr" in table.columns]
    if len(found) != 1:
        raise ValueError(f"table must hold exactly one of beviljat_mkr, utbetalt_mkr; found {found}")
    return found[0]


def _pct(value: float, decimals: int = 0) -> str:
    return f"{sv_number(value, decimals)} %"


def _signed(value: float, decimals: int = 1) -> str:
    text = sv_number(abs(value), decimals)
    if round(value, decimals) > 0:
        return f"+{text}"
    if round(value, decimals) < 0:
        return f"\u2212{text}"
    return text


def _wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) or str(text)


def _text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on a filled segment."""
    r, g, b = to_rgb(colour)
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "white"


def _sv_axis(axis, decimals: int = 0) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: sv_number(v, decimals)))


def _split_riket(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    is_riket = table["lan_kod"].astype(str) == reference.RIKET_KOD
    return table[~is_riket], table[is_riket]


def _county_codes(table: pd.DataFrame) -> list[str]:
    """The counties of a table in lan_kod order, Riket ("00") last."""
    codes = sorted(set(table["lan_kod"].astype(str)) - {reference.RIKET_KOD})
    if reference.RIKET_KOD in set(table["lan_kod"].astype(str)):
        codes.append(reference.RIKET_KOD)
    return codes


def _category_order(values, preferred) -> list[str]:
    present = list(dict.fromkeys(values))
    return [c for c in preferred if c in present] + sorted(c for c in present if c not in preferred)


def _ordered_rows(table: pd.DataFrame, keys: list[tuple[str, list]]) -> pd.DataFrame:
    """Rows of `table` sorted by the given columns, each in the given order of its values."""
    rank = pd.DataFrame(index=table.index)
    for column, order in keys:
        position = {v: i for i, v in enumerate(order)}
        rank[column] = table[column].map(lambda v: position.get(v, len(order)))
    index = rank.sort_values([c for c, _ in keys], kind="mergesort").index
    return table.loc[index].reset_index(drop=True)


def _riket_value(table: pd.DataFrame, column: str) -> float | None:
    _, riket = _split_riket(table)
    if riket.empty or pd.isna(riket[column].iloc[0]):
        return None
    return float(riket[column].iloc[0])


def _finish(fig, synthetic: bool, source: str = SOURCE) -> None:
    figures.caption(fig, source, synthetic)


def _title(ax, text: str, width: int = 85, pad: float = 6) -> None:
    ax.set_title(_wrap(text, width), loc="left", fontsize=12, pad=pad)


# --------------------------------------------------------------------------- 100 % stacked bars

def _stacked_share_bars(
    table: pd.DataFrame,
    category_column: str,
    categories: list[str],
    colours: dict[str, str],
    legend_labels: dict[str, str],
    amount_column: str,
    title: str,
    legend_columns: int,
    note: str | None = None,
    figsize: tuple[float, float] = (10, 9),
):
    """One horizontal 100 % bar per county, Riket last and set apart. Segments are drawn
    category by category (one BarContainer each), so `plotted` is in that order."""
    codes = _county_codes(table)
    plotted = _ordered_rows(table, [(category_column, categories), ("lan_kod", codes)])
    names = table.drop_duplicates("lan_kod").set_index("lan_kod")["lan"].astype(str)

    # counties top to bottom, a gap, then Riket
    y = {code: float(i) for i, code in enumerate(c for c in codes if c != reference.RIKET_KOD)}
    if reference.RIKET_KOD in codes:
        y[reference.RIKET_KOD] = len(y) + 0.6

    fig, ax = plt.subplots(figsize=figsize)
    left = dict.fromkeys(codes, 0.0)
    for category in categories:
        rows = plotted[plotted[category_column] == category]
        widths = rows["andel_procent"].fillna(0.0).to_numpy(dtype=float)
        lefts = np.array([left[c] for c in rows["lan_kod"]])
        ys = np.array([y[c] for c in rows["lan_kod"]])
        colour = colours.get(category, _LIGHT)
        ax.barh(ys, widths, left=lefts, height=0.72, color=colour,
                edgecolor="white", linewidth=0.5, label=legend_labels[category])
        text_colour = _text_colour_on(colour)
        for code, w, x0, yy in zip(rows["lan_kod"], widths, lefts, ys):
            if w >= 5:
                ax.text(x0 + w / 2, yy, _pct(w), ha="center", va="center", fontsize=7.5, color=text_colour)
            left[code] += w

    totals = table.groupby(table["lan_kod"].astype(str))[amount_column].sum()
    for code in codes:
        ax.text(101.5, y[code], sv_number(float(totals.get(code, 0.0)), 1), ha="left", va="center", fontsize=8,
                weight="bold" if code == reference.RIKET_KOD else "normal")
    ax.text(101.5, -0.75, "Totalt\n(mnkr)", ha="left", va="bottom", fontsize=8, color=_INK)

    labels = [RIKET_BAR_LABEL if c == reference.RIKET_KOD else names.get(c, c) for c in codes]
    ax.set_yticks([y[c] for c in codes], labels)
    for tick, code in zip(ax.get_yticklabels(), codes):
        if code == reference.RIKET_KOD:
            tick.set_fontweight("bold")
    if reference.RIKET_KOD in codes:
        ax.axhline(y[reference.RIKET_KOD] - 0.8, color=_INK, linewidth=0.8, xmin=0, xmax=1)
    ax.set_ylim(max(y.values()) + 0.6, -0.6)
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 20))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _pct(v)))
    ax.set_xlabel("Andel av beloppet (procent)")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    _title(ax, title, pad=22)  # room for the 'Totalt (mnkr)' header above the plot
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.07), ncol=legend_columns, frameon=False,
              fontsize=8, handlelength=1.2, columnspacing=1.2)
    bottom = 0.16 if note is None else 0.19
    fig.subplots_adjust(left=0.2, right=0.9, top=0.89, bottom=bottom)
    if note:
        fig.text(0.01, 0.035, _wrap(note, 130), ha="left", va="bottom", fontsize=8, color=_INK)
    return fig, ax, plotted


def area_shares_by_county(table: pd.DataFrame, amount_basis: str, year_from: int, year_to: int, synthetic: bool):
    """Figure 'Andel av totalt beviljat belopp uppdelat på strategiska områden och län':
    one 100 % bar per county and one for Riket, segments SO1–SO4 and Annat, the county's total
    (mnkr) at the bar's end. `table` is analysis' area_by_county."""
    figures.style()
    column = _amount_column(amount_basis)
    areas = _category_order(table["omrade_id"], AREAS)
    legend = {a: _wrap(reference.label(a), 28) for a in areas}
    word = AMOUNT_LABELS[amount_basis].split()[0].lower()
    title = (f"Andel av totalt {word} belopp uppdelat på strategiska områden och län, "
             f"{year_from}–{year_to} (procent och miljoner kronor)")
    fig, _ax, plotted = _stacked_share_bars(table, "omrade_id", areas, figures.AREA_COLOURS, legend, column,
                                            title, legend_columns=5)
    _finish(fig, synthetic)
    return fig, plotted


def annat_shares_by_county(table: pd.DataFrame, amount_basis: str, year_from: int, year_to: int, synthetic: bool):
    """The same design for the five NYPS values summed as Annat. `table` is annat_by_county."""
    figures.style()
    column = _amount_column(amount_basis)
    values = _category_order(table["omrade"], list(figures.ANNAT_COLOURS))
    legend = {v: _wrap(v, 28) for v in values}
    word = AMOUNT_LABELS[amount_basis].split()[0].lower()
    title = (f"Andel av {word} belopp inom Annat uppdelat på registrerade värden och län, "
             f"{year_from}–{year_to} (procent och miljoner kronor)")
    fig, _ax, plotted = _stacked_share_bars(table, "omrade", values, figures.ANNAT_COLOURS, legend, column,
                                            title, legend_columns=5, note=ANNAT_NOTE)
    _finish(fig, synthetic)
    return fig, plotted


def support_type_by_county(table: pd.DataFrame, amount_basis: str, synthetic: bool):
    """100 % bars per county (and Riket) split by stödtyp, the areas summed. `plotted` has
    lan_kod, lan, stodtyp, the amount and andel_procent (share of the county's amount)."""
    figures.style()
    column = _amount_column(amount_basis)
    summed = (table.groupby(["lan_kod", "lan", "stodtyp"], sort=False, as_index=False)[column].sum())
    county_total = summed.groupby("lan_kod")[column].transform("sum")
    summed["andel_procent"] = (summed[column] / county_total.where(county_total != 0) * 100)
    types = _category_order(summed["stodtyp"], list(figures.SUPPORT_TYPE_COLOURS))
    legend = {t: SUPPORT_TYPE_LABELS.get(t, t) for t in types}
    title = f"{AMOUNT_LABELS[amount_basis]} per län uppdelat på stödtyp (procent och miljoner kronor)"
    fig, _ax, plotted = _stacked_share_bars(summed, "stodtyp", types, figures.SUPPORT_TYPE_COLOURS, legend,
                                            column, title, legend_columns=3, figsize=(10, 9))
    _finish(fig, synthetic)
    return fig, plotted


# --------------------------------------------------------------------------- per capita

def per_capita_map(table: pd.DataFrame, amount_basis: str, year_from: int, year_to: int, synthetic: bool):
    """Choropleth of kronor per invånare for the 21 counties; Riket's value under the title.
    `plotted` is the county rows of `table` (per_capita) in lan_kod order, as the map draws them."""
    figures.style()
    _amount_column(amount_basis)
    counties, _ = _split_riket(table)
    plotted = _ordered_rows(counties, [("lan_kod", _county_codes(counties))])
    values = dict(zip(plotted["lan_kod"].astype(str), plotted["kr_per_invanare"]))

    fig, ax = plt.subplots(figsize=(9, 9.5))
    draw_choropleth(ax, values, label="kr per invånare", fmt=lambda v: sv_number(v))
    fig.suptitle(_wrap(f"{AMOUNT_LABELS[amount_basis]} i kronor per invånare per län, {year_from}–{year_to}", 60),
                 x=0.04, y=0.975, ha="left", va="top", fontsize=13, weight="bold")
    riket = _riket_value(table, "kr_per_invanare")
    if riket is not None:
        fig.text(0.04, 0.925, f"Riket: {sv_number(riket)} kr per invånare", ha="left", va="top", fontsize=11)
    fig.subplots_adjust(left=0.03, right=0.97, top=0.9, bottom=0.05)
    _finish(fig, synthetic, SOURCE_MAP)
    return fig, plotted


def _ranked_bars(ax, labels, values, colours, value_text, riket: float | None, riket_text: str | None,
                 legend: bool = True):
    """Horizontal bars top to bottom in the given order, each with its value text; Riket as a
    dashed line named in a legend at the lower right (where sorted bars leave room)."""
    y = np.arange(len(values))
    ax.barh(y, values, height=0.7, color=colours, edgecolor="white", linewidth=0.5)
    ax.set_yticks(y, labels)
    ax.set_ylim(len(values) - 0.4, -0.6)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    for yy, v, text in zip(y, values, value_text):
        ax.annotate(text, (v, yy), xytext=(3, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=8, zorder=4, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.85})
    if riket is None:
        return None
    line = ax.axvline(riket, color=_INK, linestyle="--", linewidth=1.1, zorder=3, label=riket_text)
    if legend:
        ax.legend(loc="lower right", frameon=False, fontsize=9)
    return line


def per_capita_ranked(table: pd.DataFrame, amount_basis: str, year_from: int, year_to: int, synthetic: bool):
    """Counties ranked by kronor per invånare (highest on top), Riket as a dashed line."""
    figures.style()
    _amount_column(amount_basis)
    counties, _ = _split_riket(table)
    plotted = counties.sort_values(["kr_per_invanare", "lan_kod"], ascending=[False, True], kind="mergesort",
                                   na_position="last").reset_index(drop=True)
    values = plotted["kr_per_invanare"].fillna(0.0).to_numpy(dtype=float)
    riket = _riket_value(table, "kr_per_invanare")

    fig, ax = plt.subplots(figsize=(10, 8))
    _ranked_bars(ax, plotted["lan"].astype(str), values, figures.NEUTRAL,
                 [f"{sv_number(v)} kr" for v in values], riket,
                 None if riket is None else f"Riket: {sv_number(riket)} kr")
    ax.set_xlim(0, max(values.max() if len(values) else 0, riket or 0) * 1.12 or 1)
    _sv_axis(ax.xaxis)
    ax.set_xlabel("kr per invånare")
    _title(ax, f"{AMOUNT_LABELS[amount_basis]} i kronor per invånare per län, {year_from}–{year_to}, "
               "rangordnat")
    fig.subplots_adjust(left=0.2, right=0.95, top=0.92, bottom=0.11)
    _finish(fig, synthetic, SOURCE_PER_CAPITA)
    return fig, plotted


# --------------------------------------------------------------------------- over time

def _area_legend_handles(areas, kind: str):
    if kind == "line":
        return [Line2D([], [], color=figures.AREA_COLOURS[a], marker="o", markersize=4, linewidth=1.8,
                       label=figures.AREA_SHORT[a]) for a in areas]
    return [Patch(facecolor=figures.AREA_COLOURS[a], label=figures.AREA_SHORT[a]) for a in areas]


def _year_axis(ax, years) -> None:
    years = sorted(int(y) for y in years)
    if len(years) <= 8:
        ax.set_xticks(years, [str(y) for y in years])
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(v)}"))


def area_over_time(table: pd.DataFrame, amount_basis: str, synthetic: bool):
    """For Riket: the amount per area and decision year (stacked bars, mnkr) and each area's
    share per year (lines). `plotted` is Riket's rows, area by area, each over the years; both
    panels draw them in that order."""
    figures.style()
    column = _amount_column(amount_basis)
    _, riket = _split_riket(table)
    areas = _category_order(riket["omrade_id"], AREAS)
    years = sorted(riket["beslut_ar"].unique())
    plotted = _ordered_rows(riket, [("omrade_id", areas), ("beslut_ar", years)])

    fig, (ax_amount, ax_share) = plt.subplots(1, 2, figsize=(13, 6))
    bottom = dict.fromkeys(years, 0.0)
    for area in areas:
        rows = plotted[plotted["omrade_id"] == area]
        heights = rows[column].fillna(0.0).to_numpy(dtype=float)
        bottoms = np.array([bottom[y] for y in rows["beslut_ar"]])
        ax_amount.bar(rows["beslut_ar"].astype(int), heights, bottom=bottoms, width=0.7,
                      color=figures.AREA_COLOURS[area], edgecolor="white", linewidth=0.5)
        for y, h in zip(rows["beslut_ar"], heights):
            bottom[y] += h
        ax_share.plot(rows["beslut_ar"].astype(int), rows["andel_procent"], color=figures.AREA_COLOURS[area],
                      marker="o", markersize=4, linewidth=1.8)
    top = max(bottom.values()) if bottom else 0.0
    for y, total in bottom.items():
        ax_amount.text(int(y), total + top * 0.01, sv_number(total, 1), ha="center", va="bottom", fontsize=8)
    ax_amount.set_ylim(0, top * 1.08 or 1)
    _sv_axis(ax_amount.yaxis)
    ax_amount.set_ylabel(f"{AMOUNT_LABELS[amount_basis]} (mnkr)")
    ax_amount.set_title("Belopp per strategiskt område (mnkr)", loc="left", fontsize=11)
    ax_share.set_ylim(0, 100)
    ax_share.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _pct(v)))
    ax_share.set_ylabel("Andel av årets belopp (procent)")
    ax_share.set_title("Andel per strategiskt område (procent)", loc="left", fontsize=11)
    ax_share.grid(axis="y", color=_LIGHT, linewidth=0.6)
    for ax in (ax_amount, ax_share):
        _year_axis(ax, years)
        ax.set_xlabel("Beslutsår")
    fig.suptitle(f"{AMOUNT_LABELS[amount_basis]} per strategiskt område och beslutsår, Riket",
                 x=0.06, ha="left", fontsize=13, weight="bold")
    fig.legend(handles=_area_legend_handles(areas, "patch"), loc="lower center", bbox_to_anchor=(0.5, 0.05),
               ncol=len(areas), frameon=False, fontsize=9)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.86, bottom=0.24, wspace=0.22)
    _finish(fig, synthetic)
    return fig, plotted


def area_over_time_by_county(table: pd.DataFrame, amount_basis: str, synthetic: bool):
    """Small multiples: one panel per county (short name), each area's share per decision year
    as lines on a shared 0–100 scale. `plotted` is the county rows, county by county in lan_kod
    order, then area, then year (the order of the panels and their lines)."""
    figures.style()
    _amount_column(amount_basis)
    counties, _ = _split_riket(table)
    codes = _county_codes(counties)
    areas = _category_order(counties["omrade_id"], AREAS)
    years = sorted(counties["beslut_ar"].unique())
    plotted = _ordered_rows(counties, [("lan_kod", codes), ("omrade_id", areas), ("beslut_ar", years)])
    short = {c["lan_kod"]: c["lan_kort"] for c in reference.counties()}
    names = counties.drop_duplicates("lan_kod").set_index("lan_kod")["lan"].astype(str)

    ncols = 4
    nrows = max(1, -(-len(codes) // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(12, 2.3 * nrows + 1.4), sharex=True, sharey=True)
    axes = np.atleast_1d(axes).ravel()
    for ax, code in zip(axes, codes):
        rows = plotted[plotted["lan_kod"] == code]
        for area in areas:
            part = rows[rows["omrade_id"] == area]
            ax.plot(part["beslut_ar"].astype(int), part["andel_procent"], color=figures.AREA_COLOURS[area],
                    marker="o", markersize=3, linewidth=1.5)
        ax.set_title(short.get(code, names.get(code, code)), loc="left", fontsize=10)
        ax.set_ylim(0, 100)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.grid(axis="y", color=_LIGHT, linewidth=0.6)
        _year_axis(ax, years)
        ax.tick_params(labelsize=8, labelbottom=True)
    for ax in axes[len(codes):]:
        ax.set_axis_off()
    fig.suptitle(f"Andel av {AMOUNT_LABELS[amount_basis].lower()} per strategiskt område och beslutsår, "
                 "per län (procent)", x=0.05, ha="left", fontsize=13, weight="bold")
    fig.supxlabel("Beslutsår", y=0.045, fontsize=10)
    fig.supylabel("Andel av länets belopp under året (procent)", fontsize=10)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.93, bottom=0.08, hspace=0.45, wspace=0.12)
    handles = _area_legend_handles(areas, "line")
    if len(axes) > len(codes):  # the legend goes where the first empty panel is
        pos = axes[len(codes)].get_position()
        fig.legend(handles=handles, loc="center left", frameon=False, fontsize=9,
                   bbox_to_anchor=(pos.x0 + 0.01, pos.y0 + pos.height / 2))
    else:
        fig.legend(handles=handles, loc="lower center", ncol=len(areas), frameon=False, fontsize=9,
                   bbox_to_anchor=(0.5, 0.01))
    _finish(fig, synthetic)
    return fig, plotted


def mix_shift_ranked(table: pd.DataFrame, first_year: int, last_year: int, synthetic: bool):
    """Counties ranked by how much their split on strategic areas changed between the first and
    the last year (forandringsindex), each bar in the colour of the area that moved most and
    labelled with it and its signed change; Riket as a dashed line."""
    figures.style()
    counties, _ = _split_riket(table)
    plotted = counties.sort_values(["forandringsindex", "lan_kod"], ascending=[False, True], kind="mergesort",
                                   na_position="last").reset_index(drop=True)
    values = plotted["forandringsindex"].fillna(0.0).to_numpy(dtype=float)
    areas = plotted["storsta_forandring_omrade_id"]
    colours = [figures.AREA_COLOURS.get(a, figures.NEUTRAL) for a in areas]
    texts = [
        f"{sv_number(v, 1)}   {figures.AREA_SHORT.get(a, a)}: {_signed(c)} procentenheter"
        if pd.notna(a) and pd.notna(c) else sv_number(v, 1)
        for v, a, c in zip(values, areas, plotted["storsta_forandring_procentenheter"])
    ]
    riket = _riket_value(table, "forandringsindex")

    fig, ax = plt.subplots(figsize=(10, 8.5))
    riket_line = _ranked_bars(ax, plotted["lan"].astype(str), values, colours, texts, riket,
                              None if riket is None else f"Riket: {sv_number(riket, 1)}", legend=False)
    high = max(values.max() if len(values) else 0, riket or 0)
    ax.set_xlim(0, high * 2.1 or 1)
    _sv_axis(ax.xaxis)
    ax.set_xlabel("Förändringsindex (0–100)")
    _title(ax, f"Förändring i fördelningen på strategiska områden per län, {last_year} jämfört med "
               f"{first_year} (förändringsindex)")
    present = _category_order(areas.dropna(), AREAS)
    ax.legend(handles=_area_legend_handles(present, "patch"), title="Färg: område med störst förändring",
              loc="upper center", bbox_to_anchor=(0.45, -0.08), ncol=min(len(present), 3) or 1,
              frameon=False, fontsize=8, title_fontsize=8)
    if riket_line is not None:
        ax.add_artist(ax.get_legend())
        ax.legend(handles=[riket_line], loc="lower right", frameon=False, fontsize=9)
    fig.subplots_adjust(left=0.2, right=0.97, top=0.88, bottom=0.2)
    _finish(fig, synthetic)
    return fig, plotted


# --------------------------------------------------------------------------- priorities, support types

def priorities_within_areas(table: pd.DataFrame, amount_basis: str, synthetic: bool):
    """Each priority's share of its strategic area's amount, grouped by area (area colour, the
    area named above its group); 'Ingen prioritering angiven' last in each group, hatched.
    `plotted` is in drawing order: area by area, priorities by id, the unspecified row last."""
    figures.style()
    column = _amount_column(amount_basis)
    areas = _category_order(table["omrade_id"], AREAS[:4])
    ids = sorted(i for i in table["prioritering_id"].dropna().unique())
    key = table["prioritering_id"].where(table["prioritering_id"].notna(), "~")  # unspecified last
    ordered = _ordered_rows(table.assign(_key=key), [("omrade_id", areas), ("_key", [*ids, "~"])])
    plotted = ordered.drop(columns="_key")

    positions, labels, heading_y = [], [], {}
    y = 0.0
    for area in areas:
        heading_y[area] = y
        y += 1.0
        for _, row in plotted[plotted["omrade_id"] == area].iterrows():
            positions.append(y)
            pid = row["prioritering_id"]
            text = reference.label(pid) if pd.notna(pid) else (row["prioritering"] or NO_PRIORITY)
            labels.append(_wrap(text, 46))
            y += 1.0
        y += 0.4

    fig, ax = plt.subplots(figsize=(10, 11))
    values = plotted["andel_av_omradet_procent"].fillna(0.0).to_numpy(dtype=float)
    unspecified = plotted["prioritering_id"].isna().to_numpy()
    colours = [figures.AREA_COLOURS[a] for a in plotted["omrade_id"]]
    bars = ax.barh(positions, values, height=0.72, color=colours, edgecolor="white", linewidth=0.5)
    for bar, none, colour in zip(bars, unspecified, colours):
        if none:
            bar.set_alpha(0.45)
            bar.set_hatch("///")
    for yy, v, amount in zip(positions, values, plotted[column].fillna(0.0)):
        ax.text(v, yy, f" {_pct(v, 1)} ({sv_number(float(amount), 1)} mnkr)", ha="left", va="center", fontsize=8)
    for area in areas:
        ax.text(0, heading_y[area] + 0.15, _wrap(f"{area} {reference.label(area)}", 90), ha="left", va="center",
                fontsize=9.5, weight="bold", color=_INK)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_ylim(y - 0.2, -0.8)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _pct(v)))
    ax.set_xlabel("Andel av det strategiska områdets belopp (procent)")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    fig.suptitle(_wrap(f"{AMOUNT_LABELS[amount_basis]} per prioritering inom varje strategiskt område "
                       "(procent av områdets belopp och miljoner kronor)", 95),
                 x=0.02, y=0.985, ha="left", va="top", fontsize=12, weight="bold")
    fig.subplots_adjust(left=0.33, right=0.97, top=0.93, bottom=0.08)
    _finish(fig, synthetic)
    return fig, plotted


def support_type_by_area(table: pd.DataFrame, amount_basis: str, synthetic: bool):
    """For Riket: the amount per strategic area (mnkr) as bars stacked by stödtyp. `plotted` is
    Riket's rows, stödtyp by stödtyp, each over the areas."""
    figures.style()
    column = _amount_column(amount_basis)
    _, riket = _split_riket(table)
    areas = _category_order(riket["omrade_id"], AREAS)
    types = _category_order(riket["stodtyp"], list(figures.SUPPORT_TYPE_COLOURS))
    plotted = _ordered_rows(riket, [("stodtyp", types), ("omrade_id", areas)])

    fig, ax = plt.subplots(figsize=(10, 6.5))
    x = {a: i for i, a in enumerate(areas)}
    bottom = dict.fromkeys(areas, 0.0)
    segments: dict[str, list] = {}
    for kind in types:
        rows = plotted[plotted["stodtyp"] == kind]
        heights = rows[column].fillna(0.0).to_numpy(dtype=float)
        ax.bar([x[a] for a in rows["omrade_id"]], heights, bottom=[bottom[a] for a in rows["omrade_id"]],
               width=0.65, color=figures.SUPPORT_TYPE_COLOURS.get(kind, _LIGHT), edgecolor="white",
               linewidth=0.5, label=SUPPORT_TYPE_LABELS.get(kind, kind))
        for a, h in zip(rows["omrade_id"], heights):
            bottom[a] += h
        segments[kind] = list(zip(rows["omrade_id"], heights))
    top = max(bottom.values()) if bottom else 0.0
    start = dict.fromkeys(areas, 0.0)
    for kind, parts in segments.items():  # the amount inside each segment tall enough to hold it
        colour = _text_colour_on(figures.SUPPORT_TYPE_COLOURS.get(kind, _LIGHT))
        for a, h in parts:
            if h >= top * 0.04:
                ax.text(x[a], start[a] + h / 2, sv_number(h, 1), ha="center", va="center", fontsize=8, color=colour)
            start[a] += h
    for a, total in bottom.items():
        ax.text(x[a], total + top * 0.01, f"Totalt {sv_number(total, 1)}", ha="center", va="bottom", fontsize=8.5,
                weight="bold")
    ax.set_xticks(list(x.values()), [_wrap(figures.AREA_SHORT.get(a, a), 16) for a in areas])
    ax.set_ylim(0, top * 1.08 or 1)
    _sv_axis(ax.yaxis)
    ax.set_ylabel(f"{AMOUNT_LABELS[amount_basis]} (mnkr)")
    _title(ax, f"{AMOUNT_LABELS[amount_basis]} per strategiskt område och stödtyp, Riket (miljoner kronor)")
    ax.legend(title="Stödtyp", frameon=False, fontsize=9, title_fontsize=9, loc="upper right")
    fig.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=0.17)
    _finish(fig, synthetic)
    return fig, plotted


# --------------------------------------------------------------------------- cases, granted and paid

def concentration_by_county(table: pd.DataFrame, synthetic: bool):
    """Counties ranked by the share of the amount held by the largest tenth of their cases,
    each bar annotated with the number of cases; Riket as a dashed line."""
    figures.style()
    basis = _basis_of(table)
    counties, _ = _split_riket(table)
    plotted = counties.sort_values(["andel_storsta_tiondel_procent", "lan_kod"], ascending=[False, True],
                                   kind="mergesort", na_position="last").reset_index(drop=True)
    values = plotted["andel_storsta_tiondel_procent"].fillna(0.0).to_numpy(dtype=float)
    texts = [f"{_pct(v, 1)}  ({sv_number(int(n))} ärenden)" for v, n in zip(values, plotted["arenden"].fillna(0))]
    riket = _riket_value(table, "andel_storsta_tiondel_procent")
    riket_cases = _riket_value(table, "arenden")
    riket_text = None if riket is None else (
        f"Riket: {_pct(riket, 1)}" + ("" if riket_cases is None else f" ({sv_number(int(riket_cases))} ärenden)"))

    fig, ax = plt.subplots(figsize=(10, 8))
    _ranked_bars(ax, plotted["lan"].astype(str), values, figures.NEUTRAL, texts, riket, riket_text)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _pct(v)))
    ax.set_xlabel(f"Den största tiondelens andel av länets {AMOUNT_DEFINITE[basis]} (procent)")
    _title(ax, f"Koncentration: hur stor del av det {AMOUNT_DEFINITE[basis]}et som går till den största "
               "tiondelen av ärendena, per län")
    fig.subplots_adjust(left=0.2, right=0.95, top=0.92, bottom=0.11)
    _finish(fig, synthetic)
    return fig, plotted


def granted_and_paid(table: pd.DataFrame, synthetic: bool):
    """For Riket: granted and paid amount per decision year (grouped bars, mnkr) and the paid
    share of the granted amount as a line on a second axis. `plotted` is Riket's rows by year;
    the bars are drawn beviljat first (all years), then utbetalt."""
    figures.style()
    _, riket = _split_riket(table)
    plotted = riket.sort_values("beslut_ar", kind="mergesort").reset_index(drop=True)
    years = plotted["beslut_ar"].astype(int).to_numpy()
    granted = plotted["beviljat_mkr"].fillna(0.0).to_numpy(dtype=float)
    paid = plotted["utbetalt_mkr"].fillna(0.0).to_numpy(dtype=float)

    fig, ax = plt.subplots(figsize=(10, 6))
    width = 0.38
    ax.bar(years - width / 2, granted, width=width, color=_LIGHT, edgecolor=_INK, linewidth=0.5,
           label="Beviljat belopp")
    ax.bar(years + width / 2, paid, width=width, color=figures.NEUTRAL, edgecolor=_INK, linewidth=0.5,
           label="Utbetalt belopp")
    top = max(granted.max() if len(granted) else 0, paid.max() if len(paid) else 0)
    for x0, g, p in zip(years, granted, paid):
        ax.text(x0 - width / 2, g + top * 0.01, sv_number(g, 1), ha="center", va="bottom", fontsize=8)
        ax.text(x0 + width / 2, p + top * 0.01, sv_number(p, 1), ha="center", va="bottom", fontsize=8)
    # bars in the lower half, the share line in the upper half: the two never cross
    ax.set_ylim(0, top * 2.05 or 1)
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= top * 1.02])
    ax.spines["left"].set_bounds(0, max([top, *ax.get_yticks()]) or 1)
    _sv_axis(ax.yaxis)
    ax.set_ylabel("Belopp (mnkr)", loc="bottom")
    ax.set_xlabel("Beslutsår")
    _year_axis(ax, years)

    share_ax = ax.twinx()
    share_ax.spines["right"].set_visible(True)
    share_ax.spines["left"].set_visible(False)
    share_ax.spines["bottom"].set_visible(False)
    share = plotted["utbetalt_andel_procent"].to_numpy(dtype=float)
    share_ax.plot(years, share, color=_INK, marker="o", markersize=5,
                  linewidth=1.8, label="Utbetalt av beviljat (procent, höger axel)")
    for x0, v in zip(years, share):
        if np.isfinite(v):
            share_ax.annotate(_pct(v), (x0, v), xytext=(0, 7), textcoords="offset points", ha="center",
                              va="bottom", fontsize=8.5)
    share_ax.set_ylim(-115, 112)
    share_ax.set_yticks([0, 25, 50, 75, 100])
    share_ax.spines["right"].set_bounds(0, 100)
    share_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _pct(v)))
    share_ax.set_ylabel("Utbetalt av beviljat (procent)", loc="top")

    handles = ax.get_legend_handles_labels()[0] + share_ax.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False, fontsize=9)
    _title(ax, "Beviljat och utbetalt belopp per beslutsår, Riket (miljoner kronor), och hur stor del av det "
               "beviljade beloppet som betalats ut (procent)", width=80)
    fig.subplots_adjust(left=0.09, right=0.91, top=0.88, bottom=0.2)
    _finish(fig, synthetic)
    return fig, plotted
