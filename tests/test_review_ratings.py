from pathlib import Path

import pandas as pd
import pytest

from helpers.review import ratings
from helpers.review.ratings import RatingsError
from helpers.review.template import template

FIXTURES = Path(__file__).parent / "fixtures" / "review"
SMALL = FIXTURES / "ratings_small.csv"


def _frame(rows, columns=ratings.RATING_COLUMNS):
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


# Hand-sorted content of ratings_small.csv: bedomare, lan_kod, then template order (A1, A2, B1, B2).
SMALL_SORTED = _frame([
    ("01", "A1", "E1", "2021-2030", ""),
    ("01", "A2", "E1", "2", "Tydlig hänvisning på s. 4."),
    ("01", "B1", "E1", "", "Kan inte bedömas: kapitlet saknas."),
    ("25", "A2", "E1", "0", ""),
    ("01", "A1", "E2", "2021-2030", ""),
    ("01", "A2", "E2", "1", ""),
    ("03", "A1", "E2", "", ""),
    ("03", "A2", "E2", "2", ""),
    ("03", "B2", "E2", "1", "Delvis, se s. 12"),
])


def test_read_ratings_reads_and_sorts_the_fixture():
    got = ratings.read_ratings(SMALL, template())
    assert tuple(got.columns) == ratings.RATING_COLUMNS
    pd.testing.assert_frame_equal(got, SMALL_SORTED)
    assert isinstance(got.index, pd.RangeIndex)


def test_read_ratings_normalises_semicolons_bom_names_decimals_and_dashes():
    got = ratings.read_ratings(FIXTURES / "ratings_messy.csv", template())
    expected = _frame([
        ("01", "A1", "E1", "2021-2030", ""),  # "Stockholm", en dash
        ("01", "A2", "E1", "2", "Hänvisar; tydligt"),  # "1", "a2", "2.0", quoted separator
        ("03", "A1", "E2", "2019-2030", "två\r\nrader"),  # "uppsala", "2019 - 2030", comment over two lines
        ("09", "B3", "E2", "1", ""),  # "Gotlands län", " E2 "
    ])
    pd.testing.assert_frame_equal(got, expected)


def test_read_consensus_has_no_expert_and_is_sorted():
    got = ratings.read_consensus(FIXTURES / "consensus_small.csv", template())
    expected = _frame([
        ("01", "A1", "2021-2030", ""),
        ("01", "B1", "2", "Enig efter diskussion"),
        ("03", "A2", "1", ""),
    ], ratings.CONSENSUS_COLUMNS)
    pd.testing.assert_frame_equal(got, expected)


def test_read_consensus_catches_a_duplicate(tmp_path):
    path = tmp_path / "konsensus.csv"
    path.write_text("lan_kod,fraga_id,varde,kommentar\n01,B1,2,\n03,A2,1,\n1,b1,0,\n", encoding="utf-8")
    with pytest.raises(RatingsError) as info:
        ratings.read_consensus(path, template())
    message = str(info.value)
    assert str(path) in message and "row 4" in message and "row 2" in message and "B1" in message


def _variant(tmp_path, replace: dict[int, str] | None = None, append: str = "", header: str | None = None) -> Path:
    """ratings_small.csv with some lines (1 = header) replaced and a line appended."""
    lines = SMALL.read_text(encoding="utf-8").splitlines()
    for number, text in (replace or {}).items():
        lines[number - 1] = text
    if header is not None:
        lines[0] = header
    if append:
        lines.append(append)
    path = tmp_path / "bedomningar.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("line, fragments", [
    ("01,X9,E1,2,", ["row 3", "fraga_id", "'X9'", "A1–D12"]),
    ("01,A2,E1,3,", ["row 3", "varde", "'3'", "one of 0, 1, 2"]),
    ("01,A2,E1,ja,", ["row 3", "varde", "'ja'", "one of 0, 1, 2"]),
    ("01,A1,E1,2030-2021,", ["row 3", "varde", "'2030-2021'", "YYYY-YYYY"]),
    ("01,A1,E1,2021,", ["row 3", "varde", "'2021'", "YYYY-YYYY"]),
    ("26,A2,E1,2,", ["row 3", "lan_kod", "'26'", "21 counties"]),
    ("Gotlands kommun,A2,E1,2,", ["row 3", "lan_kod", "'Gotlands kommun'", "21 counties"]),
    ("01,A2,,2,", ["row 3", "bedomare", "empty"]),
])
def test_bad_values_name_file_row_column_and_value(tmp_path, line, fragments):
    path = _variant(tmp_path, replace={3: line})
    with pytest.raises(RatingsError) as info:
        ratings.read_ratings(path, template())
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


