"""nnbook.gradcheck against closed-form gradients, and the shared validation helpers."""

from __future__ import annotations

import warnings
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from nnbook import _validation
from nnbook._validation import (
    SUM_CHECK_MIN_SIZE,
    all_finite,
    as_float_array,
    as_generator,
    as_labels,
    as_samples,
    check_axis,
    check_interval,
    check_num_classes,
    check_positive_int,
    check_same_length,
    check_scalar,
    float_dtype,
    lookup,
)
from nnbook.gradcheck import as_function_of, gradient_error, numerical_gradient, relative_error

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


# ---------------------------------------------------------------- finiteness of large arrays


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("signs", ["positive", "both"])
def test_as_float_array_accepts_large_finite_values_whose_sum_overflows(dtype, signs):
    big = np.finfo(dtype).max / 2
    x = np.full(SUM_CHECK_MIN_SIZE, big, dtype=dtype)
    if signs == "both":  # +inf from the first half, -inf from the second: a nan sum
        x[SUM_CHECK_MIN_SIZE // 2 :] *= -1
    with np.errstate(all="ignore"):
        assert not np.isfinite(x.sum())  # so the exact test has to decide
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the overflowing sum must stay silent
        with np.errstate(all="raise"):  # even when the caller asks for errors
            assert all_finite(x)
            assert as_float_array(x, "x") is x


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("bad", "count"), [([np.nan], 1), ([np.inf], 1), ([-np.inf, np.inf], 2), ([np.nan] * 3, 3)]
)
def test_as_float_array_finds_non_finite_values_in_large_arrays(dtype, bad, count):
    x = np.ones(SUM_CHECK_MIN_SIZE + 5, dtype=dtype)
    x[-len(bad):] = bad
    assert not all_finite(x)
    with pytest.raises(ValueError, match=rf"x contains {count} non-finite value\(s\)"):
        as_float_array(x, "x")
    huge = np.full_like(x, np.finfo(dtype).max)  # overflowing sum, then the exact test
    huge[0] = bad[0]
    assert not all_finite(huge)


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        st.sampled_from([np.float32, np.float64]),
        array_shapes(min_dims=0, max_dims=3, max_side=6),
        elements=st.floats(width=32) | st.sampled_from([3e38, -3e38, np.nan, np.inf, -np.inf]),
    )
)
def test_all_finite_through_the_sum_agrees_with_isfinite(x):
    with mock.patch.object(_validation, "SUM_CHECK_MIN_SIZE", 1):  # the sum test, always
        assert all_finite(x) == bool(np.isfinite(x).all())


# ---------------------------------------------------------------- dtypes


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [(np.float32, np.float32), ("float64", np.float64), ("f4", np.float32),
     (np.dtype(np.float64), np.float64), (None, np.float64)],
)
def test_float_dtype_accepts_float32_and_float64(dtype, expected):
    assert float_dtype(dtype) == np.dtype(expected)


@pytest.mark.parametrize(
    ("dtype", "shown"),
    [(int, "int64"), (np.float16, "float16"), ("complex128", "complex128"),
     ("nonsense", "'nonsense'"), (3, "3"), (object, "object")],
)
def test_float_dtype_rejects_everything_else_naming_it(dtype, shown):
    with pytest.raises(ValueError, match=rf"^dtype must be float32 or float64, got {shown}$"):
        float_dtype(dtype)


# ---------------------------------------------------------------- names


REGISTRY = {"mean": "MEAN", "median": "MEDIAN"}


def test_lookup_is_case_insensitive_and_follows_aliases():
    assert lookup("Mean", REGISTRY, "statistic") == "MEAN"
    assert lookup("AVG", REGISTRY, "statistic", {"avg": "mean"}) == "MEAN"
    assert lookup("median", REGISTRY, "statistic", {"avg": "mean"}) == "MEDIAN"


