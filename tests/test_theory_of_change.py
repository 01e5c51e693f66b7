"""The theory of change: the committed data keep the rules, each broken rule is reported with
file, row and value, the NYPS money is matched onto the theory as worked out by hand, and the
diagram has one box per node and the same bytes on every run.

The projects fixture (tests/fixtures/theory_of_change/projects.csv), amounts in MSEK, with the
theory edges each row relies on (asserted in test_fixture_relies_on_these_edges):

  kalla_rad  area  priority  resultatkedja                   MSEK   in theory? / reason
  4, 5       SO1   SO1.1     Hållbar samhällsplanering       2+1.5  yes: SO1 → SO1.1 → akt-samhallsplanering
  6          SO1   SO1.2     Attraktiva livsmiljöer          1      no: SO1.2 does not lead to akt-livsmiljoer
  7          SO3   –         Innovation                      2.75   yes: SO3 → SO3.1 → akt-innovation
  8          SO4   –         Kompetensförsörjning            0.5    no: no SO4 priority leads to akt-kompetens
  9          ANNAT –         Kapacitet för regionalt ...     2.5    no: area outside SO1–SO4
  10         SO2   SO2.1     Övrigt                          0.75   no: Övrigt
  11         SO2   SO2.2     (missing)                       0.25   no: result chain missing
  12         SO3   SO3.4     Besöksnäring                    1.25   no: a chain the theory does not hold

Total 12.5 MSEK; in the theory 3.5 + 2.75 = 6.25 (50 %); outside: Annat 2.5 (20 %), missing
chain 0.25 (2 %), Övrigt 0.75 (6 %), unknown chain 1.25 (10 %), undeclared pair 1 + 0.5 = 1.5 (12 %).
"""
from __future__ import annotations

import csv
from collections import deque
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml
from matplotlib.patches import FancyBboxPatch

from helpers import figures, reference
from helpers.conclusions import theory_of_change as toc
from helpers.nyps.intake import intake

from conftest import FIXTURES, ROOT

HERE = FIXTURES / "theory_of_change"
NEXT_LEVEL = {"omrade": {"prioritering"}, "prioritering": {"aktivitet"}, "aktivitet": {"resultat"},
              "resultat": {"effekt", "indikator"}, "effekt": {"indikator"}, "indikator": set()}


@pytest.fixture(scope="module")
def theory():
    return toc.read_theory()


@pytest.fixture(scope="module")
def sample_projects():
    """The processed table of stage 01, rebuilt from the committed sample as stage 01 does."""
    params = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    return intake(ROOT / params["nyps_path"], params["intake_year_min"], params["intake_year_max"]).projects


def _fixture_projects() -> pd.DataFrame:
    frame = pd.read_csv(HERE / "projects.csv", dtype=str, keep_default_na=False)
    frame["beviljat_belopp"] = frame["beviljat_belopp"].astype(float)
    frame["kalla_rad"] = frame["kalla_rad"].astype(int)
    # as in the processed table: missing priorities and chains are null
    for column in ("prioritering_id", "resultatkedja"):
        frame[column] = frame[column].where(frame[column] != "", None)
    return frame


# --------------------------------------------------------------------------- the committed theory

def test_committed_theory_keeps_the_rules(theory):
    nodes, edges = theory.nodes, theory.edges
    assert list(nodes.columns) == ["id", "niva", "etikett", "element_id", "beskrivning", "kalla"]
    assert list(edges.columns) == ["fran", "till", "antagande"]
    assert nodes["id"].is_unique
    counts = nodes["niva"].value_counts().to_dict()
    assert counts["omrade"] == 4 and counts["prioritering"] == 12 and counts["aktivitet"] == 15
    assert 8 <= counts["resultat"] <= 12 and 4 <= counts["effekt"] <= 6 and 8 <= counts["indikator"] <= 12

    # areas and priorities carry the framework's ids and labels, verbatim
    for niva, typ in (("omrade", "strategiskt_omrade"), ("prioritering", "prioritering")):
        level = nodes[nodes["niva"] == niva]
        assert sorted(level["element_id"]) == sorted(e["id"] for e in reference.elements(typ))
        for row in level.itertuples():
            assert row.etikett == reference.label(row.element_id)
    assert (nodes.loc[~nodes["niva"].isin(["omrade", "prioritering"]), "element_id"] == "").all()
    assert (nodes.loc[nodes["niva"] == "indikator", "kalla"] != "").all()
    assert (nodes["beskrivning"] != "").all() and (edges["antagande"] != "").all()

    # every edge leads one step on, and the graph is acyclic (Kahn's algorithm empties it)
    level = dict(zip(nodes["id"], nodes["niva"]))
    for fran, till in zip(edges["fran"], edges["till"]):
        assert level[till] in NEXT_LEVEL[level[fran]], (fran, till)
    indegree = {i: 0 for i in nodes["id"]}
    for till in edges["till"]:
        indegree[till] += 1
    queue, removed = deque(i for i, d in indegree.items() if d == 0), 0
    while queue:
        node = queue.popleft()
        removed += 1
        for till in edges.loc[edges["fran"] == node, "till"]:
            indegree[till] -= 1
            if indegree[till] == 0:
                queue.append(till)
    assert removed == len(nodes)

    # no isolated node; every area and priority reaches an effekt
    touched = set(edges["fran"]) | set(edges["till"])
    assert set(nodes["id"]) <= touched
    for start in nodes.loc[nodes["niva"].isin(["omrade", "prioritering"]), "id"]:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            seen.add(node)
            todo.extend(edges.loc[edges["fran"] == node, "till"])
        assert any(level[n] == "effekt" for n in seen), start
    # area → priority edges follow the framework
    for fran, till in zip(edges["fran"], edges["till"]):
        if level[fran] == "omrade":
            element = dict(zip(nodes["id"], nodes["element_id"]))
            assert reference.priority_area(element[till]) == element[fran]


