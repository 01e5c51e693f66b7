"""Agreement statistics: every expected value comes from a published example, a hand
computation written out below, or an independent implementation (the `krippendorff` package,
scikit-learn's cohen_kappa_score)."""
from __future__ import annotations

import itertools
import math

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from helpers.review import agreement as ag
from helpers.review.template import template

NAN = np.nan

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, values 1..5, missing values. Published: nominal .743, ordinal .815, interval .849.
CANONICAL = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
])
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849}


def random_reliability(seed: int, raters: int, units: int = 30, missing: float = 0.25,
                       values=(0.0, 1.0, 2.0)) -> np.ndarray:
    """Raters who agree more often than chance, with values missing at random."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(values, size=units)
    data = np.where(rng.random((raters, units)) < 0.6, truth, rng.choice(values, size=(raters, units)))
    return np.where(rng.random((raters, units)) < missing, np.nan, data)


# --- alpha ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_alpha_reproduces_krippendorffs_published_example(level):
    value = ag.alpha(CANONICAL, level)
    assert round(value, 3) == PUBLISHED[level]
    assert value == pytest.approx(krippendorff.alpha(reliability_data=CANONICAL, level_of_measurement=level), abs=1e-12)


def test_alpha_ordinal_by_hand():
    # Two raters, five units on 0..2: (0,0) (1,2) (2,2) (2,1) (1,1).
    # Coincidence matrix (each unit adds its two ordered pairs / (m_u - 1) = 1):
    #        0  1  2
    #   0 [  2  0  0 ]      n_0 = 2
    #   1 [  0  2  2 ]      n_1 = 4
    #   2 [  0  2  2 ]      n_2 = 4,  n = 10
    # Ordinal d_ck = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2:
    #   d_01 = (6 - 3)^2 = 9,  d_12 = (8 - 4)^2 = 16,  d_02 = (10 - 3)^2 = 49
    # sum o_ck d_ck = 2 * 2 * 16 = 64
    # sum n_c n_k d_ck = 2 * (2*4*9 + 4*4*16 + 2*4*49) = 2 * 720 = 1440
    # alpha = 1 - (n - 1) * 64 / 1440 = 1 - 576 / 1440 = 0.6
    data = np.array([[0, 1, 2, 2, 1], [0, 2, 2, 1, 1]], dtype=float)
    assert ag.alpha(data, "ordinal") == 0.6


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
@pytest.mark.parametrize("seed,raters", [(1, 2), (2, 2), (3, 3), (4, 3), (5, 4), (6, 4)])
def test_alpha_matches_the_krippendorff_package_on_random_data(seed, raters, level):
    data = random_reliability(seed, raters)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert ag.alpha(data, level) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_alpha_on_uneven_codes_matches_the_package(level):
    # Codes 1, 5, 7: ordinal uses only their ranks, interval their distances.
    data = random_reliability(11, 3, units=25, values=(1.0, 5.0, 7.0))
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert ag.alpha(data, level) == pytest.approx(expected, abs=1e-12)


def test_ordinal_alpha_depends_only_on_ranks():
    data = random_reliability(12, 2, units=25)
    stretched = np.where(data == 2.0, 10.0, data)
    assert ag.alpha(stretched, "ordinal") == pytest.approx(ag.alpha(data, "ordinal"), abs=1e-12)
    assert ag.alpha(stretched, "interval") != pytest.approx(ag.alpha(data, "interval"), abs=1e-6)


def test_units_with_one_value_drop_out():
    data = random_reliability(13, 3, units=20)
    lone = np.array([[2.0, NAN], [NAN, NAN], [NAN, 0.0]])  # one value, then none
    for level in ag.LEVELS:
        assert ag.alpha(np.hstack([data, lone]), level) == ag.alpha(data, level)


def test_alpha_is_nan_when_undefined():
    assert math.isnan(ag.alpha([[1, 1, 1], [1, 1, 1]], "nominal"))  # no disagreement expected
    assert math.isnan(ag.alpha([[1, NAN, 2], [NAN, 0, NAN]], "ordinal"))  # no pairable unit
    assert math.isnan(ag.alpha(np.full((2, 3), np.nan), "interval"))  # no value at all


def test_alpha_rejects_bad_input():
    with pytest.raises(ag.AgreementError, match="level 'ratio'"):
        ag.alpha(CANONICAL, "ratio")
    with pytest.raises(ag.AgreementError, match="2-D"):
        ag.alpha([1, 2, 3])
    with pytest.raises(ag.AgreementError, match=r"rater 1, unit 0 holds inf"):
        ag.alpha([[1, 2], [np.inf, 2]])
    with pytest.raises(ag.AgreementError, match="numbers"):
        ag.alpha([["a", "b"], ["c", "d"]])


# --- kappa and exact agreement ------------------------------------------------------------------

def test_weighted_kappa_by_hand():
    # a = 0 0 1 1 2 2, b = 0 1 1 2 2 2. Cross table O (rows a), margins r = (2,2,2), c = (1,2,3), N = 6:
    #   [1 1 0]
    #   [0 1 1]
    #   [0 0 2]
    # Expected counts E = r c^T / N: every row (1/3, 2/3, 1).
    # Quadratic w = (i-j)^2: sum w*O = 1 + 1 = 2; sum w*E = 14/3 + 4/3 + 6/3 = 8 -> 1 - 2/8 = 0.75
    # Linear w = |i-j|:      sum w*O = 2;         sum w*E = 8/3 + 4/3 + 4/3 = 16/3 -> 1 - 6/16 = 0.625
    # Unweighted: p_o = 4/6, p_e = (2*1 + 2*2 + 2*3)/36 = 1/3 -> (2/3 - 1/3)/(2/3) = 0.5
    a, b = [0, 0, 1, 1, 2, 2], [0, 1, 1, 2, 2, 2]
    assert ag.weighted_kappa(a, b, [0, 1, 2], "quadratic") == pytest.approx(0.75, abs=1e-12)
    assert ag.weighted_kappa(a, b, [0, 1, 2], "linear") == pytest.approx(0.625, abs=1e-12)
    assert ag.weighted_kappa(a, b, [0, 1, 2], None) == pytest.approx(0.5, abs=1e-12)
    # 2x2: a = 0 0 1 1, b = 0 1 1 1: p_o = 3/4, p_e = (2*1 + 2*3)/16 = 1/2 -> kappa = 0.5
    assert ag.weighted_kappa(["0", "0", "1", "1"], ["0", "1", "1", "1"], ["0", "1"], None) == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("weights", ["quadratic", "linear", None])
@pytest.mark.parametrize("seed", [21, 22, 23, 24])
def test_weighted_kappa_matches_sklearn(seed, weights):
    data = random_reliability(seed, 2, units=40)
    both = ~np.isnan(data).any(axis=0)
    expected = cohen_kappa_score(data[0, both], data[1, both], labels=[0.0, 1.0, 2.0], weights=weights)
    # the missing values are passed in: kappa must use only the units where both rated
    assert ag.weighted_kappa(data[0], data[1], [0.0, 1.0, 2.0], weights) == pytest.approx(expected, abs=1e-12)


def test_weighted_kappa_full_scale_matters():
    # Only 1 and 2 are used but the scale is 0..4: quadratic weights are spread over the full scale.
    a, b = [1, 1, 2, 2, 1], [1, 2, 2, 2, 1]
    scale = [0, 1, 2, 3, 4]
    expected = cohen_kappa_score(a, b, labels=scale, weights="quadratic")
    assert ag.weighted_kappa(a, b, scale, "quadratic") == pytest.approx(expected, abs=1e-12)


def test_weighted_kappa_undefined_and_errors():
    assert math.isnan(ag.weighted_kappa([1, 1], [1, 1], [0, 1, 2]))  # no disagreement expected
    assert math.isnan(ag.weighted_kappa(["", "1"], ["2", None], ["0", "1", "2"]))  # no unit rated by both
    with pytest.raises(ag.AgreementError, match=r"unit 1: value '3' is not among the categories"):
        ag.weighted_kappa(["0", "3"], ["0", "1"], ["0", "1", "2"])
    with pytest.raises(ag.AgreementError, match="differ in length: 2 and 3"):
        ag.weighted_kappa([0, 1], [0, 1, 2], [0, 1, 2])
    with pytest.raises(ag.AgreementError, match="weights 'cubic'"):
        ag.weighted_kappa([0, 1], [0, 1], [0, 1], "cubic")


def test_percent_agreement():
    # units with both values: 1st (0,0 equal), 2nd (1,2), 4th (2,2 equal) -> 2/3
    assert ag.percent_agreement(["0", "1", "", "2", "1"], ["0", "2", "1", "2", ""]) == pytest.approx(2 / 3)
    assert ag.percent_agreement([1.0, NAN, 2.0], [1.0, 0.0, 2.0]) == 1.0
    assert math.isnan(ag.percent_agreement(["1", ""], ["", "2"]))


def test_reliability_label_thresholds():
    assert ag.RELIABLE == 0.800 and ag.TENTATIVE == 0.667
    assert ag.reliability_label(1.0) == "tillförlitlig"
    assert ag.reliability_label(0.8) == "tillförlitlig"
    assert ag.reliability_label(0.7999) == "preliminär"
    assert ag.reliability_label(0.667) == "preliminär"
    assert ag.reliability_label(0.6669) == "ej tillförlitlig"
    assert ag.reliability_label(-0.2) == "ej tillförlitlig"
    assert ag.reliability_label(math.nan) == "kan inte beräknas"


# --- bootstrap -----------------------------------------------------------------------------------

def naive_bootstrap(data, level, n_boot, seed, clusters=None):
    """The documented resampling scheme written out resample by resample, with the
    `krippendorff` package computing each resample's alpha."""
    pairable = np.flatnonzero((~np.isnan(data)).sum(axis=0) >= 2)
    if clusters is None:
        groups = [[u] for u in pairable]
    else:
        labels = np.asarray(clusters).astype(str)
        groups = [[u for u in pairable if labels[u] == key] for key in np.unique(labels)]
        groups = [g for g in groups if g]
    draws = np.random.default_rng(seed).integers(0, len(groups), size=(n_boot, len(groups)))
    alphas = []
    for row in draws:
        columns = [u for i in row for u in groups[i]]
        try:
            alphas.append(krippendorff.alpha(reliability_data=data[:, columns], level_of_measurement=level))
        except ValueError:  # a single value in the resample: alpha undefined, skipped
            continue
    return tuple(np.percentile(alphas, [2.5, 97.5]))


