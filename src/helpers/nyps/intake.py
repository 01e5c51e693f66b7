"""Tidy a read NYPS2020 export into the processed project table and a quarantine.

Every data row of the export ends up in exactly one of the two tables: ``projects``
(accepted) or ``quarantine`` (with the reasons, in Swedish, and the raw text of the
checked columns). Nothing is dropped silently; ``reconciliation`` shows that rows and
granted amounts add up.

The work is column-wise: each column's distinct values are parsed once and the results
mapped back onto the rows, so a million-row export takes seconds.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .. import reference
from ..files import sha256_file, write_all_atomic
from ..privacy import redact_series
from .read import RawExport, read_export

PROCESSED_COLUMNS: list[str] = [
    "kalla_rad", "arende", "beslut_ar", "stodtyp", "lan_kod", "omrade_id", "omrade",
    "prioritering_id", "prioritering", "resultatkedja", "kommun", "projektnamn",
    "beviljat_belopp", "utbet_belopp",
]
RAW_CHECKED_COLUMNS: list[str] = [
    "arende", "beslut_ar", "stodtyp", "lan", "omrade", "prioritering", "beviljat_belopp",
    "utbet_belopp",
]
QUARANTINE_COLUMNS: list[str] = ["rad", "orsak", *RAW_CHECKED_COLUMNS, "beviljat_belopp_sek"]
# Columns that are not text (every other column holds str or None).
PROJECTS_TYPES = {"kalla_rad": "int64", "beslut_ar": "int64", "beviljat_belopp": "float64",
                  "utbet_belopp": "float64"}
QUARANTINE_TYPES = {"rad": "int64", "beviljat_belopp_sek": "float64"}


MISSING_AREA = "UPPGIFT SAKNAS"  # NYPS's own value for a missing strategic area
STODTYPER = ("PROJ", "FTG", "KS")
# Spelled-out support types a Diver display may show instead of the codes.
_STODTYP_ALIASES = {
    **{code.casefold(): code for code in STODTYPER},
    "projekt": "PROJ", "projektmedel": "PROJ", "projektstöd": "PROJ",
    "företagsstöd": "FTG", "företag": "FTG",
    "kommersiell service": "KS", "stöd till kommersiell service": "KS",
}
REASON_SEPARATOR = "; "

# Reason categories, in the order the reasons of a row are listed. The summary counts each
# quarantined row under the category of its first reason.
CATEGORIES = (
    "fler fält än rubrikraden",
    "ärende saknas",
    "beslutsår saknas",
    "beslutsår är inget år",
    "beslutsår utanför intervallet",
    "okänd stödtyp",
    "län saknas",
    "okänt län",
    "okänt strategiskt område",
    "prioriteringen hör till annat område",
    "beviljat belopp saknas",
    "beviljat belopp är inget tal",
    "negativt beviljat belopp",
    "utbetalt belopp är inget tal",
    "negativt utbetalt belopp",
)

# Number grammar, shared by the Python parser (xlsx, odd cells) and the Arrow fast path (CSV
# columns), so both accept exactly the same texts. [0-9], not \d: Python's \d also matches
# other scripts' digits. Applied after trimming, removing a "kr"/"SEK" affix and turning
# U+2212 into "-".
_SPACES = " \u00a0\u202f"
_AFFIX = f"(?i)^(?:sek|kr)[{_SPACES}]*|[{_SPACES}]*(?:kr\\.?|sek|:-|,-)$"
_SIGN = f"^[-+][{_SPACES}]*"
_INT_GROUPED = f"[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+"
_BODY = (
    f"(?:[0-9]{{1,3}}(?:[{_SPACES}.][0-9]{{3}})+|[0-9]+),[0-9]+"   # decimal comma
    f"|(?:{_INT_GROUPED}|[0-9]+)\\.[0-9]+"                          # one dot: decimal point
    f"|[0-9]{{1,3}}(?:\\.[0-9]{{3}}){{2,}}"                         # several dots: thousands
    f"|{_INT_GROUPED}|[0-9]+"                                        # integer
)
_AMOUNT_BODY = f"^(?:{_BODY})$"
_SEPARATORS = f"[{_SPACES}.]"
_SPACE_CLASS = f"[{_SPACES}]"
# Any character that is neither a digit, a separator nor a sign: an affix may be present.
_NOT_DIGIT_LIKE = f"[^0-9,.+{_SPACES}-]"
# Whitespace as Python's str.split() and str.strip() see it (RE2 syntax): a text needs
# squeezing when it starts or ends with it, holds two in a row, or holds one that is not a
# plain space.
_PY_WHITESPACE = ("\\t\\n\\x{0b}\\x{0c}\\r\\x{1c}-\\x{1f} \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
                  "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}")
_NEEDS_SQUEEZE = (f"^[{_PY_WHITESPACE}]|[{_PY_WHITESPACE}]$|[{_PY_WHITESPACE}][{_PY_WHITESPACE}]"
                  f"|[{_PY_WHITESPACE.replace(' ', '')}]")

_AFFIX_PY = re.compile(_AFFIX)
_SIGN_PY = re.compile(_SIGN)
_AMOUNT_BODY_PY = re.compile(_BODY)
_SEPARATORS_PY = re.compile(_SEPARATORS)
_SPACE_CLASS_PY = re.compile(_SPACE_CLASS)
_YEAR = re.compile(r"[+-]?[0-9]+(?:[.,]0+)?")


@dataclass
class IntakeResult:
    projects: pd.DataFrame
    quarantine: pd.DataFrame
    summary: dict
    # Addition: the unrounded sum of every parseable granted amount, for reconciliation.
    beviljat_in_exakt: float = math.nan


# ---------------------------------------------------------------------- value parsing


def cell_text(value: object) -> str:
    """A raw cell as text: CSV cells are text already; xlsx numbers as a spreadsheet shows them."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def squeeze(text: str) -> str:
    """Whitespace normalised: stripped, inner runs of whitespace as one space."""
    return " ".join(text.split())