def test_lookup_passes_through_what_the_predicate_accepts():
    obj = object()
    assert lookup(obj, REGISTRY, "statistic", passthrough=lambda o: o is obj) is obj
    assert lookup(len, REGISTRY, "statistic", passthrough=callable) is len
    with pytest.raises(ValueError, match="unknown statistic"):
        lookup(len, REGISTRY, "statistic")  # no predicate: not a name, rejected


@pytest.mark.parametrize("bad", ["mode", "", "avg", None, 3, ["mean"]])
def test_lookup_rejects_unknown_names_listing_names_and_aliases(bad):
    with pytest.raises(ValueError) as info:
        lookup(bad, REGISTRY, "statistic", {"average": "mean"}, expected="a callable")
    assert str(info.value) == (
        f"unknown statistic {bad!r}; expected a callable or one of 'mean', 'median', "
        "'average' (case-insensitive)"
    )


# ---------------------------------------------------------------- samples and labels


def test_as_samples():
    X = as_samples([[1, 2], [3, 4]])
    assert X.dtype == np.float64 and X.shape == (2, 2)
    assert as_samples(np.ones((3, 1)), dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match=r"Z must be a 2-D array of shape \(n_samples"):
        as_samples(np.ones(3), "Z")
    with pytest.raises(ValueError, match="X contains 1 non-finite"):
        as_samples([[1.0, np.nan]])


def test_check_same_length():
    check_same_length(np.ones((3, 2)), np.ones(3))
    with pytest.raises(ValueError, match=r"A and b must have the same number of samples .* "
                                         r"A with shape \(3, 2\) and b with shape \(2,\)"):
        check_same_length(np.ones((3, 2)), np.ones(2), "A", "b")
    with pytest.raises(ValueError, match="same number of samples"):
        check_same_length(np.ones((1, 2)), np.array(0))


@pytest.mark.parametrize(
    "y", [[0, 2, 1], np.array([0, 2, 1], dtype=np.uint8), np.array([0.0, 2.0, 1.0], np.float32)]
)
def test_as_labels_returns_int64(y):
    labels = as_labels(y)
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(labels, [0, 2, 1])


def test_as_labels_accepts_booleans_and_empty_arrays():
    np.testing.assert_array_equal(as_labels(np.array([True, False])), [1, 0])
    assert as_labels(np.array([], dtype=int)).shape == (0,)


@pytest.mark.parametrize(
    ("y", "match"),
    [
        ([[0, 1]], r"labels must be a 1-D array of class labels, got an array of shape \(1, 2\)"),
        (3, "labels must be a 1-D array"),
        ([0.5, 1.0], "labels must hold integer class labels 0, 1, 2, ..., got non-integer"),
        ([0.0, np.nan], "non-integer values"),
        (["a", "b"], "labels must hold integer class labels, got"),
        ([0, -2], "labels must hold non-negative class labels 0, 1, 2, ..., got minimum -2"),
        ([1.0, -1.0], "non-negative"),
    ],
)
def test_as_labels_rejects_what_is_not_labels(y, match):
    with pytest.raises(ValueError, match=match):
        as_labels(y, "labels")


def test_check_num_classes():
    labels = np.array([0, 3, 1])
    assert check_num_classes(labels, None) == 4
    assert check_num_classes(labels, 6) == 6
    with pytest.raises(ValueError, match="num_classes=3 is too small: y contains label 3; "
                                         "expected num_classes >= 4"):
        check_num_classes(labels, 3)
    with pytest.raises(ValueError, match="num_classes must be a positive integer"):
        check_num_classes(labels, 0)
    with pytest.raises(ValueError, match="num_classes must be given when t is empty"):
        check_num_classes(np.array([], dtype=np.int64), None, "t")
    assert check_num_classes(np.array([], dtype=np.int64), 2) == 2


