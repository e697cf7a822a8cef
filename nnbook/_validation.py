"""Input checks shared by every module of nnbook.

Bad input raises a ``ValueError`` whose message names the argument, what was
received and what was expected. The helpers:

- arrays: :func:`as_float_array`, :func:`as_samples`, :func:`as_labels`,
  :func:`check_same_length`, :func:`check_num_classes`, :func:`check_axis`;
- scalars and settings: :func:`check_scalar`, :func:`check_positive_int`,
  :func:`check_interval`, :func:`float_dtype`, :func:`as_generator`;
- names: :func:`lookup`, behind the ``get_*`` functions.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)

#: Arrays with at least this many elements are checked for nan and inf through
#: their sum first (see :func:`as_float_array`); below it, the direct test
#: ``np.isfinite(arr).all()`` is faster, its temporary still fitting in cache.
SUM_CHECK_MIN_SIZE = 1 << 20


def describe(x) -> str:
    """Short description of an array-like for error messages."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}"[:80]


def float_dtype(dtype) -> np.dtype:
    """``dtype`` as a NumPy dtype (None means float64); ValueError unless float32 or float64."""
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError):
        dt = None
    if dt is None or dt.type not in FLOAT_DTYPES:
        got = repr(dtype) if dt is None else str(dt)
        raise ValueError(f"dtype must be float32 or float64, got {got}")
    return dt


def all_finite(arr: np.ndarray) -> bool:
    """Whether the float array ``arr`` holds no nan and no inf.

    Arrays of :data:`SUM_CHECK_MIN_SIZE` elements or more are summed first (a
    finite sum proves every element finite, about twice as fast as
    ``np.isfinite``); a non-finite sum, possibly an overflow, falls back to the
    element-wise test.
    """
    if arr.size >= SUM_CHECK_MIN_SIZE:
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.add.reduce(arr, axis=None)
        if np.isfinite(total):
            return True
    return bool(np.isfinite(arr).all())


def scalar_if_0d(a: np.ndarray):
    """A 0-d result as a NumPy scalar, as NumPy's ufuncs return it; other arrays unchanged."""
    return a[()] if a.ndim == 0 else a


def as_float_array(x, name: str, *, allow_nonfinite: bool = False, dtype=None) -> np.ndarray:
    """``x`` as a float32 or float64 ndarray (integers and booleans become float64, or ``dtype``).

    Raises ``ValueError`` for other dtypes, and for nan or inf unless ``allow_nonfinite``.
    """
    arr = np.asarray(x)
    if dtype is not None:
        dtype = float_dtype(dtype)
    if arr.dtype.type in FLOAT_DTYPES:
        if dtype is not None and arr.dtype != dtype:
            arr = arr.astype(dtype)
    elif arr.dtype.kind in "biuf":
        arr = arr.astype(dtype or np.float64)
    else:
        raise ValueError(
            f"{name} must be a real numeric array (float32 or float64), got {describe(x)}"
        )
    if allow_nonfinite:
        return arr
    # all_finite, with its small-array case inlined (this runs on every public call).
    if not (np.isfinite(arr).all() if arr.size < SUM_CHECK_MIN_SIZE else all_finite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(
            f"{name} contains {bad} non-finite value(s) (nan or inf); expected finite numbers"
        )
    return arr


def as_samples(X, name: str = "X", *, dtype=None) -> np.ndarray:
    """``X`` as a finite 2-D float array of shape (n_samples, n_features)."""
    arr = as_float_array(X, name, dtype=dtype)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, n_features), got {describe(arr)}"
        )
    return arr


def as_labels(y, name: str = "y") -> np.ndarray:
    """Class labels as a 1-D int64 array: integers >= 0, or floats that are whole numbers."""
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of class labels, got {describe(arr)}; "
            "expected shape (n_samples,)"
        )
    if arr.dtype.kind in "biu":
        labels = arr.astype(np.int64)
    elif arr.dtype.kind == "f":
        if not np.isfinite(arr).all() or not np.array_equal(arr, np.round(arr)):
            raise ValueError(
                f"{name} must hold integer class labels 0, 1, 2, ..., got non-integer values "
                f"in {describe(arr)}"
            )
        labels = arr.astype(np.int64)
    else:
        raise ValueError(f"{name} must hold integer class labels, got {describe(y)}")
    if labels.size and labels.min() < 0:
        raise ValueError(
            f"{name} must hold non-negative class labels 0, 1, 2, ..., got minimum {labels.min()}"
        )
    return labels


