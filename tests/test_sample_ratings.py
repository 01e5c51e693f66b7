"""The synthetic sample of the two experts' RUS ratings: reproducible, in the long ratings
format, its truth file agrees with what an independent reading of the CSV and of the corpus
finds, and the planted difficulty and leniency show up in the ratings."""
from __future__ import annotations

import csv
import io
import json
import math
import re
import time
from collections import Counter

import krippendorff
import numpy as np
import pandas as pd
import pytest

from helpers import reference
from helpers.paths import project_root
from helpers.review.template import template
from helpers.sample import corpus, ratings

SAMPLE = project_root() / "data" / "raw" / "sample"
FILES = (ratings.RATINGS_FILE, ratings.CONSENSUS_FILE, ratings.TRUTH_FILE, ratings.README_FILE)
HEADER = ["lan_kod", "fraga_id", "bedomare", "varde", "kommentar"]
CONSENSUS_HEADER = ["lan_kod", "fraga_id", "varde", "kommentar"]
CORPUS_TRUTH = project_root() / "data" / "raw" / "sample" / "corpus" / "truth.json"


def read_csv_bytes(raw: bytes) -> tuple[list[str], list[dict]]:
    """An independent reader: the csv module over the decoded text."""
    table = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    return table[0], [dict(zip(table[0], r)) for r in table[1:]]


@pytest.fixture(scope="module")
def committed():
    raw = (SAMPLE / ratings.RATINGS_FILE).read_bytes()
    header, rows = read_csv_bytes(raw)
    craw = (SAMPLE / ratings.CONSENSUS_FILE).read_bytes()
    cheader, crows = read_csv_bytes(craw)
    truth = json.loads((SAMPLE / ratings.TRUTH_FILE).read_text(encoding="utf-8"))
    return {"raw": raw, "header": header, "rows": rows, "craw": craw, "cheader": cheader,
            "crows": crows, "truth": truth}