def test_check_interval():
    assert check_interval((0, 2.5), "xlim") == (0.0, 2.5)
    assert check_interval(np.array([-1.0, 1.0]), "xlim") == (-1.0, 1.0)
    for bad in (1.0, (0, 1, 2), [[0, 1]]):
        with pytest.raises(ValueError, match=r"xlim must be a pair \(low, high\)"):
            check_interval(bad, "xlim")
    for bad in ((1, 1), (2, 0)):
        with pytest.raises(ValueError, match="xlim must satisfy low < high"):
            check_interval(bad, "xlim")
    with pytest.raises(ValueError, match=r"xlim\[1\] must lie in"):
        check_interval((0, np.inf), "xlim")


# ---------------------------------------------------------------- as_function_of


def test_as_function_of_evaluates_at_the_given_values_and_restores_the_array():
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = w.copy()
    seen = []

    def compute():
        seen.append(w.copy())
        return np.sum(w**3)

    f = as_function_of(compute, w)
    v = np.arange(4.0).reshape(2, 2)
    value = f(v)
    assert isinstance(value, float) and value == pytest.approx(np.sum(v**3))
    np.testing.assert_array_equal(seen[0], v)  # compute saw the new values ...
    np.testing.assert_array_equal(w, before)  # ... and the array got its own back


def test_as_function_of_gives_numerical_gradient_a_function_of_a_model_parameter():
    # L(W) = sum((X W + b - Y)^2) / 2 has the gradient X^T (X W + b - Y).
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    params = {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}
    W, b = params["W"], params["b"]

    def loss():
        return 0.5 * np.sum((X @ params["W"] + params["b"] - Y) ** 2)

    assert gradient_error(as_function_of(loss, W), X.T @ (X @ W + b - Y), W) < 1e-8
    assert gradient_error(as_function_of(loss, b), (X @ W + b - Y).sum(axis=0), b) < 1e-8
    assert params["W"] is W and params["b"] is b  # the arrays the "model" owns, unchanged


def test_as_function_of_works_on_a_view_into_a_larger_vector():
    theta = np.arange(6.0)
    W = theta[:4].reshape(2, 2)  # as the layers of Sequential.flat_parameters()
    f = as_function_of(lambda: float(np.sum(theta**2)), W)
    np.testing.assert_allclose(numerical_gradient(f, W), 2 * W, atol=1e-7)
    np.testing.assert_array_equal(theta, np.arange(6.0))


def test_as_function_of_keeps_float32():
    w = np.ones(3, dtype=np.float32)
    f = as_function_of(lambda: float(w.dtype == np.float32) + float(np.sum(w)), w)
    assert f(np.full(3, 2.0)) == 7.0
    assert w.dtype == np.float32


def test_as_function_of_restores_the_array_when_compute_raises():
    w = np.array([1.0, 2.0])

    def compute():
        raise FloatingPointError("diverged")

    with pytest.raises(FloatingPointError, match="diverged"):
        as_function_of(compute, w)(np.array([5.0, 6.0]))
    np.testing.assert_array_equal(w, [1.0, 2.0])


def test_as_function_of_rejects_bad_arguments():
    w = np.zeros(2)
    with pytest.raises(ValueError, match="compute must be a callable"):
        as_function_of(3.0, w)
    for bad in ([0.0, 1.0], np.zeros(2, dtype=int), 1.5):
        with pytest.raises(ValueError, match="param must be a float32 or float64 numpy.ndarray"):
            as_function_of(lambda: 0.0, bad)
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="param must be writable"):
        as_function_of(lambda: 0.0, frozen)
    f = as_function_of(lambda: float(np.sum(w)), w)
    with pytest.raises(ValueError, match=r"values must have the shape of param, \(2,\), "
                                         r"got shape \(3,\)"):
        f(np.zeros(3))
    with pytest.raises(ValueError, match="values contains 1 non-finite"):
        f(np.array([np.nan, 0.0]))
    np.testing.assert_array_equal(w, [0.0, 0.0])
