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


TAGGED = ["tolerance-5%"]


def notebook(source, stored, tags=(), reason="seeds 0-4: 0.100 to 0.104"):
    """A one-cell notebook whose stored output is ``stored`` (not what it prints)."""
    cell = nbformat.v4.new_code_cell(source, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored)]
    if tags:
        cell.metadata["tags"] = list(tags)
    if reason is not None and tags:
        cell.metadata["tolerance_reason"] = reason
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return nb


def run_nbval(tmp_path, nb):
    path = tmp_path / "cell.ipynb"
    nbformat.write(nb, path)
    (tmp_path / "conftest.py").write_text('pytest_plugins = ("tests.nbval_tolerance",)\n')
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-current-env", str(path), "--rootdir", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return result.returncode, result.stdout + result.stderr


def test_e2e_a_number_within_the_tolerance_passes(tmp_path):
    code, out = run_nbval(tmp_path, notebook('print("loss 0.102")', "loss 0.100\n", TAGGED))
    assert code == 0, out


def test_e2e_a_number_beyond_the_tolerance_fails(tmp_path):
    code, out = run_nbval(tmp_path, notebook('print("loss 0.120")', "loss 0.100\n", TAGGED))
    assert code == 1 and "0.100 became 0.120" in out, out


def test_e2e_a_changed_word_fails(tmp_path):
    code, out = run_nbval(tmp_path, notebook('print("acc 0.100")', "loss 0.100\n", TAGGED))
    assert code == 1 and "words differ" in out, out


def test_e2e_an_untagged_cell_stays_exact(tmp_path):
    code, out = run_nbval(tmp_path, notebook('print("loss 0.101")', "loss 0.100\n"))
    assert code == 1 and "Cell outputs differ" in out, out


def glued(stored, printed, tags=TAGGED):
    """A notebook whose one cell glues ``printed`` for the prose, stored as ``stored``."""
    nb = notebook(f"from myst_nb import glue\nglue('loss', {printed!r}, display=False)",
                  "", tags)
    record = "application/papermill.record/"
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={record + "text/plain": repr(stored)},
        metadata={"scrapbook": {"name": "loss", "mime_prefix": record}})]
    return nb


def test_e2e_a_glued_number_within_the_tolerance_passes(tmp_path):
    code, out = run_nbval(tmp_path, glued("0.100", "0.102"))
    assert code == 0, out


def test_e2e_a_glued_number_beyond_the_tolerance_fails(tmp_path):
    code, out = run_nbval(tmp_path, glued("0.100", "0.120"))
    assert code == 1 and "0.100 became 0.120" in out, out


def test_e2e_an_untagged_glued_number_stays_exact(tmp_path):
    code, out = run_nbval(tmp_path, glued("0.100", "0.101", tags=()))
    assert code == 1 and "Cell outputs differ" in out, out


def test_e2e_a_tolerance_without_its_reason_is_refused(tmp_path):
    nb = notebook('print("loss 0.100")', "loss 0.100\n", ["tolerance-5%"], reason=None)
    code, out = run_nbval(tmp_path, nb)
    assert code != 0 and "tolerance_reason" in out, out
