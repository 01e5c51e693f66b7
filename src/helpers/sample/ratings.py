"""A seeded generator of a synthetic sample of two experts' ratings of the 21 RUS.

The study's review has two experts (E1, E2) rate every regional development strategy (RUS)
on the assessment template (`helpers.review.template`). No real ratings are shipped, so the
study ships this sample, built on the synthetic corpus of `helpers.sample.corpus` and with a
planted truth, so that the agreement analysis and the comparison of ratings with the text
analysis can be tested against known answers.

The model:
1. A latent score per RUS x ordinal question.
   - Questions mapped to an element of the strategy: z = log(share / median share), where
     share is the share of the RUS's paragraphs that carry the element in the corpus truth
     ((count + 0.5) / paragraphs, so that a share is never zero) and the median is taken
     across the 21 RUS; plus a small question-specific jitter N(0, MAPPED_JITTER) so that
     two questions on the same element differ a little. Every RUS mentions every element,
     so it is the relative density that says how clearly a RUS treats it.
   - Other questions: latent = mu_q + sd_q * a stratified standard normal draw (the 21
     RUS take the 21 strata of the normal distribution in a seeded order), with mu_q and
     sd_q from UNMAPPED_LATENT: some questions mostly "Ja" (A2, A3, A5), others spread
     (B8, D10, D11). The strata keep each question's spread whatever the seed.
   The true rating is the latent cut at THRESHOLDS (below the first 0, below the second 1,
   else 2): mostly 2s and 1s, about a tenth 0s.
2. Each expert's rating is the latent plus the expert's leniency (LENIENCY: E2 a bit
   stricter) plus noise N(0, sigma_q), cut at the same thresholds. sigma_q is the planted
   difficulty (DIFFICULTY / SIGMA): factual questions "latt", interpretive ones "svar", the
   rest "medel". With probability P_EMPTY (by difficulty) a value is left empty (not
   assessable); never for A1.
3. A1 (the period, YYYY-YYYY) is the RUS's period in the corpus spec. In A1_ERRORS RUS
   whose adoption year differs from the start year, one expert records the adoption year
   as the start year instead.
4. About a tenth of the ratings carry a short Swedish comment, more often where the value
   is 1, empty or the experts disagree; the phrase suits the value given.
5. The consensus sheet covers CONSENSUS_N seeded RUS, every question: the experts' common
   value where they agree (equal and not empty), otherwise the true value, with the
   comment "Enades vid kalibreringsmöte.".

Every draw comes from its own ``numpy.random.Generator(PCG64)`` stream keyed by the seed and
stable names (county code, question id, expert), not by the order of generation nor by
Python's hash, and the files are written without time or locale: the same seed gives the
same bytes.

Run ``python -m helpers.sample.ratings`` to rewrite the committed sample in data/raw/sample/.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import zlib
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from .. import reference
from ..files import write_atomic
from ..paths import resolve
from ..review.template import Question, template
from . import corpus

DEFAULT_SEED = 20250214
DEFAULT_OUT = Path("data/raw/sample")
DEFAULT_TRUTH = corpus.DEFAULT_OUT / "truth.json"
RATINGS_FILE = "rus_bedomningar.csv"
CONSENSUS_FILE = "rus_konsensus.csv"
TRUTH_FILE = "rus_bedomningar.truth.json"
README_FILE = "rus_bedomningar.README.md"

COLUMNS = ("lan_kod", "fraga_id", "bedomare", "varde", "kommentar")
CONSENSUS_COLUMNS = ("lan_kod", "fraga_id", "varde", "kommentar")
EXPERTS = ("E1", "E2")
PERIOD_QUESTION = "A1"

# Cut points of the latent scale: < -0.55 -> 0, < -0.15 -> 1, else 2.
THRESHOLDS = (-0.55, -0.15)
SHARE_SMOOTHING = 0.5  # added to an element's paragraph count, so that log(share) is finite
MAPPED_JITTER = 0.12
# Unmapped questions: (mean, sd) of the latent. Unknown questions get UNMAPPED_DEFAULT.
UNMAPPED_LATENT = {
    "A2": (0.55, 0.45),  # reference to the national strategy: mostly Ja
    "A3": (0.45, 0.45),  # Agenda 2030
    "A5": (0.40, 0.50),  # genomförandeplan
    "B8": (-0.25, 0.55),  # prioritises clearly: spread
    "B9": (0.25, 0.45),
    "D8": (0.10, 0.50),
    "D9": (-0.05, 0.50),
    "D10": (-0.20, 0.55),
    "D11": (-0.25, 0.60),  # barn- och ungdomsperspektiv: spread
    "D12": (0.20, 0.45),
}
UNMAPPED_DEFAULT = (0.10, 0.50)

# Planted difficulty of each question; questions not listed are "medel".
EASY = ("A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4")
HARD = ("B8", "B9", "C1", "C2", "C5", "D4", "D8", "D9", "D10", "D11")
SIGMA = {"latt": 0.05, "medel": 0.12, "svar": 0.35}
P_EMPTY = {"latt": 0.003, "medel": 0.010, "svar": 0.025}
LENIENCY = {"E1": 0.02, "E2": -0.08}

A1_ERRORS = 3
CONSENSUS_N = 8
CONSENSUS_COMMENT = "Enades vid kalibreringsmöte."

# Probability of a comment: base, plus extra where the value is 1, where the experts
# disagree; an empty value is explained most of the time.
COMMENT_P_BASE = 0.03
COMMENT_P_DELVIS = 0.06
COMMENT_P_DISAGREE = 0.12
COMMENT_P_EMPTY = 0.70
# The phrase bank, by the value the comment goes with; "{amne}" phrases only for questions
# whose element has a topic in TOPICS.
COMMENTS = {
    "2": ("Behandlas utförligt i ett eget kapitel.", "Tydligt formulerat i strategins mål.",
          "Konkreta insatser anges.", "Återkommer genom hela dokumentet."),
    "1": ("Nämns i inledningen men utan prioritering.", "Berörs kort, utan mål eller insatser.",
          "Finns i analysen men inte bland prioriteringarna.", "Nämns i förbigående.",
          "Gränsfall mellan Delvis och Ja."),
    "0": ("Hittar inget om detta i dokumentet.", "Saknas i strategin."),
    "": ("Går inte att bedöma utifrån dokumentet.", "Underlaget räcker inte för en bedömning.",
         "Oklart, bör tas upp vid kalibreringen."),
    "period": ("Perioden anges i inledningen.", "Perioden framgår av omslaget.",
               "Antagen av regionfullmäktige {antagen}."),
}
TOPIC_COMMENTS = {
    "2": ("Tydligt avsnitt om {amne} med mål.",),
    "1": ("Nämner {amne} men utan konkreta insatser.",),
    "0": ("Inget om {amne}.",),
}
TOPICS = {
    "SO1": "boende, arbete och välfärd", "SO2": "kompetensförsörjning", "SO3": "innovation och företagande",
    "SO4": "tillgänglighet", "SO3.1": "smart specialisering", "GF1": "kapacitet", "GF2": "samverkan",
    "GF3": "analys och uppföljning", "SU1": "klimat och miljö", "SU2": "demografi",
    "SU3": "klyftor", "HB-EK": "ekonomisk hållbarhet", "HB-SO": "social hållbarhet",
    "HB-MI": "miljömässig hållbarhet", "TP": "territoriella skillnader",
}


class RatingsSampleError(ValueError):
    """The corpus truth or the template does not hold what the ratings sample needs."""


def _stream(seed: int, *keys: object) -> np.random.Generator:
    """A stream keyed by the seed and names, independent of the order of generation."""
    entropy = [int(seed) & 0xFFFFFFFF, int(seed) >> 32 & 0xFFFFFFFF]
    entropy += [zlib.crc32(str(k).encode("utf-8")) for k in keys]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


def difficulty(fraga_id: str) -> str:
    return "latt" if fraga_id in EASY else "svar" if fraga_id in HARD else "medel"


def cut(latent: float) -> str:
    """The rating of a latent score: "0", "1" or "2"."""
    return str(sum(latent >= t for t in THRESHOLDS))


def _round(x: float, digits: int = 4) -> float:
    return float(round(x, digits))


def read_corpus_truth(path: str | Path, codes: tuple[str, ...]) -> tuple[int, dict[str, list[dict]]]:
    """The corpus seed and the paragraphs of each RUS (`rus-<lan_kod>`), in county order."""
    path = resolve(path)
    if not path.is_file():
        raise RatingsSampleError(f"{path}: corpus truth not found; expected the truth.json of "
                                 "helpers.sample.corpus (python -m helpers.sample.corpus)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RatingsSampleError(f"{path}: not a JSON file in UTF-8 ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("seed"), int) \
            or not isinstance(data.get("documents"), list):
        raise RatingsSampleError(f"{path}: expected an object with an integer 'seed' and a 'documents' list")
    docs = {d.get("dokument_id"): d for d in data["documents"] if isinstance(d, dict)}
    paragraphs = {}
    for code in codes:
        doc_id = f"rus-{code}"
        doc = docs.get(doc_id)
        if doc is None:
            raise RatingsSampleError(f"{path}: document {doc_id} is missing; expected one RUS per county")
        paras = doc.get("paragraphs")
        if not isinstance(paras, list) or not paras:
            raise RatingsSampleError(f"{path}: document {doc_id}, field 'paragraphs' is {paras!r:.60}; "
                                     "expected a non-empty list")
        for i, p in enumerate(paras, start=1):
            found = p.get("elements") if isinstance(p, dict) else p
            if not isinstance(found, list):
                raise RatingsSampleError(f"{path}: document {doc_id}, paragraph {i}: field 'elements' is "
                                         f"{found!r:.60}; expected a list of element ids")
        paragraphs[code] = paras
    return data["seed"], paragraphs


def element_shares(paragraphs: dict[str, list[dict]], elements) -> dict[str, dict[str, float]]:
    """element -> county -> (paragraphs carrying the element + SHARE_SMOOTHING) / paragraphs."""
    out: dict[str, dict[str, float]] = {}
    for e in elements:
        out[e] = {code: (sum(e in p["elements"] for p in paras) + SHARE_SMOOTHING) / len(paras)
                  for code, paras in paragraphs.items()}
    return out


def _latents(seed: int, codes, questions: tuple[Question, ...], shares) -> dict[tuple[str, str], float]:
    out = {}
    for q in questions:
        if q.element_id:
            by_county = shares[q.element_id]
            median = float(np.median([by_county[c] for c in codes]))
            for c in codes:
                jitter = _stream(seed, "latent", c, q.fraga_id).normal(0.0, MAPPED_JITTER)
                out[c, q.fraga_id] = math.log(by_county[c] / median) + float(jitter)
        else:
            # Stratified normal draw: the counties take the strata (rank + u) / n in a seeded
            # order, so each question gets its planted spread whatever the seed.
            mu, sd = UNMAPPED_LATENT.get(q.fraga_id, UNMAPPED_DEFAULT)
            r = _stream(seed, "latent", q.fraga_id)
            ranks = r.permutation(len(codes)).tolist()
            u = r.random(len(codes)).tolist()
            for c, rank, ui in zip(codes, ranks, u):
                p = min(max((rank + ui) / len(codes), 1e-9), 1 - 1e-9)
                out[c, q.fraga_id] = mu + sd * NormalDist().inv_cdf(p)
    return out


def _periods(seed: int, corpus_seed: int, codes) -> tuple[dict, dict, list[dict]]:
    """True periods, adoption years, and the planted A1 errors (adoption year as start year)."""
    specs = {s.aktor: s for s in corpus.document_specs(corpus_seed, only_rus=True)}
    missing = [c for c in codes if c not in specs]
    if missing:
        raise RatingsSampleError(f"corpus spec (seed {corpus_seed}): no RUS for county {', '.join(missing)}")
    periods = {c: f"{specs[c].period[0]}-{specs[c].period[1]}" for c in codes}
    adopted = {c: specs[c].ar for c in codes}
    candidates = [c for c in codes if specs[c].ar != specs[c].period[0]]
    r = _stream(seed, "a1")
    chosen = sorted(r.choice(len(candidates), size=min(A1_ERRORS, len(candidates)), replace=False).tolist())
    errors = []
    for i in chosen:
        c = candidates[i]
        errors.append({"lan_kod": c, "bedomare": EXPERTS[int(_stream(seed, "a1", c).integers(len(EXPERTS)))],
                       "varde": f"{adopted[c]}-{specs[c].period[1]}", "antagen": adopted[c]})
    return periods, adopted, errors


def _comment(seed: int, code: str, q: Question, expert: str, value: str, disagree: bool, adopted: int) -> str:
    r = _stream(seed, "comment", code, q.fraga_id, expert)
    p = COMMENT_P_EMPTY if value == "" else COMMENT_P_BASE + COMMENT_P_DELVIS * (value == "1")
    p += COMMENT_P_DISAGREE * disagree
    u, pick = r.random(), r.random()
    if u >= p:
        return ""
    key = "period" if q.is_period and value else value
    bank = COMMENTS[key]
    topic = TOPICS.get(q.element_id)
    if topic and key in TOPIC_COMMENTS:
        bank = bank + TOPIC_COMMENTS[key]
    return bank[int(pick * len(bank))].format(amne=topic, antagen=adopted)


def generate(seed: int = DEFAULT_SEED, truth_path: str | Path = DEFAULT_TRUTH
             ) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """ratings (long format, both experts), consensus (8 RUS) and the planted truth (JSON-able)."""
    tpl = template()
    if PERIOD_QUESTION not in tpl.by_id or not tpl.by_id[PERIOD_QUESTION].is_period:
        raise RatingsSampleError(f"{tpl.source}: question {PERIOD_QUESTION} is missing or not a period; "
                                 "the sample plants the RUS period there")
    codes = reference.county_codes()
    corpus_seed, paragraphs = read_corpus_truth(truth_path, codes)
    ordinal = tpl.ordinal()
    shares = element_shares(paragraphs, sorted({q.element_id for q in ordinal if q.element_id}))
    latent = _latents(seed, codes, ordinal, shares)
    periods, adopted, a1_errors = _periods(seed, corpus_seed, codes)
    a1_wrong = {(e["lan_kod"], e["bedomare"]): e["varde"] for e in a1_errors}

    truth_values = {c: {} for c in codes}
    values = {}  # (expert, county, question) -> value
    for c in codes:
        for q in tpl.questions:
            if q.is_period:
                truth_values[c][q.fraga_id] = periods[c]
                for e in EXPERTS:
                    values[e, c, q.fraga_id] = a1_wrong.get((c, e), periods[c])
                continue
            truth_values[c][q.fraga_id] = cut(latent[c, q.fraga_id])
            level = difficulty(q.fraga_id)
            for e in EXPERTS:
                r = _stream(seed, "rating", c, q.fraga_id, e)
                noisy = latent[c, q.fraga_id] + LENIENCY[e] + float(r.normal(0.0, SIGMA[level]))
                values[e, c, q.fraga_id] = "" if r.random() < P_EMPTY[level] else cut(noisy)

    rows = []
    for e in EXPERTS:
        for c in codes:
            for q in tpl.questions:
                v = values[e, c, q.fraga_id]
                disagree = len({values[x, c, q.fraga_id] for x in EXPERTS}) > 1
                rows.append((c, q.fraga_id, e, v, _comment(seed, c, q, e, v, disagree, adopted[c])))
    ratings = pd.DataFrame(rows, columns=list(COLUMNS), dtype=str)

    picked = _stream(seed, "consensus").choice(len(codes), size=CONSENSUS_N, replace=False)
    consensus_codes = [codes[i] for i in sorted(picked.tolist())]
    crows = []
    for c in consensus_codes:
        for q in tpl.questions:
            given = {values[e, c, q.fraga_id] for e in EXPERTS}
            if len(given) == 1 and "" not in given:
                crows.append((c, q.fraga_id, given.pop(), ""))
            else:
                crows.append((c, q.fraga_id, truth_values[c][q.fraga_id], CONSENSUS_COMMENT))
    consensus = pd.DataFrame(crows, columns=list(CONSENSUS_COLUMNS), dtype=str)

    truth = _truth(seed, corpus_seed, tpl, codes, shares, truth_values, periods, a1_errors,
                   consensus_codes, ratings, values)
    return ratings, consensus, truth


def _truth(seed, corpus_seed, tpl, codes, shares, truth_values, periods, a1_errors, consensus_codes,
           ratings, values) -> dict:
    ordinal_ids = [q.fraga_id for q in tpl.ordinal()]
    true_ordinal = [truth_values[c][q] for c in codes for q in ordinal_ids]
    both_true = {q.fraga_id: sum(all(values[e, c, q.fraga_id] == truth_values[c][q.fraga_id] for e in EXPERTS)
                                 for c in codes) for q in tpl.questions}
    return {
        "seed": int(seed),
        "corpus_seed": int(corpus_seed),
        "description": "SYNTHETIC ratings of the 21 RUS by two invented experts; see rus_bedomningar.README.md",
        "thresholds": list(THRESHOLDS),
        "leniency": dict(LENIENCY),
        "mapped_jitter": MAPPED_JITTER,
        "questions": {
            q.fraga_id: {
                "difficulty": difficulty(q.fraga_id),
                "sigma": None if q.is_period else SIGMA[difficulty(q.fraga_id)],
                "p_empty": 0.0 if q.is_period else P_EMPTY[difficulty(q.fraga_id)],
                "element_id": q.element_id,
                "latent": "period" if q.is_period else "element_share" if q.element_id else "drawn",
                **({"latent_mean_sd": list(UNMAPPED_LATENT.get(q.fraga_id, UNMAPPED_DEFAULT))}
                   if not q.is_period and not q.element_id else {}),
            } for q in tpl.questions},
        "element_shares": {e: {c: _round(v, 6) for c, v in by.items()} for e, by in shares.items()},
        "true_ratings": {c: {q: truth_values[c][q] for q in ordinal_ids} for c in codes},
        "true_periods": periods,
        "a1_adoption_year_errors": a1_errors,
        "consensus_counties": consensus_codes,
        "counts": {
            "rows_per_expert": {e: int((ratings["bedomare"] == e).sum()) for e in EXPERTS},
            "empty_per_expert": {e: int(((ratings["bedomare"] == e) & (ratings["varde"] == "")).sum())
                                 for e in EXPERTS},
            "comments_per_expert": {e: int(((ratings["bedomare"] == e) & (ratings["kommentar"] != "")).sum())
                                    for e in EXPERTS},
            "both_experts_equal_truth": both_true,
            "true_ratings_by_value": {v: true_ordinal.count(v) for v in ("0", "1", "2")},
        },
    }


def csv_text(frame: pd.DataFrame) -> str:
    """A frame as CSV text: ',' separated, '\\n' line ends, minimal quoting."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.itertuples(index=False, name=None))
    return buf.getvalue()


