import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import MultiPolygon, Polygon

from helpers import maps, reference


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _values():
    return {code: float(100 + 10 * i) for i, code in enumerate(reference.county_codes())}


def _county_patches(ax):
    return {p.get_gid(): p for p in ax.patches}


def test_county_shapes_are_the_21_counties_and_cached():
    shapes = maps.county_shapes()
    assert list(shapes) == list(reference.county_codes())
    assert all(isinstance(g, (Polygon, MultiPolygon)) and g.is_valid and not g.is_empty for g in shapes.values())
    assert maps.county_shapes() is shapes
    # WGS84 lon/lat, roughly Sweden
    xmin, ymin, xmax, ymax = np.array([g.bounds for g in shapes.values()]).T
    assert 10 < xmin.min() and xmax.max() < 25 and 55 < ymin.min() and ymax.max() < 70


def test_path_keeps_holes_and_all_parts():
    outer = [(0, 0), (10, 0), (10, 10), (0, 10)]
    hole = [(4, 4), (6, 4), (6, 6), (4, 6)]
    path = maps.geometry_path(MultiPolygon([Polygon(outer, [hole]), Polygon([(20, 0), (22, 0), (22, 2)])]))
    assert list(path.codes).count(MplPath.MOVETO) == 3  # two exteriors and one hole
    # rendered: the ring is filled, the hole stays empty, the second part is there
    fig, ax = plt.subplots(figsize=(2.4, 1))
    fig.subplots_adjust(0, 0, 1, 1)
    ax.set_axis_off()
    ax.add_patch(PathPatch(path, facecolor="black", edgecolor="none"))
    ax.set_xlim(0, 24)
    ax.set_ylim(0, 10)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())

    def dark(x, y):
        px, py = ax.transData.transform((x, y))
        return pixels[int(pixels.shape[0] - py), int(px), 0] < 128

    assert dark(2, 2) and dark(8, 8) and dark(21.5, 0.5)
    assert not dark(5, 5) and not dark(15, 5)
    stockholm = maps.county_shapes()["01"]
    assert list(maps.geometry_path(stockholm).codes).count(MplPath.MOVETO) >= len(stockholm.geoms)


def test_choropleth_draws_every_county_with_colour_bar_and_aspect():
    fig, ax = plt.subplots()
    values = _values()
    mappable = maps.draw_choropleth(ax, values, label="kr per invånare")
    patches = _county_patches(ax)
    assert len(ax.patches) == 21 and set(patches) == set(reference.county_codes())
    for code, value in values.items():
        assert patches[code].get_facecolor() == pytest.approx(mappable.to_rgba(value))
        assert not patches[code].get_hatch()
    assert mappable.norm.vmin == min(values.values()) and mappable.norm.vmax == max(values.values())
    assert mappable.get_cmap().name == "cividis"
    colorbars = [a for a in fig.axes if a.get_label() == "<colorbar>"]
    assert len(colorbars) == 1 and mappable.colorbar is not None
    assert mappable.colorbar.ax.get_ylabel() == "kr per invånare"
    assert ax.get_aspect() == pytest.approx(1 / math.cos(math.radians(62)))
    assert not ax.axison
    assert ax.get_legend() is None  # nothing missing, no 'Uppgift saknas'


def test_county_without_value_is_hatched_grey():
    fig, ax = plt.subplots()
    values = _values()
    del values["09"]
    values["25"] = float("nan")
    maps.draw_choropleth(ax, values, label="kr per invånare")
    patches = _county_patches(ax)
    assert len(ax.patches) == 21
    for code in ("09", "25"):
        assert patches[code].get_hatch()
        r, g, b, _ = patches[code].get_facecolor()
        assert r == pytest.approx(g) == pytest.approx(b)  # grey
    assert not patches["01"].get_hatch()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Uppgift saknas"]


def test_colour_bar_ticks_use_the_given_format():
    fig, ax = plt.subplots()
    values = {code: 1000.0 * (i + 1) for i, code in enumerate(reference.county_codes())}
    mappable = maps.draw_choropleth(ax, values, cmap="viridis", label="kronor", fmt=lambda v: f"{v:,.0f} kr".replace(",", " "))
    fig.canvas.draw()
    labels = [t.get_text() for t in mappable.colorbar.ax.get_yticklabels() if t.get_text()]
    assert labels and all(t.endswith(" kr") for t in labels) and any(" 000 kr" in t for t in labels)
    assert mappable.get_cmap().name == "viridis"
    # default format: Swedish numbers
    fig2, ax2 = plt.subplots()
    m2 = maps.draw_choropleth(ax2, values, label="kronor")
    fig2.canvas.draw()
    assert any(t.get_text() == "10 000" for t in m2.colorbar.ax.get_yticklabels())


def test_all_values_equal_or_missing_still_draws():
    fig, ax = plt.subplots()
    mappable = maps.draw_choropleth(ax, dict.fromkeys(reference.county_codes(), 5.0), label="x")
    assert len(ax.patches) == 21 and mappable.norm.vmin < 5.0 < mappable.norm.vmax
    fig2, ax2 = plt.subplots()
    maps.draw_choropleth(ax2, {}, label="x")
    assert all(p.get_hatch() for p in ax2.patches) and len(ax2.patches) == 21
