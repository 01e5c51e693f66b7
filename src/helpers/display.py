"""Small display helpers for the notebooks: what the reader sees above the figures."""
from __future__ import annotations

import html


def sv_number(value: float | int, decimals: int = 0) -> str:
    """A number as Swedish text: space between thousands, decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


def setup_notebook() -> None:
    """Swedish number display in tables (space between thousands, decimal comma) and the
    study's figure style."""
    import pandas as pd

    from .figures import style

    pd.set_option("display.float_format", lambda x: sv_number(x, 1))
    pd.set_option("display.max_colwidth", 80)
    style()


def synthetic_banner(synthetic: bool, what: str = "exporten"):
    """A plain warning when the data are the synthetic sample; a neutral note otherwise."""
    from IPython.display import HTML

    if synthetic:
        return HTML(
            '<div style="border-left:6px solid #B00020;background:#fdecee;padding:0.6em 1em">'
            "<strong>SYNTETISKA EXEMPELDATA.</strong> "
            f"{html.escape(what.capitalize())} är påhittad och har bara samma form som verkliga uppgifter. "
            "Inga siffror i det här steget beskriver verkliga förhållanden.</div>"
        )
    return HTML(
        '<div style="border-left:6px solid #0072B2;background:#eef5fb;padding:0.6em 1em">'
        f"{html.escape(what.capitalize())} är inte märkt som syntetisk: resultaten bygger på de uppgifter som lästs in.</div>"
    )


def saved_figure(png):
    """Show a figure as the PNG file written to outputs/figures."""
    from IPython.display import Image

    return Image(filename=str(png))


def facts(rows: list[tuple[str, object]]):
    """A two-column table of labelled facts, values escaped."""
    from IPython.display import HTML

    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    return HTML(f"<table>{body}</table>")
