"""The PDF of the book (``make pdf``) holds every chapter, its Chinese terms and its figures.

Reads ``_build/latex/nnbook.pdf`` (or the file named by ``NNBOOK_PDF``) with
pypdf and checks, for every page of ``_toc.yml``:

- its title (the first ``# `` heading of the notebook or Markdown file) is a
  bookmark of the PDF and appears in its text;
- for a chapter, the notes' Chinese terms of ``KEY_TERMS``
  (tests/test_course_coverage.py) appear on the chapter's own pages, so the
  CJK font is there (XeLaTeX silently drops a glyph its font lacks);
- the PDF embeds at least as many images as the chapters store figures.

Without a PDF, or with one older than the book's sources, the tests skip and
say to run ``make pdf``; ``make test-pdf`` (``NNBOOK_REQUIRE_PDF=1``) makes
that a failure instead.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import pypdf
import pytest
import yaml

from tests._book import ROOT, toc_files, toc_notebooks
from tests.test_course_coverage import KEY_TERMS


def _pdf_path() -> Path:
    if os.environ.get("NNBOOK_PDF"):
        return Path(os.environ["NNBOOK_PDF"])
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    target = config["latex"]["latex_documents"]["targetname"]
    return ROOT / "_build" / "latex" / Path(target).with_suffix(".pdf").name


def _source(name: str) -> Path:
    for suffix in (".ipynb", ".md"):
        if (ROOT / f"{name}{suffix}").is_file():
            return ROOT / f"{name}{suffix}"
    raise FileNotFoundError(f"_toc.yml names {name}, but there is no {name}.ipynb or .md")


def _title(path: Path) -> str:
    """The text of the first level-1 heading, without Markdown markup."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(cell["source"]) for cell in cells
                         if cell["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    heading = next((line[2:] for line in text.splitlines() if line.startswith("# ")), None)
    assert heading, f"{path.name} has no '# ' title"
    heading = re.sub(r"\{[\w:-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", heading)  # {term}`x <y>`
    return re.sub(r"[`*]", "", heading).strip()


def _flat(text: str) -> str:
    """NFKC, case-folded, without whitespace: pypdf loses and invents spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


class Book:
    """The PDF's bookmarks, text per page, and embedded images."""

    def __init__(self, path: Path):
        reader = pypdf.PdfReader(path)
        self.n_pages = len(reader.pages)
        self.pages = [page.extract_text() or "" for page in reader.pages]
        self.bookmarks: list[tuple[str, int]] = []  # (title, first page), depth first
        self._walk(reader, reader.outline)
        self.n_images = 0
        for page in reader.pages:
            resources = page.get("/Resources")
            xobjects = resources.get_object().get("/XObject") if resources else None
            for xobject in (xobjects.get_object().values() if xobjects else ()):
                if xobject.get_object().get("/Subtype") == "/Image":
                    self.n_images += 1

    def _walk(self, reader, outline) -> None:
        for item in outline:
            if isinstance(item, list):
                self._walk(reader, item)
            else:
                self.bookmarks.append((item.title, reader.get_destination_page_number(item)))

    def text(self, first: int = 0, stop: int | None = None) -> str:
        """The text of pages ``first`` to ``stop - 1``, flattened (see ``_flat``)."""
        joined = "\n".join(self.pages[first:stop])
        # A word hyphenated at the end of a line is found either way.
        return _flat(joined) + "\n" + _flat(re.sub(r"-\n", "", joined))


PAGES = [(name, _source(name)) for name in toc_files()]
CHAPTERS = toc_notebooks()


@pytest.fixture(scope="module")
def book() -> Book:
    path = _pdf_path()
    required = os.environ.get("NNBOOK_REQUIRE_PDF") == "1"
    if not path.is_file():
        message = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} not built"
        if required:
            pytest.fail(f"{message}: `make pdf` did not produce it")
        pytest.skip(f"{message}: run `make pdf` first (then `make test-pdf`)")
    sources = [source for _, source in PAGES] + [ROOT / "_toc.yml", ROOT / "_config.yml"]
    newest = max(sources, key=lambda source: source.stat().st_mtime)
    if path.stat().st_mtime < newest.stat().st_mtime:
        message = f"{path.name} is older than {newest.relative_to(ROOT)}"
        if required:
            pytest.fail(f"{message}: `make pdf` did not rebuild it")
        pytest.skip(f"{message}: run `make pdf` again (then `make test-pdf`)")
    return Book(path)


def _chapter_pages(book: Book, title: str) -> tuple[int, int | None]:
    """The pages (first, stop) of the chapter whose bookmark is ``title``.

    The chapter runs up to the next bookmark that is the title of a page of
    ``_toc.yml`` (its own sections are bookmarks too), or to the end.
    """
    index = next(i for i, (name, _) in enumerate(book.bookmarks) if _flat(name) == _flat(title))
    first = book.bookmarks[index][1]
    titles = {_flat(_title(source)) for _, source in PAGES}
    following = [page for name, page in book.bookmarks[index + 1:]
                 if _flat(name) in titles and page > first]
    return first, following[0] if following else None


def test_the_pdf_has_the_whole_book(book):
    # 12 chapters of worked examples and figures: far more than a stub.
    assert book.n_pages >= 100, f"the PDF has only {book.n_pages} pages"


@pytest.mark.parametrize(("name", "source"), PAGES, ids=[name for name, _ in PAGES])
def test_every_page_title_is_in_the_pdf(book, name, source):
    title = _title(source)
    if name == toc_files()[0]:
        # The landing page's title is the book's title, on the title page.
        assert _flat(title) in book.text(0, 3), f"the book's title {title!r} is not on page 1"
        return
    bookmarks = [_flat(bookmark) for bookmark, _ in book.bookmarks]
    assert _flat(title) in bookmarks, f"{source.name}: no bookmark {title!r} in the PDF"
    assert _flat(title) in book.text(), f"{source.name}: its title {title!r} is not in the text"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_every_chapter_shows_its_chinese_terms(book, path):
    first, stop = _chapter_pages(book, _title(path))
    text = book.text(first, stop)
    terms = KEY_TERMS[path.stem]
    missing = [term for term in terms if _flat(term) not in text]
    assert not missing, (
        f"{path.name}: the notes' terms {missing} are not on its pages {first + 1}-{stop} "
        "of the PDF (is the CJK font, Noto Serif CJK SC, installed?)"
    )


def test_the_figures_are_in_the_pdf(book):
    figures = 0
    for path in CHAPTERS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        figures += sum("image/png" in output.get("data", {})
                       for cell in cells for output in cell.get("outputs", []))
    assert book.n_images >= figures, (
        f"the PDF embeds {book.n_images} images; the chapters store {figures} figures"
    )


def test_the_latex_run_lost_no_character_and_no_reference(book):
    # XeLaTeX only logs a glyph its fonts lack, and an unresolved reference
    # prints "??" in the PDF: the log of the last run must have neither.
    log = _pdf_path().with_suffix(".log")
    if not log.is_file():
        pytest.skip(f"no LaTeX log {log.name} beside the PDF")
    text = log.read_text(encoding="utf-8", errors="replace")
    lost = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", text)))
    assert not lost, f"characters missing from the fonts of the PDF: {lost}"
    undefined = sorted(set(re.findall(r"LaTeX Warning: (?:Hyper r|R)eference `([^']+)'", text)))
    assert not undefined, f"references undefined in the PDF (printed as ??): {undefined}"
