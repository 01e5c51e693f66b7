"""The page checker itself, on small hand-made pages with planted problems."""
import base64
import http.server
import os
import threading

import pytest

from browser import browser_available, check_page, last_page_eval, unavailable_reason
from test_report import FRONT, png_bytes, stage_site

if not browser_available():
    if os.environ.get("STUDY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"STUDY_REQUIRE_BROWSER=1 but no headless browser: {unavailable_reason()}", pytrace=False)
    pytest.skip(f"no headless browser: {unavailable_reason()}", allow_module_level=True)

DATA_PNG = "data:image/png;base64," + base64.b64encode(png_bytes(2, 2)).decode()


def page(folder, name, body, head=""):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>{name}</title>{head}</head>"
        f"<body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def site(tmp_path):
    (tmp_path / "figur.png").write_bytes(png_bytes())
    page(tmp_path, "annan.html", "<h2 id='avsnitt'>Avsnitt</h2><a name='gammalt'></a>")
    return tmp_path


def assert_only(report, **expected):
    """Every list of the report empty except those named, which must be exactly as given."""
    for name in ("network_requests", "console_errors", "broken_images", "broken_links"):
        assert getattr(report, name) == expected.get(name, []), (name, report.problems())


@pytest.fixture
def server():
    """A web server on this machine, to prove that a blocked request never arrives."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


def test_good_page_has_no_problems(site, tmp_path):
    good = page(site, "bra.html", (
        "<h1 id='Hur-bra-%C3%A4r-kodningen?'>Hur bra är kodningen?</h1><p id='Förändring'>x</p>"
        f"<img src='figur.png' alt='a'><img src='{DATA_PNG}' alt='b'>"
        "<a href='annan.html#avsnitt'>1</a> <a href='annan.html#gammalt'>2</a> <a href='annan.html'>3</a>"
        "<a href='#Hur-bra-%C3%A4r-kodningen?'>4</a> <a href='#Förändring'>5</a> <a href='#'>6</a> <a href='#top'>7</a>"
        "<a href='https://www.regeringen.se/'>8</a> <a href='mailto:kontakt@example.se'>9</a>"
        "<script>document.getElementById('Förändring').textContent = 'skript körde';</script>"
    ), head="<style>body { font-family: sans-serif; } .x { background: url(figur.png); }</style>")
    shot = tmp_path / "bilder" / "bra.png"
    report = check_page(good, screenshot=shot)
    assert report.ok, report.problems()
    assert_only(report)
    assert report.external_links == ["https://www.regeringen.se/", "mailto:kontakt@example.se"]
    assert report.title == "bra.html"
    assert report.url == good.resolve().as_uri()
    assert report.screenshot == shot and shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert last_page_eval("return document.getElementById('Förändring').textContent") == "skript körde"


def test_broken_images(site):
    bad = page(site, "bilder.html", "<img src='saknas.png'><img src='data:image/png;base64,AAAA'>"
                                    "<img src='figur.png'>")
    report = check_page(bad)
    assert report.broken_images == ["saknas.png", "data:image/png;base64,AAAA"]
    assert report.network_requests == [] and report.broken_links == []
    # a missing file is also a failed load in the console
    assert report.console_errors and all("saknas.png" in m for m in report.console_errors), report.console_errors


def test_dangling_relative_link(site):
    bad = page(site, "lankar.html", "<a href='finns-inte.html'>x</a><a href='undermapp/'>y</a><a href='annan.html'>z</a>")
    report = check_page(bad)
    assert_only(report, broken_links=["finns-inte.html", "undermapp/"])
    assert "finns-inte.html" in report.link_reasons["finns-inte.html"]


def test_links_to_missing_anchors(site):
    bad = page(site, "ankare.html", (
        "<h2 id='Bel%C3%A4gg'>Belägg</h2><p id='Förändring'>x</p><p id='Hur?:x'>y</p>"
        "<a href='annan.html#saknas'>1</a><a href='#saknas-har'>2</a><a href='annan.html#avsnitt'>3</a>"
        "<a href='#Bel%C3%A4gg'>4</a><a href='#Belägg'>5</a><a href='#F%C3%B6r%C3%A4ndring'>6</a>"
        "<a href='#Förändring'>7</a><a href='#Hur?:x'>8</a><a href='#Bel%C3%A4gg-2'>9</a>"
    ))
    report = check_page(bad)
    assert_only(report, broken_links=["annan.html#saknas", "#saknas-har", "#Bel%C3%A4gg-2"])
    assert "'saknas'" in report.link_reasons["annan.html#saknas"]
    assert check_page(bad, follow_fragments=False).broken_links == []
    # the checker agrees with the browser's own fragment matching, encoded or not
    target = "location.hash = arguments[0]; const t = document.querySelector(':target'); return t ? t.id : null;"
    for fragment, found in [("Bel%C3%A4gg", "Bel%C3%A4gg"), ("Belägg", "Bel%C3%A4gg"),
                            ("F%C3%B6r%C3%A4ndring", "Förändring"), ("Förändring", "Förändring"),
                            ("Hur?:x", "Hur?:x"), ("saknas-har", None), ("Bel%C3%A4gg-2", None)]:
        assert last_page_eval(target, fragment) == found, fragment


def test_links_outside_the_root(site):
    inner = page(site / "notebooks", "sida.html", "<a href='../annan.html#avsnitt'>upp</a>")
    assert check_page(inner).ok
    report = check_page(inner, root=site / "notebooks")
    assert_only(report, broken_links=["../annan.html#avsnitt"])
    assert check_page(inner, root=site).ok


def test_network_requests_are_caught_and_blocked(site, server):
    base, hits = server
    bad = page(site, "natet.html",
               f"<img src='http://bilder.example.org/a.png'><img src='{base}/lokal.png'>"
               f"<script>fetch('{base}/hamta').catch(() => {{}});</script>",
               head="<script src='https://cdn.example.org/lib.js'></script>"
                    "<style>@import url(https://fonts.example.org/f.css);</style>")
    report = check_page(bad)
    assert sorted(report.network_requests) == sorted([
        "https://cdn.example.org/lib.js", "https://fonts.example.org/f.css",
        "http://bilder.example.org/a.png", f"{base}/lokal.png", f"{base}/hamta"])
    assert hits == []  # recorded, and refused before anything was sent
    assert report.broken_images == ["http://bilder.example.org/a.png", f"{base}/lokal.png"]
    assert report.broken_links == []
    planted = ("cdn.example.org", "fonts.example.org", "bilder.example.org", base)
    assert all(any(p in m for p in planted) for m in report.console_errors), report.console_errors


def test_script_error(site):
    bad = page(site, "skript.html", "<p>text</p><script>undefinedFunction()</script>")
    report = check_page(bad)
    assert len(report.console_errors) == 1 and "undefinedFunction" in report.console_errors[0]
    assert_only(report, console_errors=report.console_errors)


def test_escaped_script_text_does_not_run(site):
    shown = page(site, "visad.html", "<p>&lt;script&gt;window.__pwned=1&lt;/script&gt;</p>"
                                     "<script>window.__control = 1;</script>")
    report = check_page(shown)
    assert_only(report)
    assert last_page_eval("return typeof window.__control") == "number"  # scripts do run
    assert last_page_eval("return typeof window.__pwned") == "undefined"
    assert last_page_eval("return document.body.textContent").startswith("<script>window.__pwned=1</script>")


def test_state_does_not_leak_between_pages(site):
    check_page(page(site, "fel.html", "<img src='saknas.png'><script>undefinedFunction()</script>"))
    report = check_page(page(site, "ren.html", "<p>ren</p>"))
    assert_only(report)


def test_missing_page_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="saknas.html"):
        check_page(tmp_path / "saknas.html")


def test_built_report_passes_the_checker(tmp_path):
    from helpers.report import build_report

    out, listing = stage_site(tmp_path)
    path = build_report(out, listing, FRONT, synthetic=True)
    report = check_page(path, root=out)
    assert_only(report)
    assert report.external_links == ["https://www.regeringen.se/"]
    # and the same page e-mailed alone: nothing else in its folder
    alone = tmp_path / "epost" / "rapport.html"
    alone.parent.mkdir()
    alone.write_bytes(path.read_bytes())
    report = check_page(alone, root=alone.parent)
    assert_only(report)
    assert last_page_eval("return typeof window.__pwned") == "undefined"
