"""Document intake for the text analysis: a manifest of reports and regional development
strategies (RUS), and each document read into paragraphs with their page and heading.

Formats: PDF with a text layer (pypdf), .docx (python-docx), .txt and .md. What a reader of
the document would call prose is kept; running headers and footers, page numbers, tables of
contents and table rows are dropped, and headings are not paragraphs but the ``rubrik`` of
the paragraphs that follow them.

How a PDF page becomes paragraphs (the layout cues relied on):

- pypdf reports each run of text with its font, size and position; a line is what pypdf
  puts on one baseline, and its position, size and boldness are those of its runs.
- A line that recurs at the top or bottom of many pages (digits ignored) is a running header
  or footer; a line that is only a page number ("12", "Sida 12", "12 (40)", "Sida 12 av 40")
  is dropped anywhere.
- A line ending in dot leaders and a page number is a table-of-contents line; on a page
  titled "Innehåll" (or where most lines are such entries) every line ending in a page
  number is, with the lines of an entry wrapped onto them.
- Table rows are lines of two or more runs separated by a clear horizontal gap (cells),
  rows of mostly numbers, and the wrapped cell lines beside them that fit a column.
- A heading is a short line without a final full stop in a larger (at least 1.15 times
  the body text) or bold font, or a numbered short line standing alone ("3.2 Kompetens").
  Consecutive heading lines in the same font are one heading.
- A paragraph ends at a vertical gap larger than the document's usual line spacing (the
  most common distance between body lines), at a heading, table or list bullet, or at a
  first-line indent. It continues across a page or column break only when its sentence is
  unfinished: no final punctuation (. ! ? : ;) or a hyphen at the end. (A page that ends
  with a full stop ends the paragraph, even if the writer's paragraph went on.)
- Paragraphs without a letter, and captions and source lines of tables and figures
  ("Tabell 1. ...", "Figur 2: ...", "Källa: ..."), are dropped (in every format).
- Lines are joined with a space; a hyphen at a line end joins the word halves
  ("kompetensförsörj-" + "ningen"), except before a conjunction ("klimat- och"), after an
  upper-case letter, digit or one-letter word ("EU-medel", "e-tjänster") and before an
  upper-case letter or digit ("Covid-19"), where it stays.
"""
from __future__ import annotations

import csv
import io
import math
import os
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from .. import reference
from ..files import sha256_file, write_atomic
from ..privacy import redact

if TYPE_CHECKING:  # pandas is imported where it is used: reading documents does not need it
    import pandas as pd

MANIFEST_COLUMNS = ("dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar", "fil")
ACTOR_GROUPS = ("region", "statlig_myndighet", "tillvaxtverket")
DOCUMENT_TYPES = ("rus", "regionalt_utvecklingsarbete", "myndigheters_medverkan", "arsredovisning")
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".txt", ".md")
SYNTHETIC_MARKER = "SYNTETISKT EXEMPEL"

PARAGRAPH_COLUMNS = ("dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar", "sida", "stycke_nr",
                     "rubrik", "text")
DOCUMENT_COLUMNS = ("dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar", "fil", "format", "sidor",
                    "stycken", "tecken", "sha256", "syntetisk")
_PARAGRAPH_COLUMN_TYPES = {"ar": "int64", "sida": "int64", "stycke_nr": "int64"}
_DOCUMENT_COLUMN_TYPES = {"ar": "int64", "sidor": "int64", "stycken": "int64", "tecken": "int64", "syntetisk": "bool"}

YEAR_MIN, YEAR_MAX = 1990, 2100
# At most this many problems are listed in one manifest error.
_MAX_LISTED = 20
# Above this many bytes of PDF, intake_corpus reads in two processes.
_PARALLEL_PDF_BYTES = 4_000_000


class DocumentError(ValueError):
    """A manifest or document problem. str(e) names the file (and the manifest row) and says
    what was expected, in English."""


@dataclass(frozen=True)
class Paragraph:
    sida: int
    rubrik: str | None
    text: str


@dataclass
class Document:
    """A document as read: its paragraphs in reading order, and facts about the file."""
    path: Path
    format: str  # pdf, docx, txt, md
    pages: int
    paragraphs: list[Paragraph]
    synthetic: bool  # the text holds SYNTHETIC_MARKER (case-insensitive), headers included


# =============================================================================== text rules

_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st", "\u2010": "-", "\u2011": "-", "\u200b": None,
                            "\ufeff": None})
_INNER_SOFT_HYPHEN = re.compile("\u00ad(?=\\w)")


def clean_text(text: str) -> str:
    """One line: NFC, ligatures spelled out, soft hyphens inside words removed, whitespace
    collapsed. A soft hyphen at the end is kept for join_lines to see."""
    s = unicodedata.normalize("NFC", text).translate(_LIGATURES)
    s = _INNER_SOFT_HYPHEN.sub("", s)
    return " ".join(s.split())


# Words before which a hyphen at a line end is a suspended compound ("klimat- och miljö...").
# Not "men" or "som": they end words too ("lärcentru-" + "men").
_CONJUNCTIONS = frozenset({"och", "eller", "samt", "respektive", "resp", "liksom", "utan", "and", "or"})
_LEADING_WORD = re.compile(r"\w+")
_TRAILING_WORD = re.compile(r"\w+$")


def join_lines(first: str, second: str) -> str:
    """Join two lines of one paragraph, mending a word hyphenated at the line end."""
    a, b = first.rstrip(), second.lstrip()
    if not a:
        return b
    if not b:
        return a
    if a[-1] == "\u00ad":
        return a[:-1] + b
    if a[-1] != "-":
        return f"{a} {b}"
    stem = a[:-1]
    if not stem or not stem[-1].isalnum():  # a dash standing alone: "text -" + "more"
        return f"{a} {b}"
    word = _LEADING_WORD.match(b)
    if word and word.group().casefold() in _CONJUNCTIONS:
        return f"{a} {b}"
    if b[0].isupper() or b[0].isdigit() or not b[0].isalpha():
        return a + b
    last = _TRAILING_WORD.search(stem)
    if stem[-1].isupper() or stem[-1].isdigit() or (last and len(last.group()) == 1):
        return a + b
    return stem + b