def clustered_fixture():
    """21 counties x 12 questions; agreement planted per county (some agree, some do not), so
    units within a county are alike and county resampling must give a wider interval."""
    rng = np.random.default_rng(31)
    counties, per = 21, 12
    first = rng.integers(0, 3, size=(counties, per)).astype(float)
    agree = rng.random(counties) < 0.5
    second = np.where(agree[:, None], first, rng.integers(0, 3, size=(counties, per)))
    data = np.vstack([first.ravel(), second.ravel()])
    data[1, rng.random(counties * per) < 0.1] = np.nan
    return data, np.repeat([f"{c:02d}" for c in range(1, counties + 1)], per)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_bootstrap_equals_resampling_one_by_one(level):
    data = random_reliability(41, 3, units=25)
    got = ag.bootstrap_alpha(data, level, n_boot=200, seed=7)
    assert got == pytest.approx(naive_bootstrap(data, level, 200, 7), abs=1e-9)


def test_clustered_bootstrap_equals_resampling_one_by_one():
    data, clusters = clustered_fixture()
    got = ag.bootstrap_alpha(data, "ordinal", n_boot=200, seed=8, clusters=clusters)
    assert got == pytest.approx(naive_bootstrap(data, "ordinal", 200, 8, clusters), abs=1e-9)