def test_every_nyps_result_chain_except_ovrigt_is_an_activity(theory, sample_projects):
    chains = set(sample_projects["resultatkedja"].dropna())
    assert len(chains) == 16 and "Övrigt" in chains
    activities = set(theory.nodes.loc[theory.nodes["niva"] == "aktivitet", "etikett"])
    assert activities == chains - {"Övrigt"}


def test_theory_error_is_a_value_error():
    assert issubclass(toc.TheoryError, ValueError)


# --------------------------------------------------------------------------- broken copies

def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, rows: list[dict], columns) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _index(rows: list[dict], **match) -> int:
    hits = [i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, match
    return hits[0]


def _node(node_id: str, niva: str) -> dict:
    return {"id": node_id, "niva": niva, "etikett": "Ny ruta", "element_id": "", "beskrivning": "En mening.",
            "kalla": "SCB, Befolkningsstatistik" if niva == "indikator" else ""}


def _edge(fran: str, till: str) -> dict:
    return {"fran": fran, "till": till, "antagande": "Ett antagande."}


# Each case edits the committed rows and returns (file the error names: "nodes"/"edges",
# 0-based index of the offending row in that file, the value the message must quote).
def _duplicate_id(nodes, edges):
    nodes.append(_node("res-service", "resultat"))
    return "nodes", len(nodes) - 1, "res-service"


def _unknown_level(nodes, edges):
    i = _index(nodes, id="eff-bo")
    nodes[i]["niva"] = "mal"
    return "nodes", i, "mal"


def _dangling_edge(nodes, edges):
    edges.append(_edge("res-service", "ind-finns-inte"))
    return "edges", len(edges) - 1, "ind-finns-inte"


def _backward_edge(nodes, edges):
    edges.append(_edge("eff-bo", "res-service"))
    return "edges", len(edges) - 1, "eff-bo"


def _skipping_edge(nodes, edges):
    edges.append(_edge("SO1", "akt-service"))
    return "edges", len(edges) - 1, "akt-service"


def _indicator_on_activity(nodes, edges):
    edges.append(_edge("akt-service", "ind-service"))
    return "edges", len(edges) - 1, "ind-service"


def _wrong_area_label(nodes, edges):
    i = _index(nodes, id="SO2")
    nodes[i]["etikett"] = "Kompetensförsörjning i hela landet"
    return "nodes", i, "Kompetensförsörjning i hela landet"


def _wrong_priority_label(nodes, edges):
    i = _index(nodes, element_id="SO4.2")
    nodes[i]["etikett"] = "Hållbara transporter"
    return "nodes", i, "Hållbara transporter"


def _priority_under_other_area(nodes, edges):
    i = _index(edges, fran="SO1", till="SO1.2")
    edges[i]["fran"] = "SO2"
    return "edges", i, "SO2"


def _isolated_node(nodes, edges):
    nodes.append(_node("res-ensam", "resultat"))
    return "nodes", len(nodes) - 1, "res-ensam"


def _priority_without_path(nodes, edges):
    del edges[_index(edges, fran="SO1.2", till="akt-service")]
    return "nodes", _index(nodes, id="SO1.2"), "SO1.2"


def _ovrigt_as_activity(nodes, edges):
    nodes.append({**_node("akt-ovrigt", "aktivitet"), "etikett": "Övrigt"})
    return "nodes", len(nodes) - 1, "Övrigt"


def _duplicate_edge(nodes, edges):
    edges.append(_edge("SO4.1", "akt-bredband"))
    return "edges", len(edges) - 1, "akt-bredband"


def _indicator_without_source(nodes, edges):
    i = _index(nodes, id="ind-brp")
    nodes[i]["kalla"] = ""
    return "nodes", i, "ind-brp"


CASES = [_duplicate_id, _unknown_level, _dangling_edge, _backward_edge, _skipping_edge, _indicator_on_activity,
         _wrong_area_label, _wrong_priority_label, _priority_under_other_area, _isolated_node,
         _priority_without_path, _ovrigt_as_activity, _duplicate_edge, _indicator_without_source]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__.strip("_") for c in CASES])
