"""The experts' ratings of the RUS in the long format: reading them from CSV (the ratings file
and the consensus sheet), checking them against the assessment template, writing them back,
and counting how complete each expert's ratings are.

Long format: lan_kod, fraga_id, bedomare, varde, kommentar, all strings; varde "" means "kan
inte bedömas". Row numbers in error messages are those a spreadsheet program shows: the
header is row 1 and a quoted field spanning several lines is one row.
"""
from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd

from .. import reference
from ..privacy import redact
from ..files import write_atomic

RATING_COLUMNS = ("lan_kod", "fraga_id", "bedomare", "varde", "kommentar")
CONSENSUS_COLUMNS = ("lan_kod", "fraga_id", "varde", "kommentar")

_WHOLE = re.compile(r"(\d+)[.,]0+")  # "2.0" (a spreadsheet's number) or "2,0" (Swedish decimal)
_PERIOD = re.compile(r"(\d{4})\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]\s*(\d{4})")  # any dash


class RatingsError(ValueError):
    """A ratings file (or form) does not hold ratings on the assessment template."""


# ------------------------------------------------------------------------------------ reading

def read_ratings(path, template) -> pd.DataFrame:
    """The experts' ratings from a long CSV (e.g. data/raw/sample/rus_bedomningar.csv),
    checked and normalised; sorted by bedomare, lan_kod and template question order."""
    frame, rows = _read_csv(Path(path), RATING_COLUMNS)
    return check_ratings(frame, template, str(path), rows)


def read_consensus(path, template) -> pd.DataFrame:
    """The consensus sheet (lan_kod, fraga_id, varde, kommentar), with the same checks as the
    ratings; sorted by lan_kod and template question order."""
    frame, rows = _read_csv(Path(path), CONSENSUS_COLUMNS)
    return _check(frame, template, str(path), rows, CONSENSUS_COLUMNS)


def _decode(path: Path) -> str:
    if not path.is_file():
        raise RatingsError(f"{path}: file not found")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RatingsError(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}); "
            "expected the encoding UTF-8, with or without BOM — save the file as 'CSV UTF-8'"
        ) from None
    if not text.strip():
        raise RatingsError(f"{path}: the file is empty; expected a header row and one row per rating")
    return text


def _read_csv(path: Path, columns: tuple[str, ...]) -> tuple[pd.DataFrame, list[str]]:
    text = _decode(path)
    header_line = text.splitlines()[0]
    # The separator is whichever of ',' and ';' the header uses more (Excel in Swedish writes ';').
    sep = ";" if header_line.count(";") > header_line.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    header = [h.strip() for h in records[0]]
    expected = ", ".join(columns)
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise RatingsError(f"{path}, row 1: column(s) {', '.join(twice)} appear more than once; expected {expected}")
    missing = [c for c in columns if c not in header]
    if missing:
        raise RatingsError(
            f"{path}, row 1: missing column(s) {', '.join(missing)} (separator {sep!r}, found {', '.join(header)}); "
            f"expected {expected}"
        )
    extra = [h for h in header if h not in columns]
    if extra:
        raise RatingsError(f"{path}, row 1: unexpected column(s) {', '.join(map(repr, extra))}; expected exactly {expected}")
    data, rows = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(field.strip() for field in record):
            continue  # a blank line (or one of only separators) holds no rating
        if len(record) != len(header):
            raise RatingsError(
                f"{path}, row {number}: {len(record)} fields, expected {len(header)} as in the header "
                f"(separator {sep!r}; a comment holding {sep!r} must be quoted)"
            )
        values = dict(zip(header, (field.strip() for field in record)))
        data.append([values[c] for c in columns])
        rows.append(f"row {number}")
    return pd.DataFrame(data, columns=list(columns), dtype=object), rows


# ----------------------------------------------------------------------------------- checking

