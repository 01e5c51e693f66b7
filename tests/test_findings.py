import json

import pytest

from helpers import findings
from helpers.findings import Finding


def _finding(**kw):
    base = dict(id="nyps.x", fraga="2b", text="Text.", varde=12.5, enhet="procent", cell="omrade-lan",
                tabell="table_area_county", figur="figure_area_county_png")
    return Finding(**{**base, **kw})


def test_written_with_paths_from_the_registry(tmp_path):
    path = findings.write_findings(tmp_path / "f.json", "nyps_analysis", [_finding()], synthetic=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["steg"] == "02_nyps_analysis" and data["syntetisk"] is True
    (f,) = data["fynd"]
    assert f["tabell"] == "tables/nyps_omrade_lan.csv" and f["figur"] == "figures/02_omrade_lan.png"
    assert f["sida"] == "notebooks/02_nyps_analysis.html#cell-id=omrade-lan"
    assert f["varde"] == 12.5 and f["enhet"] == "procent"


@pytest.mark.parametrize("bad, message", [
    (dict(tabell="no_such_table"), "declares no output 'no_such_table'"),
    (dict(fraga="5"), "fraga must be one of"),
    (dict(varde=float("nan")), "not a number"),
])
def test_bad_findings_are_refused(tmp_path, bad, message):
    with pytest.raises(ValueError, match=message):
        findings.write_findings(tmp_path / "f.json", "nyps_analysis", [_finding(**bad)], synthetic=False)


def test_ids_must_be_unique(tmp_path):
    with pytest.raises(ValueError, match="not unique"):
        findings.write_findings(tmp_path / "f.json", "nyps_analysis", [_finding(), _finding()], synthetic=False)
