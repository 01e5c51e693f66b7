"""Each verdict follows from its evidence: change the findings and the verdict changes with
them."""
import json

import pytest

from helpers.conclusions import verdicts as v


def finding(fid, value, unit="procent", stage="x"):
    return {"id": fid, "varde": value, "enhet": unit, "text": fid, "steg": stage, "sida": f"notebooks/{stage}.html#cell-id=c",
            "tabell": "tables/t.csv", "figur": None, "cell": "c", "fraga": "1"}


def base():
    found = {}
    for group in v.GROUPS:
        for question, elements in v.ELEMENTS.items():
            for element in elements:
                fid = f"text.{group}.{element.lower()}.dokument.2024"
                found[fid] = finding(fid, 100.0)
    for fid, value in {"granskning.alla_omraden_minst_delvis": 18, "granskning.antal_rus": 21,
                       "granskning.omrade.so1.minst_delvis": 20, "granskning.omrade.so2.minst_delvis": 21,
                       "granskning.omrade.so3.minst_delvis": 21, "granskning.omrade.so4.minst_delvis": 19,
                       "granskning.alfa_del_b": 0.81,
                       "nyps.andel_annat_riket": 6.6, "nyps.total_riket": 6922.7, "nyps.andel_so1_riket": 8.6,
                       "nyps.andel_so2_riket": 14.8, "nyps.andel_so3_riket": 53.8, "nyps.andel_so4_riket": 16.2}.items():
        found[fid] = finding(fid, value)
    return found


def by_key(found):
    return {(x.fraga, x.aktorsgrupp): x for x in v.verdicts(found)}


def test_every_question_and_group_has_a_verdict():
    got = by_key(base())
    assert set(got) == {(q, g) for q in v.QUESTIONS for g in v.GROUPS}
    assert all(x.bedomning in v.VERDICTS for x in got.values())
    assert got[("1", "region")].bedomning == "Ja"
    assert got[("2a", "statlig_myndighet")].bedomning == "Ej tillämplig"


def test_question_1_follows_the_share_of_reports():
    found = base()
    found["text.statlig_myndighet.gf1.dokument.2024"]["varde"] = 40.0
    assert by_key(found)[("1", "statlig_myndighet")].bedomning == "Delvis"
    for element in ("gf1", "gf2", "gf3"):
        found[f"text.statlig_myndighet.{element}.dokument.2024"]["varde"] = 10.0
    verdict = by_key(found)[("1", "statlig_myndighet")]
    assert verdict.bedomning == "Nej"
    assert "10 %" in verdict.text
    assert "text.statlig_myndighet.gf1.dokument.2024" in verdict.belagg


def test_missing_group_reports_say_so():
    found = {k: x for k, x in base().items() if not k.startswith("text.tillvaxtverket.")}
    verdict = by_key(found)[("3", "tillvaxtverket")]
    assert verdict.bedomning == "Underlag saknas" and verdict.belagg == ()


def test_2a_names_an_area_no_rus_takes_up():
    found = base()
    found["granskning.omrade.so2.minst_delvis"]["varde"] = 0
    found["granskning.alla_omraden_minst_delvis"]["varde"] = 0
    verdict = by_key(found)[("2a", "region")]
    assert verdict.bedomning == "Nej"
    assert "Ingen RUS tar upp kompetensförsörjning" in verdict.text
    assert "granskning.omrade.so2.minst_delvis" in verdict.belagg


def test_2a_levels_and_reliability_caveat():
    found = base()
    assert by_key(found)[("2a", "region")].bedomning == "Ja"  # 18 of 21 = 86 %
    found["granskning.alla_omraden_minst_delvis"]["varde"] = 10  # 48 %
    found["granskning.alfa_del_b"]["varde"] = 0.5
    verdict = by_key(found)[("2a", "region")]
    assert verdict.bedomning == "Delvis"
    assert "inte tillräckligt samstämmiga" in verdict.text
    assert "Färst RUS tar upp tillgänglighet" in verdict.text  # SO4 has 19, the fewest


def test_2b_follows_the_share_outside_annat():
    found = base()
    assert by_key(found)[("2b", "region")].bedomning == "Ja"
    found["nyps.andel_annat_riket"]["varde"] = 60.0
    verdict = by_key(found)[("2b", "region")]
    assert verdict.bedomning == "Nej"
    assert "40,0 procent" in verdict.text


def test_a_cited_finding_must_exist_and_be_a_number():
    found = base()
    found["nyps.andel_annat_riket"]["varde"] = "sex"
    with pytest.raises(v.EvidenceError, match="nyps.andel_annat_riket"):
        v.verdicts(found)


def test_load_findings_refuses_duplicates(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for path, stage in ((a, "02"), (b, "03")):
        path.write_text(json.dumps({"steg": stage, "fynd": [finding("x.y", 1)]}), encoding="utf-8")
    with pytest.raises(v.EvidenceError, match="x.y"):
        v.load_findings([a, b])
    (tmp_path / "c.json").write_text("not json", encoding="utf-8")
    with pytest.raises(v.EvidenceError, match="c.json"):
        v.load_findings([tmp_path / "c.json"])
