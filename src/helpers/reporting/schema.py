"""The report format rapportformat/1 and its validator.

One JSON file (UTF-8) per actor and year, keyed to the strategy's element ids. The format is
the JSON Schema in ``data/reference/rapportformat.schema.json`` (draft 2020-12), so that an
actor can check a file with any JSON Schema tool; this module validates with ``jsonschema``
and translates its findings into one plain line per problem:

    FILE: insatser[2].element_ids[0]: found "SO9", expected an element id of the strategy ...

A few rules are checked here on top of the schema: an insats id is used once per report, an
indicator's year is not after the report year, an organisation number has a valid check
digit, and lan_kod is given exactly when the actor is a region (the schema says so too, but
its error for that is unreadable). The schema's lists of element ids and county codes are
checked against the reference data when the schema is loaded, so they cannot drift apart.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, Iterable

from .. import reference
from ..paths import REFERENCE_DIR, resolve

SCHEMA_FILE = REFERENCE_DIR / "rapportformat.schema.json"
FORMAT = "rapportformat/1"
GROUPS = ("region", "statlig_myndighet", "tillvaxtverket")
SECTIONS = ("insatser", "samverkan", "larande", "kapacitet")
ORGNR_RE = re.compile(r"[0-9]{6}-[0-9]{4}")
MAX_SHOWN = 60  # characters of a found value quoted in a problem line

Where = tuple  # a place in the report: keys (str) and list indices (int)


class ReportFormatError(ValueError):
    """A report file (or a folder of them) does not follow rapportformat/1.

    ``problems`` holds one line per problem; the message is those lines joined."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def allowed_element_ids() -> tuple[str, ...]:
    """Framework element ids a report may refer to: all but the ANNAT group (NYPS's
    leftover categories are not parts of the strategy)."""
    return tuple(r["id"] for r in reference.framework() if not r["id"].startswith(reference.ANNAT))


@functools.cache
def schema() -> dict:
    """The schema file, checked to be a valid schema that agrees with the reference data."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    path = resolve(SCHEMA_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(data)
    except (OSError, ValueError, SchemaError) as exc:
        reason = " ".join(str(exc).split())[:300]
        raise reference.ReferenceError(f"{path}: not a usable JSON Schema ({reason})") from None
    try:
        elements = data["$defs"]["element_id"]["enum"]
        counties = data["$defs"]["aktor"]["properties"]["lan_kod"]["enum"]
        const = data["properties"]["format"]["const"]
    except (KeyError, TypeError) as exc:
        raise reference.ReferenceError(f"{path}: expected the schema of {FORMAT}, missing {exc}") from None
    if const != FORMAT:
        raise reference.ReferenceError(f"{path}: format is {const!r}, expected {FORMAT!r}")
    if tuple(elements) != allowed_element_ids():
        raise reference.ReferenceError(
            f"{path}: $defs.element_id.enum is {elements}, expected the framework's ids "
            f"{list(allowed_element_ids())} ({reference.FRAMEWORK_FILE})")
    if tuple(counties) != reference.county_codes():
        raise reference.ReferenceError(
            f"{path}: lan_kod enum is {counties}, expected the county codes of {reference.COUNTIES_FILE}")
    return data


@functools.cache
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


# --- describing values and schema nodes in plain English --------------------------------

def _type_word(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _show(value: Any) -> str:
    """A found value as it may be quoted in a problem line (short, one line)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}" if value else "an empty list"
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN - 2] + '…"' if isinstance(value, str) else text[:MAX_SHOWN] + "…"
    return text


_TYPE_EXPECTED = {"string": "a text", "integer": "an integer", "number": "a number",
                  "array": "a list", "object": "an object", "boolean": "true or false"}
_PATTERN_EXPECTED = {
    "^[0-9]{6}-[0-9]{4}$": "an organisation number written NNNNNN-NNNN",
    "^[A-Za-z0-9._-]{1,40}$": "an id of 1 to 40 characters: letters a-z, digits, '.', '-' or '_'",
}


