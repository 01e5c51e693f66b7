"""What the conclusions cite, checked: every finding a verdict rests on exists, carries the
page and cell it came from, and that page and its table are there in the output folder. Also
the verdicts as a table and as the JSON the front page and the report read."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..files import write_text_atomic
from .verdicts import GROUPS, QUESTIONS, Verdict

CITATION_COLUMNS = ("fraga", "aktorsgrupp", "fynd_id", "finns", "steg", "text", "varde", "enhet", "sida",
                    "tabell", "figur", "har_kalla", "sida_finns", "tabell_finns")


def citations(verdicts: list[Verdict], findings: dict, output_dir: Path) -> pd.DataFrame:
    """One row per (verdict, cited finding), with whether its source can be followed."""
    rows = []
    for v in verdicts:
        for fid in v.belagg:
            f = findings.get(fid)
            page = (f or {}).get("sida") or ""
            table = (f or {}).get("tabell") or ""
            rows.append({
                "fraga": v.fraga, "aktorsgrupp": v.aktorsgrupp, "fynd_id": fid, "finns": f is not None,
                "steg": (f or {}).get("steg", ""), "text": (f or {}).get("text", ""),
                "varde": "" if f is None else str(f.get("varde")), "enhet": (f or {}).get("enhet", ""),
                "sida": page, "tabell": table, "figur": (f or {}).get("figur") or "",
                "har_kalla": bool(page) and "#cell-id=" in page and bool(table or (f or {}).get("figur")),
                "sida_finns": bool(page) and (Path(output_dir) / page.split("#", 1)[0]).is_file(),
                "tabell_finns": (not table) or (Path(output_dir) / table).is_file(),
            })
    return pd.DataFrame(rows, columns=list(CITATION_COLUMNS))


def verdict_table(verdicts: list[Verdict]) -> pd.DataFrame:
    return pd.DataFrame([{"fraga": v.fraga, "aktorsgrupp": v.aktorsgrupp, "bedomning": v.bedomning,
                          "motivering": v.text, "belagg": ", ".join(v.belagg)} for v in verdicts])


def write_verdicts(path: Path, verdicts: list[Verdict], findings: dict, synthetic: bool,
                   key_per_verdict: int = 3) -> Path:
    """The answers in brief for the front page and the report: per question its text, and per
    actor group the verdict, its wording and its first key figures with their links."""
    questions = []
    for q, text in QUESTIONS.items():
        answers = []
        for v in (x for x in verdicts if x.fraga == q):
            figures = []
            for fid in v.belagg:
                f = findings[fid]
                if isinstance(f.get("varde"), (int, float)) and len(figures) < key_per_verdict:
                    figures.append({"id": fid, "text": f["text"], "varde": f["varde"], "enhet": f["enhet"],
                                    "sida": f["sida"]})
            answers.append({"aktorsgrupp": v.aktorsgrupp, "grupp": GROUPS[v.aktorsgrupp],
                            "bedomning": v.bedomning, "text": v.text, "nyckeltal": figures})
        questions.append({"fraga": q, "text": text, "svar": answers})
    payload = {"syntetisk": bool(synthetic), "fragor": questions}
    return write_text_atomic(path, json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def read_verdicts(path: Path) -> dict | None:
    path = Path(path)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


VERDICT_COLOURS = {"Ja": "#009E73", "Delvis": "#E69F00", "Nej": "#D55E00", "Underlag saknas": "#999999",
                   "Ej tillämplig": "#BBBBBB"}


def _relative_to_notebooks(page: str) -> str:
    """Findings link from the output folder; the notebooks' pages sit in notebooks/."""
    return page.removeprefix("notebooks/")


def answer_html(question: str, verdicts: list[Verdict], findings: dict):
    """One follow-up question's verdicts with every finding they rest on, each linked to the
    cell it came from. All text from the findings is escaped."""
    import html

    from IPython.display import HTML

    parts = []
    for v in (x for x in verdicts if x.fraga == question):
        colour = VERDICT_COLOURS[v.bedomning]
        items = []
        for fid in v.belagg:
            f = findings[fid]
            link = html.escape(_relative_to_notebooks(f["sida"]), quote=True)
            items.append(f"<li>{html.escape(f['text'])} <a href=\"{link}\">[{html.escape(f['steg'])}]</a></li>")
        parts.append(
            f"<div style='border-left:6px solid {colour};padding:0.3em 0.8em;margin:0.6em 0'>"
            f"<strong>{html.escape(GROUPS[v.aktorsgrupp])}: {html.escape(v.bedomning)}.</strong> "
            f"{html.escape(v.text)}"
            + (f"<ul style='margin:0.3em 0'>{''.join(items)}</ul>" if items else "")
            + "</div>")
    return HTML("".join(parts))
