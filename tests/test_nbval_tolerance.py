"""The project's nbval extension: tagged cells compare numbers within a tolerance.

The unit tests check the parsing and the comparison rule; the end-to-end tests
run ``pytest --nbval`` on small notebooks in a temporary folder and show that a
number within the tolerance passes, that a number beyond it fails, that a
changed word fails, and that untagged cells stay exact.
"""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from tests._book import ROOT
from tests.nbval_tolerance import (
    GLUE_PREFIX,
    cell_tolerance,
    compare_text,
    parse_number,
    split_numbers,
    within,
)


@pytest.mark.parametrize(
    ("text", "value", "half_unit"),
    [
        ("12", 12.0, 0.5),
        ("0.9722", 0.9722, 0.00005),
        ("-3.5", -3.5, 0.05),
        ("1,437", 1437.0, 0.5),
        ("1.4e-07", 1.4e-07, 0.05e-07),
        ("2E+03", 2000.0, 500.0),
        (".25", 0.25, 0.005),
    ],
)
def test_parse_number_reads_value_and_last_digit(text, value, half_unit):
    number = parse_number(text)
    assert number.value == pytest.approx(value, rel=1e-15)
    assert number.half_unit == pytest.approx(half_unit, rel=1e-12)


def test_split_numbers_keeps_the_words_between_numbers():
    words, numbers = split_numbers("epoch 12: loss 0.0619, accuracy 94.7% (nan)")
    assert words == ["epoch ", ": loss ", ", accuracy ", "% (nan)"]
    assert [n.text for n in numbers] == ["12", "0.0619", "94.7"]


def test_numbers_inside_names_are_numbers_on_both_sides():
    # "W1" and "64-128-10" split the same way in the stored and the new text.
    assert split_numbers("W1 64-128-10")[0] == split_numbers("W1 64-128-10")[0]


def test_within_adds_half_a_unit_of_the_last_digit():
    ref = parse_number("0.50")
    assert within(parse_number("0.51"), ref, rtol=0.02)  # 0.01 <= 0.02 * 0.50 + 0.005
    assert not within(parse_number("0.52"), ref, rtol=0.02)  # 0.02 > 0.015
    assert not within(parse_number("0.52"), ref, rtol=0.0)
    assert within(parse_number("0.505"), ref, rtol=0.0)  # half a unit of 0.50
    assert within(parse_number("13"), parse_number("12"), rtol=0.05)  # 1 <= 0.6 + 0.5


def test_compare_text_accepts_numbers_within_the_tolerance():
    assert compare_text("loss 0.0619\n", "loss 0.0604\n", rtol=0.05) == []


def test_compare_text_rejects_a_number_beyond_the_tolerance():
    [reason] = compare_text("loss 0.0685\n", "loss 0.0604\n", rtol=0.05)
    assert "0.0604 became 0.0685" in reason and "13.4%" in reason


def test_compare_text_rejects_a_changed_word():
    [reason] = compare_text("Adam: diverged\n", "Adam: 6.437\n", rtol=0.5)
    assert "words differ" in reason


def test_compare_text_rejects_a_missing_number():
    assert compare_text("loss 0.1\n", "loss 0.1 0.2\n", rtol=0.5)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [([], None), (["hide-input"], None), (["tolerance-5%"], 0.05), (["tolerance-0.5%"], 0.005)],
)
def test_cell_tolerance_reads_the_tag(tags, expected):
    assert cell_tolerance({"metadata": {"tags": tags}}) == expected


def test_two_tolerance_tags_are_an_error():
    with pytest.raises(ValueError, match="more than one tolerance"):
        cell_tolerance({"metadata": {"tags": ["tolerance-1%", "tolerance-2%"]}})


# --- end to end: pytest --nbval with the plugin, on a notebook made here -------------
#
# Starting a kernel takes seconds, so every case is one cell of one notebook, run
# once; each test reads its cell's verdict from the JUnit report of that run.

TAGGED = ["tolerance-5%"]