def test_duplicate_rating_names_both_rows(tmp_path):
    # Row 11 repeats row 4 (01 A2 E1) with the county written as a name.
    path = _variant(tmp_path, append="Stockholms län,A2,E1,1,")
    with pytest.raises(RatingsError) as info:
        ratings.read_ratings(path, template())
    message = str(info.value)
    assert str(path) in message and "row 11" in message and "row 4" in message
    assert "lan_kod 01" in message and "fraga_id A2" in message and "bedomare E1" in message


def test_missing_column_is_listed_with_the_expected_columns(tmp_path):
    path = tmp_path / "bedomningar.csv"
    path.write_text("lan_kod,fraga_id,bedomare,varde\n01,A2,E1,2\n", encoding="utf-8")
    with pytest.raises(RatingsError) as info:
        ratings.read_ratings(path, template())
    message = str(info.value)
    assert str(path) in message and "row 1" in message and "missing column(s) kommentar" in message
    assert "expected lan_kod, fraga_id, bedomare, varde, kommentar" in message


def test_extra_column_is_named(tmp_path):
    path = _variant(tmp_path, header="lan_kod,fraga_id,bedomare,varde,kommentar,datum")
    with pytest.raises(RatingsError) as info:
        ratings.read_ratings(path, template())
    message = str(info.value)
    assert str(path) in message and "row 1" in message and "'datum'" in message


def test_row_with_wrong_number_of_fields(tmp_path):
    path = _variant(tmp_path, replace={5: "01,B1,E1,,Kan inte, bedömas"})
    with pytest.raises(RatingsError) as info:
        ratings.read_ratings(path, template())
    message = str(info.value)
    assert str(path) in message and "row 5" in message and "6 fields, expected 5" in message