def check_ratings(frame: pd.DataFrame, template, source: str, rows: list[str]) -> pd.DataFrame:
    """Check and normalise long ratings; `rows[i]` says where row i of `frame` came from (e.g.
    "row 17" or "sheet Bedömning, row 23"). Returns a new frame of strings, sorted by
    bedomare, lan_kod and template question order, with a fresh index. Raises RatingsError
    naming source, row, column, the value and what was expected."""
    return _check(frame, template, source, rows, RATING_COLUMNS)


def cell_text(value) -> str:
    """A cell as text: None/NaN -> "", a whole float (as a spreadsheet gives numbers) -> "2",
    everything else str() and stripped."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return cell_text(value.item())
    return str(value).strip()


def normalise_value(value: str) -> str:
    """'2.0' -> '2'; '2021–2030' (any dash, spaces around it) -> '2021-2030'."""
    m = _WHOLE.fullmatch(value)
    if m:
        return str(int(m.group(1)))
    m = _PERIOD.fullmatch(value)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    return value


def _check(frame: pd.DataFrame, template, source: str, rows: list[str], columns: tuple[str, ...]) -> pd.DataFrame:
    found = list(frame.columns)
    missing = [c for c in columns if c not in found]
    extra = [c for c in found if c not in columns]
    if missing or extra:
        raise RatingsError(
            f"{source}: columns {', '.join(map(str, found))} do not match; missing {', '.join(missing) or 'none'}, "
            f"unexpected {', '.join(map(str, extra)) or 'none'}; expected {', '.join(columns)}"
        )
    if len(rows) != len(frame):
        raise RatingsError(f"{source}: {len(frame)} ratings but {len(rows)} row locations")
    lookup = reference.county_lookup()
    by_id = template.by_id
    ids = template.ids
    key_columns = [c for c in ("lan_kod", "fraga_id", "bedomare") if c in columns]
    out, first_seen = [], {}
    for where, record in zip(rows, frame[list(columns)].itertuples(index=False, name=None)):
        values = dict(zip(columns, (cell_text(v) for v in record)))
        at = f"{source}, {where}"

        qid = values["fraga_id"].upper()
        if qid not in by_id:
            raise RatingsError(
                f"{at}, column fraga_id: {values['fraga_id']!r} is not a question of the assessment template; "
                f"expected one of its {len(ids)} question ids {ids[0]}–{ids[-1]} ({template.source})"
            )
        values["fraga_id"] = qid

        code = lookup.get(reference.normalise_label(values["lan_kod"])) if values["lan_kod"] else None
        if code is None:
            raise RatingsError(
                f"{at}, column lan_kod: {values['lan_kod']!r} is not one of the 21 counties; expected a county "
                "code (01, 03, …, 25) or a county name such as 'Stockholms län' or 'Stockholm'"
            )
        values["lan_kod"] = code

        if "bedomare" in columns and not values["bedomare"]:
            raise RatingsError(f"{at}, column bedomare: the expert id is empty; expected an id such as 'E1'")

        value = normalise_value(values["varde"])
        problem = by_id[qid].check(value)
        if problem:
            raise RatingsError(f"{at}, column varde: {values['varde']!r} is not on the scale of question {qid}; expected {problem}")
        values["varde"] = value

        key = tuple(values[c] for c in key_columns)
        if key in first_seen:
            named = ", ".join(f"{c} {v}" for c, v in zip(key_columns, key))
            raise RatingsError(
                f"{at}: duplicate rating ({named}) — the same as {first_seen[key]}; "
                "expected one rating per county, question" + (" and expert" if "bedomare" in columns else "")
            )
        first_seen[key] = where
        values["kommentar"] = redact(values["kommentar"])  # an expert may have named someone
        out.append(values)
    result = pd.DataFrame(out, columns=list(columns), dtype=object)
    return sort_ratings(result, template)


def sort_ratings(frame: pd.DataFrame, template) -> pd.DataFrame:
    """Sorted as the contract says: bedomare (when present), lan_kod, template question order;
    fresh RangeIndex."""
    order = {qid: i for i, qid in enumerate(template.ids)}
    unknown = sorted(set(frame["fraga_id"]) - set(order))
    if unknown:
        raise RatingsError(f"fraga_id {unknown[0]!r} is not a question of the assessment template ({template.source})")
    by = [c for c in ("bedomare", "lan_kod") if c in frame.columns]
    ordered = frame.assign(_order=frame["fraga_id"].map(order)).sort_values([*by, "_order"], kind="mergesort")
    return ordered.drop(columns="_order").reset_index(drop=True)


# ------------------------------------------------------------------------------------ writing

def write_ratings(frame: pd.DataFrame, path, template=None) -> Path:
    """Long ratings (or a consensus frame) as UTF-8 CSV with ',' and '\\n', checked as on reading
    and sorted as in the contract, written whole or not at all. `template` gives the scales and
    question order (default: the study's template)."""
    if template is None:
        from .template import template as study_template

        template = study_template()
    columns = RATING_COLUMNS if "bedomare" in frame.columns else CONSENSUS_COLUMNS
    if list(frame.columns) != list(columns):
        raise RatingsError(f"{path}: cannot write columns {', '.join(map(str, frame.columns))}; expected {', '.join(columns)}")
    # Checked before writing, so every file written here can be read back.
    rows = [f"row {i + 2}" for i in range(len(frame))]
    ordered = _check(frame, template, f"ratings to write to {path}", rows, columns)
    return write_atomic(
        Path(path), lambda tmp: ordered.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n"),
    )


# ------------------------------------------------------------------------ checks for the stage

def is_synthetic(path) -> bool:
    """Whether a ratings file is the study's synthetic sample: its generator leaves a planted
    truth beside it (rus_bedomningar.csv -> rus_bedomningar.truth.json) that says SYNTHETIC.
    The ratings file itself has no room for a marker (the long format has fixed columns)."""
    import json

    path = Path(path)
    truth = path.with_name(path.stem + ".truth.json")
    if not truth.is_file():
        return False
    try:
        description = json.loads(truth.read_text(encoding="utf-8")).get("description", "")
    except (ValueError, AttributeError) as exc:
        raise RatingsError(f"{truth}: not a planted-truth file of a synthetic sample ({exc})") from None
    return "SYNTHETIC" in str(description)


def require_experts(ratings: pd.DataFrame, count: int, source) -> None:
    """Stop unless exactly `count` experts rated: the review is designed for two independent
    experts (one rating form each, agreement between them)."""
    experts = sorted(set(ratings["bedomare"]))
    if len(experts) != count:
        raise RatingsError(
            f"{source}: ratings by {len(experts)} expert(s) ({', '.join(experts) or 'none'}); expected exactly "
            f"{count} experts, as the review's design has two independent experts rate every RUS"
        )


def with_scale_check(frame: pd.DataFrame, template) -> pd.DataFrame:
    """A copy of `frame` with pa_skalan: whether varde is on its question's scale (empty = not
    assessable counts as on it; a question not in the template does not). For the data-quality
    expectations of ratings and consensus."""
    by_id = template.by_id
    on_scale = [q in by_id and by_id[q].check(cell_text(v)) is None for q, v in zip(frame["fraga_id"], frame["varde"])]
    return frame.assign(pa_skalan=pd.Series(on_scale, index=frame.index, dtype=bool))


# ------------------------------------------------------------------------------- completeness

def completeness(ratings: pd.DataFrame, template) -> pd.DataFrame:
    """Per expert: bedomare, lan (distinct counties), fragor (distinct questions), betyg
    (rows), tomma (empty varde = not assessable), forvantat (21 counties x template questions)
    and saknas (forvantat - betyg)."""
    expected = len(reference.county_codes()) * len(template.questions)
    rows = []
    for expert, part in ratings.groupby("bedomare", sort=True):
        rows.append({
            "bedomare": expert, "lan": int(part["lan_kod"].nunique()), "fragor": int(part["fraga_id"].nunique()),
            "betyg": len(part), "tomma": int((part["varde"].map(cell_text) == "").sum()),
            "forvantat": expected, "saknas": expected - len(part),
        })
    columns = ["bedomare", "lan", "fragor", "betyg", "tomma", "forvantat", "saknas"]
    return pd.DataFrame(rows, columns=columns)
