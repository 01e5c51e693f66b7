"""What stage 03 shows of the coded corpus: checks per document, the RUS coverage matrix,
shares of documents per actor group and year, evidence quotes, and precision and recall
against a planted truth. Pure pandas; Swedish labels where the reader sees them."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import reference

# The elements of follow-up questions 1, 3 and 4 followed per actor group and year.
FOLLOWED = ("GF1", "GF2", "GF3", "HB-EK", "HB-SO", "HB-MI", "TP")
GROUP_LABELS = {"region": "Regioner", "statlig_myndighet": "Statliga myndigheter", "tillvaxtverket": "Tillväxtverket"}
TYPE_LABELS = {"rus": "Regional utvecklingsstrategi (RUS)", "regionalt_utvecklingsarbete": "Regionalt utvecklingsarbete",
               "myndigheters_medverkan": "Statliga myndigheters medverkan", "arsredovisning": "Tillväxtverkets årsredovisning"}


def corpus_summary(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents per actor group and document type: how many, which years, how many pages."""
    table = documents.groupby(["aktorsgrupp", "dokumenttyp"], sort=False).agg(
        dokument=("dokument_id", "size"), forsta_ar=("ar", "min"), sista_ar=("ar", "max"), sidor=("sidor", "sum"))
    table.index = table.index.map(lambda k: (GROUP_LABELS[k[0]], TYPE_LABELS[k[1]]))
    table.index.names = ["Aktörsgrupp", "Dokumenttyp"]
    return table.rename(columns={"dokument": "Dokument", "forsta_ar": "Första år", "sista_ar": "Sista år", "sidor": "Sidor"})


