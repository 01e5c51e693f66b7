"""Figures of stage 03. Each function returns (fig, plotted): the figure and the numbers drawn,
so a test can check that chart data equals table data. Colours and captions from
helpers.figures; Swedish labels."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import figures, reference
from ..display import sv_number
from .overview import GROUP_LABELS, element_label

SOURCE = "Studiens textanalys av rapporter och regionala utvecklingsstrategier"
GROUP_COLOURS = {"region": "#0072B2", "statlig_myndighet": "#D55E00", "tillvaxtverket": "#009E73"}
ANSWER_COLOURS = {"ja": "#009E73", "delvis": "#F0E442", "nej": "#BBBBBB"}


def rus_heatmap(coverage: pd.DataFrame, element_ids, synthetic: bool):
    """Counties x elements: share of each RUS's paragraphs coded with the element."""
    import seaborn as sns

    figures.style()
    short = {c["lan_kod"]: c["lan_kort"] for c in reference.counties()}
    matrix = coverage.pivot(index="lan_kod", columns="element_id", values="andel_procent")
    matrix = matrix.reindex(index=list(reference.county_codes()), columns=list(element_ids))
    fig, ax = plt.subplots(figsize=(max(10, 0.55 * len(element_ids) + 3), 8.5))
    sns.heatmap(matrix, ax=ax, cmap="cividis", vmin=0, annot=True, fmt=".0f", annot_kws={"fontsize": 7},
                cbar_kws={"label": "Andel av RUS:ens textstycken (%)"}, linewidths=0.4, linecolor="white")
    ax.set_yticklabels([short[c] for c in matrix.index], rotation=0)
    ax.set_xticklabels(list(element_ids), rotation=90)
    ax.set_xlabel("Element i den nationella strategin")
    ax.set_ylabel("")
    ax.set_title("Täckning i de regionala utvecklingsstrategierna: andel textstycken per element och län")
    fig.subplots_adjust(bottom=0.14, left=0.14)
    figures.caption(fig, SOURCE, synthetic)
    plotted = coverage.set_index(["lan_kod", "element_id"]).loc[
        [(c, e) for c in matrix.index for e in matrix.columns]].reset_index()[coverage.columns]
    return fig, plotted


def group_year_lines(table: pd.DataFrame, synthetic: bool, value: str = "andel_stycken_procent"):
    """Per element a panel, a line per actor group over the years: by default how much of the
    reports' text the element fills (mean share of paragraphs)."""
    figures.style()
    elements = list(dict.fromkeys(table["element_id"]))
    cols = 4
    rows = int(np.ceil(len(elements) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(13, 3.2 * rows), sharey=True)
    axes = np.atleast_1d(axes).ravel()
    plotted = []
    for ax, element in zip(axes, elements):
        part = table[table["element_id"] == element]
        for group in GROUP_LABELS:
            line = part[part["aktorsgrupp"] == group].sort_values("ar")
            if line.empty:
                continue
            ax.plot(line["ar"], line[value], marker="o", color=GROUP_COLOURS[group], label=GROUP_LABELS[group])
            plotted.append(line)
        ax.set_title(element_label(element), fontsize=10)
        ax.set_ylim(0, 105 if value == "andel_procent" else max(5.0, float(table[value].max()) * 1.15))
        ax.set_xticks(sorted(table["ar"].unique()))
        ax.grid(axis="y", color="#E5E5E5")
    for ax in axes[len(elements):]:
        ax.axis("off")
    axes[0].set_ylabel("Andel av rapporterna (%)" if value == "andel_procent" else "Andel av textstyckena (%)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower right", bbox_to_anchor=(0.98, 0.08), frameon=False)
    fig.suptitle("Andel av de årliga rapporterna som tar upp elementet" if value == "andel_procent" else
                 "Hur stor del av de årliga rapporternas text som handlar om samverkan, lärande, kapacitet, hållbarhet\n"
                 "och territoriellt perspektiv (andel av textstyckena, medel per rapport)", fontweight="bold")
    fig.tight_layout(rect=(0, 0.04, 1, 0.96))
    figures.caption(fig, SOURCE, synthetic)
    return fig, pd.concat(plotted, ignore_index=True)


def answers_overview(answers: pd.DataFrame, questions: pd.DataFrame, synthetic: bool, column: str = "maskinens_svar"):
    """Per question: how many documents answer ja, delvis and nej."""
    figures.style()
    counts = (answers.groupby(["fraga_id", column]).size().unstack(fill_value=0)
              .reindex(columns=["ja", "delvis", "nej"], fill_value=0))
    counts = counts.reindex(questions["fraga_id"]).fillna(0).astype(int)
    fig, ax = plt.subplots(figsize=(11, 0.42 * len(counts) + 2))
    y = np.arange(len(counts))[::-1]
    left = np.zeros(len(counts))
    for answer in ("ja", "delvis", "nej"):
        ax.barh(y, counts[answer], left=left, color=ANSWER_COLOURS[answer], edgecolor="white", label=answer)
        left += counts[answer].to_numpy()
    text = questions.set_index("fraga_id")["fraga"]
    ax.set_yticks(y)
    ax.set_yticklabels([f"{q}  {_short(text[q])}" for q in counts.index], fontsize=8)
    ax.set_xlabel("Antal dokument")
    ax.set_title("Frågebaserad textanalys: maskinens svar per fråga")
    ax.legend(loc="lower right", frameon=False, ncols=3, bbox_to_anchor=(1, 1.0))
    fig.subplots_adjust(left=0.45, bottom=0.12)
    figures.caption(fig, SOURCE, synthetic)
    return fig, counts.reset_index()


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def quality_bars(pr: pd.DataFrame, synthetic: bool, target: float = 0.9):
    """Precision and recall per element against the planted truth, with the target line."""
    figures.style()
    fig, ax = plt.subplots(figsize=(12, 4.8))
    if pr.empty:
        ax.axis("off")
        ax.text(0.5, 0.5, "Ingen planterad sanning finns för dessa dokument:\nprecision och täckning kan inte mätas.",
                ha="center", va="center", fontsize=12)
        figures.caption(fig, SOURCE, synthetic)
        return fig, pr[["element_id", "precision", "recall"]].reset_index(drop=True)
    x = np.arange(len(pr))
    ax.bar(x - 0.2, pr["precision"].fillna(0), width=0.4, color="#0072B2", label="Precision")
    ax.bar(x + 0.2, pr["recall"].fillna(0), width=0.4, color="#E69F00", label="Täckning (recall)")
    ax.axhline(target, color="#B00020", linestyle="--", linewidth=1, label=f"Mål {sv_number(target, 1)}")
    ax.set_xticks(x)
    ax.set_xticklabels(pr["element_id"], rotation=90)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("Andel")
    ax.set_title("Kodningens precision och täckning per element, mot den planterade sanningen")
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.06), frameon=False, ncols=3)
    fig.subplots_adjust(bottom=0.2, top=0.82)
    figures.caption(fig, "Studiens textanalys mot generatorns planterade sanning", synthetic)
    return fig, pr[["element_id", "precision", "recall"]].reset_index(drop=True)
