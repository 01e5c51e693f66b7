from helpers import reference


def test_counties_sum_to_the_national_total():
    # SCB: 10 551 707 inhabitants on 31 Dec 2023
    assert sum(c["folkmangd_2023"] for c in reference.counties()) == 10_551_707
    assert len(reference.county_codes()) == 21


def test_county_lookup_accepts_code_name_and_short_name():
    look = reference.county_lookup()
    for key in ("14", "Västra Götalands län", "västra götaland", "VÄSTRA  GÖTALAND"):
        assert look[reference.normalise_label(key)] == "14"
    assert look[reference.normalise_label("1")] == "01"


def test_area_lookup_accepts_variants_and_annat():
    look = reference.area_lookup()
    n = reference.normalise_label
    assert look[n("Innovation och förnyelse samt entreprenörskap i hela landet")] == "SO3"
    assert look[n("Tillgänglighet i hela landet genom digital kommunikation och transportsystemet")] == "SO4"
    assert look[n(" Kompetensförsörjning och  kompetensutveckling i hela landet ")] == "SO2"
    for value in ("Internationellt samarbete", "UPPGIFT SAKNAS", "Övriga insatser", "Övrigt", "Övrigt genomförande av RUS"):
        assert look[n(value)] == "ANNAT"
    assert len(reference.annat_values()) == 5


def test_framework_has_the_strategy_structure():
    assert [e["id"] for e in reference.elements("strategiskt_omrade")] == ["SO1", "SO2", "SO3", "SO4"]
    assert len(reference.elements("prioritering")) == 12
    assert [e["id"] for e in reference.elements("grundlaggande_forutsattning")] == ["GF1", "GF2", "GF3"]
    assert reference.priority_area("SO3.4") == "SO3"


def test_boundaries_match_the_counties():
    frame = reference.county_boundaries()
    assert list(frame["lan_kod"]) == sorted(reference.county_codes())
    assert all(isinstance(g, (bytes, bytearray)) and len(g) > 100 for g in frame["geometry"])
