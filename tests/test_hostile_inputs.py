"""The whole study on inputs with HTML, script and personal data planted in them: project
names, a quarantined amount, a document passage and an expert's comment. Every rendered page
shows the markup as text and runs none of it (headless Chromium), and no personal identity
number, e-mail address or contact name reaches outputs/ or data/processed/."""
from __future__ import annotations

import csv
import io
import os
import shutil

import pandas as pd
import pytest

from browser import browser_available, check_page, last_page_eval, unavailable_reason
from conftest import ROOT

pytestmark = pytest.mark.study
SAMPLE = ROOT / "data" / "raw" / "sample"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=window.__pwned=2>"
PERSONNUMMER = ("811218-9876", "19121212-1212")
EMAILS = ("anna.andersson@region-planted.se", "per.p@firma-planted.se")
NAMES = ("Anna Plantedsson", "Per Plantedberg")
PASSAGE = (
    f"Samverkan {SCRIPT} med kommunerna sker i partnerskap, dialog, samråd och nätverk, tillsammans med "
    "näringslivet i en överenskommelse om samordning, flernivåstyrning och regional hänsyn i ett forum "
    f"där alla är delaktiga. Kontaktperson: {NAMES[0]}, {EMAILS[0]}, personnummer {PERSONNUMMER[0]}."
)


def _hostile_nyps(path):
    raw = (SAMPLE / "nyps_export.csv").read_bytes().decode("utf-8-sig")
    lines = raw.split("\r\n")
    header_at = next(i for i, line in enumerate(lines) if line.startswith("Ärende;"))
    header = lines[header_at].split(";")
    col = {name: i for i, name in enumerate(header)}
    rows = [line.split(";") for line in lines[header_at + 1: header_at + 4]]
    rows[0][col["Projektnamn"]] = f"{SCRIPT} Enskild firma {PERSONNUMMER[1]} {EMAILS[1]}"
    rows[1][col["Beviljat belopp"]] = IMG  # not a number: quarantined, and shown in the quarantine table
    rows[2][col["Kontaktperson"]] = NAMES[1]
    rows[2][col["E-post"]] = EMAILS[1]
    for k, row in enumerate(rows):
        lines[header_at + 1 + k] = ";".join(row)
    path.write_bytes(("\ufeff" + "\r\n".join(lines)).encode("utf-8"))


def _hostile_corpus(folder):
    shutil.copytree(SAMPLE / "corpus", folder)
    doc = folder / "dokument" / "rua_01_2024.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n\n## Samverkan i länet\n\n" + PASSAGE + "\n", encoding="utf-8")


def _hostile_ratings(folder):
    frame = pd.read_csv(SAMPLE / "rus_bedomningar.csv", dtype=str, keep_default_na=False)
    # every comment of one expert, so that the ones the review shows (disagreements) carry it
    frame.loc[frame["bedomare"] == "E1", "kommentar"] = f"{IMG} Kontakt: {NAMES[0]}, {EMAILS[0]} ({PERSONNUMMER[0]})"
    path = folder / "rus_bedomningar.csv"
    out = io.StringIO()
    frame.to_csv(out, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    path.write_text(out.getvalue(), encoding="utf-8")
    shutil.copy(SAMPLE / "rus_bedomningar.truth.json", folder / "rus_bedomningar.truth.json")
    return path


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    from helpers import runner

    base = tmp_path_factory.mktemp("hostile")
    _hostile_nyps(base / "nyps.csv")
    _hostile_corpus(base / "corpus")
    ratings = _hostile_ratings(base)
    messages: list[str] = []
    code = runner.run(overrides=[
        f"nyps_path={base / 'nyps.csv'}", f"corpus_manifest={base / 'corpus' / 'manifest.csv'}",
        f"ratings_path={ratings}", f"processed_dir={base / 'processed'}", f"output_dir={base / 'outputs'}"],
        say=messages.append)
    assert code == 0, "\n".join(messages)
    return base


def _texts(folder):
    """Every file as text: parquet and workbooks decoded, the PDF's text extracted."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix == ".png":
            continue
        if path.suffix == ".parquet":
            yield path, pd.read_parquet(path).astype(str).to_csv()
        elif path.suffix == ".xlsx":
            book = load_workbook(path, read_only=True)
            yield path, "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row)
        elif path.suffix == ".pdf":
            yield path, "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
        else:
            yield path, path.read_text(encoding="utf-8")


def test_no_planted_personal_data_reaches_outputs_or_processed_data(hostile_run):
    planted = [*PERSONNUMMER, *(p.replace("-", "") for p in PERSONNUMMER), *EMAILS, *NAMES]
    leaks = []
    for folder in (hostile_run / "outputs", hostile_run / "processed"):
        for path, text in _texts(folder):
            leaks.extend(f"{path.relative_to(hostile_run)}: {p}" for p in planted if p in text)
    assert not leaks, leaks[:10]
    # the passage itself got through, cleaned: the analysis still sees the text around it
    paragraphs = pd.read_parquet(hostile_run / "processed" / "paragraphs.parquet")
    mine = paragraphs[paragraphs["text"].str.contains("window.__pwned=1", regex=False)]
    assert len(mine) == 1 and "[e-post borttagen]" in mine.iloc[0]["text"]


def test_markup_from_inputs_is_shown_as_text_and_never_runs(hostile_run):
    if not browser_available():
        if os.environ.get("STUDY_REQUIRE_BROWSER") == "1":
            pytest.fail(f"STUDY_REQUIRE_BROWSER=1 but no headless browser: {unavailable_reason()}")
        pytest.skip(f"no headless browser: {unavailable_reason()}")
    out = hostile_run / "outputs"
    pages = [out / "index.html", out / "rapport.html", *sorted((out / "notebooks").glob("*.html"))]
    shown = []
    for page in pages:
        report = check_page(page, root=out)
        assert report.ok, (page.name, report.problems())
        assert last_page_eval("return typeof window.__pwned") == "undefined", page.name
        text = last_page_eval("return document.body.innerText")
        if "window.__pwned" in text:
            shown.append(page.relative_to(out).as_posix())
    # the quarantined amount is shown on stage 01's page, the passage on stage 03's and the
    # experts' comments on stage 04's, all as text
    for page in ("01_data_intake", "03_text_analysis", "04_rus_review"):
        assert f"notebooks/{page}.html" in shown, (page, shown)