@pytest.fixture(scope="module")
def wide(committed):
    """(lan_kod, fraga_id) -> {expert: value}."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for r in committed["rows"]:
        out.setdefault((r["lan_kod"], r["fraga_id"]), {})[r["bedomare"]] = r["varde"]
    return out


def true_value(truth: dict, code: str, qid: str) -> str:
    return truth["true_periods"][code] if qid == "A1" else truth["true_ratings"][code][qid]


# --- reproducibility ----------------------------------------------------------------------

def test_committed_files_equal_a_fresh_generation(tmp_path):
    paths = ratings.write_sample(tmp_path)
    assert sorted(p.name for p in paths) == sorted(FILES)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), \
            f"{name} differs from a fresh generation: run python -m helpers.sample.ratings"


def test_generation_is_deterministic_fast_and_uses_the_seed():
    t0 = time.perf_counter()
    a, ca, ta = ratings.generate()
    assert time.perf_counter() - t0 < 2.0
    b, cb, tb = ratings.generate()
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ca, cb)
    assert ta == tb
    c, _, tc = ratings.generate(seed=7)
    assert tc["seed"] == 7
    assert not a["varde"].equals(c["varde"])  # another seed, other ratings
    # Same rows in the same order whatever the seed: only the values move.
    assert a[["lan_kod", "fraga_id", "bedomare"]].equals(c[["lan_kod", "fraga_id", "bedomare"]])


def test_cli_writes_the_four_files(tmp_path, capsys):
    assert ratings.main(["--seed", "11", "--out", str(tmp_path)]) == 0
    for name in FILES:
        assert (tmp_path / name).is_file()
    assert json.loads((tmp_path / ratings.TRUTH_FILE).read_text(encoding="utf-8"))["seed"] == 11
    assert "rus_bedomningar.csv" in capsys.readouterr().out


# --- the output contract ------------------------------------------------------------------

def test_file_format(committed):
    for raw in (committed["raw"], committed["craw"]):
        assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
        assert b"\r" not in raw
        assert raw.endswith(b"\n")
    assert committed["header"] == HEADER
    assert committed["cheader"] == CONSENSUS_HEADER
    # The contract's reader gets all strings, with "" (not NaN) for an empty cell.
    frame = pd.read_csv(SAMPLE / ratings.RATINGS_FILE, dtype=str, keep_default_na=False)
    assert list(frame.columns) == HEADER and len(frame) == 1428
    assert all(isinstance(v, str) for v in frame.to_numpy().ravel())


def test_every_county_question_and_expert_once_in_contract_order(committed):
    tpl = template()
    codes = reference.county_codes()
    expected = [(c, q, e) for e in ("E1", "E2") for c in codes for q in tpl.ids]
    assert len(expected) == 21 * 34 * 2 == 1428
    assert [(r["lan_kod"], r["fraga_id"], r["bedomare"]) for r in committed["rows"]] == expected


def test_values_are_on_each_questions_scale(committed):
    by_id = template().by_id
    for i, r in enumerate(committed["rows"], start=2):
        problem = by_id[r["fraga_id"]].check(r["varde"])
        assert problem is None, f"row {i}: {r} -> expected {problem}"
        if r["fraga_id"] == "A1":
            assert re.fullmatch(r"\d{4}-\d{4}", r["varde"]), f"row {i}: A1 is never empty"


def test_the_generated_frames_match_the_contract():
    frame, cons, _ = ratings.generate()
    assert list(frame.columns) == HEADER and list(cons.columns) == CONSENSUS_HEADER
    assert all(isinstance(v, str) for v in frame.to_numpy().ravel())
    assert all(isinstance(v, str) for v in cons.to_numpy().ravel())
    assert not frame.duplicated(["lan_kod", "fraga_id", "bedomare"]).any()


# --- the truth file agrees with the CSV and with the corpus --------------------------------

def test_truth_counts_agree_with_the_csv(committed, wide):
    truth, rows = committed["truth"], committed["rows"]
    counts = truth["counts"]
    for e in ("E1", "E2"):
        mine = [r for r in rows if r["bedomare"] == e]
        assert counts["rows_per_expert"][e] == len(mine) == 714
        assert counts["empty_per_expert"][e] == sum(r["varde"] == "" for r in mine)
        assert counts["comments_per_expert"][e] == sum(r["kommentar"] != "" for r in mine)
    for qid in template().ids:
        both = sum(all(v == true_value(truth, c, qid) for v in wide[c, qid].values())
                   for c in reference.county_codes())
        assert counts["both_experts_equal_truth"][qid] == both, qid
    true_all = [v for by_q in truth["true_ratings"].values() for v in by_q.values()]
    assert counts["true_ratings_by_value"] == {v: true_all.count(v) for v in ("0", "1", "2")}
    assert truth["seed"] == ratings.DEFAULT_SEED


def test_truth_describes_every_question(committed):
    tpl = template()
    q = committed["truth"]["questions"]
    assert set(q) == set(tpl.ids)
    for qid in tpl.ids:
        assert q[qid]["difficulty"] in ("latt", "medel", "svar")
        assert q[qid]["element_id"] == tpl.by_id[qid].element_id
    assert q["A1"]["difficulty"] == "latt" and q["B8"]["difficulty"] == "svar"
    assert q["A6"]["difficulty"] == "medel"
    for level in ("latt", "medel", "svar"):
        sigmas = {q[i]["sigma"] for i in tpl.ids if i != "A1" and q[i]["difficulty"] == level}
        assert len(sigmas) == 1, level
    sig = {q[i]["difficulty"]: q[i]["sigma"] for i in tpl.ids if i != "A1"}
    assert sig["latt"] < sig["medel"] < sig["svar"]
    assert set(committed["truth"]["true_ratings"]) == set(reference.county_codes())


def test_a1_periods_come_from_the_corpus_spec(committed, wide):
    truth = committed["truth"]
    specs = {s.aktor: s for s in corpus.document_specs(truth["corpus_seed"], only_rus=True)}
    assert truth["corpus_seed"] == json.loads(CORPUS_TRUTH.read_text(encoding="utf-8"))["seed"]
    wrong = []
    for code, s in specs.items():
        assert truth["true_periods"][code] == f"{s.period[0]}-{s.period[1]}"
        for e, v in wide[code, "A1"].items():
            if v != truth["true_periods"][code]:
                # The planted mistake: the adoption year as start year, same end year.
                assert v == f"{s.ar}-{s.period[1]}" and s.ar != s.period[0], (code, e, v)
                wrong.append((code, e, v))
    planted = [(d["lan_kod"], d["bedomare"], d["varde"]) for d in truth["a1_adoption_year_errors"]]
    assert sorted(wrong) == sorted(planted)
    assert len(wrong) == 3
    assert all(len(set(wide[c, "A1"].values())) == 2 for c, _, _ in wrong)  # only one expert errs


def independent_shares() -> tuple[dict, dict]:
    """element -> county -> share of the RUS's paragraphs carrying it (no smoothing), and the
    paragraph counts, read straight from the corpus truth."""
    docs = {d["dokument_id"]: d for d in json.loads(CORPUS_TRUTH.read_text(encoding="utf-8"))["documents"]}
    elements = {q.element_id for q in template().mapped()}
    shares, counts = {}, {}
    for e in elements:
        shares[e], counts[e] = {}, {}
        for code in reference.county_codes():
            paras = docs[f"rus-{code}"]["paragraphs"]
            k = sum(1 for p in paras if e in p["elements"])
            shares[e][code] = k / len(paras)
            counts[e][code] = (k, len(paras))
    return shares, counts


def test_true_ratings_follow_the_element_density(committed):
    truth = committed["truth"]
    shares, counts = independent_shares()
    for e, by in counts.items():
        for code, (k, n) in by.items():
            assert truth["element_shares"][e][code] == pytest.approx((k + 0.5) / n, abs=1e-6)
    t0, t1 = truth["thresholds"]
    far = Counter()
    for q in template().mapped():
        s = pd.Series(shares[q.element_id])
        true = pd.Series({c: int(truth["true_ratings"][c][q.fraga_id]) for c in s.index})
        assert s.corr(true, method="spearman") > 0.6, q.fraga_id
        # Far from the cut points (0.5 is four jitter sds), the density alone decides.
        z = np.log(s / s.median())
        for c in s.index:
            if z[c] > t1 + 0.5:
                assert true[c] == 2, (q.fraga_id, c)
                far["2"] += 1
            elif z[c] < t0 - 0.5:
                assert true[c] == 0, (q.fraga_id, c)
                far["0"] += 1
    assert far["2"] > 20 and far["0"] > 0


def test_every_question_has_a_spread_of_true_values(committed):
    truth = committed["truth"]
    values = [v for by_q in truth["true_ratings"].values() for v in by_q.values()]
    for q in template().ordinal():
        distinct = {truth["true_ratings"][c][q.fraga_id] for c in reference.county_codes()}
        assert len(distinct) >= 2, q.fraga_id
    share = Counter(values)
    assert 0.05 <= share["0"] / len(values) <= 0.15
    assert share["2"] > share["1"] > share["0"]
    # Questions planted as mostly "Ja" are, and B8 is spread.
    for qid in ("A2", "A3", "A5"):
        assert sum(truth["true_ratings"][c][qid] == "2" for c in truth["true_ratings"]) >= 15, qid
    assert sum(truth["true_ratings"][c]["B8"] == "2" for c in truth["true_ratings"]) <= 12


# --- planted difficulty and leniency -------------------------------------------------------

def level_stats(truth: dict, wide: dict, level: str) -> tuple[float, float, int]:
    """Exact agreement (units rated by both) and ordinal Krippendorff's alpha over a level."""
    qids = [q for q, d in truth["questions"].items() if d["difficulty"] == level and q != "A1"]
    units = [(c, q) for c in reference.county_codes() for q in qids]
    pairs = [(wide[u]["E1"], wide[u]["E2"]) for u in units]
    both = [(a, b) for a, b in pairs if a and b]
    agreement = sum(a == b for a, b in both) / len(both)
    data = np.array([[float(v) if v else np.nan for v in col] for col in zip(*pairs)])
    alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    return agreement, alpha, len(units)


