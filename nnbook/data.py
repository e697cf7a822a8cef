r"""Data sets and data handling for the chapters.

Everything a chapter needs before the first forward pass:

* data sets: the 8x8 handwritten digits (:func:`load_digits`), two-dimensional
  toy classification problems (:func:`make_moons`, :func:`make_circles`) and
  noisy one-dimensional curves for regression (:func:`make_regression_1d`);
* splitting and scaling: :func:`train_test_split` (stratified by class),
  :class:`Standardizer`;
* encoding and batching: :func:`one_hot` and :func:`minibatches`.

``X`` has one sample per row, shape ``(n_samples, n_features)``; class labels
``y`` are a 1-D int64 array of values ``0, ..., K - 1``. scikit-learn is
imported only inside :func:`load_digits`, :func:`make_moons` and
:func:`make_circles`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator

import numpy as np

from ._validation import (
    as_generator,
    as_labels,
    as_samples,
    check_interval,
    check_num_classes,
    check_positive_int,
    check_same_length,
    check_scalar,
    describe,
    float_dtype,
)

__all__ = [
    "Standardizer",
    "load_digits",
    "make_circles",
    "make_moons",
    "make_regression_1d",
    "minibatches",
    "one_hot",
    "regression_function",
    "train_test_split",
]


# ---------------------------------------------------------------------------
# Validation helpers (the shared ones live in nnbook._validation)
# ---------------------------------------------------------------------------


def _as_targets(y, name: str = "y") -> np.ndarray:
    """Return ``y`` (class labels or regression targets) as an array with ndim >= 1."""
    arr = np.asarray(y)
    if arr.ndim == 0 or arr.dtype.kind not in "biuf":
        raise ValueError(
            f"{name} must be an array of labels or targets with one row per sample, "
            f"got {describe(y)}"
        )
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains non-finite values (nan or inf); expected finite numbers")
    return arr


def _sklearn_datasets():
    """Import ``sklearn.datasets`` lazily: scikit-learn belongs to the book extra."""
    try:
        from sklearn import datasets
    except ImportError as err:
        raise ImportError(
            "this function needs scikit-learn, which is part of nnbook's 'book' extra; "
            "install it with `pip install scikit-learn` (or `pip install nnbook[book]`)"
        ) from err
    return datasets


def _sklearn_seed(rng) -> int:
    """Draw an integer seed for a scikit-learn ``random_state`` from ``rng``."""
    return int(as_generator(rng).integers(0, 2**31 - 1))


def _check_n_samples(n_samples, minimum: int = 1) -> int:
    n = check_positive_int(n_samples, "n_samples")
    if n < minimum:
        raise ValueError(f"n_samples must be at least {minimum}, got {n}")
    return n


def load_digits(dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    r"""Load the 8x8 handwritten digits data set (UCI "optdigits", via scikit-learn).

    1797 images of the digits 0 to 9, each flattened row by row into
    :math:`x \in \{0,\dots,16\}^{64}` (``x.reshape(8, 8)`` gives the image
    back); nothing is downloaded. The pixels are unscaled.

    Parameters
    ----------
    dtype : float32 or float64

    Returns
    -------
    X : numpy.ndarray of shape (1797, 64), dtype ``dtype``
    y : numpy.ndarray of shape (1797,), int64

    Raises
    ------
    ImportError
        If scikit-learn is not installed.
    ValueError
        For another dtype.

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, y.shape, float(X.max()), sorted(set(y.tolist())) == list(range(10))
    ((1797, 64), (1797,), 16.0, True)
    """
    dt = float_dtype(dtype)
    bunch = _sklearn_datasets().load_digits()
    return bunch.data.astype(dt), bunch.target.astype(np.int64)


def make_moons(
    n_samples: int = 200, noise: float = 0.1, rng=None, dtype=np.float64
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaving half circles, a classic non-linearly separable problem.

    .. math::

        x = (\cos t, \sin t) \ (\text{class } 0), \qquad
        x = (1 - \cos t, \tfrac12 - \sin t) \ (\text{class } 1), \qquad t \in [0, \pi],

    plus Gaussian noise of standard deviation ``noise`` on both coordinates
    (``sklearn.datasets.make_moons``, seeded from ``rng``).

    Parameters
    ----------
    n_samples : int, >= 2
        Total number of points, split evenly between the classes.
    noise : float, >= 0
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64

    Returns
    -------
    X : numpy.ndarray of shape (n_samples, 2)
    y : numpy.ndarray of shape (n_samples,), int64 labels 0 and 1

    Raises
    ------
    ImportError
        If scikit-learn is not installed.
    ValueError
        For invalid arguments.

    Examples
    --------
    >>> X, y = make_moons(100, noise=0.1, rng=0)
    >>> X.shape, y.shape, np.bincount(y).tolist()
    ((100, 2), (100,), [50, 50])
    """
    n = _check_n_samples(n_samples, 2)
    noise = check_scalar(noise, "noise", low=0.0)
    dt = float_dtype(dtype)
    X, y = _sklearn_datasets().make_moons(n, noise=noise, random_state=_sklearn_seed(rng))
    return X.astype(dt), y.astype(np.int64)