def test_broken_copy_names_file_row_and_value(tmp_path, case):
    nodes, edges = _rows(ROOT / toc.NODES_FILE), _rows(ROOT / toc.EDGES_FILE)
    which, index, value = case(nodes, edges)
    nodes_path, edges_path = tmp_path / "noder.csv", tmp_path / "kanter.csv"
    _write(nodes_path, nodes, toc.NODE_COLUMNS)
    _write(edges_path, edges, toc.EDGE_COLUMNS)
    with pytest.raises(toc.TheoryError) as caught:
        toc.read_theory(nodes_path, edges_path)
    message = str(caught.value)
    named = nodes_path if which == "nodes" else edges_path
    assert f"{named}, row {index + 2}:" in message  # row 1 is the header
    assert repr(value) in message


def test_missing_priority_is_named(tmp_path):
    nodes, edges = _rows(ROOT / toc.NODES_FILE), _rows(ROOT / toc.EDGES_FILE)
    nodes = [n for n in nodes if n["id"] != "SO4.2"]
    edges = [e for e in edges if "SO4.2" not in (e["fran"], e["till"])]
    _write(tmp_path / "n.csv", nodes, toc.NODE_COLUMNS)
    _write(tmp_path / "k.csv", edges, toc.EDGE_COLUMNS)
    with pytest.raises(toc.TheoryError, match=r"n\.csv: no prioritering node for framework element SO4\.2"):
        toc.read_theory(tmp_path / "n.csv", tmp_path / "k.csv")


def test_missing_column_and_missing_file(tmp_path):
    (tmp_path / "n.csv").write_text("id,niva,etikett\nSO1,omrade,x\n", encoding="utf-8")
    with pytest.raises(toc.TheoryError, match=r"n\.csv: missing column\(s\) element_id, beskrivning, kalla"):
        toc.read_theory(tmp_path / "n.csv", ROOT / toc.EDGES_FILE)
    with pytest.raises(toc.TheoryError, match=r"saknas\.csv: file not found"):
        toc.read_theory(tmp_path / "saknas.csv", ROOT / toc.EDGES_FILE)


# --------------------------------------------------------------------------- money along the theory

def test_fixture_relies_on_these_edges(theory):
    edges = set(zip(theory.edges["fran"], theory.edges["till"]))
    assert {("SO1", "SO1.1"), ("SO1.1", "akt-samhallsplanering"), ("SO3", "SO3.1"), ("SO3.1", "akt-innovation")} <= edges
    assert ("SO1.2", "akt-livsmiljoer") not in edges
    assert not any((p, "akt-kompetens") in edges for p in ("SO4.1", "SO4.2"))
    assert "Besöksnäring" not in set(theory.nodes["etikett"])


def test_chain_flows_on_the_fixture(theory):
    flows = toc.chain_flows(_fixture_projects(), theory)
    assert list(flows.columns) == list(toc.FLOW_COLUMNS)
    got = {(r.omrade_id, r.prioritering_id, r.resultatkedja): (r.fran, r.till, r.antal_projekt, r.mnkr, r.i_teorin, r.utanfor)
           for r in flows.itertuples()}
    expected = {
        ("SO1", "SO1.1", "Hållbar samhällsplanering"): ("SO1.1", "akt-samhallsplanering", 2, 3.5, True, ""),
        ("SO1", "SO1.2", "Attraktiva livsmiljöer"): ("SO1.2", "akt-livsmiljoer", 1, 1.0, False, toc.REASON_UNDECLARED),
        ("SO3", "", "Innovation"): ("SO3", "akt-innovation", 1, 2.75, True, ""),
        ("SO4", "", "Kompetensförsörjning"): ("SO4", "akt-kompetens", 1, 0.5, False, toc.REASON_UNDECLARED),
        ("ANNAT", "", "Kapacitet för regionalt utvecklingsarbete"): ("", "akt-kapacitet", 1, 2.5, False, toc.REASON_AREA),
        ("SO2", "SO2.1", "Övrigt"): ("SO2.1", "", 1, 0.75, False, toc.REASON_OUTSIDE_CHAIN),
        ("SO2", "SO2.2", ""): ("SO2.2", "", 1, 0.25, False, toc.REASON_NO_CHAIN),
        ("SO3", "SO3.4", "Besöksnäring"): ("SO3.4", "", 1, 1.25, False, toc.REASON_UNKNOWN_CHAIN),
    }
    assert set(got) == set(expected)
    for key, (fran, till, n, mnkr, inside, reason) in expected.items():
        g = got[key]
        assert g[:3] == (fran, till, n), key
        assert g[3] == pytest.approx(mnkr), key
        assert bool(g[4]) is inside and g[5] == reason, key
    # theory order: SO1 before SO2 before SO3 before SO4, Annat last
    assert flows["omrade_id"].tolist() == ["SO1", "SO1", "SO2", "SO2", "SO3", "SO3", "SO4", "ANNAT"]