def _resolve(node: dict) -> dict:
    ref = node.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        return {**schema()["$defs"][ref.split("/")[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _one_of(values: list) -> str:
    if list(values) == list(allowed_element_ids()):
        return "an element id of the strategy framework (" + ", ".join(values) + ")"
    if list(values) == list(reference.county_codes()):
        return "a county code (" + ", ".join(values) + ")"
    return "one of " + ", ".join(json.dumps(v, ensure_ascii=False) for v in values)


def _range(node: dict, noun: str) -> str:
    lo, hi = node.get("minimum"), node.get("maximum")
    if lo is not None and hi is not None:
        return f"{noun} from {lo} to {hi}"
    if lo is not None:
        return f"{noun} of at least {lo}"
    if hi is not None:
        return f"{noun} of at most {hi}"
    return noun


def _expected(node: dict) -> str:
    """What a schema node asks for, in words: used for missing fields."""
    node = _resolve(node)
    if "const" in node:
        return json.dumps(node["const"], ensure_ascii=False)
    if "enum" in node:
        return _one_of(node["enum"])
    kind = node.get("type")
    if kind == "string":
        if node.get("pattern") in _PATTERN_EXPECTED:
            return _PATTERN_EXPECTED[node["pattern"]]
        if "maxLength" in node:
            return f"a text of {node.get('minLength', 0)} to {node['maxLength']} characters"
        return "a text"
    if kind in ("integer", "number"):
        return _range(node, _TYPE_EXPECTED[kind])
    if kind == "array":
        if node.get("minItems"):
            return f"a list of at least {_plural(node['minItems'], 'item')}"
        return "a list (may be empty)"
    if kind == "object":
        return "an object with the fields " + ", ".join(node.get("required", node.get("properties", {})))
    return _TYPE_EXPECTED.get(kind, "a value")


# --- translating jsonschema's errors -----------------------------------------------------

def _translate(error) -> list[tuple[Where, str]]:
    """(path, 'found ..., expected ...') pairs for one jsonschema error."""
    path = tuple(error.absolute_path)
    value, node, kind = error.instance, error.schema if isinstance(error.schema, dict) else {}, error.validator
    if kind == "type":
        wanted = error.validator_value
        wanted = " or ".join(_TYPE_EXPECTED.get(w, w) for w in (wanted if isinstance(wanted, list) else [wanted]))
        shown = _show(value)
        found = shown if isinstance(value, (dict, list)) else f"{shown} ({_type_word(value)})"
        if path == ():
            wanted = "a JSON object with the fields " + ", ".join(schema()["required"])
        return [(path, f"found {found}, expected {wanted}")]
    if kind == "required":
        props = node.get("properties", {})
        return [(path + (name,), f"missing, expected {_expected(props.get(name, {}))}")
                for name in error.validator_value if isinstance(value, dict) and name not in value]
    if kind == "additionalProperties":
        allowed = list(node.get("properties", {}))
        return [(path + (name,), f'found the field "{name}", which is not part of the format {FORMAT}; '
                                 f"expected only the fields {', '.join(allowed)}")
                for name in value if name not in node.get("properties", {})]
    if kind == "enum":
        return [(path, f"found {_show(value)}, expected {_one_of(error.validator_value)}")]
    if kind == "const":
        return [(path, f"found {_show(value)}, expected {json.dumps(error.validator_value, ensure_ascii=False)}")]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        noun = "an integer" if node.get("type") == "integer" else "a number"
        return [(path, f"found {_show(value)}, expected {_range(node, noun)}")]
    if kind == "minLength":
        return [(path, f"found {'an empty text' if value == '' else _show(value)}, "
                       f"expected a text of at least {_plural(error.validator_value, 'character')}")]
    if kind == "maxLength":
        return [(path, f"found a text of {len(value)} characters, expected at most {error.validator_value}")]
    if kind == "minItems":
        return [(path, f"found {_show(value)}, expected at least {_plural(error.validator_value, 'item')}")]
    if kind == "uniqueItems":
        repeated = []
        for i, item in enumerate(value):
            if item in value[:i] and item not in repeated:
                repeated.append(item)
        return [(path, f"found {', '.join(_show(v) for v in repeated)} more than once, expected each value once")]
    if kind == "pattern":
        wanted = _PATTERN_EXPECTED.get(error.validator_value, f"a text matching {error.validator_value}")
        return [(path, f"found {_show(value)}, expected {wanted}")]
    detail = " ".join(error.message.split())[:200]  # a keyword this module does not expect in the schema
    return [(path, f"found {_show(value)}, which breaks the format's rule '{kind}': {detail}")]


def _schema_problems(data: dict) -> list[tuple[Where, str]]:
    by_path: dict[Where, list] = {}
    for error in _validator().iter_errors(data):
        # The region <-> lan_kod conditional is reported by _rule_problems, in words.
        if error.validator is None or {"if", "then", "else"} & set(error.relative_schema_path):
            continue
        by_path.setdefault(tuple(error.absolute_path), []).append(error)
    out = []
    for errors in by_path.values():
        # A value of the wrong type breaks its enum, pattern, ... too: say only the type.
        typed = [e for e in errors if e.validator == "type"]
        for error in typed or errors:
            out += _translate(error)
    return out


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits[:-1]):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(digits[-1])


def _rule_problems(data: dict) -> list[tuple[Where, str]]:
    """The rules beyond what the schema can say readably."""
    out: list[tuple[Where, str]] = []
    aktor = data.get("aktor")
    if isinstance(aktor, dict) and aktor.get("aktorsgrupp") in GROUPS:
        group = aktor["aktorsgrupp"]
        if group == "region" and "lan_kod" not in aktor:
            out.append((("aktor", "lan_kod"),
                        'missing, expected a county code (two digits) because aktorsgrupp is "region"'))
        elif group != "region" and "lan_kod" in aktor:
            out.append((("aktor", "lan_kod"), f'found {_show(aktor["lan_kod"])}, expected no lan_kod because '
                                              f'aktorsgrupp is "{group}" (only a region gives a county code)'))
    if isinstance(aktor, dict):
        orgnr = aktor.get("organisationsnummer")
        # The schema checks the shape; the check digit only makes sense on a well-formed number.
        if isinstance(orgnr, str) and ORGNR_RE.fullmatch(orgnr) and not _luhn_ok(orgnr.replace("-", "")):
            out.append((("aktor", "organisationsnummer"),
                        f"found {_show(orgnr)}, expected an organisation number whose last digit is its check digit"))
    insatser = data.get("insatser")
    year = data.get("ar")
    year = year if isinstance(year, int) and not isinstance(year, bool) else None
    if isinstance(insatser, list):
        first_use: dict[str, int] = {}
        for i, insats in enumerate(insatser):
            if not isinstance(insats, dict):
                continue
            ident = insats.get("id")
            if isinstance(ident, str):
                if ident in first_use:
                    out.append((("insatser", i, "id"), f"found {_show(ident)}, expected an id not used before in the "
                                                       f"report (already the id of insatser[{first_use[ident]}])"))
                else:
                    first_use[ident] = i
            indicators = insats.get("indikatorer")
            if year is not None and isinstance(indicators, list):
                for k, ind in enumerate(indicators):
                    y = ind.get("utfall_ar") if isinstance(ind, dict) else None
                    if isinstance(y, int) and not isinstance(y, bool) and y > year:
                        out.append((("insatser", i, "indikatorer", k, "utfall_ar"),
                                    f"found {y}, expected a year not after the report year {year}"))
    return out


# --- putting problem lines together ------------------------------------------------------

def format_path(path: Where) -> str:
    """('insatser', 2, 'element_ids', 0) -> 'insatser[2].element_ids[0]'; () -> '(top level)'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


@functools.cache
def _field_rank() -> dict[str, int]:
    """Every field name of the format, in the order the schema first names it."""
    rank: dict[str, int] = {}

    def walk(node):
        if isinstance(node, dict):
            for name in node.get("properties", {}):
                rank.setdefault(name, len(rank))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({"properties": schema()["properties"]})
    walk(schema()["$defs"])
    return rank


def _document_order(data: Any, path: Where) -> tuple[int, ...]:
    """Position of a path in the file, so problems are listed top to bottom; a missing field
    comes after the object's fields, in the format's order."""
    key, node = [], data
    for part in path:
        if isinstance(node, dict):
            keys = list(node)
            key.append(keys.index(part) if part in node else len(keys) + _field_rank().get(part, 1 << 20))
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            key.append(part)
            node = node[part]
        else:
            key.append(1 << 30)
            node = None
    return tuple(key)


def _lines(data: Any, source: str, items: list[tuple[Where, str]]) -> list[str]:
    ordered = sorted(set(items), key=lambda item: (_document_order(data, item[0]), format_path(item[0]), item[1]))
    return [f"{source}: {format_path(path)}: {text}" for path, text in ordered]


def report_problems(data: Any, source: str) -> list[str]:
    """Every problem of a parsed report, one line each; empty when the report is valid."""
    if not isinstance(data, dict):
        found = _show(data) if isinstance(data, (dict, list)) else f"{_show(data)} ({_type_word(data)})"
        return [f"{source}: (top level): found {found}, expected a JSON object with the "
                f"fields {', '.join(schema()['required'])}"]
    return _lines(data, source, _schema_problems(data) + _rule_problems(data))


def validate_report(data: dict, source: str) -> None:
    """Raise ReportFormatError listing every problem of the report, or return None."""
    problems = report_problems(data, source)
    if problems:
        raise ReportFormatError(problems)


# --- reading files -------------------------------------------------------------------------

class _Duplicates(dict):
    """An object in which a key appeared more than once (json keeps only the last)."""

    repeated: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    repeated = []
    for key, value in pairs:
        if key in out and key not in repeated:
            repeated.append(key)
        out[key] = value
    if repeated:
        out = _Duplicates(out)
        out.repeated = repeated
    return out


class _NotJson(ValueError):
    pass


def _no_constant(name: str):
    raise _NotJson(f"{name} is not a JSON number")


def _repeated_keys(node: Any, path: Where = ()) -> list[tuple[Where, str]]:
    out = []
    if isinstance(node, dict):
        for key in getattr(node, "repeated", ()):
            out.append((path + (key,), f'found the field "{key}" more than once in the same object, expected it once'))
        for key, value in node.items():
            out += _repeated_keys(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _repeated_keys(value, path + (i,))
    return out


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def parse_report(raw: bytes, source: str) -> Any:
    """The JSON value in a file's bytes; ReportFormatError (one line) if it is not UTF-8 JSON."""
    expected = f"expected one JSON object in the format {FORMAT}, encoded as UTF-8"
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark from a Windows editor is harmless
    except UnicodeDecodeError as exc:
        raise ReportFormatError([f"{source}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                                 f"{expected}"]) from None
    if not text.strip():
        raise ReportFormatError([f"{source}: the file is empty; {expected}"])
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ReportFormatError([f"{source}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); "
                                 f"{expected}"]) from None
    except _NotJson as exc:
        raise ReportFormatError([f"{source}: not valid JSON ({exc}); {expected}"]) from None
    except RecursionError:
        raise ReportFormatError([f"{source}: not a report (nested too deeply); {expected}"]) from None


def load_report(path) -> dict:
    """Read and validate one report file; return it as plain dicts and lists."""
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReportFormatError([f"{source}: no such file"]) from None
    except IsADirectoryError:
        raise ReportFormatError([f"{source}: a folder, expected a report file"]) from None
    except OSError as exc:
        raise ReportFormatError([f"{source}: cannot read the file ({exc.strerror or exc})"]) from None
    return load_report_bytes(raw, source)


def load_report_bytes(raw: bytes, source: str) -> dict:
    """Parse and validate a report file's bytes; `source` names the file in problem lines."""
    data = parse_report(raw, source)
    repeated = _repeated_keys(data)
    data = _plain(data)
    problems = report_problems(data, source)
    if repeated:
        problems = _lines(data, source, repeated) + problems
    if problems:
        raise ReportFormatError(problems)
    return data
