"""The theory of change (förändringsteori) for the policy area, kept as data and drawn as a
diagram: from the national strategy's strategic areas and priorities, through the activities that
appropriation 1:1 funds (NYPS records them as result chains, `resultatkedja`), to short-term
results, long-term outcomes (effekter) and the public statistics that follow them.

The theory lives in two files under data/reference (described in forandringsteori.md there):

`forandringsteori_noder.csv` — one row per box: `id` (unique, letters, digits, `.`, `_`, `-`),
`niva` (omrade, prioritering, aktivitet, resultat, effekt, indikator), `etikett` (Swedish label;
for an area or priority exactly the framework's label, for an activity exactly the NYPS
resultatkedja value), `element_id` (the framework id for areas and priorities, empty otherwise),
`beskrivning` (one Swedish sentence), `kalla` (for indicators: the public statistic).

`forandringsteori_kanter.csv` — one row per arrow: `fran`, `till`, `antagande` (the assumption
the arrow rests on, Swedish).

read_theory checks, naming file, row and value on failure: the columns; ids unique and
well-formed; niva known; no cell with surrounding spaces; areas and priorities are framework
elements of the right type with the framework's label, and all four areas and twelve priorities
are present; other levels carry no element_id; indicators name a source; activity labels are
unique and "Övrigt" is not one (it is deliberately outside the theory); every edge joins
existing nodes and leads one step on, omrade → prioritering → aktivitet → resultat → effekt, or
from a resultat or effekt to an indikator (so the graph is acyclic); no duplicate edges; an area
leads only to its own priorities and every priority has an edge from its area; every node has
an edge; every area, priority, activity and result has a path to an effekt. An activity need not
have an edge from a priority: "Kapacitet för regionalt utvecklingsarbete" is a basic
prerequisite of the strategy (GF1) rather than one priority's means.

chain_flows matches NYPS projects onto the theory: a project with area SO1–SO4 starts at its
priority's node (or at its area's node when it has no priority) and ends at the activity whose
label is its resultatkedja. The flow is in the theory (`i_teorin`) when the theory declares that
path: area → priority → activity, or, without a priority, area → any of its priorities → activity.
Everything else is kept, with the reason it falls outside (`utanfor`), so that coverage adds up
to the whole granted amount.
"""
from __future__ import annotations

import csv
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch

from .. import figures, reference
from ..display import sv_number
from ..paths import REFERENCE_DIR, resolve

NODES_FILE = REFERENCE_DIR / "forandringsteori_noder.csv"
EDGES_FILE = REFERENCE_DIR / "forandringsteori_kanter.csv"
NODE_COLUMNS = ("id", "niva", "etikett", "element_id", "beskrivning", "kalla")
EDGE_COLUMNS = ("fran", "till", "antagande")

LEVELS = ("omrade", "prioritering", "aktivitet", "resultat", "effekt", "indikator")
LEVEL_TITLES = {
    "omrade": "Strategiskt område",
    "prioritering": "Prioritering",
    "aktivitet": "Aktivitet (resultatkedja i NYPS)",
    "resultat": "Resultat",
    "effekt": "Effekt",
    "indikator": "Indikator",
}
# The only arrows a theory may draw: one step on, and indicators hung on results or outcomes.
ALLOWED_EDGES = (
    ("omrade", "prioritering"),
    ("prioritering", "aktivitet"),
    ("aktivitet", "resultat"),
    ("resultat", "effekt"),
    ("resultat", "indikator"),
    ("effekt", "indikator"),
)
FRAMEWORK_TYPES = {"omrade": "strategiskt_omrade", "prioritering": "prioritering"}
OUTSIDE_CHAINS = ("Övrigt",)  # NYPS result chains the theory leaves out on purpose
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

# Why granted money falls outside the theory, in the order the checks are made.
REASON_AREA = "Område utanför strategins fyra (Annat)"
REASON_NO_CHAIN = "Resultatkedja saknas"
REASON_OUTSIDE_CHAIN = "Resultatkedjan Övrigt (utanför teorin)"
REASON_UNKNOWN_CHAIN = "Resultatkedja som teorin inte tar upp"
REASON_UNDECLARED = "Samband som teorin inte anger"
REASONS = (REASON_AREA, REASON_NO_CHAIN, REASON_OUTSIDE_CHAIN, REASON_UNKNOWN_CHAIN, REASON_UNDECLARED)

