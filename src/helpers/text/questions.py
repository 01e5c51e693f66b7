"""Question-based text analysis: a fixed set of questions asked of every document.

The questions live in `data/reference/questions.csv` (documented in `questions.md` beside
it), so an analyst can read and change them without touching code. Each question is answered
per document from the coder's paragraph codes and an optional text pattern:

    a paragraph satisfies a question when it is coded with one of the question's element ids
    (if any are given) AND the question's pattern matches its text (if a pattern is given);
    ja     when at least `ja_minst` paragraphs satisfy it,
    delvis when at least `delvis_minst` do,
    nej    otherwise.

The machine's answers go to an expert in a review workbook (one row per document and
question, a drop-down for the expert's answer); the filled workbook is read back, the
expert's answer wins where given, and the agreement between expert and machine is counted
per question."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..files import write_atomic
from ..paths import resolve
from ..reference import framework
from ..stages import QUESTIONS_FILE

ANSWERS = ("ja", "delvis", "nej")
FOLLOW_UP_QUESTIONS = ("1", "2a", "2b", "3", "4")
DOCUMENT_TYPES = ("rus", "regionalt_utvecklingsarbete", "myndigheters_medverkan", "arsredovisning")
# Framework element types the coder assigns to paragraphs (not the goal, not the NYPS "Annat").
CODED_TYPES = (
    "strategiskt_omrade", "prioritering", "grundlaggande_forutsattning", "samhallsutmaning",
    "hallbarhet", "perspektiv",
)
DEFAULT_JA_MINST = 3
DEFAULT_DELVIS_MINST = 1
EVIDENCE_COUNT = 3
EXCERPT_CHARS = 400

QUESTION_COLUMNS = (
    "fraga_id", "uppfoljningsfraga", "kort", "fraga", "element_ids", "monster", "galler",
    "ja_minst", "delvis_minst",
)
_OPTIONAL_QUESTION_COLUMNS = ("kort",)  # defaults to the question text
PARAGRAPH_COLUMNS = (
    "dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar", "sida", "stycke_nr", "rubrik", "text",
)
CODE_COLUMNS = ("dokument_id", "sida", "stycke_nr", "element_id", "traffar")
DOCUMENT_COLUMNS = ("dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar")
EVIDENCE_COLUMNS = tuple(f"belagg_{i}" for i in range(1, EVIDENCE_COUNT + 1))
ANSWER_COLUMNS = (
    *DOCUMENT_COLUMNS, "fraga_id", "uppfoljningsfraga", "stycken", "maskinens_svar", *EVIDENCE_COLUMNS,
)
REVIEW_COLUMNS = ("expertens_svar", "kommentar", "slutligt_svar", "overens")

REVIEW_SHEET = "granskning"
QUESTIONS_SHEET = "frågor"
# Review sheet: machine column -> Swedish header. The expert fills the last two.
REVIEW_HEADERS: dict[str, str] = {
    "dokument_id": "Dokument",
    "aktor": "Aktör",
    "aktorsgrupp": "Aktörsgrupp",
    "dokumenttyp": "Dokumenttyp",
    "ar": "År",
    "uppfoljningsfraga": "Uppföljningsfråga",
    "fraga_id": "Fråga (id)",
    "fraga": "Fråga",
    "stycken": "Stycken som uppfyller frågan",
    "maskinens_svar": "Maskinens svar",
    "belagg_1": "Belägg 1",
    "belagg_2": "Belägg 2",
    "belagg_3": "Belägg 3",
    "expertens_svar": "Expertens svar",
    "kommentar": "Kommentar",
}
_REVIEW_REQUIRED = ("dokument_id", "fraga_id", "expertens_svar", "kommentar")
QUESTION_HEADERS: dict[str, str] = {
    "fraga_id": "Fråga (id)",
    "uppfoljningsfraga": "Uppföljningsfråga",
    "kort": "Kort namn",
    "fraga": "Fråga",
    "element_ids": "Strategielement (id, något av)",
    "monster": "Textmönster (reguljärt uttryck)",
    "galler": "Gäller dokumenttyper",
    "ja_minst": "Stycken som krävs för ja",
    "delvis_minst": "Stycken som krävs för delvis",
}
_WIDTHS = {
    "dokument_id": 22, "aktor": 22, "aktorsgrupp": 16, "dokumenttyp": 20, "ar": 7,
    "uppfoljningsfraga": 11, "fraga_id": 9, "fraga": 50, "stycken": 11, "maskinens_svar": 11,
    "belagg_1": 60, "belagg_2": 60, "belagg_3": 60, "expertens_svar": 13, "kommentar": 40,
}


class QuestionError(ValueError):
    """A question set, the inputs or a review workbook do not hold what the analysis needs.
    The message names the file (or frame), the row and the offending value."""


# --- the question set -----------------------------------------------------------------------


def coded_element_ids() -> tuple[str, ...]:
    """The element ids a question may name: those the coder assigns."""
    return tuple(r["id"] for r in framework() if r["typ"] in CODED_TYPES)


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(value).split("|") if p.strip())


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _compile(pattern: str) -> re.Pattern:
    return re.compile(unicodedata.normalize("NFC", pattern), re.IGNORECASE)


def _question_number(fraga_id: str) -> int:
    return int(fraga_id[1:])


def _validate_questions(frame: pd.DataFrame, source: str, first_row: int) -> pd.DataFrame:
    """Check a question set and return it normalised (strings stripped, ids joined by '|',
    thresholds as int, defaults filled). `first_row` is the row number of frame's first row
    as the reader sees it (2 for a CSV with a header line)."""
    missing = [c for c in QUESTION_COLUMNS if c not in frame.columns and c not in _OPTIONAL_QUESTION_COLUMNS]
    if missing:
        raise QuestionError(f"{source}: missing column(s) {', '.join(missing)} (needs {', '.join(QUESTION_COLUMNS)})")
    known_elements = set(coded_element_ids())
    rows = []
    seen: dict[str, int] = {}
    for offset, raw in enumerate(frame.to_dict("records")):
        row_no = first_row + offset

        def fail(column: str, value, why: str) -> QuestionError:
            return QuestionError(f"{source}, row {row_no}, column {column}: {value!r} {why}")

        def text(column: str) -> str:
            value = raw.get(column)
            return "" if _blank(value) else unicodedata.normalize("NFC", str(value)).strip()

        fraga_id = text("fraga_id")
        if not re.fullmatch(r"Q\d{2,3}", fraga_id):
            raise fail("fraga_id", fraga_id, "is not an id of the form Q01")
        if fraga_id in seen:
            raise fail("fraga_id", fraga_id, f"is not unique (also row {seen[fraga_id]})")
        seen[fraga_id] = row_no
        follow_up = text("uppfoljningsfraga")
        if follow_up not in FOLLOW_UP_QUESTIONS:
            raise fail("uppfoljningsfraga", follow_up, f"is not a follow-up question ({', '.join(FOLLOW_UP_QUESTIONS)})")
        fraga = text("fraga")
        if not fraga:
            raise fail("fraga", fraga, "is empty: every question needs its Swedish text")
        element_ids = _split(text("element_ids"))
        for element in element_ids:
            if element not in known_elements:
                raise fail("element_ids", element, "is not an element id the coder assigns (see strategy_framework.csv)")
        if len(set(element_ids)) != len(element_ids):
            raise fail("element_ids", text("element_ids"), "names an element twice")
        monster = text("monster")
        if monster:
            try:
                compiled = _compile(monster)
            except re.error as exc:
                raise fail("monster", monster, f"is not a valid regular expression ({exc})") from None
            if compiled.search(""):
                raise fail("monster", monster, "matches the empty text, so it would match every paragraph")
        if not element_ids and not monster:
            raise fail("element_ids", "", "and monster are both empty: a question needs at least one of them")
        galler = _split(text("galler"))
        for doc_type in galler:
            if doc_type not in DOCUMENT_TYPES:
                raise fail("galler", doc_type, f"is not a document type ({', '.join(DOCUMENT_TYPES)})")
        thresholds = {}
        for column, default in (("ja_minst", DEFAULT_JA_MINST), ("delvis_minst", DEFAULT_DELVIS_MINST)):
            value = text(column)
            if not value:
                thresholds[column] = default
                continue
            try:
                number = float(value)
            except ValueError:
                number = float("nan")
            if not number.is_integer():
                raise fail(column, value, "is not a whole number of paragraphs")
            thresholds[column] = int(number)
        if not thresholds["ja_minst"] >= thresholds["delvis_minst"] >= 1:
            raise fail(
                "ja_minst", f"{thresholds['ja_minst']}/{thresholds['delvis_minst']}",
                "breaks ja_minst >= delvis_minst >= 1",
            )
        extra = {k: v for k, v in raw.items() if k not in QUESTION_COLUMNS}
        rows.append({
            "fraga_id": fraga_id, "uppfoljningsfraga": follow_up, "kort": text("kort") or fraga, "fraga": fraga,
            "element_ids": "|".join(element_ids), "monster": monster, "galler": "|".join(galler),
            **thresholds, **extra,
        })
    if not rows:
        raise QuestionError(f"{source}: the question set is empty")
    out = pd.DataFrame(rows)
    return out.astype({"ja_minst": "int64", "delvis_minst": "int64"})


def load_questions(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the question set (default `data/reference/questions.csv`).

    Columns: fraga_id, uppfoljningsfraga, kort, fraga, element_ids, monster, galler, ja_minst,
    delvis_minst (and any extra columns the analyst added). Raises QuestionError naming the
    file, the row (as numbered in a spreadsheet, the header being row 1) and the value."""
    path = resolve(path) if path is not None else resolve(QUESTIONS_FILE)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise QuestionError(f"{path}: cannot be read as a UTF-8 CSV ({exc})") from None
    return _validate_questions(frame, str(path), first_row=2)


