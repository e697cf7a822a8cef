"""Every page of the built book, as a reader's browser shows it.

See ``conftest.py`` for how the pages are opened (one Chromium, offline) and
which folder is tested. Each test is parametrized by page, so a failure names
the page; a page is loaded once and its report shared by the tests.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests._book import ROOT, toc_files
from tests.browser._source_math import count_formulas, markdown_of
from tests.browser.conftest import HTML_DIR, book_pages, url_to_path

PAGES = book_pages()
if not PAGES:
    pytest.skip(
        f"no built book in {HTML_DIR} (index.html missing): run `make book`, "
        "or set NNBOOK_HTML to the html folder of a build",
        allow_module_level=True,
    )

# Console messages of the theme that are known and harmless, each with its reason.
# (None today: the THEBE_JS_URL error was a real bug, fixed in _ext/inline_scripts.py.)
KNOWN_CONSOLE_ERRORS: dict[str, str] = {}

SOURCES = {f"{name}.html": name for name in toc_files()}
# The chapter that search must find for "sigmoid".
SEARCH_TERM, SEARCH_TARGET = "sigmoid", "chapters/03_activations.html"


def _known(message: str) -> bool:
    return any(re.search(pattern, message) for pattern in KNOWN_CONSOLE_ERRORS)


@pytest.mark.parametrize("name", PAGES)
def test_no_console_error_nor_failed_or_external_request(reader, name):
    report = reader.report(name)
    errors = [m for m in report.console_errors + report.page_errors if not _known(m)]
    assert not errors, f"{name}: errors in the console:\n" + "\n".join(errors)
    assert not report.timeouts, f"{name}: " + "; ".join(report.timeouts)
    assert not report.external_requests, (
        f"{name}: requests leave the machine:\n" + "\n".join(report.external_requests)
    )
    assert not report.failed_requests, (
        f"{name}: requests failed:\n" + "\n".join(report.failed_requests)
    )


@pytest.mark.parametrize("name", PAGES)
def test_every_formula_is_typeset(reader, name):
    report = reader.report(name)
    assert not report.raw_math_text, (
        f"{name}: raw TeX left in the visible text:\n" + "\n".join(report.raw_math_text)
    )
    assert not report.untypeset, (
        f"{name}: formulas MathJax did not typeset:\n" + "\n".join(report.untypeset)
    )
    if report.math_nodes:
        assert report.mathjax, f"{name}: has formulas but MathJax did not start"
    assert report.formulas == report.math_nodes, (
        f"{name}: {report.formulas} typeset formulas (mjx-container) for "
        f"{report.math_nodes} formulas in the HTML"
    )
    source = SOURCES.get(name)
    if source is None:  # generated pages (search, index, redirect) have no math
        assert report.formulas == 0
        return
    # The copy of the source that this build used (the pages' download button
    # offers it), else the repository's.
    candidates = [base / f"{source}{suffix}" for base in (HTML_DIR / "_sources", ROOT)
                  for suffix in (".ipynb", ".md")]
    path = next(p for p in candidates if p.is_file())
    expected = count_formulas(markdown_of(path))
    assert report.article_math == expected, (
        f"{name}: {report.article_math} formulas in the text, but {path.name} has {expected}"
    )


@pytest.mark.parametrize("name", PAGES)
def test_every_image_loads(reader, name):
    report = reader.report(name)
    broken = [img["src"] for img in report.images if not img["natural_width"]]
    assert not broken, f"{name}: images that did not load:\n" + "\n".join(broken)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if value and (key == "id" or (tag == "a" and key == "name")):
                self.ids.add(value)


def _ids_of(reader, path: Path) -> set[str]:
    """The ids of an HTML file: from the browser if it is a page of the book."""
    try:
        name = path.relative_to(HTML_DIR).as_posix()
    except ValueError:
        name = None
    if name in PAGES:
        return reader.report(name).ids
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.ids


@pytest.mark.parametrize("name", PAGES)
def test_every_internal_link_resolves(reader, name):
    report = reader.report(name)
    broken = []
    for link in report.links:
        if not link["internal"]:
            continue
        parts = urlsplit(link["url"])
        target = url_to_path(link["url"])
        if target.is_dir():
            target = target / "index.html"
        try:
            target.relative_to(HTML_DIR)
        except ValueError:
            broken.append(f"{link['href']} -> {target} (outside the book)")
            continue
        if not target.is_file():
            broken.append(f"{link['href']} -> {target} (no such file)")
            continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html" and fragment not in _ids_of(reader, target):
            broken.append(f"{link['href']} -> no element with id {fragment!r}")
    assert not broken, f"{name}: links that lead nowhere:\n" + "\n".join(broken)


@pytest.mark.parametrize("name", PAGES)
def test_code_cells_fit_at_1280px(reader, name):
    report = reader.report(name)
    lines = [
        f"{o['longest_line']} chars, {o['scroll_width']} px in a {o['client_width']} px box: "
        f"{o['line']}"
        for o in report.code_overflow
    ]
    assert not lines, f"{name}: code scrolls sideways at 1280 px:\n" + "\n".join(lines)
    # An output wider than its box (a wide printed table) scrolls inside its box.
    stuck = [o["line"] for o in report.output_overflow if o["overflow_x"] not in ("auto", "scroll")]
    assert not stuck, f"{name}: wide outputs that cannot scroll:\n" + "\n".join(stuck)
    assert report.page_overflow == 0, (
        f"{name}: the page itself scrolls sideways by {report.page_overflow} px"
    )


@pytest.mark.parametrize("name", PAGES)
def test_solutions_hidden_until_toggled(reader, name):
    report = reader.report(name)
    wrong = [d for d in report.dropdowns if not (d["hidden_before"] and d["shown_after"])]
    assert not wrong, f"{name}: dropdowns not hidden, or not shown once toggled: {wrong}"


def test_chapters_have_solutions(reader):
    """The toggling test above is not vacuous: the chapters do hide solutions."""
    chapters = [n for n in PAGES if n.startswith("chapters/")]
    assert chapters
    without = [n for n in chapters if not reader.report(n).dropdowns]
    assert len(without) < len(chapters), "no chapter has a dropdown solution"


@pytest.mark.parametrize("name", PAGES)
def test_redirects_land(reader, name):
    report = reader.report(name)
    if report.redirect:
        assert report.final_url.endswith(report.redirect), (report.final_url, report.redirect)


@pytest.mark.parametrize("name", PAGES)
def test_screenshot_saved(reader, name):
    shot = reader.report(name).screenshot
    assert shot is not None and shot.is_file() and shot.stat().st_size > 1000


def test_search_finds_the_activations_chapter(browser):
    from tests.browser.conftest import VIEWPORT

    context = browser.new_context(viewport=VIEWPORT)
    context.route(lambda url: not url.startswith(("file:", "data:")), lambda r: r.abort())
    try:
        page = context.new_page()
        page.goto((HTML_DIR / "search.html").as_uri() + f"?q={SEARCH_TERM}")
        page.wait_for_selector("#search-results ul.search li a", timeout=20_000)
        hits = page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)"
        )
    finally:
        context.close()
    targets = [url_to_path(h).relative_to(HTML_DIR).as_posix() for h in hits]
    assert SEARCH_TARGET in targets, f"search for {SEARCH_TERM!r} found {targets}"
