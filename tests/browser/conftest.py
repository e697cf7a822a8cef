"""The built book, read by a real browser.

Every page of the HTML book is opened once in Debian's Chromium, driven by
Playwright offline, and what a reader would meet is recorded: console errors,
failed or external requests, formulas left raw, images that did not load, links,
code that does not fit its box, and a full-page screenshot. The tests in
``test_pages.py`` then assert on those records.

Environment:

- ``NNBOOK_HTML``: the HTML folder to test (default ``_build/html``, what
  ``make book`` builds). Without a built book every test is skipped.
- ``NNBOOK_SCREENSHOTS``: where the screenshots go (default: ``screenshots``
  beside the HTML folder, so ``_build/screenshots``).
- ``NNBOOK_CHROMIUM``: the browser (default ``/usr/bin/chromium``, which
  ``make browser-deps`` installs with apt-get). Without it every test is skipped.

Playwright never downloads a browser here: it drives the system's Chromium
through ``executable_path``, and every request that is not for a local file is
aborted and reported.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests._book import ROOT

HTML_DIR = Path(os.environ.get("NNBOOK_HTML", ROOT / "_build" / "html")).resolve()
SCREENSHOT_DIR = Path(
    os.environ.get("NNBOOK_SCREENSHOTS", HTML_DIR.parent / "screenshots")
).resolve()
CHROMIUM = Path(os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium"))
VIEWPORT = {"width": 1280, "height": 900}
# The flags checked on this kind of machine (see the toolchain notes): no
# sandbox as root, no GPU, and nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
# index.html is a redirect to the root page, written by Jupyter Book.
REFRESH = re.compile(
    r'<meta\s+http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', re.IGNORECASE
)


def book_pages() -> list[str]:
    """Every HTML page of the book, relative to the HTML folder, sorted."""
    if not (HTML_DIR / "index.html").is_file():
        return []
    return sorted(
        p.relative_to(HTML_DIR).as_posix()
        for p in HTML_DIR.rglob("*.html")
        if not p.relative_to(HTML_DIR).parts[0].startswith("_")
    )


def url_to_path(url: str) -> Path:
    """The local file a file:// URL points to."""
    return Path(unquote(urlsplit(url).path))


@dataclass
class PageReport:
    """What the browser saw on one page."""

    name: str
    url: str
    final_url: str = ""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)
    redirect: str = ""
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    requests: int = 0
    mathjax: bool = False
    math_nodes: int = 0
    article_math: int = 0
    formulas: int = 0
    untypeset: list[str] = field(default_factory=list)
    raw_math_text: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    code_overflow: list[dict] = field(default_factory=list)
    code_blocks: int = 0
    output_overflow: list[dict] = field(default_factory=list)
    page_overflow: int = 0
    dropdowns: list[dict] = field(default_factory=list)
    screenshot: Path | None = None
    seconds: float = 0.0


COLLECT_JS = Path(__file__).with_name("collect.js").read_text(encoding="utf-8")
TOGGLE_JS = Path(__file__).with_name("toggle.js").read_text(encoding="utf-8")
LAYOUT_JS = Path(__file__).with_name("layout.js").read_text(encoding="utf-8")


