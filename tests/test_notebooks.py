"""Notebook hygiene: the checks that make nbval's strict mode mean something.

nbval silently skips the comparison of a code cell that has no
``execution_count``, so a notebook saved without outputs would "pass". These
tests make sure every chapter was executed top to bottom, in order, and that
what it stores is clean and stable.
"""

from __future__ import annotations

import json
import re

import pytest

from tests._book import CHAPTERS, ROOT, toc_notebooks
from tests.nbval_tolerance import GLUE_PREFIX, REASON_KEY, cell_tolerance, split_numbers

NOTEBOOKS = toc_notebooks()
IDS = [path.stem for path in NOTEBOOKS]
ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")
IMPORTS_NNBOOK = re.compile(r"^\s*(import nnbook|from nnbook[\w.]* import )", re.MULTILINE)


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb):
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def output_texts(cell):
    for output in cell.get("outputs", []):
        if "text" in output:
            yield "".join(output["text"])
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                yield "".join(value)


def test_the_book_has_chapters():
    assert NOTEBOOKS, "_toc.yml lists no notebook under chapters/"


def test_every_chapter_notebook_is_in_the_toc():
    listed = {path.resolve() for path in NOTEBOOKS}
    on_disk = {path.resolve() for path in CHAPTERS.glob("*.ipynb")}
    missing = sorted(p.name for p in on_disk - listed)
    assert not missing, f"notebooks under chapters/ not listed in _toc.yml: {missing}"