def test_coverage_of_the_fixture(theory):
    cov = toc.coverage(toc.chain_flows(_fixture_projects(), theory))
    assert cov["totalt_mnkr"] == pytest.approx(12.5)
    assert cov["i_teorin_mnkr"] == pytest.approx(6.25)
    assert cov["andel_i_teorin_procent"] == pytest.approx(50.0)
    assert list(cov["utanfor_procent"]) == list(toc.REASONS)
    expected = {toc.REASON_AREA: 20.0, toc.REASON_NO_CHAIN: 2.0, toc.REASON_OUTSIDE_CHAIN: 6.0,
                toc.REASON_UNKNOWN_CHAIN: 10.0, toc.REASON_UNDECLARED: 12.0}
    for reason, share in expected.items():
        assert cov["utanfor_procent"][reason] == pytest.approx(share)
        assert cov["utanfor_mnkr"][reason] == pytest.approx(share / 100 * 12.5)


def test_coverage_of_nothing_is_zero(theory):
    cov = toc.coverage(toc.chain_flows(_fixture_projects().iloc[0:0], theory))
    assert cov["totalt_mnkr"] == 0 and cov["andel_i_teorin_procent"] == 0.0


def test_chain_flows_on_the_sample_keeps_every_project(theory, sample_projects):
    projects = sample_projects
    flows = toc.chain_flows(projects, theory)
    assert flows["antal_projekt"].sum() == len(projects)
    assert flows["belopp"].sum() == pytest.approx(projects["beviljat_belopp"].sum())
    cov = toc.coverage(flows)
    assert cov["andel_i_teorin_procent"] + sum(cov["utanfor_procent"].values()) == pytest.approx(100.0)
    assert 0 < cov["andel_i_teorin_procent"] < 100
    # every Annat project is outside, whatever its result chain
    annat = projects["omrade_id"] == "ANNAT"
    assert cov["utanfor_mnkr"][toc.REASON_AREA] == pytest.approx(projects.loc[annat, "beviljat_belopp"].sum() / 1e6)


@pytest.mark.parametrize(("row", "column", "value", "fragment"), [
    (1, "prioritering_id", "SO3.2", "kalla_rad 5: prioritering_id 'SO3.2' belongs to SO3, not to omrade_id 'SO1'"),
    (2, "prioritering_id", "SO9.9", "kalla_rad 6: prioritering_id 'SO9.9' is not a priority of the theory"),
    (3, "omrade_id", "SO7", "kalla_rad 7: omrade_id 'SO7' is neither an area of the theory"),
    (4, "beviljat_belopp", "många", "kalla_rad 8: beviljat_belopp 'många' is not a number"),
])
def test_chain_flows_names_the_bad_project(theory, row, column, value, fragment):
    projects = _fixture_projects()
    projects[column] = projects[column].astype(object)
    projects.loc[row, column] = value
    with pytest.raises(toc.TheoryError, match="^projects, " + fragment.replace(".", r"\.").replace("(", r"\(")):
        toc.chain_flows(projects, theory)


def test_chain_flows_needs_its_columns(theory):
    with pytest.raises(toc.TheoryError, match="missing column.*resultatkedja"):
        toc.chain_flows(_fixture_projects().drop(columns="resultatkedja"), theory)


# --------------------------------------------------------------------------- the diagram

