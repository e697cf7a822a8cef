"""Gradient checking by central finite differences.

The package's tests and the chapters check every analytic gradient against
:func:`numerical_gradient`; :func:`as_function_of` turns a model's loss, which
reads parameter arrays the model owns, into a function of one of those arrays.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import FLOAT_DTYPES, as_float_array, check_scalar, describe


def numerical_gradient(f: Callable[[np.ndarray], float], x, eps: float = 1e-6) -> np.ndarray:
    r"""Central-difference gradient of a scalar function (error :math:`O(\varepsilon^2)`).

    .. math::

        g_i = \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a scalar.
    x : array_like, any shape
        The point; ``f`` sees a perturbed float64 copy (``x`` is never modified).
    eps : float, > 0
        The step :math:`\varepsilon`.

    Returns
    -------
    numpy.ndarray, float64, shape ``x.shape``

    Raises
    ------
    ValueError
        For ``eps <= 0`` or non-finite ``x``.

    Examples
    --------
    >>> np.round(numerical_gradient(lambda v: np.sum(v ** 2), np.array([1.0, -2.0])), 6)
    array([ 2., -4.])
    """
    eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
    point = as_float_array(x, "x").astype(np.float64, copy=True)
    grad = np.empty_like(point)
    flat, gflat = point.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):  # one coordinate at a time: this is the definition
        original = flat[i]
        flat[i] = original + eps
        f_plus = float(f(point))
        flat[i] = original - eps
        f_minus = float(f(point))
        flat[i] = original
        gflat[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(a, b, floor: float = 1e-8) -> float:
    r"""Maximum elementwise relative error :math:`\max_i |a_i-b_i| / \max(|a_i|+|b_i|, floor)`.

    Raises ``ValueError`` if the shapes differ.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} and {b.shape}; expected equal shapes")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))


def gradient_error(f: Callable[[np.ndarray], float], grad, x, eps: float = 1e-6) -> float:
    r"""Maximum relative error between an analytic gradient and the numerical one.

    .. math::

        \max_i \frac{|g_i - \hat g_i|}{\max(|g_i| + |\hat g_i|,\ 10^{-8})},
        \qquad \hat g = \text{numerical\_gradient}(f, x)

    Below about 1e-6 in float64 means the analytic gradient is right.

    Parameters
    ----------
    f : callable
        Scalar function of an array shaped like ``x``.
    grad : array_like or callable
        The analytic gradient :math:`g` at ``x``, or a function returning it.
    x : array_like
    eps : float, > 0

    Returns
    -------
    float

    Raises
    ------
    ValueError
        As :func:`numerical_gradient`, or if ``grad`` and ``x`` differ in shape.

    Examples
    --------
    >>> x = np.array([0.5, -1.5, 2.0])
    >>> gradient_error(lambda v: np.sum(np.sin(v)), np.cos(x), x) < 1e-8
    True
    """
    analytic = grad(x) if callable(grad) else grad
    return relative_error(analytic, numerical_gradient(f, x, eps=eps))


def as_function_of(
    compute: Callable[[], float], param: np.ndarray
) -> Callable[[np.ndarray], float]:
    r"""A scalar computation as a function of the values of one array it reads.

    .. math::

        f(v) = \text{compute}()\,\big|_{\,\text{param} \,\leftarrow\, v}

    ``f(v)`` writes ``v`` into ``param``, evaluates ``compute()`` and restores
    ``param`` (also when ``compute`` raises).

    Parameters
    ----------
    compute : callable
        Takes no argument and returns a scalar, e.g.
        ``lambda: loss.value(model.forward(X), y)``.
    param : numpy.ndarray, float32 or float64, writable
        The array ``compute`` reads.

    Returns
    -------
    callable
        ``f(v) -> float`` for finite ``v`` of shape ``param.shape``.

    Raises
    ------
    ValueError
        For a non-callable ``compute`` or a ``param`` that is not a writable float
        array; ``f`` raises for another shape or non-finite values.

    Examples
    --------
    >>> w = np.array([1.0, 2.0])
    >>> f = as_function_of(lambda: float(np.sum(w ** 2)), w)
    >>> f(np.array([3.0, 4.0])), w
    (25.0, array([1., 2.]))
    """
    if not callable(compute):
        raise ValueError(f"compute must be a callable taking no argument, got {describe(compute)}")
    if not isinstance(param, np.ndarray) or param.dtype.type not in FLOAT_DTYPES:
        raise ValueError(
            "param must be a float32 or float64 numpy.ndarray (the array compute reads, "
            f"changed in place), got {describe(param)}"
        )
    if not param.flags.writeable:
        raise ValueError(f"param must be writable, got a read-only array of shape {param.shape}")

    def f(values) -> float:
        values = as_float_array(values, "values")
        if values.shape != param.shape:
            raise ValueError(
                f"values must have the shape of param, {param.shape}, got shape {values.shape}"
            )
        saved = param.copy()
        param[...] = values
        try:
            return float(compute())
        finally:
            param[...] = saved

    return f