class Reader:
    """One browser, one context; each page opened once and its report kept."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport=VIEWPORT, service_workers="block")
        self.context.set_default_timeout(30_000)
        self.external: list[str] = []
        self.context.route(lambda url: not url.startswith(LOCAL_SCHEMES), self._abort)
        self.reports: dict[str, PageReport] = {}
        self.failures: dict[str, Exception] = {}

    def _abort(self, route):
        self.external.append(route.request.url)
        route.abort("blockedbyclient")

    def open(self, url: str, report: PageReport):
        """A new tab on ``url``, with listeners recording into ``report``."""
        page = self.context.new_page()

        def on_console(msg):
            if msg.type == "error":
                loc = msg.location or {}
                report.console_errors.append(
                    f"{msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})"
                )

        def on_request(request):
            report.requests += 1
            if not request.url.startswith(LOCAL_SCHEMES):
                report.external_requests.append(request.url)

        page.on("console", on_console)
        page.on("pageerror", lambda err: report.page_errors.append(str(err)))
        page.on("request", on_request)
        page.on(
            "requestfailed",
            lambda r: report.failed_requests.append(f"{r.url} ({r.failure})"),
        )
        page.goto(url, wait_until="load")
        return page

    @staticmethod
    def _screenshot(page, name: str) -> Path:
        shot = SCREENSHOT_DIR / Path(name).with_suffix(".png")
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        return shot

    def report(self, name: str) -> PageReport:
        if name in self.reports:
            return self.reports[name]
        if name in self.failures:
            pytest.fail(f"{name} could not be read: {self.failures[name]}")
        try:
            return self._read(name)
        except Exception as exc:
            self.failures[name] = exc
            raise

    def _read(self, name: str) -> PageReport:
        start = time.perf_counter()
        report = PageReport(name=name, url=(HTML_DIR / name).as_uri())
        redirect = REFRESH.search((HTML_DIR / name).read_text(encoding="utf-8")[:2000])
        page = self.open(report.url, report)
        try:
            if redirect:
                # A redirect page: it must land on its target, which is tested as a page.
                report.redirect = redirect.group(1)
                target = (HTML_DIR / name).parent / report.redirect
                page.wait_for_url(target.resolve().as_uri(), wait_until="load")
                report.final_url = page.url
                report.screenshot = self._screenshot(page, name)
                return self._keep(report, start)
            report.final_url = page.url
            data = page.evaluate(COLLECT_JS)
            for key in ("mathjax", "timeouts", "math_nodes", "article_math", "formulas",
                        "untypeset", "raw_math_text", "images", "links"):
                setattr(report, key, data[key])
            report.ids = set(data["ids"])
            report.screenshot = self._screenshot(page, name)
            # Then as a reader who opens every dropdown: each must start hidden
            # and show its content once toggled; code inside it is measured too.
            report.dropdowns = page.evaluate(TOGGLE_JS)
            layout = page.evaluate(LAYOUT_JS)
            report.code_blocks = layout["code_blocks"]
            report.code_overflow = layout["code_overflow"]
            report.output_overflow = layout["output_overflow"]
            report.page_overflow = layout["page_overflow"]
        finally:
            page.close()
        return self._keep(report, start)

    def _keep(self, report: PageReport, start: float) -> PageReport:
        report.seconds = time.perf_counter() - start
        self.reports[report.name] = report
        return report


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="the Python package playwright is missing: run `make venv` (it is in the lock)",
    )
    if not CHROMIUM.exists():
        pytest.skip(
            f"no browser at {CHROMIUM}: run `make browser-deps` (apt-get install chromium, "
            "as root) or set NNBOOK_CHROMIUM to a Chromium executable"
        )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def reader(browser, pytestconfig):
    r = Reader(browser)
    pytestconfig._nnbook_reader = r  # for the totals in the terminal summary
    yield r
    r.context.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The totals the browser suite checked, for the record."""
    reader = getattr(config, "_nnbook_reader", None)
    if not reader or not reader.reports:
        return
    reports = reader.reports.values()
    internal = sum(1 for r in reports for link in r.links if link["internal"])
    formulas = sum(r.formulas for r in reports)
    images = sum(len(r.images) for r in reports)
    links = sum(len(r.links) for r in reports)
    code = sum(r.code_blocks for r in reports)
    dropdowns = sum(len(r.dropdowns) for r in reports)
    seconds = sum(r.seconds for r in reports)
    terminalreporter.write_line(
        f"browser: {len(reader.reports)} pages, {formulas} formulas typeset, {images} images, "
        f"{links} links ({internal} internal), {code} code blocks, {dropdowns} dropdowns; "
        f"screenshots in {SCREENSHOT_DIR}; {seconds:.1f} s in the pages"
    )