def readme_text(seed: int, truth: dict) -> str:
    counts = truth["counts"]
    by_value = counts["true_ratings_by_value"]
    n_true = sum(by_value.values())
    empty = counts["empty_per_expert"]
    n_a1 = len(truth["a1_adoption_year_errors"])
    return f"""# Synthetic ratings of the 21 RUS (SYNTHETIC)

**These ratings are synthetic.** No expert has read the strategies: two invented experts
(`E1`, `E2`) "rate" the 21 synthetic RUS of `corpus/` on the assessment template
(`data/reference/assessment_template.csv`), drawn by a random number generator from a
planted truth. They exist so that the study's review stage runs end to end and its agreement
analysis can be tested against known answers.

| file | what it is |
|---|---|
| `{RATINGS_FILE}` | both experts' ratings, long format: `lan_kod,fraga_id,bedomare,varde,kommentar` ({counts['rows_per_expert']['E1']} rows per expert) |
| `{CONSENSUS_FILE}` | the consensus of a calibration meeting for {CONSENSUS_N} RUS: `lan_kod,fraga_id,varde,kommentar` |
| `{TRUTH_FILE}` | what the generator planted: thresholds, difficulty and noise per question, true ratings and periods, counts |

## How it was made
```
python -m helpers.sample.ratings            # = --seed {seed} --out data/raw/sample
```
The generator is `src/helpers/sample/ratings.py` (seed {seed}, numpy PCG64 streams keyed by
county, question and expert). It reads the corpus truth (`corpus/truth.json`) and the
corpus spec, so regenerate it after the corpus. The same seed gives byte-identical files,
and `tests/test_sample_ratings.py` checks that these committed files equal a fresh
generation: do not edit them by hand, regenerate them.

## The model
1. A latent score per RUS and ordinal question. For a question mapped to a strategy element:
   log(share / median share across the 21 RUS), where share is the share of the RUS's
   paragraphs that carry the element in the corpus truth, plus a small jitter per question
   (sd {MAPPED_JITTER}). Every synthetic RUS mentions every element, so how clearly a RUS treats
   one is its relative density. Other questions: a drawn latent (a stratified normal draw)
   with a mean and spread per question (A2, A3, A5 mostly "Ja"; B8, D10, D11 spread).
2. True rating: the latent cut at {THRESHOLDS[0]} and {THRESHOLDS[1]} (0 / 1 / 2). In this sample
   {by_value['0']} of {n_true} true ratings are 0, {by_value['1']} are 1 and {by_value['2']} are 2.
3. An expert's rating: latent + leniency (E1 {LENIENCY['E1']:+}, E2 {LENIENCY['E2']:+}: E2 is a bit
   stricter) + noise N(0, sigma), cut at the same thresholds. sigma is the planted
   difficulty: {SIGMA['latt']} for "latt" ({', '.join(EASY)}), {SIGMA['svar']} for "svar"
   ({', '.join(HARD)}), {SIGMA['medel']} for the rest ("medel"). Some values are empty (not
   assessable; {empty['E1']} for E1, {empty['E2']} for E2), more on hard questions, never for A1.
4. A1 is the period `YYYY-YYYY` of the corpus spec; in {n_a1} RUS one expert gave the
   adoption year as the start year instead.
5. Short Swedish comments on about a tenth of the ratings, more often where the value is 1,
   empty or the experts disagree.
6. Consensus, for the RUS {', '.join(truth['consensus_counties'])}: the experts' common value where
   they agree, otherwise the true value with the comment "{CONSENSUS_COMMENT}".

## Real ratings go elsewhere
The experts' real ratings are not put in this folder; this sample is what the study uses
when no real ratings are given.
"""


