"""The text engine's proposed answer to each template question that is mapped to an element of
the strategy, and how it compares with the experts' consensus.

Every RUS mentions nearly every element somewhere, so a proposal cannot rest on "mentioned or
not". It rests on how much of the RUS's text the element fills compared with the other RUS:
the element's share of the RUS's paragraphs divided by the median share of that element over
all RUS. Below LOW the proposal is the bottom of the scale, from LOW up to HIGH the middle,
from HIGH the top. An element in no paragraph at all is always the bottom."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import agreement
from .template import Template

LOW = 0.35
HIGH = 0.75
COLUMNS = ("lan_kod", "fraga_id", "element_id", "stycken", "andel_procent", "relativ", "maskinens_forslag")


def proposals(scores: pd.DataFrame, rus: pd.DataFrame, template: Template) -> pd.DataFrame:
    """`scores`: stage 03's text_scores (dokument_id, element_id, stycken, andel);
    `rus`: one RUS per county (dokument_id, lan_kod)."""
    rows = []
    part = scores.merge(rus[["dokument_id", "lan_kod"]], on="dokument_id", how="inner")
    for q in template.mapped():
        element = part[part["element_id"] == q.element_id].set_index("lan_kod")
        median = float(element["andel"].median()) if len(element) else float("nan")
        low, mid, high = q.values[0], q.values[len(q.values) // 2], q.values[-1]
        for lan in rus["lan_kod"]:
            if lan in element.index:
                n, share = int(element.at[lan, "stycken"]), float(element.at[lan, "andel"])
            else:
                n, share = 0, 0.0
            relative = share / median if median > 0 else float("nan")
            if n == 0 or not np.isfinite(relative) or relative < LOW:
                proposal = low
            elif relative < HIGH:
                proposal = mid
            else:
                proposal = high
            rows.append((lan, q.fraga_id, q.element_id, n, 100.0 * share, relative, proposal))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def compare(machine: pd.DataFrame, scores: pd.DataFrame, template: Template) -> pd.DataFrame:
    """Machine proposal beside the consensus for every mapped question and county."""
    both = machine.merge(scores[["lan_kod", "fraga_id", "varde", "kalla"]], on=["lan_kod", "fraga_id"], how="left")
    both = both.rename(columns={"varde": "experternas_varde"})
    both["experternas_varde"] = both["experternas_varde"].fillna("")
    m = pd.to_numeric(both["maskinens_forslag"])
    e = pd.to_numeric(both["experternas_varde"].replace("", None))
    both["skillnad"] = (m - e).astype(float)
    return both


def agreement_summary(compared: pd.DataFrame, template: Template) -> dict:
    """Alpha (ordinal), quadratic-weighted kappa and exact agreement between the machine and the
    experts over all mapped questions; the scale is the template's (the same for all mapped
    questions here, checked)."""
    scales = {q.values for q in template.mapped()}
    if len(scales) != 1:
        raise ValueError("the mapped questions use different scales; compare them per question")
    rated = compared[compared["experternas_varde"] != ""]
    return {"n": int(len(rated)), **_agreement(rated, next(iter(scales)))}


def _agreement(rated: pd.DataFrame, scale) -> dict:
    """Alpha (ordinal), quadratic-weighted kappa and exact agreement of machine and experts
    over rated units; NaN for none."""
    if rated.empty:
        return {"alfa": float("nan"), "kappa": float("nan"), "andel_lika": float("nan")}
    m = pd.to_numeric(rated["maskinens_forslag"]).to_numpy(float)
    e = pd.to_numeric(rated["experternas_varde"]).to_numpy(float)
    return {
        "alfa": agreement.alpha(np.vstack([m, e]), "ordinal"),
        "kappa": agreement.weighted_kappa(m, e, [float(v) for v in scale], "quadratic"),
        "andel_lika": agreement.percent_agreement(m, e),
    }


def per_question(compared: pd.DataFrame, template: Template) -> pd.DataFrame:
    rows = []
    for q in template.mapped():
        part = compared[(compared["fraga_id"] == q.fraga_id) & (compared["experternas_varde"] != "")]
        stats = _agreement(part, q.values)
        rows.append((q.del_, q.fraga_id, q.element_id, len(part), stats["alfa"], stats["kappa"], stats["andel_lika"],
                     float(part["skillnad"].mean()) if len(part) else float("nan")))
    return pd.DataFrame(rows, columns=["del", "fraga_id", "element_id", "n", "alfa", "kappa", "andel_lika",
                                       "medelskillnad"])


def confusion(compared: pd.DataFrame, template: Template) -> pd.DataFrame:
    """Consensus (rows) x machine proposal (columns), counts over all mapped questions."""
    values = list(template.mapped()[0].values)
    rated = compared[compared["experternas_varde"] != ""]
    table = pd.crosstab(rated["experternas_varde"], rated["maskinens_forslag"])
    table = table.reindex(index=values, columns=values, fill_value=0)
    table.index.name, table.columns.name = "experterna", "maskinen"
    return table


def largest_disagreements(compared: pd.DataFrame, evidence: pd.DataFrame, limit: int = 15) -> pd.DataFrame:
    """The units where machine and experts differ most, with the RUS's best evidence passage,
    for review. Ordered by the size of the difference, then county and question."""
    rated = compared[compared["experternas_varde"] != ""].copy()
    rated["storlek"] = rated["skillnad"].abs()
    rated = rated[rated["storlek"] > 0]
    rated = rated.merge(evidence[["lan_kod", "fraga_id", "belagg_1"]], on=["lan_kod", "fraga_id"], how="left")
    rated["belagg_1"] = rated["belagg_1"].fillna("")
    rated = rated.sort_values(["storlek", "lan_kod", "fraga_id"], ascending=[False, True, True], kind="stable")
    return rated.head(limit).drop(columns="storlek").reset_index(drop=True)
