"""Question-based text analysis: the question set, the answers from a hand-made corpus, and
the expert's review workbook there and back. Every expected value is worked out by hand in
the comments beside the fixture."""
from __future__ import annotations

import re
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.text import questions as tq
from helpers.text.questions import QuestionError

DOC_COLUMNS = ["dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar"]
LONG = (
    "Dialogen med statliga myndigheter och\n  statliga myndigheter fortsätter. "
    + "Arbetet utvecklas vidare. " * 20
)
# One-line text: 71 characters of the first sentence, then 26 per "Arbetet utvecklas vidare. ";
# 71 + 12 * 26 = 383, "Arbetet utvecklas" ends exactly at character 400.
LONG_EXCERPT = (
    "Dialogen med statliga myndigheter och statliga myndigheter fortsätter. "
    + "Arbetet utvecklas vidare. " * 12
    + "Arbetet utvecklas …"
)

# Three documents, named so that alphabetical order (myn_b, rua_a, rus_c) differs from the
# order they come in (rus_c, rua_a, myn_b).
RUS = ["rus_c", "region", "Region Exempel", "rus", 2022]
RUA = ["rua_a", "region", "Region Prov", "regionalt_utvecklingsarbete", 2023]
MYN = ["myn_b", "statlig_myndighet", "Trafikverket", "myndigheters_medverkan", 2024]
PARAGRAPHS = [
    # document, sida, stycke_nr, text
    (RUS, 1, 1, "Den regionala utvecklingsstrategin bygger på den nationella strategin för hållbar regional utveckling."),
    (RUS, 2, 2, "Regionen samverkar med statliga myndigheter, bland annat Trafikverket och länsstyrelsen, i ett gemensamt forum."),
    (RUS, 2, 3, "Samverkan med Trafikverket sker i planeringen av infrastrukturen."),
    (RUS, 3, 4, "Samverkan med kommunerna och näringslivet är central."),
    (RUS, 4, 5, "Vi stärker kapaciteten hos kommunerna genom kompetensstöd."),
    (RUS, 5, 6, LONG),
    (RUA, 1, 1, "Regionen har följt upp insatserna och analyserat resultaten."),
    (RUA, 1, 2, "En utvärdering av programmet har genomförts."),
    (RUA, 2, 3, "Länsstyrelsen och regionen samverkar om landsbygdens service."),
    (RUA, 2, 4, "Kapacitetsstärkande insatser har riktats till kommunerna."),
    (RUA, 3, 5, "Regionen stärker den egna kapaciteten för analys."),
    (MYN, 1, 1, "Trafikverket samverkar med regionerna i länsplaneringen."),
    (MYN, 1, 2, "Trafikverket deltar i dialog med regionerna, och Trafikverket återkopplar resultaten."),
    (MYN, 2, 3, "Vi följer upp effekterna av åtgärderna."),
    (MYN, 3, 4, "Trafikverket samverkar med kommuner i hela landet."),
    (MYN, None, 5, "Trafikverket har i uppdrag att samverka med statliga myndigheter och andra aktörer."),
]
CODES = [
    # dokument_id, sida, stycke_nr, element_id, traffar
    ("rus_c", 2, 2, "GF2", "samverkar"),
    ("rus_c", 2, 3, "GF2", "samverkan"),
    ("rus_c", 3, 4, "GF2", "samverkan"),
    ("rus_c", 4, 5, "GF1", "kapacitet"),
    ("rus_c", 5, 6, "GF2", "dialog, samverkan"),
    ("rua_a", 1, 1, "GF3", "analys, följt upp"),
    ("rua_a", 1, 2, "GF3", "utvärdering"),
    ("rua_a", 2, 3, "GF2", "samverkar"),
    ("rua_a", 2, 3, "TP", "landsbygd"),
    ("rua_a", 2, 4, "GF1", "kapacitet"),
    ("rua_a", 3, 5, "GF1", "kapacitet"),
    ("rua_a", 3, 5, "GF3", "analys"),
    ("myn_b", 1, 1, "GF2", "samverkar"),
    ("myn_b", 1, 2, "GF2", "dialog"),
    ("myn_b", 2, 3, "GF3", "följer upp"),
    ("myn_b", 3, 4, "GF2", "samverkar"),
    ("myn_b", None, 5, "GF2", "samverka"),
]
QUESTIONS = [
    # fraga_id, uppfoljningsfraga, fraga, element_ids, monster, galler, ja_minst, delvis_minst
    ("Q01", "1", "Beskriver dokumentet samverkan med statliga myndigheter?", "GF2",
     r"statlig(a)? myndighet\w*|länsstyrels\w*|Trafikverket", "", 3, 1),
    ("Q02", "1", "Beskriver dokumentet insatser för att stärka kapaciteten?", "GF1", "", "", 2, 1),
    ("Q03", "2a", "Hänvisar dokumentet till den nationella strategin?", "", "nationella strategin", "", 1, 1),
    ("Q04", "1", "Beskriver dokumentet uppföljning som underlag för lärande?", "GF3", "",
     "regionalt_utvecklingsarbete|myndigheters_medverkan", 3, 2),
    ("Q05", "4", "Tillämpas ett territoriellt perspektiv?", "TP", "", "", 3, 1),
]