def join_all(lines) -> str:
    out = ""
    for line in lines:
        out = join_lines(out, line) if out else line.lstrip()
    return clean_text(out.replace("\u00ad", ""))


_PAGE_NUMBER = re.compile(
    r"(?:(?:sida|sid\.?|s\.|page|p\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?"
    r"(?:\s*(?:av|of|/)\s*\d{1,4}|\s*\(\s*\d{1,4}\s*\))?",
    re.IGNORECASE,
)
_TOC_LEADERS = re.compile(r"(?:(?:\.\s?){4,}|…{2,}|(?:_\s?){4,}|(?:·\s?){4,})\s*\d{1,4}$")
_TOC_TITLE = re.compile(r"(?:innehåll|innehållsförteckning|innehåll och sidor|contents|table of contents)",
                        re.IGNORECASE)
_ENDS_WITH_PAGE = re.compile(r"\D\s\d{1,4}$")
_NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.|[A-Z]\.)\s+\S")
_BULLET = re.compile(r"^[•▪●◦■▸►‣⁃∙]\s*")
_NUMERIC_TOKEN = re.compile(r"^[-–+(]?(?:\d[\d\s.,:/–-]*|[-–—]|\.\.)%?\)?%?$")
_SENTENCE_END = ".!?:;"
# Captions and source lines of tables and figures: not prose, not headings. "Tabell 1 visar
# att ..." is prose.
_CAPTION = re.compile(r"(?:tabell|figur|diagram|bild|karta|table|figure)\s+\d+(?:\.\d+)*\s*[.:–-]\s|källa\s*:",
                      re.IGNORECASE)


def is_page_number(text: str) -> bool:
    return _PAGE_NUMBER.fullmatch(text.strip()) is not None


def is_caption(text: str) -> bool:
    return _CAPTION.match(text.strip()) is not None


def is_toc_line(text: str) -> bool:
    return _TOC_LEADERS.search(text.strip()) is not None


def heading_shape(text: str, *, allow_question: bool = False, max_chars: int = 120, max_words: int = 16,
                  continuation: bool = False) -> bool:
    """Short, starts with a capital or a number (unless it continues a heading), has letters,
    no final full stop."""
    t = text.strip()
    if not t or len(t) > max_chars or len(t.split()) > max_words or is_caption(t):
        return False
    if not any(ch.isalpha() for ch in t):
        return False
    if not (continuation or t[0].isupper() or t[0].isdigit()):
        return False
    last = t[-1]
    if last in ".,;:!" or (last == "?" and not allow_question):
        return False
    return True


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


# Words of running text; a line with one of them is not a row of numbers ("2021 och 2022").
_PROSE_WORDS = frozenset({"och", "samt", "eller", "i", "på", "till", "för", "med", "under", "mellan", "av", "om",
                          "från", "år", "åren", "mot", "jämfört", "cirka", "ca", "drygt", "knappt", "än"})


def _numeric_row(text: str) -> bool:
    """A table row of mostly numbers: '12,3 14,1', 'SO1 1 234 56 %'."""
    tokens = text.split()
    if len(tokens) < 2 or text.rstrip()[-1:] == ".":
        return False
    if any(t.casefold() in _PROSE_WORDS for t in tokens):
        return False
    numeric = sum(1 for t in tokens if _NUMERIC_TOKEN.match(t))
    return numeric >= 2 and numeric * 2 >= len(tokens)


# ====================================================================================== PDF

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|demi\b|extrabold|ultrabold|[-,]bd\b|\bbd$",
                        re.IGNORECASE)
_FORCE_BOLD = 1 << 18


@dataclass
class _Line:
    y: float
    x: float
    size: float
    bold: bool
    text: str
    cells: list[tuple[float, str]]
    kind: str = "text"  # text, drop, boundary (table/TOC), heading


def _is_bold(font: object, cache: dict) -> bool:
    if font is None:
        return False
    try:
        name = str(font.get("/BaseFont", ""))
    except Exception:  # pragma: no cover - a damaged font dictionary
        return False
    if name in cache:
        return cache[name]
    bold = bool(_BOLD_NAME.search(name.split("+")[-1]))
    if not bold:
        try:
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                weight = float(descriptor.get("/FontWeight", 0) or 0)
                flags = int(descriptor.get("/Flags", 0) or 0)
                bold = weight >= 600 or bool(flags & _FORCE_BOLD)
        except Exception:  # a damaged descriptor tells nothing
            bold = False
    cache[name] = bold
    return bold


def _page_lines(page, bold_cache: dict) -> list[_Line]:
    """The lines of one page in content-stream order, from pypdf's runs of text."""
    lines: list[_Line] = []
    runs: list[tuple[float, float, float, bool, str]] = []

    def finish() -> None:
        visible = [r for r in runs if r[4].strip()]
        # Runs of spaces only count for the text (a space between two bold words).
        text = clean_text("".join(r[4] for r in runs))
        runs.clear()
        if not visible:
            return
        if not text:
            return
        weight = Counter()
        bold_chars = total = 0
        for _, _, size, bold, t in visible:
            n = len(t.strip())
            weight[round(size * 2) / 2] += n
            total += n
            bold_chars += n if bold else 0
        size = weight.most_common(1)[0][0]
        cells: list[tuple[float, str]] = []
        cell_size = visible[0][2]
        for x, _, rsize, _, t in visible:
            t = t.strip()
            if cells:
                px, pt = cells[-1]
                # A run starting where the previous one could still be printing is the same
                # cell (pypdf gives inline font changes the position of the line start).
                if x <= px + 0.55 * cell_size * len(pt) + 1.0 * cell_size:
                    cells[-1] = (px, f"{pt} {t}")
                    continue
            cells.append((x, t))
            cell_size = rsize
        first = visible[0]
        lines.append(_Line(y=first[1], x=first[0], size=size, bold=bold_chars >= 0.8 * total, text=text,
                           cells=cells))

    def visit(text, cm, tm, font, font_size) -> None:
        if not text:
            return
        a = tm[0] * cm[0] + tm[1] * cm[2]
        b = tm[0] * cm[1] + tm[1] * cm[3]
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = abs(float(font_size)) * (math.hypot(c, d) or math.hypot(a, b) or 1.0)
        bold = _is_bold(font, bold_cache)
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                finish()
            if part:
                runs.append((x, y, size, bold, part))

    page.extract_text(visitor_text=visit, orientations=(0,))
    finish()
    return lines


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.casefold()).split())


