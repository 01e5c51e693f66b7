"""Figures of stage 04. Each function returns (fig, plotted): the figure and the numbers drawn,
so a test can check that chart data equals table data. Colours and captions from
helpers.figures; Swedish labels."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from .. import figures, reference
from . import agreement
from .template import Template

SOURCE = "Två experters granskning av de 21 RUS med studiens bedömningsmall"
# Ordinal scale, low to high (colour-blind-safe: grey, yellow, bluish green).
SCALE_COLOURS = ("#BBBBBB", "#F0E442", "#009E73")
NOT_ASSESSED = "#FFFFFF"
RELIABILITY_COLOURS = {"tillförlitlig": "#009E73", "preliminär": "#E69F00", "ej tillförlitlig": "#D55E00",
                       "kan inte beräknas": "#999999"}
PART_COLOURS = {"A": "#0072B2", "B": "#E69F00", "C": "#009E73", "D": "#CC79A7"}


def short_question(q, width: int = 58) -> str:
    """The question without its lead-in ("Behandlar RUS:en ..."), as a short label."""
    import re

    text = re.sub(r"^\w+ RUS:(en|ens) (sig an )?", "", q.fraga).rstrip("?").strip()
    text = text[:1].upper() + text[1:]
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _question_label(q) -> str:
    if q.element_id:
        return f"{q.fraga_id} ({q.element_id})"
    return q.fraga_id


def agreement_dots(table: pd.DataFrame, template: Template, synthetic: bool):
    """Krippendorff's alpha per question with its bootstrap interval, coloured by how far it
    can be relied on; the parts pooled at the top of each group."""
    figures.style()
    rows = table.reset_index(drop=True)
    labels = [f"Del {r.del_} totalt" if r.fraga_id == "" else r.fraga_id
              for r in rows.rename(columns={"del": "del_"}).itertuples()]
    y = np.arange(len(rows))[::-1]
    fig, ax = plt.subplots(figsize=(11, 0.27 * len(rows) + 2.2))
    ax.spines["left"].set_visible(False)
    ax.axvspan(-1, agreement.TENTATIVE, color="#D55E00", alpha=0.06, lw=0)
    ax.axvline(agreement.TENTATIVE, color="#D55E00", lw=0.8, ls="--")
    ax.axvline(agreement.RELIABLE, color="#009E73", lw=0.8, ls="--")
    for yi, r in zip(y, rows.itertuples()):
        colour = RELIABILITY_COLOURS[agreement.reliability_label(r.alfa)]
        if np.isfinite(r.alfa_lag) and np.isfinite(r.alfa_hog):
            ax.plot([r.alfa_lag, r.alfa_hog], [yi, yi], color=colour, lw=1.5)
        if np.isfinite(r.alfa):
            ax.plot(r.alfa, yi, "o", color=colour, ms=6 if r.fraga_id else 8,
                    markeredgecolor="black" if not r.fraga_id else colour)
    ax.set_yticks(y, labels, fontsize=8)
    for tick, r in zip(ax.get_yticklabels(), rows.itertuples()):
        if not r.fraga_id:
            tick.set_fontweight("bold")
    low = np.nanmin(np.r_[rows["alfa_lag"].to_numpy(float), rows["alfa"].to_numpy(float), 0.0])
    ax.set_xlim(max(-1.0, min(0.0, low - 0.05)), 1.02)
    ax.set_ylim(-0.8, len(rows) - 0.2)
    ax.set_xlabel("Krippendorffs alfa (ordinal) med 95 % bootstrapintervall")
    ax.set_title("Samstämmighet mellan de två bedömarna per fråga")
    ax.legend(handles=[Patch(color=c, label=k) for k, c in RELIABILITY_COLOURS.items()],
              loc="lower left", fontsize=8, frameon=False, title="Tillförlitlighet (0,667 och 0,800)",
              title_fontsize=8)
    fig.subplots_adjust(left=0.14, bottom=0.09 if len(rows) > 30 else 0.14, top=0.95)
    figures.caption(fig, SOURCE, synthetic)
    return fig, rows[["del", "fraga_id", "alfa", "alfa_lag", "alfa_hog"]]


def consensus_heatmap(matrix: pd.DataFrame, template: Template, synthetic: bool):
    """Counties x ordinal questions: the consensus score; blank = could not be assessed."""
    figures.style()
    questions = template.ordinal()
    matrix = matrix.reindex(index=[c for c in reference.county_codes() if c in matrix.index],
                            columns=[q.fraga_id for q in questions])
    short = {c["lan_kod"]: c["lan_kort"] for c in reference.counties()}
    n_levels = max(len(q.values) for q in questions)
    colours = list(SCALE_COLOURS) if n_levels == 3 else list(plt.get_cmap("cividis", n_levels).colors)
    fig, ax = plt.subplots(figsize=(max(10, 0.36 * len(questions) + 3), 8.5))
    data = np.ma.masked_invalid(matrix.to_numpy(float))
    ax.set_facecolor(NOT_ASSESSED)
    ax.pcolormesh(data, cmap=ListedColormap(colours), vmin=-0.5, vmax=n_levels - 0.5, edgecolors="white", linewidth=0.6)
    for (i, j), value in np.ndenumerate(matrix.to_numpy(float)):
        ax.text(j + 0.5, i + 0.5, "–" if np.isnan(value) else f"{value:.0f}", ha="center", va="center", fontsize=7)
    ax.set_xticks(np.arange(len(questions)) + 0.5, [_question_label(q) for q in questions], rotation=90, fontsize=8)
    ax.set_yticks(np.arange(len(matrix)) + 0.5, [short[c] for c in matrix.index], fontsize=8)
    ax.invert_yaxis()
    for boundary in np.flatnonzero([a.del_ != b.del_ for a, b in zip(questions, questions[1:])]) + 1:
        ax.axvline(boundary, color="black", lw=1.2)
    scale = questions[0].scale
    ax.legend(handles=[Patch(facecolor=c, edgecolor="#666666", label=f"{v} = {label}")
                       for c, (v, label) in zip(colours, scale)]
              + [Patch(facecolor=NOT_ASSESSED, edgecolor="#666666", label="– = kan inte bedömas")],
              loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, fontsize=8, frameon=False)
    ax.set_title("Konsensusbedömning per RUS och fråga i bedömningsmallen (del A–D)")
    fig.subplots_adjust(bottom=0.2, left=0.13, top=0.94)
    figures.caption(fig, SOURCE, synthetic)
    return fig, matrix


def coverage_bars(cover: pd.DataFrame, template: Template, synthetic: bool):
    """Per question: how many RUS take it up clearly, in part, not at all, or could not be
    assessed (stacked, the question's element in the label)."""
    figures.style()
    by_id = template.by_id
    rows = cover.reset_index(drop=True)
    y = np.arange(len(rows))[::-1]
    fig, ax = plt.subplots(figsize=(12, 0.27 * len(rows) + 2.2))
    left = np.zeros(len(rows))
    top_label = template.ordinal()[0].scale
    parts = [("rus_tydligt", SCALE_COLOURS[2], top_label[-1][1]), ("rus_delvis", SCALE_COLOURS[1], top_label[1][1]),
             ("rus_saknas", SCALE_COLOURS[0], top_label[0][1]), ("rus_ej_bedomd", NOT_ASSESSED, "Kan inte bedömas")]
    for column, colour, label in parts:
        values = rows[column].to_numpy(float)
        ax.barh(y, values, left=left, color=colour, edgecolor="#666666", lw=0.4, label=label)
        left += values
    labels = [f"{r.fraga_id} {short_question(by_id[r.fraga_id])}" for r in rows.itertuples()]
    ax.set_yticks(y, labels, fontsize=7.5)
    ax.set_xlabel("Antal RUS")
    ax.set_xlim(0, max(1.0, float(left.max())))
    ax.set_title("Hur många RUS tar upp strategins delar? Samlad bedömning per fråga")
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06 if len(rows) > 30 else -0.12), ncol=4, fontsize=8,
              frameon=False)
    fig.subplots_adjust(left=0.43, right=0.97, bottom=0.1 if len(rows) > 30 else 0.2, top=0.95)
    figures.caption(fig, SOURCE, synthetic)
    return fig, rows


