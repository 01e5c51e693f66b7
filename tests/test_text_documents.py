"""Document intake: the manifest, and PDF, docx, txt and md read into paragraphs.

PDFs and .docx files are built inside the tests (fpdf2, python-docx) with every line placed
by hand, so the expected paragraphs below were worked out from the lines written; the
Markdown fixture is tests/fixtures/text/strategi.md."""
from __future__ import annotations

import hashlib
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from helpers.text import documents as D
from helpers.text.documents import (
    ACTOR_GROUPS, DOCUMENT_TYPES, MANIFEST_COLUMNS, DocumentError, intake_corpus, join_lines,
    load_document, read_document, read_manifest, write_paragraphs,
)

FIXTURES = Path(__file__).parent / "fixtures" / "text"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
HEADER = "SYNTETISKT EXEMPEL – Region Testland, Regionalt utvecklingsarbete 2023"


# ------------------------------------------------------------------------- building PDFs

def _fpdf(header: bool = True):
    from fpdf import FPDF

    class Report(FPDF):
        def header(self):
            if header:
                self.set_font("dv", "", 8)
                self.set_xy(self.l_margin, 10)
                self.cell(0, 5, HEADER)
            self.set_xy(self.l_margin, 25)

        def footer(self):
            if header:
                self.set_y(-15)
                self.set_font("dv", "", 8)
                self.cell(0, 10, f"Sida {self.page_no()} av {{nb}}", align="C")

    pdf = Report()
    pdf.add_font("dv", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("dv", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    return pdf


def _line(pdf, text, size=11, style="", height=6):
    pdf.set_font("dv", style, size)
    pdf.cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def build_report_pdf(path: Path) -> Path:
    """Three pages: a TOC page, then headings, paragraphs, a table and a paragraph running
    onto the next page; a running header and a page-number footer on every page."""
    pdf = _fpdf()
    pdf.add_page()
    _line(pdf, "Innehåll", 16, "B", 10)
    _line(pdf, "1 Inledning " + "." * 70 + " 2")
    _line(pdf, "2 Kompetensförsörjning " + "." * 60 + " 2")
    _line(pdf, "2.1 Regionalt kompetensförsörjningsarbete " + "." * 40 + " 3")
    _line(pdf, "Bilaga med statistik över deltagarna i regionens utbildningar " + "." * 20 + " 4")
    # An entry without leaders, its page number in a cell of its own at the right margin.
    pdf.cell(150, 6, "Sammanfattning av uppföljningen")
    pdf.cell(0, 6, "5", align="R", new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    _line(pdf, "1 Inledning", 14, "B", 9)
    _line(pdf, "Regionen har under 2023 arbetat med kompetensförsörj-")
    _line(pdf, "ningen i hela länet och med ett klimat-")
    _line(pdf, "och miljömässigt hållbart näringsliv.")
    pdf.ln(4)
    _line(pdf, "Insatserna finansierades bland annat med EU-")
    _line(pdf, "medel och pågick trots Covid-")
    _line(pdf, "19-pandemins efterverkningar.")
    pdf.ln(4)
    _line(pdf, "2 Kompetensförsörjning", 14, "B", 9)
    _line(pdf, "Regionen samverkar med kommunerna om utbildning.")
    pdf.ln(4)
    _line(pdf, "Tabell 1. Deltagare per insats", 10, "B")  # a caption: neither heading nor paragraph
    pdf.set_font("dv", "", 10)
    with pdf.table(width=120, col_widths=(60, 30, 30)) as table:
        for cells in (("Insats", "2022", "2023"), ("Yrkesvux", "120", "135"), ("Lärcentrum", "14", "16")):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(4)
    _line(pdf, "Tabellen visar antalet deltagare per insats och år. Utvecklingen")
    _line(pdf, "fortsätter under de kommande åren och regionen följer upp")

    pdf.add_page()
    _line(pdf, "arbetet tillsammans med länets kommuner.")
    pdf.ln(4)
    _line(pdf, "2.1 Regionalt kompetensförsörjningsarbete", 12, "B", 8)
    _line(pdf, "Det regionala kompetensförsörjningsarbetet leds av en")
    _line(pdf, "styrgrupp med företrädare för regional-")
    _line(pdf, "eller kommunal nivå.")
    pdf.ln(4)
    _line(pdf, "3 Uppföljning")  # body font, standing alone: a numbered heading
    pdf.ln(4)
    _line(pdf, "Uppföljningen sker årligen.")
    pdf.output(str(path))
    return path


REPORT_PARAGRAPHS = [
    (2, "Regionen har under 2023 arbetat med kompetensförsörjningen i hela länet och med ett klimat- och "
        "miljömässigt hållbart näringsliv."),
    (2, "Insatserna finansierades bland annat med EU-medel och pågick trots Covid-19-pandemins efterverkningar."),
    (2, "Regionen samverkar med kommunerna om utbildning."),
    (2, "Tabellen visar antalet deltagare per insats och år. Utvecklingen fortsätter under de kommande åren och "
        "regionen följer upp arbetet tillsammans med länets kommuner."),
    (3, "Det regionala kompetensförsörjningsarbetet leds av en styrgrupp med företrädare för regional- eller "
        "kommunal nivå."),
    (3, "Uppföljningen sker årligen."),
]
REPORT_HEADINGS = ["1 Inledning", "1 Inledning", "2 Kompetensförsörjning", "2 Kompetensförsörjning",
                   "2.1 Regionalt kompetensförsörjningsarbete", "3 Uppföljning"]


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    return build_report_pdf(tmp_path_factory.mktemp("pdf") / "rapport.pdf")


# ------------------------------------------------------------------------------ PDF


def test_pdf_paragraphs_pages_and_headings(report_pdf):
    assert read_document(report_pdf) == REPORT_PARAGRAPHS
    document = load_document(report_pdf)
    assert [p.rubrik for p in document.paragraphs] == REPORT_HEADINGS
    assert (document.format, document.pages) == ("pdf", 3)
    # The marker is only in the running header, which is dropped but still counts.
    assert document.synthetic is True
    text = " ".join(p.text for p in document.paragraphs)
    for dropped in ("Sida", "SYNTETISKT", "Innehåll", "....", "Bilaga", "Sammanfattning", "Tabell 1.", "Yrkesvux",
                    "135", "Lärcentrum"):
        assert dropped not in text


def test_pdf_with_multi_line_heading_bullets_and_first_line_indent(tmp_path):
    pdf = _fpdf(header=False)
    pdf.add_page()
    _line(pdf, "Regional utvecklingsstrategi", 18, "B", 9)
    _line(pdf, "för Testlän 2022–2030", 18, "B", 9)
    _line(pdf, "Strategin beskriver regionens mål. Den gäller")
    _line(pdf, "hela länet.")
    pdf.set_x(pdf.l_margin + 8)
    _line(pdf, "Ett nytt stycke börjar med indrag och fortsätter")
    _line(pdf, "på nästa rad.")
    _line(pdf, "• Första punkten")
    _line(pdf, "• Andra punkten som fortsätter")
    pdf.set_x(pdf.l_margin + 4)
    _line(pdf, "på en indragen rad.")
    path = tmp_path / "rus.pdf"
    pdf.output(str(path))
    document = load_document(path)
    title = "Regional utvecklingsstrategi för Testlän 2022–2030"
    assert [(p.sida, p.rubrik, p.text) for p in document.paragraphs] == [
        (1, title, "Strategin beskriver regionens mål. Den gäller hela länet."),
        (1, title, "Ett nytt stycke börjar med indrag och fortsätter på nästa rad."),
        (1, title, "Första punkten"),
        (1, title, "Andra punkten som fortsätter på en indragen rad."),
    ]
    assert document.synthetic is False


_WORDS = ("regionen", "länet", "samverkan", "kommunerna", "arbetet", "insatser", "utveckling", "strategin",
          "kompetens", "näringslivet", "analys", "uppföljning", "lärande", "kapacitet", "tillgänglighet")


def _full_line(k: int) -> str:
    """A line of about the same length as the others, different text on each line."""
    words = [_WORDS[(k * 7 + i * 3) % len(_WORDS)] for i in range(9)]
    return "Det " + " ".join(words)


def test_pdf_paragraph_across_page_breaks(tmp_path):
    """A paragraph goes on on the next page only when its sentence is unfinished there (no
    final punctuation), whatever the case of the next line; a full stop at the bottom of a
    full page ends it."""
    pdf = _fpdf(header=False)
    n = 40  # lines on a full page
    first = [_full_line(k) for k in range(n - 1)] + [_full_line(n - 1) + "."]
    third = [_full_line(k + 50) for k in range(n - 1)] + ["och med"]
    pdf.add_page()
    for text in first:
        _line(pdf, text)
    pdf.add_page()
    _line(pdf, "Nästa stycke står på nästa sida.")
    pdf.add_page()
    for text in third:
        _line(pdf, text)
    pdf.add_page()
    _line(pdf, "EU-medel fortsätter meningen.")
    path = tmp_path / "lang.pdf"
    pdf.output(str(path))
    assert read_document(path) == [
        (1, " ".join(first)),
        (2, "Nästa stycke står på nästa sida."),
        (3, " ".join(third) + " EU-medel fortsätter meningen."),
    ]


@pytest.mark.parametrize(("text", "caption"), [
    ("Tabell 1. Beviljade medel per område", True), ("Figur 3: Andel per län", True),
    ("Tabell 2 – Deltagare", True), ("Källa: SCB", True), ("Tabell 1 visar att medlen ökade.", False),
    ("Tabellen visar utvecklingen.", False),
])
def test_captions(text, caption):
    assert D.is_caption(text) is caption
    if caption:
        assert not D.heading_shape(text)


def test_rows_of_numbers_and_prose_with_numbers():
    assert D._numeric_row("SO1 12,3 14,1")
    assert D._numeric_row("Totalt 1 234 5 678 45 %")
    assert not D._numeric_row("2021–2023 samt 2024")
    assert not D._numeric_row("under 2021 och 2022")
    assert not D._numeric_row("12 och 14.")


def _image_only_pdf(path: Path) -> Path:
    from PIL import Image

    pdf = _fpdf(header=False)
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("RGB", (40, 40), "gray"), x=20, y=20, w=150)
    pdf.output(str(path))
    return path


def test_pdf_without_text_layer_is_refused(tmp_path):
    with pytest.raises(DocumentError, match=r"skannad\.pdf: no text layer.*run OCR first"):
        read_document(_image_only_pdf(tmp_path / "skannad.pdf"))
    blank = _fpdf(header=False)
    blank.add_page()
    blank.output(str(tmp_path / "tom.pdf"))
    with pytest.raises(DocumentError, match=r"tom\.pdf: no text layer"):
        read_document(tmp_path / "tom.pdf")


def test_pdf_encrypted_or_broken_is_refused(report_pdf, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(report_pdf))
    writer.encrypt(user_password="hemligt", owner_password="ägare", algorithm="AES-128")
    locked = tmp_path / "last.pdf"
    writer.write(locked)
    with pytest.raises(DocumentError, match=r"last\.pdf: the PDF is encrypted with a password"):
        read_document(locked)
    # Protection that needs no password to open (printing, copying) is read as usual.
    writer = PdfWriter(clone_from=PdfReader(report_pdf))
    writer.encrypt(user_password="", owner_password="ägare", algorithm="AES-128")
    open_ = tmp_path / "skyddad.pdf"
    writer.write(open_)
    assert read_document(open_) == REPORT_PARAGRAPHS

    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not a PDF body\n")
    with pytest.raises(DocumentError, match=r"trasig\.pdf: "):
        read_document(broken)


# ------------------------------------------------------------------------ line joining


@pytest.mark.parametrize(("first", "second", "joined"), [
    ("kompetensförsörj-", "ningen i länet", "kompetensförsörjningen i länet"),
    ("ett klimat-", "och miljömässigt", "ett klimat- och miljömässigt"),
    ("regional-", "eller kommunal", "regional- eller kommunal"),
    ("bygg-", "samt anläggning", "bygg- samt anläggning"),
    ("med EU-", "medel", "med EU-medel"),
    ("under Covid-", "19-pandemin", "under Covid-19-pandemin"),
    ("Stockholm-", "Mälardalen", "Stockholm-Mälardalen"),
    ("e-", "tjänster", "e-tjänster"),
    ("lärcentru-", "men utvecklas", "lärcentrumen utvecklas"),
    ("gemensam-", "ma insatser", "gemensamma insatser"),
    ("stads-", "utan landsbygd", "stads- utan landsbygd"),
    ("åren 2021-", "2024", "åren 2021-2024"),
    ("text -", "mer", "text - mer"),
    ("en rad", "till", "en rad till"),
])
def test_join_lines(first, second, joined):
    assert join_lines(first, second) == joined


@pytest.mark.parametrize("text", ["12", "Sida 12", "sida 12 av 40", "12 (40)", "- 3 -", "12/40", "Page 7"])
def test_page_numbers(text):
    assert D.is_page_number(text)


@pytest.mark.parametrize("text", ["12 projekt", "Sidan 12 visar", "2021–2024 års rapporter"])
def test_not_page_numbers(text):
    assert not D.is_page_number(text)


# ------------------------------------------------------------------------------ docx


def build_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Regionalt utvecklingsarbete 2023", level=0)  # Title style
    document.add_paragraph("SYNTETISKT EXEMPEL. Regionen redovisar sitt arbete.")
    document.add_heading("1 Samverkan", level=1)
    document.add_paragraph("Regionen samverkar med   kommunerna\toch staten.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Cell som inte är text"
    table.cell(1, 1).text = "12"
    document.add_paragraph("")
    bold = document.add_paragraph()
    bold.add_run("Fet mellanrubrik").bold = True
    document.add_paragraph("Stycket under den feta rubriken.")
    document.add_page_break()
    document.add_heading("2 Lärande", level=2)
    document.add_paragraph("Uppföljningen utvecklas.")
    document.add_paragraph("Ett stycke med en fet mening.").runs[0].bold = False
    document.save(str(path))
    return path


def test_docx_paragraphs_headings_pages_and_tables(tmp_path):
    document = load_document(build_docx(tmp_path / "rapport.docx"))
    assert [(p.sida, p.rubrik, p.text) for p in document.paragraphs] == [
        (1, "Regionalt utvecklingsarbete 2023", "SYNTETISKT EXEMPEL. Regionen redovisar sitt arbete."),
        (1, "1 Samverkan", "Regionen samverkar med kommunerna och staten."),
        (1, "Fet mellanrubrik", "Stycket under den feta rubriken."),
        (2, "2 Lärande", "Uppföljningen utvecklas."),
        (2, "2 Lärande", "Ett stycke med en fet mening."),
    ]
    assert (document.format, document.pages, document.synthetic) == ("docx", 2, True)


def test_docx_marker_in_table_and_broken_docx(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Regionen redovisar.")
    d.add_table(rows=1, cols=1).cell(0, 0).text = "Syntetiskt   exempel"
    d.save(str(tmp_path / "a.docx"))
    document = load_document(tmp_path / "a.docx")
    assert document.synthetic is True
    assert [p.text for p in document.paragraphs] == ["Regionen redovisar."]
    (tmp_path / "b.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocumentError, match=r"b\.docx: not a readable \.docx document"):
        read_document(tmp_path / "b.docx")


# ------------------------------------------------------------------------------- txt


TXT = (
    "1 Inledning\r\n"
    "\r\n"
    "Regionen har arbetat med kompetensförsörj-\r\n"
    "ningen och med ett klimat-\r\n"
    "och miljömässigt hållbart näringsliv.\r\n"
    "\r\n"
    "Sida 1\r\n"
    "\f"
    "Arbetet med EU-\r\n"
    "medel fortsätter.\r\n"
    "\r\n"
    "Mål för året\r\n"
    "\r\n"
    "Tabell 2: Mål och utfall\r\n"
    "\r\n"
    "• Fler deltagare i utbildning.\r\n"
    "• Bättre uppföljning.\r\n"
    "\f\r\n"
    "Kort mening utan punkt men längre än en rubrik får vara eftersom den har väldigt många ord i sig\r\n"
)


def test_txt_in_cp1252_with_form_feeds(tmp_path):
    path = tmp_path / "rapport.txt"
    path.write_bytes(TXT.encode("cp1252"))
    document = load_document(path)
    assert [(p.sida, p.rubrik, p.text) for p in document.paragraphs] == [
        (1, "1 Inledning", "Regionen har arbetat med kompetensförsörjningen och med ett klimat- och miljömässigt "
                           "hållbart näringsliv."),
        (2, "1 Inledning", "Arbetet med EU-medel fortsätter."),
        (2, "Mål för året", "Fler deltagare i utbildning."),
        (2, "Mål för året", "Bättre uppföljning."),
        (3, "Mål för året", "Kort mening utan punkt men längre än en rubrik får vara eftersom den har väldigt "
                            "många ord i sig"),
    ]
    assert (document.format, document.pages, document.synthetic) == ("txt", 3, False)
    # The same text in UTF-8 with a byte-order mark reads the same.
    path.write_bytes(b"\xef\xbb\xbf" + TXT.encode("utf-8"))
    assert [(p.sida, p.rubrik, p.text) for p in load_document(path).paragraphs] == \
        [(p.sida, p.rubrik, p.text) for p in document.paragraphs]


def test_txt_encodings_refused(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("Regionen arbetar.".encode("utf-16"))
    with pytest.raises(DocumentError, match=r"utf16\.txt: .*UTF-16"):
        read_document(path)
    path = tmp_path / "trasig.txt"
    path.write_bytes(b"Regionen \x81\x8d arbetar.")  # bytes undefined in Windows-1252
    with pytest.raises(DocumentError, match=r"trasig\.txt: neither UTF-8 nor Windows-1252"):
        read_document(path)


# -------------------------------------------------------------------------------- md


def test_markdown_headings_lists_links_and_code():
    document = load_document(FIXTURES / "strategi.md")
    assert [(p.sida, p.rubrik, p.text) for p in document.paragraphs] == [
        (1, "Regional utvecklingsstrategi",
         "Strategin gäller 2022–2030 och tas fram av Region Testland tillsammans med länets kommuner."),
        (1, "1. Prioriteringar", "Regionen prioriterar:"),
        (1, "1. Prioriteringar", "Kompetensförsörjning i hela länet"),
        (1, "1. Prioriteringar", "Ett klimat- och miljömässigt hållbart näringsliv med EU-medel"),
        (1, "1. Prioriteringar", "Bredband till alla"),
        (1, "Uppföljning", "Regionen följer upp strategin* varje år, se och rapporten."),
    ]
    assert (document.format, document.pages) == ("md", 1)


def test_markdown_form_feed_is_a_new_page(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# A\n\nFörsta sidan.\n\f\n## B\n\nAndra __sidan__.\n", encoding="utf-8")
    assert [(p.sida, p.rubrik, p.text) for p in load_document(path).paragraphs] == [
        (1, "A", "Första sidan."), (2, "B", "Andra sidan.")]


# ----------------------------------------------------------------------- file problems


def test_unsupported_missing_and_empty_files(tmp_path):
    with pytest.raises(DocumentError, match=r"a\.rtf: unsupported file type '\.rtf'; expected one of \.pdf"):
        read_document(tmp_path / "a.rtf")
    with pytest.raises(DocumentError, match=r"saknas\.pdf: file not found"):
        read_document(tmp_path / "saknas.pdf")
    for name in ("tom.txt", "tom.pdf", "tom.docx"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(DocumentError, match=rf"{name.replace('.', '[.]')}: the file is empty"):
            read_document(tmp_path / name)
    (tmp_path / "blank.md").write_bytes(b"\xef\xbb\xbf \n\n")
    with pytest.raises(DocumentError, match=r"blank\.md: the file is empty"):
        read_document(tmp_path / "blank.md")
    (tmp_path / "rubriker.md").write_text("# Bara rubrik\n\n## Och en till\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"rubriker\.md: no paragraphs of text found"):
        read_document(tmp_path / "rubriker.md")


# --------------------------------------------------------------------------- manifest

MANIFEST_HEADER = "dokument_id,aktorsgrupp,aktor,dokumenttyp,ar,fil"


def _corpus(tmp_path: Path, rows: list[str], files=("a.txt", "b/c.md"), header=MANIFEST_HEADER,
            encoding="utf-8") -> Path:
    for name in files:
        f = tmp_path / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("Regionen arbetar med samverkan.\n", encoding="utf-8")
    path = tmp_path / "manifest.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


GOOD_ROWS = ["rus-08,region,8,rus,2022,a.txt",
             "mm-tva,statlig_myndighet,Tillväxtverket,myndigheters_medverkan,2023,b/c.md"]


def test_good_manifest(tmp_path):
    manifest = read_manifest(_corpus(tmp_path, GOOD_ROWS))
    assert list(manifest.columns) == [*MANIFEST_COLUMNS, "sokvag", "rad"]
    assert manifest["aktor"].tolist() == ["08", "Tillväxtverket"]
    assert manifest["ar"].tolist() == [2022, 2023] and manifest["ar"].dtype == "int64"
    assert manifest["fil"].tolist() == ["a.txt", "b/c.md"]
    assert manifest["sokvag"].tolist() == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "c.md")]
    assert manifest["rad"].tolist() == [2, 3]
    assert set(manifest["aktorsgrupp"]) <= set(ACTOR_GROUPS) and set(manifest["dokumenttyp"]) <= set(DOCUMENT_TYPES)


def test_manifest_semicolon_bom_blank_rows_and_readme(tmp_path):
    rows = ["", "rus-08;region;08;rus;2022;a.txt", "mm;statlig_myndighet;Vinnova;myndigheters_medverkan;2023;b\\c.md"]
    path = _corpus(tmp_path, rows, header=MANIFEST_HEADER.replace(",", ";"), encoding="utf-8-sig")
    (tmp_path / "README.md").write_text("# Korpusen\n", encoding="utf-8")  # not a document
    (tmp_path / "b" / "~$c.docx").write_bytes(b"lock")  # Word's lock file
    manifest = read_manifest(path)
    assert manifest["rad"].tolist() == [3, 4]
    assert manifest["fil"].tolist() == ["a.txt", "b/c.md"]


def test_manifest_missing_column(tmp_path):
    path = _corpus(tmp_path, ["rus-08,region,08,rus,a.txt"], header="dokument_id,aktorsgrupp,aktor,dokumenttyp,fil")
    with pytest.raises(DocumentError, match=r"manifest\.csv: required column\(s\) 'ar' not found"):
        read_manifest(path)


@pytest.mark.parametrize(("row", "message"), [
    ("rus-08,region,8,rus,2022,b/c.md", r"row 3: dokument_id 'rus-08' is already used on row 2"),
    ("x,kommun,8,rus,2022,b/c.md",
     r"row 3: aktorsgrupp 'kommun' is not one of region, statlig_myndighet, tillvaxtverket"),
    ("x,region,8,budget,2022,b/c.md", r"row 3: dokumenttyp 'budget' is not one of rus, "),
    ("x,region,8,rus,22,b/c.md", r"row 3: ar '22' is not a year"),
    ("x,region,8,rus,2022.5,b/c.md", r"row 3: ar '2022.5' is not a year"),
    ("x,region,02,rus,2022,b/c.md", r"row 3: aktor '02' is not a county code for a region \(one of 01, 03,"),
    ("x,region,Atlantis,rus,2022,b/c.md", r"row 3: aktor 'Atlantis' is not a county code"),
    ("x,region,8,rus,2022,/etc/c.md", r"row 3: fil '/etc/c.md' must be a path relative to the manifest's folder"),
    ("x,region,8,rus,2022,../c.md", r"row 3: fil '../c.md' must be a path relative"),
    ("x,region,8,rus,2022,a.txt", r"row 3: file 'a.txt' is already listed on row 2"),
    ("x,region,8,rus,2022,b/c.rtf", r"row 3: fil 'b/c.rtf' has an unsupported file type"),
])
def test_manifest_row_errors(tmp_path, row, message):
    path = _corpus(tmp_path, [GOOD_ROWS[0], row])
    with pytest.raises(DocumentError, match=r"manifest\.csv: .*" + message):
        read_manifest(path)


def test_manifest_row_without_its_file(tmp_path):
    missing = "rua-25,region,25,regionalt_utvecklingsarbete,2023,rapporter/saknas.pdf"
    path = _corpus(tmp_path, [*GOOD_ROWS, missing])
    with pytest.raises(DocumentError) as caught:
        read_manifest(path)
    assert "row 4: file 'rapporter/saknas.pdf' not found in" in str(caught.value)
    assert str(path) in str(caught.value)


def test_manifest_unlisted_file_in_folder(tmp_path):
    path = _corpus(tmp_path, GOOD_ROWS, files=("a.txt", "b/c.md", "b/glomd.PDF"))
    with pytest.raises(DocumentError, match=r"file 'b/glomd\.PDF' is in the manifest's folder but on no row"):
        read_manifest(path)


def test_manifest_county_names_accepted_and_all_problems_listed(tmp_path):
    manifest = read_manifest(_corpus(tmp_path, ["rus-bd,region,Norrbotten,rus,2022,a.txt", GOOD_ROWS[1]]))
    assert manifest["aktor"].tolist()[0] == "25"
    path = _corpus(tmp_path, ["a,region,99,rus,20,a.txt", "b,region,01,xx,2022,b/c.md"])
    with pytest.raises(DocumentError, match=r"3 problem\(s\).*row 2: ar '20'.*row 2: aktor '99'.*row 3: dokumenttyp"):
        read_manifest(path)


# ------------------------------------------------------------------------------ corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, report_pdf) -> Path:
    folder = tmp_path_factory.mktemp("korpus")
    (folder / "rus").mkdir()
    (folder / "rus" / "rus-08.pdf").write_bytes(report_pdf.read_bytes())
    build_docx(folder / "rapport.docx")
    (folder / "rapport.txt").write_bytes(TXT.encode("cp1252"))
    (folder / "strategi.md").write_bytes((FIXTURES / "strategi.md").read_bytes())
    (folder / "manifest.csv").write_text(
        "\n".join([MANIFEST_HEADER,
                   "rus-08,region,8,rus,2022,rus/rus-08.pdf",
                   "rua-25-2023,region,25,regionalt_utvecklingsarbete,2023,rapport.docx",
                   "mm-vinnova-2024,statlig_myndighet,Vinnova,myndigheters_medverkan,2024,rapport.txt",
                   "ar-tva-2021,tillvaxtverket,Tillväxtverket,arsredovisning,2021,strategi.md"]) + "\n",
        encoding="utf-8")
    return folder / "manifest.csv"


def test_intake_corpus(corpus):
    paragraphs, documents = intake_corpus(corpus, workers=1)
    assert list(paragraphs.columns) == ["dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar", "sida",
                                        "stycke_nr", "rubrik", "text"]
    assert paragraphs.groupby("dokument_id", sort=False).size().to_dict() == {
        "rus-08": 6, "rua-25-2023": 5, "mm-vinnova-2024": 5, "ar-tva-2021": 6}
    rus = paragraphs[paragraphs["dokument_id"] == "rus-08"]
    assert list(zip(rus["sida"], rus["text"])) == REPORT_PARAGRAPHS
    assert rus["rubrik"].tolist() == REPORT_HEADINGS
    assert rus["stycke_nr"].tolist() == [1, 2, 3, 4, 5, 6]
    assert (rus["aktor"] == "08").all() and (rus["ar"] == 2022).all()
    assert paragraphs["stycke_nr"].tolist() == [*range(1, 7), *range(1, 6), *range(1, 6), *range(1, 7)]
    assert {str(paragraphs[c].dtype) for c in ("ar", "sida", "stycke_nr")} == {"int64"}

    assert list(documents.columns) == ["dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar", "fil", "format",
                                       "sidor", "stycken", "tecken", "sha256", "syntetisk"]
    assert documents["fil"].tolist() == ["rus/rus-08.pdf", "rapport.docx", "rapport.txt", "strategi.md"]
    assert documents["format"].tolist() == ["pdf", "docx", "txt", "md"]
    assert documents["sidor"].tolist() == [3, 2, 3, 1]
    assert documents["stycken"].tolist() == [6, 5, 5, 6]
    assert documents["syntetisk"].tolist() == [True, True, False, False]
    assert documents["tecken"].iloc[0] == sum(len(t) for _, t in REPORT_PARAGRAPHS)
    assert documents["sha256"].iloc[2] == hashlib.sha256(TXT.encode("cp1252")).hexdigest()


def test_intake_corpus_in_two_processes_gives_the_same(corpus):
    one = intake_corpus(corpus, workers=1)
    two = intake_corpus(corpus, workers=2)
    pd.testing.assert_frame_equal(one[0], two[0])
    pd.testing.assert_frame_equal(one[1], two[1])


def test_intake_corpus_names_unreadable_documents(tmp_path):
    (tmp_path / "ok.txt").write_text("Regionen arbetar.\n", encoding="utf-8")
    _image_only_pdf(tmp_path / "skannad.pdf")
    (tmp_path / "manifest.csv").write_text(
        "\n".join([MANIFEST_HEADER, "a,region,01,rus,2022,ok.txt", "b,region,03,rus,2022,skannad.pdf"]) + "\n",
        encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        intake_corpus(tmp_path / "manifest.csv", workers=1)
    message = str(caught.value)
    assert "manifest.csv: 1 document(s) cannot be read: row 3 (b): " in message
    assert "skannad.pdf: no text layer" in message


def test_write_paragraphs_is_byte_identical(corpus, tmp_path):
    import pyarrow.parquet as pq

    paragraphs, documents = intake_corpus(corpus, workers=1)
    first = write_paragraphs(paragraphs, tmp_path / "a" / "paragraphs.parquet")
    second = write_paragraphs(paragraphs.copy(), tmp_path / "b" / "paragraphs.parquet")
    assert first.read_bytes() == second.read_bytes()
    back = pd.read_parquet(first)
    pd.testing.assert_frame_equal(back, paragraphs)
    assert str(pq.read_schema(first).field("rubrik").type) == "string"
    assert not list(tmp_path.glob("a/.*.tmp"))
    # A second intake of the same files writes the same bytes.
    again = write_paragraphs(intake_corpus(corpus, workers=1)[0], tmp_path / "c.parquet")
    assert again.read_bytes() == first.read_bytes()
    d1 = D.write_documents(documents, tmp_path / "d1.parquet")
    d2 = D.write_documents(documents, tmp_path / "d2.parquet")
    assert d1.read_bytes() == d2.read_bytes()
    with pytest.raises(ValueError, match="column"):
        write_paragraphs(paragraphs.drop(columns=["rubrik"]), tmp_path / "x.parquet")