def test_wrong_encoding_names_file_and_utf8(tmp_path):
    path = tmp_path / "bedomningar.csv"
    path.write_bytes(SMALL.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(RatingsError) as info:
        ratings.read_ratings(path, template())
    message = str(info.value)
    assert str(path) in message and "UTF-8" in message and "0xe4" in message  # the cp1252 'ä'


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "bedomningar.csv"
    path.write_bytes(content)
    with pytest.raises(RatingsError) as info:
        ratings.read_ratings(path, template())
    assert str(path) in str(info.value) and "empty" in str(info.value)


def test_check_ratings_uses_the_given_row_locations():
    frame = _frame([("01", "A2", "E1", 2.0, None), ("01", "A3", "E1", "5", "")])
    with pytest.raises(RatingsError) as info:
        ratings.check_ratings(frame, template(), "formulär.xlsx", ["sheet Bedömning, row 6", "sheet Bedömning, row 7"])
    message = str(info.value)
    assert message.startswith("formulär.xlsx, sheet Bedömning, row 7, column varde: '5'")


def test_check_ratings_normalises_spreadsheet_values():
    frame = _frame([("1", "a2", "E1", 2.0, None), (3, "A1", " E1", "2021—2030", float("nan"))])
    got = ratings.check_ratings(frame, template(), "x", ["row 2", "row 3"])
    expected = _frame([("01", "A2", "E1", "2", ""), ("03", "A1", "E1", "2021-2030", "")])
    pd.testing.assert_frame_equal(got, expected)


def test_check_ratings_refuses_wrong_columns():
    frame = pd.DataFrame({"lan_kod": ["01"], "fraga_id": ["A2"], "varde": ["2"]})
    with pytest.raises(RatingsError, match="missing bedomare, kommentar"):
        ratings.check_ratings(frame, template(), "x", ["row 2"])


def test_write_ratings_round_trip_and_bytes(tmp_path):
    shuffled = SMALL_SORTED.sample(frac=1.0, random_state=3)
    first = ratings.write_ratings(shuffled, tmp_path / "a.csv", template())
    second = ratings.write_ratings(SMALL_SORTED, tmp_path / "b.csv", template())
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert "\r" not in text and text.startswith("lan_kod,fraga_id,bedomare,varde,kommentar\n01,A1,E1,2021-2030,\n")
    assert '"Delvis, se s. 12"' in text
    pd.testing.assert_frame_equal(ratings.read_ratings(first, template()), SMALL_SORTED)


def test_write_ratings_refuses_other_columns(tmp_path):
    with pytest.raises(RatingsError, match="expected lan_kod, fraga_id, bedomare, varde, kommentar"):
        ratings.write_ratings(SMALL_SORTED[["lan_kod", "fraga_id", "bedomare", "varde"]].assign(x=""), tmp_path / "a.csv")
    assert not (tmp_path / "a.csv").exists()


def test_completeness_counts_the_fixture():
    got = ratings.completeness(ratings.read_ratings(SMALL, template()), template())
    expected = pd.DataFrame({
        "bedomare": ["E1", "E2"],
        "lan": [2, 2],  # E1: 01, 25; E2: 01, 03
        "fragor": [3, 3],  # E1: A1, A2, B1; E2: A1, A2, B2
        "betyg": [4, 5],
        "tomma": [1, 1],  # E1: 01 B1; E2: 03 A1
        "forvantat": [21 * 34, 21 * 34],
        "saknas": [714 - 4, 714 - 5],
    })
    pd.testing.assert_frame_equal(got, expected)


def test_write_ratings_checks_before_writing(tmp_path):
    bad = SMALL_SORTED.copy()
    bad.loc[5, "varde"] = "3"
    with pytest.raises(RatingsError, match=r"row 7, column varde: '3'"):
        ratings.write_ratings(bad, tmp_path / "a.csv", template())
    assert not (tmp_path / "a.csv").exists()


def test_write_ratings_writes_a_consensus(tmp_path):
    consensus = ratings.read_consensus(FIXTURES / "consensus_small.csv", template())
    path = ratings.write_ratings(consensus.iloc[::-1], tmp_path / "konsensus.csv", template())
    assert path.read_text(encoding="utf-8") == (
        "lan_kod,fraga_id,varde,kommentar\n01,A1,2021-2030,\n01,B1,2,Enig efter diskussion\n03,A2,1,\n")


def test_is_synthetic_needs_a_truth_that_says_so(tmp_path):
    path = tmp_path / "rus_bedomningar.csv"
    path.write_bytes(SMALL.read_bytes())
    assert not ratings.is_synthetic(path)
    truth = tmp_path / "rus_bedomningar.truth.json"
    truth.write_text('{"description": "SYNTHETIC ratings by two invented experts"}', encoding="utf-8")
    assert ratings.is_synthetic(path)
    truth.write_text('{"description": "Planerade bedömningar"}', encoding="utf-8")
    assert not ratings.is_synthetic(path)
    truth.write_text("inte json", encoding="utf-8")
    with pytest.raises(RatingsError, match="rus_bedomningar.truth.json"):
        ratings.is_synthetic(path)


def test_require_experts():
    small = ratings.read_ratings(SMALL, template())
    ratings.require_experts(small, 2, "x.csv")  # E1 and E2
    with pytest.raises(RatingsError, match=r"x.csv: ratings by 1 expert\(s\) \(E1\); expected exactly 2"):
        ratings.require_experts(small[small["bedomare"] == "E1"], 2, "x.csv")
    three = pd.concat([small, small[small["bedomare"] == "E1"].assign(bedomare="E3")])
    with pytest.raises(RatingsError, match=r"ratings by 3 expert\(s\) \(E1, E2, E3\); expected exactly 2"):
        ratings.require_experts(three, 2, "x.csv")


def test_with_scale_check_marks_values_off_the_scale():
    frame = _frame([
        ("01", "A1", "E1", "2021-2030", ""), ("01", "A1", "E2", "2030-2021", ""), ("01", "A2", "E1", "", ""),
        ("01", "A2", "E2", "3", ""), ("01", "Z1", "E1", "1", ""), ("01", "B1", "E1", "2", ""),
    ])
    got = ratings.with_scale_check(frame, template())
    assert got["pa_skalan"].tolist() == [True, False, True, False, False, True]
    assert list(got.columns) == [*ratings.RATING_COLUMNS, "pa_skalan"] and "pa_skalan" not in frame
