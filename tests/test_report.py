import base64
import re
import struct
import zlib

import pytest
from bs4 import BeautifulSoup

from helpers import report
from helpers.report import ReportError, build_report

THEME_CSS = "\n.jp-Cell { padding: 4px; }\nbody.jp-Notebook { margin: 0; }\n.icon { background: url(data:image/svg+xml;base64,PHN2Zy8+); }\n"
DATAFRAME_CSS = "\n    .dataframe tbody tr th { vertical-align: top; }\n    .dataframe thead th { text-align: right; }\n"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="#0072B2"/></svg>'
FRONT = (
    '<h2>Svaren i korthet</h2>'
    '<p>Fråga 2b: se <a href="notebooks/02_x.html#cell-id=abc">fyndet om 1:1-medlen</a>, '
    '<a href="tables/t.csv">tabellen</a> och <a href="index.html">startsidan</a>. Text &lt;i&gt;kursiv?&lt;/i&gt;</p>'
    '<p><a href="#egen">hopp</a> <span id="egen">mål</span></p><img alt="framsida" src="figures/y.svg"/>'
)


def png_bytes(width: int = 3, height: int = 2) -> bytes:
    """A valid RGB PNG written by hand: signature, IHDR, one IDAT, IEND."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes([200, 30, 40] * width) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def nb_page(title: str, slug: str, cells: str, extra_css: str = "") -> str:
    """A reader page shaped like the study's nbconvert output."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"/>