def test_bootstrap_is_deterministic_and_seeded():
    data = random_reliability(42, 2, units=40)
    first = ag.bootstrap_alpha(data, seed=5)
    assert ag.bootstrap_alpha(data, seed=5) == first
    assert ag.bootstrap_alpha(data, seed=6) != first


def test_bootstrap_interval_contains_the_estimate():
    data = random_reliability(43, 2, units=80, missing=0.1)
    low, high = ag.bootstrap_alpha(data, "ordinal", n_boot=1000, seed=1)
    assert low < ag.alpha(data, "ordinal") < high


def test_clustered_resampling_differs_from_unit_resampling():
    data, clusters = clustered_fixture()
    units = ag.bootstrap_alpha(data, "ordinal", seed=2)
    whole = ag.bootstrap_alpha(data, "ordinal", seed=2, clusters=clusters)
    assert units != whole
    # the planted county effect makes units within a county alike: fewer independent draws
    assert whole[1] - whole[0] > units[1] - units[0]


def test_bootstrap_perfect_agreement_and_undefined():
    perfect = np.array([[0, 1, 2, 2, 1, 0, 2, 1], [0, 1, 2, 2, 1, 0, 2, 1]], dtype=float)
    assert ag.bootstrap_alpha(perfect, "ordinal", seed=3) == (1.0, 1.0)
    # a single value everywhere: alpha undefined, so is the interval
    low, high = ag.bootstrap_alpha(np.ones((2, 6)), "nominal", seed=3)
    assert math.isnan(low) and math.isnan(high)


