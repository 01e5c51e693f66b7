"""From two experts' ratings to one score per RUS and question, and from those scores to the
answer to follow-up question 2a: how many RUS take up each strategic area, basic prerequisite
and starting point of the national strategy.

The consensus sheet decides where it exists. Elsewhere a stated rule decides: where the
experts agree, their value; where only one could assess the question, that value; where they
disagree, the lower value (a cautious rule: a RUS counts as taking something up only as
clearly as both experts see it). A period (A1) on which the experts disagree is left open."""
from __future__ import annotations

import pandas as pd

from .. import reference
from .template import Template

RULE = ("Konsensusbedömningen gäller där den finns. Annars: samma värde om bedömarna är överens, "
        "det lägre värdet om de skiljer sig åt, och den enda bedömningen om bara en bedömare kunde bedöma frågan.")

# How a consensus score came about (kalla), in Swedish for the reader.
SOURCES = {
    "konsensus": "Konsensusbedömning",
    "overens": "Bedömarna överens",
    "lagre": "Oeniga: det lägre värdet",
    "en_bedomare": "Endast en bedömning",
    "oenig_period": "Oeniga om perioden",
    "ej_bedomd": "Kan inte bedömas",
}
COVERAGE_COLUMNS = ("del", "fraga_id", "element_id", "rus", "rus_tydligt", "rus_delvis", "rus_saknas",
                    "rus_ej_bedomd", "andel_tackt_procent", "andel_tydligt_procent")


def consensus(ratings: pd.DataFrame, sheet: pd.DataFrame | None, template: Template) -> pd.DataFrame:
    """One row per county and question: lan_kod, fraga_id, varde ("" = none), kalla, kommentar."""
    by_unit = {key: group for key, group in ratings.groupby(["lan_kod", "fraga_id"], sort=False)}
    decided = {}
    if sheet is not None:
        decided = {(r.lan_kod, r.fraga_id): (r.varde, r.kommentar) for r in sheet.itertuples(index=False)}
    rows = []
    counties = [c for c in reference.county_codes() if c in set(ratings["lan_kod"]) | {k[0] for k in decided}]
    for lan in counties:
        for q in template.questions:
            key = (lan, q.fraga_id)
            if key in decided and decided[key][0] != "":
                rows.append((lan, q.fraga_id, decided[key][0], "konsensus", decided[key][1]))
                continue
            group = by_unit.get(key)
            values = [] if group is None else [v for v in group["varde"] if v != ""]
            if not values:
                rows.append((lan, q.fraga_id, "", "ej_bedomd", ""))
            elif len(set(values)) == 1:
                rows.append((lan, q.fraga_id, values[0], "overens" if len(values) > 1 else "en_bedomare", ""))
            elif q.is_period:
                rows.append((lan, q.fraga_id, "", "oenig_period", " / ".join(sorted(set(values)))))
            else:
                rank = {v: i for i, v in enumerate(q.values)}
                rows.append((lan, q.fraga_id, min(values, key=rank.__getitem__), "lagre", ""))
    return pd.DataFrame(rows, columns=["lan_kod", "fraga_id", "varde", "kalla", "kommentar"])


def score_matrix(scores: pd.DataFrame, template: Template) -> pd.DataFrame:
    """Counties x ordinal questions, the consensus value as a number (NaN = none)."""
    ordinal = [q.fraga_id for q in template.ordinal()]
    part = scores[scores["fraga_id"].isin(ordinal)]
    values = pd.to_numeric(part["varde"].replace("", None), errors="raise")
    matrix = part.assign(v=values).pivot(index="lan_kod", columns="fraga_id", values="v")
    return matrix.reindex(columns=ordinal).astype(float)


def coverage(scores: pd.DataFrame, template: Template) -> pd.DataFrame:
    """Per ordinal question: how many RUS take it up clearly (top of the scale), in part
    (in between) or not at all (bottom), and how many could not be assessed."""
    rows = []
    for q in template.ordinal():
        values = scores.loc[scores["fraga_id"] == q.fraga_id, "varde"]
        top, bottom = q.values[-1], q.values[0]
        n = len(values)
        assessed = values[values != ""]
        clear = int((assessed == top).sum())
        none = int((assessed == bottom).sum())
        partly = len(assessed) - clear - none
        rows.append((q.del_, q.fraga_id, q.element_id, n, clear, partly, none, n - len(assessed),
                     100.0 * (clear + partly) / len(assessed) if len(assessed) else float("nan"),
                     100.0 * clear / len(assessed) if len(assessed) else float("nan")))
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))


def profiles(scores: pd.DataFrame, template: Template) -> pd.DataFrame:
    """Each RUS's profile: per part, the mean score as a share of the scale's maximum (0–100),
    over the questions that could be assessed; and all parts together."""
    matrix = score_matrix(scores, template)
    top = {q.fraga_id: float(q.values[-1]) for q in template.ordinal()}
    scaled = matrix / pd.Series(top)
    out = pd.DataFrame(index=matrix.index)
    for part in template.parts:
        cols = [q.fraga_id for q in template.ordinal() if q.del_ == part]
        if cols:
            out[f"del_{part}"] = 100.0 * scaled[cols].mean(axis=1)
    out["totalt"] = 100.0 * scaled.mean(axis=1)
    out["fragor_bedomda"] = matrix.notna().sum(axis=1).astype(int)
    names = reference.county_names()
    out.insert(0, "lan", [names[c] for c in out.index])
    return out.reset_index()


def periods(scores: pd.DataFrame, template: Template) -> pd.DataFrame:
    """The RUS periods (the template's period questions), with start and end year."""
    ids = [q.fraga_id for q in template.questions if q.is_period]
    part = scores[scores["fraga_id"].isin(ids)].copy()
    split = part["varde"].str.extract(r"^(\d{4})-(\d{4})$")
    part["startar"] = pd.to_numeric(split[0]).astype("Int64")
    part["slutar"] = pd.to_numeric(split[1]).astype("Int64")
    return part[["lan_kod", "fraga_id", "varde", "kalla", "startar", "slutar"]].reset_index(drop=True)


def disagreements(ratings: pd.DataFrame, template: Template) -> pd.DataFrame:
    """Units where the experts gave different values: lan_kod, fraga_id, then each expert's
    value and comment (columns `<expert>` and `<expert>_kommentar`)."""
    wide = ratings.pivot(index=["lan_kod", "fraga_id"], columns="bedomare", values="varde")
    experts = list(wide.columns)
    if len(experts) < 2:
        return pd.DataFrame(columns=["lan_kod", "fraga_id", *experts])
    filled = wide.replace("", None)
    differ = filled.nunique(axis=1, dropna=True) > 1
    comments = ratings.pivot(index=["lan_kod", "fraga_id"], columns="bedomare", values="kommentar")
    comments.columns = [f"{e}_kommentar" for e in comments.columns]
    out = wide[differ].join(comments[differ])
    out = out[[c for e in experts for c in (e, f"{e}_kommentar")]]
    order = {q: i for i, q in enumerate(template.ids)}
    out = out.reset_index()
    out.columns.name = None
    return out.sort_values(["fraga_id", "lan_kod"], key=lambda c: c.map(order) if c.name == "fraga_id" else c,
                           kind="stable").reset_index(drop=True)