# Hand-worked answers. Q01 in rus_c: paragraphs 2, 3 and 6 (paragraph 4 is coded GF2 but names
# no state agency); ranking by distinct terms: p2 {samverkar, statliga myndigheter,
# trafikverket, länsstyrelsen} = 4, p6 {samverkan, dialog, statliga myndigheter} = 3,
# p3 {samverkan, trafikverket} = 2. Q01 in myn_b: p5 3 terms; p2, p1, p4 2 terms each, p2 with
# 2 pattern hits before p1 and p4 with 1; p1 before p4 by order.
EXPECTED = [
    ("rus_c", "Q01", 3, "ja"), ("rus_c", "Q02", 1, "delvis"), ("rus_c", "Q03", 1, "ja"), ("rus_c", "Q05", 0, "nej"),
    ("rua_a", "Q01", 1, "delvis"), ("rua_a", "Q02", 2, "ja"), ("rua_a", "Q03", 0, "nej"),
    ("rua_a", "Q04", 3, "ja"), ("rua_a", "Q05", 1, "delvis"),
    ("myn_b", "Q01", 4, "ja"), ("myn_b", "Q02", 0, "nej"), ("myn_b", "Q03", 0, "nej"),
    ("myn_b", "Q04", 1, "nej"), ("myn_b", "Q05", 0, "nej"),
]


def make_paragraphs() -> pd.DataFrame:
    rows = [[*doc, sida, nr, "Rubrik", text] for doc, sida, nr, text in PARAGRAPHS]
    frame = pd.DataFrame(rows, columns=[*DOC_COLUMNS, "sida", "stycke_nr", "rubrik", "text"])
    return frame.astype({"sida": "Int64"})  # the codes carry pages as float: keys must still meet


def make_codes(rows=CODES) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["dokument_id", "sida", "stycke_nr", "element_id", "traffar"])


def make_questions(rows=QUESTIONS) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[
        "fraga_id", "uppfoljningsfraga", "fraga", "element_ids", "monster", "galler", "ja_minst", "delvis_minst",
    ])


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    return tq.answer(make_paragraphs(), make_codes(), make_questions())


# --- answering -----------------------------------------------------------------------------


def test_answers_counts_verdicts_and_order(answers):
    assert list(answers.columns) == list(tq.ANSWER_COLUMNS)
    got = list(answers[["dokument_id", "fraga_id", "stycken", "maskinens_svar"]].itertuples(index=False, name=None))
    assert got == EXPECTED
    first = answers.iloc[0]
    assert (first["aktorsgrupp"], first["aktor"], first["dokumenttyp"], first["ar"]) == ("region", "Region Exempel", "rus", 2022)
    assert answers["stycken"].dtype == "int64"


def test_galler_restricts_document_types(answers):
    # Q04 applies to regionalt_utvecklingsarbete and myndigheters_medverkan, not to the RUS.
    assert set(answers.loc[answers["fraga_id"] == "Q04", "dokument_id"]) == {"rua_a", "myn_b"}


def evidence(answers, doc, question):
    row = answers[(answers["dokument_id"] == doc) & (answers["fraga_id"] == question)].iloc[0]
    return [row["belagg_1"], row["belagg_2"], row["belagg_3"]]


