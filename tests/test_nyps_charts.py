"""The stage 02 figures draw exactly the numbers of the analysis tables. The tables here are
built by hand (complete: 21 counties and Riket, every area, every year), not by analysis.py."""
import io
import math
from itertools import combinations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from pandas.testing import assert_frame_equal

from helpers import figures, reference
from helpers.nyps import charts

AREAS = ["SO1", "SO2", "SO3", "SO4", "ANNAT"]
ANNAT = list(figures.ANNAT_COLOURS)
TYPES = ["PROJ", "FTG", "KS"]
YEARS = [2021, 2022, 2023, 2024]
B = "beviljat_mkr"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- table builders

def _places():
    """The 21 counties in lan_kod order, then Riket."""
    return [(c["lan_kod"], c["lan"]) for c in reference.counties()] + [("00", "Riket")]


def _shares(frame, by, column=B, out="andel_procent"):
    total = frame.groupby(by, sort=False)[column].transform("sum")
    frame[out] = (frame[column] / total.where(total != 0) * 100).fillna(0.0)
    return frame


def _with_riket(rows, keys, columns):
    """County rows plus Riket rows summed over the counties."""
    frame = pd.DataFrame(rows, columns=["lan_kod", "lan", *keys, *columns])
    riket = frame.groupby(keys, sort=False, as_index=False)[columns].sum()
    riket.insert(0, "lan", "Riket")
    riket.insert(0, "lan_kod", "00")
    return pd.concat([frame, riket], ignore_index=True)


def area_table(categories=AREAS, column="omrade_id", amount=B):
    rows = []
    for i, (code, lan) in enumerate(_places()[:-1]):
        for k, cat in enumerate(categories):
            value = 0.0 if code == "09" else float(2 + (3 * i + 5 * k) % 11) * (k + 1)
            if k == 0 and i % 4 == 0:
                value = 0.4  # a thin segment, under 5 %
            rows.append((code, lan, cat, value))
    return _shares(_with_riket(rows, [column], [amount]), "lan_kod", amount)


def per_capita_table():
    rows = []
    for i, c in enumerate(reference.counties()):
        amount = float(10 + (7 * i) % 13) * 5.5
        rows.append((c["lan_kod"], c["lan"], c["folkmangd_2023"], amount))
    frame = pd.DataFrame(rows, columns=["lan_kod", "lan", "folkmangd_2023", B])
    riket = pd.DataFrame([("00", "Riket", int(frame["folkmangd_2023"].sum()), frame[B].sum())], columns=frame.columns)
    frame = pd.concat([frame, riket], ignore_index=True)
    frame["kr_per_invanare"] = frame[B] * 1e6 / frame["folkmangd_2023"]
    order = frame.iloc[:-1].sort_values("kr_per_invanare", ascending=False).index
    rank = pd.Series(range(1, 22), index=order)
    frame["rang"] = pd.array([*rank.sort_index(), pd.NA], dtype="Int64")
    return frame


def year_table():
    rows = []
    for i, (code, lan) in enumerate(_places()[:-1]):
        for year in YEARS:
            for k, area in enumerate(AREAS):
                rows.append((code, lan, year, area, float(1 + (i + 2 * k + 3 * (year - 2021)) % 9)))
    frame = _with_riket(rows, ["beslut_ar", "omrade_id"], [B])
    return _shares(frame, ["lan_kod", "beslut_ar"])


def mix_shift_table():
    rows = []
    for i, (code, lan) in enumerate(_places()[:-1]):
        index = float((7 * i) % 23) + 1.5
        if code == "14":
            index = float((7 * 2) % 23) + 1.5  # the same as county 04: a tie, broken by lan_kod
        change = (index if i % 2 else -index) * 0.8
        rows.append((code, lan, index, AREAS[i % 5], change))
    frame = pd.DataFrame(rows, columns=["lan_kod", "lan", "forandringsindex", "storsta_forandring_omrade_id",
                                        "storsta_forandring_procentenheter"])
    frame = pd.concat([frame, pd.DataFrame([("00", "Riket", 6.25, "SO3", 4.0)], columns=frame.columns)],
                      ignore_index=True)
    ranks = frame.iloc[:-1].sort_values(["forandringsindex", "lan_kod"], ascending=[False, True]).index
    frame["rang"] = pd.array([*pd.Series(range(1, 22), index=ranks).sort_index(), pd.NA], dtype="Int64")
    return frame