def parse_amount(value: object) -> float | None:
    """An amount in SEK, or None when `value` is not a number (empty included).

    Accepted: xlsx numbers; text with a decimal comma and space, NBSP, narrow NBSP or dot as
    thousands separator; one dot and no comma as a decimal point ("1234567.50"); several dots
    and no comma as thousands separators; a "kr"/"SEK" affix; a leading -, + or U+2212 minus.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return number + 0.0 if math.isfinite(number) else None
    text = _AFFIX_PY.sub("", str(value).strip()).strip().replace("\u2212", "-")
    negative = text.startswith("-")
    text = _SIGN_PY.sub("", text)
    if not _AMOUNT_BODY_PY.fullmatch(text):
        return None
    if "," in text or text.count(".") >= 2:
        text = _SEPARATORS_PY.sub("", text).replace(",", ".")
    else:
        text = _SPACE_CLASS_PY.sub("", text)
    number = float(text)
    if not math.isfinite(number):  # "1" followed by 400 zeros is not an amount
        return None
    return (-number if negative else number) + 0.0


def _amounts_arrow(strings) -> tuple[np.ndarray, np.ndarray]:
    """parse_amount over an Arrow string array: (float64 values with NaN, empty mask).

    The same grammar as parse_amount; steps that change nothing in a column are skipped."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def anywhere(mask) -> bool:
        return bool(pc.any(mask).as_py())

    text = pc.utf8_trim_whitespace(strings)
    empty = pc.fill_null(pc.equal(text, ""), True)
    if anywhere(pc.match_substring_regex(text, _NOT_DIGIT_LIKE)):
        text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, _AFFIX, ""))
        text = pc.replace_substring(text, "\u2212", "-")
    negative = pc.fill_null(pc.starts_with(text, "-"), False)
    if anywhere(pc.or_(negative, pc.starts_with(text, "+"))):
        text = pc.replace_substring_regex(text, _SIGN, "")
    valid = pc.fill_null(pc.match_substring_regex(text, _AMOUNT_BODY), False)
    grouped = pc.or_(pc.match_substring(text, ","), pc.greater_equal(pc.count_substring(text, "."), 2))
    for space in _SPACES:
        text = pc.replace_substring(text, space, "")
    if anywhere(grouped):
        text = pc.if_else(grouped, pc.replace_substring(pc.replace_substring(text, ".", ""), ",", "."), text)
    text = pc.if_else(valid, text, pa.scalar(None, pa.string()))
    numbers = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False).astype(np.float64)
    numbers = np.where(negative.to_numpy(zero_copy_only=False), -numbers, numbers) + 0.0
    numbers[~np.isfinite(numbers)] = np.nan  # too large for a float: not an amount
    return numbers, empty.to_numpy(zero_copy_only=False).astype(bool)


