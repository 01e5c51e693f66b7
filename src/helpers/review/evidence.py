"""Evidence passages for the experts' forms: for each county's RUS and each template question
mapped to an element of the strategy, the paragraphs the text analysis (stage 03) coded with
that element, best first. They are an aid to the expert, not a rating."""
from __future__ import annotations

import pandas as pd

from .. import reference
from ..text.overview import quote


class EvidenceError(ValueError):
    """Stage 03's tables do not hold what the evidence passages need."""


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise EvidenceError(
            f"{name}: missing column(s) {', '.join(missing)}; expected at least {', '.join(columns)}"
        )


def rus_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """The RUS of each county from stage 03's text_documents table: dokument_id, lan_kod (the
    `aktor` column, two digits) and ar. A county with several RUS keeps the latest year, then
    the last dokument_id."""
    _require(documents, ("dokument_id", "aktor", "dokumenttyp", "ar"), "text_documents")
    rus = documents[documents["dokumenttyp"] == "rus"]
    codes = rus["aktor"].map(lambda v: str(v).strip().zfill(2))
    known = set(reference.county_codes())
    bad = ~codes.isin(known)
    if bad.any():
        row = rus[bad].iloc[0]
        raise EvidenceError(
            f"text_documents, dokument_id {row['dokument_id']!r}: aktor {row['aktor']!r} is not a county code; "
            "expected the two-digit code of one of the 21 counties for a document of type rus"
        )
    out = pd.DataFrame({"dokument_id": rus["dokument_id"].astype(str), "lan_kod": codes, "ar": rus["ar"].astype("int64")})
    out = out.sort_values(["lan_kod", "ar", "dokument_id"], kind="mergesort").groupby("lan_kod", sort=True).tail(1)
    return out.reset_index(drop=True)[["dokument_id", "lan_kod", "ar"]]


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
    _require(paragraphs, ("dokument_id", "sida", "stycke_nr", "text"), "paragraphs")
    _require(codes, ("dokument_id", "stycke_nr", "element_id", "traffar"), "text_codes")
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
