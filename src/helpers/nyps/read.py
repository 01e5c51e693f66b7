"""Read a NYPS2020 project export (Diver CSV or xlsx, or the NYPS open-data layout) into
canonical columns.

Privacy is by allowlist: only the columns named in ``ALIASES`` are kept; every other column
(contact persons, e-mail, phone, personal identity numbers, recipients' names, ...) is
dropped while reading, and only its header text is remembered, never its values.

Row numbers (``rad``) are the numbers a spreadsheet program shows: 1-based, counting
preamble lines, the header and blank lines; a quoted CSV field spanning several lines is
one row, as in Excel.
"""
from __future__ import annotations

import codecs
import csv
import datetime as _dt
import functools
import hashlib
import io
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import reference

# Canonical column -> header texts that mean it. Matching is on ``header_key`` (case,
# punctuation, spacing and underscores ignored), so "Beviljat belopp (kr)",
# "beviljat_belopp" and "BEVILJAT BELOPP" all match. The first alias is the one an error
# message shows as an example.
ALIASES: dict[str, tuple[str, ...]] = {
    "arende": (
        "Ärende", "Ärendenummer", "Ärende-id", "Ärendenr", "Ärende nr", "Ärendenr.",
        "arende", "arendenummer", "arende_id", "arende_nr", "arendenr",
    ),
    "beslut_ar": (
        "Beslutsår", "Beslut år", "Beslutsår (år)", "År för beslut", "Beslutat år",
        "beslut_ar", "beslutsar", "beslutar",
    ),
    "stodtyp": ("Stödtyp", "Typ av stöd", "stodtyp", "stod_typ"),
    "lan": (
        "Län", "Län kod", "Länskod", "Län (kod)", "Länkod", "Län namn", "Länsnamn", "Län (namn)",
        "lan", "lan_kod", "lanskod", "lan_namn", "lansnamn",
    ),
    "kommun": (
        "Kommun", "Arbetsställe", "Arbetsställe kommun", "Kommunnamn", "Kommun namn",
        "kommun", "arbetsstalle", "kommun_namn", "kommunnamn",
    ),
    "omrade": (
        "Strategiskt område", "Nationellt strategiområde", "Nationellt strategiskt område",
        "Strategiområde", "Nationell strategi strategiskt område",
        "Strategiskt område nationell strategi", "nat_strat_ren", "nat_strat",
        "strategiskt_omrade", "nationellt_strategiomrade",
    ),
    "prioritering": (
        "Prioritering", "Prioritering nationell strategi", "Nationell prioritering",
        "Prioritering (nationell strategi)", "nat_prio_ren", "nat_prio", "prioritering",
    ),
    "resultatkedja": ("Resultatkedja", "resultatkedja_ren", "resultatkedja"),
    "projektnamn": (
        "Projektnamn", "Projektnamn/Ärendemening", "Ärendemening", "Projekttitel",
        "projektnamn", "projekt_namn",
    ),
    "beviljat_belopp": (
        "Beviljat belopp", "Beviljat belopp (kr)", "Beviljat belopp SEK", "Beviljat belopp (SEK)",
        "Beviljat belopp kr", "Beviljat (kr)", "Beviljat", "Beviljat stöd", "Beviljat stöd (kr)",
        "beviljat_belopp", "beviljat_belopp_sek", "beviljat_belopp_kr",
    ),
    "utbet_belopp": (
        "Utbetalt belopp", "Utbetalt", "Utbetalt belopp (kr)", "Utbetalt belopp SEK",
        "Utbetalt belopp (SEK)", "Utbetalt (kr)", "utbet_belopp", "utbetalt_belopp",
        "utbetalt_belopp_sek",
    ),
    "trans_ar": ("trans_ar", "Transaktionsår", "Utbetalningsår", "Trans år"),
    "startdatum": ("Startdatum", "Start datum", "Projektstart", "startdatum", "start_datum"),
    "slutdatum": ("Slutdatum", "Slut datum", "Projektslut", "slutdatum", "slut_datum"),
}
CANONICAL_COLUMNS: tuple[str, ...] = tuple(ALIASES)
REQUIRED_COLUMNS: tuple[str, ...] = ("arende", "beslut_ar", "lan", "omrade", "beviljat_belopp")

