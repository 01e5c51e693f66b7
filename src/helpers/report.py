"""The whole study as one self-contained page a reader can e-mail: a title, the synthetic-data
banner, the front matter, a table of contents and every stage's reader page, with images and
CSS inlined and every link either pointing inside the page or to the outside world (http,
https, mailto).

The stage pages are parsed with BeautifulSoup and re-serialised, never pasted in as text, so
what was escaped text in a page stays escaped text in the report."""
from __future__ import annotations

import base64
import copy
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from .files import write_text_atomic

REPORT_FILE = "rapport.html"
TITLE = "Uppföljning av den nationella strategin för hållbar regional utveckling i hela landet 2021–2030"
SYNTHETIC_MARK = "SYNTETISKA EXEMPELDATA"
SYNTHETIC_TEXT = (
    "hela rapporten bygger på påhittade exempeldata med samma form som de verkliga NYPS-exporterna "
    "och rapporterna. Inga siffror, tabeller eller figurer här beskriver verkliga förhållanden."
)
FRONT_ANCHOR = "inledning"
TOC_ANCHOR = "innehall"

# Links the reader may follow out of the report; every other link must land inside it.
EXTERNAL_SCHEMES = ("http", "https", "mailto")
# Files a page may reference that can be inlined as data: URIs.
MIME_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".svg": "image/svg+xml", ".webp": "image/webp", ".css": "text/css",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
}
# Attributes that load a resource, per element; SVG <image> may use href or xlink:href.
RESOURCE_ATTRS = {
    "img": ("src",), "source": ("src",), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "embed": ("src",), "iframe": ("src",), "object": ("data",),
    "input": ("src",), "image": ("href", "xlink:href"), "feimage": ("href", "xlink:href"),
}
# Attributes whose value names other elements by id (space separated where several).
# Attributes that may hold CSS url(): the style attribute and SVG presentation attributes.
URL_ATTRS = ("style", "fill", "stroke", "clip-path", "mask", "filter", "marker-start", "marker-mid",
             "marker-end", "cursor")
ID_REF_ATTRS = ("for", "headers", "aria-labelledby", "aria-describedby", "aria-controls",
                "aria-owns", "aria-activedescendant", "aria-details", "aria-errormessage", "list", "form")

STAGE_NUMBER = re.compile(r"[0-9A-Za-z_]+")
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
CSS_IMPORT = re.compile(r"@import\b", re.I)
# CSS cut at every brace: the text before a '{' is a selector or an at-rule prelude, the text
# before a '}' declarations. One pass, linear in the length of the CSS.
CSS_CHUNK = re.compile(r"([^{}]*)([{}])")
CSS_ID = re.compile(r"#(-?[_A-Za-z\u00a0-\uffff][_A-Za-z0-9\u00a0-\uffff-]*)")
# The characters a browser percent-encodes in a URL fragment (besides non-ASCII).
FRAGMENT_SAFE = "!#$%&'()*+,-./:;=?@[\\]^_{|}~"

REPORT_CSS = """
@page { size: A4; margin: 16mm 14mm; }
main.rapport { max-width: 70em; margin: 0 auto; padding: 1em; }
.rapport-huvud, .rapport-banner, .rapport-inledning, nav.rapport-innehall, .rapport-steg-nav {
  font-family: var(--jp-content-font-family, system-ui, -apple-system, "Segoe UI", sans-serif); }
.rapport-huvud h1 { font-size: 1.9em; margin: 0.2em 0 0.3em 0; }
.rapport-huvud p { color: #444; margin: 0 0 1em 0; }
.rapport-banner { font-size: 1.15em; padding: 0.9em 1.2em; margin: 0 0 1.5em 0; border: 3px solid #B00020; border-left-width: 12px; background: #fdecee; }
.rapport-banner strong { color: #B00020; }
.rapport-inledning { margin: 0 0 1.5em 0; }
nav.rapport-innehall { border: 1px solid #ddd; background: #fafafa; padding: 0.6em 1.2em; margin: 0 0 2em 0; }
nav.rapport-innehall ol { margin: 0.2em 0; }
nav.rapport-innehall ol ol { font-size: 0.92em; }
.rapport-steg { border-top: 3px solid #0072B2; margin-top: 2.5em; padding-top: 0.5em; }
.rapport-steg-nav { font-size: 0.9em; color: #555; margin: 0 0 0.5em 0; }
.rapport-steg-nav .varning { color: #B00020; }
.rapport-ej-lank { border-bottom: 1px dotted #888; }
img { max-width: 100%; }
@media print {
  main.rapport { max-width: none; padding: 0; }
  .rapport-steg { break-before: page; border-top: none; margin-top: 0; }
  img, figure { break-inside: avoid; }
  a { color: inherit; }
}
"""

