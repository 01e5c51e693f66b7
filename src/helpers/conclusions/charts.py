"""Figures of stage 05 beyond the theory-of-change diagram. Each returns (fig, plotted)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import figures
from ..reporting.followup import DIMENSION_LABELS, GROUP_LABELS

SOURCE_REPORTS = "Rapporter i det föreslagna rapportformatet (rapportformat/1)"
GROUP_COLOURS = {"region": "#0072B2", "statlig_myndighet": "#D55E00", "tillvaxtverket": "#009E73"}


def reporting_lines(table: pd.DataFrame, synthetic: bool):
    """Per dimension (samverkan, lärande, kapacitet) a panel: the share of each actor group's
    reports with at least one entry, per year."""
    figures.style()
    dimensions = [d for d in DIMENSION_LABELS if d in set(table["dimension"])]
    fig, axes = plt.subplots(1, max(1, len(dimensions)), figsize=(13, 4.6), sharey=True)
    axes = np.atleast_1d(axes)
    plotted = []
    years = sorted(table["ar"].unique())
    for ax, dimension in zip(axes, dimensions):
        part = table[table["dimension"] == dimension]
        for group, label in GROUP_LABELS.items():
            line = part[part["aktorsgrupp"] == group].sort_values("ar")
            if line.empty:
                continue
            ax.plot(line["ar"], line["andel_procent"], marker="o", color=GROUP_COLOURS.get(group, "#333333"),
                    label=label)
            plotted.append(line)
        ax.set_title(DIMENSION_LABELS[dimension], fontsize=11)
        ax.set_xticks(years, [str(y) for y in years])
        ax.set_ylim(0, 105)
        ax.grid(axis="y", color="#DDDDDD", lw=0.6)
    axes[0].set_ylabel("Aktörer som rapporterar minst en insats (%)")
    axes[0].legend(loc="lower left", fontsize=8, frameon=False)
    fig.suptitle("Samverkan, lärande och kapacitet över tid i det föreslagna rapportformatet", fontweight="bold")
    fig.subplots_adjust(bottom=0.16, top=0.84, wspace=0.08)
    figures.caption(fig, SOURCE_REPORTS, synthetic)
    return fig, (pd.concat(plotted) if plotted else table.iloc[0:0])
