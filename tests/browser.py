"""A checker for rendered pages, in a real headless Chromium: every request the page makes
that is not local (file, data, blob, about), every console error, every image that did not
load, and every link that does not resolve to an existing file and anchor.

A helper for tests, not a test file. The browser runs with the network blocked: requests to
http(s), ws(s) and ftp URLs are recorded and then refused by the browser itself, and every host
name resolves to nothing, so a check never sends anything off the machine even where there is
a network. Selenium Manager is never used: the driver is the system's chromedriver."""
from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
EXTERNAL_SCHEMES = {"http", "https", "mailto"}
BLOCKED_URLS = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]
ARGUMENTS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-extensions", "--disable-breakpad",
    "--window-size=1280,2000",
    # no name resolves: even a request that slipped past the blocking could not connect by name
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
LOAD_TIMEOUT_S = 60
IMAGE_WAIT_S = 10
SHOWN_CHARS = 120  # data: URIs are cut to this length in reports

_IMAGES_JS = """
return Array.from(document.images)
  .filter(i => !(i.complete && i.naturalWidth > 0))
  .map(i => i.getAttribute('src') === null ? '' : i.getAttribute('src'));
"""
_IMAGES_PENDING_JS = "return Array.from(document.images).filter(i => !i.complete).length;"
_LINKS_JS = """
return Array.from(document.querySelectorAll('a[href], area[href]'))
  .map(a => [a.getAttribute('href'), a.href]);
"""


@dataclass
class PageReport:
    url: str
    network_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    external_links: list[str] = field(default_factory=list)
    title: str = ""
    screenshot: Path | None = None
    link_reasons: dict[str, str] = field(default_factory=dict)  # broken href -> why

    @property
    def ok(self) -> bool:
        """No network request, console error, broken image or broken link."""
        return not (self.network_requests or self.console_errors or self.broken_images or self.broken_links)

    def problems(self) -> list[str]:
        """Every problem as a line, for assertion messages."""
        return ([f"network request: {u}" for u in self.network_requests]
                + [f"console error: {m}" for m in self.console_errors]
                + [f"broken image: {s}" for s in self.broken_images]
                + [f"broken link: {h} ({self.link_reasons.get(h, '')})" for h in self.broken_links])


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS or not text.startswith("data:") else text[:SHOWN_CHARS] + "…"


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


class _Session:
    """One browser for many pages: starting Chromium costs more than checking a page."""

    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="browser-check-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ARGUMENTS:
            options.add_argument(arg)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        try:
            # an explicit driver path: Selenium Manager (which may download) is never asked
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        except BaseException:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        self.driver.set_page_load_timeout(LOAD_TIMEOUT_S)
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED_URLS})
        self.driver.get("about:blank")

    def drain(self) -> None:
        self.driver.get_log("performance")
        self.driver.get_log("browser")

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


_SESSION: _Session | None = None
_UNAVAILABLE: str | None = None


def _session() -> _Session:
    global _SESSION
    if _SESSION is None:
        _SESSION = _Session()
        atexit.register(_close)
    return _SESSION


def _close() -> None:
    global _SESSION
    if _SESSION is not None:
        session, _SESSION = _SESSION, None
        session.close()


def browser_available() -> bool:
    """Chromium and chromedriver are installed and a driver starts."""
    global _UNAVAILABLE
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).is_file()]
    if missing:
        _UNAVAILABLE = f"not installed: {', '.join(missing)}"
        return False
    try:
        _session()
    except Exception as exc:  # any failure to start means no browser for the checks
        _UNAVAILABLE = f"the driver did not start: {type(exc).__name__}: {str(exc).strip()[:500]}"
        return False
    _UNAVAILABLE = None
    return True


def unavailable_reason() -> str:
    """Why browser_available() said False (empty when it said True or was not asked)."""
    return _UNAVAILABLE or ""


