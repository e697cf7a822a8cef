"""nbval, with a stated tolerance for the numbers of cells that come out of training.

nbval compares every code cell's text output exactly. That is right for a
deterministic cell (a closed form, a count, a finite difference at a fixed
point printed at a precision no machine moves), and too strict for a number
that comes out of iterative training: the last bits of a float64 result
depend on the BLAS kernel, NumPy's SIMD paths and the C library, and training
amplifies them. A code cell whose metadata carries the tag ``tolerance-5%``
(any percentage) is compared by this plugin instead:

* the words (everything between the numbers) must be exactly the same;
* each number must lie within the tolerance of the stored one: relative, plus
  half a unit of the last printed digit,

  .. math:: |x - x_\\text{ref}| \\le r\\,|x_\\text{ref}| + \\tfrac12\\,10^{-d},

  where :math:`d` is the number of decimals printed.

The same holds for the text a tagged cell glues for the prose with myst-nb's
``glue(name, text, display=False)``: the book quotes the stored text, so it is
compared like a printed line.

A tagged cell states why its tolerance is what it is, in its metadata
(``"tolerance_reason": "..."``, the spread that was measured); a tagged cell
without one fails. Untagged cells stay exact. nbval stays the runner
(``pytest --nbval``); this plugin is loaded by the project's ``conftest.py``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

import pytest

TAG = re.compile(r"^tolerance-(\d+(?:\.\d+)?)%$")
REASON_KEY = "tolerance_reason"
# Where myst-nb's glue(..., display=False) stores a value that the prose quotes.
GLUE_PREFIX = "application/papermill.record/"
# A number as printed: optional sign, digits with optional thousands separators,
# optional decimals, optional exponent. "nan" and "inf" are words.
NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?"
    r"|(?<![\w.])[-+]?\.\d+(?:[eE][-+]?\d+)?"
)


@dataclass(frozen=True)
class Number:
    """A number as printed: its value and half a unit of its last digit."""

    text: str
    value: float
    half_unit: float


def parse_number(text: str) -> Number:
    """Read a printed number, e.g. ``"1,437"``, ``"0.9722"`` or ``"1.4e-07"``."""
    plain = text.replace(",", "")
    mantissa, _, exponent = plain.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    scale = 10.0 ** int(exponent) if exponent else 1.0
    return Number(text, float(plain), 0.5 * 10.0**-decimals * scale)


def split_numbers(text: str) -> tuple[list[str], list[Number]]:
    """Split a text into its words (the pieces between numbers) and its numbers.

    >>> split_numbers("loss 0.25 after 1,000 steps")
    (['loss ', ' after ', ' steps'], [Number(text='0.25', value=0.25, half_unit=0.005), \
Number(text='1,000', value=1000.0, half_unit=0.5)])
    """
    words, numbers, start = [], [], 0
    for match in NUMBER.finditer(text):
        words.append(text[start : match.start()])
        numbers.append(parse_number(match.group()))
        start = match.end()
    words.append(text[start:])
    return words, numbers


def within(test: Number, ref: Number, rtol: float) -> bool:
    """Whether ``test`` lies within ``rtol`` of ``ref``, plus half a printed unit."""
    slack = rtol * abs(ref.value) + max(ref.half_unit, test.half_unit)
    return abs(test.value - ref.value) <= slack * (1 + 1e-12)


def compare_text(test: str, ref: str, rtol: float) -> list[str]:
    """The reasons why ``test`` does not match ``ref`` within ``rtol`` (none if it does)."""
    if test == ref:
        return []
    test_words, test_numbers = split_numbers(test)
    ref_words, ref_numbers = split_numbers(ref)
    if test_words != ref_words:
        changed = [
            f"{r!r} became {t!r}" for t, r in zip(test_words, ref_words, strict=False) if t != r
        ]
        if len(test_words) != len(ref_words):
            changed.append(f"{len(ref_numbers)} numbers became {len(test_numbers)}")
        return ["the words differ (compared exactly): " + "; ".join(changed[:3])]
    return [
        f"{r.text} became {t.text}: off by {abs(t.value - r.value) / max(abs(r.value), 1e-300):.1%}"
        f", beyond the tolerance of {rtol:.1%} plus half a unit of the last digit"
        for t, r in zip(test_numbers, ref_numbers, strict=True)
        if not within(t, r, rtol)
    ]


def _texts(output) -> dict[str, object]:
    """The text fields of one output, by key (a stream's text, or text/* data).

    A value glued for the prose with myst-nb's ``glue(..., display=False)`` is
    stored under ``application/papermill.record/text/plain``: it is text too.
    """
    if output.get("output_type") == "stream":
        return {"text": output} if "text" in output else {}
    data = output.get("data", {})
    return {key: data for key in data if key.removeprefix(GLUE_PREFIX).startswith("text/")}


def _join(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def reconcile(test_outputs, ref_outputs, rtol: float):
    """Copy of ``test_outputs`` with each text within tolerance replaced by the stored one.

    Outputs are paired in order; a pair of another kind (or stream name) is left
    to nbval's exact comparison. Returns the copy and the reasons for every
    text that stays different.
    """
    test_outputs = copy.deepcopy(list(test_outputs))
    problems = []
    for test, ref in zip(test_outputs, ref_outputs, strict=False):
        same_kind = test.get("output_type") == ref.get("output_type")
        if not same_kind or test.get("name") != ref.get("name"):
            continue
        ref_texts = _texts(ref)
        for key, container in _texts(test).items():
            if key not in ref_texts:
                continue
            stored = ref_texts[key][key]
            reasons = compare_text(_join(container[key]), _join(stored), rtol)
            problems.extend(f"{key}: {reason}" for reason in reasons)
            if not reasons:
                container[key] = stored
    return test_outputs, problems


def cell_tolerance(cell) -> float | None:
    """The relative tolerance a cell's tags name (0.05 for ``tolerance-5%``), or None."""
    tags = [m for tag in cell.get("metadata", {}).get("tags", []) if (m := TAG.match(tag))]
    if not tags:
        return None
    if len(tags) > 1:
        raise ValueError(f"a cell names more than one tolerance: {[t.group() for t in tags]}")
    return float(tags[0].group(1)) / 100


def _tolerant_compare(item, rtol):
    exact_compare = item.compare_outputs

    def compare_outputs(test, ref, skip_compare=None):
        reconciled, problems = reconcile(test, ref, rtol)
        if exact_compare(reconciled, ref, skip_compare):
            return True
        item.comparison_traceback.extend(problems)
        return False

    return compare_outputs


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Give every nbval cell tagged ``tolerance-N%`` the tolerant comparison."""
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None or not hasattr(item, "compare_outputs"):
            continue
        rtol = cell_tolerance(cell)
        if rtol is None:
            continue
        if not str(cell.get("metadata", {}).get(REASON_KEY, "")).strip():
            raise pytest.UsageError(
                f"{item.nodeid} is tagged with a tolerance but its metadata has no "
                f"{REASON_KEY!r}: state the spread that was measured to justify it"
            )
        item.compare_outputs = _tolerant_compare(item, rtol)
