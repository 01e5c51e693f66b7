"""Read a folder of rapportformat/1 reports into long tables.

All or nothing: every ``*.json`` in the folder (``truth.json`` of the synthetic sample
excepted) is validated first, and one bad file makes ``read_reports`` raise with the problems
of every bad file; no table is returned half-read. Two reports for the same actor and year
are an error too.

The entry tables are long: one row per entry and element id, so an entry tagged
["SO3.1", "GF2"] gives two rows that share ``post`` (the entry's 1-based place in its
section). Count entries as distinct (rapport_id, post), and do not sum ``belopp_kr`` over
element rows without dividing it first: it is the whole insats's amount on every row.
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import reference
from ..privacy import redact
from .schema import GROUPS, SECTIONS, ReportFormatError, load_report_bytes

IGNORED_FILES = ("truth.json",)  # the synthetic sample's planted truth sits beside the reports

KEY = ["rapport_id", "aktorsgrupp", "aktor", "lan_kod", "ar"]
COLUMNS = {
    "rapporter": [*KEY, "organisationsnummer", "fil", "sha256", "antal_insatser", "antal_samverkan",
                  "antal_larande", "antal_kapacitet"],
    "insatser": [*KEY, "post", "insats_id", "element_id", "rubrik", "beskrivning", "belopp_kr", "finansiering"],
    "indikatorer": [*KEY, "insats_id", "post", "namn", "varde", "enhet", "utfall_ar"],
    "samverkan": [*KEY, "post", "element_id", "partner_typ", "partner", "form", "beskrivning"],
    "larande": [*KEY, "post", "element_id", "typ", "beskrivning", "anvandning"],
    "kapacitet": [*KEY, "post", "element_id", "typ", "beskrivning", "arsarbetskrafter"],
}
# Columns that are not text; every other column holds str ("" when the report leaves it out).
TYPES = {"ar": "int64", "post": "int64", "antal_insatser": "int64", "antal_samverkan": "int64",
         "antal_larande": "int64", "antal_kapacitet": "int64", "belopp_kr": "Int64", "varde": "float64",
         "utfall_ar": "int64", "arsarbetskrafter": "float64"}
LIST_SEPARATOR = ", "


def _empty_frame(name: str) -> pd.DataFrame:
    return _frame(name, [])


@dataclass(frozen=True)
class ReportTables:
    """The reports of a folder as tables (see COLUMNS)."""

    rapporter: pd.DataFrame
    insatser: pd.DataFrame
    samverkan: pd.DataFrame
    larande: pd.DataFrame
    kapacitet: pd.DataFrame
    indikatorer: pd.DataFrame = field(default_factory=lambda: _empty_frame("indikatorer"))


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    columns = COLUMNS[name]
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        frame[column] = frame[column].astype(TYPES.get(column, "object"))
    return frame


def actor_slug(name: str) -> str:
    """'Myndigheten för yrkeshögskolan' -> 'myndigheten_for_yrkeshogskolan'."""
    folded = unicodedata.normalize("NFKD", reference.normalise_label(name))
    return "_".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())


def report_id(report: dict) -> str:
    """The actor-year id: '2025_region_24' for a region, '2025_trafikverket' for others. It is
    also the recommended file name (without .json)."""
    aktor = report["aktor"]
    if aktor["aktorsgrupp"] == "region":
        return f"{report['ar']}_region_{aktor['lan_kod']}"
    return f"{report['ar']}_{actor_slug(aktor['namn'])}"


def report_files(folder: Path) -> list[Path]:
    """The report files of a folder (*.json, any case), sorted by name. A JSON file in a
    subfolder is refused rather than silently left out."""
    nested = sorted(p for p in folder.rglob("*") if p.is_file() and p.parent != folder
                    and p.suffix.lower() == ".json")
    if nested:
        raise ReportFormatError([f"{p}: a report in a subfolder; expected every report directly in {folder}"
                                 for p in nested])
    return sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".json"
                   and p.name.lower() not in {n.lower() for n in IGNORED_FILES}), key=lambda p: p.name)


def _read_all(folder: Path) -> list[tuple[Path, str, dict]]:
    if not folder.is_dir():
        raise ReportFormatError([f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}, "
                                 f"expected a folder of report files (*.json)"])
    files = report_files(folder)
    if not files:
        raise ReportFormatError([f"{folder}: no report files (*.json), expected at least one"])
    problems: list[str] = []
    reports = []
    for path in files:
        try:
            raw = path.read_bytes()
            reports.append((path, hashlib.sha256(raw).hexdigest(), load_report_bytes(raw, str(path))))
        except ReportFormatError as exc:
            problems += exc.problems
        except OSError as exc:
            problems.append(f"{path}: cannot read the file ({exc.strerror or exc})")
    by_id: dict[str, list[tuple[Path, dict]]] = {}
    for path, _digest, report in reports:
        by_id.setdefault(report_id(report), []).append((path, report))
    for rid, same in sorted(by_id.items()):
        if len(same) > 1:
            names = [str(p) for p, _ in same]
            listed = ", ".join(names[:-1]) + " and " + names[-1]
            report = same[0][1]
            problems.append(f"{listed}: {len(same)} reports for the same actor and year "
                            f"({report['aktor']['namn']}, {report['ar']}; rapport_id {rid}), expected one")
    if problems:
        raise ReportFormatError(problems)
    return reports


def _text(entry: dict, name: str) -> str:
    return redact(entry.get(name, ""))


def read_reports(folder) -> ReportTables:
    """Validate and read every report in `folder` (see the module docstring)."""
    folder = Path(folder)
    reports = _read_all(folder)
    reports.sort(key=lambda r: (r[2]["ar"], GROUPS.index(r[2]["aktor"]["aktorsgrupp"]),
                                r[2]["aktor"].get("lan_kod", ""), report_id(r[2])))
    rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    for path, digest, report in reports:
        aktor = report["aktor"]
        key = {"rapport_id": report_id(report), "aktorsgrupp": aktor["aktorsgrupp"], "aktor": aktor["namn"],
               "lan_kod": aktor.get("lan_kod", ""), "ar": int(report["ar"])}
        rows["rapporter"].append({
            **key, "organisationsnummer": aktor.get("organisationsnummer", ""),
            "fil": path.relative_to(folder).as_posix(), "sha256": digest,
            **{f"antal_{section}": len(report[section]) for section in SECTIONS},
        })
        for post, insats in enumerate(report["insatser"], start=1):
            amount = insats.get("belopp_kr")
            for element_id in insats["element_ids"]:
                rows["insatser"].append({
                    **key, "post": post, "insats_id": insats["id"], "element_id": element_id,
                    "rubrik": insats["rubrik"], "beskrivning": _text(insats, "beskrivning"),
                    "belopp_kr": pd.NA if amount is None else int(amount),
                    "finansiering": LIST_SEPARATOR.join(insats.get("finansiering", [])),
                })
            for number, indicator in enumerate(insats.get("indikatorer", []), start=1):
                rows["indikatorer"].append({
                    **key, "insats_id": insats["id"], "post": number, "namn": indicator["namn"],
                    "varde": float(indicator["varde"]), "enhet": indicator["enhet"],
                    "utfall_ar": int(indicator["utfall_ar"]),
                })
        for post, entry in enumerate(report["samverkan"], start=1):
            for element_id in entry["element_ids"]:
                rows["samverkan"].append({
                    **key, "post": post, "element_id": element_id, "partner_typ": entry["partner_typ"],
                    "partner": _text(entry, "partner"), "form": entry["form"],
                    "beskrivning": _text(entry, "beskrivning"),
                })
        for post, entry in enumerate(report["larande"], start=1):
            for element_id in entry["element_ids"]:
                rows["larande"].append({
                    **key, "post": post, "element_id": element_id, "typ": entry["typ"],
                    "beskrivning": _text(entry, "beskrivning"), "anvandning": _text(entry, "anvandning"),
                })
        for post, entry in enumerate(report["kapacitet"], start=1):
            workforce = entry.get("arsarbetskrafter")
            for element_id in entry["element_ids"]:
                rows["kapacitet"].append({
                    **key, "post": post, "element_id": element_id, "typ": entry["typ"],
                    "beskrivning": _text(entry, "beskrivning"),
                    "arsarbetskrafter": float("nan") if workforce is None else float(workforce),
                })
    return ReportTables(**{name: _frame(name, table) for name, table in rows.items()})