def test_evidence_ranked_by_distinct_terms_then_hits_then_order(answers):
    assert evidence(answers, "rus_c", "Q01") == [
        "sida 2: Regionen samverkar med statliga myndigheter, bland annat Trafikverket och länsstyrelsen, i ett gemensamt forum.",
        "sida 5: " + LONG_EXCERPT,
        "sida 2: Samverkan med Trafikverket sker i planeringen av infrastrukturen.",
    ]
    assert evidence(answers, "myn_b", "Q01") == [
        "stycke 5: Trafikverket har i uppdrag att samverka med statliga myndigheter och andra aktörer.",
        "sida 1: Trafikverket deltar i dialog med regionerna, och Trafikverket återkopplar resultaten.",
        "sida 1: Trafikverket samverkar med regionerna i länsplaneringen.",
    ]
    # Only the question's own elements count: p5's GF1 term does not lift it above p2.
    assert evidence(answers, "rua_a", "Q04") == [
        "sida 1: Regionen har följt upp insatserna och analyserat resultaten.",
        "sida 1: En utvärdering av programmet har genomförts.",
        "sida 3: Regionen stärker den egna kapaciteten för analys.",
    ]
    assert evidence(answers, "rus_c", "Q02") == ["sida 4: Vi stärker kapaciteten hos kommunerna genom kompetensstöd.", None, None]
    assert evidence(answers, "rus_c", "Q05") == [None, None, None]


def test_pattern_only_question(answers):
    assert evidence(answers, "rus_c", "Q03")[0] == (
        "sida 1: Den regionala utvecklingsstrategin bygger på den nationella strategin för hållbar regional utveckling."
    )


def test_excerpt_cuts_at_word_boundary():
    assert len(LONG_EXCERPT) == 402
    assert tq.excerpt("aaaa bbbb cccc", limit=7) == "aaaa …"
    assert tq.excerpt("aaaaaaaaaaaa", limit=5) == "aaaaa …"  # no space to cut at
    assert tq.excerpt("  kort\n text ") == "kort text"


def test_counted_hits_rank_by_number_of_matched_elements():
    # traffar as counts: each matched element is one term, so the paragraph coded with both
    # GF1 and GF3 comes first, the rest in document order.
    codes = make_codes([(d, s, n, e, 1) for d, s, n, e, _ in CODES])
    questions = make_questions([("Q01", "1", "Kapacitet eller lärande?", "GF1|GF3", "", "regionalt_utvecklingsarbete", 3, 1)])
    out = tq.answer(make_paragraphs(), codes, questions)
    assert list(out["dokument_id"]) == ["rua_a"]
    assert out.iloc[0]["stycken"] == 4 and out.iloc[0]["maskinens_svar"] == "ja"
    assert [b[:7] for b in evidence(out, "rua_a", "Q01")] == ["sida 3:", "sida 1:", "sida 1:"]
    assert "följt upp" in out.iloc[0]["belagg_2"]


def test_codes_for_unknown_paragraph_raise():
    codes = make_codes([*CODES, ("rus_c", 9, 99, "GF2", "samverkan")])
    with pytest.raises(QuestionError, match=r"codes: 1 coded paragraph.*'rus_c', 9, 99"):
        tq.answer(make_paragraphs(), codes, make_questions())


def test_unknown_document_type_raises():
    paragraphs = make_paragraphs()
    paragraphs.loc[paragraphs["dokument_id"] == "myn_b", "dokumenttyp"] = "rapport"
    with pytest.raises(QuestionError, match=r"dokumenttyp: 'rapport' \(dokument_id 'myn_b'\)"):
        tq.answer(paragraphs, make_codes(), make_questions())


# --- the question set ----------------------------------------------------------------------