def check_num_classes(labels: np.ndarray, num_classes, name: str = "y") -> int:
    """Validate ``num_classes`` against labels from :func:`as_labels` (default: ``max + 1``)."""
    needed = int(labels.max()) + 1 if labels.size else 0
    if num_classes is None:
        if needed == 0:
            raise ValueError(f"num_classes must be given when {name} is empty")
        return needed
    k = check_positive_int(num_classes, "num_classes")
    if k < needed:
        raise ValueError(
            f"num_classes={k} is too small: {name} contains label {needed - 1}; "
            f"expected num_classes >= {needed}"
        )
    return k


def check_same_length(X: np.ndarray, y: np.ndarray, x_name: str = "X", y_name: str = "y") -> None:
    """Check that ``X`` and ``y`` have as many rows."""
    if y.ndim < 1 or len(y) != len(X):
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of samples (rows), got "
            f"{x_name} with shape {X.shape} and {y_name} with shape {np.shape(y)}"
        )


def check_axis(axis: int, ndim: int, name: str = "axis") -> int:
    """Normalize ``axis`` for an array with ``ndim`` dimensions."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"{name}={axis} is out of range for an array with {ndim} dimension(s); "
            f"expected an integer in [{-ndim}, {ndim - 1}]"
        )
    return int(axis) % ndim


def check_scalar(
    value,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Check that ``value`` is a finite real number inside the given interval."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    ok = np.isfinite(value)
    if ok and low is not None:
        ok = value >= low if low_inclusive else value > low
    if ok and high is not None:
        ok = value <= high if high_inclusive else value < high
    if not ok:
        left = ("[" if low_inclusive else "(") + ("-inf" if low is None else f"{low:g}")
        right = ("inf" if high is None else f"{high:g}") + ("]" if high_inclusive else ")")
        raise ValueError(f"{name} must lie in {left}, {right}, got {value!r}")
    return value


def check_positive_int(value, name: str) -> int:
    """Check that ``value`` is an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_interval(pair, name: str) -> tuple[float, float]:
    """Check that ``pair`` is ``(low, high)``, two finite numbers with low < high."""
    if np.shape(pair) != (2,):
        raise ValueError(f"{name} must be a pair (low, high), got {pair!r}")
    low = check_scalar(pair[0], f"{name}[0]")
    high = check_scalar(pair[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name} must satisfy low < high, got {pair!r}")
    return low, high


def as_generator(rng) -> np.random.Generator:
    """Turn ``rng`` (a Generator, a non-negative int seed or None) into a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng seed must be a non-negative integer, got {rng!r}")
        return np.random.default_rng(rng)
    raise ValueError(
        f"rng must be a numpy.random.Generator, a non-negative int seed or None, got {rng!r}"
    )


def lookup(
    name,
    registry: Mapping[str, object],
    kind: str,
    aliases: Mapping[str, str] | None = None,
    *,
    passthrough: Callable[[object], bool] | None = None,
    expected: str | None = None,
):
    """The entry of ``registry`` called ``name`` (or an alias of it), case-insensitively.

    An object for which ``passthrough(name)`` is true is returned unchanged;
    ``kind`` ("loss", ...) and ``expected`` ("a Loss") word the error message.

    Examples
    --------
    >>> lookup("L2", {"mse": 1}, "loss", {"l2": "mse"})
    1
    >>> lookup("huber", {"mse": 1}, "loss", {"l2": "mse"}, expected="a Loss")
    Traceback (most recent call last):
    ...
    ValueError: unknown loss 'huber'; expected a Loss or one of 'mse', 'l2' (case-insensitive)
    """
    if passthrough is not None and passthrough(name):
        return name
    if isinstance(name, str):
        key = name.lower()
        if aliases:
            key = aliases.get(key, key)
        if key in registry:
            return registry[key]
    names = ", ".join(repr(n) for n in (*registry, *(aliases or ())))
    either = f"{expected} or " if expected else ""
    raise ValueError(f"unknown {kind} {name!r}; expected {either}one of {names} (case-insensitive)")
