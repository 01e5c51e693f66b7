"""Agreement between the experts who rated the RUS: Krippendorff's alpha (nominal, ordinal,
interval) with bootstrap intervals, Cohen's (weighted) kappa and the share of exact agreement,
and the per-question table the study publishes (`granskning_samstammighet.csv`).

Everything is computed here with numpy; the `krippendorff` package and scikit-learn serve the
tests as independent checks.

Alpha follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": values are
paired within units through a coincidence matrix o_ck (each ordered pair of values from
different raters in a unit with m_u values counts 1/(m_u - 1)), n_c are its margins and

    alpha = 1 - (n - 1) * sum_ck o_ck d2_ck / sum_ck n_c n_k d2_ck

with d2 the squared distance of the level: nominal 1 for c != k, interval (c - k)^2 and
ordinal (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2, so ordinal depends only on the ranks of the
values that occur. Reliability thresholds from Krippendorff (2004): alpha >= 0.800 reliable,
0.667 <= alpha < 0.800 tentative conclusions only.
"""
from __future__ import annotations

import itertools
import math
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

LEVELS = ("nominal", "ordinal", "interval")
KAPPA_WEIGHTS = ("quadratic", "linear", None)
RELIABLE = 0.800  # Krippendorff (2004): rely on variables with alpha >= .800
TENTATIVE = 0.667  # ... and draw tentative conclusions only from .667 <= alpha < .800
SEED = 20210318
CONFIDENCE = (2.5, 97.5)  # percentiles of the bootstrap distribution: a 95 % interval

RATINGS_COLUMNS = ("lan_kod", "fraga_id", "bedomare", "varde", "kommentar")
TABLE_COLUMNS = ("del", "fraga_id", "n", "alfa", "alfa_lag", "alfa_hog", "kappa", "andel_lika")

LABEL_RELIABLE = "tillförlitlig"
LABEL_TENTATIVE = "preliminär"
LABEL_UNRELIABLE = "ej tillförlitlig"
LABEL_UNDEFINED = "kan inte beräknas"


class AgreementError(ValueError):
    """Input the agreement statistics cannot use: the message says where, what was found and
    what was expected."""


# --- Krippendorff's alpha ---------------------------------------------------------------------