def test_toc_entries_exist():
    from tests._book import toc_files

    for name in toc_files():
        candidates = [ROOT / f"{name}{suffix}" for suffix in (".ipynb", ".md")]
        assert any(p.is_file() for p in candidates), f"_toc.yml names {name}, which does not exist"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executed_in_order(path):
    counts = [cell.get("execution_count") for cell in code_cells(load(path))]
    assert counts, f"{path.name} has no code cell"
    never = [i for i, n in enumerate(counts) if n is None]
    assert not never, f"{path.name}: code cells {never} were never executed (run `make execute`)"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..n in order (run `make execute`)"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_error_or_stderr_output(path):
    for i, cell in enumerate(code_cells(load(path))):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name}: code cell {i} stores an error"
            assert output.get("name") != "stderr", (
                f"{path.name}: code cell {i} wrote to stderr: {''.join(output.get('text', ''))!r}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_memory_addresses_in_outputs(path):
    for i, cell in enumerate(code_cells(load(path))):
        for text in output_texts(cell):
            assert not ADDRESS.search(text), (
                f"{path.name}: code cell {i} prints an object address, which changes on "
                f"every run (end the line with ';'): {text[:120]!r}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_imports_nnbook(path):
    source = "\n".join("".join(cell["source"]) for cell in code_cells(load(path)))
    assert IMPORTS_NNBOOK.search(source), f"{path.name} never imports nnbook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernelspec_is_python3(path):
    kernelspec = load(path)["metadata"].get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"{path.name}: kernelspec is {kernelspec!r}"


IGNORED = re.compile(r"^\s*#\s*NBVAL_(IGNORE_OUTPUT|SKIP)\b", re.MULTILINE)
TIMING = re.compile(r"\b(perf_counter|timeit|process_time)\b")
MAX_TOLERANCE = 0.20


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_only_timing_cells_escape_the_comparison(path):
    """nbval ignores a cell's output only where it measures time; any other cell is
    compared, exactly or within its stated tolerance."""
    for i, cell in enumerate(code_cells(load(path))):
        source = "".join(cell["source"])
        if IGNORED.search(source) or {"nbval-ignore-output", "nbval-skip"} & set(
            cell["metadata"].get("tags", [])
        ):
            assert TIMING.search(source), (
                f"{path.name}: code cell {i} is not compared by nbval but measures no time; "
                "make its output robust and tag it with a tolerance instead (CONTRIBUTING.md)"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_tolerances_are_justified_and_bounded(path):
    for i, cell in enumerate(code_cells(load(path))):
        rtol = cell_tolerance(cell)
        if rtol is None:
            assert REASON_KEY not in cell["metadata"], (
                f"{path.name}: code cell {i} states a {REASON_KEY} but has no tolerance tag"
            )
            continue
        assert 0 < rtol <= MAX_TOLERANCE, (
            f"{path.name}: code cell {i} is tagged with a tolerance of {rtol:.0%}; at most "
            f"{MAX_TOLERANCE:.0%} is allowed: redesign the cell to print what is stable"
        )
        reason = str(cell["metadata"].get(REASON_KEY, ""))
        assert len(reason.split()) >= 5, (
            f"{path.name}: code cell {i} has a tolerance but no {REASON_KEY} stating the "
            "spread measured to justify it"
        )
        assert any(output_texts(cell)), f"{path.name}: code cell {i} has a tolerance but no text"


def test_most_cells_are_compared_exactly():
    cells = [cell for path in NOTEBOOKS for cell in code_cells(load(path))]
    tolerant = sum(1 for cell in cells if "tolerance_reason" in cell["metadata"])
    assert tolerant <= 0.1 * len(cells), f"{tolerant} of {len(cells)} cells have a tolerance"


def test_every_tolerance_is_shown_to_readers():
    """_static/tolerance.css writes "checked to within N%" under each tagged output."""
    css = (ROOT / "_static" / "tolerance.css").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        for i, cell in enumerate(code_cells(load(path))):
            for tag in cell["metadata"].get("tags", []):
                if tag.startswith("tolerance-"):
                    selector = "div.cell.tag_" + tag.replace("%", "\\%")
                    assert selector in css, (
                        f"{path.name}: code cell {i} is tagged {tag}; add a rule for it to "
                        "_static/tolerance.css"
                    )


# --- numbers quoted in the prose come from the outputs (myst-nb glue) ---------------

GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")


def glued(nb):
    """Every value the notebook glues: {key: (code cell index, output)}."""
    found = {}
    for i, cell in enumerate(code_cells(nb)):
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if scrapbook:
                found[scrapbook["name"]] = (i, output)
    return found


def quoted(nb):
    """Every key the prose pastes with a glue role (markdown, and figure captions)."""
    keys = []
    for cell in nb["cells"]:
        texts = ["".join(cell["source"])] if cell["cell_type"] == "markdown" else []
        figure = cell["metadata"].get("mystnb", {}).get("figure", {})
        texts.append(str(figure.get("caption", "")))
        for text in texts:
            keys += [match.group(1).split("::")[-1].rsplit(":", 1)[0]
                     for match in GLUE_ROLE.finditer(text)]
    return keys


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_quoted_number_is_glued_and_every_glue_quoted(path):
    """The prose pastes only values its own cells glue, and every glued value is quoted."""
    nb = load(path)
    glue, keys = glued(nb), quoted(nb)
    missing = sorted(set(keys) - set(glue))
    assert not missing, f"{path.name}: the prose quotes {missing}, which no cell glues"
    unused = sorted(set(glue) - set(keys))
    assert not unused, f"{path.name}: {unused} are glued but never quoted in the prose"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_glued_values_are_the_printed_text(path):
    """A glued value is text, hidden from the output, and says what its cell prints.

    Text, not a float: a float's repr carries all 17 digits, and the last ones
    differ between machines; the prose quotes the precision the cell prints. Each
    number in the text is one the same cell prints, so the reader finds the
    quoted number in the output beside the code that computed it.
    """
    cells = code_cells(load(path))
    for key, (i, output) in glued({"cells": cells}).items():
        where = f"{path.name}: code cell {i} glues {key!r}"
        assert output["metadata"]["scrapbook"].get("mime_prefix") == GLUE_PREFIX, (
            f"{where} with display=True; glue it with display=False (its cell prints it)"
        )
        data = output.get("data", {})
        assert set(data) == {GLUE_PREFIX + "text/plain"}, (
            f"{where} as {sorted(data)}; glue a str formatted as the cell prints it"
        )
        text = "".join(data[GLUE_PREFIX + "text/plain"])
        assert len(text) > 2 and text[0] in "'\"" and text[-1] == text[0], (
            f"{where} as {text}, not as text: glue a str formatted as the cell prints it"
        )
        printed = "\n".join(output_texts(cells[i]))
        numbers = [number.text for number in split_numbers(text[1:-1])[1]]
        if not numbers:  # a word, such as the name of the best method
            assert text[1:-1] in printed, f"{where} as {text}, which the cell does not print"
            continue
        # "+1.6" in a table of differences is the 1.6 the prose quotes
        printed_numbers = {number.text.lstrip("+") for number in split_numbers(printed)[1]}
        absent = [number for number in numbers if number.lstrip("+") not in printed_numbers]
        assert not absent, f"{where} as {text}, but the cell does not print {absent}"
