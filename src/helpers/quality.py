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


def _run_gx(frame, suite: dict, parameters: dict) -> list[dict]:
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    expectations = [
        # the position travels in meta, so results can be listed in the suite's own order
        ExpectationConfiguration(type=e["type"], kwargs=e.get("kwargs", {}), meta={**e.get("meta", {}), "nr": i}).to_domain_obj()
        for i, e in enumerate(suite["expectations"])
    ]
    gx_suite = context.suites.add(ExpectationSuite(name=suite["name"], expectations=expectations))
    batch = (
        context.data_sources.add_pandas("study")
        .add_dataframe_asset(suite["name"])
        .add_batch_definition_whole_dataframe("whole")
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite["name"], data=batch, suite=gx_suite)
    )
    result = definition.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=parameters,
        result_format={"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES},
    )
    rows = []
    for res in sorted(result.results, key=lambda r: (r.expectation_config.meta or {}).get("nr", 0)):
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


def _parameter_refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        if set(node) == {"$PARAMETER"}:
            return {node["$PARAMETER"]}
        return set().union(*(_parameter_refs(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_parameter_refs(v) for v in node)) if node else set()
    return set()


def validate(frame, suite_name: str, output_dir: str | Path, parameters: dict | None = None, *, raise_on_failure: bool = True) -> dict:
    """Run a suite on a DataFrame, write <output_dir>/kvalitet/<suite>.json, raise QualityError
    if any expectation failed. Suites may refer to {"$PARAMETER": name} values given here."""
    suite = load_suite(suite_name)
    parameters = dict(parameters or {})
    missing = sorted(_parameter_refs(suite["expectations"]) - set(parameters))
    if missing:
        raise ValueError(f"suite {suite_name!r} needs parameter(s) {', '.join(missing)}")
    rows = _run_gx(frame, suite, parameters)
    report = {
        "suite": suite_name,
        "description": suite.get("meta", {}).get("beskrivning", ""),
        "success": all(r["success"] for r in rows),
        "evaluated": len(rows),
        "successful": sum(r["success"] for r in rows),
        "rows": int(len(frame)),
        "parameters": {k: _summarised(v) for k, v in _plain(parameters).items()},
        "results": rows,
    }
    write_text_atomic(resolve(output_dir) / "kvalitet" / f"{suite_name}.json",
                      json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    if raise_on_failure and not report["success"]:
        raise QualityError(failure_message(report))
    return report


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
