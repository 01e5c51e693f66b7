"""A corpus of malformed inputs, across every kind of input the study reads, each with the
behaviour expected of it. tests/bad_input.md is the catalogue: one row per case id, and
test_catalogue_lists_every_case keeps it and this file in step.

- A file-level problem stops with the module's error class (a ValueError) whose message
  names the file, the row or column, the value found and what was expected; through a
  command line: a non-zero exit and that message, never a traceback.
- A row-level problem in a NYPS export quarantines the row with its row number and reason;
  the good rows are kept and the run goes on.

Most inputs are built in tmp_path by the code here, so that each case shows its bytes; the
NYPS rows live in tests/fixtures/bad_input/nyps_rader.csv, a hand-made export whose row
numbers are those a spreadsheet shows. A case the study does not (yet) handle as it should is
marked xfail(strict=True): the test says how it should behave.

The last test runs the real study: a bad input at each of stages 01, 03, 04 and 05 makes the
run fail and leaves the outputs of the last complete run byte for byte unchanged."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers import params as params_mod
from helpers import quality, runner
from helpers.nyps.intake import intake, reconciliation
from helpers.nyps.read import ExportError, read_export
from helpers.params import ParamError
from helpers.reporting.__main__ import validate_paths
from helpers.reporting.intake import read_reports
from helpers.reporting.schema import ReportFormatError
from helpers.review.__main__ import main as review_main
from helpers.review.forms import FormError, read_form, read_forms, write_form
from helpers.review.ratings import RatingsError, read_consensus, read_ratings
from helpers.review.template import Template, TemplateError, read_template, template
from helpers.text import questions
from helpers.text.__main__ import main as text_main
from helpers.text.documents import DocumentError, intake_corpus

from conftest import ROOT, tree_hashes

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "bad_input"
CATALOGUE = HERE / "bad_input.md"
SAMPLE = ROOT / "data" / "raw" / "sample"
TEMPLATE_CSV = ROOT / "data" / "reference" / "assessment_template.csv"

# A NYPS header and two strategic areas as NYPS spells them.
NYPS_HEADER = "Ärende;Beslutsår;Stödtyp;Län;Strategiskt område;Beviljat belopp"
SO2 = "Kompetensförsörjning och kompetensutveckling i hela landet"
NYPS_ROW = f"20201001;2022;PROJ;Skåne;{SO2};100 000"


def error_of(kind: type[ValueError], call, *args, **kwargs) -> str:
    """The message of the error `call` must raise; the class is the module's own, a ValueError."""
    with pytest.raises(kind) as info:
        call(*args, **kwargs)
    assert isinstance(info.value, ValueError)
    return str(info.value)


def assert_says(message: str, path: Path | str | None, *fragments: str) -> None:
    """The message names the file (when given) and holds every fragment; no traceback."""
    if path is not None:
        assert str(path) in message, message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"
    assert "Traceback" not in message