def test_diagram_has_one_box_per_node_with_its_label(theory, sample_projects):
    # the sample's amounts run to four digits: the longest lines the boxes must hold
    fig = toc.draw(theory, toc.chain_flows(sample_projects, theory), synthetic=True)
    ax = fig.axes[0]
    boxes = {p.get_gid(): p for p in ax.patches if isinstance(p, FancyBboxPatch)}
    assert len(boxes) == len(theory.nodes)
    assert set(boxes) == {f"nod_{i}" for i in theory.nodes["id"]}
    texts = {t.get_gid(): t for t in ax.texts if t.get_gid()}
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for r in theory.nodes.itertuples():
        label = texts[f"text_{r.id}"]
        assert " ".join(label.get_text().split()) == (f"{r.element_id} {r.etikett}" if r.element_id else r.etikett)
        # legible: the label (and the line under it) lie inside the box
        box = boxes[f"nod_{r.id}"].get_window_extent(renderer)
        for t in (label, texts.get(f"sub_{r.id}")):
            if t is not None:
                e = t.get_window_extent(renderer)
                assert box.x0 <= e.x0 and e.x1 <= box.x1 and box.y0 <= e.y0 and e.y1 <= box.y1, (r.id, t.get_text())
    assert texts["sub_ind-brp"].get_text() == "SCB, Regionalräkenskaper"
    assert set(toc.LEVEL_TITLES.values()) <= {t.get_text() for t in ax.texts}
    assert figures.SYNTHETIC_CAPTION in {t.get_text() for t in fig.texts}
    plt.close(fig)


def test_diagram_activity_boxes_carry_the_amounts(theory):
    # all granted with the chain (Annat and undeclared pairs included), then the part in the theory
    fig = toc.draw(theory, toc.chain_flows(_fixture_projects(), theory), synthetic=True)
    texts = {t.get_gid(): t.get_text() for t in fig.axes[0].texts if t.get_gid()}
    assert texts["sub_akt-samhallsplanering"] == "3,5 mnkr, i teorin 3,5"
    assert texts["sub_akt-livsmiljoer"] == "1,0 mnkr, i teorin 0,0"
    assert texts["sub_akt-kapacitet"] == "2,5 mnkr, i teorin 0,0"
    assert texts["sub_akt-bredband"] == "0,0 mnkr, i teorin 0,0"
    # the headline share is the coverage: 6.25 of 12.5 MSEK
    assert any(t.get_text().startswith("50 % av beviljade medel") for t in fig.axes[0].texts)
    plt.close(fig)


def test_diagram_widths_follow_the_money(theory):
    flows = toc.chain_flows(_fixture_projects(), theory)
    fig = toc.draw(theory, flows, synthetic=False)
    lines = {ln.get_gid(): ln for ln in fig.axes[0].lines if ln.get_gid()}
    # one line per theory edge, plus one per area → activity flow of projects without a priority
    assert sum(g.startswith("kant_") for g in lines) == len(theory.edges)
    assert {g for g in lines if g.startswith("flode_")} == {"flode_SO3__akt-innovation"}
    # the scale: 0.8 pt + 8.2 pt × amount / largest amount (3.5 MSEK on SO1.1 → Hållbar samhällsplanering)
    assert lines["kant_SO1.1__akt-samhallsplanering"].get_linewidth() == pytest.approx(9.0)
    assert lines["flode_SO3__akt-innovation"].get_linewidth() == pytest.approx(0.8 + 8.2 * 2.75 / 3.5)
    assert lines["kant_SO1.1__akt-samhallsplanering"].get_linestyle() == "-"
    # declared but without money: thin and dashed
    for gid in ("kant_SO3.1__akt-innovation", "kant_SO1.2__akt-service"):
        assert lines[gid].get_linestyle() == "--" and lines[gid].get_linewidth() == pytest.approx(0.9)
    assert figures.SYNTHETIC_CAPTION not in {t.get_text() for t in fig.texts}
    plt.close(fig)


def test_diagram_refuses_flows_of_another_theory(theory):
    flows = toc.chain_flows(_fixture_projects(), theory)
    flows.loc[0, "till"] = "akt-annan"
    with pytest.raises(toc.TheoryError, match="akt-annan"):
        toc.draw(theory, flows, synthetic=True)


def test_diagram_saves_the_same_bytes_twice(theory, tmp_path):
    flows = toc.chain_flows(_fixture_projects(), theory)
    figures.save(toc.draw(theory, flows, synthetic=True), tmp_path / "a.png", tmp_path / "a.svg")
    figures.save(toc.draw(theory, flows, synthetic=True), tmp_path / "b.png", tmp_path / "b.svg")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    svg = (tmp_path / "a.svg").read_text(encoding="utf-8")
    assert "SYNTETISKA EXEMPELDATA" in svg and "Strategiskt område" in svg
