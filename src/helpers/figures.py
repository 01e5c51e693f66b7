"""One look for every figure of the study: a colour-blind-safe palette defined once, Swedish
labels, a caption that says when the data are synthetic, and PNG/SVG files that are the same
bytes on every run."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .files import write_atomic  # noqa: E402

# Okabe–Ito colours (readable with the common forms of colour blindness), one per area.
AREA_COLOURS = {
    "SO1": "#0072B2",
    "SO2": "#E69F00",
    "SO3": "#009E73",
    "SO4": "#CC79A7",
    "ANNAT": "#999999",
}
# The five NYPS values summed as Annat (official labels), Paul Tol's colour-blind-safe "bright".
ANNAT_COLOURS = {
    "Internationellt samarbete": "#4477AA",
    "UPPGIFT SAKNAS": "#BBBBBB",
    "Övriga insatser": "#228833",
    "Övrigt": "#CCBB44",
    "Övrigt genomförande av RUS": "#EE6677",
}
SUPPORT_TYPE_COLOURS = {"PROJ": "#0072B2", "FTG": "#D55E00", "KS": "#F0E442"}
AREA_SHORT = {"SO1": "SO1 Likvärdiga möjligheter", "SO2": "SO2 Kompetensförsörjning",
              "SO3": "SO3 Innovation och företagande", "SO4": "SO4 Tillgänglighet", "ANNAT": "Annat"}
NEUTRAL = "#56B4E9"
SYNTHETIC_CAPTION = "SYNTETISKA EXEMPELDATA – inte verkliga uppgifter"


def style() -> None:
    """Fixed settings so figures look alike and SVGs do not carry random ids."""
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "font.family": "DejaVu Sans",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "svg.hashsalt": "strategiuppfoljning",
            "svg.fonttype": "none",  # text stays text: searchable, and the synthetic label checkable
        }
    )


def caption(fig, source: str, synthetic: bool) -> None:
    """Source line under the figure; with synthetic data the warning comes first, in red."""
    text = f"Källa: {source}"
    if synthetic:
        fig.text(0.01, 0.005, SYNTHETIC_CAPTION, ha="left", va="bottom", fontsize=9, color="#B00020", weight="bold")
        fig.text(0.99, 0.005, text, ha="right", va="bottom", fontsize=8, color="#333333")
    else:
        fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=8, color="#333333")


def save(fig, png: Path, svg: Path) -> None:
    """Write PNG and SVG without dates or software versions in their metadata, then close."""
    write_atomic(png, lambda tmp: fig.savefig(tmp, format="png", metadata={"Software": None}))
    write_atomic(svg, lambda tmp: fig.savefig(tmp, format="svg", metadata={"Date": None, "Creator": None}))
    plt.close(fig)  # the notebook shows the saved PNG, so the reader sees the very file
