"""The report as PDF, printed by a headless Chromium from the local HTML file. Optional: when
no Chromium is installed the study simply has no PDF."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .files import write_atomic

ENGINE_PATHS = ("/usr/bin/chromium",)
ENGINE_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Nothing but the page: no first-run dialogs, no background updates or sync, no QUIC; a
# fresh profile per call so no state carries over between runs.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-extensions", "--disable-breakpad",
    "--no-pdf-header-footer",
)
STDERR_TAIL = 2000


class PdfError(ValueError):
    """The HTML could not be printed to PDF; the message says what failed."""


def pdf_engine() -> str | None:
    """Path of a headless-capable Chromium, or None when there is none."""
    for path in ENGINE_PATHS:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    for name in ENGINE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _tail(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").strip()
    return text[-STDERR_TAIL:] if text else "(no output)"


def _print(engine: str, html: Path, out: Path, timeout: int) -> None:
    with tempfile.TemporaryDirectory(prefix="pdf-profile-") as profile:
        cmd = [engine, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", html.as_uri()]
        # own session: on a timeout the whole browser (its renderer and helper processes)
        # is killed, not only the launcher
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, stderr = proc.communicate()
            raise PdfError(f"printing {html} to PDF with {engine} took more than {timeout} s; "
                           f"stderr: {_tail(stderr)}") from None
        if proc.returncode != 0:
            raise PdfError(f"printing {html} to PDF with {engine} failed with exit code {proc.returncode}; "
                           f"stderr: {_tail(stderr)}")
        head = out.read_bytes()[:5] if out.is_file() else b""
        if head != b"%PDF-":
            raise PdfError(f"printing {html} to PDF with {engine} wrote no PDF (file starts with {head!r}, "
                           f"expected b'%PDF-'); stderr: {_tail(stderr)}")


def print_pdf(html: Path, pdf: Path, timeout: int = 120) -> Path | None:
    """Print a local HTML file to PDF (A4 when the page's CSS says @page { size: A4 }).

    Returns the PDF's path, or None, writing nothing, when no Chromium is installed. The PDF
    is written beside its final place and moved there only when complete."""
    engine = pdf_engine()
    if engine is None:
        return None
    html = Path(html).resolve()
    if not html.is_file():
        raise PdfError(f"cannot print {html} to PDF: the file does not exist")
    return write_atomic(Path(pdf), lambda tmp: _print(engine, html, tmp, timeout))
