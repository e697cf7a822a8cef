"""nnbook.gradcheck against closed-form gradients, and the shared validation helpers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from nnbook._validation import (
    as_float_array,
    as_generator,
    check_axis,
    check_positive_int,
    check_scalar,
)
from nnbook.gradcheck import gradient_error, numerical_gradient, relative_error

finite = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, array_shapes(max_dims=3, max_side=4), elements=finite))
def test_numerical_gradient_of_a_quadratic_is_exact(x):
    # f(x) = sum(x^2)/2 has gradient x; central differences are exact on quadratics
    # up to rounding.
    g = numerical_gradient(lambda v: 0.5 * np.sum(v**2), x)
    assert g.shape == x.shape
    np.testing.assert_allclose(g, x, atol=1e-7)


def test_numerical_gradient_matches_a_transcendental_closed_form():
    x = np.linspace(-2, 2, 7).reshape(7, 1)
    assert gradient_error(lambda v: np.sum(np.exp(v) * np.sin(v)),
                          np.exp(x) * (np.sin(x) + np.cos(x)), x) < 1e-8


def test_numerical_gradient_leaves_the_input_untouched():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    numerical_gradient(lambda v: float(np.prod(v)), x)
    np.testing.assert_array_equal(x, before)


def test_gradient_error_detects_a_wrong_gradient():
    x = np.array([0.3, -0.7])
    assert gradient_error(lambda v: np.sum(v**3), 3 * x**2, x) < 1e-8
    assert gradient_error(lambda v: np.sum(v**3), 2 * x**2, x) > 0.1  # a plausible bug


def test_gradient_error_accepts_a_callable():
    x = np.array([0.5, 1.5])
    assert gradient_error(lambda v: np.sum(np.log(v)), lambda v: 1 / v, x) < 1e-7


def test_relative_error():
    assert relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert relative_error([2.0], [1.0]) == pytest.approx(1 / 3)
    assert relative_error(np.empty(0), np.empty(0)) == 0.0
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error([1.0], [1.0, 2.0])


@pytest.mark.parametrize("eps", [0.0, -1e-6, float("nan")])
def test_bad_eps(eps):
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(np.sum, np.ones(2), eps=eps)


def test_as_float_array_keeps_float_dtypes_and_promotes_integers():
    assert as_float_array(np.ones(2, np.float32), "x").dtype == np.float32
    assert as_float_array(np.ones(2), "x").dtype == np.float64
    assert as_float_array([1, 2], "x").dtype == np.float64
    assert as_float_array([True], "x").dtype == np.float64
    assert as_float_array(np.ones(2), "x", dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize("bad", [["a", "b"], np.array([1 + 2j]), np.array([None])])
def test_as_float_array_rejects_non_numeric(bad):
    with pytest.raises(ValueError, match="x must be a real numeric array"):
        as_float_array(bad, "x")


def test_as_float_array_rejects_non_finite_unless_allowed():
    with pytest.raises(ValueError, match=r"x contains 2 non-finite value\(s\)"):
        as_float_array([np.nan, 1.0, np.inf], "x")
    assert as_float_array([np.inf], "x", allow_nonfinite=True).shape == (1,)
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        as_float_array([1.0], "x", dtype=np.int64)


def test_check_axis():
    assert check_axis(-1, 3) == 2
    assert check_axis(0, 1) == 0
    with pytest.raises(ValueError, match=r"axis=2 is out of range .* \[-2, 1\]"):
        check_axis(2, 2)
    for bad in (1.0, True):
        with pytest.raises(ValueError, match="axis must be an integer"):
            check_axis(bad, 2)


def test_check_scalar():
    assert check_scalar(0.5, "p", low=0, high=1, high_inclusive=False) == 0.5
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\), got 1.0"):
        check_scalar(1.0, "p", low=0, high=1, high_inclusive=False)
    with pytest.raises(ValueError, match=r"lr must lie in \(0, inf\]"):
        check_scalar(0, "lr", low=0, low_inclusive=False)
    for bad in (True, "1", None, float("inf")):
        with pytest.raises(ValueError):
            check_scalar(bad, "v")


def test_check_positive_int():
    assert check_positive_int(np.int64(3), "n") == 3
    for bad in (0, -1, 2.0, True):
        with pytest.raises(ValueError, match="n must be a positive integer"):
            check_positive_int(bad, "n")


def test_as_generator():
    rng = np.random.default_rng(1)
    assert as_generator(rng) is rng
    assert as_generator(3).random() == np.random.default_rng(3).random()
    assert isinstance(as_generator(None), np.random.Generator)
    for bad in (-1, 1.5, "seed", True):
        with pytest.raises(ValueError, match="rng must be|rng seed"):
            as_generator(bad)
