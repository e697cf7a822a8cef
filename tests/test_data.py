"""nnbook.data: data sets, splitting, scaling, encoding and batching.

Geometry is checked against the closed forms of the docstrings (noise-free
points lie exactly on their curves), statistics against their standard
errors, and the splitting and batching helpers against set identities (every
sample exactly once, pairs of X and y kept together).
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.data import (
    Standardizer,
    load_digits,
    make_circles,
    make_moons,
    make_regression_1d,
    minibatches,
    one_hot,
    regression_function,
    train_test_split,
)

# ---------------------------------------------------------------------------
# Data sets
# ---------------------------------------------------------------------------


def test_load_digits_shapes_dtypes_and_values():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert set(np.unique(y).tolist()) == set(range(10))
    assert X.min() == 0 and X.max() == 16
    assert np.array_equal(X, np.round(X))  # integer intensities
    X32, y32 = load_digits(dtype=np.float32)
    assert X32.dtype == np.float32 and np.array_equal(X32, X) and np.array_equal(y32, y)


def test_load_digits_rejects_non_float_dtype():
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        load_digits(dtype=np.int32)


@pytest.mark.parametrize("load", [load_digits, make_moons, make_circles])
def test_sklearn_functions_explain_a_missing_sklearn(monkeypatch, load):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn` fail
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match="needs scikit-learn"):
        load()


def test_sklearn_free_functions_work_without_sklearn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    X, y = make_regression_1d(20, rng=0)
    train_test_split(X, (y[:, 0] > 0).astype(int), rng=0)


TOY_SETS = [make_moons, make_circles]


@pytest.mark.parametrize("make", TOY_SETS)
def test_toy_sets_shapes_dtypes_and_determinism(make):
    X, y = make(n_samples=90, rng=3)
    assert X.shape == (90, 2) and X.dtype == np.float64
    assert y.shape == (90,) and y.dtype == np.int64
    assert np.isfinite(X).all() and y.min() == 0
    X2, y2 = make(n_samples=90, rng=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, _ = make(n_samples=90, rng=np.random.default_rng(4))
    assert not np.array_equal(X, X3)
    X32, y32 = make(n_samples=90, rng=3, dtype=np.float32)
    assert X32.dtype == np.float32
    np.testing.assert_allclose(X32, X, rtol=1e-6, atol=1e-6)
    assert np.array_equal(y32, y)


@pytest.mark.parametrize("make", TOY_SETS)
def test_toy_sets_do_not_touch_global_random_state(make):
    # Reading the legacy global state is the point of this test.
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    make(n_samples=20, rng=1)
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002


@pytest.mark.parametrize("make", TOY_SETS)
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_samples": 0}, "n_samples"),
        ({"n_samples": 2.5}, "n_samples"),
        ({"noise": -0.1}, "noise"),
        ({"noise": float("nan")}, "noise"),
        ({"rng": "seed"}, "rng"),
        ({"dtype": np.int64}, "dtype must be float32 or float64, got int64"),
        ({"dtype": "nonsense"}, "dtype must be float32 or float64, got 'nonsense'"),
    ],
)
def test_toy_sets_validate_arguments(make, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make(**kwargs)


def test_moons_lie_on_their_half_circles_without_noise():
    X, y = make_moons(101, noise=0.0, rng=0)
    assert np.bincount(y).tolist() == [50, 51]  # sklearn gives the odd one to class 1
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    assert (upper[:, 1] >= -1e-12).all()
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert (lower[:, 1] <= 0.5 + 1e-12).all()


def test_circles_radii_and_factor():
    X, y = make_circles(100, noise=0.0, factor=0.3, rng=0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)
    with pytest.raises(ValueError, match="factor"):
        make_circles(factor=1.0)


@pytest.mark.parametrize(
    ("fn", "low", "high"), [("linear", 0.0, 1.0), ("sin", 0.0, 1.0), ("cubic", -1.5, 1.5)]
)
def test_regression_1d_noise_free_samples_lie_on_the_function(fn, low, high):
    X, y = make_regression_1d(200, fn=fn, noise=0.0, rng=0)
    assert X.shape == (200, 1) and y.shape == (200, 1)
    assert low <= X.min() and X.max() <= high
    assert np.all(np.diff(X[:, 0]) >= 0)  # sorted
    np.testing.assert_allclose(y[:, 0], regression_function(fn)(X[:, 0]))


def test_regression_functions_closed_forms():
    x = np.array([-1.0, 0.0, 0.25, 2.0])
    np.testing.assert_allclose(regression_function("linear")(x), 2 * x - 1)
    np.testing.assert_allclose(regression_function("sin")(x), np.sin(2 * np.pi * x))
    np.testing.assert_allclose(regression_function("cubic")(x), x**3 - x)
    with pytest.raises(ValueError, match="fn must be one of"):
        regression_function("exp")


def test_regression_1d_noise_scale():
    X, y = make_regression_1d(5000, fn="sin", noise=0.3, rng=1)
    residual = y[:, 0] - np.sin(2 * np.pi * X[:, 0])
    assert abs(residual.mean()) < 5 * 0.3 / np.sqrt(5000)
    assert abs(residual.std() - 0.3) < 5 * 0.3 / np.sqrt(2 * 5000)


def test_regression_1d_outliers_are_counted_and_pushed_up():
    X, y = make_regression_1d(50, fn="linear", noise=0.0, outliers=7, rng=2)
    offset = y[:, 0] - (2 * X[:, 0] - 1)
    moved = offset > 1e-12
    assert moved.sum() == 7
    spread = max(np.ptp(2 * X[:, 0] - 1), 1.0)
    assert np.all(offset[moved] >= spread) and np.all(offset[moved] <= 2 * spread)
    assert np.allclose(offset[~moved], 0.0)


def test_regression_1d_callable_range_and_dtype():
    X, y = make_regression_1d(30, fn=np.cos, noise=0.0, x_range=(2.0, 3.0), rng=0,
                              dtype=np.float32)
    assert X.dtype == np.float32 and y.dtype == np.float32
    assert 2.0 <= X.min() and X.max() <= 3.0
    np.testing.assert_allclose(y, np.cos(X), rtol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"fn": "tan"}, "fn must be one of"),
        ({"fn": lambda x: x[:-1]}, "same shape"),
        ({"fn": lambda x: np.full_like(x, np.inf)}, "finite"),
        ({"outliers": 11}, "outliers"),
        ({"outliers": -1}, "outliers"),
        ({"outliers": 1.0}, "outliers"),
        ({"x_range": (1.0, 0.0)}, "low < high"),
        ({"x_range": (0.0, 1.0, 2.0)}, r"x_range must be a pair \(low, high\)"),
        ({"x_range": (0.0, np.nan)}, r"x_range\[1\] must lie in"),
        ({"noise": -1.0}, "noise"),
    ],
)
def test_regression_1d_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_regression_1d(10, **kwargs)


# ---------------------------------------------------------------------------
# train_test_split
# ---------------------------------------------------------------------------


def _ids(X):
    return X[:, 0].astype(int)


def test_split_partitions_the_samples_and_keeps_pairs():
    n = 37
    X = np.column_stack([np.arange(n), np.arange(n) ** 2]).astype(float)
    y = np.arange(n) % 3
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, rng=0)
    assert len(X_te) == round(0.25 * n) and len(X_tr) + len(X_te) == n
    ids = np.concatenate([_ids(X_tr), _ids(X_te)])
    assert np.array_equal(np.sort(ids), np.arange(n))
    assert np.array_equal(y_tr, _ids(X_tr) % 3) and np.array_equal(y_te, _ids(X_te) % 3)
    assert np.array_equal(X_tr[:, 1], X_tr[:, 0] ** 2)


def test_split_is_seeded_and_shuffled():
    X = np.arange(200.0).reshape(100, 2)
    y = np.repeat([0, 1], 50)
    a = train_test_split(X, y, rng=7)
    b = train_test_split(X, y, rng=np.random.default_rng(7))
    for u, v in zip(a, b, strict=True):
        assert np.array_equal(u, v)
    c = train_test_split(X, y, rng=8)
    assert not np.array_equal(a[1], c[1])
    # The training set is not grouped by class.
    assert np.any(np.diff(a[2]) < 0)


def test_split_stratifies_exactly_on_balanced_classes():
    y = np.repeat(np.arange(4), 25)
    X = np.arange(100.0)[:, None]
    _, _, y_tr, y_te = train_test_split(X, y, test_size=0.2, rng=0)
    assert np.bincount(y_te).tolist() == [5, 5, 5, 5]
    assert np.bincount(y_tr).tolist() == [20, 20, 20, 20]


def test_split_without_stratification_can_unbalance():
    y = np.repeat([0, 1], [90, 10])
    X = np.arange(100.0)[:, None]
    counts = {tuple(np.bincount(train_test_split(X, y, stratify=False, rng=s)[3], minlength=2))
              for s in range(20)}
    assert len(counts) > 1  # the share of class 1 in the test set varies


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(st.integers(0, 4), min_size=2, max_size=80),
    test_size=st.floats(0.05, 0.95),
    seed=st.integers(0, 2**16),
)
def test_split_stratified_counts_property(labels, test_size, seed):
    y = np.array(labels)
    n = len(y)
    X = np.arange(n, dtype=float)[:, None]
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=test_size, rng=seed)
    n_test = min(max(int(np.floor(test_size * n + 0.5)), 1), n - 1)
    assert len(y_te) == n_test and len(y_tr) == n - n_test
    counts = np.bincount(y, minlength=5)
    test_counts = np.bincount(y_te, minlength=5)
    # Each class within one sample of its exact share, never more than it has.
    assert np.all(np.abs(test_counts - test_size * counts) < 1 + 1e-9)
    assert np.all(test_counts <= counts)
    assert np.array_equal(np.sort(np.concatenate([_ids(X_tr), _ids(X_te)])), np.arange(n))


def test_split_regression_targets_and_float32():
    X = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.linspace(0, 1, 10)[:, None]
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, rng=0)
    assert X_tr.dtype == np.float32 and y_te.shape == (3, 1) and y_tr.shape == (7, 1)
    np.testing.assert_allclose(y_te[:, 0], X_te[:, 0] / 2 / 9)


@pytest.mark.parametrize(
    ("X", "y", "kwargs", "match"),
    [
        (np.zeros(5), np.zeros(5, int), {}, "X must be a 2-D array"),
        (np.zeros((5, 2)), np.zeros(4, int), {}, "same number of samples"),
        (np.zeros((5, 2)), np.zeros(5, int), {"test_size": 0.0}, "test_size"),
        (np.zeros((5, 2)), np.zeros(5, int), {"test_size": 1.0}, "test_size"),
        (np.zeros((5, 2)), np.zeros(5, int), {"test_size": "0.2"}, "test_size"),
        (np.zeros((1, 2)), np.zeros(1, int), {}, "at least 2 samples"),
        (np.zeros((3, 2)), np.array([0, -1, 1]), {}, "non-negative"),
        (np.full((3, 2), np.nan), np.zeros(3, int), {}, "non-finite"),
        (np.zeros((3, 2)), np.array(["a", "b", "c"]), {}, "y must be an array"),
        (np.zeros((3, 2)), np.zeros(3, int), {"rng": -1}, "rng"),
    ],
)
def test_split_validation(X, y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        train_test_split(X, y, **kwargs)


# ---------------------------------------------------------------------------
# Standardizer
# ---------------------------------------------------------------------------


def test_standardizer_moments_and_reuse_on_test_data():
    rng = np.random.default_rng(0)
    X_train = rng.normal(3.0, 2.0, size=(50, 3))
    X_test = rng.normal(size=(7, 3))
    scaler = Standardizer().fit(X_train)
    Z = scaler.transform(X_train)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0)
    # The test set uses the training statistics, computed independently here.
    mu = X_train.sum(axis=0) / 50
    sigma = np.sqrt(((X_train - mu) ** 2).sum(axis=0) / 50)
    np.testing.assert_allclose(scaler.transform(X_test), (X_test - mu) / sigma)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X_test)), X_test)
    np.testing.assert_allclose(Standardizer().fit_transform(X_train), Z)


def test_standardizer_constant_columns_do_not_divide_by_zero():
    X = np.array([[1.0, 7.0], [3.0, 7.0], [5.0, 7.0]])
    scaler = Standardizer().fit(X)
    Z = scaler.transform(X)  # warnings are errors in the suite
    assert isinstance(Z, np.ndarray)
    np.testing.assert_array_equal(Z[:, 1], 0.0)
    np.testing.assert_allclose(Z[:, 0], [-np.sqrt(1.5), 0.0, np.sqrt(1.5)])
    Z_test = scaler.transform(np.array([[3.0, 8.0]]))
    np.testing.assert_allclose(Z_test, [[0.0, 1.0]])  # shifted by 1, scale 1


def test_standardizer_keeps_float32():
    X = np.arange(12, dtype=np.float32).reshape(4, 3)
    scaler = Standardizer().fit(X)
    assert scaler.transform(X).dtype == np.float32 and scaler.mean_.dtype == np.float32
    assert scaler.inverse_transform(X[:2]).dtype == np.float32


def test_standardizer_validation():
    with pytest.raises(ValueError, match="not fitted"):
        Standardizer().transform(np.zeros((2, 2)))
    scaler = Standardizer().fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="must have 2 features"):
        scaler.transform(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="at least one sample"):
        Standardizer().fit(np.zeros((0, 2)))
    with pytest.raises(ValueError, match="2-D"):
        Standardizer().fit(np.zeros(4))
    with pytest.raises(ValueError, match="eps"):
        Standardizer(eps=-1.0)
    assert repr(Standardizer(1e-6)) == "Standardizer(eps=1e-06)"


# ---------------------------------------------------------------------------
# one_hot
# ---------------------------------------------------------------------------


def test_one_hot_matches_identity_rows():
    y = np.array([2, 0, 1, 2])
    Y = one_hot(y)
    np.testing.assert_array_equal(Y, np.eye(3)[y])
    assert Y.dtype == np.float64
    assert one_hot(y, num_classes=5, dtype=np.float32).shape == (4, 5)
    assert one_hot(y, dtype=np.float32).dtype == np.float32
    np.testing.assert_array_equal(one_hot(np.array([1.0, 0.0])), [[0, 1], [1, 0]])
    assert one_hot(np.array([], dtype=int), num_classes=3).shape == (0, 3)


@pytest.mark.parametrize(
    ("y", "kwargs", "match"),
    [
        ([0, 3], {"num_classes": 3}, "num_classes=3 is too small"),
        ([0, -1], {}, "non-negative"),
        ([0.5, 1.0], {}, "integer class labels"),
        ([[0, 1]], {}, "1-D"),
        ([0, 1], {"num_classes": 0}, "num_classes"),
        ([], {}, "num_classes must be given"),
        (["a"], {}, "integer class labels"),
    ],
)
def test_one_hot_validation(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        one_hot(np.asarray(y), **kwargs)


# ---------------------------------------------------------------------------
# minibatches
# ---------------------------------------------------------------------------


def test_minibatches_cover_every_sample_once_with_smaller_last_batch():
    X = np.arange(46.0).reshape(23, 2)
    y = np.arange(23)
    batches = list(minibatches(X, y, batch_size=5, rng=0))
    assert [len(yb) for _, yb in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([yb for _, yb in batches])
    assert np.array_equal(np.sort(seen), y)
    assert not np.array_equal(seen, y)  # shuffled
    for Xb, yb in batches:
        assert np.array_equal(Xb[:, 0], 2 * yb)


def test_minibatches_seeded_order_and_new_order_per_epoch():
    X, y = np.zeros((30, 1)), np.arange(30)

    def order(rng):
        return np.concatenate([yb for _, yb in minibatches(X, y, 8, rng=rng)])

    assert np.array_equal(order(3), order(3))
    gen = np.random.default_rng(3)
    first, second = order(gen), order(gen)
    assert np.array_equal(first, order(3)) and not np.array_equal(first, second)


def test_minibatches_without_shuffle_yield_views_in_order():
    X = np.arange(10.0).reshape(5, 2)
    y = np.arange(5.0)[:, None]
    batches = list(minibatches(X, y, batch_size=2, shuffle=False))
    assert [yb[:, 0].tolist() for _, yb in batches] == [[0, 1], [2, 3], [4]]
    assert all(np.shares_memory(Xb, X) for Xb, _ in batches)
    assert len(list(minibatches(X, y, batch_size=10))) == 1


@pytest.mark.parametrize(
    ("X", "y", "batch_size", "match"),
    [
        (np.zeros((4, 2)), np.zeros(4), 0, "batch_size"),
        (np.zeros((4, 2)), np.zeros(4), 2.0, "batch_size"),
        (np.zeros((4, 2)), np.zeros(4), True, "batch_size"),
        (np.zeros((4, 2)), np.zeros(3), 2, "same number of samples"),
        (np.zeros(4), np.zeros(4), 2, "2-D"),
    ],
)
def test_minibatches_validate_when_called(X, y, batch_size, match):
    # The error comes from the call itself, before any batch is requested.
    with pytest.raises(ValueError, match=match):
        minibatches(X, y, batch_size)