def _reliability(reliability, where: str = "reliability") -> np.ndarray:
    try:
        data = np.asarray(reliability, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AgreementError(f"{where}: expected a raters x units array of numbers (NaN = missing): {exc}") from None
    if data.ndim != 2:
        raise AgreementError(f"{where}: expected a 2-D raters x units array, found {data.ndim} dimension(s)")
    if np.isinf(data).any():
        r, u = np.argwhere(np.isinf(data))[0]
        raise AgreementError(f"{where}: rater {r}, unit {u} holds {data[r, u]}; expected a finite value or NaN")
    return data


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise AgreementError(f"level {level!r} is not one of {', '.join(LEVELS)}")


def _unit_coincidences(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(coincidence matrix of every unit, units x V x V; the sorted values V that occur).
    Units with fewer than two values get a zero matrix: they are not pairable."""
    domain = np.unique(data[~np.isnan(data)])
    present = ~np.isnan(data)
    codes = np.searchsorted(domain, np.where(present, data, domain[0] if domain.size else 0.0))
    # counts[u, c]: how many raters gave value c to unit u
    counts = np.zeros((data.shape[1], domain.size))
    for r in range(data.shape[0]):
        np.add.at(counts, (np.flatnonzero(present[r]), codes[r, present[r]]), 1.0)
    m_u = counts.sum(axis=1)
    pairs = counts[:, :, None] * counts[:, None, :]
    idx = np.arange(domain.size)
    pairs[:, idx, idx] -= counts  # a value is not paired with itself
    scale = np.divide(1.0, m_u - 1.0, out=np.zeros_like(m_u), where=m_u >= 2)
    return pairs * scale[:, None, None], domain


def _fixed_distances(domain: np.ndarray, level: str) -> np.ndarray | None:
    """Squared distances that do not depend on the margins (nominal, interval); None for ordinal."""
    if level == "nominal":
        return 1.0 - np.eye(domain.size)
    if level == "interval":
        return (domain[:, None] - domain[None, :]) ** 2
    return None


def _alpha_from(coincidence: np.ndarray, distances: np.ndarray | None) -> np.ndarray:
    """Alpha for a stack of coincidence matrices (... x V x V); NaN where undefined."""
    n_c = coincidence.sum(axis=-1)
    n = n_c.sum(axis=-1)
    if distances is None:  # ordinal: d_ck = S_k - S_c + (n_c - n_k) / 2 with S the cumulative n
        cum = np.cumsum(n_c, axis=-1)
        d = cum[..., None, :] - cum[..., :, None] + (n_c[..., :, None] - n_c[..., None, :]) / 2.0
        distances = d * d
    observed = (coincidence * distances).sum(axis=(-2, -1))
    expected = (n_c[..., :, None] * n_c[..., None, :] * distances).sum(axis=(-2, -1))
    ok = (n >= 2) & (expected > 0)
    safe = np.where(ok, expected, 1.0)
    return np.where(ok, 1.0 - (n - 1.0) * observed / safe, np.nan)


def alpha(reliability: np.ndarray, level: str = "ordinal") -> float:
    """Krippendorff's alpha. reliability: raters x units float array, np.nan = missing.
    level: 'nominal', 'ordinal', 'interval'. Values are category codes; for 'ordinal' the
    metric uses the ranks of the values that occur (Krippendorff 2011). Units with fewer than
    two values are not pairable and drop out. NaN when it is undefined (fewer than two
    pairable values or no disagreement expected)."""
    _check_level(level)
    data = _reliability(reliability)
    units, domain = _unit_coincidences(data)
    if domain.size == 0:
        return math.nan
    return float(_alpha_from(units.sum(axis=0), _fixed_distances(domain, level)))


def bootstrap_alpha(reliability, level: str = "ordinal", n_boot: int = 1000,
                    seed: int | Sequence[int] = SEED, clusters=None) -> tuple[float, float]:
    """Percentile 95 % interval (2.5, 97.5) of alpha by resampling units with replacement, or,
    when `clusters` (one label per unit) is given, whole clusters of units (a part's units are
    (RUS, question) pairs and the clusters the RUS, whose ratings are not independent).

    Only pairable units (clusters holding at least one pairable unit) are resampled, since the
    others carry no pairs: with k of them, resample b draws `rng.integers(0, k, size=(n_boot,
    k))[b]` from `np.random.default_rng(seed)`, taken in the order of the units (of the sorted
    cluster labels). Each unit's (cluster's) coincidence matrix is computed once and a resample
    is their sum weighted by how often each was drawn. Resamples where alpha is undefined are
    skipped; when fewer than half are defined, or alpha itself is undefined, the interval is
    (nan, nan)."""
    _check_level(level)
    data = _reliability(reliability)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise AgreementError(f"n_boot {n_boot!r}: expected a whole number of resamples, 0 or more")
    units, domain = _unit_coincidences(data)
    if clusters is not None:
        labels = np.asarray(clusters, dtype=object)
        if labels.shape != (data.shape[1],):
            raise AgreementError(f"clusters: expected one label per unit ({data.shape[1]}), found shape {labels.shape}")
        keys, inverse = np.unique(labels.astype(str), return_inverse=True)
        grouped = np.zeros((keys.size,) + units.shape[1:])
        np.add.at(grouped, inverse, units)
        units = grouped
    units = units[units.sum(axis=(1, 2)) > 0]
    distances = _fixed_distances(domain, level)
    if n_boot == 0 or len(units) == 0 or math.isnan(float(_alpha_from(units.sum(axis=0), distances))):
        return (math.nan, math.nan)
    k = len(units)
    draws = np.random.default_rng(seed).integers(0, k, size=(n_boot, k))
    # How often each unit was drawn in each resample: one bincount over row-offset indices.
    weights = np.bincount((draws + k * np.arange(n_boot)[:, None]).ravel(), minlength=n_boot * k)
    flat = weights.reshape(n_boot, k).astype(float) @ units.reshape(k, -1)
    alphas = _alpha_from(flat.reshape((n_boot,) + units.shape[1:]), distances)
    defined = alphas[~np.isnan(alphas)]
    if defined.size * 2 < n_boot:
        return (math.nan, math.nan)
    low, high = np.percentile(defined, CONFIDENCE)
    return (float(low), float(high))


# --- pairwise statistics ------------------------------------------------------------------------

def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    try:
        return bool(np.isnan(value))
    except TypeError:
        return False


def _pairs(a, b) -> list[tuple[object, object]]:
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise AgreementError(f"the two raters' values differ in length: {len(a)} and {len(b)}; expected one value per unit each")
    return [(x, y) for x, y in zip(a, b) if not _missing(x) and not _missing(y)]


def weighted_kappa(a, b, categories, weights: str | None = "quadratic") -> float:
    """Cohen's kappa between two raters over the units where both gave a value (None, NaN
    or "" = no value); categories = the ordered scale; weights 'quadratic', 'linear' or None
    (unweighted). NaN when undefined (no such units, or no disagreement expected)."""
    if weights not in KAPPA_WEIGHTS:
        raise AgreementError(f"weights {weights!r} is not one of 'quadratic', 'linear' or None")
    categories = list(categories)
    position = {c: i for i, c in enumerate(categories)}
    if len(position) != len(categories):
        raise AgreementError(f"categories {categories!r}: expected distinct values")
    size = len(categories)
    table = np.zeros((size, size))
    for unit, (x, y) in enumerate(_pairs(a, b)):
        for value in (x, y):
            if value not in position:
                raise AgreementError(f"unit {unit}: value {value!r} is not among the categories {categories!r}")
        table[position[x], position[y]] += 1.0
    total = table.sum()
    if total == 0:
        return math.nan
    i, j = np.indices((size, size))
    w = {"quadratic": (i - j) ** 2, "linear": np.abs(i - j), None: (i != j)}[weights].astype(float)
    # counts rather than proportions: 1 - N * sum(w * O) / sum(w * row x col) stays exact
    expected = (w * np.outer(table.sum(axis=1), table.sum(axis=0))).sum()
    if expected == 0:
        return math.nan
    return float(1.0 - total * (w * table).sum() / expected)


def percent_agreement(a, b) -> float:
    """Share (0..1) of the units with both values present where the values are equal; NaN if none."""
    pairs = _pairs(a, b)
    if not pairs:
        return math.nan
    return sum(x == y for x, y in pairs) / len(pairs)


def reliability_label(alpha: float) -> str:
    """Krippendorff's (2004) reading of an alpha, in Swedish for the study's tables."""
    if alpha is None or math.isnan(alpha):
        return LABEL_UNDEFINED
    if alpha >= RELIABLE:
        return LABEL_RELIABLE
    if alpha >= TENTATIVE:
        return LABEL_TENTATIVE
    return LABEL_UNRELIABLE


def flag_column(table: pd.DataFrame) -> pd.Series:
    """reliability_label of each row's alfa, for display beside the agreement table."""
    if "alfa" not in table.columns:
        raise AgreementError(f"agreement table: column 'alfa' missing; found {', '.join(map(str, table.columns))}")
    return pd.Series([reliability_label(float(v)) for v in table["alfa"]], index=table.index, name="tillförlitlighet")


