import pandas as pd

from helpers import tables


def test_csv_fixed_format_and_atomic(tmp_path):
    frame = pd.DataFrame({"lan": ["Skåne län"], "beviljat_mkr": [1.23456]})
    path = tables.write_csv(frame, tmp_path / "t" / "x.csv")
    assert path.read_bytes() == "lan,beviljat_mkr\nSkåne län,1.23\n".encode("utf-8")
    assert not list((tmp_path / "t").glob("*.tmp"))


def _sheets():
    frame = pd.DataFrame({"lan_kod": ["01", "00"], "lan": ["Stockholms län", "Riket"],
                          "beviljat_mkr": [1.25, 10.5], "rang": pd.array([1, pd.NA], dtype="Int64")})
    return [tables.Sheet("omrade_lan", "Beviljat belopp per län", frame, "Källa: NYPS2020.")]


def test_workbook_has_swedish_headers_formats_and_same_bytes_twice(tmp_path):
    from openpyxl import load_workbook

    a = tables.write_workbook(_sheets(), tmp_path / "a.xlsx", synthetic=True)
    b = tables.write_workbook(_sheets(), tmp_path / "b.xlsx", synthetic=True)
    assert a.read_bytes() == b.read_bytes()
    ws = load_workbook(a)["omrade_lan"]
    assert ws["A1"].value == "Beviljat belopp per län"
    assert ws["A2"].value.startswith("SYNTETISKA EXEMPELDATA")
    assert [c.value for c in ws[3]] == ["Länskod", "Län", "Beviljat belopp (mnkr)", "Rang"]
    assert ws["A4"].value == "01" and ws["A4"].number_format == "@"  # codes stay text: 01, not 1
    assert ws["C4"].value == 1.25 and ws["C4"].number_format == "#,##0.0"
    assert ws["D5"].value is None  # Riket has no rank
    assert ws.freeze_panes == "A4"


def test_workbook_without_synthetic_note_and_bad_sheet_names(tmp_path):
    from openpyxl import load_workbook

    path = tables.write_workbook(_sheets(), tmp_path / "r.xlsx", synthetic=False)
    assert load_workbook(path)["omrade_lan"]["A2"].value == "Källa: NYPS2020."
    import pytest

    with pytest.raises(ValueError, match="31"):
        tables.write_workbook([tables.Sheet("x" * 32, "t", _sheets()[0].frame)], tmp_path / "x.xlsx", False)


def test_parquet_same_bytes_and_round_trip(tmp_path):
    frame = pd.DataFrame({"dokument_id": ["a", "b"], "stycke_nr": [1, 2], "text": ["å", None]})
    a = tables.write_parquet(frame, tmp_path / "a.parquet")
    b = tables.write_parquet(frame, tmp_path / "b.parquet")
    assert a.read_bytes() == b.read_bytes()
    pd.testing.assert_frame_equal(pd.read_parquet(a), frame)