<title>{title}</title>
<style type="text/css">{THEME_CSS}</style>
<style type="text/css">{extra_css}</style>
</head>
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<main><div class="studie-banner" role="note">
<p><strong>{title}</strong> – Läsversion: koden är dold. <a href="{slug}.kod.html">Granskningsversion med kod</a>.
<a href="../index.html">Till studiens startsida</a>.</p>
</div>
{cells}
</main>
</body>
</html>
"""


def md_cell(cell_id: str, html: str) -> str:
    return (f'<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell" id="cell-id={cell_id}">'
            f'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">{html}</div></div>\n')


def heading(level: int, text: str, anchor: str) -> str:
    return f'<h{level} id="{anchor}">{text}<a class="anchor-link" href="#{anchor}">¶</a></h{level}>'


def stage_site(tmp_path):
    """An output folder with three reader pages, a figure (PNG and SVG) and a table."""
    out = tmp_path / "outputs"
    (out / "notebooks").mkdir(parents=True)
    (out / "figures").mkdir()
    (out / "tables").mkdir()
    (out / "figures" / "x.png").write_bytes(png_bytes())
    (out / "figures" / "y.svg").write_text(SVG, encoding="utf-8")
    (out / "tables" / "t.csv").write_text("lan_kod;varde\n01;1\n", encoding="utf-8")
    data_png = "data:image/png;base64," + base64.b64encode(png_bytes(1, 1)).decode()
    pages = {
        "01_a": nb_page("01 Inläsning", "01_a", "".join([
            md_cell("c00", heading(1, "01 Inläsning", "01-Inl%C3%A4sning")
                    + '<p>Se <a href="02_x.html#cell-id=abc">fördelningen i steg 02</a> och '
                      '<a href="02_x.html#Var-%C3%A4ndrades-f%C3%B6rdelningen-mest?">förändringen</a>.</p>'),
            md_cell("c01", heading(2, "Underlaget", "Underlaget")
                    + '<p>&lt;b&gt;inte fet&lt;/b&gt; och &lt;script&gt;window.__pwned=1&lt;/script&gt; &amp; mer</p>'
                    + '<p><a href="../tables/t.csv">tabellen</a>, <a href="#Underlaget">samma avsnitt</a>, '
                      '<a href="https://www.regeringen.se/">regeringen.se</a>.</p>'),
            '<div class="jp-Cell jp-CodeCell" id="cell-id=c02"><div class="jp-OutputArea-output">'
            f'<img alt="inbäddad" src="{data_png}"/></div></div>\n',
        ])),
        "02_x": nb_page("02 Analys", "02_x", "".join([
            md_cell("intro", heading(1, "02 Analys", "02-Analys")),
            '<div class="jp-Cell jp-CodeCell" id="cell-id=abc"><div class="jp-OutputArea-output">'
            '<img alt="figur" src="../figures/x.png"/><img alt="vektor" src="../figures/y.svg"/></div></div>\n',
            md_cell("c02", heading(2, "Var ändrades fördelningen mest?", "Var-%C3%A4ndrades-f%C3%B6rdelningen-mest?")
                    + '<p><a href="#cell-id=abc">figuren ovan</a>, <a href="03_c.html">steg 03</a>.</p>'),
            '<div class="jp-Cell jp-CodeCell" id="cell-id=tab"><div class="jp-OutputArea-output">'
            f'<div><style scoped="">{DATAFRAME_CSS}</style><table class="dataframe" id="T_abc"><tr><td>1</td></tr></table></div>'
            '</div></div>\n',
            md_cell("c03", heading(2, "Belägg", "Bel%C3%A4gg")),
            md_cell("c04", heading(2, "Belägg", "Bel%C3%A4gg")),
            '<svg height="10" viewBox="0 0 10 10" width="10"><defs><clipPath id="p1"><rect height="5" width="5"/></clipPath></defs>'
            '<path clip-path="url(#p1)" d="M0 0L10 10" id="m1"/><use xlink:href="#m1"/></svg>\n',
        ]), extra_css="#T_abc td { color: #B00020; }"),
        "03_c": nb_page("03 Text", "03_c", "".join([
            md_cell("intro", heading(1, "03 Text", "03-Text") + '<p><a href="02_x.html">steg 02</a></p>'),
            md_cell("c01", heading(2, "Belägg", "Bel%C3%A4gg")),
            '<div class="jp-Cell jp-CodeCell" id="cell-id=tab"><div class="jp-OutputArea-output">'
            f'<div><style scoped="">{DATAFRAME_CSS}</style><table class="dataframe"><tr><td>2</td></tr></table></div>'
            '</div></div>\n',
            '<svg height="10" width="10"><defs><clipPath id="p1"><rect height="2" width="2"/></clipPath></defs>'
            '<path clip-path="url(#p1)" d="M0 0L5 5"/></svg>\n',
        ])),
    }
    for slug, text in pages.items():
        (out / "notebooks" / f"{slug}.html").write_text(text, encoding="utf-8")
    listing = [("01", "Inläsning", out / "notebooks" / "01_a.html"),
               ("02", "Analys", out / "notebooks" / "02_x.html"),
               ("03", "Text", out / "notebooks" / "03_c.html")]
    return out, listing


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def site(tmp_path):
    return stage_site(tmp_path)


@pytest.fixture
def built(site):
    out, listing = site
    path = build_report(out, listing, FRONT, synthetic=True)
    text = path.read_text(encoding="utf-8")
    return path, text, BeautifulSoup(text, "lxml")


def test_writes_one_file_into_the_output_folder(site):
    out, listing = site
    before = files_under(out)
    path = build_report(out, listing, FRONT, synthetic=True)
    assert path == out / "rapport.html"
    assert files_under(out) == sorted(before + ["rapport.html"])


def test_no_reference_to_anything_outside_the_page(built):
    _, text, soup = built
    assert not soup.find_all("link")
    assert not soup.find_all("script", src=True)
    for tag in soup.find_all(True):
        for attr in ("src", "data", "poster", "background", "srcset"):
            if tag.get(attr) is not None:
                assert tag[attr].startswith("data:"), (tag.name, attr, tag[attr][:80])
    css = "\n".join(s.get_text() for s in soup.find_all("style"))
    css += "\n".join(t["style"] for t in soup.find_all(style=True))
    assert "@import" not in css
    for ref in re.findall(r"url\(\s*['\"]?([^'\")]*)", css + " ".join(str(t.attrs) for t in soup.find_all(True))):
        assert ref.startswith(("data:", "#")), ref
    # the only http(s) left is the one outgoing link a reader may click
    assert re.findall(r"https?://[^\s\"'<>]+", text.replace("http://www.w3.org/2000/svg", "")) == ["https://www.regeringen.se/"]
    assert soup.find("a", href="https://www.regeringen.se/").get_text() == "regeringen.se"


def test_images_are_inlined_byte_for_byte(built, site):
    out, _ = site
    _, _, soup = built
    png = soup.find("img", alt="figur")["src"]
    assert png == "data:image/png;base64," + base64.b64encode((out / "figures" / "x.png").read_bytes()).decode()
    svg = soup.find("img", alt="vektor")["src"]
    assert svg.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(svg.split(",", 1)[1]).decode() == SVG
    assert soup.find("img", alt="inbäddad")["src"] == "data:image/png;base64," + base64.b64encode(png_bytes(1, 1)).decode()
    # the front matter's paths are relative to the output folder
    assert soup.find("img", alt="framsida")["src"] == svg


def test_linked_stylesheet_is_inlined_with_its_urls(site):
    out, listing = site
    (out / "figures" / "stil.css").write_text(".bakgrund { background: url('x.png') no-repeat; }", encoding="utf-8")
    page = listing[2][2]
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</head>", '<link href="../figures/stil.css" rel="stylesheet"/><link href="x.ico" rel="icon"/></head>'), encoding="utf-8")
    soup = BeautifulSoup(build_report(out, listing, FRONT, synthetic=False).read_text(encoding="utf-8"), "lxml")
    png = base64.b64encode((out / "figures" / "x.png").read_bytes()).decode()
    css = [s.get_text() for s in soup.find_all("style") if "bakgrund" in s.get_text()]
    assert css == [f'.bakgrund {{ background: url("data:image/png;base64,{png}") no-repeat; }}']
    assert not soup.find_all("link")


def test_ids_are_unique_and_prefixed_with_the_stage(built):
    _, _, soup = built
    ids = [t["id"] for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    for number in ("01", "02", "03"):
        section = soup.find("section", id=f"s{number}")
        inner = [t["id"] for t in section.find_all(id=True)]
        assert inner and all(i.startswith(f"s{number}-") for i in inner), inner
    # the same cell id and the same SVG clip id in two stages no longer clash
    assert soup.find(id="s02-cell-id=tab") and soup.find(id="s03-cell-id=tab")
    # a heading repeated within one page keeps its first id; the second gets a suffix
    assert soup.find(id="s02-Bel%C3%A4gg") and soup.find(id="s02-Bel%C3%A4gg-2")


def test_every_in_page_link_lands_on_an_element(built):
    _, _, soup = built
    ids = {t["id"] for t in soup.find_all(id=True)}
    links = [a["href"] for a in soup.find_all("a", href=True)]
    assert links
    for href in links:
        assert href.startswith("#") or href.startswith(("https://", "http://", "mailto:")), href
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_cross_stage_links_point_to_the_matching_anchor(built):
    _, _, soup = built
    s01, s02, s03 = (soup.find("section", id=f"s{n}") for n in ("01", "02", "03"))
    to_cell = s01.find("a", string="fördelningen i steg 02")
    assert to_cell["href"] == "#s02-cell-id=abc"
    assert s02.find(id="s02-cell-id=abc").find("img", alt="figur")
    # nbconvert's percent-encoded heading id with ':' and '?' characters
    assert s01.find("a", string="förändringen")["href"] == "#s02-Var-%C3%A4ndrades-f%C3%B6rdelningen-mest?"
    assert s02.find("a", string="figuren ovan")["href"] == "#s02-cell-id=abc"
    # a link to a whole page goes to that stage's section
    assert s02.find("a", string="steg 03")["href"] == "#s03"
    assert s03.find("a", string="steg 02")["href"] == "#s02"
    # the front matter's findings link, written relative to the output folder
    front = soup.find("section", id="inledning")
    assert front.find("a", string="fyndet om 1:1-medlen")["href"] == "#s02-cell-id=abc"
    assert front.find("a", string="hopp")["href"] == "#f-egen" and front.find(id="f-egen")
    # pilcrow anchors follow their headings
    heading = s02.find(id="s02-Var-%C3%A4ndrades-f%C3%B6rdelningen-mest?")
    assert heading.find("a", class_="anchor-link")["href"] == "#" + heading["id"]


def test_svg_and_css_references_follow_renamed_ids(built):
    _, text, soup = built
    s02, s03 = soup.find("section", id="s02"), soup.find("section", id="s03")
    assert s02.find("path")["clip-path"] == "url(#s02-p1)"
    assert s03.find("path")["clip-path"] == "url(#s03-p1)"
    assert s02.find("use")["xlink:href"] == "#s02-m1"
    assert "#s02-T_abc td { color: #B00020; }" in text
    assert "#T_abc" not in text


def test_links_to_files_outside_the_report_become_text(built):
    _, text, soup = built
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert not [h for h in hrefs if "tables/" in h or ".kod.html" in h or "index.html" in h], hrefs
    kept = soup.find("section", id="s01").find("span", string="tabellen")
    assert "tables/t.csv" in kept["title"]
    front = soup.find("section", id="inledning")
    assert front.find("span", string="tabellen") and front.find("span", string="startsidan")
    # the stage pages' own navigation (other version, index) is gone
    assert "Granskningsversion med kod" not in text and "Till studiens startsida" not in text


def test_css_collected_once(built):
    _, text, soup = built
    styles = [s.get_text() for s in soup.find_all("style")]
    assert all(s.parent.name == "head" for s in soup.find_all("style"))
    assert styles.count(THEME_CSS) == 1
    assert styles.count(DATAFRAME_CSS) == 1
    assert text.count(".jp-Cell { padding: 4px; }") == 1
    assert "size: A4" in text


def test_text_stays_escaped(built):
    _, text, soup = built
    assert "&lt;b&gt;inte fet&lt;/b&gt;" in text and "<b>inte fet</b>" not in text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text
    assert "<script>window.__pwned" not in text and not soup.find_all("script")
    paragraph = soup.find("p", string=re.compile("inte fet"))
    assert paragraph.get_text() == "<b>inte fet</b> och <script>window.__pwned=1</script> & mer"
    assert not paragraph.find("b")
    assert "&lt;i&gt;kursiv?&lt;/i&gt;" in text


def test_synthetic_banner_iff_synthetic(site, tmp_path):
    out, listing = site
    yes = build_report(out, listing, FRONT, synthetic=True, dest=tmp_path / "ja.html").read_text(encoding="utf-8")
    no = build_report(out, listing, FRONT, synthetic=False, dest=tmp_path / "nej.html").read_text(encoding="utf-8")
    banner = BeautifulSoup(yes, "lxml").select("div.rapport-banner.syntetisk")
    assert len(banner) == 1 and banner[0].get_text().startswith("SYNTETISKA EXEMPELDATA – ")
    # it comes before the front matter and the stages
    assert yes.index("SYNTETISKA EXEMPELDATA") < yes.index('id="inledning"') < yes.index('id="s01"')
    assert "SYNTETISKA" not in no and not BeautifulSoup(no, "lxml").select("div.rapport-banner")


def test_table_of_contents_lists_front_stages_and_sections(built):
    _, _, soup = built
    toc = soup.find("nav", id="innehall")
    top = [li.find("a") for li in toc.find("ol").find_all("li", recursive=False)]
    assert [(a["href"], a.get_text()) for a in top] == [
        ("#inledning", "Svaren i korthet"), ("#s01", "01 Inläsning"), ("#s02", "02 Analys"), ("#s03", "03 Text")]
    sub02 = [a.get_text() for a in top[2].find_parent("li").find("ol").find_all("a")]
    assert sub02 == ["Var ändrades fördelningen mest?", "Belägg", "Belägg"]
    # order on the page: title, front matter, contents, stages
    text = str(soup)
    assert text.index("<h1>") < text.index('id="inledning"') < text.index('id="innehall"') < text.index('id="s01"')


def test_same_inputs_same_bytes(site, tmp_path):
    out, listing = site
    first = build_report(out, listing, FRONT, synthetic=True).read_bytes()
    second = build_report(out, listing, FRONT, synthetic=True).read_bytes()
    elsewhere = build_report(out, listing, FRONT, synthetic=True, dest=tmp_path / "kopia" / "r.html").read_bytes()
    assert first == second == elsewhere


def test_stage_without_heading_gets_its_title(tmp_path):
    out = tmp_path / "o"
    (out / "notebooks").mkdir(parents=True)
    page = out / "notebooks" / "01_a.html"
    page.write_text(nb_page("x", "01_a", md_cell("c0", "<p>Bara text &amp; &lt;tecken&gt;</p>")), encoding="utf-8")
    soup = BeautifulSoup(build_report(out, [("01", "Titel & <mer>", page)], "", synthetic=False).read_text(), "lxml")
    assert soup.find("section", id="s01").find("h1").get_text() == "01 Titel & <mer>"
    assert not soup.find(id="inledning")


@pytest.mark.parametrize("replace, expected", [
    ('src="../figures/x.png"', ["02_x.html", "../figures/saknas.png", "does not exist"]),
    ('src="../figures/x.png"', ["02_x.html", "https://cdn.example.org/x.png", "outside the page"]),
    ('href="#cell-id=abc"', ["02_x.html", "cell-id=saknas", "no element"]),
    ('<img alt="figur"', ["02_x.html", "<script src=", "https://cdn.example.org/lib.js"]),
    ('<img alt="figur"', ["02_x.html", "@import"]),
    ('src="../figures/x.png"', ["02_x.html", "t.csv", ".csv"]),
])
def test_bad_pages_raise_a_clear_error(site, replace, expected):
    out, listing = site
    page = out / "notebooks" / "02_x.html"
    new = {
        "does not exist": 'src="../figures/saknas.png"',
        "outside the page": 'src="https://cdn.example.org/x.png"',
        "no element": 'href="#cell-id=saknas"',
        "https://cdn.example.org/lib.js": '<script src="https://cdn.example.org/lib.js"></script><img alt="figur"',
        "@import": '<style>@import url("t.css");</style><img alt="figur"',
        ".csv": 'src="../tables/t.csv"',
    }[expected[-1]]
    page.write_text(page.read_text(encoding="utf-8").replace(replace, new, 1), encoding="utf-8")
    with pytest.raises(ReportError) as err:
        build_report(out, listing, FRONT, synthetic=True)
    for part in expected:
        assert part in str(err.value), str(err.value)
    assert not (out / "rapport.html").exists()


def test_bad_arguments_raise(site):
    out, listing = site
    with pytest.raises(ReportError, match="no stage pages"):
        build_report(out, [], FRONT, synthetic=True)
    with pytest.raises(ReportError, match="'02' occurs twice"):
        build_report(out, [listing[0], ("02", "a", listing[1][2]), ("02", "b", listing[2][2])], FRONT, synthetic=True)
    with pytest.raises(ReportError, match="stage number '0 2'"):
        build_report(out, [("0 2", "a", listing[1][2])], FRONT, synthetic=True)
    with pytest.raises(ReportError, match="saknas.html does not exist"):
        build_report(out, [("01", "a", out / "notebooks" / "saknas.html")], FRONT, synthetic=True)


def test_fragment_candidates_follow_browser_rules():
    assert report._fragment_candidates("Bel%C3%A4gg") == ["Bel%C3%A4gg", "Belägg"]
    assert report._fragment_candidates("Belägg") == ["Bel%C3%A4gg", "Belägg"]
    assert report._fragment_candidates("a b") == ["a%20b", "a b"]
    assert report._fragment_candidates("Hur-bra?:x") == ["Hur-bra?:x"]