def priorities_table():
    rows = []
    for area in AREAS[:4]:
        prios = [p for p in reference.elements("prioritering") if p["overordnad"] == area]
        for j, p in enumerate(prios):
            rows.append((area, p["id"], p["etikett"], float(10 + 7 * j)))
        rows.append((area, None, "Ingen prioritering angiven", 3.0))
    frame = pd.DataFrame(rows, columns=["omrade_id", "prioritering_id", "prioritering", B])
    frame = _shares(frame, "omrade_id", out="andel_av_omradet_procent")
    return frame.iloc[::-1].reset_index(drop=True)  # drawn in a fixed order whatever the table's


def support_table():
    rows = []
    for i, (code, lan) in enumerate(_places()[:-1]):
        for t, kind in enumerate(TYPES):
            for k, area in enumerate(AREAS):
                value = float(1 + (i + k) % 5) * (6 - 2 * t) if not (kind == "KS" and area != "SO1") else 0.0
                rows.append((code, lan, kind, area, value))
    frame = _with_riket(rows, ["stodtyp", "omrade_id"], [B])
    return _shares(frame, ["lan_kod", "omrade_id"])


def cases_table():
    rows = []
    for i, (code, lan) in enumerate(_places()[:-1]):
        rows.append((code, lan, 40 + 3 * i, 45 + 3 * i, 20.0 + i, 0.3 + i / 100, 30.0 + (11 * i) % 29))
    frame = pd.DataFrame(rows, columns=["lan_kod", "lan", "arenden", "rader", B, "median_per_arende_mkr",
                                        "andel_storsta_tiondel_procent"])
    riket = ("00", "Riket", int(frame["arenden"].sum()), int(frame["rader"].sum()), frame[B].sum(), 0.5, 41.25)
    return pd.concat([frame, pd.DataFrame([riket], columns=frame.columns)], ignore_index=True)


def paid_table():
    rows = []
    for i, (code, lan) in enumerate(_places()[:-1]):
        for year in YEARS:
            granted = float(10 + (i + year) % 7)
            rows.append((code, lan, year, granted, granted * (2025 - year) / 5))
    frame = _with_riket(rows, ["beslut_ar"], ["beviljat_mkr", "utbetalt_mkr"])
    frame["utbetalt_andel_procent"] = frame["utbetalt_mkr"] / frame["beviljat_mkr"] * 100
    return frame


# --------------------------------------------------------------------------- helpers

def _texts(fig):
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and callable(a.get_text))
            if isinstance(t.get_text(), str)]


def _flat(text):
    return " ".join(text.split())


def _has(fig, fragment):
    return any(fragment in _flat(t) for t in _texts(fig))


def _bar_axes(fig):
    return max(fig.axes, key=lambda a: len(a.patches))


def _no_overlap(fig, texts):
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts if t.get_text()]
    for a, b in combinations(boxes, 2):
        assert not (a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5)


def _riket_line(ax):
    lines = [l for l in ax.lines if l.get_linestyle() == "--"]
    assert len(lines) == 1
    return lines[0].get_xdata()[0]


def _ordered(frame, column, order):
    return pd.concat([frame[frame[column] == v] for v in order], ignore_index=True)


def _stacked_checks(fig, plotted, category_column, categories, colours, amount=B):
    ax = _bar_axes(fig)
    assert len(ax.patches) == len(plotted)
    widths = np.array([p.get_width() for p in ax.patches])
    np.testing.assert_allclose(widths, plotted["andel_procent"].to_numpy(dtype=float))
    for patch, cat in zip(ax.patches, plotted[category_column]):
        assert patch.get_facecolor() == pytest.approx(to_rgba(colours[cat]))
    # segments of a county follow each other: lefts are the running sums
    lefts = {}
    for patch, code in zip(ax.patches, plotted["lan_kod"]):
        assert patch.get_x() == pytest.approx(lefts.get(code, 0.0))
        lefts[code] = lefts.get(code, 0.0) + patch.get_width()
    # one bar row per county plus Riket, Riket bold and last, labels apart
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Riket (medel totalt)" and len(labels) == 22
    assert labels[:-1] == [c["lan"] for c in reference.counties()]
    assert ax.get_yticklabels()[-1].get_fontweight() == "bold"
    fig.canvas.draw()
    _no_overlap(fig, ax.get_yticklabels())
    # the per cent in each segment of 5 % or more, none in thinner ones
    shown = [t for t in ax.texts if t.get_text().endswith(" %")]
    assert len(shown) == int((plotted["andel_procent"] >= 5).sum())
    # the county's total at the bar's end, in Swedish format
    totals = plotted.groupby("lan_kod")[amount].sum()
    end_texts = {t.get_text() for t in ax.texts if t.get_position()[0] > 100}
    for total in totals:
        assert charts.sv_number(total, 1) in end_texts
    return ax


