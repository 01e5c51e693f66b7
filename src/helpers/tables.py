"""Tables a reader opens: CSV in UTF-8 with a fixed float format, and Excel workbooks with
Swedish headers, units and number formats; both written whole or not at all, the same bytes
on every run."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .files import write_atomic

# Machine column name -> (Swedish header with unit, Excel number format). One place for every
# table of the study, so the notebooks, the CSV readers and the workbook say the same thing.
COLUMNS: dict[str, tuple[str, str]] = {
    "lan_kod": ("Länskod", "@"),
    "lan": ("Län", "@"),
    "lan_kort": ("Län (kort)", "@"),
    "beslut_ar": ("Beslutsår", "0"),
    "omrade_id": ("Område (id)", "@"),
    "omrade": ("Strategiskt område", "@"),
    "prioritering_id": ("Prioritering (id)", "@"),
    "prioritering": ("Prioritering", "@"),
    "stodtyp": ("Stödtyp", "@"),
    "rader": ("Rader", "#,##0"),
    "arenden": ("Ärenden", "#,##0"),
    "beviljat_mkr": ("Beviljat belopp (mnkr)", "#,##0.0"),
    "utbetalt_mkr": ("Utbetalt belopp (mnkr)", "#,##0.0"),
    "andel_procent": ("Andel (%)", "0.0"),
    "andel_av_omradet_procent": ("Andel av områdets belopp (%)", "0.0"),
    "andel_so_procent": ("Andel med strategiskt område SO1–SO4 (%)", "0.0"),
    "utbetalt_andel_procent": ("Utbetalt av beviljat (%)", "0.0"),
    "folkmangd_2023": ("Folkmängd 31 dec 2023", "#,##0"),
    "kr_per_invanare": ("Kronor per invånare", "#,##0"),
    "rang": ("Rang", "0"),
    "andel_forsta_procent": ("Andel första året (%)", "0.0"),
    "andel_sista_procent": ("Andel sista året (%)", "0.0"),
    "forandring_procentenheter": ("Förändring (procentenheter)", "+0.0;-0.0;0.0"),
    "forandringsindex": ("Förändringsindex (0–100)", "0.0"),
    "storsta_forandring_omrade_id": ("Område med störst förändring", "@"),
    "storsta_forandring_procentenheter": ("Största förändring (procentenheter)", "+0.0;-0.0;0.0"),
    "median_per_arende_mkr": ("Median per ärende (mnkr)", "#,##0.00"),
    "andel_storsta_tiondel_procent": ("Andel hos största tiondelen av ärendena (%)", "0.0"),
    "i_analysen": ("Ingår i analysen", "@"),
    "rad": ("Rad i exporten", "0"),
    "orsak": ("Orsak", "@"),
    "arende": ("Ärende", "@"),
    "beviljat_belopp": ("Beviljat belopp (som i exporten)", "@"),
    "utbet_belopp": ("Utbetalt belopp (som i exporten)", "@"),
    "kontroll": ("Kontroll", "@"),
    "forvantat": ("Förväntat", "#,##0.00"),
    "faktiskt": ("Faktiskt", "#,##0.00"),
    "differens": ("Differens", "0.000000"),
    # stage 04: the experts' review of the RUS
    "del": ("Del", "@"),
    "fraga_id": ("Fråga", "@"),
    "fraga": ("Frågans lydelse", "@"),
    "element_id": ("Element i strategin", "@"),
    "n": ("Bedömda av båda", "0"),
    "alfa": ("Krippendorffs alfa", "0.000"),
    "alfa_lag": ("Alfa, 95 % intervall, nedre", "0.000"),
    "alfa_hog": ("Alfa, 95 % intervall, övre", "0.000"),
    "kappa": ("Viktad kappa", "0.000"),
    "andel_lika": ("Andel lika", "0.000"),
    "tillforlitlighet": ("Tillförlitlighet", "@"),
    "bedomare": ("Bedömare", "@"),
    "fragor": ("Frågor", "0"),
    "betyg": ("Bedömningar", "0"),
    "tomma": ("Kan inte bedömas", "0"),
    "saknas": ("Saknade rader", "0"),
    "varde": ("Bedömning", "@"),
    "kalla": ("Hur bedömningen kom till", "@"),
    "kommentar": ("Kommentar", "@"),
    "rus": ("RUS", "0"),
    "rus_tydligt": ("RUS: Ja, tydligt", "0"),
    "rus_delvis": ("RUS: Delvis", "0"),
    "rus_saknas": ("RUS: Nej / saknas", "0"),
    "rus_ej_bedomd": ("RUS: kan inte bedömas", "0"),
    "andel_tackt_procent": ("Andel som tar upp (%)", "0.0"),
    "andel_tydligt_procent": ("Andel tydligt (%)", "0.0"),
    "del_A": ("Del A (0–100)", "0.0"),
    "del_B": ("Del B (0–100)", "0.0"),
    "del_C": ("Del C (0–100)", "0.0"),
    "del_D": ("Del D (0–100)", "0.0"),
    "totalt": ("Alla delar (0–100)", "0.0"),
    "fragor_bedomda": ("Bedömda frågor", "0"),
    "startar": ("Startår", "0"),
    "slutar": ("Slutår", "0"),
    "stycken": ("Textstycken", "#,##0"),
    "relativ": ("Andel relativt medianen", "0.00"),
    "maskinens_forslag": ("Textanalysens förslag", "@"),
    "experternas_varde": ("Experternas samlade bedömning", "@"),
    "skillnad": ("Skillnad (textanalys − experter)", "+0;-0;0"),
    "medelskillnad": ("Medelskillnad (textanalys − experter)", "+0.00;-0.00;0.00"),
    "belagg_1": ("Bästa belägg", "@"),
}


def header(column: str) -> str:
    return COLUMNS.get(column, (column, "General"))[0]


def for_reader(table, index: str | None = None):
    """A table as the reader sees it in a notebook: Swedish headers, ja/nej, and the first
    column (or `index`) as the row label. The files keep the short machine names."""
    shown = table.copy()
    for column in shown.columns:
        if shown[column].dtype == bool:
            shown[column] = shown[column].map({True: "ja", False: "nej"})
    return shown.rename(columns=header).set_index(header(index or table.columns[0]))


def write_csv(frame, path: Path, decimals: int = 2) -> Path:
    """CSV with '.' decimals and fixed line endings, so reruns give the same bytes."""
    return write_atomic(
        Path(path),
        lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n",
                                 float_format=f"%.{decimals}f"),
    )


def write_parquet(frame, path: Path) -> Path:
    """Parquet without the pandas index, written whole or not at all; equal frames give equal
    bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    return write_atomic(Path(path), lambda tmp: pq.write_table(table, tmp, compression="zstd"))


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters (Excel's limit)
    title: str  # Swedish, shown in the first row
    frame: object  # pandas DataFrame with machine column names
    note: str = ""  # source and caveats, shown in the second row


FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # earliest a zip entry can carry
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def fixed_zip(data: bytes) -> bytes:
    """Re-pack an xlsx with fixed entry times and document dates, so equal content gives
    equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", content)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, content)
    return out.getvalue()


def write_workbook(sheets: list[Sheet], path: Path, synthetic: bool) -> Path:
    """One sheet per table: a title row, a note row, Swedish headers with units, number
    formats per column, frozen header, autofilter."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if len({s.name for s in sheets}) != len(sheets) or any(len(s.name) > 31 for s in sheets):
        raise ValueError("sheet names must be unique and at most 31 characters")
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "helpers.tables (strategiuppföljning)"
    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ws.append([sheet.title])
        ws["A1"].font = Font(bold=True, size=12)
        note = sheet.note
        if synthetic:
            note = "SYNTETISKA EXEMPELDATA – inte verkliga uppgifter. " + note
        ws.append([note.strip()])
        if synthetic:
            ws["A2"].font = Font(bold=True, color="B00020")
        columns = list(sheet.frame.columns)
        ws.append([header(c) for c in columns])
        for cell in ws[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in sheet.frame.itertuples(index=False):
            ws.append([None if _missing(v) else (v.item() if hasattr(v, "item") else v) for v in row])
        for i, column in enumerate(columns, start=1):
            fmt = COLUMNS.get(column, (column, "General"))[1]
            letter = get_column_letter(i)
            for (cell,) in ws.iter_rows(min_row=4, min_col=i, max_col=i):
                cell.number_format = fmt
            ws.column_dimensions[letter].width = max(10, min(45, len(header(column)) + 2))
        ws.freeze_panes = "A4"
        if len(sheet.frame):
            ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}{3 + len(sheet.frame)}"
    buffer = io.BytesIO()
    wb.save(buffer)
    data = fixed_zip(buffer.getvalue())
    return write_atomic(Path(path), lambda tmp: tmp.write_bytes(data))


def _missing(value) -> bool:
    import pandas as pd

    return not isinstance(value, (list, tuple)) and bool(pd.isna(value))