HEADER_SCAN_ROWS = 30
MIN_HEADER_MATCHES = 3
SYNTHETIC_MARKER = "SYNTETISKA EXEMPELDATA"
ACCEPTED_ENCODINGS = ("utf-8-sig", "utf-8", "cp1252")
DELIMITERS = (";", ",", "\t")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")

# A row with more fields than the header (a stray delimiter) is quarantined rather than
# failing the file, up to this many extra fields.
_MAX_SPARE_COLUMNS = 256
_DECODE_BLOCK = 1 << 24
# The header is looked for within this many bytes from the start of a CSV file; the whole
# file is validated in blocks of _DECODE_BLOCK bytes.
_HEAD_CHARS = 2_000_000
_CHUNK_ROWS = 250_000
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_C0_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BOMS_REFUSED = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_NOT_EMPTY = re.compile(rb"[^\s]")


class ExportError(ValueError):
    """A file-level problem. str(e) names the file and says what was expected, in English."""


@dataclass
class RawExport:
    path: Path
    frame: pd.DataFrame
    file_format: str
    encoding: str | None
    delimiter: str | None
    header_row: int
    headers: dict[str, str]
    dropped_columns: list[str]
    synthetic: bool
    blank_rows: int
    # Additions beyond the agreed contract (all defaulted):
    sha256: str = ""
    # Spreadsheet row numbers of CSV rows holding more non-empty fields than the header
    # (a delimiter inside an unquoted value shifts the columns); tidying quarantines them.
    overflow_rows: dict[int, int] = field(default_factory=dict)  # rad -> number of fields


def header_key(text: object) -> str:
    """The form in which header texts are compared: normalise_label, underscores as spaces."""
    return " ".join(reference.normalise_label(text).replace("_", " ").split())


@functools.cache
def alias_lookup() -> dict[str, str]:
    """header_key(alias) -> canonical column name."""
    lookup: dict[str, str] = {}
    for canonical, aliases in ALIASES.items():
        for alias in (canonical, *aliases):
            key = header_key(alias)
            if lookup.get(key, canonical) != canonical:  # pragma: no cover - table sanity
                raise AssertionError(f"header alias {alias!r} is ambiguous")
            lookup[key] = canonical
    return lookup


def canonical_for(header: object) -> str | None:
    """The canonical column a header text means, or None."""
    if header is None:
        return None
    return alias_lookup().get(header_key(header))


def _header_matches(cells) -> int:
    return sum(1 for c in cells if c is not None and str(c).strip() and canonical_for(c))


def _expected_headers() -> str:
    return ", ".join(f"'{ALIASES[c][0]}'" for c in CANONICAL_COLUMNS)


def _cell_text(value: object) -> str:
    """A header or preamble cell as text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _map_headers(path: Path, cells: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Header cells -> (canonical -> position, canonical -> header text, dropped header texts)."""
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    dropped: list[str] = []
    for pos, raw_cell in enumerate(cells):
        text = _cell_text(raw_cell).strip()
        canonical = canonical_for(text) if text else None
        if canonical is None:
            if text:
                dropped.append(text)
            continue
        if canonical in positions:
            raise ExportError(
                f"{path}: columns '{headers[canonical]}' and '{text}' both mean '{canonical}'; "
                f"an export must have only one of them"
            )
        positions[canonical] = pos
        headers[canonical] = text
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        wanted = "; ".join(f"required column '{c}' (e.g. header '{ALIASES[c][0]}') not found" for c in missing)
        found = ", ".join(f"'{_cell_text(c).strip()}'" for c in cells if _cell_text(c).strip())
        raise ExportError(f"{path}: {wanted}; headers found: {found}")
    return positions, headers, dropped