# --- the published table --------------------------------------------------------------------------

def _validated(ratings: pd.DataFrame, template, source: str) -> pd.DataFrame:
    from ..reference import county_codes

    if not isinstance(ratings, pd.DataFrame):
        raise AgreementError(f"{source}: expected a pandas DataFrame of long ratings, found {type(ratings).__name__}")
    missing = [c for c in RATINGS_COLUMNS if c not in ratings.columns]
    if missing:
        raise AgreementError(f"{source}: missing column(s) {', '.join(missing)}; expected {', '.join(RATINGS_COLUMNS)}")
    frame = ratings.loc[:, list(RATINGS_COLUMNS)]
    counties = set(county_codes())
    seen: dict[tuple[str, str, str], object] = {}
    for label, row in zip(frame.index, frame.itertuples(index=False)):
        where = f"{source}, row {label}"
        for column, value in zip(RATINGS_COLUMNS, row):
            if not isinstance(value, str):
                raise AgreementError(f"{where}, column {column}: found {value!r} ({type(value).__name__}); "
                                     "expected a string (empty string = no value)")
        if row.lan_kod not in counties:
            raise AgreementError(f"{where}, column lan_kod: {row.lan_kod!r} is not a county code; expected two digits, one of "
                                 + ", ".join(sorted(counties)))
        question = template.by_id.get(row.fraga_id)
        if question is None:
            raise AgreementError(f"{where}, column fraga_id: {row.fraga_id!r} is not in the assessment template; "
                                 f"expected one of {', '.join(template.ids)}")
        if not row.bedomare.strip():
            raise AgreementError(f"{where}, column bedomare: empty; expected an expert id such as E1")
        problem = question.check(row.varde)
        if problem is not None:
            raise AgreementError(f"{where}, column varde: {row.varde!r} for question {row.fraga_id}; expected {problem}")
        key = (row.lan_kod, row.fraga_id, row.bedomare)
        if key in seen:
            raise AgreementError(f"{where}: lan_kod {key[0]}, fraga_id {key[1]}, bedomare {key[2]} was already given "
                                 f"in row {seen[key]}; expected one row per county, question and expert")
        seen[key] = label
    return frame


