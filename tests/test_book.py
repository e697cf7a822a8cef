"""The HTML book builds with zero warnings and loads nothing from the internet.

Builds the book into a temporary folder with the same command as ``make book``
and then reads every page: no script, stylesheet, image or font may come from
an http(s) URL, and MathJax must be the local copy.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests._book import ROOT, toc_files

pytestmark = pytest.mark.book

REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_REMOTE_URL = re.compile(r"""(url\(\s*['"]?|@import\s+['"])\s*(https?:)?//""", re.IGNORECASE)


class ResourceParser(HTMLParser):
    """Collect the URLs a browser would fetch to render a page."""

    def __init__(self):
        super().__init__()
        self.resources: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe", "audio", "video", "source", "embed"}:
            if attrs.get("src"):
                self.resources.append((tag, attrs["src"]))
        elif tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower()
            if rel not in {"canonical", "alternate", "next", "prev", "index", "search", "author"}:
                self.resources.append((f"link rel={rel}", attrs["href"]))
        elif tag == "object" and attrs.get("data"):
            self.resources.append((tag, attrs["data"]))
        if attrs.get("srcset"):
            self.resources.append((f"{tag} srcset", attrs["srcset"]))


@pytest.fixture(scope="module")
def html_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    if not jupyter_book.exists():
        jupyter_book = shutil.which("jupyter-book")
    cmd = [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "-n",
           "--keep-going"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"book build failed:\n{result.stdout[-4000:]}\n{result.stderr}"
    return out / "_build" / "html"


def test_every_toc_page_is_built(html_dir):
    for name in toc_files():
        assert (html_dir / f"{name}.html").is_file(), f"{name}.html was not built"


def test_pages_load_nothing_from_the_internet(html_dir):
    pages = sorted(html_dir.rglob("*.html"))
    assert pages
    remote = []
    for page in pages:
        parser = ResourceParser()
        parser.feed(page.read_text(encoding="utf-8"))
        remote += [f"{page.relative_to(html_dir)}: <{tag}> {url}"
                   for tag, url in parser.resources if REMOTE.search(url)]
    assert not remote, "pages fetch resources from the internet:\n" + "\n".join(remote[:20])


def test_stylesheets_load_nothing_from_the_internet(html_dir):
    remote = [str(css.relative_to(html_dir)) for css in html_dir.rglob("*.css")
              if CSS_REMOTE_URL.search(css.read_text(encoding="utf-8", errors="replace"))]
    assert not remote, f"stylesheets import remote URLs: {remote}"


def test_mathjax_is_served_locally(html_dir):
    index = (html_dir / "intro.html").read_text(encoding="utf-8")
    assert "_static/mathjax/es5/tex-mml-chtml.js" in index
    assert (html_dir / "_static/mathjax/es5/tex-mml-chtml.js").is_file()
    fonts = html_dir / "_static/mathjax/es5/output/chtml/fonts/woff-v2"
    assert any(fonts.glob("*.woff")), "MathJax fonts were not copied"


def _visible_text(page: Path) -> str:
    """A page's text without tags, scripts or styles (close enough for a search)."""
    html = page.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_citations_are_author_year_in_round_brackets(html_dir):
    """_ext/citation_style.py: "Glorot and Bengio (2010)", never "[2010]"."""
    text = _visible_text(html_dir / "chapters" / "04_initialization.html")
    assert re.search(r"Glorot and Bengio \( ?2010 ?\)", text), "no round-bracket citation"
    square = [match.group() for name in toc_files()
              for match in re.finditer(r"\w+ \[ ?(19|20)\d\d[a-z]? ?\]",
                                       _visible_text(html_dir / f"{name}.html"))]
    assert not square, f"citations in square brackets: {square[:5]}"
