"""The study's parameters: what each one is, and the checks a value must pass before any
notebook runs. Values live in params.yaml; this module declares their types and ranges."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .paths import project_root, resolve

DEFAULT_PARAMS_FILE = Path("params.yaml")


class ParamError(ValueError):
    """A parameter is missing, unknown or has a value it cannot have."""


@dataclass(frozen=True)
class Param:
    name: str
    # "input_file", "optional_file" ("" = none), "input_dir" (an existing folder read whole),
    # "optional_dir" ("" = none), "dir" (written), "int", "choice" (one of), "choices" (a list of some of)
    kind: str
    doc: str
    minimum: int | None = None
    maximum: int | None = None
    suffixes: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "input_file":
            return f"the path of an existing file ({', '.join(self.suffixes)})"
        if self.kind == "optional_file":
            return f"empty, or the path of an existing file ({', '.join(self.suffixes)})"
        if self.kind == "dir":
            return "a folder path (created if missing)"
        if self.kind == "optional_dir":
            return "empty, or the path of an existing folder"
        if self.kind == "choice":
            return f"one of {', '.join(self.options)}"
        if self.kind == "choices":
            return f"a non-empty list of distinct values from {', '.join(self.options)}"
        return f"a whole number from {self.minimum} to {self.maximum}"


PARAMETERS: tuple[Param, ...] = (
    Param("nyps_path", "input_file", "NYPS2020 project export", suffixes=(".csv", ".txt", ".xlsx")),
    Param("processed_dir", "dir", "processed data"),
    Param("output_dir", "dir", "rendered notebooks, figures, tables, index"),
    Param("year_from", "int", "first decision year analysed", 2000, 2100),
    Param("year_to", "int", "last decision year analysed", 2000, 2100),
    Param("intake_year_min", "int", "earliest decision year accepted at intake", 2000, 2100),
    Param("intake_year_max", "int", "latest decision year accepted at intake", 2000, 2100),
    Param("corpus_manifest", "input_file", "document manifest of the text corpus", suffixes=(".csv",)),
    Param("text_review_path", "optional_file", "the expert's filled review workbook of the question-based analysis",
          suffixes=(".xlsx",)),
    Param("ratings_path", "input_file", "the experts' ratings of the RUS in long form (lan_kod, fraga_id, bedomare, "
          "varde, kommentar)", suffixes=(".csv",)),
    Param("consensus_path", "optional_file", "the experts' consensus sheet (lan_kod, fraga_id, varde, kommentar)",
          suffixes=(".csv",)),
    Param("bootstrap_samples", "int", "bootstrap resamples for the agreement intervals", 100, 100000),
    Param("structured_reports_dir", "optional_dir", "yearly reports in the proposed structured reporting format "
          "(rapportformat/1, JSON)"),
    Param("support_types", "choices", "support types analysed", options=("PROJ", "FTG", "KS")),
    Param("amount_basis", "choice", "amount analysed: granted or paid out", options=("beviljat", "utbetalt")),
    Param("cell_timeout", "int", "seconds one notebook cell may run", 10, 86400),
)
BY_NAME = {p.name: p for p in PARAMETERS}


def _check_value(param: Param, value: Any, root: Path) -> Any:
    shown = repr(value)
    if param.kind == "int":
        # bool is an int subclass in Python; a YAML 'yes' must not pass as a year
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParamError(f"parameter '{param.name}' must be {param.describe()}, got {shown}")
        if not (param.minimum <= value <= param.maximum):
            raise ParamError(f"parameter '{param.name}' must be {param.describe()}, got {value}")
        return value
    if param.kind == "choices":
        if (not isinstance(value, list) or not value or len(set(map(str, value))) != len(value)
                or any(v not in param.options for v in value)):
            raise ParamError(f"parameter '{param.name}' must be {param.describe()}, got {shown}")
        return value
    if param.kind in ("optional_file", "optional_dir") and (value is None or value == ""):
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ParamError(f"parameter '{param.name}' must be {param.describe()}, got {shown}")
    if param.kind == "choice" and value not in param.options:
        raise ParamError(f"parameter '{param.name}' must be {param.describe()}, got {shown}")
    if param.kind in ("input_file", "optional_file"):
        path = resolve(value, root)
        if path.suffix.lower() not in param.suffixes:
            raise ParamError(f"parameter '{param.name}' must be {param.describe()}, got {shown}")
        if not path.is_file():
            raise ParamError(f"parameter '{param.name}': file {value} does not exist ({param.doc})")
    if param.kind == "optional_dir":
        if not resolve(value, root).is_dir():
            raise ParamError(f"parameter '{param.name}': folder {value} does not exist ({param.doc})")
        return value
    if param.kind == "dir":
        path = resolve(value, root)
        if path.exists() and not path.is_dir():
            raise ParamError(f"parameter '{param.name}': {value} exists and is not a folder")
        raw = (root / "data" / "raw").resolve()
        if path.resolve() == root.resolve() or path.resolve().is_relative_to(raw):
            raise ParamError(
                f"parameter '{param.name}' must not be the project root or lie under data/raw "
                f"(the study replaces this folder on every run), got {shown}"
            )
    return value


def validate(values: dict[str, Any], root: Path | None = None) -> dict[str, Any]:
    """Check every parameter; return them in declaration order. Raises ParamError."""
    root = root or project_root()
    unknown = sorted(set(values) - set(BY_NAME))
    if unknown:
        raise ParamError(
            f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(BY_NAME)}"
        )
    missing = [p.name for p in PARAMETERS if p.name not in values]
    if missing:
        raise ParamError(f"parameter(s) missing: {', '.join(missing)}")
    checked = {p.name: _check_value(p, values[p.name], root) for p in PARAMETERS}
    if checked["year_from"] > checked["year_to"]:
        raise ParamError(
            f"parameter 'year_from' ({checked['year_from']}) must not be after 'year_to' ({checked['year_to']})"
        )
    if checked["intake_year_min"] > checked["intake_year_max"]:
        raise ParamError("parameter 'intake_year_min' must not be after 'intake_year_max'")
    if not (checked["intake_year_min"] <= checked["year_from"] and checked["year_to"] <= checked["intake_year_max"]):
        raise ParamError(
            "parameters 'year_from'..'year_to' must lie within 'intake_year_min'..'intake_year_max' "
            f"({checked['intake_year_min']}..{checked['intake_year_max']}), got "
            f"{checked['year_from']}..{checked['year_to']}"
        )
    if resolve(checked["processed_dir"], root).resolve() == resolve(checked["output_dir"], root).resolve():
        raise ParamError("parameters 'processed_dir' and 'output_dir' must be different folders")
    return checked


def parse_override(text: str) -> tuple[str, Any]:
    """NAME=VALUE from the command line; the value is read as YAML (2022 is a number)."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ParamError(f"override {text!r} must look like NAME=VALUE")
    if name not in BY_NAME:
        raise ParamError(f"unknown parameter '{name}' in override; known: {', '.join(BY_NAME)}")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    kind = BY_NAME[name].kind
    if kind == "choices" and isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]  # -p support_types=PROJ,FTG
    elif kind not in ("int", "choices") and value is not None and not isinstance(value, str):
        value = raw  # a path like 2024 stays text
    return name, value


def load(params_file: str | Path | None = None, overrides: list[str] = (), root: Path | None = None) -> dict[str, Any]:
    """Read the parameters file, apply NAME=VALUE overrides, validate."""
    root = root or project_root()
    path = resolve(params_file or DEFAULT_PARAMS_FILE, root)
    if not path.is_file():
        raise ParamError(f"parameters file {path} does not exist")
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParamError(f"parameters file {path} is not valid YAML: {exc}") from None
    if not isinstance(values, dict):
        raise ParamError(f"parameters file {path} must hold NAME: VALUE pairs")
    for item in overrides:
        name, value = parse_override(item)
        values[name] = value
    return validate(values, root)