def _coded(frame: pd.DataFrame, question) -> pd.DataFrame:
    """One question's ratings as codes, experts x counties (NaN = no value): the position on
    the scale for an ordinal question, the index among the sorted periods that occur for a period."""
    rows = frame[frame["fraga_id"] == question.fraga_id]
    given = rows[rows["varde"] != ""]
    if question.is_period:
        order = {p: i for i, p in enumerate(sorted(set(given["varde"])))}
    else:
        order = {v: i for i, v in enumerate(question.values)}
    codes = rows["varde"].map(lambda v: float(order[v]) if v else math.nan)
    wide = pd.DataFrame({"lan_kod": rows["lan_kod"], "bedomare": rows["bedomare"], "kod": codes})
    return wide.pivot(index="bedomare", columns="lan_kod", values="kod").sort_index().sort_index(axis=1)


def _pairwise(matrix: np.ndarray, categories, weights) -> tuple[float, float]:
    """Kappa and exact agreement between the rows of an experts x units matrix: for two
    experts between them, for more the mean over every pair of experts where it is defined."""
    kappas, shares = [], []
    for i, j in itertools.combinations(range(matrix.shape[0]), 2):
        kappas.append(weighted_kappa(matrix[i], matrix[j], categories, weights))
        shares.append(percent_agreement(matrix[i], matrix[j]))

    def mean(values):
        values = [v for v in values if not math.isnan(v)]
        return float(np.mean(values)) if values else math.nan

    return mean(kappas), mean(shares)


def _stat_row(part: str, fraga_id: str, matrix: np.ndarray, level: str, categories, weights,
              n_boot: int, seed: Sequence[int], clusters=None) -> dict:
    if matrix.size == 0:
        return {"del": part, "fraga_id": fraga_id, "n": 0, "alfa": math.nan, "alfa_lag": math.nan,
                "alfa_hog": math.nan, "kappa": math.nan, "andel_lika": math.nan}
    n = int(((~np.isnan(matrix)).sum(axis=0) >= 2).sum())
    low, high = bootstrap_alpha(matrix, level, n_boot=n_boot, seed=seed, clusters=clusters)
    kappa, share = _pairwise(matrix, categories, weights)
    return {"del": part, "fraga_id": fraga_id, "n": n, "alfa": alpha(matrix, level), "alfa_lag": low,
            "alfa_hog": high, "kappa": kappa, "andel_lika": share}