def _mark_running_lines(pages: list[list[_Line]]) -> None:
    """Running headers and footers: among the top and bottom three lines of a page, those
    whose text (digits ignored) recurs there on at least 40 % of the pages."""
    n_pages = sum(1 for p in pages if p)
    if n_pages < 2:
        return
    counts: Counter = Counter()
    candidates = []
    for lines in pages:
        by_y = sorted(lines, key=lambda ln: -ln.y)
        top, bottom = by_y[:3], by_y[-3:]
        seen = set()
        for where, group in (("top", top), ("bottom", bottom)):
            for ln in group:
                key = (where, _header_key(ln.text))
                candidates.append((key, ln))
                seen.add(key)
        counts.update(seen)
    threshold = max(2, 0.4 * n_pages)
    for key, ln in candidates:
        if counts[key] >= threshold:
            ln.kind = "drop"


def _mark_toc(lines: list[_Line]) -> None:
    """Table-of-contents lines: dot leaders anywhere; on a TOC page also entries without
    leaders and the lines of an entry wrapped onto them."""
    live = [ln for ln in lines if ln.kind == "text"]
    for ln in live:
        if is_toc_line(ln.text):
            ln.kind = "boundary"
    live_text = [ln for ln in live if ln.kind == "text" or is_toc_line(ln.text)]
    titled = any(_TOC_TITLE.fullmatch(ln.text.strip(" :")) for ln in live_text[:4])
    entries = sum(1 for ln in live_text if is_toc_line(ln.text) or _ENDS_WITH_PAGE.search(ln.text))
    if not (titled or (len(live_text) >= 4 and entries >= 0.6 * len(live_text))):
        return
    for ln in live:
        if _TOC_TITLE.fullmatch(ln.text.strip(" :")):
            ln.kind = "drop"
        elif ln.kind == "text" and _ENDS_WITH_PAGE.search(ln.text):
            ln.kind = "boundary"
    # An entry wrapped over lines: the lines before its last (numbered) line.
    for i in range(len(live) - 2, -1, -1):
        ln, nxt = live[i], live[i + 1]
        if (ln.kind == "text" and nxt.kind == "boundary" and ln.text[-1:] not in _SENTENCE_END
                and 0 < ln.y - nxt.y <= 2.0 * max(ln.size, nxt.size)):
            ln.kind = "boundary"


def _mark_tables(lines: list[_Line]) -> None:
    """Rows of simple tables: lines of cells or of mostly numbers, and the wrapped cell
    lines beside them."""
    live = [ln for ln in lines if ln.kind == "text"]
    n = len(live)
    if n == 0:
        return
    multi = [len(ln.cells) >= 2 and not _BULLET.match(ln.cells[0][1]) and all(len(t) <= 80 for _, t in ln.cells)
             for ln in live]
    numeric = [_numeric_row(ln.text) for ln in live]

    def aligned(i: int, j: int) -> bool:
        xs = [x for x, _ in live[j].cells]
        return sum(1 for x, _ in live[i].cells if any(abs(x - other) <= 2.0 for other in xs)) >= 2

    table = [False] * n
    for i in range(n):
        if numeric[i] or (multi[i] and len(live[i].cells) >= 3):
            table[i] = True
        elif multi[i] and any(0 <= j < n and multi[j] and aligned(i, j) for j in (i - 1, i + 1)):
            table[i] = True

    # The column starts of each table line: its own cells', and those of the row it was
    # grown from.
    columns: list[list[float]] = [sorted(x for x, _ in ln.cells) if table[i] else [] for i, ln in enumerate(live)]

    def fits_column(i: int, j: int) -> bool:
        """Line i is a wrapped cell line beside table line j: each of its cells starts at a
        column of j's table, fits before the next column, and it is close above or below."""
        row, ln = live[j], live[i]
        if abs(ln.y - row.y) > 3.0 * max(ln.size, row.size):
            return False
        starts = columns[j]
        if len(starts) < 2:
            return False
        for x, t in ln.cells:
            k = next((k for k, cx in enumerate(starts) if abs(cx - x) <= 2.0), None)
            if k is None:
                return False
            if k + 1 < len(starts) and 0.45 * ln.size * len(t) > starts[k + 1] - x:
                return False
        return True

    changed = True
    while changed:
        changed = False
        for i in range(n):
            if table[i]:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < n and table[j] and fits_column(i, j):
                    table[i] = changed = True
                    columns[i] = columns[j]
                    break
    # A table has at least two rows; a lone line of cells is kept unless it is all numbers
    # or has three or more cells.
    for i in range(n):
        if not table[i]:
            continue
        neighbours = any(0 <= j < n and table[j] for j in (i - 1, i + 1))
        if neighbours or numeric[i] or len(live[i].cells) >= 3:
            live[i].kind = "boundary"


def _mode(values: list[float], default: float) -> float:
    if not values:
        return default
    return Counter(values).most_common(1)[0][0]


