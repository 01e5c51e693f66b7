"""Small display helpers for the notebooks: what the reader sees above the figures."""
from __future__ import annotations

import html


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


def facts(rows: list[tuple[str, object]]):
    """A two-column table of labelled facts, values escaped."""
    from IPython.display import HTML

    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    return HTML(f"<table>{body}</table>")