def make_circles(
    n_samples: int = 200,
    noise: float = 0.05,
    rng=None,
    dtype=np.float64,
    factor: float = 0.5,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two concentric circles: class 0 outside, class 1 inside.

    .. math::

        \lVert x \rVert = 1 \ (\text{class } 0), \qquad
        \lVert x \rVert = \text{factor} \ (\text{class } 1),

    plus Gaussian noise of standard deviation ``noise`` on both coordinates
    (``sklearn.datasets.make_circles``, seeded from ``rng``).

    Parameters
    ----------
    n_samples, noise, rng, dtype
        As in :func:`make_moons`.
    factor : float in (0, 1)
        Radius of the inner circle.

    Returns
    -------
    X : numpy.ndarray of shape (n_samples, 2)
    y : numpy.ndarray of shape (n_samples,), int64 labels 0 and 1

    Raises
    ------
    ImportError, ValueError
        As :func:`make_moons`.

    Examples
    --------
    >>> X, y = make_circles(200, noise=0.0, rng=0)
    >>> r = np.hypot(X[:, 0], X[:, 1])
    >>> bool(np.allclose(r[y == 0], 1.0)), bool(np.allclose(r[y == 1], 0.5))
    (True, True)
    """
    n = _check_n_samples(n_samples, 2)
    noise = check_scalar(noise, "noise", low=0.0)
    factor = check_scalar(factor, "factor", low=0.0, high=1.0, low_inclusive=False,
                          high_inclusive=False)
    dt = float_dtype(dtype)
    X, y = _sklearn_datasets().make_circles(
        n, noise=noise, factor=factor, random_state=_sklearn_seed(rng)
    )
    return X.astype(dt), y.astype(np.int64)


_REGRESSION_FUNCTIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], tuple[float, float]]] = {
    "linear": (lambda x: 2.0 * x - 1.0, (0.0, 1.0)),
    "sin": (lambda x: np.sin(2.0 * np.pi * x), (0.0, 1.0)),
    "cubic": (lambda x: x**3 - x, (-1.5, 1.5)),
}


def regression_function(fn: str) -> Callable[[np.ndarray], np.ndarray]:
    r"""Return the noise-free function behind :func:`make_regression_1d`.

    ========  ===============================  ================
    ``fn``    :math:`f(x)`                     default x range
    ========  ===============================  ================
    linear    :math:`2x - 1`                   [0, 1]
    sin       :math:`\sin(2\pi x)`             [0, 1]
    cubic     :math:`x^3 - x`                  [-1.5, 1.5]
    ========  ===============================  ================

    Parameters
    ----------
    fn : {"linear", "sin", "cubic"}

    Returns
    -------
    callable
        Vectorised :math:`f`, mapping an array to an array of the same shape.

    Raises
    ------
    ValueError
        For another name.

    Examples
    --------
    >>> f = regression_function("sin")
    >>> np.round(f(np.array([0.0, 0.25, 0.5])), 6).tolist()
    [0.0, 1.0, 0.0]
    """
    if not isinstance(fn, str) or fn not in _REGRESSION_FUNCTIONS:
        raise ValueError(
            f"fn must be one of {sorted(_REGRESSION_FUNCTIONS)} or a callable, got {fn!r}"
        )
    return _REGRESSION_FUNCTIONS[fn][0]


def make_regression_1d(
    n_samples: int = 50,
    fn: str | Callable[[np.ndarray], np.ndarray] = "sin",
    noise: float = 0.1,
    outliers: int = 0,
    rng=None,
    dtype=np.float64,
    x_range: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Noisy samples of a smooth function of one variable, for curve fitting.

    .. math::

        x_i \sim \mathcal{U}(a, b), \qquad
        y_i = f(x_i) + \varepsilon_i, \quad \varepsilon_i \sim \mathcal{N}(0, \mathrm{noise}^2),

    then ``outliers`` random samples are pushed up by :math:`u \Delta`,
    :math:`u \sim \mathcal{U}(1, 2)`, :math:`\Delta = \max(\max_i f(x_i) - \min_i
    f(x_i), 1)`: enough to drag an MSE fit, hardly a robust one. The samples are
    sorted by :math:`x`.

    Parameters
    ----------
    n_samples : int, >= 1
    fn : {"linear", "sin", "cubic"} or callable
        :math:`f` (see :func:`regression_function`), or any vectorised callable.
    noise : float, >= 0
    outliers : int in [0, n_samples]
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64
    x_range : tuple of two floats, optional
        :math:`[a, b]`; defaults to the named function's range, or (0, 1).

    Returns
    -------
    X, y : numpy.ndarray of shape (n_samples, 1)

    Raises
    ------
    ValueError
        For invalid arguments, or an ``fn`` that does not return finite values
        of the shape of its input.

    Examples
    --------
    >>> X, y = make_regression_1d(20, fn="linear", noise=0.0, outliers=3, rng=0)
    >>> X.shape, int(np.sum(~np.isclose(y, 2 * X - 1)))  # 3 outliers off the line
    ((20, 1), 3)
    """
    n = _check_n_samples(n_samples)
    noise = check_scalar(noise, "noise", low=0.0)
    if isinstance(outliers, bool) or not isinstance(outliers, numbers.Integral) or not (
        0 <= outliers <= n
    ):
        raise ValueError(
            f"outliers must be an integer in [0, n_samples] = [0, {n}], got {outliers!r}"
        )
    dt = float_dtype(dtype)
    if callable(fn):
        f, default_range = fn, (0.0, 1.0)
    else:
        f = regression_function(fn)
        default_range = _REGRESSION_FUNCTIONS[fn][1]
    if x_range is None:
        x_range = default_range
    low, high = check_interval(x_range, "x_range")
    gen = as_generator(rng)

    x = np.sort(gen.uniform(low, high, size=n))
    clean = np.asarray(f(x), dtype=np.float64)
    if clean.shape != x.shape or not np.isfinite(clean).all():
        raise ValueError(
            f"fn must map an array of shape {x.shape} to finite values of the same shape, "
            f"got {describe(clean)}"
        )
    y = clean + noise * gen.standard_normal(n)
    if outliers:
        spread = max(float(np.ptp(clean)), 1.0)
        idx = gen.choice(n, size=int(outliers), replace=False)
        y[idx] += gen.uniform(1.0, 2.0, size=int(outliers)) * spread
    return x[:, None].astype(dt), y[:, None].astype(dt)


# ---------------------------------------------------------------------------
# Splitting, scaling, encoding, batching
# ---------------------------------------------------------------------------


def train_test_split(
    X, y, test_size: float = 0.2, stratify: bool = True, rng=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""Split samples at random into a training set and a test set.

    .. math::

        n_\text{test} = \min\big(\max(\operatorname{round}(\text{test\_size}
        \cdot n), 1), n - 1\big), \qquad
        n_{\text{test}, c} \approx \text{test\_size} \cdot n_c \ \text{(stratified)}

    With ``stratify=True`` and integer labels, each class :math:`c` of
    :math:`n_c` samples gives its share (largest-remainder rounding); float or
    multi-column ``y`` is split purely at random. Both splits are shuffled.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,) or (n_samples, n_targets)
        Integer class labels or regression targets.
    test_size : float in (0, 1)
    stratify : bool
    rng : numpy.random.Generator, int or None

    Returns
    -------
    X_train, X_test, y_train, y_test : numpy.ndarray
        Rows of ``X`` and ``y`` (copies), ``n - n_test`` and ``n_test`` of them.

    Raises
    ------
    ValueError
        For invalid arguments, mismatched lengths or fewer than 2 samples.

    Examples
    --------
    >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0] * 5 + [1] * 5)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, rng=0)
    >>> X_train.shape, X_test.shape, np.bincount(y_test).tolist()
    ((6, 2), (4, 2), [2, 2])
    """
    X = as_samples(X)
    y = _as_targets(y)
    check_same_length(X, y)
    test_size = check_scalar(test_size, "test_size", low=0.0, high=1.0, low_inclusive=False,
                             high_inclusive=False)
    n = len(X)
    if n < 2:
        raise ValueError(f"X must have at least 2 samples to split, got {n}")
    gen = as_generator(rng)

    n_test = min(max(int(np.floor(test_size * n + 0.5)), 1), n - 1)
    perm = gen.permutation(n)
    if stratify and y.ndim == 1 and y.dtype.kind in "biu":
        labels = as_labels(y)[perm]
        counts = np.bincount(labels)
        exact = test_size * counts
        per_class = np.floor(exact).astype(np.int64)
        # Largest-remainder rounding: the classes with the largest fractional
        # parts take the test samples still missing.
        missing = n_test - int(per_class.sum())
        per_class[np.argsort(per_class - exact, kind="stable")[:missing]] += 1
        # Rank of each (shuffled) sample within its class; the first
        # per_class[c] samples of class c go to the test set.
        order = np.argsort(labels, kind="stable")
        starts = np.cumsum(counts) - counts
        rank = np.arange(n) - starts[labels[order]]
        is_test = np.empty(n, dtype=bool)
        is_test[order] = rank < per_class[labels[order]]
    else:
        is_test = np.arange(n) < n_test
    test_idx, train_idx = perm[is_test], perm[~is_test]
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


class Standardizer:
    r"""Feature-wise standardization fitted on training data.

    .. math::

        \mu_j = \frac1n \sum_{i=1}^n x_{ij}, \qquad
        \sigma_j = \sqrt{\frac1n \sum_{i=1}^n (x_{ij} - \mu_j)^2}, \qquad
        z_{ij} = \frac{x_{ij} - \mu_j}{\tilde\sigma_j},
        \quad \tilde\sigma_j = \begin{cases} \sigma_j & \sigma_j > \epsilon \\
        1 & \text{otherwise} \end{cases}

    A constant feature becomes 0. Fit on the training set only (fitting on the
    test set leaks information about it) and reuse the statistics on the test set.

    Parameters
    ----------
    eps : float, >= 0

    Attributes
    ----------
    mean_, scale_ : numpy.ndarray of shape (n_features,)
        :math:`\mu` and :math:`\tilde\sigma`, set by :meth:`fit`.

    Raises
    ------
    ValueError
        From :meth:`transform` before :meth:`fit`, or for another number of features.

    Examples
    --------
    >>> scaler = Standardizer().fit(np.array([[1.0, 5.0], [3.0, 5.0]]))
    >>> scaler.mean_.tolist(), scaler.scale_.tolist(), scaler.transform([[4.0, 6.0]]).tolist()
    ([2.0, 5.0], [1.0, 1.0], [[2.0, 1.0]])
    """

    def __init__(self, eps: float = 1e-8) -> None:
        self.eps = check_scalar(eps, "eps", low=0.0)
        self.mean_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None

    def fit(self, X) -> Standardizer:
        """Compute :math:`\\mu` and :math:`\\tilde\\sigma` from ``X`` of shape (n, d)."""
        X = as_samples(X)
        if len(X) == 0:
            raise ValueError("X must have at least one sample to fit a Standardizer, got 0")
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.scale_ = np.where(std > self.eps, std, 1).astype(X.dtype)
        return self

    def _check_fitted(self, X, name: str) -> np.ndarray:
        if self.mean_ is None:
            raise ValueError("this Standardizer is not fitted yet; call fit(X_train) first")
        X = as_samples(X, name)
        if X.shape[1] != self.mean_.shape[0]:
            raise ValueError(
                f"{name} must have {self.mean_.shape[0]} features (columns) like the data the "
                f"Standardizer was fitted on, got {describe(X)}"
            )
        return X

    def transform(self, X) -> np.ndarray:
        """Return :math:`(X - \\mu) / \\tilde\\sigma` (a new array, dtype of ``X``)."""
        X = self._check_fitted(X, "X")
        return ((X - self.mean_) / self.scale_).astype(X.dtype, copy=False)

    def fit_transform(self, X) -> np.ndarray:
        """Fit on ``X`` and return it standardized."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z) -> np.ndarray:
        """Undo :meth:`transform`: return :math:`Z \\tilde\\sigma + \\mu`."""
        Z = self._check_fitted(Z, "Z")
        return (Z * self.scale_ + self.mean_).astype(Z.dtype, copy=False)

    def __repr__(self) -> str:
        return f"Standardizer(eps={self.eps:g})"