def parse_year(value: object) -> int | None:
    """A year: 2021, 2021.0, "2021", "2021,0" -> 2021; anything not an integer -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if math.isfinite(value) and float(value).is_integer() else None
    text = str(value).strip()
    if not _YEAR.fullmatch(text):
        return None
    return int(re.split(r"[.,]", text)[0])


def lookup_county(text: str) -> str | None:
    """Two-digit county code from a code, full name or short name (also "14 Västra Götaland")."""
    counties = reference.county_lookup()
    key = reference.normalise_label(text)
    if key in counties:
        return counties[key]
    m = re.fullmatch(r"([0-9]{1,2}) (.+)", key)
    if m and m.group(1) in counties and counties.get(m.group(2)) == counties[m.group(1)]:
        return counties[m.group(1)]
    return None


# --------------------------------------------------------------------- column helpers

# Above this share of distinct values in a sample, mapping over distinct values gains
# nothing and the function is applied row by row.
_DISTINCT_SHARE = 0.5
_SAMPLE = 20_000


def _map_unique(values: np.ndarray, func: Callable[[object], object]) -> np.ndarray:
    """func applied once per distinct value, mapped back onto every row (object array)."""
    n = len(values)
    out = np.empty(n, dtype=object)
    if not n:
        return out
    if _high_cardinality(values):
        out[:] = [func(v) for v in values.tolist()]
        return out
    # None (the only missing value these arrays hold) gets code -1: the last slot.
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    for i, u in enumerate(uniques):
        results[i] = func(u)
    results[-1] = func(None) if (codes < 0).any() else None
    return results[codes]


def _arrow_strings(values: np.ndarray):
    """The values as an Arrow string array when every value is str (or None), else None."""
    import pyarrow as pa

    try:
        return pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def _column(frame: pd.DataFrame, name: str) -> np.ndarray | None:
    if name not in frame.columns:
        return None
    return frame[name].to_numpy(dtype=object)


def _high_cardinality(values: np.ndarray) -> bool:
    """Whether a sample suggests most values are distinct (mapping over distinct values is moot)."""
    n = len(values)
    return n > 4 * _SAMPLE and len(set(values[:_SAMPLE].tolist())) > _DISTINCT_SHARE * _SAMPLE


def _squeeze_or_none(v: object) -> str | None:
    if type(v) is str:
        return " ".join(v.split()) or None
    return squeeze(cell_text(v)) or None


def _text_or_none(values: np.ndarray | None, n: int) -> np.ndarray:
    """Whitespace-normalised text, None for empty (or when the column is absent)."""
    if values is None:
        return np.full(n, None, dtype=object)
    if _high_cardinality(values):
        strings = _arrow_strings(values)
        if strings is not None:
            # Only the values whose whitespace would change are rebuilt; the rest are kept
            # as they are (no new string objects for a million case ids).
            import pyarrow.compute as pc

            out = values.copy()
            change = pc.fill_null(pc.match_substring_regex(strings, _NEEDS_SQUEEZE), False)
            idx = np.flatnonzero(change.to_numpy(zero_copy_only=False))
            out[idx] = [_squeeze_or_none(v) for v in values[idx].tolist()]
            out[values == ""] = None
            return out
    return _map_unique(values, _squeeze_or_none)


def _amount_or_nan(value: object) -> float:
    number = parse_amount(value)
    return math.nan if number is None else number


def _is_empty_cell(value: object) -> bool:
    return not cell_text(value).strip()


def _amounts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(amounts as float64, NaN where not a number; mask of empty cells).

    Mostly distinct text (a large CSV) goes through Arrow's vectorised string kernels;
    anything else (xlsx numbers, few distinct values) through parse_amount per distinct value."""
    if _high_cardinality(values):
        strings = _arrow_strings(values)
        if strings is not None:
            return _amounts_arrow(strings)
    numbers = _map_unique(values, _amount_or_nan)
    empty = _map_unique(values, _is_empty_cell)
    return numbers.astype(np.float64), empty.astype(bool)