def quality_for_reader(pr: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 with three decimals, Swedish headers."""
    from ..display import sv_number

    shown = pr.copy()
    for column in ("precision", "recall", "f1"):
        shown[column] = shown[column].map(lambda v: "–" if pd.isna(v) else sv_number(v, 3))
    return shown.rename(columns={"element_id": "Element", "sanna_positiva": "Rätt kodade", "falska_positiva": "Felaktigt kodade",
                                 "falska_negativa": "Missade", "precision": "Precision", "recall": "Täckning (recall)",
                                 "f1": "F1"}).set_index("Element")


def element_label(element_id: str) -> str:
    row = next(r for r in reference.framework() if r["id"] == element_id)
    return f"{element_id} {row['kort']}"


def document_checks(paragraphs: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Per document: paragraphs read and whether page numbers never go backwards."""
    ordered = paragraphs.sort_values(["dokument_id", "stycke_nr"])
    in_order = ordered.groupby("dokument_id")["sida"].apply(lambda s: bool(s.is_monotonic_increasing))
    counts = paragraphs.groupby("dokument_id").size()
    out = documents[["dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar", "sidor"]].copy()
    out["stycken"] = out["dokument_id"].map(counts).fillna(0).astype("int64")
    out["sidor_i_ordning"] = out["dokument_id"].map(in_order).fillna(True).astype(bool)
    return out.reset_index(drop=True)


def code_keys(codes: pd.DataFrame) -> pd.DataFrame:
    """The codes with a key per paragraph, for checking that every coded paragraph exists."""
    return codes.assign(nyckel=codes["dokument_id"] + "#" + codes["stycke_nr"].astype(str))


def paragraph_keys(paragraphs: pd.DataFrame) -> list[str]:
    return (paragraphs["dokument_id"] + "#" + paragraphs["stycke_nr"].astype(str)).tolist()


class EvidenceError(ValueError):
    """Stage 03's tables do not hold what a reader of them (the RUS coverage, the experts'
    evidence passages) needs."""


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise EvidenceError(
            f"{name}: missing column(s) {', '.join(missing)}; expected at least {', '.join(columns)}"
        )


def rus_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """The RUS of each county from stage 03's text_documents table: dokument_id, lan_kod (the
    `aktor` column, two digits) and ar. A county with several RUS keeps the latest year, then
    the last dokument_id."""
    require_columns(documents, ("dokument_id", "aktor", "dokumenttyp", "ar"), "text_documents")
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


def rus_coverage(scores: pd.DataFrame, documents: pd.DataFrame, element_ids) -> pd.DataFrame:
    """Counties x elements for the RUS: paragraphs coded and their share of the RUS.
    Columns: lan_kod, lan, element_id, stycken, andel_procent."""
    rus = rus_documents(documents)[["dokument_id", "lan_kod"]]  # one RUS per county, the latest
    merged = scores.merge(rus, on="dokument_id")
    names = reference.county_names()
    rows = []
    for code in reference.county_codes():
        part = merged[merged["lan_kod"] == code].set_index("element_id")
        for element in element_ids:
            if element in part.index:
                rows.append((code, names[code], element, int(part.loc[element, "stycken"]),
                             float(part.loc[element, "andel"]) * 100))
            else:
                rows.append((code, names[code], element, 0, 0.0))
    return pd.DataFrame(rows, columns=["lan_kod", "lan", "element_id", "stycken", "andel_procent"])


def group_year_shares(scores: pd.DataFrame, documents: pd.DataFrame, elements=FOLLOWED,
                      document_types=("regionalt_utvecklingsarbete", "myndigheters_medverkan", "arsredovisning")) -> pd.DataFrame:
    """Per actor group, year and element, over the recurring reports: how many take the element
    up at all (at least one coded paragraph) and how much of their text it fills (the mean,
    over the reports, of the share of paragraphs coded with it) — the second tells more when
    nearly every report mentions everything once.
    Columns: aktorsgrupp, ar, element_id, dokument, dokument_med, andel_procent, andel_stycken_procent."""
    docs = documents[documents["dokumenttyp"].isin(document_types)][["dokument_id", "aktorsgrupp", "ar"]]
    followed = scores[scores["element_id"].isin(elements)].set_index(["dokument_id", "element_id"])
    rows = []
    for (group, year), part in docs.groupby(["aktorsgrupp", "ar"], sort=True):
        ids = list(part["dokument_id"])
        for element in elements:
            keys = [(i, element) for i in ids if (i, element) in followed.index]
            coded = followed.loc[keys] if keys else followed.iloc[0:0]
            n_with = int((coded["stycken"] > 0).sum())
            mean_share = float(coded["andel"].sum()) / len(ids) * 100
            rows.append((group, int(year), element, len(ids), n_with, n_with / len(ids) * 100, mean_share))
    table = pd.DataFrame(rows, columns=["aktorsgrupp", "ar", "element_id", "dokument", "dokument_med", "andel_procent",
                                        "andel_stycken_procent"])
    order = {g: i for i, g in enumerate(GROUP_LABELS)}
    return table.sort_values(["aktorsgrupp", "ar", "element_id"], key=lambda s: s.map(order) if s.name == "aktorsgrupp" else s,
                             kind="stable").reset_index(drop=True)


def evidence_table(paragraphs: pd.DataFrame, codes: pd.DataFrame, elements=FOLLOWED, per_group: int = 2,
                   max_chars: int = 300) -> pd.DataFrame:
    """Quotes with document and page: for each element and actor group the passages with the
    most distinct matched terms. Columns: element_id, aktorsgrupp, dokument_id, ar, sida, citat, traffar."""
    joined = codes[codes["element_id"].isin(elements)].merge(
        paragraphs[["dokument_id", "stycke_nr", "aktorsgrupp", "ar", "text"]], on=["dokument_id", "stycke_nr"])
    joined["n_traffar"] = joined["traffar"].str.count(",") + 1
    joined = joined.sort_values(["element_id", "aktorsgrupp", "n_traffar", "dokument_id", "stycke_nr"],
                                ascending=[True, True, False, True, True], kind="stable")
    best = joined.groupby(["element_id", "aktorsgrupp"], sort=False).head(per_group)
    best = best.assign(citat=best["text"].map(lambda t: quote(t, max_chars)))
    return best[["element_id", "aktorsgrupp", "dokument_id", "ar", "sida", "citat", "traffar"]].reset_index(drop=True)


def quote(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit(" ", 1)[0]
    return cut + " …"


# ------------------------------------------------------------------ quality against a planted truth

def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def load_truth(manifest_path: Path) -> dict | None:
    """The generator's planted truth beside a synthetic corpus (truth.json), or None for real
    documents."""
    path = Path(manifest_path).parent / "truth.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


@dataclass
class TruthMatch:
    """Extracted paragraphs matched to the planted truth on their text."""
    labels: pd.DataFrame  # dokument_id, stycke_nr, element_id: one row per planted element
    matched: set  # (dokument_id, stycke_nr) of every extracted paragraph found in the truth
    unmatched: int  # extracted paragraphs not found in the truth
    distractors: pd.DataFrame  # dokument_id, stycke_nr, element_id (the element it tempts)


def match_truth(paragraphs: pd.DataFrame, truth: dict) -> TruthMatch:
    planted, tempts = {}, {}
    for doc in truth["documents"]:
        for p in doc["paragraphs"]:
            key = (doc["dokument_id"], _norm(p["text"]))
            planted[key] = p["elements"]
            tempts[key] = p.get("distraktor")
    rows, matched, distractor_rows = [], set(), []
    for doc_id, nr, text in paragraphs[["dokument_id", "stycke_nr", "text"]].itertuples(index=False):
        key = (doc_id, _norm(text))
        if key not in planted:
            continue
        matched.add((doc_id, nr))
        rows.extend((doc_id, nr, e) for e in planted[key])
        if tempts[key]:
            distractor_rows.append((doc_id, nr, tempts[key]))
    columns = ["dokument_id", "stycke_nr", "element_id"]
    return TruthMatch(pd.DataFrame(rows, columns=columns), matched, len(paragraphs) - len(matched),
                      pd.DataFrame(distractor_rows, columns=columns))


def precision_recall(codes: pd.DataFrame, match: TruthMatch, element_ids) -> pd.DataFrame:
    """Paragraph-level precision and recall per element, over the paragraphs found in the truth.
    Columns: element_id, sanna_positiva, falska_positiva, falska_negativa, precision, recall, f1."""
    predicted = {p for p in codes[["dokument_id", "stycke_nr", "element_id"]].itertuples(index=False, name=None)
                 if (p[0], p[1]) in match.matched}
    planted = set(match.labels.itertuples(index=False, name=None))
    rows = []
    for element in element_ids:
        pred = {p for p in predicted if p[2] == element}
        gold = {p for p in planted if p[2] == element}
        tp, fp, fn = len(pred & gold), len(pred - gold), len(gold - pred)
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        rows.append((element, tp, fp, fn, precision, recall, f1))
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS)


QUALITY_COLUMNS = ["element_id", "sanna_positiva", "falska_positiva", "falska_negativa", "precision", "recall", "f1"]


def no_quality() -> pd.DataFrame:
    """The precision/recall table when there is no planted truth (real documents)."""
    return pd.DataFrame({c: pd.Series(dtype="object" if c == "element_id" else "float64") for c in QUALITY_COLUMNS})


def coded_distractors(codes: pd.DataFrame, match: TruthMatch) -> pd.DataFrame:
    """Distractor passages the coder coded with the element they tempt (should be none)."""
    return match.distractors.merge(codes[["dokument_id", "stycke_nr", "element_id", "traffar"]],
                                   on=["dokument_id", "stycke_nr", "element_id"])