def one_hot(y, num_classes: int | None = None, dtype=np.float64) -> np.ndarray:
    r"""One-hot encode class labels.

    .. math::

        Y_{ik} = \begin{cases} 1 & k = y_i \\ 0 & \text{otherwise} \end{cases},
        \qquad k = 0, \dots, K - 1

    Parameters
    ----------
    y : array_like of shape (n_samples,)
        Integer class labels, >= 0.
    num_classes : int, optional
        :math:`K`, larger than every label; defaults to ``max(y) + 1``.
    dtype : float32 or float64

    Returns
    -------
    numpy.ndarray of shape (n_samples, num_classes)

    Raises
    ------
    ValueError
        For invalid labels or a ``num_classes`` not above every label.

    Examples
    --------
    >>> one_hot([0, 2, 1], num_classes=4)
    array([[1., 0., 0., 0.],
           [0., 0., 1., 0.],
           [0., 1., 0., 0.]])
    """
    labels = as_labels(y)
    dt = float_dtype(dtype)
    k = check_num_classes(labels, num_classes)
    out = np.zeros((labels.size, k), dtype=dt)
    out[np.arange(labels.size), labels] = 1
    return out


def minibatches(
    X, y, batch_size: int, rng=None, shuffle: bool = True
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    r"""Iterate once over the data in mini-batches.

    One pass (an epoch) visits every sample exactly once: the samples are
    taken in the order of a random permutation (``shuffle=True``) or in their
    stored order, cut into :math:`\lceil n / B \rceil` batches of
    :math:`B` = ``batch_size`` samples, the last one smaller when :math:`B`
    does not divide :math:`n`. Call it again for the next epoch, with the
    same ``Generator`` so that each epoch gets a new order.

    The arguments are checked at once, when ``minibatches`` is called, not
    when the first batch is requested.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Inputs.
    y : array_like of shape (n_samples,) or (n_samples, n_targets)
        Labels or targets, one row per sample.
    batch_size : int
        Samples per batch, >= 1.
    rng : numpy.random.Generator, int or None, optional
        Source of randomness for the order (unused when ``shuffle=False``).
    shuffle : bool, optional
        Visit the samples in random order.

    Yields
    ------
    X_batch : numpy.ndarray of shape (b, n_features)
    y_batch : numpy.ndarray of shape (b,) or (b, n_targets)
        Copies when shuffling, views of ``X`` and ``y`` otherwise.

    Examples
    --------
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> [yb.tolist() for _, yb in minibatches(X, y, batch_size=2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    >>> sorted(np.concatenate([yb for _, yb in minibatches(X, y, 2, rng=0)]).tolist())
    [0, 1, 2, 3, 4]
    """
    X = as_samples(X)
    y = _as_targets(y)
    check_same_length(X, y)
    batch_size = check_positive_int(batch_size, "batch_size")
    gen = as_generator(rng)
    order = gen.permutation(len(X)) if shuffle else None
    return _batches(X, y, batch_size, order)


def _batches(X, y, batch_size, order) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for start in range(0, len(X), batch_size):
        if order is None:
            yield X[start : start + batch_size], y[start : start + batch_size]
        else:
            idx = order[start : start + batch_size]
            yield X[idx], y[idx]