def _q(value: object) -> str:
    """A raw value quoted for a reason text."""
    return f"'{cell_text(value).strip()}'"


class _Reasons:
    """The quarantine reasons of every row, one check at a time, in CATEGORIES order."""

    def __init__(self, n: int):
        self.n = n
        self.masks: list[np.ndarray] = []
        self.texts: list[np.ndarray] = []  # reason texts for the rows of the mask only
        self.categories: list[str] = []

    def add(self, category: str, mask: np.ndarray, text: str | Callable[[object], str],
            values: np.ndarray | None = None) -> None:
        """Rows in `mask` fail `category`; text is fixed or func(value) over `values`."""
        assert category in CATEGORIES, category
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if isinstance(text, str):
            texts = np.full(int(mask.sum()), text, dtype=object)
        else:
            texts = _map_unique(values[mask], text)
        self.masks.append(mask)
        self.texts.append(texts)
        self.categories.append(category)

    def combine(self) -> tuple[np.ndarray, np.ndarray, Counter]:
        """(indices of rows with a reason, their joined reasons, count by first category)."""
        bad = np.zeros(self.n, dtype=bool)
        for m in self.masks:
            bad |= m
        bad_idx = np.flatnonzero(bad)
        orsak = np.full(len(bad_idx), None, dtype=object)
        first = np.full(len(bad_idx), -1, dtype=np.int64)
        for k, (mask, texts) in enumerate(zip(self.masks, self.texts)):
            rows = np.searchsorted(bad_idx, np.flatnonzero(mask))
            fresh = first[rows] < 0
            first[rows[fresh]] = k
            orsak[rows[fresh]] = texts[fresh]
            older = rows[~fresh]
            if len(older):
                orsak[older] = orsak[older] + REASON_SEPARATOR + texts[~fresh]
        counts: Counter = Counter()
        for k, c in zip(*np.unique(first, return_counts=True)):
            counts[self.categories[k]] += int(c)
        return bad_idx, orsak, counts


# --------------------------------------------------------------------------- tidying