FLOW_COLUMNS = ("omrade_id", "prioritering_id", "resultatkedja", "fran", "till",
                "antal_projekt", "belopp", "mnkr", "i_teorin", "utanfor")
MSEK = 1_000_000
SOURCE = "Tillväxtverket (NYPS2020), projektexport; studiens förändringsteori (data/reference)"


class TheoryError(ValueError):
    """The theory files, or the projects matched onto them, do not hold what the study needs."""


@dataclass(frozen=True)
class Theory:
    nodes: pd.DataFrame  # NODE_COLUMNS, file order
    edges: pd.DataFrame  # EDGE_COLUMNS, file order

    def level(self, niva: str) -> pd.DataFrame:
        return self.nodes[self.nodes["niva"] == niva]

    def children(self, node_id: str) -> list[str]:
        return self.edges.loc[self.edges["fran"] == node_id, "till"].tolist()

    def parents(self, node_id: str) -> list[str]:
        return self.edges.loc[self.edges["till"] == node_id, "fran"].tolist()


# --------------------------------------------------------------------------- reading

def _read_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, row) for every data row; every cell present."""
    if not path.is_file():
        raise TheoryError(f"{path}: file not found")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise TheoryError(
                f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}"
            )
        rows = []
        for number, row in enumerate(reader, start=2):
            if None in row or any(row[c] is None for c in columns):
                raise TheoryError(f"{path}, row {number}: expected {len(header)} fields ({', '.join(header)})")
            for c in columns:
                if row[c] != row[c].strip():
                    raise TheoryError(f"{path}, row {number}: {c} {row[c]!r} has leading or trailing spaces")
            rows.append((number, {c: row[c] for c in columns}))
    if not rows:
        raise TheoryError(f"{path}: no rows")
    return rows


def _check_nodes(path: Path, rows) -> dict[str, tuple[int, dict]]:
    framework = {e["id"]: e for e in reference.framework()}
    by_id: dict[str, tuple[int, dict]] = {}
    by_element: dict[str, int] = {}
    activity_labels: dict[str, int] = {}
    for n, row in rows:
        where = f"{path}, row {n}"
        node_id, niva = row["id"], row["niva"]
        if not ID_RE.fullmatch(node_id):
            raise TheoryError(f"{where}: id {node_id!r} is not letters, digits, '.', '_' or '-' "
                              "starting with a letter or digit")
        if node_id in by_id:
            raise TheoryError(f"{where}: id {node_id!r} is already used on row {by_id[node_id][0]}; ids must be unique")
        if niva not in LEVELS:
            raise TheoryError(f"{where}: niva {niva!r} is not one of {', '.join(LEVELS)}")
        for column in ("etikett", "beskrivning"):
            if not row[column]:
                raise TheoryError(f"{where}: {column} is empty for node {node_id!r}; expected Swedish text")
        element_id = row["element_id"]
        if niva in FRAMEWORK_TYPES:
            typ = FRAMEWORK_TYPES[niva]
            element = framework.get(element_id)
            if element is None or element["typ"] != typ:
                raise TheoryError(
                    f"{where}: element_id {element_id!r} of {niva} {node_id!r} is not a framework element of typ {typ}"
                )
            if element_id in by_element:
                raise TheoryError(f"{where}: element_id {element_id!r} is already used on row {by_element[element_id]}")
            by_element[element_id] = n
            if row["etikett"] != element["etikett"]:
                raise TheoryError(
                    f"{where}: etikett {row['etikett']!r} of {niva} {node_id!r} differs from the framework's "
                    f"label of {element_id}, {element['etikett']!r}"
                )
        elif element_id:
            raise TheoryError(f"{where}: element_id {element_id!r} given for {niva} {node_id!r}; expected empty "
                              "(only omrade and prioritering map to the framework)")
        if niva == "indikator" and not row["kalla"]:
            raise TheoryError(f"{where}: kalla is empty for indikator {node_id!r}; "
                              "expected the public statistic it comes from")
        if niva == "aktivitet":
            label = row["etikett"]
            if label in OUTSIDE_CHAINS:
                raise TheoryError(f"{where}: aktivitet {node_id!r} has etikett {label!r}, a result chain the theory "
                                  "leaves out on purpose; expected another NYPS resultatkedja value")
            if label in activity_labels:
                raise TheoryError(f"{where}: aktivitet etikett {label!r} is already used on row {activity_labels[label]}; "
                                  "each NYPS resultatkedja value maps to one activity")
            activity_labels[label] = n
        by_id[node_id] = (n, row)
    for typ_level, typ in FRAMEWORK_TYPES.items():
        for element in reference.elements(typ):
            if element["id"] not in by_element:
                raise TheoryError(f"{path}: no {typ_level} node for framework element {element['id']} "
                                  f"({element['etikett']!r}); the theory must hold every area and priority")
    return by_id


def _check_edges(path: Path, rows, nodes_path: Path, nodes: dict[str, tuple[int, dict]]) -> None:
    seen: dict[tuple[str, str], int] = {}
    allowed = ", ".join(f"{a} → {b}" for a, b in ALLOWED_EDGES)
    for n, row in rows:
        where = f"{path}, row {n}"
        for column in ("fran", "till"):
            if row[column] not in nodes:
                raise TheoryError(f"{where}: {column} {row[column]!r} is not a node id in {nodes_path}")
        if not row["antagande"]:
            raise TheoryError(f"{where}: antagande is empty for {row['fran']!r} → {row['till']!r}; "
                              "expected the assumption the arrow rests on")
        a, b = nodes[row["fran"]][1], nodes[row["till"]][1]
        pair = (a["niva"], b["niva"])
        if pair not in ALLOWED_EDGES:
            if LEVELS.index(b["niva"]) <= LEVELS.index(a["niva"]):
                problem = "goes backward or stays on one level"
            elif b["niva"] == "indikator":
                problem = "hangs an indikator on something other than a resultat or effekt"
            else:
                problem = "skips a level"
            raise TheoryError(f"{where}: edge {row['fran']!r} ({a['niva']}) → {row['till']!r} ({b['niva']}) {problem}; "
                              f"expected one of {allowed}")
        key = (row["fran"], row["till"])
        if key in seen:
            raise TheoryError(f"{where}: edge {row['fran']!r} → {row['till']!r} is already on row {seen[key]}")
        seen[key] = n
        if pair == ("omrade", "prioritering"):
            parent = reference.priority_area(b["element_id"])
            if parent != a["element_id"]:
                raise TheoryError(f"{where}: edge {row['fran']!r} → {row['till']!r} joins priority {b['element_id']} "
                                  f"to area {a['element_id']}; the framework places it under {parent}")


def _check_graph(nodes_path: Path, nodes: dict[str, tuple[int, dict]], edges: list[tuple[str, str]]) -> None:
    children: dict[str, list[str]] = {i: [] for i in nodes}
    parents: dict[str, list[str]] = {i: [] for i in nodes}
    for a, b in edges:
        children[a].append(b)
        parents[b].append(a)
    for node_id, (n, row) in nodes.items():
        if not children[node_id] and not parents[node_id]:
            raise TheoryError(f"{nodes_path}, row {n}: {row['niva']} {node_id!r} ({row['etikett']!r}) has no edges; "
                              "expected at least one arrow to or from it")
        if row["niva"] == "prioritering" and not any(nodes[p][1]["niva"] == "omrade" for p in parents[node_id]):
            raise TheoryError(f"{nodes_path}, row {n}: prioritering {node_id!r} has no edge from its area "
                              f"{reference.priority_area(row['element_id'])}")
    # Edges only lead forward, so one pass from the last levels back settles reachability.
    reaches: dict[str, bool] = {}
    for niva in reversed(LEVELS):
        for node_id, (n, row) in nodes.items():
            if row["niva"] == niva:
                reaches[node_id] = niva == "effekt" or any(reaches.get(c, False) for c in children[node_id])
    for node_id, (n, row) in nodes.items():
        if row["niva"] in LEVELS[:4] and not reaches[node_id]:
            raise TheoryError(f"{nodes_path}, row {n}: {row['niva']} {node_id!r} ({row['etikett']!r}) has no path "
                              "to an effekt; expected every area, priority, activity and result to lead to one")


def read_theory(nodes_path: str | Path = NODES_FILE, edges_path: str | Path = EDGES_FILE) -> Theory:
    """Read and check the theory (see the module docstring for the rules)."""
    nodes_path, edges_path = resolve(nodes_path), resolve(edges_path)
    node_rows = _read_rows(nodes_path, NODE_COLUMNS)
    edge_rows = _read_rows(edges_path, EDGE_COLUMNS)
    nodes = _check_nodes(nodes_path, node_rows)
    _check_edges(edges_path, edge_rows, nodes_path, nodes)
    _check_graph(nodes_path, nodes, [(r["fran"], r["till"]) for _, r in edge_rows])
    return Theory(
        nodes=pd.DataFrame([r for _, r in node_rows], columns=list(NODE_COLUMNS), dtype=object),
        edges=pd.DataFrame([r for _, r in edge_rows], columns=list(EDGE_COLUMNS), dtype=object),
    )


# --------------------------------------------------------------------------- money along the theory

def _text(values: pd.Series) -> pd.Series:
    """Strings with null as ""."""
    return values.map(lambda v: "" if pd.isna(v) else str(v))


def chain_flows(projects: pd.DataFrame, theory: Theory, amount_column: str = "beviljat_belopp") -> pd.DataFrame:
    """Amount and number of projects per observed (omrade_id, prioritering_id, resultatkedja),
    matched onto the theory. Columns FLOW_COLUMNS: `fran` is the node of the project's priority
    (its area's node without a priority; "" outside SO1–SO4), `till` the activity node of its
    resultatkedja ("" when there is none), `belopp` SEK, `mnkr` MSEK, `i_teorin` whether the theory
    declares the path, `utanfor` the reason (one of REASONS) when it does not, else "".
    A null amount counts as 0 (as for utbet_belopp, where null means nothing paid)."""
    need = ["omrade_id", "prioritering_id", "resultatkedja", amount_column]
    missing = [c for c in need if c not in projects.columns]
    if missing:
        raise TheoryError(f"projects: missing column(s) {', '.join(missing)}; expected {', '.join(need)}")
    row_label = (projects["kalla_rad"].astype(str).map(lambda v: f"kalla_rad {v}") if "kalla_rad" in projects.columns
                 else pd.Series([f"row {i}" for i in projects.index], index=projects.index))
    amounts = pd.to_numeric(projects[amount_column], errors="coerce")
    bad = amounts.isna() & projects[amount_column].notna()
    if bad.any():
        first = bad.idxmax()
        raise TheoryError(f"projects, {row_label[first]}: {amount_column} {projects[amount_column][first]!r} "
                          "is not a number")
    frame = pd.DataFrame({
        "omrade_id": _text(projects["omrade_id"]),
        "prioritering_id": _text(projects["prioritering_id"]),
        "resultatkedja": _text(projects["resultatkedja"]),
        "belopp": amounts.fillna(0.0).astype(float),
        "rad": row_label,
    })
    keys = ["omrade_id", "prioritering_id", "resultatkedja"]
    grouped = frame.groupby(keys, sort=False).agg(
        antal_projekt=("belopp", "size"), belopp=("belopp", "sum"), rad=("rad", "first")).reset_index()

    area_node = dict(zip(theory.level("omrade")["element_id"], theory.level("omrade")["id"]))
    priority_node = dict(zip(theory.level("prioritering")["element_id"], theory.level("prioritering")["id"]))
    activity_node = dict(zip(theory.level("aktivitet")["etikett"], theory.level("aktivitet")["id"]))
    declared = set(zip(theory.edges["fran"], theory.edges["till"]))
    annat_ids = {reference.ANNAT} | {e["id"] for e in reference.elements("annat")}

    rows = []
    for g in grouped.itertuples(index=False):
        area, priority, chain = g.omrade_id, g.prioritering_id, g.resultatkedja
        where = f"projects, {g.rad}"
        if area not in area_node and area not in annat_ids:
            raise TheoryError(f"{where}: omrade_id {area!r} is neither an area of the theory "
                              f"({', '.join(area_node)}) nor Annat ({', '.join(sorted(annat_ids))})")
        if area in area_node and priority:
            if priority not in priority_node:
                raise TheoryError(f"{where}: prioritering_id {priority!r} is not a priority of the theory "
                                  f"({', '.join(priority_node)})")
            if reference.priority_area(priority) != area:
                raise TheoryError(f"{where}: prioritering_id {priority!r} belongs to "
                                  f"{reference.priority_area(priority)}, not to omrade_id {area!r}")
        fran = "" if area not in area_node else priority_node[priority] if priority else area_node[area]
        till = activity_node.get(chain, "")
        if area not in area_node:
            reason = REASON_AREA
        elif not chain:
            reason = REASON_NO_CHAIN
        elif chain in OUTSIDE_CHAINS:
            reason = REASON_OUTSIDE_CHAIN
        elif not till:
            reason = REASON_UNKNOWN_CHAIN
        else:
            if priority:
                inside = (area_node[area], fran) in declared and (fran, till) in declared
            else:
                inside = any((p, till) in declared for p in theory.children(fran))  # via any of its priorities
            reason = "" if inside else REASON_UNDECLARED
        rows.append((area, priority, chain, fran, till, int(g.antal_projekt), float(g.belopp),
                     float(g.belopp) / MSEK, reason == "", reason))
    flows = pd.DataFrame(rows, columns=list(FLOW_COLUMNS))
    return _sorted_flows(flows, theory)


def _sorted_flows(flows: pd.DataFrame, theory: Theory) -> pd.DataFrame:
    """Areas, priorities and activities in the theory's order; values outside it after, sorted."""
    def rank(column: str, order: list[str]) -> pd.Series:
        position = {v: i for i, v in enumerate(order)}
        extra = sorted(set(flows[column]) - set(position))
        position.update({v: len(order) + i for i, v in enumerate(extra)})
        return flows[column].map(position)

    ranks = pd.DataFrame({
        "a": rank("omrade_id", theory.level("omrade")["element_id"].tolist()),
        "p": rank("prioritering_id", [""] + theory.level("prioritering")["element_id"].tolist()),
        "r": rank("resultatkedja", theory.level("aktivitet")["etikett"].tolist()),
    })
    return flows.loc[ranks.sort_values(["a", "p", "r"], kind="mergesort").index].reset_index(drop=True)


def coverage(flows: pd.DataFrame) -> dict:
    """How much of the amount follows the theory's paths, and what is outside, by reason.

    Returns {"totalt_mnkr", "i_teorin_mnkr", "andel_i_teorin_procent", "utanfor_mnkr": {reason:
    mnkr}, "utanfor_procent": {reason: per cent}}, every reason of REASONS present in that order
    (0.0 when none). Shares are per cent of the total, 0.0 when the total is zero."""
    missing = [c for c in ("belopp", "i_teorin", "utanfor") if c not in flows.columns]
    if missing:
        raise TheoryError(f"flows: missing column(s) {', '.join(missing)}; expected the output of chain_flows")
    unknown = sorted(set(flows.loc[~flows["i_teorin"].astype(bool), "utanfor"]) - set(REASONS))
    if unknown:
        raise TheoryError(f"flows: utanfor value(s) {unknown} outside the theory are not among {list(REASONS)}")
    total = float(flows["belopp"].sum())
    inside = float(flows.loc[flows["i_teorin"].astype(bool), "belopp"].sum())

    def share(amount: float) -> float:
        return 100.0 * amount / total if total else 0.0

    outside = {r: float(flows.loc[~flows["i_teorin"].astype(bool) & (flows["utanfor"] == r), "belopp"].sum())
               for r in REASONS}
    return {
        "totalt_mnkr": total / MSEK,
        "i_teorin_mnkr": inside / MSEK,
        "andel_i_teorin_procent": share(inside),
        "utanfor_mnkr": {r: v / MSEK for r, v in outside.items()},
        "utanfor_procent": {r: share(v) for r, v in outside.items()},
    }


# --------------------------------------------------------------------------- the diagram

FIGSIZE = (17.0, 11.5)
_TOP, _BOTTOM = 0.905, 0.105  # the band the boxes use, in figure fractions
_COLUMN_X = (0.075, 0.235, 0.405, 0.575, 0.745, 0.905)  # box centres, one per level
_COLUMN_W = (0.125, 0.14, 0.14, 0.14, 0.125, 0.155)
_FONT = {"omrade": 8.5, "prioritering": 7.5, "aktivitet": 7.5, "resultat": 7.5, "effekt": 8.0, "indikator": 7.3}
_SUB_FONT = 6.5
_MAX_HEIGHT = {"effekt": 0.085}  # outcome boxes stay short so that indicator lines pass between them
_DEFAULT_MAX_HEIGHT = 0.13
_LINE = 1.22  # line height as a multiple of the font size
_INK = "#333333"
_EDGE_GREY = "#9A9A9A"
_LEVEL_FILL = {"resultat": "#F2F2F2", "effekt": "#E1EEF8", "indikator": "#FFFFFF"}
_LEVEL_BORDER = {"resultat": "#7F7F7F", "effekt": "#35627F", "indikator": "#9A9A9A"}
_MAX_WIDTH = 9.0  # line width of the largest flow, points


def _tint(colour: str, white: float) -> tuple[float, float, float]:
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * white, g + (1 - g) * white, b + (1 - b) * white)