# --------------------------------------------------------------------------- the 100 % bars

def test_area_shares_by_county_draws_the_table():
    table = area_table()
    fig, plotted = charts.area_shares_by_county(table, "beviljat", 2021, 2024, synthetic=True)
    assert_frame_equal(plotted, _ordered(table, "omrade_id", AREAS))
    assert list(plotted.columns) == ["lan_kod", "lan", "omrade_id", B, "andel_procent"]
    _stacked_checks(fig, plotted, "omrade_id", AREAS, figures.AREA_COLOURS)
    ax = _bar_axes(fig)
    assert _flat(ax.get_title(loc="left")) == ("Andel av totalt beviljat belopp uppdelat på strategiska områden "
                                               "och län, 2021–2024 (procent och miljoner kronor)")
    legend = [_flat(t.get_text()) for t in ax.get_legend().get_texts()]
    assert legend == [reference.label(a) for a in AREAS]
    assert _has(fig, "Totalt (mnkr)") and _has(fig, "Riket (medel totalt)")
    assert "5,1 %" not in _texts(fig)  # per cent without decimals, Swedish spacing
    assert any(t.endswith(" %") and t[:-2].isdigit() for t in _texts(fig))


def test_area_shares_by_county_on_paid_amount():
    table = area_table(amount="utbetalt_mkr")
    fig, plotted = charts.area_shares_by_county(table, "utbetalt", 2022, 2023, synthetic=False)
    assert list(plotted.columns) == ["lan_kod", "lan", "omrade_id", "utbetalt_mkr", "andel_procent"]
    assert _has(fig, "Andel av totalt utbetalt belopp") and _has(fig, "2022–2023")
    _stacked_checks(fig, plotted, "omrade_id", AREAS, figures.AREA_COLOURS, amount="utbetalt_mkr")
    with pytest.raises(ValueError, match="amount_basis"):
        charts.area_shares_by_county(table, "utbet", 2022, 2023, synthetic=False)


def test_annat_shares_by_county_draws_the_table_with_footnote():
    table = area_table(categories=ANNAT, column="omrade")
    fig, plotted = charts.annat_shares_by_county(table, "beviljat", 2021, 2024, synthetic=True)
    assert_frame_equal(plotted, _ordered(table, "omrade", ANNAT))
    _stacked_checks(fig, plotted, "omrade", ANNAT, figures.ANNAT_COLOURS)
    assert _has(fig, "Annat är en summering av Internationellt samarbete, UPPGIFT SAKNAS, Övriga insatser, "
                     "Övrigt och Övrigt genomförande av RUS.")
    legend = [_flat(t.get_text()) for t in _bar_axes(fig).get_legend().get_texts()]
    assert legend == list(reference.annat_values())


def test_support_type_by_county_sums_the_areas():
    table = support_table()
    fig, plotted = charts.support_type_by_county(table, "beviljat", synthetic=True)
    expected = table.groupby(["lan_kod", "lan", "stodtyp"], sort=False, as_index=False)[B].sum()
    expected = _ordered(_shares(expected, "lan_kod"), "stodtyp", TYPES)  # counties stay in order, Riket last
    assert_frame_equal(plotted, expected)
    _stacked_checks(fig, plotted, "stodtyp", TYPES, figures.SUPPORT_TYPE_COLOURS)
    legend = [t.get_text() for t in _bar_axes(fig).get_legend().get_texts()]
    assert all(code in text for code, text in zip(TYPES, legend))
    assert _has(fig, "Beviljat belopp per län uppdelat på stödtyp")


# --------------------------------------------------------------------------- per capita

def test_per_capita_map_colours_the_21_counties():
    table = per_capita_table()
    fig, plotted = charts.per_capita_map(table, "beviljat", 2021, 2024, synthetic=True)
    assert_frame_equal(plotted, table.iloc[:21].reset_index(drop=True))
    ax = next(a for a in fig.axes if a.patches)
    assert len(ax.patches) == 21 and not any(p.get_hatch() for p in ax.patches)
    assert [a for a in fig.axes if a.get_label() == "<colorbar>"]
    assert ax.get_aspect() == pytest.approx(1 / math.cos(math.radians(62)))
    riket = table.iloc[-1]["kr_per_invanare"]
    assert _has(fig, f"Riket: {charts.sv_number(riket)} kr per invånare")
    assert _has(fig, "kr per invånare") and _has(fig, "Beviljat belopp i kronor per invånare per län, 2021–2024")
    # the colours follow the values: the county with most per head has the brightest cividis colour
    patches = {p.get_gid(): p for p in ax.patches}
    top = table.iloc[:21].sort_values("kr_per_invanare").iloc[-1]["lan_kod"]
    assert patches[top].get_facecolor() == pytest.approx(plt.get_cmap("cividis")(1.0))