def tidy_export(raw: RawExport, year_min: int, year_max: int, source: str | None = None) -> IntakeResult:
    """The processed table, the quarantine and a summary from a read export. `source` is how
    the summary names the file (the parameter as the user gave it, so that processed data
    do not depend on where the project is checked out); by default the path read."""
    frame = raw.frame
    n = len(frame)
    rad = frame["rad"].to_numpy(dtype=np.int64)
    reasons = _Reasons(n)

    # Rows with more fields than the header (CSV): values may have shifted columns.
    if raw.overflow_rows:
        fields = pd.Series(raw.overflow_rows, dtype=np.int64).reindex(rad).to_numpy()
        over = ~np.isnan(fields.astype(np.float64))
        reasons.add("fler fält än rubrikraden", over,
                    lambda f: f"fler fält än rubrikraden ({int(f)} fält): "
                              f"avgränsare i ett värde utan citattecken?", fields.astype(object))

    # ärende
    arende = _text_or_none(_column(frame, "arende"), n)
    reasons.add("ärende saknas", _is_none(arende), "ärende saknas")

    # beslutsår
    beslut_raw = _column(frame, "beslut_ar")
    beslut_empty = _map_unique(beslut_raw, lambda v: not cell_text(v).strip()).astype(bool)
    years = _map_unique(beslut_raw, parse_year)
    year_ok = ~_is_none(years)
    year_int = np.where(year_ok, years, 0).astype(np.int64)
    reasons.add("beslutsår saknas", beslut_empty, "beslutsår saknas")
    reasons.add("beslutsår är inget år", ~beslut_empty & ~year_ok,
                lambda v: f"beslutsår är inget år: {_q(v)}", beslut_raw)
    reasons.add("beslutsår utanför intervallet", year_ok & ((year_int < year_min) | (year_int > year_max)),
                lambda y: f"beslutsår {y} utanför {year_min}–{year_max}", years)

    # stödtyp (empty is fine)
    stod_raw = _column(frame, "stodtyp")
    if stod_raw is None:
        stodtyp = np.full(n, None, dtype=object)
    else:
        stod_text = _text_or_none(stod_raw, n)
        stodtyp = _map_unique(stod_text, lambda t: _STODTYP_ALIASES.get(t.casefold()) if t else None)
        reasons.add("okänd stödtyp", ~_is_none(stod_text) & _is_none(stodtyp),
                    lambda v: f"okänd stödtyp: {_q(v)}", stod_raw)

    # län
    lan_raw = _column(frame, "lan")
    lan_text = _text_or_none(lan_raw, n)
    lan_empty = _is_none(lan_text)
    lan_kod = _map_unique(lan_text, lambda t: lookup_county(t) if t else None)
    reasons.add("län saknas", lan_empty, "län saknas")
    reasons.add("okänt län", ~lan_empty & _is_none(lan_kod), lambda v: f"okänt län: {_q(v)}", lan_raw)

    # strategiskt område: empty is NYPS's own "UPPGIFT SAKNAS"
    omrade_text = _text_or_none(_column(frame, "omrade"), n)
    omrade_empty = _is_none(omrade_text)
    omrade = np.where(omrade_empty, MISSING_AREA, omrade_text).astype(object)
    areas = reference.area_lookup()
    omrade_id = _map_unique(omrade, lambda t: areas.get(reference.normalise_label(t)))
    reasons.add("okänt strategiskt område", _is_none(omrade_id),
                lambda t: f"okänt strategiskt område: '{t}'", omrade)

    # prioritering: an unknown label is kept (counted in the summary), a known one must
    # belong to the row's area
    prio = _text_or_none(_column(frame, "prioritering"), n)
    priorities = reference.priority_lookup()
    prio_id = _map_unique(prio, lambda t: priorities.get(reference.normalise_label(t)) if t else None)
    prio_area = _map_unique(prio_id, lambda p: reference.priority_area(p) if p else None)
    so_area = _map_unique(omrade_id, lambda a: a in reference.AREA_IDS).astype(bool)
    mismatch = so_area & ~_is_none(prio_area) & (prio_area != omrade_id)
    pairs = np.empty(n, dtype=object)
    for i in np.flatnonzero(mismatch):
        pairs[i] = (prio[i], prio_area[i], omrade_id[i])
    reasons.add("prioriteringen hör till annat område", mismatch,
                lambda p: f"prioriteringen '{p[0]}' hör till {p[1]}, inte {p[2]}", pairs)

    # beviljat belopp
    bev_raw = _column(frame, "beviljat_belopp")
    bev, bev_empty = _amounts(bev_raw)
    bev_ok = ~np.isnan(bev)
    reasons.add("beviljat belopp saknas", bev_empty, "beviljat belopp saknas")
    reasons.add("beviljat belopp är inget tal", ~bev_empty & ~bev_ok,
                lambda v: f"beviljat belopp är inget tal: {_q(v)}", bev_raw)
    reasons.add("negativt beviljat belopp", bev_ok & (bev < 0),
                lambda v: f"negativt beviljat belopp: {_q(v)}", bev_raw)

    # utbetalt belopp (empty is NaN)
    utb_raw = _column(frame, "utbet_belopp")
    if utb_raw is None:
        utb = np.full(n, np.nan)
    else:
        utb, utb_empty = _amounts(utb_raw)
        utb_ok = ~np.isnan(utb)
        reasons.add("utbetalt belopp är inget tal", ~utb_empty & ~utb_ok,
                    lambda v: f"utbetalt belopp är inget tal: {_q(v)}", utb_raw)
        reasons.add("negativt utbetalt belopp", utb_ok & (utb < 0),
                    lambda v: f"negativt utbetalt belopp: {_q(v)}", utb_raw)

    bad_idx, orsak, first_category = reasons.combine()
    good = np.ones(n, dtype=bool)
    good[bad_idx] = False

    projects = pd.DataFrame({
        "kalla_rad": rad[good],
        "arende": arende[good],
        "beslut_ar": year_int[good],
        "stodtyp": stodtyp[good],
        "lan_kod": lan_kod[good],
        "omrade_id": omrade_id[good],
        "omrade": omrade[good],
        "prioritering_id": prio_id[good],
        "prioritering": prio[good],
        "resultatkedja": _text_or_none(_column(frame, "resultatkedja"), n)[good],
        "kommun": _text_or_none(_column(frame, "kommun"), n)[good],
        # a sole trader's project name can carry a personnummer or an e-mail address
        "projektnamn": redact_series(_text_or_none(_column(frame, "projektnamn"), n)[good]).to_numpy(object),
        "beviljat_belopp": bev[good],
        "utbet_belopp": utb[good],
    }, columns=PROCESSED_COLUMNS)
    projects = _typed(projects, PROJECTS_TYPES)
    if not projects["kalla_rad"].is_monotonic_increasing:  # rows come in file order: no copy then
        projects = projects.sort_values("kalla_rad", kind="stable").reset_index(drop=True)

    quarantine = {"rad": rad[bad_idx], "orsak": orsak}
    for name in RAW_CHECKED_COLUMNS:
        values = _column(frame, name)
        quarantine[name] = (
            np.full(len(bad_idx), None, dtype=object) if values is None
            else _map_unique(values[bad_idx], cell_text)
        )
    quarantine["beviljat_belopp_sek"] = bev[bad_idx]
    quarantine = pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS)
    quarantine = _typed(quarantine, QUARANTINE_TYPES)
    quarantine = quarantine.sort_values("rad", kind="stable").reset_index(drop=True)

    beviljat_in = math.fsum(bev[bev_ok])
    beviljat_godkant = math.fsum(projects["beviljat_belopp"])
    beviljat_karantan = math.fsum(np.nan_to_num(quarantine["beviljat_belopp_sek"].to_numpy(), nan=0.0))
    unknown = projects["prioritering"].notna() & projects["prioritering_id"].isna()
    okanda = projects.loc[unknown, "prioritering"].value_counts()
    years_count = projects["beslut_ar"].value_counts()
    summary = {
        "kalla": source if source is not None else str(raw.path),
        "sha256": raw.sha256 or sha256_file(raw.path),
        "format": raw.file_format,
        "kodning": raw.encoding,
        "avgransare": raw.delimiter,
        "rubrikrad": int(raw.header_row),
        "syntetisk": bool(raw.synthetic),
        "rader_in": int(n),
        "tomma_rader": int(raw.blank_rows),
        "rader_godkanda": int(len(projects)),
        "rader_karantan": int(len(quarantine)),
        "beviljat_in": _round(beviljat_in),
        "beviljat_godkant": _round(beviljat_godkant),
        "beviljat_karantan": _round(beviljat_karantan),
        "tomt_omrade": int((omrade_empty & good).sum()),
        "okanda_prioriteringar": {str(k): int(v) for k, v in sorted(okanda.items())},
        "borttagna_kolumner": list(raw.dropped_columns),
        "kolumner": dict(raw.headers),
        "beslutsar": {str(int(y)): int(c) for y, c in sorted(years_count.items())},
        "karantan_orsaker": {k: int(v) for k, v in sorted(first_category.items())},
    }
    return IntakeResult(projects=projects, quarantine=quarantine, summary=summary,
                        beviljat_in_exakt=beviljat_in)