def _wrap(text: str, font: float, width_fraction: float, fig_width: float, bold: bool = False) -> list[str]:
    # DejaVu Sans averages about 0.58 em per character (0.64 bold); keep a margin inside the box.
    chars = max(8, int((width_fraction * fig_width * 72 - 12) / (font * (0.64 if bold else 0.58))))
    return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [text]


def _node_area(theory: Theory) -> dict[str, str]:
    """Area element id of each area, priority and activity (activities through their priorities,
    only when all lead back to one area)."""
    out = {r.id: r.element_id for r in theory.level("omrade").itertuples()}
    for r in theory.level("prioritering").itertuples():
        out[r.id] = reference.priority_area(r.element_id)
    for r in theory.level("aktivitet").itertuples():
        areas = {out[p] for p in theory.parents(r.id) if p in out}
        if len(areas) == 1:
            out[r.id] = areas.pop()
    return out


def _layout(theory: Theory) -> dict[str, tuple[float, float, float, float]]:
    """Box (x centre, y centre, width, height) per node in figure fractions. Priorities keep the
    framework's order; areas sit beside their priorities; later columns are ordered by the mean
    height of their parents (nodes without parents last), which keeps crossings few."""
    band = _TOP - _BOTTOM
    y: dict[str, float] = {}
    heights: dict[str, float] = {}

    def spread(ids: list[str], niva: str) -> None:
        slot = band / max(len(ids), 1)
        for i, node_id in enumerate(ids):
            y[node_id] = _TOP - (i + 0.5) * slot
            heights[node_id] = min(0.8 * slot, _MAX_HEIGHT.get(niva, _DEFAULT_MAX_HEIGHT))

    spread(theory.level("prioritering")["id"].tolist(), "prioritering")
    areas = theory.level("omrade")["id"].tolist()
    spread(areas, "omrade")
    wanted = {a: float(np.mean([y[c] for c in theory.children(a)])) for a in areas}
    ordered = sorted(areas, key=lambda a: -wanted[a])
    height = heights[areas[0]] if areas else 0.0
    if all(wanted[a] - wanted[b] > height + 0.01 for a, b in zip(ordered, ordered[1:])):
        y.update(wanted)
    for niva in LEVELS[2:]:
        ids = theory.level(niva)["id"].tolist()
        def key(node_id: str) -> tuple[int, float]:
            placed = [y[p] for p in theory.parents(node_id) if p in y]
            return (0, -float(np.mean(placed))) if placed else (1, 0.0)
        spread(sorted(ids, key=key), niva)  # sorted is stable: file order breaks ties
    return {node_id: (_COLUMN_X[LEVELS.index(niva)], y[node_id], _COLUMN_W[LEVELS.index(niva)], heights[node_id])
            for node_id, niva in zip(theory.nodes["id"], theory.nodes["niva"])}