def _pdf_paragraphs(pages: list[list[_Line]]) -> list[Paragraph]:
    text_lines = [ln for lines in pages for ln in lines if ln.kind == "text"]
    if not text_lines:
        return []
    weight: Counter = Counter()
    bold_weight = 0
    for ln in text_lines:
        weight[ln.size] += len(ln.text)
        bold_weight += len(ln.text) if ln.bold else 0
    body = weight.most_common(1)[0][0]
    body_bold = bold_weight > 0.5 * sum(weight.values())

    # The usual distance between the baselines of body lines, as a multiple of the font size.
    deltas = []
    for lines in pages:
        live = [ln for ln in lines if ln.kind == "text"]
        for a, b in zip(live, live[1:]):
            d = a.y - b.y
            if abs(a.size - body) < 0.6 and abs(b.size - body) < 0.6 and 0.8 * body < d < 2.5 * body:
                deltas.append(round(d * 4) / 4)
    spacing_ratio = _mode(deltas, 1.2 * body) / body

    def styled(ln: _Line) -> bool:
        return ln.size >= 1.15 * body or (ln.bold and not body_bold)

    for lines in pages:
        previous = None
        for ln in lines:
            if ln.kind == "drop":
                continue
            if ln.kind == "text" and styled(ln):
                # The second line of a heading may start in lower case.
                continues = (previous is not None and previous.kind == "heading" and _same_style(previous, ln)
                             and 0 < previous.y - ln.y <= 1.8 * ln.size)
                if heading_shape(ln.text, allow_question=True, continuation=continues):
                    ln.kind = "heading"
            previous = ln

    paragraphs: list[Paragraph] = []
    heading: str | None = None
    current: list[str] = []
    current_page = 0
    current_bullet = False
    pending_heading: list[_Line] = []

    def flush() -> None:
        nonlocal current
        if current:
            text = join_all(current)
            text = _BULLET.sub("", text)
            if _has_letters(text):
                paragraphs.append(Paragraph(current_page, heading, text))
        current = []

    def flush_heading() -> None:
        nonlocal heading, pending_heading
        if pending_heading:
            heading = join_all(ln.text for ln in pending_heading)
            pending_heading = []

    prev: _Line | None = None  # the previous line kept, on this page
    hard = True  # the next line starts a new paragraph
    for page_no, lines in enumerate(pages, start=1):
        soft = True  # a page break: the paragraph may continue
        prev = None
        # Number lines standing alone between gaps are headings ("3.2 Kompetens").
        live = [ln for ln in lines if ln.kind != "drop"]
        for i, ln in enumerate(live):
            if ln.kind != "text" or not _NUMBERED.match(ln.text) or not heading_shape(ln.text):
                continue
            gap = spacing_ratio * ln.size * 1.15 + 0.5
            before = i == 0 or live[i - 1].kind != "text" or live[i - 1].y - ln.y > gap
            after = i == len(live) - 1 or live[i + 1].kind != "text" or ln.y - live[i + 1].y > gap
            if before and after:
                ln.kind = "heading"
        for ln in live:
            if ln.kind == "boundary":
                flush_heading()
                flush()
                hard = True
                prev = None
                soft = False
                continue
            if ln.kind == "heading":
                if pending_heading:
                    last = pending_heading[-1]
                    if not (_same_style(last, ln) and 0 < last.y - ln.y <= 1.8 * ln.size):
                        flush_heading()
                flush()
                pending_heading.append(ln)
                hard = True
                prev = ln
                soft = False
                continue
            if pending_heading:
                flush_heading()
            bullet = bool(_BULLET.match(ln.text))
            new = hard or bullet
            if not new and prev is not None:
                gap = spacing_ratio * max(ln.size, prev.size) * 1.15 + 0.5
                down = prev.y - ln.y
                if down <= 0.3 * ln.size:
                    new = not _continues(current, ln.text)  # up the page: a new column
                elif down > gap:
                    new = True
                elif abs(ln.size - prev.size) > 1.5:
                    new = True
                elif 0.8 * ln.size <= ln.x - prev.x <= 5 * ln.size and not current_bullet:
                    new = True  # a first-line indent
            elif not new and soft:
                new = not _continues(current, ln.text)  # a new page
            if new:
                flush()
                current_page = page_no
                current_bullet = bullet
            current.append(ln.text)
            hard = False
            soft = False
            prev = ln
    flush_heading()
    flush()
    return paragraphs


def _same_style(a: _Line, b: _Line) -> bool:
    return abs(a.size - b.size) < 0.6 and a.bold == b.bold


def _continues(current: list[str], text: str) -> bool:
    """Is the sentence of the paragraph so far unfinished, so that text goes on with it?"""
    if not current:
        return False
    last = current[-1].rstrip()
    if last.endswith(("-", "\u00ad")):
        return True
    return last[-1:] not in _SENTENCE_END and text[:1].isalnum()