def test_bootstrap_needs_half_the_resamples_defined():
    # Units (0,0) and (1,1): a resample drawing the same unit twice holds one value only and
    # alpha is undefined, so about half the resamples are. Count them from the documented draws.
    data = np.array([[0, 1], [0, 1]], dtype=float)
    outcomes = set()
    for seed in range(20):
        draws = np.random.default_rng(seed).integers(0, 2, size=(9, 2))
        defined = int((draws[:, 0] != draws[:, 1]).sum())
        low, high = ag.bootstrap_alpha(data, "nominal", n_boot=9, seed=seed)
        if defined * 2 < 9:
            assert math.isnan(low) and math.isnan(high)
        else:  # every defined resample is perfect agreement
            assert (low, high) == (1.0, 1.0)
        outcomes.add(defined * 2 < 9)
    assert outcomes == {True, False}  # both branches were exercised


def test_bootstrap_rejects_bad_arguments():
    with pytest.raises(ag.AgreementError, match="one label per unit"):
        ag.bootstrap_alpha(CANONICAL, clusters=["a", "b"])
    with pytest.raises(ag.AgreementError, match="n_boot -1"):
        ag.bootstrap_alpha(CANONICAL, n_boot=-1)


# --- the published table ------------------------------------------------------------------------

COUNTIES = ["01", "03", "04", "05", "06", "07"]
# Hand-made ratings: expert -> question -> one value per county above ("" = not assessable).
HAND = {
    "E1": {
        "A1": ["2021-2030", "2021-2030", "2022-2030", "2020-2030", "2021-2030", ""],
        "A2": ["2", "2", "1", "0", "2", "1"],
        "A3": ["1", "1", "1", "2", "0", ""],
        "B1": ["2", "2", "2", "1", "2", "2"],
        "B2": ["1", "", "", "", "", ""],
    },
    "E2": {
        "A1": ["2021-2030", "2022-2030", "2022-2030", "2020-2030", "2021-2030", "2021-2030"],
        "A2": ["2", "1", "1", "0", "2", "2"],
        "A3": ["1", "2", "1", "2", "0", "0"],
        "B1": ["2", "2", "1", "1", "2", ""],
    },
}
PERIOD_CODE = {"2020-2030": 0.0, "2021-2030": 1.0, "2022-2030": 2.0}  # sorted periods that occur