def _round(x: float) -> float:
    return round(x, 2) + 0.0


def _is_none(values: np.ndarray) -> np.ndarray:
    """True where an object array (holding str/None only) holds None."""
    return pd.isna(values)


def _typed(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    for name in frame.columns:
        if name in dtypes:
            frame[name] = frame[name].astype(dtypes[name])
        elif frame[name].dtype != object:
            frame[name] = frame[name].astype(object)
    return frame


def intake(path: str | Path, year_min: int, year_max: int) -> IntakeResult:
    """read_export + tidy_export."""
    return tidy_export(read_export(path), year_min, year_max)


def reconciliation(result: IntakeResult) -> pd.DataFrame:
    """One row: rows and granted amounts in, accepted, quarantined, and the difference."""
    s = result.summary
    rader_in = int(s["rader_in"])
    godkanda = int(len(result.projects))
    karantan = int(len(result.quarantine))
    belopp_in = result.beviljat_in_exakt
    if not math.isfinite(belopp_in):
        belopp_in = float(s["beviljat_in"])
    belopp_godkanda = math.fsum(result.projects["beviljat_belopp"])
    belopp_karantan = math.fsum(np.nan_to_num(result.quarantine["beviljat_belopp_sek"].to_numpy(), nan=0.0))
    row = {
        "rader_in": rader_in,
        "rader_godkanda": godkanda,
        "rader_karantan": karantan,
        "rader_diff": rader_in - godkanda - karantan,
        "belopp_in": _round(belopp_in),
        "belopp_godkanda": _round(belopp_godkanda),
        "belopp_karantan": _round(belopp_karantan),
        "belopp_diff": _round(belopp_in - belopp_godkanda - belopp_karantan),
    }
    frame = pd.DataFrame([row])
    return frame.astype({k: ("int64" if k.startswith("rader") else "float64") for k in row})


# --------------------------------------------------------------------------- writing


def _schema(columns: list[str], types: dict[str, str]):
    import pyarrow as pa

    kinds = {"int64": pa.int64(), "float64": pa.float64(), "str": pa.string()}
    return pa.schema([pa.field(c, kinds[types.get(c, "str")]) for c in columns])



def _parquet_writer(frame: pd.DataFrame, columns: list[str], types: dict[str, str]) -> Callable[[Path], None]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame[columns], schema=_schema(columns, types), preserve_index=False)
    return lambda tmp: pq.write_table(table, tmp, compression="zstd")


def write_outputs(result: IntakeResult, projects_path, quarantine_path, summary_path,
                  before_replace: Callable[[], object] | None = None) -> dict[str, Path]:
    """Write the processed table, the quarantine and the intake summary to the given paths
    (the stage registry names them), creating folders as needed.

    Returns {"projects": ..., "quarantine": ..., "summary": ...}. Identical input gives
    byte-identical files. The three are written to temporary files in their folders; then
    `before_replace` is called (the notebook waits there for the quality checks of the same
    data, which run meanwhile in their own process), and only when it returns are the files
    moved into place. If it raises, or a write fails, no file is replaced."""
    paths = {"projects": Path(projects_path), "quarantine": Path(quarantine_path), "summary": Path(summary_path)}
    text = json.dumps(result.summary, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    write_all_atomic([
        (paths["projects"], _parquet_writer(result.projects, PROCESSED_COLUMNS, PROJECTS_TYPES)),
        (paths["quarantine"], _parquet_writer(result.quarantine, QUARANTINE_COLUMNS, QUARANTINE_TYPES)),
        (paths["summary"], lambda tmp: tmp.write_text(text, encoding="utf-8")),
    ], before_replace)
    return paths
