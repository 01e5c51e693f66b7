from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers import reference
from helpers.review import forms, ratings
from helpers.review.forms import FormError
from helpers.review.ratings import RatingsError
from helpers.review.template import Template, template

FIXTURES = Path(__file__).parent / "fixtures" / "review"
HEADER_ROW = 4  # title, Bedömare, note, header


def _full_ratings(experts=("E1", "E2"), seed=20240611) -> pd.DataFrame:
    """Every county x question for each expert, values drawn over the whole scale including
    'not assessable', comments with commas, quotes, Swedish letters and line breaks."""
    rng = np.random.default_rng(seed)
    comments = ["", "", "s. 12, avsnitt 3", "Tydligt: \"Region X\" åtar sig …", "Två\nrader", "Ej funnet i RUS:en"]
    rows = []
    for expert in experts:
        for code in reference.county_codes():
            for q in template().questions:
                if q.is_period:
                    start = int(rng.integers(2018, 2024))
                    value = rng.choice(["", f"{start}-{start + int(rng.integers(4, 12))}"])
                else:
                    value = rng.choice(["", *q.values])
                rows.append((code, q.fraga_id, expert, str(value), str(rng.choice(comments))))
    return pd.DataFrame(rows, columns=list(ratings.RATING_COLUMNS), dtype=object)


def _row_of(ws, code: str, qid: str) -> int:
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        if row[0].value == code and row[3].value == qid:
            return row[0].row
    raise AssertionError(f"no row {code}/{qid}")


def _column(ws, header: str) -> int:
    headers = [c.value for c in ws[HEADER_ROW]]
    return headers.index(header) + 1


def test_round_trip_of_full_ratings(tmp_path):
    full = _full_ratings()
    paths = [forms.write_form(tmp_path / f"{e}.xlsx", e, template(), ratings=full) for e in ("E2", "E1")]
    got = forms.read_forms(paths, template())
    pd.testing.assert_frame_equal(got, ratings.sort_ratings(full, template()))


def test_round_trip_of_partial_ratings_leaves_the_rest_empty(tmp_path):
    small = ratings.read_ratings(FIXTURES / "ratings_small.csv", template())
    path = forms.write_form(tmp_path / "E2.xlsx", "E2", template(), ratings=small)
    got = forms.read_form(path, template())
    assert len(got) == 21 * 34 and set(got["bedomare"]) == {"E2"}
    filled = got[(got["varde"] != "") | (got["kommentar"] != "")].reset_index(drop=True)
    expected = small[(small["bedomare"] == "E2") & ((small["varde"] != "") | (small["kommentar"] != ""))]
    pd.testing.assert_frame_equal(filled, expected.reset_index(drop=True))


def test_blank_form_filled_in_as_an_expert_would(tmp_path):
    path = forms.write_form(tmp_path / "E3.xlsx", "E3", template())
    wb = load_workbook(path)
    ws = wb["Bedömning"]
    value, comment = _column(ws, "Bedömning"), _column(ws, "Kommentar")
    ws.cell(_row_of(ws, "01", "A2"), value, 2)  # an int, as Excel stores a typed number
    ws.cell(_row_of(ws, "01", "B4"), value, "1")  # text, as in a text-formatted cell
    ws.cell(_row_of(ws, "09", "D12"), value, 0.0)  # a float
    ws.cell(_row_of(ws, "25", "A1"), value, "2022–2030")  # en dash
    ws.cell(_row_of(ws, "25", "A1"), comment, "  Antagen 2022.  ")
    ws.cell(_row_of(ws, "14", "C3"), comment, "Kan inte bedömas, bilagan saknas")
    wb.save(path)

    got = forms.read_form(path, template())
    filled = got[(got["varde"] != "") | (got["kommentar"] != "")].reset_index(drop=True)
    expected = pd.DataFrame([
        ("01", "A2", "E3", "2", ""),
        ("01", "B4", "E3", "1", ""),
        ("09", "D12", "E3", "0", ""),
        ("14", "C3", "E3", "", "Kan inte bedömas, bilagan saknas"),
        ("25", "A1", "E3", "2022-2030", "Antagen 2022."),
    ], columns=list(ratings.RATING_COLUMNS), dtype=object)
    pd.testing.assert_frame_equal(filled, expected)


def test_rows_are_read_by_key_not_position(tmp_path):
    path = forms.write_form(tmp_path / "E1.xlsx", "E1", template())
    wb = load_workbook(path)
    ws = wb["Bedömning"]
    value = _column(ws, "Bedömning")
    first, second = _row_of(ws, "01", "A2"), _row_of(ws, "25", "D12")
    # Swap two rows' contents as a sort would, then rate one of them.
    a = [c.value for c in ws[first]]
    b = [c.value for c in ws[second]]
    for j, (x, y) in enumerate(zip(a, b), start=1):
        ws.cell(first, j, y)
        ws.cell(second, j, x)
    ws.cell(first, value, 1)  # now the row of 25 / D12
    wb.save(path)
    got = forms.read_form(path, template()).set_index(["lan_kod", "fraga_id"])
    assert got.loc[("25", "D12"), "varde"] == "1" and got.loc[("01", "A2"), "varde"] == ""