def test_planted_difficulty_shows_in_agreement(committed, wide):
    truth = committed["truth"]
    easy_agree, easy_alpha, n_easy = level_stats(truth, wide, "latt")
    mid_agree, mid_alpha, _ = level_stats(truth, wide, "medel")
    hard_agree, hard_alpha, n_hard = level_stats(truth, wide, "svar")
    assert n_easy == 8 * 21 and n_hard == 10 * 21
    assert easy_agree - hard_agree > 0.2, (easy_agree, hard_agree)
    assert easy_alpha - hard_alpha > 0.3, (easy_alpha, hard_alpha)
    assert easy_alpha > mid_alpha > hard_alpha
    assert easy_agree > 0.8


def test_e2_is_stricter_than_e1(committed, wide):
    rows = [r for r in committed["rows"] if r["fraga_id"] != "A1" and r["varde"]]
    mean = {e: np.mean([int(r["varde"]) for r in rows if r["bedomare"] == e]) for e in ("E1", "E2")}
    assert mean["E2"] < mean["E1"]
    lower = higher = 0
    for (c, q), v in wide.items():
        if q != "A1" and v["E1"] and v["E2"]:
            lower += int(v["E2"]) < int(v["E1"])
            higher += int(v["E2"]) > int(v["E1"])
    assert lower > 1.5 * higher, (lower, higher)


def test_empty_values_are_few_more_on_hard_questions(committed):
    truth, rows = committed["truth"], committed["rows"]
    level = {q: d["difficulty"] for q, d in truth["questions"].items()}
    assert not any(r["varde"] == "" for r in rows if r["fraga_id"] == "A1")
    empty = sum(r["varde"] == "" for r in rows)
    assert 0.005 <= empty / len(rows) <= 0.025
    share = {lv: np.mean([r["varde"] == "" for r in rows if level[r["fraga_id"]] == lv])
             for lv in ("latt", "svar")}
    assert share["svar"] > share["latt"]