def _read_pdf(path: Path) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            # Owner-password-only protection (printing, copying) opens with an empty password.
            try:
                opened = reader.decrypt("")
            except Exception as e:
                raise DocumentError(f"{path}: the PDF is encrypted and cannot be opened ({type(e).__name__}: {e}); "
                                    f"save an unprotected copy") from None
            if not opened:
                raise DocumentError(f"{path}: the PDF is encrypted with a password; save an unprotected copy")
        n_pages = len(reader.pages)
        pages: list[list[_Line]] = []
        bold_cache: dict = {}
        with_text = 0
        for page in reader.pages:
            lines = _page_lines(page, bold_cache)
            pages.append(lines)
            # Text set sideways only is not read, but the page has a text layer.
            if lines or page.extract_text(orientations=(90, 180, 270)).strip():
                with_text += 1
    except DocumentError:
        raise
    except (PdfReadError, FileNotDecryptedError) as e:
        raise DocumentError(f"{path}: not a readable PDF ({type(e).__name__}: {e})") from None
    except Exception as e:  # a damaged file can fail anywhere inside pypdf
        raise DocumentError(f"{path}: not a readable PDF ({type(e).__name__}: {e})") from None
    if n_pages == 0:
        raise DocumentError(f"{path}: the PDF has no pages")
    if with_text == 0:
        raise DocumentError(f"{path}: no text layer (none of its {n_pages} pages has extractable text); "
                            f"run OCR first")
    if with_text * 2 < n_pages:
        raise DocumentError(f"{path}: no text layer on {n_pages - with_text} of its {n_pages} pages "
                            f"(scanned?); run OCR first")
    all_text = " ".join(ln.text for lines in pages for ln in lines)
    unreadable = sum(1 for ch in all_text if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
    if unreadable > 0.1 * len(all_text):
        raise DocumentError(f"{path}: the text layer cannot be read (its fonts have no Unicode mapping); "
                            f"run OCR first")
    synthetic = SYNTHETIC_MARKER.casefold() in all_text.casefold()
    _mark_running_lines(pages)
    for lines in pages:
        for ln in lines:
            if ln.kind == "text" and is_page_number(ln.text):
                ln.kind = "drop"
        _mark_toc(lines)
        _mark_tables(lines)
    return Document(path, "pdf", n_pages, _pdf_paragraphs(pages), synthetic)


# ===================================================================================== docx

_HEADING_STYLE = re.compile(r"(?:heading|rubrik|överskrift)\s*\d*|title|titel|subtitle|underrubrik", re.IGNORECASE)
_TOC_STYLE = re.compile(r"(?:toc|innehållsförteckning|förteckning)\b.*|toc\s*heading|innehåll\s*\d*", re.IGNORECASE)


def _style_chain(style):
    seen = 0
    while style is not None and seen < 10:
        yield style
        style = style.base_style
        seen += 1


def _docx_heading(paragraph) -> bool:
    from docx.oxml.ns import qn

    p_pr = paragraph._p.pPr
    if p_pr is not None:
        level = p_pr.find(qn("w:outlineLvl"))
        if level is not None and level.get(qn("w:val"), "9") not in ("9",):
            return True
    try:
        style = paragraph.style
    except Exception:  # pragma: no cover - a style id missing from styles.xml
        return False
    for s in _style_chain(style):
        if s.name and _HEADING_STYLE.fullmatch(s.name.strip()):
            return True
        s_pr = s.element.pPr
        if s_pr is not None:
            level = s_pr.find(qn("w:outlineLvl"))
            if level is not None and level.get(qn("w:val"), "9") != "9":
                return True
    return False


def _docx_toc(paragraph) -> bool:
    try:
        style = paragraph.style
    except Exception:  # pragma: no cover
        return False
    return bool(style is not None and style.name and _TOC_STYLE.fullmatch(style.name.strip()))


def _docx_all_bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    style_bold = False
    try:
        for s in _style_chain(paragraph.style):
            if s.font is not None and s.font.bold is not None:
                style_bold = bool(s.font.bold)
                break
    except Exception:  # pragma: no cover
        pass
    return all(r.bold if r.bold is not None else style_bold for r in runs)


def _read_docx(path: Path) -> Document:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise DocumentError(f"{path}: not a readable .docx document ({type(e).__name__}: {e})") from None
    except Exception as e:  # a damaged package can fail anywhere inside python-docx
        raise DocumentError(f"{path}: not a readable .docx document ({type(e).__name__}: {e})") from None

    body = document.element.body
    w_p, w_tbl, w_sdt = qn("w:p"), qn("w:tbl"), qn("w:sdt")
    w_br, w_t, w_rendered = qn("w:br"), qn("w:t"), qn("w:lastRenderedPageBreak")
    w_type, w_sectpr, w_pbb = qn("w:type"), qn("w:sectPr"), qn("w:pageBreakBefore")
    rendered = any(True for _ in body.iter(w_rendered))

    def breaks_in(element) -> int:
        if rendered:
            return sum(1 for _ in element.iter(w_rendered))
        return sum(1 for br in element.iter(w_br) if br.get(w_type) == "page")

    def blocks(parent):
        for child in parent.iterchildren():
            if child.tag in (w_p, w_tbl):
                yield child
            elif child.tag == w_sdt:
                gallery = child.find(".//" + qn("w:docPartGallery"))
                if gallery is not None and "contents" in (gallery.get(qn("w:val")) or "").casefold():
                    yield child  # a table of contents: counted for page breaks, not read
                    continue
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    yield from blocks(content)

    page = 1
    heading: str | None = None
    paragraphs: list[Paragraph] = []
    for element in blocks(body):
        if element.tag != w_p:
            page += breaks_in(element)
            continue
        p_pr = element.pPr
        if not rendered and p_pr is not None:
            pbb = p_pr.find(w_pbb)
            if pbb is not None and pbb.get(qn("w:val"), "true") not in ("0", "false", "off"):
                page += 1
        # The page a paragraph starts on: breaks before its first text count, later ones
        # move what follows.
        start_page = None
        for node in element.iter(w_t, w_br, w_rendered):
            if node.tag == w_t:
                if start_page is None and (node.text or "").strip():
                    start_page = page
            elif node.tag == w_rendered or (not rendered and node.get(w_type) == "page"):
                page += 1
        paragraph = DocxParagraph(element, document)
        text = clean_text(paragraph.text)
        if text and _has_letters(text) and not _docx_toc(paragraph):
            if _docx_heading(paragraph) or (_docx_all_bold(paragraph) and heading_shape(text, allow_question=True)):
                heading = text
            else:
                paragraphs.append(Paragraph(start_page or page, heading, text))
        if not rendered and p_pr is not None and p_pr.find(w_sectpr) is not None:
            kind = p_pr.find(w_sectpr).find(w_type)
            if kind is None or kind.get(qn("w:val"), "nextPage") in ("nextPage", "oddPage", "evenPage"):
                page += 1
    return Document(path, "docx", page, paragraphs, _docx_synthetic(document))


def _docx_synthetic(document) -> bool:
    """The marker anywhere in the body (tables included), headers, footers and notes."""
    from docx.oxml.ns import qn
    from lxml import etree

    w_p, w_t = qn("w:p"), qn("w:t")
    marker = SYNTHETIC_MARKER.casefold()
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if not re.fullmatch(r"/word/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml", name):
            continue
        try:
            root = etree.fromstring(part.blob)
        except Exception:  # pragma: no cover - python-docx already parsed it
            continue
        for p in root.iter(w_p):
            text = "".join(t.text or "" for t in p.iter(w_t))
            if marker in " ".join(text.split()).casefold():
                return True
    return False


# ================================================================================ txt and md

_UTF8_BOM = b"\xef\xbb\xbf"


def _decode_text(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise DocumentError(f"{path}: the text is in UTF-16 or another wide encoding; save it as UTF-8")
    if data.startswith(_UTF8_BOM):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as e:
            raise DocumentError(f"{path}: starts with a UTF-8 byte-order mark but is not UTF-8 "
                                f"(byte {e.start + 3}); save it as UTF-8") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise DocumentError(f"{path}: neither UTF-8 nor Windows-1252 (byte {e.start}); save it as UTF-8") from None


def _pages_of(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\f")


_TXT_BULLET = re.compile(r"^(?:[•▪●◦■▸►‣⁃∙*–-])\s+")
_UNDERLINE = re.compile(r"^(?:=+|-+)$")


def _txt_paragraphs(text: str) -> tuple[list[Paragraph], int]:
    pages = _pages_of(text)
    heading: str | None = None
    out: list[Paragraph] = []
    for page_no, page in enumerate(pages, start=1):
        block: list[str] = []

        def flush_block() -> None:
            nonlocal heading
            lines = [ln for ln in block if not is_page_number(ln) and not is_toc_line(ln)]
            block.clear()
            if not lines:
                return
            if len(lines) == 2 and len(lines[1]) >= 3 and _UNDERLINE.match(lines[1]) and _has_letters(lines[0]):
                heading = clean_text(lines[0])
                return
            if len(lines) == 1 and heading_shape(clean_text(lines[0]), max_chars=100, max_words=12):
                heading = clean_text(lines[0])
                return
            items: list[list[str]] = []
            for ln in lines:
                if _TXT_BULLET.match(ln) or not items:
                    items.append([_TXT_BULLET.sub("", ln)])
                else:
                    items[-1].append(ln)
            for item in items:
                joined = join_all(item)
                if _has_letters(joined):
                    out.append(Paragraph(page_no, heading, joined))

        for raw in page.split("\n"):
            line = raw.strip()
            if line:
                block.append(line)
            else:
                flush_block()
        flush_block()
    return out, len(pages)


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*$")
_THEMATIC = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_LIST = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
_MD_TABLE = re.compile(r"^\s*\|.*\|?\s*$|^\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_ESCAPABLE = "\\`*_{}[]()#+-.!>|~"


def md_inline(text: str) -> str:
    """Markdown inline markup to plain text: links to their text, images and footnote marks
    dropped, emphasis and code markers removed, escapes resolved."""
    # Escaped characters are hidden from the rules below and restored at the end.
    s = re.sub(r"\\([\\`*_{}\[\]()#+\-.!>|~])", lambda m: chr(0xE000 + _ESCAPABLE.index(m.group(1))), text)
    s = re.sub(r"`+([^`]+?)`+", r"\1", s)
    s = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", s)
    s = re.sub(r"\[\^[^\]]+\]", "", s)
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", s)
    s = re.sub(r"<((?:https?|mailto):[^>\s]+)>", r"\1", s)
    s = re.sub(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", "", s)
    for _ in range(2):  # nested emphasis: ***x***, **_x_**
        s = re.sub(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1", r"\2", s)
        s = re.sub(r"(?<!\w)(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)", r"\2", s)
        s = re.sub(r"~~(?=\S)(.+?)(?<=\S)~~", r"\1", s)
    s = re.sub("[\ue000-\ue012]", lambda m: _ESCAPABLE[ord(m.group()) - 0xE000], s)
    return s


def _md_paragraphs(text: str) -> tuple[list[Paragraph], int]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # HTML comments, also over several lines (a form feed inside one still counts).
    text = re.sub(r"<!--.*?-->", lambda m: "\f" * m.group().count("\f"), text, flags=re.DOTALL)
    lines = text.replace("\f", "\n\f\n").split("\n")
    # YAML front matter.
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            lines = lines[end + 1:]

    out: list[Paragraph] = []
    page = 1
    heading: str | None = None
    para: list[str] = []
    para_page = 1
    fence: str | None = None
    indented_code = False
    prev_blank = True
    in_list = False

    def flush() -> None:
        nonlocal para
        if para:
            joined = clean_text(md_inline(join_all(para)))
            if _has_letters(joined):
                out.append(Paragraph(para_page, heading, joined))
        para = []

    def start(line: str) -> None:
        nonlocal para_page
        flush()
        para.append(line)
        para_page = page

    for raw in lines:
        if raw == "\f":
            flush()
            page += 1
            continue
        if fence is not None:
            if raw.strip().startswith(fence):
                fence = None
            continue
        m = _FENCE.match(raw)
        if m:
            flush()
            fence = m.group(1)[0] * len(m.group(1))
            continue
        if not raw.strip():
            flush()
            prev_blank = True
            continue
        if indented_code or (prev_blank and not in_list and (raw.startswith("    ") or raw.startswith("\t"))):
            if raw.startswith("    ") or raw.startswith("\t"):
                indented_code = True
                flush()
                continue
            indented_code = False
        was_blank, prev_blank = prev_blank, False
        m = _ATX.match(raw)
        if m:
            flush()
            heading = clean_text(md_inline(re.sub(r"\s#+$", "", m.group(2) or ""))) or heading
            in_list = False
            continue
        if para and not was_blank and _UNDERLINE.match(raw.strip()) and not in_list:
            heading = clean_text(md_inline(join_all(para))) or heading
            para = []
            continue
        if _THEMATIC.match(raw):
            flush()
            in_list = False
            continue
        if _MD_TABLE.match(raw) or _LINK_DEF.match(raw):
            flush()
            continue
        line = raw
        while re.match(r"^\s{0,3}>", line):
            line = re.sub(r"^\s{0,3}>\s?", "", line, count=1)
        if not line.strip():
            flush()
            continue
        m = _MD_LIST.match(line)
        if m:
            start(m.group(2).strip())
            in_list = True
            continue
        if para:
            para.append(line.strip())
        else:
            if was_blank and not (line.startswith("  ") and in_list):
                in_list = False
            start(line.strip())
    flush()
    return out, page


def _read_plain(path: Path, kind: str, data: bytes) -> Document:
    text = _decode_text(path, data)
    if kind == "md":
        paragraphs, pages = _md_paragraphs(text)
    else:
        paragraphs, pages = _txt_paragraphs(text)
    synthetic = SYNTHETIC_MARKER.casefold() in " ".join(text.split()).casefold()
    return Document(path, kind, pages, paragraphs, synthetic)


# ================================================================================ documents

def load_document(path) -> Document:
    """Read one document (.pdf, .docx, .txt, .md) into paragraphs; see the module docstring."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise DocumentError(f"{p}: unsupported file type '{p.suffix or '(none)'}'; expected one of "
                            f"{', '.join(DOCUMENT_SUFFIXES)}")
    if not p.exists():
        raise DocumentError(f"{p}: file not found")
    if not p.is_file():
        raise DocumentError(f"{p}: not a file")
    try:
        size = p.stat().st_size
    except OSError as e:
        raise DocumentError(f"{p}: cannot be read ({e.strerror or e})") from None
    if size == 0:
        raise DocumentError(f"{p}: the file is empty")
    kind = suffix[1:]
    if kind == "pdf":
        document = _read_pdf(p)
    elif kind == "docx":
        document = _read_docx(p)
    else:
        try:
            data = p.read_bytes()
        except OSError as e:
            raise DocumentError(f"{p}: cannot be read ({e.strerror or e})") from None
        if not data.removeprefix(_UTF8_BOM).strip():
            raise DocumentError(f"{p}: the file is empty")
        document = _read_plain(p, kind, data)
    document.paragraphs = [p for p in document.paragraphs if not is_caption(p.text)]
    if not document.paragraphs:
        raise DocumentError(f"{p}: no paragraphs of text found (only headings, tables, captions, page numbers "
                            f"or nothing); expected a report or strategy with running text")
    return document


def read_document(path) -> list[tuple[int, str]]:
    """(page number, paragraph text) in reading order; each text is one line."""
    return [(p.sida, p.text) for p in load_document(path).paragraphs]


# ================================================================================= manifest

def _relative_file(value: str) -> PurePosixPath | None:
    """fil as a relative POSIX path, or None when it is absolute or leaves the folder."""
    v = value.replace("\\", "/")
    if PureWindowsPath(value).drive or v.startswith("/"):
        return None
    parts = [p for p in PurePosixPath(v).parts if p not in (".", "")]
    depth = 0
    for part in parts:
        depth += -1 if part == ".." else 1
        if depth < 0:
            return None
    return PurePosixPath(*parts) if parts else None


def _document_files(folder: Path) -> list[Path]:
    """Document files under folder; hidden files and folders, Office lock files (~$...) and
    README files are not documents."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if name.startswith((".", "~$")) or Path(name).stem.casefold() == "readme":
                continue
            if Path(name).suffix.lower() in DOCUMENT_SUFFIXES:
                found.append(Path(root) / name)
    return found


def _county_code(value: str) -> str | None:
    v = value.strip()
    if v.isdigit() and len(v) <= 2:
        v = v.zfill(2)
        return v if v in reference.county_codes() else None
    return reference.county_lookup().get(reference.normalise_label(v))


def read_manifest(path) -> pd.DataFrame:
    """Read and check the corpus manifest (CSV, UTF-8 with or without BOM, ',' or ';').

    Returns the manifest with ar as int, aktor of regions as two-digit county codes, fil as a
    relative POSIX path, and added columns sokvag (absolute path) and rad (the row number a
    spreadsheet shows). Every problem found is named in one DocumentError."""
    import pandas as pd

    p = Path(path)
    if not p.exists():
        raise DocumentError(f"{p}: manifest not found")
    if not p.is_file():
        raise DocumentError(f"{p}: the manifest is not a file")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise DocumentError(f"{p}: cannot be read ({e.strerror or e})") from None
    text = _decode_text(p, data)  # the manifest is a text file like any other
    if not text.strip():
        raise DocumentError(f"{p}: the manifest is empty; expected a header row with {', '.join(MANIFEST_COLUMNS)}")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    # Row numbers as a spreadsheet shows them: the header is row 1, blank rows count.
    header_index = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if header_index is None:
        raise DocumentError(f"{p}: the manifest is empty; expected a header row with {', '.join(MANIFEST_COLUMNS)}")
    header = [c.strip().lstrip("\ufeff") for c in records[header_index]]
    keys = [h.casefold() for h in header]
    missing = [c for c in MANIFEST_COLUMNS if c not in keys]
    if missing:
        raise DocumentError(
            f"{p}: required column(s) {', '.join(repr(c) for c in missing)} not found in the header (row "
            f"{header_index + 1}, separator '{delimiter}'); expected columns {', '.join(MANIFEST_COLUMNS)}; "
            f"found: {', '.join(repr(h) for h in header if h) or 'nothing'}")
    duplicated = sorted({k for k in keys if k and keys.count(k) > 1})
    if duplicated:
        raise DocumentError(f"{p}: column(s) {', '.join(repr(c) for c in duplicated)} appear more than once in "
                            f"the header")
    position = {k: i for i, k in enumerate(keys) if k}
    extra = [h for h, k in zip(header, keys) if k and k not in MANIFEST_COLUMNS]

    folder = p.parent
    problems: list[str] = []
    rows: list[dict] = []
    first_row_of_id: dict[str, int] = {}
    first_row_of_file: dict[str, int] = {}
    counties = ", ".join(reference.county_codes())
    for index in range(header_index + 1, len(records)):
        record = records[index]
        rad = index + 1
        if not any(c.strip() for c in record):
            continue
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            problems.append(f"row {rad} has {len(record)} fields but the header has {len(header)}")
            continue
        cells = {k: (record[i].strip() if i < len(record) else "") for k, i in position.items()}
        row_problems = []
        doc_id = cells["dokument_id"]
        if not doc_id:
            row_problems.append(f"row {rad}: dokument_id is empty")
        elif doc_id in first_row_of_id:
            row_problems.append(f"row {rad}: dokument_id '{doc_id}' is already used on row {first_row_of_id[doc_id]}")
        else:
            first_row_of_id[doc_id] = rad
        group = cells["aktorsgrupp"].casefold()
        if group not in ACTOR_GROUPS:
            row_problems.append(f"row {rad}: aktorsgrupp '{cells['aktorsgrupp']}' is not one of "
                                f"{', '.join(ACTOR_GROUPS)}")
        kind = cells["dokumenttyp"].casefold()
        if kind not in DOCUMENT_TYPES:
            row_problems.append(f"row {rad}: dokumenttyp '{cells['dokumenttyp']}' is not one of "
                                f"{', '.join(DOCUMENT_TYPES)}")
        year_text = cells["ar"]
        year = int(year_text) if re.fullmatch(r"\d{4}", year_text) else None
        if year is None or not YEAR_MIN <= year <= YEAR_MAX:
            row_problems.append(f"row {rad}: ar '{year_text}' is not a year ({YEAR_MIN}-{YEAR_MAX}, four digits)")
        actor = cells["aktor"]
        if not actor:
            row_problems.append(f"row {rad}: aktor is empty")
        elif group == "region":
            code = _county_code(actor)
            if code is None:
                row_problems.append(f"row {rad}: aktor '{actor}' is not a county code for a region "
                                    f"(one of {counties})")
            else:
                actor = code
        fil_text = cells["fil"]
        relative = _relative_file(fil_text) if fil_text else None
        full = None
        if not fil_text:
            row_problems.append(f"row {rad}: fil is empty")
        elif relative is None:
            row_problems.append(f"row {rad}: fil '{fil_text}' must be a path relative to the manifest's folder "
                                f"{folder}")
        elif relative.suffix.lower() not in DOCUMENT_SUFFIXES:
            row_problems.append(f"row {rad}: fil '{fil_text}' has an unsupported file type; expected one of "
                                f"{', '.join(DOCUMENT_SUFFIXES)}")
        else:
            full = Path(os.path.abspath(folder / relative))
            key = os.path.normcase(str(full))
            if not full.is_file():
                row_problems.append(f"row {rad}: file '{fil_text}' not found in {folder}")
            elif key in first_row_of_file:
                row_problems.append(f"row {rad}: file '{fil_text}' is already listed on row {first_row_of_file[key]}")
            else:
                first_row_of_file[key] = rad
        problems.extend(row_problems)
        rows.append({
            "dokument_id": doc_id, "aktorsgrupp": group, "aktor": actor, "dokumenttyp": kind,
            "ar": year if year is not None else -1, "fil": relative.as_posix() if relative else fil_text,
            **{h: (record[position[h.casefold()]].strip() if position[h.casefold()] < len(record) else "")
               for h in extra},
            "sokvag": str(full) if full else "", "rad": rad,
        })
    listed = set(first_row_of_file)
    unlisted = [f for f in _document_files(folder) if os.path.normcase(os.path.abspath(f)) not in listed]
    for f in unlisted:
        problems.append(f"file '{f.relative_to(folder).as_posix()}' is in the manifest's folder but on no row; "
                        f"add a row for it or move it out")
    if not rows and not problems:
        raise DocumentError(f"{p}: the manifest has no rows below its header")
    if problems:
        shown = "; ".join(problems[:_MAX_LISTED])
        more = f"; and {len(problems) - _MAX_LISTED} more" if len(problems) > _MAX_LISTED else ""
        raise DocumentError(f"{p}: {len(problems)} problem(s) in the manifest: {shown}{more}")
    frame = pd.DataFrame(rows, columns=[*MANIFEST_COLUMNS, *extra, "sokvag", "rad"])
    return frame.astype({"ar": "int64", "rad": "int64"})


# =================================================================================== corpus

def _load_for_corpus(path: str) -> Document | DocumentError:
    try:
        return load_document(path)
    except DocumentError as e:
        return e


def _load_in_processes(paths: list[str], workers: int) -> list | None:
    """The documents read in worker processes, or None where processes cannot be started."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork on Linux: a spawned process first runs the caller's main script again, which a
    # script without an `if __name__ == "__main__":` guard does not survive. Elsewhere spawn,
    # which needs a main file that exists (not <stdin>).
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("fork")
    else:
        main_file = getattr(sys.modules.get("__main__"), "__file__", None)
        if main_file is not None and not os.path.isfile(main_file):
            return None
        context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_load_for_corpus, paths, chunksize=1))
    except (OSError, BrokenProcessPool):  # no semaphores or process limits: read them here
        return None


def intake_corpus(manifest_path, workers: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every document the manifest lists: (paragraphs, documents); see PARAGRAPH_COLUMNS
    and DOCUMENT_COLUMNS. Documents are read in `workers` processes (default: two when the
    PDFs together exceed 4 MB and there are two cores, else one); the result does not depend
    on it. Every document that cannot be read is named, with its manifest row, in one
    DocumentError."""
    import pandas as pd

    manifest_path = Path(manifest_path)
    manifest = read_manifest(manifest_path)
    paths = manifest["sokvag"].tolist()
    if workers is None:
        pdf_bytes = sum(Path(s).stat().st_size for s in paths if s.lower().endswith(".pdf"))
        workers = min(2, os.cpu_count() or 1) if pdf_bytes > _PARALLEL_PDF_BYTES else 1
    workers = max(1, min(workers, len(paths)))
    results = _load_in_processes(paths, workers) if workers > 1 else None
    if results is None:
        results = [_load_for_corpus(s) for s in paths]

    failures = []
    paragraph_rows = []
    document_rows = []
    for row, result in zip(manifest.itertuples(index=False), results):
        if isinstance(result, DocumentError):
            failures.append(f"row {row.rad} ({row.dokument_id}): {result}")
            continue
        meta = (row.dokument_id, row.aktorsgrupp, row.aktor, row.dokumenttyp, int(row.ar))
        for nr, paragraph in enumerate(result.paragraphs, start=1):
            # reports name contact persons and their e-mail addresses: kept out of the study
            paragraph_rows.append((*meta, paragraph.sida, nr, redact(paragraph.rubrik), redact(paragraph.text)))
        document_rows.append((*meta, row.fil, result.format, result.pages, len(result.paragraphs),
                              sum(len(p.text) for p in result.paragraphs), sha256_file(Path(row.sokvag)),
                              result.synthetic))
    if failures:
        raise DocumentError(f"{manifest_path}: {len(failures)} document(s) cannot be read: " + "; ".join(failures))
    paragraphs = pd.DataFrame(paragraph_rows, columns=list(PARAGRAPH_COLUMNS)).astype(_PARAGRAPH_COLUMN_TYPES)
    documents = pd.DataFrame(document_rows, columns=list(DOCUMENT_COLUMNS)).astype(_DOCUMENT_COLUMN_TYPES)
    return paragraphs, documents


# ================================================================================== writing

def _write_table(frame: pd.DataFrame, columns: tuple[str, ...], types: dict[str, str], target) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"cannot write {target}: column(s) {', '.join(missing)} missing; "
                         f"expected {', '.join(columns)}")
    kinds = {"int64": pa.int64(), "bool": pa.bool_()}
    schema = pa.schema([pa.field(c, kinds.get(types.get(c, ""), pa.string())) for c in columns])
    table = pa.Table.from_pandas(frame[list(columns)], schema=schema, preserve_index=False)
    return write_atomic(Path(target), lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def write_paragraphs(paragraphs: pd.DataFrame, path) -> Path:
    """paragraphs as parquet, written atomically; identical input gives identical bytes."""
    return _write_table(paragraphs, PARAGRAPH_COLUMNS, _PARAGRAPH_COLUMN_TYPES, path)


def write_documents(documents: pd.DataFrame, path) -> Path:
    """documents as parquet, written atomically; identical input gives identical bytes."""
    return _write_table(documents, DOCUMENT_COLUMNS, _DOCUMENT_COLUMN_TYPES, path)
