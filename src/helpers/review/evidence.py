"""Evidence passages for the experts' forms: for each county's RUS and each template question
mapped to an element of the strategy, the paragraphs the text analysis (stage 03) coded with
that element, best first. They are an aid to the expert, not a rating."""
from __future__ import annotations

import pandas as pd

from .. import reference
from ..text.overview import EvidenceError, quote, require_columns, rus_documents


def _distinct_terms(traffar) -> int:
    if traffar is None or (isinstance(traffar, float) and pd.isna(traffar)):
        return 0
    return len({t.strip() for t in str(traffar).split(",") if t.strip()})


def best_evidence(paragraphs: pd.DataFrame, codes: pd.DataFrame, documents: pd.DataFrame, template,
                  k: int = 3, max_chars: int = 400) -> pd.DataFrame:
    """One row per (county with a RUS, template question): lan_kod, fraga_id, belagg_1 ..
    belagg_k. For a question mapped to an element, the county's RUS paragraphs coded with that
    element, ranked by distinct matched terms (most first), then page and paragraph order;
    each as "s. {sida}: {quote}". "" where there is none, and for questions with no element."""
    if k < 1:
        raise EvidenceError(f"k must be at least 1, got {k}")
    if max_chars < 20:
        raise EvidenceError(f"max_chars must be at least 20, got {max_chars}")
    require_columns(paragraphs, ("dokument_id", "sida", "stycke_nr", "text"), "paragraphs")
    require_columns(codes, ("dokument_id", "stycke_nr", "element_id", "traffar"), "text_codes")
    rus = rus_documents(documents)

    texts = paragraphs[paragraphs["dokument_id"].isin(rus["dokument_id"])][["dokument_id", "sida", "stycke_nr", "text"]]
    coded = codes[codes["dokument_id"].isin(rus["dokument_id"])][["dokument_id", "stycke_nr", "element_id", "traffar"]]
    merged = coded.merge(texts, on=["dokument_id", "stycke_nr"], how="left", validate="many_to_one")
    lost = merged["text"].isna()
    if lost.any():
        row = merged[lost].iloc[0]
        raise EvidenceError(
            f"text_codes: dokument_id {row['dokument_id']!r}, stycke_nr {row['stycke_nr']} is coded but not in "
            "paragraphs; expected every coded paragraph to exist"
        )
    merged["termer"] = merged["traffar"].map(_distinct_terms)
    merged = merged.merge(rus[["dokument_id", "lan_kod"]], on="dokument_id")
    ranked = merged.sort_values(["lan_kod", "element_id", "termer", "sida", "stycke_nr"],
                                ascending=[True, True, False, True, True], kind="mergesort")
    best: dict[tuple[str, str], list[str]] = {}
    for (code, element), part in ranked.groupby(["lan_kod", "element_id"], sort=False):
        best[(code, element)] = [f"s. {int(s)}: {quote(str(t), max_chars)}" for s, t in zip(part["sida"][:k], part["text"][:k])]

    columns = [f"belagg_{i}" for i in range(1, k + 1)]
    rows = []
    with_rus = set(rus["lan_kod"])
    for code in reference.county_codes():
        if code not in with_rus:
            continue
        for q in template.questions:
            quotes = best.get((code, q.element_id), []) if q.element_id else []
            rows.append([code, q.fraga_id, *quotes, *[""] * (k - len(quotes))])
    return pd.DataFrame(rows, columns=["lan_kod", "fraga_id", *columns], dtype=object)
