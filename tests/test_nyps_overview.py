import pandas as pd
import pytest

from helpers import tables
from helpers.nyps import overview


def _projects():
    # hand-made: two years, three counties, one case on two rows
    return pd.DataFrame(
        {
            "arende": ["A", "A", "B", "C", "D"],
            "beslut_ar": [2020, 2020, 2021, 2021, 2022],
            "lan_kod": ["01", "01", "14", "25", "14"],
            "omrade_id": ["SO1", "ANNAT", "SO3", "SO4", "SO2"],
            "beviljat_belopp": [1_000_000.0, 3_000_000.0, 2_000_000.0, 500_000.0, 4_000_000.0],
            "utbet_belopp": [1_000_000.0, None, 1_500_000.0, None, None],
        }
    )


def test_by_year_hand_computed():
    table = overview.by_year(_projects(), 2021, 2024).set_index("beslut_ar")
    assert table.loc[2020, "rader"] == 2 and table.loc[2020, "arenden"] == 1
    assert table.loc[2020, "beviljat_mkr"] == pytest.approx(4.0)
    assert table.loc[2020, "utbetalt_mkr"] == pytest.approx(1.0)
    assert table.loc[2020, "andel_so_procent"] == pytest.approx(25.0)  # 1 of 4 MSEK has an SO area
    assert table.loc[2021, "beviljat_mkr"] == pytest.approx(2.5)
    assert table.loc[2021, "andel_so_procent"] == pytest.approx(100.0)
    assert table.loc[2022, "utbetalt_mkr"] == pytest.approx(0.0)
    assert list(table["i_analysen"]) == [False, True, True]


def test_by_county_lists_all_21_with_zeros():
    table = overview.by_county(_projects(), 2021, 2022).set_index("lan_kod")
    assert len(table) == 21
    assert table.loc["14", "rader"] == 2 and table.loc["14", "beviljat_mkr"] == pytest.approx(6.0)
    assert table.loc["25", "arenden"] == 1 and table.loc["25", "beviljat_mkr"] == pytest.approx(0.5)
    assert table.loc["01", "rader"] == 0 and table.loc["01", "beviljat_mkr"] == 0.0  # 2020 is outside
    assert table.loc["01", "lan"] == "Stockholms län"


def test_reader_headers_are_swedish():
    shown = tables.for_reader(overview.by_year(_projects(), 2021, 2024))
    assert shown.index.name == "Beslutsår" and "Beviljat belopp (mnkr)" in shown.columns


def test_plot_carries_synthetic_caption():
    fig = overview.plot_by_year(overview.by_year(_projects(), 2021, 2024), 2021, 2024, synthetic=True)
    texts = [t.get_text() for t in fig.texts]
    assert any("SYNTETISKA EXEMPELDATA" in t for t in texts)
    fig_real = overview.plot_by_year(overview.by_year(_projects(), 2021, 2024), 2021, 2024, synthetic=False)
    assert not any("SYNTETISKA" in t.get_text() for t in fig_real.texts)


def test_reconciliation_for_reader_in_swedish_number_format():
    recon = pd.DataFrame({"rader_in": [6000], "rader_godkanda": [5992], "rader_karantan": [8], "rader_diff": [0],
                          "belopp_in": [1234567.5], "belopp_godkanda": [1234000.0], "belopp_karantan": [567.5],
                          "belopp_diff": [0.0]})
    shown = overview.reconciliation_for_reader(recon)
    assert shown.loc["Rader", "In"] == "6 000" and shown.loc["Rader", "Karantän"] == "8"
    assert shown.loc["Beviljat belopp (kr)", "In"] == "1 234 567,50"
    assert shown.loc["Beviljat belopp (kr)", "Differens"] == "0,00"


def test_for_reader_labels_rows_and_says_ja_nej():
    shown = tables.for_reader(overview.by_year(_projects(), 2021, 2024))
    assert shown.index.name == "Beslutsår" and list(shown["Ingår i analysen"]) == ["nej", "ja", "ja"]