def printing(source, stored, tags=TAGGED):
    """A cell that runs ``source`` but whose stored output is ``stored``."""
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored)]
    if tags:
        cell.metadata["tags"] = list(tags)
        cell.metadata["tolerance_reason"] = "seeds 0-4: 0.100 to 0.104"
    return cell


def gluing(printed, stored, tags=TAGGED):
    """A cell that glues ``printed`` for the prose, its stored glue being ``stored``."""
    cell = printing(f"from myst_nb import glue\nglue('loss', {printed!r}, display=False)",
                    "", tags)
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={GLUE_PREFIX + "text/plain": repr(stored)},
        metadata={"scrapbook": {"name": "loss", "mime_prefix": GLUE_PREFIX}})]
    return cell


CASES = {
    "number within the tolerance": printing('print("loss 0.102")', "loss 0.100\n"),
    "number beyond the tolerance": printing('print("loss 0.120")', "loss 0.100\n"),
    "changed word": printing('print("acc 0.100")', "loss 0.100\n"),
    "untagged cell": printing('print("loss 0.101")', "loss 0.100\n", tags=()),
    "glued number within the tolerance": gluing("0.102", "0.100"),
    "glued number beyond the tolerance": gluing("0.120", "0.100"),
    "untagged glued number": gluing("0.101", "0.100", tags=()),
}


def run_nbval(tmp_path, cells):
    """Run pytest --nbval with the plugin on a notebook of ``cells``; its JUnit report."""
    for count, cell in enumerate(cells, start=1):
        cell.execution_count = count
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path, report = tmp_path / "cells.ipynb", tmp_path / "report.xml"
    nbformat.write(nb, path)
    (tmp_path / "conftest.py").write_text('pytest_plugins = ("tests.nbval_tolerance",)\n')
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-current-env", str(path), "--rootdir", str(tmp_path),
         f"--junitxml={report}"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return result, report


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    """{case: (passed, failure text)} for every cell of CASES, from one nbval run."""
    import xml.etree.ElementTree as ET

    result, report = run_nbval(tmp_path_factory.mktemp("nbval"), list(CASES.values()))
    assert report.exists(), result.stdout + result.stderr
    found = {}
    for case in ET.parse(report).iter("testcase"):
        index = int(case.get("name").rsplit(" ", 1)[-1])  # "Cell 3"
        failure = case.find("failure")
        text = "" if failure is None else (failure.get("message", "") + (failure.text or ""))
        found[list(CASES)[index]] = (failure is None, text)
    assert set(found) == set(CASES), result.stdout
    return found


def test_e2e_a_number_within_the_tolerance_passes(verdicts):
    assert verdicts["number within the tolerance"] == (True, "")


def test_e2e_a_number_beyond_the_tolerance_fails(verdicts):
    passed, text = verdicts["number beyond the tolerance"]
    assert not passed and "0.100 became 0.120" in text, text


def test_e2e_a_changed_word_fails(verdicts):
    passed, text = verdicts["changed word"]
    assert not passed and "words differ" in text, text


def test_e2e_an_untagged_cell_stays_exact(verdicts):
    passed, text = verdicts["untagged cell"]
    assert not passed and "Cell outputs differ" in text, text


def test_e2e_a_glued_number_within_the_tolerance_passes(verdicts):
    assert verdicts["glued number within the tolerance"] == (True, "")


def test_e2e_a_glued_number_beyond_the_tolerance_fails(verdicts):
    passed, text = verdicts["glued number beyond the tolerance"]
    assert not passed and "0.100 became 0.120" in text, text


def test_e2e_an_untagged_glued_number_stays_exact(verdicts):
    passed, text = verdicts["untagged glued number"]
    assert not passed and "Cell outputs differ" in text, text


def test_e2e_a_tolerance_without_its_reason_is_refused(tmp_path):
    cell = printing('print("loss 0.100")', "loss 0.100\n")
    del cell.metadata["tolerance_reason"]
    result, _ = run_nbval(tmp_path, [cell])
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "tolerance_reason" in out, out