def test_per_capita_map_hatches_a_county_without_value():
    table = per_capita_table()
    table.loc[table["lan_kod"] == "09", "kr_per_invanare"] = np.nan
    fig, plotted = charts.per_capita_map(table, "utbetalt", 2021, 2024, synthetic=False)
    ax = next(a for a in fig.axes if a.patches)
    hatched = [p.get_gid() for p in ax.patches if p.get_hatch()]
    assert hatched == ["09"] and len(plotted) == 21


def test_per_capita_ranked_bars_sorted_with_riket_line():
    table = per_capita_table()
    fig, plotted = charts.per_capita_ranked(table, "beviljat", 2021, 2024, synthetic=True)
    expected = table.iloc[:21].sort_values("kr_per_invanare", ascending=False).reset_index(drop=True)
    assert_frame_equal(plotted, expected)
    ax = _bar_axes(fig)
    np.testing.assert_allclose([p.get_width() for p in ax.patches], expected["kr_per_invanare"])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(expected["lan"])
    assert _riket_line(ax) == pytest.approx(table.iloc[-1]["kr_per_invanare"])
    assert ax.get_xlabel() == "kr per invånare" and _has(fig, "Riket: ")
    fig.canvas.draw()
    _no_overlap(fig, ax.get_yticklabels())
    _no_overlap(fig, ax.texts)


# --------------------------------------------------------------------------- over time

def test_area_over_time_for_riket():
    table = year_table()
    fig, plotted = charts.area_over_time(table, "beviljat", synthetic=True)
    riket = table[table["lan_kod"] == "00"]
    expected = _ordered(riket.sort_values("beslut_ar", kind="mergesort"), "omrade_id", AREAS)
    assert_frame_equal(plotted, expected)
    ax_amount, ax_share = fig.axes[:2]
    np.testing.assert_allclose([p.get_height() for p in ax_amount.patches], expected[B])
    assert [p.get_x() + p.get_width() / 2 for p in ax_amount.patches] == pytest.approx(list(expected["beslut_ar"]))
    # stacked: each segment starts where the areas before it end
    bottoms = expected.groupby("beslut_ar")[B].cumsum() - expected[B]
    np.testing.assert_allclose([p.get_y() for p in ax_amount.patches], bottoms)
    assert len(ax_share.lines) == 5
    for line, area in zip(ax_share.lines, AREAS):
        part = expected[expected["omrade_id"] == area]
        np.testing.assert_allclose(line.get_ydata(), part["andel_procent"])
        np.testing.assert_allclose(line.get_xdata(), part["beslut_ar"])
        assert to_rgba(line.get_color()) == to_rgba(figures.AREA_COLOURS[area])
    assert ax_share.get_ylim() == (0, 100)
    assert _has(fig, "Riket") and ax_amount.get_xlabel() == "Beslutsår"
    assert [t.get_text() for t in ax_amount.get_xticklabels()] == [str(y) for y in YEARS]


def test_area_over_time_by_county_small_multiples():
    table = year_table()
    fig, plotted = charts.area_over_time_by_county(table, "beviljat", synthetic=False)
    counties = table[table["lan_kod"] != "00"]
    order = {(c, a, y): i for i, (c, a, y) in enumerate(
        (c, a, y) for c in reference.county_codes() for a in AREAS for y in YEARS)}
    expected = counties.assign(_o=[order[k] for k in zip(counties["lan_kod"], counties["omrade_id"],
                                                         counties["beslut_ar"])])
    expected = expected.sort_values("_o").drop(columns="_o").reset_index(drop=True)
    assert_frame_equal(plotted, expected)
    panels = [a for a in fig.axes if a.lines]
    assert len(panels) == 21
    assert [a.get_title(loc="left") for a in panels] == [c["lan_kort"] for c in reference.counties()]
    assert all(a.get_ylim() == (0, 100) for a in panels)
    drawn = np.concatenate([l.get_ydata() for a in panels for l in a.lines])
    np.testing.assert_allclose(drawn, expected["andel_procent"])
    assert len(fig.legends) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [figures.AREA_SHORT[a] for a in AREAS]


