"""Input checks shared by every module of nnbook.

Every public function validates its arguments at the boundary and raises a
``ValueError`` whose message names the argument, says what was received and
what was expected (the scikit-learn habit). The helpers here keep those
messages consistent.
"""

from __future__ import annotations

import numbers

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def describe(x) -> str:
    """Short description of an array-like for error messages."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}"[:80]


def as_float_array(x, name: str, *, allow_nonfinite: bool = False, dtype=None) -> np.ndarray:
    """Return ``x`` as a float32 or float64 ndarray, validating it.

    float32 and float64 inputs keep their dtype; integer and boolean inputs
    become float64 (or ``dtype`` when given). Anything else (strings, objects,
    complex numbers) raises ``ValueError``, as do nan and inf unless
    ``allow_nonfinite`` is true.
    """
    arr = np.asarray(x)
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype.type not in FLOAT_DTYPES:
            raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    if arr.dtype.type in FLOAT_DTYPES:
        if dtype is not None and arr.dtype != dtype:
            arr = arr.astype(dtype)
    elif arr.dtype.kind in "biuf":
        arr = arr.astype(dtype or np.float64)
    else:
        raise ValueError(
            f"{name} must be a real numeric array (float32 or float64), got {describe(x)}"
        )
    if not allow_nonfinite and not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(
            f"{name} contains {bad} non-finite value(s) (nan or inf); expected finite numbers"
        )
    return arr


def check_axis(axis: int, ndim: int, name: str = "axis") -> int:
    """Normalise ``axis`` for an array with ``ndim`` dimensions."""
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


def as_generator(rng) -> np.random.Generator:
    """Turn ``rng`` (a Generator, an int seed or None) into a Generator.

    nnbook never touches NumPy's global random state: every function that
    draws random numbers takes ``rng`` and goes through this helper.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng seed must be a non-negative integer, got {rng!r}")
        return np.random.default_rng(rng)
    raise ValueError(
        f"rng must be a numpy.random.Generator, a non-negative int seed or None, got {rng!r}"
    )