def profile_dots(profiles: pd.DataFrame, template: Template, synthetic: bool):
    """Each RUS's profile: per part the mean score as a share of the scale's maximum."""
    figures.style()
    short = {c["lan_kod"]: c["lan_kort"] for c in reference.counties()}
    rows = profiles.sort_values(["totalt", "lan_kod"], ascending=[True, True], kind="stable").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(11, 0.32 * len(rows) + 2))
    y = np.arange(len(rows))
    for part, name in template.parts.items():
        column = f"del_{part}"
        if column not in rows:
            continue
        ax.plot(rows[column], y, "o", color=PART_COLOURS.get(part, "#333333"), label=f"Del {part}: {name}", ms=5)
    ax.plot(rows["totalt"], y, "|", color="black", ms=14, mew=2, label="Alla delar")
    ax.set_yticks(y, [short[c] for c in rows["lan_kod"]], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Medelbedömning som andel av skalans maximum (%)")
    ax.set_title("Varje RUS:s profil över bedömningsmallens delar")
    ax.grid(axis="x", color="#DDDDDD", lw=0.6)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2, fontsize=7.5, frameon=False)
    fig.subplots_adjust(left=0.16, bottom=0.2, top=0.95)
    figures.caption(fig, SOURCE, synthetic)
    return fig, rows


def machine_vs_experts(confusion: pd.DataFrame, per_question: pd.DataFrame, synthetic: bool):
    """Left: consensus x machine proposal (counts); right: agreement per mapped question."""
    import seaborn as sns

    figures.style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, max(5.5, 0.26 * len(per_question) + 2)),
                                      gridspec_kw={"width_ratios": [1, 1.3]})
    sns.heatmap(confusion, ax=left, annot=True, fmt="d", cmap="cividis", cbar=False, linewidths=0.5,
                linecolor="white", annot_kws={"fontsize": 11})
    left.set_xlabel("Textanalysens förslag")
    left.set_ylabel("Experternas konsensus")
    left.set_title("Antal bedömningar")
    rows = per_question.reset_index(drop=True)
    y = np.arange(len(rows))[::-1]
    colours = [RELIABILITY_COLOURS[agreement.reliability_label(a)] for a in rows["alfa"]]
    right.barh(y, rows["alfa"].fillna(0), color=colours)
    right.axvline(agreement.TENTATIVE, color="#D55E00", lw=0.8, ls="--")
    right.axvline(agreement.RELIABLE, color="#009E73", lw=0.8, ls="--")
    right.set_yticks(y, [f"{r.fraga_id} ({r.element_id})" for r in rows.itertuples()], fontsize=8)
    right.set_xlim(min(-0.2, float(np.nanmin(np.r_[rows["alfa"].to_numpy(float), 0.0])) - 0.05), 1)
    right.set_xlabel("Krippendorffs alfa (ordinal), textanalys mot experter")
    right.set_title("Samstämmighet per fråga")
    fig.suptitle("Textanalysens förslag jämfört med experternas konsensus", fontweight="bold")
    fig.subplots_adjust(bottom=0.14, wspace=0.35, top=0.9)
    figures.caption(fig, SOURCE, synthetic)
    return fig, (confusion, rows)