def test_mix_shift_ranked_labels_the_area_that_moved_most():
    table = mix_shift_table()
    fig, plotted = charts.mix_shift_ranked(table, 2021, 2024, synthetic=True)
    expected = table.iloc[:21].sort_values(["forandringsindex", "lan_kod"], ascending=[False, True])
    expected = expected.reset_index(drop=True)
    assert_frame_equal(plotted, expected)
    assert list(plotted["rang"]) == list(range(1, 22))
    ax = _bar_axes(fig)
    np.testing.assert_allclose([p.get_width() for p in ax.patches], expected["forandringsindex"])
    for patch, area in zip(ax.patches, expected["storsta_forandring_omrade_id"]):
        assert patch.get_facecolor() == pytest.approx(to_rgba(figures.AREA_COLOURS[area]))
    assert _riket_line(ax) == pytest.approx(6.25)
    row = expected.iloc[0]
    change = row["storsta_forandring_procentenheter"]
    sign = "+" if change > 0 else "\u2212"
    assert _has(fig, f"{figures.AREA_SHORT[row['storsta_forandring_omrade_id']]}: "
                     f"{sign}{charts.sv_number(abs(change), 1)} procentenheter")
    assert _has(fig, "2024 jämfört med 2021") and _has(fig, "Riket: 6,2")
    fig.canvas.draw()
    _no_overlap(fig, ax.get_yticklabels())


# --------------------------------------------------------------------------- priorities, support types

def test_priorities_within_areas_grouped_by_area():
    table = priorities_table()
    fig, plotted = charts.priorities_within_areas(table, "beviljat", synthetic=True)
    ids = [p["id"] for p in reference.elements("prioritering")]
    expected = []
    for area in AREAS[:4]:
        part = table[table["omrade_id"] == area]
        named = part[part["prioritering_id"].notna()].set_index("prioritering_id").loc[
            [i for i in ids if i in set(part["prioritering_id"])]].reset_index()
        expected += [named[table.columns], part[part["prioritering_id"].isna()]]
    expected = pd.concat(expected, ignore_index=True)
    assert_frame_equal(plotted, expected)
    ax = _bar_axes(fig)
    np.testing.assert_allclose([p.get_width() for p in ax.patches], expected["andel_av_omradet_procent"])
    for patch, area, pid in zip(ax.patches, expected["omrade_id"], expected["prioritering_id"]):
        assert patch.get_facecolor()[:3] == pytest.approx(to_rgba(figures.AREA_COLOURS[area])[:3])
        assert bool(patch.get_hatch()) == (pid is None)
    labels = [_flat(t.get_text()) for t in ax.get_yticklabels()]
    assert labels == [reference.label(p) if p else "Ingen prioritering angiven" for p in expected["prioritering_id"]]
    assert all(len(line) <= 46 for t in ax.get_yticklabels() for line in t.get_text().split("\n"))
    for area in AREAS[:4]:
        assert _has(fig, f"{area} {reference.label(area)}")
    fig.canvas.draw()
    _no_overlap(fig, ax.get_yticklabels())


def test_support_type_by_area_for_riket():
    table = support_table()
    fig, plotted = charts.support_type_by_area(table, "beviljat", synthetic=True)
    riket = table[table["lan_kod"] == "00"]
    expected = _ordered(riket, "stodtyp", TYPES)
    expected = pd.concat([_ordered(expected[expected["stodtyp"] == t], "omrade_id", AREAS) for t in TYPES],
                         ignore_index=True)
    assert_frame_equal(plotted, expected)
    ax = _bar_axes(fig)
    np.testing.assert_allclose([p.get_height() for p in ax.patches], expected[B])
    bottoms = expected.groupby("omrade_id")[B].cumsum() - expected[B]
    np.testing.assert_allclose([p.get_y() for p in ax.patches], bottoms)
    for patch, kind in zip(ax.patches, expected["stodtyp"]):
        assert patch.get_facecolor() == pytest.approx(to_rgba(figures.SUPPORT_TYPE_COLOURS[kind]))
    assert _has(fig, "Riket") and "mnkr" in ax.get_ylabel()
    totals = riket.groupby("omrade_id")[B].sum()
    assert all(_has(fig, f"Totalt {charts.sv_number(v, 1)}") for v in totals)


# --------------------------------------------------------------------------- cases, granted and paid