def test_comments(committed, wide):
    rows = committed["rows"]
    commented = [r for r in rows if r["kommentar"]]
    assert 0.06 <= len(commented) / len(rows) <= 0.16
    assert all(r["kommentar"].strip() == r["kommentar"] and r["kommentar"].endswith(".") for r in commented)
    assert not any("{" in r["kommentar"] for r in commented)
    assert 10 <= len({r["kommentar"] for r in commented}) <= 40

    def rate(select):
        sel = [r for r in rows if select(r)]
        return sum(bool(r["kommentar"]) for r in sel) / len(sel)
    disagree = lambda r: len(set(wide[r["lan_kod"], r["fraga_id"]].values())) > 1  # noqa: E731
    assert rate(disagree) > 1.5 * rate(lambda r: not disagree(r))
    assert rate(lambda r: r["varde"] == "1") > rate(lambda r: r["varde"] == "2")
    # A comment suits the value: a "missing" phrase never goes with "Ja, tydligt".
    for r in commented:
        if r["varde"] == "2":
            assert not re.search(r"saknas|inget|nämns i förbigående", r["kommentar"], re.I), r


# --- consensus ----------------------------------------------------------------------------

def test_consensus(committed, wide):
    truth, crows = committed["truth"], committed["crows"]
    codes = reference.county_codes()
    chosen = truth["consensus_counties"]
    assert len(chosen) == 8 and len(set(chosen)) == 8
    assert chosen == [c for c in codes if c in chosen]
    ids = template().ids
    assert [(r["lan_kod"], r["fraga_id"]) for r in crows] == [(c, q) for c in chosen for q in ids]
    disagreements = 0
    for r in crows:
        given = wide[r["lan_kod"], r["fraga_id"]]
        agree = given["E1"] == given["E2"] != ""
        if agree:
            assert r["varde"] == given["E1"] and r["kommentar"] == "", r
        else:
            disagreements += 1
            assert r["varde"] == true_value(truth, r["lan_kod"], r["fraga_id"]), r
            assert r["kommentar"] == "Enades vid kalibreringsmöte.", r
        assert template().by_id[r["fraga_id"]].check(r["varde"]) is None
        assert r["varde"] != ""
    assert disagreements > 20


# --- bad input ----------------------------------------------------------------------------

def corpus_truth() -> dict:
    return json.loads(CORPUS_TRUTH.read_text(encoding="utf-8"))


def test_missing_corpus_truth(tmp_path):
    path = tmp_path / "nope.json"
    with pytest.raises(ratings.RatingsSampleError, match=re.escape(str(path)) + ".*not found"):
        ratings.generate(truth_path=path)


def test_corpus_truth_not_json(tmp_path):
    path = tmp_path / "truth.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ratings.RatingsSampleError, match="truth.json: not a JSON file"):
        ratings.generate(truth_path=path)
    path.write_text(json.dumps({"documents": []}), encoding="utf-8")
    with pytest.raises(ratings.RatingsSampleError, match="integer 'seed'"):
        ratings.generate(truth_path=path)


def test_corpus_truth_without_a_rus(tmp_path):
    data = corpus_truth()
    data["documents"] = [d for d in data["documents"] if d["dokument_id"] != "rus-09"]
    path = tmp_path / "truth.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ratings.RatingsSampleError, match=r"truth.json: document rus-09 is missing"):
        ratings.generate(truth_path=path)


def test_corpus_truth_with_a_bad_paragraph(tmp_path):
    data = {"seed": corpus_truth()["seed"], "documents": [
        d for d in corpus_truth()["documents"] if d["dokument_id"].startswith("rus-")]}
    doc = next(d for d in data["documents"] if d["dokument_id"] == "rus-14")
    doc["paragraphs"][4]["elements"] = "SO3"
    path = tmp_path / "truth.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ratings.RatingsSampleError,
                       match=r"document rus-14, paragraph 5: field 'elements' is 'SO3'; expected a list"):
        ratings.generate(truth_path=path)
    doc["paragraphs"] = []
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ratings.RatingsSampleError, match=r"rus-14, field 'paragraphs' is \[\]; expected a non-empty"):
        ratings.generate(truth_path=path)


def test_cli_reports_bad_input_without_traceback(tmp_path, capsys):
    missing = tmp_path / "missing.json"
    assert ratings.main(["--out", str(tmp_path / "out"), "--corpus-truth", str(missing)]) == 2
    assert f"{missing}: corpus truth not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_cut_points():
    t0, t1 = ratings.THRESHOLDS
    assert ratings.cut(t0 - 1e-9) == "0" and ratings.cut(t0) == "1"
    assert ratings.cut(t1 - 1e-9) == "1" and ratings.cut(t1) == "2"
    assert ratings.cut(-math.inf) == "0" and ratings.cut(math.inf) == "2"