def long_ratings(hand=HAND) -> pd.DataFrame:
    rows = [
        {"lan_kod": county, "fraga_id": qid, "bedomare": expert, "varde": value, "kommentar": ""}
        for expert, questions in hand.items()
        for qid, values in questions.items()
        for county, value in zip(COUNTIES, values)
        if not (qid == "B2" and value == "")  # B2: one rating only, the other rows absent
    ]
    return pd.DataFrame(rows, columns=list(ag.RATINGS_COLUMNS))


def matrix(hand, qid, code=float) -> np.ndarray:
    return np.array([[code(v) if v else np.nan for v in hand[e][qid]] for e in sorted(hand)])


@pytest.fixture(scope="module")
def table():
    return ag.agreement_table(long_ratings(), template(), n_boot=200)


def row(frame, qid, part=None):
    hit = frame[(frame["fraga_id"] == qid) & ((frame["del"] == part) if part else True)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_table_shape_and_order(table):
    tmpl = template()
    assert list(table.columns) == ["del", "fraga_id", "n", "alfa", "alfa_lag", "alfa_hog", "kappa", "andel_lika"]
    expected = []
    for part in tmpl.parts:
        expected.append((part, ""))
        expected += [(part, q.fraga_id) for q in tmpl.questions if q.del_ == part]
    assert list(zip(table["del"], table["fraga_id"])) == expected
    assert table["n"].dtype == np.int64
    assert all(table[c].dtype == np.float64 for c in ["alfa", "alfa_lag", "alfa_hog", "kappa", "andel_lika"])


def test_table_counts(table):
    # A1: county 07 lacks E1 -> 5; A2: 6; A3: 07 lacks E1 -> 5; B1: 07 lacks E2 -> 5; B2: one expert -> 0
    assert row(table, "A1")["n"] == 5
    assert row(table, "A2")["n"] == 6
    assert row(table, "A3")["n"] == 5
    assert row(table, "B1")["n"] == 5
    assert row(table, "B2")["n"] == 0
    assert row(table, "", "A")["n"] == 6 + 5  # A1 is not pooled
    assert row(table, "", "B")["n"] == 5
    assert row(table, "", "C")["n"] == 0
    assert row(table, "D12")["n"] == 0 and math.isnan(row(table, "D12")["alfa"])


def test_table_ordinal_question_values(table):
    m = matrix(HAND, "A2")
    got = row(table, "A2")
    assert got["alfa"] == ag.alpha(m, "ordinal")
    assert got["alfa"] == pytest.approx(krippendorff.alpha(reliability_data=m, level_of_measurement="ordinal"), abs=1e-12)
    assert got["kappa"] == pytest.approx(cohen_kappa_score(m[0], m[1], labels=[0, 1, 2], weights="quadratic"), abs=1e-12)
    assert got["andel_lika"] == pytest.approx(4 / 6)  # counties 03 and 07 differ
    assert (got["alfa_lag"], got["alfa_hog"]) == ag.bootstrap_alpha(m, "ordinal", n_boot=200, seed=ag._seed(ag.SEED, "A2"))


def test_table_period_question_is_nominal(table):
    m = matrix(HAND, "A1", PERIOD_CODE.get)
    got = row(table, "A1")
    assert got["alfa"] == ag.alpha(m, "nominal")
    assert got["alfa"] == pytest.approx(krippendorff.alpha(reliability_data=m, level_of_measurement="nominal"), abs=1e-12)
    both = ~np.isnan(m).any(axis=0)
    assert got["kappa"] == pytest.approx(cohen_kappa_score(m[0, both], m[1, both]), abs=1e-12)
    assert got["andel_lika"] == pytest.approx(4 / 5)  # county 03 differs, 07 lacks E1


def test_table_part_row_pools_the_ordinal_questions(table):
    pooled = np.hstack([matrix(HAND, "A2"), matrix(HAND, "A3")])  # not A1
    got = row(table, "", "A")
    assert got["alfa"] == pytest.approx(ag.alpha(pooled, "ordinal"), abs=1e-12)
    both = ~np.isnan(pooled).any(axis=0)
    assert got["kappa"] == pytest.approx(
        cohen_kappa_score(pooled[0, both], pooled[1, both], labels=[0, 1, 2], weights="quadratic"), abs=1e-12)
    assert got["andel_lika"] == pytest.approx(8 / 11)
    clusters = COUNTIES * 2
    assert (got["alfa_lag"], got["alfa_hog"]) == ag.bootstrap_alpha(
        pooled, "ordinal", n_boot=200, seed=ag._seed(ag.SEED, "del A"), clusters=clusters)


def test_table_is_independent_of_row_order_and_of_other_questions(table):
    shuffled = long_ratings().sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(ag.agreement_table(shuffled, template(), n_boot=200), table)
    only_b1 = long_ratings().query("fraga_id == 'B1'")
    alone = ag.agreement_table(only_b1, template(), n_boot=200)
    pd.testing.assert_series_equal(row(alone, "B1"), row(table, "B1"), check_names=False)


def test_table_with_three_experts_averages_the_pairs():
    hand = {**HAND, "E3": {"A2": ["2", "2", "0", "0", "1", "1"]}}
    got = row(ag.agreement_table(long_ratings(hand), template(), n_boot=50), "A2")
    m = matrix(hand, "A2")
    pairs = list(itertools.combinations(range(3), 2))
    kappas = [cohen_kappa_score(m[i], m[j], labels=[0, 1, 2], weights="quadratic") for i, j in pairs]
    shares = [np.mean(m[i] == m[j]) for i, j in pairs]
    assert got["kappa"] == pytest.approx(np.mean(kappas), abs=1e-12)
    assert got["andel_lika"] == pytest.approx(np.mean(shares), abs=1e-12)
    assert got["alfa"] == pytest.approx(krippendorff.alpha(reliability_data=m, level_of_measurement="ordinal"), abs=1e-12)


def test_flag_column(table):
    flags = ag.flag_column(table)
    assert list(flags.index) == list(table.index)
    assert flags[table["fraga_id"] == "B2"].tolist() == ["kan inte beräknas"]
    assert flags.tolist() == [ag.reliability_label(a) for a in table["alfa"]]


@pytest.mark.parametrize("change,message", [
    (lambda f: f.drop(columns="kommentar"), r"ratings: missing column\(s\) kommentar"),
    (lambda f: f.assign(varde=f["varde"].where(f.index != 7, "3")),
     r"ratings, row 7, column varde: '3' for question A2; expected one of 0, 1, 2 or empty"),
    (lambda f: f.assign(varde=f["varde"].where(f.index != 0, "2030-2021")),
     r"ratings, row 0, column varde: '2030-2021' for question A1; expected a period"),
    (lambda f: f.assign(fraga_id=f["fraga_id"].where(f.index != 2, "Z9")),
     r"ratings, row 2, column fraga_id: 'Z9' is not in the assessment template"),
    (lambda f: f.assign(lan_kod=f["lan_kod"].where(f.index != 1, "02")),
     r"ratings, row 1, column lan_kod: '02' is not a county code"),
    (lambda f: f.assign(bedomare=f["bedomare"].where(f.index != 4, " ")),
     r"ratings, row 4, column bedomare: empty"),
    (lambda f: f.assign(varde=f["varde"].where(f.index != 6, np.nan)),
     r"ratings, row 6, column varde: found nan \(float\); expected a string"),
    (lambda f: pd.concat([f, f.iloc[[3]]], ignore_index=True),
     r"row \d+: lan_kod 05, fraga_id A1, bedomare E1 was already given in row 3"),
])
def test_table_rejects_bad_ratings(change, message):
    with pytest.raises(ag.AgreementError, match=message):
        ag.agreement_table(change(long_ratings()), template(), n_boot=10)
