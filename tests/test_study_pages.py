"""The rendered study as a reader opens it: the front page, the report and every stage's pages
in headless Chromium, offline. Screenshots are kept in test-artifacts/ for the CI log."""
from __future__ import annotations

import os

import pytest

from browser import browser_available, check_page, unavailable_reason
from conftest import ROOT

pytestmark = pytest.mark.study
ARTIFACTS = ROOT / "test-artifacts"

if not browser_available():
    if os.environ.get("STUDY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"STUDY_REQUIRE_BROWSER=1 but no headless browser: {unavailable_reason()}", pytrace=False)
    pytest.skip(f"no headless browser: {unavailable_reason()}", allow_module_level=True)


def test_every_rendered_page_loads_offline_without_errors(study_run):
    out = study_run["outputs"]
    pages = [out / "index.html", out / "rapport.html", *sorted((out / "notebooks").glob("*.html")),
             *sorted((out / "kvalitet").glob("*.html"))]
    assert len(pages) >= 2 + 10 + 5
    ARTIFACTS.mkdir(exist_ok=True)
    problems = {}
    for page in pages:
        shot = ARTIFACTS / f"{page.relative_to(out).as_posix().replace('/', '_')}.png" \
            if page.name in ("index.html", "rapport.html") else None
        report = check_page(page, screenshot=shot, root=out)
        if not report.ok:
            problems[page.relative_to(out).as_posix()] = report.problems()
        if shot is not None:
            assert shot.is_file() and shot.stat().st_size > 10_000
    assert not problems, problems


def test_the_report_stands_alone(study_run, tmp_path):
    """Sent by e-mail, the report is one file: copied alone it still shows every image and
    every link still resolves inside it."""
    alone = tmp_path / "rapport.html"
    alone.write_bytes((study_run["outputs"] / "rapport.html").read_bytes())
    report = check_page(alone, root=tmp_path)
    assert report.ok, report.problems()
    text = alone.read_text(encoding="utf-8")
    assert "SYNTETISKA EXEMPELDATA" in text and "Svaren i korthet" in text
    for number in ("01", "02", "03", "04", "05"):
        assert f'id="s{number}"' in text