def test_real_question_set_loads_and_is_valid():
    qs = tq.load_questions()
    assert list(qs["fraga_id"]) == [f"Q{i:02d}" for i in range(1, len(qs) + 1)]
    assert 15 <= len(qs) <= 26
    assert set(qs["uppfoljningsfraga"]) == set(tq.FOLLOW_UP_QUESTIONS)
    coded = set(tq.coded_element_ids())
    used = {e for ids in qs["element_ids"] for e in ids.split("|") if e}
    assert used <= coded
    assert {"GF1", "GF2", "GF3", "SO1", "SO2", "SO3", "SO4", "SU1", "HB-EK", "HB-SO", "HB-MI", "TP"} <= used
    for _, q in qs.iterrows():
        assert q["element_ids"] or q["monster"], q["fraga_id"]
        assert q["fraga"].endswith("?"), q["fraga_id"]
        assert set(filter(None, q["galler"].split("|"))) <= set(tq.DOCUMENT_TYPES)
        assert q["ja_minst"] >= q["delvis_minst"] >= 1


def test_real_patterns_match_what_they_mean():
    qs = tq.load_questions().set_index("kort")

    def hit(short, text):
        return re.search(qs.loc[short, "monster"], text, re.IGNORECASE) is not None

    assert hit("Samverkan med statliga myndigheter", "Vi samverkar med Trafikverket och länsstyrelsen.")
    assert not hit("Samverkan med statliga myndigheter", "Myndigheten har samverkat med regionerna.")
    assert hit("Samverkan med kommuner", "Samverkan med länets kommuner")
    assert not hit("Samverkan med kommuner", "Digital kommunikation")
    assert hit("Hänvisning till strategin", "Den nationella strategin för hållbar regional utveckling i hela landet 2021–2030")
    assert hit("Användning av anslag 1:1", "Medel från anslaget 1:1 Regionala tillväxtåtgärder")
    assert hit("Landsbygd och glesbygd", "glesbygdens service")
    assert hit("Funktionella regioner och gränsöverskridande samarbete", "Gränsöverskridande samarbete med Norge")


def test_real_questions_answer_the_fixture():
    out = tq.answer(make_paragraphs(), make_codes(), tq.load_questions())
    per_doc = out.groupby("dokument_id", sort=False)["fraga_id"].apply(set)
    assert list(per_doc.index) == ["rus_c", "rua_a", "myn_b"]
    assert "Q05" not in per_doc["rus_c"] and "Q16" not in per_doc["rus_c"]  # agency-only / 1:1 questions
    assert "Q05" in per_doc["myn_b"] and "Q16" not in per_doc["myn_b"]
    strategy = out[(out["dokument_id"] == "rus_c") & (out["fraga_id"] == "Q09")].iloc[0]
    assert strategy["maskinens_svar"] == "ja"


HEADER = "fraga_id,uppfoljningsfraga,kort,fraga,element_ids,monster,galler,ja_minst,delvis_minst\n"
GOOD_ROW = "Q01,1,Samverkan,Beskriver dokumentet samverkan?,GF2,,,3,1\n"


@pytest.mark.parametrize("bad_row, column, value", [
    ("Q01,1,X,Fråga?,GF1,,,3,1\n", "fraga_id", "Q01"),
    ("Q02,5,X,Fråga?,GF1,,,3,1\n", "uppfoljningsfraga", "5"),
    ("Q02,1,X,Fråga?,GF9,,,3,1\n", "element_ids", "GF9"),
    ("Q02,1,X,Fråga?,ANNAT,,,3,1\n", "element_ids", "ANNAT"),
    ("Q02,1,X,Fråga?,,(myndighet,,3,1\n", "monster", "(myndighet"),
    ("Q02,1,X,Fråga?,,a*,,3,1\n", "monster", "a*"),
    ("Q02,1,X,Fråga?,,,,3,1\n", "element_ids", ""),
    ("Q02,1,X,Fråga?,GF1,,rapport,3,1\n", "galler", "rapport"),
    ("Q02,1,X,Fråga?,GF1,,,1,2\n", "ja_minst", "1/2"),
    ("Q02,1,X,Fråga?,GF1,,,3,0\n", "ja_minst", "3/0"),
    ("Q02,1,X,Fråga?,GF1,,,tre,1\n", "ja_minst", "tre"),
    ("Q2,1,X,Fråga?,GF1,,,3,1\n", "fraga_id", "Q2"),
    ("Q02,1,X,,GF1,,,3,1\n", "fraga", ""),
])
def test_bad_question_file_names_file_row_and_value(tmp_path, bad_row, column, value):
    path = tmp_path / "fragor.csv"
    path.write_text(HEADER + GOOD_ROW + bad_row, encoding="utf-8")
    with pytest.raises(QuestionError) as err:
        tq.load_questions(path)
    message = str(err.value)
    assert str(path) in message and "row 3" in message and f"column {column}" in message
    assert repr(value) in message


