"""rapportformat/1: the schema file agrees with the reference data, valid reports pass, and
every kind of bad report gives one plain line per problem naming the file, the field path,
the value found and what was expected."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest

from helpers import reference
from helpers.paths import project_root
from helpers.reporting import schema as rs
from helpers.reporting.schema import ReportFormatError, load_report, validate_report

FIXTURES = Path(__file__).parent / "fixtures" / "reporting"
SAMPLE = project_root() / "data" / "raw" / "sample" / "rapportformat"
GOOD = FIXTURES / "ok" / "2025_region_24.json"


@pytest.fixture()
def good() -> dict:
    return json.loads(GOOD.read_text(encoding="utf-8"))


def problems_of(data, source: str = "r.json") -> list[str]:
    with pytest.raises(ReportFormatError) as info:
        validate_report(data, source)
    exc = info.value
    assert isinstance(exc, ValueError)
    assert str(exc) == "\n".join(exc.problems)
    for line in exc.problems:  # plain lines: no jsonschema dumps, no newlines
        assert "\n" not in line and line.startswith(f"{source}: ")
        assert "is not of type" not in line and "is not one of" not in line
    return exc.problems


# --- the schema file ---------------------------------------------------------------------

def test_schema_file_is_a_draft_2020_12_schema_that_matches_the_reference_data():
    data = json.loads((project_root() / rs.SCHEMA_FILE).read_text(encoding="utf-8"))
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(data)
    framework_ids = [r["id"] for r in reference.framework() if r["typ"] not in ("annat", "annat_grupp")]
    assert data["$defs"]["element_id"]["enum"] == framework_ids
    assert "SO3.1" in framework_ids and "HB-MI" in framework_ids and "ANNAT-INT" not in framework_ids
    assert data["$defs"]["aktor"]["properties"]["lan_kod"]["enum"] == [c["lan_kod"] for c in reference.counties()]


def _objects(node):
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_every_object_of_the_format_is_closed_and_has_no_field_for_persons():
    data = rs.schema()
    objects = list(_objects(data))
    assert len(objects) == 7  # report, aktor, insats, indikator, samverkan, larande, kapacitet
    for obj in objects:
        assert obj["additionalProperties"] is False
    names = set(rs._field_rank())
    assert not names & {"kontaktperson", "e_post", "epost", "email", "telefon", "person"}


def test_a_schema_out_of_step_with_the_framework_is_refused(tmp_path, monkeypatch):
    data = json.loads((project_root() / rs.SCHEMA_FILE).read_text(encoding="utf-8"))
    data["$defs"]["element_id"]["enum"].remove("TP")
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(rs, "SCHEMA_FILE", path)
    rs.schema.cache_clear()
    try:
        with pytest.raises(reference.ReferenceError, match="element_id.enum"):
            rs.schema()
    finally:
        monkeypatch.undo()
        rs.schema.cache_clear()


# --- valid reports -------------------------------------------------------------------------

def test_the_hand_written_fixtures_are_valid():
    for path in sorted((FIXTURES / "ok").glob("*.json")):
        data = load_report(path)
        assert data == json.loads(path.read_text(encoding="utf-8"))
        assert type(data) is dict and type(data["aktor"]) is dict


def test_every_sample_report_is_valid_and_an_independent_validator_agrees():
    files = sorted(p for p in SAMPLE.glob("*.json") if p.name != "truth.json")
    assert len(files) == 84
    plain = jsonschema.Draft202012Validator(json.loads((project_root() / rs.SCHEMA_FILE).read_text(encoding="utf-8")))
    for path in files:
        data = load_report(path)
        assert not list(plain.iter_errors(data)), path.name


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.read_bytes())
    assert load_report(path)["aktor"]["lan_kod"] == "24"


# --- bad reports: one exact line each -------------------------------------------------------

def test_unknown_element_id(good):
    good["insatser"][1]["element_ids"] = ["SO4.2", "SO9"]
    assert problems_of(good) == [
        'r.json: insatser[1].element_ids[1]: found "SO9", expected an element id of the strategy framework ('
        + ", ".join(r["id"] for r in reference.framework() if not r["id"].startswith("ANNAT")) + ")"
    ]


def test_annat_is_not_an_element_of_the_strategy(good):
    good["samverkan"][0]["element_ids"][1] = "ANNAT-INT"
    (line,) = problems_of(good)
    assert line.startswith('r.json: samverkan[0].element_ids[1]: found "ANNAT-INT", expected an element id')


def test_missing_required_field(good):
    del good["aktor"]["namn"]
    del good["larande"][0]["typ"]
    assert problems_of(good) == [
        "r.json: aktor.namn: missing, expected a text of 1 to 200 characters",
        'r.json: larande[0].typ: missing, expected one of "utvardering", "uppfoljning", "analys", "forskning", '
        '"erfarenhetsutbyte"',
    ]


def test_missing_sections_are_listed_in_the_format_order():
    assert problems_of({"format": "rapportformat/1"}) == [
        "r.json: aktor: missing, expected an object with the fields aktorsgrupp, namn",
        "r.json: ar: missing, expected an integer from 2021 to 2030",
        "r.json: insatser: missing, expected a list (may be empty)",
        "r.json: samverkan: missing, expected a list (may be empty)",
        "r.json: larande: missing, expected a list (may be empty)",
        "r.json: kapacitet: missing, expected a list (may be empty)",
    ]


def test_year_as_text_is_a_type_error_only(good):
    good["ar"] = "2025"
    assert problems_of(good) == ['r.json: ar: found "2025" (a text), expected an integer']


def test_year_outside_the_strategy_period(good):
    good["ar"] = 2035
    assert problems_of(good) == ["r.json: ar: found 2035, expected an integer from 2021 to 2030"]


def test_lan_kod_missing_for_a_region(good):
    del good["aktor"]["lan_kod"]
    assert problems_of(good) == [
        'r.json: aktor.lan_kod: missing, expected a county code (two digits) because aktorsgrupp is "region"'
    ]


def test_lan_kod_given_for_an_agency():
    data = json.loads((FIXTURES / "ok" / "2025_vinnova.json").read_text(encoding="utf-8"))
    data["aktor"]["lan_kod"] = "24"
    assert problems_of(data, "v.json") == [
        'v.json: aktor.lan_kod: found "24", expected no lan_kod because aktorsgrupp is "statlig_myndighet" '
        "(only a region gives a county code)"
    ]


def test_unknown_county_code(good):
    good["aktor"]["lan_kod"] = "26"
    assert problems_of(good) == [
        'r.json: aktor.lan_kod: found "26", expected a county code ('
        + ", ".join(reference.county_codes()) + ")"
    ]


def test_extra_field_is_named_as_not_part_of_the_format_and_its_value_is_not_repeated(good):
    good["aktor"]["kontaktperson"] = "Anna Exempelsson"
    good["insatser"][0]["e_post"] = "anna@exempel.se"
    lines = problems_of(good)
    assert lines == [
        'r.json: aktor.kontaktperson: found the field "kontaktperson", which is not part of the format '
        "rapportformat/1; expected only the fields aktorsgrupp, namn, lan_kod, organisationsnummer",
        'r.json: insatser[0].e_post: found the field "e_post", which is not part of the format rapportformat/1; '
        "expected only the fields id, rubrik, element_ids, beskrivning, belopp_kr, finansiering, indikatorer",
    ]
    assert not any("Anna" in line or "@" in line for line in lines)


def test_duplicate_insats_id(good):
    good["insatser"].append({"id": "i1", "rubrik": "Ännu en insats", "element_ids": ["SO1"]})
    assert problems_of(good) == [
        'r.json: insatser[2].id: found "i1", expected an id not used before in the report '
        "(already the id of insatser[0])"
    ]


def test_indicator_year_after_the_report_year(good):
    good["insatser"][0]["indikatorer"][0]["utfall_ar"] = 2026
    assert problems_of(good) == [
        "r.json: insatser[0].indikatorer[0].utfall_ar: found 2026, expected a year not after the report year 2025"
    ]


def test_organisation_number_shape_and_check_digit(good):
    good["aktor"]["organisationsnummer"] = "2321000222"
    assert problems_of(good) == [
        'r.json: aktor.organisationsnummer: found "2321000222", expected an organisation number written NNNNNN-NNNN'
    ]
    good["aktor"]["organisationsnummer"] = "202100-5448"  # a known valid number (Skatteverket)
    validate_report(good, "r.json")
    good["aktor"]["organisationsnummer"] = "232100-0223"  # the check digit of 232100-022 is 2
    assert problems_of(good) == [
        'r.json: aktor.organisationsnummer: found "232100-0223", expected an organisation number whose last '
        "digit is its check digit"
    ]


def test_every_problem_is_collected_top_to_bottom(good):
    good["format"] = "rapportformat/2"
    good["aktor"]["aktorsgrupp"] = "kommun"
    good["insatser"][0]["belopp_kr"] = -5
    good["insatser"][0]["element_ids"] = ["GF2", "GF2"]
    good["samverkan"][1]["partner_typ"] = "forening"
    good["kapacitet"] = {}
    lines = problems_of(good)
    assert lines == [
        'r.json: format: found "rapportformat/2", expected "rapportformat/1"',
        'r.json: aktor.aktorsgrupp: found "kommun", expected one of "region", "statlig_myndighet", "tillvaxtverket"',
        'r.json: insatser[0].element_ids: found "GF2" more than once, expected each value once',
        "r.json: insatser[0].belopp_kr: found -5, expected an integer of at least 0",
        'r.json: samverkan[1].partner_typ: found "forening", expected one of "statlig_myndighet", "region", '
        '"kommun", "naringsliv", "akademi", "civilsamhalle", "eu", "annan"',
        "r.json: kapacitet: found an object, expected a list",
    ]


def test_empty_texts_and_lists(good):
    good["aktor"]["namn"] = ""
    good["insatser"][1]["element_ids"] = []
    assert problems_of(good) == [
        "r.json: aktor.namn: found an empty text, expected a text of at least 1 character",
        "r.json: insatser[1].element_ids: found an empty list, expected at least 1 item",
    ]


def test_long_values_are_shortened_in_the_line(good):
    good["samverkan"][0]["form"] = "x" * 500
    (line,) = problems_of(good)
    assert len(line) < 300 and '"xxxx' in line and "…" in line


def test_bool_is_not_an_integer(good):
    good["ar"] = True
    assert problems_of(good) == ["r.json: ar: found true (true/false), expected an integer"]


# --- files that are not a report at all ------------------------------------------------------

def _load_problems(tmp_path, raw: bytes) -> list[str]:
    path = tmp_path / "x.json"
    path.write_bytes(raw)
    with pytest.raises(ReportFormatError) as info:
        load_report(path)
    assert len(info.value.problems) >= 1
    for line in info.value.problems:
        assert line.startswith(f"{path}: ")
    return [line[len(str(path)) + 2:] for line in info.value.problems]


def test_invalid_json(tmp_path):
    assert _load_problems(tmp_path, b'{"format": "rapportformat/1",\n "ar": 2025,,}') == [
        "not valid JSON at line 2, column 13 (Expecting property name enclosed in double quotes); "
        "expected one JSON object in the format rapportformat/1, encoded as UTF-8"
    ]


def test_not_utf8(tmp_path):
    raw = GOOD.read_text(encoding="utf-8").encode("latin-1")
    offset = raw.index(b"V\xe4sterbotten") + 1
    assert _load_problems(tmp_path, raw) == [
        f"not UTF-8 text (byte 0xe4 at offset {offset}); expected one JSON object in the format "
        "rapportformat/1, encoded as UTF-8"
    ]


def test_top_level_list(tmp_path):
    assert _load_problems(tmp_path, b"[]") == [
        "(top level): found an empty list, expected a JSON object with the fields format, aktor, ar, insatser, "
        "samverkan, larande, kapacitet"
    ]


def test_empty_file_nan_and_repeated_keys(tmp_path):
    assert _load_problems(tmp_path, b"  \n") == [
        "the file is empty; expected one JSON object in the format rapportformat/1, encoded as UTF-8"
    ]
    text = GOOD.read_text(encoding="utf-8")
    assert _load_problems(tmp_path, text.replace('"ar": 2025', '"ar": NaN').encode()) == [
        "not valid JSON (NaN is not a JSON number); expected one JSON object in the format rapportformat/1, "
        "encoded as UTF-8"
    ]
    repeated = text.replace('"ar": 2025', '"ar": 2025, "ar": 2025')
    assert _load_problems(tmp_path, repeated.encode()) == [
        'ar: found the field "ar" more than once in the same object, expected it once'
    ]


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(ReportFormatError) as info:
        load_report(tmp_path / "nope.json")
    assert info.value.problems == [f"{tmp_path / 'nope.json'}: no such file"]


def test_validation_does_not_change_the_report(good):
    before = copy.deepcopy(good)
    validate_report(good, "r.json")
    assert good == before


# --- the command line ---------------------------------------------------------------------

def test_cli_valid_files_and_folders(capsys):
    from helpers.reporting.__main__ import main

    assert main(["validate", str(GOOD), str(SAMPLE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"OK {GOOD}"
    assert len(out) == 85 and all(line.startswith(f"OK {SAMPLE}/20") for line in out[1:])


def test_cli_invalid_file_gives_its_problem_lines_and_exit_1(capsys):
    from helpers.reporting.__main__ import main

    bad = FIXTURES / "blandat" / "2025_boverket.json"
    assert main(["validate", str(FIXTURES / "blandat")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"OK {FIXTURES / 'blandat' / '2024_region_09.json'}",
        f'{bad}: aktor.kontaktperson: found the field "kontaktperson", which is not part of the format '
        "rapportformat/1; expected only the fields aktorsgrupp, namn, lan_kod, organisationsnummer",
        f'{bad}: ar: found "2025" (a text), expected an integer',
        f"OK {FIXTURES / 'blandat' / '2025_vinnova.json'}",
    ]


def test_cli_usage_errors_exit_2(tmp_path, capsys):
    from helpers.reporting.__main__ import main

    assert main(["validate", str(GOOD), str(tmp_path / "saknas.json")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and f"{tmp_path / 'saknas.json'}: no such file or folder" in captured.err
    assert main(["validate", str(tmp_path)]) == 2
    assert "no report files" in capsys.readouterr().err
    for argv in ([], ["validate"], ["check", str(GOOD)]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2


def test_cli_as_a_program_prints_no_traceback(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "x.json"
    bad.write_bytes(b"\x80{")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "helpers.reporting", *args], capture_output=True, text=True,
                              cwd=project_root())

    done = run("validate", str(GOOD))
    assert (done.returncode, done.stdout, done.stderr) == (0, f"OK {GOOD}\n", "")
    done = run("validate", str(GOOD), str(bad))
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.splitlines() == [
        f"OK {GOOD}",
        f"{bad}: not UTF-8 text (byte 0x80 at offset 0); expected one JSON object in the format rapportformat/1, "
        "encoded as UTF-8",
    ]
    done = run("validate", str(tmp_path / "saknas"))
    assert done.returncode == 2 and "no such file or folder" in done.stderr and "Traceback" not in done.stderr
    done = run()
    assert done.returncode == 2 and "usage:" in done.stderr and "Traceback" not in done.stderr


# --- the documentation ----------------------------------------------------------------------

DOC = project_root() / "docs" / "rapportformat.md"


def test_the_documented_example_is_valid():
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1
    validate_report(json.loads(blocks[0]), "docs/rapportformat.md")


def test_the_documentation_names_every_field_and_value_of_the_schema():
    text = DOC.read_text(encoding="utf-8")
    names = set(rs._field_rank())
    for node in _all_nodes(rs.schema()):
        for value in node.get("enum", []):
            if not re.fullmatch(r"\d\d|[A-Z]+[\d.-]*[A-Z\d.]*", value):  # element ids and county codes have tables
                names.add(value)
    missing = sorted(n for n in names if f"`{n}`" not in text)
    assert not missing


def _all_nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _all_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_nodes(value)
