"""Data-quality guards: Great Expectations 1.x suites kept as JSON under expectations/, run in
an ephemeral context. A failed suite stops the stage with a readable list; every result is
written as JSON (no timestamps or run ids, so reruns give the same bytes)."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from .files import write_text_atomic
from .paths import resolve

SUITES_DIR = Path("expectations")
EXAMPLES = 5  # unexpected values shown per failed expectation


class QualityError(RuntimeError):
    """A suite failed; the message lists suite, expectation, column and example values."""


def suite_path(name: str) -> Path:
    return resolve(SUITES_DIR / f"{name}.json")


def load_suite(name: str) -> dict:
    path = suite_path(name)
    if not path.is_file():
        raise FileNotFoundError(f"expectation suite {name!r} not found at {path}")
    suite = json.loads(path.read_text(encoding="utf-8"))
    if suite.get("name") != name or not isinstance(suite.get("expectations"), list):
        raise ValueError(f"{path}: a suite needs 'name' ({name!r}) and a list of 'expectations'")
    return suite


def _plain(value: Any) -> Any:
    """JSON-safe copy of a GX value (numpy scalars, NaN)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _summarised(value):
    """Long value sets (e.g. every paragraph key) are recorded by size, not listed."""
    if isinstance(value, list) and len(value) > 50:
        return f"<{len(value)} värden>"
    return value


# Expectations that look at the table's shape only: its column names and its number of rows.
SHAPE_ONLY = frozenset({
    "expect_table_row_count_to_be_between", "expect_table_row_count_to_equal",
    "expect_table_columns_to_match_set", "expect_table_columns_to_match_ordered_list",
    "expect_table_column_count_to_be_between", "expect_table_column_count_to_equal",
    "expect_column_to_exist",
})
SHAPE = ("<shape>",)
WHOLE = ("<whole>",)


def _resolved(value: Any, parameters: dict) -> Any:
    if isinstance(value, dict) and set(value) == {"$PARAMETER"}:
        return parameters.get(value["$PARAMETER"])
    return value


def columns_read(expectation: dict, parameters: dict) -> tuple[str, ...]:
    """The columns whose values an expectation reads: SHAPE when it reads only the column names
    and the row count, WHOLE when that cannot be told (a row condition, an unknown kind)."""
    kwargs = expectation.get("kwargs", {})
    if expectation["type"] in SHAPE_ONLY:
        return SHAPE
    if "row_condition" in kwargs:
        return WHOLE
    names: list[str] = []
    for key in ("column", "column_A", "column_B", "column_list"):
        value = _resolved(kwargs.get(key), parameters)
        if isinstance(value, str):
            names.append(value)
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            names.extend(value)
        elif value is not None:
            return WHOLE
    return tuple(dict.fromkeys(names)) or WHOLE


def _groups(columns, suite: dict, parameters: dict) -> dict[tuple[str, ...], list[tuple[int, dict]]]:
    """The suite's expectations (with their positions) grouped by the columns they read, for a
    frame with these columns. A group naming a column the frame lacks reads the whole frame,
    so that GX reports the missing column as it would."""
    groups: dict[tuple[str, ...], list[tuple[int, dict]]] = {}
    present = set(columns)
    for i, e in enumerate(suite["expectations"]):
        key = columns_read(e, parameters)
        if key not in (SHAPE, WHOLE) and not all(c in present for c in key):
            key = WHOLE
        groups.setdefault(key, []).append((i, e))
    return groups


def needed_columns(frame, suite: dict, parameters: dict) -> list[str] | None:
    """The columns whose values the suite reads, in the frame's order; None when it needs the
    whole frame."""
    groups = _groups(frame.columns, suite, parameters)
    if WHOLE in groups or not frame.columns.is_unique:
        return None
    read = {c for key in groups if key != SHAPE for c in key}
    return [c for c in frame.columns if c in read]


def _shape_of(columns, index):
    """A frame with these column names and this index whose values are a one-byte placeholder."""
    import numpy as np
    import pandas as pd

    blank = np.zeros(len(index), dtype=bool)
    return pd.DataFrame(dict.fromkeys(columns, blank), index=index, columns=columns)


