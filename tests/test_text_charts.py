import numpy as np
import pandas as pd
import pandas.testing as pdt

from helpers import reference
from helpers.text import charts


def _captions(fig):
    return " ".join(t.get_text() for t in fig.texts)


def test_heatmap_draws_the_coverage_table():
    elements = ["GF1", "GF2", "TP"]
    rows = [(c, reference.county_names()[c], e, i, float(i * 3 + j)) for i, c in enumerate(reference.county_codes())
            for j, e in enumerate(elements)]
    coverage = pd.DataFrame(rows, columns=["lan_kod", "lan", "element_id", "stycken", "andel_procent"])
    fig, plotted = charts.rus_heatmap(coverage, elements, synthetic=True)
    pdt.assert_frame_equal(plotted, coverage)
    mesh = fig.axes[0].collections[0]
    assert np.allclose(np.asarray(mesh.get_array()).ravel(), coverage["andel_procent"].to_numpy())
    assert "SYNTETISKA EXEMPELDATA" in _captions(fig)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][:2] == ["Stockholm", "Uppsala"]


def test_group_year_lines_draw_each_groups_share():
    table = pd.DataFrame([
        ("region", 2022, "GF2", 21, 10, 47.6, 12.5), ("region", 2023, "GF2", 21, 12, 57.1, 14.0),
        ("statlig_myndighet", 2022, "GF2", 13, 13, 100.0, 20.0), ("statlig_myndighet", 2023, "GF2", 13, 6, 46.2, 8.0),
    ], columns=["aktorsgrupp", "ar", "element_id", "dokument", "dokument_med", "andel_procent", "andel_stycken_procent"])
    fig, plotted = charts.group_year_lines(table, synthetic=False)
    pdt.assert_frame_equal(plotted, table)
    lines = fig.axes[0].get_lines()
    assert list(lines[0].get_ydata()) == [12.5, 14.0] and list(lines[1].get_ydata()) == [20.0, 8.0]
    fig, _ = charts.group_year_lines(table, synthetic=False, value="andel_procent")
    assert list(fig.axes[0].get_lines()[1].get_ydata()) == [100.0, 46.2]
    assert "SYNTETISKA" not in _captions(fig)


def test_answers_overview_counts_per_question():
    answers = pd.DataFrame({"fraga_id": ["Q01", "Q01", "Q01", "Q02"], "maskinens_svar": ["ja", "nej", "ja", "delvis"]})
    questions = pd.DataFrame({"fraga_id": ["Q01", "Q02"], "fraga": ["Beskriver dokumentet samverkan?", "Lärande?"]})
    fig, plotted = charts.answers_overview(answers, questions, synthetic=True)
    assert plotted.set_index("fraga_id").loc["Q01"].tolist() == [2, 0, 1]
    assert plotted.set_index("fraga_id").loc["Q02"].tolist() == [0, 1, 0]
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == [2, 0, 0, 1, 1, 0]  # ja for Q01, Q02; delvis; nej


def test_quality_bars_show_precision_recall_and_target():
    pr = pd.DataFrame({"element_id": ["GF1", "GF2"], "precision": [0.95, float("nan")], "recall": [0.9, 0.5]})
    fig, plotted = charts.quality_bars(pr, synthetic=True)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [0.95, 0.0, 0.9, 0.5]
    assert any(line.get_ydata()[0] == 0.9 for line in fig.axes[0].get_lines())


def test_quality_figure_without_truth_says_so():
    from helpers.text import overview

    fig, plotted = charts.quality_bars(overview.no_quality(), synthetic=False)
    assert plotted.empty
    assert "Ingen planterad sanning" in " ".join(t.get_text() for t in fig.axes[0].texts)
