"""The coding lexicon as data: the study's file loads and covers every element; a bad row is
refused with the file and the line an editor shows."""
from __future__ import annotations

import pytest

from helpers import reference
from helpers.text.lexicon import ELEMENT_IDS, KINDS, LexiconError, load_lexicon, parse_lexicon

HEADER = "element_id,term,kind,requires,excludes,scope,comment\n"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_element_ids_are_the_frameworks_in_a_fixed_order():
    framework = {r["id"]: r for r in reference.framework()}
    assert len(ELEMENT_IDS) == 26 and len(set(ELEMENT_IDS)) == 26
    assert all(i in framework for i in ELEMENT_IDS)
    assert ELEMENT_IDS[:4] == ("SO1", "SO1.1", "SO1.2", "SO1.3")
    assert ELEMENT_IDS[-4:] == ("HB-EK", "HB-SO", "HB-MI", "TP")
    priorities = [r["id"] for r in reference.elements("prioritering")]
    assert set(priorities) <= set(ELEMENT_IDS)


def test_the_study_lexicon_is_rich_for_every_element(lexicon):
    sizes = lexicon.sizes()
    assert list(sizes) == list(ELEMENT_IDS)
    # every element can be recognised in several ways, not only by its label
    assert all(n >= 8 for n in sizes.values()), sizes
    assert len(lexicon) > 800
    assert {e.kind for e in lexicon} == set(KINDS)


def test_priorities_point_to_their_areas(lexicon):
    parents = lexicon.parent_of()
    assert parents["SO2.1"] == "SO2" and parents["SO4.2"] == "SO4" and parents["SO3.5"] == "SO3"
    assert len(parents) == 12


def test_every_label_word_of_an_element_is_a_term(lexicon):
    # the strategy's own key words are in the lexicon for their elements
    expected = {
        "SO1.1": "samhällsplanering", "SO2": "kompetensförsörjning", "SO3.1": "smart specialisering",
        "SO3.2": "kapitalförsörjning", "SO3.4": "digitalisering", "SO4.1": "bredband",
        "SO4.2": "transportsystem", "GF1": "kapacitet", "GF2": "samverkan", "GF3": "lärande",
        "SU1": "klimatförändring", "SU2": "demografisk", "SU3": "klyfta", "TP": "territoriell",
    }
    for element_id, term in expected.items():
        assert term in {e.term for e in lexicon.terms(element_id)}, (element_id, term)


def test_ambiguous_terms_carry_context_rules(lexicon):
    def entry(element_id, term):
        return next(e for e in lexicon.terms(element_id) if e.term == term)

    assert entry("GF1", "kapacitet").requires and "arena*" in entry("GF1", "kapacitet").excludes
    assert "maskinell" in entry("GF3", "lärande").excludes
    assert "kemisk" in entry("GF2", "samverkan").excludes
    assert entry("SU3", "klyfta").requires


def test_comment_lines_blank_lines_and_defaults():
    text = "# a comment\n\n" + HEADER + "# another\nSO2,Kompetensförsörjning,compound_part,,,,\nTP,stad och land,phrase,,,paragraph,\n"
    lex = parse_lexicon(text, "x.csv")
    first, second = lex.entries
    assert first.term == "kompetensförsörjning" and first.scope == "sentence" and first.line == 5
    assert second.kind == "phrase" and second.scope == "paragraph"


def test_only_the_required_columns_are_needed():
    lex = parse_lexicon("element_id,term,kind\nSO2,kompetens,lemma\n", "x.csv")
    assert lex.entries[0].requires == () and lex.entries[0].excludes == ()


def test_context_items_are_split_and_normalised():
    lex = parse_lexicon(HEADER + "GF1,kapacitet,head,Kommun | utvecklingsarbete*|lokalt utvecklingsarbete,arena*,,\n", "x.csv")
    e = lex.entries[0]
    assert e.requires == ("kommun", "utvecklingsarbete*", "lokalt utvecklingsarbete")
    assert e.excludes == ("arena*",)


@pytest.mark.parametrize("row, message", [
    ("SO9,kompetens,lemma,,,,", "unknown element_id 'SO9'"),
    ("SO2,kompetens,word,,,,", "unknown kind 'word'"),
    ("SO2,,lemma,,,,", "empty term"),
    ("SO2,kompetens,phrase,,,,", "has one word"),
    ("SO2,livslångt lärande,lemma,,,,", "several words"),
    ("SO4.2,väg,compound_part,,,,", "shorter than 4 letters"),
    ("SO4.2,tå,head,,,,", "shorter than 3 letters"),
    ("SO2,kompetens,lemma,,,anywhere,", "unknown scope 'anywhere'"),
    ("SO2,kompetens,lemma,väg*,,,", "at least 4 letters"),
    ("SO2,kompetens,lemma,brist||,,,", None),  # empty items are ignored
    ("SO2,kompetens,lemma,lokal* arbete,,,", "cannot hold '*'"),
    ("SO2,kompe*tens,lemma,,,,", "may not contain"),
    ("SO2,kompetens,lemma,,,,x,y", "fields"),
])
def test_a_bad_row_names_the_file_and_line(row, message):
    text = "# header comment\n" + HEADER + "SO2,kompetensbrist,compound_part,,,,\n" + row + "\n"
    if message is None:
        parse_lexicon(text, "data/reference/lexicon.csv")
        return
    with pytest.raises(LexiconError) as err:
        parse_lexicon(text, "data/reference/lexicon.csv")
    assert "data/reference/lexicon.csv, line 4" in str(err.value)
    assert message in str(err.value)


def test_a_repeated_row_names_both_lines():
    text = HEADER + "SO2,kompetens,lemma,,,,\nSO1,välfärd,compound_part,,,,\nSO2,Kompetens,lemma,brist,,,\n"
    with pytest.raises(LexiconError, match=r"x.csv, line 4: repeats line 2"):
        parse_lexicon(text, "x.csv")


def test_a_header_without_the_required_columns_is_refused():
    with pytest.raises(LexiconError, match=r"x.csv, line 1: header lacks the columns kind"):
        parse_lexicon("element_id,term\nSO2,kompetens\n", "x.csv")
    with pytest.raises(LexiconError, match=r"unknown columns vikt"):
        parse_lexicon("element_id,term,kind,vikt\nSO2,kompetens,lemma,2\n", "x.csv")
    with pytest.raises(LexiconError, match="no header"):
        parse_lexicon("# only comments\n", "x.csv")


def test_a_missing_or_unreadable_file_is_named(tmp_path):
    with pytest.raises(LexiconError, match="no such lexicon file"):
        load_lexicon(tmp_path / "saknas.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes((HEADER + "SO1,välfärd,compound_part,,,,\n").encode("latin-1"))
    with pytest.raises(LexiconError, match=r"latin1.csv: not UTF-8"):
        load_lexicon(bad)


def test_load_from_a_path(tmp_path):
    path = tmp_path / "lex.csv"
    path.write_text(HEADER + "SO2,kompetens,lemma,,,,\n", encoding="utf-8")
    lex = load_lexicon(path)
    assert lex.path == path and len(lex) == 1 and lex.sizes()["SO2"] == 1 and lex.sizes()["TP"] == 0
    with pytest.raises(KeyError):
        lex.terms("SO9")