def batches(frame, suite: dict, parameters: dict, columns=None) -> list[tuple[Any, list[tuple[int, dict]]]]:
    """The suite's expectations grouped by the columns they read, each group with the frame it
    is validated on: only those columns. For every expectation Great Expectations filters and
    copies the whole frame it is given, so a group costs what its own columns cost (on the
    million-row project table 1.2 s against 4 s for the whole frame). Shape-only expectations
    see every column name over a one-byte placeholder (same names, order and number of rows);
    a group whose columns cannot be told sees the whole frame. `columns`: the whole frame's
    column names when `frame` holds only the columns read (as sent to the checks' process)."""
    import pandas as pd

    columns = frame.columns if columns is None else pd.Index(columns)
    out = []
    for key, members in _groups(columns, suite, parameters).items():
        if key == WHOLE or not columns.is_unique:
            part = frame
        elif key == SHAPE:
            part = _shape_of(columns, frame.index)
        else:
            part = frame[list(key)]
        out.append((part, members))
    return out


def _run_gx(frame, suite: dict, parameters: dict, columns=None) -> list[dict]:
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    # GX fingerprints every batch under 1 GB by hashing all of its values (about 3 s for the
    # raw columns of a million-row export) for a batch marker the study never reads: the study
    # records the SHA-256 of every input file itself. A threshold of 0 skips the hashing and
    # nothing else.
    pandas_execution_engine.HASH_THRESHOLD = 0
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("study")
    results = []
    for g, (part, members) in enumerate(batches(frame, suite, parameters, columns)):
        name = f"{suite['name']}.{g}"
        expectations = [
            # the position travels in meta, so results can be listed in the suite's own order
            ExpectationConfiguration(type=e["type"], kwargs=e.get("kwargs", {}), meta={**e.get("meta", {}), "nr": i}).to_domain_obj()
            for i, e in members
        ]
        gx_suite = context.suites.add(ExpectationSuite(name=name, expectations=expectations))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole")
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=gx_suite))
        results.extend(definition.run(
            batch_parameters={"dataframe": part},
            expectation_parameters=parameters,
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES},
        ).results)
    rows = []
    for res in sorted(results, key=lambda r: (r.expectation_config.meta or {}).get("nr", 0)):
        cfg = res.expectation_config
        kwargs = {k: v for k, v in cfg.kwargs.items() if k != "batch_id"}
        detail = res.result or {}
        examples = detail.get("partial_unexpected_list")
        if examples is None and "details" in detail:
            examples = detail["details"]
        rows.append(
            {
                "expectation": cfg.type,
                "column": kwargs.get("column") or kwargs.get("column_A"),
                "kwargs": {k: _summarised(v) for k, v in _plain(kwargs).items()},
                "description": (cfg.meta or {}).get("beskrivning", ""),
                "success": bool(res.success),
                "element_count": _plain(detail.get("element_count")),
                "unexpected_count": _plain(detail.get("unexpected_count")),
                "unexpected_percent": _plain(round(detail["unexpected_percent"], 4)) if detail.get("unexpected_percent") is not None else None,
                "observed_value": _plain(detail.get("observed_value")),
                "examples": _plain(examples[:EXAMPLES] if isinstance(examples, list) else examples),
                "error": (res.exception_info or {}).get("exception_message") if (res.exception_info or {}).get("raised_exception") else None,
            }
        )
    return rows


# ------------------------------------------------------------------ the checks' own process

def prepare() -> None:
    """Make sure the suites run in a process of their own (the run's, or one this kernel
    starts now, which loads Great Expectations while the notebook reads its data): start()
    then returns at once and validate() waits only for the check itself. Without prepare()
    suites run in this process. The results are the same either way (tested)."""
    from . import quality_worker

    quality_worker.prepare()


