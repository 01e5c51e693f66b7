"""One Excel rating form per expert: every county x template question on one sheet, with a
drop-down of the scale, room for a comment and the evidence passages from the text analysis;
and reading the filled-in forms back into long ratings.

A form carries a hidden sheet `_formular` (format, expert, the template's question ids) so that
only forms made for this template are read. Rows are read by their Länskod and Fråga (id)
cells, so an expert may sort and filter; every county x question row must be there once.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from .. import reference
from ..files import write_atomic
from ..tables import fixed_zip
from .ratings import RATING_COLUMNS, RatingsError, cell_text, check_ratings, sort_ratings

FORMAT = "rus-bedomning/1"
SHEET = "Bedömning"
GUIDE_SHEET = "Anvisning"
META_SHEET = "_formular"
TITLE = "Bedömning av de regionala utvecklingsstrategierna (RUS)"
SYNTHETIC_NOTE = "SYNTETISKA EXEMPELDATA – inte verkliga bedömningar."
PERIOD_SCALE = "Period ÅÅÅÅ-ÅÅÅÅ"
NO_ELEMENT = "–"
DEFAULT_EVIDENCE = 3

# Machine key -> Swedish header, in sheet order; the Belägg columns follow.
HEADERS = {
    "lan_kod": "Länskod", "lan": "Län", "del": "Del", "fraga_id": "Fråga (id)", "fraga": "Fråga",
    "element": "Element", "skala": "Skala", "varde": "Bedömning", "kommentar": "Kommentar",
}
_READ = ("lan_kod", "fraga_id", "varde", "kommentar")  # the cells read back
_WIDTHS = {"lan_kod": 9, "lan": 20, "del": 6, "fraga_id": 9, "fraga": 50, "element": 32, "skala": 26,
           "varde": 12, "kommentar": 40}
_EVIDENCE_WIDTH = 60


class FormError(RatingsError):
    """A rating form is not one this study made for this template, or was altered."""


def _evidence_columns(evidence: pd.DataFrame | None) -> list[str]:
    if evidence is None:
        return [f"belagg_{i}" for i in range(1, DEFAULT_EVIDENCE + 1)]
    found = [c for c in evidence.columns if str(c).startswith("belagg_")]
    wanted = [f"belagg_{i}" for i in range(1, len(found) + 1)]
    if sorted(found) != sorted(wanted) or not found:
        raise FormError(f"evidence: columns {', '.join(map(str, evidence.columns))}; "
                        "expected lan_kod, fraga_id, belagg_1 .. belagg_k")
    return wanted


def _evidence_lookup(evidence: pd.DataFrame | None, template, columns: list[str]) -> dict:
    if evidence is None:
        return {}
    missing = [c for c in ("lan_kod", "fraga_id") if c not in evidence.columns]
    if missing:
        raise FormError(f"evidence: missing column(s) {', '.join(missing)}")
    known = set(reference.county_codes())
    out = {}
    for i, record in enumerate(evidence.to_dict("records"), start=1):
        key = (cell_text(record["lan_kod"]), cell_text(record["fraga_id"]))
        if key[0] not in known or key[1] not in template.by_id:
            raise FormError(f"evidence, row {i}: lan_kod {key[0]!r} / fraga_id {key[1]!r} is not a county x template question")
        if key in out:
            raise FormError(f"evidence, row {i}: lan_kod {key[0]} / fraga_id {key[1]} appears twice")
        out[key] = [cell_text(record[c]) for c in columns]
    return out


def _prefill(ratings: pd.DataFrame | None, expert: str, template) -> dict:
    if ratings is None:
        return {}
    if "bedomare" not in ratings.columns:
        raise FormError(f"ratings: no column bedomare (found {', '.join(map(str, ratings.columns))}); "
                        f"expected {', '.join(RATING_COLUMNS)}")
    mine = (ratings["bedomare"].map(cell_text) == expert).to_numpy()
    # Row numbers as in the ratings file: the header is row 1.
    checked = check_ratings(ratings[mine], template, "ratings", [f"row {i + 2}" for i in mine.nonzero()[0]])
    return {(r.lan_kod, r.fraga_id): (r.varde, r.kommentar) for r in checked.itertuples(index=False)}


def scale_text(question) -> str:
    if question.is_period:
        return PERIOD_SCALE
    return ", ".join(f"{v} = {label}" for v, label in question.scale)


def _element_text(element_id: str) -> str:
    return f"{element_id} {reference.label(element_id)}" if element_id else NO_ELEMENT


def _guide_lines(template, expert: str) -> list[tuple[str, bool]]:
    """The Anvisning sheet as (line, is_heading) pairs."""
    scales = []
    for q in template.questions:
        text = scale_text(q)
        if text not in scales:
            scales.append(text)
    parts = [f"Del {letter}: {name}" for letter, name in template.parts.items()]
    body = lambda *lines: [(line, False) for line in lines]  # noqa: E731
    return [
        ("Anvisning för bedömningen", True),
        *body("", f"Bedömare: {expert}", ""),
        ("Vad du gör", True),
        *body(
            "Bladet Bedömning har en rad för varje län och fråga i bedömningsmallen. Läs länets regionala "
            "utvecklingsstrategi (RUS) och fyll i kolumnen Bedömning för varje rad. Skriv gärna en kort "
            "motivering i kolumnen Kommentar, till exempel sidhänvisningar.",
            "Övriga kolumner är låsta. Raderna får filtreras, men ta inte bort eller kopiera rader och ändra "
            "inte Länskod eller Fråga (id): formuläret läses rad för rad efter dem.",
            "",
        ),
        ("Skalan", True),
        *body(
            *scales,
            *[f"Fråga {q.fraga_id} besvaras med en period som startår-slutår, till exempel 2021-2030."
              for q in template.questions if q.is_period],
            "En tom cell i Bedömning betyder att frågan inte kan bedömas för länet (”kan inte bedömas”).",
            "",
        ),
        ("Frågornas delar", True),
        *body(*parts, ""),
        ("Belägg", True),
        *body(
            "Kolumnerna Belägg visar stycken ur länets RUS som textanalysen (steg 03) har kodat med frågans "
            "strategielement, med sidnummer. De är bara ett stöd för att hitta i dokumentet: bedömningen är din "
            "och ska grunda sig på hela strategin. Frågor utan strategielement har inga belägg.",
        ),
    ]


def write_form(path, expert: str, template, evidence: pd.DataFrame | None = None,
               ratings: pd.DataFrame | None = None, synthetic: bool = False) -> Path:
    """The rating form of one expert: sheet Bedömning (21 counties x template questions, with
    evidence passages and, when `ratings` is given, that expert's ratings filled in), sheet
    Anvisning (instructions in Swedish) and the hidden sheet _formular. The same content gives
    the same bytes; written whole or not at all."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    expert = cell_text(expert)
    if not expert:
        raise FormError(f"{path}: the expert id is empty; expected an id such as 'E1'")
    evidence_columns = _evidence_columns(evidence)
    quotes = _evidence_lookup(evidence, template, evidence_columns)
    filled = _prefill(ratings, expert, template)

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "helpers.review.forms (strategiuppföljning)"
    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    open_cell = Protection(locked=False)
    fill = PatternFill("solid", start_color="FFF4CC", end_color="FFF4CC")

    ws = wb.create_sheet(SHEET)
    ws.append([TITLE])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(["Bedömare", expert])
    ws["A2"].font = bold
    ws.append([SYNTHETIC_NOTE if synthetic else None])
    if synthetic:
        ws["A3"].font = Font(bold=True, color="B00020")
    keys = [*HEADERS, *evidence_columns]
    header_row = 4
    ws.append([HEADERS.get(k) or f"Belägg {k.split('_')[1]}" for k in keys])
    for cell in ws[header_row]:
        cell.font, cell.alignment = bold, wrap

    col = {k: i for i, k in enumerate(keys, start=1)}
    varde_letter = get_column_letter(col["varde"])
    ordinal_rows: dict[tuple, list[int]] = {}
    period_rows: list[int] = []
    r = header_row
    for county in reference.counties():
        code = county["lan_kod"]
        for q in template.questions:
            r += 1
            varde, kommentar = filled.get((code, q.fraga_id), ("", ""))
            values = {"lan_kod": code, "lan": county["lan"], "del": q.del_, "fraga_id": q.fraga_id, "fraga": q.fraga,
                      "element": _element_text(q.element_id), "skala": scale_text(q), "varde": varde,
                      "kommentar": kommentar}
            values.update(zip(evidence_columns, quotes.get((code, q.fraga_id), [""] * len(evidence_columns))))
            ws.append([values[k] or None for k in keys])
            if q.is_period:
                period_rows.append(r)
            else:
                ordinal_rows.setdefault(q.values, []).append(r)
    last = r
    for key, i in col.items():
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(key, _EVIDENCE_WIDTH)
        for (cell,) in ws.iter_rows(min_row=header_row + 1, max_row=last, min_col=i, max_col=i):
            cell.alignment = wrap
            cell.number_format = "@"  # text: a period stays text, a typed 2 is read back as "2"
            if key in ("varde", "kommentar"):
                cell.protection, cell.fill = open_cell, fill

    # Drop-down of the scale for ordinal questions (one rule per distinct scale).
    for values, numbers in ordinal_rows.items():
        rule = DataValidation(
            type="list", formula1='"' + ",".join(values) + '"', allow_blank=True, showErrorMessage=True,
            errorTitle="Ogiltig bedömning",
            error=f"Välj {', '.join(values)} i listan, eller lämna cellen tom (kan inte bedömas).",
            showInputMessage=True, promptTitle="Bedömning", prompt=f"{', '.join(values)}; tom = kan inte bedömas",
        )
        ws.add_data_validation(rule)
        for start, end in _runs(numbers):
            rule.add(f"{varde_letter}{start}:{varde_letter}{end}")
    # The period: empty or text like 2021-2030, start year not after end year. One rule per cell so
    # the formula's cell reference is unambiguous.
    for number in period_rows:
        c = f"{varde_letter}{number}"
        rule = DataValidation(
            type="custom", allow_blank=True, showErrorMessage=True,
            formula1=(f'AND(LEN({c})=9,MID({c},5,1)="-",ISNUMBER(--LEFT({c},4)),ISNUMBER(--RIGHT({c},4)),'
                      f"--LEFT({c},4)<=--RIGHT({c},4))"),
            errorTitle="Ogiltig period",
            error="Skriv perioden som startår-slutår, till exempel 2021-2030, eller lämna cellen tom.",
            showInputMessage=True, promptTitle="Period",
            prompt="Startår-slutår, till exempel 2021-2030; tom = kan inte bedömas",
        )
        ws.add_data_validation(rule)
        rule.add(c)

    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(keys))}{last}"
    # Protected without a password: against editing the structure by mistake, not against intent.
    ws.protection.sheet = True
    ws.protection.autoFilter = False  # False = allowed
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    guide = wb.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 110
    for number, (line, heading) in enumerate(_guide_lines(template, expert), start=1):
        cell = guide.cell(number, 1, line or None)
        cell.alignment = wrap
        if heading:
            cell.font = Font(bold=True, size=12 if number == 1 else 11)

    meta = wb.create_sheet(META_SHEET)
    meta.append(["format", FORMAT])
    meta.append(["bedomare", expert])
    meta.append(["fragor", ",".join(template.ids)])
    meta.sheet_state = "hidden"
    # Sheets cannot be renamed, deleted or unhidden by mistake (no password).
    wb.security = WorkbookProtection(lockStructure=True)

    buffer = io.BytesIO()
    wb.save(buffer)
    data = fixed_zip(buffer.getvalue())
    return write_atomic(Path(path), lambda tmp: tmp.write_bytes(data))


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) runs."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [(a, b) for a, b in runs]