def test_layout_validation_and_protection(tmp_path):
    path = forms.write_form(tmp_path / "E1.xlsx", "E1", template(), synthetic=True)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Bedömning", "Anvisning", "_formular"]
    assert wb["_formular"].sheet_state == "hidden"
    assert wb.security.lockStructure and not wb.security.workbookPassword
    ws = wb["Bedömning"]
    assert ws["A2"].value == "Bedömare" and ws["B2"].value == "E1"
    assert ws["A3"].value == "SYNTETISKA EXEMPELDATA – inte verkliga bedömningar."
    assert ws["A3"].font.b and ws["A3"].font.color.rgb.endswith("B00020")
    assert [c.value for c in ws[HEADER_ROW]] == [
        "Länskod", "Län", "Del", "Fråga (id)", "Fråga", "Element", "Skala", "Bedömning", "Kommentar",
        "Belägg 1", "Belägg 2", "Belägg 3"]
    assert ws.max_row == HEADER_ROW + 21 * 34
    assert ws.freeze_panes == "A5" and ws.auto_filter.ref == f"A4:L{HEADER_ROW + 21 * 34}"

    # Rows: counties in reference order, questions in template order.
    keys = [(r[0].value, r[3].value) for r in ws.iter_rows(min_row=HEADER_ROW + 1)]
    assert keys == [(c, q) for c in reference.county_codes() for q in template().ids]
    b1 = _row_of(ws, "03", "B1")
    assert ws.cell(b1, 2).value == "Uppsala län"
    assert ws.cell(b1, 6).value == "SO1 Likvärdiga möjligheter till boende, arbete och välfärd i hela landet"
    assert ws.cell(b1, 7).value == "0 = Nej / saknas, 1 = Delvis, 2 = Ja, tydligt"
    a1 = _row_of(ws, "03", "A1")
    assert ws.cell(a1, 6).value == "–" and ws.cell(a1, 7).value == "Period ÅÅÅÅ-ÅÅÅÅ"

    # Data validation: a list 0,1,2 on every ordinal Bedömning cell, a custom rule on each period cell.
    ordinal_cells, period_cells = set(), set()
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        (period_cells if ws.cell(r, 4).value == "A1" else ordinal_cells).add(f"H{r}")
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and lists[0].formula1 == '"0,1,2"' and lists[0].allow_blank
    covered = {f"H{r}" for rng in lists[0].sqref.ranges for (r, c) in rng.cells if c == 8}
    assert covered == ordinal_cells
    custom = [dv for dv in ws.data_validations.dataValidation if dv.type == "custom"]
    assert {str(dv.sqref) for dv in custom} == period_cells
    assert all(dv.showErrorMessage and "2021-2030" in dv.error for dv in custom)
    assert all(str(dv.sqref) in dv.formula1 for dv in custom)

    # Protection: sheet protected without a password; only Bedömning and Kommentar unlocked.
    assert ws.protection.sheet and not ws.protection.password
    for c in range(1, 13):
        assert ws.cell(b1, c).protection.locked == (c not in (8, 9))
    assert ws["A1"].protection.locked

    guide = "\n".join(str(c.value) for c in wb["Anvisning"]["A"] if c.value)
    assert "kan inte bedömas" in guide and "steg 03" in guide and "0 = Nej / saknas" in guide


def test_not_synthetic_has_no_note(tmp_path):
    ws = load_workbook(forms.write_form(tmp_path / "E1.xlsx", "E1", template()))["Bedömning"]
    assert ws["A3"].value is None


def test_same_content_gives_same_bytes(tmp_path):
    full = _full_ratings(experts=("E1",))
    evidence = pd.DataFrame({"lan_kod": ["01"], "fraga_id": ["B1"], "belagg_1": ["s. 3: Text."],
                             "belagg_2": [""], "belagg_3": [""]})
    a = forms.write_form(tmp_path / "a.xlsx", "E1", template(), evidence=evidence, ratings=full, synthetic=True)
    b = forms.write_form(tmp_path / "b.xlsx", "E1", template(), evidence=evidence, ratings=full, synthetic=True)
    assert a.read_bytes() == b.read_bytes()
    c = forms.write_form(tmp_path / "c.xlsx", "E2", template(), evidence=evidence, synthetic=True)
    assert c.read_bytes() != a.read_bytes()


def test_evidence_lands_on_its_row(tmp_path):
    evidence = pd.DataFrame({"lan_kod": ["03", "03"], "fraga_id": ["B2", "A1"],
                             "belagg_1": ["s. 7: Kompetensförsörjning.", ""], "belagg_2": ["s. 9: Lärande.", ""]})
    ws = load_workbook(forms.write_form(tmp_path / "E1.xlsx", "E1", template(), evidence=evidence))["Bedömning"]
    assert [c.value for c in ws[HEADER_ROW]][-2:] == ["Belägg 1", "Belägg 2"]
    row = _row_of(ws, "03", "B2")
    assert ws.cell(row, 10).value == "s. 7: Kompetensförsörjning." and ws.cell(row, 11).value == "s. 9: Lärande."
    assert ws.cell(_row_of(ws, "01", "B2"), 10).value is None
    assert ws.cell(row, 10).alignment.wrap_text


