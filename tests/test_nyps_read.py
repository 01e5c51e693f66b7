"""Reading NYPS2020 exports: formats, header detection, row numbers, privacy, file errors.

The fixtures in tests/fixtures/nyps/ are hand-written; every expected value below was
worked out by hand from them."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from helpers.nyps.read import ExportError, RawExport, canonical_for, read_export

FIXTURES = Path(__file__).parent / "fixtures" / "nyps"
DIVER = FIXTURES / "diver_utf8_semikolon.csv"
OPENDATA = FIXTURES / "opendata_bom_komma.csv"
CP1252 = FIXTURES / "diver_cp1252_tab.csv"

PERSONAL_HEADERS = {"Kontaktperson", "E-post", "Telefon", "Personnummer", "Handläggare", "Stödmottagare"}


def _values(raw: RawExport) -> set[str]:
    return {str(v) for col in raw.frame.columns for v in raw.frame[col]}


# ------------------------------------------------------------------------- CSV formats


def test_utf8_semicolon_diver_export_with_preamble():
    raw = read_export(DIVER)
    assert raw.file_format == "csv"
    assert raw.encoding == "utf-8"
    assert raw.delimiter == ";"
    assert raw.header_row == 3
    assert raw.synthetic is True
    assert raw.blank_rows == 1
    # Row 6 holds a quoted two-line project name: one spreadsheet row; row 7 is blank.
    assert raw.frame["rad"].tolist() == [4, 5, 6, 8, 9, 10, 11]
    assert raw.frame["rad"].dtype == "int64"
    assert raw.headers == {
        "arende": "Ärende", "beslut_ar": "Beslutsår", "stodtyp": "Stödtyp", "lan": "Län",
        "kommun": "Kommun", "omrade": "Strategiskt område", "prioritering": "Prioritering",
        "resultatkedja": "Resultatkedja", "projektnamn": "Projektnamn",
        "beviljat_belopp": "Beviljat belopp (kr)", "utbet_belopp": "Utbetalt belopp",
    }
    assert raw.dropped_columns == ["Kontaktperson", "E-post", "Telefon"]
    assert list(raw.frame.columns) == ["rad", *raw.headers]
    # Values are the text exactly as in the file.
    row6 = raw.frame.iloc[2]
    assert row6["projektnamn"] == "Digital\nomställning"
    assert row6["beviljat_belopp"] == "1\u00a0000\u00a0000,50 kr"
    assert raw.frame.iloc[5]["stodtyp"] == " PROJ "
    assert raw.frame.iloc[3]["utbet_belopp"] == "150 000,00"  # was quoted
    assert len(raw.sha256) == 64


def test_utf8_bom_comma_opendata_export():
    raw = read_export(OPENDATA)
    assert (raw.encoding, raw.delimiter, raw.header_row) == ("utf-8-sig", ",", 1)
    assert raw.synthetic is False
    assert raw.blank_rows == 0
    assert raw.frame["rad"].tolist() == [2, 3, 4, 5, 6, 7, 8, 9]
    assert raw.headers["arende"] == "arende"  # the BOM is not part of the first header
    assert raw.headers["lan"] == "lan_kod"
    assert raw.headers["omrade"] == "nat_strat_ren"
    assert raw.headers["prioritering"] == "nat_prio_ren"
    assert raw.headers["kommun"] == "arbetsstalle"
    assert {"trans_ar", "startdatum", "slutdatum"} <= set(raw.frame.columns)
    assert raw.dropped_columns == ["vd_kon_ren", "bransch_avd_2025"]
    assert raw.frame.iloc[0]["beviljat_belopp"] == "1234567.50"
    assert raw.frame.iloc[3]["omrade"] == "Likvärdiga möjligheter till boende, arbete och välfärd i hela landet"
    assert raw.frame.iloc[0]["omrade"] == ""


def test_cp1252_tab_export_decodes_swedish_letters():
    raw = read_export(CP1252)
    assert (raw.encoding, raw.delimiter, raw.header_row) == ("cp1252", "\t", 2)
    assert raw.headers["arende"] == "Ärendenummer"
    assert raw.headers["lan"] == "Län namn"
    assert raw.headers["beslut_ar"] == "Beslut år"
    assert raw.frame["lan"].tolist() == ["Jönköpings län", "Örebro", "Västra Götaland", "Skåne län"]
    assert raw.frame["beviljat_belopp"].iloc[0] == "120\u00a0000,00"
    assert raw.dropped_columns == ["Handläggare", "Stödmottagare"]
    assert raw.frame["rad"].tolist() == [3, 4, 5, 6]


def test_personal_columns_are_never_read():
    for path, personal in [
        (DIVER, ["Anna Andersson", "anna.andersson@example.se", "070-1234567", "Bertil Berg"]),
        (CP1252, ["Göran Gren", "Åsa Öberg Enskild firma", "Ärlig Åkeri AB"]),
    ]:
        raw = read_export(path)
        values = _values(raw)
        for text in personal:
            assert text not in values
        assert not PERSONAL_HEADERS & set(raw.frame.columns)
        assert not PERSONAL_HEADERS & set(raw.headers.values())


def test_header_aliases():
    assert canonical_for("Ärendenummer") == "arende"
    assert canonical_for("ÄRENDE-ID") == "arende"
    assert canonical_for("Ärendenr") == "arende"
    assert canonical_for("beslut_ar") == "beslut_ar"
    assert canonical_for("Beslut år") == "beslut_ar"
    assert canonical_for("Länskod") == "lan"
    assert canonical_for("lan_kod") == "lan"
    assert canonical_for("Län namn") == "lan"
    assert canonical_for("Nationellt strategiskt område") == "omrade"
    assert canonical_for("Nationellt strategiområde") == "omrade"
    assert canonical_for("nat_strat_ren") == "omrade"
    assert canonical_for("Prioritering nationell strategi") == "prioritering"
    assert canonical_for("Beviljat belopp (kr)") == "beviljat_belopp"
    assert canonical_for("Beviljat belopp SEK") == "beviljat_belopp"
    assert canonical_for("  beviljat  BELOPP ") == "beviljat_belopp"
    assert canonical_for("Utbetalt") == "utbet_belopp"
    assert canonical_for("Arbetsställe") == "kommun"
    assert canonical_for("Projektnamn/Ärendemening") == "projektnamn"
    # Not the same thing: thousands of kronor, personal data, unrelated.
    assert canonical_for("Beviljat belopp (tkr)") is None
    for header in PERSONAL_HEADERS:
        assert canonical_for(header) is None


def test_multiline_preamble_and_blank_rows_count_as_spreadsheet_rows(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        '"SYNTETISKA exempeldata\nrad två av samma cell"\n'   # row 1 (two lines, one row)
        "\n"                                                    # row 2
        "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp\n"  # row 3
        "A;2021;14;Övrigt;1\n"                                  # row 4
        ";;;;\n"                                                # row 5: blank (only delimiters)
        "   ;  ;;;\n"                                           # row 6: blank (whitespace)
        'B;2022;"Skåne";"Övrigt\nmed radbrytning";2\n'          # row 7 (two lines)
        "C;2023;12;Övrigt;3\n"                                  # row 8
        "\n\n",                                                 # trailing: not counted
        encoding="utf-8",
    )
    raw = read_export(path)
    assert raw.header_row == 3
    assert raw.synthetic is True
    assert raw.frame["rad"].tolist() == [4, 7, 8]
    assert raw.blank_rows == 2


def test_synthetic_marker_only_counts_above_the_header(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp\n"
        "SYNTETISKA EXEMPELDATA;2021;14;Övrigt;1\n",
        encoding="utf-8",
    )
    raw = read_export(path)
    assert raw.synthetic is False
    assert raw.header_row == 1


def test_row_with_only_a_dropped_column_is_not_blank(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp;E-post\n"
        ";;;;;someone@example.se\n",
        encoding="utf-8",
    )
    raw = read_export(path)
    assert raw.blank_rows == 0
    assert raw.frame["rad"].tolist() == [2]
    assert "someone@example.se" not in _values(raw)


def test_row_with_extra_fields_is_flagged_not_fatal(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp\n"
        "A;2021;14;Övrigt;1 000\n"
        "B;2021;14;Övrigt;1;500\n"          # unquoted ';' inside the amount: 6 fields
        "C;2021;14;Övrigt;7;\n",             # trailing delimiter only: harmless
        encoding="utf-8",
    )
    raw = read_export(path)
    assert raw.frame["rad"].tolist() == [2, 3, 4]
    assert raw.overflow_rows == {3: 6}


# ------------------------------------------------------------------------------- xlsx


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


XLSX_HEADER = ["Ärende", "Beslutsår", "Stödtyp", "Län kod", "Strategiskt område", "Prioritering",
               "Beviljat belopp", "Utbetalt belopp", "Kontaktperson"]


def test_xlsx_header_on_row_4_in_second_sheet(tmp_path):
    path = _workbook(tmp_path / "export.xlsx", {
        # Two known column names in a row are not yet a header.
        "Om exporten": [["Exporten gjordes i Diver"], ["Län", "Beslutsår", "Alla"]],
        "Projekt": [
            ["SYNTETISKA EXEMPELDATA"],
            [],
            ["Källa: NYPS2020"],
            XLSX_HEADER,
            [20211234, 2021, "PROJ", 14, "Övrigt", None, 1234567.5, None, "Karin Kontakt"],
            [20211235, 2022.0, "FTG", 1, "Övrigt", None, 250000, 100, None],
            [],
            ["A-3", "2023", "KS", "Gotland", "Övrigt", None, "1 000,50", None, None],
        ],
    })
    raw = read_export(path)
    assert raw.file_format == "xlsx"
    assert raw.encoding is None and raw.delimiter is None
    assert raw.header_row == 4
    assert raw.synthetic is True
    assert raw.blank_rows == 1
    assert raw.frame["rad"].tolist() == [5, 6, 8]
    assert raw.dropped_columns == ["Kontaktperson"]
    assert raw.frame["beviljat_belopp"].tolist() == [1234567.5, 250000, "1 000,50"]
    assert raw.frame["lan"].tolist() == [14, 1, "Gotland"]
    assert "Karin Kontakt" not in _values(raw)


def test_xlsx_first_sheet_wins_when_several_have_headers(tmp_path):
    row = [1, 2021, "PROJ", 14, "Övrigt", None, 10, None, None]
    path = _workbook(tmp_path / "export.xlsx", {
        "Först": [XLSX_HEADER, row],
        "Sedan": [[], XLSX_HEADER, row, row],
    })
    raw = read_export(path)
    assert raw.header_row == 1
    assert len(raw.frame) == 1


def test_xlsx_ambiguous_sheets(tmp_path):
    row = [1, 2021, "PROJ", 14, "Övrigt", None, 10, None, None]
    path = _workbook(tmp_path / "export.xlsx", {
        "Info": [["Text"]], "A": [XLSX_HEADER, row], "B": [XLSX_HEADER, row],
    })
    with pytest.raises(ExportError, match=r"export\.xlsx: .*several sheets"):
        read_export(path)


# ----------------------------------------------------------------------- file errors


def _error(path) -> str:
    with pytest.raises(ExportError) as info:
        read_export(path)
    message = str(info.value)
    assert str(path) in message  # every message names the file
    assert "Traceback" not in message
    return message


def test_missing_file(tmp_path):
    assert "not found" in _error(tmp_path / "saknas.csv")


def test_empty_file(tmp_path):
    for name, content in [("tom.csv", b""), ("blank.csv", b"\n \r\n"), ("bom.csv", b"\xef\xbb\xbf"),
                          ("tom.xlsx", b"")]:
        path = tmp_path / name
        path.write_bytes(content)
        assert "empty" in _error(path)


def test_no_header_row():
    message = _error(FIXTURES / "utan_rubrikrad.csv")
    assert "no header row" in message
    assert "'Beviljat belopp'" in message and "'Beslutsår'" in message


def test_header_beyond_row_30_is_not_found(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("x\n" * 30 + "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp\nA;2021;14;Övrigt;1\n",
                    encoding="utf-8")
    assert "no header row" in _error(path)


def test_required_column_missing():
    message = _error(FIXTURES / "saknar_beviljat.csv")
    assert "required column 'beviljat_belopp'" in message
    assert "'Beviljat belopp'" in message
    assert "headers found:" in message and "'Utbetalt belopp'" in message


def test_duplicate_canonical_column(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Ärende;Beslutsår;Län;Länskod;Strategiskt område;Beviljat belopp\n", encoding="utf-8")
    message = _error(path)
    assert "'Län'" in message and "'Länskod'" in message


def test_utf16_and_utf32_are_refused(tmp_path):
    text = "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp\nA;2021;14;Övrigt;1\n"
    for name, data, expected in [
        ("u16.csv", b"\xff\xfe" + text.encode("utf-16-le"), "is UTF-16 (little-endian) encoded"),
        ("u16be.csv", b"\xfe\xff" + text.encode("utf-16-be"), "is UTF-16 (big-endian) encoded"),
        ("u32.csv", b"\xff\xfe\x00\x00" + text.encode("utf-32-le"), "is UTF-32 (little-endian) encoded"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        message = _error(path)
        assert expected in message
        assert "utf-8-sig" in message and "utf-8" in message and "cp1252" in message


def test_nul_bytes_and_control_characters_are_refused(tmp_path):
    text = "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp\nA;2021;14;Övrigt;1\n"
    nul = tmp_path / "nul.csv"
    nul.write_bytes(text.encode("utf-16-le"))  # no BOM: NUL bytes
    assert "NUL" in _error(nul)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(text.encode("cp1252") + b"\x01\x02\xe5")
    assert "control character" in _error(binary)
    bad_bom = tmp_path / "badbom.csv"
    bad_bom.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1252"))
    assert "byte-order mark" in _error(bad_bom)


def test_unsupported_suffix(tmp_path):
    for name in ("export.xls", "export.json", "export"):
        path = tmp_path / name
        path.write_text("x", encoding="utf-8")
        message = _error(path)
        assert "unsupported file type" in message and ".xlsx" in message


def test_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "trasig.xlsx"
    path.write_text("Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp\n", encoding="utf-8")
    assert "not a readable .xlsx workbook" in _error(path)


@pytest.mark.parametrize("chunk_rows", [250_000, 2, 3])
def test_surplus_fields_anywhere_are_flagged(tmp_path, monkeypatch, chunk_rows):
    from helpers.nyps import read as read_module

    monkeypatch.setattr(read_module, "_CHUNK_ROWS", chunk_rows)
    path = tmp_path / "x.csv"
    path.write_text(
        "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp\n"
        "A;2021;14;Övrigt;1;x;y\n"              # row 2: 7 fields
        "B;2021;14;Övrigt;2\n"                  # row 3
        "C;2021;14;Övrigt;3;x\n"                # row 4: 6 fields
        "D;2021;14;Övrigt;4;q;;;;;;;z\n"        # row 5: 13 fields
        "E;2021;14;Övrigt;5\n"                  # row 6
        "F;2021;14;Övrigt;6;x;y\n"              # row 7: 7 fields
        "G;2021;14;Övrigt;7\n",                 # row 8
        encoding="utf-8",
    )
    raw = read_export(path)
    assert raw.frame["rad"].tolist() == [2, 3, 4, 5, 6, 7, 8]
    assert raw.frame["beviljat_belopp"].tolist() == ["1", "2", "3", "4", "5", "6", "7"]
    assert sorted(raw.overflow_rows) == [2, 4, 5, 7]


def test_far_too_many_fields_is_a_file_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "Ärende;Beslutsår;Län;Strategiskt område;Beviljat belopp\n"
        "A;2021;14;Övrigt;1\n" + "B;2021;14;Övrigt;1" + ";x" * 400 + "\n",
        encoding="utf-8",
    )
    message = _error(path)
    assert "more fields than the header" in message and "row 3" in message