def write_sample(out_dir: str | Path = DEFAULT_OUT, seed: int = DEFAULT_SEED,
                 truth_path: str | Path = DEFAULT_TRUTH) -> list[Path]:
    """Write the ratings, the consensus, the truth and the README into out_dir; return the paths."""
    out = resolve(out_dir)
    ratings, consensus, truth = generate(seed, truth_path)
    texts = {
        RATINGS_FILE: csv_text(ratings),
        CONSENSUS_FILE: csv_text(consensus),
        TRUTH_FILE: json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
        README_FILE: readme_text(seed, truth),
    }
    paths = []
    for name, text in texts.items():
        data = text.encode("utf-8")
        paths.append(write_atomic(out / name, lambda tmp, data=data: tmp.write_bytes(data)))
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.sample.ratings",
                                     description="Write the synthetic sample of two experts' RUS ratings "
                                                 "(seeded, reproducible).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", default=None, help=f"folder to write (default {DEFAULT_OUT})")
    parser.add_argument("--corpus-truth", default=None,
                        help=f"the corpus truth to build on (default {DEFAULT_TRUTH})")
    args = parser.parse_args(argv)
    try:
        paths = write_sample(args.out or DEFAULT_OUT, args.seed, args.corpus_truth or DEFAULT_TRUTH)
    except RatingsSampleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