SKELETON = f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8"/>
<meta content="width=device-width, initial-scale=1.0" name="viewport"/>
<title></title>
</head>
<body>
<main class="rapport">
<header class="rapport-huvud" id="rapport"><h1></h1>
<p>Hela studien på en sida: sammanfattningen och varje stegs läsversion, med figurerna inbäddade.</p>
</header>
<nav aria-label="Innehåll" class="rapport-innehall" id="{TOC_ANCHOR}"><h2>Innehåll</h2><ol></ol></nav>
</main>
</body>
</html>
"""


class ReportError(ValueError):
    """A stage page or the front matter cannot be turned into a self-contained report."""


@dataclass
class _Source:
    """One part of the report: the front matter or a stage's reader page."""

    where: str  # how error messages name it
    base: Path  # folder its relative references resolve against
    prefix: str  # prepended to every id it carries
    anchor: str  # id of its section in the report
    nodes: list = field(default_factory=list)  # its content, moved into the report
    ids: dict[str, str] = field(default_factory=dict)  # id or anchor name -> id in the report
    styles: list[tuple[str, str]] = field(default_factory=list)  # (media, css)
    scripts: list[str] = field(default_factory=list)  # inline scripts from <head>


# ---------------------------------------------------------------- reading the parts

def _parse(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def _read_page(path: Path) -> BeautifulSoup:
    try:
        return _parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"stage page {path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise ReportError(f"stage page {path} is not UTF-8 text: {exc}") from None


def _take_styles(soup: BeautifulSoup, src: _Source) -> None:
    """Move every <style> (and inline a local <link rel=stylesheet>) out of the page, to be
    written once in the report's head."""
    for tag in soup.find_all(["style", "link"]):
        if tag.name == "style":
            src.styles.append((tag.get("media", ""), tag.get_text()))
        elif "stylesheet" in [r.lower() for r in tag.get("rel", [])]:
            href = tag.get("href", "")
            path = _local_file(href, src.base, src, "<link rel=stylesheet href>")
            if path.suffix.lower() != ".css":
                raise ReportError(f"{src.where}: <link rel=stylesheet href={href!r}>: expected a .css file")
            # url() inside a stylesheet is relative to the stylesheet's own folder
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise ReportError(f"{src.where}: stylesheet {path} is not UTF-8 text: {exc}") from None
            css = _css_urls(text, path.parent, src, f"stylesheet {path}")
            src.styles.append((tag.get("media", ""), css))
        tag.decompose()


def _take_head_scripts(soup: BeautifulSoup, src: _Source) -> None:
    for tag in soup.find_all("script"):
        if tag.get("src") is not None:
            raise ReportError(
                f"{src.where}: <script src={tag['src']!r}>: a self-contained report cannot load scripts; "
                "expected inline scripts only"
            )
    if soup.head:
        for tag in soup.head.find_all("script"):
            src.scripts.append(tag.get_text())
            tag.decompose()


def _content_nodes(soup: BeautifulSoup) -> list:
    """The reader content of a page: the children of <main> (or of <body>), without the page's
    own banner, whose links go to the other version of the page and the index."""
    body = soup.body or soup
    for banner in body.select("div.studie-banner"):
        banner.decompose()
    nodes = []
    for child in list(body.children):
        if isinstance(child, Tag) and child.name == "main":
            nodes.extend(list(child.children))
        else:
            nodes.append(child)
    return [n.extract() for n in nodes]


def _tags(nodes: list):
    for node in nodes:
        if isinstance(node, Tag):
            yield node
            yield from node.find_all(True)


def _assign_ids(src: _Source, taken: set[str]) -> None:
    """Prefix every id (and <a name>) with the part's prefix; a repeated id gets -2, -3...
    while links keep going to its first occurrence, as a browser's would."""

    def renamed(old: str) -> str:
        new, n = src.prefix + old, 2
        while new in taken:
            new, n = f"{src.prefix}{old}-{n}", n + 1
        taken.add(new)
        src.ids.setdefault(old, new)
        return new

    for tag in _tags(src.nodes):
        old_id = tag.get("id")
        if old_id is not None:
            tag["id"] = renamed(old_id)
        if tag.name == "a" and tag.get("name") is not None:
            tag["name"] = tag["id"] if tag["name"] == old_id else renamed(tag["name"])


# ---------------------------------------------------------------- references

def _fragment_candidates(fragment: str) -> list[str]:
    """The ids a browser tries for a link's fragment: the fragment as the URL carries it
    (non-ASCII percent-encoded, '%' left alone), then that percent-decoded. nbconvert's
    heading ids are themselves percent-encoded, so both forms occur."""
    encoded = quote(fragment, safe=FRAGMENT_SAFE)
    return list(dict.fromkeys([encoded, unquote(encoded)]))


def _lookup(target: _Source, fragment: str) -> str | None:
    if fragment == "":
        return target.anchor
    for candidate in _fragment_candidates(fragment):
        if candidate in target.ids:
            return target.ids[candidate]
    return None


def _local_file(ref: str, base: Path, src: _Source, what: str) -> Path:
    parts = urlsplit(ref.strip())
    if parts.scheme or parts.netloc:
        raise ReportError(
            f"{src.where}: {what} {ref!r} is fetched from outside the page; "
            "expected a data: URI or a relative path to a local file"
        )
    if not parts.path:
        raise ReportError(f"{src.where}: {what} is empty; expected a data: URI or a relative file path")
    path = (base / unquote(parts.path)).resolve()
    if not path.is_file():
        raise ReportError(f"{src.where}: {what} {ref!r}: file {path} does not exist")
    return path


def _data_uri(ref: str, base: Path, src: _Source, what: str) -> str:
    """A reference to a local file as a data: URI (a data: URI is kept as it is)."""
    if ref.strip().lower().startswith("data:"):
        return ref
    path = _local_file(ref, base, src, what)
    mime = MIME_TYPES.get(path.suffix.lower())
    if mime is None:
        raise ReportError(
            f"{src.where}: {what} {ref!r}: cannot embed a {path.suffix or 'suffix-less'} file; "
            f"expected one of {', '.join(sorted(MIME_TYPES))}"
        )
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _css_urls(text: str, base: Path, src: _Source, what: str) -> str:
    """CSS with every url() to a local file inlined and url(#id) pointed at the renamed id."""
    if CSS_IMPORT.search(text):
        raise ReportError(f"{src.where}: {what} uses @import; expected all CSS inline in <style> blocks")

    def url(m: re.Match) -> str:
        ref = next(g for g in m.groups() if g is not None)
        if ref.startswith("#"):
            new = src.ids.get(ref[1:])
            return f"url(#{new})" if new else m.group(0)
        if ref.lower().startswith("data:"):
            return m.group(0)
        return f'url("{_data_uri(ref, base, src, f"{what}: url()")}")'

    return CSS_URL.sub(url, text)


def _css(text: str, base: Path, src: _Source, what: str) -> str:
    """_css_urls, and id selectors renamed with the part's ids."""
    text = _css_urls(text, base, src, what)

    def selector(m: re.Match) -> str:
        if m.group(2) == "}":
            return m.group(0)
        return CSS_ID.sub(lambda i: "#" + src.ids.get(i.group(1), i.group(1)), m.group(1)) + "{"

    text = CSS_CHUNK.sub(selector, text)
    if "</style" in text.lower():
        raise ReportError(f"{src.where}: {what} contains '</style'; expected CSS only")
    return text


class _Links:
    """Where a link from one part of the report lands."""

    def __init__(self, stages: dict[Path, _Source], output_dir: Path):
        self.stages = stages
        self.output_dir = output_dir.resolve()
        # fallback for links written relative to the wrong folder: by path from the output
        # folder (notebooks/02_x.html) or by file name (02_x.html)
        self.by_name: dict[str, _Source] = {}
        for path, src in stages.items():
            self.by_name.setdefault(path.name, src)
            if path.is_relative_to(self.output_dir):
                self.by_name[path.relative_to(self.output_dir).as_posix()] = src

    def target(self, path: str, src: _Source) -> _Source | None:
        if path == "":
            return src
        resolved = (src.base / path).resolve()
        if resolved in self.stages:
            return self.stages[resolved]
        parts = [p for p in PurePosixPath(path).parts if p not in (".", "..")]
        return self.by_name.get("/".join(parts))

    def shown(self, path: str, src: _Source) -> str:
        resolved = (src.base / path).resolve()
        return resolved.relative_to(self.output_dir).as_posix() if resolved.is_relative_to(self.output_dir) else path


def _unlink(tag: Tag, note: str) -> None:
    """A link to something outside the report becomes its text, with a note on hover."""
    for attr in ("href", "target", "rel", "download", "hreflang", "ping", "referrerpolicy", "type"):
        tag.attrs.pop(attr, None)
    tag.name = "span"
    tag["class"] = [*tag.get("class", []), "rapport-ej-lank"]
    tag["title"] = note


def _rewrite_link(tag: Tag, src: _Source, links: _Links) -> None:
    href = tag["href"].strip()
    parts = urlsplit(href)
    if parts.scheme.lower() in EXTERNAL_SCHEMES and (parts.netloc or parts.scheme.lower() == "mailto"):
        return
    if parts.scheme or parts.netloc:
        _unlink(tag, f"Länken ({href}) pekar inte på en fil eller webbsida som kan öppnas från rapporten.")
        return
    path = unquote(parts.path)
    target = links.target(path, src)
    if target is None:
        shown = links.shown(path, src)
        _unlink(tag, f"Finns i studiens utdatamapp ({shown}), inte i den här rapporten.")
        return
    new = _lookup(target, parts.fragment)
    if new is None:
        raise ReportError(
            f"{src.where}: link <a href={href!r}> points to {target.where}, which has no element with "
            f"id or name {parts.fragment!r}; expected a fragment naming an element of that page"
        )
    tag["href"] = "#" + new


def _rewrite(src: _Source, links: _Links) -> None:
    """Every reference in a part made to work inside the single page."""
    for tag in _tags(src.nodes):
        if tag.name == "script" and tag.get("src") is not None:
            raise ReportError(
                f"{src.where}: <script src={tag['src']!r}>: a self-contained report cannot load scripts; "
                "expected inline scripts only"
            )
        if tag.name in ("a", "area") and tag.get("href") is not None:
            if tag.name == "area":
                raise ReportError(f"{src.where}: <area href={tag['href']!r}>: image maps are not supported in the report")
            _rewrite_link(tag, src, links)
            continue
        if tag.get("srcset") is not None:
            raise ReportError(
                f"{src.where}: <{tag.name} srcset={tag['srcset'][:80]!r}>: srcset is not supported in the report; "
                "expected a single src"
            )
        attrs = RESOURCE_ATTRS.get(tag.name, ("src",) if tag.get("src") is not None else ())
        if tag.name == "img" and tag.get("src") is None:
            raise ReportError(f"{src.where}: an <img> without src; expected every image to have one")
        for attr in (*attrs, "background"):
            value = tag.get(attr)
            if value is None:
                continue
            if value.startswith("#"):  # SVG <image href="#..."> is a reference, not a file
                tag[attr] = "#" + src.ids.get(value[1:], value[1:])
            else:
                tag[attr] = _data_uri(value, src.base, src, f"<{tag.name} {attr}>")
        for attr in ("href", "xlink:href"):  # SVG <use href="#x">, <textPath>, gradients
            value = tag.get(attr)
            if value is not None and tag.name not in RESOURCE_ATTRS and value.startswith("#"):
                tag[attr] = "#" + src.ids.get(value[1:], value[1:])
            elif value is not None and tag.name not in RESOURCE_ATTRS:
                raise ReportError(
                    f"{src.where}: <{tag.name} {attr}={value[:80]!r}>: expected a reference to an element (#id)"
                )
        for attr in ID_REF_ATTRS:
            value = tag.get(attr)
            if value is not None:  # bs4 gives some of these as a list of tokens
                tokens = value.split() if isinstance(value, str) else value
                tag[attr] = " ".join(src.ids.get(t, t) for t in tokens)
        for attr in URL_ATTRS:
            value = tag.get(attr)
            if isinstance(value, str) and "url(" in value.lower():
                tag[attr] = _css(value, src.base, src, f"<{tag.name} {attr}>")


# ---------------------------------------------------------------- the page

def _heading_text(heading: Tag) -> str:
    """A heading's text without nbconvert's pilcrow anchor link."""
    heading = copy.copy(heading)
    for anchor in heading.select("a.anchor-link"):
        anchor.decompose()
    return " ".join(heading.get_text().split())


def _toc_entry(soup: BeautifulSoup, href: str, text: str) -> Tag:
    li = soup.new_tag("li")
    a = soup.new_tag("a", href=href)
    a.string = text  # plain text: serialised escaped
    li.append(a)
    return li


def _check(soup: BeautifulSoup, dest: Path) -> None:
    """What the report promises, verified on the finished tree."""
    ids: set[str] = set()
    for tag in soup.find_all(True):
        for attr in ("id",) + (("name",) if tag.name == "a" else ()):
            value = tag.get(attr)
            if value is None or (attr == "name" and value == tag.get("id")):
                continue
            if value in ids:
                raise ReportError(f"{dest}: id {value!r} occurs twice; expected unique ids")
            ids.add(value)
    for tag in soup.find_all("a", href=True):
        href = tag["href"]
        if href.startswith("#") and href[1:] not in ids:
            raise ReportError(f"{dest}: link {href!r} has no target; expected an element with that id")
        if not href.startswith("#") and urlsplit(href).scheme.lower() not in EXTERNAL_SCHEMES:
            raise ReportError(f"{dest}: link {href!r} leaves the page; expected #id, http(s) or mailto")
    for tag in soup.find_all(True):
        if tag.name == "link" or (tag.name == "script" and tag.get("src") is not None):
            raise ReportError(f"{dest}: <{tag.name}> loads a file; expected everything inline")
        for attr in ("src", "data", "poster", "background"):
            value = tag.get(attr)
            if value is not None and not value.startswith(("data:", "#")):
                raise ReportError(f"{dest}: <{tag.name} {attr}={value[:80]!r}> loads a file; expected a data: URI")


def build_report(output_dir: Path, pages: list[tuple[str, str, Path]], front_html: str, synthetic: bool,
                 dest: Path | None = None) -> Path:
    """Write output_dir/rapport.html (or dest): the front matter, a table of contents and each
    stage's reader page, as one page with no reference to any other file.

    pages: (stage number, Swedish stage title, path of the stage's reader HTML), in order.
    front_html: an HTML fragment, its relative links and images resolved from output_dir.
    Raises ReportError when a page cannot be made self-contained (a missing image, a remote
    resource, a link to an anchor that does not exist)."""
    output_dir = Path(output_dir)
    dest = Path(dest) if dest is not None else output_dir / REPORT_FILE
    if not pages:
        raise ReportError("build_report: no stage pages given; expected at least one (number, title, path)")
    seen: set[str] = set()
    for i, page in enumerate(pages):
        if not (isinstance(page, tuple) and len(page) == 3):
            raise ReportError(f"build_report: pages[{i}] is {page!r}; expected (number, title, path)")
        number = page[0]
        if not isinstance(number, str) or not STAGE_NUMBER.fullmatch(number):
            raise ReportError(f"build_report: pages[{i}] has stage number {number!r}; expected letters, digits or _")
        if number in seen:
            raise ReportError(f"build_report: stage number {number!r} occurs twice in pages; expected each once")
        seen.add(number)

    sources: list[_Source] = []
    stages: dict[Path, _Source] = {}
    body_attrs: dict = {}
    for number, title, path in pages:
        path = Path(path)
        soup = _read_page(path)
        src = _Source(where=str(path), base=path.resolve().parent, prefix=f"s{number}-", anchor=f"s{number}")
        _take_head_scripts(soup, src)
        _take_styles(soup, src)
        if not body_attrs and soup.body is not None:
            # JupyterLab's CSS keys on the body's class and theme attributes
            body_attrs = {k: v for k, v in soup.body.attrs.items() if k == "class" or k.startswith("data-")}
        src.nodes = _content_nodes(soup)
        stages[path.resolve()] = src
        sources.append(src)
    front = None
    if front_html.strip():
        soup = _parse(front_html)
        front = _Source(where="front matter (front_html)", base=output_dir.resolve(), prefix="f-", anchor=FRONT_ANCHOR)
        _take_head_scripts(soup, front)
        _take_styles(soup, front)
        front.nodes = _content_nodes(soup)

    parts = ([front] if front else []) + sources
    taken = {"rapport", "syntetisk", TOC_ANCHOR, FRONT_ANCHOR, *(s.anchor for s in sources)}
    for src in parts:
        _assign_ids(src, taken)
    links = _Links(stages, output_dir)
    for src in parts:
        _rewrite(src, links)
    styles: dict[tuple[str, str], None] = {}
    scripts: dict[str, None] = {}
    for src in parts:
        for media, css in src.styles:
            styles.setdefault((media, _css(css, src.base, src, "<style>")), None)
        for script in src.scripts:
            scripts.setdefault(script, None)

    doc = _parse(SKELETON)
    doc.title.string = TITLE
    doc.h1.string = TITLE
    for (media, css) in styles:
        tag = doc.new_tag("style", attrs={"media": media} if media else {})
        tag.string = css  # CSS from a parsed <style> or a checked stylesheet: no '</style'
        doc.head.append(tag)
    own = doc.new_tag("style")
    own.string = REPORT_CSS
    doc.head.append(own)
    for script in scripts:
        tag = doc.new_tag("script")
        tag.string = script
        doc.head.append(tag)
    doc.body.attrs.update(body_attrs)
    main = doc.find("main")
    toc = doc.find("nav", id=TOC_ANCHOR)
    toc_list = toc.find("ol")

    if synthetic:
        banner = doc.new_tag("div", attrs={"class": "rapport-banner syntetisk", "role": "note", "id": "syntetisk"})
        strong = doc.new_tag("strong")
        strong.string = SYNTHETIC_MARK
        banner.append(strong)
        banner.append(NavigableString(" – " + SYNTHETIC_TEXT))
        doc.find("header").insert_after(banner)
    if front:
        section = doc.new_tag("section", attrs={"class": "rapport-inledning", "id": FRONT_ANCHOR})
        section.extend(front.nodes)
        toc.insert_before(section)
        heading = section.find(["h1", "h2", "h3"])
        toc_list.append(_toc_entry(doc, f"#{FRONT_ANCHOR}", _heading_text(heading) if heading else "Sammanfattning"))

    for (number, title, _), src in zip(pages, sources):
        section = doc.new_tag("section", attrs={"class": "rapport-steg", "id": src.anchor})
        nav = doc.new_tag("p", attrs={"class": "rapport-steg-nav"})
        nav.append(NavigableString(f"Steg {number} · "))
        if synthetic:
            warn = doc.new_tag("strong", attrs={"class": "varning"})
            warn.string = "Syntetiska exempeldata"
            nav.append(warn)
            nav.append(NavigableString(" · "))
        back = doc.new_tag("a", href=f"#{TOC_ANCHOR}")
        back.string = "Till innehållet"
        nav.append(back)
        section.append(nav)
        section.extend(src.nodes)
        if section.find("h1") is None:
            h1 = doc.new_tag("h1")
            h1.string = f"{number} {title}"
            nav.insert_after(h1)
        main.append(section)
        entry = _toc_entry(doc, f"#{src.anchor}", f"{number} {title}")
        sub = doc.new_tag("ol")
        for heading in section.find_all("h2"):
            if heading.get("id"):
                sub.append(_toc_entry(doc, f"#{heading['id']}", _heading_text(heading)))
        if sub.contents:
            entry.append(sub)
        toc_list.append(entry)

    _check(doc, dest)
    write_text_atomic(dest, str(doc))
    return dest