def _xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _zip_bytes(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buffer.getvalue()


# ====================================================================== NYPS: file level

_UNDECODABLE_PREFIX = f"{NYPS_HEADER}\n{NYPS_ROW}\n".encode("utf-8")

NYPS_FILE_CASES = [
    # id, file name, bytes, message fragments
    ("N01", "tom.csv", b"", ["the file is empty; expected a NYPS2020 export with a header row"]),
    ("N03", "skrap.csv", bytes(range(256)) * 8,
     ["the file contains NUL bytes (UTF-16 without byte-order mark, or not a text file)"]),
    ("N04", "inte_csv.csv", "Hej!\nDetta är ett brev, ingen export.\n".encode("utf-8"),
     ["no header row found in the first 30 rows", "expected headers such as 'Ärende', 'Beslutsår'"]),
    ("N05", "utf16.csv", f"{NYPS_HEADER}\n{NYPS_ROW}\n".encode("utf-16"),
     ["the file is UTF-16 (little-endian) encoded", "Save it again as 'CSV UTF-8'"]),
    ("N06", "utf16_utan_bom.csv", f"{NYPS_HEADER}\n{NYPS_ROW}\n".encode("utf-16-le"),
     ["the file contains NUL bytes (UTF-16 without byte-order mark"]),
    # 0x81 is undefined in Windows-1252 and not valid UTF-8 here.
    ("N07", "okand_kodning.csv", _UNDECODABLE_PREFIX + b"\x81\n",
     ["the file is neither UTF-8 nor Windows-1252 (byte 0x81 at offset",
      f"at offset {len(_UNDECODABLE_PREFIX)})"]),
    ("N08", "utan_belopp.csv", f"Ärende;Beslutsår;Län;Strategiskt område\n1;2022;Skåne;{SO2}\n".encode("utf-8"),
     ["required column 'beviljat_belopp' (e.g. header 'Beviljat belopp') not found",
      "headers found: 'Ärende', 'Beslutsår', 'Län', 'Strategiskt område'"]),
    ("N09", "lan_tva_ganger.csv", "Ärende;Beslutsår;Län;Län;Strategiskt område;Beviljat belopp\n".encode("utf-8"),
     ["columns 'Län' and 'Län' both mean 'lan'; an export must have only one of them"]),
    ("N10", "belopp_tva_ganger.csv",
     "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp;Beviljat belopp (kr)\n".encode("utf-8"),
     ["columns 'Beviljat belopp' and 'Beviljat belopp (kr)' both mean 'beviljat_belopp'"]),
    ("N11", "inte_zip.xlsx", b"Detta ser ut som en arbetsbok men \xe4r det inte.",
     ["not a readable .xlsx workbook (BadZipFile"]),
    ("N12", "zip_men_inte_arbetsbok.xlsx", _zip_bytes({"hej.txt": "hej"}),
     ["not a readable .xlsx workbook (KeyError"]),
    ("N13", "utan_rubrikrad.xlsx",
     _xlsx_bytes({"Data": [["a", "b", "c"], [1, 2, 3]], "Anteckningar": [["Exporten kommer senare"]]}),
     ["no header row found in the first 30 rows of any sheet (Data, Anteckningar)"]),
    ("N14", "export.xls", b"\xd0\xcf\x11\xe0 old Excel",
     ["unsupported file type '.xls' (save it as .xlsx)"]),
    # An .xlsx saved under a .csv name: binary, so not a text export.
    ("N15", "arbetsbok.csv", _xlsx_bytes({"Blad1": [["Ärende", "Beslutsår", "Län"]]}),
     ["the file contains NUL bytes"]),
]


@pytest.mark.parametrize("case, name, data, fragments", NYPS_FILE_CASES, ids=[c[0] for c in NYPS_FILE_CASES])
def test_nyps_file_level_problem_stops_with_the_file_and_what_was_expected(tmp_path, case, name, data, fragments):
    path = tmp_path / name
    path.write_bytes(data)
    assert_says(error_of(ExportError, intake, path, 2014, 2026), path, *fragments)


def test_nyps_missing_file_is_named(tmp_path):  # "N16"
    path = tmp_path / "finns_inte.csv"
    assert_says(error_of(ExportError, read_export, path), path, "file not found")


@pytest.fixture(scope="module")
def header_only_check(tmp_path_factory):
    """A NYPS export with a header and no data rows, read and put through its suite once."""
    folder = tmp_path_factory.mktemp("header_only")
    path = folder / "bara_rubriker.csv"
    path.write_text(NYPS_HEADER + "\n", encoding="utf-8")
    raw = read_export(path)
    with pytest.raises(quality.QualityError) as info:
        quality.validate(raw.frame, "nyps_export", folder / "outputs")
    return raw, str(info.value)


def test_nyps_header_only_is_read_and_stopped_by_the_export_suite(header_only_check):  # "N02"
    """Reading accepts it (tidying an empty export gives empty typed tables, by design); the
    stage then stops at the suite nyps_export, which wants at least one data row."""
    raw, message = header_only_check
    assert len(raw.frame) == 0 and raw.header_row == 1
    assert_says(message, None, "data-quality suite 'nyps_export' failed: 1 of",
                "expect_table_row_count_to_be_between on table: observed 0")


def test_nyps_header_only_stop_says_what_was_expected(header_only_check):  # "N02b"
    _, message = header_only_check
    assert re.search(r"min_value\W+1|minst en datarad|at least 1", message), message


def test_nyps_unterminated_quote_in_the_last_line_names_its_row(tmp_path):  # "N17"
    # Preamble rows 1-2, header row 3, data rows 4 and 5; row 6 opens a quote that never closes.
    path = tmp_path / "avklippt_citat.csv"
    path.write_text("SYNTETISKA EXEMPELDATA\n\n" + NYPS_HEADER + "\n" + NYPS_ROW + "\n" + NYPS_ROW + "\n"
                    + f'20201003;2022;PROJ;Skåne;"{SO2}', encoding="utf-8")
    assert_says(error_of(ExportError, read_export, path), path, "row 6")


# ======================================================================= NYPS: row level

ROWS = FIXTURES / "nyps_rader.csv"
# Spreadsheet row -> reason, worked out by hand from nyps_rader.csv (rows 1-2 preamble, 3 header).
QUARANTINED = {
    5: "beviljat belopp är inget tal: 'tolv'",
    6: "beslutsår 1999 utanför 2014–2026",
    7: "okänt län: 'Atlantis'",
    8: "negativt beviljat belopp: '-500'",
    10: "beslutsår är inget år: 'tjugotjugotre'",
    11: "fler fält än rubrikraden (8 fält): avgränsare i ett värde utan citattecken?",
    13: "okänt län: 'Skå'; beviljat belopp saknas",
}
NYPS_ROW_CASES = [("N18", 5), ("N19", 6), ("N20", 7), ("N21", 8), ("N22", 10), ("N23", 11), ("N24", 13)]


@pytest.fixture(scope="module")
def rows_result():
    return intake(ROWS, 2014, 2026)


@pytest.mark.parametrize("case, rad", NYPS_ROW_CASES, ids=[c[0] for c in NYPS_ROW_CASES])
def test_nyps_bad_row_is_quarantined_with_its_row_number_and_reason(rows_result, case, rad):
    quarantine = rows_result.quarantine.set_index("rad")
    assert quarantine.loc[rad, "orsak"] == QUARANTINED[rad]
    assert rad not in set(rows_result.projects["kalla_rad"])


def test_nyps_good_rows_are_kept_and_rows_and_amounts_add_up(rows_result):
    projects, quarantine = rows_result.projects, rows_result.quarantine
    assert projects["kalla_rad"].tolist() == [4, 9, 12]
    assert projects["arende"].tolist() == ["20201001", "20201006", "20201009"]
    assert projects["beviljat_belopp"].tolist() == [100000.0, 400000.0, 60000.0]
    assert sorted(quarantine["rad"]) == sorted(QUARANTINED)
    rec = reconciliation(rows_result).iloc[0]
    # Rows 4-13 are data; parseable granted amounts: 100 000 + 250 000 + 300 000 - 500 + 400 000
    # + 10 000 + 75 000 + 60 000 = 1 194 500, of which 560 000 accepted.
    assert (rec["rader_in"], rec["rader_godkanda"], rec["rader_karantan"], rec["rader_diff"]) == (10, 3, 7, 0)
    assert (rec["belopp_in"], rec["belopp_godkanda"], rec["belopp_karantan"]) == (1194500.0, 560000.0, 634500.0)
    assert rec["belopp_diff"] == 0.0


def test_nyps_bad_row_in_an_xlsx_is_quarantined_with_the_sheet_row(tmp_path):  # "N25"
    path = tmp_path / "export.xlsx"
    header = ["Ärende", "Beslutsår", "Län", "Strategiskt område", "Beviljat belopp"]
    path.write_bytes(_xlsx_bytes({"Export": [
        ["SYNTETISKA EXEMPELDATA"], header,
        ["20201001", 2022, "Skåne", SO2, 100000],  # row 3
        ["20201002", 2022, "Skåne", SO2, "tolv"],  # row 4
        ["20201003", 2023, "12", SO2, 5000.5],     # row 5
    ]}))
    result = intake(path, 2014, 2026)
    assert result.quarantine[["rad", "orsak"]].values.tolist() == [[4, "beviljat belopp är inget tal: 'tolv'"]]
    assert result.projects["kalla_rad"].tolist() == [3, 5]
    assert result.projects["lan_kod"].tolist() == ["12", "12"]


def test_nyps_amount_too_large_for_a_number_is_quarantined(tmp_path):  # "N26"
    path = tmp_path / "jattebelopp.csv"
    path.write_text(f"{NYPS_HEADER}\n{NYPS_ROW}\n20201002;2022;PROJ;Skåne;{SO2};1{'0' * 400}\n", encoding="utf-8")
    result = intake(path, 2014, 2026)
    assert result.projects["kalla_rad"].tolist() == [2]
    assert result.quarantine["rad"].tolist() == [3]
    assert result.quarantine["orsak"].iloc[0].startswith("beviljat belopp är inget tal")


# ================================================================ manifests and documents

TEXT = ("SYNTETISKT EXEMPEL\n\nRegionen arbetar med kompetensförsörjning och samverkan i hela länet, "
        "tillsammans med kommunerna och näringslivet.\n")
HEADER = "dokument_id,aktorsgrupp,aktor,dokumenttyp,ar,fil\n"
ROW_12 = "rus-12,region,12,rus,2021,rus_12.txt\n"


def _image_only_pdf() -> bytes:
    """Two pages that hold only an image: a scan without a text layer."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("RGB", (40, 40), "gray"), x=20, y=20, w=150)
    return bytes(pdf.output())


def _utf16(text: str) -> bytes:
    return text.encode("utf-16")


MANIFEST_CASES = [
    # id, manifest text, files (relative path -> text or bytes), fragments (paths named by the test)
    ("D01", "dokument_id,aktorsgrupp,aktor,dokumenttyp,fil\nrus-12,region,12,rus,rus_12.txt\n", {"rus_12.txt": TEXT},
     ["required column(s) 'ar' not found in the header (row 1, separator ',')",
      "found: 'dokument_id', 'aktorsgrupp', 'aktor', 'dokumenttyp', 'fil'"]),
    ("D02", HEADER + ROW_12 + "rus-13,region,13,rus,2021,rus_13.txt\n", {"rus_12.txt": TEXT},
     ["1 problem(s) in the manifest: row 3: file 'rus_13.txt' not found in"]),
    ("D03", HEADER + ROW_12, {"rus_12.txt": TEXT, "bilagor/extra.pdf": b"%PDF-1.4"},
     ["file 'bilagor/extra.pdf' is in the manifest's folder but on no row; add a row for it or move it out"]),
    ("D04", HEADER + ROW_12 + "rus-12,region,13,rus,2021,rus_13.txt\n", {"rus_12.txt": TEXT, "rus_13.txt": TEXT},
     ["row 3: dokument_id 'rus-12' is already used on row 2"]),
    ("D05", HEADER + "rus-12,kommun,12,rus,2021,rus_12.txt\n", {"rus_12.txt": TEXT},
     ["row 2: aktorsgrupp 'kommun' is not one of region, statlig_myndighet, tillvaxtverket"]),
    ("D06", HEADER + "rus-12,region,12,rus,tjugo,rus_12.txt\n", {"rus_12.txt": TEXT},
     ["row 2: ar 'tjugo' is not a year (1990-2100, four digits)"]),
    ("D07", HEADER + "rus-12,region,12,rus,2021,rus_12.rtf\n", {"rus_12.rtf": TEXT},
     ["row 2: fil 'rus_12.rtf' has an unsupported file type; expected one of .pdf, .docx, .txt, .md"]),
    ("D08", HEADER + "rus-99,region,Atlantis,rus,2021,rus_12.txt\n", {"rus_12.txt": TEXT},
     ["row 2: aktor 'Atlantis' is not a county code for a region (one of 01, 03"]),
    ("D09", HEADER + "rus-12,region,12,rus,2021,../rus_12.txt\n", {"rus_12.txt": TEXT},
     ["row 2: fil '../rus_12.txt' must be a path relative to the manifest's folder"]),
    ("D10", "", {}, ["the manifest is empty; expected a header row with dokument_id, aktorsgrupp, aktor"]),
    ("D11", HEADER, {}, ["the manifest has no rows below its header"]),
    # Documents that cannot be read: the manifest, its row and the document are named.
    ("D12", HEADER + "rus-12,region,12,rus,2021,rus_12.pdf\n", {"rus_12.pdf": _image_only_pdf},
     ["1 document(s) cannot be read: row 2 (rus-12):", "rus_12.pdf: no text layer (none of its 2 pages",
      "run OCR first"]),
    ("D13", HEADER + "rus-12,region,12,rus,2021,rus_12.pdf\n", {"rus_12.pdf": b"%PDF-1.4\n1 0 obj trasig\n%%EOF"},
     ["1 document(s) cannot be read: row 2 (rus-12):", "rus_12.pdf: not a readable PDF"]),
    ("D14", HEADER + "rus-12,region,12,rus,2021,rus_12.docx\n", {"rus_12.docx": "inte en zip-fil"},
     ["1 document(s) cannot be read: row 2 (rus-12):", "rus_12.docx: not a readable .docx document"]),
    ("D15", HEADER + ROW_12, {"rus_12.txt": lambda: _utf16(TEXT)},
     ["rus_12.txt: the text is in UTF-16 or another wide encoding; save it as UTF-8"]),
    ("D16", HEADER + "rus-12,region,12,rus,2021,rus_12.md\n", {"rus_12.md": "# Regional utvecklingsstrategi\n\n## Innehåll\n"},
     ["rus_12.md: no paragraphs of text found"]),
]


@pytest.mark.parametrize("case, manifest, files, fragments", MANIFEST_CASES, ids=[c[0] for c in MANIFEST_CASES])
def test_manifest_or_document_problem_stops_with_the_manifest_row_and_file(tmp_path, case, manifest, files, fragments):
    folder = tmp_path / "korpus"
    folder.mkdir()
    for rel, content in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        content = content() if callable(content) else content
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    path = folder / "manifest.csv"
    path.write_text(manifest, encoding="utf-8")
    assert_says(error_of(DocumentError, intake_corpus, path), path, *fragments)


def test_text_code_command_reports_an_unreadable_file_and_exits_2(tmp_path, capsys):  # "D17"
    bad = tmp_path / "trasig.pdf"
    bad.write_bytes(b"%PDF-1.4 trasig")
    assert text_main(["code", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert_says(err, bad, f"error: {bad}: cannot read: DocumentError", "not a readable PDF")
    assert out == ""  # no JSON line for a file that could not be read


# ============================================================= ratings and the consensus sheet

RATINGS_HEADER = "lan_kod,fraga_id,bedomare,varde,kommentar\n"

RATINGS_CASES = [
    # id, file bytes, fragments
    ("R01", RATINGS_HEADER + "01,A2,E1,2,\n01,Z9,E1,1,\n",
     ["row 3, column fraga_id: 'Z9' is not a question of the assessment template; expected one of its 34 question ids A1–D12"]),
    ("R02", RATINGS_HEADER + "01,A2,E1,2,\n01,A3,E1,3,\n",
     ["row 3, column varde: '3' is not on the scale of question A3; expected one of 0, 1, 2 or empty"]),
    ("R03", RATINGS_HEADER + "01,A2,E1,2,\n02,A2,E1,1,\n",
     ["row 3, column lan_kod: '02' is not one of the 21 counties"]),
    ("R04", RATINGS_HEADER + "01,A2,E1,2,\n01,A3,E1,1,\n1,A2,E1,1,\n",
     ["row 4: duplicate rating (lan_kod 01, fraga_id A2, bedomare E1) — the same as row 2; "
      "expected one rating per county, question and expert"]),
    ("R05", "lan_kod,fraga_id,bedomare,kommentar\n01,A2,E1,\n",
     ["row 1: missing column(s) varde (separator ',', found lan_kod, fraga_id, bedomare, kommentar)"]),
    ("R07", RATINGS_HEADER + "01,A1,E1,2030-2021,\n",
     ["row 2, column varde: '2030-2021' is not on the scale of question A1; expected a period YYYY-YYYY"]),
    ("R08", RATINGS_HEADER + "01,A2,E1,2,bra underlag, men tunt\n",
     ["row 2: 6 fields, expected 5 as in the header (separator ','; a comment holding ',' must be quoted)"]),
    ("R09", RATINGS_HEADER + "01,A2,,2,\n",
     ["row 2, column bedomare: the expert id is empty; expected an id such as 'E1'"]),
    ("R10", "", ["the file is empty; expected a header row and one row per rating"]),
]


@pytest.mark.parametrize("case, text, fragments", RATINGS_CASES, ids=[c[0] for c in RATINGS_CASES])
def test_ratings_problem_stops_with_file_row_column_and_value(tmp_path, case, text, fragments):
    path = tmp_path / "bedomningar.csv"
    path.write_text(text, encoding="utf-8")
    assert_says(error_of(RatingsError, read_ratings, path, template()), path, *fragments)


def test_ratings_in_windows_1252_stop_with_the_byte_and_the_encoding_expected(tmp_path):  # "R06"
    data = (RATINGS_HEADER + "01,A2,E1,2,Bra underlag för Västerås\n").encode("cp1252")
    path = tmp_path / "bedomningar.csv"
    path.write_bytes(data)
    where = data.index(b"\xf6")  # the first 'ö'
    assert_says(error_of(RatingsError, read_ratings, path, template()), path,
                f"not UTF-8 text (byte 0xf6 at position {where})", "save the file as 'CSV UTF-8'")


def test_consensus_value_off_the_scale_is_named(tmp_path):  # "C01"
    path = tmp_path / "konsensus.csv"
    path.write_text("lan_kod,fraga_id,varde,kommentar\n09,A2,2,\n09,A3,5,\n", encoding="utf-8")
    assert_says(error_of(RatingsError, read_consensus, path, template()), path,
                "row 3, column varde: '5' is not on the scale of question A3; expected one of 0, 1, 2 or empty")


def test_ratings_file_given_as_consensus_sheet_is_refused(tmp_path):  # "C02"
    path = tmp_path / "konsensus.csv"
    path.write_text(RATINGS_HEADER + "09,A2,E1,2,\n", encoding="utf-8")
    assert_says(error_of(RatingsError, read_consensus, path, template()), path,
                "row 1: unexpected column(s) 'bedomare'; expected exactly lan_kod, fraga_id, varde, kommentar")


# ========================================================================== rating forms

SHEET = "Bedömning"


@pytest.fixture(scope="module")
def blank_form(tmp_path_factory):
    return write_form(tmp_path_factory.mktemp("form") / "bedomningsformular_E1.xlsx", "E1", template())


def _edited(form: Path, target: Path, edit) -> Path:
    wb = openpyxl.load_workbook(form)
    edit(wb[SHEET])
    wb.save(target)
    return target


def test_form_made_for_another_template_is_refused(tmp_path):  # "F01"
    other = Template(template().questions[:-1], "en_annan_mall.csv")
    path = write_form(tmp_path / "bedomningsformular_E2.xlsx", "E2", other)
    assert_says(error_of(FormError, read_form, path, template()), path,
                "the form was made for another assessment template (questions missing in the form: D12; "
                "questions not in the template: none)")


def test_form_with_a_deleted_row_is_refused(blank_form, tmp_path):  # "F02"
    # Header on row 4; rows 5, 6, ... hold county 01's questions A1, A2, ...: row 10 is 01/A6.
    path = _edited(blank_form, tmp_path / "raderad_rad.xlsx", lambda ws: ws.delete_rows(10))
    assert_says(error_of(FormError, read_form, path, template()), path,
                "sheet Bedömning: 1 county x question row(s) missing (Länskod/Fråga (id) 01/A6)",
                "rows must not be deleted")


def test_plain_workbook_is_not_a_form(tmp_path):  # "F03"
    path = tmp_path / "vanlig.xlsx"
    path.write_bytes(_xlsx_bytes({"Blad1": [["Län", "Bedömning"], ["01", 2]]}))
    assert_says(error_of(FormError, read_form, path, template()), path,
                "not a rating form made by write_form (hidden sheet '_formular' is missing; sheets: Blad1)")


def test_form_that_is_not_a_workbook_is_refused(tmp_path):  # "F04"
    path = tmp_path / "formular.xlsx"
    path.write_bytes(b"inte en arbetsbok")
    assert_says(error_of(FormError, read_form, path, template()), path,
                "cannot be read as an Excel workbook (File is not a zip file); expected a rating form (.xlsx)")


def test_form_value_off_the_scale_names_sheet_row_and_value(blank_form, tmp_path):  # "F05"
    # Row 6 is 01/A2; column 8 is Bedömning.
    path = _edited(blank_form, tmp_path / "utanfor_skalan.xlsx", lambda ws: setattr(ws.cell(6, 8), "value", "7"))
    assert_says(error_of(FormError, read_form, path, template()), path,
                "sheet Bedömning, row 6, column varde: '7' is not on the scale of question A2")


def test_two_forms_for_one_expert_are_refused(blank_form, tmp_path):  # "F06"
    copy = tmp_path / "kopia.xlsx"
    copy.write_bytes(blank_form.read_bytes())
    message = error_of(FormError, read_forms, [blank_form, copy], template())
    assert_says(message, copy, f"expert 'E1' also has the form {blank_form}", "expected one form per expert")


def test_collect_command_exits_1_with_the_message_and_writes_nothing(blank_form, tmp_path, capsys):  # "F07"
    form = _edited(blank_form, tmp_path / "raderad_rad.xlsx", lambda ws: ws.delete_rows(10))
    out = tmp_path / "bedomningar.csv"
    assert review_main(["collect", str(form), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert_says(err, form, "error: ", "rows must not be deleted")
    assert not out.exists()


def test_text_review_workbook_that_is_a_plain_workbook_is_refused(tmp_path):  # "X01"
    path = tmp_path / "granskning.xlsx"
    path.write_bytes(_xlsx_bytes({"Blad1": [["Dokument", "Svar"]]}))
    answers = pd.DataFrame(columns=list(questions.ANSWER_COLUMNS))
    assert_says(error_of(questions.QuestionError, questions.read_review_workbook, path, answers), path,
                "sheet 'granskning' is missing (sheets: Blad1)")


# ================================================================ the reporting format

def _report() -> dict:
    return json.loads((SAMPLE / "rapportformat" / "2024_boverket.json").read_text(encoding="utf-8"))


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "rapporter"
    folder.mkdir()
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def test_report_that_is_not_valid_json_is_named_with_line_and_column(tmp_path):  # "P01"
    folder = _folder(tmp_path, {"2024_boverket.json": '{\n  "format": "rapportformat/1",\n  "aktor": {\n'})
    # The text ends inside the object opened on line 3: the parser wants a field name on line 4.
    assert_says(error_of(ReportFormatError, read_reports, folder), folder / "2024_boverket.json",
                "not valid JSON at line 4, column 1 (Expecting property name enclosed in double quotes)",
                "expected one JSON object in the format rapportformat/1")


def test_report_with_an_unknown_element_id_is_named_with_the_field_path(tmp_path):  # "P02"
    report = _report()
    report["insatser"][0]["element_ids"][0] = "SO9"
    folder = _folder(tmp_path, {"2024_boverket.json": json.dumps(report, ensure_ascii=False)})
    assert_says(error_of(ReportFormatError, read_reports, folder), folder / "2024_boverket.json",
                'insatser[0].element_ids[0]: found "SO9", expected an element id of the strategy framework (MAL,')


def test_report_with_a_personal_field_is_refused_without_repeating_it(tmp_path):  # "P03"
    report = _report()
    report["aktor"]["kontaktperson"] = "Anna Andersson"
    folder = _folder(tmp_path, {"2024_boverket.json": json.dumps(report, ensure_ascii=False)})
    message = error_of(ReportFormatError, read_reports, folder)
    assert_says(message, folder / "2024_boverket.json",
                'aktor.kontaktperson: found the field "kontaktperson", which is not part of the format rapportformat/1')
    assert "Anna" not in message


def test_two_reports_for_one_actor_and_year_are_refused(tmp_path):  # "P04"
    text = json.dumps(_report(), ensure_ascii=False)
    folder = _folder(tmp_path, {"2024_boverket.json": text, "boverket_kopia.json": text})
    assert_says(error_of(ReportFormatError, read_reports, folder), None,
                f"{folder / '2024_boverket.json'} and {folder / 'boverket_kopia.json'}: 2 reports for the same actor "
                "and year (Boverket, 2024; rapport_id 2024_boverket), expected one")


def test_folder_without_reports_is_refused(tmp_path):  # "P05"
    folder = _folder(tmp_path, {"LASMIG.txt": "Rapporterna kommer i mars."})
    assert_says(error_of(ReportFormatError, read_reports, folder), folder,
                "no report files (*.json), expected at least one")


def test_report_in_windows_1252_is_refused_with_the_byte(tmp_path):  # "P06"
    data = json.dumps(_report(), ensure_ascii=False).encode("cp1252")
    folder = _folder(tmp_path, {"2024_boverket.json": data})
    where = next(i for i, b in enumerate(data) if b >= 0x80)
    assert_says(error_of(ReportFormatError, read_reports, folder), folder / "2024_boverket.json",
                f"not UTF-8 text (byte 0x{data[where]:02x} at offset {where})")


def test_report_file_with_an_upper_case_suffix_is_read_or_named(tmp_path):  # "P07"
    other = json.loads((SAMPLE / "rapportformat" / "2024_arbetsformedlingen.json").read_text(encoding="utf-8"))
    folder = _folder(tmp_path, {"2024_boverket.json": json.dumps(_report(), ensure_ascii=False),
                                "2024_ARBETSFORMEDLINGEN.JSON": json.dumps(other, ensure_ascii=False)})
    try:
        tables = read_reports(folder)
    except ReportFormatError as exc:
        assert "2024_ARBETSFORMEDLINGEN.JSON" in str(exc)
    else:
        assert sorted(tables.rapporter["rapport_id"]) == ["2024_arbetsformedlingen", "2024_boverket"]


def test_validate_command_prints_the_problem_and_exits_1(tmp_path):  # "P08"
    report = _report()
    report["ar"] = "2024"
    folder = _folder(tmp_path, {"2024_boverket.json": json.dumps(report, ensure_ascii=False)})
    out, err = io.StringIO(), io.StringIO()
    assert validate_paths([str(folder)], out, err) == 1
    assert_says(out.getvalue(), folder / "2024_boverket.json", 'ar: found "2024" (a text), expected an integer')
    assert err.getvalue() == ""


# ================================================================ the assessment template

def _template_lines() -> list[str]:
    return TEMPLATE_CSV.read_text(encoding="utf-8").splitlines()


SCALE = "0=Nej / saknas;1=Delvis;2=Ja, tydligt"


def test_template_with_a_question_id_twice_is_refused(tmp_path):  # "T01"
    lines = _template_lines()
    path = tmp_path / "mall.csv"
    path.write_text("\n".join([lines[0], lines[1], lines[2], lines[2]]) + "\n", encoding="utf-8")
    assert_says(error_of(TemplateError, read_template, path), path, "row 4: fraga_id A2 appears twice")


@pytest.mark.parametrize("case, scale, fragment", [
    ("T02", "2=Ja;1=Delvis;0=Nej", "skala '2=Ja;1=Delvis;0=Nej' needs at least two distinct values written low to high"),
    ("T03", "låg;hög", "skala 'låg;hög' is not 'period' nor 'value=label;value=label;...' with integer values"),
], ids=["T02", "T03"])
def test_template_with_a_bad_scale_is_refused(tmp_path, case, scale, fragment):
    lines = _template_lines()
    assert SCALE in lines[2]
    path = tmp_path / "mall.csv"
    path.write_text("\n".join([lines[0], lines[1], lines[2].replace(SCALE, scale)]) + "\n", encoding="utf-8")
    assert_says(error_of(TemplateError, read_template, path), path, "row 3: " + fragment)


def test_template_with_an_unknown_element_is_refused(tmp_path):  # "T04"
    lines = _template_lines()
    row = next(line for line in lines if ",SO1," in line)
    path = tmp_path / "mall.csv"
    path.write_text("\n".join([lines[0], row.replace(",SO1,", ",SO9,")]) + "\n", encoding="utf-8")
    assert_says(error_of(TemplateError, read_template, path), path,
                "row 2: element_id 'SO9' is not in the strategy framework")


def test_template_saved_with_a_byte_order_mark_is_read(tmp_path):  # "T05"
    path = tmp_path / "mall.csv"
    path.write_bytes(b"\xef\xbb\xbf" + TEMPLATE_CSV.read_bytes())
    assert read_template(path).ids == template().ids


def test_template_in_windows_1252_is_refused_with_the_file(tmp_path):  # "T06"
    path = tmp_path / "mall.csv"
    path.write_bytes(TEMPLATE_CSV.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    assert_says(error_of(TemplateError, read_template, path), path, "UTF-8")


# ========================================================================== parameters

PARAM_OVERRIDE_CASES = [
    ("Q01", ["year_from=2025", "year_to=2022"], "parameter 'year_from' (2025) must not be after 'year_to' (2022)"),
    ("Q02", ["year_from=tjugo"], "parameter 'year_from' must be a whole number from 2000 to 2100, got 'tjugo'"),
    ("Q03", ["year_to=2024.5"], "parameter 'year_to' must be a whole number from 2000 to 2100, got 2024.5"),
    ("Q04", ["nyps_sokvag=x.csv"], "unknown parameter 'nyps_sokvag' in override; known: nyps_path,"),
    ("Q05", ["nyps_path=data/raw/finns_inte.csv"],
     "parameter 'nyps_path': file data/raw/finns_inte.csv does not exist (NYPS2020 project export)"),
    ("Q06", ["support_types=PROJ,XYZ"],
     "parameter 'support_types' must be a non-empty list of distinct values from PROJ, FTG, KS, got ['PROJ', 'XYZ']"),
    ("Q07", ["bootstrap_samples=tusen"], "parameter 'bootstrap_samples' must be a whole number from 100 to 100000, got 'tusen'"),
    ("Q08", ["amount_basis=netto"], "parameter 'amount_basis' must be one of beviljat, utbetalt, got 'netto'"),
    ("Q09", ["output_dir=data/raw/utdata"], "parameter 'output_dir' must not be the project root or lie under data/raw"),
    ("Q10", ["nyps_path=data/raw/sample/nyps_export.xls"],
     "parameter 'nyps_path' must be the path of an existing file (.csv, .txt, .xlsx), got 'data/raw/sample/nyps_export.xls'"),
    ("Q11", ["structured_reports_dir=data/raw/saknas"], "parameter 'structured_reports_dir': folder data/raw/saknas does not exist"),
]


@pytest.mark.parametrize("case, overrides, fragment", PARAM_OVERRIDE_CASES, ids=[c[0] for c in PARAM_OVERRIDE_CASES])
def test_bad_parameter_override_stops_before_any_notebook(case, overrides, fragment):
    assert_says(error_of(ParamError, params_mod.load, None, overrides), None, fragment)


def _params_file(tmp_path: Path, edit) -> Path:
    lines = (ROOT / "params.yaml").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "params.yaml"
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return path


def _replace(lines: list[str], name: str, new: str | None) -> list[str]:
    """params.yaml's lines with the line of parameter `name` replaced by `new` (None: removed)."""
    at = [i for i, line in enumerate(lines) if line.startswith(f"{name}:")]
    assert len(at) == 1, name
    return lines[:at[0]] + ([new] if new is not None else []) + lines[at[0] + 1:]


PARAM_FILE_CASES = [
    ("Q12", lambda lines: _replace(lines, "bootstrap_samples", 'bootstrap_samples: "1000"'),
     "parameter 'bootstrap_samples' must be a whole number from 100 to 100000, got '1000'"),
    ("Q13", lambda lines: [*lines, "nyps_sokvag: data/raw/export.csv"], "unknown parameter(s) nyps_sokvag; known: nyps_path,"),
    ("Q14", lambda lines: _replace(lines, "cell_timeout", None), "parameter(s) missing: cell_timeout"),
    ("Q15", lambda lines: _replace(lines, "support_types", "support_types: [PROJ, FTG"), "is not valid YAML"),
]


@pytest.mark.parametrize("case, edit, fragment", PARAM_FILE_CASES, ids=[c[0] for c in PARAM_FILE_CASES])
def test_bad_parameters_file_stops_before_any_notebook(tmp_path, case, edit, fragment):
    path = _params_file(tmp_path, edit)
    message = error_of(ParamError, params_mod.load, path)
    assert_says(message, path if case == "Q15" else None, fragment)


def test_study_command_with_bad_parameters_exits_2_without_traceback():  # "Q16"
    done = subprocess.run([sys.executable, "-m", "helpers.study", "params", "-p", "year_from=2025", "-p", "year_to=2022"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == "error: parameter 'year_from' (2025) must not be after 'year_to' (2022)\n"
    assert done.stdout == ""


# ========================================================================== the catalogue

def test_catalogue_lists_every_case_and_its_fragment_is_asserted_here():
    """Every case id in this file has a row in tests/bad_input.md and the other way round; the
    message fragment a row shows is asserted by this file."""
    source = Path(__file__).read_text(encoding="utf-8")
    in_tests = set(re.findall(r'"([NDRCFXPTQE]\d{2}b?)"', source))
    rows = [line for line in CATALOGUE.read_text(encoding="utf-8").splitlines() if re.match(r"\|\s*[A-Z]\d{2}", line)]
    catalogue = {}
    for line in rows:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 5, line
        catalogue[cells[0]] = cells[4]
    assert in_tests == set(catalogue), (sorted(in_tests - set(catalogue)), sorted(set(catalogue) - in_tests))
    assert len(catalogue) >= 25
    for case, fragment in catalogue.items():
        for quoted in re.findall(r"`([^`]+)`", fragment):
            assert quoted in source, f"{case}: fragment {quoted!r} is not asserted in {Path(__file__).name}"


# ===================================================== the real study, failing at stages 01, 03, 04, 05

def _bad_inputs(folder: Path) -> list[tuple[str, str, Path, list[str]]]:
    """(case, parameter, bad path, what the run's messages must say) for stages 01, 03, 04 and 05."""
    nyps = folder / "nyps_utf16.csv"
    nyps.write_bytes(f"{NYPS_HEADER}\n{NYPS_ROW}\n".encode("utf-16"))

    corpus = folder / "korpus"
    corpus.mkdir()
    (corpus / "rus_12.pdf").write_bytes(b"%PDF-1.4\n1 0 obj trasig\n%%EOF")
    manifest = corpus / "manifest.csv"
    manifest.write_text(HEADER + "rus-12,region,12,rus,2021,rus_12.pdf\n", encoding="utf-8")

    lines = (SAMPLE / "rus_bedomningar.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("01,A2,E1,"))
    lines[index] = "01,A2,E1,3,\n"
    ratings = folder / "bedomningar.csv"
    ratings.write_text("".join(lines), encoding="utf-8")

    reports = folder / "rapporter"
    reports.mkdir()
    (reports / "2024_boverket.json").write_text('{"format": "rapportformat/1", "aktor": {', encoding="utf-8")

    return [
        ("E01", "nyps_path", nyps, ["stage 01 data_intake failed", f"ExportError: {nyps}: the file is UTF-16"]),
        ("E02", "corpus_manifest", manifest,
         ["stage 03 text_analysis failed", f"DocumentError: {manifest}: 1 document(s) cannot be read: row 2 (rus-12)",
          f"{corpus / 'rus_12.pdf'}: not a readable PDF"]),
        ("E03", "ratings_path", ratings,
         ["stage 04 rus_review failed",
          f"RatingsError: {ratings}, row {index + 1}, column varde: '3' is not on the scale of question A2"]),
        ("E04", "structured_reports_dir", reports,
         ["stage 05 conclusions failed", f"ReportFormatError: {reports / '2024_boverket.json'}: not valid JSON at line 1"]),
    ]


@pytest.mark.study
def test_a_bad_input_at_stages_01_03_04_05_fails_the_run_and_leaves_the_last_outputs_unchanged(study_run, tmp_path):
    assert study_run["code"] == 0, "\n".join(study_run["messages"])
    out, processed = study_run["outputs"], study_run["processed"]

    def snapshot() -> dict[str, str]:
        return {**{"outputs/" + k: v for k, v in tree_hashes(out).items()},
                **{"processed/" + k: v for k, v in tree_hashes(processed).items()}}

    before = snapshot()
    for case, name, path, expected in _bad_inputs(tmp_path):
        messages: list[str] = []
        code = runner.run(overrides=[*study_run["overrides"], f"{name}={path}"], say=messages.append)
        text = "\n".join(messages)
        assert code == 1, f"{case}: {text}"
        assert_says(text, None, *expected, "The outputs of the last complete run are unchanged.")
        assert snapshot() == before, case
