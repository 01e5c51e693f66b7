import os
import stat
import time

import pytest

from helpers import pdf
from helpers.pdf import PdfError, pdf_engine, print_pdf

A4_POINTS = (595.28, 841.89)  # 210 x 297 mm at 72 points per inch


def small_page(tmp_path):
    page = tmp_path / "sida.html"
    page.write_text(
        "<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>Prov</title>"
        "<style>@page { size: A4; margin: 15mm; } .ny { break-before: page; }</style></head>"
        "<body><h1>Rapport</h1><p>Första sidan: åäö &amp; &lt;tecken&gt;.</p>"
        "<p class='ny'>Andra sidan.</p></body></html>",
        encoding="utf-8",
    )
    return page


def fake_engine(tmp_path, body: str):
    """A stand-in for Chromium: a shell script, so failures can be planted."""
    script = tmp_path / "fake-chromium"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.skipif(pdf_engine() is None, reason="no headless Chromium installed (chromium, chromium-browser, google-chrome)")
def test_prints_an_a4_pdf_with_every_page(tmp_path):
    import pypdf

    out = tmp_path / "ut" / "rapport.pdf"
    assert print_pdf(small_page(tmp_path), out) == out
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 2  # the forced page break
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4_POINTS[0], abs=1.5)
    assert float(box.height) == pytest.approx(A4_POINTS[1], abs=1.5)
    assert "Första sidan" in reader.pages[0].extract_text()
    assert "Andra sidan" in reader.pages[1].extract_text()
    # written atomically: nothing but the PDF is left beside it
    assert sorted(p.name for p in out.parent.iterdir()) == ["rapport.pdf"]


def test_engine_lookup(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "ENGINE_PATHS", (str(tmp_path / "finns-inte"),))
    monkeypatch.setenv("PATH", str(tmp_path / "tom"))
    assert pdf_engine() is None
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "chromium-browser"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bindir))
    assert pdf_engine() == str(fake)


def test_no_engine_means_no_pdf_and_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "pdf_engine", lambda: None)
    out = tmp_path / "rapport.pdf"
    assert print_pdf(small_page(tmp_path), out) is None
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["sida.html"]


def test_engine_failure_names_exit_code_and_stderr(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "pdf_engine", lambda: fake_engine(tmp_path, "echo 'kraschade: ingen skärm' >&2\nexit 3"))
    out = tmp_path / "ut" / "rapport.pdf"
    with pytest.raises(PdfError) as err:
        print_pdf(small_page(tmp_path), out)
    assert "exit code 3" in str(err.value) and "kraschade: ingen skärm" in str(err.value)
    assert "sida.html" in str(err.value)
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_engine_that_writes_no_pdf_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "pdf_engine", lambda: fake_engine(tmp_path, "exit 0"))
    out = tmp_path / "rapport.pdf"
    with pytest.raises(PdfError, match="wrote no PDF"):
        print_pdf(small_page(tmp_path), out)
    assert not out.exists()


def test_engine_receives_the_flags_and_a_fresh_profile(tmp_path, monkeypatch):
    log = tmp_path / "argv.txt"
    # write a minimal PDF where --print-to-pdf= says, and record the arguments
    body = (f'for a in "$@"; do echo "$a" >> {log}; case "$a" in --print-to-pdf=*) '
            'printf "%%PDF-1.4\\n" > "${a#--print-to-pdf=}";; esac; done')
    monkeypatch.setattr(pdf, "pdf_engine", lambda: fake_engine(tmp_path, body))
    out = tmp_path / "rapport.pdf"
    page = small_page(tmp_path)
    assert print_pdf(page, out) == out and out.read_bytes() == b"%PDF-1.4\n"
    argv = log.read_text().splitlines()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-pdf-header-footer",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        assert flag in argv
    profile = next(a.split("=", 1)[1] for a in argv if a.startswith("--user-data-dir="))
    assert not os.path.exists(profile)  # removed after the run
    assert argv[-1] == page.resolve().as_uri()


def test_timeout_kills_the_engine(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "pdf_engine", lambda: fake_engine(tmp_path, "sleep 30"))
    start = time.monotonic()
    with pytest.raises(PdfError, match="more than 1 s"):
        print_pdf(small_page(tmp_path), tmp_path / "rapport.pdf", timeout=1)
    assert time.monotonic() - start < 10
    assert not (tmp_path / "rapport.pdf").exists()


def test_missing_html_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "pdf_engine", lambda: "/bin/false")
    with pytest.raises(PdfError, match=r"saknas\.html to PDF: the file does not exist"):
        print_pdf(tmp_path / "saknas.html", tmp_path / "r.pdf")