def read_export(path: str | Path) -> RawExport:
    """Read a NYPS2020 export (CSV or xlsx) into canonical columns; see the module docstring."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        hint = " (save it as .xlsx)" if suffix == ".xls" else ""
        raise ExportError(
            f"{p}: unsupported file type '{p.suffix or '(none)'}'{hint}; expected one of "
            f"{', '.join(CSV_SUFFIXES + XLSX_SUFFIXES)}"
        )
    if not p.exists():
        raise ExportError(f"{p}: file not found")
    if not p.is_file():
        raise ExportError(f"{p}: not a file")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ExportError(f"{p}: cannot be read ({e.strerror or e})") from None
    if _NOT_EMPTY.search(data, 3 if data.startswith(_UTF8_BOM) else 0) is None:
        raise ExportError(f"{p}: the file is empty; expected a NYPS2020 export with a header row")
    # hashlib releases the GIL on a large buffer: the file is hashed on another core while it
    # is parsed (0.4 s of a 340 MB export).
    with ThreadPoolExecutor(max_workers=1) as pool:
        sha = pool.submit(_sha256, data)  # holds its own reference to the bytes
        if suffix in XLSX_SUFFIXES:
            del data
            raw = _read_xlsx(p)
        else:
            raw = _read_csv(p, data)
        raw.sha256 = sha.result()
    return raw


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------- CSV


class _Undecodable(Exception):
    def __init__(self, offset: int):
        super().__init__(offset)
        self.start = offset


def _validate(data: memoryview, encoding: str) -> None:
    """Decode in blocks, so the whole text is never held at once; raise _Undecodable."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    step = _DECODE_BLOCK
    for start in range(0, max(len(data), 1), step):
        try:
            decoder.decode(data[start:start + step], final=start + step >= len(data))
        except UnicodeDecodeError as e:
            raise _Undecodable(start + e.start) from None


def _decode_head(path: Path, data: bytes) -> tuple[str, str, int]:
    """Validate the encoding of the whole file; return (the first _HEAD_CHARS-odd characters
    of the text, encoding, length of the BOM in bytes)."""
    accepted = (f"accepted encodings are {', '.join(ACCEPTED_ENCODINGS)} (UTF-8 with or without "
                f"byte-order mark, or Windows-1252)")
    for bom, name in _BOMS_REFUSED:
        if data.startswith(bom):
            raise ExportError(
                f"{path}: the file is {name} encoded; {accepted}. Save it again as 'CSV UTF-8'"
            )
    if b"\x00" in data:
        raise ExportError(
            f"{path}: the file contains NUL bytes (UTF-16 without byte-order mark, or not a text "
            f"file); {accepted}"
        )
    view = memoryview(data)
    if data.startswith(_UTF8_BOM):
        encoding, bom = "utf-8-sig", 3
        try:
            _validate(view[3:], "utf-8")
        except _Undecodable as e:
            raise ExportError(
                f"{path}: the file starts with a UTF-8 byte-order mark but is not valid UTF-8 "
                f"(byte 0x{data[3 + e.start]:02x} at offset {3 + e.start}); {accepted}"
            ) from None
    else:
        bom = 0
        try:
            _validate(view, "utf-8")
            encoding = "utf-8"
        except _Undecodable:
            encoding = "cp1252"
        if encoding == "cp1252":
            try:
                _validate(view, "cp1252")
            except _Undecodable as e:
                raise ExportError(
                    f"{path}: the file is neither UTF-8 nor Windows-1252 (byte 0x{data[e.start]:02x} "
                    f"at offset {e.start}); {accepted}"
                ) from None
            bad = _C0_CONTROLS.search(data)
            if bad:
                raise ExportError(
                    f"{path}: the file is not UTF-8 and, read as Windows-1252, holds control "
                    f"character 0x{bad.group()[0]:02x} at offset {bad.start()}: not a text export; "
                    f"{accepted}"
                )
    codec = "cp1252" if encoding == "cp1252" else "utf-8"
    head = codecs.getincrementaldecoder(codec)("strict").decode(view[bom:bom + _HEAD_CHARS], final=False)
    return head, encoding, bom