def _seed(seed: int, key: str) -> list[int]:
    # crc32, not hash(): Python salts string hashes per process.
    return [int(seed), zlib.crc32(key.encode("utf-8"))]


def agreement_table(ratings: pd.DataFrame, template, n_boot: int = 1000, seed: int = SEED, *,
                    source: str = "ratings") -> pd.DataFrame:
    """The experts' agreement per part and question, columns `del, fraga_id, n, alfa, alfa_lag,
    alfa_hog, kappa, andel_lika` (`granskning_samstammighet.csv`).

    `ratings` is the long format (`lan_kod, fraga_id, bedomare, varde, kommentar`, all strings;
    rows are named by the frame's index label in error messages, `source` names the frame).
    For each part in template order comes first one row for the part (fraga_id ""), pooled over
    the part's ordinal questions: its units are (lan_kod, fraga_id) pairs and its bootstrap
    resamples whole counties. Period questions (A1) are not pooled into their part, since
    their values are not on the part's scale. Then one row per question of the part in template
    order (questions nobody rated get n = 0 and NaN).

    n counts the units rated by at least two experts. Ordinal questions: alpha 'ordinal' on the
    scale positions, kappa quadratic-weighted over the full scale, andel_lika exact agreement.
    Period questions: alpha 'nominal' on the period strings, unweighted kappa over the periods
    that occur, exact agreement. With two experts kappa and andel_lika compare them; with more,
    they are the means over all pairs of experts (pairs where they are defined). alfa_lag and
    alfa_hog are the bootstrap 95 % interval (`bootstrap_alpha`); every row has its own seed,
    derived from `seed` and the crc32 of the fraga_id (of "del X" for a part), so the result
    does not depend on row order nor on which other questions are present.
    """
    frame = _validated(ratings, template, source)
    rows = []
    for part in template.parts:
        questions = [q for q in template.questions if q.del_ == part]
        coded = {q.fraga_id: _coded(frame, q) for q in questions}
        # Part row: stack the ordinal questions side by side, every expert on every row.
        ordinal = [q for q in questions if not q.is_period]
        blocks = [coded[q.fraga_id] for q in ordinal if coded[q.fraga_id].size]
        experts = sorted(set().union(*(b.index for b in blocks))) if blocks else []
        pooled = [b.reindex(experts) for b in blocks]
        matrix = np.hstack([b.to_numpy() for b in pooled]) if pooled else np.empty((0, 0))
        clusters = np.concatenate([b.columns.to_numpy() for b in pooled]) if pooled else None
        width = max((len(q.values) for q in ordinal), default=0)
        rows.append(_stat_row(part, "", matrix, "ordinal", range(width), "quadratic", n_boot,
                              _seed(seed, f"del {part}"), clusters))
        for q in questions:
            matrix = coded[q.fraga_id].to_numpy()
            if q.is_period:
                categories = range(int(np.nanmax(matrix)) + 1) if np.isfinite(matrix).any() else range(0)
                rows.append(_stat_row(part, q.fraga_id, matrix, "nominal", categories, None, n_boot,
                                      _seed(seed, q.fraga_id)))
            else:
                rows.append(_stat_row(part, q.fraga_id, matrix, "ordinal", range(len(q.values)), "quadratic",
                                      n_boot, _seed(seed, q.fraga_id)))
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return table.astype({"del": str, "fraga_id": str, "n": "int64", "alfa": float, "alfa_lag": float,
                         "alfa_hog": float, "kappa": float, "andel_lika": float})