def test_question_file_defaults_and_missing_column(tmp_path):
    path = tmp_path / "fragor.csv"
    path.write_text(HEADER + "Q01,1,,Fråga?,GF1| GF2,,,,\n", encoding="utf-8")
    q = tq.load_questions(path).iloc[0]
    assert (q["ja_minst"], q["delvis_minst"], q["element_ids"], q["kort"]) == (3, 1, "GF1|GF2", "Fråga?")
    path.write_text(HEADER.replace(",monster", ",monstre") + GOOD_ROW, encoding="utf-8")
    with pytest.raises(QuestionError, match="missing column.*monster"):
        tq.load_questions(path)


# --- the review workbook -------------------------------------------------------------------


@pytest.fixture()
def workbook(tmp_path, answers):
    return tq.write_review_workbook(answers, make_questions(), tmp_path / "granskning.xlsx", synthetic=True)


def columns_of(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[3]}


def edit(path, change):
    wb = load_workbook(path)
    change(wb["granskning"])
    wb.save(path)


def row_of(ws, doc, question):
    col = columns_of(ws)
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, col["Dokument"]).value == doc and ws.cell(r, col["Fråga (id)"]).value == question:
            return r
    raise AssertionError((doc, question))


def test_workbook_layout_and_drop_down(workbook, answers):
    wb = load_workbook(workbook)
    assert wb.sheetnames == ["granskning", "frågor"]
    ws = wb["granskning"]
    assert "SYNTETISKA EXEMPELDATA" in ws["A2"].value
    col = columns_of(ws)
    for name in ("Dokument", "Aktör", "År", "Fråga", "Maskinens svar", "Belägg 1", "Belägg 2", "Belägg 3",
                 "Expertens svar", "Kommentar"):
        assert name in col
    assert list(col)[-2:] == ["Expertens svar", "Kommentar"]
    assert ws.max_row == 3 + len(answers)
    r = row_of(ws, "rus_c", "Q01")
    assert ws.cell(r, col["Fråga"]).value == "Beskriver dokumentet samverkan med statliga myndigheter?"
    assert ws.cell(r, col["Maskinens svar"]).value == "ja" and ws.cell(r, col["År"]).value == 2022
    [validation] = ws.data_validations.dataValidation
    letter = ws.cell(3, col["Expertens svar"]).column_letter
    assert validation.type == "list" and validation.formula1 == '"ja,delvis,nej"'
    assert str(validation.sqref) == f"{letter}4:{letter}{3 + len(answers)}"
    qs = wb["frågor"]
    assert [qs.cell(r, 1).value for r in range(4, qs.max_row + 1)] == ["Q01", "Q02", "Q03", "Q04", "Q05"]


def test_workbook_not_synthetic_has_no_marker(tmp_path, answers):
    path = tq.write_review_workbook(answers, make_questions(), tmp_path / "g.xlsx", synthetic=False)
    assert "SYNTETISKA" not in load_workbook(path)["granskning"]["A2"].value