class _BytesView(io.RawIOBase):
    """A read-only stream over a memoryview (no copy of a large buffer)."""

    def __init__(self, view: memoryview):
        self._view = view
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), len(self._view) - self._pos)
        buffer[:n] = self._view[self._pos:self._pos + n]
        self._pos += n
        return n


class _Utf8Source:
    """UTF-8 bytes for pandas' C parser, read straight from a memoryview.

    Deliberately not an io class: pandas wraps a binary stream in a TextIOWrapper (decode,
    then re-encode for the tokenizer, about a second per million rows), but hands an object
    with a plain read() that returns bytes to the tokenizer as it is, and the tokenizer
    decodes each field as UTF-8 itself. Only for UTF-8 text (validated before)."""

    def __init__(self, view: memoryview):
        self._view = view
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        data = bytes(self._view[self._pos:end])
        self._pos = end
        return data


def _records(head: str, delimiter: str, limit: int):
    """Up to `limit` CSV records of `head`: (cells, number of physical lines consumed so far)."""
    lines = (m.group() for m in _LINE.finditer(head))
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    out = []
    for cells in reader:
        out.append((cells, reader.line_num))
        if len(out) >= limit:
            break
    return out


def _find_csv_header(path: Path, head: str):
    """(delimiter, header row index 0-based, header cells, char offset just after the header)."""
    best = None
    for delimiter in DELIMITERS:
        try:
            records = _records(head, delimiter, HEADER_SCAN_ROWS)
        except csv.Error as e:
            raise ExportError(f"{path}: cannot be read as CSV ({e})") from None
        for index, (cells, _) in enumerate(records):
            matches = _header_matches(cells)
            if matches >= MIN_HEADER_MATCHES:
                candidate = (index, -matches, DELIMITERS.index(delimiter))
                if best is None or candidate < best[0]:
                    best = (candidate, delimiter, index, cells, records)
                break
    if best is None:
        raise ExportError(
            f"{path}: no header row found in the first {HEADER_SCAN_ROWS} rows (a header names at "
            f"least {MIN_HEADER_MATCHES} known columns, separated by ';', ',' or tab); expected "
            f"headers such as {_expected_headers()}"
        )
    _, delimiter, index, cells, records = best
    lines_before = records[index - 1][1] if index else 0
    lines_used = records[index][1]
    start = offset = 0
    for n, m in enumerate(_LINE.finditer(head), start=1):
        if n == lines_before:
            start = m.end()
        if n == lines_used:
            offset = m.end()
            break
    return delimiter, index, cells, start, offset


def _nonblank_mask(columns: list[np.ndarray], n: int) -> np.ndarray:
    """True for rows with at least one cell that is not empty or whitespace only."""
    nonblank = np.zeros(n, dtype=bool)
    undecided = np.arange(n)
    for values in columns:
        if not len(undecided):
            break
        sub = values[undecided]
        has = np.fromiter((bool(s) and not s.isspace() for s in sub), dtype=bool, count=len(sub))
        nonblank[undecided[has]] = True
        undecided = undecided[~has]
    return nonblank