def _curve(x0: float, y0: float, x1: float, y1: float, n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """A smooth S from one box's right edge to the next one's left edge (cubic Bézier)."""
    t = np.linspace(0.0, 1.0, n)
    xm = (x0 + x1) / 2
    xs = (1 - t) ** 3 * x0 + 3 * (1 - t) ** 2 * t * xm + 3 * (1 - t) * t ** 2 * xm + t ** 3 * x1
    ys = (1 - t) ** 3 * y0 + 3 * (1 - t) ** 2 * t * y0 + 3 * (1 - t) * t ** 2 * y1 + t ** 3 * y1
    return xs, ys


def _gap_routes(theory: Theory, box: dict) -> dict[tuple[str, str], float]:
    """For each resultat → indikator edge, the height at which it crosses the outcome column:
    the gap between outcome boxes nearest its ends, lines sharing a gap set a little apart."""
    effects = sorted(theory.level("effekt")["id"], key=lambda i: -box[i][1])
    bounds = [_TOP] + [v for i in effects for v in (box[i][1] + box[i][3] / 2, box[i][1] - box[i][3] / 2)] + [_BOTTOM]
    gaps = [(bounds[k] + bounds[k + 1]) / 2 for k in range(0, len(bounds), 2)]
    level_of = dict(zip(theory.nodes["id"], theory.nodes["niva"]))
    chosen: dict[int, list[tuple[str, str]]] = {}
    for fran, till in zip(theory.edges["fran"], theory.edges["till"]):
        if level_of[fran] == "resultat" and level_of[till] == "indikator":
            middle = (box[fran][1] + box[till][1]) / 2
            k = min(range(len(gaps)), key=lambda g: (abs(gaps[g] - middle), g))
            chosen.setdefault(k, []).append((fran, till))
    routes = {}
    for k, pairs in chosen.items():
        pairs.sort(key=lambda p: (-box[p[1]][1], -box[p[0]][1]))
        for j, pair in enumerate(pairs):
            routes[pair] = gaps[k] + (len(pairs) - 1 - 2 * j) * 0.004
    return routes


def _check_flows(theory: Theory, flows: pd.DataFrame) -> None:
    missing = [c for c in FLOW_COLUMNS if c not in flows.columns]
    if missing:
        raise TheoryError(f"flows: missing column(s) {', '.join(missing)}; expected the output of chain_flows")
    known = set(theory.nodes["id"]) | {""}
    strange = sorted((set(flows["fran"]) | set(flows["till"])) - known)
    if strange:
        raise TheoryError(f"flows: node id(s) {strange} are not in the theory; were the flows made with another one?")


def draw(theory: Theory, flows: pd.DataFrame, synthetic: bool):
    """The theory as a diagram, one column per level, with the money of `flows` on the arrows into
    the activities. Boxes are FancyBboxPatch with gid "nod_<id>"; arrows are lines with gid
    "kant_<fran>__<till>" (theory edges) or "flode_<area>__<activity>" (projects without a priority)."""
    _check_flows(theory, flows)
    figures.style()
    fig = plt.figure(figsize=FIGSIZE)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    box = _layout(theory)
    area_of = _node_area(theory)
    fig_w, fig_h = FIGSIZE

    inside = flows[flows["i_teorin"].astype(bool)]
    money = inside.groupby(["fran", "till"])["mnkr"].sum().to_dict()
    biggest = max(money.values(), default=0.0)

    def width(mnkr: float) -> float:
        return 0.8 + (_MAX_WIDTH - 0.8) * mnkr / biggest if biggest > 0 else 0.8

    level_of = dict(zip(theory.nodes["id"], theory.nodes["niva"]))
    routes = _gap_routes(theory, box)
    effect_x, effect_w = _COLUMN_X[LEVELS.index("effekt")], _COLUMN_W[LEVELS.index("effekt")]
    for fran, till in zip(theory.edges["fran"], theory.edges["till"]):
        x0, y0, w0, _ = box[fran]
        x1, y1, w1, _ = box[till]
        if (fran, till) in routes:  # around the outcome boxes, not behind them
            yg, left, right = routes[(fran, till)], effect_x - effect_w / 2 - 0.012, effect_x + effect_w / 2 + 0.012
            xa, ya = _curve(x0 + w0 / 2, y0, left, yg)
            xb, yb = _curve(right, yg, x1 - w1 / 2, y1)
            xs, ys = np.concatenate([xa, xb]), np.concatenate([ya, yb])
        else:
            xs, ys = _curve(x0 + w0 / 2, y0, x1 - w1 / 2, y1)
        colour = figures.AREA_COLOURS.get(area_of.get(fran, ""), _EDGE_GREY)
        if level_of[till] == "aktivitet":
            amount = money.get((fran, till), 0.0)
            style = dict(lw=width(amount), color=colour, alpha=0.75, solid_capstyle="butt") if amount > 0 else \
                dict(lw=0.9, color=colour, alpha=0.9, linestyle=(0, (4, 3)))
        elif level_of[till] == "prioritering":
            style = dict(lw=2.0, color=colour, alpha=0.85)
        else:
            style = dict(lw=0.9, color=_EDGE_GREY, alpha=0.9)
        ax.plot(xs, ys, zorder=1, gid=f"kant_{fran}__{till}", **style)

    # Projects without a priority run from the area straight to the activity, behind the
    # priority boxes, paler so that they do not read as a priority's money.
    area_ids = set(theory.level("omrade")["id"])
    for (fran, till), amount in sorted(money.items()):
        if fran in area_ids and amount > 0:
            x0, y0, w0, _ = box[fran]
            x1, y1, w1, _ = box[till]
            xs, ys = _curve(x0 + w0 / 2, y0, x1 - w1 / 2, y1)
            ax.plot(xs, ys, zorder=0.5, lw=width(amount), alpha=0.3, solid_capstyle="butt",
                    color=figures.AREA_COLOURS.get(area_of[fran], _EDGE_GREY), gid=f"flode_{fran}__{till}")

    by_activity = flows.groupby("till")["mnkr"].sum().to_dict()
    by_activity_inside = inside.groupby("till")["mnkr"].sum().to_dict()
    for r in theory.nodes.itertuples():
        x, y, w, h = box[r.id]
        area = area_of.get(r.id)
        if r.niva in ("omrade", "prioritering", "aktivitet"):
            base = figures.AREA_COLOURS.get(area, figures.AREA_COLOURS["ANNAT"])
            fill = _tint(base, {"omrade": 0.55, "prioritering": 0.8, "aktivitet": 0.9}[r.niva])
            border = base
        else:
            fill, border = _LEVEL_FILL[r.niva], _LEVEL_BORDER[r.niva]
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.006",
                                    facecolor=fill, edgecolor=border, lw=1.2 if r.niva != "omrade" else 1.8,
                                    zorder=2, gid=f"nod_{r.id}"))
        label = f"{r.element_id} {r.etikett}" if r.element_id else r.etikett
        font = _FONT[r.niva]
        bold = r.niva in ("omrade", "effekt")
        lines = _wrap(label, font, w, fig_w, bold)
        if r.niva == "aktivitet":
            total, own = by_activity.get(r.id, 0.0), by_activity_inside.get(r.id, 0.0)
            sub = [f"{sv_number(total, 1)} mnkr, i teorin {sv_number(own, 1)}"]
        elif r.niva == "indikator":
            sub = _wrap(r.kalla, _SUB_FONT, w, fig_w)
        else:
            sub = []
        # Stack label and sub-line around the box centre: heights in points, then figure fractions.
        block = len(lines) * font * _LINE + len(sub) * _SUB_FONT * _LINE + (2 if sub else 0)
        top = y + block / 2 / (fig_h * 72)
        ax.text(x, top, "\n".join(lines), ha="center", va="top", fontsize=font, color="black",
                linespacing=_LINE, weight="bold" if bold else "normal", zorder=3,
                gid=f"text_{r.id}")
        if sub:
            ax.text(x, y - block / 2 / (fig_h * 72), "\n".join(sub), ha="center", va="bottom", fontsize=_SUB_FONT,
                    color="#444444", linespacing=_LINE, style="italic" if r.niva == "indikator" else "normal",
                    zorder=3, gid=f"sub_{r.id}")

    for niva, x in zip(LEVELS, _COLUMN_X):
        ax.text(x, _TOP + 0.012, LEVEL_TITLES[niva], ha="center", va="bottom", fontsize=10, weight="bold", color=_INK)
    ax.text(0.01, 0.985, "Förändringsteori för anslag 1:1: från strategins områden till effekter och indikatorer",
            ha="left", va="top", fontsize=14, weight="bold", color="black")
    share = coverage(flows)["andel_i_teorin_procent"]
    ax.text(0.01, 0.955, f"{sv_number(share, 0)} % av beviljade medel följer ett samband som teorin anger "
            "(område → prioritering → aktivitet). Linjernas bredd visar beviljat belopp.",
            ha="left", va="top", fontsize=9.5, color=_INK)

    handles = [
        Line2D([], [], color=_INK, lw=5, alpha=0.75, label="Samband i teorin med beviljade medel (bredd efter belopp)"),
        Line2D([], [], color=_INK, lw=0.9, linestyle=(0, (4, 3)), label="Samband i teorin utan beviljade medel"),
        Line2D([], [], color=_INK, lw=5, alpha=0.3, label="Projekt utan angiven prioritering (område → aktivitet)"),
        Line2D([], [], color=_EDGE_GREY, lw=0.9, label="Antaget samband (aktivitet → resultat → effekt → indikator)"),
    ]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.03), ncol=2, frameon=False, fontsize=8.5)
    fig.text(0.99, 0.045, "Belopp i aktivitetsrutorna: allt beviljat med resultatkedjan, även från Annat och "
             "samband utanför teorin;\n\"i teorin\" är den del som följer teorins samband. Resultatkedjan Övrigt "
             "ingår inte i teorin.", ha="right", va="bottom", fontsize=8, color=_INK)
    figures.caption(fig, SOURCE, synthetic)
    return fig