def _expect_form_error(path, *fragments):
    with pytest.raises(FormError) as info:
        forms.read_form(path, template())
    message = str(info.value)
    assert str(path) in message, message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_value_off_the_scale_in_a_form(tmp_path):
    path = forms.write_form(tmp_path / "E1.xlsx", "E1", template())
    wb = load_workbook(path)
    ws = wb["Bedömning"]
    row = _row_of(ws, "05", "C2")
    ws.cell(row, 8, 3)
    wb.save(path)
    message = _expect_form_error(path, f"sheet Bedömning, row {row}", "varde", "'3'", "one of 0, 1, 2")
    assert isinstance(FormError(message), RatingsError)


def test_form_from_another_template_is_refused(tmp_path):
    other = Template(template().questions[:5], "en annan mall")
    path = forms.write_form(tmp_path / "E1.xlsx", "E1", other)
    _expect_form_error(path, "another assessment template", "questions missing in the form: A6, A7, B1")
    reordered = Template(tuple(reversed(template().questions)), "omvänd ordning")
    path = forms.write_form(tmp_path / "E2.xlsx", "E2", reordered)
    _expect_form_error(path, "another assessment template", "another order")


def test_a_plain_workbook_is_not_a_form(tmp_path):
    from helpers.tables import Sheet, write_workbook

    path = write_workbook([Sheet("Bedömning", "x", pd.DataFrame({"a": [1]}))], tmp_path / "annan.xlsx", False)
    _expect_form_error(path, "_formular", "not a rating form")
    text = tmp_path / "text.xlsx"
    text.write_text("inte en arbetsbok", encoding="utf-8")
    _expect_form_error(text, "cannot be read as an Excel workbook")


def test_deleted_row_is_reported(tmp_path):
    path = forms.write_form(tmp_path / "E1.xlsx", "E1", template())
    wb = load_workbook(path)
    ws = wb["Bedömning"]
    ws.delete_rows(_row_of(ws, "07", "B3"))
    ws.delete_rows(_row_of(ws, "25", "D12"))
    wb.save(path)
    _expect_form_error(path, "2 county x question row(s) missing", "07/B3, 25/D12")


def test_many_deleted_rows_list_five_and_a_count(tmp_path):
    path = forms.write_form(tmp_path / "E1.xlsx", "E1", template())
    wb = load_workbook(path)
    ws = wb["Bedömning"]
    ws.delete_rows(_row_of(ws, "03", "A1"), 34)  # all of Uppsala
    wb.save(path)
    _expect_form_error(path, "34 county x question row(s) missing", "03/A1, 03/A2, 03/A3, 03/A4, 03/A5 and 29 more")


def test_duplicated_row_names_both_rows(tmp_path):
    path = forms.write_form(tmp_path / "E1.xlsx", "E1", template())
    wb = load_workbook(path)
    ws = wb["Bedömning"]
    source = _row_of(ws, "12", "B5")
    ws.append([c.value for c in ws[source]])
    wb.save(path)
    _expect_form_error(path, f"sheet Bedömning, row {ws.max_row}", f"sheet Bedömning, row {source}",
                       "lan_kod 12", "fraga_id B5", "duplicate")


def test_changed_expert_cell_is_refused(tmp_path):
    path = forms.write_form(tmp_path / "E1.xlsx", "E1", template())
    wb = load_workbook(path)
    wb["Bedömning"]["B2"] = "E9"
    wb.save(path)
    _expect_form_error(path, "row 2", "'E9'", "'E1'")


def test_two_forms_for_the_same_expert(tmp_path):
    a = forms.write_form(tmp_path / "E1_a.xlsx", "E1", template())
    b = forms.write_form(tmp_path / "E1_b.xlsx", "E1", template())
    c = forms.write_form(tmp_path / "E2.xlsx", "E2", template())
    with pytest.raises(FormError) as info:
        forms.read_forms([a, c, b], template())
    message = str(info.value)
    assert str(a) in message and str(b) in message and "'E1'" in message


def test_read_forms_needs_a_form():
    with pytest.raises(FormError, match="no rating forms"):
        forms.read_forms([], template())


def test_write_form_checks_its_ratings(tmp_path):
    bad = pd.DataFrame([("01", "A2", "E2", "7", ""), ("01", "A2", "E1", "7", "")], columns=list(ratings.RATING_COLUMNS))
    with pytest.raises(RatingsError, match=r"ratings, row 3, column varde: '7'"):
        forms.write_form(tmp_path / "E1.xlsx", "E1", template(), ratings=bad)
    assert not (tmp_path / "E1.xlsx").exists()