def test_workbook_bytes_are_reproducible(tmp_path, answers):
    a = tq.write_review_workbook(answers, make_questions(), tmp_path / "a.xlsx", synthetic=True)
    b = tq.write_review_workbook(answers, make_questions(), tmp_path / "b.xlsx", synthetic=True)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_round_trip_with_expert_answers_and_reordered_rows(workbook, answers):
    def fill(ws):
        col = columns_of(ws)
        ws.cell(row_of(ws, "rus_c", "Q01"), col["Expertens svar"]).value = "ja"  # agrees
        ws.cell(row_of(ws, "rua_a", "Q01"), col["Expertens svar"]).value = "nej"  # machine: delvis
        ws.cell(row_of(ws, "myn_b", "Q04"), col["Expertens svar"]).value = " Nej "  # machine: nej
        ws.cell(row_of(ws, "rua_a", "Q05"), col["Kommentar"]).value = "oklart"
        # The expert sorts the rows the other way round.
        values = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
        for r, row in enumerate(reversed(values), start=4):
            for c, value in enumerate(row, start=1):
                ws.cell(r, c).value = value

    edit(workbook, fill)
    out = tq.read_review_workbook(workbook, answers)
    assert list(out.columns) == [*tq.ANSWER_COLUMNS, *tq.REVIEW_COLUMNS]
    assert out[list(tq.ANSWER_COLUMNS)].equals(answers)
    got = out.set_index(["dokument_id", "fraga_id"])
    assert got.loc[("rus_c", "Q01"), ["expertens_svar", "slutligt_svar", "overens"]].tolist() == ["ja", "ja", True]
    assert got.loc[("rua_a", "Q01"), ["expertens_svar", "slutligt_svar", "overens"]].tolist() == ["nej", "nej", False]
    assert got.loc[("myn_b", "Q04"), ["expertens_svar", "slutligt_svar", "overens"]].tolist() == ["nej", "nej", True]
    assert got.loc[("rua_a", "Q05"), ["expertens_svar", "kommentar", "slutligt_svar", "overens"]].tolist() == [
        None, "oklart", "delvis", None]
    assert out["expertens_svar"].notna().sum() == 3
    assert (out.loc[out["expertens_svar"].isna(), "slutligt_svar"] == out.loc[out["expertens_svar"].isna(), "maskinens_svar"]).all()

    table = tq.agreement(out).set_index("fraga_id")
    assert list(table.index) == ["Q01", "Q02", "Q03", "Q04", "Q05"]
    q1 = table.loc["Q01"]
    assert (q1["svar"], q1["granskade"], q1["overens"], q1["andel_overens_procent"]) == (3, 2, 1, 50.0)
    assert q1["maskin_ja_expert_ja"] == 1 and q1["maskin_delvis_expert_nej"] == 1
    assert q1[[c for c in table.columns if c.startswith("maskin_")]].sum() == 2
    assert table.loc["Q04", "andel_overens_procent"] == 100.0 and table.loc["Q04", "maskin_nej_expert_nej"] == 1
    assert table.loc["Q02", "granskade"] == 0 and pd.isna(table.loc["Q02", "andel_overens_procent"])


def test_untouched_workbook_reads_back_as_machine_answers(workbook, answers):
    out = tq.read_review_workbook(workbook, answers)
    assert out["expertens_svar"].isna().all() and out["overens"].isna().all()
    assert out["slutligt_svar"].tolist() == answers["maskinens_svar"].tolist()


def set_cell(doc, question, header, value):
    def change(ws):
        ws.cell(row_of(ws, doc, question), columns_of(ws)[header]).value = value
    return change


def duplicate_first_row(ws):
    ws.append([c.value for c in ws[4]])


def rename_sheet(ws):
    ws.title = "annat"


def rename_header(ws):
    ws.cell(3, columns_of(ws)["Expertens svar"]).value = "Svar"


@pytest.mark.parametrize("change, expected", [
    (set_cell("rua_a", "Q02", "Expertens svar", "kanske"), ["sheet 'granskning'", "row {row}", "'kanske'", "Expertens svar"]),
    (set_cell("rua_a", "Q02", "Dokument", "okänt_dok"), ["sheet 'granskning'", "row {row}", "'okänt_dok'"]),
    (set_cell("rua_a", "Q02", "Fråga (id)", "Q99"), ["sheet 'granskning'", "row {row}", "'Q99'"]),
    (duplicate_first_row, ["sheet 'granskning'", "row {last}", "duplicate of row 4", "'rus_c'"]),
    (rename_sheet, ["sheet 'granskning' is missing", "annat"]),
    (rename_header, ["sheet 'granskning'", "Expertens svar"]),
])
def test_bad_workbook_names_file_sheet_row_and_value(workbook, answers, change, expected):
    row = row_of(load_workbook(workbook)["granskning"], "rua_a", "Q02")
    edit(workbook, change)
    last = load_workbook(workbook).worksheets[0].max_row
    with pytest.raises(QuestionError) as err:
        tq.read_review_workbook(workbook, answers)
    message = str(err.value)
    assert str(workbook) in message
    for part in expected:
        assert part.format(row=row, last=last) in message, message