def _read_csv(path: Path, data: bytes) -> RawExport:
    head, encoding, bom = _decode_head(path, data)
    delimiter, header_index, header_cells, header_start, offset = _find_csv_header(path, head)
    header_row = header_index + 1
    positions, headers, dropped = _map_headers(path, header_cells)
    # The synthetic marker counts only above the header.
    synthetic = SYNTHETIC_MARKER.casefold() in head[:header_start].casefold()
    codec = "cp1252" if encoding == "cp1252" else "utf-8"
    body = memoryview(data)[bom + len(head[:offset].encode(codec)):]
    width = len(header_cells)
    kept = sorted(positions.items(), key=lambda kv: kv[1])

    # Surplus fields: pandas raises for a row with more fields than expected, except for the
    # first row of each chunk, whose surplus fields beyond the named columns it drops
    # silently. So at least one spare column is read: a surplus row is caught when its first
    # surplus field is non-empty, wherever it is, and in any case when it is not the first row
    # of a chunk (the error makes us read again with room for it). Known gap: a chunk's first
    # row whose spare fields are all empty and whose later surplus fields are not.
    spare = 1
    attempts = 8
    for attempt in range(attempts):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)
                parsed = _parse_body(body, delimiter, codec, width, spare, kept, header_row)
            break
        except pd.errors.ParserWarning:  # "loss of data": a row has spare + 1 surplus fields
            needed, where = 2 * spare, "some rows have"
        except pd.errors.ParserError as e:
            m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
            if not m:
                eof = re.search(r"EOF inside string starting at row (\d+)", str(e))
                if eof:  # pandas counts from the first data row, from 0
                    raise ExportError(
                        f"{path}: row {header_row + 1 + int(eof.group(1))} opens a quoted field (\") that is never "
                        "closed; expected a closing quote before the end of the file") from None
                raise ExportError(f"{path}: cannot be read as CSV ({e})") from None
            needed = max(int(m.group(3)) - width, 2 * spare)
            where = f"row {header_row + int(m.group(2))} has {m.group(3)} fields; some rows have"
        if needed > _MAX_SPARE_COLUMNS or attempt == attempts - 1:
            raise ExportError(
                f"{path}: {where} far more fields than the header (row {header_row}, {width} "
                f"fields); is a delimiter '{_show(delimiter)}' inside unquoted values?"
            )
        # Read again with room for the surplus fields; such rows are quarantined.
        spare = needed
    columns, blank_rows, overflow = parsed
    frame = pd.DataFrame(columns)
    return RawExport(
        path=path, frame=frame, file_format="csv", encoding=encoding, delimiter=delimiter,
        header_row=header_row, headers={c: headers[c] for c, _ in kept}, dropped_columns=dropped,
        synthetic=synthetic, blank_rows=blank_rows, overflow_rows=overflow,
    )


def _parse_body(body: memoryview, delimiter: str, codec: str, width: int, spare: int,
                kept: list[tuple[str, int]], header_row: int):
    """The data rows below the header: (columns, blank rows, overflow rows)."""
    names = [f"c{i}" for i in range(width + spare)]
    parts: dict[str, list[np.ndarray]] = {"rad": [], **{c: [] for c, _ in kept}}
    blank_rows = 0
    overflow: dict[int, int] = {}
    start = header_row + 1
    last_data_rad = header_row
    if len(body):
        source = (_Utf8Source(body) if codec == "utf-8"
                  else io.BufferedReader(_BytesView(body), buffer_size=1 << 20))
        reader = pd.read_csv(
            source, sep=delimiter, header=None,
            names=names, dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False,
            engine="c", index_col=False, quotechar='"', doublequote=True, encoding=codec,
            chunksize=_CHUNK_ROWS,
        )
        with reader:
            for chunk in reader:
                n = len(chunk)
                rad = np.arange(start, start + n, dtype=np.int64)
                start += n
                columns = [chunk[c].to_numpy(dtype=object) for c in names]
                del chunk
                nonblank = _nonblank_mask(columns, n)
                blank_rows += int(n - nonblank.sum())
                if nonblank.any():
                    last_data_rad = int(rad[nonblank][-1])
                if any((v != "").any() for v in columns[width:]):
                    extra = _nonblank_mask(columns[width:], n) & nonblank
                    for i in np.flatnonzero(extra):
                        overflow[int(rad[i])] = max(j for j, v in enumerate(columns) if v[i].strip()) + 1
                parts["rad"].append(rad[nonblank])
                for canonical, pos in kept:
                    parts[canonical].append(columns[pos][nonblank])
                del columns
    # Blank rows after the last data row are not counted: a spreadsheet cannot tell them
    # from the end of the file.
    blank_rows -= (start - 1) - last_data_rad
    out = {}
    for name, arrays in parts.items():
        dtype = np.int64 if name == "rad" else object
        out[name] = np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)
    return out, blank_rows, overflow