# ------------------------------------------------------------------------------------ reading

def _load(path: Path):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise FormError(f"{path}: file not found")
    try:
        return load_workbook(path, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FormError(f"{path}: cannot be read as an Excel workbook ({exc}); expected a rating form (.xlsx)") from None


def _meta(wb, path: Path, template) -> str:
    if META_SHEET not in wb.sheetnames:
        raise FormError(f"{path}: not a rating form made by write_form (hidden sheet {META_SHEET!r} is missing; "
                        f"sheets: {', '.join(wb.sheetnames)})")
    meta = {}
    for row in wb[META_SHEET].iter_rows(values_only=True):
        if row and row[0] is not None:
            meta[cell_text(row[0])] = cell_text(row[1]) if len(row) > 1 else ""
    if meta.get("format") != FORMAT:
        raise FormError(f"{path}, sheet {META_SHEET}: format {meta.get('format')!r}; expected {FORMAT!r}")
    ids = tuple(i for i in meta.get("fragor", "").split(",") if i)
    if ids != template.ids:
        lacking = [i for i in template.ids if i not in ids]
        extra = [i for i in ids if i not in template.ids]
        detail = (f"questions missing in the form: {', '.join(lacking) or 'none'}; questions not in the template: "
                  f"{', '.join(extra) or 'none'}" if lacking or extra else "the questions are in another order")
        raise FormError(f"{path}: the form was made for another assessment template ({detail}); "
                        f"expected the questions of {template.source}")
    expert = meta.get("bedomare", "")
    if not expert:
        raise FormError(f"{path}, sheet {META_SHEET}: the expert id is empty")
    return expert


def read_form(path, template) -> pd.DataFrame:
    """The ratings in one filled-in form as long ratings (bedomare from the form), checked as
    check_ratings does. Raises FormError naming the file, sheet, row and value."""
    path = Path(path)
    wb = _load(path)
    try:
        expert = _meta(wb, path, template)
        if SHEET not in wb.sheetnames:
            raise FormError(f"{path}: sheet {SHEET!r} is missing (sheets: {', '.join(wb.sheetnames)})")
        rows = list(wb[SHEET].iter_rows(values_only=True))
    finally:
        wb.close()

    wanted = {HEADERS[k]: k for k in _READ}
    header_row, where = None, {}
    for number, row in enumerate(rows[:10], start=1):
        texts = [cell_text(v) for v in row] + ["", ""]
        if texts[0] == "Bedömare" and texts[1] != expert:
            raise FormError(f"{path}, sheet {SHEET}, row {number}: Bedömare {texts[1]!r} differs from the expert "
                            f"{expert!r} the form was made for")
        if all(h in texts for h in wanted):
            header_row, where = number, {k: texts.index(h) for h, k in wanted.items()}
            break
    if header_row is None:
        raise FormError(f"{path}, sheet {SHEET}: no header row with {', '.join(wanted)} in the first 10 rows")

    data, locations = [], []
    for number, row in enumerate(rows[header_row:], start=header_row + 1):
        values = {k: cell_text(row[j]) if j < len(row) else "" for k, j in where.items()}
        if not any(values.values()):
            continue  # an empty row holds no rating; a missing county x question is caught below
        data.append([values["lan_kod"], values["fraga_id"], expert, values["varde"], values["kommentar"]])
        locations.append(f"sheet {SHEET}, row {number}")
    frame = pd.DataFrame(data, columns=list(RATING_COLUMNS), dtype=object)
    try:
        ratings = check_ratings(frame, template, str(path), locations)
    except FormError:
        raise
    except RatingsError as exc:
        raise FormError(str(exc)) from None

    present = set(zip(ratings["lan_kod"], ratings["fraga_id"]))
    missing = [f"{c}/{q}" for c in reference.county_codes() for q in template.ids if (c, q) not in present]
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise FormError(f"{path}, sheet {SHEET}: {len(missing)} county x question row(s) missing (Länskod/Fråga (id) "
                        f"{', '.join(missing[:5])}{more}); expected every county and question once — "
                        "rows must not be deleted")
    return ratings


def read_forms(paths, template) -> pd.DataFrame:
    """The ratings of several forms, one per expert, as one long frame sorted as the contract
    says. The same expert in two forms is an error naming both files."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise FormError("no rating forms given; expected one form per expert")
    frames, owner = [], {}
    for path in paths:
        ratings = read_form(path, template)
        expert = _expert_of(ratings, path)
        if expert in owner:
            raise FormError(f"{path}: expert {expert!r} also has the form {owner[expert]}; "
                            "expected one form per expert (duplicate ratings)")
        owner[expert] = path
        frames.append(ratings)
    return sort_ratings(pd.concat(frames, ignore_index=True), template)


def _expert_of(ratings: pd.DataFrame, path: Path) -> str:
    experts = set(ratings["bedomare"])
    if len(experts) != 1:  # read_form gives one expert per form; guard the invariant
        raise FormError(f"{path}: expected one expert, found {sorted(experts)}")
    return experts.pop()