def _parameter_refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        if set(node) == {"$PARAMETER"}:
            return {node["$PARAMETER"]}
        return set().union(*(_parameter_refs(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_parameter_refs(v) for v in node)) if node else set()
    return set()


class PendingCheck:
    """A suite under way (see start()); result() waits for it, writes its result file and
    raises QualityError when an expectation failed."""

    def __init__(self, frame, suite: dict, parameters: dict, output_dir: str | Path, raise_on_failure: bool):
        from . import quality_worker

        self.suite, self.parameters, self.rows = suite, parameters, int(len(frame))
        self.output_dir, self.raise_on_failure = output_dir, raise_on_failure
        self._future = self._computed = None
        self._frame = frame  # kept only to check here if the checks' process is gone
        self._report: dict | None = None
        if quality_worker.prepared():
            needed = needed_columns(frame, suite, parameters)
            # only what the suite reads crosses to the other process
            part, columns = (frame, None) if needed is None else (frame[needed], list(frame.columns))
            self._future = quality_worker.submit(part, columns, suite, parameters)
        else:
            self._computed = _run_gx(frame, suite, parameters)

    @property
    def name(self) -> str:
        return self.suite["name"]

    def _results(self) -> list[dict]:
        if self._computed is not None:
            return self._computed
        if self._future is not None:
            from . import quality_worker

            try:
                return quality_worker.result(self._future)
            except quality_worker.WorkerGone:  # killed, out of memory: check here instead
                pass
        return _run_gx(self._frame, self.suite, self.parameters)

    def result(self) -> dict:
        if self._report is None:
            rows = self._results()
            self._future = self._frame = self._computed = None
            self._report = {
                "suite": self.name,
                "description": self.suite.get("meta", {}).get("beskrivning", ""),
                "success": all(r["success"] for r in rows),
                "evaluated": len(rows),
                "successful": sum(r["success"] for r in rows),
                "rows": self.rows,
                "parameters": {k: _summarised(v) for k, v in _plain(self.parameters).items()},
                "results": rows,
            }
            write_text_atomic(resolve(self.output_dir) / "kvalitet" / f"{self.name}.json",
                              json.dumps(self._report, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        if self.raise_on_failure and not self._report["success"]:
            raise QualityError(failure_message(self._report))
        return self._report


def start(frame, suite_name: str, output_dir: str | Path, parameters: dict | None = None, *,
          raise_on_failure: bool = True) -> PendingCheck:
    """Begin a suite on a DataFrame and return at once when prepare() started the process for
    the checks (the notebook goes on meanwhile; the frame must not change until result());
    otherwise run it here first. Either way result() gives what validate() gives."""
    suite = load_suite(suite_name)
    parameters = dict(parameters or {})
    missing = sorted(_parameter_refs(suite["expectations"]) - set(parameters))
    if missing:
        raise ValueError(f"suite {suite_name!r} needs parameter(s) {', '.join(missing)}")
    return PendingCheck(frame, suite, parameters, output_dir, raise_on_failure)


def wait(checks: list[PendingCheck]) -> list[dict]:
    """The reports of several checks, in order; the first failure raises (after every result
    file is written)."""
    reports, failure = [], None
    for check in checks:
        try:
            reports.append(check.result())
        except QualityError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure
    return reports


def validate(frame, suite_name: str, output_dir: str | Path, parameters: dict | None = None, *, raise_on_failure: bool = True) -> dict:
    """Run a suite on a DataFrame, write <output_dir>/kvalitet/<suite>.json, raise QualityError
    if any expectation failed. Suites may refer to {"$PARAMETER": name} values given here."""
    return start(frame, suite_name, output_dir, parameters, raise_on_failure=raise_on_failure).result()


def failure_message(report: dict) -> str:
    failed = [r for r in report["results"] if not r["success"]]
    lines = [
        f"data-quality suite '{report['suite']}' failed: {len(failed)} of {report['evaluated']} expectations not met"
    ]
    for r in failed:
        where = f"column '{r['column']}'" if r["column"] else "table"
        if r["error"]:
            what = f"could not be evaluated: {r['error']}"
        elif r["unexpected_count"] is not None:
            what = f"{r['unexpected_count']} unexpected value(s), e.g. {r['examples']}"
        else:
            what = f"observed {r['observed_value']}"
        # what was expected: the suite's own words, and the settings that are not the column
        settings = {k: v for k, v in (r.get("kwargs") or {}).items() if k not in ("column", "column_A", "column_B")}
        expected = "; ".join(x for x in (r.get("description") or "",
                                         ", ".join(f"{k}={v}" for k, v in settings.items())) if x)
        lines.append(f"  - {r['expectation']} on {where}: {what}" + (f" (expected: {expected})" if expected else ""))
    return "\n".join(lines)