def _show(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


# --------------------------------------------------------------------------------- xlsx


def _xlsx_value(value: object) -> object:
    """An xlsx cell for the raw frame: text stays text, numbers stay numbers, empty is ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _is_blank_cell(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_xlsx(path: Path) -> RawExport:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise ExportError(f"{path}: not a readable .xlsx workbook ({type(e).__name__}: {e})") from None
    try:
        found = []  # (sheet index, header row index 0-based, header cells, preamble rows)
        for s, sheet in enumerate(workbook.worksheets):
            # The stored dimensions may be wrong (some writers omit them): read every cell.
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            preamble = []
            for index, row in enumerate(sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)):
                cells = list(row)
                if _header_matches(cells) >= MIN_HEADER_MATCHES:
                    found.append((s, index, cells, preamble))
                    break
                preamble.append(cells)
        names = workbook.sheetnames
        if not found:
            raise ExportError(
                f"{path}: no header row found in the first {HEADER_SCAN_ROWS} rows of any sheet "
                f"({', '.join(names)}); a header names at least {MIN_HEADER_MATCHES} known columns, "
                f"expected headers such as {_expected_headers()}"
            )
        if len(found) == 1 or found[0][0] == 0:
            s, header_index, header_cells, preamble = found[0]
        else:
            raise ExportError(
                f"{path}: the first sheet has no header row and several sheets do "
                f"({', '.join(names[f[0]] for f in found)}); keep only the sheet with the export "
                f"or move it first"
            )
        sheet = workbook.worksheets[s]
        positions, headers, dropped = _map_headers(path, header_cells)
        synthetic = any(
            SYNTHETIC_MARKER.casefold() in _cell_text(c).casefold() for row in preamble for c in row
        )
        kept = sorted(positions.items(), key=lambda kv: kv[1])
        header_row = header_index + 1
        values: dict[str, list] = {c: [] for c, _ in kept}
        rads: list[int] = []
        blank_rows = 0
        rows = sheet.iter_rows(min_row=header_row + 1, values_only=True)
        pending_blank = 0
        for rad, row in enumerate(rows, start=header_row + 1):
            if all(_is_blank_cell(v) for v in row):
                pending_blank += 1
                continue
            blank_rows += pending_blank  # blank rows after the last data row are not counted
            pending_blank = 0
            rads.append(rad)
            width = len(row)
            for canonical, pos in kept:
                values[canonical].append(_xlsx_value(row[pos]) if pos < width else "")
    except ExportError:
        raise
    except Exception as e:  # a damaged workbook can fail anywhere inside openpyxl
        raise ExportError(f"{path}: not a readable .xlsx workbook ({type(e).__name__}: {e})") from None
    finally:
        workbook.close()
    frame = pd.DataFrame({"rad": np.asarray(rads, dtype=np.int64)})
    for canonical, _ in kept:
        frame[canonical] = pd.Series(values[canonical], dtype=object)
    return RawExport(
        path=path, frame=frame, file_format="xlsx", encoding=None, delimiter=None,
        header_row=header_row, headers={c: headers[c] for c, _ in kept}, dropped_columns=dropped,
        synthetic=synthetic, blank_rows=blank_rows,
    )