@lru_cache(maxsize=64)
def _anchors(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    """Every id in a page, and every <a name>: what a fragment can point at."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(Path(path).read_bytes(), "lxml")
    names = {t["id"] for t in soup.find_all(id=True)}
    names |= {t["name"] for t in soup.find_all("a", attrs={"name": True})}
    return frozenset(names)


def _fragment_found(target: Path, fragment: str) -> bool:
    # As a browser does: the fragment as in the URL (non-ASCII already percent-encoded), then
    # percent-decoded; "top" always means the top of the page.
    if fragment == "" or fragment.lower() == "top":
        return True
    stat = target.stat()
    anchors = _anchors(str(target), stat.st_mtime_ns, stat.st_size)
    return fragment in anchors or unquote(fragment) in anchors


def _link_problem(resolved: str, follow_fragments: bool, root: Path | None) -> str | None:
    """None when a local link lands on an existing file (and anchor), else the reason."""
    parts = urlsplit(resolved)
    if parts.scheme.lower() != "file":
        return f"scheme {parts.scheme!r} is neither a local file nor http(s)/mailto"
    target = Path(url2pathname(parts.path))
    if not target.is_file():
        return f"no file {target}"
    if root is not None and not target.resolve().is_relative_to(root):
        return f"{target} is outside {root}"
    if follow_fragments and not _fragment_found(target, parts.fragment):
        return f"{target} has no element with id or name {parts.fragment!r}"
    return None


def _requests(perf_log: list[dict]) -> list[str]:
    urls = []
    for entry in perf_log:
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return _unique(u for u in urls if urlsplit(u).scheme.lower() not in LOCAL_SCHEMES)


def check_page(path: Path, screenshot: Path | None = None, follow_fragments: bool = True,
               root: Path | None = None) -> PageReport:
    """Load a local page in headless Chromium and report what went wrong.

    root: when given, a relative link must also land inside this folder (the output folder of
    a run, say). broken_links holds the href as written; the reasons are in link_reasons."""
    path = Path(path).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"check_page: {path} does not exist")
    root = Path(root).resolve() if root is not None else None
    session = _session()
    driver = session.driver
    driver.get("about:blank")
    session.drain()
    report = PageReport(url=path.as_uri())
    driver.get(report.url)
    deadline = time.monotonic() + IMAGE_WAIT_S
    while time.monotonic() < deadline:
        if (driver.execute_script("return document.readyState") == "complete"
                and driver.execute_script(_IMAGES_PENDING_JS) == 0):
            break
        time.sleep(0.05)
    report.title = driver.title
    report.broken_images = _unique(_shown(s) for s in driver.execute_script(_IMAGES_JS))
    links = driver.execute_script(_LINKS_JS)
    if screenshot is not None:
        screenshot = Path(screenshot)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        if not driver.save_screenshot(str(screenshot)):
            raise RuntimeError(f"check_page: the screenshot of {path} could not be written to {screenshot}")
        report.screenshot = screenshot
    report.network_requests = [_shown(u) for u in _requests(driver.get_log("performance"))]
    report.console_errors = _unique(e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE")
    reasons = {}
    for raw, resolved in links:
        scheme = urlsplit(resolved).scheme.lower()
        if scheme in EXTERNAL_SCHEMES:
            report.external_links.append(raw)
            continue
        problem = _link_problem(resolved, follow_fragments, root)
        if problem:
            report.broken_links.append(raw)
            reasons.setdefault(raw, problem)
    report.external_links = _unique(report.external_links)
    report.broken_links = _unique(report.broken_links)
    report.link_reasons = reasons
    return report


def last_page_eval(script: str, *args):
    """Run JavaScript (a function body: 'return ...', arguments as arguments[i]) in the page
    check_page loaded last, to look at its state after the check (did a script run, what
    does the reader see)."""
    if _SESSION is None:
        raise RuntimeError("last_page_eval: no page has been checked yet")
    return _SESSION.driver.execute_script(script, *args)