def _as_question_set(questions: pd.DataFrame) -> pd.DataFrame:
    """A question set passed as a frame: checked the same way as the file."""
    return _validate_questions(questions.reset_index(drop=True), "questions", first_row=1)


# --- answering ------------------------------------------------------------------------------


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise QuestionError(f"{name}: missing column(s) {', '.join(missing)} (needs {', '.join(columns)})")


def _key_part(value):
    """Paragraph keys compared across frames: 3, 3.0 and numpy 3 are the same page."""
    if _blank(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _terms(traffar, element_id: str) -> set[str]:
    """The coder's matched terms for one element. `traffar` may be text ('a|b'), a list, or a
    count; a count says nothing about which terms, so the element counts as one term."""
    if isinstance(traffar, str):
        terms = {t.strip().casefold() for t in re.split(r"[|;,]", traffar) if t.strip()}
        return terms or {element_id}
    if isinstance(traffar, (list, tuple, set, np.ndarray)):
        terms = {str(t).strip().casefold() for t in list(traffar) if str(t).strip()}
        return terms or {element_id}
    return {element_id}


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The paragraph's text on one line, cut at a word boundary to at most `limit` characters
    (plus an ellipsis when cut)."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 2 else flat[:limit]
    return cut.rstrip(" ,;:–-") + " …"


def _evidence(page, paragraph_no, text: str) -> str:
    where = f"sida {page}" if page is not None else f"stycke {paragraph_no}"
    return f"{where}: {excerpt(text)}"


def _verdict(count: int, ja_minst: int, delvis_minst: int) -> str:
    if count >= ja_minst:
        return "ja"
    if count >= delvis_minst:
        return "delvis"
    return "nej"


def answer(paragraphs: pd.DataFrame, codes: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Answer every applicable question for every document.

    Returns one row per (document, question) where the question applies to the document's type:
    dokument_id, aktorsgrupp, aktor, dokumenttyp, ar, fraga_id, uppfoljningsfraga, stycken (number
    of paragraphs satisfying the question), maskinens_svar (ja/delvis/nej), belagg_1..3 (the best
    satisfying paragraphs as 'sida N: text', None when fewer). Documents come in the order they
    first appear in `paragraphs`, questions by number."""
    questions = _as_question_set(questions)
    _require(paragraphs, PARAGRAPH_COLUMNS, "paragraphs")
    _require(codes, CODE_COLUMNS, "codes")
    questions = questions.sort_values("fraga_id", key=lambda s: s.map(_question_number), kind="stable")

    paras = paragraphs.reset_index(drop=True)
    keys = [
        (str(d).strip(), _key_part(s), _key_part(n))
        for d, s, n in zip(paras["dokument_id"], paras["sida"], paras["stycke_nr"])
    ]
    position: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        if key in position:
            raise QuestionError(
                f"paragraphs: rows {position[key]} and {i} are the same paragraph "
                f"(dokument_id {key[0]!r}, sida {key[1]!r}, stycke_nr {key[2]!r})"
            )
        position[key] = i

    documents: dict[str, dict] = {}
    for i, key in enumerate(keys):
        if key[0] not in documents:
            row = paras.iloc[i]
            doc_type = row["dokumenttyp"]
            if doc_type not in DOCUMENT_TYPES:
                raise QuestionError(
                    f"paragraphs, row {i}, column dokumenttyp: {doc_type!r} (dokument_id {key[0]!r}) "
                    f"is not a document type ({', '.join(DOCUMENT_TYPES)})"
                )
            documents[key[0]] = {c: _key_part(row[c]) if c == "ar" else row[c] for c in DOCUMENT_COLUMNS}

    # paragraph position -> {element_id: coder's terms}
    coded: dict[int, dict[str, set[str]]] = {}
    unknown = []
    for d, s, n, element, traffar in zip(
        codes["dokument_id"], codes["sida"], codes["stycke_nr"], codes["element_id"], codes["traffar"]
    ):
        key = (str(d).strip(), _key_part(s), _key_part(n))
        if key not in position:
            unknown.append(key)
            continue
        element = str(element).strip()
        coded.setdefault(position[key], {}).setdefault(element, set()).update(_terms(traffar, element))
    if unknown:
        raise QuestionError(
            f"codes: {len(unknown)} coded paragraph(s) are not in paragraphs, first "
            f"(dokument_id, sida, stycke_nr) = {unknown[0]!r}; code and answer the same paragraphs"
        )

    texts = [unicodedata.normalize("NFC", "" if _blank(t) else str(t)) for t in paras["text"]]
    paragraphs_by_doc: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        paragraphs_by_doc.setdefault(key[0], []).append(i)

    prepared = [
        (q, set(_split(q["element_ids"])), _compile(q["monster"]) if q["monster"] else None, set(_split(q["galler"])))
        for q in questions.to_dict("records")
    ]
    rows = []
    for doc_id, doc in documents.items():
        for q, elements, pattern, applies_to in prepared:
            if applies_to and doc["dokumenttyp"] not in applies_to:
                continue
            found = _satisfying(paragraphs_by_doc[doc_id], elements, pattern, coded, texts)
            evidence = [
                _evidence(keys[i][1], keys[i][2], texts[i]) for i in found[:EVIDENCE_COUNT]
            ]
            evidence += [None] * (EVIDENCE_COUNT - len(evidence))
            rows.append({
                **doc, "fraga_id": q["fraga_id"], "uppfoljningsfraga": q["uppfoljningsfraga"],
                "stycken": len(found), "maskinens_svar": _verdict(len(found), q["ja_minst"], q["delvis_minst"]),
                **dict(zip(EVIDENCE_COLUMNS, evidence)),
            })
    out = pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))
    return out.astype({"stycken": "int64"})


def _satisfying(positions, elements, pattern, coded, texts) -> list[int]:
    """Positions of the paragraphs that satisfy a question, best first: most distinct matched
    terms (the coder's terms for the question's elements and the pattern's matches, casefolded),
    then most pattern matches, then document order."""
    found = []
    for i in positions:
        terms: set[str] = set()
        if elements:
            paragraph_codes = coded.get(i, {})
            matched = elements.intersection(paragraph_codes)
            if not matched:
                continue
            for element in matched:
                terms |= paragraph_codes[element]
        pattern_hits = 0
        if pattern is not None:
            matches = [m.group(0).strip().casefold() for m in pattern.finditer(texts[i])]
            if not matches:
                continue
            pattern_hits = len(matches)
            terms |= set(matches)
        found.append((-len(terms), -pattern_hits, i))
    return [i for _, _, i in sorted(found)]


# --- the review workbook --------------------------------------------------------------------

_REVIEW_TITLE = "Frågebaserad textanalys: maskinens svar att granska"
_REVIEW_NOTE = (
    "Maskinen svarar ja, delvis eller nej efter hur många stycken i dokumentet som uppfyller frågan "
    "(kodade med frågans strategielement och/eller träffade av frågans textmönster; se bladet frågor). "
    "Skriv ditt svar (ja, delvis eller nej) i kolumnen Expertens svar för de rader du har granskat och "
    "lämna den tom annars; tom betyder att maskinens svar står kvar. Raderna får sorteras och filtreras, "
    "men ändra inte Dokument och Fråga (id)."
)
_QUESTIONS_TITLE = "Frågorna som ställs till varje dokument"
_QUESTIONS_NOTE = (
    "Ett stycke uppfyller frågan när det är kodat med något av frågans strategielement (om sådana anges) "
    "och frågans textmönster finns i stycket (om ett mönster anges; stora och små bokstäver räknas lika). "
    "Svaret är ja när minst så många stycken som anges för ja uppfyller frågan, delvis när minst så många "
    "som anges för delvis gör det, annars nej. Källa: data/reference/questions.csv."
)


def _cell_value(value):
    if _blank(value):
        return None
    return value.item() if hasattr(value, "item") else value


def write_review_workbook(answers: pd.DataFrame, questions: pd.DataFrame, path: str | Path, synthetic: bool) -> Path:
    """The machine's answers as a workbook for the expert: sheet 'granskning' (title row, note
    row, header row, one row per answer with an 'Expertens svar' drop-down ja/delvis/nej and a
    'Kommentar' column) and sheet 'frågor' (the question set). The same content gives the same
    bytes."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..tables import fixed_zip  # the study's one way to make xlsx bytes reproducible

    questions = _as_question_set(questions)
    _require(answers, ANSWER_COLUMNS, "answers")
    question_text = dict(zip(questions["fraga_id"], questions["fraga"]))
    unknown = sorted(set(answers["fraga_id"]) - set(question_text))
    if unknown:
        raise QuestionError(f"answers: fraga_id {unknown[0]!r} is not in the question set")
    duplicated = answers.duplicated(["dokument_id", "fraga_id"])
    if duplicated.any():
        row = answers[duplicated].iloc[0]
        raise QuestionError(f"answers: dokument_id {row['dokument_id']!r} has fraga_id {row['fraga_id']!r} twice")

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "helpers.text.questions (strategiuppföljning)"
    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    note_prefix = "SYNTETISKA EXEMPELDATA – inte verkliga uppgifter. " if synthetic else ""

    def head(ws, title: str, note: str, headers: list[str]) -> None:
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([note_prefix + note])
        if synthetic:
            ws["A2"].font = Font(bold=True, color="B00020")
        ws.append(headers)
        for cell in ws[3]:
            cell.font = bold
            cell.alignment = wrap
        ws.freeze_panes = "A4"

    # Sheet 1: one row per answer.
    ws = wb.create_sheet(REVIEW_SHEET)
    columns = list(REVIEW_HEADERS)
    head(ws, _REVIEW_TITLE, _REVIEW_NOTE, [REVIEW_HEADERS[c] for c in columns])
    for record in answers.to_dict("records"):
        values = {**record, "fraga": question_text[record["fraga_id"]], "expertens_svar": None, "kommentar": None}
        ws.append([_cell_value(values.get(c)) for c in columns])
    last_row = 3 + len(answers)
    expert_fill = PatternFill("solid", start_color="FFF4CC", end_color="FFF4CC")
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = _WIDTHS.get(column, 14)
        for (cell,) in ws.iter_rows(min_row=4, max_row=last_row, min_col=i, max_col=i):
            cell.alignment = wrap
            cell.number_format = "0" if column in ("ar", "stycken") else "@"
            if column in ("expertens_svar", "kommentar"):
                cell.fill = expert_fill
    expert_letter = get_column_letter(columns.index("expertens_svar") + 1)
    choice = DataValidation(
        type="list", formula1='"' + ",".join(ANSWERS) + '"', allow_blank=True, showErrorMessage=True,
        errorTitle="Ogiltigt svar", error="Svara ja, delvis eller nej, eller lämna cellen tom.",
        promptTitle="Expertens svar", prompt="ja, delvis eller nej; tom = maskinens svar står kvar",
        showInputMessage=True,
    )
    ws.add_data_validation(choice)
    choice.add(f"{expert_letter}4:{expert_letter}{max(last_row, 4)}")
    if len(answers):
        ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}{last_row}"

    # Sheet 2: the question set.
    qs = wb.create_sheet(QUESTIONS_SHEET)
    qcolumns = list(QUESTION_HEADERS)
    head(qs, _QUESTIONS_TITLE, _QUESTIONS_NOTE, [QUESTION_HEADERS[c] for c in qcolumns])
    for record in questions.to_dict("records"):
        record = {**record, "galler": record["galler"].replace("|", ", ") or "alla",
                  "element_ids": record["element_ids"].replace("|", ", ")}
        qs.append([_cell_value(record[c]) for c in qcolumns])
    for i, column in enumerate(qcolumns, start=1):
        qs.column_dimensions[get_column_letter(i)].width = {"fraga": 60, "monster": 60, "kort": 30}.get(column, 14)
        for (cell,) in qs.iter_rows(min_row=4, min_col=i, max_col=i):
            cell.alignment = wrap

    buffer = io.BytesIO()
    wb.save(buffer)
    data = fixed_zip(buffer.getvalue())
    return write_atomic(Path(path), lambda tmp: tmp.write_bytes(data))


def _normal_header(value) -> str:
    return " ".join(str(value).split()).casefold() if not _blank(value) else ""


def read_review_workbook(path: str | Path, answers: pd.DataFrame) -> pd.DataFrame:
    """Read back a review workbook the expert has filled in.

    Returns `answers` with expertens_svar (ja/delvis/nej, None when left empty), kommentar,
    slutligt_svar (the expert's answer where given, else the machine's) and overens (whether
    the expert agreed with the machine; None when not reviewed). Rows are matched on
    Dokument and Fråga (id), so the expert may sort them; rows the expert deleted count as not
    reviewed. Raises QuestionError naming the file, sheet, row and value for a missing sheet or
    header, an unknown answer, a row not among the answers, and a duplicated row."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    _require(answers, ANSWER_COLUMNS, "answers")
    try:
        wb = load_workbook(path, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise QuestionError(f"{path}: cannot be read as an Excel workbook ({exc})") from None
    try:
        if REVIEW_SHEET not in wb.sheetnames:
            raise QuestionError(f"{path}: sheet {REVIEW_SHEET!r} is missing (sheets: {', '.join(wb.sheetnames)})")
        rows = list(wb[REVIEW_SHEET].iter_rows(values_only=True))
    finally:
        wb.close()

    wanted = {c: _normal_header(REVIEW_HEADERS[c]) for c in _REVIEW_REQUIRED}
    header_row, where = None, {}
    for r, row in enumerate(rows[:10], start=1):
        found = {_normal_header(v): j for j, v in enumerate(row)}
        if all(h in found for h in wanted.values()):
            header_row, where = r, {c: found[h] for c, h in wanted.items()}
            break
    if header_row is None:
        missing = [REVIEW_HEADERS[c] for c in _REVIEW_REQUIRED]
        raise QuestionError(
            f"{path}, sheet {REVIEW_SHEET!r}: no header row with the columns {', '.join(missing)} in the first 10 rows"
        )

    keys = [(str(d).strip(), str(q).strip()) for d, q in zip(answers["dokument_id"], answers["fraga_id"])]
    if len(set(keys)) != len(keys):
        raise QuestionError("answers: a (dokument_id, fraga_id) pair occurs twice")
    known = set(keys)
    reviewed: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    seen_at: dict[tuple[str, str], int] = {}
    for r, row in enumerate(rows[header_row:], start=header_row + 1):
        def get(column):
            j = where[column]
            value = row[j] if j < len(row) else None
            return None if _blank(value) else (str(value.item() if hasattr(value, "item") else value).strip())

        document, question, expert, comment = (get(c) for c in _REVIEW_REQUIRED)
        if document is None and question is None and expert is None and comment is None:
            continue  # an empty row
        key = (document or "", question or "")
        if key not in known:
            raise QuestionError(
                f"{path}, sheet {REVIEW_SHEET!r}, row {r}: Dokument {document!r} / Fråga (id) {question!r} "
                "is not among the machine's answers (do not edit those two columns)"
            )
        if key in seen_at:
            raise QuestionError(
                f"{path}, sheet {REVIEW_SHEET!r}, row {r}: Dokument {document!r} / Fråga (id) {question!r} "
                f"is a duplicate of row {seen_at[key]}"
            )
        seen_at[key] = r
        if expert is not None:
            normal = expert.casefold()
            if normal not in ANSWERS:
                raise QuestionError(
                    f"{path}, sheet {REVIEW_SHEET!r}, row {r}, column {REVIEW_HEADERS['expertens_svar']!r}: "
                    f"{expert!r} is not one of {', '.join(ANSWERS)} (or empty)"
                )
            expert = normal
        reviewed[key] = (expert, comment)

    out = answers.copy()
    pairs = [reviewed.get(k, (None, None)) for k in keys]
    out["expertens_svar"] = pd.Series([p[0] for p in pairs], index=out.index, dtype=object)
    out["kommentar"] = pd.Series([p[1] for p in pairs], index=out.index, dtype=object)
    out["slutligt_svar"] = [e if e is not None else m for (e, _), m in zip(pairs, out["maskinens_svar"])]
    out["overens"] = pd.Series(
        [None if e is None else e == m for (e, _), m in zip(pairs, out["maskinens_svar"])],
        index=out.index, dtype=object,
    )
    return out


def agreement(reviewed: pd.DataFrame) -> pd.DataFrame:
    """Per question: answers (svar), how many the expert reviewed (granskade), how many of those
    the expert agreed with (overens), the share agreed in per cent (NaN when none reviewed), and
    the count of every (machine, expert) answer pair, `maskin_<m>_expert_<e>`."""
    _require(reviewed, ("fraga_id", "uppfoljningsfraga", "maskinens_svar", "expertens_svar"), "reviewed")
    pair_columns = [f"maskin_{m}_expert_{e}" for m in ANSWERS for e in ANSWERS]
    rows = []
    ids = sorted(set(reviewed["fraga_id"]), key=_question_number)
    for fraga_id in ids:
        part = reviewed[reviewed["fraga_id"] == fraga_id]
        done = part[part["expertens_svar"].map(lambda v: not _blank(v))]
        agreed = int((done["expertens_svar"] == done["maskinens_svar"]).sum())
        row = {
            "fraga_id": fraga_id, "uppfoljningsfraga": part["uppfoljningsfraga"].iloc[0],
            "svar": len(part), "granskade": len(done), "overens": agreed,
            "andel_overens_procent": 100.0 * agreed / len(done) if len(done) else float("nan"),
        }
        for m in ANSWERS:
            for e in ANSWERS:
                row[f"maskin_{m}_expert_{e}"] = int(((done["maskinens_svar"] == m) & (done["expertens_svar"] == e)).sum())
        rows.append(row)
    columns = ["fraga_id", "uppfoljningsfraga", "svar", "granskade", "overens", "andel_overens_procent", *pair_columns]
    return pd.DataFrame(rows, columns=columns)