def test_concentration_by_county():
    table = cases_table()
    fig, plotted = charts.concentration_by_county(table, synthetic=True)
    expected = table.iloc[:21].sort_values(["andel_storsta_tiondel_procent", "lan_kod"],
                                           ascending=[False, True]).reset_index(drop=True)
    assert_frame_equal(plotted, expected)
    ax = _bar_axes(fig)
    np.testing.assert_allclose([p.get_width() for p in ax.patches], expected["andel_storsta_tiondel_procent"])
    assert _riket_line(ax) == pytest.approx(41.25)
    for n in expected["arenden"]:
        assert _has(fig, f"({n} ärenden)")
    assert _has(fig, "beviljade belopp") and _has(fig, "Riket: 41,2 %")
    fig.canvas.draw()
    _no_overlap(fig, ax.get_yticklabels())


def test_granted_and_paid_for_riket():
    table = paid_table()
    fig, plotted = charts.granted_and_paid(table, synthetic=True)
    expected = table[table["lan_kod"] == "00"].sort_values("beslut_ar").reset_index(drop=True)
    assert_frame_equal(plotted, expected)
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [*expected["beviljat_mkr"], *expected["utbetalt_mkr"]])
    share_ax = next(a for a in fig.axes if a is not ax and a.lines)
    np.testing.assert_allclose(share_ax.lines[0].get_ydata(), expected["utbetalt_andel_procent"])
    np.testing.assert_allclose(share_ax.lines[0].get_xdata(), expected["beslut_ar"])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["Beviljat belopp", "Utbetalt belopp"] and "Utbetalt av beviljat" in labels[2]
    assert _has(fig, "Riket") and ax.get_xlabel() == "Beslutsår"
    assert _has(fig, f"{charts.sv_number(expected['beviljat_mkr'].iloc[0], 1)}")


# --------------------------------------------------------------------------- every figure

CHARTS = {
    "area": lambda s: charts.area_shares_by_county(area_table(), "beviljat", 2021, 2024, s),
    "annat": lambda s: charts.annat_shares_by_county(area_table(ANNAT, "omrade"), "beviljat", 2021, 2024, s),
    "map": lambda s: charts.per_capita_map(per_capita_table(), "beviljat", 2021, 2024, s),
    "ranked": lambda s: charts.per_capita_ranked(per_capita_table(), "beviljat", 2021, 2024, s),
    "year": lambda s: charts.area_over_time(year_table(), "beviljat", s),
    "year_county": lambda s: charts.area_over_time_by_county(year_table(), "beviljat", s),
    "shift": lambda s: charts.mix_shift_ranked(mix_shift_table(), 2021, 2024, s),
    "prio": lambda s: charts.priorities_within_areas(priorities_table(), "beviljat", s),
    "st_area": lambda s: charts.support_type_by_area(support_table(), "beviljat", s),
    "st_county": lambda s: charts.support_type_by_county(support_table(), "beviljat", s),
    "cases": lambda s: charts.concentration_by_county(cases_table(), s),
    "paid": lambda s: charts.granted_and_paid(paid_table(), s),
}


@pytest.mark.parametrize("name", list(CHARTS))
def test_caption_says_synthetic_only_when_synthetic(name):
    fig, _ = CHARTS[name](True)
    assert figures.SYNTHETIC_CAPTION in _texts(fig)
    assert any(t.startswith("Källa: Tillväxtverket (NYPS2020), projektexport") for t in _texts(fig))
    plt.close(fig)
    fig, plotted = CHARTS[name](False)
    fig.canvas.draw()  # tick labels get their text when drawn
    assert not any("SYNTETISKA" in t for t in _texts(fig))
    assert any(t.startswith("Källa: Tillväxtverket (NYPS2020), projektexport") for t in _texts(fig))
    assert isinstance(plotted, pd.DataFrame) and plotted.index.equals(pd.RangeIndex(len(plotted)))
    # Swedish throughout: no English words a reader would see, no decimal points in numbers
    words = " ".join(_texts(fig))
    for english in ("Share", "Amount", "County", "Year", "Source", "Total ", "per capita"):
        assert english not in words
    numbers = [t for t in _texts(fig) if t[:1].isdigit()]
    assert numbers and not any("." in t for t in numbers)


def test_same_figure_twice_is_the_same_bytes(tmp_path):
    images = []
    for _ in range(2):
        fig, _ = CHARTS["area"](True)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        images.append(buffer.getvalue())
        plt.close(fig)
    assert images[0] == images[1]
    assert not list(tmp_path.iterdir())  # nothing saved by the chart functions
